package app

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// The dashboard's figures: fill by week and by area,
// plain and priority-weighted; hours worked by kind of member; clearances
// expiring soon. A coordinator sees their areas, an admin everything.

const (
	// DashboardWeeksBack and DashboardWeeksAhead bound the weeks shown.
	DashboardWeeksBack  = 4
	DashboardWeeksAhead = 4
	// ExpiryWindowDays is how far ahead expiring clearances are counted.
	ExpiryWindowDays = 60
	// dashboardMaxAreas caps the areas charted; the rest are summed as "Other".
	dashboardMaxAreas = 20
)

// Fill counts places and those taken, plain and weighted by priority (1
// routine … 5 urgent), as the matcher's priority-weighted fill does.
type Fill struct {
	Places, Filled                 int
	WeightedPlaces, WeightedFilled float64
}

// Rate is the share of places filled, 0 when there are none.
func (f Fill) Rate() float64 {
	if f.Places == 0 {
		return 0
	}
	return float64(f.Filled) / float64(f.Places)
}

// WeightedRate is the priority-weighted share of places filled.
func (f Fill) WeightedRate() float64 {
	if f.WeightedPlaces == 0 {
		return 0
	}
	return f.WeightedFilled / f.WeightedPlaces
}

func (f *Fill) add(places, filled, priority int) {
	w := float64(max(priority, 1))
	f.Places += places
	f.Filled += filled
	f.WeightedPlaces += w * float64(places)
	f.WeightedFilled += w * float64(filled)
}

// WeekFill is the fill of the shifts starting in the week from Start (a Monday).
type WeekFill struct {
	Start domain.Date
	Fill
}

// AreaFill is the fill of the shifts in an area and below it.
type AreaFill struct {
	Code, Name string
	Fill
}

// KindHours is the hours booked (confirmed) or worked (attended) by members
// of a kind; a member of several kinds counts under the most demanding.
type KindHours struct {
	Kind  domain.Kind
	Hours float64
}

// ExpiryWeek counts active clearances whose last day falls in the week from
// Start.
type ExpiryWeek struct {
	Start domain.Date
	Count int
}

// ExpiryType counts expiring clearances of one type.
type ExpiryType struct {
	Type  domain.ClearanceType
	Count int
}

// Dashboard is the figures for the caller's areas over [From, To): whole
// weeks, Monday to Monday, in the force's zone.
type Dashboard struct {
	From, To      domain.Date
	Today         domain.Date
	Total         Fill
	Weeks         []WeekFill
	Areas         []AreaFill
	Hours         []KindHours
	ExpiringWeeks []ExpiryWeek
	ExpiringTypes []ExpiryType
	Expiring      int
}

// kindOrder is the order kinds are charted in, and the precedence of a
// member of several.
var kindOrder = []domain.Kind{domain.KindBankOfficer, domain.KindVolunteer, domain.KindMentor}

