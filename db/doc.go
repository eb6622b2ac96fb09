// Package db is copbank's storage: GORM rows (unexported), converters to domain
// values, the one concrete Store, and the versioned migrations for PostgreSQL
// and SQLite embedded in the binary.
//
// Where the dialects differ the SQL is written per dialect and kept visible.
// The booking invariants (a position never holds more active bookings than
// its headcount, a member's active bookings never overlap, one active or
// waitlisted booking per member and position) are enforced here as the last
// line of defence: by constraints and row locks on PostgreSQL, and by
// serialised (BEGIN IMMEDIATE) transactions plus triggers on SQLite.
//
// It imports domain only; never scheduling, app or web.
package db
