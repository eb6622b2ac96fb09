package solver

// Runs: rules over a worker's runs of working days (days with at least one
// slot) and of days off. max_consecutive_days bounds a run of work;
// min_consecutive_days and min_days_off_between_runs bound a run of work and
// of rest from below, except a run touching either end of the horizon (work
// or rest is assumed to go on beyond it). Each rule breaks by the days it
// misses by.

// runBreaks is what one run of n days (of work if working; inner if it
// touches neither end of the horizon) breaks of each run rule.
func runBreaks(rs *Runs, working, inner bool, n int) (maxV, minV, offV int64) {
	if working {
		if rs.MaxWork > 0 && n > rs.MaxWork {
			maxV = int64(n - rs.MaxWork)
		}
		if inner && rs.MinWork > 0 && n < rs.MinWork {
			minV = int64(rs.MinWork - n)
		}
	} else if inner && rs.MinOff > 0 && n < rs.MinOff {
		offV = int64(rs.MinOff - n)
	}
	return maxV, minV, offV
}

// runsScratch scores the runs of one worker's working days.
func runsScratch(b *Breakdown, rs *Runs, working []bool) {
	H := len(working)
	for a := 0; a < H; {
		e := a
		for e+1 < H && working[e+1] == working[a] {
			e++
		}
		maxV, minV, offV := runBreaks(rs, working[a], a > 0 && e < H-1, e-a+1)
		b.Hard[RuleMaxConsecutive] += maxV
		b.Hard[RuleMinConsecutive] += minV
		b.Hard[RuleMinDaysOff] += offV
		a = e + 1
	}
}

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
		m, n, o := runBreaks(rs, wk, a > 0 && b < H-1, b-a+1)
		maxV += m
		minV += n
		offV += o
		a = b + 1
	}
	return
}

// runProbe is the run cost around a day about to flip, measured before it does.
type runProbe struct {
	on         bool // the worker has run rules and the day flips
	l, r       int
	maxV, minV int64
	offV       int64
}

// probeRuns measures the runs day d of worker w belongs to before it
// flips (for a worker with run rules).
func (st *state) probeRuns(w, d int) runProbe {
	pr := runProbe{on: true}
	pr.l, pr.r = st.runSpan(w, d)
	pr.maxV, pr.minV, pr.offV = st.runCost(w, pr.l, pr.r)
	return pr
}

// settleRuns adds the change in run cost since probeRuns, counting it in wRun.
func (st *state) settleRuns(w int, pr runProbe) {
	c := st.c
	ma, na, oa := st.runCost(w, pr.l, pr.r)
	if ma != pr.maxV {
		st.addHard(c.rMaxRun, ma-pr.maxV)
	}
	if na != pr.minV {
		st.addHard(c.rMinRun, na-pr.minV)
	}
	if oa != pr.offV {
		st.addHard(c.rMinOff, oa-pr.offV)
	}
	st.wRun[w] += (ma - pr.maxV) + (na - pr.minV) + (oa - pr.offV)
}

// runBroken reports whether worker w's run over days [a, b] breaks a run
// rule (the repair move looks for such runs).
func (st *state) runBroken(w, a, b int) bool {
	m, n, o := runBreaks(&st.c.p.Workers[w].Runs, st.working(w, a), a > 0 && b < st.c.H-1, b-a+1)
	return m+n+o > 0
}
