package demo

import (
	"context"
	"fmt"
	"slices"

	"github.com/copbank/copbank/domain"
)

// seedCoverage names each neighbourhood's local officer — the bank officer
// booked there most, else one who lives there — and sets a weekly target,
// so that the coverage board shows covered weeks and gaps of every kind:
// every fifth neighbourhood has nobody named yet, and targets rise from 4
// to 10 hours so that the quieter neighbourhoods fall short.
func (s *seeder) seedCoverage(ctx context.Context) (int, error) {
	areaOf := map[string]string{}
	for _, d := range s.demands {
		for _, sh := range d.Shifts {
			areaOf[sh.ID] = d.AreaCode
		}
	}
	booked := map[string]map[string]int{} // area code → member ID → confirmed bookings
	var officers []*seedMember
	for _, sm := range s.members {
		if !slices.Contains(sm.m.Kinds, domain.KindBankOfficer) {
			continue
		}
		officers = append(officers, sm)
		for _, b := range sm.bookings {
			if b.Status != domain.BookingConfirmed {
				continue
			}
			code := areaOf[b.ShiftID]
			if booked[code] == nil {
				booked[code] = map[string]int{}
			}
			booked[code][sm.m.ID]++
		}
	}
	n, i := 0, 0
	for _, sa := range demoAreas {
		if sa.kind != domain.AreaNeighbourhood {
			continue
		}
		i++
		target := float64(4 + 2*(i%4))
		if _, err := s.a.SetCoverageTarget(ctx, s.admin, sa.code, &target); err != nil {
			return n, fmt.Errorf("coverage target of %s: %w", sa.code, err)
		}
		if i%5 == 0 {
			continue
		}
		officer, most := "", 0
		for id, c := range booked[sa.code] {
			if c > most || (c == most && id < officer) {
				officer, most = id, c
			}
		}
		for _, sm := range officers {
			if officer != "" {
				break
			}
			if sm.m.HomeAreaCode == sa.code {
				officer = sm.m.ID
			}
		}
		if officer == "" {
			continue
		}
		if _, err := s.a.SetNamedOfficer(ctx, s.admin, sa.code, officer); err != nil {
			return n, fmt.Errorf("named officer of %s: %w", sa.code, err)
		}
		n++
	}
	return n, nil
}
