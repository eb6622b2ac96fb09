package app

import (
	"context"
	"slices"
	"time"

	"github.com/copbank/copbank/domain"
)

// BookedPlace says where a booking is, so that a list of bookings reads
// without a lookup per line: the shift's title, times and area, and the
// position's name.
type BookedPlace struct {
	Title              string
	Start, End         time.Time
	TimeZone           string
	AreaCode, AreaName string
	PositionName       string
}

// BookedPlaces are the places of a set of bookings.
type BookedPlaces map[[2]string]BookedPlace

// Of is the place of one booking; zero when it was not loaded.
func (bp BookedPlaces) Of(b domain.Booking) BookedPlace {
	return bp[[2]string{b.ShiftID, b.PositionID}]
}

// BookedPlaces loads the places of bookings the caller has already been
// allowed to see.
func (a *App) BookedPlaces(ctx context.Context, bookings []domain.Booking) (BookedPlaces, error) {
	var shiftIDs []string
	for _, b := range bookings {
		if !slices.Contains(shiftIDs, b.ShiftID) {
			shiftIDs = append(shiftIDs, b.ShiftID)
		}
	}
	out := BookedPlaces{}
	if len(shiftIDs) == 0 {
		return out, nil
	}
	rows, err := a.store.BookedPlaces(ctx, shiftIDs)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[[2]string{r.ShiftID, r.PositionID}] = BookedPlace{Title: r.Title, Start: r.StartsAt, End: r.EndsAt,
			TimeZone: r.Timezone, AreaCode: r.AreaCode, AreaName: r.AreaName, PositionName: r.PositionName}
	}
	return out, nil
}
