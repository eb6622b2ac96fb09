package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/copbank/copbank/domain"
)

// ticked reports whether the page's checkbox with this id is checked; it
// fails the test when the page has no such checkbox.
func ticked(t *testing.T, p page, id string) bool {
	t.Helper()
	m := regexp.MustCompile(`<input id="` + regexp.QuoteMeta(id) + `"[^>]*type="checkbox"[^>]*>`).FindString(p.body)
	if m == "" {
		t.Fatalf("no checkbox %q on the page: %.1500s", id, p.body)
	}
	return strings.Contains(m, " checked")
}

// wantTicks checks every box of the notices table: want names the ticked
// ones ("reminder-sms"), every other box must be clear.
func wantTicks(t *testing.T, p page, want ...string) {
	t.Helper()
	for _, kind := range []string{"booking", "reminder", "digest", "expiry"} {
		for _, ch := range []string{"email", "sms"} {
			box := kind + "-" + ch
			if got := ticked(t, p, "notices-"+box); got != slices.Contains(want, box) {
				t.Errorf("%s ticked = %v, want %v", box, got, !got)
			}
		}
	}
}

func storedMember(t *testing.T, e *env, id string) domain.Member {
	t.Helper()
	m, err := e.store.MemberByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMemberNoticesPage(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		samID, samToken := e.memberLogin("sam", memberOpts{})
		benID, _ := e.memberLogin("ben", memberOpts{})
		sam := e.browser(t)
		sam.signIn("sam@example.org")
		// Sam's other preferences, set through the API: the page must keep them.
		if r := e.do(http.MethodPatch, "/api/v1/members/"+samID, samToken, map[string]any{"preferences": map[string]any{
			"areas": []string{"DUR-N1"}, "days_on": []string{"sat", "sun"}, "times_off": []string{"night"}}}); r.status != http.StatusOK {
			t.Fatalf("set sam's preferences: %d %s", r.status, r.raw)
		}

		t.Run("a member without choices sees the defaults: email for everything, no texts", func(t *testing.T) {
			p := sam.get("/notifications")
			wantPage(t, p, http.StatusOK, "<h1>How we contact you</h1>", `href="/notifications" aria-current="page"`,
				`<label for="phone">Mobile number</label>`, `type="tel"`, `aria-describedby="phone-hint"`,
				"Changes to my bookings", "Reminders before my shifts (24 h and 2 h)", "Weekly new shifts near me",
				"My clearances and skills running out", `<th scope="col">Email</th>`, `<th scope="col">Text message (SMS)</th>`,
				"we do not send texts between 21:00 and 08:00, unless the shift starts within 12 hours")
			wantTicks(t, p, "booking-email", "reminder-email", "digest-email", "expiry-email")
			if strings.Contains(p.body, "error-summary") {
				t.Error("a fresh form shows an error")
			}
		})

		t.Run("texts for reminders are saved with the number, and sam's other preferences stay", func(t *testing.T) {
			p := sam.post("/notifications", "/notifications", url.Values{"phone": {" 07700 900321 "},
				"notices-booking": {"email"}, "notices-reminder": {"email", "sms"}, "notices-expiry": {"email"}})
			if p.status != http.StatusSeeOther || p.header.Get("Location") != "/notifications" {
				t.Fatalf("save: %d to %q: %.1500s", p.status, p.header.Get("Location"), p.body)
			}
			m := storedMember(t, e, samID)
			if m.Phone != "07700 900321" {
				t.Errorf("phone %q, want 07700 900321", m.Phone)
			}
			pr := m.Preferences
			want := map[string][]string{"booking": {"email"}, "reminder": {"email", "sms"}, "digest": {}, "expiry": {"email"}}
			if len(pr.Notices) != len(want) {
				t.Errorf("notices %v, want %v", pr.Notices, want)
			}
			for kind, chans := range want {
				got, ok := pr.Notices[kind]
				if !ok || !slices.Equal(got, chans) {
					t.Errorf("notices[%s] = %v (set %v), want %v", kind, got, ok, chans)
				}
			}
			if c := pr.NoticeChannels("digest"); len(c) != 0 {
				t.Errorf("digest goes by %v: an unticked kind must mean none, not the defaults", c)
			}
			if !slices.Equal(pr.Areas, []string{"DUR-N1"}) || !slices.Equal(pr.DaysOn, []string{"sat", "sun"}) || !slices.Equal(pr.TimesOff, []string{"night"}) {
				t.Errorf("the other preferences changed: %+v", pr)
			}
			r := e.do(http.MethodGet, "/api/v1/members/"+samID, samToken, nil)
			if r.status != http.StatusOK || !strings.Contains(string(r.raw), `"digest":[]`) {
				t.Errorf("the API does not show digest as an explicit empty list: %d %s", r.status, r.raw)
			}
			page := sam.get("/notifications")
			wantPage(t, page, http.StatusOK, "Your contact choices are saved.", `value="07700 900321"`)
			wantTicks(t, page, "booking-email", "reminder-email", "reminder-sms", "expiry-email")
		})

		t.Run("texts without a mobile number name the row, link to its box and keep every tick", func(t *testing.T) {
			ben := e.browser(t)
			ben.signIn("ben@example.org")
			p := ben.post("/notifications", "/notifications", url.Values{"phone": {""},
				"notices-booking": {"sms"}, "notices-reminder": {"email"}, "notices-digest": {"email", "sms"}})
			wantPage(t, p, http.StatusUnprocessableEntity, `class="error-summary"`, "<title>Error: How we contact you",
				`<a href="#notices-booking-sms">`, `<a href="#notices-digest-sms">`, "needs a mobile number",
				`id="notices-booking-sms-error"`, `aria-describedby="notices-booking-sms-error" aria-invalid="true"`)
			wantTicks(t, p, "booking-sms", "reminder-email", "digest-email", "digest-sms")
			if ticked(t, p, "notices-reminder-sms") || strings.Contains(p.body, `id="notices-reminder-sms-error"`) {
				t.Error("a row without texts shows an error")
			}
			if m := storedMember(t, e, benID); m.Preferences.Notices != nil || m.Phone != "" {
				t.Errorf("a refused form changed ben: %q %v", m.Phone, m.Preferences.Notices)
			}
			t.Run("adding the number saves the same ticks", func(t *testing.T) {
				p := ben.post("/notifications", "/notifications", url.Values{"phone": {"07700 900456"},
					"notices-booking": {"sms"}, "notices-reminder": {"email"}, "notices-digest": {"email", "sms"}})
				if p.status != http.StatusSeeOther {
					t.Fatalf("save: %d %.1500s", p.status, p.body)
				}
				if got := storedMember(t, e, benID).Preferences.NoticeChannels("booking"); !slices.Equal(got, []string{"sms"}) {
					t.Errorf("booking goes by %v, want sms", got)
				}
			})
		})

		t.Run("the page edits only the signed-in member", func(t *testing.T) {
			before := storedMember(t, e, samID)
			carlID, _ := e.memberLogin("carl", memberOpts{})
			carl := e.browser(t)
			carl.signIn("carl@example.org")
			p := carl.get("/notifications")
			wantPage(t, p, http.StatusOK)
			if strings.Contains(p.body, before.Phone) {
				t.Error("carl's page shows sam's number")
			}
			wantTicks(t, p, "booking-email", "reminder-email", "digest-email", "expiry-email")
			wantPage(t, carl.get("/notifications?member="+samID), http.StatusOK)
			p = carl.post("/notifications", "/notifications", url.Values{"id": {samID}, "member_id": {samID}, "phone": {"07700 900789"},
				"notices-booking": {"sms"}})
			if p.status != http.StatusSeeOther {
				t.Fatalf("save: %d %.1500s", p.status, p.body)
			}
			after := storedMember(t, e, samID)
			if after.Phone != before.Phone || !slices.Equal(after.Preferences.NoticeChannels("booking"), before.Preferences.NoticeChannels("booking")) ||
				!slices.Equal(after.Preferences.NoticeChannels("reminder"), []string{"email", "sms"}) {
				t.Errorf("carl's form changed sam: %q %v", after.Phone, after.Preferences.Notices)
			}
			if got := storedMember(t, e, carlID); got.Phone != "07700 900789" || !slices.Equal(got.Preferences.NoticeChannels("booking"), []string{"sms"}) {
				t.Errorf("carl's own choices were not saved: %q %v", got.Phone, got.Preferences.Notices)
			}
			if strings.Contains(sam.get("/notifications").body, "07700 900789") {
				t.Error("sam's page shows carl's number")
			}
		})

		t.Run("an account without a member record is told so", func(t *testing.T) {
			b := e.browser(t)
			b.signIn("coord@example.org")
			p := b.get("/notifications")
			wantPage(t, p, http.StatusOK, "not linked to a member record")
			if strings.Contains(p.body, `type="checkbox"`) {
				t.Error("an account without a member record is offered choices")
			}
			wantPage(t, b.post("/shifts", "/notifications", url.Values{"phone": {"07700 900000"}, "notices-booking": {"sms"}}),
				http.StatusForbidden, "not linked to a member record")
		})

		t.Run("the page needs a session and its CSRF token", func(t *testing.T) {
			wantSignInRedirect(t, e.browser(t).get("/notifications"))
			wantPage(t, sam.do(http.MethodPost, "/notifications", url.Values{"phone": {""}}), http.StatusForbidden, "did not come from copbank")
		})
	})
}
