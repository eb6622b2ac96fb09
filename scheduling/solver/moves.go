package solver

// move applies one random neighbour of the current state through sr.apply and
// reports whether it changed anything (sr.ops then lists the changes). The
// neighbourhoods: one worker's day changed (change), two workers' days
// swapped over a block (swap), a slot's candidate added or replaced (slot),
// a run, weekend, succession or double-booking rule repaired (repair), a
// shift moved to another day (relocate), an under-covered slot given a
// candidate (cover) and a two-worker ejection chain (exchange). The last
// four keep each worker's hours, which matters where minimum and maximum
// hours are close. Where the problem has series, one move in twenty trades
// two workers' places on a series as a whole (series), since continuity
// makes each single step of such a trade cost more than the whole gains.
func (sr *search) move() bool {
	sr.ops = sr.ops[:0]
	if len(sr.st.c.seriesOf) > 0 && sr.rng.IntN(20) == 0 {
		sr.seriesMove()
		return len(sr.ops) > 0
	}
	r := sr.rng.IntN(100)
	switch {
	case r < 22:
		sr.changeMove()
	case r < 47:
		sr.swapMove()
	case r < 52:
		sr.slotMove()
	case r < 67:
		sr.repairMove()
	case r < 75:
		sr.relocateMove()
	case r < 90:
		sr.coverMove()
	default:
		sr.exchangeMove()
	}
	return len(sr.ops) > 0
}

// dayPairs returns the non-fixed pairs of worker w that are on on day d.
func (sr *search) dayPairs(w, d int, buf []int32) []int32 {
	buf = buf[:0]
	for _, pid := range sr.st.wd[w*sr.st.c.H+d] {
		if !sr.st.c.pairs[pid].fixed {
			buf = append(buf, pid)
		}
	}
	return buf
}

// changeMove sets one worker's day to another of its candidate slots, or off.
func (sr *search) changeMove() {
	c := sr.st.c
	w := sr.rng.IntN(c.W)
	if len(c.wPairs[w]) == 0 {
		return
	}
	// A random day on which the worker has a candidate slot.
	pid0 := c.wPairs[w][sr.rng.IntN(len(c.wPairs[w]))]
	d := c.p.Slots[c.pairs[pid0].slot].Day
	ds := c.wDayStart[w]
	opts := c.wPairs[w][ds[d]:ds[d+1]]
	cur := sr.dayPairs(w, d, sr.tmp)
	sr.tmp = cur
	k := sr.rng.IntN(len(opts) + 1)
	if k == len(opts) { // day off
		for _, pid := range cur {
			sr.apply(pid, false)
		}
		return
	}
	np := opts[k]
	if c.pairs[np].fixed || sr.st.on[np] {
		return
	}
	for _, pid := range cur {
		sr.apply(pid, false)
	}
	sr.apply(np, true)
}

// swapMove exchanges the assignments of two workers over a block of days.
func (sr *search) swapMove() {
	c := sr.st.c
	w1 := sr.rng.IntN(c.W)
	if len(c.wPairs[w1]) == 0 {
		return
	}
	pid0 := c.wPairs[w1][sr.rng.IntN(len(c.wPairs[w1]))]
	s0 := int(c.pairs[pid0].slot)
	d0 := c.p.Slots[s0].Day
	// The partner: another candidate of a slot w1 can work.
	lo, hi := c.slotStart[s0], c.slotStart[s0+1]
	w2 := int(c.pairs[lo+int32(sr.rng.IntN(int(hi-lo)))].worker)
	if w2 == w1 {
		return
	}
	k := 1
	if sr.rng.IntN(2) == 0 {
		k = 1 + sr.rng.IntN(min(7, c.H))
	}
	start := d0 - sr.rng.IntN(k)
	start = max(0, min(start, c.H-k))
	// Plan first, so an ineligible day aborts before anything changes.
	plan := sr.tmp[:0]
	var a, b [4]int32
	for d := start; d < start+k; d++ {
		as := sr.dayPairsInto(w1, d, a[:0])
		bs := sr.dayPairsInto(w2, d, b[:0])
		if len(as) == 0 && len(bs) == 0 {
			continue
		}
		for _, pid := range as {
			q := c.findPair(w2, int(c.pairs[pid].slot))
			if q < 0 || c.pairs[q].fixed {
				return
			}
			plan = append(plan, pid, q)
		}
		for _, pid := range bs {
			q := c.findPair(w1, int(c.pairs[pid].slot))
			if q < 0 || c.pairs[q].fixed {
				return
			}
			plan = append(plan, pid, q)
		}
	}
	sr.tmp = plan
	for i := 0; i < len(plan); i += 2 {
		sr.apply(plan[i], false)
	}
	for i := 1; i < len(plan); i += 2 {
		sr.apply(plan[i], true)
	}
}

