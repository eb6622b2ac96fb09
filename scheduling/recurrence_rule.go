package scheduling

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/copbank/copbank/domain"
	"github.com/teambition/rrule-go"
)

// Bounds on rule parts, beyond RFC 5545's own. They keep every accepted rule
// cheap to expand (rrule-go overflows on huge INTERVALs).
const (
	MaxRRuleLength = 500
	MaxInterval    = 999
	MaxCount       = 10000
)

const fieldRRule = "rrule"

// untilKind says how a rule's UNTIL was written.
type untilKind int

const (
	untilNone  untilKind = iota
	untilDate            // 20271231: through the end of that local date
	untilLocal           // 20271231T200000: a local wall time
	untilUTC             // 20271231T200000Z: an instant
)

// parsedRule is a validated RRULE. opt carries no Dtstart and no Until yet.
type parsedRule struct {
	opt       rrule.ROption
	count     int // 0 = no COUNT
	untilKind untilKind
	until     time.Time // floating for untilDate/untilLocal, UTC for untilUTC
}

// untilWall returns the rule's UNTIL as a floating wall time in loc.
func (p parsedRule) untilWall(loc *time.Location) (time.Time, bool) {
	switch p.untilKind {
	case untilDate:
		return time.Date(p.until.Year(), p.until.Month(), p.until.Day(), 23, 59, 59, 0, time.UTC), true
	case untilLocal:
		return p.until, true
	case untilUTC:
		l := p.until.In(loc)
		return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC), true
	}
	return time.Time{}, false
}

// ValidateRRule checks an RFC 5545 RRULE value (optionally prefixed "RRULE:";
// part names and values are case-insensitive) against what copbank expands.
// It returns a *domain.Error on field "rrule" whose message says what to
// change. Beyond RFC 5545's own rules, it refuses:
//
//   - FREQ=SECONDLY, MINUTELY and HOURLY, and BYHOUR, BYMINUTE and BYSECOND:
//     every occurrence starts at the series' start_local clock time, at most
//     once a day (post one series per start time instead);
//   - DTSTART inside the rule (the start is start_local) and BYEASTER or any
//     other part RFC 5545 does not define;
//   - COUNT together with UNTIL, COUNT or INTERVAL below 1, INTERVAL above
//     MaxInterval, COUNT above MaxCount, a rule longer than MaxRRuleLength;
//   - combinations that can never occur (BYMONTH=2;BYMONTHDAY=30, "6MO" in a
//     monthly rule, BYSETPOS with nothing to pick from).
//
// UNTIL may be a date (20271231: through the end of that local day), a local
// date-time (20271231T200000) or a UTC date-time (20271231T190000Z); the first
// two are read as wall time in the series' time zone.
func ValidateRRule(rule string) error {
	_, err := parseRRule(rule)
	return err
}

func ruleErr(format string, args ...any) error {
	return domain.FieldInvalid(fieldRRule, fmt.Sprintf(format, args...))
}

func ruleFreq(s string) (rrule.Frequency, bool) {
	switch s {
	case "DAILY":
		return rrule.DAILY, true
	case "WEEKLY":
		return rrule.WEEKLY, true
	case "MONTHLY":
		return rrule.MONTHLY, true
	case "YEARLY":
		return rrule.YEARLY, true
	}
	return 0, false
}

// ruleWeekday reads a two-letter RFC 5545 weekday.
func ruleWeekday(s string) (rrule.Weekday, bool) {
	for i, name := range [7]string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"} {
		if s == name {
			return weekdayN(i), true
		}
	}
	return rrule.Weekday{}, false
}

// weekdayN is rrule-go's weekday numbered from Monday = 0.
func weekdayN(i int) rrule.Weekday {
	return [7]rrule.Weekday{rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU}[i]
}

