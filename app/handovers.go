package app

import (
	"context"
	"fmt"
	"slices"

	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// Handovers: a member offers a confirmed booking to colleagues, and the
// first colleague who passes every booking rule and accepts takes the place.
// The giver's booking is cancelled in the same transaction that confirms the
// taker's, under the locks a booking takes, so the place is never empty and
// never held twice; the giver keeps the booking until then.

// HandoverView is an offer with the shift and demand it is on.
type HandoverView struct {
	Handover domain.Handover
	Shift    domain.Shift
	Demand   domain.Demand
}

// Position is the offered place's position.
func (v HandoverView) Position() domain.Position { return positionOf(v.Demand, v.Handover.PositionID) }

// handoverTaken is the answer to each colleague who accepts after the
// place has gone.
func handoverTaken() error {
	return domain.Errorf(domain.EHandoverTaken, "a colleague took this shift first")
}

// OfferHandover offers the caller's own confirmed booking to colleagues,
// who are told in the same transaction (through the job queue).
func (a *App) OfferHandover(ctx context.Context, p *domain.Principal, bookingID string) (domain.Handover, error) {
	now := a.Now()
	var out domain.Handover
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		b, err := tx.BookingByID(ctx, bookingID)
		if domain.ErrorCode(err) == domain.ENotFound || (err == nil && !isSelf(p, b.MemberID)) {
			// Only the member holding the booking may give it away; anyone
			// else's is outside reach.
			return notFound("booking")
		}
		if err != nil {
			return err
		}
		if b.Status != domain.BookingConfirmed {
			return domain.Errorf(domain.EConflict, "only a confirmed booking can be offered to colleagues (this one is %s)", b.Status)
		}
		sh, _, err := tx.ShiftByID(ctx, b.ShiftID)
		if err != nil {
			return err
		}
		if !now.Before(sh.Start) {
			return domain.Errorf(domain.EConflict, "the shift has started: it can no longer be offered to colleagues")
		}
		if _, open, err := tx.OpenHandoverOf(ctx, b.ID); err != nil {
			return err
		} else if open {
			return domain.Errorf(domain.EConflict, "this booking is already offered to colleagues")
		}
		h := domain.Handover{ID: NewID(), BookingID: b.ID, GiverID: b.MemberID, ShiftID: b.ShiftID, PositionID: b.PositionID,
			Start: sh.Start, Status: domain.HandoverOpen, CreatedAt: now, UpdatedAt: now}
		if err := tx.CreateHandover(ctx, h); err != nil {
			return err
		}
		if err := a.audit(ctx, tx, p, auditEvent{action: "handover.offer", entity: "handover", entityID: h.ID,
			memberID: h.GiverID, after: handoverState(h)}); err != nil {
			return err
		}
		out = h
		if silenced(ctx) {
			return nil // the demo seed's offers tell nobody
		}
		return a.enqueue(ctx, tx, onShiftNoticeArgs{Event: eventHandoverOffered, HandoverID: h.ID}, nil)
	})
	return out, err
}

