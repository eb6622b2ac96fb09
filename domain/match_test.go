package domain

import "testing"

// Every term a run may weigh, and every term worded with a number, is a soft
// term of the catalogue: the reasons, the weights and the pages share names.
func TestMatchTermsAreTheCataloguesSoftTerms(t *testing.T) {
	t.Parallel()
	names := append([]string{}, MatchWeightTerms...)
	for term := range termAmounts {
		names = append(names, term)
	}
	for _, n := range names {
		if r, ok := RuleNamed(n); !ok || r.Hard {
			t.Errorf("%q is not a soft term of the catalogue", n)
		}
	}
	km := 3.24
	if got := ReasonWords(TermTravel, 32, &km); got != "lives 3.2 km away" {
		t.Errorf("travel reads %q", got)
	}
	if got := ReasonWords(TermContinuity, -500, nil); got != "has done this series before" {
		t.Errorf("continuity reads %q", got)
	}
}

func TestMatchWeightsAreChecked(t *testing.T) {
	t.Parallel()
	got := CheckMatchWeights("weights", map[string]float64{"travel": 2, "speed": 1, "fairness": -1, "unfilled": 0})
	want := []string{"weights.fairness", "weights.speed", "weights.unfilled"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want fields %v", got, want)
	}
	for i, f := range got {
		if f.Field != want[i] {
			t.Errorf("field %d is %s, want %s", i, f.Field, want[i])
		}
	}
}
