package solver

import (
	"slices"
)

// Breakdown is a score split by rule (hard) and term (soft) name.
type Breakdown struct {
	Hard map[string]int64
	Soft map[string]int64
}

// Evaluate scores a complete assignment from scratch (the fixed assignments of
// p are added to as). It shares no state with the incremental evaluator and
// is the reference the tests compare it with. Pairs that are not candidates
// are scored with zero pair costs.
func Evaluate(p *Problem, as []Assignment) (Score, Breakdown) {
	b := Breakdown{Hard: map[string]int64{}, Soft: map[string]int64{}}
	wt := p.Weights
	type key struct{ s, w int }
	seen := map[key]bool{}
	var all []Assignment
	for _, a := range append(slices.Clone(p.Fixed), as...) {
		if !seen[key{a.Slot, a.Worker}] {
			seen[key{a.Slot, a.Worker}] = true
			all = append(all, a)
		}
	}
	n := make([]int, len(p.Slots))
	byWorker := make([][]int, len(p.Workers))
	for _, a := range all {
		n[a.Slot]++
		byWorker[a.Worker] = append(byWorker[a.Worker], a.Slot)
		for _, cd := range p.Slots[a.Slot].Candidates {
			if cd.Worker == a.Worker {
				b.Soft[TermPreference] += cd.Preference * wt.Preference
				b.Soft[TermTravel] += cd.DistanceKm * wt.DistancePerKm
				b.Soft[TermCost] += cd.Cost * wt.Cost
			}
		}
	}
	for s := range p.Slots {
		sl := &p.Slots[s]
		if n[s] < sl.Demand {
			b.Soft[TermUnfilled] += int64(sl.Demand-n[s]) * sl.UnderWeight
		}
		if n[s] > sl.Demand {
			if sl.HardOver {
				b.Hard[RuleHasPlace] += int64(n[s] - sl.Demand)
			} else {
				b.Soft[TermOverCover] += int64(n[s]-sl.Demand) * sl.OverWeight
			}
		}
	}
	// Fairness over the workers who can take a slot.
	var nOff, s1, s2 int64
	paidF := max(wt.PaidHoursFactor, 1)
	// Continuity: distinct workers per series.
	type sw struct {
		series string
		w      int
	}
	distinct := map[sw]bool{}
	// The fairness term runs over every worker who can take a slot: a
	// candidate of some slot or holder of a fixed assignment.
	canWork := make([]bool, len(p.Workers))
	for s := range p.Slots {
		for _, cd := range p.Slots[s].Candidates {
			canWork[cd.Worker] = true
		}
	}
	for _, a := range p.Fixed {
		canWork[a.Worker] = true
	}
	for w := range p.Workers {
		wk := &p.Workers[w]
		mine := byWorker[w]
		var x int64
		working := make([]bool, p.Days)
		for _, s := range mine {
			sl := &p.Slots[s]
			working[sl.Day] = true
			u := sl.End - sl.Start
			if sl.Paid {
				u *= paidF
			}
			x += u / 15
			if sl.Series != "" {
				distinct[sw{sl.Series, w}] = true
			}
		}
		if canWork[w] {
			nOff++
			s1 += x
			s2 += x * x
		}
		// Pairwise rules.
		for i := range mine {
			for j := i + 1; j < len(mine); j++ {
				a, o := &p.Slots[mine[i]], &p.Slots[mine[j]]
				if p.OneSlotPerDay && a.Day == o.Day {
					b.Hard[RuleOneShiftPerDay]++
				}
				if a.Start < o.End && o.Start < a.End {
					b.Hard[RuleNoOverlap]++
				} else if rest := int64(wk.MinRestMinutes); rest > 0 {
					gap := o.Start - a.End
					if a.Start > o.Start {
						gap = a.Start - o.End
					}
					if gap < rest {
						b.Hard[RuleMinRest]++
					}
				}
				if p.Forbidden != nil {
					if o.Day == a.Day+1 && p.Forbidden[a.Category][o.Category] {
						b.Hard[RuleForbiddenSuccession]++
					}
					if a.Day == o.Day+1 && p.Forbidden[o.Category][a.Category] {
						b.Hard[RuleForbiddenSuccession]++
					}
				}
			}
		}
		// Runs.
		rs := wk.Runs
		for a := 0; a < p.Days; {
			e := a
			for e+1 < p.Days && working[e+1] == working[a] {
				e++
			}
			ln := e - a + 1
			inner := a > 0 && e < p.Days-1
			if working[a] {
				if rs.MaxWork > 0 && ln > rs.MaxWork {
					b.Hard[RuleMaxConsecutive] += int64(ln - rs.MaxWork)
				}
				if inner && rs.MinWork > 0 && ln < rs.MinWork {
					b.Hard[RuleMinConsecutive] += int64(rs.MinWork - ln)
				}
			} else if inner && rs.MinOff > 0 && ln < rs.MinOff {
				b.Hard[RuleMinDaysOff] += int64(rs.MinOff - ln)
			}
			a = e + 1
		}
		// Limits.
		for _, l := range wk.Limits {
			to := l.To
			if to <= 0 || to > p.Days {
				to = p.Days
			}
			var v int64
			switch l.Measure {
			case Minutes, Shifts:
				for _, s := range mine {
					sl := &p.Slots[s]
					if sl.Day >= l.From && sl.Day < to && (l.Category == AnyCategory || l.Category == sl.Category) {
						if l.Measure == Minutes {
							v += sl.End - sl.Start
						} else {
							v++
						}
					}
				}
			case Days:
				for d := l.From; d < to; d++ {
					if working[d] {
						v++
					}
				}
			case Weekends:
				// Weekend k: the Saturday/Sunday of week k counted from the
				// Monday on or before day 0; it belongs to the window of its
				// first in-horizon day.
				for d := 0; d < p.Days; d++ {
					wdn := (p.FirstWeekday + d) % 7
					first := wdn == 5 || (wdn == 6 && d == 0)
					if !first || d < l.From || d >= to {
						continue
					}
					if working[d] || (wdn == 5 && d+1 < p.Days && working[d+1]) {
						v++
					}
				}
			}
			var dev int64
			if l.Max >= 0 && v > int64(l.Max) {
				dev = v - int64(l.Max)
			} else if v < int64(l.Min) {
				dev = int64(l.Min) - v
			}
			if dev == 0 {
				continue
			}
			if l.Hard {
				if l.Measure == Minutes {
					dev = (dev + 59) / 60
				}
				b.Hard[l.Name] += dev
			} else {
				b.Soft[l.Name] += l.Weight * dev
			}
		}
	}
	if wt.Fairness != 0 && nOff > 0 {
		b.Soft[TermFairness] = wt.Fairness * ((nOff*s2 - s1*s1) / (16 * nOff))
	}
	b.Soft[TermContinuity] = int64(len(distinct)) * wt.Continuity
	var sc Score
	for k, v := range b.Hard {
		if v == 0 {
			delete(b.Hard, k)
		}
		sc.Hard += v
	}
	for k, v := range b.Soft {
		if v == 0 {
			delete(b.Soft, k)
		}
		sc.Soft += v
	}
	sc.Soft += p.SoftOffset
	return sc, b
}
