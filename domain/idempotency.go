package domain

import "time"

// IdempotencyRecord remembers the answer to a mutating request sent with an
// Idempotency-Key, so that a retry gets the first answer instead of a second
// booking.
type IdempotencyRecord struct {
	UserID      string
	Key         string
	Method      string
	Path        string
	RequestHash string
	// StatusCode is 0 while the first request is still being answered.
	StatusCode  int
	ContentType string
	Response    []byte
	CreatedAt   time.Time
}
