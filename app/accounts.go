package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"time"

	"github.com/riverqueue/river"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// Invitation and password-reset links.
// A link's secret is 32 random bytes shown once, in the message sent; only
// its SHA-256 is stored. A link works once and until it expires; an unknown,
// used or expired link is EGone (410), the three told apart by nobody.

const (
	invitationTTL = 7 * 24 * time.Hour
	resetTTL      = time.Hour
	// Password-reset requests per email and per address in resetWindow.
	resetWindow          = time.Hour
	maxResetsPerEmail    = 3
	maxResetsPerAddr     = 20
	linkFailureWindow    = 15 * time.Minute
	maxLinkFailuresPerIP = 20
)

// Invitation is an invitation as its maker sees it: never the secret, which
// goes only to the member.
type Invitation struct {
	ID        string
	MemberID  string
	ExpiresAt time.Time
}

func newLinkSecret() (string, error) {
	b := make([]byte, tokenSecretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func linkGone() error {
	return domain.Errorf(domain.EGone, "this link is not valid: it was never issued, has been used, or has expired; ask for a new one")
}

// accountOf finds the account a member signs in as: one linked to the
// member, else one with the member's email that is linked to no member.
// ok is false when there is none; an account with that email linked to
// another member is a conflict.
func accountOf(ctx context.Context, tx *db.Store, m domain.Member) (u domain.User, ok bool, err error) {
	users, err := tx.UsersOfMember(ctx, m.ID)
	if err != nil {
		return domain.User{}, false, err
	}
	if len(users) > 0 {
		u, err := tx.UserByID(ctx, users[0].ID)
		return u, err == nil, err
	}
	u, err = tx.UserByEmail(ctx, m.Email)
	if domain.ErrorCode(err) == domain.ENotFound {
		return domain.User{}, false, nil
	}
	if err != nil {
		return domain.User{}, false, err
	}
	if u.MemberID != "" && u.MemberID != m.ID {
		return domain.User{}, false, domain.Errorf(domain.EConflict, "an account with the member's email signs in as another member")
	}
	return u, true, nil
}

// Invite sends a member a single-use link, valid for seven days, to make
// their account (role member, signing in with the member's email) and set
// its password. Admins and coordinators whose scope holds the member's home
// area may invite; the member themselves is forbidden, anyone else is told
// there is no such member. A member who already has an account with a
// password, or is archived, is a conflict (use a password reset). A new
// invitation ends the member's earlier ones.
func (a *App) Invite(ctx context.Context, p *domain.Principal, memberID string) (Invitation, error) {
	secret, err := newLinkSecret()
	if err != nil {
		return Invitation{}, err
	}
	now := a.Now()
	var inv Invitation
	var m domain.Member
	err = a.store.InTx(ctx, func(tx *db.Store) error {
		var reach memberReach
		if m, reach, err = a.reachMember(ctx, tx, p, memberID); err != nil {
			return err
		}
		if reach != reachManage {
			return forbidden("only an admin or a coordinator of the member's area may invite them")
		}
		if m.Status == domain.MemberArchived {
			return domain.Errorf(domain.EConflict, "the member is archived; reactivate them before inviting")
		}
		u, ok, err := accountOf(ctx, tx, m)
		if err != nil {
			return err
		}
		if ok && u.PasswordHash != "" {
			return domain.Errorf(domain.EConflict, "the member already has an account with a password; they can reset it at POST /api/v1/auth/password-reset")
		}
		if err := tx.SpendLinksOf(ctx, m.ID, nil, now); err != nil {
			return err
		}
		l := domain.AccountLink{ID: NewID(), Purpose: domain.LinkInvite, Hash: hashToken(secret), MemberID: m.ID,
			CreatedBy: p.User.ID, CreatedAt: now, ExpiresAt: now.Add(invitationTTL)}
		if err := tx.CreateAccountLink(ctx, l); err != nil {
			return err
		}
		inv = Invitation{ID: l.ID, MemberID: m.ID, ExpiresAt: l.ExpiresAt}
		return a.audit(ctx, tx, p, auditEvent{action: "invitation.create", entity: "invitation", entityID: l.ID, memberID: m.ID,
			after: map[string]any{"invitation_id": l.ID, "member_id": m.ID, "expires_at": l.ExpiresAt, "sent_to": "the member's email"}})
	})
	if err != nil {
		return Invitation{}, err
	}
	link := a.Config.BaseURL + "/invite/" + secret
	msg, err := renderEmail(Message{To: m.Email, Subject: "You are invited to copbank", Link: link,
		Text: fmt.Sprintf("You have been invited to copbank. Open the link below to choose a password "+
			"(or POST {\"token\": \"%s\", \"password\": \"…\"} to %s/api/v1/auth/accept-invite). "+
			"The link works once and expires on %s.", secret, a.Config.BaseURL,
			inv.ExpiresAt.In(a.Config.TimeZone).Format("2 January 2006 at 15:04"))}, emailData{Name: m.Name})
	if err == nil {
		err = a.Notify.Send(ctx, msg)
	}
	if err != nil {
		return Invitation{}, fmt.Errorf("send the invitation: %w", err)
	}
	return inv, nil
}

// linkGuard refuses an address that has presented too many links that did
// not work (ETooMany).
func (a *App) linkGuard(ctx context.Context, now time.Time) error {
	_, byAddr, err := a.store.CountAttempts(ctx, db.AttemptLink, "", RequestOf(ctx).Address, now.Add(-linkFailureWindow))
	if err != nil {
		return err
	}
	if byAddr >= maxLinkFailuresPerIP {
		return domain.Errorf(domain.ETooMany, "too many links that did not work; try again in %d minutes", int(linkFailureWindow.Minutes()))
	}
	return nil
}

// spendLink runs fn on the live link of purpose with this secret, inside one
// transaction, and spends it; a link that does not work is counted against
// the caller's address and answered EGone.
func (a *App) spendLink(ctx context.Context, secret, password string, purpose domain.LinkPurpose,
	fn func(tx *db.Store, l domain.AccountLink, hash string) error) error {
	now := a.Now()
	if err := a.linkGuard(ctx, now); err != nil {
		return err
	}
	if len([]rune(password)) < minPasswordLength {
		return domain.FieldInvalid("password", "must be at least 12 characters")
	}
	hash, err := hashPasswordCost(password, a.Config.PasswordMemoryKiB)
	if err != nil {
		return err
	}
	err = a.store.InTx(ctx, func(tx *db.Store) error {
		l, err := tx.AccountLinkByHash(ctx, hashToken(secret))
		if domain.ErrorCode(err) == domain.ENotFound || err == nil && (l.Purpose != purpose || l.UsedAt != nil || !now.Before(l.ExpiresAt)) {
			return linkGone()
		}
		if err != nil {
			return err
		}
		if err := tx.SpendAccountLink(ctx, l.ID, now); err != nil {
			if domain.ErrorCode(err) == domain.EConflict {
				return linkGone() // spent by a concurrent request
			}
			return err
		}
		return fn(tx, l, hash)
	})
	if domain.ErrorCode(err) == domain.EGone {
		if rerr := a.store.RecordAttempt(ctx, db.AttemptLink, "", RequestOf(ctx).Address, now); rerr != nil {
			return rerr
		}
	}
	return err
}

// AcceptInvitation spends an invitation link: it creates the member's
// account (role member, the member's email and name) or, for an account
// without a password, sets it, and signs the member in. An unknown, used or
// expired link is EGone; an account that has a password already, or is
// disabled, is a conflict; a short password is invalid; too many bad links
// from one address are rate limited.
func (a *App) AcceptInvitation(ctx context.Context, secret, password string) (IssuedToken, error) {
	var userID string
	var mustEnrol bool
	err := a.spendLink(ctx, secret, password, domain.LinkInvite, func(tx *db.Store, l domain.AccountLink, hash string) error {
		now := a.Now()
		m, err := tx.MemberByID(ctx, l.MemberID)
		if err != nil {
			return err
		}
		if m.Status == domain.MemberArchived {
			return linkGone()
		}
		u, ok, err := accountOf(ctx, tx, m)
		if err != nil {
			return err
		}
		outcome := "password set"
		switch {
		case ok && u.DisabledAt != nil:
			return domain.Errorf(domain.EConflict, "the member's account is disabled; ask an admin")
		case ok && u.PasswordHash != "":
			return domain.Errorf(domain.EConflict, "the member already has an account with a password; use a password reset instead")
		case ok:
			if err := tx.SetUserPassword(ctx, u.ID, hash, now); err != nil {
				return err
			}
			if err := tx.LinkUserMember(ctx, u.ID, m.ID); err != nil {
				return err
			}
			if !u.Has(domain.RoleMember) {
				u.Roles = append(slices.Clone(u.Roles), domain.RoleMember)
				if err := tx.SetUserRoles(ctx, u.ID, u.Roles); err != nil {
					return err
				}
			}
		default:
			outcome = "account created"
			u = domain.User{ID: NewID(), Email: m.Email, Name: m.Name, PasswordHash: hash, Roles: []domain.Role{domain.RoleMember},
				MemberID: m.ID, CreatedAt: now}
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
		}
		if err := tx.SpendLinksOf(ctx, m.ID, nil, now); err != nil {
			return err
		}
		userID = u.ID
		mustEnrol = a.Config.MustUseSecondFactor(u)
		// The account's email and name are the member's: recorded by reference.
		return a.audit(ctx, tx, &domain.Principal{User: u}, auditEvent{action: "invitation.accept", entity: "user", entityID: u.ID,
			memberID: m.ID, after: map[string]any{"invitation_id": l.ID, "user_id": u.ID, "member_id": m.ID, "roles": u.Roles, "outcome": outcome}})
	})
	if err != nil {
		return IssuedToken{}, err
	}
	return a.issueToken(ctx, userID, a.Now(), mustEnrol)
}

// RequestPasswordReset asks for a single-use link, valid for an hour, to be
// sent to the account with this email, if there is one and it is not
// disabled. It says nothing about whether there is: the caller learns only
// ETooMany, when one email or one address has asked too often, counted alike
// for known and unknown emails. Nor does its timing: every request does the
// same work (the attempt recorded and a password_reset job enqueued, in one
// transaction), and the job looks the account up, makes the link and sends
// it. The job's email is in River's table until River's cleaner removes the
// finished job (a day).
func (a *App) RequestPasswordReset(ctx context.Context, email string) error {
	now := a.Now()
	addr := RequestOf(ctx).Address
	byEmail, byAddr, err := a.store.CountAttempts(ctx, db.AttemptReset, email, addr, now.Add(-resetWindow))
	if err != nil {
		return err
	}
	if byEmail >= maxResetsPerEmail || byAddr >= maxResetsPerAddr {
		return domain.Errorf(domain.ETooMany, "too many password-reset requests; try again in %d minutes", int(resetWindow.Minutes()))
	}
	return a.store.InTx(ctx, func(tx *db.Store) error {
		if err := tx.RecordAttempt(ctx, db.AttemptReset, email, addr, now); err != nil {
			return err
		}
		return a.enqueue(ctx, tx, passwordResetArgs{Email: email}, nil)
	})
}

type passwordResetArgs struct {
	Email string `json:"email"`
}

func (passwordResetArgs) Kind() string { return "password_reset" }

type passwordResetWorker struct {
	river.WorkerDefaults[passwordResetArgs]
	a *App
}

// Work makes and sends the link. A retry after a failed send makes a new
// link: the one that may not have arrived expires unused within the hour.
func (w *passwordResetWorker) Work(ctx context.Context, job *river.Job[passwordResetArgs]) error {
	a := w.a
	now := a.Now()
	u, err := a.store.UserByEmail(ctx, job.Args.Email)
	if domain.ErrorCode(err) == domain.ENotFound || err == nil && u.DisabledAt != nil {
		return nil
	}
	if err != nil {
		return err
	}
	secret, err := newLinkSecret()
	if err != nil {
		return err
	}
	l := domain.AccountLink{ID: NewID(), Purpose: domain.LinkReset, Hash: hashToken(secret), UserID: u.ID,
		CreatedAt: now, ExpiresAt: now.Add(resetTTL)}
	err = a.store.InTx(ctx, func(tx *db.Store) error {
		if err := tx.CreateAccountLink(ctx, l); err != nil {
			return err
		}
		return a.audit(ctx, tx, nil, auditEvent{action: "password_reset.request", entity: "user", entityID: u.ID, memberID: u.MemberID,
			actorLabel: "anonymous", after: map[string]any{"reset_id": l.ID, "user_id": u.ID, "expires_at": l.ExpiresAt}})
	})
	if err != nil {
		return err
	}
	link := a.Config.BaseURL + "/reset-password/" + secret
	msg, err := renderEmail(Message{To: u.Email, Subject: "Reset your copbank password", Link: link,
		Text: fmt.Sprintf("Someone asked to reset your copbank password. Open the link below to choose a new one "+
			"(or POST {\"token\": \"%s\", \"password\": \"…\"} to %s/api/v1/auth/password-reset/confirm). "+
			"The link works once, for an hour. If it was not you, ignore this message.", secret, a.Config.BaseURL)}, emailData{Name: u.Name})
	if err != nil {
		return err
	}
	if err := a.Notify.Send(ctx, msg); err != nil {
		return fmt.Errorf("send a password-reset link to user %s: %w", u.ID, err)
	}
	return nil
}

// ConfirmPasswordReset spends a reset link: it sets the account's password,
// ends the account's other links and revokes every token it holds, so every
// session signs in again. An unknown, used or expired link, or a disabled
// account, is EGone; a short password is invalid; too many bad links from
// one address are rate limited.
func (a *App) ConfirmPasswordReset(ctx context.Context, secret, password string) error {
	return a.spendLink(ctx, secret, password, domain.LinkReset, func(tx *db.Store, l domain.AccountLink, hash string) error {
		now := a.Now()
		u, err := tx.UserByID(ctx, l.UserID)
		if domain.ErrorCode(err) == domain.ENotFound || err == nil && u.DisabledAt != nil {
			return linkGone()
		}
		if err != nil {
			return err
		}
		if err := tx.SetUserPassword(ctx, u.ID, hash, now); err != nil {
			return err
		}
		if err := tx.SpendLinksOf(ctx, "", []string{u.ID}, now); err != nil {
			return err
		}
		if err := tx.RevokeUserTokens(ctx, u.ID, now); err != nil {
			return err
		}
		return a.audit(ctx, tx, &domain.Principal{User: u}, auditEvent{action: "password_reset.confirm", entity: "user", entityID: u.ID,
			memberID: u.MemberID, after: map[string]any{"reset_id": l.ID, "user_id": u.ID, "tokens_revoked": true}})
	})
}
