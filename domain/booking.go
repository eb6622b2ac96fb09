package domain

import "time"

// BookingStatus is a booking's state.
type BookingStatus string

const (
	BookingOffered    BookingStatus = "offered"
	BookingPending    BookingStatus = "pending"
	BookingConfirmed  BookingStatus = "confirmed"
	BookingWaitlisted BookingStatus = "waitlisted"
	BookingDeclined   BookingStatus = "declined"
	BookingExpired    BookingStatus = "expired"
	BookingRejected   BookingStatus = "rejected"
	BookingCancelled  BookingStatus = "cancelled"
	BookingAttended   BookingStatus = "attended"
	BookingNoShow     BookingStatus = "no_show"
)

// ActiveStatuses hold a place.
var ActiveStatuses = []BookingStatus{BookingOffered, BookingPending, BookingConfirmed}

// Active reports whether a booking in status s holds a place.
func (s BookingStatus) Active() bool {
	return s == BookingOffered || s == BookingPending || s == BookingConfirmed
}

// CancelParty says who cancelled a booking: the member themselves, or the
// force (a coordinator or admin, or the shift or demand being cancelled).
type CancelParty string

const (
	CancelledByMember CancelParty = "member"
	CancelledByForce  CancelParty = "force"
)

// Booking ties a member to one position of one shift.
type Booking struct {
	ID                  string
	ShiftID             string
	PositionID          string
	MemberID            string
	Status              BookingStatus
	Start, End          time.Time // the shift's, copied so overlap is visible to the database
	CreatedBy           string
	CreatedAt           time.Time
	UpdatedAt           time.Time
	WaitlistedAt        *time.Time
	CancelledAt         *time.Time
	CancelReason        string
	LateCancel          bool
	CancelledBy         CancelParty   // who cancelled: decides whether a late cancellation is paid
	Attendance          BookingStatus // "", attended or no_show
	AttendanceSubmitted bool          // recorded by the member, awaiting a coordinator
	ActualStart         *time.Time
	ActualEnd           *time.Time
	// Sequence counts the booking's changes (iCalendar's SEQUENCE); the
	// store adds one on every update.
	Sequence int
}

// Hours is the booked length in hours.
func (b Booking) Hours() float64 { return b.End.Sub(b.Start).Hours() }
