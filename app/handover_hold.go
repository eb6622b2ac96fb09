package app

import (
	"context"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// refuseWhileHeld refuses a member on an approval hold a place that would
// be confirmed at once, by a handover or a swap: their own bookings wait
// for a coordinator, and a taken-over place cannot wait (the giver's
// booking ends in the same change, so a pending one would leave the place
// unfilled). A coordinator can still book them. whose is "you" or "one of
// you", so a colleague's hold is not told by name.
func (a *App) refuseWhileHeld(ctx context.Context, tx *db.Store, memberIDs []string, whose string) error {
	for _, id := range memberIDs {
		h, err := a.activeHold(ctx, tx, id)
		if err != nil {
			return err
		}
		if h != nil {
			return domain.Errorf(domain.EConflict, "%s must have bookings approved by a coordinator until %s because of missed shifts: "+
				"a colleague's place cannot be taken over meanwhile; ask a coordinator to book it", whose,
				h.Until.In(a.Config.TimeZone).Format("2 Jan 2006"))
		}
	}
	return nil
}

// noSwapAskedTwice refuses asking the same swap again while the first ask
// waits: the colleague would see it twice.
func noSwapAskedTwice(ctx context.Context, tx *db.Store, mine string, theirs domain.Booking) error {
	asked, err := tx.SwapsAsked(ctx, theirs.MemberID, 1000)
	if err != nil {
		return err
	}
	for _, w := range asked {
		if w.BookingID == mine && w.WithBookingID == theirs.ID {
			return domain.Errorf(domain.EConflict, "you have already asked this colleague for this swap: they have not answered yet")
		}
	}
	return nil
}
