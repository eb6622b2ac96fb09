package solver

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"time"
)

// Options control a solve. The zero value runs DefaultMoves moves on one worker.
//
// The move budget is the search's budget: the same Seed, Workers and
// MaxMoves give the same Solution, byte for byte, whatever the machine's
// load, as long as the run stops because it converged or spent its moves
// (Solution.StopReason). TimeLimit is only a safety cap; when it bites the
// run says so (StopTimeLimit) and is not replayable.
type Options struct {
	// Seed seeds every search's PCG.
	Seed uint64
	// MaxMoves is the number of local-search moves per worker and sets the
	// annealing schedule; 0 means DefaultMoves, a negative value no move
	// limit (the schedule then follows TimeLimit, and ctx or TimeLimit end
	// the search).
	MaxMoves int64
	// ConvergeMoves is how long a search whose best roster fills as many
	// places as the fill bound (by count and by priority) and breaks no hard
	// rule goes on without improving its soft score before it stops,
	// counted from the later of its last gain and the middle of its move
	// budget; 0 means
	// max(20 000, 50 × places), a negative value never (benchmarks that
	// should use their whole time).
	ConvergeMoves int64
	// MaxStallMoves stops a search after this many moves without a new best
	// (0: no stall limit).
	MaxStallMoves int64
	// TimeLimit caps the search when Clock is set; the solver never reads
	// the clock itself.
	TimeLimit time.Duration
	// Clock returns the current time; nil disables TimeLimit.
	Clock func() time.Time
	// Workers is the number of independent searches run in parallel with
	// seeds derived from Seed; the best wins (ties to the lowest index).
	Workers int
	// Progress, when set, is called now and then with the fraction of the
	// budget used and the best score so far (from any goroutine, serialised).
	Progress func(fraction float64, best Score)
	// History is the late-acceptance history length (default 2000).
	History int
	// LateAcceptance uses phased late-acceptance hill climbing instead of
	// the default simulated annealing.
	LateAcceptance bool
	// StartTemperature and EndTemperature set the annealing schedule in
	// combined-cost units (hard × weight + soft); 0 picks them from a sample
	// of random moves (a quarter of the lower quartile of the worsening
	// deltas to start, a quarter of the smallest to end).
	StartTemperature, EndTemperature float64
	// HardWeight is the cost of one hard unit in the combined cost the
	// search moves on (0: three times the largest cover weight, at least 100);
	// an hour of a hard Minutes limit costs HardWeight divided by the
	// shortest slot's whole hours, so a shift's worth weighs about one broken
	// rule. The best solution is always chosen lexicographically.
	HardWeight int64
	// SkipExplain leaves Solution.Proposals and Solution.Open empty.
	SkipExplain bool
}

// StopReason says why a search ended.
type StopReason string

const (
	// StopConverged: the best roster breaks no hard rule, fills the fill
	// bound (by count and by priority) and its soft score has not improved
	// for Options.ConvergeMoves moves of the cooler half of the annealing
	// schedule (the hot half wanders above the best by design), or there
	// was nothing to search.
	StopConverged StopReason = "converged"
	// StopMoves: the move budget (Options.MaxMoves) is spent.
	StopMoves StopReason = "moves"
	// StopStalled: Options.MaxStallMoves moves went by without a new best.
	StopStalled StopReason = "stalled"
	// StopTimeLimit: the safety cap Options.TimeLimit bit first.
	StopTimeLimit StopReason = "time_limit"
	// StopCancelled: the caller's context ended the search.
	StopCancelled StopReason = "cancelled"
)

// DefaultMoves is the move budget when MaxMoves is 0.
const DefaultMoves = 200_000

// Reason is one score term behind a proposal: the change in that term's
// penalty that this assignment causes (negative: the assignment lowers it).
type Reason struct {
	Term    string
	Penalty int64
}

// Proposal is one assignment the solver adds, with the terms behind it.
type Proposal struct {
	Slot, Worker int
	Score        int64 // soft score change this assignment causes
	Reasons      []Reason
}

// OpenPlace is a slot left with unfilled places, and why: Excluded counts the
// candidates that fail each rule (a candidate failing several counts under
// each). Static exclusions come from Slot.Excluded; NotChosen counts
// candidates who could be added without breaking a hard rule.
type OpenPlace struct {
	Slot     int
	Places   int
	Excluded map[string]int
}

// TracePoint records a new best score during the search.
type TracePoint struct {
	Moves   int64
	Elapsed time.Duration // zero without Options.Clock
	Score   Score
}

