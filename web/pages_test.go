package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
	"github.com/copbank/copbank/web"
)

// browser drives the pages through Fiber's app.Test, keeping cookies as a
// browser would.
type browser struct {
	t       *testing.T
	fiber   *fiber.App
	cookies map[string]*http.Cookie
}

func (e *env) browser(t *testing.T) *browser {
	return &browser{t: t, fiber: e.srv.Fiber(), cookies: map[string]*http.Cookie{}}
}

type page struct {
	status  int
	body    string
	header  http.Header
	cookies []*http.Cookie
}

func (b *browser) do(method, path string, form url.Values) page {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	req.Header.Set("Accept", "text/html")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, c := range b.cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	r, err := b.fiber.Test(req, -1)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer r.Body.Close()
	raw, _ := io.ReadAll(r.Body)
	for _, c := range r.Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	return page{status: r.StatusCode, body: string(raw), header: r.Header, cookies: r.Cookies()}
}

func (b *browser) get(path string) page { b.t.Helper(); return b.do(http.MethodGet, path, nil) }

var csrfRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// post submits a form with the CSRF token of the page at from.
func (b *browser) post(from, path string, form url.Values) page {
	b.t.Helper()
	p := b.get(from)
	m := csrfRe.FindStringSubmatch(p.body)
	if m == nil {
		b.t.Fatalf("GET %s (%d) has no CSRF field: %.400s", from, p.status, p.body)
	}
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf_token", m[1])
	return b.do(http.MethodPost, path, form)
}

func (b *browser) signIn(email string) {
	b.t.Helper()
	p := b.post("/sign-in", "/sign-in", url.Values{"email": {email}, "password": {"a long test password"}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/shifts" {
		b.t.Fatalf("sign in as %s: %d %s %.400s", email, p.status, p.header.Get("Location"), p.body)
	}
}

func wantPage(t *testing.T, p page, status int, contains ...string) {
	t.Helper()
	if p.status != status {
		t.Fatalf("status %d, want %d: %.600s", p.status, status, p.body)
	}
	for _, s := range contains {
		if !strings.Contains(p.body, s) {
			t.Errorf("page lacks %q: %.1500s", s, p.body)
		}
	}
	// The CSP allows no inline script or style: the pages must need neither.
	if strings.Contains(p.body, "<script") || strings.Contains(p.body, " style=") || strings.Contains(p.body, "<style") {
		t.Errorf("page has inline script or style: %.1500s", p.body)
	}
}

func TestBrowsersGetHTMLErrorsAndTheAPIProblemJSON(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "sqlite")
	p := e.browser(t).get("/no-such-page")
	wantPage(t, p, http.StatusNotFound, "<h1>Not found</h1>", "there is nothing at this address")
	if ct := p.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("a browser got %q", ct)
	}
	req := httptest.NewRequest(http.MethodGet, "/api/v1/nothing", nil)
	req.Header.Set("Accept", "text/html")
	r, err := e.srv.Fiber().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("the API answered a browser with %q, want problem+json", ct)
	}
	css := e.browser(t).get("/static/copbank.css")
	if css.status != http.StatusOK || !strings.HasPrefix(css.header.Get("Content-Type"), "text/css") {
		t.Errorf("stylesheet: %d %q", css.status, css.header.Get("Content-Type"))
	}
}

func TestAPageTheCallerMayNotSeeLooksLikeAMissingOne(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "sqlite")
	e.memberLogin("sam", memberOpts{})
	main := func(p page) string {
		start, end := strings.Index(p.body, "<main"), strings.Index(p.body, "</main>")
		if p.status != http.StatusNotFound || start < 0 || end < start {
			t.Fatalf("status %d, want a 404 page: %.600s", p.status, p.body)
		}
		return p.body[start:end]
	}
	sam := e.browser(t)
	sam.signIn("sam@example.org")
	missing := main(sam.get("/coord/no-such-page"))
	for _, path := range []string{"/coord/board", "/dashboard", "/admin/skills"} {
		if got := main(sam.get(path)); got != missing {
			t.Errorf("%s answers a member\n%s\nbut a missing page\n%s", path, got, missing)
		}
	}
}

