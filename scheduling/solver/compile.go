package solver

import (
	"slices"
)

// pair is one (slot, worker) combination the solver may use.
type pair struct {
	slot, worker int32
	pref, dist   int64 // weighted soft costs of this pair
	cost         int64
	fixed        bool // an existing assignment: always on
	supd, supr   bool // needs a supervisor on its shift; supervises it (never both, never fixed)
}

// climit is a Limit with its interned rule or term.
type climit struct {
	Limit
	id int // rule id if Hard, else term id
}

// compiled is the read-only, shared form of a Problem.
type compiled struct {
	p          *Problem
	H, W, S    int
	ruleNames  []string
	ruleID     map[string]int
	termNames  []string
	termID     map[string]int
	pairs      []pair
	slotStart  []int32   // pairs of slot s are pairs[slotStart[s]:slotStart[s+1]]
	wPairs     [][]int32 // per worker: pair ids sorted by (day, slot)
	wDayStart  [][]int32 // per worker: H+1 offsets into wPairs[w]
	fixedPairs []int32
	minutes    []int64 // per slot
	fairUnits  []int64 // per slot: weighted quarter hours
	series     []int32 // per slot, -1 for none
	limits     [][]climit
	runs       []bool // worker has run rules
	fair       []bool // per worker: takes part in the fairness term
	nFair      int64
	nWeekends  int
	K          int // conflict neighbourhood in days
	fairW      int64
	seriesW    []int64         // per series: the penalty per distinct person
	seriesOf   [][]int32       // per series: its slots
	seriesInc  []bool          // per series: someone holds a fixed place on it
	incumbent  map[uint64]bool // series<<32 | worker: holds a fixed place on it
	forbidden  [][]bool
	nCat       int
	hourScale  int64 // search weight of a non-Minutes hard unit: the shortest slot in whole hours (≥ 1)
	// supervision, when any candidate is supervised: each slot's group
	// (supGroup), each group's supervisors outside the assignments
	// (supFixed) and the rule's id (rSup, else -1).
	supGroup []int32
	supFixed []int32
	rSup     int
	// rule and term ids used by the evaluator
	rOnePerDay, rOverlap, rRest, rSucc, rMaxRun, rMinRun, rMinOff, rPlace int
	tUnder, tOver, tPref, tTravel, tCost, tFair, tCont                    int
}

func (c *compiled) rule(name string) int {
	if id, ok := c.ruleID[name]; ok {
		return id
	}
	c.ruleID[name] = len(c.ruleNames)
	c.ruleNames = append(c.ruleNames, name)
	return len(c.ruleNames) - 1
}

func (c *compiled) term(name string) int {
	if id, ok := c.termID[name]; ok {
		return id
	}
	c.termID[name] = len(c.termNames)
	c.termNames = append(c.termNames, name)
	return len(c.termNames) - 1
}

