package solver

// Spread: soft terms over how work falls across people. fairness is the
// squared spread of (weighted) hours over the workers who can take a slot
// (a candidate of some slot, or holding a fixed assignment), paid hours
// counting PaidHoursFactor times; continuity costs each distinct person on a
// series.

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

// continuityScratch counts the distinct workers on each series.
func continuityScratch(b *Breakdown, p *Problem, byWorker [][]int) {
	type seriesWorker struct {
		series string
		w      int
	}
	distinct := map[seriesWorker]bool{}
	for w, mine := range byWorker {
		for _, s := range mine {
			if sr := p.Slots[s].Series; sr != "" {
				distinct[seriesWorker{sr, w}] = true
			}
		}
	}
	if v := int64(len(distinct)) * p.Weights.Continuity; v != 0 {
		b.Soft[TermContinuity] = v
	}
}

// toggleContinuity adds or removes worker w on slot s's series (a slot
// with a series, under a non-zero weight).
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
	if k0 == 0 && k1 == 1 {
		st.addSoft(c.tCont, c.contW)
	} else if k0 == 1 && k1 == 0 {
		st.addSoft(c.tCont, -c.contW)
	}
}
