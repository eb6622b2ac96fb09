package solver

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// The local search each worker runs after construction: simulated annealing or
// late acceptance over toggles, with undo, stopping on its budget, the bound or a stall.

type op struct {
	pid int32
	on  bool
}

type search struct {
	ctx       context.Context
	st        *state
	hw        int64
	rng       *rand.Rand
	maxMoves  int64
	stall     int64
	limit     time.Duration
	clock     bool
	elapsed   func() time.Duration
	history   int
	report    func(float64, Score)
	ops       []op
	best      []bool
	bestScore Score
	moves     int64
	trace     []TracePoint
	tmp       []int32
	saved     []op
	lahc      bool
	t0, t1    float64
	bound     *fillBound
	converge  int64 // moves without a soft gain after which a search at the bound stops (< 0: never)
	stop      StopReason
	// bestFilled and bestWFilled are the fill of the best roster, by count
	// and weighted by priority.
	bestFilled  int
	bestWFilled int64
}

func (sr *search) apply(pid int32, on bool) {
	if sr.st.on[pid] == on {
		return
	}
	sr.st.toggle(pid, on)
	sr.ops = append(sr.ops, op{pid, on})
}

func (sr *search) undo() {
	for i := len(sr.ops) - 1; i >= 0; i-- {
		sr.st.toggle(sr.ops[i].pid, !sr.ops[i].on)
	}
	sr.ops = sr.ops[:0]
}

func (sr *search) run() {
	st := sr.st
	c := st.c
	sr.best = slices.Clone(st.on)
	sr.bestScore = st.score()
	sr.bestFilled, sr.bestWFilled = st.filled, st.wFilled
	sr.trace = append(sr.trace, TracePoint{0, sr.elapsed(), sr.bestScore})
	if len(c.pairs) == 0 {
		sr.stop = StopConverged
		return
	}
	if sr.lahc {
		sr.lateAcceptance()
	} else {
		sr.anneal()
	}
}

// budget reports the fraction of the budget used (which sets the annealing
// schedule: the moves when they are limited, else the time) and whether the
// search should stop, recording why in sr.stop.
func (sr *search) budget(lastImp int64) (float64, bool) {
	stop := func(r StopReason) (float64, bool) {
		sr.stop = r
		return 1, true
	}
	switch {
	case sr.maxMoves > 0 && sr.moves >= sr.maxMoves:
		return stop(StopMoves)
	case sr.converge >= 0 && sr.moves-max(lastImp, sr.maxMoves/2) >= sr.converge && sr.atBound():
		return stop(StopConverged)
	case sr.stall > 0 && sr.moves-lastImp > sr.stall:
		return stop(StopStalled)
	case sr.ctx.Err() != nil:
		return stop(StopCancelled)
	}
	if sr.clock && sr.limit > 0 {
		e := sr.elapsed()
		if e >= sr.limit {
			return stop(StopTimeLimit)
		}
		if sr.maxMoves <= 0 {
			return float64(e) / float64(sr.limit), false
		}
	}
	if sr.maxMoves > 0 {
		return float64(sr.moves) / float64(sr.maxMoves), false
	}
	return 0, false
}

// atBound reports whether the best roster breaks no hard rule and fills the
// fill bound by count and by priority, so only soft terms are left to gain.
func (sr *search) atBound() bool {
	return sr.bestScore.Hard == 0 && sr.bound != nil &&
		sr.bestFilled == sr.bound.filled && sr.bestWFilled == sr.bound.weighted
}

// accepted records an accepted move: it saves the best before leaving it.
func (sr *search) accepted(dirty *bool, lastImp *int64) {
	st := sr.st
	sc := st.score()
	better := sc.Less(sr.bestScore)
	if !better && *dirty {
		sr.saved = append(sr.saved[:0], sr.ops...)
		sr.undo()
		copy(sr.best, st.on)
		*dirty = false
		for _, o := range sr.saved {
			st.toggle(o.pid, o.on)
		}
	}
	sr.ops = sr.ops[:0]
	if better {
		sr.bestScore = sc
		sr.bestFilled, sr.bestWFilled = st.filled, st.wFilled
		*dirty = true
		*lastImp = sr.moves
		sr.trace = append(sr.trace, TracePoint{sr.moves, sr.elapsed(), sr.bestScore})
	}
}

