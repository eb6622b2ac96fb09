package solver

import (
	"context"
	"maps"
	"reflect"
	"slices"
	"testing"
)

func TestExplanationsCountExclusionsByRule(t *testing.T) {
	t.Parallel()
	// Slot 0 needs three people. Of four candidates, B already holds an
	// overlapping booking, C has used the weekly cap and D works a night
	// the day before with eleven hours' rest required; only A can go.
	// Three more members failed skills_valid when candidates were listed.
	s := at(1, 8, 8)
	s.Demand, s.UnderWeight, s.HardOver, s.Priority = 3, 1_000_000, true, 1
	s.Excluded = map[string]int{"skills_valid": 3}
	other := at(1, 10, 4) // overlaps slot 0
	night := at(0, 20, 8) // ends 04:00 on day 1
	p := tiny(t, 7, 4, s, other, night, at(2, 8, 8))
	p.Slots[0].Candidates[0].DistanceKm = 4
	p.Weights = DefaultWeights()
	p.Fixed = []Assignment{{Slot: 1, Worker: 1}, {Slot: 3, Worker: 2}, {Slot: 2, Worker: 3}}
	p.Workers[2].Limits = []Limit{{Name: "weekly_cap", Measure: Minutes, Category: AnyCategory, Max: 600, Hard: true}}
	p.Workers[3].MinRestMinutes = 660
	sol, err := Solve(context.Background(), p, Options{Seed: 1, MaxMoves: 2000})
	if err != nil {
		t.Fatal(err)
	}
	if want := []Assignment{{Slot: 0, Worker: 0}}; !reflect.DeepEqual(sol.Assignments, want) {
		t.Fatalf("assignments %v, want %v", sol.Assignments, want)
	}
	pr := sol.Proposals[0]
	// Fairness: hours 0, 4, 8, 8 (spread 25+1+9+9 = 44 h²) become 8, 4, 8, 8
	// (1+9+1+1 = 12 h²), 32 h² less at 100 each.
	wantReasons := []Reason{{TermUnfilled, -1_000_000}, {TermFairness, -3200}, {TermTravel, 40}}
	slices.SortFunc(pr.Reasons, func(a, b Reason) int { return int(a.Penalty - b.Penalty) })
	if !reflect.DeepEqual(pr.Reasons, wantReasons) || pr.Score != -1_003_160 {
		t.Errorf("proposal reasons %v score %d, want %v", pr.Reasons, pr.Score, wantReasons)
	}
	var open *OpenPlace
	for i := range sol.Open {
		if sol.Open[i].Slot == 0 {
			open = &sol.Open[i]
		}
	}
	if open == nil {
		t.Fatal("slot 0 not reported open")
	}
	want := map[string]int{"skills_valid": 3, RuleNoOverlap: 1, "weekly_cap": 1, RuleMinRest: 1}
	if open.Places != 2 || !maps.Equal(open.Excluded, want) {
		t.Errorf("open places %d excluded %v, want 2 and %v", open.Places, open.Excluded, want)
	}
}

func TestSameSeedSameAnswer(t *testing.T) {
	t.Parallel()
	p := randomProblem(t, 11, true)
	for _, workers := range []int{1, 3} {
		opts := Options{Seed: 42, MaxMoves: 20_000, Workers: workers}
		a, err := Solve(context.Background(), p, opts)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Solve(context.Background(), p, opts)
		if !reflect.DeepEqual(a.Assignments, b.Assignments) || a.Score != b.Score {
			t.Errorf("workers=%d: two runs with one seed differ: %v vs %v", workers, a.Score, b.Score)
		}
	}
}

func TestProgressIsReported(t *testing.T) {
	t.Parallel()
	p := randomProblem(t, 5, true)
	var calls int
	var last float64
	_, err := Solve(context.Background(), p, Options{Seed: 1, MaxMoves: 20_000, Progress: func(f float64, _ Score) {
		calls++
		if f < last {
			t.Errorf("progress went back from %v to %v", last, f)
		}
		last = f
	}})
	if err != nil {
		t.Fatal(err)
	}
	if calls < 2 || last != 1 {
		t.Errorf("progress called %d times, last %v", calls, last)
	}
}

func TestGreedyTakesTheFirstEligibleInSignupOrder(t *testing.T) {
	t.Parallel()
	s := at(0, 8, 4)
	s.Demand, s.HardOver = 1, true
	p := tiny(t, 1, 3, s, at(0, 9, 2))
	p.Fixed = []Assignment{{Slot: 1, Worker: 0}} // A is busy, so B is first eligible
	sol, err := Greedy(p)
	if err != nil {
		t.Fatal(err)
	}
	if want := []Assignment{{Slot: 0, Worker: 1}}; !reflect.DeepEqual(sol.Assignments, want) {
		t.Errorf("greedy %v, want %v", sol.Assignments, want)
	}
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	a, b := at(0, 8, 4), at(1, 8, 2)
	a.Demand, a.Priority = 2, 3
	b.Demand, b.Priority = 1, 1
	p := tiny(t, 2, 2, a, b)
	p.Workers[0].OfferedTime, p.Workers[1].OfferedTime = true, true
	m := ComputeMetrics(p, []Assignment{{0, 0}, {1, 0}}, 0)
	if m.Places != 3 || m.Filled != 2 {
		t.Errorf("places %d filled %d", m.Places, m.Filled)
	}
	if got, want := m.PriorityWeightedFill, 4.0/7.0; got != want {
		t.Errorf("priority weighted fill %v, want %v", got, want)
	}
	if m.FairnessGini != 0.5 { // 360 and 0 minutes
		t.Errorf("gini %v, want 0.5", m.FairnessGini)
	}
}