func (sr *search) dayPairsInto(w, d int, buf []int32) []int32 {
	for _, pid := range sr.st.wd[w*sr.st.c.H+d] {
		if !sr.st.c.pairs[pid].fixed {
			buf = append(buf, pid)
		}
	}
	return buf
}

// slotMove adds a candidate to a slot, removes one, or replaces one by another.
func (sr *search) slotMove() {
	c := sr.st.c
	st := sr.st
	pid := int32(sr.rng.IntN(len(c.pairs)))
	pr := &c.pairs[pid]
	if pr.fixed {
		return
	}
	s := int(pr.slot)
	if st.on[pid] {
		sr.apply(pid, false)
		return
	}
	if int(st.slotN[s]) >= c.p.Slots[s].Demand && len(st.slotAsg[s]) > 0 {
		q := st.slotAsg[s][sr.rng.IntN(len(st.slotAsg[s]))]
		if !c.pairs[q].fixed {
			sr.apply(q, false)
		}
	}
	if c.p.OneSlotPerDay {
		// A second slot on a worked day only breaks the rule; the worker
		// changes slot instead.
		sr.clearDay(int(pr.worker), c.p.Slots[s].Day)
	}
	sr.apply(pid, true)
}

// workedDay returns a day other than not on which worker w has a non-fixed
// slot (of category cat unless cat < 0), scanning from a random day, or -1.
func (sr *search) workedDay(w, not, cat int) int {
	c := sr.st.c
	H := c.H
	d0 := sr.rng.IntN(H)
	for i := range H {
		d := d0 + i
		if d >= H {
			d -= H
		}
		if d == not {
			continue
		}
		for _, pid := range sr.st.wd[w*H+d] {
			if pr := &c.pairs[pid]; !pr.fixed && (cat < 0 || c.p.Slots[pr.slot].Category == cat) {
				return d
			}
		}
	}
	return -1
}

// clearDay takes every non-fixed slot of worker w on day d off.
func (sr *search) clearDay(w, d int) {
	sr.tmp = sr.dayPairs(w, d, sr.tmp)
	for _, pid := range sr.tmp {
		sr.apply(pid, false)
	}
}

// relocateMove moves one of a worker's slots to another day: the worker takes
// a candidate slot on a day it does not work and gives up a worked day
// (usually one of the same category), so hours and per-category counts stay.
func (sr *search) relocateMove() {
	c := sr.st.c
	w := sr.rng.IntN(c.W)
	ps := c.wPairs[w]
	if len(ps) == 0 {
		return
	}
	np := ps[sr.rng.IntN(len(ps))]
	pr := &c.pairs[np]
	if pr.fixed || sr.st.on[np] {
		return
	}
	d2 := c.p.Slots[pr.slot].Day
	if len(sr.st.wd[w*c.H+d2]) > 0 {
		return // a change of shift on a worked day is changeMove's job
	}
	cat := c.p.Slots[pr.slot].Category
	if sr.rng.IntN(4) == 0 {
		cat = -1
	}
	d1 := sr.workedDay(w, d2, cat)
	if d1 < 0 {
		return
	}
	sr.clearDay(w, d1)
	sr.apply(np, true)
}

