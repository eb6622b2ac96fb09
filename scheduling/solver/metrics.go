package solver

import (
	"slices"
	"time"
)

// Metrics summarise a roster the way a match run reports it.
type Metrics struct {
	Places               int     `json:"places"`
	Filled               int     `json:"filled"`
	PriorityWeightedFill float64 `json:"priority_weighted_fill"`
	FairnessGini         float64 `json:"fairness_gini"`
	SolveMS              int64   `json:"solve_ms"`
	// What the solve reports of itself (zero from ComputeMetrics alone;
	// WithSolve sets them): the fill bound, its priority-weighted form,
	// whether the fill is provably optimal, why the search stopped and
	// after how many moves.
	FillBound         int        `json:"fill_bound"`
	PriorityFillBound float64    `json:"priority_fill_bound"`
	OptimalFill       bool       `json:"optimal_fill"`
	StopReason        StopReason `json:"stop_reason"`
	Moves             int64      `json:"moves"`
}

// WithSolve adds to m what sol reports of itself, the bound taken over the
// slots m measured: the first n slots of p (n ≤ 0: all of them). The bound
// over the first n is the flow's fill of those slots, which is their bound
// when the other slots are held by fixed assignments alone (as bookings
// carried into a problem are).
func (m Metrics) WithSolve(p *Problem, sol *Solution, n int) Metrics {
	if n <= 0 || n > len(p.Slots) {
		n = len(p.Slots)
	}
	var wf, wt int64
	m.FillBound = 0
	for s := range n {
		if s >= len(sol.SlotBound) {
			break
		}
		pr := int64(max(p.Slots[s].Priority, 1))
		m.FillBound += sol.SlotBound[s]
		wf += pr * int64(sol.SlotBound[s])
		wt += pr * int64(p.Slots[s].Demand)
	}
	m.PriorityFillBound = 0
	if wt > 0 {
		m.PriorityFillBound = float64(wf) / float64(wt)
	}
	m.OptimalFill = sol.OptimalFill && m.Filled == m.FillBound
	m.StopReason, m.Moves = sol.StopReason, sol.Moves
	return m
}

// ComputeMetrics measures fill and fairness of the fixed assignments of p plus
// as. Places and fill count each slot up to its Demand; a priority below 1
// weighs 1. The Gini coefficient is of worked minutes over the workers who
// offered time. solve is the duration the caller measured.
func ComputeMetrics(p *Problem, as []Assignment, solve time.Duration) Metrics {
	m := Metrics{SolveMS: solve.Milliseconds()}
	n := make([]int, len(p.Slots))
	mins := make([]int64, len(p.Workers))
	seen := map[Assignment]bool{}
	for _, a := range append(slices.Clone(p.Fixed), as...) {
		if seen[a] {
			continue
		}
		seen[a] = true
		n[a.Slot]++
		sl := &p.Slots[a.Slot]
		mins[a.Worker] += sl.End - sl.Start
	}
	var wf, wt float64
	for s := range p.Slots {
		sl := &p.Slots[s]
		f := min(n[s], sl.Demand)
		m.Places += sl.Demand
		m.Filled += f
		pr := float64(max(sl.Priority, 1))
		wf += pr * float64(f)
		wt += pr * float64(sl.Demand)
	}
	if wt > 0 {
		m.PriorityWeightedFill = wf / wt
	}
	var xs []float64
	for w := range p.Workers {
		if p.Workers[w].OfferedTime {
			xs = append(xs, float64(mins[w]))
		}
	}
	m.FairnessGini = Gini(xs)
	return m
}

// Gini is the Gini coefficient of xs (0: all equal; 0 for empty or all-zero input).
func Gini(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	var sum, cum float64
	for i, x := range s {
		sum += x
		cum += float64(i+1) * x
	}
	if sum == 0 {
		return 0
	}
	n := float64(len(s))
	return (2*cum)/(n*sum) - (n+1)/n
}
