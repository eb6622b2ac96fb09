package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/copbank/copbank/app/demo"
)

// seed fills an empty database with the demo data (demo.Seed). A database
// that already has areas is left alone: it says so and succeeds, so that
// `make run` can seed every time.
func seed(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	demoData := fs.Bool("demo", false, "load the demo force area: County Durham and Darlington, ~300 members, four weeks of demand")
	ifEmpty := fs.Bool("if-empty", false, "only on an empty database, quietly (for make run); this is always the behaviour, the flag only shortens the message")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*demoData {
		return fmt.Errorf("usage: copbank seed --demo [--if-empty] (only the demo data set exists)")
	}
	a, store, err := openMigrated(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	// An admin of the operator's own, when configured, as serve would make
	// on an empty database (the demo admin would otherwise stop it).
	if a.Config.AdminEmail != "" && a.Config.AdminPassword != "" {
		if _, _, err := a.EnsureFirstAdmin(ctx); err != nil {
			return describe(err)
		}
	}
	started := false
	rep, err := demo.Seed(ctx, a, func(stage string, n int) {
		if !started {
			started = true
			fmt.Fprintf(stdout, "seeding the demo data (%s database, time zone %s)\n", store.Dialect(), a.Config.TimeZone)
		}
		if !*ifEmpty || stage == "members" || stage == "demands" || stage == "bookings" {
			fmt.Fprintf(stdout, "  %-9s %d\n", stage, n)
		}
	})
	if err != nil {
		return describe(err)
	}
	if rep.Skipped {
		if *ifEmpty {
			fmt.Fprintln(stdout, "seed: the database already has data; not seeding")
		} else {
			fmt.Fprintln(stdout, "the database already has areas: not seeding the demo data (drop the database to start again)")
		}
		return nil
	}
	fmt.Fprintf(stdout, "demo data: %d areas (%d neighbourhoods), %d skills, %d members (%d skills held, %d clearances, %d availability rules), %d demands, %d shifts, %d bookings, %d waitlisted, in %.1fs\n",
		rep.Areas, rep.Neighbourhood, rep.Skills, rep.Members, rep.SkillsHeld, rep.Clearances, rep.Availability,
		rep.Demands, rep.Shifts, rep.Bookings, rep.Waitlisted, rep.Took.Seconds())
	printDemoSignIns(stdout)
	return nil
}

// printDemoSignIns lists the demo accounts.
func printDemoSignIns(w io.Writer) {
	fmt.Fprintf(w, "demo sign-ins (password %s):", demo.Password)
	for _, s := range demo.SignIns {
		fmt.Fprintf(w, " %s (%s);", s.Email, s.Role)
	}
	fmt.Fprintln(w)
}
