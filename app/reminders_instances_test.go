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

// Two instances, each with its own pool and River client, on one
// PostgreSQL database: the periodic sweeps run on one of them at a time and
// nothing is sent twice.
func TestTwoInstancesShareThePeriodicSweepsWithoutSendingTwice(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := dbtest.NewURL(t, db.Postgres)
	open := func() *db.Store {
		s, err := db.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	s1, s2 := open(), open()
	w := newRefWorld(t, s1)
	a1 := w.app
	a2, _ := newApp(t, s2)
	real := time.Now().UTC()
	a1.Now = func() time.Time { return real }
	a2.Now = a1.Now
	box1, box2 := &mailbox{}, &mailbox{}
	a1.Notify, a2.Notify = box1, box2

	coord := coordinator(t, w)
	soon := openShifts(t, w, coord, real.Add(90*time.Minute), 1, 2)
	openShifts(t, w, coord, real.Add(50*time.Hour), 1, 2) // for the digest
	m := w.member(t, "two@example.org", "DARL-N1", domain.KindVolunteer)
	if _, err := a1.Book(ctx, signedIn(t, w, m), app.BookInput{ShiftID: soon[0][0], PositionID: soon[0][1]}); err != nil {
		t.Fatal(err)
	}
	scopedCoordinator(t, w, "scope@example.org", "DARL")
	lapse := domain.DateOf(real).AddDays(10)
	if err := s1.PutMemberSkill(ctx, domain.MemberSkill{MemberID: m.ID, SkillID: w.firstAidSID,
		ObtainedOn: lapse.AddDays(-1000), ExpiresOn: &lapse}); err != nil {
		t.Fatal(err)
	}

	for _, a := range []*app.App{a1, a2} {
		stop, err := a.RunJobs(ctx, app.JobOptions{PollInterval: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := stop(ctx); err != nil {
				t.Errorf("stop jobs: %v", err)
			}
		})
	}
	all := func(addr, subject string) int {
		n := 0
		for _, b := range []*mailbox{box1, box2} {
			for _, msg := range b.to(addr) {
				if strings.HasPrefix(msg.Subject, subject) || strings.Contains(msg.Subject, subject) {
					n++
				}
			}
		}
		return n
	}
	done := func() bool {
		return all("two@example.org", "Reminder:") >= 1 && all("two@example.org", "First aid") >= 1 &&
			all("scope@example.org", "First aid") >= 1 && all("two@example.org", "near you") >= 1 &&
			all("two@example.org", "Place confirmed") >= 1
	}
	eventually(t, "the reminder, the expiry warnings, the digest and the confirmation are sent", done)
	time.Sleep(time.Second) // room for a second sending, were there one
	for _, c := range []struct{ addr, subject string }{
		{"two@example.org", "Reminder:"}, {"two@example.org", "First aid"}, {"scope@example.org", "First aid"},
		{"two@example.org", "near you"}, {"two@example.org", "Place confirmed"},
	} {
		if n := all(c.addr, c.subject); n != 1 {
			t.Errorf("%s got %d message(s) about %q, want 1", c.addr, n, c.subject)
		}
	}
}
