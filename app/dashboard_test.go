package app_test

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

func TestDashboardOfTheDemoData(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		cfg := app.DefaultConfig()
		cfg.PasswordMemoryKiB = 1024
		a := app.New(s, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
		now := time.Date(2027, 1, 6, 12, 0, 0, 0, time.UTC) // a Wednesday
		a.Now = func() time.Time { return now }
		if _, err := demo.Seed(ctx, a, nil); err != nil {
			t.Fatal(err)
		}
		admin := &domain.Principal{User: domain.User{ID: "admin", Roles: []domain.Role{domain.RoleAdmin}}}
		all, err := a.Dashboard(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		t.Run("whole weeks from Monday, four back and four ahead", func(t *testing.T) {
			if all.From.String() != "2026-12-07" || all.To.String() != "2027-02-01" || len(all.Weeks) != 8 || all.Weeks[4].Start.String() != "2027-01-04" {
				t.Fatalf("from %s to %s, %d weeks", all.From, all.To, len(all.Weeks))
			}
		})
		t.Run("the demo's demand is partly filled and weighted by priority", func(t *testing.T) {
			if all.Total.Places == 0 || all.Total.Filled == 0 || all.Total.Filled > all.Total.Places {
				t.Fatalf("total %+v", all.Total)
			}
			var sum app.Fill
			for _, w := range all.Weeks {
				sum.Places += w.Places
				sum.Filled += w.Filled
			}
			if sum.Places != all.Total.Places || sum.Filled != all.Total.Filled {
				t.Errorf("weeks add up to %+v, total %+v", sum, all.Total)
			}
			if r := all.Total.WeightedRate(); r <= 0 || r > 1 {
				t.Errorf("weighted rate %v", r)
			}
			if len(all.Areas) == 0 {
				t.Error("no areas charted")
			}
		})
		t.Run("hours are counted by kind", func(t *testing.T) {
			total := 0.0
			for _, h := range all.Hours {
				total += h.Hours
			}
			if len(all.Hours) != 3 || total <= 0 {
				t.Errorf("hours %+v", all.Hours)
			}
		})
		t.Run("a coordinator sees only their area", func(t *testing.T) {
			areas, err := s.Areas(ctx, "", 1000)
			if err != nil {
				t.Fatal(err)
			}
			var la domain.Area
			for _, ar := range areas {
				if ar.Kind == domain.AreaLocalAuthority {
					la = ar
					break
				}
			}
			coord := &domain.Principal{User: domain.User{ID: "coord", Roles: []domain.Role{domain.RoleCoordinator}, Areas: []domain.Area{la}}}
			mine, err := a.Dashboard(ctx, coord)
			if err != nil {
				t.Fatal(err)
			}
			if mine.Total.Places > all.Total.Places || mine.Expiring > all.Expiring {
				t.Errorf("a coordinator of %s sees %+v (%d expiring), more than everything %+v (%d)", la.Code, mine.Total, mine.Expiring, all.Total, all.Expiring)
			}
			for _, af := range mine.Areas {
				if af.Code == la.Code {
					continue
				}
				ar, _ := s.AreaByCode(ctx, af.Code)
				if !ar.Within(la.Path) {
					t.Errorf("area %s is outside %s", af.Code, la.Code)
				}
			}
		})
		t.Run("members have no dashboard", func(t *testing.T) {
			_, err := a.Dashboard(ctx, &domain.Principal{User: domain.User{ID: "m", Roles: []domain.Role{domain.RoleMember}}})
			if domain.ErrorCode(err) != domain.EForbidden {
				t.Errorf("err %v, want forbidden", err)
			}
		})
	})
}
