package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
	"github.com/copbank/copbank/scheduling"
)

// The coordinator's views: the areas they coordinate, the dates a demand
// would create, the fill board of a week, a shift's roster and the bookings
// waiting for approval. Each answers not found (or forbidden) to anyone who
// does not coordinate what is asked for.

// CoordinatedAreas lists, in code order, the areas the caller coordinates:
// every area for an admin; forbidden for anyone who coordinates none.
func (a *App) CoordinatedAreas(ctx context.Context, p *domain.Principal) ([]domain.Area, error) {
	if !isCoordinating(p) {
		return nil, forbidden("only coordinators and admins coordinate areas")
	}
	all, err := a.store.Areas(ctx, "", 10_000)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(area domain.Area) bool { return !coversArea(p, area) }), nil
}

// PreviewDemand expands a demand's timing by the rules PostDemand uses and
// returns the occurrences it would create, storing nothing. Errors are
// domain.Invalid with the same field names as PostDemand's.
func (a *App) PreviewDemand(ctx context.Context, p *domain.Principal, in DemandInput) ([]scheduling.Occurrence, error) {
	if !isCoordinating(p) {
		return nil, forbidden("only coordinators and admins post demand")
	}
	now := a.Now()
	d := domain.Demand{TimeZone: in.TimeZone, StartLocal: in.StartLocal, EndLocal: in.EndLocal,
		RRule: strings.TrimPrefix(in.RRule, "RRULE:"), ExDates: in.ExDates}
	series, fields := a.seriesOf(d)
	if len(fields) > 0 {
		return nil, domain.Invalid("the dates could not be worked out", fields...)
	}
	occurrences, err := scheduling.ExpandAll(series, scheduling.ShiftLimits(now))
	if err != nil {
		return nil, domain.Invalid("the dates could not be worked out", fieldsOf(err)...)
	}
	if !occurrences[0].Start.After(now) {
		return nil, domain.FieldInvalid("start_local", "is in the past: post demand for shifts yet to start")
	}
	return occurrences, nil
}

// BoardQuery asks for the fill board of one area (or all the caller's)
// between two instants.
type BoardQuery struct {
	Area     string // code; empty = every area the caller coordinates
	From, To time.Time
}

