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
	filled   int       // Σ min(people, demand) over the slots
	wFilled  int64     // the same weighted by max(priority, 1)
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
	// supOn and supN are, per supervision group, the supervised pairs on
	// and the number of supervisor pairs on (nil without supervision).
	supOn [][]int32
	supN  []int32
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
	if c.rSup >= 0 {
		st.supOn = make([][]int32, len(c.supFixed))
		st.supN = make([]int32, len(c.supFixed))
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
			st.setUnder(s, true)
		}
	}
	for w := range c.W {
		st.badAt[w] = -1
		h0 := st.hardSum
		st.initLimits(w)
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

func (st *state) working(w, d int) bool { return st.busy[w*st.c.H+d] }

// toggle puts pair pid on or off and updates every score term from the local
// neighbourhood of the change (each family's part is in constraints_*.go).
// Run and weekend rules are measured before the day's slots change and
// settled after; the hard units the change adds to the worker's own rules
// (everything but cover) are counted in wHard.
func (st *state) toggle(pid int32, on bool) {
	c := st.c
	pr := &c.pairs[pid]
	s, w := int(pr.slot), int(pr.worker)
	d := c.p.Slots[s].Day
	sign := int64(1)
	if !on {
		sign = -1
	}
	st.on[pid] = on
	st.toggleCover(s, pid, on, int32(sign))
	h0 := st.hardSum
	st.togglePair(pr, sign)

	c0 := len(st.wd[w*c.H+d])
	flip := (on && c0 == 0) || (!on && c0 == 1) // the day turns worked or free
	var runs runProbe
	if flip && c.runs[w] {
		runs = st.probeRuns(w, d)
	}
	weekend := st.probeWeekend(w, d, flip)
	st.toggleDay(w, s, d, pid, on)
	if runs.on {
		st.settleRuns(w, runs)
	}
	wkFlip := weekend.k >= 0 && st.settleWeekend(w, weekend)
	if len(c.limits[w]) > 0 {
		st.toggleLimits(w, s, d, sign, flip, wkFlip, weekend.k)
	}
	st.addWorkerHard(w, st.hardSum-h0)

	if c.fair[w] && c.fairW != 0 {
		st.toggleFairness(w, s, sign)
	}
	if c.series[s] >= 0 && c.seriesW[c.series[s]] != 0 {
		st.toggleContinuity(w, s, sign)
	}
	if pr.supd || pr.supr {
		st.toggleSupervision(pid, pr, on)
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
