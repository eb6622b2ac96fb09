package domain

import (
	"sort"
	"time"
)

// Multiplier is a pay multiplier in thousandths (1.3 is 1300), so pricing
// stays in integers and a figure like 1.3 is exact.
type Multiplier int64

// MultiplierOf converts a decimal multiplier, rounding to the nearest thousandth.
func MultiplierOf(f float64) Multiplier {
	if f < 0 {
		return Multiplier(f*1000 - 0.5)
	}
	return Multiplier(f*1000 + 0.5)
}

// Float is the multiplier as a decimal.
func (m Multiplier) Float() float64 { return float64(m) / 1000 }

// PlainMultiplier pays the band's rate as it is.
const PlainMultiplier Multiplier = 1000

// PaySettings are the force's pay rules.
type PaySettings struct {
	Unsocial    Multiplier // 20:00–06:00 local
	Weekend     Multiplier // Saturday and Sunday, local
	BankHoliday Multiplier // the local dates held as bank holidays
	// A booking the force cancels closer than LateCancelHours to its start
	// pays its booked time up to LateCancelMinPaidHours at the plain rate.
	LateCancelHours        int
	LateCancelMinPaidHours int
	MileagePencePerMile    int64
	// VolunteerNotionalPencePerHour values unpaid hours in the reports.
	VolunteerNotionalPencePerHour int64
	UpdatedAt                     time.Time
}

// DefaultPaySettings are used until an admin sets others.
func DefaultPaySettings() PaySettings {
	return PaySettings{Unsocial: 1300, Weekend: 1500, BankHoliday: 2000, LateCancelHours: 24,
		LateCancelMinPaidHours: 4, MileagePencePerMile: 45, VolunteerNotionalPencePerHour: 1500}
}

// PayRate is one rate of a pay band, in effect from a local date until the
// band's next rate.
type PayRate struct {
	Code          string
	Name          string
	RatePence     int64
	EffectiveFrom Date
	CreatedAt     time.Time
}

// RateOn picks the rate in effect on day from one band's rates; false when
// none had started by then.
func RateOn(rates []PayRate, day Date) (PayRate, bool) {
	sorted := append([]PayRate(nil), rates...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].EffectiveFrom.Before(sorted[j].EffectiveFrom) })
	var out PayRate
	found := false
	for _, r := range sorted {
		if day.Before(r.EffectiveFrom) {
			break
		}
		out, found = r, true
	}
	return out, found
}

// BankHoliday is one bank-holiday date.
type BankHoliday struct {
	Date Date
	Name string
}

// PayCalendar says where the pay boundaries fall: the force's zone and its
// bank holidays.
type PayCalendar struct {
	Zone         *time.Location
	BankHolidays map[Date]bool
}

// PayLine is what one worked or cancelled interval pays. The minutes add up
// to Minutes; LateCancelMinutes are paid at the plain rate and are not
// worked.
type PayLine struct {
	Minutes            int
	PlainMinutes       int
	UnsocialMinutes    int
	WeekendMinutes     int
	BankHolidayMinutes int
	LateCancelMinutes  int
	AmountPence        int64
}

// Add sums two lines' minutes and amounts (amounts were each rounded once).
func (l PayLine) Add(o PayLine) PayLine {
	return PayLine{Minutes: l.Minutes + o.Minutes, PlainMinutes: l.PlainMinutes + o.PlainMinutes,
		UnsocialMinutes: l.UnsocialMinutes + o.UnsocialMinutes, WeekendMinutes: l.WeekendMinutes + o.WeekendMinutes,
		BankHolidayMinutes: l.BankHolidayMinutes + o.BankHolidayMinutes, LateCancelMinutes: l.LateCancelMinutes + o.LateCancelMinutes,
		AmountPence: l.AmountPence + o.AmountPence}
}

type payClass int

const (
	payPlain payClass = iota
	payUnsocial
	payWeekend
	payBankHoliday
)

