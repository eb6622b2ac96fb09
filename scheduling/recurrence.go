package scheduling

import (
	"fmt"
	"time"

	"github.com/copbank/copbank/domain"
)

// Layouts of the wall times (the "…_local" fields, read in a named time zone)
// and the dates copbank accepts.
const (
	WallTimeLayout = "2006-01-02T15:04"
	DateLayout     = "2006-01-02"
)

// Years a wall time or date may fall in. rrule-go stops at 9999 and reads the
// clock when given the zero time, so both ends are kept well clear.
const (
	minYear = 1900
	maxYear = 9000
)

// WallTime is a local date and clock time with no zone ("YYYY-MM-DDTHH:MM").
// It says what a clock on the wall reads; WallTime.In turns it into an instant.
type WallTime struct {
	Year   int
	Month  time.Month
	Day    int
	Hour   int
	Minute int
}

// ParseWallTime reads s strictly as "YYYY-MM-DDTHH:MM" (for example
// "2027-10-22T20:00"). It returns a *domain.Error (code invalid, no field name:
// the caller knows which field it read) when s is not such a wall time.
func ParseWallTime(s string) (WallTime, error) {
	t, err := time.Parse(WallTimeLayout, s)
	if err != nil || t.Format(WallTimeLayout) != s {
		return WallTime{}, domain.Invalid(fmt.Sprintf("%q is not a local date and time like 2027-10-22T20:00", s))
	}
	w := wallOf(t)
	if err := w.check(); err != nil {
		return WallTime{}, domain.Invalid(err.Error())
	}
	return w, nil
}

// ParseExDates parses exdates ("YYYY-MM-DDTHH:MM" each), naming the first bad
// one as field "exdates[i]" in the returned *domain.Error.
func ParseExDates(values []string) ([]WallTime, error) {
	out := make([]WallTime, 0, len(values))
	for i, v := range values {
		w, err := ParseWallTime(v)
		if err != nil {
			return nil, domain.FieldInvalid(fmt.Sprintf("exdates[%d]", i), domain.ErrorMessage(err))
		}
		out = append(out, w)
	}
	return out, nil
}

// String formats w as "YYYY-MM-DDTHH:MM".
func (w WallTime) String() string {
	return fmt.Sprintf("%04d-%02d-%02dT%02d:%02d", w.Year, int(w.Month), w.Day, w.Hour, w.Minute)
}

// Date returns the calendar date of w.
func (w WallTime) Date() Date { return Date{Year: w.Year, Month: w.Month, Day: w.Day} }

// In resolves w in loc to an instant. Where the wall time is ambiguous on a
// daylight-saving transition night it follows RFC 5545 §3.3.5:
//
//   - a wall time that does not exist (the spring-forward gap, e.g. 01:30 on
//     2027-03-28 in Europe/London) is read with the UTC offset in force before
//     the gap, so it lands as far after the gap's start as it was written
//     (01:30 GMT, which clocks show as 02:30 BST);
//   - a wall time that occurs twice (the fall-back hour, e.g. 01:30 on
//     2027-10-31 in Europe/London) means its first occurrence, the earlier
//     instant (01:30 BST = 00:30 UTC).
//
// The rule is computed explicitly from the zone's offsets on either side of the
// wall time; it does not rely on what time.Date happens to do in a gap. A nil
// loc means UTC.
func (w WallTime) In(loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	f := w.floating()
	// Offsets in force a day either side: any transition within ±10 h of the
	// wall time falls between them (zone offsets lie within −12 h … +14 h).
	before := offsetAt(f.Add(-24*time.Hour), loc)
	after := offsetAt(f.Add(24*time.Hour), loc)
	var best time.Time
	found := false
	for _, off := range [2]int{before, after} {
		t := f.Add(-time.Duration(off) * time.Second).In(loc)
		if wallOf(t) != w || t.Second() != 0 {
			continue
		}
		if !found || t.Before(best) {
			best, found = t, true
		}
	}
	if found {
		return best
	}
	// In a gap: use the offset in force before it.
	return f.Add(-time.Duration(before) * time.Second).In(loc)
}

