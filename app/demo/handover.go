package demo

import (
	"context"
	"slices"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// seedHandover shows a handover: a colleague of the demo volunteer offers
// a place the volunteer could take, so "Offers from colleagues" has one to
// take. The first confirmed booking (in the order the seed made them) that
// the volunteer passes every rule for is offered; offers the volunteer
// could not take are withdrawn again. It draws nothing from the seeder's
// random source.
func (s *seeder) seedHandover(ctx context.Context) (int, error) {
	var volunteer domain.Member
	for _, sm := range s.members {
		if sm.m.Email == demoVolunteerEmail {
			volunteer = sm.m
		}
	}
	taker := &domain.Principal{User: domain.User{MemberID: volunteer.ID, Roles: []domain.Role{domain.RoleMember}}}
	now := s.a.Now()
	tries := 0
	for _, sm := range s.members {
		if sm.demo || !sm.m.HasKind(domain.KindVolunteer) {
			continue
		}
		// The giver acts through the seed: the audit log says "command line".
		giver := &domain.Principal{User: domain.User{MemberID: sm.m.ID, Roles: []domain.Role{domain.RoleMember}}}
		for _, b := range sm.bookings {
			if b.Status != domain.BookingConfirmed || !b.Start.After(now.Add(48*time.Hour)) {
				continue
			}
			if tries++; tries > 40 {
				return 0, nil // a demo without an offer is still a demo
			}
			h, err := s.a.OfferHandover(ctx, giver, b.ID)
			if domain.ErrorCode(err) == domain.EConflict {
				continue
			}
			if err != nil {
				return 0, err
			}
			open, err := s.a.OpenHandovers(ctx, taker, "", 100)
			if err != nil {
				return 0, err
			}
			if slices.ContainsFunc(open, func(v app.HandoverView) bool { return v.Handover.ID == h.ID }) {
				return 1, nil
			}
			if _, err := s.a.WithdrawHandover(ctx, giver, h.ID); err != nil {
				return 0, err
			}
		}
	}
	return 0, nil
}
