package domain

import "time"

// MatchRunStatus is where a match run is.
type MatchRunStatus string

const (
	MatchQueued  MatchRunStatus = "queued"
	MatchRunning MatchRunStatus = "running"
	MatchDone    MatchRunStatus = "done"
	MatchFailed  MatchRunStatus = "failed"
	MatchApplied MatchRunStatus = "applied"
)

// MatchParams is what a coordinator asks the matcher to fill.
type MatchParams struct {
	Areas       []string `json:"areas"` // area codes; empty = the caller's scope
	From        string   `json:"from"`  // YYYY-MM-DD, inclusive, in the force's zone
	To          string   `json:"to"`
	TimeLimitMs int      `json:"time_limit_ms"`
	Seed        uint64   `json:"seed"`
	Workers     int      `json:"workers"`
}

// MatchReason is one score term behind a proposal.
type MatchReason struct {
	Term    string  `json:"term"`
	Penalty float64 `json:"penalty"`
}

// MatchProposal places a member on a position of a shift.
type MatchProposal struct {
	ShiftID    string        `json:"shift_id"`
	PositionID string        `json:"position_id"`
	MemberID   string        `json:"member_id"`
	MemberName string        `json:"member_name,omitempty"`
	Start      time.Time     `json:"start"`
	Score      float64       `json:"score"`
	Reasons    []MatchReason `json:"reasons"`
}

// MatchOpen is a place the run left open, with the candidates each rule excluded.
type MatchOpen struct {
	ShiftID    string         `json:"shift_id"`
	PositionID string         `json:"position_id"`
	Start      time.Time      `json:"start"`
	Places     int            `json:"places"`
	Excluded   map[string]int `json:"excluded"`
}

// MatchMetrics summarise a run.
type MatchMetrics struct {
	Places               int     `json:"places"`
	Filled               int     `json:"filled"`
	PriorityWeightedFill float64 `json:"priority_weighted_fill"`
	FairnessGini         float64 `json:"fairness_gini"`
	SolveMs              int64   `json:"solve_ms"`
	// Baseline is the greedy "first eligible member in signup order" fill of
	// the same places, for comparison.
	Baseline *MatchBaseline `json:"baseline,omitempty"`
}

// MatchBaseline is the greedy baseline's figures.
type MatchBaseline struct {
	Filled               int     `json:"filled"`
	PriorityWeightedFill float64 `json:"priority_weighted_fill"`
	FairnessGini         float64 `json:"fairness_gini"`
}

// MatchApplyReport says what applying a run did.
type MatchApplyReport struct {
	Applied    int               `json:"applied"`
	Status     BookingStatus     `json:"status,omitempty"`
	NotApplied []MatchNotApplied `json:"not_applied"`
}

// MatchNotApplied is a proposal that no longer fits, with the rules it fails.
type MatchNotApplied struct {
	ShiftID    string   `json:"shift_id"`
	PositionID string   `json:"position_id"`
	MemberID   string   `json:"member_id"`
	Rules      []string `json:"rules"`
}

// MatchRun is one run of the matcher.
type MatchRun struct {
	ID          string
	Status      MatchRunStatus
	Params      MatchParams
	Progress    float64
	Metrics     MatchMetrics
	Proposals   []MatchProposal
	Open        []MatchOpen
	ApplyReport *MatchApplyReport
	Error       string
	CreatedBy   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}
