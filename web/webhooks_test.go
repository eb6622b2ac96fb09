package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestWebhookRegistrationShowsTheSecretOnceAndRefusesLocalAddresses(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		for _, u := range []string{"http://partner.example.org/hook", "https://localhost/hook", "https://127.0.0.1/hook",
			"https://10.0.0.1/hook", "https://[::1]/hook", "https://169.254.169.254/latest/meta-data"} {
			wantField(t, e.do(http.MethodPost, "/api/v1/webhooks", e.admin, map[string]any{"url": u}), http.StatusUnprocessableEntity, "url")
		}
		wantField(t, e.do(http.MethodPost, "/api/v1/webhooks", e.admin, map[string]any{"url": "https://partner.example.org/hook",
			"events": []string{"booking.confirmed", "booking.nonsense"}}), http.StatusUnprocessableEntity, "events")
		if r := e.do(http.MethodGet, "/api/v1/webhooks", e.admin, nil); r.status != http.StatusOK || len(r.body["items"].([]any)) != 0 {
			t.Fatalf("refused registrations stored: %d %s", r.status, r.raw)
		}

		r := e.do(http.MethodPost, "/api/v1/webhooks", e.admin, map[string]any{"url": "https://partner.invalid/hook", "events": []string{"demand.posted"}})
		if r.status != http.StatusCreated || len(r.body["secret"].(string)) < 32 || r.body["events"].([]any)[0] != "demand.posted" {
			t.Fatalf("register: %d %s", r.status, r.raw)
		}
		secret, id := r.body["secret"].(string), r.body["id"].(string)
		r = e.do(http.MethodPost, "/api/v1/webhooks", e.admin, map[string]any{"url": "https://other.example.org/hook"})
		if r.status != http.StatusCreated || len(r.body["events"].([]any)) != 7 {
			t.Fatalf("events left out: %d %s", r.status, r.raw)
		}
		list := e.do(http.MethodGet, "/api/v1/webhooks", e.admin, nil)
		if list.status != http.StatusOK || len(list.body["items"].([]any)) != 2 || strings.Contains(string(list.raw), secret) ||
			strings.Contains(string(list.raw), `"secret"`) {
			t.Fatalf("the list: %d %s", list.status, list.raw)
		}
		log := e.do(http.MethodGet, "/api/v1/webhooks/"+id+"/deliveries", e.admin, nil)
		if log.status != http.StatusOK || len(log.body["items"].([]any)) != 0 {
			t.Fatalf("the log: %d %s", log.status, log.raw)
		}
		if r := e.do(http.MethodGet, "/api/v1/webhooks/nope/deliveries", e.admin, nil); r.status != http.StatusNotFound {
			t.Errorf("an unknown endpoint's log: %d", r.status)
		}
		_, sam := e.memberLogin("sam", memberOpts{})
		for _, tok := range []string{e.coordinator, sam} {
			if r := e.do(http.MethodPost, "/api/v1/webhooks", tok, map[string]any{"url": "https://partner.example.org/"}); r.status != http.StatusForbidden {
				t.Errorf("a non-admin registers: %d %s", r.status, r.raw)
			}
			if r := e.do(http.MethodGet, "/api/v1/webhooks", tok, nil); r.status != http.StatusForbidden {
				t.Errorf("a non-admin lists: %d %s", r.status, r.raw)
			}
		}
	})
}

func TestAdminRegistersAWebhookOnItsPage(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.memberLogin("sam", memberOpts{})
		for _, who := range []string{"sam@example.org", "coord@example.org"} {
			b := e.browser(t)
			b.signIn(who)
			wantPage(t, b.get("/admin/webhooks"), http.StatusNotFound)
		}
		admin := e.browser(t)
		admin.signIn("admin@example.org")
		wantPage(t, admin.get("/admin/webhooks"), http.StatusOK, "No endpoints yet", `<label for="url">`, `<legend>Events to send</legend>`)
		p := admin.post("/admin/webhooks", "/admin/webhooks", url.Values{"url": {"http://10.0.0.1/hook"}})
		wantPage(t, p, http.StatusUnprocessableEntity, `<a href="#url">Endpoint address`, `aria-invalid="true"`, `value="http://10.0.0.1/hook"`)
		p = admin.post("/admin/webhooks", "/admin/webhooks", url.Values{"url": {"https://partner.example.org/copbank"}, "events": {"shift.at_risk"}})
		wantPage(t, p, http.StatusCreated, "shown this once", "https://partner.example.org/copbank", "Sent: shift.at_risk")
		secret := p.body[strings.Index(p.body, `<code class="secret">`)+len(`<code class="secret">`):]
		secret = secret[:strings.Index(secret, "<")]
		if len(secret) != 64 {
			t.Fatalf("the secret shown is %q", secret)
		}
		if again := admin.get("/admin/webhooks"); strings.Contains(again.body, secret) {
			t.Error("the secret is shown again")
		}
	})
}