func wantSignInRedirect(t *testing.T, p page) {
	t.Helper()
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/sign-in" {
		t.Fatalf("got %d to %q, want a redirect to /sign-in", p.status, p.header.Get("Location"))
	}
}

func cookieNamed(cs []*http.Cookie, name string) *http.Cookie {
	for _, c := range cs {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestSignInPage(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.memberLogin("sam", memberOpts{})
		t.Run("the form has labels and no error", func(t *testing.T) {
			p := e.browser(t).get("/sign-in")
			wantPage(t, p, http.StatusOK, `<label for="email">`, `<label for="password">`, `name="viewport"`, `href="/static/copbank.css"`)
			if strings.Contains(p.body, "error-summary") || strings.Contains(p.body, "style=") || strings.Contains(p.body, "<script") {
				t.Errorf("a fresh form shows an error, a style attribute or a script: %s", p.body)
			}
		})
		t.Run("a wrong password shows the summary linked to the field, the email kept", func(t *testing.T) {
			b := e.browser(t)
			p := b.post("/sign-in", "/sign-in", url.Values{"email": {"sam@example.org"}, "password": {"not the password"}})
			wantPage(t, p, http.StatusUnauthorized, `class="error-summary"`, `<a href="#email">The email or password is not right</a>`,
				`id="email-error"`, `aria-describedby="email-error"`, `value="sam@example.org"`, "<title>Error: Sign in")
			if _, ok := b.cookies["copbank_session"]; ok {
				t.Error("a failed sign-in set a session cookie")
			}
		})
		t.Run("empty fields name each field", func(t *testing.T) {
			p := e.browser(t).post("/sign-in", "/sign-in", url.Values{"email": {""}, "password": {""}})
			wantPage(t, p, http.StatusUnprocessableEntity, `<a href="#email">Enter your email address</a>`, `<a href="#password">Enter your password</a>`,
				`aria-describedby="email-error"`, `aria-describedby="password-error"`)
		})
		t.Run("success sets a session cookie and redirects", func(t *testing.T) {
			b := e.browser(t)
			p := b.post("/sign-in", "/sign-in", url.Values{"email": {"sam@example.org"}, "password": {"a long test password"}})
			if p.status != http.StatusSeeOther || p.header.Get("Location") != "/shifts" {
				t.Fatalf("%d to %q", p.status, p.header.Get("Location"))
			}
			c := cookieNamed(p.cookies, "copbank_session")
			if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure {
				t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, Path=/, not Secure over http", c)
			}
			wantPage(t, b.get("/shifts"), http.StatusOK, "Find shifts", "Sign out")
			if got := b.get("/").header.Get("Location"); got != "/shifts" {
				t.Errorf("/ sends a signed-in member to %q", got)
			}
		})
		t.Run("every sign-in gets a new session and ends the old one", func(t *testing.T) {
			b := e.browser(t)
			b.signIn("sam@example.org")
			old := b.cookies["copbank_session"].Value
			p := b.post("/shifts", "/sign-in", url.Values{"email": {"sam@example.org"}, "password": {"a long test password"}})
			if p.status != http.StatusSeeOther || b.cookies["copbank_session"].Value == old {
				t.Fatal("the session id did not change at sign-in")
			}
			stale := e.browser(t)
			stale.cookies["copbank_session"] = &http.Cookie{Name: "copbank_session", Value: old}
			wantSignInRedirect(t, stale.get("/shifts"))
		})
		t.Run("anonymous visitors go to sign in", func(t *testing.T) {
			b := e.browser(t)
			wantSignInRedirect(t, b.get("/shifts"))
			wantSignInRedirect(t, b.get("/my-shifts"))
			wantPage(t, b.get("/"), http.StatusOK, `href="/sign-in"`) // the public home page
		})
		t.Run("the database-backed rate limit applies", func(t *testing.T) {
			e.memberLogin("rita", memberOpts{})
			b := e.browser(t)
			for i := 0; i < 5; i++ {
				b.post("/sign-in", "/sign-in", url.Values{"email": {"rita@example.org"}, "password": {"wrong password"}})
			}
			p := b.post("/sign-in", "/sign-in", url.Values{"email": {"rita@example.org"}, "password": {"a long test password"}})
			wantPage(t, p, http.StatusTooManyRequests, `<a href="#email">Too many failed sign-ins`)
			if p.header.Get("Retry-After") == "" {
				t.Error("no Retry-After")
			}
		})
	})
}

