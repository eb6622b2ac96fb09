package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// Swaps: member A asks to exchange A's confirmed booking with member B's;
// when B accepts, every booking rule is checked again for both as if each
// held the other's place (their own given-up bookings left out), and either
// both bookings move or nothing changes.

// SwapResult is an accepted swap with the two bookings it made.
type SwapResult struct {
	Swap     domain.Swap
	Bookings []domain.Booking // the requester's new booking, then the colleague's
}

// RequestSwap asks the member holding withBookingID to exchange it for the
// caller's own confirmed booking bookingID; the colleague is told.
func (a *App) RequestSwap(ctx context.Context, p *domain.Principal, bookingID, withBookingID string) (domain.Swap, error) {
	now := a.Now()
	var out domain.Swap
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		mine, err := tx.BookingByID(ctx, bookingID)
		if domain.ErrorCode(err) == domain.ENotFound || (err == nil && !isSelf(p, mine.MemberID)) {
			return notFound("booking")
		}
		if err != nil {
			return err
		}
		if mine.Status != domain.BookingConfirmed {
			return domain.Errorf(domain.EConflict, "only a confirmed booking can be swapped (this one is %s)", mine.Status)
		}
		if withBookingID == bookingID {
			return domain.FieldInvalid("with_booking_id", "is this same booking: name a colleague's booking")
		}
		theirs, err := tx.BookingByID(ctx, withBookingID)
		if domain.ErrorCode(err) == domain.ENotFound {
			return domain.FieldInvalid("with_booking_id", "is not a booking")
		}
		if err != nil {
			return err
		}
		switch {
		case theirs.MemberID == mine.MemberID:
			return domain.FieldInvalid("with_booking_id", "is your own booking: name a colleague's")
		case theirs.ShiftID == mine.ShiftID && theirs.PositionID == mine.PositionID:
			return domain.FieldInvalid("with_booking_id", "is on the same place as yours: there is nothing to swap")
		case theirs.Status != domain.BookingConfirmed:
			return domain.Errorf(domain.EConflict, "the colleague's booking is %s: only a confirmed booking can be swapped", theirs.Status)
		case !now.Before(mine.Start) || !now.Before(theirs.Start):
			return domain.Errorf(domain.EConflict, "one of the shifts has started: it can no longer be swapped")
		}
		if err := noSwapAskedTwice(ctx, tx, mine.ID, theirs); err != nil {
			return err
		}
		w := domain.Swap{ID: NewID(), BookingID: mine.ID, WithBookingID: theirs.ID, RequesterID: mine.MemberID, PartnerID: theirs.MemberID,
			Status: domain.SwapRequested, CreatedAt: now, UpdatedAt: now}
		if err := tx.CreateSwap(ctx, w); err != nil {
			return err
		}
		if err := a.audit(ctx, tx, p, auditEvent{action: "swap.request", entity: "swap", entityID: w.ID,
			memberID: w.RequesterID, after: swapState(w)}); err != nil {
			return err
		}
		out = w
		return a.enqueue(ctx, tx, onShiftNoticeArgs{Event: eventSwapRequested, SwapID: w.ID}, nil)
	})
	return out, err
}

