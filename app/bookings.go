package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// BookInput asks for a place on a shift. MemberID empty means the caller
// books for themselves.
type BookInput struct {
	ShiftID    string
	PositionID string
	MemberID   string
	Offer      bool
}

// BookingResult is a booking and, for a waitlisted one, its place in the queue.
type BookingResult struct {
	Booking       domain.Booking
	QueuePosition int
	// Hold is why a self-booking that would have confirmed is pending.
	Hold *domain.ApprovalHold
}

// Book makes a booking after checking every rule under a lock on the member
// and on the place, so concurrent requests can neither overfill the place nor
// give one member overlapping or over-cap bookings.
func (a *App) Book(ctx context.Context, p *domain.Principal, in BookInput) (BookingResult, error) {
	return a.book(ctx, p, in, false)
}

// JoinWaitlist queues the member for a full place. It is refused while
// places are free (book instead) and when any other rule fails.
func (a *App) JoinWaitlist(ctx context.Context, p *domain.Principal, in BookInput) (BookingResult, error) {
	return a.book(ctx, p, in, true)
}

func (a *App) book(ctx context.Context, p *domain.Principal, in BookInput, waitlist bool) (BookingResult, error) {
	memberID, self, err := bookingMemberID(p, in.MemberID)
	if err != nil {
		return BookingResult{}, err
	}
	if in.Offer && self {
		return BookingResult{}, domain.FieldInvalid("offer", "only a coordinator can offer a place to a member")
	}
	now := a.Now()
	var res BookingResult
	err = a.store.InTx(ctx, func(tx *db.Store) error {
		m, err := lockBookingMember(ctx, tx, memberID, self)
		if err != nil {
			return err
		}
		sh, d, pos, place, err := placeToBook(ctx, tx, p, self, in)
		if err != nil {
			return err
		}
		mc, err := a.memberContextOf(ctx, tx, m, sh.Start, sh.End)
		if err != nil {
			return err
		}
		check := mc.check(d, pos, sh, place, now, a.zoneOf(d), "")
		check.SelfBooking = self
		check.AlreadyHolds = mc.holds(sh.ID, pos.ID)
		if err := a.supervisionCheck(ctx, tx, &check); err != nil {
			return err
		}
		b := domain.Booking{ID: NewID(), ShiftID: sh.ID, PositionID: pos.ID, MemberID: memberID,
			Start: sh.Start, End: sh.End, CreatedBy: p.User.ID, CreatedAt: now, UpdatedAt: now}
		if waitlist {
			failed := domain.CheckEligibility(check)
			if check.AlreadyHolds {
				failed = append(failed, domain.RuleAlreadyBooked)
			}
			if len(failed) > 0 {
				return refused(failed, sh, d, a.zoneOf(d))
			}
			if place.Taken < place.Headcount {
				return domain.Errorf(domain.EConflict, "%d place(s) are free on this position: book it instead of joining the waitlist", place.Headcount-place.Taken)
			}
			b.Status, b.WaitlistedAt = domain.BookingWaitlisted, &now
			res.QueuePosition = place.Waitlisted + 1
		} else {
			if failed := domain.CheckBooking(check); len(failed) > 0 {
				return refused(failed, sh, d, a.zoneOf(d))
			}
			b.Status = newBookingStatus(d.BookingMode, self, in.Offer)
			if b.Status, res.Hold, err = a.heldStatus(ctx, tx, memberID, self, b.Status); err != nil {
				return err
			}
		}
		if err := tx.CreateBooking(ctx, b); err != nil {
			return asRefusal(err, sh, d, a.zoneOf(d))
		}
		res.Booking = b
		action := "booking.create"
		if waitlist {
			action = "booking.waitlist"
		}
		return a.bookingChanged(ctx, tx, p, action, nil, b)
	})
	return res, err
}

// newBookingStatus: a self-booking confirms at once in open mode and waits
// for approval in approval mode; a coordinator's booking is confirmed unless
// it is an offer.
func newBookingStatus(mode domain.BookingMode, self, offer bool) domain.BookingStatus {
	switch {
	case offer:
		return domain.BookingOffered
	case self && mode == domain.ModeApproval:
		return domain.BookingPending
	default:
		return domain.BookingConfirmed
	}
}

