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

func TestPendingApprovalsListEachCoordinatorsOwnAreasSoonestFirst(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w := newRefWorld(t, s)
		a := w.app
		now := londonAt(t, 0, 9)
		a.Now = func() time.Time { return now }
		admin, err := a.CreateUser(ctx, app.NewUser{Email: "admin@example.org", Name: "Admin",
			Password: "correct horse battery", Roles: []domain.Role{domain.RoleAdmin}})
		if err != nil {
			t.Fatal(err)
		}
		poster := &domain.Principal{User: admin}
		post := func(title, area string, start time.Time) domain.Demand {
			t.Helper()
			london, _ := time.LoadLocation("Europe/London")
			l := start.In(london)
			d, err := a.PostDemand(ctx, poster, app.DemandInput{Title: title, ProblemType: "asb", Area: area, Priority: 3,
				BookingMode: "approval", TimeZone: "Europe/London",
				StartLocal: l.Format("2006-01-02T15:04"), EndLocal: l.Add(3 * time.Hour).Format("2006-01-02T15:04"),
				Positions: []app.PositionInput{{Name: "Patrol", Kinds: []string{"volunteer"}, Headcount: 3},
					{Name: "Mentor", Kinds: []string{"mentor"}, Headcount: 1}}})
			if err != nil {
				t.Fatalf("post %s: %v", title, err)
			}
			return d
		}
		later := post("Park watch", "DARL-N1", now.Add(72*time.Hour))
		sooner := post("Bus station patrol", "DARL", now.Add(48*time.Hour))
		city := post("Student-area evening", "DUR-CITY", now.Add(24*time.Hour))
		book := func(m *domain.Principal, d domain.Demand, pos int) {
			t.Helper()
			b, err := a.Book(ctx, m, app.BookInput{ShiftID: d.Shifts[0].ID, PositionID: d.Positions[pos].ID})
			if err != nil || b.Booking.Status != domain.BookingPending {
				t.Fatalf("book %s: %+v, %v", d.Title, b.Booking, err)
			}
		}
		vol := signedIn(t, w, w.member(t, "vol@example.org", "DARL-N1", domain.KindVolunteer))
		mentor := signedIn(t, w, w.member(t, "mentor@example.org", "DARL-N1", domain.KindMentor))
		book(vol, later, 0)
		book(mentor, later, 1)
		book(vol, sooner, 0)
		book(signedIn(t, w, w.member(t, "student@example.org", "DUR-CITY", domain.KindVolunteer)), city, 0)

		got, err := a.PendingApprovals(ctx, w.darlCoord)
		if err != nil {
			t.Fatal(err)
		}
		type row struct{ title, position, name string }
		want := []row{{"Bus station patrol", "Patrol", "Sam vol@example.org"}, {"Park watch", "Patrol", "Sam vol@example.org"},
			{"Park watch", "Mentor", "Sam mentor@example.org"}}
		if len(got) != len(want) {
			t.Fatalf("Darlington's coordinator sees %d pending bookings, want %d: %+v", len(got), len(want), got)
		}
		for i, g := range got {
			r := row{g.Demand.Title, g.Position().Name, g.MemberName}
			if i < 1 && r != want[i] || i >= 1 && r != want[1] && r != want[2] {
				t.Errorf("row %d: %+v, want %+v (soonest shift first)", i, r, want[i])
			}
			if g.Shift.ID != g.Booking.ShiftID || g.Shift.DemandID != g.Demand.ID {
				t.Errorf("row %d pairs booking %s with shift %s of demand %s", i, g.Booking.ID, g.Shift.ID, g.Demand.ID)
			}
		}
		cityList, err := a.PendingApprovals(ctx, w.cityCoord)
		if err != nil || len(cityList) != 1 || cityList[0].Demand.Title != "Student-area evening" {
			t.Errorf("Durham City's coordinator sees %+v (%v), want the student-area evening alone", cityList, err)
		}
	})
}