// AcceptSwap makes the exchange when the colleague asked accepts it.
// Members are locked in id order, then both bookings, then both places in
// (shift, position) order, so two swaps crossing the same members or places
// cannot deadlock.
func (a *App) AcceptSwap(ctx context.Context, p *domain.Principal, id string) (SwapResult, error) {
	now := a.Now()
	var out SwapResult
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		w, err := tx.SwapByID(ctx, id)
		if err != nil {
			return err
		}
		switch {
		case isSelf(p, w.RequesterID):
			return forbidden("only the colleague you asked can accept this swap")
		case !isSelf(p, w.PartnerID):
			return notFound("swap")
		case w.Status != domain.SwapRequested:
			return domain.Errorf(domain.EConflict, "this swap is %s already", w.Status)
		}
		members := []string{w.RequesterID, w.PartnerID}
		slices.Sort(members)
		for _, m := range members {
			if err := tx.LockMember(ctx, m); err != nil {
				return err
			}
		}
		if err := a.refuseWhileHeld(ctx, tx, members, "one of you"); err != nil {
			return err
		}
		ids := []string{w.BookingID, w.WithBookingID}
		slices.Sort(ids)
		held := map[string]domain.Booking{}
		for _, bid := range ids {
			b, err := tx.BookingByID(ctx, bid)
			if err != nil {
				return err
			}
			if b.Status != domain.BookingConfirmed {
				return domain.Errorf(domain.EConflict, "a booking in this swap is %s now: only confirmed bookings can be swapped", b.Status)
			}
			held[bid] = b
		}
		mine, theirs := held[w.BookingID], held[w.WithBookingID]
		type spot struct{ shift, position string }
		spots := []spot{{mine.ShiftID, mine.PositionID}, {theirs.ShiftID, theirs.PositionID}}
		slices.SortFunc(spots, func(x, y spot) int {
			if c := strings.Compare(x.shift, y.shift); c != 0 {
				return c
			}
			return strings.Compare(x.position, y.position)
		})
		places := map[spot]domain.Place{}
		for _, s := range spots {
			if places[s], err = tx.LockPlace(ctx, s.shift, s.position); err != nil {
				return err
			}
		}
		// The requester takes the colleague's place and the colleague the
		// requester's, each without the booking they give up.
		sideA, err := a.swapSide(ctx, tx, w.RequesterID, mine.ID, theirs, places[spot{theirs.ShiftID, theirs.PositionID}], now)
		if err != nil {
			return err
		}
		sideB, err := a.swapSide(ctx, tx, w.PartnerID, theirs.ID, mine, places[spot{mine.ShiftID, mine.PositionID}], now)
		if err != nil {
			return err
		}
		if len(sideA.failed)+len(sideB.failed) > 0 {
			return a.swapRefused(sideA, sideB)
		}
		given := []domain.Booking{mine, theirs}
		for _, b := range []*domain.Booking{&mine, &theirs} {
			if err := a.giveUp(ctx, tx, p, b, domain.CancelReasonSwap, "booking.swap", now); err != nil {
				return err
			}
		}
		var made []domain.Booking
		for _, side := range []swapSideCheck{sideA, sideB} {
			nb := domain.Booking{ID: NewID(), ShiftID: side.sh.ID, PositionID: side.pos.ID, MemberID: side.memberID,
				Status: domain.BookingConfirmed, Start: side.sh.Start, End: side.sh.End, CreatedBy: p.User.ID, CreatedAt: now, UpdatedAt: now}
			if err := tx.CreateBooking(ctx, nb); err != nil {
				return asRefusal(err, side.sh, side.d, a.zoneOf(side.d))
			}
			if err := a.bookingChanged(ctx, tx, p, "booking.swap_take", nil, nb); err != nil {
				return err
			}
			made = append(made, nb)
		}
		// A supervisor swapping onto another shift leaves the supervised
		// of the first as a cancellation would.
		for _, b := range given {
			if err := a.supervisorCancelled(ctx, tx, p, b, now); err != nil {
				return err
			}
		}
		before := w
		w.Status, w.NewBookingID, w.NewWithBookingID, w.UpdatedAt = domain.SwapAccepted, made[0].ID, made[1].ID, now
		if err := tx.UpdateSwap(ctx, w); err != nil {
			return err
		}
		if err := a.audit(ctx, tx, p, auditEvent{action: "swap.accept", entity: "swap", entityID: w.ID,
			memberID: w.PartnerID, before: swapState(before), after: swapState(w)}); err != nil {
			return err
		}
		out = SwapResult{Swap: w, Bookings: made}
		return a.enqueue(ctx, tx, onShiftNoticeArgs{Event: eventSwapAccepted, SwapID: w.ID}, nil)
	})
	return out, err
}

// swapSideCheck is one member's half of a swap: the place they would take
// and the rules they would fail there.
type swapSideCheck struct {
	memberID string
	sh       domain.Shift
	d        domain.Demand
	pos      domain.Position
	failed   []string
}

