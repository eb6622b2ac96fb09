package app

import (
	"context"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// WithdrawHandover takes back the caller's own open offer: the booking
// stays theirs and colleagues can no longer take it. The offer is removed
// (the audit log records it), so a colleague accepting after this finds
// nothing to take; one who took it first keeps it (409 here).
func (a *App) WithdrawHandover(ctx context.Context, p *domain.Principal, id string) (domain.Handover, error) {
	now := a.Now()
	var out domain.Handover
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		// Locked on PostgreSQL, as AcceptHandover reads it: a withdrawal and
		// an acceptance decide one after the other.
		h, err := tx.HandoverByID(ctx, id)
		if domain.ErrorCode(err) == domain.ENotFound || (err == nil && (p == nil || p.User.MemberID == "" || h.GiverID != p.User.MemberID)) {
			return notFound("handover")
		}
		if err != nil {
			return err
		}
		if h.Status == domain.HandoverTaken {
			return domain.Errorf(domain.EConflict, "a colleague has already taken this shift: it is theirs now")
		}
		if !h.Open(now) {
			return domain.Errorf(domain.EConflict, "the offer lapsed when the shift started")
		}
		if err := tx.DeleteHandover(ctx, h.ID); err != nil {
			return err
		}
		out = h
		return a.audit(ctx, tx, p, auditEvent{action: "handover.withdraw", entity: "handover", entityID: h.ID,
			memberID: h.GiverID, before: handoverState(h)})
	})
	return out, err
}

// MyOpenHandover is the open offer of the caller's own booking, if any.
func (a *App) MyOpenHandover(ctx context.Context, p *domain.Principal, bookingID string) (domain.Handover, bool, error) {
	offers, err := a.MyOpenHandovers(ctx, p, []string{bookingID})
	if err != nil {
		return domain.Handover{}, false, err
	}
	id, ok := offers[bookingID]
	if !ok {
		return domain.Handover{}, false, nil
	}
	h, err := a.store.HandoverByID(ctx, id)
	return h, err == nil, err
}
