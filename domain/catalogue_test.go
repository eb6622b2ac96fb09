package domain

import (
	"strings"
	"testing"
)

func TestCatalogueHasOneEntryWithWordsPerName(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, r := range Catalogue {
		if seen[r.Name] {
			t.Errorf("%q is in the catalogue twice", r.Name)
		}
		seen[r.Name] = true
		if r.Failed == "" {
			t.Errorf("%q has no words for when it fails", r.Name)
		}
		if r.Hard && r.Met == "" {
			t.Errorf("rule %q has no words for when it holds", r.Name)
		}
	}
	for _, name := range BookingRules {
		if r, ok := RuleNamed(name); !ok || !r.Hard {
			t.Errorf("booking rule %q is not a hard rule of the catalogue", name)
		}
	}
}

func TestRuleWords(t *testing.T) {
	t.Parallel()
	if got := FailedWords([]string{RuleHasPlace, "made_up_rule"}); got[0] != "no places are left" || got[1] != "made up rule" {
		t.Errorf("failed words: %q", got)
	}
	met := MetWords([]string{RuleHasPlace})
	if len(met) != len(BookingRules)-1 || strings.Join(met, ";") == "" || met[0] != "the shift is open and has not started" {
		t.Errorf("met words: %q", met)
	}
	if got := TermWords(TermTargetHoursPer4Weeks, -50); got != "towards the member's target hours" {
		t.Errorf("a target term that gains: %q", got)
	}
	if got := TermWords(TermTargetHoursPer4Weeks, 50); got != "away from the member's target hours" {
		t.Errorf("a target term that costs: %q", got)
	}
}
