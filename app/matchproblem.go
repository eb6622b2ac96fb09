package app

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
	"github.com/copbank/copbank/scheduling"
	"github.com/copbank/copbank/scheduling/solver"
)

// matchModel is a solver problem and what its indexes stand for.
type matchModel struct {
	problem *solver.Problem
	// places are the slots to fill, in problem order; slots after them are
	// members' other bookings, there so that overlap, rest and caps see them.
	places  []matchPlace
	members []domain.Member
	day0    time.Time
	// km is the distance from home of each candidate (slot, worker) whose
	// distance is known.
	km map[[2]int]float64
	// failed holds, for the one member a why-not asks about, the rules
	// they fail on each place (by slot).
	failed map[int][]string
}

type matchPlace struct {
	shift    domain.Shift
	demand   domain.Demand
	position domain.Position
	area     domain.Area
}

// buildMatch turns the open places of a date range and area set into a
// solver problem over every active member. Static booking rules are decided
// here per member and place (and counted by name when they exclude); rules
// that depend on other assignments are modelled for the solver. weights
// scale the soft terms; the rules failed by the member whyNot (when set) are
// kept per place.
func (a *App) buildMatch(ctx context.Context, areaPaths []string, from, to time.Time, weights map[string]float64, whyNot string) (*matchModel, error) {
	zone := a.Config.TimeZone
	now := a.Now()
	m := &matchModel{km: map[[2]int]float64{}, failed: map[int][]string{}}
	// Day 0 is the Monday of the first week so that weekly caps are ISO weeks.
	m.day0 = domain.ISOWeekStart(from, zone)
	days := int(math.Ceil(to.Sub(m.day0).Hours()/24/7)) * 7
	p := &solver.Problem{Days: max(days, 7), FirstWeekday: 0, Weights: solverWeights(weights)}
	m.problem = p

	listings, err := a.matchListings(ctx, areaPaths, laterOf(from, now), to)
	if err != nil {
		return nil, err
	}
	all, err := a.store.Members(ctx, domain.MemberFilter{Limit: math.MaxInt32})
	if err != nil {
		return nil, err
	}
	for _, mem := range all {
		if mem.Status == domain.MemberActive {
			m.members = append(m.members, mem)
		}
	}
	workerOf := make(map[string]int, len(m.members))
	for i, mem := range m.members {
		workerOf[mem.ID] = i
	}
	skills, err := a.store.SkillsByMember(ctx)
	if err != nil {
		return nil, err
	}
	clearances, err := a.store.ClearancesByMember(ctx)
	if err != nil {
		return nil, err
	}
	leave, err := a.store.LeaveByMember(ctx, domain.DateOf(m.day0.In(zone)))
	if err != nil {
		return nil, err
	}
	availability, err := a.store.AvailabilityByMember(ctx)
	if err != nil {
		return nil, err
	}
	horizonEnd := m.day0.AddDate(0, 0, p.Days)
	bookings, err := a.store.BookingsBetween(ctx, m.day0, horizonEnd, domain.BookingOffered, domain.BookingPending,
		domain.BookingConfirmed, domain.BookingWaitlisted)
	if err != nil {
		return nil, err
	}
	windows := map[string][]scheduling.Occurrence{}
	for memberID, avs := range availability {
		for _, av := range avs {
			series, err := storedSeries(av)
			if err != nil {
				continue // a window we cannot read offers no time
			}
			occ, err := scheduling.ExpandBetween(series, m.day0, horizonEnd)
			if err == nil {
				windows[memberID] = append(windows[memberID], outsideLeave(occ, leave[memberID], zone)...)
			}
		}
	}

	p.Workers = make([]solver.Worker, len(m.members))
	for i, mem := range m.members {
		p.Workers[i] = a.matchWorker(mem, m.day0, p.Days, len(availability[mem.ID]) > 0)
		p.Workers[i].Limits = slices.DeleteFunc(p.Workers[i].Limits, func(l solver.Limit) bool {
			return l.Name == domain.TermTargetHoursPer4Weeks && p.Weights.TargetPerHour == 0
		})
		for j, l := range p.Workers[i].Limits {
			if l.Name == domain.TermTargetHoursPer4Weeks {
				p.Workers[i].Limits[j].Weight = max(1, p.Weights.TargetPerHour/60)
			}
		}
	}

	type placeKey struct{ shift, position string }
	slotOf := map[placeKey]int{}
	areas := map[string]domain.Area{}
	for _, l := range listings {
		area, ok := areas[l.Demand.AreaID]
		if !ok {
			if area, err = a.store.AreaByID(ctx, l.Demand.AreaID); err != nil {
				return nil, err
			}
			areas[l.Demand.AreaID] = area
		}
		for _, pl := range l.Shift.Places {
			if pl.PlacesLeft() == 0 {
				continue
			}
			pos := positionOf(l.Demand, pl.PositionID)
			slotOf[placeKey{l.Shift.ID, pos.ID}] = len(p.Slots)
			m.places = append(m.places, matchPlace{shift: l.Shift, demand: l.Demand, position: pos, area: area})
			p.Slots = append(p.Slots, a.matchSlot(m, l.Shift, l.Demand, pos, pl))
		}
	}
	waitlisted := map[placeKey]map[string]bool{}
	for _, b := range bookings {
		key := placeKey{b.ShiftID, b.PositionID}
		if b.Status == domain.BookingWaitlisted {
			if waitlisted[key] == nil {
				waitlisted[key] = map[string]bool{}
			}
			waitlisted[key][b.MemberID] = true
			continue
		}
		w, ok := workerOf[b.MemberID]
		s, onPlace := slotOf[key]
		if !ok {
			// A member no longer active still holds the place: fewer to fill.
			if onPlace {
				p.Slots[s].Demand--
			}
			continue
		}
		if !onPlace {
			// A booking elsewhere: a slot of its own, fully taken, so the
			// solver sees the member busy then.
			s = len(p.Slots)
			p.Slots = append(p.Slots, solver.Slot{ID: "busy:" + b.ID, Day: m.dayOf(b.Start, zone), Start: m.minutes(b.Start),
				End: m.minutes(b.End), Demand: 1, HardOver: true})
		}
		p.Fixed = append(p.Fixed, solver.Assignment{Slot: s, Worker: w})
	}

	booked := supervisorsBooked(m, bookings, skills, clearances, zone)
	for s, pl := range m.places {
		slot := &p.Slots[s]
		slot.Excluded = map[string]int{}
		slot.Shift, slot.Supervisors = pl.shift.ID, booked[pl.shift.ID]
		held := waitlisted[placeKey{pl.shift.ID, pl.position.ID}]
		place := domain.Place{PositionID: pl.position.ID, Headcount: 1}
		loc := a.placeLocation(ctx, pl.demand)
		for w, mem := range m.members {
			check := domain.BookingCheck{Now: now, Member: mem, Skills: skills[mem.ID], Clearances: clearances[mem.ID],
				Leave: leave[mem.ID], Demand: pl.demand, Position: pl.position, Shift: pl.shift, Place: place, Zone: zone,
				Supervised: true} // supervised is decided across places, by the solver
			failed := domain.CheckEligibility(check)
			if held[mem.ID] {
				failed = append(failed, domain.RuleAlreadyBooked)
			}
			if len(availability[mem.ID]) > 0 && !insideWindow(windows[mem.ID], pl.shift) {
				failed = append(failed, domain.RuleInAvailability)
			}
			km, known := homeDistanceKm(mem.Lat, mem.Lon, loc)
			if known && km > mem.TravelKm {
				failed = append(failed, domain.RuleWithinTravel)
			}
			if mem.ID == whyNot {
				m.failed[s] = failed
			}
			if len(failed) > 0 {
				for _, r := range failed {
					slot.Excluded[r]++
				}
				continue
			}
			if known {
				m.km[[2]int{s, w}] = km
			}
			slot.Candidates = append(slot.Candidates, solver.Candidate{Worker: w, DistanceKm: int64(math.Round(km)),
				Preference: preference(mem.Preferences, pl.shift.Start.In(zone)), Cost: payCost(pl.position.PayBand, pl.shift),
				Supervised: domain.NeedsSupervision(clearances[mem.ID], pl.position, pl.shift, zone),
				Supervisor: domain.CanSupervise(skills[mem.ID], pl.shift, zone)})
		}
	}
	return m, nil
}

