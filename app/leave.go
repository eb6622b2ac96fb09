package app

import (
	"context"
	"strings"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// MemberLeave lists a member's leave in date order, to the member themselves
// or one who manages them; anyone else is told the member does not exist.
func (a *App) MemberLeave(ctx context.Context, p *domain.Principal, memberID string) ([]domain.Leave, error) {
	m, _, err := a.reachMember(ctx, a.store, p, memberID)
	if err != nil {
		return nil, err
	}
	return a.store.Leave(ctx, m.ID)
}

// NewLeave is the input for leave: whole days, inclusive.
type NewLeave struct {
	From, To string
	Reason   string
}

// AddLeave records leave for a member (themselves or one they manage).
func (a *App) AddLeave(ctx context.Context, p *domain.Principal, memberID string, in NewLeave) (domain.Leave, error) {
	var out domain.Leave
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		var err error
		out, err = a.addLeave(ctx, tx, p, memberID, in)
		return err
	})
	return out, err
}

func (a *App) addLeave(ctx context.Context, tx *db.Store, p *domain.Principal, memberID string, in NewLeave) (domain.Leave, error) {
	m, _, err := a.reachMember(ctx, tx, p, memberID)
	if err != nil {
		return domain.Leave{}, err
	}
	var fields []domain.FieldError
	from, fErr := domain.ParseDate(strings.TrimSpace(in.From))
	if fErr != nil {
		fields = append(fields, domain.FieldError{Field: "from", Message: "must be a date like 2027-08-01"})
	}
	to, tErr := domain.ParseDate(strings.TrimSpace(in.To))
	if tErr != nil {
		fields = append(fields, domain.FieldError{Field: "to", Message: "must be a date like 2027-08-14"})
	}
	if fErr == nil && tErr == nil {
		if to.Before(from) {
			fields = append(fields, domain.FieldError{Field: "to", Message: "must not be before from"})
		} else if from.AddDays(731).Before(to) {
			fields = append(fields, domain.FieldError{Field: "to", Message: "leave may last at most two years"})
		}
	}
	reason := strings.TrimSpace(in.Reason)
	if len(reason) > 500 {
		fields = append(fields, domain.FieldError{Field: "reason", Message: "must be at most 500 characters"})
	}
	if len(fields) > 0 {
		return domain.Leave{}, domain.Invalid("the leave could not be recorded", fields...)
	}
	l := domain.Leave{ID: NewID(), MemberID: m.ID, From: from, To: to, Reason: reason, CreatedAt: a.Now()}
	if err := tx.CreateLeave(ctx, l); err != nil {
		return domain.Leave{}, err
	}
	// The reason may be personal (illness, family): recorded by reference only.
	return l, a.audit(ctx, tx, p, auditEvent{action: "leave.create", entity: "leave", entityID: l.ID, memberID: m.ID,
		after: map[string]any{"member_id": m.ID, "from": l.From, "to": l.To, "fields_set": []string{"reason"}}})
}

// WithdrawLeave removes a member's leave (themselves or one they manage):
// the days count as available again. Not found when it is not this member's.
func (a *App) WithdrawLeave(ctx context.Context, p *domain.Principal, memberID, id string) error {
	return a.store.InTx(ctx, func(tx *db.Store) error {
		m, _, err := a.reachMember(ctx, tx, p, memberID)
		if err != nil {
			return err
		}
		l, err := tx.DeleteLeave(ctx, m.ID, id)
		if err != nil {
			return err
		}
		return a.audit(ctx, tx, p, auditEvent{action: "leave.withdraw", entity: "leave", entityID: l.ID, memberID: m.ID,
			before: map[string]any{"member_id": m.ID, "from": l.From, "to": l.To, "fields_set": []string{"reason"}}})
	})
}