// Dashboard gathers the dashboard for a coordinator (their areas) or an
// admin (every area); forbidden for anyone else.
func (a *App) Dashboard(ctx context.Context, p *domain.Principal) (Dashboard, error) {
	if !isCoordinating(p) {
		return Dashboard{}, forbidden("only a coordinator or an admin has a dashboard")
	}
	zone := a.Config.TimeZone
	today := domain.DateOf(a.Now().In(zone))
	monday := today.AddDays(-((int(today.Start(zone).Weekday()) + 6) % 7))
	d := Dashboard{Today: today, From: monday.AddDays(-7 * DashboardWeeksBack), To: monday.AddDays(7 * DashboardWeeksAhead)}
	for w := d.From; w.Before(d.To); w = w.AddDays(7) {
		d.Weeks = append(d.Weeks, WeekFill{Start: w})
	}

	areas, err := a.store.Areas(ctx, "", 100000)
	if err != nil {
		return Dashboard{}, err
	}
	byID := make(map[string]domain.Area, len(areas))
	for _, ar := range areas {
		byID[ar.ID] = ar
	}
	scope := dashboardScope(p, areas)
	group := areaGrouper(scope, byID)

	shifts, err := a.scopedShifts(ctx, scope, d.From.Start(zone), d.To.Start(zone))
	if err != nil {
		return Dashboard{}, err
	}
	bookings, err := a.store.BookingsBetween(ctx, d.From.Start(zone), d.To.Start(zone), domain.BookingOffered, domain.BookingPending,
		domain.BookingConfirmed, domain.BookingAttended, domain.BookingNoShow)
	if err != nil {
		return Dashboard{}, err
	}
	type placeKey struct{ shift, position string }
	taken := map[placeKey]int{}
	var counted []domain.Booking
	for _, b := range bookings {
		if _, ok := shifts[b.ShiftID]; !ok {
			continue
		}
		taken[placeKey{b.ShiftID, b.PositionID}]++
		if b.Status == domain.BookingConfirmed || b.Status == domain.BookingAttended {
			counted = append(counted, b)
		}
	}

	byArea := map[string]*AreaFill{}
	for _, l := range shifts {
		sh := l.Shift
		if sh.Status != domain.ShiftScheduled || l.Demand.Status == domain.DemandCancelled {
			continue
		}
		week := daysBetween(d.From, domain.DateOf(sh.Start.In(zone))) / 7
		if sh.Start.Before(d.From.Start(zone)) || week >= len(d.Weeks) {
			continue
		}
		ga := group(sh.AreaID)
		af, ok := byArea[ga.ID]
		if !ok {
			af = &AreaFill{Code: ga.Code, Name: ga.Name}
			byArea[ga.ID] = af
		}
		for _, pl := range sh.Places {
			filled := min(taken[placeKey{sh.ID, pl.PositionID}], pl.Headcount)
			d.Weeks[week].add(pl.Headcount, filled, l.Demand.Priority)
			af.add(pl.Headcount, filled, l.Demand.Priority)
			d.Total.add(pl.Headcount, filled, l.Demand.Priority)
		}
	}
	d.Areas = topAreas(byArea)

	members, err := a.scopedMembers(ctx, p)
	if err != nil {
		return Dashboard{}, err
	}
	d.Hours = hoursByKind(counted, members)

	clearances, err := a.store.ClearancesByMember(ctx)
	if err != nil {
		return Dashboard{}, err
	}
	d.expiring(today, monday, clearances, members)
	return d, nil
}

// dashboardScope is the areas the caller sees: every root for an admin, a
// coordinator's own areas (each with everything below it).
func dashboardScope(p *domain.Principal, areas []domain.Area) []domain.Area {
	if !p.IsAdmin() {
		return p.User.Areas
	}
	var roots []domain.Area
	for _, ar := range areas {
		if ar.ParentID == "" {
			roots = append(roots, ar)
		}
	}
	return roots
}

// areaGrouper maps an area to the one it is charted under: with a single
// scope area, its children (so a force shows its local authorities);
// otherwise the scope areas themselves.
func areaGrouper(scope []domain.Area, byID map[string]domain.Area) func(id string) domain.Area {
	return func(id string) domain.Area {
		ar, ok := byID[id]
		if !ok {
			return domain.Area{ID: id, Code: "?", Name: "Unknown area"}
		}
		for _, s := range scope {
			if !ar.Within(s.Path) {
				continue
			}
			if len(scope) > 1 || ar.ID == s.ID {
				return s
			}
			rest := strings.Split(strings.Trim(strings.TrimPrefix(ar.Path, s.Path), "/"), "/")
			if child, ok := byID[rest[0]]; ok {
				return child
			}
			return s
		}
		return ar
	}
}

// scopedShifts returns the shifts starting in [from, to) in the scope areas,
// by ID.
func (a *App) scopedShifts(ctx context.Context, scope []domain.Area, from, to time.Time) (map[string]db.ShiftListing, error) {
	out := map[string]db.ShiftListing{}
	for _, s := range scope {
		f := domain.ShiftFilter{AreaPath: s.Path, From: from, To: to, Limit: 2000}
		for {
			page, err := a.store.FindShifts(ctx, f)
			if err != nil {
				return nil, err
			}
			for _, l := range page {
				if !l.Shift.Start.Before(from) {
					out[l.Shift.ID] = l
				}
			}
			if len(page) < f.Limit {
				break
			}
			last := page[len(page)-1].Shift
			f.AfterStart, f.AfterID = &last.Start, last.ID
		}
	}
	return out, nil
}

