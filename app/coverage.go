package app

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// CoverageSetting is a neighbourhood's named officer and weekly target.
type CoverageSetting struct {
	Area         domain.Area
	NamedOfficer *domain.Member
	HoursPerWeek *float64
}

// maxCoverageTarget is a week's hours.
const maxCoverageTarget = 7 * 24

// coverageArea loads a neighbourhood a coordinator may set up: another
// kind of area is invalid (naming code), one outside their areas is not
// found, and members may not (forbidden).
func (a *App) coverageArea(ctx context.Context, tx *db.Store, p *domain.Principal, code string) (domain.Area, error) {
	if !isCoordinating(p) {
		return domain.Area{}, forbidden("only a coordinator of the area or an admin may set its coverage")
	}
	area, err := tx.AreaByCode(ctx, code)
	if domain.ErrorCode(err) == domain.ENotFound || (err == nil && !coversArea(p, area)) {
		return domain.Area{}, notFound("area")
	}
	if err != nil {
		return domain.Area{}, err
	}
	if area.Kind != domain.AreaNeighbourhood {
		return domain.Area{}, domain.FieldInvalid("code", "coverage is set for a neighbourhood, and "+area.Code+" is a "+string(area.Kind))
	}
	return area, nil
}

// SetNamedOfficer names a neighbourhood's local officer or PCSO (any
// member of the bank); an empty memberID clears it. Audited.
func (a *App) SetNamedOfficer(ctx context.Context, p *domain.Principal, code, memberID string) (CoverageSetting, error) {
	return a.changeCoverage(ctx, p, code, "area.named_officer", func(tx *db.Store, c *domain.AreaCoverage) error {
		if memberID != "" {
			if _, err := tx.MemberByID(ctx, memberID); err != nil {
				if domain.ErrorCode(err) == domain.ENotFound {
					return domain.FieldInvalid("member_id", "is not a member of the bank")
				}
				return err
			}
		}
		c.NamedOfficerID = memberID
		return nil
	})
}

// SetCoverageTarget sets a neighbourhood's weekly target of bank and
// volunteer hours (0 to 168); nil clears it. Audited.
func (a *App) SetCoverageTarget(ctx context.Context, p *domain.Principal, code string, hours *float64) (CoverageSetting, error) {
	if hours != nil && (math.IsNaN(*hours) || *hours < 0 || *hours > maxCoverageTarget) {
		return CoverageSetting{}, domain.FieldInvalid("hours_per_week", fmt.Sprintf("must be between 0 and %d", maxCoverageTarget))
	}
	return a.changeCoverage(ctx, p, code, "area.coverage_target", func(_ *db.Store, c *domain.AreaCoverage) error {
		c.HoursPerWeek = hours
		return nil
	})
}

func (a *App) changeCoverage(ctx context.Context, p *domain.Principal, code, action string,
	change func(tx *db.Store, c *domain.AreaCoverage) error) (CoverageSetting, error) {
	var out CoverageSetting
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		area, err := a.coverageArea(ctx, tx, p, code)
		if err != nil {
			return err
		}
		c, err := tx.AreaCoverage(ctx, area.ID)
		if err != nil {
			return err
		}
		before := coverageAudit(c)
		if err := change(tx, &c); err != nil {
			return err
		}
		c.UpdatedAt = a.Now()
		if err := tx.PutAreaCoverage(ctx, c); err != nil {
			return err
		}
		ev := auditEvent{action: action, entity: "area", entityID: area.ID, before: before, after: coverageAudit(c)}
		if action == "area.named_officer" {
			ev.memberID = c.NamedOfficerID
		}
		if err := a.audit(ctx, tx, p, ev); err != nil {
			return err
		}
		out, err = a.coverageSetting(ctx, tx, area, c)
		return err
	})
	return out, err
}

func coverageAudit(c domain.AreaCoverage) map[string]any {
	return map[string]any{"named_officer_id": c.NamedOfficerID, "hours_per_week": c.HoursPerWeek}
}

func (a *App) coverageSetting(ctx context.Context, store *db.Store, area domain.Area, c domain.AreaCoverage) (CoverageSetting, error) {
	out := CoverageSetting{Area: area, HoursPerWeek: c.HoursPerWeek}
	if c.NamedOfficerID != "" {
		m, err := store.MemberByID(ctx, c.NamedOfficerID)
		if err != nil {
			return out, err
		}
		out.NamedOfficer = &m
	}
	return out, nil
}

// CoverageWeek is one neighbourhood's coverage in one ISO week.
type CoverageWeek struct {
	Area      domain.Area
	Week      string      // ISO week, such as 2026-W49, in the force's zone
	WeekStart domain.Date // its Monday
	// NamedOfficer is the neighbourhood's named officer now, if any.
	NamedOfficer *domain.Member
	// OfficerShifts counts the named officer's confirmed or attended
	// bookings on shifts in the neighbourhood starting that week.
	OfficerShifts    int
	BankMinutes      int64
	VolunteerMinutes int64
	TargetHours      *float64
	Gaps             []string
}

// HasNamedOfficer: an officer is named and was on at least one shift there
// that week.
func (w CoverageWeek) HasNamedOfficer() bool { return w.NamedOfficer != nil && w.OfficerShifts > 0 }

// Hours is bank and volunteer hours together.
func (w CoverageWeek) Hours() float64 { return HoursOf(w.BankMinutes + w.VolunteerMinutes) }

// Coverage is the coverage report: every neighbourhood in scope for every
// ISO week from the one holding From to the one holding To.
type Coverage struct {
	From, To domain.Date // the first Monday and the last Sunday
	Weeks    []string
	Rows     []CoverageWeek // by area code, then week
}

