package app

import (
	"context"
	"strings"
	"time"

	"github.com/copbank/copbank/domain"
	"github.com/copbank/copbank/scheduling"
)

// Capacity sets what members said they could give against what has been
// asked for, hour by hour of the week, so a coordinator sees where the gaps
// will be before posting more. Both sides are summed over the same weeks:
//
//   - demand in a cell is the places (headcount) of open shifts (scheduled,
//     their demand active) posted in the area or below it, counted for every
//     hour of the week the shift touches;
//   - availability is the number of eligible members (active, home area in
//     the area or below it) whose expanded availability touches that hour,
//     leaving out days they are on leave; a member counts once an hour
//     however many of their windows cover it.
//
// Hours are the force's local hours: Monday 00:00–01:00 is the first cell.

// CapacityCell is one hour of the week.
type CapacityCell struct {
	Demand    int
	Available int
}

// AreaCapacity is one area's week, Monday first, hour 0 first.
type AreaCapacity struct {
	Area  domain.Area
	Cells [7][24]CapacityCell
}

// CapacityReport is the capacity of the areas asked for over [From, To).
type CapacityReport struct {
	From, To time.Time
	Zone     *time.Location
	Areas    []AreaCapacity
}

// capacityWeeks is how far ahead the report looks by default.
const capacityWeeks = 4

// Capacity reports availability against demand for the areas named by code
// (each with everything below it; none: the caller's own areas, or every
// force for an admin) over from–to (dates or instants as for availability;
// by default the next four weeks). An area outside the caller's scope is
// invalid, naming "areas".
func (a *App) Capacity(ctx context.Context, p *domain.Principal, codes []string, from, to string) (CapacityReport, error) {
	if !isCoordinating(p) {
		return CapacityReport{}, forbidden("only coordinators and admins see capacity")
	}
	lo, hi, err := a.availabilityRange(from, to)
	if err != nil {
		return CapacityReport{}, err
	}
	if strings.TrimSpace(to) == "" {
		hi = lo.AddDate(0, 0, 7*capacityWeeks)
	}
	areas, err := a.capacityAreas(ctx, p, codes)
	if err != nil {
		return CapacityReport{}, err
	}
	rep := CapacityReport{From: lo, To: hi, Zone: a.Config.TimeZone}
	for _, ar := range areas {
		ac := AreaCapacity{Area: ar}
		if err := a.capacityDemand(ctx, &ac, lo, hi); err != nil {
			return rep, err
		}
		if err := a.capacitySupply(ctx, &ac, lo, hi); err != nil {
			return rep, err
		}
		rep.Areas = append(rep.Areas, ac)
	}
	return rep, nil
}

func (a *App) capacityAreas(ctx context.Context, p *domain.Principal, codes []string) ([]domain.Area, error) {
	var out []domain.Area
	for _, code := range codes {
		if code = strings.TrimSpace(code); code == "" {
			continue
		}
		ar, err := a.store.AreaByCode(ctx, code)
		switch {
		case domain.ErrorCode(err) == domain.ENotFound:
			return nil, domain.FieldInvalid("areas", code+" is not a known area code")
		case err != nil:
			return nil, err
		case !coversArea(p, ar):
			return nil, domain.FieldInvalid("areas", code+" is outside the areas you coordinate")
		}
		out = append(out, ar)
	}
	if len(out) > 0 {
		return out, nil
	}
	if !p.IsAdmin() {
		return p.User.Areas, nil
	}
	all, err := a.store.Areas(ctx, "", 10000)
	if err != nil {
		return nil, err
	}
	for _, ar := range all {
		if ar.ParentID == "" {
			out = append(out, ar)
		}
	}
	return out, nil
}

// eachHour calls fn with the local weekday (Monday 0) and hour of every
// hour of [start, end) clipped to [lo, hi), and the hour's start.
func eachHour(start, end, lo, hi time.Time, zone *time.Location, fn func(day, hour int, at time.Time)) {
	if start.Before(lo) {
		start = lo
	}
	if end.After(hi) {
		end = hi
	}
	for h := start.Truncate(time.Hour); h.Before(end); h = h.Add(time.Hour) {
		l := h.In(zone)
		fn((int(l.Weekday())+6)%7, l.Hour(), h)
	}
}

func (a *App) capacityDemand(ctx context.Context, ac *AreaCapacity, lo, hi time.Time) error {
	f := domain.ShiftFilter{AreaPath: ac.Area.Path, From: lo, To: hi, Limit: 2000}
	for {
		page, err := a.store.FindShifts(ctx, f)
		if err != nil {
			return err
		}
		for _, l := range page {
			if l.Shift.Status != domain.ShiftScheduled || l.Demand.Status != domain.DemandActive {
				continue
			}
			places := 0
			for _, pl := range l.Shift.Places {
				places += pl.Headcount
			}
			eachHour(l.Shift.Start, l.Shift.End, lo, hi, a.Config.TimeZone, func(day, hour int, _ time.Time) {
				ac.Cells[day][hour].Demand += places
			})
		}
		if len(page) < f.Limit {
			return nil
		}
		last := page[len(page)-1].Shift
		f.AfterStart, f.AfterID = &last.Start, last.ID
	}
}

func (a *App) capacitySupply(ctx context.Context, ac *AreaCapacity, lo, hi time.Time) error {
	zone := a.Config.TimeZone
	f := domain.MemberFilter{AreaPaths: []string{ac.Area.Path}, Limit: 1000}
	for {
		members, err := a.store.Members(ctx, f)
		if err != nil {
			return err
		}
		for _, m := range members {
			if m.Status != domain.MemberActive {
				continue
			}
			if err := a.memberSupply(ctx, ac, m, lo, hi, zone); err != nil {
				return err
			}
		}
		if len(members) < f.Limit {
			return nil
		}
		f.After = members[len(members)-1].ID
	}
}

func (a *App) memberSupply(ctx context.Context, ac *AreaCapacity, m domain.Member, lo, hi time.Time, zone *time.Location) error {
	avs, err := a.store.Availability(ctx, m.ID)
	if err != nil || len(avs) == 0 {
		return err
	}
	leave, err := a.store.Leave(ctx, m.ID)
	if err != nil {
		return err
	}
	onLeave := func(t time.Time) bool {
		d := domain.DateOf(t.In(zone))
		for _, l := range leave {
			if !d.Before(l.From) && !l.To.Before(d) {
				return true
			}
		}
		return false
	}
	seen := map[int64]bool{}
	for _, av := range avs {
		s, err := storedSeries(av)
		if err != nil {
			continue // logged where the member's windows are expanded
		}
		occs, err := scheduling.ExpandBetween(s, lo, hi)
		if err != nil {
			continue
		}
		for _, o := range occs {
			eachHour(o.Start, o.End, lo, hi, zone, func(day, hour int, at time.Time) {
				if seen[at.Unix()] || onLeave(at) {
					return
				}
				seen[at.Unix()] = true
				ac.Cells[day][hour].Available++
			})
		}
	}
	return nil
}
