package solver

import (
	"context"
	"maps"
	"testing"
)

// tiny builds a one-worker-per-ID problem over days with the given slots; every
// worker is a candidate of every slot.
func tiny(tb testing.TB, days, workers int, slots ...Slot) *Problem {
	tb.Helper()
	p := &Problem{Days: days, Categories: []string{"E", "N"}}
	for w := range workers {
		p.Workers = append(p.Workers, Worker{ID: string(rune('A' + w))})
	}
	for _, s := range slots {
		s.Candidates = nil
		for w := range workers {
			s.Candidates = append(s.Candidates, Candidate{Worker: w})
		}
		p.Slots = append(p.Slots, s)
	}
	return p
}

// at is a slot on day d from hour h for n hours.
func at(d, h, n int) Slot {
	st := int64(d*1440 + h*60)
	return Slot{ID: "s", Day: d, Start: st, End: st + int64(n*60)}
}

// incremental scores as through the incremental evaluator.
func incremental(tb testing.TB, p *Problem, as []Assignment) (Score, Breakdown) {
	tb.Helper()
	c := compile(p)
	st := newState(c)
	for _, a := range as {
		pid := c.findPair(a.Worker, a.Slot)
		if pid < 0 {
			tb.Fatalf("no pair for %+v", a)
		}
		st.toggle(pid, true)
	}
	return st.score(), st.breakdown()
}

