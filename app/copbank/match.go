package main

import (
	"context"
	"flag"
	"fmt"
	"io"
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
	apply := fs.Bool("apply", false, "book the proposals (as offers) once the run is done")
	confirm := fs.Bool("confirm", false, "with --apply: book proposals as confirmed, not offered")
	if err := fs.Parse(args); err != nil {
		return err
	}
	a, store, err := openMigrated(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	today := domain.DateOf(a.Now().In(a.Config.TimeZone))
	params := domain.MatchParams{From: *from, To: *to, TimeLimitMs: int(limit.Milliseconds()), Seed: *seed, Workers: *workers}
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
