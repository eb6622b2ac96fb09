package scale

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/copbank/copbank/scheduling/solver"
)

func TestRunScaleForce(t *testing.T) {
	var buf bytes.Buffer
	rep, err := RunScale(context.Background(), 2000, 1500, Options{Seed: 1, TimeLimit: 2 * time.Second}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + buf.String())
	if !rep.Final.Feasible() {
		t.Fatalf("solver roster breaks hard rules: %v", rep.Final)
	}
	if rep.Solver.PriorityWeightedFill < rep.Greedy.PriorityWeightedFill {
		t.Errorf("solver priority-weighted fill %.4f below greedy %.4f", rep.Solver.PriorityWeightedFill, rep.Greedy.PriorityWeightedFill)
	}
}

func TestSolverIsFairerThanGreedyAtForceScale(t *testing.T) {
	t.Parallel()
	p := Generate(Config{Members: 2000, Shifts: 1500, Seed: 1})
	g, err := solver.Greedy(p)
	if err != nil {
		t.Fatal(err)
	}
	sol, err := solver.Solve(context.Background(), p, solver.Options{Seed: 1, MaxMoves: 3_000_000, SkipExplain: true})
	if err != nil {
		t.Fatal(err)
	}
	gm, sm := solver.ComputeMetrics(p, g.Assignments, 0), solver.ComputeMetrics(p, sol.Assignments, 0)
	t.Logf("greedy fill %.4f gini %.4f; solver fill %.4f gini %.4f", gm.PriorityWeightedFill, gm.FairnessGini, sm.PriorityWeightedFill, sm.FairnessGini)
	if sm.PriorityWeightedFill <= gm.PriorityWeightedFill {
		t.Errorf("solver priority-weighted fill %.4f not above greedy %.4f", sm.PriorityWeightedFill, gm.PriorityWeightedFill)
	}
	if sm.FairnessGini > gm.FairnessGini {
		t.Errorf("solver Gini of hours %.4f worse than greedy %.4f", sm.FairnessGini, gm.FairnessGini)
	}
}
