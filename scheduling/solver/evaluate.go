package solver

import (
	"slices"
)

// Breakdown is a score split by rule (hard) and term (soft) name.
type Breakdown struct {
	Hard map[string]int64
	Soft map[string]int64
}

// Evaluate scores a complete assignment from scratch (the fixed assignments of
// p are added to as). It shares no state with the incremental evaluator and
// is the reference the tests compare it with: each constraint family's
// from-scratch score sits beside its incremental form in constraints_*.go.
// Pairs that are not candidates are scored with zero pair costs.
func Evaluate(p *Problem, as []Assignment) (Score, Breakdown) {
	b := Breakdown{Hard: map[string]int64{}, Soft: map[string]int64{}}
	type key struct{ s, w int }
	seen := map[key]bool{}
	n := make([]int, len(p.Slots))
	byWorker := make([][]int, len(p.Workers))
	var added []Assignment // not fixed
	for i, a := range append(slices.Clone(p.Fixed), as...) {
		if seen[key{a.Slot, a.Worker}] {
			continue
		}
		seen[key{a.Slot, a.Worker}] = true
		if i >= len(p.Fixed) {
			added = append(added, a)
		}
		n[a.Slot]++
		byWorker[a.Worker] = append(byWorker[a.Worker], a.Slot)
		pairScratch(&b, p, a)
	}
	coverScratch(&b, p, n)
	for w := range p.Workers {
		wk := &p.Workers[w]
		mine := byWorker[w]
		working := make([]bool, p.Days)
		for _, s := range mine {
			working[p.Slots[s].Day] = true
		}
		clashScratch(&b, p, wk, mine)
		runsScratch(&b, &wk.Runs, working)
		limitsScratch(&b, p, wk, mine, working)
	}
	fairnessScratch(&b, p, byWorker)
	continuityScratch(&b, p, byWorker)
	supervisionScratch(&b, p, added)
	var sc Score
	for k, v := range b.Hard {
		if v == 0 {
			delete(b.Hard, k)
		}
		sc.Hard += v
	}
	for k, v := range b.Soft {
		if v == 0 {
			delete(b.Soft, k)
		}
		sc.Soft += v
	}
	sc.Soft += p.SoftOffset
	return sc, b
}
