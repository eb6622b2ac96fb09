package app

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
	"github.com/copbank/copbank/scheduling"
)

// NewAvailability is the input for an availability window.
type NewAvailability struct {
	StartLocal      string // YYYY-MM-DDTHH:MM
	DurationMinutes int
	TimeZone        string // "" = the force's zone
	RRule           string // "" = once
	Until           string // YYYY-MM-DD, inclusive; "" = no end but the rule's
}

// maxAvailabilityMinutes is the longest single window: a week.
const maxAvailabilityMinutes = 7 * 24 * 60

// AddAvailability registers a window for a member (themselves or one they
// manage). The rule is checked by scheduling.ValidateSeries: HOURLY and finer
// frequencies, COUNT with UNTIL and the like are refused by field.
func (a *App) AddAvailability(ctx context.Context, p *domain.Principal, memberID string, in NewAvailability) (domain.Availability, error) {
	var out domain.Availability
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		var err error
		out, err = a.addAvailability(ctx, tx, p, memberID, in)
		return err
	})
	return out, err
}

func (a *App) addAvailability(ctx context.Context, tx *db.Store, p *domain.Principal, memberID string, in NewAvailability) (domain.Availability, error) {
	m, _, err := a.reachMember(ctx, tx, p, memberID)
	if err != nil {
		return domain.Availability{}, err
	}
	s, err := a.availabilitySeries(in)
	if err != nil {
		return domain.Availability{}, err
	}
	av := domain.Availability{ID: NewID(), MemberID: m.ID, StartLocal: s.Start.String(), DurationMinutes: in.DurationMinutes,
		TimeZone: s.Location.String(), RRule: s.RRule, CreatedAt: a.Now()}
	if s.Until != nil {
		d, _ := domain.ParseDate(s.Until.String())
		av.Until = &d
	}
	if err := tx.CreateAvailability(ctx, av); err != nil {
		return domain.Availability{}, err
	}
	return av, a.audit(ctx, tx, p, auditEvent{action: "availability.create", entity: "availability", entityID: av.ID, memberID: m.ID,
		after: map[string]any{"member_id": m.ID}})
}

func (a *App) availabilitySeries(in NewAvailability) (scheduling.Series, error) {
	var fields []domain.FieldError
	bad := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }
	start, err := scheduling.ParseWallTime(strings.TrimSpace(in.StartLocal))
	if err != nil {
		bad("start_local", domain.ErrorMessage(err))
	}
	if in.DurationMinutes < 1 || in.DurationMinutes > maxAvailabilityMinutes {
		bad("duration_minutes", fmt.Sprintf("must be from 1 to %d minutes (a week)", maxAvailabilityMinutes))
	}
	loc := a.Config.TimeZone
	if tz := strings.TrimSpace(in.TimeZone); tz != "" {
		if loc, err = loadZone(tz); err != nil {
			bad("timezone", "must be an IANA time zone such as Europe/London")
		}
	}
	// A rule copied from an iCalendar file carries its property name, as a
	// demand's may.
	rule := strings.TrimPrefix(strings.TrimSpace(in.RRule), "RRULE:")
	var until *scheduling.Date
	if u := strings.TrimSpace(in.Until); u != "" {
		d, err := scheduling.ParseDate(u)
		switch {
		case err != nil:
			bad("until", domain.ErrorMessage(err))
		case rule == "":
			bad("until", "needs an rrule: a window without one happens once")
		default:
			until = &d
		}
	}
	if len(fields) > 0 {
		return scheduling.Series{}, domain.Invalid("the availability could not be registered", fields...)
	}
	s := scheduling.Series{Start: start, Duration: time.Duration(in.DurationMinutes) * time.Minute, Location: loc,
		RRule: rule, Until: until}
	if err := scheduling.ValidateSeries(s, "duration_minutes", maxAvailabilityMinutes*time.Minute); err != nil {
		return scheduling.Series{}, err
	}
	return s, nil
}

// loadZone loads an IANA zone, refusing "Local" and the empty name, which
// would mean the server's own zone.
func loadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("not an IANA zone")
	}
	return time.LoadLocation(name)
}

// Availability lists a member's registered windows.
func (a *App) Availability(ctx context.Context, p *domain.Principal, memberID string) ([]domain.Availability, error) {
	m, _, err := a.reachMember(ctx, a.store, p, memberID)
	if err != nil {
		return nil, err
	}
	return a.store.Availability(ctx, m.ID)
}

// DeleteAvailability removes a window; not found when it is not this member's.
func (a *App) DeleteAvailability(ctx context.Context, p *domain.Principal, memberID, id string) error {
	return a.store.InTx(ctx, func(tx *db.Store) error {
		m, _, err := a.reachMember(ctx, tx, p, memberID)
		if err != nil {
			return err
		}
		if err := tx.DeleteAvailability(ctx, m.ID, id); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, auditEvent{action: "availability.delete", entity: "availability", entityID: id, memberID: m.ID,
			before: map[string]any{"member_id": m.ID}})
	})
}