func TestSessionCookieOverHTTPSIsHostPrefixedAndSecure(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "sqlite")
	e.memberLogin("sam", memberOpts{})
	cfg := e.app.Config
	cfg.BaseURL = "https://copbank.example.org"
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := app.New(e.store, cfg, log)
	a.Now = e.app.Now
	b := &browser{t: t, fiber: web.New(a, log).Fiber(), cookies: map[string]*http.Cookie{}}
	p := b.post("/sign-in", "/sign-in", url.Values{"email": {"sam@example.org"}, "password": {"a long test password"}})
	c := cookieNamed(p.cookies, "__Host-copbank_session")
	if p.status != http.StatusSeeOther || c == nil || !c.Secure || !c.HttpOnly || c.Path != "/" || c.Domain != "" || c.SameSite != http.SameSiteLaxMode {
		t.Fatalf("%d, cookie %+v: want __Host-copbank_session, Secure, HttpOnly, Path=/, no Domain, SameSite=Lax", p.status, c)
	}
	if p.header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS over https")
	}
}

func TestPageFormsRefuseAMissingOrBadCSRFToken(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.memberLogin("sam", memberOpts{})
		b := e.browser(t)
		b.signIn("sam@example.org")
		for name, form := range map[string]url.Values{
			"without a token":  {},
			"with a bad token": {"csrf_token": {"bm90IHRoZSB0b2tlbg"}},
		} {
			t.Run("sign out "+name, func(t *testing.T) {
				p := b.do(http.MethodPost, "/sign-out", form)
				wantPage(t, p, http.StatusForbidden, "<h1>Not allowed</h1>", "did not come from copbank")
				if ct := p.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Errorf("Content-Type %q, want an HTML error page", ct)
				}
			})
		}
		t.Run("another session's token is refused", func(t *testing.T) {
			other := e.browser(t)
			other.signIn("sam@example.org")
			tok := csrfRe.FindStringSubmatch(other.get("/shifts").body)[1]
			wantPage(t, b.do(http.MethodPost, "/sign-out", url.Values{"csrf_token": {tok}}), http.StatusForbidden)
		})
		t.Run("the sign-in form needs its token too", func(t *testing.T) {
			p := e.browser(t).do(http.MethodPost, "/sign-in", url.Values{"email": {"sam@example.org"}, "password": {"a long test password"}})
			wantPage(t, p, http.StatusForbidden)
			if cookieNamed(p.cookies, "copbank_session") != nil {
				t.Error("a sign-in without a token started a session")
			}
		})
		wantPage(t, b.get("/shifts"), http.StatusOK, "Sign out")
	})
}

func TestSessionTimeOuts(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.memberLogin("sam", memberOpts{})
		t.Run("idle for 30 minutes ends the session; use restarts the clock", func(t *testing.T) {
			b := e.browser(t)
			b.signIn("sam@example.org")
			e.advance(29 * time.Minute)
			wantPage(t, b.get("/shifts"), http.StatusOK)
			e.advance(29 * time.Minute)
			wantPage(t, b.get("/shifts"), http.StatusOK)
			e.advance(30 * time.Minute)
			wantSignInRedirect(t, b.get("/shifts"))
		})
		t.Run("12 hours after sign-in the session ends however busy", func(t *testing.T) {
			b := e.browser(t)
			b.signIn("sam@example.org")
			for elapsed := time.Duration(0); elapsed < 11*time.Hour+40*time.Minute; elapsed += 20 * time.Minute {
				e.advance(20 * time.Minute)
				wantPage(t, b.get("/shifts"), http.StatusOK)
			}
			e.advance(20 * time.Minute) // 12 h exactly
			wantSignInRedirect(t, b.get("/shifts"))
		})
	})
}