// exchangeMove is a two-worker ejection chain: w1 hands its slot on day d to
// w2, who is off that day, and w2 hands one of its slots on another day d′ to
// w1, who is off then; both keep their number of shifts.
func (sr *search) exchangeMove() {
	c := sr.st.c
	st := sr.st
	H := c.H
	w1 := sr.rng.IntN(c.W)
	d := sr.workedDay(w1, -1, -1)
	if d < 0 {
		return
	}
	p1 := int32(-1)
	for _, pid := range st.wd[w1*H+d] {
		if !c.pairs[pid].fixed {
			p1 = pid
			break
		}
	}
	s := int(c.pairs[p1].slot)
	lo, hi := c.slotStart[s], c.slotStart[s+1]
	q1 := lo + int32(sr.rng.IntN(int(hi-lo)))
	w2 := int(c.pairs[q1].worker)
	if w2 == w1 || c.pairs[q1].fixed || len(st.wd[w2*H+d]) > 0 {
		return
	}
	// A day on which w2 works a slot w1 can take while w1 is off.
	d0 := sr.rng.IntN(H)
	for i := range H {
		e := d0 + i
		if e >= H {
			e -= H
		}
		if e == d || len(st.wd[w1*H+e]) > 0 {
			continue
		}
		for _, p2 := range st.wd[w2*H+e] {
			if c.pairs[p2].fixed {
				continue
			}
			q2 := c.findPair(w1, int(c.pairs[p2].slot))
			if q2 < 0 || c.pairs[q2].fixed {
				continue
			}
			sr.apply(p1, false)
			sr.apply(p2, false)
			sr.apply(q1, true)
			sr.apply(q2, true)
			return
		}
	}
}

// coverMove gives an under-covered slot one of its candidates: a candidate
// working another slot that day switches to it; an idle one takes it and
// gives up another worked day (usually of the same category), so its hours
// stay as they were.
func (sr *search) coverMove() {
	c := sr.st.c
	st := sr.st
	if len(st.under) == 0 {
		return
	}
	s := int(st.under[sr.rng.IntN(len(st.under))])
	lo, hi := c.slotStart[s], c.slotStart[s+1]
	if lo == hi {
		return
	}
	np := lo + int32(sr.rng.IntN(int(hi-lo)))
	if st.on[np] || c.pairs[np].fixed {
		return
	}
	w := int(c.pairs[np].worker)
	d := c.p.Slots[s].Day
	if len(st.wd[w*c.H+d]) == 0 {
		cat := c.p.Slots[s].Category
		if sr.rng.IntN(4) == 0 {
			cat = -1
		}
		d1 := sr.workedDay(w, d, cat)
		if d1 < 0 {
			return
		}
		sr.clearDay(w, d1)
	} else {
		sr.clearDay(w, d)
	}
	sr.apply(np, true)
}

// repairMove works on a worker who breaks a hard rule (drawn from st.bad,
// up to four tries): it picks a day at the edge of an offending run, a worked
// weekend day, or a day of a forbidden succession or double booking, and
// either slides the worker's days from there up to a week along (rotate), or
// flips the day, moving the shift to or from another day so the hours stay
// (to the cheapest of a few sampled free days), or, on a succession or double
// booking, changes the shift worked that day.
func (sr *search) repairMove() {
	st := sr.st
	if len(st.bad) == 0 {
		return // nothing to repair
	}
	for range 4 {
		w := int(st.bad[sr.rng.IntN(len(st.bad))])
		if len(st.c.wPairs[w]) == 0 {
			continue
		}
		if sr.repairDays(w) {
			return
		}
	}
}