// scopedMembers returns the members the caller manages, by ID.
func (a *App) scopedMembers(ctx context.Context, p *domain.Principal) (map[string]domain.Member, error) {
	out := map[string]domain.Member{}
	after := ""
	for {
		page, err := a.Members(ctx, p, "", after, 1000)
		if err != nil {
			return nil, err
		}
		for _, m := range page {
			out[m.ID] = m
		}
		if len(page) < 1000 {
			return out, nil
		}
		after = page[len(page)-1].ID
	}
}

// topAreas orders areas by code, summing those past the cap as "Other".
func topAreas(byArea map[string]*AreaFill) []AreaFill {
	var out []AreaFill
	for _, af := range byArea {
		out = append(out, *af)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Places > out[j].Places || out[i].Places == out[j].Places && out[i].Code < out[j].Code
	})
	if len(out) > dashboardMaxAreas {
		other := AreaFill{Code: "", Name: "Other areas"}
		for _, af := range out[dashboardMaxAreas-1:] {
			other.Places += af.Places
			other.Filled += af.Filled
			other.WeightedPlaces += af.WeightedPlaces
			other.WeightedFilled += af.WeightedFilled
		}
		out = append(out[:dashboardMaxAreas-1], other)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[j].Code == "" || out[i].Code != "" && out[i].Code < out[j].Code })
	return out
}

// hoursByKind sums the hours of confirmed and attended bookings (attended
// ones by the times recorded, when there are) by the member's kind.
func hoursByKind(bookings []domain.Booking, members map[string]domain.Member) []KindHours {
	hours := map[domain.Kind]float64{}
	for _, b := range bookings {
		m, ok := members[b.MemberID]
		if !ok {
			continue
		}
		h := b.Hours()
		if b.Status == domain.BookingAttended && b.ActualStart != nil && b.ActualEnd != nil && b.ActualEnd.After(*b.ActualStart) {
			h = b.ActualEnd.Sub(*b.ActualStart).Hours()
		}
		for _, k := range kindOrder {
			if slices.Contains(m.Kinds, k) {
				hours[k] += h
				break
			}
		}
	}
	out := make([]KindHours, 0, len(kindOrder))
	for _, k := range kindOrder {
		out = append(out, KindHours{Kind: k, Hours: hours[k]})
	}
	return out
}

// expiring counts the active clearances of the caller's members whose last
// day falls in the next ExpiryWindowDays days, by week and by type.
func (d *Dashboard) expiring(today, monday domain.Date, clearances map[string][]domain.Clearance, members map[string]domain.Member) {
	end := today.AddDays(ExpiryWindowDays + 1) // ExpiresOn is the first day no longer held
	for w := monday; w.Before(end); w = w.AddDays(7) {
		d.ExpiringWeeks = append(d.ExpiringWeeks, ExpiryWeek{Start: w})
	}
	byType := map[domain.ClearanceType]int{}
	for id, cs := range clearances {
		if _, ok := members[id]; !ok {
			continue
		}
		for _, c := range cs {
			if c.Status != domain.ClearanceActive || !today.Before(c.ExpiresOn) || !c.ExpiresOn.Before(end) {
				continue
			}
			if i := daysBetween(monday, c.ExpiresOn.AddDays(-1)) / 7; i >= 0 && i < len(d.ExpiringWeeks) {
				d.ExpiringWeeks[i].Count++
			}
			byType[c.Type]++
			d.Expiring++
		}
	}
	for _, t := range []domain.ClearanceType{domain.NPPV1, domain.NPPV2, domain.NPPV3, domain.DBSEnhancedChildren, domain.DBSEnhancedAdults} {
		d.ExpiringTypes = append(d.ExpiringTypes, ExpiryType{Type: t, Count: byType[t]})
	}
}

// daysBetween counts the calendar days from a to b.
func daysBetween(a, b domain.Date) int {
	return int(b.Start(time.UTC).Sub(a.Start(time.UTC)).Round(24*time.Hour) / (24 * time.Hour))
}
