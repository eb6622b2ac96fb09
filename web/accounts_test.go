package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// mailbox is a Notifier that keeps what it is given.
type mailbox struct {
	mu   sync.Mutex
	msgs []app.Message
}

func (m *mailbox) Send(_ context.Context, msg app.Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.msgs = append(m.msgs, msg)
	return nil
}

// to returns the messages sent to an address, oldest first.
func (m *mailbox) to(addr string) []app.Message {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []app.Message
	for _, msg := range m.msgs {
		if strings.EqualFold(msg.To, addr) {
			out = append(out, msg)
		}
	}
	return out
}

// secretOf is the token at the end of a link.
func secretOf(link string) string { return link[strings.LastIndex(link, "/")+1:] }

// lastLink is the link of the newest message to addr.
func (e *env) lastLink(addr string) string {
	e.t.Helper()
	msgs := e.sent.to(addr)
	if len(msgs) == 0 {
		e.t.Fatalf("no message was sent to %s", addr)
	}
	return msgs[len(msgs)-1].Link
}

// invitation has the admin invite a member and returns the link's secret.
func (e *env) invitation(memberID string) string {
	e.t.Helper()
	ctx := context.Background()
	p, err := e.app.Authenticate(ctx, e.admin)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.app.Invite(ctx, p, memberID); err != nil {
		e.t.Fatal(err)
	}
	m, err := e.store.MemberByID(ctx, memberID)
	if err != nil {
		e.t.Fatal(err)
	}
	return secretOf(e.lastLink(m.Email))
}

// workJobs has the app work its job queue until the test ends: reset links
// are made and sent by a job, so that a request for an unknown email takes
// as long as one for a known email.
func (e *env) workJobs() {
	e.jobs.Do(func() {
		stop, err := e.app.RunJobs(context.Background(), app.JobOptions{PollInterval: 50 * time.Millisecond, NoPeriodic: true})
		if err != nil {
			e.t.Fatal(err)
		}
		e.t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = stop(ctx)
		})
	})
}

// awaitResets waits until every password-reset job is done.
func (e *env) awaitResets() {
	e.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		n, err := e.app.PendingJobs(context.Background(), "password_reset")
		if err != nil {
			e.t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("%d password-reset job(s) still pending after 60 s", n)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// resetLink asks for a password reset of an account and returns the link's secret.
func (e *env) resetLink(email string) string {
	e.t.Helper()
	e.workJobs()
	if err := e.app.RequestPasswordReset(context.Background(), email); err != nil {
		e.t.Fatal(err)
	}
	e.awaitResets()
	return secretOf(e.lastLink(email))
}

func (e *env) auditActions(action string) []map[string]any {
	e.t.Helper()
	r := e.do(http.MethodGet, "/api/v1/audit?action="+action, e.admin, nil)
	if r.status != http.StatusOK {
		e.t.Fatalf("audit: %d %s", r.status, r.raw)
	}
	var out []map[string]any
	for _, it := range r.body["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

func wantProblem(t *testing.T, r resp, status int, slug string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("got %d, want %d: %s", r.status, status, r.raw)
	}
	if typ, _ := r.body["type"].(string); !strings.HasSuffix(typ, "/"+slug) {
		t.Fatalf("problem type %q, want …/%s: %s", typ, slug, r.raw)
	}
}

func TestAnInvitationMakesTheMembersAccountOnceAndExpiresAfterAWeek(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		id := e.member("ivy", memberOpts{})
		r := e.do(http.MethodPost, "/api/v1/members/"+id+"/invite", e.coordinator, nil)
		if r.status != http.StatusCreated || r.body["member_id"] != id {
			t.Fatalf("invite: %d %s", r.status, r.raw)
		}
		link := e.lastLink("ivy@example.org")
		secret := secretOf(link)
		if link != e.app.Config.BaseURL+"/invite/"+secret || len(secret) < 40 {
			t.Fatalf("link %q is not <base>/invite/<token>", link)
		}
		if strings.Contains(string(r.raw), secret) {
			t.Fatal("the inviter's answer holds the link's secret")
		}
		var stored int64
		if err := e.storeCount(`SELECT count(*) FROM account_links WHERE token_hash = ?`, secret, &stored); err != nil || stored != 0 {
			t.Fatalf("the secret is stored in clear (%d rows, %v)", stored, err)
		}

		r = e.do(http.MethodPost, "/api/v1/auth/accept-invite", "", map[string]any{"token": secret, "password": "short"})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("short password: %d %s", r.status, r.raw)
		}
		r = e.do(http.MethodPost, "/api/v1/auth/accept-invite", "", map[string]any{"token": secret, "password": "ivy's long password"})
		if r.status != http.StatusOK {
			t.Fatalf("accept: %d %s", r.status, r.raw)
		}
		me := e.do(http.MethodGet, "/api/v1/me", r.body["token"].(string), nil)
		user, _ := me.body["user"].(map[string]any)
		member, _ := me.body["member"].(map[string]any)
		if me.status != http.StatusOK || user["email"] != "ivy@example.org" || member["id"] != id ||
			fmt.Sprint(user["roles"]) != "[member]" {
			t.Fatalf("the new account: %d %s", me.status, me.raw)
		}
		if _, err := e.app.Login(context.Background(), "ivy@example.org", "ivy's long password", "10.9.9.9"); err != nil {
			t.Fatalf("sign in with the chosen password: %v", err)
		}

		r = e.do(http.MethodPost, "/api/v1/auth/accept-invite", "", map[string]any{"token": secret, "password": "another long password"})
		wantProblem(t, r, http.StatusGone, "link-not-valid")
		if r2 := e.do(http.MethodPost, "/api/v1/members/"+id+"/invite", e.admin, nil); r2.status != http.StatusConflict {
			t.Fatalf("inviting a member who has a password: %d %s", r2.status, r2.raw)
		}

		late := e.member("lou", memberOpts{})
		old := e.invitation(late)
		fresh := e.invitation(late)
		r = e.do(http.MethodPost, "/api/v1/auth/accept-invite", "", map[string]any{"token": old, "password": "lou's long password"})
		wantProblem(t, r, http.StatusGone, "link-not-valid")
		e.advance(7*24*time.Hour + time.Minute)
		r = e.do(http.MethodPost, "/api/v1/auth/accept-invite", "", map[string]any{"token": fresh, "password": "lou's long password"})
		wantProblem(t, r, http.StatusGone, "link-not-valid")

		if n := len(e.auditActions("invitation.create")); n != 3 {
			t.Errorf("%d invitation.create entries, want 3", n)
		}
		acc := e.auditActions("invitation.accept")
		if len(acc) != 1 || acc[0]["member_id"] != id || strings.Contains(fmt.Sprint(acc[0]), "ivy@example.org") {
			t.Errorf("invitation.accept entries: %v", acc)
		}
	})
}