func compile(p *Problem) *compiled {
	c := &compiled{p: p, H: p.Days, W: len(p.Workers), S: len(p.Slots),
		ruleID: map[string]int{}, termID: map[string]int{}}
	c.rOnePerDay = c.rule(RuleOneShiftPerDay)
	c.rOverlap = c.rule(RuleNoOverlap)
	c.rRest = c.rule(RuleMinRest)
	c.rSucc = c.rule(RuleForbiddenSuccession)
	c.rMaxRun = c.rule(RuleMaxConsecutive)
	c.rMinRun = c.rule(RuleMinConsecutive)
	c.rMinOff = c.rule(RuleMinDaysOff)
	c.rPlace = c.rule(RuleHasPlace)
	c.tUnder = c.term(TermUnfilled)
	c.tOver = c.term(TermOverCover)
	c.tPref = c.term(TermPreference)
	c.tTravel = c.term(TermTravel)
	c.tCost = c.term(TermCost)
	c.tFair = c.term(TermFairness)
	c.tCont = c.term(TermContinuity)
	c.nCat = max(len(p.Categories), 1)
	c.forbidden = p.Forbidden
	wt := p.Weights
	c.fairW = wt.Fairness
	paidF := max(wt.PaidHoursFactor, 1)

	fixedBy := make(map[int][]int)
	for _, a := range p.Fixed {
		if !slices.Contains(fixedBy[a.Slot], a.Worker) {
			fixedBy[a.Slot] = append(fixedBy[a.Slot], a.Worker)
		}
	}
	c.slotStart = make([]int32, c.S+1)
	c.minutes = make([]int64, c.S)
	c.fairUnits = make([]int64, c.S)
	c.series = make([]int32, c.S)
	seriesID := map[string]int32{}
	weights := seriesWeights(p)
	inc := incumbents(p)
	c.incumbent = map[uint64]bool{}
	var maxLen int64
	skew := 0
	for s := range p.Slots {
		sl := &p.Slots[s]
		c.slotStart[s] = int32(len(c.pairs))
		c.minutes[s] = sl.End - sl.Start
		maxLen = max(maxLen, c.minutes[s])
		skew = max(skew, abs(sl.Day-int(floorDiv(sl.Start, 1440))))
		c.fairUnits[s] = fairUnits(sl, paidF)
		c.series[s] = -1
		if sl.Series != "" {
			id, ok := seriesID[sl.Series]
			if !ok {
				id = int32(len(seriesID))
				seriesID[sl.Series] = id
				c.seriesW = append(c.seriesW, weights[sl.Series])
				c.seriesOf = append(c.seriesOf, nil)
				c.seriesInc = append(c.seriesInc, len(inc[sl.Series]) > 0)
				for w := range inc[sl.Series] {
					c.incumbent[uint64(id)<<32|uint64(w)] = true
				}
			}
			c.series[s] = id
			c.seriesOf[id] = append(c.seriesOf[id], int32(s))
		}
		fx := fixedBy[s]
		slices.Sort(fx)
		ci, fi := 0, 0
		for ci < len(sl.Candidates) || fi < len(fx) {
			var pr pair
			pr.slot = int32(s)
			switch {
			case fi >= len(fx) || (ci < len(sl.Candidates) && sl.Candidates[ci].Worker < fx[fi]):
				cd := sl.Candidates[ci]
				pr.worker = int32(cd.Worker)
				pr.pref, pr.dist, pr.cost = cd.Preference*wt.Preference, cd.DistanceKm*wt.DistancePerKm, cd.Cost*wt.Cost
				pr.supd, pr.supr = cd.Supervised, cd.Supervisor && !cd.Supervised
				ci++
			case ci >= len(sl.Candidates) || fx[fi] < sl.Candidates[ci].Worker:
				pr.worker = int32(fx[fi])
				pr.fixed = true
				fi++
			default: // both
				cd := sl.Candidates[ci]
				pr.worker = int32(cd.Worker)
				pr.pref, pr.dist, pr.cost = cd.Preference*wt.Preference, cd.DistanceKm*wt.DistancePerKm, cd.Cost*wt.Cost
				pr.fixed = true
				ci++
				fi++
			}
			if pr.fixed {
				c.fixedPairs = append(c.fixedPairs, int32(len(c.pairs)))
			}
			c.pairs = append(c.pairs, pr)
		}
	}
	c.slotStart[c.S] = int32(len(c.pairs))
	c.compileSupervision()

	// Per-worker pair index sorted by (day, slot).
	counts := make([]int32, c.W)
	for i := range c.pairs {
		counts[c.pairs[i].worker]++
	}
	c.wPairs = make([][]int32, c.W)
	backing := make([]int32, len(c.pairs))
	off := 0
	for w := range c.W {
		c.wPairs[w] = backing[off : off : off+int(counts[w])]
		off += int(counts[w])
	}
	for i := range c.pairs {
		w := c.pairs[i].worker
		c.wPairs[w] = append(c.wPairs[w], int32(i))
	}
	c.wDayStart = make([][]int32, c.W)
	dsBacking := make([]int32, c.W*(c.H+1))
	for w := range c.W {
		ps := c.wPairs[w]
		slices.SortFunc(ps, func(a, b int32) int {
			da, db := p.Slots[c.pairs[a].slot].Day, p.Slots[c.pairs[b].slot].Day
			if da != db {
				return da - db
			}
			return int(c.pairs[a].slot - c.pairs[b].slot)
		})
		ds := dsBacking[w*(c.H+1) : (w+1)*(c.H+1)]
		j := 0
		for d := 0; d <= c.H; d++ {
			for j < len(ps) && p.Slots[c.pairs[ps[j]].slot].Day < d {
				j++
			}
			ds[d] = int32(j)
		}
		c.wDayStart[w] = ds
	}

	var maxRest int64
	c.limits = make([][]climit, c.W)
	c.runs = make([]bool, c.W)
	c.fair = make([]bool, c.W)
	for w := range p.Workers {
		wk := &p.Workers[w]
		maxRest = max(maxRest, int64(wk.MinRestMinutes))
		c.runs[w] = wk.Runs != (Runs{})
		c.fair[w] = len(c.wPairs[w]) > 0
		if c.fair[w] {
			c.nFair++
		}
		for _, l := range wk.Limits {
			cl := climit{Limit: l}
			if cl.To <= 0 || cl.To > c.H {
				cl.To = c.H
			}
			if cl.Hard {
				cl.id = c.rule(l.Name)
			} else {
				cl.id = c.term(l.Name)
			}
			c.limits[w] = append(c.limits[w], cl)
		}
	}
	c.K = int((maxLen+maxRest)/1440) + 2 + skew
	c.hourScale = 1
	if c.S > 0 {
		minLen := c.minutes[0]
		for _, m := range c.minutes {
			minLen = min(minLen, m)
		}
		c.hourScale = max(minLen/60, 1)
	}
	fw := p.FirstWeekday
	c.nWeekends = (fw+c.H-1)/7 + 1
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// weekendOf returns the weekend index of day d, or -1 if d is a weekday.
func (c *compiled) weekendOf(d int) int {
	x := c.p.FirstWeekday + d
	if x%7 < 5 {
		return -1
	}
	return x / 7
}

// weekendDays returns the in-horizon days of weekend k (sat or sun may be -1)
// and its anchor day (the first in-horizon day).
func (c *compiled) weekendDays(k int) (sat, sun, anchor int) {
	sat = 7*k + 5 - c.p.FirstWeekday
	sun = sat + 1
	if sat < 0 {
		sat = -1
	}
	if sun >= c.H {
		sun = -1
	}
	if sat >= c.H {
		sat = -1
	}
	anchor = sat
	if anchor < 0 {
		anchor = sun
	}
	return sat, sun, anchor
}

// findPair returns the pair id of (w, s), or -1.
func (c *compiled) findPair(w, s int) int32 {
	d := c.p.Slots[s].Day
	ds := c.wDayStart[w]
	for _, pid := range c.wPairs[w][ds[d]:ds[d+1]] {
		if int(c.pairs[pid].slot) == s {
			return pid
		}
	}
	return -1
}
