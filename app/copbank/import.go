package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// importMembers runs `copbank import members.csv`: all rows or none.
func importMembers(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: copbank import members.csv (or - for stdin); columns: name,email,phone,kinds,home_area,lat,lon,travel_km,max_hours_per_week,skills,clearance,clearance_expires_on")
	}
	in := stdin
	if name := fs.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	a, store, err := openMigrated(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	report, err := a.ImportMembers(ctx, app.CommandLineOperator(), in)
	if domain.ErrorCode(err) == domain.EInvalid {
		fmt.Fprintln(stdout, domain.ErrorMessage(err))
		for _, e := range report.Errors {
			fmt.Fprintf(stdout, "  %s: %s\n", e.Field, e.Message)
		}
		return fmt.Errorf("import refused: %d problem(s); nothing was written", len(report.Errors))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported: %d created, %d updated, %d unchanged\n", report.Created, report.Updated, report.Unchanged)
	return nil
}
