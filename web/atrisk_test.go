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

func TestAShiftShortOfItsMinimumTwoDaysAheadIsToldToItsCoordinatorsOnce(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		other := e.mustArea(domain.Area{ID: app.NewID(), Code: "CLE", Name: "Cleveland", Kind: domain.AreaForce})
		e.login("elsewhere@example.org", []domain.Role{domain.RoleCoordinator}, "", []string{other.ID})
		// Thursday 7 January 20:00, three days after the clock's start.
		start := t0.Add(3*24*time.Hour + 11*time.Hour)
		sh := shiftsOf(e.demand(map[string]any{"start_local": local(start), "end_local": local(start.Add(3 * time.Hour)),
			"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "headcount": 3, "min_headcount": 2}}}))[0]
		if r := e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", e.coordinator, map[string]any{"position_id": sh[1], "member_id": e.member("sam", memberOpts{})}); r.status != 201 {
			t.Fatalf("book: %s", r.raw)
		}
		sweep := func() int {
			t.Helper()
			n, err := e.app.SendAtRiskWarnings(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := sweep(); n != 0 {
			t.Fatalf("%d warnings three days ahead, want none", n)
		}
		e.advance(36 * time.Hour)
		if n := sweep(); n != 1 {
			t.Fatalf("%d warnings 47 hours ahead, want one (the coordinator of DUR)", n)
		}
		got := e.sent.to("coord@example.org")
		if len(got) != 1 || !strings.Contains(got[0].Subject, "at risk") || !strings.Contains(got[0].Text, "1 of the 2 needed") ||
			!strings.Contains(got[0].Link, "/coord/shifts/"+sh[0]) {
			t.Fatalf("the coordinator was sent %+v", got)
		}
		if n := len(e.sent.to("elsewhere@example.org")); n != 0 {
			t.Fatalf("a coordinator of another area was told %d times", n)
		}
		e.advance(time.Hour)
		if n := sweep(); n != 0 || len(e.sent.to("coord@example.org")) != 1 {
			t.Fatalf("the sweep told of the same shift again (%d)", n)
		}
		if r := e.do(http.MethodGet, "/api/v1/shifts/"+sh[0], e.coordinator, nil); r.body["at_risk"] != true {
			t.Fatalf("the shift is not flagged at risk: %s", r.raw)
		}
		wantPage(t, coordBrowser(t, e).get("/coord/board?week=2027-W01"), http.StatusOK, `id="at-risk-title"`,
			`<a href="/coord/shifts/`+sh[0]+`">Evening patrol, Thu 7 Jan 2027`)
	})
}
