package solver

import (
	"fmt"
)

// Measure is what a Limit counts over its window of days.
type Measure uint8

const (
	// Minutes sums the length (End-Start) of the worker's slots that start in the window.
	Minutes Measure = iota
	// Shifts counts the worker's slots that start in the window.
	Shifts
	// Days counts the days of the window on which the worker works at least one slot.
	Days
	// Weekends counts the weekends (Saturday/Sunday pairs) worked, a weekend
	// belonging to the window when its first in-horizon day lies in it.
	Weekends
)

// AnyCategory in Limit.Category makes a limit count slots of every category.
const AnyCategory = -1

// NoMax in Limit.Max means the limit has no upper bound.
const NoMax = -1

// Limit bounds a measure of one worker's assignments over the days [From, To).
//
// A hard limit adds its deviation to the hard score under its Name (for
// Minutes, in started hours: ceil(minutes/60)); a soft limit adds
// Weight × deviation (in the measure's unit) to the soft score under Name. A
// target such as target_hours_per_4_weeks is a soft limit with Min == Max.
type Limit struct {
	Name     string  // rule or term name used in scores and explanations, e.g. "weekly_cap"
	Measure  Measure // what is counted
	Category int     // slot category counted, or AnyCategory
	From, To int     // day window [From, To); To <= 0 means the whole horizon
	Min      int     // lower bound (0 for none)
	Max      int     // upper bound, or NoMax
	Hard     bool    // hard rule, else soft with Weight
	Weight   int64   // soft penalty per unit of deviation
}

// Runs holds hard run-length rules over the worker's working days (days with at
// least one slot). Zero disables a rule. Days before day 0 and after the last
// day count as days off for MaxWork; a run that touches either end of the
// horizon is exempt from MinWork and MinOff (work or rest is assumed to
// continue beyond the horizon).
type Runs struct {
	MaxWork int // max_consecutive_days
	MinWork int // minimum run of working days
	MinOff  int // min_days_off_between_runs
}

// Worker is an employee or member who can take slots.
type Worker struct {
	ID             string
	MinRestMinutes int     // min_rest: minimum gap between two of this worker's slots
	Limits         []Limit // caps, minimums and targets over day windows
	Runs           Runs
	// OfferedTime marks workers who offered time (registered availability);
	// only they take part in fairness_gini (Metrics). The fairness term
	// itself runs over every worker who can take a slot, so moving hours
	// from those who offered time to those who did not never looks fairer.
	OfferedTime bool
}

// Candidate is one worker eligible for a slot, with its per-pair soft costs.
type Candidate struct {
	Worker     int   // index into Problem.Workers
	Preference int64 // signed: >0 the worker would rather not, <0 the worker asked for it (× Weights.Preference)
	DistanceKm int64 // distance from home (× Weights.DistancePerKm)
	Cost       int64 // pay cost of this worker on this slot (× Weights.Cost)
	// Supervised: the worker may take the slot only while a supervisor
	// holds a place on the same shift (hard "supervised"); see Slot.Shift.
	Supervised bool
	// Supervisor: the worker on this slot supervises its shift (ignored
	// when Supervised is set too: nobody supervises themselves).
	Supervisor bool
}

// Slot is one demand cell: a position of a shift with a headcount.
type Slot struct {
	ID         string
	Day        int   // day index in [0, Problem.Days); an overnight slot belongs to its start day
	Start, End int64 // minutes from the start of day 0, End > Start
	Category   int   // shift type / category, in [0, len(Problem.Categories)) (or 0 if none)
	Demand     int   // required headcount
	Priority   int   // 1 (routine) … 5 (urgent); used by metrics and Weights.Unfilled
	// UnderWeight is the soft penalty per unfilled place (use Weights.Unfilled(priority)).
	UnderWeight int64
	// OverWeight is the soft penalty per person above Demand when HardOver is false.
	OverWeight int64
	// HardOver makes every person above Demand a hard violation ("has_place").
	HardOver bool
	Paid     bool   // a paid bank shift: its hours count PaidHoursFactor times in fairness
	Series   string // continuity key: a demand series or "mentee:<ref>"; "" for none
	// Shift groups the slots supervised together (the positions of one
	// shift); "" makes the slot a group of its own.
	Shift string
	// Supervisors counts supervisors already on the slot's shift outside
	// the problem's assignments (confirmed bookings); a group takes the
	// largest count of its slots.
	Supervisors int
	// Candidates are the workers that pass every static rule, in ascending
	// worker order (signup order). At most one entry per worker.
	Candidates []Candidate
	// Excluded counts, by rule name, the workers that fail a static rule for
	// this slot and so are not candidates (copied into explanations).
	Excluded map[string]int
}

// Assignment places worker Worker on slot Slot (indexes into the Problem).
type Assignment struct {
	Slot, Worker int
}

