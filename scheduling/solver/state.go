package solver

// state is one mutable assignment with its incrementally maintained score.
// Every change goes through toggle, which updates each score term from the
// local neighbourhood of the change only.
type state struct {
	c        *compiled
	on       []bool    // per pair
	slotN    []int32   // people on each slot
	slotAsg  [][]int32 // pair ids on each slot
	wd       [][]int32 // per worker*H+day: pair ids on that day
	busy     []bool    // per worker*H+day: len(wd) > 0, kept dense for the run scans
	under    []int32   // slots below their demand, in no particular order
	underAt  []int32   // per slot: its index in under, or -1
	limStart []int32   // offsets of each worker's limits in limVal
	limVal   []int64
	wkWorked []bool // per worker*nWeekends
	fairX    []int64
	fairS1   int64
	fairS2   int64
	cont     map[uint64]int32
	hard     []int64 // per rule
	soft     []int64 // per term
	hardSum  int64
	softSum  int64
	// hardCost is the hard score as the search weighs it: a unit of a
	// Minutes limit (an hour) counts 1, any other unit c.hourScale, so a
	// shift's worth of hours weighs about as much as one broken rule.
	hardCost int64
	wHard    []int64 // per worker: hard units of the rules on its own slots
	// wConf and wRun are the parts of wHard from clashes between the
	// worker's slots (same day, overlap, rest, succession) and from run rules.
	wConf []int64
	wRun  []int64
	bad   []int32 // workers with wHard > 0, in no particular order
	badAt []int32 // per worker: its index in bad, or -1
}

func newState(c *compiled) *state {
	st := &state{c: c,
		on:       make([]bool, len(c.pairs)),
		slotN:    make([]int32, c.S),
		slotAsg:  make([][]int32, c.S),
		wd:       make([][]int32, c.W*c.H),
		busy:     make([]bool, c.W*c.H),
		underAt:  make([]int32, c.S),
		limStart: make([]int32, c.W+1),
		wkWorked: make([]bool, c.W*c.nWeekends),
		fairX:    make([]int64, c.W),
		wHard:    make([]int64, c.W),
		wConf:    make([]int64, c.W),
		wRun:     make([]int64, c.W),
		badAt:    make([]int32, c.W),
		cont:     map[uint64]int32{},
		hard:     make([]int64, len(c.ruleNames)),
		soft:     make([]int64, len(c.termNames)),
	}
	n := 0
	for w := range c.W {
		st.limStart[w] = int32(n)
		n += len(c.limits[w])
	}
	st.limStart[c.W] = int32(n)
	st.limVal = make([]int64, n)
	// Empty roster: uncovered demand and unmet minimums.
	for s := range c.S {
		st.cover(s, 0, 0, true)
		st.underAt[s] = -1
		if c.p.Slots[s].Demand > 0 {
			st.underAt[s] = int32(len(st.under))
			st.under = append(st.under, int32(s))
		}
	}
	for w := range c.W {
		st.badAt[w] = -1
		h0 := st.hardSum
		for i := range c.limits[w] {
			l := &c.limits[w][i]
			st.addLimit(l, limitPenalty(&l.Limit, 0))
		}
		st.addWorkerHard(w, st.hardSum-h0)
	}
	for _, pid := range c.fixedPairs {
		st.toggle(pid, true)
	}
	return st
}

func (st *state) score() Score {
	return Score{Hard: st.hardSum, Soft: st.softSum + st.c.p.SoftOffset}
}

func (st *state) addHard(r int, v int64) {
	st.hard[r] += v
	st.hardSum += v
	st.hardCost += v * st.c.hourScale
}

func (st *state) addSoft(t int, v int64) {
	st.soft[t] += v
	st.softSum += v
}

func (st *state) addLimit(l *climit, v int64) {
	switch {
	case l.Hard && l.Measure == Minutes:
		st.hard[l.id] += v
		st.hardSum += v
		st.hardCost += v
	case l.Hard:
		st.addHard(l.id, v)
	default:
		st.addSoft(l.id, v)
	}
}

// cover adds the cover cost of slot s going from n0 to n1 people (init: add the
// cost of n1 only).
func (st *state) cover(s int, n0, n1 int32, init bool) {
	sl := &st.c.p.Slots[s]
	under := func(n int32) int64 { return int64(max(int32(sl.Demand)-n, 0)) }
	over := func(n int32) int64 { return int64(max(n-int32(sl.Demand), 0)) }
	du := under(n1)
	do := over(n1)
	if !init {
		du -= under(n0)
		do -= over(n0)
	}
	if du != 0 {
		st.addSoft(st.c.tUnder, du*sl.UnderWeight)
	}
	if do != 0 {
		if sl.HardOver {
			st.addHard(st.c.rPlace, do)
		} else {
			st.addSoft(st.c.tOver, do*sl.OverWeight)
		}
	}
}

