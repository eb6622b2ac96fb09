package solver

import (
	"slices"
)

// Greedy is the baseline: slots in start order, each place given to the first
// candidate in worker (signup) order whose assignment breaks no further hard
// rule. It is what a first-come booking desk would do.
func Greedy(p *Problem) (*Solution, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	c := compile(p)
	st := newState(c)
	order := make([]int, c.S)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		sa, sb := p.Slots[a].Start, p.Slots[b].Start
		switch {
		case sa < sb:
			return -1
		case sa > sb:
			return 1
		}
		return 0
	})
	for _, s := range order {
		for pid := c.slotStart[s]; pid < c.slotStart[s+1] && int(st.slotN[s]) < p.Slots[s].Demand; pid++ {
			if st.on[pid] {
				continue
			}
			h := st.hardSum
			st.toggle(pid, true)
			if st.hardSum > h {
				st.toggle(pid, false)
			}
		}
	}
	sol := st.solution(true)
	sol.Construction = sol.Score
	return sol, nil
}
