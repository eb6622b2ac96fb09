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

func TestSeedDemoHasOpportunitiesApplicationsAtEveryStageAndMembersPartWayAlongBothPathways(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t, db.SQLite)
	ctx := context.Background()
	cfg := app.DefaultConfig()
	cfg.PasswordMemoryKiB = 1024
	a := app.New(s, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	now := time.Now().UTC()
	a.Now = func() time.Time { return now }
	box := &mailbox{}
	a.Notify = box
	if _, err := demo.Seed(ctx, a, nil); err != nil {
		t.Fatal(err)
	}
	if n := box.count(); n != 0 {
		t.Errorf("seeding sent %d messages; its applicants are made up", n)
	}
	u, err := s.UserByEmail(ctx, "admin@demo.copbank.uk")
	if err != nil {
		t.Fatal(err)
	}
	admin := &domain.Principal{User: u}

	public, err := a.Opportunities(ctx, nil, app.OpportunityQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	areas := map[string]bool{}
	for _, o := range public {
		areas[o.AreaCode] = true
	}
	if len(public) < 5 || len(areas) < 4 {
		t.Errorf("%d open opportunities in %d areas, want several areas", len(public), len(areas))
	}
	all, err := a.Opportunities(ctx, admin, app.OpportunityQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[domain.OpportunityStatus]int{}
	for _, o := range all {
		statuses[o.Status]++
	}
	if statuses[domain.OpportunityDraft] == 0 || statuses[domain.OpportunityClosed] == 0 {
		t.Errorf("opportunities by status %v: want a draft and a closed one", statuses)
	}

	apps, err := a.Applications(ctx, admin, app.ApplicationQuery{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	byStage := map[domain.Stage]int{}
	for _, ap := range apps {
		byStage[ap.Stage]++
		d, err := a.Application(ctx, admin, ap.ID)
		if err != nil {
			t.Fatal(err)
		}
		if last := d.History[len(d.History)-1]; last.To != ap.Stage || len(d.History) < 1 {
			t.Errorf("application %s at %s: history %+v", ap.ID, ap.Stage, d.History)
		}
		if ap.Stage == domain.StageActive && (ap.MemberID == "" || len(d.History) != 6) {
			t.Errorf("an active application without its member or the full history: %+v", d)
		}
		if ap.Stage != domain.StageSubmitted && !d.History[0].At.Before(d.History[1].At) {
			t.Errorf("application %s moved the moment it arrived: %+v", ap.ID, d.History)
		}
	}
	for _, st := range domain.Stages() {
		if byStage[st] == 0 {
			t.Errorf("no application at %s (%v)", st, byStage)
		}
	}

	report, err := a.PathwayProgressReport(ctx, admin, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range report {
		if len(r.AtMilestone) < 3 || r.AtMilestone[2] == 0 {
			t.Errorf("%s: nobody has reached its hours milestone (%+v)", r.Pathway.Name, r)
		}
	}
}
