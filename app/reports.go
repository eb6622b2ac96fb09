package app

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// ReportQuery is a report's filters as the caller wrote them: areas is a
// comma-separated list of area codes (each with everything below it); from
// and to are dates (inclusive, in the force's zone) or RFC 3339 instants;
// by groups the rows, where a report offers it.
type ReportQuery struct {
	Areas       string
	From, To    string
	Kind        string
	ProblemType string
	By          string
}

// checkBy refuses a grouping the report does not offer (the first allowed
// is the default).
func checkBy(by string, allowed ...string) (string, error) {
	if by == "" {
		return allowed[0], nil
	}
	if slices.Contains(allowed, by) {
		return by, nil
	}
	return "", domain.FieldInvalid("by", "must be one of: "+strings.Join(allowed, ", "))
}

// maxReportSpan is the longest period one report covers.
const maxReportSpan = 2

// Report is a table whose rows are read from the database as they are
// written out, so an export of any size runs in constant memory. Each row
// holds one value per column: string, int64 or float64.
type Report struct {
	Name    string
	Columns []string
	// Rows hands emit each row in turn; it stops at emit's first error.
	Rows func(ctx context.Context, emit func(row []any) error) error
}

// reportScope checks who may read a report and turns the query into a
// filter: members may read none, coordinators only their areas (asking for
// another is invalid, naming areas), admins everything. A period longer than
// two years or backwards is invalid, naming the field.
func (a *App) reportScope(ctx context.Context, p *domain.Principal, q ReportQuery, defFrom, defTo domain.Date) (db.ReportFilter, error) {
	if !isCoordinating(p) {
		return db.ReportFilter{}, forbidden("reports are for coordinators and admins")
	}
	var fields []domain.FieldError
	bad := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }
	zone := a.Config.TimeZone
	f := db.ReportFilter{Kind: strings.TrimSpace(q.Kind), ProblemType: strings.TrimSpace(q.ProblemType)}
	if f.Kind != "" && !domain.ValidKind(domain.Kind(f.Kind)) {
		bad("kind", "must be volunteer, bank_officer or mentor")
	}
	from, fromErr := reportTime(q.From, defFrom, zone, false)
	if fromErr != nil {
		bad("from", fromErr.Error())
	}
	to, toErr := reportTime(q.To, defTo, zone, true)
	if toErr != nil {
		bad("to", toErr.Error())
	}
	if fromErr == nil && toErr == nil {
		switch {
		case !from.Before(to):
			bad("from", "must not be after to")
		case to.After(from.AddDate(maxReportSpan, 0, 1)):
			bad("to", "a report covers at most two years from `from`")
		}
	}
	f.From, f.To = from, to
	if codes := strings.TrimSpace(q.Areas); codes != "" {
		for _, code := range strings.Split(codes, ",") {
			code = strings.TrimSpace(code)
			area, err := a.store.AreaByCode(ctx, code)
			if err != nil {
				if domain.ErrorCode(err) == domain.ENotFound {
					bad("areas", "there is no area "+code)
					continue
				}
				return f, err
			}
			if !coversArea(p, area) {
				bad("areas", code+" is outside the areas you coordinate")
				continue
			}
			f.AreaPaths = append(f.AreaPaths, area.Path)
		}
	} else if !p.IsAdmin() {
		for _, area := range p.User.Areas {
			f.AreaPaths = append(f.AreaPaths, area.Path)
		}
		if len(f.AreaPaths) == 0 {
			f.AreaPaths = []string{"/-no-area-/"} // a coordinator of nowhere sees nothing
		}
	}
	if len(fields) > 0 {
		return f, domain.Invalid("the report's filters are not right", fields...)
	}
	return f, nil
}

