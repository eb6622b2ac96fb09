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

func TestAMatchRunIsAJobThatAnyWorkingInstanceRuns(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w := newRefWorld(t, s)
		a := w.app
		real := time.Now().UTC()
		a.Now = func() time.Time { return real }
		coord := coordinator(t, w)
		// The run works in its creator's stored scope.
		if err := s.SetUserAreas(ctx, coord.User.ID, []string{w.areas["DARL"].ID}); err != nil {
			t.Fatal(err)
		}
		openShifts(t, w, coord, real.Add(72*time.Hour), 2, 1)
		w.member(t, "ola@example.org", "DARL-N1", domain.KindVolunteer)
		w.member(t, "wai@example.org", "DARL-N1", domain.KindVolunteer)
		day := domain.DateOf(real.In(a.Config.TimeZone))
		run, err := a.StartMatchRun(ctx, coord, domain.MatchParams{From: day.String(), To: day.AddDays(7).String(), TimeLimitMs: 200})
		if err != nil {
			t.Fatal(err)
		}
		if n, err := a.PendingJobs(ctx); err != nil || n != 1 {
			t.Fatalf("%d jobs pending after starting a run (err %v), want its one job", n, err)
		}
		runJobs(t, a)
		eventually(t, "the queue runs the match", func() bool {
			got, err := a.GetMatchRun(ctx, coord, run.ID)
			return err == nil && got.Status == domain.MatchDone
		})
		got, _ := a.GetMatchRun(ctx, coord, run.ID)
		if got.Metrics.Places != 2 || got.Metrics.Filled != 2 || len(got.Proposals) != 2 {
			t.Fatalf("run %s", app.DescribeRun(got))
		}
	})
}
