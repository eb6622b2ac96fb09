package scheduling

import (
	"fmt"
	"time"

	"github.com/copbank/copbank/domain"
	"github.com/teambition/rrule-go"
)

// ValidateSeries checks a series before it is stored: the start, the time
// zone, the duration (against maxDuration when it is above zero; durationField
// names the field, such as "end_local" or "duration_minutes"), the rule, the
// exdates and Until, and that start_local is itself the first occurrence of
// the rule (RFC 5545 leaves a start the rule does not pick undefined; copbank
// refuses it rather than guess). It returns a *domain.Error naming the field.
//
// It costs one step of the rule, except for a rule that can never occur,
// which rrule-go only gives up on at the year 9999 (about 0.1 s).
func ValidateSeries(s Series, durationField string, maxDuration time.Duration) error {
	p, err := checkSeries(s, durationField, maxDuration)
	if err != nil || s.RRule == "" {
		return err
	}
	r, err := newRule(s, p, s.Start.floating())
	if err != nil {
		return err
	}
	first, ok := r.Iterator()()
	if !ok {
		return domain.FieldInvalid(fieldRRule, fmt.Sprintf("the rule has no occurrence from start_local %s on; check UNTIL and the BY parts", s.Start))
	}
	if !first.Equal(s.Start.floating()) {
		return domain.FieldInvalid("start_local", fmt.Sprintf(
			"start_local %s (a %s) is not picked by the rule, whose first occurrence is %s; start the series on %s or change the rule",
			s.Start, s.Start.floating().Weekday(), wallOf(first), wallOf(first)))
	}
	return nil
}

// checkSeries validates everything but the rule's first occurrence.
func checkSeries(s Series, durationField string, maxDuration time.Duration) (parsedRule, error) {
	var p parsedRule
	if s.Location == nil {
		return p, domain.FieldInvalid("timezone", "a time zone is required")
	}
	if err := s.Start.check(); err != nil {
		return p, domain.FieldInvalid("start_local", err.Error())
	}
	if s.Duration <= 0 {
		return p, domain.FieldInvalid(durationField, "the end must be after the start")
	}
	if maxDuration > 0 && s.Duration > maxDuration {
		return p, domain.FieldInvalid(durationField, fmt.Sprintf("an occurrence may last at most %s", maxDuration))
	}
	if s.Duration%time.Minute != 0 {
		return p, domain.FieldInvalid(durationField, "the duration must be a whole number of minutes")
	}
	for i, x := range s.ExDates {
		if err := x.check(); err != nil {
			return p, domain.FieldInvalid(fmt.Sprintf("exdates[%d]", i), err.Error())
		}
	}
	if s.Until != nil {
		if err := s.Until.check(); err != nil {
			return p, domain.FieldInvalid("until", err.Error())
		}
		if s.Until.lastMoment().Before(s.Start.floating()) {
			return p, domain.FieldInvalid("until", fmt.Sprintf("until %s is before start_local %s", s.Until, s.Start))
		}
	}
	if s.RRule == "" {
		return p, nil
	}
	return parseRRule(s.RRule)
}

// newRule builds the rrule-go rule on floating times, starting at dtstart
// (the series start, or a later period start; see fastForward).
func newRule(s Series, p parsedRule, dtstart time.Time) (*rrule.RRule, error) {
	opt := p.opt
	opt.Dtstart = dtstart
	if u, ok := p.untilWall(s.Location); ok {
		opt.Until = u
	}
	if s.Until != nil {
		if u := s.Until.lastMoment(); opt.Until.IsZero() || u.Before(opt.Until) {
			opt.Until = u
		}
	}
	r, err := rrule.NewRRule(opt)
	if err != nil { // parseRRule keeps values in bounds; kept as a guard
		return nil, domain.FieldInvalid(fieldRRule, "the rule cannot be expanded: "+err.Error())
	}
	return r, nil
}

func (s Series) occurrence(local WallTime) Occurrence {
	start := local.In(s.Location)
	end := wallOf(local.floating().Add(s.Duration)).In(s.Location)
	if !end.After(start) { // only on a transition night, e.g. 01:30–02:00 over a gap
		end = start.Add(s.Duration)
	}
	return Occurrence{Start: start, End: end, Local: local}
}

