package solver

import (
	"slices"
)

// The fill bound is a maximum flow through a relaxation of the problem:
//
//	source → slot (its demand less the fixed people on it)
//	       → (worker, group) (one per eligible pair)
//	       → (worker, window) → sink
//
// A group is a connected part of one worker's candidate slots that clash
// (overlap, too little rest, one shift a day, a forbidden succession) cut by
// the worker's limit windows; it passes at most as many people as the
// largest set of its slots with no overlap or rest clash, so any legal roster
// fits through it. A window is one of a disjoint family of the worker's hard
// Minutes or Shifts caps over every category: a Shifts cap passes what is
// left of Max after the fixed slots, a Minutes cap what is left divided by
// the shortest candidate slot in the window. Pairs that clash with one of
// the worker's fixed slots are left out. Everything else is relaxed: run
// lengths, weekends, worked-day limits, per-category caps, overlapping
// windows beyond the chosen disjoint family, and the same-day and
// succession clashes inside a group. Every legal roster is a flow, so no
// legal roster fills more than the maximum flow.
//
// The flow is pushed one priority level at a time, highest first. Augmenting
// paths never reduce the flow already leaving the source, and the slots a
// flow can fill form a matroid, so the result is also the largest
// priority-weighted fill, and each slot's flow is a roster-shaped witness.

// fillBound is the bound of a problem, counting fixed people as filled.
type fillBound struct {
	filled   int   // places
	weighted int64 // Σ max(priority, 1) × places
	total    int64 // Σ max(priority, 1) × demand
	perSlot  []int // places of each slot in the witness flow
}

type flowEdge struct {
	to, cap int32
}

type flowNet struct {
	edges []flowEdge // edge e and e^1 are a pair
	adj   [][]int32
	level []int32
	it    []int32
}

func (f *flowNet) node() int32 {
	f.adj = append(f.adj, nil)
	return int32(len(f.adj) - 1)
}

func (f *flowNet) edge(a, b, cap int32) int32 {
	e := int32(len(f.edges))
	f.edges = append(f.edges, flowEdge{b, cap}, flowEdge{a, 0})
	f.adj[a] = append(f.adj[a], e)
	f.adj[b] = append(f.adj[b], e+1)
	return e
}

// maxFlow augments from s to t (Dinic) and returns the flow it added.
func (f *flowNet) maxFlow(s, t int32) int64 {
	n := len(f.adj)
	f.level = make([]int32, n)
	f.it = make([]int32, n)
	var total int64
	queue := make([]int32, 0, n)
	for {
		for i := range f.level {
			f.level[i] = -1
		}
		f.level[s] = 0
		queue = append(queue[:0], s)
		for qi := 0; qi < len(queue); qi++ {
			v := queue[qi]
			for _, e := range f.adj[v] {
				if ed := f.edges[e]; ed.cap > 0 && f.level[ed.to] < 0 {
					f.level[ed.to] = f.level[v] + 1
					queue = append(queue, ed.to)
				}
			}
		}
		if f.level[t] < 0 {
			return total
		}
		clear(f.it)
		for {
			pushed := f.push(s, t, 1<<30)
			if pushed == 0 {
				break
			}
			total += int64(pushed)
		}
	}
}

func (f *flowNet) push(v, t, limit int32) int32 {
	if v == t {
		return limit
	}
	for ; f.it[v] < int32(len(f.adj[v])); f.it[v]++ {
		e := f.adj[v][f.it[v]]
		ed := f.edges[e]
		if ed.cap <= 0 || f.level[ed.to] != f.level[v]+1 {
			continue
		}
		if got := f.push(ed.to, t, min(limit, ed.cap)); got > 0 {
			f.edges[e].cap -= got
			f.edges[e^1].cap += got
			return got
		}
	}
	return 0
}

// clashes reports whether worker w cannot hold slots a and b together.
func (c *compiled) clashes(w int, a, b *Slot) bool {
	p := c.p
	return sameDay(p, a, b) || overlaps(a, b) || tooLittleRest(a, b, int64(p.Workers[w].MinRestMinutes)) ||
		forbiddenAfter(c.forbidden, a, b) || forbiddenAfter(c.forbidden, b, a)
}

