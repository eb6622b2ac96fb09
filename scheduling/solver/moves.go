package solver

// move applies one random neighbour of the current state through sr.apply and
// reports whether it changed anything (sr.ops then lists the changes). The
// neighbourhoods: one worker's day changed (change), two workers' days
// swapped over a block (swap), a slot's candidate added or replaced (slot),
// a run or weekend rule repaired (repair), a shift moved to another day
// (relocate), an under-covered slot given a candidate (cover) and a
// two-worker ejection chain (exchange). The last four keep each worker's
// hours, which matters where minimum and maximum hours are close.
func (sr *search) move() bool {
	sr.ops = sr.ops[:0]
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

// repairMove works on a worker who breaks a run or weekend rule: it picks a
// day at the edge of the offending run (or a worked weekend day) and flips
// it, moving the shift to or from another day so the hours stay.
func (sr *search) repairMove() {
	c := sr.st.c
	st := sr.st
	H := c.H
	if st.hardSum == 0 {
		return // nothing to repair
	}
	for range 4 {
		w := sr.rng.IntN(c.W)
		if len(c.wPairs[w]) == 0 {
			continue
		}
		days := sr.tmp[:0]
		if c.runs[w] {
			rs := &c.p.Workers[w].Runs
			for a := 0; a < H; {
				wk := st.working(w, a)
				b := a
				for b+1 < H && st.working(w, b+1) == wk {
					b++
				}
				n := b - a + 1
				inner := a > 0 && b < H-1
				bad := (wk && rs.MaxWork > 0 && n > rs.MaxWork) ||
					(inner && wk && rs.MinWork > 0 && n < rs.MinWork) ||
					(inner && !wk && rs.MinOff > 0 && n < rs.MinOff)
				if bad {
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
		sr.tmp = days
		if len(days) == 0 {
			continue
		}
		x := int(days[sr.rng.IntN(len(days))])
		if st.working(w, x) {
			// Give day x up and take a candidate slot on a free day.
			ps := c.wPairs[w]
			for range 8 {
				np := ps[sr.rng.IntN(len(ps))]
				d2 := c.p.Slots[c.pairs[np].slot].Day
				if d2 != x && !c.pairs[np].fixed && len(st.wd[w*H+d2]) == 0 {
					sr.clearDay(w, x)
					sr.apply(np, true)
					return
				}
			}
			sr.clearDay(w, x)
			return
		}
		ds := c.wDayStart[w]
		opts := c.wPairs[w][ds[x]:ds[x+1]]
		if len(opts) == 0 {
			return
		}
		np := opts[sr.rng.IntN(len(opts))]
		if c.pairs[np].fixed {
			return
		}
		if d1 := sr.workedDay(w, x, -1); d1 >= 0 && sr.rng.IntN(4) > 0 {
			sr.clearDay(w, d1)
		}
		sr.apply(np, true)
		return
	}
}