func parseRRule(rule string) (parsedRule, error) {
	var p parsedRule
	s := strings.ToUpper(strings.TrimSpace(rule))
	s = strings.TrimPrefix(s, "RRULE:")
	if s == "" {
		return p, ruleErr("the rule is empty; write for example FREQ=WEEKLY;COUNT=6")
	}
	if len(rule) > MaxRRuleLength {
		return p, ruleErr("the rule is longer than %d characters", MaxRRuleLength)
	}
	seen := map[string]bool{}
	var freq string
	var byday []string // raw BYDAY items, checked once FREQ is known
	hasUntil := false
	for _, part := range strings.Split(s, ";") {
		name, value, ok := strings.Cut(part, "=")
		if part == "" {
			return p, ruleErr("the rule has an empty part (two ';' together, or one at an end)")
		}
		if !ok || value == "" {
			return p, ruleErr("%q must be written NAME=VALUE, for example COUNT=6", part)
		}
		if seen[name] {
			return p, ruleErr("%s appears more than once", name)
		}
		seen[name] = true
		var err error
		switch name {
		case "FREQ":
			f, ok := ruleFreq(value)
			switch {
			case ok:
				p.opt.Freq, freq = f, value
			case value == "HOURLY" || value == "MINUTELY" || value == "SECONDLY":
				return p, ruleErr("FREQ=%s is not supported: occurrences repeat at most daily, at the start time; post one series per start time", value)
			default:
				return p, ruleErr("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY, not %q", value)
			}
		case "INTERVAL":
			p.opt.Interval, err = ruleInt(name, value, 1, MaxInterval)
		case "COUNT":
			p.count, err = ruleInt(name, value, 1, MaxCount)
			p.opt.Count = p.count
		case "UNTIL":
			hasUntil = true
			p.untilKind, p.until, err = parseUntil(value)
		case "WKST":
			wd, ok := ruleWeekday(value)
			if !ok {
				return p, ruleErr("WKST must be one of MO, TU, WE, TH, FR, SA, SU, not %q", value)
			}
			p.opt.Wkst = wd
		case "BYDAY":
			byday = strings.Split(value, ",")
		case "BYMONTH":
			p.opt.Bymonth, err = ruleInts(name, value, 1, 12, false)
		case "BYMONTHDAY":
			p.opt.Bymonthday, err = ruleInts(name, value, 1, 31, true)
		case "BYYEARDAY":
			p.opt.Byyearday, err = ruleInts(name, value, 1, 366, true)
		case "BYWEEKNO":
			p.opt.Byweekno, err = ruleInts(name, value, 1, 53, true)
		case "BYSETPOS":
			p.opt.Bysetpos, err = ruleInts(name, value, 1, 366, true)
		case "BYHOUR", "BYMINUTE", "BYSECOND":
			return p, ruleErr("%s is not supported: every occurrence starts at the clock time of start_local; post one series per start time", name)
		case "DTSTART":
			return p, ruleErr("DTSTART does not belong in the rule: the first occurrence is start_local")
		default:
			return p, ruleErr("%s is not a part of an RFC 5545 rule copbank understands", name)
		}
		if err != nil {
			return p, err
		}
	}
	if freq == "" {
		return p, ruleErr("the rule needs FREQ, for example FREQ=WEEKLY")
	}
	if p.count > 0 && hasUntil {
		return p, ruleErr("use COUNT or UNTIL, not both (RFC 5545)")
	}
	for _, item := range byday {
		wd, err := parseByDay(item, freq, len(p.opt.Byweekno) > 0)
		if err != nil {
			return p, err
		}
		p.opt.Byweekday = append(p.opt.Byweekday, wd)
	}
	if err := checkCombination(p, freq); err != nil {
		return p, err
	}
	return p, nil
}

func ruleInt(name, value string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(value)
	if err != nil || n < lo || n > hi || strings.HasPrefix(value, "+") {
		return 0, ruleErr("%s must be a whole number from %d to %d, not %q", name, lo, hi, value)
	}
	return n, nil
}

// ruleInts parses a comma-separated list of integers in lo..hi, or also in
// -hi..-lo when signed.
func ruleInts(name, value string, lo, hi int, signed bool) ([]int, error) {
	var out []int
	for _, item := range strings.Split(value, ",") {
		n, err := strconv.Atoi(item)
		a := n
		if signed && a < 0 {
			a = -a
		}
		if err != nil || a < lo || a > hi || (!signed && n < 0) {
			if signed {
				return nil, ruleErr("%s must list numbers from %d to %d or -%d to -%d, not %q", name, lo, hi, hi, lo, item)
			}
			return nil, ruleErr("%s must list numbers from %d to %d, not %q", name, lo, hi, item)
		}
		out = append(out, n)
	}
	return out, nil
}