// reportTime reads a date (the start of that day, or of the next for the
// inclusive end) or an instant; empty takes the default date.
func reportTime(s string, def domain.Date, zone *time.Location, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s != "" && strings.Contains(s, "T") {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return t, errorString("must be a date YYYY-MM-DD or an RFC 3339 instant")
		}
		return t, nil
	}
	d := def
	if s != "" {
		var err error
		if d, err = domain.ParseDate(s); err != nil {
			return time.Time{}, errorString("must be a date YYYY-MM-DD or an RFC 3339 instant")
		}
	}
	if end {
		d = d.AddDays(1)
	}
	return d.Start(zone), nil
}

type errorString string

func (e errorString) Error() string { return string(e) }

// today is the force's current date.
func (a *App) today() domain.Date { return domain.DateOf(a.Now().In(a.Config.TimeZone)) }

// PayColumns are the pay report's columns.
var PayColumns = []string{"member_id", "member_name", "band", "minutes", "plain_minutes", "unsocial_minutes", "weekend_minutes",
	"bank_holiday_minutes", "late_cancel_minutes", "amount_pence", "expenses_pence"}

// PayReport is the payroll for a period (admins only): one line per member
// and band, with bank officers' pay and anyone's approved expenses. Worked
// time is the recorded actual start and end where there are both, else the
// booking's; it is paid at the band's rate in effect on the shift's local
// start date. minutes counts every paid minute, late cancellations too.
func (a *App) PayReport(ctx context.Context, p *domain.Principal, q ReportQuery) (Report, error) {
	if !p.IsAdmin() {
		return Report{}, forbidden("only an admin may see pay")
	}
	if _, err := checkBy(q.By, "member"); err != nil {
		return Report{}, err
	}
	today := a.today()
	f, err := a.reportScope(ctx, p, q, today.AddDays(-30), today)
	if err != nil {
		return Report{}, err
	}
	return Report{Name: "pay", Columns: PayColumns, Rows: func(ctx context.Context, emit func([]any) error) error {
		settings, err := a.store.PaySettings(ctx)
		if err != nil {
			return err
		}
		cal, err := a.payCalendar(ctx, a.store)
		if err != nil {
			return err
		}
		all, err := a.store.PayRates(ctx)
		if err != nil {
			return err
		}
		rates := map[string][]domain.PayRate{}
		for _, r := range all {
			rates[r.Code] = append(rates[r.Code], r)
		}
		type key struct{ member, band string }
		var cur key
		var name string
		var line domain.PayLine
		var expenses int64
		open := false
		flush := func() error {
			if !open {
				return nil
			}
			return emit([]any{cur.member, name, cur.band, int64(line.Minutes + line.LateCancelMinutes), int64(line.PlainMinutes),
				int64(line.UnsocialMinutes), int64(line.WeekendMinutes), int64(line.BankHolidayMinutes),
				int64(line.LateCancelMinutes), line.AmountPence, expenses})
		}
		err = a.store.StreamPayable(ctx, f, func(r db.WorkedRow) error {
			k := key{r.MemberID, r.PayBand}
			if !open || k != cur {
				if err := flush(); err != nil {
					return err
				}
				cur, name, line, expenses, open = k, r.MemberName, domain.PayLine{}, 0, true
			}
			expenses += r.ExpensesPence
			if r.PayBand == "" {
				return nil
			}
			rate, _ := domain.RateOn(rates[r.PayBand], domain.DateOf(r.Start.In(cal.Zone)))
			switch {
			case r.Status == string(domain.BookingAttended):
				start, end := worked(r)
				line = line.Add(domain.PriceWorked(start, end, rate.RatePence, settings, cal))
			case r.LateCancel && r.CancelledBy == string(domain.CancelledByForce):
				line = line.Add(domain.PriceLateCancel(r.Start, r.End, rate.RatePence, settings))
			}
			return nil
		})
		if err != nil {
			return err
		}
		return flush()
	}}, nil
}

// worked is the recorded actual start and end where both are known, else
// the booking's.
func worked(r db.WorkedRow) (time.Time, time.Time) {
	if r.ActualStart != nil && r.ActualEnd != nil && r.ActualEnd.After(*r.ActualStart) {
		return *r.ActualStart, *r.ActualEnd
	}
	return r.Start, r.End
}

