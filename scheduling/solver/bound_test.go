package solver

import (
	"context"
	"math/rand/v2"
	"testing"
)

// TestNoLegalRosterBeatsTheFillBound enumerates every roster of small random
// problems (rest, overlaps, one shift a day, successions, run rules, weekly
// caps in hours and shifts, weekend caps, fixed assignments) and checks that
// none that breaks no hard rule fills more places than the bound, and that
// the priority-weighted bound holds too.
func TestNoLegalRosterBeatsTheFillBound(t *testing.T) {
	t.Parallel()
	tight, tried := 0, 0
	for seed := range uint64(60) {
		r := rand.New(rand.NewPCG(seed, 11))
		p := &Problem{Days: 4, FirstWeekday: 3 + r.IntN(3), Categories: []string{"E", "N"}, OneSlotPerDay: r.IntN(2) == 0,
			Weights: DefaultWeights()}
		if r.IntN(2) == 0 {
			p.Forbidden = [][]bool{{false, false}, {true, false}}
		}
		for w := range 3 {
			wk := Worker{ID: string(rune('A' + w)), MinRestMinutes: r.IntN(3) * 360, Runs: Runs{MaxWork: r.IntN(3)}}
			wk.Limits = append(wk.Limits,
				Limit{Name: "weekly_cap", Measure: Minutes, Category: AnyCategory, From: 0, To: 2, Max: 300 + r.IntN(600), Hard: true},
				Limit{Name: "max_shifts", Measure: Shifts, Category: AnyCategory, From: 2, To: 4, Max: r.IntN(3), Hard: true},
				Limit{Name: "max_weekends", Measure: Weekends, Category: AnyCategory, Max: r.IntN(2), Hard: true})
			p.Workers = append(p.Workers, wk)
		}
		for d := range 4 {
			for k := range 1 + r.IntN(2) {
				start := int64(d*1440 + 6*60 + k*(300+r.IntN(600)))
				sl := Slot{ID: "s", Day: d, Start: start, End: start + int64(240+r.IntN(360)), Category: k,
					Demand: 1 + r.IntN(2), Priority: 1 + r.IntN(5), HardOver: true}
				sl.UnderWeight = p.Weights.Unfilled(sl.Priority)
				for w := range 3 {
					if r.IntN(3) > 0 {
						sl.Candidates = append(sl.Candidates, Candidate{Worker: w})
					}
				}
				p.Slots = append(p.Slots, sl)
			}
		}
		if r.IntN(2) == 0 && len(p.Slots[0].Candidates) > 0 {
			p.Fixed = []Assignment{{Slot: 0, Worker: p.Slots[0].Candidates[0].Worker}}
		}
		c := compile(p)
		var free []Assignment
		for _, pr := range c.pairs {
			if !pr.fixed {
				free = append(free, Assignment{Slot: int(pr.slot), Worker: int(pr.worker)})
			}
		}
		if len(free) > 13 {
			continue
		}
		tried++
		b := computeBound(c)
		best, bestW := -1, int64(-1)
		for mask := range 1 << len(free) {
			var as []Assignment
			for i, a := range free {
				if mask&(1<<i) != 0 {
					as = append(as, a)
				}
			}
			sc, _ := Evaluate(p, as)
			if !sc.Feasible() {
				continue
			}
			m := ComputeMetrics(p, as, 0)
			var wf int64
			n := make([]int, len(p.Slots))
			for _, a := range append(as, p.Fixed...) {
				n[a.Slot]++
			}
			for s, sl := range p.Slots {
				wf += int64(max(sl.Priority, 1)) * int64(min(n[s], sl.Demand))
			}
			best, bestW = max(best, m.Filled), max(bestW, wf)
		}
		if best > b.filled || bestW > b.weighted {
			t.Errorf("seed %d: a legal roster fills %d (weighted %d), the bound says %d (%d)", seed, best, bestW, b.filled, b.weighted)
		}
		if best == b.filled {
			tight++
		}
		sol, err := Solve(context.Background(), p, Options{Seed: seed, MaxMoves: 5000})
		if err != nil {
			t.Fatal(err)
		}
		if best >= 0 && sol.OptimalFill && sol.Filled != best {
			t.Errorf("seed %d: the solver claims optimal fill at %d, a legal roster fills %d", seed, sol.Filled, best)
		}
	}
	t.Logf("%d problems enumerated, the bound tight on %d", tried, tight)
	if tight == 0 {
		t.Error("the bound was never tight: the problems do not test it")
	}
}