// promotedStatus is what a waitlisted member becomes when a place frees.
func promotedStatus(mode domain.BookingMode) domain.BookingStatus {
	switch mode {
	case domain.ModeApproval:
		return domain.BookingPending
	case domain.ModeAssigned:
		return domain.BookingOffered
	default:
		return domain.BookingConfirmed
	}
}

// memberContext is what the booking rules need to know about one member,
// loaded once and reused across shifts (a search checks many).
type memberContext struct {
	member     domain.Member
	skills     []domain.MemberSkill
	clearances []domain.Clearance
	leave      []domain.Leave
	// bookings are the member's active and waitlisted bookings in the window.
	bookings []domain.Booking
}

func (a *App) loadMemberContext(ctx context.Context, tx *db.Store, memberID string, from, to time.Time) (memberContext, error) {
	m, err := tx.MemberByID(ctx, memberID)
	if err != nil {
		return memberContext{member: m}, err
	}
	return a.memberContextOf(ctx, tx, m, from, to)
}

// check builds the rule input for one place. Bookings on excludeShiftID are
// left out (a retime re-checks a booking against everything but itself).
func (mc memberContext) check(d domain.Demand, pos domain.Position, sh domain.Shift, place domain.Place,
	now time.Time, zone *time.Location, excludeShiftID string) domain.BookingCheck {
	others := make([]domain.Booking, 0, len(mc.bookings))
	for _, b := range mc.bookings {
		if b.ShiftID != excludeShiftID && b.Status.Active() {
			others = append(others, b)
		}
	}
	return domain.BookingCheck{Now: now, Member: mc.member, Skills: mc.skills, Clearances: mc.clearances,
		Leave: mc.leave, Demand: d, Position: pos, Shift: sh, Place: place, Others: others, Zone: zone}
}

// bookingCheck gathers what the rules need about a member and one shift.
func (a *App) bookingCheck(ctx context.Context, tx *db.Store, memberID string, d domain.Demand, pos domain.Position,
	sh domain.Shift, place domain.Place, now time.Time, excludeShiftID string) (domain.BookingCheck, error) {
	mc, err := a.loadMemberContext(ctx, tx, memberID, sh.Start, sh.End)
	if err != nil {
		return domain.BookingCheck{}, err
	}
	check := mc.check(d, pos, sh, place, now, a.zoneOf(d), excludeShiftID)
	return check, a.supervisionCheck(ctx, tx, &check)
}

// refused is the 409 for a booking that fails rules, naming each.
func refused(rules []string, sh domain.Shift, d domain.Demand, zone *time.Location) error {
	msg := fmt.Sprintf("Booking refused for %s on %s: %s.", d.Title, sh.Start.In(zone).Format("Mon 2 Jan 2006 15:04"),
		strings.Join(domain.FailedWords(rules), "; "))
	for _, name := range rules {
		if r, _ := domain.RuleNamed(name); r.Remedy != "" {
			msg += " " + strings.ToUpper(r.Remedy[:1]) + r.Remedy[1:] + "."
		}
	}
	return &domain.Error{Code: domain.ERefused, Message: msg, Rules: rules}
}

// asRefusal turns a constraint the database enforced (a race the locks
// should already have settled) into the same refusal the rules give.
func asRefusal(err error, sh domain.Shift, d domain.Demand, zone *time.Location) error {
	var de *domain.Error
	if asError(err, &de) && de.Code == domain.EConflict && len(de.Rules) > 0 {
		return refused(de.Rules, sh, d, zone)
	}
	return err
}

// bookingInScope loads a booking the caller may act on: their own, or one on
// a shift in the coordinator's areas.
func (a *App) bookingInScope(ctx context.Context, tx *db.Store, p *domain.Principal, id string) (domain.Booking, domain.Shift, domain.Demand, bool, error) {
	b, err := tx.BookingByID(ctx, id)
	if err != nil {
		return b, domain.Shift{}, domain.Demand{}, false, err
	}
	sh, d, err := tx.ShiftByID(ctx, b.ShiftID)
	if err != nil {
		return b, sh, d, false, err
	}
	area, err := tx.AreaByID(ctx, d.AreaID)
	if err != nil {
		return b, sh, d, false, err
	}
	coordinates := coversArea(p, area)
	if !coordinates && !isSelf(p, b.MemberID) {
		return domain.Booking{}, domain.Shift{}, domain.Demand{}, false, notFound("booking")
	}
	return b, sh, d, coordinates, nil
}