// HoursColumns are the hours report's columns.
var HoursColumns = []string{"booking_id", "member_id", "member_name", "kind", "area", "problem_type", "start", "end",
	"minutes", "notional_pence"}

// HoursReport lists every attended booking in the period, one row each,
// with the kind of member who gave the time, where, on what problem, and for
// unpaid time (a position without a pay band) its value at the notional
// rate, rounded to the penny. By member, kind, area or problem type it sums
// them instead, one row per group.
func (a *App) HoursReport(ctx context.Context, p *domain.Principal, q ReportQuery) (Report, error) {
	by, err := checkBy(q.By, "booking", "member", "kind", "area", "problem_type")
	if err != nil {
		return Report{}, err
	}
	today := a.today()
	f, err := a.reportScope(ctx, p, q, today.AddDays(-30), today)
	if err != nil {
		return Report{}, err
	}
	zone := a.Config.TimeZone
	if by != "booking" {
		return a.hoursGrouped(f, by), nil
	}
	return Report{Name: "hours", Columns: HoursColumns, Rows: func(ctx context.Context, emit func([]any) error) error {
		settings, err := a.store.PaySettings(ctx)
		if err != nil {
			return err
		}
		row := make([]any, len(HoursColumns))
		return a.store.StreamAttended(ctx, f, func(r db.WorkedRow) error {
			minutes, unpaid := workedMinutes(r)
			row[0], row[1], row[2], row[3], row[4], row[5] = r.BookingID, r.MemberID, r.MemberName, workedKind(r, f.Kind), r.AreaCode, r.ProblemType
			start, end := worked(r)
			row[6], row[7], row[8], row[9] = start.In(zone).Format(time.RFC3339), end.In(zone).Format(time.RFC3339), minutes,
				notional(unpaid, settings)
			return emit(row)
		})
	}}, nil
}

// workedMinutes is the time a booking was worked, and how much of it was
// unpaid (a position without a pay band).
func workedMinutes(r db.WorkedRow) (minutes, unpaid int64) {
	start, end := worked(r)
	minutes = int64(end.Truncate(time.Minute).Sub(start.Truncate(time.Minute)) / time.Minute)
	if r.PayBand == "" {
		unpaid = minutes
	}
	return minutes, unpaid
}

// notional values unpaid minutes at the notional rate, rounded once.
func notional(unpaid int64, s domain.PaySettings) int64 {
	return (unpaid*s.VolunteerNotionalPencePerHour + 30) / 60
}

// hoursGrouped sums the hours report by member, kind, area or problem type:
// one row per group, in the group's order, with the bookings counted.
func (a *App) hoursGrouped(f db.ReportFilter, by string) Report {
	keyCols := map[string][]string{"member": {"member_id", "member_name"}, "kind": {"kind"}, "area": {"area"},
		"problem_type": {"problem_type"}}[by]
	cols := append(append([]string(nil), keyCols...), "bookings", "minutes", "notional_pence")
	return Report{Name: "hours", Columns: cols, Rows: func(ctx context.Context, emit func([]any) error) error {
		settings, err := a.store.PaySettings(ctx)
		if err != nil {
			return err
		}
		type sums struct {
			key                       []any
			bookings, minutes, unpaid int64
		}
		groups := map[string]*sums{}
		err = a.store.StreamAttended(ctx, f, func(r db.WorkedRow) error {
			var key []any
			switch by {
			case "member":
				key = []any{r.MemberID, r.MemberName}
			case "kind":
				key = []any{workedKind(r, f.Kind)}
			case "area":
				key = []any{r.AreaCode}
			case "problem_type":
				key = []any{r.ProblemType}
			}
			k := fmt.Sprint(key...)
			if by == "member" {
				k = r.MemberName + "\x00" + r.MemberID
			}
			g := groups[k]
			if g == nil {
				g = &sums{key: key}
				groups[k] = g
			}
			minutes, unpaid := workedMinutes(r)
			g.bookings, g.minutes, g.unpaid = g.bookings+1, g.minutes+minutes, g.unpaid+unpaid
			return nil
		})
		if err != nil {
			return err
		}
		keys := make([]string, 0, len(groups))
		for k := range groups {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			g := groups[k]
			if err := emit(append(append([]any(nil), g.key...), g.bookings, g.minutes, notional(g.unpaid, settings))); err != nil {
				return err
			}
		}
		return nil
	}}
}

