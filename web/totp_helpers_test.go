package web_test

import (
	"context"
	"net/http"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// code is the TOTP code of secret at the test clock plus steps time-steps,
// computed as an authenticator app would.
func (e *env) code(secret string, steps int) string {
	e.t.Helper()
	at := e.now.Load().Add(time.Duration(steps) * 30 * time.Second)
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// enrolled creates an account with a confirmed second factor and returns
// its user id and recovery codes. The factor's code of the current step is
// spent by the confirmation.
func (e *env) enrolled(email string, roles []domain.Role) (string, []string) {
	e.t.Helper()
	ctx := context.Background()
	u, err := e.app.CreateUser(ctx, app.NewUser{Email: email, Name: email, Password: "a long test password", Roles: roles})
	if err != nil {
		e.t.Fatal(err)
	}
	tok, err := e.app.Login(ctx, email, "a long test password", "127.0.0.1")
	if err != nil || tok.Token == "" {
		e.t.Fatalf("sign in before enrolling: %v %+v", err, tok)
	}
	r := e.do(http.MethodPost, "/api/v1/me/totp", tok.Token, nil)
	if r.status != http.StatusCreated {
		e.t.Fatalf("enrol: %d %s", r.status, r.raw)
	}
	e.secrets.Store(u.ID, r.body["secret"].(string))
	r = e.do(http.MethodPost, "/api/v1/me/totp/confirm", tok.Token, map[string]any{"code": e.code(r.body["secret"].(string), 0)})
	if r.status != http.StatusOK {
		e.t.Fatalf("confirm: %d %s", r.status, r.raw)
	}
	var codes []string
	for _, c := range r.body["recovery_codes"].([]any) {
		codes = append(codes, c.(string))
	}
	return u.ID, codes
}

// mfaToken signs in with the password of an account with a factor.
func (e *env) mfaToken(email string) string {
	e.t.Helper()
	r := e.do(http.MethodPost, "/api/v1/auth/login", "", map[string]any{"email": email, "password": "a long test password"})
	if r.status != http.StatusOK || r.body["mfa_required"] != true {
		e.t.Fatalf("password step: %d %s", r.status, r.raw)
	}
	return r.body["mfa_token"].(string)
}

func (e *env) userID(email string) string {
	e.t.Helper()
	u, err := e.store.UserByEmail(context.Background(), email)
	if err != nil {
		e.t.Fatal(err)
	}
	return u.ID
}

// newSessionID signs in anew as email (password only) and returns the id
// the session list gives the new token.
func (e *env) newSessionID(email string) string {
	e.t.Helper()
	tok, err := e.app.Login(context.Background(), email, "a long test password", "127.0.0.1")
	if err != nil || tok.Token == "" {
		e.t.Fatalf("sign in as %s: %v", email, err)
	}
	r := e.do(http.MethodGet, "/api/v1/me/sessions", tok.Token, nil)
	for _, it := range r.body["items"].([]any) {
		if m := it.(map[string]any); m["current"] == true {
			return m["id"].(string)
		}
	}
	e.t.Fatalf("no current session in %s", r.raw)
	return ""
}
