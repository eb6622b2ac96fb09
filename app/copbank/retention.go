package main

import (
	"context"
	"fmt"
	"io"
)

// retention runs the retention job once (`copbank retention run`): it
// anonymises the members inactive for $COPBANK_RETENTION_MONTHS and prints
// each one, as `copbank serve` does daily.
func retention(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) != 1 || args[0] != "run" {
		return fmt.Errorf("usage: copbank retention run")
	}
	a, store, err := openMigrated(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	if a.Config.RetentionMonths <= 0 {
		fmt.Fprintln(stdout, "retention is off (COPBANK_RETENTION_MONTHS=0): nothing anonymised")
		return nil
	}
	done, err := a.RunRetention(ctx)
	for _, e := range done {
		fmt.Fprintf(stdout, "anonymised member %s (%d future booking(s) cancelled)\n", e.MemberID, e.CancelledBookings)
	}
	fmt.Fprintf(stdout, "anonymised %d member(s) inactive for %d months or more\n", len(done), a.Config.RetentionMonths)
	return err
}