// repairDays collects the days of worker w's broken run, weekend, succession
// and double-booking rules and works on one of them; it reports whether it
// found any.
func (sr *search) repairDays(w int) bool {
	c := sr.st.c
	st := sr.st
	H := c.H
	days := sr.tmp[:0]
	if st.wRun[w] != 0 {
		// Scan the runs from the start of the run holding a random day,
		// wrapping round, until a few offending days are found.
		a0 := sr.rng.IntN(H)
		for a0 > 0 && st.working(w, a0) == st.working(w, a0-1) {
			a0--
		}
		for a, wrapped := a0, false; len(days) < 4; {
			if a >= H {
				if a0 == 0 {
					break
				}
				a, wrapped = 0, true
			}
			if wrapped && a >= a0 {
				break
			}
			wk := st.working(w, a)
			b := a
			for b+1 < H && st.working(w, b+1) == wk {
				b++
			}
			if st.runBroken(w, a, b) {
				days = append(days, int32(a), int32(b))
				if a > 0 {
					days = append(days, int32(a-1))
				}
				if b < H-1 {
					days = append(days, int32(b+1))
				}
			}
			a = b + 1
		}
	}
	vals := st.limVal[st.limStart[w]:st.limStart[w+1]]
	for i := range c.limits[w] {
		l := &c.limits[w][i]
		if l.Hard && l.Measure == Weekends && l.Max >= 0 && vals[i] > int64(l.Max) {
			for d := l.From; d < l.To; d++ {
				if c.weekendOf(d) >= 0 && st.working(w, d) {
					days = append(days, int32(d))
				}
			}
		}
	}
	// A double booking or forbidden succession, scanning from a random day.
	// The counts of run and conflict units spare the scans that would find
	// nothing (a worker short of hours only, say).
	nRun := len(days)
	d0 := sr.rng.IntN(H)
scan:
	for i := 0; i < H && st.wConf[w] != 0; i++ {
		d := d0 + i
		if d >= H {
			d -= H
		}
		if !st.busy[w*H+d] {
			continue
		}
		ps := st.wd[w*H+d]
		if len(ps) > 1 {
			days = append(days, int32(d))
			break
		}
		if c.forbidden == nil || d+1 >= H || !st.busy[w*H+d+1] {
			continue
		}
		ca := c.p.Slots[c.pairs[ps[0]].slot].Category
		for _, b := range st.wd[w*H+d+1] {
			if c.forbidden[ca][c.p.Slots[c.pairs[b].slot].Category] {
				days = append(days, int32(d), int32(d+1))
				break scan
			}
		}
	}
	sr.tmp = days
	if len(days) == 0 {
		return false
	}
	xi := sr.rng.IntN(len(days))
	x := int(days[xi])
	if sr.rng.IntN(2) == 0 {
		// Slide the day's shift or day off up to a week along.
		dir := 1 - 2*sr.rng.IntN(2)
		sr.rotate(w, x, dir, 1+sr.rng.IntN(7))
		return true
	}
	ds := c.wDayStart[w]
	opts := c.wPairs[w][ds[x]:ds[x+1]]
	if st.working(w, x) {
		if xi >= nRun && len(opts) > 1 && sr.rng.IntN(2) == 0 {
			// Change the shift worked on day x.
			np := opts[sr.rng.IntN(len(opts))]
			if c.pairs[np].fixed || st.on[np] {
				return true
			}
			sr.clearDay(w, x)
			sr.apply(np, true)
			return true
		}
		// Give day x up and take a candidate slot on a free day.
		sr.clearDay(w, x)
		if np := sr.bestFreeSlot(w, x); np >= 0 {
			sr.apply(np, true)
		}
		return true
	}
	if len(opts) == 0 {
		return true
	}
	np := opts[sr.rng.IntN(len(opts))]
	if c.pairs[np].fixed {
		return true
	}
	if d1 := sr.workedDay(w, x, -1); d1 >= 0 && sr.rng.IntN(4) > 0 {
		sr.clearDay(w, d1)
	}
	sr.apply(np, true)
	return true
}

// bestFreeSlot samples up to 8 candidate slots of worker w on days it does not
// work (other than not) and returns the one whose addition costs least, or
// -1. The state is left as it was.
func (sr *search) bestFreeSlot(w, not int) int32 {
	st := sr.st
	c := st.c
	ps := c.wPairs[w]
	best, bestCost := int32(-1), int64(0)
	for range 8 {
		np := ps[sr.rng.IntN(len(ps))]
		d := c.p.Slots[c.pairs[np].slot].Day
		if d == not || c.pairs[np].fixed || st.busy[w*c.H+d] {
			continue
		}
		st.toggle(np, true)
		if cost := st.cost(sr.hw); best < 0 || cost < bestCost {
			best, bestCost = np, cost
		}
		st.toggle(np, false)
	}
	return best
}