// HoursOf is minutes as hours, to the hundredth.
func HoursOf(minutes int64) float64 { return math.Round(float64(minutes)/60*100) / 100 }

// CoverageReport shows, week by week, whether each neighbourhood in the
// caller's scope (or in areas) had its named officer on a shift there, the
// bank and volunteer hours booked on its shifts (offered, pending,
// confirmed or attended; attended ones at their recorded times), its target
// and its gaps. Filters and access are the other reports'; the period is
// widened to whole ISO weeks and defaults to this week and the next three,
// the weeks a coordinator can still staff.
func (a *App) CoverageReport(ctx context.Context, p *domain.Principal, q ReportQuery) (Coverage, error) {
	today := a.today()
	q.Kind, q.ProblemType = "", ""
	f, err := a.reportScope(ctx, p, q, today, today.AddDays(21))
	if err != nil {
		return Coverage{}, err
	}
	zone := a.Config.TimeZone
	first := monday(domain.DateOf(f.From.In(zone)), zone)
	last := monday(domain.DateOf(f.To.Add(-time.Nanosecond).In(zone)), zone)
	out := Coverage{From: first, To: last.AddDays(6)}
	f.From, f.To = first.Start(zone), last.AddDays(7).Start(zone)
	index := map[string]int{}
	for d := first; !last.Before(d); d = d.AddDays(7) {
		y, w := d.Start(zone).ISOWeek()
		index[d.String()] = len(out.Weeks)
		out.Weeks = append(out.Weeks, fmt.Sprintf("%04d-W%02d", y, w))
	}
	areas, err := a.store.Areas(ctx, "", math.MaxInt32)
	if err != nil {
		return out, err
	}
	settings, err := a.store.AreaCoverages(ctx)
	if err != nil {
		return out, err
	}
	officers := map[string]*domain.Member{}
	rowOf := map[string]int{} // area code → its first row
	for _, area := range areas {
		if area.Kind != domain.AreaNeighbourhood || !withinAny(area, f.AreaPaths) {
			continue
		}
		set := settings[area.ID]
		var officer *domain.Member
		if set.NamedOfficerID != "" {
			if officer = officers[set.NamedOfficerID]; officer == nil {
				m, err := a.store.MemberByID(ctx, set.NamedOfficerID)
				if err != nil {
					return out, err
				}
				officer = &m
				officers[m.ID] = officer
			}
		}
		rowOf[area.Code] = len(out.Rows)
		for i, wk := range out.Weeks {
			out.Rows = append(out.Rows, CoverageWeek{Area: area, Week: wk, WeekStart: first.AddDays(7 * i),
				NamedOfficer: officer, TargetHours: set.HoursPerWeek})
		}
	}
	err = a.store.StreamCoverageBookings(ctx, f, func(r db.WorkedRow) error {
		base, ok := rowOf[r.AreaCode]
		if !ok {
			return nil
		}
		wi, ok := index[monday(domain.DateOf(r.Start.In(zone)), zone).String()]
		if !ok {
			return nil
		}
		row := &out.Rows[base+wi]
		start, end := r.Start, r.End
		if r.Status == string(domain.BookingAttended) && r.ActualStart != nil && r.ActualEnd != nil {
			start, end = *r.ActualStart, *r.ActualEnd
		}
		minutes := int64(end.Sub(start) / time.Minute)
		if workedKind(r, "") == string(domain.KindBankOfficer) {
			row.BankMinutes += minutes
		} else {
			row.VolunteerMinutes += minutes
		}
		if row.NamedOfficer != nil && r.MemberID == row.NamedOfficer.ID &&
			(r.Status == string(domain.BookingConfirmed) || r.Status == string(domain.BookingAttended)) {
			row.OfficerShifts++
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	for i := range out.Rows {
		out.Rows[i].Gaps = coverageGaps(out.Rows[i])
	}
	return out, nil
}

// coverageGaps names what a neighbourhood's week lacked.
func coverageGaps(w CoverageWeek) []string {
	gaps := []string{}
	switch {
	case w.NamedOfficer == nil:
		gaps = append(gaps, domain.GapNoNamedOfficer)
	case w.OfficerShifts == 0:
		gaps = append(gaps, domain.GapNoOfficerShift)
	}
	if w.TargetHours != nil && w.Hours() < *w.TargetHours {
		gaps = append(gaps, domain.GapBelowTarget)
	}
	return gaps
}

// monday is the Monday of d's ISO week.
func monday(d domain.Date, zone *time.Location) domain.Date {
	wd := int(d.Start(zone).Weekday()+6) % 7 // Monday 0 … Sunday 6
	return d.AddDays(-wd)
}

func withinAny(area domain.Area, paths []string) bool {
	if len(paths) == 0 {
		return true
	}
	for _, p := range paths {
		if area.Within(p) {
			return true
		}
	}
	return false
}

// AreaCoverage returns a neighbourhood's named officer and target, for a
// coordinator of the area or an admin (as SetNamedOfficer refuses others).
func (a *App) AreaCoverage(ctx context.Context, p *domain.Principal, code string) (CoverageSetting, error) {
	area, err := a.coverageArea(ctx, a.store, p, code)
	if err != nil {
		return CoverageSetting{}, err
	}
	c, err := a.store.AreaCoverage(ctx, area.ID)
	if err != nil {
		return CoverageSetting{}, err
	}
	return a.coverageSetting(ctx, a.store, area, c)
}
