package app

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"sync"

	"time"

	"github.com/copbank/copbank/domain"
)

// Web sessions of the server-rendered pages: a random secret in a cookie,
// stored only as its SHA-256. A session ends at sign-out, when its account is
// disabled or its password reset, WebSessionMaxAge after sign-in, or
// WebSessionIdle after it was last used, whichever comes first.
const (
	WebSessionIdle   = 30 * time.Minute
	WebSessionMaxAge = 12 * time.Hour
	csrfKeyName      = "csrf"
)

// WebSignIn is what a good password gives the pages: a session, or the
// mfa_token a code must follow.
type WebSignIn struct {
	Secret   string // the new session's cookie secret
	MFAToken string // set (and Secret empty) when a code must follow
	// EnrolmentRequired: the session reaches only enrolment until a factor is confirmed.
	EnrolmentRequired bool
}

// SignIn checks credentials exactly as Login does (same rate limit, same
// answers, same second factor) and starts a new web session, returning its
// secret for the cookie. The session the browser held before, if any, is
// ended: every sign-in gets a new id.
func (a *App) SignIn(ctx context.Context, email, password, address, previous string) (WebSignIn, error) {
	user, err := a.checkCredentials(ctx, email, password, address)
	if err != nil {
		return WebSignIn{}, err
	}
	next, err := a.afterPassword(ctx, user)
	if err != nil || next.MFAToken != "" {
		return WebSignIn{MFAToken: next.MFAToken}, err
	}
	secret, err := a.startWebSession(ctx, user, previous, next.EnrolmentRequired)
	if err != nil {
		return WebSignIn{}, err
	}
	return WebSignIn{Secret: secret, EnrolmentRequired: next.EnrolmentRequired}, a.auditSignIn(ctx, user, MethodPassword, "web")
}

// CompleteSignIn takes the code (or recovery code) that follows a web
// sign-in's mfa_token, as CompleteLogin does, and starts the session.
func (a *App) CompleteSignIn(ctx context.Context, mfaToken, code, address, previous string) (string, error) {
	user, method, err := a.checkSecondFactor(ctx, mfaToken, code, address)
	if err != nil {
		return "", err
	}
	secret, err := a.startWebSession(ctx, user, previous, false)
	if err != nil {
		return "", err
	}
	return secret, a.auditSignIn(ctx, user, method, "web")
}

func (a *App) startWebSession(ctx context.Context, user domain.User, previous string, enrolmentOnly bool) (string, error) {
	now := a.Now()
	if previous != "" {
		if err := a.store.RevokeWebSession(ctx, hashToken(previous), now); err != nil {
			return "", err
		}
	}
	secret, err := randomSecret()
	if err != nil {
		return "", err
	}
	ws := domain.WebSession{Hash: hashToken(secret), UserID: user.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(WebSessionMaxAge), EnrolmentOnly: enrolmentOnly}
	if err := a.store.CreateWebSession(ctx, ws); err != nil {
		return "", err
	}
	return secret, nil
}

// SessionPrincipal resolves a session cookie's secret to the same principal
// a bearer token gives, and restarts the idle time-out. An unknown, revoked,
// expired or idle session, or a disabled account, is unauthorised.
func (a *App) SessionPrincipal(ctx context.Context, secret string) (*domain.Principal, error) {
	unauthorised := domain.Errorf(domain.EUnauthorized, "your session has ended; sign in again")
	if secret == "" {
		return nil, unauthorised
	}
	ws, err := a.store.WebSessionByHash(ctx, hashToken(secret))
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, unauthorised
	}
	if err != nil {
		return nil, err
	}
	now := a.Now()
	if ws.RevokedAt != nil || !now.Before(ws.ExpiresAt) || !now.Before(ws.LastSeenAt.Add(WebSessionIdle)) {
		return nil, unauthorised
	}
	u, err := a.store.UserByID(ctx, ws.UserID)
	if err != nil {
		return nil, err
	}
	if u.DisabledAt != nil {
		return nil, unauthorised
	}
	if err := a.store.TouchWebSession(ctx, ws.Hash, now); err != nil {
		return nil, err
	}
	limited, err := a.enrolmentOnly(ctx, ws.EnrolmentOnly, u.ID)
	if err != nil {
		return nil, err
	}
	return &domain.Principal{User: u, EnrolmentOnly: limited}, nil
}

// SignOut ends a web session. Ending an unknown or ended one is harmless.
func (a *App) SignOut(ctx context.Context, secret string) error {
	if secret == "" {
		return nil
	}
	return a.store.RevokeWebSession(ctx, hashToken(secret), a.Now())
}

// NewPreSession is a random value for a browser that has not signed in yet:
// the sign-in form's CSRF token is bound to it.
func NewPreSession() (string, error) { return randomSecret() }

// CSRFToken is the token every form of a session carries: an HMAC-SHA256 of
// the session's secret (or a pre-session's value) under the server's CSRF
// key. The key is made at random at first start and kept in the database
// (table server_keys), so every instance shares it and a restart keeps
// forms valid; COPBANK_SECRET is not needed.
func (a *App) CSRFToken(ctx context.Context, secret string) (string, error) {
	key, err := a.csrfKey(ctx)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("csrf\x00" + secret))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)), nil
}

// CheckCSRF reports whether token is the session's CSRF token, in constant time.
func (a *App) CheckCSRF(ctx context.Context, secret, token string) (bool, error) {
	if secret == "" || token == "" {
		return false, nil
	}
	want, err := a.CSRFToken(ctx, secret)
	if err != nil {
		return false, err
	}
	return hmac.Equal([]byte(want), []byte(token)), nil
}

type serverKeys struct {
	mu   sync.Mutex
	csrf []byte
}

func (a *App) csrfKey(ctx context.Context) ([]byte, error) {
	if a.keys != nil {
		a.keys.mu.Lock()
		defer a.keys.mu.Unlock()
		if a.keys.csrf != nil {
			return a.keys.csrf, nil
		}
	}
	candidate := make([]byte, 32)
	if _, err := rand.Read(candidate); err != nil {
		return nil, err
	}
	stored, err := a.store.ServerKey(ctx, csrfKeyName, hex.EncodeToString(candidate), a.Now())
	if err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(stored)
	if err != nil || len(key) < 32 {
		return nil, domain.Errorf(domain.EInternal, "the stored CSRF key is damaged")
	}
	if a.keys != nil {
		a.keys.csrf = key
	}
	return key, nil
}

func randomSecret() (string, error) {
	b := make([]byte, tokenSecretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
