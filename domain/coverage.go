package domain

import "time"

// AreaCoverage is what a neighbourhood should have each week: its named
// local officer or PCSO on at least one shift there, and a target of bank
// and volunteer hours. Either may be unset.
type AreaCoverage struct {
	AreaID         string
	NamedOfficerID string
	HoursPerWeek   *float64
	UpdatedAt      time.Time
}

// Coverage gaps, as the coverage report names them.
const (
	GapNoNamedOfficer = "no_named_officer"
	GapNoOfficerShift = "no_officer_shift"
	GapBelowTarget    = "below_target"
)
