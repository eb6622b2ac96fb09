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

func TestAnExpiryWarningNamesTheCourseThatRenewsTheSkill(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w := newRefWorld(t, s)
		a := w.app
		box := &mailbox{}
		a.Notify = box
		today := domain.DateOf(time.Now().UTC())
		a.Now = func() time.Time { return today.Start(time.UTC).Add(12 * time.Hour) }
		m := w.member(t, "renew@example.org", "DARL-N1", domain.KindVolunteer)
		lapse := today.AddDays(30)
		if err := s.PutMemberSkill(ctx, domain.MemberSkill{MemberID: m.ID, SkillID: w.firstAidSID,
			ObtainedOn: today.AddDays(-1000), ExpiresOn: &lapse}); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateCourse(ctx, domain.Course{ID: app.NewID(), Code: "FA-1", Title: "First aid at work",
			SkillID: w.firstAidSID, CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.SendExpiryWarnings(ctx); err != nil {
			t.Fatal(err)
		}
		msgs := box.to("renew@example.org")
		if len(msgs) != 1 {
			t.Fatalf("%d messages, want the one warning", len(msgs))
		}
		if !strings.Contains(msgs[0].Text, "First aid at work course (FA-1) renews it") || !strings.HasSuffix(msgs[0].Link, "/training") {
			t.Fatalf("warning %q links %q; want it to name FA-1 and link to the training page", msgs[0].Text, msgs[0].Link)
		}
	})
}