// workedKind is the capacity a member worked in: the filter's kind when
// one is asked for; a bank officer on a paid position; else the first of
// their kinds the position takes.
func workedKind(r db.WorkedRow, filter string) string {
	if filter != "" {
		return filter
	}
	if r.PayBand != "" {
		return string(domain.KindBankOfficer)
	}
	kinds := strings.Split(r.MemberKinds, ",")
	accepted := strings.Split(r.PositionKinds, ",")
	for _, k := range kinds {
		if slices.Contains(accepted, k) {
			return k
		}
	}
	return kinds[0]
}

// FillColumns are the fill report's columns.
var FillColumns = []string{"week", "area", "places", "filled", "fill_rate", "priority_weighted_fill"}

// FillReport is, by week (starting Monday, local) and area, the share of
// places on scheduled shifts that were taken, plain and weighted by the
// demand's priority; fractions from 0 to 1.
func (a *App) FillReport(ctx context.Context, p *domain.Principal, q ReportQuery) (Report, error) {
	if _, err := checkBy(q.By, "week"); err != nil {
		return Report{}, err
	}
	today := a.today()
	f, err := a.reportScope(ctx, p, q, today.AddDays(-28), today.AddDays(28))
	if err != nil {
		return Report{}, err
	}
	zone := a.Config.TimeZone
	return Report{Name: "fill", Columns: FillColumns, Rows: func(ctx context.Context, emit func([]any) error) error {
		type key struct{ week, area string }
		type sums struct{ places, filled, wPlaces, wFilled int64 }
		groups := map[key]*sums{}
		err := a.store.StreamPlaces(ctx, f, func(r db.PlaceRow) error {
			filled := int64(min(r.Filled, r.Headcount))
			k := key{weekOf(r.ShiftStart.In(zone)).String(), r.AreaCode}
			g := groups[k]
			if g == nil {
				g = &sums{}
				groups[k] = g
			}
			g.places += int64(r.Headcount)
			g.filled += filled
			g.wPlaces += int64(r.Headcount * r.Priority)
			g.wFilled += filled * int64(r.Priority)
			return nil
		})
		if err != nil {
			return err
		}
		keys := make([]key, 0, len(groups))
		for k := range groups {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if keys[i].week != keys[j].week {
				return keys[i].week < keys[j].week
			}
			return keys[i].area < keys[j].area
		})
		for _, k := range keys {
			g := groups[k]
			if err := emit([]any{k.week, k.area, g.places, g.filled, ratio(g.filled, g.places), ratio(g.wFilled, g.wPlaces)}); err != nil {
				return err
			}
		}
		return nil
	}}, nil
}

// weekOf is the Monday starting t's week.
func weekOf(t time.Time) domain.Date {
	back := (int(t.Weekday()) + 6) % 7
	return domain.DateOf(t).AddDays(-back)
}

// ratio is n/d to four places; nothing over nothing is 0.
func ratio(n, d int64) float64 {
	if d == 0 {
		return 0
	}
	return math.Round(float64(n)/float64(d)*10000) / 10000
}

// FairnessColumns are the fairness report's columns.
var FairnessColumns = []string{"members", "paid_hours", "gini", "top_10_percent_share"}

