// Package solver is copbank's general rostering model and its constraint-based
// solver: it owns the Problem (workers, demand slots, per-slot candidate lists,
// limits over day windows, run-length rules, forbidden successions, rest and
// overlap, fixed assignments and weighted soft terms), the lexicographic Score
// (hard violations, then soft penalty), an incremental evaluator, an upper
// bound on fill (a max-flow over a relaxation, bound.go), a construction
// heuristic whose open places are then filled by ejection chains
// (augment.go), simulated-annealing (optionally late-acceptance) local
// search on a budget of moves that stops early once fill meets the bound
// and the soft score settles, a greedy "first eligible in signup order"
// baseline, explanations and fill metrics.
//
// The package is pure: it takes a Problem value and returns a Solution value.
// It must not import the database, HTTP, logging or any other copbank layer,
// must not read the clock (the caller injects Options.Clock) and must not use
// global randomness (every search owns a PCG seeded from Options.Seed).
//
// The product precomputes the static booking rules (skills_valid,
// vetting_valid, in_availability, within_travel, …) per slot: a worker that
// fails one is not a Candidate of the slot and is counted by rule name in
// Slot.Excluded. Rules that depend on other assignments (no_overlap, min_rest,
// weekly caps, run lengths, weekends, one shift a day, forbidden successions,
// over-cover) are modelled and enforced by the solver itself, one family per
// file (constraints_cover.go, _pair, _clash, _runs, _limits, _spread): each
// constraint is scored there from scratch, for Evaluate, and incrementally,
// for the search, side by side. The names it reports are those of the
// product's catalogue in domain (a test keeps them in step); the solver does
// not import domain.
package solver
