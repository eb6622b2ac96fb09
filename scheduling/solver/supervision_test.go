package solver

import (
	"context"
	"math/rand/v2"
	"strconv"
	"testing"
)

// withSupervision decorates a random problem with shifts (a day's slots,
// mostly), supervised and supervising candidates and supervisors already
// booked on a few shifts.
func withSupervision(p *Problem, seed uint64) *Problem {
	r := rand.New(rand.NewPCG(seed, 11))
	for s := range p.Slots {
		sl := &p.Slots[s]
		if r.IntN(3) > 0 {
			sl.Shift = strconv.Itoa(sl.Day)
		}
		if r.IntN(8) == 0 {
			sl.Supervisors = 1
		}
		for i := range sl.Candidates {
			sl.Candidates[i].Supervised = r.IntN(3) == 0
			sl.Candidates[i].Supervisor = r.IntN(4) == 0
		}
	}
	return p
}

// aloneOnShift counts the supervised workers assigned (beyond the fixed
// ones) to a shift with no supervisor, recomputed from the problem alone.
func aloneOnShift(p *Problem, as []Assignment) (alone, supervised int) {
	group := func(s int) string {
		if p.Slots[s].Shift != "" {
			return p.Slots[s].Shift
		}
		return "#" + strconv.Itoa(s)
	}
	covered := map[string]bool{}
	for s := range p.Slots {
		if p.Slots[s].Supervisors > 0 {
			covered[group(s)] = true
		}
	}
	for _, a := range as {
		if cd, ok := candidateOf(&p.Slots[a.Slot], a.Worker); ok && cd.Supervisor && !cd.Supervised {
			covered[group(a.Slot)] = true
		}
	}
	for _, a := range as {
		if cd, ok := candidateOf(&p.Slots[a.Slot], a.Worker); ok && cd.Supervised {
			supervised++
			if !covered[group(a.Slot)] {
				alone++
			}
		}
	}
	return alone, supervised
}

func TestSupervisionIncrementalScoreEqualsFullRescore(t *testing.T) {
	t.Parallel()
	for seed := range uint64(30) {
		p := withSupervision(randomProblem(t, seed, false), seed)
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
		}
	}
}

// TestSolverNeverProposesASupervisedWorkerAlone solves random problems with
// supervision and checks, from the problem alone, that every supervised
// worker proposed shares a shift with a supervisor, proposed or already
// there.
func TestSolverNeverProposesASupervisedWorkerAlone(t *testing.T) {
	t.Parallel()
	proposed := 0
	for seed := range uint64(25) {
		p := withSupervision(randomProblem(t, seed, true), seed)
		// As the product builds them: hard cover, no broken roster to start from.
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
		sol, err := Solve(context.Background(), p, Options{Seed: seed, MaxMoves: 3000})
		if err != nil {
			t.Fatal(err)
		}
		if sc, b := Evaluate(p, sol.Assignments); sc != sol.Score || !sc.Feasible() {
			t.Fatalf("seed %d: score %v, full rescore %v, hard %v", seed, sol.Score, sc, b.Hard)
		}
		alone, n := aloneOnShift(p, sol.Assignments)
		if alone > 0 {
			t.Fatalf("seed %d: %d of %d supervised workers proposed on a shift without a supervisor", seed, alone, n)
		}
		proposed += n
	}
	if proposed == 0 {
		t.Error("no supervised worker was ever proposed: the test proves nothing")
	}
}

// One shift of two slots: a supervised worker is placed only with the
// supervisor, who is proposed in the same run or already booked.
func TestSupervisedWorkerNeedsASupervisorOnTheShift(t *testing.T) {
	t.Parallel()
	build := func(supervisorFree bool, booked int) *Problem {
		p := &Problem{Days: 1, Workers: []Worker{{ID: "sup"}, {ID: "mentor"}}, Weights: DefaultWeights()}
		lead := Slot{ID: "lead", Start: 600, End: 780, Demand: 1, Priority: 1, UnderWeight: p.Weights.Unfilled(1), HardOver: true,
			Shift: "sh", Supervisors: booked}
		support := lead
		support.ID = "support"
		if supervisorFree {
			lead.Candidates = []Candidate{{Worker: 0, Supervisor: true}}
		}
		support.Candidates = []Candidate{{Worker: 1, Supervised: true}}
		p.Slots = []Slot{lead, support}
		return p
	}
	for _, tc := range []struct {
		name          string
		free          bool
		booked, wantN int
	}{
		{"the supervisor proposed with the supervised worker", true, 0, 2},
		{"no supervisor at all leaves the supervised place open", false, 0, 0},
		{"a supervisor already booked is enough", false, 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sol, err := Solve(context.Background(), build(tc.free, tc.booked), Options{Seed: 1, MaxMoves: 500})
			if err != nil {
				t.Fatal(err)
			}
			if len(sol.Assignments) != tc.wantN || !sol.Score.Feasible() {
				t.Fatalf("assignments %v (score %v), want %d", sol.Assignments, sol.Score, tc.wantN)
			}
		})
	}
}
