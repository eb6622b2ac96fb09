package browser_test

import (
	"regexp"
	"testing"
)

func TestWebhooksPageJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journeys are not short")
	}
	s := startSite(t)

	t.Run("an admin registers a partner's endpoint at 320 px and sees its secret once", func(t *testing.T) {
		b := s.newTab(t, 320, 640)
		b.signIn(admin)
		at := regexp.MustCompile(`^/admin/webhooks$`)
		b.open("/admin/webhooks", at)
		b.wantText("No endpoints yet", "Events to send")
		b.fill("url", "http://10.0.0.1/hook")
		b.navigates(at, click(button("Register")))
		b.wantText("Endpoint address must use https")
		b.fill("url", "https://partner.example.org/copbank/a-rather-long-path-that-must-wrap-on-a-narrow-screen")
		b.navigates(at, click(button("Register")))
		b.wantText("shown this once", "Sent: every event", "Nothing sent yet")
		b.open("/admin/webhooks", at)
		if b.text("main") == "" || regexp.MustCompile(`shown this once`).MatchString(b.text("main")) {
			t.Fatal("the secret's notice is shown again")
		}
	})
}