// AcceptHandover gives the offered place to the calling member: their
// booking is confirmed and the giver's cancelled (reason handover, not
// late) in one transaction. Of colleagues accepting at once, the first wins
// and the others are told it was taken.
func (a *App) AcceptHandover(ctx context.Context, p *domain.Principal, id string) (domain.Booking, error) {
	if p == nil || p.User.MemberID == "" {
		return domain.Booking{}, forbidden("only a member of the bank can take a colleague's shift")
	}
	taker := p.User.MemberID
	now := a.Now()
	var out domain.Booking
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		// The lock order of a booking: the member, then (here through the
		// offer and the booking) the place.
		if err := tx.LockMember(ctx, taker); err != nil {
			return err
		}
		h, err := tx.HandoverByID(ctx, id)
		if err != nil {
			return err
		}
		if h.GiverID == taker {
			return domain.Errorf(domain.EConflict, "this is your own offer: a colleague has to take it")
		}
		if err := a.refuseWhileHeld(ctx, tx, []string{taker}, "you"); err != nil {
			return err
		}
		if h.Status == domain.HandoverTaken {
			return handoverTaken()
		}
		if !h.Open(now) {
			return domain.Errorf(domain.EConflict, "the offer lapsed when the shift started")
		}
		given, err := tx.BookingByID(ctx, h.BookingID)
		if err != nil {
			return err
		}
		if given.Status != domain.BookingConfirmed {
			return domain.Errorf(domain.EConflict, "the place is no longer on offer: the booking is %s", given.Status)
		}
		place, err := tx.LockPlace(ctx, given.ShiftID, given.PositionID)
		if err != nil {
			return err
		}
		sh, d, err := tx.ShiftByID(ctx, given.ShiftID)
		if err != nil {
			return err
		}
		pos := positionOf(d, given.PositionID)
		mc, err := a.loadMemberContext(ctx, tx, taker, sh.Start, sh.End)
		if err != nil {
			return err
		}
		check := placeTakenOver(mc, d, pos, sh, place, now, a.zoneOf(d), "")
		if check.AlreadyHolds, err = tx.HoldsPlace(ctx, taker, sh.ID, pos.ID); err != nil {
			return err
		}
		if err := a.supervisionCheck(ctx, tx, &check); err != nil {
			return err
		}
		if failed := domain.CheckBooking(check); len(failed) > 0 {
			return refused(failed, sh, d, a.zoneOf(d))
		}
		givenBefore := given
		if err := a.giveUp(ctx, tx, p, &given, domain.CancelReasonHandover, "booking.handover", now); err != nil {
			return err
		}
		nb := domain.Booking{ID: NewID(), ShiftID: sh.ID, PositionID: pos.ID, MemberID: taker, Status: domain.BookingConfirmed,
			Start: sh.Start, End: sh.End, CreatedBy: p.User.ID, CreatedAt: now, UpdatedAt: now}
		if err := tx.CreateBooking(ctx, nb); err != nil {
			return asRefusal(err, sh, d, a.zoneOf(d))
		}
		if err := a.bookingChanged(ctx, tx, p, "booking.handover_take", nil, nb); err != nil {
			return err
		}
		// A supervisor handing over to someone who does not supervise
		// leaves the supervised as a cancellation would.
		if err := a.supervisorCancelled(ctx, tx, p, givenBefore, now); err != nil {
			return err
		}
		before := h
		h.Status, h.TakerID, h.TakenBookingID, h.UpdatedAt = domain.HandoverTaken, taker, nb.ID, now
		if err := tx.UpdateHandover(ctx, h); err != nil {
			return err
		}
		if err := a.audit(ctx, tx, p, auditEvent{action: "handover.take", entity: "handover", entityID: h.ID,
			memberID: taker, before: handoverState(before), after: handoverState(h)}); err != nil {
			return err
		}
		out = nb
		return a.enqueue(ctx, tx, onShiftNoticeArgs{Event: eventHandoverTaken, HandoverID: h.ID}, nil)
	})
	return out, err
}

// giveUp cancels a booking whose place passes to a colleague in the same
// transaction: the member's own act, never late, so it pays nothing.
func (a *App) giveUp(ctx context.Context, tx *db.Store, p *domain.Principal, b *domain.Booking, reason, action string, now time.Time) error {
	before := *b
	b.Status, b.CancelledAt, b.CancelReason, b.CancelledBy, b.LateCancel, b.UpdatedAt =
		domain.BookingCancelled, &now, reason, domain.CancelledByMember, false, now
	if err := tx.UpdateBooking(ctx, *b); err != nil {
		return err
	}
	return a.bookingChanged(ctx, tx, p, action, &before, *b)
}

// placeTakenOver is the rule input for a member taking over a place someone
// else holds now: that holder's place is counted free, and the member's own
// booking excludeBookingID (one they give up in the same change) is left out
// of overlap, rest and weekly hours.
func placeTakenOver(mc memberContext, d domain.Demand, pos domain.Position, sh domain.Shift, place domain.Place,
	now time.Time, zone *time.Location, excludeBookingID string) domain.BookingCheck {
	if excludeBookingID != "" {
		mc.bookings = slices.DeleteFunc(slices.Clone(mc.bookings), func(b domain.Booking) bool { return b.ID == excludeBookingID })
	}
	place.Taken = max(place.Taken-1, 0)
	check := mc.check(d, pos, sh, place, now, zone, "")
	check.SelfBooking = true
	return check
}

