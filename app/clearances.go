package app

import (
	"context"
	"strings"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// NewClearance is the input for recording a vetting level or DBS check.
type NewClearance struct {
	Type      domain.ClearanceType
	GrantedOn string
	ExpiresOn string
	// Reference is, for a conditional clearance, where the vetting unit
	// keeps its risk assessment: a reference only, never the reason.
	Reference string
}

// AddClearance records a clearance. Vetting is the vetting unit's: admins
// only (forbidden for a coordinator in scope, not found beyond reach).
func (a *App) AddClearance(ctx context.Context, p *domain.Principal, memberID string, in NewClearance) (domain.Clearance, error) {
	var out domain.Clearance
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		var err error
		out, err = a.addClearance(ctx, tx, p, memberID, in)
		return err
	})
	return out, err
}

func (a *App) addClearance(ctx context.Context, tx *db.Store, p *domain.Principal, memberID string, in NewClearance) (domain.Clearance, error) {
	m, _, err := a.reachMember(ctx, tx, p, memberID)
	if err != nil {
		return domain.Clearance{}, err
	}
	if !p.IsAdmin() {
		return domain.Clearance{}, forbidden("only an admin (the vetting unit) may record clearances")
	}
	c, err := parseClearance(in)
	if err != nil {
		return domain.Clearance{}, err
	}
	now := a.Now()
	c.ID, c.MemberID, c.Status, c.CreatedAt, c.UpdatedAt = NewID(), m.ID, domain.ClearanceActive, now, now
	if err := tx.CreateClearance(ctx, c); err != nil {
		return domain.Clearance{}, err
	}
	return c, a.audit(ctx, tx, p, auditEvent{action: "clearance.create", entity: "clearance", entityID: c.ID, memberID: m.ID,
		after: clearanceState(c)})
}

func clearanceState(c domain.Clearance) map[string]any {
	return map[string]any{"member_id": c.MemberID, "type": c.Type, "granted_on": c.GrantedOn, "expires_on": c.ExpiresOn, "status": c.Status,
		"reference": c.Reference}
}

func parseClearance(in NewClearance) (domain.Clearance, error) {
	var fields []domain.FieldError
	if !domain.ValidClearanceType(in.Type) {
		fields = append(fields, domain.FieldError{Field: "type", Message: "must be one of: NPPV1, NPPV2, NPPV3, dbs_enhanced_children, dbs_enhanced_adults, conditional"})
	}
	reference := strings.TrimSpace(in.Reference)
	if reference != "" && in.Type != domain.Conditional {
		fields = append(fields, domain.FieldError{Field: "reference", Message: "is kept only for a conditional clearance"})
	}
	granted, gErr := domain.ParseDate(strings.TrimSpace(in.GrantedOn))
	if gErr != nil {
		fields = append(fields, domain.FieldError{Field: "granted_on", Message: "must be a date like 2025-06-01"})
	}
	expires, eErr := domain.ParseDate(strings.TrimSpace(in.ExpiresOn))
	if eErr != nil {
		fields = append(fields, domain.FieldError{Field: "expires_on", Message: "must be a date like 2030-06-01"})
	} else if gErr == nil && !granted.Before(expires) {
		fields = append(fields, domain.FieldError{Field: "expires_on", Message: "must be after granted_on"})
	}
	if len(fields) > 0 {
		return domain.Clearance{}, domain.Invalid("the clearance could not be recorded", fields...)
	}
	return domain.Clearance{Type: in.Type, GrantedOn: granted, ExpiresOn: expires, Reference: reference}, nil
}

// SetClearanceStatus suspends or reinstates a clearance. Admins only.
func (a *App) SetClearanceStatus(ctx context.Context, p *domain.Principal, memberID, clearanceID string, status domain.ClearanceStatus) (domain.Clearance, error) {
	var out domain.Clearance
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		var err error
		out, err = a.setClearanceStatus(ctx, tx, p, memberID, clearanceID, status)
		return err
	})
	return out, err
}

func (a *App) setClearanceStatus(ctx context.Context, tx *db.Store, p *domain.Principal, memberID, clearanceID string, status domain.ClearanceStatus) (domain.Clearance, error) {
	m, _, err := a.reachMember(ctx, tx, p, memberID)
	if err != nil {
		return domain.Clearance{}, err
	}
	c, err := tx.ClearanceByID(ctx, m.ID, clearanceID)
	if err != nil {
		return domain.Clearance{}, err
	}
	if !p.IsAdmin() {
		return domain.Clearance{}, forbidden("only an admin (the vetting unit) may suspend or reinstate clearances")
	}
	if status != domain.ClearanceActive && status != domain.ClearanceSuspended {
		return domain.Clearance{}, domain.FieldInvalid("status", "must be active or suspended")
	}
	now := a.Now()
	if err := tx.SetClearanceStatus(ctx, c.ID, status, now); err != nil {
		return domain.Clearance{}, err
	}
	before := clearanceState(c)
	c.Status, c.UpdatedAt = status, now
	return c, a.audit(ctx, tx, p, auditEvent{action: "clearance.status", entity: "clearance", entityID: c.ID, memberID: m.ID,
		before: before, after: clearanceState(c)})
}
