package app

import (
	"context"
	"fmt"
	"net/mail"
	"strings"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// NewCoordinator is an admin's invitation of a coordinator: who, and the
// areas they will coordinate (each with everything below it).
type NewCoordinator struct {
	Email, Name string
	Areas       []string // area codes
}

// InviteCoordinator makes a coordinator's account scoped to the areas named,
// with no password yet, and emails them a single-use link, valid for seven
// days, to choose one (spent like a password reset). Only admins invite
// coordinators; a bad email, a missing name or an unknown area is invalid,
// naming the field; an email that already has an account is a conflict.
func (a *App) InviteCoordinator(ctx context.Context, p *domain.Principal, in NewCoordinator) (domain.User, error) {
	if !p.IsAdmin() {
		return domain.User{}, forbidden("only admins invite coordinators")
	}
	var fields []domain.FieldError
	email, name := strings.TrimSpace(in.Email), strings.TrimSpace(in.Name)
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email {
		fields = append(fields, domain.FieldError{Field: "email", Message: "must be an email address such as sam@example.org"})
	}
	if name == "" {
		fields = append(fields, domain.FieldError{Field: "name", Message: "is required"})
	}
	var areaIDs []string
	for _, code := range in.Areas {
		ar, err := a.store.AreaByCode(ctx, code)
		if domain.ErrorCode(err) == domain.ENotFound {
			fields = append(fields, domain.FieldError{Field: "areas", Message: fmt.Sprintf("%q is not a known area code", code)})
			continue
		}
		if err != nil {
			return domain.User{}, err
		}
		areaIDs = append(areaIDs, ar.ID)
	}
	if len(in.Areas) == 0 {
		fields = append(fields, domain.FieldError{Field: "areas", Message: "name at least one area to coordinate"})
	}
	if len(fields) > 0 {
		return domain.User{}, domain.Invalid("the coordinator could not be invited", fields...)
	}
	secret, err := newLinkSecret()
	if err != nil {
		return domain.User{}, err
	}
	now := a.Now()
	u := domain.User{ID: NewID(), Email: email, Name: name, Roles: []domain.Role{domain.RoleCoordinator}, CreatedAt: now}
	l := domain.AccountLink{ID: NewID(), Purpose: domain.LinkReset, Hash: hashToken(secret), UserID: u.ID,
		CreatedBy: p.User.ID, CreatedAt: now, ExpiresAt: now.Add(invitationTTL)}
	err = a.store.InTx(ctx, func(tx *db.Store) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		if err := tx.SetUserAreas(ctx, u.ID, areaIDs); err != nil {
			return err
		}
		if err := tx.CreateAccountLink(ctx, l); err != nil {
			return err
		}
		// The account's email and name are personal: recorded by reference.
		return a.audit(ctx, tx, p, auditEvent{action: "coordinator.invite", entity: "user", entityID: u.ID,
			after: map[string]any{"user_id": u.ID, "roles": u.Roles, "areas": in.Areas, "link_id": l.ID, "expires_at": l.ExpiresAt,
				"fields_set": []string{"email", "name"}}})
	})
	if err != nil {
		return domain.User{}, err
	}
	link := a.Config.BaseURL + "/reset-password/" + secret
	msg, err := renderEmail(Message{To: u.Email, Subject: "You are invited to coordinate on copbank", Link: link,
		Text: fmt.Sprintf("You have been invited to coordinate %s on copbank. Open the link below to choose a password "+
			"(or POST {\"token\": \"%s\", \"password\": \"…\"} to %s/api/v1/auth/password-reset/confirm). "+
			"The link works once and expires on %s.", strings.Join(in.Areas, ", "), secret, a.Config.BaseURL,
			l.ExpiresAt.In(a.Config.TimeZone).Format("2 January 2006 at 15:04"))}, emailData{Name: u.Name})
	if err == nil {
		err = a.Notify.Send(ctx, msg)
	}
	if err != nil {
		return domain.User{}, fmt.Errorf("send the invitation: %w", err)
	}
	u.Areas = nil
	return u, nil
}