func sessionRecord(t *testing.T, e *env, secret string) domain.WebSession {
	t.Helper()
	sum := sha256.Sum256([]byte(secret))
	ws, err := e.store.WebSessionByHash(context.Background(), hex.EncodeToString(sum[:]))
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

func TestSignOutAndDisablingEndSessions(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.memberLogin("sam", memberOpts{})
		t.Run("sign out", func(t *testing.T) {
			b := e.browser(t)
			b.signIn("sam@example.org")
			secret := b.cookies["copbank_session"].Value
			p := b.post("/shifts", "/sign-out", nil)
			if p.status != http.StatusSeeOther || p.header.Get("Location") != "/sign-in" {
				t.Fatalf("sign out: %d to %q", p.status, p.header.Get("Location"))
			}
			if _, kept := b.cookies["copbank_session"]; kept {
				t.Error("the cookie was not cleared")
			}
			wantPage(t, b.get("/sign-in"), http.StatusOK, "You have signed out.")
			if sessionRecord(t, e, secret).RevokedAt == nil {
				t.Error("the session was not revoked in the database")
			}
			replay := e.browser(t)
			replay.cookies["copbank_session"] = &http.Cookie{Name: "copbank_session", Value: secret}
			wantSignInRedirect(t, replay.get("/shifts"))
		})
		t.Run("an erased member's account loses every session", func(t *testing.T) {
			id, _ := e.memberLogin("dora", memberOpts{})
			one, two := e.browser(t), e.browser(t)
			one.signIn("dora@example.org")
			two.signIn("dora@example.org")
			if r := e.do(http.MethodDelete, "/api/v1/members/"+id, e.admin, nil); r.status != http.StatusOK {
				t.Fatalf("erase: %d %s", r.status, r.raw)
			}
			for _, b := range []*browser{one, two} {
				if sessionRecord(t, e, b.cookies["copbank_session"].Value).RevokedAt == nil {
					t.Error("a session of the disabled account was not revoked")
				}
				wantSignInRedirect(t, b.get("/shifts"))
			}
		})
	})
}

var bookingLinkRe = regexp.MustCompile(`href="/my-shifts/([^"/]+)/cancel"`)

