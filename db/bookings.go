package db

import (
	"context"
	"time"

	"github.com/copbank/copbank/domain"
)

type bookingRow struct {
	ID                  string
	ShiftID             string
	PositionID          string
	MemberID            string
	Status              string
	StartsAt            time.Time
	EndsAt              time.Time
	CreatedBy           *string
	CreatedAt           time.Time
	UpdatedAt           time.Time
	WaitlistedAt        *time.Time
	CancelledAt         *time.Time
	CancelReason        string
	LateCancel          bool
	CancelledBy         string
	Attendance          string
	AttendanceSubmitted bool
	ActualStart         *time.Time
	ActualEnd           *time.Time
	Sequence            int
}

func (bookingRow) TableName() string { return "bookings" }

func toBookingRow(b domain.Booking) bookingRow {
	return bookingRow{ID: b.ID, ShiftID: b.ShiftID, PositionID: b.PositionID, MemberID: b.MemberID, Status: string(b.Status),
		StartsAt: b.Start.UTC(), EndsAt: b.End.UTC(), CreatedBy: nullable(b.CreatedBy), CreatedAt: b.CreatedAt.UTC(),
		UpdatedAt: b.UpdatedAt.UTC(), WaitlistedAt: utcPtr(b.WaitlistedAt), CancelledAt: utcPtr(b.CancelledAt),
		CancelReason: b.CancelReason, LateCancel: b.LateCancel, CancelledBy: string(b.CancelledBy), Attendance: string(b.Attendance),
		AttendanceSubmitted: b.AttendanceSubmitted, ActualStart: utcPtr(b.ActualStart), ActualEnd: utcPtr(b.ActualEnd)}
}

