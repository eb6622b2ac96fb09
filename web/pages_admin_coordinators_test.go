package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAnAdminInvitesACoordinatorWithTheirAreasFromThePages(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		b := e.browser(t)
		b.signIn("admin@example.org")
		const form = "/admin/coordinators/new"
		wantPage(t, b.get(form), http.StatusOK, `<label for="name">`, `<label for="email">`, `<legend>Areas they coordinate</legend>`,
			`value="DUR-N1"`)
		p := b.post(form, form, url.Values{"name": {"Casey"}, "email": {"not an email"}})
		wantPage(t, p, http.StatusUnprocessableEntity, `class="error-summary"`, `href="#email"`, `href="#areas"`, `value="Casey"`,
			`id="areas-error"`)
		p = b.post(form, form, url.Values{"name": {"Casey Coord"}, "email": {"casey@example.org"}, "areas": {"DUR-N1"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("invite: %d %.400s", p.status, p.body)
		}
		wantPage(t, b.get(form), http.StatusOK, "Invited Casey Coord")
		u, err := e.store.UserByEmail(context.Background(), "casey@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if len(u.Areas) != 1 || u.Areas[0].Code != "DUR-N1" || !u.Has("coordinator") || u.PasswordHash != "" {
			t.Fatalf("the account: %+v", u)
		}
		sent := e.sent.to("casey@example.org")
		if len(sent) != 1 || !strings.Contains(sent[0].Link, "/reset-password/") {
			t.Fatalf("the invitation email: %+v", sent)
		}
		secret := sent[0].Link[strings.LastIndex(sent[0].Link, "/")+1:]
		if r := e.do(http.MethodPost, "/api/v1/auth/password-reset/confirm", "", map[string]any{"token": secret, "password": "a long new password"}); r.status >= 300 {
			t.Fatalf("spend the link: %d %s", r.status, r.raw)
		}
		if _, err := e.app.Login(context.Background(), "casey@example.org", "a long new password", "127.0.0.1"); err != nil {
			t.Fatalf("the new coordinator cannot sign in: %v", err)
		}

		c := coordBrowser(t, e)
		wantPage(t, c.get(form), http.StatusNotFound)
	})
}