func (st *state) working(w, d int) bool { return st.busy[w*st.c.H+d] }

// runSpan is the day range whose runs can change when day d flips.
func (st *state) runSpan(w, d int) (int, int) {
	H := st.c.H
	l := d
	if d > 0 {
		s := st.working(w, d-1)
		l = d - 1
		for l > 0 && st.working(w, l-1) == s {
			l--
		}
	}
	r := d
	if d < H-1 {
		s := st.working(w, d+1)
		r = d + 1
		for r < H-1 && st.working(w, r+1) == s {
			r++
		}
	}
	return l, r
}

// runCost is the run-rule violation of the runs inside [l, r].
func (st *state) runCost(w, l, r int) (maxV, minV, offV int64) {
	rs := &st.c.p.Workers[w].Runs
	H := st.c.H
	for a := l; a <= r; {
		wk := st.working(w, a)
		b := a
		for b < r && st.working(w, b+1) == wk {
			b++
		}
		n := b - a + 1
		inner := a > 0 && b < H-1
		if wk {
			if rs.MaxWork > 0 && n > rs.MaxWork {
				maxV += int64(n - rs.MaxWork)
			}
			if inner && rs.MinWork > 0 && n < rs.MinWork {
				minV += int64(rs.MinWork - n)
			}
		} else if inner && rs.MinOff > 0 && n < rs.MinOff {
			offV += int64(rs.MinOff - n)
		}
		a = b + 1
	}
	return
}

func (st *state) weekendWorked(w, k int) bool {
	sat, sun, _ := st.c.weekendDays(k)
	return (sat >= 0 && st.working(w, sat)) || (sun >= 0 && st.working(w, sun))
}

// conflicts adds sign × the pairwise conflicts between slot s of worker w and
// the worker's other slots near day d (the slot itself must not be in wd).
func (st *state) conflicts(w, s, d int, sign int64) {
	c := st.c
	p := c.p
	sl := &p.Slots[s]
	rest := int64(p.Workers[w].MinRestMinutes)
	lo, hi := max(d-c.K, 0), min(d+c.K, c.H-1)
	for e := lo; e <= hi; e++ {
		if !st.busy[w*c.H+e] {
			continue
		}
		for _, q := range st.wd[w*c.H+e] {
			o := &p.Slots[c.pairs[q].slot]
			if e == d && p.OneSlotPerDay {
				st.addHard(c.rOnePerDay, sign)
			}
			if sl.Start < o.End && o.Start < sl.End {
				st.addHard(c.rOverlap, sign)
			} else if rest > 0 && (o.Start-sl.End < rest && sl.Start-o.End < rest) {
				st.addHard(c.rRest, sign)
			}
			if c.forbidden != nil {
				if e == d-1 && c.forbidden[o.Category][sl.Category] {
					st.addHard(c.rSucc, sign)
				}
				if e == d+1 && c.forbidden[sl.Category][o.Category] {
					st.addHard(c.rSucc, sign)
				}
			}
		}
	}
}

