package demo_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/app/demo"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/domain"
)

func TestSeedDemoMakesABelievableForceAreaOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		cfg := app.DefaultConfig()
		cfg.PasswordMemoryKiB = 1024
		a := app.New(s, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
		now := time.Now().UTC()
		a.Now = func() time.Time { return now }

		stages := map[string]int{}
		rep, err := demo.Seed(ctx, a, func(stage string, n int) { stages[stage] = n })
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %+v", s.Dialect(), rep)
		if rep.Skipped || rep.Neighbourhood < 18 || rep.Neighbourhood > 25 || rep.Members < 280 || rep.Members > 320 {
			t.Fatalf("report: %+v", rep)
		}
		if rep.Bookings < 30 || rep.Shifts < 60 || stages["bookings"] != rep.Bookings {
			t.Fatalf("want demand partly booked: %+v, stages %v", rep, stages)
		}
		if ok, err := demo.Present(ctx, a); err != nil || !ok {
			t.Fatalf("HasDemoData = %v, %v", ok, err)
		}

		// Every problem type has demand, within four weeks of today.
		admin, err := s.UserByEmail(ctx, "admin@demo.copbank.uk")
		if err != nil {
			t.Fatal(err)
		}
		ap := &domain.Principal{User: admin}
		cov, err := a.CoverageReport(ctx, ap, app.ReportQuery{})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, w := range cov.Rows {
			if len(w.Gaps) == 0 {
				seen["covered"]++
			}
			for _, g := range w.Gaps {
				seen[g]++
			}
		}
		for _, k := range []string{"covered", domain.GapNoNamedOfficer, domain.GapNoOfficerShift, domain.GapBelowTarget} {
			if seen[k] == 0 {
				t.Errorf("the coverage board shows no %s week: %v", k, seen)
			}
		}
		demands, err := s.Demands(ctx, nil, "", 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(demands) != rep.Demands {
			t.Fatalf("%d demands stored, report says %d", len(demands), rep.Demands)
		}
		types := map[domain.ProblemType]bool{}
		recurring := 0
		for _, d := range demands {
			types[d.ProblemType] = true
			if d.RRule != "" {
				recurring++
			}
			if d.ProblemType == "mentoring" && d.MenteeRef == "" {
				t.Errorf("mentoring demand %q without a mentee_ref", d.Title)
			}
		}
		for _, pt := range domain.ProblemTypes {
			if !types[pt] {
				t.Errorf("no demand of problem type %s", pt)
			}
		}
		if recurring == 0 {
			t.Error("no recurring demand")
		}
		horizon := now.Add(29 * 24 * time.Hour)
		shifts, err := a.FindShifts(ctx, ap, app.ShiftQuery{From: now.Add(-time.Hour), To: horizon.Add(30 * 24 * time.Hour), Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(shifts) != rep.Shifts {
			t.Fatalf("%d shifts found, report says %d", len(shifts), rep.Shifts)
		}
		for _, v := range shifts {
			if !v.Shift.Start.After(now) || v.Shift.Start.After(horizon) {
				t.Fatalf("shift %s of %q starts outside the four weeks from now", v.Shift.Start, v.Demand.Title)
			}
		}

		// The seed's own bookings tell nobody (its people are made up); a
		// booking made afterwards is told as any other.
		box := &mailbox{}
		a.Notify = box
		runJobs(t, a)
		for name, sweep := range map[string]func(context.Context) (int, error){
			"reminders": a.SendDueReminders, "expiry warnings": a.SendExpiryWarnings, "digests": a.SendDigests} {
			if n, err := sweep(ctx); err != nil || n != 0 {
				t.Errorf("%s after seeding: %d sent (%v), want none: the seed owes nothing", name, n, err)
			}
		}

		// The demo volunteer signs in and finds several shifts to book.
		tok, err := a.Login(ctx, "volunteer@demo.copbank.uk", demo.Password, "127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		vp, err := a.Authenticate(ctx, tok.Token)
		if err != nil {
			t.Fatal(err)
		}
		// They are booked on a lone-working shift within the week, so their
		// shifts page offers on and off duty.
		mine, err := a.MyBookings(ctx, vp, 100)
		if err != nil {
			t.Fatal(err)
		}
		lone := false
		for _, v := range mine {
			if v.Demand.LoneWorking && v.Booking.Status == domain.BookingConfirmed && v.Shift.Start.After(now) &&
				v.Shift.Start.Before(now.Add(8*24*time.Hour)) {
				lone = true
			}
		}
		if !lone {
			t.Errorf("the demo volunteer has no confirmed lone-working shift in the coming week: %d bookings", len(mine))
		}
		// A colleague offers them a place they could take.
		if offers, err := a.OpenHandovers(ctx, vp, "", 10); err != nil || len(offers) == 0 {
			t.Errorf("the demo volunteer is offered %d places by colleagues (%v), want one", len(offers), err)
		}
		eligible, err := a.FindShifts(ctx, vp, app.ShiftQuery{From: now, To: horizon, Eligible: true, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(eligible) < 5 {
			t.Fatalf("the demo volunteer may book only %d shifts", len(eligible))
		}
		var booked bool
		for _, v := range eligible {
			for posID, rules := range v.Failed {
				if len(rules) == 0 && !booked {
					if _, err := a.Book(ctx, vp, app.BookInput{ShiftID: v.Shift.ID, PositionID: posID}); err != nil {
						t.Fatalf("demo volunteer books %q: %v", v.Demand.Title, err)
					}
					booked = true
				}
			}
		}
		eventually(t, "the volunteer's confirmation goes", func() bool { return len(box.to("volunteer@demo.copbank.uk")) == 1 })
		time.Sleep(300 * time.Millisecond)
		if n := box.count(); n != 1 {
			t.Errorf("%d messages after seeding and one booking, want the one confirmation", n)
		}
		for _, email := range []string{"officer@demo.copbank.uk", "mentor@demo.copbank.uk", "coordinator@demo.copbank.uk", "admin@demo.copbank.uk"} {
			if _, err := a.Login(ctx, email, demo.Password, "127.0.0.1"); err != nil {
				t.Errorf("sign in as %s: %v", email, err)
			}
		}
		coord, err := s.UserByEmail(ctx, "coordinator@demo.copbank.uk")
		if err != nil || len(coord.Areas) != 2 {
			t.Fatalf("coordinator scopes: %+v, %v", coord.Areas, err)
		}

		// A second seed is a no-op.
		again, err := demo.Seed(ctx, a, nil)
		if err != nil || !again.Skipped {
			t.Fatalf("second seed: %+v, %v", again, err)
		}
		members, err := s.Members(ctx, domain.MemberFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(members) != rep.Members {
			t.Fatalf("%d members after a second seed, want %d", len(members), rep.Members)
		}

		// All kinds, some of several; skills and clearances about to lapse.
		today := domain.DateOf(now.In(cfg.TimeZone))
		soon := today.AddDays(61)
		var officers, mentors, several, expiringSkills, expiringClearances, suspended, dbs int
		for _, m := range members {
			if m.HasKind(domain.KindBankOfficer) {
				officers++
			}
			if m.HasKind(domain.KindMentor) {
				mentors++
			}
			if len(m.Kinds) > 1 {
				several++
			}
			skills, err := s.MemberSkills(ctx, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, sk := range skills {
				if sk.ExpiresOn != nil && sk.ExpiresOn.Before(soon) {
					expiringSkills++
				}
			}
			cs, err := s.Clearances(ctx, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cs {
				switch {
				case domain.IsDBS(c.Type):
					dbs++
				case c.Status == domain.ClearanceSuspended:
					suspended++
				case c.ExpiresOn.Before(soon):
					expiringClearances++
				}
			}
		}
		if officers < 50 || officers > 70 || mentors < 25 || mentors > 35 || several == 0 {
			t.Errorf("kinds: %d bank officers, %d mentors, %d of several kinds", officers, mentors, several)
		}
		if expiringSkills == 0 || expiringClearances == 0 || suspended == 0 || dbs < mentors {
			t.Errorf("want some lapsing soon: %d skills, %d clearances expiring; %d suspended; %d DBS checks",
				expiringSkills, expiringClearances, suspended, dbs)
		}
	})
}