// matchListings loads the shifts to fill, once each even when areas overlap.
func (a *App) matchListings(ctx context.Context, areaPaths []string, from, to time.Time) ([]db.ShiftListing, error) {
	if areaPaths == nil {
		areaPaths = []string{""}
	}
	seen := map[string]bool{}
	var out []db.ShiftListing
	for _, path := range areaPaths {
		ls, err := a.store.FindShifts(ctx, domain.ShiftFilter{AreaPath: path, From: from, To: to, OpenOnly: true, Limit: math.MaxInt32})
		if err != nil {
			return nil, err
		}
		for _, l := range ls {
			if !seen[l.Shift.ID] && l.Shift.Start.After(from) {
				seen[l.Shift.ID] = true
				out = append(out, l)
			}
		}
	}
	slices.SortFunc(out, func(x, y db.ShiftListing) int { return x.Shift.Start.Compare(y.Shift.Start) })
	return out, nil
}

func (m *matchModel) minutes(t time.Time) int64 { return int64(t.Sub(m.day0) / time.Minute) }

// dayOf is the local calendar day of t counted from day 0: an overnight
// shift belongs to the day of its start, whatever the clocks did.
func (m *matchModel) dayOf(t time.Time, zone *time.Location) int {
	d0 := domain.DateOf(m.day0.In(zone)).Start(time.UTC)
	dt := domain.DateOf(t.In(zone)).Start(time.UTC)
	return int(dt.Sub(d0).Hours() / 24)
}

