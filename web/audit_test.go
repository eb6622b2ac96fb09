package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func auditItems(t *testing.T, r resp) []map[string]any {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("audit: %d %s", r.status, r.raw)
	}
	var out []map[string]any
	for _, it := range r.body["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

func TestEveryChangeAndVettingReadIsAuditedWithoutPersonalValues(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		memberID, token := e.memberLogin("sam", memberOpts{})
		r := e.do(http.MethodPatch, "/api/v1/members/"+memberID, token, map[string]any{"phone": "07700 900123"},
			"X-Request-ID", "req-phone-change")
		if r.status != http.StatusOK {
			t.Fatalf("patch: %d %s", r.status, r.raw)
		}
		// A refused change writes nothing.
		if r := e.do(http.MethodPatch, "/api/v1/members/"+memberID, token, map[string]any{"status": "active"}); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("a member changing their own status: %d %s", r.status, r.raw)
		}
		if r := e.do(http.MethodGet, "/api/v1/members/"+memberID, e.coordinator, nil); r.status != http.StatusOK {
			t.Fatalf("get: %d", r.status)
		}
		sh := shiftsOf(e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour))}))[0]
		b := e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", token, map[string]any{"position_id": sh[1]})
		if b.status != http.StatusCreated {
			t.Fatalf("book: %d %s", b.status, b.raw)
		}
		bookingID := b.body["id"].(string)
		if r := e.do(http.MethodPost, "/api/v1/bookings/"+bookingID+"/cancel", token, map[string]any{}); r.status != http.StatusOK {
			t.Fatalf("cancel: %d %s", r.status, r.raw)
		}

		updates := auditItems(t, e.do(http.MethodGet, "/api/v1/audit?entity=member&entity_id="+memberID+"&action=member.update", e.admin, nil))
		if len(updates) != 1 {
			t.Fatalf("%d member.update entries, want 1 (the refused change writes none)", len(updates))
		}
		u := updates[0]
		if u["request_id"] != "req-phone-change" || u["address"] != "127.0.0.1" || u["actor_label"] != "member" {
			t.Fatalf("entry lacks request, address or actor: %v", u)
		}
		if strings.Contains(string(e.do(http.MethodGet, "/api/v1/audit", e.admin, nil).raw), "07700") {
			t.Fatal("the audit log holds the phone number itself")
		}
		changed := u["after"].(map[string]any)["fields_changed"].([]any)
		if len(changed) != 1 || changed[0] != "phone" {
			t.Fatalf("fields_changed = %v", changed)
		}
		if n := len(auditItems(t, e.do(http.MethodGet, "/api/v1/audit?action=member.read_vetting&entity_id="+memberID, e.admin, nil))); n != 1 {
			t.Fatalf("%d vetting reads logged, want 1", n)
		}
		booking := auditItems(t, e.do(http.MethodGet, "/api/v1/audit?entity=booking&entity_id="+bookingID, e.admin, nil))
		if len(booking) != 2 || booking[0]["action"] != "booking.create" || booking[1]["action"] != "booking.cancel" {
			t.Fatalf("booking history: %v", booking)
		}
		for _, tok := range []string{e.coordinator, token} {
			if r := e.do(http.MethodGet, "/api/v1/audit", tok, nil); r.status != http.StatusForbidden {
				t.Fatalf("a non-admin reads the audit log: %d", r.status)
			}
		}
		page := e.do(http.MethodGet, "/api/v1/audit?limit=2", e.admin, nil)
		if len(auditItems(t, page)) != 2 || page.body["next_cursor"] == nil {
			t.Fatalf("paging: %s", page.raw)
		}
		next := e.do(http.MethodGet, "/api/v1/audit?limit=2&cursor="+page.body["next_cursor"].(string), e.admin, nil)
		if items := auditItems(t, next); len(items) == 0 || items[0]["id"] == auditItems(t, page)[1]["id"] {
			t.Fatalf("the next page repeats or is empty: %s", next.raw)
		}
		if r := e.do(http.MethodGet, "/api/v1/audit?from=2020-01-01&to=2020-01-02", e.admin, nil); len(auditItems(t, r)) != 0 {
			t.Fatalf("a range with nothing in it: %s", r.raw)
		}
	})
}
