package browser_test

import (
	"regexp"
	"testing"
)

// The public face, signed out and at 320 px: the home page, the signposting
// pages and the neighbourhood activity pages, each checked by axe-core; then
// an admin saves a new version of a signposting page through its form.
func TestPublicPagesJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journeys are not short")
	}
	s := startSite(t)

	t.Run("a visitor reads the public pages without signing in", func(t *testing.T) {
		b := s.newTab(t, 320, 640)
		b.open("/", regexp.MustCompile(`^/$`))
		b.wantText("Report a problem", "Community Trigger", "Sign in")
		for _, p := range []string{"/help/report", "/help/who-does-what", "/help/community-trigger", "/neighbourhoods", "/neighbourhoods/DUR", "/neighbourhoods/DARL-TC"} {
			b.open(p, regexp.MustCompile("^"+regexp.QuoteMeta(p)+"$"))
		}
		b.wantText("What is being done in Darlington Town Centre")
		b.screenshot("public-neighbourhood")
	})

	t.Run("an admin saves a new version of a signposting page", func(t *testing.T) {
		b := s.newTab(t, 1024, 768)
		b.signIn(admin)
		b.open("/admin/public-pages", regexp.MustCompile(`^/admin/public-pages$`))
		b.open("/admin/public-pages/report", regexp.MustCompile(`^/admin/public-pages/report$`))
		b.fill("title", "Report a problem near you")
		b.navigates(regexp.MustCompile(`^/admin/public-pages/report$`), click(`button[type="submit"].button`))
		b.wantText("You saved version 2", "Version 1")
		b.open("/help/report", regexp.MustCompile(`^/help/report$`))
		b.wantText("Report a problem near you")
	})
}
