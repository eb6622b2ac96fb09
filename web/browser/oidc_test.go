package browser_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/web/oidctest"
)

// A coordinator signs in with their force account: copbank's button, the
// force's own login page (a real OpenID Connect provider in the test
// process), back to copbank signed in as the account with that email, then
// out again.
func TestForceAccountJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journeys are not short")
	}
	var provider *oidctest.Provider
	s := startSite(t, func(cfg *app.Config, url string) {
		cfg.BaseURL = url
		provider = oidctest.Start(t, cfg.OIDCRedirectURL(), oidctest.User{
			Username: "c.demo", Password: "force password", Email: strings.ToUpper(coordinator), EmailVerified: true})
		cfg.OIDCIssuer = provider.Issuer
		cfg.OIDCClientID = oidctest.ClientID
		cfg.OIDCClientSecret = oidctest.ClientSecret
	})

	b := s.newTab(t, 320, 640)
	b.open("/sign-in", atSignIn)
	b.wantText("Police staff", "Sign in with your force account")
	b.leaves(click(`#force-sign-in`))
	if loc := b.where(); !strings.HasPrefix(loc, provider.Issuer+"/login/") {
		t.Fatalf("the button went to %s, not the force's login page", loc)
	}
	b.fill("username", "c.demo")
	b.fill("password", "force password")
	b.navigates(atShifts, click(`button[type="submit"]`))
	if header := b.text("header"); !strings.Contains(header, "Sign out") || !strings.Contains(header, "Board") {
		t.Fatalf("not signed in as the coordinator; the header says: %.400s", header)
	}
	b.screenshotView("force-account-signed-in")

	b.navigates(atSignIn, click(`//header//button[normalize-space(.)='Sign out']`))
	b.wantText("You have signed out.")
	b.open("/shifts", regexp.MustCompile(`^/sign-in`))
}