// CancelBooking cancels an active or waitlisted booking (the member's own,
// or any in a coordinator's areas) before the shift starts. Less than the pay
// settings' late_cancel_hours before the start it is recorded as late. A freed place goes
// to the first waitlisted member who still passes every rule.
func (a *App) CancelBooking(ctx context.Context, p *domain.Principal, id, reason string) (domain.Booking, error) {
	now := a.Now()
	var out domain.Booking
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		b, sh, _, _, err := a.bookingInScope(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if !b.Status.Active() && b.Status != domain.BookingWaitlisted {
			return domain.Errorf(domain.EConflict, "this booking is %s and cannot be cancelled", b.Status)
		}
		if !now.Before(sh.Start) {
			return domain.Errorf(domain.EConflict, "the shift has started: record attendance instead of cancelling")
		}
		wasActive := b.Status.Active()
		if reason == "" {
			// Never the canceller's name: it would outlive their erasure.
			reason = "cancelled by a coordinator"
			if isSelf(p, b.MemberID) {
				reason = "cancelled by the member"
			}
		}
		if err := a.setCancelled(ctx, tx, p, &b, reason, now); err != nil {
			return err
		}
		if wasActive {
			if err := a.promote(ctx, tx, p, sh.ID, b.PositionID, now); err != nil {
				return err
			}
		}
		out = b
		return nil
	})
	return out, err
}

// setCancelled cancels a booking and records who cancelled it: the member
// (when the caller is that member, or when b.CancelledBy says so already) or
// the force. An active booking cancelled within the pay settings'
// late_cancel_hours of its start is late.
func (a *App) setCancelled(ctx context.Context, tx *db.Store, p *domain.Principal, b *domain.Booking, reason string, now time.Time) error {
	if cur, err := tx.BookingByID(ctx, b.ID); err != nil {
		return err
	} else if cur.Status == domain.BookingCancelled {
		// Another step of the same change (a supervised place released as
		// its supervisor went) got there first.
		*b = cur
		return nil
	}
	before := *b
	if b.CancelledBy == "" {
		b.CancelledBy = domain.CancelledByForce
		if isSelf(p, b.MemberID) {
			b.CancelledBy = domain.CancelledByMember
		}
	}
	if b.Status.Active() {
		settings, err := tx.PaySettings(ctx)
		if err != nil {
			return err
		}
		b.LateCancel = b.Start.Sub(now) < time.Duration(settings.LateCancelHours)*time.Hour
	}
	b.Status, b.CancelledAt, b.CancelReason, b.UpdatedAt = domain.BookingCancelled, &now, reason, now
	if err := tx.UpdateBooking(ctx, *b); err != nil {
		return err
	}
	if err := a.bookingChanged(ctx, tx, p, "booking.cancel", &before, *b); err != nil {
		return err
	}
	return a.supervisorCancelled(ctx, tx, p, before, now)
}

// promote fills free places of one position on one shift from its waitlist,
// in joining order, skipping whoever no longer passes every rule.
func (a *App) promote(ctx context.Context, tx *db.Store, p *domain.Principal, shiftID, positionID string, now time.Time) error {
	sh, d, err := tx.ShiftByID(ctx, shiftID)
	if err != nil {
		return err
	}
	if sh.Status != domain.ShiftScheduled || d.Status != domain.DemandActive || !now.Before(sh.Start) {
		return nil
	}
	place, err := tx.LockPlace(ctx, shiftID, positionID)
	if err != nil {
		return err
	}
	free := place.Headcount - place.Taken
	if free <= 0 {
		return nil
	}
	queue, err := tx.Waitlist(ctx, shiftID, positionID)
	if err != nil {
		return err
	}
	pos := positionOf(d, positionID)
	for _, b := range queue {
		if free == 0 {
			break
		}
		if err := tx.LockMember(ctx, b.MemberID); err != nil {
			return err
		}
		check, err := a.bookingCheck(ctx, tx, b.MemberID, d, pos, sh, place, now, "")
		if err != nil {
			return err
		}
		if failed := domain.CheckEligibility(check); len(failed) > 0 {
			continue
		}
		before := b
		b.Status, b.UpdatedAt = promotedStatus(d.BookingMode), now
		if b.Status, err = a.heldPromotion(ctx, tx, b, b.Status); err != nil {
			return err
		}
		if err := tx.UpdateBooking(ctx, b); err != nil {
			return err
		}
		if err := a.bookingChanged(ctx, tx, p, "booking.promote", &before, b); err != nil {
			return err
		}
		free--
	}
	return nil
}

