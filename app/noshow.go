package app

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// loadNoShow reads the no-show policy: COPBANK_NOSHOW_COUNT no-shows on
// shifts starting within COPBANK_NOSHOW_WINDOW_DAYS of each other put the
// member's own bookings through approval for COPBANK_NOSHOW_HOLD_DAYS.
// A count of 0 turns the policy off.
func (c *Config) loadNoShow(getenv func(string) string) error {
	for _, n := range []struct {
		name string
		min  int
		set  func(int)
	}{
		{"COPBANK_NOSHOW_COUNT", 0, func(i int) { c.NoShow.Count = i }},
		{"COPBANK_NOSHOW_WINDOW_DAYS", 1, func(i int) { c.NoShow.Window = time.Duration(i) * 24 * time.Hour }},
		{"COPBANK_NOSHOW_HOLD_DAYS", 1, func(i int) { c.NoShow.HoldFor = time.Duration(i) * 24 * time.Hour }},
	} {
		v := getenv(n.name)
		if v == "" {
			continue
		}
		i, err := strconv.Atoi(v)
		if err != nil || i < n.min {
			return fmt.Errorf("%s %q must be a whole number, at least %d", n.name, v, n.min)
		}
		n.set(i)
	}
	return nil
}

// activeHold is the member's approval hold in force now, or nil.
func (a *App) activeHold(ctx context.Context, store *db.Store, memberID string) (*domain.ApprovalHold, error) {
	h, err := store.ApprovalHold(ctx, memberID)
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !h.ActiveAt(a.Now()) {
		return nil, nil
	}
	return &h, nil
}

// heldStatus turns a self-booking that would confirm at once into one that
// waits for approval while the member is on hold, and says why. A
// coordinator's booking, an offer and a booking already pending are left
// as they are.
func (a *App) heldStatus(ctx context.Context, tx *db.Store, memberID string, self bool, status domain.BookingStatus) (domain.BookingStatus, *domain.ApprovalHold, error) {
	if !self || status != domain.BookingConfirmed {
		return status, nil, nil
	}
	h, err := a.activeHold(ctx, tx, memberID)
	if err != nil || h == nil {
		return status, nil, err
	}
	return domain.BookingPending, h, nil
}

// heldPromotion is heldStatus for a waitlisted booking taking a free place:
// one the member joined themselves waits for approval while they are on
// hold.
func (a *App) heldPromotion(ctx context.Context, tx *db.Store, b domain.Booking, status domain.BookingStatus) (domain.BookingStatus, error) {
	if status != domain.BookingConfirmed || b.CreatedBy == "" {
		return status, nil
	}
	users, err := tx.UsersOfMember(ctx, b.MemberID)
	if err != nil {
		return status, err
	}
	self := slices.ContainsFunc(users, func(u domain.User) bool { return u.ID == b.CreatedBy })
	status, _, err = a.heldStatus(ctx, tx, b.MemberID, self, status)
	return status, err
}

// noShowRecorded puts the member on hold when the no-show just recorded
// makes Count of them on shifts starting within the policy's window.
// No-shows on shifts that started before a coordinator lifted an earlier
// hold are not counted again: the lift forgave them.
func (a *App) noShowRecorded(ctx context.Context, tx *db.Store, p *domain.Principal, b domain.Booking, now time.Time) error {
	pol := a.Config.NoShow
	if pol.Count <= 0 {
		return nil
	}
	from := b.Start.Add(-pol.Window)
	prev, err := tx.ApprovalHold(ctx, b.MemberID)
	switch {
	case domain.ErrorCode(err) == domain.ENotFound:
	case err != nil:
		return err
	case prev.LiftedAt != nil && prev.LiftedAt.After(from):
		from = prev.LiftedAt.Add(time.Nanosecond)
	}
	starts, err := tx.NoShowStarts(ctx, b.MemberID, from, b.Start.Add(pol.Window))
	if err != nil {
		return err
	}
	run := qualifyingRun(starts, b.Start, pol)
	if run == nil {
		return nil
	}
	zone := a.Config.TimeZone
	dates := make([]string, len(run))
	for i, t := range run {
		dates[i] = t.In(zone).Format(time.DateOnly)
	}
	h := domain.ApprovalHold{MemberID: b.MemberID, SetAt: now, Until: now.Add(pol.HoldFor),
		Reason: fmt.Sprintf("%d no-shows in %d days: %s", len(run), int(pol.Window.Hours()/24), strings.Join(dates, ", "))}
	if err := tx.PutApprovalHold(ctx, h); err != nil {
		return err
	}
	return a.audit(ctx, tx, p, auditEvent{action: "member.approval_hold.set", entity: "member", entityID: b.MemberID,
		memberID: b.MemberID, after: map[string]any{"reason": h.Reason, "until": h.Until, "booking_id": b.ID}})
}

// qualifyingRun finds Count no-shows, the one starting at at among them,
// whose first and last start lie within the window; nil when there are none.
func qualifyingRun(starts []time.Time, at time.Time, pol domain.NoShowPolicy) []time.Time {
	for i := 0; i+pol.Count <= len(starts); i++ {
		run := starts[i : i+pol.Count]
		last := run[len(run)-1]
		if last.Sub(run[0]) > pol.Window || at.Before(run[0]) || at.After(last) {
			continue
		}
		return run
	}
	return nil
}

// ApprovalHold is a member's hold in force, or nil, for the member, an
// admin or a coordinator of their home area.
func (a *App) ApprovalHold(ctx context.Context, p *domain.Principal, memberID string) (*domain.ApprovalHold, error) {
	if _, _, err := a.reachMember(ctx, a.store, p, memberID); err != nil {
		return nil, err
	}
	return a.activeHold(ctx, a.store, memberID)
}

// LiftApprovalHold ends a member's hold now, as an admin or a coordinator
// of their home area; the member themselves may not (forbidden), anyone
// else finds no such member. Lifting when there is no hold in force changes
// nothing.
func (a *App) LiftApprovalHold(ctx context.Context, p *domain.Principal, memberID string) error {
	return a.store.InTx(ctx, func(tx *db.Store) error {
		_, reach, err := a.reachMember(ctx, tx, p, memberID)
		if err != nil {
			return err
		}
		if reach != reachManage {
			return forbidden("only a coordinator of your area can lift an approval hold")
		}
		h, err := a.activeHold(ctx, tx, memberID)
		if err != nil || h == nil {
			return err
		}
		before := *h
		now := a.Now()
		h.LiftedAt, h.LiftedBy = &now, p.User.ID
		if err := tx.PutApprovalHold(ctx, *h); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, auditEvent{action: "member.approval_hold.lift", entity: "member", entityID: memberID,
			memberID: memberID, before: map[string]any{"reason": before.Reason, "until": before.Until},
			after: map[string]any{"lifted_at": now}})
	})
}