func TestAnInvitationSetsThePasswordOfAnAccountThatHasNone(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		id := e.member("pat", memberOpts{})
		u := domain.User{ID: app.NewID(), Email: "pat@example.org", Name: "Pat", Roles: []domain.Role{domain.RoleCoordinator}, CreatedAt: t0}
		if err := e.store.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		secret := e.invitation(id)
		r := e.do(http.MethodPost, "/api/v1/auth/accept-invite", "", map[string]any{"token": secret, "password": "pat's long password"})
		if r.status != http.StatusOK {
			t.Fatalf("accept: %d %s", r.status, r.raw)
		}
		got, err := e.store.UserByID(ctx, u.ID)
		if err != nil || got.MemberID != id || !got.Has(domain.RoleMember) || !got.Has(domain.RoleCoordinator) {
			t.Fatalf("the account after: %+v %v", got, err)
		}
	})
}

func TestAPasswordResetNeverSaysWhetherTheAccountExistsAndEndsEverySession(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		_, token := e.memberLogin("rex", memberOpts{})
		e.workJobs()
		r := e.do(http.MethodPost, "/api/v1/auth/password-reset", "", map[string]any{"email": "nobody@example.org"})
		unknown := r
		r = e.do(http.MethodPost, "/api/v1/auth/password-reset", "", map[string]any{"email": "REX@example.org"})
		if unknown.status != http.StatusAccepted || r.status != http.StatusAccepted || string(unknown.raw) != string(r.raw) {
			t.Fatalf("known and unknown emails answered differently: %d %s / %d %s", unknown.status, unknown.raw, r.status, r.raw)
		}
		e.awaitResets()
		if len(e.sent.to("nobody@example.org")) != 0 {
			t.Fatal("a link was sent to an email with no account")
		}
		link := e.lastLink("rex@example.org")
		if !strings.HasPrefix(link, e.app.Config.BaseURL+"/reset-password/") {
			t.Fatalf("reset link %q", link)
		}
		r = e.do(http.MethodPost, "/api/v1/auth/password-reset/confirm", "", map[string]any{"token": secretOf(link), "password": "rex's new long password"})
		if r.status != http.StatusNoContent {
			t.Fatalf("confirm: %d %s", r.status, r.raw)
		}
		if me := e.do(http.MethodGet, "/api/v1/me", token, nil); me.status != http.StatusUnauthorized {
			t.Fatalf("a token from before the reset still works: %d", me.status)
		}
		if _, err := e.app.Login(context.Background(), "rex@example.org", "a long test password", "10.9.9.9"); domain.ErrorCode(err) != domain.EUnauthorized {
			t.Fatalf("the old password: %v", err)
		}
		if _, err := e.app.Login(context.Background(), "rex@example.org", "rex's new long password", "10.9.9.9"); err != nil {
			t.Fatalf("the new password: %v", err)
		}
		r = e.do(http.MethodPost, "/api/v1/auth/password-reset/confirm", "", map[string]any{"token": secretOf(link), "password": "yet another password"})
		wantProblem(t, r, http.StatusGone, "link-not-valid")

		// The third request for one email in an hour is the last.
		for i := 2; i <= 3; i++ {
			r = e.do(http.MethodPost, "/api/v1/auth/password-reset", "", map[string]any{"email": "rex@example.org"})
			if r.status != http.StatusAccepted {
				t.Fatalf("request %d: %d %s", i, r.status, r.raw)
			}
		}
		e.awaitResets()
		expiring := secretOf(e.lastLink("rex@example.org"))
		r = e.do(http.MethodPost, "/api/v1/auth/password-reset", "", map[string]any{"email": "rex@example.org"}, "X-Forwarded-For", "203.0.113.9")
		wantProblem(t, r, http.StatusTooManyRequests, "rate-limited")
		e.advance(time.Hour + time.Minute)
		r = e.do(http.MethodPost, "/api/v1/auth/password-reset/confirm", "", map[string]any{"token": expiring, "password": "rex's newer long password"})
		wantProblem(t, r, http.StatusGone, "link-not-valid")
		if r = e.do(http.MethodPost, "/api/v1/auth/password-reset", "", map[string]any{"email": "rex@example.org"}); r.status != http.StatusAccepted {
			t.Fatalf("after the window: %d %s", r.status, r.raw)
		}
		e.awaitResets()

		if n := len(e.auditActions("password_reset.request")); n != 4 {
			t.Errorf("%d password_reset.request entries, want 4 (the known account's only)", n)
		}
		if conf := e.auditActions("password_reset.confirm"); len(conf) != 1 {
			t.Errorf("password_reset.confirm entries: %v", conf)
		}
	})
}

