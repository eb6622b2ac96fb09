package solver

// move applies one random neighbour of the current state through sr.apply and
// reports whether it changed anything (sr.ops then lists the changes).
func (sr *search) move() bool {
	sr.ops = sr.ops[:0]
	r := sr.rng.IntN(100)
	switch {
	case r < 40:
		sr.changeMove()
	case r < 80:
		sr.swapMove()
	default:
		sr.slotMove()
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