// Problem is a complete rostering problem.
type Problem struct {
	Days         int      // horizon length in days
	FirstWeekday int      // weekday of day 0: 0 Monday … 6 Sunday
	Categories   []string // names of slot categories (shift types); may be empty
	Workers      []Worker
	Slots        []Slot
	// Forbidden[a][b] forbids category b on day d+1 after category a on day d
	// (hard "forbidden_succession"); nil for none.
	Forbidden [][]bool
	// OneSlotPerDay makes a second slot on one day a hard "one_shift_per_day" violation.
	OneSlotPerDay bool
	// Fixed are existing assignments (active bookings): counted, never removed.
	// A fixed assignment need not be among the slot's candidates.
	Fixed []Assignment
	// SoftOffset is a constant added to the soft score (for example the total
	// weight of on-requests when they are modelled as negative preferences).
	SoftOffset int64
	Weights    Weights
}

// Weights are the soft-term weights. DefaultWeights documents the defaults.
type Weights struct {
	// UnfilledByPriority[p] is the penalty per unfilled place of priority p
	// (1…5); index 0 is used for priorities out of range.
	UnfilledByPriority [6]int64
	// Fairness is the penalty per hour² of the sum of squared deviations of
	// (weighted) hours from the mean over the workers who can take a slot
	// (a candidate of some slot, or holding a fixed assignment).
	Fairness int64
	// PaidHoursFactor is how many times a paid hour counts in fairness.
	PaidHoursFactor int64
	// DistancePerKm multiplies Candidate.DistanceKm.
	DistancePerKm int64
	// Continuity is the least penalty per distinct worker on a series; the
	// penalty of a series is at least Fairness × T², T being the (weighted)
	// hours one person works doing every occurrence, so that evening out
	// hours never pays for splitting a series between people (halving one
	// gains Fairness × T²/2); see seriesWeights. 0 turns it off.
	Continuity int64
	// MentorContinuity is the penalty per distinct mentor of one mentee (a
	// series named MenteeSeriesPrefix + ref): a new mentor is a
	// safeguarding matter, so it outweighs every term but unfilled places.
	MentorContinuity int64
	// Preference multiplies Candidate.Preference.
	Preference int64
	// Cost multiplies Candidate.Cost.
	Cost int64
	// TargetPerHour is the suggested soft Limit weight per hour away from
	// target_hours_per_4_weeks (the product builds the Limit; the solver only
	// reads Limit.Weight).
	TargetPerHour int64
}

// DefaultWeights are the product defaults: an unfilled place costs 10^6 at
// priority 1 rising ×10 per level to 10^10 at priority 5, so no gain elsewhere
// is worth an unfilled place of higher priority; fairness 100 per hour²
// (paid hours ×2); 10 per km travelled; at least 20 000 per distinct person
// on a series (more on long series, see Continuity) and 400 000 per
// distinct mentor of a mentee; 200 per unit of preference; 1 per unit of
// cost; 50 per hour away from a target. A series penalty never reaches half
// the cheapest unfilled place of its series, so continuity never leaves a
// place open.
func DefaultWeights() Weights {
	return Weights{
		UnfilledByPriority: [6]int64{1_000_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000},
		Fairness:           100,
		PaidHoursFactor:    2,
		DistancePerKm:      10,
		Continuity:         20_000,
		MentorContinuity:   400_000,
		Preference:         200,
		Cost:               1,
		TargetPerHour:      50,
	}
}

// Terms are the weights by the term names of the scores and explanations
// (unfilled is the priority-1 weight; each level above weighs ten times
// more). MentorContinuity has no term of its own: it scores as continuity.
func (w Weights) Terms() map[string]int64 {
	return map[string]int64{TermUnfilled: w.UnfilledByPriority[1], TermFairness: w.Fairness, TermTravel: w.DistancePerKm,
		TermContinuity: w.Continuity, TermPreference: w.Preference, TermCost: w.Cost, TermTargetHours: w.TargetPerHour}
}

// SetTerm sets the weight of the named term (as Terms names them) and
// reports whether the name is one; unfilled sets every priority, ten times
// more per level above 1.
func (w *Weights) SetTerm(term string, v int64) bool {
	switch term {
	case TermUnfilled:
		w.UnfilledByPriority[0] = v
		for p, k := 1, int64(1); p <= 5; p, k = p+1, k*10 {
			w.UnfilledByPriority[p] = v * k
		}
	case TermFairness:
		w.Fairness = v
	case TermTravel:
		w.DistancePerKm = v
	case TermContinuity:
		w.Continuity = v
	case TermPreference:
		w.Preference = v
	case TermCost:
		w.Cost = v
	case TermTargetHours:
		w.TargetPerHour = v
	default:
		return false
	}
	return true
}

