package solver

import (
	"strings"
)

// Spread: soft terms over how work falls across people. fairness is the
// squared spread of (weighted) hours over the workers who can take a slot
// (a candidate of some slot, or holding a fixed assignment), paid hours
// counting PaidHoursFactor times; continuity costs each distinct person on a
// series, by a weight per series (seriesWeights) strong enough that
// fairness does not split a series while it still spreads different series
// over different people.

// fairUnits is a slot's weight in fairness: its quarter hours, paid ones
// counted paidF times.
func fairUnits(sl *Slot, paidF int64) int64 {
	u := sl.End - sl.Start
	if sl.Paid {
		u *= paidF
	}
	return u / 15
}

// fairness is the fairness penalty for n workers with Σx = s1 and Σx² = s2,
// x in quarter hours: weight × Σ(x-mean)² in hours².
func fairness(weight, n, s1, s2 int64) int64 {
	if weight == 0 || n == 0 {
		return 0
	}
	return weight * ((n*s2 - s1*s1) / (16 * n))
}

// fairnessScratch scores fairness from each worker's slots.
func fairnessScratch(b *Breakdown, p *Problem, byWorker [][]int) {
	canWork := make([]bool, len(p.Workers))
	for s := range p.Slots {
		for _, cd := range p.Slots[s].Candidates {
			canWork[cd.Worker] = true
		}
	}
	for _, a := range p.Fixed {
		canWork[a.Worker] = true
	}
	paidF := max(p.Weights.PaidHoursFactor, 1)
	var n, s1, s2 int64
	for w, mine := range byWorker {
		if !canWork[w] {
			continue
		}
		var x int64
		for _, s := range mine {
			x += fairUnits(&p.Slots[s], paidF)
		}
		n++
		s1 += x
		s2 += x * x
	}
	if f := fairness(p.Weights.Fairness, n, s1, s2); f != 0 {
		b.Soft[TermFairness] = f
	}
}

// toggleFairness adds sign × slot s to worker w's hours and rescores
// fairness (for a worker who takes part in it, under a non-zero weight).
func (st *state) toggleFairness(w, s int, sign int64) {
	c := st.c
	x0 := st.fairX[w]
	x1 := x0 + sign*c.fairUnits[s]
	st.fairX[w] = x1
	f0 := fairness(c.fairW, c.nFair, st.fairS1, st.fairS2)
	st.fairS1 += x1 - x0
	st.fairS2 += x1*x1 - x0*x0
	st.addSoft(c.tFair, fairness(c.fairW, c.nFair, st.fairS1, st.fairS2)-f0)
}

// seriesWeights is the penalty per distinct person on each series: for a
// mentee's series Weights.MentorContinuity, else (unless Continuity is 0)
// the larger of Weights.Continuity and Fairness × T², T being the weighted hours of doing
// every occurrence (the longest slot of the series on each of its days); in
// both cases at most half the series' cheapest UnderWeight, so bringing in a
// new person always beats leaving a place open.
func seriesWeights(p *Problem) map[string]int64 {
	wt := p.Weights
	paidF := max(wt.PaidHoursFactor, 1)
	type dayKey struct {
		series string
		day    int
	}
	longest := map[dayKey]int64{}
	cheapest := map[string]int64{}
	for s := range p.Slots {
		sl := &p.Slots[s]
		if sl.Series == "" {
			continue
		}
		k := dayKey{sl.Series, sl.Day}
		longest[k] = max(longest[k], fairUnits(sl, paidF))
		if c, ok := cheapest[sl.Series]; !ok || sl.UnderWeight < c {
			cheapest[sl.Series] = sl.UnderWeight
		}
	}
	units := map[string]int64{}
	for k, u := range longest {
		units[k.series] += u
	}
	out := make(map[string]int64, len(units))
	for series, u := range units {
		var w int64
		switch {
		case strings.HasPrefix(series, MenteeSeriesPrefix):
			w = wt.MentorContinuity
		case wt.Continuity > 0: // 0 turns continuity off
			w = max(wt.Continuity, wt.Fairness*u*u/16) // quarter hours to hours²
		}
		out[series] = min(w, cheapest[series]/2)
	}
	return out
}

// newcomerShare is the part of a series' weight that each place costs when
// it goes to someone who holds no fixed place on the series while others
// do: between two people the distinct count ranks alike (the regular who
// is away once, or a new person for good), it keeps the regular.
const newcomerShare = 8

// incumbents returns the workers with a fixed place on each series.
func incumbents(p *Problem) map[string]map[int]bool {
	out := map[string]map[int]bool{}
	for _, a := range p.Fixed {
		if sr := p.Slots[a.Slot].Series; sr != "" {
			if out[sr] == nil {
				out[sr] = map[int]bool{}
			}
			out[sr][a.Worker] = true
		}
	}
	return out
}

// continuityScratch counts the distinct workers on each series and the
// places newcomers hold on a series with incumbents.
func continuityScratch(b *Breakdown, p *Problem, byWorker [][]int) {
	type seriesWorker struct {
		series string
		w      int
	}
	distinct := map[seriesWorker]bool{}
	weight := seriesWeights(p)
	inc := incumbents(p)
	var v int64
	for w, mine := range byWorker {
		for _, s := range mine {
			sr := p.Slots[s].Series
			if sr == "" {
				continue
			}
			if !distinct[seriesWorker{sr, w}] {
				distinct[seriesWorker{sr, w}] = true
				v += weight[sr]
			}
			if len(inc[sr]) > 0 && !inc[sr][w] {
				v += weight[sr] / newcomerShare
			}
		}
	}
	if v != 0 {
		b.Soft[TermContinuity] = v
	}
}

// toggleContinuity adds or removes worker w on slot s's series (a slot
// with a series, under a non-zero weight): a distinct person, and a place
// held by a newcomer where the series has incumbents.
func (st *state) toggleContinuity(w, s int, sign int64) {
	c := st.c
	key := uint64(c.series[s])<<32 | uint64(w)
	k0 := st.cont[key]
	k1 := k0 + int32(sign)
	if k1 == 0 {
		delete(st.cont, key)
	} else {
		st.cont[key] = k1
	}
	sw := c.seriesW[c.series[s]]
	if k0 == 0 && k1 == 1 {
		st.addSoft(c.tCont, sw)
	} else if k0 == 1 && k1 == 0 {
		st.addSoft(c.tCont, -sw)
	}
	if c.seriesInc[c.series[s]] && !c.incumbent[key] {
		st.addSoft(c.tCont, sign*(sw/newcomerShare))
	}
}