// transition moves a booking from one state to another for the member
// (accept, decline) or a coordinator (approve, reject), re-checking the rules
// when it confirms.
func (a *App) transition(ctx context.Context, p *domain.Principal, id string, from, to domain.BookingStatus, byMember bool) (domain.Booking, error) {
	now := a.Now()
	var out domain.Booking
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		b, sh, d, coordinates, err := a.bookingInScope(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if byMember && !isSelf(p, b.MemberID) {
			return forbidden("only the member offered the place can answer the offer")
		}
		if !byMember && !coordinates {
			return forbidden("only a coordinator of this area can approve or reject")
		}
		if b.Status != from {
			return domain.Errorf(domain.EConflict, "this booking is %s, not %s", b.Status, from)
		}
		if to == domain.BookingConfirmed {
			if err := tx.LockMember(ctx, b.MemberID); err != nil {
				return err
			}
			check, err := a.bookingCheck(ctx, tx, b.MemberID, d, positionOf(d, b.PositionID), sh, domain.Place{}, now, sh.ID)
			if err != nil {
				return err
			}
			if failed := domain.CheckEligibility(check); len(failed) > 0 {
				return refused(failed, sh, d, a.zoneOf(d))
			}
		}
		before := b
		b.Status, b.UpdatedAt = to, now
		if err := tx.UpdateBooking(ctx, b); err != nil {
			return err
		}
		if err := a.bookingChanged(ctx, tx, p, "booking."+transitionVerb(to, byMember), &before, b); err != nil {
			return err
		}
		out = b
		if !to.Active() {
			return a.promote(ctx, tx, p, sh.ID, b.PositionID, now)
		}
		return nil
	})
	return out, err
}

// transitionVerb names a transition for the audit log.
func transitionVerb(to domain.BookingStatus, byMember bool) string {
	switch {
	case byMember && to == domain.BookingConfirmed:
		return "accept"
	case byMember:
		return "decline"
	case to == domain.BookingConfirmed:
		return "approve"
	default:
		return "reject"
	}
}

// AcceptOffer confirms an offered place (the member's own).
func (a *App) AcceptOffer(ctx context.Context, p *domain.Principal, id string) (domain.Booking, error) {
	return a.transition(ctx, p, id, domain.BookingOffered, domain.BookingConfirmed, true)
}

// DeclineOffer turns an offer down; the place goes to the waitlist.
func (a *App) DeclineOffer(ctx context.Context, p *domain.Principal, id string) (domain.Booking, error) {
	return a.transition(ctx, p, id, domain.BookingOffered, domain.BookingDeclined, true)
}

// ApproveBooking confirms a pending self-booking.
func (a *App) ApproveBooking(ctx context.Context, p *domain.Principal, id string) (domain.Booking, error) {
	return a.transition(ctx, p, id, domain.BookingPending, domain.BookingConfirmed, false)
}

// RejectBooking refuses a pending self-booking; the place goes to the waitlist.
func (a *App) RejectBooking(ctx context.Context, p *domain.Principal, id string) (domain.Booking, error) {
	return a.transition(ctx, p, id, domain.BookingPending, domain.BookingRejected, false)
}

// AttendanceInput records whether the member came, and when.
type AttendanceInput struct {
	Status      string
	ActualStart *time.Time
	ActualEnd   *time.Time
}

// RecordAttendance: a coordinator's record sets the booking's state; the
// member's own is kept as submitted until a coordinator confirms it.
func (a *App) RecordAttendance(ctx context.Context, p *domain.Principal, id string, in AttendanceInput) (domain.Booking, error) {
	status := domain.BookingStatus(in.Status)
	if status != domain.BookingAttended && status != domain.BookingNoShow {
		return domain.Booking{}, domain.FieldInvalid("status", "must be attended or no_show")
	}
	if in.ActualStart != nil && in.ActualEnd != nil && !in.ActualEnd.After(*in.ActualStart) {
		return domain.Booking{}, domain.FieldInvalid("actual_end", "must be after actual_start")
	}
	now := a.Now()
	var out domain.Booking
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		b, sh, _, coordinates, err := a.bookingInScope(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if now.Before(sh.Start) {
			return domain.Errorf(domain.EConflict, "the shift has not started yet")
		}
		out, err = a.setAttendance(ctx, tx, p, b, coordinates, status, in, now)
		return err
	})
	return out, err
}

