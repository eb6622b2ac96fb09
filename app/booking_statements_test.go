package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/domain"
)

// Each statement is a round trip, and round trips are most of what a
// booking costs: these bounds keep the booking path from growing new ones
// unnoticed. They count every statement, BEGIN and COMMIT included. Two
// of the fifteen are read on purpose in the booking's transaction: the
// webhook endpoints (a cache could miss one registered on another instance)
// and, for a member booking themselves, their no-show approval hold.
const (
	maxBookingStatements      = 15
	maxAuthenticateStatements = 2
)

func TestABookingTakesAtMostABoundedNumberOfStatements(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w := newRefWorld(t, s)
		a := w.app
		u, err := a.CreateUser(ctx, app.NewUser{Email: "coord-count@example.org", Name: "Coordinator", Password: "correct horse battery",
			Roles: []domain.Role{domain.RoleCoordinator}, Areas: []string{"DARL"}})
		if err != nil {
			t.Fatal(err)
		}
		tok, err := a.Login(ctx, "coord-count@example.org", "correct horse battery", "127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		cctx, authStatements := db.CountStatements(ctx)
		coord, err := a.Authenticate(cctx, tok.Token)
		if err != nil || coord.User.ID != u.ID || len(coord.User.Areas) != 1 {
			t.Fatalf("authenticate: %+v, %v", coord, err)
		}
		if n := authStatements(); n > maxAuthenticateStatements {
			t.Errorf("authenticating a bearer token took %d statements, want at most %d", n, maxAuthenticateStatements)
		}

		start := a.Now().Add(72 * time.Hour).In(time.UTC).Truncate(time.Hour)
		d, err := a.PostDemand(ctx, coord, app.DemandInput{Title: "Park watch", ProblemType: "asb", Area: "DARL-N1", Priority: 3,
			BookingMode: "open", TimeZone: "UTC", StartLocal: start.Format("2006-01-02T15:04"),
			EndLocal:  start.Add(3 * time.Hour).Format("2006-01-02T15:04"),
			Positions: []app.PositionInput{{Name: "Patrol", Kinds: []string{"volunteer"}, Headcount: 3}}})
		if err != nil {
			t.Fatal(err)
		}
		for i, who := range []struct {
			name string
			p    func(m domain.Member) *domain.Principal
		}{
			{"a coordinator booking a member", func(domain.Member) *domain.Principal { return coord }},
			{"a member booking themselves", func(m domain.Member) *domain.Principal { return signedIn(t, w, m) }},
		} {
			m := w.member(t, []string{"vol1@example.org", "vol2@example.org"}[i], "DARL-N1", domain.KindVolunteer)
			p := who.p(m)
			bctx, statements := db.CountStatements(ctx)
			res, err := a.Book(bctx, p, app.BookInput{ShiftID: d.Shifts[0].ID, PositionID: d.Positions[0].ID, MemberID: m.ID})
			if err != nil || res.Booking.Status != domain.BookingConfirmed {
				t.Fatalf("%s: %+v, %v", who.name, res.Booking, err)
			}
			n := statements()
			t.Logf("%s: %d statements", who.name, n)
			if n > maxBookingStatements {
				t.Errorf("%s took %d statements, want at most %d", who.name, n, maxBookingStatements)
			}
		}
	})
}
