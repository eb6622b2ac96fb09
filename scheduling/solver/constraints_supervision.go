package solver

import "strconv"

// Supervision: a worker whose candidacy is Supervised may hold a slot only
// while a supervisor holds a place on the same shift (Slot.Shift): a
// supervisor assigned by the solver on any slot of the shift, or one of
// Slot.Supervisors already there. Each supervised worker on a shift without
// a supervisor is one unit of the hard rule "supervised", counted against
// that worker, so the repair moves see them. A fixed assignment is neither:
// the caller counts fixed supervisors in Slot.Supervisors, and a fixed
// supervised place was allowed when it was booked.

// supervisionGroup is the key of slot s's supervision group.
func supervisionGroup(p *Problem, s int) string {
	if g := p.Slots[s].Shift; g != "" {
		return "shift:" + g
	}
	return "slot:" + strconv.Itoa(s)
}

// candidateOf returns worker w's candidacy on slot sl.
func candidateOf(sl *Slot, w int) (Candidate, bool) {
	for _, cd := range sl.Candidates {
		if cd.Worker == w {
			return cd, true
		}
	}
	return Candidate{}, false
}

// supervisionScratch scores the rule over the assignments added to the
// fixed ones.
func supervisionScratch(b *Breakdown, p *Problem, added []Assignment) {
	supervisors := map[string]int{}
	supervised := map[string]int64{}
	for s := range p.Slots {
		g := supervisionGroup(p, s)
		supervisors[g] = max(supervisors[g], p.Slots[s].Supervisors)
	}
	for _, a := range added {
		cd, ok := candidateOf(&p.Slots[a.Slot], a.Worker)
		switch {
		case !ok:
		case cd.Supervised:
			supervised[supervisionGroup(p, a.Slot)]++
		case cd.Supervisor:
			supervisors[supervisionGroup(p, a.Slot)]++
		}
	}
	for g, n := range supervised {
		if supervisors[g] == 0 {
			b.Hard[RuleSupervised] += n
		}
	}
}

// compileSupervision groups the slots and registers the rule, only when
// some candidate is supervised: a problem without supervision compiles and
// searches exactly as before.
func (c *compiled) compileSupervision() {
	c.rSup = -1
	supervised := false
	for i := range c.pairs {
		if c.pairs[i].supd && !c.pairs[i].fixed {
			supervised = true
			break
		}
	}
	if !supervised {
		for i := range c.pairs {
			c.pairs[i].supd, c.pairs[i].supr = false, false
		}
		return
	}
	c.rSup = c.rule(RuleSupervised)
	c.supGroup = make([]int32, c.S)
	ids := map[string]int32{}
	for s := range c.S {
		g := supervisionGroup(c.p, s)
		id, ok := ids[g]
		if !ok {
			id = int32(len(c.supFixed))
			ids[g] = id
			c.supFixed = append(c.supFixed, 0)
		}
		c.supGroup[s] = id
		c.supFixed[id] = max(c.supFixed[id], int32(c.p.Slots[s].Supervisors))
	}
	for i := range c.pairs {
		if c.pairs[i].fixed {
			c.pairs[i].supd, c.pairs[i].supr = false, false
		}
	}
}

// toggleSupervision counts pair pid on or off its group: a supervised
// worker alone adds a unit against itself; the group's first supervisor
// clears every supervised worker's unit, its last one puts them back.
func (st *state) toggleSupervision(pid int32, pr *pair, on bool) {
	c := st.c
	g := c.supGroup[pr.slot]
	sign := int64(1)
	if !on {
		sign = -1
	}
	alone := func() bool { return c.supFixed[g]+st.supN[g] == 0 }
	if pr.supd {
		if on {
			st.supOn[g] = append(st.supOn[g], pid)
		} else {
			st.supOn[g] = removeID(st.supOn[g], pid)
		}
		if alone() {
			st.addHard(c.rSup, sign)
			st.addWorkerHard(int(pr.worker), sign)
		}
	}
	if pr.supr {
		was := alone()
		st.supN[g] += int32(sign)
		if now := alone(); now != was {
			v := int64(-1)
			if now {
				v = 1
			}
			for _, q := range st.supOn[g] {
				st.addHard(c.rSup, v)
				st.addWorkerHard(int(c.pairs[q].worker), v)
			}
		}
	}
}
