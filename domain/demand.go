package domain

import (
	"slices"
	"time"
)

// ProblemType is the kind of local problem a demand addresses.
type ProblemType string

// ProblemTypes lists every problem type a demand may address.
var ProblemTypes = []ProblemType{"asb", "student_asb", "neighbourhood_crime", "fly_tipping", "vandalism",
	"speedwatch", "victim_support", "mentoring", "community_event", "trigger_meeting", "other"}

// ValidProblemType reports a known problem type.
func ValidProblemType(p ProblemType) bool { return slices.Contains(ProblemTypes, p) }

// BookingMode says who may book a demand's places.
type BookingMode string

const (
	ModeOpen     BookingMode = "open"     // self-booking confirms at once
	ModeApproval BookingMode = "approval" // self-booking waits for a coordinator
	ModeAssigned BookingMode = "assigned" // only a coordinator or the matcher assigns
)

// ValidBookingMode reports a known mode.
func ValidBookingMode(m BookingMode) bool {
	return m == ModeOpen || m == ModeApproval || m == ModeAssigned
}

// Location is where to meet.
type Location struct {
	Description string
	Lat, Lon    *float64
}

// DemandStatus is whether a demand still stands.
type DemandStatus string

const (
	DemandActive    DemandStatus = "active"
	DemandCancelled DemandStatus = "cancelled"
)

// Demand is what a coordinator posts: one shift or a series of them.
type Demand struct {
	ID          string
	Title       string
	Description string
	ProblemType ProblemType
	AreaID      string
	AreaCode    string
	Location    *Location
	Briefing    string
	Priority    int
	BookingMode BookingMode
	MenteeRef   string
	// LoneWorking: those booked book on and off duty, and a missed off
	// duty is followed up (welfare alerts).
	LoneWorking bool
	TimeZone    string
	StartLocal  string // YYYY-MM-DDTHH:MM
	EndLocal    string
	RRule       string
	ExDates     []string
	Status      DemandStatus
	CreatedBy   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Positions   []Position
	Shifts      []Shift
}

// Position is a role on each of a demand's shifts.
type Position struct {
	ID           string
	DemandID     string
	Ordinal      int
	Name         string
	Kinds        []Kind
	Skills       []string // skill codes, all required
	MinVetting   ClearanceType
	DBS          []ClearanceType
	Headcount    int
	MinHeadcount *int
	PayBand      string
	// Supervision says whether a member relying on a conditional clearance
	// may take the position (under a supervisor): SupervisionNone or
	// SupervisionAllowed; "" reads as none.
	Supervision Supervision
}

// Supervision is whether a position takes supervised members.
type Supervision string

const (
	SupervisionNone    Supervision = "none"
	SupervisionAllowed Supervision = "allowed"
)

// ValidSupervision reports a known supervision setting ("" is none).
func ValidSupervision(s Supervision) bool {
	return s == "" || s == SupervisionNone || s == SupervisionAllowed
}

// VettingNone is a position's min_vetting when no clearance is needed.
const VettingNone ClearanceType = "none"

// ShiftStatus is whether a shift will happen.
type ShiftStatus string

const (
	ShiftScheduled ShiftStatus = "scheduled"
	ShiftCancelled ShiftStatus = "cancelled"
)

// Shift is one occurrence of a demand.
type Shift struct {
	ID         string
	DemandID   string
	AreaID     string
	Occurrence string // the original local start; identity across series edits
	Start, End time.Time
	Status     ShiftStatus
	Places     []Place
}

// Place is a position's places on one shift.
type Place struct {
	PositionID string
	Headcount  int
	Taken      int // active bookings
	Waitlisted int
}

// PlacesLeft is how many more can book.
func (p Place) PlacesLeft() int { return max(p.Headcount-p.Taken, 0) }

// Duration is the shift's length in real time.
func (s Shift) Duration() time.Duration { return s.End.Sub(s.Start) }

// DemandFilter narrows a list of demands.
type DemandFilter struct {
	// AreaPaths are the subtrees the caller may see; nil: everywhere, empty:
	// nowhere.
	AreaPaths []string
	AreaPath  string // and at or below this area; "": anywhere in reach
	After     string // cursor: the id of the last demand seen
	Limit     int
}

// ShiftFilter narrows a shift search.
type ShiftFilter struct {
	AreaPath   string // at or below this area
	From, To   time.Time
	OpenOnly   bool // scheduled, demand active, a place left
	DemandID   string
	AfterStart *time.Time // cursor: start and id of the last shift seen
	AfterID    string
	Limit      int
}
