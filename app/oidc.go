package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// Staff sign-in with the force's identity provider: the OpenID Connect
// authorization code flow with PKCE (S256), state and nonce. What the flow
// must remember between leaving for the provider and coming back (state,
// nonce, PKCE verifier) travels in a short-lived cookie signed with the
// server's key, so no table holds half-finished sign-ins. The provider only
// proves who someone is: an account is found by the verified email, and
// roles and areas come from copbank alone, so no claim makes an admin or
// widens a coordinator's areas.

// OIDCLoginTTL is how long a sign-in started at the provider may take.
const OIDCLoginTTL = 10 * time.Minute

// oidcHTTPTimeout bounds each call copbank makes to the provider.
const oidcHTTPTimeout = 10 * time.Second

// ssoClient is the provider's discovered configuration, fetched on first
// use (and again after a failure) so copbank starts while the provider is
// down.
type ssoClient struct {
	mu       sync.Mutex
	provider *oidc.Provider
}

// oidcLogin is what the signed cookie holds between start and callback.
type oidcLogin struct {
	State    string    `json:"s"`
	Nonce    string    `json:"n"`
	Verifier string    `json:"v"`
	Expires  time.Time `json:"e"`
}

// OIDCStart is a sign-in leaving for the provider: the address to send the
// browser to and the value of the cookie that must come back with it.
type OIDCStart struct {
	AuthURL string
	Cookie  string
}

func (a *App) oidcContext(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, &http.Client{Timeout: oidcHTTPTimeout})
}

// oidcProvider discovers the provider (its endpoints and JWKS address).
func (a *App) oidcProvider(ctx context.Context) (*oidc.Provider, *oauth2.Config, error) {
	if !a.Config.OIDCEnabled() {
		return nil, nil, notFound("sign-in with a force account")
	}
	a.sso.mu.Lock()
	defer a.sso.mu.Unlock()
	if a.sso.provider == nil {
		p, err := oidc.NewProvider(a.oidcContext(ctx), a.Config.OIDCIssuer)
		if err != nil {
			a.Log.Error("oidc discovery failed", "issuer", a.Config.OIDCIssuer, "err", err)
			return nil, nil, domain.Errorf(domain.EUnauthorized, "your force's sign-in service could not be reached; try again later")
		}
		a.sso.provider = p
	}
	conf := &oauth2.Config{
		ClientID: a.Config.OIDCClientID, ClientSecret: a.Config.OIDCClientSecret,
		Endpoint: a.sso.provider.Endpoint(), RedirectURL: a.Config.OIDCRedirectURL(),
		Scopes: []string{oidc.ScopeOpenID, "email", "profile"},
	}
	return a.sso.provider, conf, nil
}

// StartOIDC begins a sign-in with the force's identity provider.
func (a *App) StartOIDC(ctx context.Context) (OIDCStart, error) {
	_, conf, err := a.oidcProvider(ctx)
	if err != nil {
		return OIDCStart{}, err
	}
	state, err := randomSecret()
	if err != nil {
		return OIDCStart{}, err
	}
	nonce, err := randomSecret()
	if err != nil {
		return OIDCStart{}, err
	}
	login := oidcLogin{State: state, Nonce: nonce, Verifier: oauth2.GenerateVerifier(), Expires: a.Now().Add(OIDCLoginTTL)}
	cookie, err := a.sealOIDCLogin(ctx, login)
	if err != nil {
		return OIDCStart{}, err
	}
	authURL := conf.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(login.Verifier))
	return OIDCStart{AuthURL: authURL, Cookie: cookie}, nil
}

// OIDCCallback is what the provider sent the browser back with.
type OIDCCallback struct {
	Cookie string // the cookie StartOIDC made
	State  string
	Code   string
	// Error is the provider's error parameter (the person cancelled, or
	// the provider refused).
	Error string
}

// FinishOIDC checks the provider's answer and signs the matched account in
// with a new web session, ending previous (the session the browser held).
// Every refusal is an unauthorised error that says why, counts against the
// sign-in rate limit and signs nobody in.
func (a *App) FinishOIDC(ctx context.Context, cb OIDCCallback, address, previous string) (string, error) {
	now := a.Now()
	// The email is not known until the provider has answered, so the
	// address's count is the one that can stop a sign-in here.
	_, byAddr, err := a.store.FailedLogins(ctx, "", address, now.Add(-loginWindow))
	if err != nil {
		return "", err
	}
	if byAddr >= maxFailuresPerAddr {
		return "", domain.Errorf(domain.ETooMany, "too many failed sign-ins; try again in %d minutes", int(loginWindow.Minutes()))
	}
	email, user, err := a.checkOIDC(ctx, cb)
	if err != nil {
		if domain.ErrorCode(err) != domain.EUnauthorized && domain.ErrorCode(err) != domain.ETooMany {
			return "", err
		}
		if rerr := a.store.RecordLogin(ctx, email, address, false, now); rerr != nil {
			return "", rerr
		}
		return "", err
	}
	if err := a.store.RecordLogin(ctx, email, address, true, now); err != nil {
		return "", err
	}
	return a.startOIDCSession(ctx, user, previous)
}

