package app_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/domain"
)

func TestRetentionAnonymisesOnlyMembersInactiveForTheWholePeriod(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w := newRefWorld(t, s)
		a := w.app
		start := a.Now()
		at := func(months int) { // moves the app's clock to start + months
			now := start.AddDate(0, months, 0)
			a.Now = func() time.Time { return now }
		}
		idle := w.member(t, "idle@example.org", "DARL-N1", domain.KindVolunteer)
		changed := w.member(t, "changed@example.org", "DARL-N1", domain.KindVolunteer)
		signedIn := w.member(t, "signed@example.org", "DARL-N1", domain.KindVolunteer)
		if _, err := a.CreateUser(ctx, app.NewUser{Email: "signed@example.org", Name: "Signed", Password: "a long test password",
			Roles: []domain.Role{domain.RoleMember}, MemberID: signedIn.ID}); err != nil {
			t.Fatal(err)
		}

		at(2)
		if _, err := a.Login(ctx, "signed@example.org", "a long test password", "10.0.0.1"); err != nil {
			t.Fatal(err)
		}
		at(20)
		phone := "0191 000 0000"
		if _, err := a.UpdateMember(ctx, w.admin, changed.ID, app.MemberUpdate{Phone: &phone}); err != nil {
			t.Fatal(err)
		}
		// Reading a member is not activity.
		if _, err := a.Member(ctx, w.admin, idle.ID); err != nil {
			t.Fatal(err)
		}

		at(25) // the cut-off is month 1: only idle has done nothing since
		done, err := a.RunRetention(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(done) != 1 || done[0].MemberID != idle.ID {
			t.Fatalf("month 25 anonymised %+v, want only %s", done, idle.ID)
		}
		m, err := s.MemberByID(ctx, idle.ID)
		if err != nil || strings.Contains(m.Name, "Sam") || strings.Contains(m.Email, "idle") || m.Status != domain.MemberArchived {
			t.Fatalf("idle after retention: %+v %v", m, err)
		}
		entries, err := s.AuditEntries(ctx, domain.AuditFilter{Action: "retention.erase"})
		if err != nil || len(entries) != 1 || entries[0].MemberID != idle.ID || entries[0].ActorLabel != "system" ||
			!strings.Contains(string(entries[0].After), `"reason":"retention"`) {
			t.Fatalf("audit: %+v %v", entries, err)
		}

		at(27) // cut-off month 3: the sign-in at month 2 is too old now
		if done, err = a.RunRetention(ctx); err != nil || len(done) != 1 || done[0].MemberID != signedIn.ID {
			t.Fatalf("month 27: %+v %v", done, err)
		}
		users, err := s.UsersOfMember(ctx, signedIn.ID)
		if err != nil || len(users) != 1 || users[0].DisabledAt == nil || users[0].Email == "signed@example.org" {
			t.Fatalf("the account after retention: %+v %v", users, err)
		}
		if done, err = a.RunRetention(ctx); err != nil || len(done) != 0 {
			t.Fatalf("a second run the same day: %+v %v", done, err)
		}

		a.Config.RetentionMonths = 0
		at(60)
		if done, err = a.RunRetention(ctx); err != nil || len(done) != 0 {
			t.Fatalf("retention off: %+v %v", done, err)
		}
		a.Config.RetentionMonths = 24
		if done, err = a.RunRetention(ctx); err != nil || len(done) != 1 || done[0].MemberID != changed.ID {
			t.Fatalf("month 60: %+v %v", done, err)
		}
	})
}

func TestTheRetentionPeriodIsConfigured(t *testing.T) {
	t.Parallel()
	c, err := app.LoadConfig(func(string) string { return "" })
	if err != nil || c.RetentionMonths != 24 {
		t.Fatalf("default: %d %v", c.RetentionMonths, err)
	}
	c, err = app.LoadConfig(func(k string) string { return map[string]string{"COPBANK_RETENTION_MONTHS": "36"}[k] })
	if err != nil || c.RetentionMonths != 36 {
		t.Fatalf("36: %d %v", c.RetentionMonths, err)
	}
	if _, err := app.LoadConfig(func(k string) string { return map[string]string{"COPBANK_RETENTION_MONTHS": "two years"}[k] }); err == nil {
		t.Fatal("a retention period that is not a number was taken")
	}
}

func TestTheLogNotifierLogsTheLink(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	n := app.LogNotifier{Log: slog.New(slog.NewTextHandler(&buf, nil))}
	if err := n.Send(context.Background(), app.Message{To: "sam@example.org", Subject: "Invited", Text: "hello",
		Link: "http://localhost:8080/invite/abc123"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "http://localhost:8080/invite/abc123") {
		t.Fatalf("the log line has no link: %s", buf.String())
	}
}
