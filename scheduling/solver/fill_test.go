package solver_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/copbank/copbank/scheduling/solver"
)

const bankFile = "testdata/bank-fortnight.json"

// bankFortnight generates a bank-shaped fortnight: members of three kinds
// with skills and a vetting level (which decide, with weekly availability,
// who is a candidate of a place), weekly hour caps and an eleven-hour rest;
// eight-hour places on day shifts (08–16, 10–18, 12–20) needing a skill, a
// vetting level and sometimes a kind. Every slot lasts eight hours and two
// slots on one day always clash, so the relaxation the bound uses is exact
// and the bound is a fill some roster reaches.
func bankFortnight(seed uint64) *solver.Problem {
	r := rand.New(rand.NewPCG(seed, 0xba4c))
	p := &solver.Problem{Days: 14, FirstWeekday: 0, Categories: []string{"patrol", "event", "office"},
		Weights: solver.DefaultWeights()}
	type member struct {
		kind, vetting int
		skills        uint8
		days          uint8 // weekdays available
	}
	var ms []member
	for w := range 70 {
		m := member{kind: r.IntN(3), vetting: r.IntN(3), skills: uint8(1<<r.IntN(4) | 1<<r.IntN(4))}
		for m.days == 0 || r.IntN(3) > 0 && popcount(m.days) < 4 {
			m.days |= 1 << r.IntN(7)
		}
		ms = append(ms, m)
		wk := solver.Worker{ID: fmt.Sprintf("m%02d", w), MinRestMinutes: 11 * 60, OfferedTime: true}
		hours := 8 * (1 + r.IntN(2))
		for week := range 2 {
			wk.Limits = append(wk.Limits, solver.Limit{Name: "weekly_cap", Measure: solver.Minutes,
				Category: solver.AnyCategory, From: 7 * week, To: 7*week + 7, Max: hours * 60, Hard: true})
		}
		p.Workers = append(p.Workers, wk)
	}
	for d := range 14 {
		for range 4 + r.IntN(4) {
			h := 8 + 2*r.IntN(3)
			start := int64(d*1440 + h*60)
			sl := solver.Slot{ID: fmt.Sprintf("d%d-%d", d, len(p.Slots)), Day: d, Start: start, End: start + 480,
				Category: r.IntN(3), Demand: 1 + r.IntN(2), Priority: 1 + r.IntN(5), HardOver: true}
			sl.UnderWeight = p.Weights.Unfilled(sl.Priority)
			skill, vetting, kind := uint8(1<<r.IntN(4)), r.IntN(3), -1
			if r.IntN(3) == 0 {
				kind = r.IntN(3)
			}
			for w, m := range ms {
				if m.skills&skill != 0 && m.vetting >= vetting && (kind < 0 || m.kind == kind) && m.days&(1<<(d%7)) != 0 {
					sl.Candidates = append(sl.Candidates, solver.Candidate{Worker: w, DistanceKm: int64(r.IntN(15))})
				}
			}
			p.Slots = append(p.Slots, sl)
		}
	}
	return p
}

func popcount(x uint8) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

func readProblem(tb testing.TB, file string) *solver.Problem {
	tb.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	var p solver.Problem
	if err := json.Unmarshal(b, &p); err != nil {
		tb.Fatal(err)
	}
	return &p
}

