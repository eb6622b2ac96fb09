package app

import (
	"context"
	"slices"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// ShiftQuery searches shifts.
type ShiftQuery struct {
	Area     string // code: shifts posted at or below it
	From, To time.Time
	Open     bool   // only shifts with a place left, not started or cancelled
	Eligible bool   // only shifts the calling member may book now
	Skill    string // code: only shifts with a position that requires it
	After    string
	Limit    int
}

// ShiftView is a shift as one caller may see it.
type ShiftView struct {
	Shift  domain.Shift
	Demand domain.Demand
	// Failed holds, per position ID, the rules the calling member fails
	// (empty = bookable); nil when the caller is not a member.
	Failed map[string][]string
	// Mine are the caller's own bookings on this shift.
	Mine []domain.Booking
	// Crew are the names on the shift: shown to those who share it and to
	// its coordinators, never to anyone else.
	Crew []db.CrewMember
	// Bookings are every booking on the shift, for its coordinators, and
	// Names their members' names by member ID.
	Bookings []domain.Booking
	Names    map[string]string
	// HomeKm is the distance from the calling member's home to where the
	// shift meets; nil when either is unknown.
	HomeKm *float64
}

// AtRisk reports a shift due within 48 hours with a position below its
// minimum headcount: its coordinators need to know.
func (v ShiftView) AtRisk(now time.Time) bool {
	if v.Shift.Status != domain.ShiftScheduled || !now.Before(v.Shift.Start) || v.Shift.Start.Sub(now) > 48*time.Hour {
		return false
	}
	for _, pl := range v.Shift.Places {
		pos := positionOf(v.Demand, pl.PositionID)
		if pos.MinHeadcount != nil && pl.Taken < *pos.MinHeadcount {
			return true
		}
	}
	return false
}

// Bookable reports whether the calling member may book some position.
func (v ShiftView) Bookable() bool {
	for _, rules := range v.Failed {
		if len(rules) == 0 {
			return true
		}
	}
	return false
}

// FindShifts searches the force's shifts. Every signed-in user sees every
// shift with its places left; a member also sees, per position, the rules
// they fail. Cursor: the last shift's start and id.
func (a *App) FindShifts(ctx context.Context, p *domain.Principal, q ShiftQuery) ([]ShiftView, error) {
	now := a.Now()
	if q.From.IsZero() {
		// People look for shifts to come unless they ask for the past.
		q.From = now
	}
	f := domain.ShiftFilter{From: q.From, To: q.To, OpenOnly: q.Open || q.Eligible, Limit: q.Limit}
	if q.Area != "" {
		area, err := a.store.AreaByCode(ctx, q.Area)
		if domain.ErrorCode(err) == domain.ENotFound {
			return nil, domain.FieldInvalid("area", "is not a known area code")
		}
		if err != nil {
			return nil, err
		}
		f.AreaPath = area.Path
	}
	if q.Skill != "" {
		// An unknown code would match nothing: say so rather than answer an
		// empty list that looks like "no shifts need it".
		if _, err := a.store.SkillByCode(ctx, q.Skill); domain.ErrorCode(err) == domain.ENotFound {
			return nil, domain.FieldInvalid("skill", "is not a skill code in the catalogue")
		} else if err != nil {
			return nil, err
		}
	}
	if q.Eligible && p.User.MemberID == "" {
		return nil, domain.FieldInvalid("eligible", "needs a member's sign-in: it filters to what the caller may book")
	}
	if q.After != "" {
		start, id, ok := parseShiftCursor(q.After)
		if !ok {
			return nil, domain.FieldInvalid("cursor", "is not a cursor this service gave out")
		}
		f.AfterStart, f.AfterID = &start, id
	}
	var out []ShiftView
	// An eligibility filter drops rows after the query; fetch more pages
	// until the page is full or the shifts run out.
	for round := 0; round < 20 && len(out) < q.Limit; round++ {
		listings, err := a.store.FindShifts(ctx, f)
		if err != nil {
			return nil, err
		}
		views, err := a.viewShifts(ctx, p, listings, now)
		if err != nil {
			return nil, err
		}
		for _, v := range views {
			if q.Eligible && !v.Bookable() {
				continue
			}
			if q.Skill != "" && !requiresSkill(v.Demand, q.Skill) {
				continue
			}
			if len(out) < q.Limit {
				out = append(out, v)
			}
		}
		if len(listings) < f.Limit {
			break
		}
		last := listings[len(listings)-1].Shift
		f.AfterStart, f.AfterID = &last.Start, last.ID
	}
	return out, nil
}

// ShiftCursor is the cursor after a shift in a search.
func ShiftCursor(s domain.Shift) string {
	return s.Start.UTC().Format(time.RFC3339Nano) + "|" + s.ID
}

func parseShiftCursor(c string) (time.Time, string, bool) {
	i := len(c) - 1
	for i >= 0 && c[i] != '|' {
		i--
	}
	if i < 0 {
		return time.Time{}, "", false
	}
	t, err := time.Parse(time.RFC3339Nano, c[:i])
	return t, c[i+1:], err == nil
}

// GetShift returns one shift as the caller may see it.
func (a *App) GetShift(ctx context.Context, p *domain.Principal, id string) (ShiftView, error) {
	sh, d, err := a.store.ShiftByID(ctx, id)
	if err != nil {
		return ShiftView{}, err
	}
	views, err := a.viewShifts(ctx, p, []db.ShiftListing{{Shift: sh, Demand: d}}, a.Now())
	if err != nil {
		return ShiftView{}, err
	}
	v := views[0]
	if len(v.Bookings) > 0 {
		// Coordinators in scope see who is booked and waiting, by name.
		if v.Names, err = a.rosterNames(ctx, a.store, v.Bookings); err != nil {
			return ShiftView{}, err
		}
	}
	return v, nil
}

func (a *App) viewShifts(ctx context.Context, p *domain.Principal, listings []db.ShiftListing, now time.Time) ([]ShiftView, error) {
	views := make([]ShiftView, len(listings))
	if len(listings) == 0 {
		return views, nil
	}
	var mc *memberContext
	if p.User.MemberID != "" {
		loaded, err := a.loadMemberContext(ctx, a.store, p.User.MemberID, listings[0].Shift.Start, listings[len(listings)-1].Shift.End)
		if err != nil {
			return nil, err
		}
		mc = &loaded
	}
	areas := map[string]bool{}
	for i, l := range listings {
		v := ShiftView{Shift: l.Shift, Demand: l.Demand}
		covered, seen := areas[l.Demand.AreaID]
		if !seen {
			area, err := a.store.AreaByID(ctx, l.Demand.AreaID)
			if err != nil {
				return nil, err
			}
			covered = coversArea(p, area)
			areas[l.Demand.AreaID] = covered
		}
		if mc != nil {
			if km, ok := homeDistanceKm(mc.member.Lat, mc.member.Lon, a.placeLocation(ctx, l.Demand)); ok {
				v.HomeKm = &km
			}
			v.Failed = map[string][]string{}
			for _, b := range mc.bookings {
				if b.ShiftID == l.Shift.ID {
					v.Mine = append(v.Mine, b)
				}
			}
			for _, place := range l.Shift.Places {
				pos := positionOf(l.Demand, place.PositionID)
				check := mc.check(l.Demand, pos, l.Shift, place, now, a.zoneOf(l.Demand), "")
				check.SelfBooking = true
				if err := a.seeSupervision(ctx, a.store, &check); err != nil {
					return nil, err
				}
				check.AlreadyHolds = slices.ContainsFunc(v.Mine, func(b domain.Booking) bool { return b.PositionID == place.PositionID })
				// The member's own booking on this shift is not a clash with itself.
				check.Others = slices.DeleteFunc(check.Others, func(b domain.Booking) bool { return b.ShiftID == l.Shift.ID && b.PositionID == place.PositionID })
				v.Failed[place.PositionID] = orNone(domain.CheckBooking(check))
			}
		}
		sharesShift := slices.ContainsFunc(v.Mine, func(b domain.Booking) bool { return b.Status.Active() })
		if covered || sharesShift {
			crew, err := a.store.Crew(ctx, l.Shift.ID)
			if err != nil {
				return nil, err
			}
			v.Crew = crew
		}
		if covered {
			bookings, err := a.store.ShiftBookings(ctx, l.Shift.ID)
			if err != nil {
				return nil, err
			}
			v.Bookings = bookings
		}
		views[i] = v
	}
	return views, nil
}

func requiresSkill(d domain.Demand, code string) bool {
	return slices.ContainsFunc(d.Positions, func(pos domain.Position) bool { return slices.Contains(pos.Skills, code) })
}

func orNone(rules []string) []string {
	if rules == nil {
		return []string{}
	}
	return rules
}