// Board lists the shifts of the caller's areas between From and To, soonest
// first, with their places, bookings and crew.
func (a *App) Board(ctx context.Context, p *domain.Principal, q BoardQuery) ([]ShiftView, error) {
	areas, err := a.CoordinatedAreas(ctx, p)
	if err != nil {
		return nil, err
	}
	var codes []string
	if q.Area != "" {
		if !slices.ContainsFunc(areas, func(area domain.Area) bool { return area.Code == q.Area }) {
			return nil, domain.FieldInvalid("area", "is not an area you coordinate")
		}
		codes = []string{q.Area}
	} else {
		// The top of each subtree is enough: a search covers what is below.
		for _, area := range areas {
			if !slices.ContainsFunc(areas, func(up domain.Area) bool { return up.ID != area.ID && area.Within(up.Path) }) {
				codes = append(codes, area.Code)
			}
		}
	}
	seen := map[string]bool{}
	var out []ShiftView
	for _, code := range codes {
		views, err := a.FindShifts(ctx, p, ShiftQuery{Area: code, From: q.From, To: q.To, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, v := range views {
			if !seen[v.Shift.ID] {
				seen[v.Shift.ID] = true
				out = append(out, v)
			}
		}
	}
	slices.SortStableFunc(out, func(x, y ShiftView) int { return x.Shift.Start.Compare(y.Shift.Start) })
	return out, nil
}

// ShiftRoster is a shift as its coordinator sees it: every booking, with the
// member's name.
type ShiftRoster struct {
	ShiftView
	Names map[string]string // member ID → name
}

// CoordinatorShift returns a shift in the caller's areas with every booking
// and the booked members' names; not found for anyone else.
func (a *App) CoordinatorShift(ctx context.Context, p *domain.Principal, id string) (ShiftRoster, error) {
	if !isCoordinating(p) {
		return ShiftRoster{}, notFound("shift")
	}
	v, err := a.GetShift(ctx, p, id)
	if err != nil {
		return ShiftRoster{}, err
	}
	area, err := a.store.AreaByID(ctx, v.Demand.AreaID)
	if err != nil {
		return ShiftRoster{}, err
	}
	if !coversArea(p, area) {
		return ShiftRoster{}, notFound("shift")
	}
	names, err := a.memberNames(ctx, v.Bookings)
	if err != nil {
		return ShiftRoster{}, err
	}
	return ShiftRoster{ShiftView: v, Names: names}, nil
}

func (a *App) memberNames(ctx context.Context, bookings []domain.Booking) (map[string]string, error) {
	names := map[string]string{}
	for _, b := range bookings {
		if _, ok := names[b.MemberID]; ok {
			continue
		}
		m, err := a.store.MemberByID(ctx, b.MemberID)
		if err != nil {
			return nil, err
		}
		names[b.MemberID] = m.Name
	}
	return names, nil
}

// Approval is a pending booking waiting for a coordinator.
type Approval struct {
	BookingView
	MemberName string
}

// PendingApprovals lists the pending self-bookings on shifts yet to end in
// the caller's areas, soonest shift first.
func (a *App) PendingApprovals(ctx context.Context, p *domain.Principal) ([]Approval, error) {
	if !isCoordinating(p) {
		return nil, forbidden("only coordinators and admins approve bookings")
	}
	now := a.Now()
	pending, err := a.store.BookingsBetween(ctx, now, now.Add(scheduling.ShiftHorizon+31*24*time.Hour), domain.BookingPending)
	if err != nil {
		return nil, err
	}
	covered := map[string]bool{}
	names, err := a.memberNames(ctx, pending)
	if err != nil {
		return nil, err
	}
	shiftIDs := make([]string, len(pending))
	for i, b := range pending {
		shiftIDs[i] = b.ShiftID
	}
	listings, err := a.store.ShiftsByIDs(ctx, shiftIDs)
	if err != nil {
		return nil, err
	}
	shifts := make(map[string]db.ShiftListing, len(listings))
	for _, l := range listings {
		shifts[l.Shift.ID] = l
	}
	var out []Approval
	for _, b := range pending {
		l, found := shifts[b.ShiftID]
		if !found {
			continue
		}
		sh, d := l.Shift, l.Demand
		ok, seen := covered[d.AreaID]
		if !seen {
			area, err := a.store.AreaByID(ctx, d.AreaID)
			if err != nil {
				return nil, err
			}
			ok = coversArea(p, area)
			covered[d.AreaID] = ok
		}
		if ok {
			out = append(out, Approval{BookingView: BookingView{Booking: b, Shift: sh, Demand: d}, MemberName: names[b.MemberID]})
		}
	}
	return out, nil
}

// ShiftLabel names a shift for a list: its demand's title and its times.
type ShiftLabel struct {
	Title     string
	Start     time.Time
	End       time.Time
	Zone      *time.Location
	Positions map[string]string // position ID → name
}

// ShiftLabels names the given shifts (for a match run's proposals and open
// places); shifts outside the caller's areas, or gone, are left out.
func (a *App) ShiftLabels(ctx context.Context, p *domain.Principal, ids []string) (map[string]ShiftLabel, error) {
	out := map[string]ShiftLabel{}
	covered := map[string]bool{}
	listings, err := a.store.ShiftsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, l := range listings {
		sh, d := l.Shift, l.Demand
		ok, seen := covered[d.AreaID]
		if !seen {
			area, err := a.store.AreaByID(ctx, d.AreaID)
			if err != nil {
				return nil, err
			}
			ok = coversArea(p, area)
			covered[d.AreaID] = ok
		}
		if !ok {
			continue
		}
		label := ShiftLabel{Title: d.Title, Start: sh.Start, End: sh.End, Zone: a.zoneOf(d), Positions: map[string]string{}}
		for _, pos := range d.Positions {
			label.Positions[pos.ID] = pos.Name
		}
		out[sh.ID] = label
	}
	return out, nil
}

// ExclusionWords says in plain words why n members could not fill a place.
func ExclusionWords(rule string, n int) string {
	words := domain.FailedWords([]string{rule})[0]
	who := "1 member"
	if n != 1 {
		who = fmt.Sprintf("%d members", n)
	}
	return who + ": " + words
}