// ExpandAll expands a finite series (a demand's shifts): every occurrence,
// with exdates removed, in start order. It refuses (never truncates), with a
// *domain.Error naming the field and saying what to change:
//
//   - anything ValidateSeries refuses (duration field "end_local",
//     lim.MaxDuration);
//   - a rule with neither COUNT nor UNTIL (it would never end);
//   - a rule that generates more than lim.MaxOccurrences, counted before
//     exdates are removed;
//   - an occurrence starting after lim.Now+lim.Horizon;
//   - an exdate that is not the start of an occurrence ("exdates[i]"), and a
//     series whose every occurrence is excluded.
//
// The work is bounded by lim.MaxOccurrences and the horizon.
func ExpandAll(s Series, lim Limits) ([]Occurrence, error) {
	if err := ValidateSeries(s, "end_local", lim.MaxDuration); err != nil {
		return nil, err
	}
	var limit time.Time
	if lim.Horizon > 0 {
		limit = lim.Now.Add(lim.Horizon)
	}
	beyond := func(o Occurrence) error {
		if !limit.IsZero() && o.Start.After(limit) {
			return domain.FieldInvalid(fieldRRule, fmt.Sprintf(
				"the series runs past %s, further ahead than a series may reach; end it sooner with a smaller COUNT or an earlier UNTIL",
				limit.In(s.Location).Format(DateLayout)))
		}
		return nil
	}
	var all []Occurrence
	if s.RRule == "" {
		o := s.occurrence(s.Start)
		if err := beyond(o); err != nil {
			return nil, domain.FieldInvalid("start_local", fmt.Sprintf("start_local %s is further ahead than %s", s.Start, limit.In(s.Location).Format(DateLayout)))
		}
		all = append(all, o)
	} else {
		p, _ := parseRRule(s.RRule) // checked by ValidateSeries
		if p.count == 0 && p.untilKind == untilNone {
			return nil, domain.FieldInvalid(fieldRRule, "the series never ends: add COUNT (how many occurrences) or UNTIL (the last date), for example FREQ=WEEKLY;COUNT=6")
		}
		tooMany := func() error {
			return domain.FieldInvalid(fieldRRule, fmt.Sprintf(
				"the rule makes more than %d occurrences (counted before exdates); use a smaller COUNT or an earlier UNTIL, or split the series",
				lim.MaxOccurrences))
		}
		if lim.MaxOccurrences > 0 && p.count > lim.MaxOccurrences {
			return nil, tooMany()
		}
		r, err := newRule(s, p, s.Start.floating())
		if err != nil {
			return nil, err
		}
		next := r.Iterator()
		for t, ok := next(); ok; t, ok = next() {
			if lim.MaxOccurrences > 0 && len(all) == lim.MaxOccurrences {
				return nil, tooMany()
			}
			o := s.occurrence(wallOf(t))
			if err := beyond(o); err != nil {
				return nil, err
			}
			all = append(all, o)
		}
	}
	out, err := removeExDates(s, all)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, domain.FieldInvalid("exdates", "the exdates remove every occurrence of the series")
	}
	return out, nil
}

func removeExDates(s Series, all []Occurrence) ([]Occurrence, error) {
	if len(s.ExDates) == 0 {
		return all, nil
	}
	ex := make(map[WallTime]bool, len(s.ExDates))
	for _, x := range s.ExDates {
		ex[x] = true
	}
	used := make(map[WallTime]bool, len(s.ExDates))
	out := all[:0:0]
	for _, o := range all {
		if ex[o.Local] {
			used[o.Local] = true
			continue
		}
		out = append(out, o)
	}
	for i, x := range s.ExDates {
		if !used[x] {
			return nil, domain.FieldInvalid(fmt.Sprintf("exdates[%d]", i), fmt.Sprintf(
				"%s is not the start of an occurrence of the series; an exdate must match an occurrence's start date and time", x))
		}
	}
	return out, nil
}

// ExpandBetween returns the occurrences of s that overlap [from, to), in start
// order, for a series that may never end (availability windows). Exdates
// remove matching occurrences (an exdate matching none is ignored here), and
// s.Until ends the series on that local date inclusive. It refuses, with a
// *domain.Error, what ValidateSeries refuses (duration field
// "duration_minutes", no maximum) and a to before from, except that it does
// not check that start_local is picked by the rule: call ValidateSeries when
// the series is stored. An empty range gives no occurrences.
//
// Without COUNT the work is bounded by the range: expansion starts from the
// last whole period (day, week, month or year, respecting INTERVAL and WKST)
// before the range instead of from start_local. With COUNT (at most
// MaxCount) it walks from start_local, as counting requires.
func ExpandBetween(s Series, from, to time.Time) ([]Occurrence, error) {
	return expandBetween(s, from, to, true)
}

