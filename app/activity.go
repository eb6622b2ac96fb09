package app

import (
	"context"
	"time"

	"github.com/copbank/copbank/domain"
)

// "What is being done in your neighbourhood": for anyone, without signing
// in. A shift counts when it started in the month (in the force's zone), was
// not cancelled, had ended by now and had at least one attended booking;
// hours are those of attended bookings. So the figures say nothing about a
// shift still running or still to come, and nothing about who was there.

// AreaActivity gathers this month's and last month's activity in the area
// with this code and everywhere below it. An unknown code is not found.
func (a *App) AreaActivity(ctx context.Context, code string) (domain.AreaActivity, error) {
	area, err := a.store.AreaByCode(ctx, code)
	if domain.ErrorCode(err) == domain.ENotFound {
		return domain.AreaActivity{}, domain.Errorf(domain.ENotFound, "no area has this code")
	}
	if err != nil {
		return domain.AreaActivity{}, err
	}
	zone := a.Config.TimeZone
	now := a.Now()
	local := now.In(zone)
	thisMonth := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, zone)
	lastMonth := thisMonth.AddDate(0, -1, 0)
	records, err := a.store.AttendedActivity(ctx, area.Path, lastMonth, now, now)
	if err != nil {
		return domain.AreaActivity{}, err
	}
	var this, last []domain.ActivityRecord
	for _, r := range records {
		if r.Start.Before(thisMonth) {
			last = append(last, r)
		} else {
			this = append(this, r)
		}
	}
	return domain.AreaActivity{Area: area, Months: []domain.MonthActivity{
		{Year: thisMonth.Year(), Month: thisMonth.Month(), Current: true, Rows: domain.SummariseActivity(this)},
		{Year: lastMonth.Year(), Month: lastMonth.Month(), Rows: domain.SummariseActivity(last)},
	}}, nil
}

// PublicAreas lists every area, for anyone: codes, names and the tree hold
// nothing about people.
func (a *App) PublicAreas(ctx context.Context) ([]domain.Area, error) {
	return a.store.Areas(ctx, "", 100000)
}