// checkOIDC verifies the provider's answer and finds the account. It
// returns the email the provider asserted, when it got that far, so a
// refusal is counted against that account too.
func (a *App) checkOIDC(ctx context.Context, cb OIDCCallback) (string, domain.User, error) {
	refused := func(msg string) error { return domain.Errorf(domain.EUnauthorized, "%s", msg) }
	login, ok := a.openOIDCLogin(ctx, cb.Cookie)
	if !ok || cb.State == "" || subtle.ConstantTimeCompare([]byte(login.State), []byte(cb.State)) != 1 {
		return "", domain.User{}, refused("that sign-in with your force account was not started here or took too long; start it again")
	}
	if cb.Error != "" || cb.Code == "" {
		return "", domain.User{}, refused("your force account did not sign you in")
	}
	provider, conf, err := a.oidcProvider(ctx)
	if err != nil {
		return "", domain.User{}, err
	}
	octx := a.oidcContext(ctx)
	tok, err := conf.Exchange(octx, cb.Code, oauth2.VerifierOption(login.Verifier))
	if err != nil {
		a.Log.Warn("oidc code exchange failed", "err", err)
		return "", domain.User{}, refused("your force account's sign-in could not be completed; start it again")
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return "", domain.User{}, refused("your force's sign-in service sent no ID token")
	}
	// The verifier checks the signature against the provider's published
	// keys, the issuer, the audience (this client) and the expiry, which
	// the provider stamped by the wall clock, so that is the clock used.
	idt, err := provider.Verifier(&oidc.Config{ClientID: a.Config.OIDCClientID}).Verify(octx, raw)
	if err != nil {
		a.Log.Warn("oidc id token refused", "err", err)
		return "", domain.User{}, refused("the ID token from your force's sign-in service is not valid for copbank")
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(login.Nonce)) != 1 {
		return "", domain.User{}, refused("the ID token from your force's sign-in service does not belong to this sign-in")
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified *bool  `json:"email_verified"`
	}
	if err := idt.Claims(&claims); err != nil {
		return "", domain.User{}, refused("the ID token from your force's sign-in service could not be read")
	}
	// Providers that follow the standard to the letter give the email only
	// at the userinfo endpoint when an access token is issued.
	if claims.Email == "" {
		info, err := provider.UserInfo(octx, oauth2.StaticTokenSource(tok))
		if err != nil || info.Subject != idt.Subject {
			a.Log.Warn("oidc userinfo refused", "err", err)
			return "", domain.User{}, refused("your force's sign-in service did not say your email address")
		}
		claims.Email = info.Email
		verified := info.EmailVerified
		claims.EmailVerified = &verified
	}
	email := strings.TrimSpace(claims.Email)
	if email == "" {
		return "", domain.User{}, refused("your force's sign-in service did not say your email address")
	}
	if claims.EmailVerified == nil || !*claims.EmailVerified {
		return email, domain.User{}, refused("your force account's email address is not verified, so it cannot sign you in")
	}
	user, err := a.store.UserByEmail(ctx, email)
	if domain.ErrorCode(err) == domain.ENotFound || (err == nil && user.DisabledAt != nil) {
		return email, domain.User{}, refused("no copbank account has the email address of your force account; ask an administrator to make one")
	}
	if err != nil {
		return email, domain.User{}, err
	}
	return email, user, nil
}

// sealOIDCLogin signs the login as base64(JSON) "." base64(HMAC), under the
// server's key with a label of its own so that no other token of copbank's
// can stand in for it.
func (a *App) sealOIDCLogin(ctx context.Context, l oidcLogin) (string, error) {
	body, err := json.Marshal(l)
	if err != nil {
		return "", err
	}
	payload := base64.RawURLEncoding.EncodeToString(body)
	mac, err := a.oidcMAC(ctx, payload)
	if err != nil {
		return "", err
	}
	return payload + "." + base64.RawURLEncoding.EncodeToString(mac), nil
}

// openOIDCLogin checks the signature and the expiry of a sealed login.
func (a *App) openOIDCLogin(ctx context.Context, v string) (oidcLogin, bool) {
	payload, sig, ok := strings.Cut(v, ".")
	if !ok || len(v) > 2048 {
		return oidcLogin{}, false
	}
	want, err := a.oidcMAC(ctx, payload)
	got, derr := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || derr != nil || !hmac.Equal(want, got) {
		return oidcLogin{}, false
	}
	body, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return oidcLogin{}, false
	}
	var l oidcLogin
	if json.Unmarshal(body, &l) != nil || !a.Now().Before(l.Expires) || l.State == "" || l.Nonce == "" || l.Verifier == "" {
		return oidcLogin{}, false
	}
	return l, true
}

func (a *App) oidcMAC(ctx context.Context, payload string) ([]byte, error) {
	key, err := a.csrfKey(ctx)
	if err != nil {
		return nil, err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("oidc-login\x00" + payload))
	return m.Sum(nil), nil
}

// startOIDCSession starts a new web session for user, ending previous, and
// records the sign-in and its method in the audit log. The provider is the
// force's own sign-in, with its own second factor, so the session is a
// full one.
func (a *App) startOIDCSession(ctx context.Context, user domain.User, previous string) (string, error) {
	now := a.Now()
	secret, err := randomSecret()
	if err != nil {
		return "", err
	}
	ws := domain.WebSession{Hash: hashToken(secret), UserID: user.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(WebSessionMaxAge)}
	err = a.store.InTx(ctx, func(tx *db.Store) error {
		if previous != "" {
			if err := tx.RevokeWebSession(ctx, hashToken(previous), now); err != nil {
				return err
			}
		}
		if err := tx.CreateWebSession(ctx, ws); err != nil {
			return err
		}
		p := &domain.Principal{User: user}
		return a.audit(ctx, tx, p, auditEvent{action: "user.sign_in", entity: "user", entityID: user.ID, memberID: user.MemberID,
			after: map[string]any{"method": "oidc", "via": "web"}})
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}
