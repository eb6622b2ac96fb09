package web_test

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/web/oidctest"
)

// The sign-in with a force account, against a real OpenID Connect provider
// running in the test process: the pages are driven through the browser
// type, the provider's own login page through an HTTP client.

// withProvider starts a provider holding users and points copbank at it.
func (e *env) withProvider(t *testing.T, users ...oidctest.User) *oidctest.Provider {
	t.Helper()
	p := oidctest.Start(t, e.app.Config.OIDCRedirectURL(), users...)
	e.app.Config.OIDCIssuer = p.Issuer
	e.app.Config.OIDCClientID = oidctest.ClientID
	e.app.Config.OIDCClientSecret = oidctest.ClientSecret
	return p
}

// atProvider presses "Sign in with your force account", signs in on the
// provider's login page and returns the path and query the provider sends
// the browser back to copbank with.
func atProvider(t *testing.T, b *browser, username, password string) string {
	t.Helper()
	start := b.get("/auth/oidc/start")
	if start.status != http.StatusSeeOther {
		t.Fatalf("start: %d %.400s", start.status, start.body)
	}
	authURL := start.header.Get("Location")
	jar, _ := cookiejar.New(nil)
	var back *url.URL
	hc := &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, _ []*http.Request) error {
		if req.URL.Path == "/auth/oidc/callback" {
			back = req.URL
			return http.ErrUseLastResponse
		}
		return nil
	}}
	r, err := hc.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	id := r.Request.URL.Query().Get("authRequestID")
	if r.StatusCode != http.StatusOK || id == "" {
		t.Fatalf("the provider's login page: %d at %s", r.StatusCode, r.Request.URL)
	}
	login := r.Request.URL.ResolveReference(&url.URL{Path: "/login/username"})
	r, err = hc.PostForm(login.String(), url.Values{"id": {id}, "username": {username}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if back == nil {
		t.Fatalf("the provider did not send the browser back: %d at %s", r.StatusCode, r.Request.URL)
	}
	return back.RequestURI()
}

// wantSignedOut checks that the browser holds no session: the pages send
// it to sign in.
func wantSignedOut(t *testing.T, b *browser) {
	t.Helper()
	if _, ok := b.cookies["copbank_session"]; ok {
		t.Fatal("a session cookie was set")
	}
	if p := b.get("/shifts"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/sign-in") {
		t.Fatalf("/shifts without a session: %d %s", p.status, p.header.Get("Location"))
	}
}

func TestForceAccountSignsInTheAccountWithItsVerifiedEmail(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		b := e.browser(t)
		if p := b.get("/sign-in"); strings.Contains(p.body, "Sign in with your force account") {
			t.Fatal("the force account button shows while no provider is configured")
		}
		for _, path := range []string{"/auth/oidc/start", "/auth/oidc/callback?state=x&code=y"} {
			if p := b.get(path); p.status != http.StatusNotFound {
				t.Fatalf("%s with no provider configured: %d", path, p.status)
			}
		}
		e.withProvider(t, oidctest.User{Username: "coord", Password: "provider password", Email: "Coord@Example.ORG", EmailVerified: true})
		wantPage(t, b.get("/sign-in"), http.StatusOK, "Sign in with your force account", `href="/auth/oidc/start"`)

		back := atProvider(t, b, "coord", "provider password")
		p := b.get(back)
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/shifts" {
			t.Fatalf("callback: %d %s %.600s", p.status, p.header.Get("Location"), p.body)
		}
		if _, ok := b.cookies["copbank_oidc"]; ok {
			t.Error("the sign-in cookie outlived the callback")
		}
		wantPage(t, b.get("/coord/board"), http.StatusOK, "Sign out")
		// Roles come from copbank: the coordinator is not an admin.
		if p := b.get("/admin/members"); p.status != http.StatusNotFound {
			t.Errorf("a coordinator signed in with a force account reached an admin page: %d", p.status)
		}
		// The test's callers signed in with passwords; of the force account
		// there must be exactly one sign-in, recorded as oidc.
		var viaOIDC int
		for _, entry := range e.auditActions("user.sign_in") {
			if after, _ := entry["after"].(map[string]any); after["method"] == "oidc" {
				viaOIDC++
			}
		}
		if viaOIDC != 1 {
			t.Fatalf("%d sign-ins audited with method oidc, want 1", viaOIDC)
		}

		// The callback is bound to the browser that started the sign-in.
		b2 := e.browser(t)
		if p := b2.get(back); p.status != http.StatusUnauthorized {
			t.Fatalf("a replayed callback in another browser: %d", p.status)
		}
		wantSignedOut(t, b2)

		wantPage(t, b.post("/shifts", "/sign-out", nil), http.StatusSeeOther)
		wantSignedOut(t, b)
	})
}

func TestForceAccountRefusalsSignNobodyIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	p := e.withProvider(t,
		oidctest.User{Username: "coord", Password: "pw", Email: "coord@example.org", EmailVerified: true},
		oidctest.User{Username: "unverified", Password: "pw", Email: "admin@example.org", EmailVerified: false},
		oidctest.User{Username: "stranger", Password: "pw", Email: "stranger@example.org", EmailVerified: true},
	)
	var usersBefore int64
	if err := e.storeCount("SELECT count(*) FROM users WHERE id <> ?", "", &usersBefore); err != nil {
		t.Fatal(err)
	}
	// The test's own callers signed in with passwords, and those sign-ins are
	// audited too: only sign-ins beyond them would be the refusals' doing.
	signInsBefore := len(e.auditActions("user.sign_in"))
	refused := func(name, back string, b *browser, want string) {
		t.Helper()
		page := b.get(back)
		wantPage(t, page, http.StatusUnauthorized, want, `href="#force-sign-in"`)
		wantSignedOut(t, b)
		if _, ok := b.cookies["copbank_oidc"]; ok {
			t.Errorf("%s: the sign-in cookie outlived the refusal", name)
		}
	}

	b := e.browser(t)
	back := atProvider(t, b, "coord", "pw")
	u, _ := url.Parse(back)
	q := u.Query()
	q.Set("state", "forged"+q.Get("state"))
	u.RawQuery = q.Encode()
	refused("forged state", u.RequestURI(), b, "was not started here")

	b = e.browser(t)
	back = atProvider(t, b, "unverified", "pw")
	refused("unverified email", back, b, "email address is not verified")

	b = e.browser(t)
	back = atProvider(t, b, "stranger", "pw")
	refused("unmatched email", back, b, "No copbank account has the email address")
	var usersAfter int64
	if err := e.storeCount("SELECT count(*) FROM users WHERE id <> ?", "", &usersAfter); err != nil {
		t.Fatal(err)
	}
	if usersAfter != usersBefore {
		t.Fatalf("an unmatched force account made an account: %d users, were %d", usersAfter, usersBefore)
	}

	// Tokens the provider signed that say the wrong thing.
	for _, c := range []struct {
		name, want string
		rewrite    func(claims map[string]any)
	}{
		{"another audience", "is not valid for copbank", func(c map[string]any) { c["aud"], c["azp"] = []string{"some-other-service"}, "some-other-service" }},
		{"another issuer", "is not valid for copbank", func(c map[string]any) { c["iss"] = "https://elsewhere.example.org" }},
		{"expired", "is not valid for copbank", func(c map[string]any) { c["exp"] = time.Now().Add(-time.Minute).Unix() }},
		{"another sign-in's nonce", "does not belong to this sign-in", func(c map[string]any) { c["nonce"] = "someone-elses" }},
	} {
		p.RewriteIDTokens(c.rewrite)
		b = e.browser(t)
		back = atProvider(t, b, "coord", "pw")
		refused(c.name, back, b, c.want)
	}
	p.RewriteIDTokens(nil)

	b = e.browser(t)
	back = atProvider(t, b, "coord", "pw")
	e.advance(app.OIDCLoginTTL + time.Minute)
	refused("too slow", back, b, "took too long")

	// The provider's own refusal (the person cancelled at the provider).
	b = e.browser(t)
	start := b.get("/auth/oidc/start")
	loc, _ := url.Parse(start.header.Get("Location"))
	if loc == nil || loc.Query().Get("code_challenge_method") != "S256" || loc.Query().Get("nonce") == "" || loc.Query().Get("state") == "" {
		t.Fatalf("the start does not ask for PKCE S256 with state and nonce: %s", start.header.Get("Location"))
	}
	refused("the provider's error", "/auth/oidc/callback?error=access_denied&state="+url.QueryEscape(loc.Query().Get("state")), b, "did not sign you in")

	if n := len(e.auditActions("user.sign_in")) - signInsBefore; n != 0 {
		t.Fatalf("%d sign-ins audited after refusals only", n)
	}
	// Each refusal counted against the address; enough of them stop even a
	// good sign-in.
	var failed int64
	if err := e.storeCount("SELECT count(*) FROM login_attempts WHERE succeeded = ?", false, &failed); err != nil {
		t.Fatal(err)
	}
	if failed != 9 {
		t.Fatalf("%d failed sign-ins counted, want 9", failed)
	}
	b = e.browser(t)
	for range 21 {
		if p := b.get("/auth/oidc/callback?state=x&code=y"); p.status != http.StatusUnauthorized {
			t.Fatalf("a callback without its cookie: %d", p.status)
		}
	}
	back = atProvider(t, b, "coord", "pw")
	page := b.get(back)
	wantPage(t, page, http.StatusTooManyRequests, "Too many failed sign-ins")
	wantSignedOut(t, b)
}
