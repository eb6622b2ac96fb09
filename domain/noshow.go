package domain

import "time"

// ApprovalHold puts a member's own bookings through a coordinator's
// approval until Until, because of their no-shows; Reason says which.
type ApprovalHold struct {
	MemberID string
	Reason   string
	SetAt    time.Time
	Until    time.Time
	LiftedAt *time.Time
	LiftedBy string
}

// ActiveAt reports whether the hold applies at t: not lifted and not ended.
func (h ApprovalHold) ActiveAt(t time.Time) bool {
	return h.LiftedAt == nil && t.Before(h.Until)
}

// NoShowPolicy is when no-shows put a member on an approval hold: Count
// no-shows on shifts starting within Window of each other start a hold of
// HoldFor. Count 0 turns the policy off.
type NoShowPolicy struct {
	Count   int
	Window  time.Duration
	HoldFor time.Duration
}

// DefaultNoShowPolicy is two no-shows within 90 days, held for 90 days.
func DefaultNoShowPolicy() NoShowPolicy {
	return NoShowPolicy{Count: 2, Window: 90 * 24 * time.Hour, HoldFor: 90 * 24 * time.Hour}
}
