package solver_test

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/copbank/copbank/scheduling/solver"
)

// volunteers is a pool of n volunteers who offered time, each with a hard
// weekly cap of twelve hours.
func volunteers(n, days int) []solver.Worker {
	var ws []solver.Worker
	for w := range n {
		wk := solver.Worker{ID: fmt.Sprintf("v%02d", w), MinRestMinutes: 11 * 60, OfferedTime: true}
		for from := 0; from < days; from += 7 {
			wk.Limits = append(wk.Limits, solver.Limit{Name: "weekly_cap", Measure: solver.Minutes,
				Category: solver.AnyCategory, From: from, To: from + 7, Max: 12 * 60, Hard: true})
		}
		ws = append(ws, wk)
	}
	return ws
}

// occurrences adds a slot for each day of days whose weekday is in weekdays,
// from hour h for n hours, on series, every worker a candidate at a random
// distance (so travel alone would pick a different person each time).
func occurrences(p *solver.Problem, r *rand.Rand, series string, weekdays []int, h, n, demand int) []int {
	var ids []int
	for d := range p.Days {
		if !slices.Contains(weekdays, (p.FirstWeekday+d)%7) {
			continue
		}
		start := int64(d*1440 + h*60)
		sl := solver.Slot{ID: fmt.Sprintf("%s-%d", series, d), Day: d, Start: start, End: start + int64(n*60),
			Demand: demand, Priority: 2, HardOver: true, Series: series}
		sl.UnderWeight = p.Weights.Unfilled(sl.Priority)
		for w := range p.Workers {
			sl.Candidates = append(sl.Candidates, solver.Candidate{Worker: w, DistanceKm: int64(r.IntN(20))})
		}
		ids = append(ids, len(p.Slots))
		p.Slots = append(p.Slots, sl)
	}
	return ids
}

// peopleOn returns, per slot of ids, the sorted workers on it.
func peopleOn(sol *solver.Solution, ids []int) [][]int {
	on := map[int][]int{}
	for _, a := range sol.Assignments {
		on[a.Slot] = append(on[a.Slot], a.Worker)
	}
	var out [][]int
	for _, s := range ids {
		ws := on[s]
		slices.Sort(ws)
		out = append(out, ws)
	}
	return out
}

// TestASeriesKeepsItsPeopleAndSeriesSpreadOverPeople: a Friday and Saturday
// evening series over four weeks wanting three volunteers a time, and a
// Sunday series wanting two, among twelve volunteers at random distances.
// Three volunteers can do every Friday and Saturday within their weekly cap,
// so the same three do all eight; fairness still gives the Sunday series to
// two others rather than loading the same three.
func TestASeriesKeepsItsPeopleAndSeriesSpreadOverPeople(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(4, 4))
	p := &solver.Problem{Days: 28, FirstWeekday: 0, Weights: solver.DefaultWeights()}
	p.Workers = volunteers(12, p.Days)
	evenings := occurrences(p, r, "fri-sat-patrol", []int{4, 5}, 18, 4, 3)
	sundays := occurrences(p, r, "sunday-cafe", []int{6}, 10, 4, 2)
	sol, err := solver.Solve(context.Background(), p, solver.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !sol.Score.Feasible() || sol.Filled != 8*3+4*2 {
		t.Fatalf("filled %d of 32 places, score %v", sol.Filled, sol.Score)
	}
	ev, su := peopleOn(sol, evenings), peopleOn(sol, sundays)
	for i, ws := range ev {
		if !slices.Equal(ws, ev[0]) {
			t.Errorf("evening %d has %v, the first had %v", i, ws, ev[0])
		}
	}
	for i, ws := range su {
		if !slices.Equal(ws, su[0]) {
			t.Errorf("Sunday %d has %v, the first had %v", i, ws, su[0])
		}
	}
	for _, w := range su[0] {
		if slices.Contains(ev[0], w) {
			t.Errorf("volunteer %d does both series while others do none (evenings %v, Sundays %v)", w, ev[0], su[0])
		}
	}
}

// TestAMenteeKeepsTheirMentor: a mentee already booked with a mentor in week
// one has sessions in the next five weeks. Other mentors live closer and the
// mentor already works more, yet every session goes to the same mentor but
// the one they cannot do, which another mentor takes rather than leave the
// mentee without a session.
func TestAMenteeKeepsTheirMentor(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 5))
	p := &solver.Problem{Days: 42, FirstWeekday: 0, Weights: solver.DefaultWeights()}
	p.Workers = volunteers(6, p.Days)
	sessions := occurrences(p, r, solver.MenteeSeriesPrefix+"M-17", []int{2}, 17, 2, 1)
	const mentor = 3
	for _, s := range sessions {
		for i := range p.Slots[s].Candidates {
			c := &p.Slots[s].Candidates[i]
			c.DistanceKm = 1
			if c.Worker == mentor {
				c.DistanceKm = 18
			}
		}
	}
	// The mentor's other duties: a Saturday shift each week, booked.
	for d := 5; d < p.Days; d += 7 {
		start := int64(d*1440 + 9*60)
		p.Fixed = append(p.Fixed, solver.Assignment{Slot: len(p.Slots), Worker: mentor})
		p.Slots = append(p.Slots, solver.Slot{ID: fmt.Sprintf("duty-%d", d), Day: d, Start: start, End: start + 6*60, Demand: 1})
	}
	p.Fixed = append(p.Fixed, solver.Assignment{Slot: sessions[0], Worker: mentor})
	away := sessions[3] // the mentor is not a candidate of this session
	p.Slots[away].Candidates = slices.DeleteFunc(slices.Clone(p.Slots[away].Candidates),
		func(c solver.Candidate) bool { return c.Worker == mentor })

	sol, err := solver.Solve(context.Background(), p, solver.Options{Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	got := peopleOn(sol, sessions[1:])
	for i, ws := range got {
		s := sessions[1+i]
		switch {
		case len(ws) != 1:
			t.Errorf("session %s has %v", p.Slots[s].ID, ws)
		case s == away && ws[0] == mentor:
			t.Errorf("the mentor took a session they are not a candidate of")
		case s != away && ws[0] != mentor:
			t.Errorf("session %s went to mentor %d, not the mentee's mentor %d", p.Slots[s].ID, ws[0], mentor)
		}
	}
	mentors := map[int]bool{mentor: true}
	for _, ws := range got {
		for _, w := range ws {
			mentors[w] = true
		}
	}
	if len(mentors) != 2 {
		t.Errorf("%d mentors over the sessions, want the mentor and one stand-in", len(mentors))
	}
}

// TestWeightsByTermName: every term Terms names sets through SetTerm, and a
// name that is no term does not.
func TestWeightsByTermName(t *testing.T) {
	t.Parallel()
	w := solver.DefaultWeights()
	terms := w.Terms()
	for name := range maps.Keys(terms) {
		if !w.SetTerm(name, 7) {
			t.Errorf("SetTerm(%q) refused a name Terms gave", name)
		}
	}
	for name, v := range w.Terms() {
		if v != 7 {
			t.Errorf("%s is %d after setting it to 7", name, v)
		}
	}
	if w.UnfilledByPriority[5] != 70_000 {
		t.Errorf("unfilled at priority 5 is %d, want 7 × 10⁴", w.UnfilledByPriority[5])
	}
	if w.SetTerm("target_hours", 1) {
		t.Error("SetTerm accepted a name that is no term")
	}
}
