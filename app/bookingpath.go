package app

import (
	"context"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// The booking path in as few round trips as it can: the member is read by
// the statement that locks it, the shift only once, after the place's lock
// (so a cancellation or retime that committed meanwhile is what the rules
// see), and whether the member already holds the place comes from the
// bookings the rules load anyway.

// bookingMemberID resolves whom a booking is for without reading the
// member: the booking's transaction reads it with its lock. Members book
// only for themselves; coordinators and admins may book for anyone.
func bookingMemberID(p *domain.Principal, memberID string) (id string, self bool, err error) {
	if memberID == "" || isSelf(p, memberID) {
		if p.User.MemberID == "" {
			return "", false, domain.FieldInvalid("member_id", "your account is not a member of the bank: say which member to book")
		}
		return p.User.MemberID, true, nil
	}
	if !isCoordinating(p) {
		return "", false, notFound("member")
	}
	return memberID, false, nil
}

// lockBookingMember locks the member a booking is for and returns them.
func lockBookingMember(ctx context.Context, tx *db.Store, memberID string, self bool) (domain.Member, error) {
	m, err := tx.LockMemberRecord(ctx, memberID)
	if !self && domain.ErrorCode(err) == domain.ENotFound {
		return m, domain.FieldInvalid("member_id", "is not a member of the bank")
	}
	return m, err
}

// placeToBook locks the place asked for and reads its shift and demand,
// answering as if the shift did not exist when it is outside a
// coordinator's areas.
func placeToBook(ctx context.Context, tx *db.Store, p *domain.Principal, self bool, in BookInput) (domain.Shift, domain.Demand, domain.Position, domain.Place, error) {
	place, lockErr := tx.LockPlace(ctx, in.ShiftID, in.PositionID)
	if lockErr != nil && domain.ErrorCode(lockErr) != domain.ENotFound {
		return domain.Shift{}, domain.Demand{}, domain.Position{}, place, lockErr
	}
	sh, d, area, err := tx.ShiftToBook(ctx, in.ShiftID)
	if err != nil {
		return sh, d, domain.Position{}, place, err
	}
	if !self && !coversArea(p, area) {
		return sh, d, domain.Position{}, place, notFound("shift")
	}
	pos := positionOf(d, in.PositionID)
	if pos.ID == "" {
		return sh, d, pos, place, domain.FieldInvalid("position_id", "is not a position of this shift")
	}
	return sh, d, pos, place, lockErr
}

// memberContextOf is loadMemberContext for a member already read.
func (a *App) memberContextOf(ctx context.Context, tx *db.Store, m domain.Member, from, to time.Time) (memberContext, error) {
	mc := memberContext{member: m}
	var err error
	if mc.skills, err = tx.MemberSkills(ctx, m.ID); err != nil {
		return mc, err
	}
	if mc.clearances, err = tx.Clearances(ctx, m.ID); err != nil {
		return mc, err
	}
	if mc.leave, err = tx.Leave(ctx, m.ID); err != nil {
		return mc, err
	}
	// Wide enough for the ISO week of any start and the rest gap either side.
	margin := 8*24*time.Hour + time.Duration(m.MinRestHours*float64(time.Hour))
	mc.bookings, err = tx.MemberBookingsBetween(ctx, m.ID, from.Add(-margin), to.Add(margin),
		domain.BookingOffered, domain.BookingPending, domain.BookingConfirmed, domain.BookingWaitlisted)
	return mc, err
}

// holds reports whether the member has an active or waitlisted booking of
// the place; a booking of a shift spans the shift, so it is among the
// bookings loaded around it.
func (mc memberContext) holds(shiftID, positionID string) bool {
	for _, b := range mc.bookings {
		if b.ShiftID == shiftID && b.PositionID == positionID {
			return true
		}
	}
	return false
}
