package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

func match(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("match", flag.ContinueOnError)
	fs.SetOutput(stderr)
	areas := fs.String("areas", "", "comma-separated area codes (default: every area)")
	from := fs.String("from", "", "first day, YYYY-MM-DD (default: today)")
	to := fs.String("to", "", "last day, YYYY-MM-DD (default: four weeks on)")
	limit := fs.Duration("time", 5*time.Second, "how long the solver may think")
	seed := fs.Uint64("seed", 1, "seed: the same seed and workers give the same answer")
	workers := fs.Int("workers", 1, "parallel searches")
	moves := fs.Int64("moves", 0, "search budget in moves (default: the matcher's, recorded in the run); the same moves, seed and workers replay a run")
	weights := fs.String("weights", "", "term=weight,… scaling the force's defaults for this run (terms: "+strings.Join(domain.MatchWeightTerms, ", ")+")")
	apply := fs.Bool("apply", false, "book the proposals (as offers) once the run is done")
	confirm := fs.Bool("confirm", false, "with --apply: book proposals as confirmed, not offered")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *moves < 0 {
		return fmt.Errorf("--moves must be 0 (the matcher's default) or more, got %d", *moves)
	}
	w, err := parseWeights(*weights)
	if err != nil {
		return err
	}
	a, store, err := openMigrated(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	today := domain.DateOf(a.Now().In(a.Config.TimeZone))
	params := domain.MatchParams{From: *from, To: *to, TimeLimitMs: int(limit.Milliseconds()), Seed: *seed, Workers: *workers, MaxMoves: *moves, Weights: w}
	if params.From == "" {
		params.From = today.String()
	}
	if params.To == "" {
		params.To = today.AddDays(27).String()
	}
	if *areas != "" {
		params.Areas = strings.Split(*areas, ",")
	}
	bar := progressbar.NewOptions(100, progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription("matching"),
		progressbar.OptionShowElapsedTimeOnFinish(), progressbar.OptionClearOnFinish())
	run, err := a.RunMatchNow(ctx, app.CommandLineOperator(), params, func(f float64) { _ = bar.Set(int(f * 100)) })
	_ = bar.Finish()
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "match run %s %s\n", run.ID, app.DescribeRun(run))
	for _, o := range run.Open {
		fmt.Fprintf(stdout, "  open: %s %d place(s); excluded %v\n", o.Start.In(a.Config.TimeZone).Format("Mon 2 Jan 15:04"), o.Places, o.Excluded)
	}
	if !*apply {
		fmt.Fprintf(stdout, "review the proposals, then apply with: copbank match … --apply (or POST /api/v1/match-runs/%s/apply)\n", run.ID)
		return nil
	}
	run, err = a.ApplyMatchRun(ctx, app.CommandLineOperator(), run.ID, *confirm)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "applied %d proposal(s) as %s; %d no longer fit\n", run.ApplyReport.Applied, run.ApplyReport.Status, len(run.ApplyReport.NotApplied))
	for _, n := range run.ApplyReport.NotApplied {
		fmt.Fprintf(stdout, "  not applied: shift %s member %s: %s\n", n.ShiftID, n.MemberID, strings.Join(n.Rules, ", "))
	}
	return nil
}

// parseWeights reads "travel=2,continuity=0.5". Unknown terms are refused
// here, by name, before any database is opened; ranges are the matcher's to
// check, so the command line and the API refuse the same weights.
func parseWeights(s string) (map[string]float64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	out := map[string]float64{}
	for _, f := range strings.Split(s, ",") {
		term, v, ok := strings.Cut(strings.TrimSpace(f), "=")
		term = strings.TrimSpace(term)
		if !ok || term == "" {
			return nil, fmt.Errorf("--weights: %q is not term=weight", f)
		}
		if !slices.Contains(domain.MatchWeightTerms, term) {
			return nil, fmt.Errorf("--weights: unknown term %q (terms: %s)", term, strings.Join(domain.MatchWeightTerms, ", "))
		}
		if _, dup := out[term]; dup {
			return nil, fmt.Errorf("--weights: term %q given twice", term)
		}
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return nil, fmt.Errorf("--weights: %s=%q is not a number", term, v)
		}
		out[term] = x
	}
	return out, nil
}
