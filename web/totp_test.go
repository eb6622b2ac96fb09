package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/domain"
)

func totpSecretOf(t *testing.T, e *env, userID string) string {
	t.Helper()
	v, ok := e.secrets.Load(userID)
	if !ok {
		t.Fatalf("no secret enrolled for %s", userID)
	}
	return v.(string)
}

func signInMethods(t *testing.T, e *env, userID string) []string {
	t.Helper()
	var out []string
	for _, it := range auditItems(t, e.do(http.MethodGet, "/api/v1/audit?action=user.sign_in&entity_id="+userID, e.admin, nil)) {
		out = append(out, it["after"].(map[string]any)["method"].(string))
	}
	return out
}

func TestLoginWithASecondFactor(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		id, recovery := e.enrolled("pat@example.org", []domain.Role{domain.RoleCoordinator})
		secret := totpSecretOf(t, e, id)
		e.advance(30 * time.Second) // the confirmation spent the current step's code

		t.Run("the password alone gives an mfa_token, not a token", func(t *testing.T) {
			r := e.do(http.MethodPost, "/api/v1/auth/login", "", map[string]any{"email": "pat@example.org", "password": "a long test password"})
			if r.status != http.StatusOK || r.body["mfa_required"] != true || r.body["mfa_token"] == "" || r.body["token"] != nil {
				t.Fatalf("%d %s", r.status, r.raw)
			}
		})
		t.Run("a correct code gives a token that works; the same code again is refused", func(t *testing.T) {
			code := e.code(secret, 0)
			r := e.do(http.MethodPost, "/api/v1/auth/mfa", "", map[string]any{"mfa_token": e.mfaToken("pat@example.org"), "code": code})
			if r.status != http.StatusOK || r.body["token"] == nil || r.body["expires_at"] == nil {
				t.Fatalf("%d %s", r.status, r.raw)
			}
			if me := e.do(http.MethodGet, "/api/v1/me", r.body["token"].(string), nil); me.status != http.StatusOK {
				t.Fatalf("me: %d", me.status)
			}
			replay := e.do(http.MethodPost, "/api/v1/auth/mfa", "", map[string]any{"mfa_token": e.mfaToken("pat@example.org"), "code": code})
			if replay.status != http.StatusUnauthorized {
				t.Fatalf("replayed code: %d %s", replay.status, replay.raw)
			}
		})
		t.Run("an mfa_token is spent by its first good code", func(t *testing.T) {
			e.advance(30 * time.Second)
			mt := e.mfaToken("pat@example.org")
			if r := e.do(http.MethodPost, "/api/v1/auth/mfa", "", map[string]any{"mfa_token": mt, "code": e.code(secret, 0)}); r.status != http.StatusOK {
				t.Fatalf("%d %s", r.status, r.raw)
			}
			e.advance(30 * time.Second)
			if r := e.do(http.MethodPost, "/api/v1/auth/mfa", "", map[string]any{"mfa_token": mt, "code": e.code(secret, 0)}); r.status != http.StatusUnauthorized {
				t.Fatalf("second use of an mfa_token: %d %s", r.status, r.raw)
			}
		})
		t.Run("an expired code and an expired mfa_token are refused", func(t *testing.T) {
			e.advance(30 * time.Second)
			if r := e.do(http.MethodPost, "/api/v1/auth/mfa", "", map[string]any{"mfa_token": e.mfaToken("pat@example.org"), "code": e.code(secret, 3)}); r.status != http.StatusUnauthorized {
				t.Fatalf("a code three steps ahead (outside the drift allowed): %d %s", r.status, r.raw)
			}
			mt := e.mfaToken("pat@example.org")
			e.advance(6 * time.Minute)
			if r := e.do(http.MethodPost, "/api/v1/auth/mfa", "", map[string]any{"mfa_token": mt, "code": e.code(secret, 0)}); r.status != http.StatusUnauthorized {
				t.Fatalf("an mfa_token six minutes old: %d %s", r.status, r.raw)
			}
		})
		t.Run("a recovery code works once and never again", func(t *testing.T) {
			e.advance(30 * time.Second)
			r := e.do(http.MethodPost, "/api/v1/auth/mfa", "", map[string]any{"mfa_token": e.mfaToken("pat@example.org"), "code": strings.ToUpper(recovery[3])})
			if r.status != http.StatusOK {
				t.Fatalf("%d %s", r.status, r.raw)
			}
			r = e.do(http.MethodPost, "/api/v1/auth/mfa", "", map[string]any{"mfa_token": e.mfaToken("pat@example.org"), "code": recovery[3]})
			if r.status != http.StatusUnauthorized {
				t.Fatalf("a used recovery code: %d %s", r.status, r.raw)
			}
		})
		t.Run("sign-ins are audited with their method", func(t *testing.T) {
			got := strings.Join(signInMethods(t, e, id), " ")
			for _, m := range []string{"password+totp", "recovery_code"} {
				if !strings.Contains(got, m) {
					t.Errorf("sign-in methods %q lack %s", got, m)
				}
			}
		})
		t.Run("wrong codes count towards the rate limit, which then refuses even a good code", func(t *testing.T) {
			e.advance(16 * time.Minute) // a fresh window
			for i := 0; i < 5; i++ {
				r := e.do(http.MethodPost, "/api/v1/auth/mfa", "", map[string]any{"mfa_token": e.mfaToken("pat@example.org"), "code": "000000"})
				if r.status != http.StatusUnauthorized {
					t.Fatalf("wrong code %d: %d %s", i, r.status, r.raw)
				}
			}
			r := e.do(http.MethodPost, "/api/v1/auth/login", "", map[string]any{"email": "pat@example.org", "password": "a long test password"})
			if r.status != http.StatusTooManyRequests {
				t.Fatalf("password after five wrong codes: %d %s", r.status, r.raw)
			}
		})
	})
}