// toggle puts pair pid on or off and updates every score term incrementally.
func (st *state) toggle(pid int32, on bool) {
	c := st.c
	pr := &c.pairs[pid]
	s, w := int(pr.slot), int(pr.worker)
	sl := &c.p.Slots[s]
	d := sl.Day
	sign := int64(1)
	if !on {
		sign = -1
	}
	st.on[pid] = on

	// Cover.
	n0 := st.slotN[s]
	n1 := n0 + int32(sign)
	st.slotN[s] = n1
	st.cover(s, n0, n1, false)
	h0 := st.hardSum
	if dem := int32(sl.Demand); (n0 < dem) != (n1 < dem) {
		st.setUnder(s, n1 < dem)
	}
	if on {
		st.slotAsg[s] = append(st.slotAsg[s], pid)
	} else {
		st.slotAsg[s] = removeID(st.slotAsg[s], pid)
	}

	// Pair terms.
	if pr.pref != 0 {
		st.addSoft(c.tPref, sign*pr.pref)
	}
	if pr.dist != 0 {
		st.addSoft(c.tTravel, sign*pr.dist)
	}
	if pr.cost != 0 {
		st.addSoft(c.tCost, sign*pr.cost)
	}

	// Working-day flip: runs and weekends, measured before the change.
	idx := w*c.H + d
	c0 := len(st.wd[idx])
	flip := (on && c0 == 0) || (!on && c0 == 1)
	var rl, rr int
	var mb, nb, ob int64
	if flip && c.runs[w] {
		rl, rr = st.runSpan(w, d)
		mb, nb, ob = st.runCost(w, rl, rr)
	}
	wk := -1
	var wkBefore bool
	if flip {
		wk = c.weekendOf(d)
		if wk >= 0 {
			wkBefore = st.wkWorked[w*c.nWeekends+wk]
		}
	}

	// Day lists and pairwise conflicts.
	hc := st.hardSum
	if on {
		st.conflicts(w, s, d, 1)
		st.wd[idx] = append(st.wd[idx], pid)
		st.busy[idx] = true
	} else {
		st.wd[idx] = removeID(st.wd[idx], pid)
		st.busy[idx] = len(st.wd[idx]) > 0
		st.conflicts(w, s, d, -1)
	}
	st.wConf[w] += st.hardSum - hc

	if flip && c.runs[w] {
		ma, na, oa := st.runCost(w, rl, rr)
		if ma != mb {
			st.addHard(c.rMaxRun, ma-mb)
		}
		if na != nb {
			st.addHard(c.rMinRun, na-nb)
		}
		if oa != ob {
			st.addHard(c.rMinOff, oa-ob)
		}
		st.wRun[w] += (ma - mb) + (na - nb) + (oa - ob)
	}
	wkFlip := false
	if wk >= 0 {
		after := st.weekendWorked(w, wk)
		st.wkWorked[w*c.nWeekends+wk] = after
		wkFlip = after != wkBefore
	}

	// Limits.
	if ls := c.limits[w]; len(ls) > 0 {
		vals := st.limVal[st.limStart[w]:st.limStart[w+1]]
		var anchor int
		if wkFlip {
			_, _, anchor = c.weekendDays(wk)
		}
		for i := range ls {
			l := &ls[i]
			var dv int64
			switch l.Measure {
			case Weekends:
				if wkFlip && anchor >= l.From && anchor < l.To {
					dv = sign
				}
			case Days:
				if flip && d >= l.From && d < l.To {
					dv = sign
				}
			case Shifts:
				if d >= l.From && d < l.To && (l.Category == AnyCategory || l.Category == sl.Category) {
					dv = sign
				}
			case Minutes:
				if d >= l.From && d < l.To && (l.Category == AnyCategory || l.Category == sl.Category) {
					dv = sign * c.minutes[s]
				}
			}
			if dv == 0 {
				continue
			}
			v0 := vals[i]
			v1 := v0 + dv
			vals[i] = v1
			if dp := limitPenalty(&l.Limit, v1) - limitPenalty(&l.Limit, v0); dp != 0 {
				st.addLimit(l, dp)
			}
		}
	}

	st.addWorkerHard(w, st.hardSum-h0)

	// Fairness.
	if c.fair[w] && c.fairW != 0 {
		u := c.fairUnits[s]
		x0 := st.fairX[w]
		x1 := x0 + sign*u
		st.fairX[w] = x1
		f0 := fairness(c.fairW, c.nFair, st.fairS1, st.fairS2)
		st.fairS1 += x1 - x0
		st.fairS2 += x1*x1 - x0*x0
		st.addSoft(c.tFair, fairness(c.fairW, c.nFair, st.fairS1, st.fairS2)-f0)
	}

	// Continuity.
	if sr := c.series[s]; sr >= 0 && c.contW != 0 {
		key := uint64(sr)<<32 | uint64(w)
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
}

// addWorkerHard adds v to worker w's hard units and keeps bad in step.
func (st *state) addWorkerHard(w int, v int64) {
	if v == 0 {
		return
	}
	h0 := st.wHard[w]
	h1 := h0 + v
	st.wHard[w] = h1
	switch {
	case h0 == 0 && h1 != 0:
		st.badAt[w] = int32(len(st.bad))
		st.bad = append(st.bad, int32(w))
	case h0 != 0 && h1 == 0:
		i := st.badAt[w]
		last := st.bad[len(st.bad)-1]
		st.bad[i] = last
		st.badAt[last] = i
		st.bad = st.bad[:len(st.bad)-1]
		st.badAt[w] = -1
	}
}

// setUnder adds slot s to or removes it from the under-covered list.
func (st *state) setUnder(s int, under bool) {
	if under {
		st.underAt[s] = int32(len(st.under))
		st.under = append(st.under, int32(s))
		return
	}
	i := st.underAt[s]
	last := st.under[len(st.under)-1]
	st.under[i] = last
	st.underAt[last] = i
	st.under = st.under[:len(st.under)-1]
	st.underAt[s] = -1
}

func removeID(xs []int32, x int32) []int32 {
	for i, v := range xs {
		if v == x {
			xs[i] = xs[len(xs)-1]
			return xs[:len(xs)-1]
		}
	}
	return xs
}

// assignments lists the pairs that are on, as Assignments ordered by slot then worker.
func (st *state) assignments() []Assignment {
	var out []Assignment
	for pid, on := range st.on {
		if on {
			pr := st.c.pairs[pid]
			out = append(out, Assignment{Slot: int(pr.slot), Worker: int(pr.worker)})
		}
	}
	return out
}