// PriceWorked prices the time from start to end at ratePence an hour. The
// interval is cut at local 06:00, 20:00 and midnight; each piece is counted
// by the time that actually elapses (so a night across the autumn clock
// change has an extra hour) and takes the highest multiplier that applies to
// it. The amount is rounded once, half up, to whole pence. Start and end are
// taken to the whole minute.
func PriceWorked(start, end time.Time, ratePence int64, s PaySettings, cal PayCalendar) PayLine {
	start, end = start.Truncate(time.Minute), end.Truncate(time.Minute)
	var line PayLine
	var weighted int64 // minutes × multiplier (thousandths)
	for t := start; t.Before(end); {
		next := nextPayBoundary(t, cal.Zone)
		if next.After(end) {
			next = end
		}
		minutes := int(next.Sub(t) / time.Minute)
		class, m := classify(t.In(cal.Zone), s, cal)
		switch class {
		case payPlain:
			line.PlainMinutes += minutes
		case payUnsocial:
			line.UnsocialMinutes += minutes
		case payWeekend:
			line.WeekendMinutes += minutes
		case payBankHoliday:
			line.BankHolidayMinutes += minutes
		}
		line.Minutes += minutes
		weighted += int64(minutes) * int64(m)
		t = next
	}
	line.AmountPence = roundDiv(weighted*ratePence, 60*1000)
	return line
}

// PriceLateCancel prices a booking the force cancelled late: its booked time
// up to the settings' minimum paid hours, at the plain rate.
func PriceLateCancel(start, end time.Time, ratePence int64, s PaySettings) PayLine {
	minutes := int(end.Truncate(time.Minute).Sub(start.Truncate(time.Minute)) / time.Minute)
	if limit := s.LateCancelMinPaidHours * 60; minutes > limit {
		minutes = limit
	}
	if minutes < 0 {
		minutes = 0
	}
	return PayLine{LateCancelMinutes: minutes, AmountPence: roundDiv(int64(minutes)*ratePence, 60)}
}

// nextPayBoundary is the first local 06:00, 20:00 or midnight after t.
func nextPayBoundary(t time.Time, zone *time.Location) time.Time {
	l := t.In(zone)
	y, m, d := l.Date()
	for _, b := range []time.Time{
		time.Date(y, m, d, 6, 0, 0, 0, zone),
		time.Date(y, m, d, 20, 0, 0, 0, zone),
		time.Date(y, m, d+1, 0, 0, 0, 0, zone),
	} {
		if b.After(t) {
			return b
		}
	}
	return time.Date(y, m, d+1, 6, 0, 0, 0, zone)
}

// classify picks the highest multiplier that applies at local time l; on a
// tie the more specific enhancement names the minutes.
func classify(l time.Time, s PaySettings, cal PayCalendar) (payClass, Multiplier) {
	class, best := payPlain, PlainMultiplier
	consider := func(c payClass, m Multiplier) {
		if m >= best {
			class, best = c, m
		}
	}
	if h := l.Hour(); h >= 20 || h < 6 {
		consider(payUnsocial, s.Unsocial)
	}
	if wd := l.Weekday(); wd == time.Saturday || wd == time.Sunday {
		consider(payWeekend, s.Weekend)
	}
	if cal.BankHolidays[DateOf(l)] {
		consider(payBankHoliday, s.BankHoliday)
	}
	return class, best
}

// roundDiv divides rounding half away from zero.
func roundDiv(n, d int64) int64 {
	if n < 0 {
		return -((-n + d/2) / d)
	}
	return (n + d/2) / d
}

// ExpenseKind is what a claim is for.
type ExpenseKind string

const (
	ExpenseMileage ExpenseKind = "mileage"
	ExpenseOther   ExpenseKind = "other"
)

// ExpenseStatus is where a claim stands.
type ExpenseStatus string

const (
	ExpenseClaimed  ExpenseStatus = "claimed"
	ExpenseApproved ExpenseStatus = "approved"
	ExpenseRejected ExpenseStatus = "rejected"
)

// Expense is a member's claim against a booking they attended. Mileage is
// priced when claimed, at the rate then in force.
type Expense struct {
	ID          string
	BookingID   string
	MemberID    string
	Kind        ExpenseKind
	Miles       *float64
	AmountPence int64
	Note        string
	Status      ExpenseStatus
	DecidedBy   string
	DecidedAt   *time.Time
	CreatedAt   time.Time
}

// Fairness measures how evenly hours are shared: the Gini coefficient (0
// when everyone has the same, approaching 1 when one person has it all) and
// the share held by the top tenth (at least one person). Nothing to share
// gives zeros.
func Fairness(hours []float64) (gini, topTenthShare float64) {
	n := len(hours)
	if n == 0 {
		return 0, 0
	}
	xs := append([]float64(nil), hours...)
	sort.Float64s(xs)
	var total, weighted float64
	for i, x := range xs {
		total += x
		weighted += float64(i+1) * x
	}
	if total == 0 {
		return 0, 0
	}
	gini = 2*weighted/(float64(n)*total) - float64(n+1)/float64(n)
	k := (n + 9) / 10
	var top float64
	for _, x := range xs[n-k:] {
		top += x
	}
	return gini, top / total
}