// AvailabilityWindow is one concrete occurrence of a window, in its zone.
type AvailabilityWindow struct {
	AvailabilityID string
	Start, End     time.Time
}

// maxExpansion caps the range an expansion may cover.
const maxExpansion = 366 * 24 * time.Hour

// ExpandAvailability returns the concrete windows of a member's availability
// that touch [from, to), in start order, with the member's leave taken out. from and to are each a date (from:
// the start of that day; to: the end of that day, both in the force's zone)
// or an RFC 3339 instant; empty from is today, empty to four weeks after from.
// A range over a year, or to before from, is invalid.
func (a *App) ExpandAvailability(ctx context.Context, p *domain.Principal, memberID, from, to string) ([]AvailabilityWindow, error) {
	m, _, err := a.reachMember(ctx, a.store, p, memberID)
	if err != nil {
		return nil, err
	}
	lo, hi, err := a.availabilityRange(from, to)
	if err != nil {
		return nil, err
	}
	avs, err := a.store.Availability(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	leave, err := a.store.Leave(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	var out []AvailabilityWindow
	for _, av := range avs {
		s, err := storedSeries(av)
		if err != nil {
			a.Log.Warn("availability cannot be expanded", "availability_id", av.ID, "err", err)
			continue
		}
		occs, err := scheduling.ExpandBetween(s, lo, hi)
		if err != nil {
			a.Log.Warn("availability cannot be expanded", "availability_id", av.ID, "err", err)
			continue
		}
		for _, o := range outsideLeave(occs, leave, a.Config.TimeZone) {
			out = append(out, AvailabilityWindow{AvailabilityID: av.ID, Start: o.Start, End: o.End})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out, nil
}

// outsideLeave takes leave (whole days in zone) out of availability
// windows: a window inside leave disappears, one that leave cuts keeps the
// parts before and after it.
func outsideLeave(windows []scheduling.Occurrence, leave []domain.Leave, zone *time.Location) []scheduling.Occurrence {
	if len(leave) == 0 {
		return windows
	}
	out := make([]scheduling.Occurrence, 0, len(windows))
	for _, w := range windows {
		parts := []scheduling.Occurrence{w}
		for _, l := range leave {
			from, to := l.From.Start(zone), l.To.AddDays(1).Start(zone)
			var kept []scheduling.Occurrence
			for _, p := range parts {
				if !from.Before(p.End) || !p.Start.Before(to) {
					kept = append(kept, p)
					continue
				}
				if p.Start.Before(from) {
					before := p
					before.End = from
					kept = append(kept, before)
				}
				if to.Before(p.End) {
					after := p
					after.Start = to
					kept = append(kept, after)
				}
			}
			parts = kept
		}
		out = append(out, parts...)
	}
	return out
}

// storedSeries turns a stored window back into a series.
func storedSeries(av domain.Availability) (scheduling.Series, error) {
	start, err := scheduling.ParseWallTime(av.StartLocal)
	if err != nil {
		return scheduling.Series{}, err
	}
	loc, err := loadZone(av.TimeZone)
	if err != nil {
		return scheduling.Series{}, err
	}
	s := scheduling.Series{Start: start, Duration: time.Duration(av.DurationMinutes) * time.Minute, Location: loc, RRule: av.RRule}
	if av.Until != nil {
		d, err := scheduling.ParseDate(av.Until.String())
		if err != nil {
			return scheduling.Series{}, err
		}
		s.Until = &d
	}
	return s, nil
}

// availabilityRange reads ?from= and ?to= (see ExpandAvailability).
func (a *App) availabilityRange(from, to string) (time.Time, time.Time, error) {
	zone := a.Config.TimeZone
	var fields []domain.FieldError
	read := func(field, v string, end bool) time.Time {
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			return t
		}
		d, err := domain.ParseDate(v)
		if err != nil {
			fields = append(fields, domain.FieldError{Field: field, Message: "must be a date like 2027-01-08 or an instant like 2027-01-08T18:00:00Z"})
			return time.Time{}
		}
		if end {
			d = d.AddDays(1)
		}
		return d.Start(zone)
	}
	var lo, hi time.Time
	if from = strings.TrimSpace(from); from == "" {
		lo = domain.DateOf(a.Now().In(zone)).Start(zone)
	} else {
		lo = read("from", from, false)
	}
	if to = strings.TrimSpace(to); to == "" {
		hi = domain.DateOf(lo.In(zone)).AddDays(28).Start(zone)
	} else {
		hi = read("to", to, true)
	}
	if len(fields) == 0 {
		switch {
		case hi.Before(lo):
			fields = append(fields, domain.FieldError{Field: "to", Message: "must not be before from"})
		case hi.Sub(lo) > maxExpansion:
			fields = append(fields, domain.FieldError{Field: "to", Message: "the range may cover at most a year"})
		}
	}
	if len(fields) > 0 {
		return time.Time{}, time.Time{}, domain.Invalid("the range is not right", fields...)
	}
	return lo, hi, nil
}
