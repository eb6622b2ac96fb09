package domain

import "time"

// FeedKind says whose calendar a feed shows.
type FeedKind string

const (
	// FeedMember is a member's own bookings.
	FeedMember FeedKind = "member"
	// FeedCoordinator is the scheduled shifts of a coordinator's areas.
	FeedCoordinator FeedKind = "coordinator"
)

// CalendarFeed is an iCalendar feed's record. The token in its address is
// never stored, only its SHA-256; an owner has at most one feed of a kind.
type CalendarFeed struct {
	TokenHash string
	Kind      FeedKind
	MemberID  string // for FeedMember
	UserID    string // for FeedCoordinator
	CreatedBy string
	CreatedAt time.Time
}
