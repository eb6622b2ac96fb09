package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/domain"
)

// postDemand posts a one-shift demand titled title in area, its one
// position open to kinds and needing skills, starting at start.
func postDemand(t *testing.T, w *refWorld, by *domain.Principal, title, area string, start time.Time, kinds, skills []string) string {
	t.Helper()
	london, _ := time.LoadLocation("Europe/London")
	s := start.In(london)
	d, err := w.app.PostDemand(context.Background(), by, app.DemandInput{Title: title, ProblemType: "asb", Area: area,
		Priority: 3, BookingMode: "open", TimeZone: "Europe/London",
		StartLocal: s.Format("2006-01-02T15:04"), EndLocal: s.Add(3 * time.Hour).Format("2006-01-02T15:04"),
		Positions: []app.PositionInput{{Name: "Patrol", Kinds: kinds, Skills: skills, Headcount: 2}}})
	if err != nil {
		t.Fatalf("post %s: %v", title, err)
	}
	return d.Shifts[0].ID
}

func TestTheWeeklyDigestListsOnlyNewShiftsTheMemberMayBookInTheirAreas(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w := newRefWorld(t, s)
		a := w.app
		box := &mailbox{}
		a.Notify = box
		real := time.Now().UTC().Truncate(time.Minute)
		vol := []string{"volunteer"}
		u, err := a.CreateUser(ctx, app.NewUser{Email: "admin@example.org", Name: "Admin",
			Password: "correct horse battery", Roles: []domain.Role{domain.RoleAdmin}})
		if err != nil {
			t.Fatal(err)
		}
		admin := &domain.Principal{User: u}

		a.Now = func() time.Time { return real.Add(-8 * 24 * time.Hour) }
		postDemand(t, w, admin, "Old news", "DARL", real.Add(5*24*time.Hour), vol, nil)
		a.Now = func() time.Time { return real }
		postDemand(t, w, admin, "Near and open", "DARL", real.Add(3*24*time.Hour), vol, nil)
		postDemand(t, w, admin, "Next door", "DARL-N1", real.Add(4*24*time.Hour), vol, nil)
		postDemand(t, w, admin, "Far away", "DUR-CITY", real.Add(3*24*time.Hour), vol, nil)
		postDemand(t, w, admin, "Officers only", "DARL", real.Add(3*24*time.Hour), []string{"bank_officer"}, nil)
		postDemand(t, w, admin, "First aiders", "DARL", real.Add(3*24*time.Hour), vol, []string{"first_aid"})

		w.member(t, "dig@example.org", "DARL-N1", domain.KindVolunteer)
		for range 2 {
			if _, err := a.SendDigests(ctx); err != nil {
				t.Fatal(err)
			}
		}
		got := box.to("dig@example.org")
		if len(got) != 1 {
			t.Fatalf("the member got %d digest(s), want one: %+v", len(got), got)
		}
		for _, want := range []string{"Near and open", "Next door"} {
			if !strings.Contains(got[0].Text, want) {
				t.Errorf("the digest leaves out %q:\n%s", want, got[0].Text)
			}
		}
		for _, not := range []string{"Old news", "Far away", "Officers only", "First aiders"} {
			if strings.Contains(got[0].Text, not) {
				t.Errorf("the digest lists %q:\n%s", not, got[0].Text)
			}
		}
		if !strings.HasPrefix(got[0].Subject, "2 new shift") {
			t.Errorf("the digest's subject is %q", got[0].Subject)
		}
	})
}