func (r bookingRow) toDomain() domain.Booking {
	b := domain.Booking{ID: r.ID, ShiftID: r.ShiftID, PositionID: r.PositionID, MemberID: r.MemberID,
		Status: domain.BookingStatus(r.Status), Start: r.StartsAt, End: r.EndsAt, CreatedAt: r.CreatedAt,
		UpdatedAt: r.UpdatedAt, WaitlistedAt: r.WaitlistedAt, CancelledAt: r.CancelledAt, CancelReason: r.CancelReason,
		LateCancel: r.LateCancel, CancelledBy: domain.CancelParty(r.CancelledBy), Attendance: domain.BookingStatus(r.Attendance), AttendanceSubmitted: r.AttendanceSubmitted,
		ActualStart: r.ActualStart, ActualEnd: r.ActualEnd, Sequence: r.Sequence}
	if r.CreatedBy != nil {
		b.CreatedBy = *r.CreatedBy
	}
	return b
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func bookingsOf(rows []bookingRow) []domain.Booking {
	out := make([]domain.Booking, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out
}

// LockMember takes the lock under which the rules that look at a member's
// other bookings (no_overlap, min_rest, weekly_cap) are decided, so that two
// bookings by one member cannot pass them together. On SQLite the
// transaction already holds the database's write lock.
func (s *Store) LockMember(ctx context.Context, id string) error {
	if s.dialect != Postgres {
		return nil
	}
	var ids []string
	err := s.db(ctx).Table("members").Where("id = ?", id).Clauses(lockForUpdate).Pluck("id", &ids).Error
	if err != nil {
		return translate(err)
	}
	if len(ids) == 0 {
		return domain.Errorf(domain.ENotFound, "no such member")
	}
	return nil
}

// CreateBooking stores a booking. The database refuses one that would
// overfill the place, overlap the member's active bookings or duplicate their
// booking of the place, reporting the rule.
func (s *Store) CreateBooking(ctx context.Context, b domain.Booking) error {
	row := toBookingRow(b)
	return translate(s.db(ctx).Create(&row).Error)
}

// UpdateBooking stores a booking's changed state and adds one to its
// sequence.
func (s *Store) UpdateBooking(ctx context.Context, b domain.Booking) error {
	row := toBookingRow(b)
	if err := s.db(ctx).Model(&bookingRow{}).Where("id = ?", b.ID).Select("*").
		Omit("id", "shift_id", "position_id", "member_id", "created_at", "created_by", "sequence").Updates(&row).Error; err != nil {
		return translate(err)
	}
	return translate(s.db(ctx).Exec(`UPDATE bookings SET sequence = sequence + 1 WHERE id = ?`, b.ID).Error)
}

// BookingByID finds a booking; inside a transaction on PostgreSQL it is locked.
func (s *Store) BookingByID(ctx context.Context, id string) (domain.Booking, error) {
	var row bookingRow
	q := s.db(ctx).Where("id = ?", id)
	if s.inTx && s.dialect == Postgres {
		q = q.Clauses(lockForUpdate)
	}
	if err := q.Take(&row).Error; err != nil {
		if domain.ErrorCode(translate(err)) == domain.ENotFound {
			return domain.Booking{}, domain.Errorf(domain.ENotFound, "no such booking")
		}
		return domain.Booking{}, translate(err)
	}
	return row.toDomain(), nil
}

// MemberBookingsBetween returns the member's bookings in the given statuses
// that end after from and start before to.
func (s *Store) MemberBookingsBetween(ctx context.Context, memberID string, from, to time.Time, statuses ...domain.BookingStatus) ([]domain.Booking, error) {
	var rows []bookingRow
	err := s.db(ctx).Where("member_id = ? AND status IN ? AND ends_at > ? AND starts_at < ?",
		memberID, statuses, from.UTC(), to.UTC()).Order("starts_at").Find(&rows).Error
	return bookingsOf(rows), translate(err)
}

// HoldsPlace reports whether the member has an active or waitlisted booking
// of the place.
func (s *Store) HoldsPlace(ctx context.Context, memberID, shiftID, positionID string) (bool, error) {
	var n int64
	err := s.db(ctx).Model(&bookingRow{}).Where("member_id = ? AND shift_id = ? AND position_id = ? AND status IN ?",
		memberID, shiftID, positionID, []string{"offered", "pending", "confirmed", "waitlisted"}).Count(&n).Error
	return n > 0, translate(err)
}

// Waitlist returns a place's waitlisted bookings in joining order.
func (s *Store) Waitlist(ctx context.Context, shiftID, positionID string) ([]domain.Booking, error) {
	var rows []bookingRow
	err := s.db(ctx).Where("shift_id = ? AND position_id = ? AND status = 'waitlisted'", shiftID, positionID).
		Order("waitlisted_at, id").Find(&rows).Error
	return bookingsOf(rows), translate(err)
}

// ShiftBookings returns a shift's bookings in the given statuses (all when none given).
func (s *Store) ShiftBookings(ctx context.Context, shiftID string, statuses ...domain.BookingStatus) ([]domain.Booking, error) {
	q := s.db(ctx).Where("shift_id = ?", shiftID)
	if len(statuses) > 0 {
		q = q.Where("status IN ?", statuses)
	}
	var rows []bookingRow
	err := q.Order("created_at, id").Find(&rows).Error
	return bookingsOf(rows), translate(err)
}

// MemberBookings lists a member's bookings, newest shift first, after the cursor (booking id).
func (s *Store) MemberBookings(ctx context.Context, memberID string, after string, limit int) ([]domain.Booking, error) {
	q := s.db(ctx).Where("member_id = ?", memberID)
	if after != "" {
		q = q.Where("id < ?", after)
	}
	var rows []bookingRow
	err := q.Order("id DESC").Limit(limit).Find(&rows).Error
	return bookingsOf(rows), translate(err)
}

// CrewMember is a name on a shift, shown to those who share it.
type CrewMember struct {
	MemberID   string
	Name       string
	Phone      string
	PositionID string
}

// Crew lists who holds a confirmed or pending place on a shift.
func (s *Store) Crew(ctx context.Context, shiftID string) ([]CrewMember, error) {
	var rows []CrewMember
	err := s.db(ctx).Raw(`SELECT m.id AS member_id, m.name, m.phone, b.position_id
		FROM bookings b JOIN members m ON m.id = b.member_id JOIN positions p ON p.id = b.position_id
		WHERE b.shift_id = ? AND b.status IN ('offered','pending','confirmed','attended')
		ORDER BY p.ordinal, m.name`, shiftID).Scan(&rows).Error
	return rows, translate(err)
}