// Solution is the result of Solve or Greedy.
type Solution struct {
	Assignments  []Assignment // added assignments (fixed ones excluded), by slot then worker
	Score        Score
	Breakdown    Breakdown
	Construction Score // score after the construction heuristic
	Proposals    []Proposal
	Open         []OpenPlace
	Trace        []TracePoint
	// Moves is the number of moves the winning search made and StopReason
	// why it stopped; MaxMoves is the move budget it had (what a replay
	// passes as Options.MaxMoves).
	Moves      int64
	MaxMoves   int64
	StopReason StopReason
	// FillBound is the most places any roster that keeps the modelled hard
	// rules can fill (fixed people included), and PriorityFillBound the
	// most priority-weighted fill, as a fraction like
	// Metrics.PriorityWeightedFill; SlotBound is, per slot, the places of
	// one flow that reaches both (see bound.go for what is relaxed).
	FillBound         int
	PriorityFillBound float64
	SlotBound         []int
	// Filled counts the places the roster fills (fixed people included);
	// OptimalFill says it breaks no hard rule and fills FillBound places
	// with the highest priority-weighted fill possible, so no roster fills
	// more.
	Filled      int
	OptimalFill bool
}

// Solve builds a roster for p: a construction heuristic (most-constrained
// place first, best-scoring candidate) followed by simulated-annealing (or,
// with Options.LateAcceptance, late-acceptance) local search with
// incremental scoring. It returns an error only if p is invalid;
// a cancelled ctx stops the search early and returns the best so far.
func Solve(ctx context.Context, p *Problem, opts Options) (*Solution, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	c := compile(p)
	var start time.Time
	if opts.Clock != nil {
		start = opts.Clock()
	}
	elapsed := func() time.Duration {
		if opts.Clock == nil {
			return 0
		}
		return opts.Clock().Sub(start)
	}
	base := newState(c)
	hw := hardWeight(p)
	if opts.HardWeight > 0 {
		hw = opts.HardWeight
	}
	bound := computeBound(c)
	construct(base, hw)
	augment(base)
	constr := base.score()
	workers := max(opts.Workers, 1)
	maxMoves := opts.MaxMoves
	if maxMoves == 0 {
		maxMoves = DefaultMoves
	}
	converge := opts.ConvergeMoves
	if converge == 0 {
		places := 0
		for i := range p.Slots {
			places += p.Slots[i].Demand
		}
		converge = max(20_000, 50*int64(places))
	}
	var mu sync.Mutex
	globalBest := constr
	report := func(frac float64, sc Score) {
		if opts.Progress == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if sc.Less(globalBest) {
			globalBest = sc
		}
		opts.Progress(min(frac, 1), globalBest)
	}
	results := make([]*search, workers)
	var wg sync.WaitGroup
	states := make([]*state, workers)
	for i := range workers {
		states[i] = base
		if i > 0 {
			states[i] = base.clone() // before any search starts moving base
		}
	}
	for i := range workers {
		st := states[i]
		sr := &search{st: st, hw: hw, rng: rand.New(rand.NewPCG(opts.Seed, uint64(i)*0x9E3779B97F4A7C15+0x632BE59BD9B4E019)),
			maxMoves: maxMoves, stall: opts.MaxStallMoves, limit: opts.TimeLimit, elapsed: elapsed,
			clock: opts.Clock != nil, history: opts.History, lahc: opts.LateAcceptance, t0: opts.StartTemperature, t1: opts.EndTemperature, report: report, ctx: ctx,
			bound: &bound, converge: converge}
		results[i] = sr
		if workers == 1 {
			sr.run()
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sr.run()
		}()
	}
	wg.Wait()
	win := results[0]
	for _, r := range results[1:] {
		if r.bestScore.Less(win.bestScore) {
			win = r
		}
	}
	st := newState(c)
	for pid, on := range win.best {
		if on && !c.pairs[pid].fixed {
			st.toggle(int32(pid), true)
		}
	}
	augment(st)
	fill(st, hw)
	sol := st.solution(opts.SkipExplain)
	sol.Construction = constr
	sol.Moves, sol.MaxMoves, sol.StopReason = win.moves, maxMoves, win.stop
	sol.Trace = win.trace
	sol.FillBound, sol.SlotBound = bound.filled, bound.perSlot
	if bound.total > 0 {
		sol.PriorityFillBound = float64(bound.weighted) / float64(bound.total)
	}
	sol.OptimalFill = st.score().Feasible() && st.filled == bound.filled && st.wFilled == bound.weighted
	if opts.Progress != nil {
		opts.Progress(1, sol.Score)
	}
	return sol, nil
}

