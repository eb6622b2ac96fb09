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

func TestSeedDemoHasCoursesAFullSessionWithAWaitlistAndBothPathways(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t, db.SQLite)
	ctx := context.Background()
	cfg := app.DefaultConfig()
	cfg.PasswordMemoryKiB = 1024
	a := app.New(s, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	now := time.Now().UTC()
	a.Now = func() time.Time { return now }
	if _, err := demo.Seed(ctx, a, func(string, int) {}); err != nil {
		t.Fatal(err)
	}
	courses, err := s.Courses(ctx, "", 100)
	if err != nil || len(courses) < 4 {
		t.Fatalf("courses %v, %v", courses, err)
	}
	sessions, err := s.CourseSessions(ctx, db.SessionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	full := false
	for _, cs := range sessions {
		if cs.Taken > cs.Capacity {
			t.Fatalf("session %s holds %d on %d places", cs.ID, cs.Taken, cs.Capacity)
		}
		full = full || (cs.Taken == cs.Capacity && cs.Waitlisted > 0)
	}
	if !full {
		t.Error("no session is full with a waiting list")
	}
	pathways, err := s.Pathways(ctx)
	if err != nil || len(pathways) != 2 {
		t.Fatalf("pathways %v, %v", pathways, err)
	}
	admin, err := s.UserByEmail(ctx, "admin@demo.copbank.uk")
	if err != nil {
		t.Fatal(err)
	}
	report, err := a.PathwayProgressReport(ctx, &domain.Principal{User: admin}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range report {
		if r.Members == 0 || r.AtMilestone[0] == r.Members {
			t.Errorf("%s: nobody is past the first milestone (%+v)", r.Pathway.Name, r)
		}
	}
}
