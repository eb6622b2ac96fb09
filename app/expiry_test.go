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

// scopedCoordinator is a coordinator account scoped to the area of code.
func scopedCoordinator(t *testing.T, w *refWorld, email, code string) domain.User {
	t.Helper()
	ctx := context.Background()
	u, err := w.app.CreateUser(ctx, app.NewUser{Email: email, Name: "Coordinator " + code,
		Password: "correct horse battery", Roles: []domain.Role{domain.RoleCoordinator}, Areas: []string{code}})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestExpiryWarningsReachTheMemberAndTheirCoordinatorsOnly(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w := newRefWorld(t, s)
		a := w.app
		box := &mailbox{}
		a.Notify = box
		today := domain.DateOf(time.Now().UTC())
		noon := func(d domain.Date) time.Time { return d.Start(time.UTC).Add(12 * time.Hour) }
		m := w.member(t, "exp@example.org", "DARL-N1", domain.KindVolunteer)
		scopedCoordinator(t, w, "darl@example.org", "DARL") // DARL-N1 lies in DARL
		scopedCoordinator(t, w, "force@example.org", "DUR") // and in the force
		scopedCoordinator(t, w, "city@example.org", "DUR-CITY")

		lapse := today.AddDays(100)
		if err := s.CreateClearance(ctx, domain.Clearance{ID: app.NewID(), MemberID: m.ID, Type: domain.NPPV2,
			GrantedOn: today.AddDays(-900), ExpiresOn: lapse, Status: domain.ClearanceActive,
			CreatedAt: time.Now(), UpdatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		skillLapse := today.AddDays(30)
		if err := s.PutMemberSkill(ctx, domain.MemberSkill{MemberID: m.ID, SkillID: w.firstAidSID,
			ObtainedOn: today.AddDays(-1000), ExpiresOn: &skillLapse}); err != nil {
			t.Fatal(err)
		}
		sweep := func(d domain.Date) {
			t.Helper()
			a.Now = func() time.Time { return noon(d) }
			for range 2 {
				if _, err := a.SendExpiryWarnings(ctx); err != nil {
					t.Fatalf("sweep on %s: %v", d, err)
				}
			}
		}
		count := func(addr, about string) int {
			n := 0
			for _, msg := range box.to(addr) {
				if strings.Contains(msg.Subject, about) {
					n++
				}
			}
			return n
		}

		// Today the skill is 30 days off: its 60-day warning, to the member
		// and both coordinators over DARL-N1, not to Durham City's.
		sweep(today)
		for _, addr := range []string{"exp@example.org", "darl@example.org", "force@example.org"} {
			if n := count(addr, "First aid"); n != 1 {
				t.Errorf("%s heard %d first-aid warning(s), want 1", addr, n)
			}
		}
		if n := len(box.to("city@example.org")); n != 0 {
			t.Errorf("the out-of-scope coordinator heard %d warning(s)", n)
		}
		if n := count("exp@example.org", "NPPV2"); n != 0 {
			t.Errorf("the clearance 100 days off was warned of %d time(s)", n)
		}
		// 14 days before the skill lapses: its second warning.
		sweep(skillLapse.AddDays(-14))
		if n := count("exp@example.org", "First aid"); n != 2 {
			t.Errorf("14 days ahead the member has %d first-aid warning(s), want 2", n)
		}
		// The clearance: 60 days, again the next day, then 14 days ahead.
		sweep(lapse.AddDays(-60))
		sweep(lapse.AddDays(-59))
		if n, c := count("exp@example.org", "NPPV2"), count("darl@example.org", "NPPV2"); n != 1 || c != 1 {
			t.Errorf("60 days ahead: member %d, coordinator %d clearance warning(s); want 1 each", n, c)
		}
		sweep(lapse.AddDays(-14))
		sweep(lapse.AddDays(-1))
		if n, c := count("exp@example.org", "NPPV2"), count("force@example.org", "NPPV2"); n != 2 || c != 2 {
			t.Errorf("14 days ahead: member %d, coordinator %d clearance warning(s); want 2 each", n, c)
		}
		if n := len(box.to("city@example.org")); n != 0 {
			t.Errorf("the out-of-scope coordinator heard %d warning(s)", n)
		}
	})
}
