package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

func TestDashboardDrawsChartsFromTheData(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		samID, samToken := e.memberLogin("sam", memberOpts{})
		sh := shiftsOf(e.demand(map[string]any{"title": "Market patrol", "priority": 5, "start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour))}))[0]
		if r := e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", samToken, map[string]any{"position_id": sh[1]}); r.status != http.StatusCreated {
			t.Fatalf("book: %d %s", r.status, r.raw)
		}
		e.demand(map[string]any{"title": "Park watch", "priority": 1, "start_local": local(friday.Add(7 * 24 * time.Hour)),
			"end_local": local(friday.Add(7*24*time.Hour + 2*time.Hour))})
		if err := e.store.CreateClearance(context.Background(), domain.Clearance{ID: app.NewID(), MemberID: samID, Type: domain.DBSEnhancedAdults,
			GrantedOn: domain.Date{Year: 2024, Month: 2, Day: 1}, ExpiresOn: domain.Date{Year: 2027, Month: 2, Day: 11},
			Status: domain.ClearanceActive, CreatedAt: t0, UpdatedAt: t0}); err != nil {
			t.Fatal(err)
		}

		for _, who := range []string{"coord@example.org", "admin@example.org"} {
			t.Run(who+" sees the charts and their tables", func(t *testing.T) {
				b := e.browser(t)
				b.signIn(who)
				p := b.get("/dashboard")
				wantPage(t, p, http.StatusOK, `href="/dashboard" aria-current="page"`,
					"1 of 4 places filled (25%); priority-weighted 42%.",
					`<svg xmlns="http://www.w3.org/2000/svg"`, `role="img" aria-labelledby="fill-week-title fill-week-desc"`,
					`<title id="fill-week-title">Fill rate by week</title>`, `<desc id="fill-week-desc">`, "4 Jan: 50% (weighted 50%)", "11 Jan: 0% (weighted 0%)", "18 Jan: no shifts",
					`<td class="num">no shifts</td>`,
					`<title id="fill-area-title">Fill rate by area</title>`, "Durham City (DUR-N1): 25% (weighted 42%)",
					`<title id="hours-kind-title">Hours by kind of member</title>`, "Volunteer: 4 h", "Bank officer: 0 h",
					`<title id="expiring-title">Clearances expiring in the next 60 days</title>`, "week from 8 Feb: 1",
					`<th scope="row">Mon 4 Jan 2027</th><td class="num">2</td><td class="num">1</td><td class="num">50%</td><td class="num">50%</td>`,
					`<th scope="row">of which Enhanced DBS (adults)</th><td class="num">1</td>`, `class="bar alt"`)
				if n := strings.Count(p.body, "<svg"); n != 4 {
					t.Errorf("%d charts, want 4", n)
				}
			})
		}
		t.Run("a member gets 404", func(t *testing.T) {
			b := e.browser(t)
			b.signIn("sam@example.org")
			wantPage(t, b.get("/dashboard"), http.StatusNotFound)
			if strings.Contains(b.get("/shifts").body, `href="/dashboard"`) {
				t.Error("a member's nav links to the dashboard")
			}
		})
	})
}
