package web_test

import (
	"context"
	"net/http"
	"testing"
)

func TestLeaveTakesEffectAndCanBeWithdrawn(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		id, token := e.memberLogin("sam", memberOpts{})
		base := "/api/v1/members/" + id
		av := e.do(http.MethodPost, base+"/availability", token, map[string]any{"rrule": "RRULE:FREQ=WEEKLY;BYDAY=FR",
			"start_local": "2027-01-08T18:00", "duration_minutes": 360})
		if av.status != 201 || av.body["rrule"] != "FREQ=WEEKLY;BYDAY=FR" {
			t.Fatalf("availability with the RRULE: prefix: %d %s", av.status, av.raw)
		}
		windows := func() []string {
			t.Helper()
			var starts []string
			for _, w := range itemsOf(t, e.do(http.MethodGet, base+"/availability/expanded?from=2027-01-04&to=2027-01-24", token, nil)) {
				starts = append(starts, w["start"].(string)[:10])
			}
			return starts
		}
		if got := windows(); len(got) != 3 {
			t.Fatalf("windows before leave: %v", got)
		}

		leave := e.do(http.MethodPost, base+"/leave", token, map[string]any{"from": "2027-01-15", "to": "2027-01-15", "reason": "wedding"})
		if leave.status != 201 {
			t.Fatalf("leave: %d %s", leave.status, leave.raw)
		}
		leaveID := leave.body["id"].(string)
		if got := windows(); len(got) != 2 || got[0] != "2027-01-08" || got[1] != "2027-01-22" {
			t.Fatalf("windows with leave on the 15th: %v, want the 8th and the 22nd", got)
		}
		listed := itemsOf(t, e.do(http.MethodGet, base+"/leave", token, nil))
		if len(listed) != 1 || listed[0]["id"] != leaveID || listed[0]["from"] != "2027-01-15" || listed[0]["to"] != "2027-01-15" {
			t.Fatalf("leave listed: %v", listed)
		}

		// The matcher sees no window on the leave day either.
		e.demand(map[string]any{"start_local": "2027-01-15T19:00", "end_local": "2027-01-15T23:00"})
		r := e.do(http.MethodPost, "/api/v1/match-runs", e.coordinator, map[string]any{"from": "2027-01-15", "to": "2027-01-15", "time_limit_ms": 200})
		if r.status != 202 {
			t.Fatalf("start a run: %d %s", r.status, r.raw)
		}
		if _, err := e.app.RunNextMatch(context.Background(), "test", nil); err != nil {
			t.Fatal(err)
		}
		run := e.do(http.MethodGet, "/api/v1/match-runs/"+r.body["id"].(string), e.coordinator, nil)
		open, _ := run.body["open"].([]any)
		if len(open) != 1 {
			t.Fatalf("open places: %s", run.raw)
		}
		excluded := open[0].(map[string]any)["excluded"].(map[string]any)
		if excluded["not_on_leave"] != float64(1) || excluded["in_availability"] != float64(1) {
			t.Fatalf("excluded %v, want not_on_leave 1 and in_availability 1", excluded)
		}

		if d := e.do(http.MethodDelete, base+"/leave/"+leaveID, token, nil); d.status != 204 {
			t.Fatalf("withdraw: %d %s", d.status, d.raw)
		}
		if got := windows(); len(got) != 3 {
			t.Fatalf("windows after the leave is withdrawn: %v", got)
		}
		if got := itemsOf(t, e.do(http.MethodGet, base+"/leave", token, nil)); len(got) != 0 {
			t.Fatalf("leave after withdrawal: %v", got)
		}
		if d := e.do(http.MethodDelete, base+"/leave/"+leaveID, token, nil); d.status != 404 {
			t.Fatalf("withdraw twice: %d %s", d.status, d.raw)
		}
		other, otherToken := e.memberLogin("alex", memberOpts{})
		mine := e.do(http.MethodPost, base+"/leave", token, map[string]any{"from": "2027-02-01", "to": "2027-02-02"})
		if d := e.do(http.MethodDelete, "/api/v1/members/"+other+"/leave/"+mine.body["id"].(string), otherToken, nil); d.status != 404 {
			t.Fatalf("withdraw another member's leave through one's own id: %d %s", d.status, d.raw)
		}
		audit := itemsOf(t, e.do(http.MethodGet, "/api/v1/audit?action=leave.withdraw", e.admin, nil))
		if len(audit) != 1 || audit[0]["entity_id"] != leaveID {
			t.Fatalf("audit of the withdrawal: %v", audit)
		}
	})
}
