package app

import (
	"context"
	"strings"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// cancelReason is what a cancelled booking's member reads: what happened and,
// when the coordinator gave one, why.
func cancelReason(what, why string) string {
	if why = strings.TrimSpace(why); why != "" {
		return what + ": " + why
	}
	return what
}

// CancelDemand cancels a demand and every shift of it yet to start, with
// their bookings; why, if given, is told to every member whose booking goes.
func (a *App) CancelDemand(ctx context.Context, p *domain.Principal, id, why string) (DemandChange, error) {
	now := a.Now()
	log := newBookingLog()
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		d, err := a.demandInScope(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if d.Status == domain.DemandCancelled {
			return nil
		}
		before := demandState(d)
		d.Status, d.UpdatedAt = domain.DemandCancelled, now
		if err := tx.UpdateDemandFields(ctx, d); err != nil {
			return err
		}
		after := demandState(d)
		after["reason"] = strings.TrimSpace(why)
		if err := a.audit(ctx, tx, p, auditEvent{action: "demand.cancel", entity: "demand", entityID: d.ID,
			before: before, after: after}); err != nil {
			return err
		}
		if err := a.emitDemandEvent(ctx, tx, domain.EventDemandCancelled, d); err != nil {
			return err
		}
		for _, sh := range d.Shifts {
			if sh.Start.After(now) && sh.Status == domain.ShiftScheduled {
				if err := a.cancelShift(ctx, tx, p, sh, cancelReason("the demand was cancelled", why), now, log); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return DemandChange{}, err
	}
	return a.demandChange(ctx, id, log)
}

// ShiftChange is a shift after a change, and what it did to its bookings.
type ShiftChange struct {
	Shift    ShiftView
	Bookings BookingChanges
}

// CancelShift cancels one shift yet to start in the caller's areas, with its
// active and waitlisted bookings; why, if given, is told to their members.
func (a *App) CancelShift(ctx context.Context, p *domain.Principal, id, why string) (ShiftChange, error) {
	if !isCoordinating(p) {
		return ShiftChange{}, notFound("shift")
	}
	now := a.Now()
	log := newBookingLog()
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		sh, d, err := tx.ShiftByID(ctx, id)
		if err != nil {
			return err
		}
		area, err := tx.AreaByID(ctx, d.AreaID)
		if err != nil {
			return err
		}
		if !coversArea(p, area) {
			return notFound("shift")
		}
		if sh.Status == domain.ShiftCancelled || d.Status == domain.DemandCancelled {
			return nil
		}
		if !sh.Start.After(now) {
			return &domain.Error{Code: domain.EConflict, Rules: []string{domain.RuleShiftOpen},
				Message: "the shift has started: record attendance instead of cancelling it"}
		}
		return a.cancelShift(ctx, tx, p, sh, cancelReason("the shift was cancelled", why), now, log)
	})
	if err != nil {
		return ShiftChange{}, err
	}
	v, err := a.GetShift(ctx, p, id)
	if err != nil {
		return ShiftChange{}, err
	}
	changes, err := a.changes(ctx, log)
	return ShiftChange{Shift: v, Bookings: changes}, err
}

// cancelShift cancels a shift and all its active and waitlisted bookings.
func (a *App) cancelShift(ctx context.Context, tx *db.Store, p *domain.Principal, sh domain.Shift, reason string, now time.Time, log *bookingLog) error {
	// The places' locks keep a booking from landing between our reading the
	// bookings and the shift becoming cancelled.
	if err := tx.LockShiftPlaces(ctx, sh.ID); err != nil {
		return err
	}
	bookings, err := tx.ShiftBookings(ctx, sh.ID, domain.BookingOffered, domain.BookingPending, domain.BookingConfirmed, domain.BookingWaitlisted)
	if err != nil {
		return err
	}
	// The shift is cancelled first, so that no cancellation below takes it
	// for a supervisor leaving supervised members on a shift that goes on.
	if err := tx.SetShiftStatus(ctx, sh.ID, domain.ShiftCancelled); err != nil {
		return err
	}
	for _, b := range bookings {
		log.cancelled(b, []string{domain.RuleShiftOpen})
		if err := a.setCancelled(ctx, tx, p, &b, reason, now); err != nil {
			return err
		}
	}
	return a.audit(ctx, tx, p, auditEvent{action: "shift.cancel", entity: "shift", entityID: sh.ID,
		before: map[string]any{"demand_id": sh.DemandID, "status": sh.Status},
		after:  map[string]any{"demand_id": sh.DemandID, "status": domain.ShiftCancelled, "reason": reason}})
}