func TestEachConstraintHandChecked(t *testing.T) {
	t.Parallel()
	type tc struct {
		name string
		p    func(tb testing.TB) *Problem
		as   []Assignment
		hard map[string]int64
		soft map[string]int64
	}
	one := func(slots ...int) []Assignment {
		var as []Assignment
		for _, s := range slots {
			as = append(as, Assignment{Slot: s, Worker: 0})
		}
		return as
	}
	cases := []tc{
		{name: "two slots on one day break one shift per day", p: func(tb testing.TB) *Problem {
			p := tiny(tb, 1, 1, at(0, 8, 2), at(0, 12, 2))
			p.OneSlotPerDay = true
			return p
		}, as: one(0, 1), hard: map[string]int64{RuleOneShiftPerDay: 1}},
		{name: "overlapping slots break no overlap", p: func(tb testing.TB) *Problem {
			return tiny(tb, 1, 1, at(0, 8, 4), at(0, 10, 4))
		}, as: one(0, 1), hard: map[string]int64{RuleNoOverlap: 1}},
		{name: "eight hours between shifts breaks an eleven hour rest", p: func(tb testing.TB) *Problem {
			p := tiny(tb, 2, 1, at(0, 14, 8), at(1, 6, 4))
			p.Workers[0].MinRestMinutes = 660
			return p
		}, as: one(0, 1), hard: map[string]int64{RuleMinRest: 1}},
		{name: "a night then an early breaks a forbidden succession", p: func(tb testing.TB) *Problem {
			n := at(0, 20, 8)
			n.Category = 1
			p := tiny(tb, 2, 1, n, at(1, 6, 8))
			p.Forbidden = [][]bool{{false, false}, {true, false}}
			return p
		}, as: one(0, 1), hard: map[string]int64{RuleForbiddenSuccession: 1}},
		{name: "three days in a row break a max of two", p: func(tb testing.TB) *Problem {
			p := tiny(tb, 5, 1, at(0, 8, 4), at(1, 8, 4), at(2, 8, 4))
			p.Workers[0].Runs.MaxWork = 2
			return p
		}, as: one(0, 1, 2), hard: map[string]int64{RuleMaxConsecutive: 1}},
		{name: "an inner run of two breaks a min run of three but an edge run does not", p: func(tb testing.TB) *Problem {
			p := tiny(tb, 7, 1, at(0, 8, 4), at(3, 8, 4), at(4, 8, 4))
			p.Workers[0].Runs.MinWork = 3
			return p
		}, as: one(0, 1, 2), hard: map[string]int64{RuleMinConsecutive: 1}},
		{name: "one day off between runs breaks a min of two days off", p: func(tb testing.TB) *Problem {
			p := tiny(tb, 4, 1, at(0, 8, 4), at(2, 8, 4))
			p.Workers[0].Runs.MinOff = 2
			return p
		}, as: one(0, 1), hard: map[string]int64{RuleMinDaysOff: 1}},
		{name: "sixteen hours against a ten hour weekly cap break it by six started hours", p: func(tb testing.TB) *Problem {
			p := tiny(tb, 7, 1, at(0, 8, 8), at(1, 8, 8), at(2, 8, 8))
			p.Workers[0].Limits = []Limit{{Name: "weekly_cap", Measure: Minutes, Category: AnyCategory, From: 0, To: 2, Max: 600, Hard: true}}
			return p
		}, as: one(0, 1, 2), hard: map[string]int64{"weekly_cap": 6}},
		{name: "two nights against a cap of one night", p: func(tb testing.TB) *Problem {
			a, b, e := at(0, 20, 8), at(2, 20, 8), at(4, 8, 8)
			a.Category, b.Category = 1, 1
			p := tiny(tb, 7, 1, a, b, e)
			p.Workers[0].Limits = []Limit{{Name: "max_nights", Measure: Shifts, Category: 1, Max: 1, Hard: true}}
			return p
		}, as: one(0, 1, 2), hard: map[string]int64{"max_nights": 1}},
		{name: "two weekends against a max of one", p: func(tb testing.TB) *Problem {
			p := tiny(tb, 14, 1, at(5, 8, 4), at(6, 8, 4), at(13, 8, 4))
			p.Workers[0].Limits = []Limit{{Name: "max_weekends", Measure: Weekends, Category: AnyCategory, Max: 1, Hard: true}}
			return p
		}, as: one(0, 1, 2), hard: map[string]int64{"max_weekends": 1}},
		{name: "weekends cut by either end of the horizon still count", p: func(tb testing.TB) *Problem {
			p := tiny(tb, 7, 1, at(0, 8, 4), at(6, 8, 4))
			p.FirstWeekday = 6 // day 0 is a Sunday, day 6 a Saturday
			p.Workers[0].Limits = []Limit{{Name: "max_weekends", Measure: Weekends, Category: AnyCategory, Max: 0, Hard: true}}
			return p
		}, as: one(0, 1), hard: map[string]int64{"max_weekends": 2}},
		{name: "a minimum of three worked days in a window", p: func(tb testing.TB) *Problem {
			p := tiny(tb, 7, 1, at(0, 8, 4), at(0, 14, 4))
			p.Workers[0].Limits = []Limit{{Name: "min_days", Measure: Days, Category: AnyCategory, Min: 3, Max: NoMax, Hard: true}}
			return p
		}, as: one(0, 1), hard: map[string]int64{"min_days": 2}},
		{name: "under cover costs its weight per place and soft over cover its own", p: func(tb testing.TB) *Problem {
			a, b := at(0, 8, 4), at(1, 8, 4)
			a.Demand, a.UnderWeight = 2, 100
			b.Demand, b.OverWeight = 0, 3
			return tiny(tb, 2, 2, a, b)
		}, as: []Assignment{{0, 0}, {1, 0}, {1, 1}}, soft: map[string]int64{TermUnfilled: 100, TermOverCover: 6}},
		{name: "hard over cover is a has_place violation", p: func(tb testing.TB) *Problem {
			a := at(0, 8, 4)
			a.Demand, a.HardOver = 1, true
			return tiny(tb, 1, 2, a)
		}, as: []Assignment{{0, 0}, {0, 1}}, hard: map[string]int64{RuleHasPlace: 1}},
		{name: "fairness is the squared spread of hours over those who can take a slot", p: func(tb testing.TB) *Problem {
			p := tiny(tb, 1, 3, at(0, 8, 4))
			p.Slots[0].Demand = 1
			p.Slots[0].Candidates = p.Slots[0].Candidates[:2] // C can take nothing
			p.Weights.Fairness = 1
			return p
		}, as: one(0), soft: map[string]int64{TermFairness: 8}}, // hours 4 and 0: (2² + 2²)
		{name: "paid hours count twice in fairness", p: func(tb testing.TB) *Problem {
			p := tiny(tb, 1, 2, at(0, 8, 4))
			p.Slots[0].Demand, p.Slots[0].Paid = 1, true
			p.Workers[0].OfferedTime, p.Workers[1].OfferedTime = true, true
			p.Weights.Fairness, p.Weights.PaidHoursFactor = 1, 2
			return p
		}, as: one(0), soft: map[string]int64{TermFairness: 32}}, // weighted 8 and 0: (4² + 4²)
		{name: "continuity costs each distinct person on a series", p: func(tb testing.TB) *Problem {
			a, b, c := at(0, 8, 4), at(7, 8, 4), at(14, 8, 4)
			for _, s := range []*Slot{&a, &b, &c} {
				s.Series, s.Demand, s.UnderWeight = "patrol", 1, 1000
			}
			p := tiny(tb, 21, 2, a, b, c)
			p.Weights.Continuity = 10
			return p
		}, as: []Assignment{{0, 0}, {1, 0}, {2, 1}}, soft: map[string]int64{TermContinuity: 20}},
		{name: "a long series weighs fairness times its hours squared per person, a mentee the mentor weight", p: func(tb testing.TB) *Problem {
			a, b, c := at(0, 8, 4), at(7, 8, 4), at(14, 8, 4)
			for _, s := range []*Slot{&a, &b} {
				s.Series, s.Demand, s.UnderWeight = "patrol", 1, 1_000_000
			}
			c.Series, c.Demand, c.UnderWeight = MenteeSeriesPrefix+"M7", 1, 1_000_000
			p := tiny(tb, 21, 2, a, b, c)
			p.Weights.Continuity, p.Weights.MentorContinuity = 10, 300_000
			p.Weights.Fairness = 0 // the weight, not the term, is under test
			return p
		}, as: []Assignment{{0, 0}, {1, 1}, {2, 1}}, soft: map[string]int64{TermContinuity: 20 + 300_000}},
		{name: "continuity weighed 0 is off, however long the series", p: func(tb testing.TB) *Problem {
			a, b := at(0, 8, 8), at(7, 8, 8)
			for _, s := range []*Slot{&a, &b} {
				s.Series, s.Demand, s.UnderWeight = "patrol", 1, 1_000_000
			}
			p := tiny(tb, 21, 2, a, b)
			p.Weights.Continuity, p.Weights.Fairness = 0, 100
			return p
		}, as: []Assignment{{0, 0}, {1, 1}}},
		{name: "a series weighs no more than half its cheapest open place", p: func(tb testing.TB) *Problem {
			a, b := at(0, 8, 8), at(7, 8, 8)
			for _, s := range []*Slot{&a, &b} {
				s.Series, s.Demand, s.UnderWeight = "patrol", 1, 1000
			}
			p := tiny(tb, 21, 2, a, b)
			p.Weights.Continuity, p.Weights.Fairness = 10, 100 // 100 × 16² would be 25 600
			return p
		}, as: []Assignment{{0, 0}, {1, 1}}, soft: map[string]int64{TermContinuity: 1000}},
		{name: "preference, travel and cost are weighted pair terms", p: func(tb testing.TB) *Problem {
			p := tiny(tb, 1, 1, at(0, 8, 4))
			p.Slots[0].Demand = 1
			p.Slots[0].Candidates[0] = Candidate{Worker: 0, Preference: -2, DistanceKm: 7, Cost: 30}
			p.Weights.Preference, p.Weights.DistancePerKm, p.Weights.Cost = 5, 10, 2
			return p
		}, as: one(0), soft: map[string]int64{TermPreference: -10, TermTravel: 70, TermCost: 60}},
		{name: "a soft target of ten hours missed by two", p: func(tb testing.TB) *Problem {
			p := tiny(tb, 1, 1, at(0, 8, 8))
			p.Slots[0].Demand = 1
			p.Workers[0].Limits = []Limit{{Name: "target_hours", Measure: Minutes, Category: AnyCategory, Min: 600, Max: 600, Weight: 1}}
			return p
		}, as: one(0), soft: map[string]int64{"target_hours": 120}},
		{name: "fixed assignments count without being proposed", p: func(tb testing.TB) *Problem {
			p := tiny(tb, 1, 1, at(0, 8, 4), at(0, 10, 4))
			p.Fixed = []Assignment{{Slot: 0, Worker: 0}}
			return p
		}, as: one(1), hard: map[string]int64{RuleNoOverlap: 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := c.p(t)
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
			want := Breakdown{Hard: c.hard, Soft: c.soft}
			if want.Hard == nil {
				want.Hard = map[string]int64{}
			}
			if want.Soft == nil {
				want.Soft = map[string]int64{}
			}
			full, fb := Evaluate(p, c.as)
			inc, ib := incremental(t, p, c.as)
			if !maps.Equal(fb.Hard, want.Hard) || !maps.Equal(fb.Soft, want.Soft) {
				t.Errorf("full rescore: got %v, want %v", fb, want)
			}
			if !maps.Equal(ib.Hard, want.Hard) || !maps.Equal(ib.Soft, want.Soft) {
				t.Errorf("incremental: got %v, want %v", ib, want)
			}
			if full != inc {
				t.Errorf("scores differ: full %v incremental %v", full, inc)
			}
		})
	}
}

