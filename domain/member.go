package domain

import (
	"slices"
	"strings"
	"time"
)

// Kind is a kind of member. A member has one or more.
type Kind string

const (
	KindVolunteer   Kind = "volunteer"
	KindBankOfficer Kind = "bank_officer"
	KindMentor      Kind = "mentor"
)

// ValidKind reports a known kind.
func ValidKind(k Kind) bool {
	return k == KindVolunteer || k == KindBankOfficer || k == KindMentor
}

// MemberStatus is whether a member can take shifts.
type MemberStatus string

const (
	MemberActive    MemberStatus = "active"
	MemberSuspended MemberStatus = "suspended"
	MemberArchived  MemberStatus = "archived"
)

// KindDefaults are the limits a member of a kind gets unless told otherwise.
type KindDefaults struct {
	MaxHoursPerWeek float64
	MinRestHours    float64
}

// kindPrecedence: a member of several kinds takes the defaults of the most
// demanding one, in this order.
var kindPrecedence = []Kind{KindBankOfficer, KindVolunteer, KindMentor}

var kindDefaults = map[Kind]KindDefaults{
	KindBankOfficer: {MaxHoursPerWeek: 48, MinRestHours: 11},
	KindVolunteer:   {MaxHoursPerWeek: 16, MinRestHours: 0},
	KindMentor:      {MaxHoursPerWeek: 8, MinRestHours: 0},
}

// DefaultTravelKm is how far a member will go unless they say.
const DefaultTravelKm = 10

// DefaultsFor returns the defaults for a set of kinds.
func DefaultsFor(kinds []Kind) KindDefaults {
	for _, k := range kindPrecedence {
		if slices.Contains(kinds, k) {
			return kindDefaults[k]
		}
	}
	return kindDefaults[KindVolunteer]
}

// MemberLimits are the optional limits the matcher honours (nil = no limit).
type MemberLimits struct {
	MaxShiftsPerWeek      *int     `json:"max_shifts_per_week"`
	MaxConsecutiveDays    *int     `json:"max_consecutive_days"`
	MinDaysOffBetweenRuns *int     `json:"min_days_off_between_runs"`
	MaxWeekendsPer4Weeks  *int     `json:"max_weekends_per_4_weeks"`
	TargetHoursPer4Weeks  *float64 `json:"target_hours_per_4_weeks"`
}

// Preferences are soft wishes: preferred areas and on/off days and times.
type Preferences struct {
	Areas    []string `json:"areas,omitempty"`     // area codes
	DaysOn   []string `json:"days_on,omitempty"`   // mon … sun
	DaysOff  []string `json:"days_off,omitempty"`  // mon … sun
	TimesOn  []string `json:"times_on,omitempty"`  // morning, afternoon, evening, night
	TimesOff []string `json:"times_off,omitempty"` // morning, afternoon, evening, night
	// Notices: per kind of message (booking, reminder, digest, expiry), the
	// channels (email, sms) it goes by; a kind not listed takes
	// DefaultNoticeChannels.
	Notices map[string][]string `json:"notices,omitempty"`
}

// DefaultNoticeChannels is what a member gets without a preference: email
// on, SMS off.
var DefaultNoticeChannels = []string{"email"}

// NoticeChannels is the channels a kind of message goes by for this member.
func (p Preferences) NoticeChannels(kind string) []string {
	if c, ok := p.Notices[kind]; ok {
		return c
	}
	return DefaultNoticeChannels
}

// Member is a person in the bank.
type Member struct {
	ID                     string
	Name                   string
	Email                  string
	Phone                  string
	Kinds                  []Kind
	HomeAreaID             string
	HomeAreaCode           string
	Lat, Lon               *float64
	TravelKm               float64
	MaxHoursPerWeek        float64
	ContractedHoursPerWeek float64
	MinRestHours           float64
	Status                 MemberStatus
	Limits                 MemberLimits
	Preferences            Preferences
	CreatedAt              time.Time
	UpdatedAt              time.Time
}

// HasKind reports whether the member is of kind k.
func (m Member) HasKind(k Kind) bool { return slices.Contains(m.Kinds, k) }

// LivedPrefix marks a self-declared lived-experience skill (no expiry).
const LivedPrefix = "lived:"

// IsLived reports a lived-experience skill code.
func IsLived(code string) bool { return strings.HasPrefix(code, LivedPrefix) }

// MemberSkill is a skill a member holds from ObtainedOn until ExpiresOn.
type MemberSkill struct {
	MemberID   string
	SkillID    string
	Code       string
	Name       string
	ObtainedOn Date
	ExpiresOn  *Date // the first day it is no longer held; nil = never expires
}

// ClearanceType names a vetting level or a DBS check.
type ClearanceType string

const (
	NPPV1               ClearanceType = "NPPV1"
	NPPV2               ClearanceType = "NPPV2"
	NPPV3               ClearanceType = "NPPV3"
	DBSEnhancedChildren ClearanceType = "dbs_enhanced_children"
	DBSEnhancedAdults   ClearanceType = "dbs_enhanced_adults"
	// Conditional is a risk-assessed clearance: it counts as NPPV1 only on
	// a position that allows supervision, and then only under supervision.
	Conditional ClearanceType = "conditional"
)

// VettingLevel orders NPPV levels; 0 is none, DBS types are not levels.
func VettingLevel(t ClearanceType) int {
	switch t {
	case NPPV1:
		return 1
	case NPPV2:
		return 2
	case NPPV3:
		return 3
	}
	return 0
}

// IsDBS reports a DBS check type.
func IsDBS(t ClearanceType) bool { return t == DBSEnhancedChildren || t == DBSEnhancedAdults }

// ValidClearanceType reports a known type.
func ValidClearanceType(t ClearanceType) bool {
	return VettingLevel(t) > 0 || IsDBS(t) || t == Conditional
}

// ClearanceStatus is whether a clearance counts.
type ClearanceStatus string

const (
	ClearanceActive    ClearanceStatus = "active"
	ClearanceSuspended ClearanceStatus = "suspended"
)

// Clearance is a vetting level or DBS check held between two dates. Only
// levels and dates are stored, never the vetting file.
type Clearance struct {
	ID        string
	MemberID  string
	Type      ClearanceType
	GrantedOn Date
	ExpiresOn Date // the first day it is no longer held
	Status    ClearanceStatus
	// Reference points to the vetting unit's own record of a conditional
	// clearance's risk assessment; the reason itself is never held here.
	Reference string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Availability is a window a member offers: once, or recurring by RRULE.
type Availability struct {
	ID              string
	MemberID        string
	StartLocal      string // YYYY-MM-DDTHH:MM
	DurationMinutes int
	TimeZone        string
	RRule           string
	Until           *Date
	CreatedAt       time.Time
}

// Leave blocks whole days, From to To inclusive, in the force's time zone.
type Leave struct {
	ID        string
	MemberID  string
	From, To  Date
	Reason    string
	CreatedAt time.Time
}