// swapSide checks memberID taking over the place of booking `into`, giving
// up their own booking givenUp.
func (a *App) swapSide(ctx context.Context, tx *db.Store, memberID, givenUp string, into domain.Booking, place domain.Place, now time.Time) (swapSideCheck, error) {
	sh, d, err := tx.ShiftByID(ctx, into.ShiftID)
	if err != nil {
		return swapSideCheck{}, err
	}
	side := swapSideCheck{memberID: memberID, sh: sh, d: d, pos: positionOf(d, into.PositionID)}
	mc, err := a.loadMemberContext(ctx, tx, memberID, sh.Start, sh.End)
	if err != nil {
		return side, err
	}
	check := placeTakenOver(mc, d, side.pos, sh, place, now, a.zoneOf(d), givenUp)
	check.AlreadyHolds = slices.ContainsFunc(mc.bookings, func(b domain.Booking) bool {
		return b.ID != givenUp && b.ShiftID == sh.ID && b.PositionID == side.pos.ID
	})
	if err := a.supervisionCheck(ctx, tx, &check); err != nil {
		return side, err
	}
	side.failed = domain.CheckBooking(check)
	return side, nil
}

// swapRefused is the 409 naming every rule either side fails, each side's in
// its own words.
func (a *App) swapRefused(sides ...swapSideCheck) error {
	var rules, parts []string
	who := []string{"The member asking", "The colleague asked"}
	for i, s := range sides {
		if len(s.failed) == 0 {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s could not take %s: %s.", who[i], a.shiftWords(s.sh, s.d),
			strings.Join(domain.FailedWords(s.failed), "; ")))
		for _, r := range s.failed {
			if !slices.Contains(rules, r) {
				rules = append(rules, r)
			}
		}
	}
	return &domain.Error{Code: domain.ERefused, Message: "Swap refused, nothing changed. " + strings.Join(parts, " "), Rules: rules}
}

// swapState is a swap as the audit log records it.
func swapState(w domain.Swap) map[string]any {
	out := map[string]any{"booking_id": w.BookingID, "with_booking_id": w.WithBookingID, "requester_id": w.RequesterID,
		"partner_id": w.PartnerID, "status": w.Status}
	if w.NewBookingID != "" {
		out["new_booking_id"], out["new_with_booking_id"] = w.NewBookingID, w.NewWithBookingID
	}
	return out
}

// SwapView is a swap the member is asked for: what they would give up and
// what they would take.
type SwapView struct {
	Swap       domain.Swap
	Give, Take BookingView
}

// SwapsAsked lists the swaps the calling member is asked for that could
// still happen: both bookings confirmed and neither shift started.
func (a *App) SwapsAsked(ctx context.Context, p *domain.Principal) ([]SwapView, error) {
	if p == nil || p.User.MemberID == "" {
		return nil, nil
	}
	swaps, err := a.store.SwapsAsked(ctx, p.User.MemberID, 100)
	if err != nil {
		return nil, err
	}
	now := a.Now()
	var out []SwapView
	for _, w := range swaps {
		give, err := a.bookingView(ctx, w.WithBookingID)
		if err != nil {
			return nil, err
		}
		take, err := a.bookingView(ctx, w.BookingID)
		if err != nil {
			return nil, err
		}
		if give.Booking.Status != domain.BookingConfirmed || take.Booking.Status != domain.BookingConfirmed ||
			!now.Before(give.Shift.Start) || !now.Before(take.Shift.Start) {
			continue
		}
		out = append(out, SwapView{Swap: w, Give: give, Take: take})
	}
	return out, nil
}

func (a *App) bookingView(ctx context.Context, id string) (BookingView, error) {
	b, err := a.store.BookingByID(ctx, id)
	if err != nil {
		return BookingView{}, err
	}
	sh, d, err := a.store.ShiftByID(ctx, b.ShiftID)
	return BookingView{Booking: b, Shift: sh, Demand: d}, err
}