// TestWriteBankFortnight rewrites the bank instance with -update.
func TestWriteBankFortnight(t *testing.T) {
	if !*update {
		t.Skip("run with -update to regenerate " + bankFile)
	}
	b, err := json.MarshalIndent(bankFortnight(1), "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bankFile, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// independentBound is the most places of p a roster can fill when each
// worker takes at most one slot a day and at most cap/shortest slots per
// weekly_cap window: a max-flow (Edmonds–Karp on a dense matrix) of its own,
// sharing nothing with the solver's.
func independentBound(p *solver.Problem) int {
	// Nodes: source, sink, slots, (worker, day), (worker, window).
	S, W, D := len(p.Slots), len(p.Workers), p.Days
	slot := func(s int) int { return 2 + s }
	day := func(w, d int) int { return 2 + S + w*D + d }
	type win struct{ from, to, cap int }
	wins := make([][]win, W)
	nw := 0
	for w, wk := range p.Workers {
		for _, l := range wk.Limits {
			if l.Name == "weekly_cap" && l.Hard {
				wins[w] = append(wins[w], win{l.From, l.To, l.Max / 480})
				nw++
			}
		}
	}
	n := 2 + S + W*D + nw
	capm := make([][]int, n)
	for i := range capm {
		capm[i] = make([]int, n)
	}
	next := 2 + S + W*D
	winNode := make([][]int, W)
	for w := range W {
		for _, x := range wins[w] {
			winNode[w] = append(winNode[w], next)
			capm[next][1] = x.cap
			next++
		}
		for d := range D {
			for i, x := range wins[w] {
				if d >= x.from && d < x.to {
					capm[day(w, d)][winNode[w][i]] = 1
				}
			}
		}
	}
	for s, sl := range p.Slots {
		capm[0][slot(s)] = sl.Demand
		for _, c := range sl.Candidates {
			capm[slot(s)][day(c.Worker, sl.Day)] = 1
		}
	}
	flow := 0
	for {
		prev := make([]int, n)
		for i := range prev {
			prev[i] = -1
		}
		prev[0] = 0
		q := []int{0}
		for len(q) > 0 && prev[1] < 0 {
			v := q[0]
			q = q[1:]
			for u := range n {
				if prev[u] < 0 && capm[v][u] > 0 {
					prev[u] = v
					q = append(q, u)
				}
			}
		}
		if prev[1] < 0 {
			return flow
		}
		for v := 1; v != 0; v = prev[v] {
			capm[prev[v]][v]--
			capm[v][prev[v]]++
		}
		flow++
	}
}

// TestSolverFillsTheBoundGreedyMisses: on a bank-shaped fortnight of over a
// hundred places, first-come greedy leaves places open that a legal roster
// could fill; the solver fills exactly as many as the independent max-flow
// says any roster can, and says its fill is optimal.
func TestSolverFillsTheBoundGreedyMisses(t *testing.T) {
	t.Parallel()
	p := readProblem(t, bankFile)
	places := 0
	for _, sl := range p.Slots {
		places += sl.Demand
	}
	if places < 100 {
		t.Fatalf("%d places, want at least 100", places)
	}
	bound := independentBound(p)
	g, err := solver.Greedy(p)
	if err != nil {
		t.Fatal(err)
	}
	if g.Filled >= bound {
		t.Fatalf("greedy fills %d of a bound of %d: the instance does not tell the solver from greedy", g.Filled, bound)
	}
	sol, err := solver.Solve(context.Background(), p, solver.Options{Seed: 1, MaxMoves: 100_000})
	if err != nil {
		t.Fatal(err)
	}
	if sol.FillBound != bound {
		t.Errorf("solver's bound %d, independent bound %d", sol.FillBound, bound)
	}
	if !sol.Score.Feasible() || sol.Filled != bound || !sol.OptimalFill {
		t.Errorf("solver fills %d of %d places (greedy %d), score %v, optimal fill %v", sol.Filled, bound, g.Filled, sol.Score, sol.OptimalFill)
	}
	if sc, _ := solver.Evaluate(p, sol.Assignments); sc != sol.Score {
		t.Errorf("reported %v, rescored %v", sol.Score, sc)
	}
	t.Logf("places %d, bound %d, greedy %d, solver %d (%s after %d moves)", places, bound, g.Filled, sol.Filled, sol.StopReason, sol.Moves)
}

// smallBank is the first days of the bank fortnight, about fifty places.
func smallBank(tb testing.TB) *solver.Problem {
	p := readProblem(tb, bankFile)
	places := 0
	for i, sl := range p.Slots {
		if places >= 50 {
			p.Slots = p.Slots[:i]
			break
		}
		places += sl.Demand
	}
	return p
}

// TestASmallRunStopsBecauseItConverged: on about fifty places the default
// budget is far more than the search needs; the run stops once it fills the
// bound and its soft score stops improving, and says so.
func TestASmallRunStopsBecauseItConverged(t *testing.T) {
	t.Parallel()
	p := smallBank(t)
	sol, err := solver.Solve(context.Background(), p, solver.Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if sol.StopReason != solver.StopConverged || sol.Moves >= solver.DefaultMoves || !sol.OptimalFill {
		t.Errorf("stopped (%s) after %d of %d moves, optimal fill %v (%d of %d)", sol.StopReason, sol.Moves, sol.MaxMoves, sol.OptimalFill, sol.Filled, sol.FillBound)
	}
	// The same options again replay the run exactly.
	again, err := solver.Solve(context.Background(), p, solver.Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprintf("%+v", *again) != fmt.Sprintf("%+v", *sol) {
		t.Error("the same seed, workers and moves gave another solution")
	}
}

// BenchmarkSmallRun times a default run over about fifty places, which
// stops when it converges; BenchmarkSmallRunWholeBudget is the same run made
// to spend its whole move budget, the way every run ended before.
func BenchmarkSmallRun(b *testing.B) {
	benchSmall(b, 0)
}

func BenchmarkSmallRunWholeBudget(b *testing.B) {
	benchSmall(b, -1)
}

func benchSmall(b *testing.B, converge int64) {
	p := smallBank(b)
	var moves int64
	for b.Loop() {
		sol, err := solver.Solve(context.Background(), p, solver.Options{Seed: 3, ConvergeMoves: converge, SkipExplain: true})
		if err != nil {
			b.Fatal(err)
		}
		moves = sol.Moves
	}
	b.ReportMetric(float64(moves), "moves")
}

// TestMetricsCarryTheBound: the metrics of a solve report the bound, the
// optimal fill, the stop reason and the moves the solution does.
func TestMetricsCarryTheBound(t *testing.T) {
	t.Parallel()
	p := smallBank(t)
	sol, err := solver.Solve(context.Background(), p, solver.Options{Seed: 3, SkipExplain: true})
	if err != nil {
		t.Fatal(err)
	}
	m := solver.ComputeMetrics(p, sol.Assignments, 0).WithSolve(p, sol, 0)
	if m.Filled != sol.Filled || m.FillBound != sol.FillBound || m.OptimalFill != sol.OptimalFill ||
		m.PriorityFillBound != sol.PriorityFillBound || m.StopReason != sol.StopReason || m.Moves != sol.Moves {
		t.Errorf("metrics %+v disagree with the solution (filled %d, bound %d, optimal %v, %s after %d moves)",
			m, sol.Filled, sol.FillBound, sol.OptimalFill, sol.StopReason, sol.Moves)
	}
	if m.PriorityWeightedFill > m.PriorityFillBound {
		t.Errorf("priority-weighted fill %.4f above its bound %.4f", m.PriorityWeightedFill, m.PriorityFillBound)
	}
}