func TestBadLinksFromOneAddressAreRateLimited(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		for i := 0; i < 20; i++ {
			r := e.do(http.MethodPost, "/api/v1/auth/accept-invite", "", map[string]any{"token": fmt.Sprintf("guess-%d", i), "password": "a long new password"},
				"X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i))
			wantProblem(t, r, http.StatusGone, "link-not-valid")
		}
		r := e.do(http.MethodPost, "/api/v1/auth/password-reset/confirm", "", map[string]any{"token": "guess", "password": "a long new password"},
			"X-Forwarded-For", "198.51.100.200")
		wantProblem(t, r, http.StatusTooManyRequests, "rate-limited")
	})
}

// The server trusts no proxy header unless configured (EnableTrustedProxyCheck
// with no trusted proxies), so X-Forwarded-For cannot move a caller to a
// fresh address: the counts stay with the connection's address.
func TestAForgedXForwardedForNeitherResetsNorEvadesTheLoginLimit(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.memberLogin("xena", memberOpts{})
		login := func(email, password, forged string) resp {
			return e.do(http.MethodPost, "/api/v1/auth/login", "", map[string]any{"email": email, "password": password},
				"X-Forwarded-For", forged, "X-Real-IP", forged, "Forwarded", "for="+forged)
		}
		for i := 0; i < 5; i++ {
			if r := login("xena@example.org", "not the password", fmt.Sprintf("192.0.2.%d", i)); r.status != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d %s", i, r.status, r.raw)
			}
		}
		r := login("xena@example.org", "a long test password", "192.0.2.77")
		wantProblem(t, r, http.StatusTooManyRequests, "rate-limited")
		if r := e.do(http.MethodPost, "/api/v1/auth/login", "", map[string]any{"email": "xena@example.org", "password": "a long test password"}); r.status != http.StatusTooManyRequests {
			t.Fatalf("without the header: %d", r.status)
		}

		// Per address: 30 failures over many emails, each from a "new" address.
		for i := 0; i < 25; i++ {
			if r := login(fmt.Sprintf("who%d@example.org", i), "not the password", fmt.Sprintf("10.1.%d.1", i)); r.status != http.StatusUnauthorized {
				t.Fatalf("address failure %d: %d %s", i, r.status, r.raw)
			}
		}
		r = login("someone-else@example.org", "not the password", "10.200.0.1")
		wantProblem(t, r, http.StatusTooManyRequests, "rate-limited")
		if r.status == http.StatusTooManyRequests && r.body != nil {
			attempts, err := e.store.LoginAttempts(context.Background(), "xena@example.org")
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range attempts {
				if a["address"] != "127.0.0.1" {
					t.Fatalf("a sign-in was recorded from %v, the forged header, not the connection", a["address"])
				}
			}
		}
	})
}

// storeCount runs a count query with one argument (written with ?).
func (e *env) storeCount(q string, arg any, n *int64) error {
	sqlDB, err := e.store.SQLDB()
	if err != nil {
		return err
	}
	if e.store.Dialect() == db.Postgres {
		q = strings.Replace(q, "?", "$1", 1)
	}
	return sqlDB.QueryRowContext(context.Background(), q, arg).Scan(n)
}
