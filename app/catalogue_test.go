package app

import (
	"testing"
	"time"

	"github.com/copbank/copbank/domain"
)

// TestEveryNameAPageCanShowIsInTheCatalogue covers the names that reach a
// refusal or the match pages from the product: the booking rules, the
// matcher's own exclusions and the limits a member's settings give the
// solver (the solver's own names are checked against the catalogue in its
// package). A name missing from the catalogue would show as a raw name.
func TestEveryNameAPageCanShowIsInTheCatalogue(t *testing.T) {
	t.Parallel()
	want := map[string]bool{} // name → hard
	for _, r := range domain.BookingRules {
		want[r] = true
	}
	want[domain.RuleInAvailability] = true
	want[domain.RuleWithinTravel] = true
	n, target := 2, 30.0
	mem := domain.Member{MaxHoursPerWeek: 40, MinRestHours: 11, Limits: domain.MemberLimits{MaxShiftsPerWeek: &n,
		MaxConsecutiveDays: &n, MinDaysOffBetweenRuns: &n, MaxWeekendsPer4Weeks: &n, TargetHoursPer4Weeks: &target}}
	w := (&App{}).matchWorker(mem, time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), 28, true)
	limits := map[string]bool{}
	for _, l := range w.Limits {
		want[l.Name] = l.Hard
		limits[l.Name] = true
	}
	if len(limits) != 4 {
		t.Errorf("a member with every limit set gave the solver %d named limits, want 4: %v", len(limits), limits)
	}
	for name, hard := range want {
		r, ok := domain.RuleNamed(name)
		switch {
		case !ok:
			t.Errorf("%q can reach a page but is not in the catalogue", name)
		case r.Hard != hard:
			t.Errorf("%q: hard=%v where it is used, hard=%v in the catalogue", name, hard, r.Hard)
		}
	}
}

func TestARefusalSaysEachRuleOnceInTheCataloguesWords(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC)
	err := refused([]string{domain.RuleSkillsValid, domain.RuleHasPlace}, domain.Shift{Start: start},
		domain.Demand{Title: "Night patrol"}, time.UTC)
	var de *domain.Error
	if !asError(err, &de) || de.Code != domain.ERefused {
		t.Fatalf("got %v, want a refusal", err)
	}
	want := "Booking refused for Night patrol on Mon 2 Mar 2026 18:00: a required skill is missing or expires before the shift ends; " +
		"no places are left. Join the waitlist to be offered the next one that frees."
	if de.Message != want {
		t.Errorf("detail %q\nwant   %q", de.Message, want)
	}
}