func TestSolverKeepsEveryHardRule(t *testing.T) {
	t.Parallel()
	// Three workers, a week of early and night slots needing two each; the
	// rules leave room for a full feasible roster only if the solver obeys them.
	var slots []Slot
	for d := range 7 {
		e, n := at(d, 7, 8), at(d, 21, 8)
		n.Category = 1
		e.Demand, n.Demand = 1, 1
		e.HardOver, n.HardOver = true, true
		e.UnderWeight, n.UnderWeight = 1000, 1000
		slots = append(slots, e, n)
	}
	p := tiny(t, 7, 4, slots...)
	p.OneSlotPerDay = true
	p.Forbidden = [][]bool{{false, false}, {true, false}}
	for w := range p.Workers {
		p.Workers[w].MinRestMinutes = 660
		p.Workers[w].Runs = Runs{MaxWork: 4}
		p.Workers[w].Limits = []Limit{{Name: "weekly_cap", Measure: Minutes, Category: AnyCategory, Max: 32 * 60, Hard: true}}
	}
	sol, err := Solve(context.Background(), p, Options{Seed: 3, MaxMoves: 50_000})
	if err != nil {
		t.Fatal(err)
	}
	if sc, b := Evaluate(p, sol.Assignments); sc != sol.Score || !sc.Feasible() {
		t.Fatalf("score %v, rescored %v, hard %v", sol.Score, sc, b.Hard)
	}
	if len(sol.Assignments) != 14 {
		t.Errorf("filled %d of 14 places", len(sol.Assignments))
	}
}
