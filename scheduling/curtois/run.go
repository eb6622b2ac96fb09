package curtois

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/copbank/copbank/scheduling/curtois/check"
	"github.com/copbank/copbank/scheduling/solver"
)

// RunOptions configure Run.
type RunOptions struct {
	TimePerInstance time.Duration // wall-clock budget per instance (default 60 s)
	MaxMoves        int64         // optional move budget per search (reproducible runs)
	OutDir          string        // write DIR/InstanceN.roster when set
	Seed            uint64
	Workers         int // parallel searches per instance (default 1)
	// BestKnown overrides the best-known objectives; when nil Run reads
	// best-known.tsv next to each instance file if there is one.
	BestKnown map[string]int
	// StartTemperature and EndTemperature override the annealing schedule.
	StartTemperature, EndTemperature float64
	HardWeight                       int64
}

// Result is one row of the benchmark table.
type Result struct {
	Instance   string
	Objective  int64 // the solver's soft score
	Checked    int   // the independent checker's objective
	Feasible   bool  // according to the checker
	BestKnown  int   // 0 when unknown
	TimeToBest time.Duration
	Elapsed    time.Duration
	Violations []string
	// Dropped counts the solver's assignments the roster format could not
	// hold (a second shift on one day); Moves and StopReason are the
	// search's.
	Dropped    int
	Moves      int64
	StopReason solver.StopReason
}

// Gap is (objective − best known) / best known in percent (NaN-free: 0 when unknown).
func (r Result) Gap() float64 {
	if r.BestKnown == 0 {
		return 0
	}
	return 100 * float64(r.Checked-r.BestKnown) / float64(r.BestKnown)
}

// Solve reads, solves and checks one instance file.
func Solve(ctx context.Context, file string, opts RunOptions) (Result, []byte, error) {
	name := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	res := Result{Instance: name}
	text, err := os.ReadFile(file)
	if err != nil {
		return res, nil, err
	}
	in, err := Parse(bytes.NewReader(text))
	if err != nil {
		return res, nil, fmt.Errorf("%s: %w", file, err)
	}
	p := in.Problem()
	limit := opts.TimePerInstance
	if limit <= 0 && opts.MaxMoves <= 0 {
		limit = 60 * time.Second
	}
	// A benchmark run spends its time: without a move budget the time limit
	// is the budget, and it does not stop at a converged fill (cover here is
	// soft, and the objective is all that counts).
	moves := opts.MaxMoves
	if moves <= 0 {
		moves = -1
	}
	start := time.Now()
	sol, err := solver.Solve(ctx, p, solver.Options{Seed: opts.Seed, Workers: opts.Workers, TimeLimit: limit,
		MaxMoves: moves, ConvergeMoves: -1, Clock: time.Now, SkipExplain: true,
		StartTemperature: opts.StartTemperature, HardWeight: opts.HardWeight, EndTemperature: opts.EndTemperature})
	if err != nil {
		return res, nil, fmt.Errorf("%s: %w", file, err)
	}
	res.Elapsed = time.Since(start)
	// The roster format holds one shift per employee and day; a roster that
	// breaks that rule loses shifts on the way to the checker, so the
	// objective is that of what the roster holds.
	rendered := in.Rendered(p, sol.Assignments)
	res.Dropped = len(sol.Assignments) - len(rendered)
	sc, _ := solver.Evaluate(p, rendered)
	res.Objective = sc.Soft
	res.Moves, res.StopReason = sol.Moves, sol.StopReason
	if n := len(sol.Trace); n > 0 {
		res.TimeToBest = sol.Trace[n-1].Elapsed
	}
	roster := in.Roster(p, sol.Assignments)
	ck, err := check.Check(text, roster)
	if err != nil {
		return res, roster, fmt.Errorf("%s: checker: %w", file, err)
	}
	res.Checked, res.Feasible, res.Violations = ck.Objective, ck.Feasible, ck.Violations
	return res, roster, nil
}

// Run solves each instance file in turn, writes rosters to opts.OutDir and
// prints the table: instance, our objective, best known, gap %, time to
// best, feasible. It stops at the first unreadable file or when ctx ends.
func Run(ctx context.Context, files []string, opts RunOptions, w io.Writer) error {
	const row = "%-11s %14s %10s %7s %12s %9s\n"
	fmt.Fprintf(w, row, "instance", "objective", "best known", "gap %", "time to best", "feasible")
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		res, roster, err := Solve(ctx, f, opts)
		if err != nil {
			return err
		}
		best := opts.BestKnown
		if best == nil {
			best = readBestKnown(filepath.Join(filepath.Dir(f), "best-known.tsv"))
		}
		res.BestKnown = best[res.Instance]
		if opts.OutDir != "" {
			if err := os.MkdirAll(opts.OutDir, 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(opts.OutDir, res.Instance+".roster"), roster, 0o644); err != nil {
				return err
			}
		}
		obj := strconv.Itoa(res.Checked)
		if int64(res.Checked) != res.Objective {
			obj += fmt.Sprintf(" (solver %d!)", res.Objective)
		}
		bk, gap := "?", "?"
		if res.BestKnown > 0 {
			bk, gap = strconv.Itoa(res.BestKnown), fmt.Sprintf("%.1f", res.Gap())
		}
		feas := "yes"
		if !res.Feasible {
			feas = fmt.Sprintf("NO (%d)", len(res.Violations))
		}
		if res.Dropped > 0 {
			feas += fmt.Sprintf(", %d double-booked", res.Dropped)
		}
		fmt.Fprintf(w, row, res.Instance, obj, bk, gap, fmt.Sprintf("%.1fs", res.TimeToBest.Seconds()), feas)
	}
	return nil
}

// readBestKnown reads best-known.tsv (instance, objective, …); missing file → nil.
func readBestKnown(path string) map[string]int {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	out := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Split(sc.Text(), "\t")
		if len(fs) < 2 {
			continue
		}
		if n, err := strconv.Atoi(strings.TrimSpace(fs[1])); err == nil {
			out[fs[0]] = n
		}
	}
	return out
}
