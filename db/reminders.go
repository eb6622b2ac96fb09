package db

import (
	"context"
	"time"

	"github.com/copbank/copbank/domain"
)

// BookingsStartingBetween returns the active bookings (offered, pending,
// confirmed) whose shift starts after from and no later than to, soonest first.
func (s *Store) BookingsStartingBetween(ctx context.Context, from, to time.Time) ([]domain.Booking, error) {
	var rows []bookingRow
	err := s.db(ctx).Where("status IN ? AND starts_at > ? AND starts_at <= ?",
		[]string{"offered", "pending", "confirmed"}, from.UTC(), to.UTC()).Order("starts_at, id").Find(&rows).Error
	return bookingsOf(rows), translate(err)
}
