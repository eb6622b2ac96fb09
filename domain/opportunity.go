package domain

import "time"

// OpportunityStatus says whether an opportunity takes applications.
type OpportunityStatus string

const (
	OpportunityDraft  OpportunityStatus = "draft"
	OpportunityOpen   OpportunityStatus = "open"
	OpportunityClosed OpportunityStatus = "closed"
)

// ValidOpportunityStatus reports a known status.
func ValidOpportunityStatus(s OpportunityStatus) bool {
	return s == OpportunityDraft || s == OpportunityOpen || s == OpportunityClosed
}

// Opportunity is a published role profile of the VET Agency: what the role
// is, where, the member kind it leads to, and what it asks and gives. Only
// open ones are public.
type Opportunity struct {
	ID           string
	Title        string
	Description  string
	Kind         Kind
	AreaID       string
	AreaCode     string
	AreaPath     string
	MinVetting   ClearanceType // "" when no vetting level is asked for
	SkillsGained []string      // skill codes
	Commitment   string
	Status       OpportunityStatus
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// OpportunityFilter narrows an opportunity list.
type OpportunityFilter struct {
	// ScopePaths: besides open opportunities, those whose area is at or below
	// one of these paths are listed whatever their status. Nil with
	// AllStatuses false lists open ones only.
	ScopePaths []string
	// AllStatuses lists every opportunity (an admin).
	AllStatuses bool
	// WithinPath keeps opportunities at or below this area path ("" = any).
	WithinPath string
	Kind       Kind
	After      string
	Limit      int
}
