package solver

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"
)

// randomProblem builds a small problem that exercises every constraint.
func randomProblem(tb testing.TB, seed uint64, hardOver bool) *Problem {
	tb.Helper()
	r := rand.New(rand.NewPCG(seed, 7))
	p := &Problem{Days: 7 + r.IntN(15), FirstWeekday: r.IntN(7), Categories: []string{"E", "L", "N"},
		OneSlotPerDay: r.IntN(2) == 0, Weights: DefaultWeights()}
	p.Weights.UnfilledByPriority = [6]int64{100, 100, 200, 300, 400, 500}
	p.Forbidden = [][]bool{{false, false, false}, {true, false, false}, {true, true, false}}
	nw := 3 + r.IntN(6)
	for w := range nw {
		wk := Worker{ID: string(rune('A' + w)), MinRestMinutes: r.IntN(3) * 300, OfferedTime: r.IntN(3) > 0,
			Runs: Runs{MaxWork: r.IntN(6), MinWork: r.IntN(3), MinOff: r.IntN(3)}}
		wk.Limits = append(wk.Limits,
			Limit{Name: "weekly_cap", Measure: Minutes, Category: AnyCategory, From: 0, To: 7, Max: 1440 + r.IntN(1000), Hard: true},
			Limit{Name: "max_shifts_per_week", Measure: Shifts, Category: AnyCategory, From: 7, To: 14, Max: 1 + r.IntN(5), Hard: true},
			Limit{Name: "max_weekends", Measure: Weekends, Category: AnyCategory, Max: r.IntN(3), Hard: true},
			Limit{Name: "max_nights", Measure: Shifts, Category: 2, Max: r.IntN(4), Hard: r.IntN(2) == 0, Weight: 7},
			Limit{Name: "target_hours", Measure: Minutes, Category: AnyCategory, Min: 1000, Max: 1000, Weight: 1},
			Limit{Name: "min_days", Measure: Days, Category: AnyCategory, From: 2, To: 9, Min: r.IntN(4), Max: NoMax, Hard: true},
		)
		p.Workers = append(p.Workers, wk)
	}
	for d := range p.Days {
		for cat := range 3 {
			if r.IntN(4) == 0 {
				continue
			}
			start := int64(d*1440 + 360 + cat*420 + r.IntN(60))
			sl := Slot{ID: "s", Day: d, Start: start, End: start + int64(240+r.IntN(480)), Category: cat,
				Demand: r.IntN(3), Priority: 1 + r.IntN(5), OverWeight: int64(r.IntN(5)), HardOver: hardOver,
				Paid: r.IntN(2) == 0}
			sl.UnderWeight = p.Weights.Unfilled(sl.Priority)
			if r.IntN(3) == 0 {
				sl.Series = []string{"a", "b"}[r.IntN(2)]
			}
			for w := range nw {
				if r.IntN(4) == 0 {
					continue
				}
				sl.Candidates = append(sl.Candidates, Candidate{Worker: w, Preference: int64(r.IntN(5) - 2),
					DistanceKm: int64(r.IntN(20)), Cost: int64(r.IntN(3))})
			}
			p.Slots = append(p.Slots, sl)
		}
	}
	for range r.IntN(4) {
		if len(p.Slots) > 0 {
			p.Fixed = append(p.Fixed, Assignment{Slot: r.IntN(len(p.Slots)), Worker: r.IntN(nw)})
		}
	}
	return p
}

func checkIncremental(t *testing.T, seed uint64) {
	t.Helper()
	p := randomProblem(t, seed, false)
	c := compile(p)
	st := newState(c)
	sr := &search{st: st, rng: rand.New(rand.NewPCG(seed, 1))}
	for i := range 400 {
		sr.move()
		if i%3 == 0 {
			sr.undo()
		}
		want, wb := Evaluate(p, st.assignments())
		if got := st.score(); got != want {
			t.Fatalf("seed %d move %d: incremental %v != full %v\nincremental %v\nfull %v", seed, i, got, want, st.breakdown(), wb)
		}
		checkSearchWeights(t, st)
		n := 0
		for s := range p.Slots {
			if under := int(st.slotN[s]) < p.Slots[s].Demand; under != (st.underAt[s] >= 0) ||
				(under && st.under[st.underAt[s]] != int32(s)) {
				t.Fatalf("seed %d move %d: slot %d under-covered list out of step", seed, i, s)
			}
			if st.underAt[s] >= 0 {
				n++
			}
		}
		if n != len(st.under) {
			t.Fatalf("seed %d move %d: %d under-covered slots listed, %d indexed", seed, i, len(st.under), n)
		}
	}
}

