package scale

import (
	"bytes"
	"context"
	"testing"
	"time"
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
