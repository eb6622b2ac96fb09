package solver

// Clashes: rules between two slots of one worker. one_shift_per_day (when
// the problem asks for it), no_overlap, min_rest (the worker's minimum gap,
// only between slots that do not overlap) and forbidden_succession (a
// category on day d+1 the problem forbids after the category on day d).

// sameDay breaks one_shift_per_day.
func sameDay(p *Problem, a, o *Slot) bool { return p.OneSlotPerDay && a.Day == o.Day }

// overlaps breaks no_overlap.
func overlaps(a, o *Slot) bool { return a.Start < o.End && o.Start < a.End }

// tooLittleRest breaks min_rest: less than rest minutes between two slots
// that do not overlap, whichever comes first.
func tooLittleRest(a, o *Slot, rest int64) bool {
	return rest > 0 && o.Start-a.End < rest && a.Start-o.End < rest
}

// forbiddenAfter breaks forbidden_succession: next on the day after first,
// in a category forbidden after first's.
func forbiddenAfter(forbidden [][]bool, first, next *Slot) bool {
	return forbidden != nil && next.Day == first.Day+1 && forbidden[first.Category][next.Category]
}

// clashScratch counts the clashes between every two of one worker's slots.
func clashScratch(b *Breakdown, p *Problem, wk *Worker, mine []int) {
	rest := int64(wk.MinRestMinutes)
	for i := range mine {
		for j := i + 1; j < len(mine); j++ {
			a, o := &p.Slots[mine[i]], &p.Slots[mine[j]]
			if sameDay(p, a, o) {
				b.Hard[RuleOneShiftPerDay]++
			}
			if overlaps(a, o) {
				b.Hard[RuleNoOverlap]++
			} else if tooLittleRest(a, o, rest) {
				b.Hard[RuleMinRest]++
			}
			if forbiddenAfter(p.Forbidden, a, o) {
				b.Hard[RuleForbiddenSuccession]++
			}
			if forbiddenAfter(p.Forbidden, o, a) {
				b.Hard[RuleForbiddenSuccession]++
			}
		}
	}
}

// clashes adds sign × the clashes between slot s of worker w and the
// worker's other slots near day d (the slot itself must not be in wd): only
// days within the conflict neighbourhood K can hold a clash.
func (st *state) clashes(w, s, d int, sign int64) {
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
			if sameDay(p, sl, o) {
				st.addHard(c.rOnePerDay, sign)
			}
			if overlaps(sl, o) {
				st.addHard(c.rOverlap, sign)
			} else if tooLittleRest(sl, o, rest) {
				st.addHard(c.rRest, sign)
			}
			if forbiddenAfter(c.forbidden, o, sl) {
				st.addHard(c.rSucc, sign)
			}
			if forbiddenAfter(c.forbidden, sl, o) {
				st.addHard(c.rSucc, sign)
			}
		}
	}
}

// toggleDay puts pair pid of worker w on or off day d, adding or removing
// its clashes with the worker's other slots and counting them in wConf.
func (st *state) toggleDay(w, s, d int, pid int32, on bool) {
	idx := w*st.c.H + d
	hc := st.hardSum
	if on {
		st.clashes(w, s, d, 1)
		st.wd[idx] = append(st.wd[idx], pid)
		st.busy[idx] = true
	} else {
		st.wd[idx] = removeID(st.wd[idx], pid)
		st.busy[idx] = len(st.wd[idx]) > 0
		st.clashes(w, s, d, -1)
	}
	st.wConf[w] += st.hardSum - hc
}