// Unfilled is the penalty per unfilled place of the given priority.
func (w Weights) Unfilled(priority int) int64 {
	if priority < 1 || priority > 5 {
		return w.UnfilledByPriority[0]
	}
	return w.UnfilledByPriority[priority]
}

// Validate reports the first structural problem with p: out-of-range indexes,
// unsorted or duplicate candidates, empty intervals. Solve calls it.
func (p *Problem) Validate() error {
	if p.Days <= 0 {
		return fmt.Errorf("solver: Days must be positive, got %d", p.Days)
	}
	if p.FirstWeekday < 0 || p.FirstWeekday > 6 {
		return fmt.Errorf("solver: FirstWeekday %d out of range", p.FirstWeekday)
	}
	nc := max(len(p.Categories), 1)
	for i := range p.Slots {
		s := &p.Slots[i]
		if s.Day < 0 || s.Day >= p.Days {
			return fmt.Errorf("solver: slot %d (%s): day %d out of range", i, s.ID, s.Day)
		}
		if s.End <= s.Start {
			return fmt.Errorf("solver: slot %d (%s): empty interval", i, s.ID)
		}
		if s.Category < 0 || s.Category >= nc {
			return fmt.Errorf("solver: slot %d (%s): category %d out of range", i, s.ID, s.Category)
		}
		if s.Demand < 0 {
			return fmt.Errorf("solver: slot %d (%s): negative demand", i, s.ID)
		}
		last := -1
		for _, c := range s.Candidates {
			if c.Worker <= last || c.Worker >= len(p.Workers) {
				return fmt.Errorf("solver: slot %d (%s): candidates must be ascending worker indexes in range", i, s.ID)
			}
			last = c.Worker
		}
	}
	for _, a := range p.Fixed {
		if a.Slot < 0 || a.Slot >= len(p.Slots) || a.Worker < 0 || a.Worker >= len(p.Workers) {
			return fmt.Errorf("solver: fixed assignment %+v out of range", a)
		}
	}
	for i := range p.Workers {
		for _, l := range p.Workers[i].Limits {
			if l.Category != AnyCategory && (l.Category < 0 || l.Category >= nc) {
				return fmt.Errorf("solver: worker %s: limit %s: category %d out of range", p.Workers[i].ID, l.Name, l.Category)
			}
		}
	}
	if p.Forbidden != nil {
		if len(p.Forbidden) != nc {
			return fmt.Errorf("solver: Forbidden must be %d×%d", nc, nc)
		}
		for _, row := range p.Forbidden {
			if len(row) != nc {
				return fmt.Errorf("solver: Forbidden must be %d×%d", nc, nc)
			}
		}
	}
	return nil
}

// Score is (hard violations, soft penalty), compared lexicographically.
type Score struct {
	Hard int64
	Soft int64
}

// Less reports whether s is better than o.
func (s Score) Less(o Score) bool {
	if s.Hard != o.Hard {
		return s.Hard < o.Hard
	}
	return s.Soft < o.Soft
}

// Feasible reports whether no hard rule is broken.
func (s Score) Feasible() bool { return s.Hard == 0 }

func (s Score) String() string { return fmt.Sprintf("%dhard/%dsoft", s.Hard, s.Soft) }

// Rule and term names the solver reports itself (a Limit brings its own
// name). The product's catalogue of rules spells the same names; a test
// keeps the two in step.
const (
	RuleOneShiftPerDay      = "one_shift_per_day"
	RuleNoOverlap           = "no_overlap"
	RuleMinRest             = "min_rest"
	RuleForbiddenSuccession = "forbidden_succession"
	RuleMaxConsecutive      = "max_consecutive_days"
	RuleMinConsecutive      = "min_consecutive_days"
	RuleMinDaysOff          = "min_days_off_between_runs"
	RuleHasPlace            = "has_place"
	// RuleSupervised counts, per shift without a supervisor, the
	// supervised workers on it.
	RuleSupervised = "supervised"

	TermUnfilled   = "unfilled"
	TermOverCover  = "over_cover"
	TermPreference = "preference"
	TermTravel     = "travel"
	TermCost       = "cost"
	TermFairness   = "fairness"
	TermContinuity = "continuity"
	// TermTargetHours is the name the product gives its soft target Limit.
	TermTargetHours = "target_hours_per_4_weeks"

	// MenteeSeriesPrefix starts the Slot.Series of a mentee's sessions
	// ("mentee:" + the mentee's reference); continuity on it weighs
	// Weights.MentorContinuity.
	MenteeSeriesPrefix = "mentee:"

	// NotChosen counts, in OpenPlace.Excluded, the candidates who could
	// have been added without breaking a hard rule.
	NotChosen = "not_chosen"
)
