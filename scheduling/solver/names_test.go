package solver

import (
	"testing"

	"github.com/copbank/copbank/domain"
)

// TestSolverNamesAgreeWithTheCatalogue: every rule and term the solver
// reports by itself is in the product's catalogue under the same name and
// hardness, so no score or explanation reaches a page without words.
func TestSolverNamesAgreeWithTheCatalogue(t *testing.T) {
	t.Parallel()
	same := map[string]string{
		RuleOneShiftPerDay: domain.RuleOneShiftPerDay, RuleNoOverlap: domain.RuleNoOverlap, RuleMinRest: domain.RuleMinRest,
		RuleForbiddenSuccession: domain.RuleForbiddenSuccession, RuleMaxConsecutive: domain.RuleMaxConsecutiveDays,
		RuleMinConsecutive: domain.RuleMinConsecutiveDays, RuleMinDaysOff: domain.RuleMinDaysOffBetweenRuns,
		RuleHasPlace: domain.RuleHasPlace, TermUnfilled: domain.TermUnfilled, TermOverCover: domain.TermOverCover,
		TermPreference: domain.TermPreference, TermTravel: domain.TermTravel, TermCost: domain.TermCost,
		TermFairness: domain.TermFairness, TermContinuity: domain.TermContinuity, NotChosen: domain.NotChosen,
		TermTargetHours: domain.TermTargetHoursPer4Weeks, RuleSupervised: domain.RuleSupervised,
	}
	for mine, theirs := range same {
		if mine != theirs {
			t.Errorf("the solver says %q where the catalogue says %q", mine, theirs)
		}
	}
	// What compile registers before any Limit is every name the solver
	// itself can put in a score.
	c := compile(&Problem{Days: 1})
	check := func(name string, hard bool) {
		t.Helper()
		r, ok := domain.RuleNamed(name)
		switch {
		case !ok:
			t.Errorf("%q is not in the catalogue", name)
		case r.Hard != hard:
			t.Errorf("%q: the solver has it hard=%v, the catalogue hard=%v", name, hard, r.Hard)
		}
		if _, listed := same[name]; !listed {
			t.Errorf("%q has no constant compared above", name)
		}
	}
	for _, n := range c.ruleNames {
		check(n, true)
	}
	for _, n := range c.termNames {
		check(n, false)
	}
	check(NotChosen, false)
	// Registered only when a problem has supervision.
	check(RuleSupervised, true)
	// Every weight a caller can set by name is a soft term of the catalogue.
	for name := range DefaultWeights().Terms() {
		check(name, false)
	}
}
