package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// Shifts at risk: a shift with a position below its fewest-to-go-ahead
// (min_headcount) 48 hours before its start is at risk, and its coordinators
// (every coordinator whose areas cover the shift's area) are told by email,
// once per shift. Like reminders, at-risk shifts are found by a periodic
// sweep rather than scheduled when booked: a cancellation, a retime or a
// raised minimum can put a shift at risk at any time in its last 48 hours.
// The message key (shift; coordinator; email) holds no time, so a shift that
// drops below its minimum, recovers and drops again is told of once.

// atRiskInterval is how often the at-risk sweep runs.
const atRiskInterval = 15 * time.Minute

// atRiskLead is how long before its start a shift short of its minimum is
// at risk.
const atRiskLead = 48 * time.Hour

const eventAtRisk = "shift.at_risk"

type atRiskSweepArgs struct{}

func (atRiskSweepArgs) Kind() string { return "at_risk_sweep" }

// SendAtRiskWarnings tells the coordinators of every shift now at risk that
// they have not yet been told of, and returns how many emails went.
func (a *App) SendAtRiskWarnings(ctx context.Context) (int, error) {
	now := a.Now()
	listings, err := a.store.FindShifts(ctx, domain.ShiftFilter{From: now, To: now.Add(atRiskLead), Limit: 10000})
	if err != nil {
		return 0, err
	}
	var coordinators []domain.User
	sent := 0
	for _, l := range listings {
		if err := ctx.Err(); err != nil {
			return sent, err
		}
		v := ShiftView{Shift: l.Shift, Demand: l.Demand}
		if l.Demand.Status != domain.DemandActive || !v.AtRisk(now) {
			continue
		}
		if coordinators == nil {
			if coordinators, err = a.store.Coordinators(ctx); err != nil {
				return sent, err
			}
		}
		area, err := a.store.AreaByID(ctx, l.Demand.AreaID)
		if err != nil {
			return sent, err
		}
		if err := a.emitShiftAtRisk(ctx, l, area); err != nil {
			return sent, err
		}
		for _, u := range coordinators {
			if !slices.ContainsFunc(u.Areas, func(scope domain.Area) bool { return area.Within(scope.Path) }) {
				continue
			}
			ok, err := a.warnAtRisk(ctx, u, l, area)
			if ok {
				sent++
			}
			if err != nil {
				return sent, err
			}
		}
	}
	return sent, nil
}

func (a *App) warnAtRisk(ctx context.Context, u domain.User, l db.ShiftListing, area domain.Area) (bool, error) {
	d, sh := l.Demand, l.Shift
	zone := a.zoneOf(d)
	when := sh.Start.In(zone).Format("Mon 2 Jan 2006 15:04")
	text := fmt.Sprintf("%s in %s on %s has fewer people booked than it needs to go ahead:", d.Title, area.Name, when)
	for _, pl := range sh.Places {
		pos := positionOf(d, pl.PositionID)
		if pos.MinHeadcount != nil && pl.Taken < *pos.MinHeadcount {
			text += fmt.Sprintf(" %s has %d of the %d needed.", pos.Name, pl.Taken, *pos.MinHeadcount)
		}
	}
	text += " Staff it from its roster, or cancel it in good time for those booked."
	msg, err := renderEmail(Message{To: u.Email, Subject: "Shift at risk: " + d.Title + ", " + when, Text: text,
		Link: a.Config.BaseURL + "/coord/shifts/" + sh.ID}, emailData{Name: u.Name, When: shiftWhen(sh, zone)})
	if err != nil {
		return false, err
	}
	key := domain.MessageKey{Event: eventAtRisk + "/" + sh.ID, Recipient: u.ID, Channel: channelEmail}
	return a.deliver(ctx, a.Log.With("job_kind", "at_risk_sweep"), key, msg)
}