// OpenHandovers lists the offers the calling member could take now: open,
// not their own, on shifts yet to start, passing every booking rule. Up to
// limit+1 come back (the extra one says there is more), after the cursor (an
// offer's id).
func (a *App) OpenHandovers(ctx context.Context, p *domain.Principal, after string, limit int) ([]HandoverView, error) {
	if p == nil || p.User.MemberID == "" {
		return nil, nil
	}
	me := p.User.MemberID
	now := a.Now()
	if hold, err := a.activeHold(ctx, a.store, me); err != nil || hold != nil {
		return nil, err // on hold, they could take none (refuseWhileHeld)
	}
	var out []HandoverView
	for len(out) <= limit {
		batch, err := a.store.OpenHandovers(ctx, now, after, 100)
		if err != nil {
			return nil, err
		}
		for _, h := range batch {
			after = h.ID
			if h.GiverID == me {
				continue
			}
			v, ok, err := a.handoverFor(ctx, h, me, now)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, v)
				if len(out) > limit {
					break
				}
			}
		}
		if len(batch) < 100 {
			break
		}
	}
	return out, nil
}

// handoverFor reports whether member could take the offer now, with its
// shift and demand.
func (a *App) handoverFor(ctx context.Context, h domain.Handover, memberID string, now time.Time) (HandoverView, bool, error) {
	given, err := a.store.BookingByID(ctx, h.BookingID)
	if err != nil {
		return HandoverView{}, false, err
	}
	if given.Status != domain.BookingConfirmed {
		// Cancelled or swapped away since it was offered: nothing to take.
		return HandoverView{}, false, nil
	}
	sh, d, err := a.store.ShiftByID(ctx, h.ShiftID)
	if err != nil {
		return HandoverView{}, false, err
	}
	v := HandoverView{Handover: h, Shift: sh, Demand: d}
	place := domain.Place{PositionID: h.PositionID}
	for _, pl := range sh.Places {
		if pl.PositionID == h.PositionID {
			place = pl
		}
	}
	mc, err := a.loadMemberContext(ctx, a.store, memberID, sh.Start, sh.End)
	if err != nil {
		return v, false, err
	}
	check := placeTakenOver(mc, d, positionOf(d, h.PositionID), sh, place, now, a.zoneOf(d), "")
	check.AlreadyHolds = slices.ContainsFunc(mc.bookings, func(b domain.Booking) bool {
		return b.ShiftID == sh.ID && b.PositionID == h.PositionID
	})
	if err := a.seeSupervision(ctx, a.store, &check); err != nil {
		return v, false, err
	}
	return v, len(domain.CheckBooking(check)) == 0, nil
}

// MyOpenHandovers maps the calling member's bookings on open offer to the
// offer, for their shifts page.
func (a *App) MyOpenHandovers(ctx context.Context, p *domain.Principal, bookingIDs []string) (map[string]string, error) {
	out := map[string]string{}
	if p == nil || p.User.MemberID == "" {
		return out, nil
	}
	for _, id := range bookingIDs {
		h, open, err := a.store.OpenHandoverOf(ctx, id)
		if err != nil {
			return nil, err
		}
		if open && h.GiverID == p.User.MemberID {
			out[id] = h.ID
		}
	}
	return out, nil
}

// handoverState is an offer as the audit log records it.
func handoverState(h domain.Handover) map[string]any {
	out := map[string]any{"booking_id": h.BookingID, "giver_id": h.GiverID, "shift_id": h.ShiftID,
		"position_id": h.PositionID, "status": h.Status}
	if h.TakerID != "" {
		out["taker_id"], out["taken_booking_id"] = h.TakerID, h.TakenBookingID
	}
	return out
}

// shiftWords names a shift for a message: "Evening patrol, Fri 8 Jan 2027 20:00".
func (a *App) shiftWords(sh domain.Shift, d domain.Demand) string {
	return fmt.Sprintf("%s, %s", d.Title, sh.Start.In(a.zoneOf(d)).Format("Mon 2 Jan 2006 15:04"))
}
