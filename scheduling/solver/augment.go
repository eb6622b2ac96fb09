package solver

import (
	"slices"
)

// augmentWork caps the trial toggles one augment pass spends, so a huge
// problem cannot stall construction; it is a count, so the answer does not
// depend on the machine.
const augmentWork = 4_000_000

// link is how a chain reaches a slot in augmentFrom: worker add's pair
// takes a place on the parent slot after giving up drop (its place on this
// slot, which then needs someone else).
type link struct {
	parent    int32
	add, drop int32
}

// augment fills open places by ejection chains, highest priority first: an
// open place is taken by a candidate who is free to take it, or who gives up
// one of their own places that then passes to another candidate, and so on
// (an augmenting path through the eligibility graph, searched breadth
// first). A chain is kept only if it breaks no hard rule the roster did not
// already break and improves the score, so fill rises lexicographically
// first. It repeats until no open place gains.
func augment(st *state) {
	c := st.c
	work := augmentWork
	for work > 0 {
		open := slices.Clone(st.under)
		slices.SortFunc(open, func(a, b int32) int {
			if pa, pb := c.p.Slots[a].Priority, c.p.Slots[b].Priority; pa != pb {
				return pb - pa
			}
			return int(a - b)
		})
		gained := false
		for _, s0 := range open {
			for work > 0 && int(st.slotN[s0]) < c.p.Slots[s0].Demand && st.augmentFrom(s0, &work) {
				gained = true
			}
		}
		if !gained {
			return
		}
	}
}

// augmentFrom searches one chain ending in an extra person on slot s0 and
// applies it if it keeps the hard rules and improves the score; work counts
// down the trial toggles.
func (st *state) augmentFrom(s0 int32, work *int) bool {
	c := st.c
	p := c.p
	before := st.score()
	h0 := st.hardSum
	via := map[int32]link{s0: {parent: -1, add: -1, drop: -1}}
	queue := []int32{s0}
	end, fallback := int32(-1), int32(-1)
	var endAdd, endDrop int32
	for qi := 0; qi < len(queue) && *work > 0 && end < 0; qi++ {
		t := queue[qi]
		if t != s0 && p.Slots[t].UnderWeight < p.Slots[s0].UnderWeight && fallback < 0 {
			// Leaving this place open for s0's is already a gain.
			fallback = t
		}
		// The person the chain moves on from t leaves first, so a
		// candidate of t is tried on the place it would take.
		if vac := via[t].drop; vac >= 0 {
			st.toggle(vac, false)
		}
		end, endAdd, endDrop = st.augmentStep(t, h0, via, &queue, work)
		if vac := via[t].drop; vac >= 0 {
			st.toggle(vac, true)
		}
	}
	var ops []op
	if end >= 0 {
		ops = append(ops, op{endDrop, false}, op{endAdd, true})
		for t := end; t != s0; t = via[t].parent {
			ops = append(ops, op{via[t].drop, false}, op{via[t].add, true})
		}
	} else if fallback >= 0 {
		for t := fallback; t != s0; t = via[t].parent {
			ops = append(ops, op{via[t].drop, false}, op{via[t].add, true})
		}
	} else {
		return false
	}
	var done []op
	for _, o := range ops {
		if o.pid < 0 || st.on[o.pid] == o.on {
			continue
		}
		st.toggle(o.pid, o.on)
		done = append(done, o)
	}
	if after := st.score(); st.hardSum <= h0 && after.Less(before) {
		return true
	}

	for i := len(done) - 1; i >= 0; i-- {
		st.toggle(done[i].pid, !done[i].on)
	}
	return false
}

// augmentStep tries each candidate of slot t (whose place is open): one who
// can take it without breaking a hard rule beyond h0 ends the chain (and is
// returned with the slot: end, add and drop, drop -1 or a spare place the
// candidate leaves on an over-covered slot); one who can take it by giving
// up one of their places extends the chain to that place's slot.
func (st *state) augmentStep(t int32, h0 int64, via map[int32]link, queue *[]int32, work *int) (end, add, drop int32) {
	c := st.c
	p := c.p
	for q := c.slotStart[t]; q < c.slotStart[t+1]; q++ {
		if st.on[q] || c.pairs[q].fixed || q == via[t].drop {
			continue
		}
		w := int(c.pairs[q].worker)
		*work -= 2
		st.toggle(q, true)
		ok := st.hardSum <= h0
		st.toggle(q, false)
		if ok {
			return t, q, -1
		}
		for d := range c.H {
			for _, r := range st.wd[w*c.H+d] {
				u := c.pairs[r].slot
				if c.pairs[r].fixed || u == t {
					continue
				}
				spare := int(st.slotN[u]) > p.Slots[u].Demand
				if _, seen := via[u]; seen && !spare {
					continue
				}
				*work -= 4
				st.toggle(r, false)
				st.toggle(q, true)
				ok := st.hardSum <= h0
				st.toggle(q, false)
				st.toggle(r, true)
				if !ok {
					continue
				}
				if spare {
					return t, q, r
				}
				via[u] = link{parent: t, add: q, drop: r}
				*queue = append(*queue, u)
			}
		}
	}
	return -1, -1, -1
}
