package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/copbank/copbank/domain"
)

func TestTheInvitationAndResetLinksOpenAPageToChooseAPassword(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		memberID := e.member("invitee", memberOpts{})
		secret := e.invitation(memberID)
		link := "/invite/" + secret
		b := e.browser(t)
		wantPage(t, b.get(link), http.StatusOK, "<h1>Choose your password</h1>", `autocomplete="new-password"`)
		if _, err := e.store.UserByEmail(context.Background(), "invitee@example.org"); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("opening the page spent the link: %v", err)
		}

		wantPage(t, b.post(link, link, url.Values{"password": {"a long new password"}, "confirm": {"a long new passwrod"}}),
			http.StatusUnprocessableEntity, "There is a problem", `<a href="#confirm">`)
		wantPage(t, b.post(link, link, url.Values{"password": {"short"}, "confirm": {"short"}}),
			http.StatusUnprocessableEntity, "Your password must be at least 12 characters")
		done := b.post(link, link, url.Values{"password": {"a long new password"}, "confirm": {"a long new password"}})
		if done.status != http.StatusSeeOther || done.header.Get("Location") != "/sign-in" {
			t.Fatalf("setting the password: %d %s", done.status, done.header.Get("Location"))
		}
		if _, err := e.app.Login(context.Background(), "invitee@example.org", "a long new password", "127.0.0.1"); err != nil {
			t.Fatalf("sign in with the chosen password: %v", err)
		}
		again := b.post(link, link, url.Values{"password": {"another long password"}, "confirm": {"another long password"}})
		wantPage(t, again, http.StatusGone, "This link cannot be used")
		if strings.Contains(again.body, `name="password"`) {
			t.Error("a spent link still shows the form")
		}

		e.login("forgetful@example.org", []domain.Role{domain.RoleCoordinator}, "", nil)
		reset := "/reset-password/" + e.resetLink("forgetful@example.org")
		wantPage(t, b.get(reset), http.StatusOK, "<h1>Choose a new password</h1>")
		if r := b.post(reset, reset, url.Values{"password": {"a fresh long password"}, "confirm": {"a fresh long password"}}); r.status != http.StatusSeeOther {
			t.Fatalf("reset: %d %.300s", r.status, r.body)
		}
		if _, err := e.app.Login(context.Background(), "forgetful@example.org", "a fresh long password", "127.0.0.1"); err != nil {
			t.Fatalf("sign in after the reset: %v", err)
		}
	})
}