func TestMemberBooksThroughThePages(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		samID, _ := e.memberLogin("sam", memberOpts{})
		e.memberLogin("ben", memberOpts{noFirstAid: true})
		e.memberLogin("carl", memberOpts{})
		d := e.demand(map[string]any{"title": "Market square patrol", "start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour)),
			"positions": []map[string]any{{"name": "Patroller", "kinds": []string{"volunteer"}, "skills": []string{"first_aid"}, "min_vetting": "NPPV1", "headcount": 1}}})
		sh := shiftsOf(d)[0]
		shiftID, posID := sh[0], sh[1]

		sam := e.browser(t)
		sam.signIn("sam@example.org")
		wantPage(t, sam.get("/shifts?area=DUR&from=2027-01-05&to=2027-01-10&skill=first_aid"), http.StatusOK,
			"Market square patrol", `href="/shifts/`+shiftID+`"`, "1 place left", "Fri 8 Jan 2027, 20:00–00:00")
		wantPage(t, sam.get("/shifts?from=2027-01-09"), http.StatusOK, "No shifts match")
		wantPage(t, sam.get("/shifts?from=someday"), http.StatusUnprocessableEntity, `<a href="#from">`, `aria-describedby="from-hint from-error"`)
		wantPage(t, sam.get("/shifts/"+shiftID), http.StatusOK, `action="/shifts/`+shiftID+`/book"`, `value="`+posID+`"`, ">Book<")
		wantPage(t, sam.get("/shifts/"+shiftID+"/book?position="+posID), http.StatusOK, "Confirm booking", "every required skill is held")
		p := sam.post("/shifts/"+shiftID+"/book?position="+posID, "/shifts/"+shiftID+"/book", url.Values{"position": {posID}})
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/my-shifts" {
			t.Fatalf("book: %d to %q: %.500s", p.status, p.header.Get("Location"), p.body)
		}
		mine := sam.get("/my-shifts")
		wantPage(t, mine, http.StatusOK, "You are booked on Market square patrol", "Market square patrol", "Booked", "Patroller")
		m := bookingLinkRe.FindStringSubmatch(mine.body)
		if m == nil {
			t.Fatalf("no Cancel link: %s", mine.body)
		}
		bookingID := m[1]
		if e.activeOn(shiftID, posID) != 1 {
			t.Fatal("the booking did not take the place")
		}

		t.Run("a refused booking names the failed rules in plain words", func(t *testing.T) {
			ben := e.browser(t)
			ben.signIn("ben@example.org")
			wantPage(t, ben.get("/shifts/"+shiftID), http.StatusOK, "a required skill is missing")
			p := ben.post("/shifts", "/shifts/"+shiftID+"/book", url.Values{"position": {posID}})
			wantPage(t, p, http.StatusConflict, "You cannot book this place", "a required skill is missing or expires before the shift ends", "no places are left")
		})
		t.Run("another member's booking pages answer 404", func(t *testing.T) {
			ben := e.browser(t)
			ben.signIn("ben@example.org")
			wantPage(t, ben.get("/my-shifts/"+bookingID+"/cancel"), http.StatusNotFound)
			wantPage(t, ben.post("/my-shifts", "/my-shifts/"+bookingID+"/cancel", nil), http.StatusNotFound)
			wantPage(t, ben.post("/my-shifts", "/my-shifts/"+bookingID+"/accept", nil), http.StatusNotFound)
			if strings.Contains(ben.get("/my-shifts").body, "Market square patrol") {
				t.Error("ben's my shifts shows sam's booking")
			}
			if e.activeOn(shiftID, posID) != 1 {
				t.Error("ben cancelled sam's booking")
			}
		})
		t.Run("a full shift offers the waitlist", func(t *testing.T) {
			carl := e.browser(t)
			carl.signIn("carl@example.org")
			wantPage(t, carl.get("/shifts/"+shiftID), http.StatusOK, "Full", "Join the waitlist")
			wantPage(t, carl.get("/shifts/"+shiftID+"/book?position="+posID+"&waitlist=1"), http.StatusOK, "Join the waitlist", `name="waitlist" value="1"`)
			p := carl.post("/shifts/"+shiftID, "/shifts/"+shiftID+"/book", url.Values{"position": {posID}, "waitlist": {"1"}})
			if p.status != http.StatusSeeOther {
				t.Fatalf("join the waitlist: %d %.400s", p.status, p.body)
			}
			wantPage(t, carl.get("/my-shifts"), http.StatusOK, "number 1 in the queue", "On the waitlist")
		})
		t.Run("cancel has a confirmation step", func(t *testing.T) {
			wantPage(t, sam.get("/my-shifts/"+bookingID+"/cancel"), http.StatusOK, "Cancel this booking?", `<label for="reason">`)
			p := sam.post("/my-shifts/"+bookingID+"/cancel", "/my-shifts/"+bookingID+"/cancel", url.Values{"reason": {"unwell"}})
			if p.status != http.StatusSeeOther || p.header.Get("Location") != "/my-shifts" {
				t.Fatalf("cancel: %d %.400s", p.status, p.body)
			}
			wantPage(t, sam.get("/my-shifts"), http.StatusOK, "You cancelled your place", "Cancelled")
			if e.activeOn(shiftID, posID) != 1 {
				t.Error("the freed place did not go to the waitlisted member")
			}
		})
		t.Run("an offer is accepted or declined from my shifts", func(t *testing.T) {
			later := shiftsOf(e.demand(map[string]any{"title": "Park watch", "start_local": local(friday.Add(48 * time.Hour)),
				"end_local": local(friday.Add(50 * time.Hour))}))
			for _, sh := range later {
				r := e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", e.coordinator, map[string]any{"position_id": sh[1], "member_id": samID, "offer": true})
				if r.status != http.StatusCreated {
					t.Fatalf("offer: %d %s", r.status, r.raw)
				}
			}
			wantPage(t, sam.get("/my-shifts"), http.StatusOK, "Park watch", "Offered to you", ">Accept<", ">Decline<")
			p := sam.post("/my-shifts", "/my-shifts/"+offerID(t, sam)+"/accept", nil)
			if p.status != http.StatusSeeOther {
				t.Fatalf("accept: %d %.400s", p.status, p.body)
			}
			wantPage(t, sam.get("/my-shifts"), http.StatusOK, "You accepted the place on Park watch")
		})
	})
}

var acceptRe = regexp.MustCompile(`action="/my-shifts/([^"/]+)/accept"`)

func offerID(t *testing.T, b *browser) string {
	t.Helper()
	m := acceptRe.FindStringSubmatch(b.get("/my-shifts").body)
	if m == nil {
		t.Fatal("no Accept form on my shifts")
	}
	return m[1]
}
