package domain

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

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
	Areas []string `json:"areas"` // area codes; empty = the caller's scope
	From  string   `json:"from"`  // YYYY-MM-DD, inclusive, in the force's zone
	To    string   `json:"to"`
	// TimeLimitMs caps the search's wall time; the search itself is bounded
	// by MaxMoves, so the cap only bites on a slow or loaded machine.
	TimeLimitMs int    `json:"time_limit_ms"`
	Seed        uint64 `json:"seed"`
	Workers     int    `json:"workers"`
	// MaxMoves is the search's budget of moves per worker: with the same
	// data, Seed and Workers it gives the same proposals.
	MaxMoves int64 `json:"max_moves"`
	// Weights scale each soft term of the score (1 keeps the default, 0
	// ignores the term); a stored run holds every term, defaults included.
	Weights map[string]float64 `json:"weights"`
}

// MatchWeightTerms are the soft terms a run's weights may scale, in the
// order they are listed.
var MatchWeightTerms = []string{TermUnfilled, TermFairness, TermTravel, TermContinuity, TermTargetHoursPer4Weeks, TermPreference, TermCost}

// MaxMatchWeight bounds a weight so that no term can swamp the others by
// accident.
const MaxMatchWeight = 100

// CheckMatchWeights names every unknown term and every weight out of range
// as a field "<prefix>.<term>".
func CheckMatchWeights(prefix string, w map[string]float64) []FieldError {
	var fields []FieldError
	terms := make([]string, 0, len(w))
	for t := range w {
		terms = append(terms, t)
	}
	slices.Sort(terms)
	for _, t := range terms {
		v, field := w[t], prefix+"."+t
		switch {
		case !slices.Contains(MatchWeightTerms, t):
			fields = append(fields, FieldError{Field: field, Message: "is not a term of the matcher's score (" + strings.Join(MatchWeightTerms, ", ") + ")"})
		case math.IsNaN(v) || v < 0 || v > MaxMatchWeight:
			fields = append(fields, FieldError{Field: field, Message: fmt.Sprintf("must be from 0 to %d", MaxMatchWeight)})
		case t == TermUnfilled && v < 1:
			// Filling places comes first: a lighter weight would let the
			// other terms trade a place away.
			fields = append(fields, FieldError{Field: field, Message: fmt.Sprintf("must be from 1 to %d: an open place always outweighs the other terms", MaxMatchWeight)})
		}
	}
	return fields
}

// FullMatchWeights is w with every missing term at 1.
func FullMatchWeights(w map[string]float64) map[string]float64 {
	out := make(map[string]float64, len(MatchWeightTerms))
	for _, t := range MatchWeightTerms {
		out[t] = 1
		if v, ok := w[t]; ok {
			out[t] = v
		}
	}
	return out
}

// MatchSettings are the force's defaults for every run.
type MatchSettings struct {
	Weights   map[string]float64
	UpdatedBy string
	UpdatedAt time.Time
}

// Why a run stopped searching (the solver's own names).
const (
	MatchStopMoves     = "moves"      // it made every move it was given
	MatchStopConverged = "converged"  // it could not improve
	MatchStopStalled   = "stalled"    // it went a stretch without improving
	MatchStopTimeLimit = "time_limit" // the time cap bit first: not repeatable
	MatchStopCancelled = "cancelled"
)

// MatchReason is one score term behind a proposal.
type MatchReason struct {
	Term    string  `json:"term"`
	Penalty float64 `json:"penalty"`
	// Amount is the small number behind the term (km, hours, a priority),
	// when there is one; Words says it for people.
	Amount *float64 `json:"amount,omitempty"`
	Words  string   `json:"words"`
}

// MatchProposal places a member on a position of a shift.
type MatchProposal struct {
	ShiftID    string `json:"shift_id"`
	PositionID string `json:"position_id"`
	MemberID   string `json:"member_id"`
	MemberName string `json:"member_name,omitempty"`
	MatchPlaceInfo
	// Score sums the soft terms other than filling the place.
	Score   float64       `json:"score"`
	Reasons []MatchReason `json:"reasons"`
}

// MatchPlaceInfo says which place a proposal or an open place is, as the run
// found it.
type MatchPlaceInfo struct {
	ShiftTitle   string    `json:"shift_title"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	AreaCode     string    `json:"area_code"`
	AreaName     string    `json:"area_name"`
	PositionName string    `json:"position_name"`
	Priority     int       `json:"priority"`
}

// MatchOpen is a place the run left open, with the candidates each rule excluded.
type MatchOpen struct {
	ShiftID    string `json:"shift_id"`
	PositionID string `json:"position_id"`
	MatchPlaceInfo
	Places   int            `json:"places"`
	Excluded map[string]int `json:"excluded"`
}

// MatchMetrics summarise a run.
type MatchMetrics struct {
	Places               int     `json:"places"`
	Filled               int     `json:"filled"`
	PriorityWeightedFill float64 `json:"priority_weighted_fill"`
	FairnessGini         float64 `json:"fairness_gini"`
	SolveMs              int64   `json:"solve_ms"`
	// Unfilled counts the places left open.
	Unfilled int `json:"unfilled"`
	// FillBound is the most places any roster keeping the hard rules can
	// fill, PriorityFillBound its priority-weighted form; OptimalFill says
	// the run fills FillBound places.
	FillBound         int     `json:"fill_bound"`
	PriorityFillBound float64 `json:"priority_fill_bound"`
	OptimalFill       bool    `json:"optimal_fill"`
	// Moves is how many moves the winning search made, StopReason why it
	// stopped (MatchStop…); TimeCapped is set when the time cap bit.
	Moves      int64  `json:"moves"`
	StopReason string `json:"stop_reason,omitempty"`
	TimeCapped bool   `json:"time_capped"`
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

// WhyNot answers why a member was not proposed for a place of a run: the
// hard rules they fail there, or, when they could take it, the soft terms
// on which they lost and to whom.
type WhyNot struct {
	MemberID   string `json:"member_id"`
	MemberName string `json:"member_name"`
	ShiftID    string `json:"shift_id"`
	PositionID string `json:"position_id"`
	MatchPlaceInfo
	Proposed bool         `json:"proposed"`
	Failed   []WhyNotRule `json:"failed"`
	Lost     []WhyNotLoss `json:"lost"`
}

// WhyNotRule is a hard rule the member fails on the place.
type WhyNotRule struct {
	Rule  string `json:"rule"`
	Words string `json:"words"`
}

// WhyNotLoss is how the run would score with the member in place of the one
// proposed: Terms that would cost more (positive) or less.
type WhyNotLoss struct {
	ToMemberID   string        `json:"to_member_id"`
	ToMemberName string        `json:"to_member_name"`
	Terms        []MatchReason `json:"terms"`
}