func (a *App) matchSlot(m *matchModel, sh domain.Shift, d domain.Demand, pos domain.Position, pl domain.Place) solver.Slot {
	zone := a.Config.TimeZone
	series := "demand:" + d.ID + ":" + pos.ID
	if d.MenteeRef != "" {
		series = "mentee:" + d.MenteeRef
	}
	return solver.Slot{ID: sh.ID + "/" + pos.ID, Day: m.dayOf(sh.Start, zone), Start: m.minutes(sh.Start), End: m.minutes(sh.End),
		Demand: pl.Headcount, Priority: d.Priority, UnderWeight: m.problem.Weights.Unfilled(d.Priority), HardOver: true,
		Paid: pos.PayBand != "", Series: series}
}

// matchWorker states a member's limits in the solver's terms.
func (a *App) matchWorker(mem domain.Member, day0 time.Time, days int, offered bool) solver.Worker {
	w := solver.Worker{ID: mem.ID, MinRestMinutes: int(mem.MinRestHours * 60), OfferedTime: offered}
	capMinutes := int(math.Max(0, (mem.MaxHoursPerWeek-mem.ContractedHoursPerWeek)*60))
	for week := 0; week*7 < days; week++ {
		w.Limits = append(w.Limits, solver.Limit{Name: domain.RuleWeeklyCap, Measure: solver.Minutes, Category: solver.AnyCategory,
			From: week * 7, To: week*7 + 7, Max: capMinutes, Hard: true})
		if n := mem.Limits.MaxShiftsPerWeek; n != nil {
			w.Limits = append(w.Limits, solver.Limit{Name: domain.RuleMaxShiftsPerWeek, Measure: solver.Shifts, Category: solver.AnyCategory,
				From: week * 7, To: week*7 + 7, Max: *n, Hard: true})
		}
	}
	for start := 0; start < days; start += 28 {
		if n := mem.Limits.MaxWeekendsPer4Weeks; n != nil {
			w.Limits = append(w.Limits, solver.Limit{Name: domain.RuleMaxWeekendsPer4Weeks, Measure: solver.Weekends, Category: solver.AnyCategory,
				From: start, To: start + 28, Max: *n, Hard: true})
		}
		if target := mem.Limits.TargetHoursPer4Weeks; target != nil {
			minutes := int(*target * 60)
			w.Limits = append(w.Limits, solver.Limit{Name: domain.TermTargetHoursPer4Weeks, Measure: solver.Minutes, Category: solver.AnyCategory,
				From: start, To: start + 28, Min: minutes, Max: minutes, Weight: max(1, solver.DefaultWeights().TargetPerHour/60)})
		}
	}
	if n := mem.Limits.MaxConsecutiveDays; n != nil {
		w.Runs.MaxWork = *n
	}
	if n := mem.Limits.MinDaysOffBetweenRuns; n != nil {
		w.Runs.MinOff = *n
	}
	return w
}

type point struct{ lat, lon float64 }

// placeLocation is where the shift meets: its location, else its area's centre.
func (a *App) placeLocation(ctx context.Context, d domain.Demand) *point {
	if d.Location != nil && d.Location.Lat != nil && d.Location.Lon != nil {
		return &point{*d.Location.Lat, *d.Location.Lon}
	}
	area, err := a.store.AreaByID(ctx, d.AreaID)
	if err == nil && area.Lat != nil && area.Lon != nil {
		return &point{*area.Lat, *area.Lon}
	}
	return nil
}

// homeDistanceKm is the great-circle distance from a member's home; unknown
// when either end has no coordinates.
func homeDistanceKm(lat, lon *float64, to *point) (float64, bool) {
	if lat == nil || lon == nil || to == nil {
		return 0, false
	}
	return domain.DistanceKm(*lat, *lon, to.lat, to.lon), true
}

func insideWindow(windows []scheduling.Occurrence, sh domain.Shift) bool {
	return slices.ContainsFunc(windows, func(o scheduling.Occurrence) bool {
		return !sh.Start.Before(o.Start) && !sh.End.After(o.End)
	})
}

// preference is +1 for a day or time the member would rather not, -1 for one
// they asked for.
func preference(pr domain.Preferences, start time.Time) int64 {
	day := strings.ToLower(start.Weekday().String()[:3])
	var part string
	switch h := start.Hour(); {
	case h >= 6 && h < 12:
		part = "morning"
	case h >= 12 && h < 18:
		part = "afternoon"
	case h >= 18 && h < 22:
		part = "evening"
	default:
		part = "night"
	}
	var p int64
	if slices.Contains(pr.DaysOff, day) || slices.Contains(pr.TimesOff, part) {
		p++
	}
	if slices.Contains(pr.DaysOn, day) || slices.Contains(pr.TimesOn, part) {
		p--
	}
	return p
}

// payCost prices a paid place: band number × hours, so cheaper bands are
// preferred only when nothing weightier decides.
func payCost(band string, sh domain.Shift) int64 {
	return payLevel(band) * int64(math.Ceil(sh.Duration().Hours()))
}

// payLevel is a pay band's level, its last digit (1 when it has none); 0
// for an unpaid place.
func payLevel(band string) int64 {
	if len(band) < 2 {
		return 0
	}
	level := int64(band[len(band)-1] - '0')
	if level < 0 || level > 9 {
		level = 1
	}
	return level
}

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
