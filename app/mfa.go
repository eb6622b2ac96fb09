package app

import (
	"context"
	"strings"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// Signing in with a password and a second factor. With a confirmed factor
// (whatever the role) the password alone gives only an mfa_token, spent by
// the first good code within MFATokenTTL. Someone whose role must use a
// factor (Config.MFARequired) and who has none is signed in enrolment-only:
// their token or session reaches their account and enrolment, nothing else,
// until a factor is confirmed. Failed codes count as failed sign-ins, so
// the password's rate limit bounds guessing too.
const MFATokenTTL = 5 * time.Minute

// Sign-in methods as the audit log records them.
const (
	MethodPassword     = "password"
	MethodPasswordTOTP = "password+totp"
	MethodRecoveryCode = "recovery_code"
)

// LoginResult is what a good password gives: a token, or the mfa_token a
// code must follow.
type LoginResult struct {
	IssuedToken
	// MFAToken is set (and IssuedToken empty) when a code must follow.
	MFAToken string
	// EnrolmentRequired: the token reaches only enrolment until a factor is confirmed.
	EnrolmentRequired bool
}

// Login checks credentials and issues a bearer token, or asks for a second
// factor. Unknown email and wrong password are the same unauthorised error;
// too many failures are rate limited.
func (a *App) Login(ctx context.Context, email, password, address string) (LoginResult, error) {
	user, err := a.checkCredentials(ctx, email, password, address)
	if err != nil {
		return LoginResult{}, err
	}
	next, err := a.afterPassword(ctx, user)
	if err != nil || next.MFAToken != "" {
		return next, err
	}
	tok, err := a.issueToken(ctx, user.ID, a.Now(), next.EnrolmentRequired)
	if err != nil {
		return LoginResult{}, err
	}
	next.IssuedToken = tok
	return next, a.auditSignIn(ctx, user, MethodPassword, "api")
}

// afterPassword decides what a good password leads to: a challenge when the
// user has a factor, enrolment-only when they must and have none.
func (a *App) afterPassword(ctx context.Context, user domain.User) (LoginResult, error) {
	has, err := a.store.HasConfirmedTOTP(ctx, user.ID)
	if err != nil {
		return LoginResult{}, err
	}
	if has {
		secret, err := randomSecret()
		if err != nil {
			return LoginResult{}, err
		}
		now := a.Now()
		if err := a.store.CreateMFAChallenge(ctx, hashToken(secret), user.ID, now, now.Add(MFATokenTTL)); err != nil {
			return LoginResult{}, err
		}
		return LoginResult{MFAToken: secret}, nil
	}
	return LoginResult{EnrolmentRequired: a.Config.MustUseSecondFactor(user)}, nil
}

// CompleteLogin takes the code (or a recovery code) that follows an
// mfa_token and issues the bearer token. A wrong, replayed or used-up code
// and an unknown or expired mfa_token are all unauthorised and counted by
// the sign-in rate limit.
func (a *App) CompleteLogin(ctx context.Context, mfaToken, code, address string) (IssuedToken, error) {
	user, method, err := a.checkSecondFactor(ctx, mfaToken, code, address)
	if err != nil {
		return IssuedToken{}, err
	}
	tok, err := a.issueToken(ctx, user.ID, a.Now(), false)
	if err != nil {
		return IssuedToken{}, err
	}
	return tok, a.auditSignIn(ctx, user, method, "api")
}

func (a *App) checkSecondFactor(ctx context.Context, mfaToken, code, address string) (domain.User, string, error) {
	now := a.Now()
	refused := domain.Errorf(domain.EUnauthorized, "the code is not right, was used already, or the sign-in has expired; a code works once, and the sign-in must be finished within %d minutes", int(MFATokenTTL.Minutes()))
	userID, err := a.store.MFAChallengeUser(ctx, hashToken(strings.TrimSpace(mfaToken)), now)
	if domain.ErrorCode(err) == domain.ENotFound {
		if err := a.checkCodeLimit(ctx, "", address); err != nil {
			return domain.User{}, "", err
		}
		return domain.User{}, "", orRefused(a.store.RecordLogin(ctx, "", address, false, now), refused)
	}
	if err != nil {
		return domain.User{}, "", err
	}
	user, err := a.store.UserByID(ctx, userID)
	if err != nil {
		return domain.User{}, "", err
	}
	if err := a.checkCodeLimit(ctx, user.Email, address); err != nil {
		return domain.User{}, "", err
	}
	f, err := a.store.TOTPByUser(ctx, user.ID)
	if err != nil && domain.ErrorCode(err) != domain.ENotFound {
		return domain.User{}, "", err
	}
	ok, method := false, MethodPasswordTOTP
	if err == nil && f.ConfirmedAt != nil && user.DisabledAt == nil {
		if looksLikeRecoveryCode(code) {
			method = MethodRecoveryCode
			ok, err = a.useRecoveryCode(ctx, user.ID, code)
		} else {
			ok, err = a.checkTOTP(ctx, f, code)
		}
		if err != nil {
			return domain.User{}, "", err
		}
	}
	if ok {
		ok, err = a.store.SpendMFAChallenge(ctx, hashToken(strings.TrimSpace(mfaToken)), now)
		if err != nil {
			return domain.User{}, "", err
		}
	}
	if err := a.store.RecordLogin(ctx, user.Email, address, ok, now); err != nil {
		return domain.User{}, "", err
	}
	if !ok {
		return domain.User{}, "", refused
	}
	return user, method, nil
}

// orRefused returns err when there is one, else refused.
func orRefused(err, refused error) error {
	if err != nil {
		return err
	}
	return refused
}

// checkCodeLimit refuses a code while the account or the address has had
// too many failed sign-ins (passwords and codes alike) in the window.
func (a *App) checkCodeLimit(ctx context.Context, email, address string) error {
	byEmail, byAddr, err := a.store.FailedLogins(ctx, email, address, a.Now().Add(-loginWindow))
	if err != nil {
		return err
	}
	if email != "" && byEmail >= maxFailuresPerEmail || byAddr >= maxFailuresPerAddr {
		return domain.Errorf(domain.ETooMany, "too many failed sign-ins; try again in %d minutes", int(loginWindow.Minutes()))
	}
	return nil
}

// auditSignIn records a sign-in and how it was made; the email is personal
// and stays out of the entry.
func (a *App) auditSignIn(ctx context.Context, user domain.User, method, via string) error {
	return a.store.InTx(ctx, func(tx *db.Store) error {
		return a.audit(ctx, tx, &domain.Principal{User: user}, auditEvent{action: "user.sign_in", entity: "user", entityID: user.ID,
			memberID: user.MemberID, after: map[string]any{"method": method, "via": via}})
	})
}

// Session is one of a user's ways in, as listed to them or an admin.
type Session struct {
	domain.Session
	Current bool // the one this request came with
}

// Sessions lists a user's live web sessions and API tokens: one's own, or
// anyone's for an admin. currentWeb is the caller's web-session id, if any.
func (a *App) Sessions(ctx context.Context, p *domain.Principal, userID, currentWeb string) ([]Session, error) {
	if err := a.sessionReach(ctx, p, userID); err != nil {
		return nil, err
	}
	now := a.Now()
	all, err := a.store.UserSessions(ctx, userID, now)
	if err != nil {
		return nil, err
	}
	out := make([]Session, 0, len(all))
	for _, s := range all {
		if s.LastSeenAt != nil && !now.Before(s.LastSeenAt.Add(WebSessionIdle)) {
			continue
		}
		out = append(out, Session{Session: s, Current: s.ID == p.TokenID || s.ID == currentWeb})
	}
	return out, nil
}

// RevokeSession ends one of a user's sessions or tokens by its listed id:
// one's own, or anyone's for an admin. An unknown id is not found.
func (a *App) RevokeSession(ctx context.Context, p *domain.Principal, userID, id string) error {
	if err := a.sessionReach(ctx, p, userID); err != nil {
		return err
	}
	return a.store.InTx(ctx, func(tx *db.Store) error {
		if err := tx.RevokeUserSession(ctx, userID, id, a.Now()); err != nil {
			if domain.ErrorCode(err) == domain.ENotFound {
				return notFound("session")
			}
			return err
		}
		return a.audit(ctx, tx, p, auditEvent{action: "user.session.revoke", entity: "user", entityID: userID,
			after: map[string]any{"session_id": id}})
	})
}

func (a *App) sessionReach(ctx context.Context, p *domain.Principal, userID string) error {
	if p.User.ID == userID {
		return nil
	}
	if !p.IsAdmin() {
		return forbidden("only an admin may see or end another account's sessions")
	}
	if _, err := a.store.UserByID(ctx, userID); domain.ErrorCode(err) == domain.ENotFound {
		return notFound("account")
	} else if err != nil {
		return err
	}
	return nil
}

// WebSessionID is how a web session (by its cookie's secret) is named in
// session lists.
func WebSessionID(secret string) string {
	if secret == "" {
		return ""
	}
	return "web-" + hashToken(secret)[:16]
}

// HasSecondFactor reports whether the caller has a confirmed factor.
func (a *App) HasSecondFactor(ctx context.Context, p *domain.Principal) (bool, error) {
	return a.store.HasConfirmedTOTP(ctx, p.User.ID)
}

// enrolmentOnly reports whether a token or session flagged enrolment-only
// still is: until its user confirms a factor.
func (a *App) enrolmentOnly(ctx context.Context, flagged bool, userID string) (bool, error) {
	if !flagged {
		return false, nil
	}
	has, err := a.store.HasConfirmedTOTP(ctx, userID)
	return !has, err
}