func TestEnrolmentRequiredTokenReachesOnlyEnrolment(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.app.Config.MFARequired = []domain.Role{domain.RoleAdmin, domain.RoleCoordinator}
		e.login("boss@example.org", []domain.Role{domain.RoleAdmin}, "", nil)
		r := e.do(http.MethodPost, "/api/v1/auth/login", "", map[string]any{"email": "boss@example.org", "password": "a long test password"})
		if r.status != http.StatusOK || r.body["mfa_enrolment_required"] != true || r.body["token"] == nil {
			t.Fatalf("%d %s", r.status, r.raw)
		}
		tok := r.body["token"].(string)
		for _, path := range []string{"/api/v1/members", "/api/v1/audit", "/api/v1/me/sessions"} {
			if r := e.do(http.MethodGet, path, tok, nil); r.status != http.StatusForbidden {
				t.Errorf("GET %s before enrolment: %d, want 403", path, r.status)
			}
		}
		if r := e.do(http.MethodGet, "/api/v1/me", tok, nil); r.status != http.StatusOK {
			t.Fatalf("me: %d", r.status)
		}
		en := e.do(http.MethodPost, "/api/v1/me/totp", tok, nil)
		if en.status != http.StatusCreated || !strings.HasPrefix(en.body["qr_code"].(string), "data:image/png;base64,") ||
			!strings.HasPrefix(en.body["otpauth_url"].(string), "otpauth://totp/") {
			t.Fatalf("enrol: %d %s", en.status, en.raw)
		}
		if r := e.do(http.MethodPost, "/api/v1/me/totp/confirm", tok, map[string]any{"code": "000000"}); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("a wrong first code: %d %s", r.status, r.raw)
		}
		if r := e.do(http.MethodGet, "/api/v1/members", tok, nil); r.status != http.StatusForbidden {
			t.Fatalf("after a wrong code: %d", r.status)
		}
		c := e.do(http.MethodPost, "/api/v1/me/totp/confirm", tok, map[string]any{"code": e.code(en.body["secret"].(string), 0)})
		if c.status != http.StatusOK || len(c.body["recovery_codes"].([]any)) != 10 {
			t.Fatalf("confirm: %d %s", c.status, c.raw)
		}
		if r := e.do(http.MethodGet, "/api/v1/members", tok, nil); r.status != http.StatusOK {
			t.Fatalf("after enrolment: %d %s", r.status, r.raw)
		}
		if r := e.do(http.MethodPost, "/api/v1/me/totp", tok, nil); r.status != http.StatusConflict {
			t.Fatalf("enrolling over a confirmed factor: %d", r.status)
		}
		// A member is not required to by default: their token is whole.
		_, mtok := e.memberLogin("mo", memberOpts{})
		if r := e.do(http.MethodGet, "/api/v1/me/sessions", mtok, nil); r.status != http.StatusOK {
			t.Fatalf("member: %d", r.status)
		}
	})
}