// checkSearchWeights recomputes what the search weighs from the limit values
// and the per-rule counts: hardCost counts an hour of a hard Minutes limit 1
// and any other hard unit hourScale; each worker's hard units, with the
// has_place units, add up to the hard score; bad lists the workers with any;
// the per-worker run and conflict units match the runs and the rules.
func checkSearchWeights(t *testing.T, st *state) {
	t.Helper()
	c := st.c
	var minutes int64
	for w := range c.W {
		vals := st.limVal[st.limStart[w]:st.limStart[w+1]]
		for i := range c.limits[w] {
			if l := &c.limits[w][i]; l.Hard && l.Measure == Minutes {
				minutes += limitPenalty(&l.Limit, vals[i])
			}
		}
	}
	if want := (st.hardSum-minutes)*c.hourScale + minutes; st.hardCost != want {
		t.Fatalf("hardCost %d, recomputed %d (hard %d, of which %d hours)", st.hardCost, want, st.hardSum, minutes)
	}
	sum := st.hard[c.rPlace]
	nBad := 0
	for w := range c.W {
		sum += st.wHard[w]
		if (st.wHard[w] != 0) != (st.badAt[w] >= 0) || (st.badAt[w] >= 0 && st.bad[st.badAt[w]] != int32(w)) {
			t.Fatalf("worker %d with %d hard units: bad list out of step", w, st.wHard[w])
		}
		if st.wHard[w] != 0 {
			nBad++
		}
	}
	var conf, runs int64
	for w := range c.W {
		conf += st.wConf[w]
		runs += st.wRun[w]
		var m, n, o int64
		if c.runs[w] {
			m, n, o = st.runCost(w, 0, c.H-1)
		}
		if st.wRun[w] != m+n+o {
			t.Fatalf("worker %d: %d run units counted, %d recomputed", w, st.wRun[w], m+n+o)
		}
	}
	if want := st.hard[c.rOnePerDay] + st.hard[c.rOverlap] + st.hard[c.rRest] + st.hard[c.rSucc]; conf != want {
		t.Fatalf("per-worker conflict units add up to %d, rules say %d", conf, want)
	}
	if want := st.hard[c.rMaxRun] + st.hard[c.rMinRun] + st.hard[c.rMinOff]; runs != want {
		t.Fatalf("per-worker run units add up to %d, rules say %d", runs, want)
	}
	if sum != st.hardSum || nBad != len(st.bad) {
		t.Fatalf("per-worker hard units add up to %d (hard %d); %d bad workers, %d listed", sum, st.hardSum, nBad, len(st.bad))
	}
}

func TestIncrementalScoreEqualsFullRescore(t *testing.T) {
	t.Parallel()
	for seed := range uint64(40) {
		checkIncremental(t, seed)
	}
}

func FuzzIncremental(f *testing.F) {
	for s := range uint64(5) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, seed uint64) { checkIncremental(t, seed) })
}

func FuzzSolve(f *testing.F) {
	for s := range uint64(5) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		p := randomProblem(t, seed, true)
		// The product pins cover hard and never starts from a broken roster.
		p.Fixed = nil
		for i := range p.Workers {
			p.Workers[i].Runs.MinWork = 0
			ls := p.Workers[i].Limits[:0]
			for _, l := range p.Workers[i].Limits {
				if !(l.Hard && l.Min > 0) {
					ls = append(ls, l)
				}
			}
			p.Workers[i].Limits = ls
		}
		opts := Options{Seed: seed, MaxMoves: 3000}
		sol, err := Solve(context.Background(), p, opts)
		if err != nil {
			t.Fatal(err)
		}
		sc, b := Evaluate(p, sol.Assignments)
		if sc != sol.Score {
			t.Fatalf("solution score %v, full rescore %v", sol.Score, sc)
		}
		if !sc.Feasible() {
			t.Fatalf("solution breaks hard rules: %v", b.Hard)
		}
		again, _ := Solve(context.Background(), p, opts)
		if !reflect.DeepEqual(sol.Assignments, again.Assignments) {
			t.Fatal("same seed gave a different answer")
		}
	})
}
