package app

import (
	"time"

	"github.com/copbank/copbank/domain"
)

// supervisorsBooked counts, per shift with places to fill, the confirmed
// bookings of members who supervise it (the solver's Slot.Supervisors):
// the booking rule counts only confirmed supervisors, so offers and pending
// bookings do not.
func supervisorsBooked(m *matchModel, bookings []domain.Booking, skills map[string][]domain.MemberSkill,
	clearances map[string][]domain.Clearance, zone *time.Location) map[string]int {
	places := map[string]matchPlace{}
	for _, pl := range m.places {
		places[pl.shift.ID] = pl
	}
	out := map[string]int{}
	for _, b := range bookings {
		pl, ok := places[b.ShiftID]
		if !ok || b.Status != domain.BookingConfirmed {
			continue
		}
		pos := positionOf(pl.demand, b.PositionID)
		if domain.CanSupervise(skills[b.MemberID], pl.shift, zone) && !domain.NeedsSupervision(clearances[b.MemberID], pos, pl.shift, zone) {
			out[b.ShiftID]++
		}
	}
	return out
}