func TestAdminResetsASecondFactor(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		id, _ := e.enrolled("lost@example.org", []domain.Role{domain.RoleCoordinator})
		if r := e.do(http.MethodDelete, "/api/v1/users/"+id+"/totp", e.coordinator, nil); r.status != http.StatusForbidden {
			t.Fatalf("coordinator: %d", r.status)
		}
		if r := e.do(http.MethodDelete, "/api/v1/users/"+id+"/totp", e.admin, nil); r.status != http.StatusNoContent {
			t.Fatalf("admin: %d %s", r.status, r.raw)
		}
		if r := e.do(http.MethodDelete, "/api/v1/users/"+id+"/totp", e.admin, nil); r.status != http.StatusNotFound {
			t.Fatalf("nothing left to reset: %d", r.status)
		}
		r := e.do(http.MethodPost, "/api/v1/auth/login", "", map[string]any{"email": "lost@example.org", "password": "a long test password"})
		if r.status != http.StatusOK || r.body["token"] == nil {
			t.Fatalf("sign-in after the reset: %d %s", r.status, r.raw)
		}
		items := auditItems(t, e.do(http.MethodGet, "/api/v1/audit?action=user.totp.reset&entity_id="+id, e.admin, nil))
		if len(items) != 1 {
			t.Fatalf("reset audited %d times", len(items))
		}
	})
}

func TestSessionsAreListedAndRevoked(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		_, tok := e.memberLogin("sal", memberOpts{})
		other := e.newSessionID("sal@example.org")
		r := e.do(http.MethodGet, "/api/v1/me/sessions", tok, nil)
		items := r.body["items"].([]any)
		if r.status != http.StatusOK || len(items) != 2 {
			t.Fatalf("%d %s", r.status, r.raw)
		}
		if r := e.do(http.MethodDelete, "/api/v1/me/sessions/"+other, tok, nil); r.status != http.StatusNoContent {
			t.Fatalf("revoke: %d %s", r.status, r.raw)
		}
		if r := e.do(http.MethodDelete, "/api/v1/me/sessions/"+other, tok, nil); r.status != http.StatusNotFound {
			t.Fatalf("revoke twice: %d", r.status)
		}
		if n := len(e.do(http.MethodGet, "/api/v1/me/sessions", tok, nil).body["items"].([]any)); n != 1 {
			t.Fatalf("%d sessions after revoking one", n)
		}
		// An admin ends the member's last token: it stops working at once.
		uid := e.userID("sal@example.org")
		list := e.do(http.MethodGet, "/api/v1/users/"+uid+"/sessions", e.admin, nil).body["items"].([]any)
		last := list[0].(map[string]any)["id"].(string)
		if r := e.do(http.MethodDelete, "/api/v1/users/"+uid+"/sessions/"+last, e.admin, nil); r.status != http.StatusNoContent {
			t.Fatalf("admin revoke: %d %s", r.status, r.raw)
		}
		if r := e.do(http.MethodGet, "/api/v1/me", tok, nil); r.status != http.StatusUnauthorized {
			t.Fatalf("a revoked token: %d", r.status)
		}
	})
}
