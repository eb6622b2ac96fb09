package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestRecordingAnEmergencyContactFromTheDutyPageReturnsThere(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		_, tok := e.memberLogin("walker", memberOpts{})
		id := e.loneBooking(tok, t0.Add(48*time.Hour), true)
		duty := "/my-shifts/" + id + "/duty"
		b := e.browser(t)
		b.signIn("walker@example.org")
		wantPage(t, b.get(duty), http.StatusOK, "none recorded", `href="/emergency-contact?back=`+duty+`"`)
		// The account page leads there too, for a member.
		wantPage(t, b.get("/account"), http.StatusOK, `href="/emergency-contact"`)

		// Too early: the page says why, as a sentence.
		p := b.post(duty, duty+"/on", url.Values{})
		if p.status != http.StatusSeeOther {
			t.Fatalf("on duty too early: %d %.400s", p.status, p.body)
		}
		wantPage(t, b.get(duty), http.StatusOK, "<p>On duty opens 30 minutes before")

		from := "/emergency-contact?back=" + duty
		wantPage(t, b.get(from), http.StatusOK, `action="/emergency-contact?back=`, `href="`+duty+`" class="back"`)
		p = b.post(from, "/emergency-contact?back="+duty, url.Values{"name": {"Sam Partner"}, "phone": {"07700 900123"}})
		if p.status != http.StatusSeeOther || p.header.Get("Location") != duty {
			t.Fatalf("save: %d %q %.400s", p.status, p.header.Get("Location"), p.body)
		}
		wantPage(t, b.get(duty), http.StatusOK, "You saved your emergency contact", "Sam Partner")

		// Staff without a member record have no emergency contact to keep.
		staff := e.browser(t)
		staff.signIn("coord@example.org")
		if p := staff.get("/account"); p.status != http.StatusOK || strings.Contains(p.body, "/emergency-contact") {
			t.Fatalf("a coordinator's account page: %d, links the emergency contact: %v", p.status, strings.Contains(p.body, "/emergency-contact"))
		}

		// Without a page to go back to, or with one elsewhere, it stays put.
		for _, back := range []string{"", "https://evil.example/", "//evil.example/x"} {
			path := "/emergency-contact"
			if back != "" {
				path += "?back=" + url.QueryEscape(back)
			}
			p = b.post("/emergency-contact", path, url.Values{"name": {"Sam Partner"}, "phone": {"07700 900123"}})
			if p.status != http.StatusSeeOther || p.header.Get("Location") != "/emergency-contact" {
				t.Fatalf("save with back %q: %d %q", back, p.status, p.header.Get("Location"))
			}
			if strings.Contains(p.header.Get("Location"), "evil") {
				t.Fatalf("redirected off the site")
			}
		}
	})
}