// computeBound builds the relaxation of c and pushes the maximum flow.
func computeBound(c *compiled) fillBound {
	p := c.p
	// About three edges per pair (its own, and at most one out of each
	// group and window), each stored with its reverse.
	f := flowNet{edges: make([]flowEdge, 0, 6*len(c.pairs)+2*c.S), adj: make([][]int32, 0, 2+c.S+len(c.pairs))}
	src, sink := f.node(), f.node()
	slotNode := make([]int32, c.S)
	fixedOn := make([]int, c.S)
	fixedOf := make([][]int, c.W)
	for _, pid := range c.fixedPairs {
		pr := c.pairs[pid]
		fixedOn[pr.slot]++
		fixedOf[pr.worker] = append(fixedOf[pr.worker], int(pr.slot))
	}
	for s := range c.S {
		slotNode[s] = f.node()
	}
	var ps []int32
	for w := range c.W {
		ps = ps[:0]
	pairs:
		for _, pid := range c.wPairs[w] {
			pr := &c.pairs[pid]
			if pr.fixed {
				continue
			}
			sl := &p.Slots[pr.slot]
			for _, fs := range fixedOf[w] {
				if c.clashes(w, sl, &p.Slots[fs]) {
					continue pairs
				}
			}
			ps = append(ps, pid)
		}
		if len(ps) == 0 {
			continue
		}
		wins, caps := c.boundWindows(w, ps, fixedOf[w])
		winOf := func(d int) int {
			for i, l := range wins {
				if d >= l.From && d < l.To {
					return i
				}
			}
			return -1
		}
		// Groups: union the pairs that clash within the conflict
		// neighbourhood and share a window.
		parent := make([]int, len(ps))
		for i := range parent {
			parent[i] = i
		}
		var find func(int) int
		find = func(i int) int {
			for parent[i] != i {
				parent[i] = parent[parent[i]]
				i = parent[i]
			}
			return i
		}
		for i, a := range ps {
			sa := &p.Slots[c.pairs[a].slot]
			for j := i + 1; j < len(ps); j++ {
				sb := &p.Slots[c.pairs[ps[j]].slot]
				if sb.Day-sa.Day > c.K {
					break
				}
				if winOf(sa.Day) == winOf(sb.Day) && c.clashes(w, sa, sb) {
					parent[find(i)] = find(j)
				}
			}
		}
		groups := map[int][]int32{}
		var roots []int
		for i, pid := range ps {
			r := find(i)
			if _, ok := groups[r]; !ok {
				roots = append(roots, r)
			}
			groups[r] = append(groups[r], pid)
		}
		winNode := make([]int32, len(wins))
		for i := range wins {
			winNode[i] = -1
			if caps[i] > 0 {
				winNode[i] = f.node()
				f.edge(winNode[i], sink, int32(caps[i]))
			}
		}
		rest := int64(p.Workers[w].MinRestMinutes)
		for _, r := range roots {
			g := groups[r]
			wi := winOf(p.Slots[c.pairs[g[0]].slot].Day)
			out := sink
			if wi >= 0 {
				if winNode[wi] < 0 {
					continue // the window is full already
				}
				out = winNode[wi]
			}
			gn := f.node()
			f.edge(gn, out, int32(restIndependent(p, g, c.pairs, rest)))
			for _, pid := range g {
				f.edge(slotNode[c.pairs[pid].slot], gn, 1)
			}
		}
	}
	b := fillBound{perSlot: make([]int, c.S)}
	srcEdge := make([]int32, c.S)
	prio := func(s int) int64 { return int64(max(p.Slots[s].Priority, 1)) }
	var levels []int64
	for s := range c.S {
		srcEdge[s] = -1
		sl := &p.Slots[s]
		b.total += prio(s) * int64(sl.Demand)
		b.perSlot[s] = min(fixedOn[s], sl.Demand)
		if !slices.Contains(levels, prio(s)) {
			levels = append(levels, prio(s))
		}
	}
	slices.Sort(levels)
	for i := len(levels) - 1; i >= 0; i-- {
		for s := range c.S {
			if prio(s) == levels[i] && p.Slots[s].Demand > fixedOn[s] {
				srcEdge[s] = f.edge(src, slotNode[s], int32(p.Slots[s].Demand-fixedOn[s]))
			}
		}
		f.maxFlow(src, sink)
	}
	for s := range c.S {
		if e := srcEdge[s]; e >= 0 {
			b.perSlot[s] += int(f.edges[e^1].cap)
		}
		b.filled += b.perSlot[s]
		b.weighted += prio(s) * int64(b.perSlot[s])
	}
	return b
}

// boundWindows picks a disjoint family of worker w's hard caps over every
// category (Minutes or Shifts, shortest windows first) and what each leaves
// for the pairs ps after the fixed slots, in places.
func (c *compiled) boundWindows(w int, ps []int32, fixed []int) ([]climit, []int) {
	p := c.p
	var cands []climit
	for _, l := range c.limits[w] {
		if l.Hard && l.Max >= 0 && l.Category == AnyCategory && (l.Measure == Minutes || l.Measure == Shifts) && l.From < l.To {
			cands = append(cands, l)
		}
	}
	slices.SortStableFunc(cands, func(a, b climit) int {
		if la, lb := a.To-a.From, b.To-b.From; la != lb {
			return la - lb
		}
		return a.From - b.From
	})
	var wins []climit
	var caps []int
	for _, l := range cands {
		if slices.ContainsFunc(wins, func(o climit) bool { return l.From < o.To && o.From < l.To }) {
			continue
		}
		var used, shortest int64
		for _, s := range fixed {
			if sl := &p.Slots[s]; sl.Day >= l.From && sl.Day < l.To {
				if l.Measure == Minutes {
					used += c.minutes[s]
				} else {
					used++
				}
			}
		}
		for _, pid := range ps {
			s := c.pairs[pid].slot
			if d := p.Slots[s].Day; d >= l.From && d < l.To && (shortest == 0 || c.minutes[s] < shortest) {
				shortest = c.minutes[s]
			}
		}
		left := int64(l.Max) - used
		if l.Measure == Minutes && shortest > 0 {
			left /= shortest
		}
		wins = append(wins, l)
		caps = append(caps, int(max(left, 0)))
	}
	return wins, caps
}

// restIndependent is the largest number of the pairs' slots one worker can
// hold with no overlap and the rest gap between each two: the slots
// stretched by the rest form an interval graph, whose largest independent
// set the earliest-end-first greedy finds.
func restIndependent(p *Problem, g []int32, pairs []pair, rest int64) int {
	type iv struct{ a, b int64 }
	ivs := make([]iv, len(g))
	for i, pid := range g {
		sl := &p.Slots[pairs[pid].slot]
		ivs[i] = iv{sl.Start, sl.End + rest}
	}
	slices.SortFunc(ivs, func(x, y iv) int {
		switch {
		case x.b < y.b:
			return -1
		case x.b > y.b:
			return 1
		}
		return 0
	})
	n := 0
	var end int64
	for i, x := range ivs {
		if i == 0 || x.a >= end {
			n++
			end = x.b
		}
	}
	return n
}
