package app

import (
	"context"

	"github.com/copbank/copbank/domain"
)

// LastSupervisor reports whether the caller's own confirmed booking is the
// only supervisor's place on a shift where a colleague relies on
// supervision, so that giving it up would leave them unsupervised (their
// cancel page warns them). Anyone else's booking is not found.
func (a *App) LastSupervisor(ctx context.Context, p *domain.Principal, bookingID string) (bool, error) {
	v, err := a.Booking(ctx, p, bookingID)
	if err != nil {
		return false, err
	}
	b := v.Booking
	if !isSelf(p, b.MemberID) {
		return false, notFound("booking")
	}
	if b.Status != domain.BookingConfirmed {
		return false, nil
	}
	ok, err := a.supervises(ctx, a.store, b, v.Shift, v.Demand, a.zoneOf(v.Demand))
	if err != nil || !ok {
		return false, err
	}
	supervised, err := a.supervisedOn(ctx, a.store, v.Shift, v.Demand)
	if err != nil || len(supervised) == 0 {
		return false, err
	}
	others, err := a.supervisorsOn(ctx, a.store, v.Shift, v.Demand, b.MemberID)
	return others == 0, err
}
