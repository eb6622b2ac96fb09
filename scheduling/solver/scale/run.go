package scale

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"

	"github.com/copbank/copbank/scheduling/solver"
)

// Options configure RunScale.
type Options struct {
	Seed      uint64
	TimeLimit time.Duration // local-search budget after construction (default 10 s)
	Workers   int
}

// Report is what RunScale measured.
type Report struct {
	Pairs          int
	Generate       time.Duration
	FirstFeasible  time.Duration // construction: every place a first pass can fill
	Total          time.Duration
	PeakHeapBytes  uint64
	Construction   solver.Score
	Final          solver.Score
	Solver, Greedy solver.Metrics
	GreedyTime     time.Duration
	Trace          []solver.TracePoint
}

// RunScale generates a problem with N members and M slots, runs the greedy
// baseline and the solver, and prints time to first feasible, score over
// time, peak heap and the two rosters' fill and fairness side by side.
func RunScale(ctx context.Context, n, m int, opts Options, w io.Writer) (Report, error) {
	var rep Report
	if opts.TimeLimit <= 0 {
		opts.TimeLimit = 10 * time.Second
	}
	var mu sync.Mutex
	sample := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		mu.Lock()
		rep.PeakHeapBytes = max(rep.PeakHeapBytes, ms.HeapAlloc)
		mu.Unlock()
	}
	t0 := time.Now()
	p := Generate(Config{Members: n, Shifts: m, Seed: opts.Seed})
	rep.Generate = time.Since(t0)
	for i := range p.Slots {
		rep.Pairs += len(p.Slots[i].Candidates)
	}
	sample()
	fmt.Fprintf(w, "generated %d members, %d slots, %d candidate pairs in %v\n", n, len(p.Slots), rep.Pairs, rep.Generate.Round(time.Millisecond))

	t1 := time.Now()
	g, err := solver.Greedy(p)
	if err != nil {
		return rep, err
	}
	rep.GreedyTime = time.Since(t1)
	rep.Greedy = solver.ComputeMetrics(p, g.Assignments, rep.GreedyTime)
	sample()

	var lastSample time.Time
	start := time.Now()
	// The time is this benchmark's budget (no move limit); a run still stops
	// early once it fills the bound and its soft score settles.
	sol, err := solver.Solve(ctx, p, solver.Options{Seed: opts.Seed, Workers: opts.Workers, TimeLimit: opts.TimeLimit,
		MaxMoves: -1, Clock: time.Now, SkipExplain: true, Progress: func(float64, solver.Score) {
			if time.Since(lastSample) > 200*time.Millisecond {
				lastSample = time.Now()
				sample()
			}
		}})
	if err != nil {
		return rep, err
	}
	rep.Total = time.Since(start)
	sample()
	rep.Construction, rep.Final, rep.Trace = sol.Construction, sol.Score, sol.Trace
	if len(sol.Trace) > 0 {
		rep.FirstFeasible = sol.Trace[0].Elapsed
	}
	rep.Solver = solver.ComputeMetrics(p, sol.Assignments, rep.Total).WithSolve(p, sol, 0)

	fmt.Fprintf(w, "time to first feasible (construction): %v   score %v\n", rep.FirstFeasible.Round(time.Millisecond), rep.Construction)
	fmt.Fprintln(w, "score over time:")
	step := max(1, len(sol.Trace)/10)
	for i := 0; i < len(sol.Trace); i += step {
		tp := sol.Trace[i]
		fmt.Fprintf(w, "  %8.2fs  %10d moves  %v\n", tp.Elapsed.Seconds(), tp.Moves, tp.Score)
	}
	if k := len(sol.Trace) - 1; k >= 0 && k%step != 0 {
		tp := sol.Trace[k]
		fmt.Fprintf(w, "  %8.2fs  %10d moves  %v\n", tp.Elapsed.Seconds(), tp.Moves, tp.Score)
	}
	fmt.Fprintf(w, "total %v, %d moves (%s), peak heap %.0f MiB\n", rep.Total.Round(time.Millisecond), sol.Moves, sol.StopReason, float64(rep.PeakHeapBytes)/(1<<20))
	fmt.Fprintf(w, "fill bound %d places, priority-weighted %.4f; optimal fill: %v\n", rep.Solver.FillBound, rep.Solver.PriorityFillBound, rep.Solver.OptimalFill)
	fmt.Fprintf(w, "%-8s %8s %8s %10s %8s %10s\n", "", "places", "filled", "prio fill", "gini", "time")
	for _, row := range []struct {
		name string
		m    solver.Metrics
	}{{"greedy", rep.Greedy}, {"solver", rep.Solver}} {
		fmt.Fprintf(w, "%-8s %8d %8d %10.4f %8.4f %9dms\n", row.name, row.m.Places, row.m.Filled, row.m.PriorityWeightedFill, row.m.FairnessGini, row.m.SolveMS)
	}
	return rep, nil
}