// FairnessReport measures how evenly paid hours (attended, on positions
// with a pay band) were shared among the active bank officers whose home is
// in the areas, counting those who worked none: one row.
func (a *App) FairnessReport(ctx context.Context, p *domain.Principal, q ReportQuery) (Report, error) {
	if _, err := checkBy(q.By, "member"); err != nil {
		return Report{}, err
	}
	today := a.today()
	f, err := a.reportScope(ctx, p, q, today.AddDays(-28), today)
	if err != nil {
		return Report{}, err
	}
	return Report{Name: "fairness", Columns: FairnessColumns, Rows: func(ctx context.Context, emit func([]any) error) error {
		minutes := map[string]int64{}
		err := a.store.StreamMembersOfKind(ctx, string(domain.KindBankOfficer), f.AreaPaths, func(m db.MemberRow) error {
			minutes[m.MemberID] = 0
			return nil
		})
		if err != nil {
			return err
		}
		paid := f
		paid.Kind = string(domain.KindBankOfficer)
		err = a.store.StreamAttended(ctx, paid, func(r db.WorkedRow) error {
			if r.PayBand == "" {
				return nil
			}
			start, end := worked(r)
			minutes[r.MemberID] += int64(end.Sub(start) / time.Minute)
			return nil
		})
		if err != nil {
			return err
		}
		hours := make([]float64, 0, len(minutes))
		var total int64
		for _, m := range minutes {
			hours = append(hours, float64(m)/60)
			total += m
		}
		gini, top := domain.Fairness(hours)
		return emit([]any{int64(len(hours)), math.Round(float64(total)/60*100) / 100, math.Round(gini*10000) / 10000, math.Round(top*10000) / 10000})
	}}, nil
}

// ReliabilityColumns are the reliability report's columns.
var ReliabilityColumns = []string{"member_id", "member_name", "bookings", "late_cancellations", "no_shows"}

// ReliabilityReport counts, per member with bookings in the period, their
// own late cancellations (the force's are not held against them) and their
// no-shows.
func (a *App) ReliabilityReport(ctx context.Context, p *domain.Principal, q ReportQuery) (Report, error) {
	if _, err := checkBy(q.By, "member"); err != nil {
		return Report{}, err
	}
	today := a.today()
	f, err := a.reportScope(ctx, p, q, today.AddDays(-90), today)
	if err != nil {
		return Report{}, err
	}
	return Report{Name: "reliability", Columns: ReliabilityColumns, Rows: func(ctx context.Context, emit func([]any) error) error {
		return a.store.StreamReliability(ctx, f, func(r db.ReliabilityRow) error {
			return emit([]any{r.MemberID, r.MemberName, int64(r.Bookings), int64(r.LateCancellations), int64(r.NoShows)})
		})
	}}, nil
}

// ExpiringColumns are the expiring report's columns.
var ExpiringColumns = []string{"member_id", "member_name", "area", "item", "code", "expires_on"}

// ExpiringReport lists the skills and active clearances of active members
// (by home area) that expire in the period, by default the next 60 days.
func (a *App) ExpiringReport(ctx context.Context, p *domain.Principal, q ReportQuery) (Report, error) {
	if _, err := checkBy(q.By, "member"); err != nil {
		return Report{}, err
	}
	today := a.today()
	f, err := a.reportScope(ctx, p, q, today, today.AddDays(60))
	if err != nil {
		return Report{}, err
	}
	zone := a.Config.TimeZone
	from := domain.DateOf(f.From.In(zone)).String()
	to := domain.DateOf(f.To.In(zone).Add(-time.Nanosecond)).String()
	return Report{Name: "expiring", Columns: ExpiringColumns, Rows: func(ctx context.Context, emit func([]any) error) error {
		return a.store.StreamExpiring(ctx, from, to, f.Kind, f.AreaPaths, func(r db.ExpiringRow) error {
			return emit([]any{r.MemberID, r.MemberName, r.AreaCode, r.Item, r.Code, r.ExpiresOn})
		})
	}}, nil
}