func offsetAt(t time.Time, loc *time.Location) int {
	_, off := t.In(loc).Zone()
	return off
}

// floating is w as a time.Time in UTC carrying the same clock reading. All
// recurrence arithmetic happens on floating times, so no daylight-saving
// arithmetic ever happens inside rrule-go.
func (w WallTime) floating() time.Time {
	return time.Date(w.Year, w.Month, w.Day, w.Hour, w.Minute, 0, 0, time.UTC)
}

func wallOf(t time.Time) WallTime {
	y, m, d := t.Date()
	return WallTime{Year: y, Month: m, Day: d, Hour: t.Hour(), Minute: t.Minute()}
}

// check reports a wall time that names no real date and clock time.
func (w WallTime) check() error {
	if w.Year < minYear || w.Year > maxYear {
		return fmt.Errorf("%s: the year must be between %d and %d", w, minYear, maxYear)
	}
	if wallOf(w.floating()) != w {
		return fmt.Errorf("%s is not a real date and time", w)
	}
	return nil
}

// Date is a calendar date with no zone ("YYYY-MM-DD").
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads s strictly as "YYYY-MM-DD". It returns a *domain.Error
// (code invalid, no field name) when s is not such a date.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil || t.Format(DateLayout) != s {
		return Date{}, domain.Invalid(fmt.Sprintf("%q is not a date like 2027-12-31", s))
	}
	d := Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
	if err := d.check(); err != nil {
		return Date{}, domain.Invalid(err.Error())
	}
	return d, nil
}

// String formats d as "YYYY-MM-DD".
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

func (d Date) check() error {
	return WallTime{Year: d.Year, Month: d.Month, Day: d.Day}.check()
}

// lastMoment is the floating time of the last second of d.
func (d Date) lastMoment() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 23, 59, 59, 0, time.UTC)
}

// Series is one-off or recurring timed work (a demand's shifts) or time
// (a member's availability windows) in local wall time.
type Series struct {
	// Start is the wall time of the first occurrence ("start_local").
	Start WallTime
	// Duration is the length of each occurrence in wall-clock terms: an
	// occurrence ends at the wall time Start+Duration, resolved like the start.
	Duration time.Duration
	// Location is the time zone of the wall times (the demand's "timezone").
	Location *time.Location
	// RRule is an RFC 5545 RRULE value, with or without the "RRULE:" prefix;
	// "" means a single occurrence. See ValidateRRule for what is accepted.
	RRule string
	// ExDates remove the occurrences whose start wall time equals one of them.
	ExDates []WallTime
	// Until optionally ends the series on this local date (inclusive), in
	// addition to anything the rule says (an availability window's "until").
	Until *Date
}

// Occurrence is one concrete occurrence of a Series.
type Occurrence struct {
	// Start and End are instants in the series' Location. End is the wall time
	// Local+Duration resolved by the same rule as Start (see WallTime.In), and
	// never before Start.
	Start, End time.Time
	// Local is the start as generated by the rule, before resolution.
	Local WallTime
}

// Limits bound the expansion of a finite series (see ExpandAll).
type Limits struct {
	// MaxOccurrences caps how many occurrences the rule may generate, counted
	// before exdates are removed. Zero means no cap.
	MaxOccurrences int
	// Horizon is how far after Now an occurrence may start. Zero means no cap.
	Horizon time.Duration
	// MaxDuration caps Series.Duration. Zero means no cap.
	MaxDuration time.Duration
	// Now is the current instant, passed in: this package never reads the clock.
	Now time.Time
}

// Limits for a demand series: its rule generates at most 500 occurrences
// (counted before exdates), none starting more than two years ahead and none
// longer than a day.
const (
	MaxShiftOccurrences = 500
	ShiftHorizon        = 731 * 24 * time.Hour // two years, including a 29 February
	MaxShiftDuration    = 24 * time.Hour
)

// ShiftLimits returns the limits for expanding a demand into shifts, as of
// now.
func ShiftLimits(now time.Time) Limits {
	return Limits{
		MaxOccurrences: MaxShiftOccurrences,
		Horizon:        ShiftHorizon,
		MaxDuration:    MaxShiftDuration,
		Now:            now,
	}
}
