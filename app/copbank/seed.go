package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/app/demo"
	"github.com/copbank/copbank/domain"
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
	if _, err := operatorAdmin(ctx, a); err != nil {
		return describe(err)
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
	printDemoSignIns(stdout, a.Config.MFARequired)
	return nil
}

// operatorAdmin makes the admin of COPBANK_ADMIN_EMAIL and
// COPBANK_ADMIN_PASSWORD, when both are set, on a database without
// accounts, and returns its email ("" when none was made). Demo data is
// seeded after it: the demo's own accounts would otherwise make the database
// look set up, and the operator's admin would never be made.
func operatorAdmin(ctx context.Context, a *app.App) (string, error) {
	if a.Config.AdminEmail == "" || a.Config.AdminPassword == "" {
		return "", nil
	}
	email, _, err := a.EnsureFirstAdmin(ctx)
	return email, err
}

// printDemoSignIns lists the demo accounts.
func printDemoSignIns(w io.Writer, mfaRequired []domain.Role) {
	fmt.Fprintf(w, "demo sign-ins (password %s):", demo.Password)
	for _, s := range demo.SignIns {
		fmt.Fprintf(w, " %s (%s);", s.Email, s.Role)
	}
	fmt.Fprintln(w)
	if len(mfaRequired) > 0 {
		names := make([]string, len(mfaRequired))
		for i, r := range mfaRequired {
			names[i] = string(r) + "s"
		}
		fmt.Fprintf(w, "%s are asked to enrol a second factor (an authenticator app) when they sign in with a password; COPBANK_MFA_REQUIRED=none turns that off\n", strings.Join(names, " and "))
	}
}