func parseByDay(item, freq string, hasWeekNo bool) (rrule.Weekday, error) {
	if len(item) < 2 {
		return rrule.Weekday{}, ruleErr("BYDAY must list days such as MO,WE or 1MO,-1FR, not %q", item)
	}
	wd, ok := ruleWeekday(item[len(item)-2:])
	if !ok {
		return rrule.Weekday{}, ruleErr("BYDAY must list days such as MO,WE or 1MO,-1FR, not %q", item)
	}
	num := item[:len(item)-2]
	if num == "" {
		return wd, nil
	}
	n, err := strconv.Atoi(num)
	a := n
	if a < 0 {
		a = -a
	}
	if err != nil || a < 1 || a > 53 {
		return rrule.Weekday{}, ruleErr("BYDAY must list days such as MO,WE or 1MO,-1FR, not %q", item)
	}
	switch {
	case freq != "MONTHLY" && freq != "YEARLY":
		return rrule.Weekday{}, ruleErr("BYDAY=%s: a numbered day (such as 1MO) needs FREQ=MONTHLY or FREQ=YEARLY", item)
	case freq == "YEARLY" && hasWeekNo:
		return rrule.Weekday{}, ruleErr("BYDAY=%s: a numbered day cannot be combined with BYWEEKNO", item)
	case freq == "MONTHLY" && a > 5:
		return rrule.Weekday{}, ruleErr("BYDAY=%s: a month has at most 5 of any weekday", item)
	}
	return wd.Nth(n), nil
}

// checkCombination applies RFC 5545's restrictions on which BYxxx parts go
// with which FREQ, and refuses a few combinations that can never occur.
func checkCombination(p parsedRule, freq string) error {
	o := p.opt
	if len(o.Bymonthday) > 0 && freq == "WEEKLY" {
		return ruleErr("BYMONTHDAY cannot be used with FREQ=WEEKLY")
	}
	if len(o.Byyearday) > 0 && freq != "YEARLY" {
		return ruleErr("BYYEARDAY needs FREQ=YEARLY")
	}
	if len(o.Byweekno) > 0 && freq != "YEARLY" {
		return ruleErr("BYWEEKNO needs FREQ=YEARLY")
	}
	if len(o.Bysetpos) > 0 && len(o.Bymonth)+len(o.Bymonthday)+len(o.Byyearday)+len(o.Byweekno)+len(o.Byweekday) == 0 {
		return ruleErr("BYSETPOS needs another BY part to pick from, such as BYDAY")
	}
	if len(o.Bymonth) > 0 && len(o.Bymonthday) > 0 {
		possible := false
		for _, m := range o.Bymonth {
			days := daysInMonth(time.Month(m), 2028) // a leap year: 29 February exists
			for _, d := range o.Bymonthday {
				if d <= days && -d <= days {
					possible = true
				}
			}
		}
		if !possible {
			return ruleErr("no month in BYMONTH has a day in BYMONTHDAY, so the rule never occurs")
		}
	}
	return nil
}

func daysInMonth(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func parseUntil(value string) (untilKind, time.Time, error) {
	layouts := []struct {
		layout string
		kind   untilKind
	}{
		{"20060102", untilDate},
		{"20060102T150405", untilLocal},
		{"20060102T150405Z", untilUTC},
	}
	for _, l := range layouts {
		if len(value) != len(l.layout) {
			continue
		}
		t, err := time.Parse(l.layout, value)
		if err != nil || t.Format(l.layout) != value {
			break
		}
		if t.Year() < minYear || t.Year() > maxYear {
			return 0, time.Time{}, ruleErr("UNTIL: the year must be between %d and %d", minYear, maxYear)
		}
		return l.kind, t, nil
	}
	return 0, time.Time{}, ruleErr("UNTIL must be a date like 20271231 or a date-time like 20271231T235900, not %q", value)
}
