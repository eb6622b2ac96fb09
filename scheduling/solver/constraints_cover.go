package solver

// Cover: each slot wants Demand people. A place left open costs the slot's
// UnderWeight (unfilled); a person above Demand costs OverWeight (over_cover),
// or breaks has_place when the slot's headcount is hard.

// underBy and overBy are how far n people fall short of, or go past, demand.
func underBy(sl *Slot, n int64) int64 { return max(int64(sl.Demand)-n, 0) }
func overBy(sl *Slot, n int64) int64  { return max(n-int64(sl.Demand), 0) }

// coverScratch scores every slot's cover from n, the people on each slot.
func coverScratch(b *Breakdown, p *Problem, n []int) {
	for s := range p.Slots {
		sl := &p.Slots[s]
		if u := underBy(sl, int64(n[s])); u > 0 {
			b.Soft[TermUnfilled] += u * sl.UnderWeight
		}
		if o := overBy(sl, int64(n[s])); o > 0 {
			if sl.HardOver {
				b.Hard[RuleHasPlace] += o
			} else {
				b.Soft[TermOverCover] += o * sl.OverWeight
			}
		}
	}
}

// cover adds the cover cost of slot s going from n0 to n1 people (init: add the
// cost of n1 only).
func (st *state) cover(s int, n0, n1 int32, init bool) {
	sl := &st.c.p.Slots[s]
	du := underBy(sl, int64(n1))
	do := overBy(sl, int64(n1))
	if !init {
		du -= underBy(sl, int64(n0))
		do -= overBy(sl, int64(n0))
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

// toggleCover counts pair pid on or off its slot s, keeping the under-covered
// list and the slot's pair list in step.
func (st *state) toggleCover(s int, pid int32, on bool, sign int32) {
	n0 := st.slotN[s]
	n1 := n0 + sign
	st.slotN[s] = n1
	st.cover(s, n0, n1, false)
	sl := &st.c.p.Slots[s]
	dem := int32(sl.Demand)
	if (n0 < dem) != (n1 < dem) {
		st.setUnder(s, n1 < dem)
	}
	if df := min(n1, dem) - min(n0, dem); df != 0 {
		st.filled += int(df)
		st.wFilled += int64(df) * int64(max(sl.Priority, 1))
	}
	if on {
		st.slotAsg[s] = append(st.slotAsg[s], pid)
	} else {
		st.slotAsg[s] = removeID(st.slotAsg[s], pid)
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
