package domain

import "time"

// Course is training that, once completed, grants a skill.
type Course struct {
	ID        string
	Code      string
	Title     string
	SkillID   string
	SkillCode string
	// ValidityMonths is how long the granted skill stays valid; nil: for ever.
	ValidityMonths *int
	CreatedBy      string
	CreatedAt      time.Time
}

// SessionStatus is whether a course session will run.
type SessionStatus string

const (
	SessionScheduled SessionStatus = "scheduled"
	SessionCancelled SessionStatus = "cancelled"
)

// CourseSession is one occurrence of a course: a day's training with places.
type CourseSession struct {
	ID              string
	CourseID        string
	CourseCode      string
	SeriesID        string // sessions posted together share it
	Occurrence      string // the original local start
	AreaID          string
	AreaCode        string
	Location        string
	TrainerMemberID string
	TimeZone        string
	Start, End      time.Time
	Capacity        int
	Status          SessionStatus
	CreatedBy       string
	CreatedAt       time.Time
	Taken           int // enrolled and completed
	Waitlisted      int
}

// PlacesLeft is how many more can enrol before the waitlist starts.
func (s CourseSession) PlacesLeft() int { return max(s.Capacity-s.Taken, 0) }

// EnrolmentStatus is an enrolment's state.
type EnrolmentStatus string

const (
	EnrolmentEnrolled   EnrolmentStatus = "enrolled"
	EnrolmentWaitlisted EnrolmentStatus = "waitlisted"
	EnrolmentCancelled  EnrolmentStatus = "cancelled"
	EnrolmentCompleted  EnrolmentStatus = "completed"
)

// Open reports an enrolment that is still waiting for its session: enrolled
// or waitlisted. A member holds at most one open enrolment per session.
func (s EnrolmentStatus) Open() bool { return s == EnrolmentEnrolled || s == EnrolmentWaitlisted }

// Enrolment is a member's place (or place in the queue) on a course session.
type Enrolment struct {
	ID           string
	SessionID    string
	MemberID     string
	Status       EnrolmentStatus
	CreatedBy    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	WaitlistedAt *time.Time
	CancelledAt  *time.Time
	CompletedAt  *time.Time
	CompletedBy  string
}

// CompletionHolding is the skill a completed session grants: held from the
// session's local date for the course's validity (or for ever).
func CompletionHolding(c Course, s CourseSession, zone *time.Location) MemberSkill {
	obtained := DateOf(s.Start.In(zone))
	ms := MemberSkill{SkillID: c.SkillID, Code: c.SkillCode, ObtainedOn: obtained}
	if c.ValidityMonths != nil {
		exp := obtained.AddMonths(*c.ValidityMonths)
		ms.ExpiresOn = &exp
	}
	return ms
}

// Renewed is the holding after a completion grants `granted`: it replaces an
// existing holding unless that one already lasts longer, so re-taking an
// older session never shortens a skill.
func Renewed(existing *MemberSkill, granted MemberSkill) MemberSkill {
	if existing == nil {
		return granted
	}
	switch {
	case existing.ExpiresOn == nil && existing.ObtainedOn.Before(granted.ObtainedOn):
		return granted // renewed from a later date
	case existing.ExpiresOn == nil:
		return *existing
	case granted.ExpiresOn == nil, existing.ExpiresOn.Before(*granted.ExpiresOn):
		return granted
	}
	return *existing
}