// anneal is simulated annealing with one geometric schedule over the budget
// (moves or time, whichever runs out first) between temperatures taken from
// the sampled cost of random moves. The hard weight oscillates: it rises
// while the current roster breaks a rule and falls back once it does not.
// Once a feasible best exists, a search that has gone a fifth of its moves
// without improving restarts from the best.
func (sr *search) anneal() {
	st := sr.st
	cur := st.cost(sr.hw)
	baseHW := sr.hw
	st0, st1 := sr.sampleTemperature()
	t0 := sr.t0
	if t0 <= 0 {
		t0 = st0
	}
	t1 := sr.t1
	if t1 <= 0 {
		t1 = st1
	}
	if t1 >= t0 {
		t1 = max(t0/2000, 0.05)
	}
	dirty := false
	var lastImp, lastRestart int64
	frac := 0.0
	temp := t0
	for sr.moves = 0; ; sr.moves++ {
		if sr.moves&255 == 0 {
			var done bool
			frac, done = sr.budget(lastImp)
			if done {
				break
			}
			temp = t0 * math.Pow(t1/t0, frac)
			if sr.moves&0xffff == 0 && sr.moves > 0 {
				// Strategic oscillation: raise the hard weight while the
				// search stays infeasible, let it fall back once feasible.
				// Past a quarter of the budget with no feasible best yet,
				// the cap all but goes.
				capHW := 16 * baseHW
				if sr.bestScore.Hard > 0 && frac > 0.25 {
					capHW = 4096 * baseHW
				}
				if st.hardSum > 0 {
					sr.hw = min(sr.hw+max(sr.hw/4, 1), capHW)
				} else if sr.hw > baseHW {
					sr.hw = max(baseHW, sr.hw*9/10)
				}
				// Restart from the best when the search has wandered
				// for a fifth of its moves without finding a better one.
				if gap := sr.moves - lastRestart; sr.bestScore.Hard == 0 && gap > 1<<21 && gap > sr.moves/5 {
					if dirty {
						copy(sr.best, st.on)
						dirty = false
					}
					sr.restore()
					lastRestart = sr.moves
				}
				cur = st.cost(sr.hw)
			}
			if sr.moves&4095 == 0 {
				sr.report(frac, sr.bestScore)
			}
		}
		if !sr.move() {
			continue
		}
		next := st.cost(sr.hw)
		d := next - cur
		if d <= 0 || sr.rng.Float64() < math.Exp(-float64(d)/temp) {
			sr.accepted(&dirty, &lastImp)
			lastRestart = max(lastRestart, lastImp)
			cur = next
		} else {
			sr.undo()
		}
	}
	if dirty {
		copy(sr.best, st.on)
	}
}

// sampleTemperature samples random moves from the current state and returns
// a starting temperature, a quarter of the lower quartile of the worsening
// deltas (the quartile itself spent too long wandering on the Curtois
// instances), and an end temperature, a quarter of the smallest worsening
// delta, so the last stretch still tells the smallest terms apart (fairness
// at force scale, a single request on Curtois) whatever the largest weigh.
func (sr *search) sampleTemperature() (float64, float64) {
	var ds []int64
	before := sr.st.cost(sr.hw)
	for range 2000 {
		if !sr.move() {
			continue
		}
		if d := sr.st.cost(sr.hw) - before; d > 0 {
			ds = append(ds, d)
		}
		sr.undo()
	}
	if len(ds) == 0 {
		return 1, 0.05
	}
	slices.Sort(ds)
	return max(float64(ds[len(ds)/4])/4, 1), max(float64(ds[0])/4, 0.05)
}

// lateAcceptance is late-acceptance hill climbing in phases: when the current
// cost stops improving the search restarts from the best with a history twice
// as long.
func (sr *search) lateAcceptance() {
	st := sr.st
	L := sr.history
	if L <= 0 {
		L = 1000
	}
	hist := make([]int64, L, 1<<22)
	cur := st.cost(sr.hw)
	for i := range hist {
		hist[i] = cur
	}
	cost0 := cur
	var margin int64
	var phaseImp, phaseStart int64
	dirty := false // the current state is a best not yet saved
	var lastImp int64
	for sr.moves = 0; ; sr.moves++ {
		if sr.moves&255 == 0 {
			frac, done := sr.budget(lastImp)
			if done {
				break
			}
			if sr.moves&4095 == 0 {
				sr.report(frac, sr.bestScore)
			}
		}
		if !sr.move() {
			continue
		}
		next := st.cost(sr.hw)
		v := int((sr.moves - phaseStart) % int64(len(hist)))
		if next <= cur || next <= hist[v] {
			if next < cur {
				phaseImp = sr.moves
			}
			sr.accepted(&dirty, &lastImp)
			cur = next
		} else {
			sr.undo()
		}
		hist[v] = cur
		if sr.moves-phaseImp > int64(2*len(hist))+20_000 {
			if dirty {
				copy(sr.best, st.on)
				dirty = false
			}
			sr.restore()
			cur = st.cost(sr.hw)
			if margin == 0 {
				margin = max((cost0-cur)/2, 1)
			}
			hist = hist[:min(2*len(hist), cap(hist))]
			for i := range hist {
				hist[i] = cur + margin
			}
			phaseStart, phaseImp = sr.moves, sr.moves
		}
	}
	if dirty {
		copy(sr.best, st.on)
	}
}

// restore makes the current state the saved best.
func (sr *search) restore() {
	st := sr.st
	for pid, on := range sr.best {
		if st.on[pid] && !on {
			st.toggle(int32(pid), false)
		}
	}
	for pid, on := range sr.best {
		if !st.on[pid] && on {
			st.toggle(int32(pid), true)
		}
	}
	sr.ops = sr.ops[:0]
}