// rotate shifts worker w's days in the window from x to x+dir·k (k ≥ 1) one
// day towards x: each day takes the shift (of the same category) or the day
// off the worker had on the next day of the window, and the far end takes
// what day x had. The worker keeps its hours and per-category counts while
// a day off (or a shift) moves k days along. It does nothing if a day of the
// window holds a fixed or a second slot, or the worker is no candidate for a
// moved shift's category on its new day.
func (sr *search) rotate(w, x, dir, k int) {
	st := sr.st
	c := st.c
	H := c.H
	end := x + dir*k
	if end < 0 || end >= H || k < 1 {
		return
	}
	plan := sr.tmp[:0]
	catOn := func(d int) int { // category worked on day d, -1 for off, -2 to abort
		ps := st.wd[w*H+d]
		switch {
		case len(ps) == 0:
			return -1
		case len(ps) > 1 || c.pairs[ps[0]].fixed:
			return -2
		}
		return c.p.Slots[c.pairs[ps[0]].slot].Category
	}
	for i := 0; i <= k; i++ {
		d := x + dir*i
		src := d + dir
		if i == k {
			src = x
		}
		cd, cs := catOn(d), catOn(src)
		if cd == -2 || cs == -2 {
			return
		}
		if cd == cs {
			continue
		}
		if cd >= 0 {
			plan = append(plan, st.wd[w*H+d][0])
		}
		if cs >= 0 {
			ds := c.wDayStart[w]
			q := int32(-1)
			for _, pid := range c.wPairs[w][ds[d]:ds[d+1]] {
				if c.p.Slots[c.pairs[pid].slot].Category == cs && !c.pairs[pid].fixed {
					q = pid
					break
				}
			}
			if q < 0 {
				return
			}
			plan = append(plan, -1-q) // to turn on
		}
	}
	sr.tmp = plan
	for _, pid := range plan {
		if pid >= 0 {
			sr.apply(pid, false)
		}
	}
	for _, pid := range plan {
		if pid < 0 {
			sr.apply(-1-pid, true)
		}
	}
}

// seriesMove trades a worker's places on a series for another candidate's:
// every non-fixed place w1 has on the series passes to w2 and every one w2
// has passes to w1. It does nothing if either is not a candidate of a place
// it would take.
func (sr *search) seriesMove() {
	st := sr.st
	c := st.c
	slots := c.seriesOf[sr.rng.IntN(len(c.seriesOf))]
	s := int(slots[sr.rng.IntN(len(slots))])
	if len(st.slotAsg[s]) == 0 {
		return
	}
	p1 := st.slotAsg[s][sr.rng.IntN(len(st.slotAsg[s]))]
	lo, hi := c.slotStart[s], c.slotStart[s+1]
	q := lo + int32(sr.rng.IntN(int(hi-lo)))
	w1, w2 := int(c.pairs[p1].worker), int(c.pairs[q].worker)
	if w1 == w2 || c.pairs[p1].fixed {
		return
	}
	plan := sr.tmp[:0]
	for _, t := range slots {
		a, b := c.findPair(w1, int(t)), c.findPair(w2, int(t))
		onA, onB := a >= 0 && st.on[a], b >= 0 && st.on[b]
		if onA == onB {
			continue // neither, or both: nothing changes hands
		}
		from, to := a, b
		if onB {
			from, to = b, a
		}
		if to < 0 || c.pairs[from].fixed || c.pairs[to].fixed {
			return
		}
		plan = append(plan, from, to)
	}
	sr.tmp = plan
	for i := 0; i < len(plan); i += 2 {
		sr.apply(plan[i], false)
	}
	for i := 1; i < len(plan); i += 2 {
		sr.apply(plan[i], true)
	}
}
