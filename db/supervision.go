package db

import "context"

// LockShift takes the lock that decides who supervises a shift: a booking
// that relies on a supervisor and a cancellation that may leave supervised
// members alone take it after any place lock they hold, so neither can
// miss the other.
func (s *Store) LockShift(ctx context.Context, shiftID string) error {
	if s.dialect != Postgres {
		return nil // BEGIN IMMEDIATE already serialises every writer
	}
	return translate(s.db(ctx).Exec(`SELECT 1 FROM shifts WHERE id = ? FOR UPDATE`, shiftID).Error)
}
