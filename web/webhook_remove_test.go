package web_test

import (
	"net/http"
	"regexp"
	"testing"
)

var removeHookRe = regexp.MustCompile(`action="(/admin/webhooks/[^"]+/remove)"`)

func TestAnAdminRemovesAWebhookByTheAPIAndFromThePage(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		r := e.do(http.MethodPost, "/api/v1/webhooks", e.admin, map[string]any{"url": "https://one.example.org/hook"})
		if r.status != http.StatusCreated {
			t.Fatalf("register: %d %s", r.status, r.raw)
		}
		id := r.body["id"].(string)
		if d := e.do(http.MethodDelete, "/api/v1/webhooks/"+id, e.coordinator, nil); d.status != http.StatusForbidden {
			t.Fatalf("a coordinator removing: %d %s", d.status, d.raw)
		}
		if d := e.do(http.MethodDelete, "/api/v1/webhooks/"+id, e.admin, nil); d.status != http.StatusNoContent {
			t.Fatalf("remove: %d %s", d.status, d.raw)
		}
		if d := e.do(http.MethodDelete, "/api/v1/webhooks/"+id, e.admin, nil); d.status != http.StatusNotFound {
			t.Fatalf("remove again: %d %s", d.status, d.raw)
		}
		if l := e.do(http.MethodGet, "/api/v1/webhooks/"+id+"/deliveries", e.admin, nil); l.status != http.StatusNotFound {
			t.Fatalf("the removed endpoint's log: %d %s", l.status, l.raw)
		}
		if got := e.auditActions("webhook.delete"); len(got) != 1 {
			t.Fatalf("audited removals: %v", got)
		}

		if r := e.do(http.MethodPost, "/api/v1/webhooks", e.admin, map[string]any{"url": "https://two.example.org/hook"}); r.status != http.StatusCreated {
			t.Fatalf("register: %d %s", r.status, r.raw)
		}
		admin := e.browser(t)
		admin.signIn("admin@example.org")
		m := removeHookRe.FindStringSubmatch(admin.get("/admin/webhooks").body)
		if m == nil {
			t.Fatal("no Remove button")
		}
		p := admin.post("/admin/webhooks", m[1], nil)
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/admin/webhooks" {
			t.Fatalf("remove from the page: %d %q", p.status, p.header.Get("Location"))
		}
		wantPage(t, admin.get("/admin/webhooks"), http.StatusOK, "The endpoint is removed", "No endpoints yet")
	})
}