func expandBetween(s Series, from, to time.Time, skip bool) ([]Occurrence, error) {
	p, err := checkSeries(s, "duration_minutes", 0)
	if err != nil {
		return nil, err
	}
	if to.Before(from) {
		return nil, domain.FieldInvalid("to", "to must not be before from")
	}
	if !to.After(from) {
		return nil, nil
	}
	ex := make(map[WallTime]bool, len(s.ExDates))
	for _, x := range s.ExDates {
		ex[x] = true
	}
	var out []Occurrence
	keep := func(local WallTime) {
		if ex[local] || (s.Until != nil && s.Until.lastMoment().Before(local.floating())) {
			return
		}
		if o := s.occurrence(local); o.Start.Before(to) && o.End.After(from) {
			out = append(out, o)
		}
	}
	if s.RRule == "" {
		keep(s.Start)
		return out, nil
	}
	// Floating bounds with two days' slack for any zone offset or transition.
	const slack = 48 * time.Hour
	lo := floatingOf(from.In(s.Location)).Add(-s.Duration - slack)
	hi := floatingOf(to.In(s.Location)).Add(slack)
	dtstart := s.Start.floating()
	if skip && p.count == 0 {
		p, dtstart = fastForward(p, dtstart, lo)
	}
	r, err := newRule(s, p, dtstart)
	if err != nil {
		return nil, err
	}
	next := r.Iterator()
	for t, ok := next(); ok && !t.After(hi); t, ok = next() {
		if !t.Before(lo) {
			keep(wallOf(t))
		}
	}
	return out, nil
}

func floatingOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

// fastForward moves a rule without COUNT from start to the beginning (00:00)
// of its last whole period at or before target, making explicit the parts
// rrule-go would otherwise take from DTSTART (the clock time, and the weekday,
// month day or month), so that from there on it yields exactly the same
// occurrences. It returns p and start unchanged when target is not past the
// start's period.
func fastForward(p parsedRule, start, target time.Time) (parsedRule, time.Time) {
	if !target.After(start) {
		return p, start
	}
	o := p.opt
	n := max(o.Interval, 1)
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	noDayParts := len(o.Byweekno) == 0 && len(o.Byyearday) == 0 && len(o.Bymonthday) == 0 && len(o.Byweekday) == 0
	var at time.Time
	switch o.Freq {
	case rrule.DAILY:
		days := int(day(target).Sub(day(start)) / (24 * time.Hour))
		at = day(start).AddDate(0, 0, days/n*n)
	case rrule.WEEKLY:
		back := (pyWeekday(start.Weekday()) - o.Wkst.Day() + 7) % 7
		w0 := day(start).AddDate(0, 0, -back)
		weeks := int(day(target).Sub(w0) / (7 * 24 * time.Hour))
		at = w0.AddDate(0, 0, weeks/n*n*7)
		if noDayParts {
			o.Byweekday = []rrule.Weekday{weekdayN(pyWeekday(start.Weekday()))}
		}
	case rrule.MONTHLY:
		months := (target.Year()*12 + int(target.Month())) - (start.Year()*12 + int(start.Month()))
		at = time.Date(start.Year(), start.Month()+time.Month(months/n*n), 1, 0, 0, 0, 0, time.UTC)
		if noDayParts {
			o.Bymonthday = []int{start.Day()}
		}
	case rrule.YEARLY:
		years := target.Year() - start.Year()
		at = time.Date(start.Year()+years/n*n, time.January, 1, 0, 0, 0, 0, time.UTC)
		if noDayParts {
			if len(o.Bymonth) == 0 {
				o.Bymonth = []int{int(start.Month())}
			}
			o.Bymonthday = []int{start.Day()}
		}
	default:
		return p, start
	}
	if !at.After(start) {
		return p, start
	}
	o.Byhour, o.Byminute, o.Bysecond = []int{start.Hour()}, []int{start.Minute()}, []int{0}
	p.opt = o
	return p, at
}

// pyWeekday numbers d as rrule-go does, from Monday = 0.
func pyWeekday(d time.Weekday) int { return (int(d) + 6) % 7 }
