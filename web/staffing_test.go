package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/copbank/copbank/domain"
)

func TestTheCandidateFinderListsMembersInScopeWithTheRulesTheyFail(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		sh := shiftsOf(e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour)),
			"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "min_vetting": "NPPV2", "headcount": 1}}}))[0]
		able := e.member("Alex Able", memberOpts{})
		e.member("Alex Unvetted", memberOpts{vetting: domain.NPPV1})
		e.member("Zed Other", memberOpts{})
		path := "/api/v1/shifts/" + sh[0] + "/candidates?position_id=" + sh[1] + "&q=" + url.QueryEscape("alex")
		r := e.do(http.MethodGet, path, e.coordinator, nil)
		if r.status != 200 {
			t.Fatalf("candidates: %d %s", r.status, r.raw)
		}
		items := r.body["items"].([]any)
		if len(items) != 2 {
			t.Fatalf("%d candidates for %q, want the two Alexes: %s", len(items), "alex", r.raw)
		}
		first, second := items[0].(map[string]any), items[1].(map[string]any)
		if first["member_id"] != able || len(first["failed_rules"].([]any)) != 0 {
			t.Fatalf("first candidate %v, want Alex Able passing every rule", first)
		}
		if rules := second["failed_rules"].([]any); len(rules) != 1 || rules[0] != domain.RuleVettingValid {
			t.Fatalf("second candidate %v, want vetting_valid failed", second)
		}

		_, memberToken := e.memberLogin("nosy", memberOpts{})
		if r := e.do(http.MethodGet, path, memberToken, nil); r.status != 404 {
			t.Fatalf("a member asking for candidates: %d, want 404", r.status)
		}
		if r := e.do(http.MethodGet, "/api/v1/shifts/"+sh[0]+"/candidates", e.coordinator, nil); r.status != 422 {
			t.Fatalf("no position_id: %d, want 422", r.status)
		}
	})
}

func TestCoordinatorsSeeNamesOnTheShiftsBookingsAndWaitlist(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		sh := shiftsOf(e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour)),
			"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "headcount": 1}}}))[0]
		if r := e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", e.coordinator, map[string]any{"position_id": sh[1], "member_id": e.member("Booked Bea", memberOpts{})}); r.status != 201 {
			t.Fatalf("book: %s", r.raw)
		}
		if r := e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/waitlist", e.coordinator, map[string]any{"position_id": sh[1], "member_id": e.member("Waiting Will", memberOpts{})}); r.status != 201 {
			t.Fatalf("waitlist: %s", r.raw)
		}
		r := e.do(http.MethodGet, "/api/v1/shifts/"+sh[0], e.coordinator, nil)
		names := map[string]string{}
		for _, b := range r.body["bookings"].([]any) {
			b := b.(map[string]any)
			names[b["status"].(string)], _ = b["member_name"].(string)
		}
		if names["confirmed"] != "Booked Bea" || names["waitlisted"] != "Waiting Will" {
			t.Fatalf("names by status %v, want Booked Bea confirmed and Waiting Will waitlisted: %s", names, r.raw)
		}
	})
}