// hardWeight is the weight of one hard unit in the combined cost the search
// moves on: three unfilled places, so breaking a rule to fill two never pays.
// The search raises it (up to 16×) while it stays infeasible. The best roster
// is still chosen lexicographically, so a lower weight only lets the search
// cross infeasible ground.
func hardWeight(p *Problem) int64 {
	hw := int64(100)
	for i := range p.Slots {
		hw = max(hw, 3*p.Slots[i].UnderWeight, 3*p.Slots[i].OverWeight)
	}
	return hw
}

// cost is the combined cost the search moves on: hw per hard unit (an hour
// of a Minutes limit counting 1/hourScale of a unit) plus the soft score.
func (st *state) cost(hw int64) int64 {
	k := st.c.hourScale
	return st.hardCost/k*hw + st.hardCost%k*hw/k + st.softSum
}

func (st *state) clone() *state {
	n := *st
	n.on = slices.Clone(st.on)
	n.slotN = slices.Clone(st.slotN)
	n.slotAsg = make([][]int32, len(st.slotAsg))
	for i, x := range st.slotAsg {
		n.slotAsg[i] = slices.Clone(x)
	}
	n.wd = make([][]int32, len(st.wd))
	for i, x := range st.wd {
		if len(x) > 0 {
			n.wd[i] = slices.Clone(x)
		}
	}
	n.busy = slices.Clone(st.busy)
	n.under = slices.Clone(st.under)
	n.underAt = slices.Clone(st.underAt)
	n.limVal = slices.Clone(st.limVal)
	n.wkWorked = slices.Clone(st.wkWorked)
	n.fairX = slices.Clone(st.fairX)
	n.cont = make(map[uint64]int32, len(st.cont))
	for k, v := range st.cont {
		n.cont[k] = v
	}
	n.wHard = slices.Clone(st.wHard)
	n.wConf = slices.Clone(st.wConf)
	n.wRun = slices.Clone(st.wRun)
	n.bad = slices.Clone(st.bad)
	n.badAt = slices.Clone(st.badAt)
	if st.supN != nil {
		n.supN = slices.Clone(st.supN)
		n.supOn = make([][]int32, len(st.supOn))
		for i, x := range st.supOn {
			n.supOn[i] = slices.Clone(x)
		}
	}
	n.hard = slices.Clone(st.hard)
	n.soft = slices.Clone(st.soft)
	return &n
}

// delta is the score change of turning pid on (the state is restored).
func (st *state) delta(pid int32) Score {
	before := st.score()
	st.toggle(pid, true)
	after := st.score()
	st.toggle(pid, false)
	return Score{Hard: after.Hard - before.Hard, Soft: after.Soft - before.Soft}
}

// construct fills places most-constrained first (fewest candidates per place,
// then higher priority, then earlier), each with the candidate that lowers the
// combined cost most; a place no candidate improves stays open.
func construct(st *state, hw int64) {
	c := st.c
	p := c.p
	order := make([]int, 0, c.S)
	for s := range c.S {
		if p.Slots[s].Demand > int(st.slotN[s]) {
			order = append(order, s)
		}
	}
	ncand := func(s int) int { return int(c.slotStart[s+1] - c.slotStart[s]) }
	slices.SortStableFunc(order, func(a, b int) int {
		sa, sb := &p.Slots[a], &p.Slots[b]
		ra := ncand(a) * 1000 / max(sa.Demand, 1)
		rb := ncand(b) * 1000 / max(sb.Demand, 1)
		if ra != rb {
			return ra - rb
		}
		if sa.Priority != sb.Priority {
			return sb.Priority - sa.Priority
		}
		if sa.Start != sb.Start {
			if sa.Start < sb.Start {
				return -1
			}
			return 1
		}
		return a - b
	})
	for _, s := range order {
		fillSlot(st, s, hw)
	}
}

// fillSlot adds the best improving candidates to s until it is full or none improves.
func fillSlot(st *state, s int, hw int64) {
	c := st.c
	for int(st.slotN[s]) < c.p.Slots[s].Demand {
		bestP, bestD := int32(-1), Score{}
		for pid := c.slotStart[s]; pid < c.slotStart[s+1]; pid++ {
			if st.on[pid] {
				continue
			}
			if d := st.delta(pid); d.Less(bestD) {
				bestP, bestD = pid, d
			}
		}
		if bestP < 0 {
			return
		}
		st.toggle(bestP, true)
	}
}

// fill is a final pass giving every open place its best improving candidate.
func fill(st *state, hw int64) {
	for s := range st.c.S {
		fillSlot(st, s, hw)
	}
}