// setAttendance stores a coordinator's record (which sets the booking's
// state) or the member's own (kept as submitted). A correction is audited
// with the values it replaces.
func (a *App) setAttendance(ctx context.Context, tx *db.Store, p *domain.Principal, b domain.Booking, coordinates bool,
	status domain.BookingStatus, in AttendanceInput, now time.Time) (domain.Booking, error) {
	before := b
	switch {
	case coordinates:
		if b.Status != domain.BookingConfirmed && b.Status != domain.BookingAttended && b.Status != domain.BookingNoShow {
			return b, domain.Errorf(domain.EConflict, "only a confirmed booking can be marked attended or no-show (this one is %s)", b.Status)
		}
		b.Status, b.AttendanceSubmitted = status, false
	case b.Status == domain.BookingConfirmed:
		b.AttendanceSubmitted = true
	default:
		return b, domain.Errorf(domain.EConflict, "attendance can be submitted only for a confirmed booking (this one is %s)", b.Status)
	}
	b.Attendance, b.ActualStart, b.ActualEnd, b.UpdatedAt = status, in.ActualStart, in.ActualEnd, now
	if err := tx.UpdateBooking(ctx, b); err != nil {
		return b, err
	}
	if coordinates && status == domain.BookingNoShow && before.Status != domain.BookingNoShow {
		if err := a.noShowRecorded(ctx, tx, p, b, now); err != nil {
			return b, err
		}
	}
	return b, a.bookingChanged(ctx, tx, p, "booking.attendance", &before, b)
}

// MemberBookings lists a member's bookings for the member or a coordinator
// of their home area.
func (a *App) MemberBookings(ctx context.Context, p *domain.Principal, memberID, after string, limit int) ([]domain.Booking, error) {
	if err := a.canSeeMember(ctx, p, memberID); err != nil {
		return nil, err
	}
	return a.store.MemberBookings(ctx, memberID, after, limit)
}

// canSeeMember: the member themselves, an admin, or a coordinator of the
// member's home area.
func (a *App) canSeeMember(ctx context.Context, p *domain.Principal, memberID string) error {
	if isSelf(p, memberID) || p.IsAdmin() {
		return nil
	}
	if !isCoordinating(p) {
		return notFound("member")
	}
	m, err := a.store.MemberByID(ctx, memberID)
	if err != nil {
		return err
	}
	area, err := a.store.AreaByID(ctx, m.HomeAreaID)
	if err != nil {
		return err
	}
	if !coversArea(p, area) {
		return notFound("member")
	}
	return nil
}

// BookingView is a booking with its shift and demand, as the pages show it.
type BookingView struct {
	Booking domain.Booking
	Shift   domain.Shift
	Demand  domain.Demand
}

// Position is the booking's position on its demand.
func (v BookingView) Position() domain.Position { return positionOf(v.Demand, v.Booking.PositionID) }

// Booking returns one booking the caller may act on: their own, or one on a
// shift in a coordinator's areas. Not found otherwise.
func (a *App) Booking(ctx context.Context, p *domain.Principal, id string) (BookingView, error) {
	b, sh, d, _, err := a.bookingInScope(ctx, a.store, p, id)
	if err != nil {
		return BookingView{}, err
	}
	return BookingView{Booking: b, Shift: sh, Demand: d}, nil
}

// MyBookings lists the calling member's bookings with their shifts, newest
// shift first; none for an account without a member record.
func (a *App) MyBookings(ctx context.Context, p *domain.Principal, limit int) ([]BookingView, error) {
	if p == nil || p.User.MemberID == "" {
		return nil, nil
	}
	bookings, err := a.MemberBookings(ctx, p, p.User.MemberID, "", limit)
	if err != nil {
		return nil, err
	}
	out := make([]BookingView, 0, len(bookings))
	for _, b := range bookings {
		sh, d, err := a.store.ShiftByID(ctx, b.ShiftID)
		if err != nil {
			return nil, err
		}
		out = append(out, BookingView{Booking: b, Shift: sh, Demand: d})
	}
	return out, nil
}
