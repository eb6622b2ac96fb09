package solver

import (
	"math/rand/v2"
	"testing"
)

// searchOn returns a search over p with the given assignments on.
func searchOn(tb testing.TB, p *Problem, seed uint64, as ...Assignment) *search {
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
	return &search{st: st, hw: hardWeight(p), rng: rand.New(rand.NewPCG(seed, 1))}
}

func TestRepairMoveMendsAForbiddenSuccession(t *testing.T) {
	t.Parallel()
	// One worker on a late (N) then an early (E) shift, which may not follow
	// it; the only repair keeping both days worked is the late shift on day 1.
	e0, n0, e1, n1 := at(0, 6, 8), at(0, 14, 8), at(1, 6, 8), at(1, 14, 8)
	e0.Category, e1.Category = 0, 0
	n0.Category, n1.Category = 1, 1
	p := tiny(t, 2, 1, e0, n0, e1, n1)
	p.OneSlotPerDay = true
	p.Forbidden = [][]bool{{false, false}, {true, false}}
	p.Workers[0].Limits = []Limit{{Name: "days", Measure: Days, Category: AnyCategory, Min: 2, Max: 2, Hard: true}}
	sr := searchOn(t, p, 1, Assignment{Slot: 1, Worker: 0}, Assignment{Slot: 2, Worker: 0})
	if got := sr.st.score().Hard; got != 1 {
		t.Fatalf("start: %d hard units, want 1 (the succession)", got)
	}
	mended := false
	for range 200 {
		sr.ops = sr.ops[:0]
		sr.repairMove()
		sc := sr.st.score()
		if want, _ := Evaluate(p, sr.st.assignments()); sc != want {
			t.Fatalf("after repair: incremental %v, full %v", sc, want)
		}
		mended = mended || sc.Hard == 0
		sr.undo()
	}
	if !mended {
		t.Fatal("no repair move mended the forbidden succession")
	}
}

func TestSlotMoveChangesSlotRatherThanDoubleBooking(t *testing.T) {
	t.Parallel()
	p := tiny(t, 2, 2, at(0, 6, 8), at(0, 14, 8), at(1, 6, 8), at(1, 14, 8))
	for i := range p.Slots {
		p.Slots[i].Demand = 1
	}
	p.OneSlotPerDay = true
	sr := searchOn(t, p, 3)
	st := sr.st
	for i := range 500 {
		sr.ops = sr.ops[:0]
		sr.slotMove()
		for w := range st.c.W {
			for d := range st.c.H {
				if n := len(st.wd[w*st.c.H+d]); n > 1 {
					t.Fatalf("move %d: worker %d has %d slots on day %d", i, w, n, d)
				}
			}
		}
	}
}

func TestRotateSlidesADayOffAndKeepsTheShifts(t *testing.T) {
	t.Parallel()
	// Days 0–5, E or N each day; the worker works E, N, off, E, E, N.
	var slots []Slot
	for d := range 6 {
		e, n := at(d, 6, 8), at(d, 14, 8)
		n.Category = 1
		slots = append(slots, e, n)
	}
	p := tiny(t, 6, 1, slots...)
	p.OneSlotPerDay = true
	sr := searchOn(t, p, 1, Assignment{Slot: 0, Worker: 0}, Assignment{Slot: 3, Worker: 0},
		Assignment{Slot: 6, Worker: 0}, Assignment{Slot: 8, Worker: 0}, Assignment{Slot: 11, Worker: 0})
	// Slide the day off on day 2 three days on: days 2–4 take days 3–5's
	// shifts and day 5 the day off.
	sr.rotate(0, 2, 1, 3)
	want := []Assignment{{Slot: 0, Worker: 0}, {Slot: 3, Worker: 0}, {Slot: 4, Worker: 0}, {Slot: 6, Worker: 0}, {Slot: 9, Worker: 0}}
	got := sr.st.assignments()
	if len(got) != len(want) {
		t.Fatalf("after rotate: %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("after rotate: %v, want %v", got, want)
		}
	}
	if sc, _ := Evaluate(p, got); sc != sr.st.score() {
		t.Fatalf("incremental %v, full %v", sr.st.score(), sc)
	}
	sr.undo()
	if got := sr.st.assignments(); len(got) != 5 || got[2] != (Assignment{Slot: 6, Worker: 0}) {
		t.Fatalf("undo left %v", got)
	}
}
