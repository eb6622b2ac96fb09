package solver

import (
	"maps"
)

// solution turns the state into a Solution with explanations.
func (st *state) solution(skipExplain bool) *Solution {
	c := st.c
	sol := &Solution{Score: st.score(), Breakdown: st.breakdown(), Filled: st.filled}
	for pid, on := range st.on {
		if on && !c.pairs[pid].fixed {
			pr := c.pairs[pid]
			sol.Assignments = append(sol.Assignments, Assignment{Slot: int(pr.slot), Worker: int(pr.worker)})
		}
	}
	if skipExplain {
		return sol
	}
	soft := make([]int64, len(st.soft))
	for _, a := range sol.Assignments {
		pid := c.findPair(a.Worker, a.Slot)
		copy(soft, st.soft)
		st.toggle(pid, false)
		pp := Proposal{Slot: a.Slot, Worker: a.Worker}
		for t := range soft {
			if d := soft[t] - st.soft[t]; d != 0 {
				pp.Reasons = append(pp.Reasons, Reason{Term: c.termNames[t], Penalty: d})
				pp.Score += d
			}
		}
		st.toggle(pid, true)
		sol.Proposals = append(sol.Proposals, pp)
	}
	hard := make([]int64, len(st.hard))
	for s := range c.S {
		sl := &c.p.Slots[s]
		if int(st.slotN[s]) >= sl.Demand {
			continue
		}
		op := OpenPlace{Slot: s, Places: sl.Demand - int(st.slotN[s]), Excluded: map[string]int{}}
		maps.Copy(op.Excluded, sl.Excluded)
		for pid := c.slotStart[s]; pid < c.slotStart[s+1]; pid++ {
			if st.on[pid] {
				continue
			}
			copy(hard, st.hard)
			st.toggle(pid, true)
			any := false
			for r := range hard {
				if st.hard[r] > hard[r] {
					op.Excluded[c.ruleNames[r]]++
					any = true
				}
			}
			st.toggle(pid, false)
			if !any {
				op.Excluded[NotChosen]++
			}
		}
		sol.Open = append(sol.Open, op)
	}
	return sol
}

func (st *state) breakdown() Breakdown {
	b := Breakdown{Hard: map[string]int64{}, Soft: map[string]int64{}}
	for r, v := range st.hard {
		if v != 0 {
			b.Hard[st.c.ruleNames[r]] += v
		}
	}
	for t, v := range st.soft {
		if v != 0 {
			b.Soft[st.c.termNames[t]] += v
		}
	}
	return b
}
