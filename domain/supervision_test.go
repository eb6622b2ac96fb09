package domain_test

import (
	"slices"
	"testing"

	"github.com/copbank/copbank/domain"
)

func TestAConditionalClearanceCountsAsNPPV1OnlyUnderSupervision(t *testing.T) {
	t.Parallel()
	conditional := func(status domain.ClearanceStatus) []domain.Clearance {
		return []domain.Clearance{{Type: domain.Conditional, GrantedOn: domain.Date{Year: 2026, Month: 1, Day: 1},
			ExpiresOn: domain.Date{Year: 2028, Month: 1, Day: 1}, Status: status},
			{Type: domain.DBSEnhancedAdults, GrantedOn: domain.Date{Year: 2025, Month: 1, Day: 1}, ExpiresOn: domain.Date{Year: 2030, Month: 1, Day: 1}, Status: domain.ClearanceActive}}
	}
	for _, tc := range []struct {
		name        string
		clearances  []domain.Clearance
		supervision domain.Supervision
		minVetting  domain.ClearanceType
		supervised  bool
		want        []string
	}{
		{"on a position without supervision it does not count", conditional(domain.ClearanceActive), domain.SupervisionNone, domain.NPPV1, true,
			[]string{domain.RuleVettingValid}},
		{"on a supervised position with no supervisor booked", conditional(domain.ClearanceActive), domain.SupervisionAllowed, domain.NPPV1, false,
			[]string{domain.RuleSupervised}},
		{"on a supervised position beside a supervisor", conditional(domain.ClearanceActive), domain.SupervisionAllowed, domain.NPPV1, true, nil},
		{"never above NPPV1", conditional(domain.ClearanceActive), domain.SupervisionAllowed, domain.NPPV2, true,
			[]string{domain.RuleVettingValid}},
		{"not while suspended", conditional(domain.ClearanceSuspended), domain.SupervisionAllowed, domain.NPPV1, true,
			[]string{domain.RuleVettingValid}},
		{"a member with their own NPPV needs no supervisor", eligible().Clearances, domain.SupervisionAllowed, domain.NPPV1, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := eligible()
			c.Clearances, c.Position.Supervision, c.Position.MinVetting, c.Supervised = tc.clearances, tc.supervision, tc.minVetting, tc.supervised
			if got := domain.CheckBooking(c); !slices.Equal(got, tc.want) {
				t.Fatalf("failed %v, want %v", got, tc.want)
			}
		})
	}
}
