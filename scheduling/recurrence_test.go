package scheduling

import (
	"errors"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the machine's zone files

	"github.com/copbank/copbank/domain"
)

func loc(tb testing.TB, name string) *time.Location {
	tb.Helper()
	l, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatalf("load %s: %v", name, err)
	}
	return l
}

func wall(tb testing.TB, s string) WallTime {
	tb.Helper()
	w, err := ParseWallTime(s)
	if err != nil {
		tb.Fatalf("ParseWallTime(%q): %v", s, err)
	}
	return w
}

func walls(tb testing.TB, ss ...string) []WallTime {
	tb.Helper()
	out := make([]WallTime, 0, len(ss))
	for _, s := range ss {
		out = append(out, wall(tb, s))
	}
	return out
}

func date(tb testing.TB, s string) *Date {
	tb.Helper()
	d, err := ParseDate(s)
	if err != nil {
		tb.Fatalf("ParseDate(%q): %v", s, err)
	}
	return &d
}

func instant(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		tb.Fatalf("parse %q: %v", s, err)
	}
	return t
}

// spans renders occurrences as "start/end" in RFC 3339 with offsets.
func spans(occ []Occurrence) []string {
	out := make([]string, 0, len(occ))
	for _, o := range occ {
		out = append(out, o.Start.Format(time.RFC3339)+"/"+o.End.Format(time.RFC3339))
	}
	return out
}

func sameStrings(tb testing.TB, got, want []string) {
	tb.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		tb.Fatalf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// fieldError checks err is a *domain.Error of code invalid on field whose
// message contains every fragment.
func fieldError(tb testing.TB, err error, field string, fragments ...string) {
	tb.Helper()
	var de *domain.Error
	if !errors.As(err, &de) {
		tb.Fatalf("got error %v (%T), want *domain.Error", err, err)
	}
	if de.Code != domain.EInvalid || len(de.Fields) != 1 || de.Fields[0].Field != field {
		tb.Fatalf("got %v, want code invalid on field %q", de, field)
	}
	for _, f := range fragments {
		if !strings.Contains(de.Fields[0].Message, f) {
			tb.Fatalf("message %q does not mention %q", de.Fields[0].Message, f)
		}
	}
}

var now2027 = time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC)

func TestParseWallTime(t *testing.T) {
	t.Parallel()
	good := []string{"2027-10-22T20:00", "2028-02-29T00:00", "2027-12-31T23:59"}
	for _, s := range good {
		t.Run("accepts "+s, func(t *testing.T) {
			t.Parallel()
			if got := wall(t, s).String(); got != s {
				t.Fatalf("round trip gave %q", got)
			}
		})
	}
	bad := []string{"", "2027-10-22 20:00", "2027-10-22T20:00:00", "2027-10-22T20:00Z", "2027-02-29T10:00",
		"2027-1-2T03:04", "2027-01-02T3:04", "2027-10-22T24:00", "0001-01-01T00:00", "9999-12-31T23:59"}
	for _, s := range bad {
		t.Run("refuses "+s, func(t *testing.T) {
			t.Parallel()
			_, err := ParseWallTime(s)
			if domain.ErrorCode(err) != domain.EInvalid {
				t.Fatalf("got %v, want an invalid error", err)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	if d := date(t, "2027-03-27"); d.String() != "2027-03-27" {
		t.Fatalf("round trip gave %q", d)
	}
	for _, s := range []string{"2027-3-27", "2027-02-30", "27-03-2027", "2027-03-27T00:00"} {
		if _, err := ParseDate(s); domain.ErrorCode(err) != domain.EInvalid {
			t.Fatalf("ParseDate(%q) = %v, want an invalid error", s, err)
		}
	}
}

func TestParseExDatesNamesTheBadOne(t *testing.T) {
	t.Parallel()
	_, err := ParseExDates([]string{"2027-11-12T20:00", "2027-11-19T20:00", "next tuesday"})
	fieldError(t, err, "exdates[2]", "2027-10-22T20:00")
}

func TestWallTimeIn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, zone, wall, want string
	}{
		{"an ordinary winter evening is GMT", "Europe/London", "2027-01-08T20:00", "2027-01-08T20:00:00Z"},
		{"an ordinary summer evening is BST", "Europe/London", "2027-07-02T20:00", "2027-07-02T20:00:00+01:00"},
		{"a wall time in the March gap is read with the offset before it", "Europe/London", "2027-03-28T01:30", "2027-03-28T02:30:00+01:00"},
		{"the first minute of the March gap is the first minute of BST", "Europe/London", "2027-03-28T01:00", "2027-03-28T02:00:00+01:00"},
		{"the minute before the March gap is still GMT", "Europe/London", "2027-03-28T00:59", "2027-03-28T00:59:00Z"},
		{"the first wall time after the March gap is BST", "Europe/London", "2027-03-28T02:00", "2027-03-28T02:00:00+01:00"},
		{"a wall time repeated in October is the earlier, BST one", "Europe/London", "2027-10-31T01:30", "2027-10-31T01:30:00+01:00"},
		{"the start of the repeated October hour is the earlier, BST one", "Europe/London", "2027-10-31T01:00", "2027-10-31T01:00:00+01:00"},
		{"the wall time after the repeated hour happens once, in GMT", "Europe/London", "2027-10-31T02:00", "2027-10-31T02:00:00Z"},
		{"a New York gap at 02:30 is read with EST", "America/New_York", "2027-03-14T02:30", "2027-03-14T03:30:00-04:00"},
		{"a New York repeated 01:30 is the EDT one", "America/New_York", "2027-11-07T01:30", "2027-11-07T01:30:00-04:00"},
		{"a half-hour Lord Howe gap is read with the offset before it", "Australia/Lord_Howe", "2027-10-03T02:15", "2027-10-03T02:45:00+11:00"},
		{"a half-hour Lord Howe repeat is the earlier one", "Australia/Lord_Howe", "2027-04-04T01:45", "2027-04-04T01:45:00+11:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := wall(t, tc.wall).In(loc(t, tc.zone))
			if !got.Equal(instant(t, tc.want)) {
				t.Fatalf("%s in %s = %s, want %s", tc.wall, tc.zone, got.Format(time.RFC3339), tc.want)
			}
		})
	}
}

func TestExpandAll(t *testing.T) {
	t.Parallel()
	london := loc(t, "Europe/London")
	tests := []struct {
		name   string
		series Series
		want   []string
	}{
		{
			name: "a weekly 20:00 patrol stays at 20:00 across the October change, with one exdate giving 5 of 6",
			series: Series{Start: wall(t, "2027-10-22T20:00"), Duration: 4 * time.Hour, Location: london,
				RRule: "FREQ=WEEKLY;COUNT=6", ExDates: walls(t, "2027-11-12T20:00")},
			want: []string{
				"2027-10-22T20:00:00+01:00/2027-10-23T00:00:00+01:00",
				"2027-10-29T20:00:00+01:00/2027-10-30T00:00:00+01:00",
				"2027-11-05T20:00:00Z/2027-11-06T00:00:00Z",
				"2027-11-19T20:00:00Z/2027-11-20T00:00:00Z",
				"2027-11-26T20:00:00Z/2027-11-27T00:00:00Z",
			},
		},
		{
			name: "a weekly 20:00 patrol stays at 20:00 across the March change, with the RRULE: prefix",
			series: Series{Start: wall(t, "2027-03-21T20:00"), Duration: 2 * time.Hour, Location: london,
				RRule: "RRULE:FREQ=WEEKLY;COUNT=3"},
			want: []string{
				"2027-03-21T20:00:00Z/2027-03-21T22:00:00Z",
				"2027-03-28T20:00:00+01:00/2027-03-28T22:00:00+01:00",
				"2027-04-04T20:00:00+01:00/2027-04-04T22:00:00+01:00",
			},
		},
		{
			name: "an overnight 22:00 to 06:00 shift keeps its wall times and lasts 9 hours on the October night",
			series: Series{Start: wall(t, "2027-10-30T22:00"), Duration: 8 * time.Hour, Location: london,
				RRule: "FREQ=DAILY;COUNT=2"},
			want: []string{
				"2027-10-30T22:00:00+01:00/2027-10-31T06:00:00Z",
				"2027-10-31T22:00:00Z/2027-11-01T06:00:00Z",
			},
		},
		{
			name:   "an overnight 22:00 to 06:00 shift lasts 7 hours on the March night",
			series: Series{Start: wall(t, "2027-03-27T22:00"), Duration: 8 * time.Hour, Location: london},
			want:   []string{"2027-03-27T22:00:00Z/2027-03-28T06:00:00+01:00"},
		},
		{
			name: "a 01:30 shift lands after the gap on the March night and on the first 01:30 in October",
			series: Series{Start: wall(t, "2027-03-27T01:30"), Duration: time.Hour, Location: london,
				RRule: "FREQ=YEARLY;BYMONTH=3,10;BYMONTHDAY=27,28,30,31;UNTIL=20271031"},
			want: []string{
				"2027-03-27T01:30:00Z/2027-03-27T02:30:00Z",
				"2027-03-28T02:30:00+01:00/2027-03-28T03:30:00+01:00",
				"2027-03-30T01:30:00+01:00/2027-03-30T02:30:00+01:00",
				"2027-03-31T01:30:00+01:00/2027-03-31T02:30:00+01:00",
				"2027-10-27T01:30:00+01:00/2027-10-27T02:30:00+01:00",
				"2027-10-28T01:30:00+01:00/2027-10-28T02:30:00+01:00",
				"2027-10-30T01:30:00+01:00/2027-10-30T02:30:00+01:00",
				"2027-10-31T01:30:00+01:00/2027-10-31T02:30:00Z",
			},
		},
		{
			name:   "a shift ending in the gap ends as far past the gap's start as written",
			series: Series{Start: wall(t, "2027-03-28T00:45"), Duration: 30 * time.Minute, Location: london},
			want:   []string{"2027-03-28T00:45:00Z/2027-03-28T02:15:00+01:00"},
		},
		{
			name:   "a short shift starting in the gap never ends before it starts",
			series: Series{Start: wall(t, "2027-03-28T01:30"), Duration: 30 * time.Minute, Location: london},
			want:   []string{"2027-03-28T02:30:00+01:00/2027-03-28T03:00:00+01:00"},
		},
		{
			name:   "a one-off shift has exactly one occurrence",
			series: Series{Start: wall(t, "2027-05-01T09:00"), Duration: 3 * time.Hour, Location: london},
			want:   []string{"2027-05-01T09:00:00+01:00/2027-05-01T12:00:00+01:00"},
		},
		{
			name: "a date UNTIL includes the occurrence on that date",
			series: Series{Start: wall(t, "2027-01-08T18:00"), Duration: time.Hour, Location: london,
				RRule: "FREQ=WEEKLY;BYDAY=FR;UNTIL=20270122"},
			want: []string{
				"2027-01-08T18:00:00Z/2027-01-08T19:00:00Z",
				"2027-01-15T18:00:00Z/2027-01-15T19:00:00Z",
				"2027-01-22T18:00:00Z/2027-01-22T19:00:00Z",
			},
		},
		{
			name: "a UTC UNTIL is compared as the local wall time it names",
			series: Series{Start: wall(t, "2027-07-02T20:00"), Duration: time.Hour, Location: london,
				RRule: "FREQ=DAILY;UNTIL=20270703T190000Z"},
			want: []string{
				"2027-07-02T20:00:00+01:00/2027-07-02T21:00:00+01:00",
				"2027-07-03T20:00:00+01:00/2027-07-03T21:00:00+01:00",
			},
		},
		{
			name: "lower-case rules and the second Tuesday of each month work",
			series: Series{Start: wall(t, "2027-01-12T10:00"), Duration: time.Hour, Location: london,
				RRule: "freq=monthly;byday=2TU;count=3"},
			want: []string{
				"2027-01-12T10:00:00Z/2027-01-12T11:00:00Z",
				"2027-02-09T10:00:00Z/2027-02-09T11:00:00Z",
				"2027-03-09T10:00:00Z/2027-03-09T11:00:00Z",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ExpandAll(tc.series, ShiftLimits(now2027))
			if err != nil {
				t.Fatalf("ExpandAll: %v", err)
			}
			sameStrings(t, spans(got), tc.want)
		})
	}
}

func TestExpandAllRefuses(t *testing.T) {
	t.Parallel()
	london := loc(t, "Europe/London")
	weekly := func(rule string) Series {
		return Series{Start: wall(t, "2027-10-22T20:00"), Duration: 4 * time.Hour, Location: london, RRule: rule}
	}
	tests := []struct {
		name      string
		series    Series
		field     string
		fragments []string
	}{
		{"COUNT together with UNTIL", weekly("FREQ=WEEKLY;COUNT=6;UNTIL=20271231"), "rrule", []string{"COUNT or UNTIL, not both"}},
		{"INTERVAL=0", weekly("FREQ=WEEKLY;INTERVAL=0;COUNT=6"), "rrule", []string{"INTERVAL", "from 1"}},
		{"COUNT=-1", weekly("FREQ=WEEKLY;COUNT=-1"), "rrule", []string{"COUNT", "from 1"}},
		{"COUNT=0", weekly("FREQ=WEEKLY;COUNT=0"), "rrule", []string{"COUNT", "from 1"}},
		{"FREQ=HOURLY", weekly("FREQ=HOURLY;COUNT=6"), "rrule", []string{"HOURLY is not supported"}},
		{"FREQ=MINUTELY", weekly("FREQ=MINUTELY;COUNT=6"), "rrule", []string{"MINUTELY is not supported"}},
		{"FREQ=SECONDLY", weekly("FREQ=SECONDLY;COUNT=6"), "rrule", []string{"SECONDLY is not supported"}},
		{"BYHOUR making several starts a day", weekly("FREQ=DAILY;BYHOUR=8,20;COUNT=6"), "rrule", []string{"BYHOUR is not supported"}},
		{"a COUNT above 500", weekly("FREQ=DAILY;COUNT=501"), "rrule", []string{"more than 500", "before exdates"}},
		{"an UNTIL making 501 occurrences even though an exdate would leave 500", Series{
			Start: wall(t, "2027-01-01T09:00"), Duration: time.Hour, Location: london,
			RRule: "FREQ=DAILY;UNTIL=20280515", ExDates: walls(t, "2027-01-02T09:00")}, "rrule", []string{"more than 500"}},
		{"a series reaching beyond two years", weekly("FREQ=WEEKLY;COUNT=200"), "rrule", []string{"runs past 2029-01-01", "smaller COUNT"}},
		{"a one-off shift beyond two years", Series{Start: wall(t, "2030-01-01T09:00"), Duration: time.Hour, Location: london}, "start_local", []string{"further ahead"}},
		{"a rule with neither COUNT nor UNTIL", weekly("FREQ=WEEKLY"), "rrule", []string{"never ends", "COUNT", "UNTIL"}},
		{"garbage", weekly("every other friday"), "rrule", []string{"NAME=VALUE"}},
		{"an unknown FREQ", weekly("FREQ=FORTNIGHTLY;COUNT=3"), "rrule", []string{"DAILY, WEEKLY, MONTHLY or YEARLY"}},
		{"DTSTART inside the rule", weekly("DTSTART=20271022T200000;FREQ=WEEKLY;COUNT=6"), "rrule", []string{"DTSTART", "start_local"}},
		{"a part RFC 5545 does not define", weekly("FREQ=WEEKLY;COUNT=6;BYEASTER=0"), "rrule", []string{"BYEASTER"}},
		{"a rule without FREQ", weekly("COUNT=6"), "rrule", []string{"needs FREQ"}},
		{"a repeated part", weekly("FREQ=WEEKLY;COUNT=6;COUNT=7"), "rrule", []string{"COUNT appears more than once"}},
		{"a malformed UNTIL", weekly("FREQ=WEEKLY;UNTIL=2027-12-31"), "rrule", []string{"UNTIL must be a date"}},
		{"a numbered weekday in a weekly rule", weekly("FREQ=WEEKLY;BYDAY=1FR;COUNT=3"), "rrule", []string{"1FR", "MONTHLY"}},
		{"a sixth Friday of the month", weekly("FREQ=MONTHLY;BYDAY=6FR;COUNT=3"), "rrule", []string{"at most 5"}},
		{"the 30th of February", weekly("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3"), "rrule", []string{"never occurs"}},
		{"a start the rule does not pick", Series{Start: wall(t, "2027-01-07T18:00"), Duration: time.Hour, Location: london,
			RRule: "FREQ=WEEKLY;BYDAY=FR,SA;COUNT=4"}, "start_local", []string{"Thursday", "2027-01-08T18:00"}},
		{"an UNTIL before the start", weekly("FREQ=WEEKLY;UNTIL=20271001"), "rrule", []string{"no occurrence"}},
		{"an exdate that is not an occurrence", Series{Start: wall(t, "2027-10-22T20:00"), Duration: 4 * time.Hour, Location: london,
			RRule: "FREQ=WEEKLY;COUNT=6", ExDates: walls(t, "2027-11-12T20:00", "2027-11-13T20:00")}, "exdates[1]", []string{"2027-11-13T20:00", "not the start"}},
		{"exdates removing every occurrence", Series{Start: wall(t, "2027-10-22T20:00"), Duration: 4 * time.Hour, Location: london,
			ExDates: walls(t, "2027-10-22T20:00")}, "exdates", []string{"every occurrence"}},
		{"a shift longer than 24 hours", Series{Start: wall(t, "2027-10-22T20:00"), Duration: 25 * time.Hour, Location: london}, "end_local", []string{"at most 24h"}},
		{"an end before the start", Series{Start: wall(t, "2027-10-22T20:00"), Duration: -time.Hour, Location: london}, "end_local", []string{"after the start"}},
		{"no time zone", Series{Start: wall(t, "2027-10-22T20:00"), Duration: time.Hour}, "timezone", []string{"required"}},
		{"an impossible start", Series{Start: WallTime{2027, time.February, 30, 9, 0}, Duration: time.Hour, Location: london}, "start_local", []string{"not a real date"}},
	}
	for _, tc := range tests {
		t.Run("refuses "+tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ExpandAll(tc.series, ShiftLimits(now2027))
			if err == nil {
				t.Fatalf("got %d occurrences, want an error", len(got))
			}
			fieldError(t, err, tc.field, tc.fragments...)
		})
	}
}

func TestExpandAllAcceptsExactlyTheLimits(t *testing.T) {
	t.Parallel()
	london := loc(t, "Europe/London")
	t.Run("500 occurrences are allowed", func(t *testing.T) {
		t.Parallel()
		got, err := ExpandAll(Series{Start: wall(t, "2027-01-01T09:00"), Duration: time.Hour, Location: london,
			RRule: "FREQ=DAILY;UNTIL=20280514"}, ShiftLimits(now2027))
		if err != nil || len(got) != 500 {
			t.Fatalf("got %d, %v; want 500 occurrences", len(got), err)
		}
	})
	t.Run("a series ending just inside two years is allowed", func(t *testing.T) {
		t.Parallel()
		_, err := ExpandAll(Series{Start: wall(t, "2027-01-01T09:00"), Duration: time.Hour, Location: london,
			RRule: "FREQ=MONTHLY;UNTIL=20290101"}, ShiftLimits(now2027))
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestExpandBetween(t *testing.T) {
	t.Parallel()
	london := loc(t, "Europe/London")
	friSat := Series{Start: wall(t, "2027-01-08T18:00"), Duration: 6 * time.Hour, Location: london,
		RRule: "FREQ=WEEKLY;BYDAY=FR,SA"}
	tests := []struct {
		name     string
		series   Series
		from, to string
		want     []string
	}{
		{
			name:   "an endless weekly availability rule expands over the range asked for, across the March change",
			series: friSat, from: "2027-03-22T00:00:00Z", to: "2027-04-05T00:00:00Z",
			want: []string{
				"2027-03-26T18:00:00Z/2027-03-27T00:00:00Z",
				"2027-03-27T18:00:00Z/2027-03-28T00:00:00Z",
				"2027-04-02T18:00:00+01:00/2027-04-03T00:00:00+01:00",
				"2027-04-03T18:00:00+01:00/2027-04-04T00:00:00+01:00",
			},
		},
		{
			name: "until is inclusive: the window on the until date is kept and later ones dropped",
			series: func() Series {
				s := friSat
				s.Until = date(t, "2027-03-27")
				return s
			}(),
			from: "2027-03-22T00:00:00Z", to: "2027-04-05T00:00:00Z",
			want: []string{
				"2027-03-26T18:00:00Z/2027-03-27T00:00:00Z",
				"2027-03-27T18:00:00Z/2027-03-28T00:00:00Z",
			},
		},
		{
			name:   "a window that started before the range but overlaps it is included",
			series: friSat, from: "2027-01-08T23:00:00Z", to: "2027-01-09T12:00:00Z",
			want: []string{"2027-01-08T18:00:00Z/2027-01-09T00:00:00Z"},
		},
		{
			name:   "a window ending exactly at from is not included",
			series: friSat, from: "2027-01-09T00:00:00Z", to: "2027-01-09T12:00:00Z",
			want: []string{},
		},
		{
			name:   "a range decades ahead is expanded from there, keeping 18:00 local",
			series: friSat, from: "2090-06-05T00:00:00Z", to: "2090-06-12T00:00:00Z",
			want: []string{
				"2090-06-09T18:00:00+01:00/2090-06-10T00:00:00+01:00",
				"2090-06-10T18:00:00+01:00/2090-06-11T00:00:00+01:00",
			},
		},
		{
			name: "exdates remove windows",
			series: func() Series {
				s := friSat
				s.ExDates = walls(t, "2027-01-09T18:00")
				return s
			}(),
			from: "2027-01-08T00:00:00Z", to: "2027-01-10T00:00:00Z",
			want: []string{"2027-01-08T18:00:00Z/2027-01-09T00:00:00Z"},
		},
		{
			name:   "a one-off window happens once",
			series: Series{Start: wall(t, "2027-06-01T10:00"), Duration: 2 * time.Hour, Location: london},
			from:   "2027-05-01T00:00:00Z", to: "2027-07-01T00:00:00Z",
			want: []string{"2027-06-01T10:00:00+01:00/2027-06-01T12:00:00+01:00"},
		},
		{
			name:   "a one-off window outside the range is not returned",
			series: Series{Start: wall(t, "2027-06-01T10:00"), Duration: 2 * time.Hour, Location: london},
			from:   "2027-07-01T00:00:00Z", to: "2027-08-01T00:00:00Z",
			want: []string{},
		},
		{
			name:   "a range before the start is empty",
			series: friSat, from: "2026-12-01T00:00:00Z", to: "2027-01-01T00:00:00Z",
			want: []string{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ExpandBetween(tc.series, instant(t, tc.from), instant(t, tc.to))
			if err != nil {
				t.Fatalf("ExpandBetween: %v", err)
			}
			sameStrings(t, spans(got), tc.want)
		})
	}
}

func TestExpandBetweenRefuses(t *testing.T) {
	t.Parallel()
	london := loc(t, "Europe/London")
	s := Series{Start: wall(t, "2027-01-08T18:00"), Duration: 6 * time.Hour, Location: london, RRule: "FREQ=WEEKLY"}
	t.Run("refuses a range that ends before it starts", func(t *testing.T) {
		t.Parallel()
		_, err := ExpandBetween(s, now2027, now2027.Add(-time.Hour))
		fieldError(t, err, "to", "before from")
	})
	t.Run("refuses a zero duration, naming duration_minutes", func(t *testing.T) {
		t.Parallel()
		z := s
		z.Duration = 0
		_, err := ExpandBetween(z, now2027, now2027.Add(time.Hour))
		fieldError(t, err, "duration_minutes")
	})
	t.Run("refuses a bad rule", func(t *testing.T) {
		t.Parallel()
		b := s
		b.RRule = "FREQ=HOURLY"
		_, err := ExpandBetween(b, now2027, now2027.Add(time.Hour))
		fieldError(t, err, "rrule", "HOURLY")
	})
}

// The fast-forward from start_local to the range must not change the answer.
func TestExpandBetweenSkippingAheadMatchesWalkingFromTheStart(t *testing.T) {
	t.Parallel()
	london := loc(t, "Europe/London")
	rules := []string{
		"FREQ=DAILY", "FREQ=DAILY;INTERVAL=3", "FREQ=DAILY;BYDAY=MO,WE;BYMONTH=3,10",
		"FREQ=WEEKLY", "FREQ=WEEKLY;INTERVAL=2", "FREQ=WEEKLY;INTERVAL=3;BYDAY=SU,TU;WKST=SU",
		"FREQ=WEEKLY;INTERVAL=2;BYDAY=FR,SA;WKST=SA", "FREQ=WEEKLY;BYDAY=MO,TU,WE;BYSETPOS=-1",
		"FREQ=MONTHLY", "FREQ=MONTHLY;INTERVAL=5", "FREQ=MONTHLY;BYDAY=-1FR", "FREQ=MONTHLY;BYMONTHDAY=-1,15",
		"FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1", "FREQ=YEARLY", "FREQ=YEARLY;INTERVAL=3",
		"FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "FREQ=YEARLY;BYWEEKNO=1,53;BYDAY=MO", "FREQ=YEARLY;BYYEARDAY=1,-1",
		"FREQ=WEEKLY;UNTIL=20300101",
	}
	starts := []string{"2027-01-31T01:30", "2027-10-31T01:30", "2028-02-29T23:00", "2027-03-28T20:00"}
	ranges := [][2]string{
		{"2027-01-01T00:00:00Z", "2027-02-15T00:00:00Z"},
		{"2029-10-20T00:00:00Z", "2029-11-10T00:00:00Z"},
		{"2031-03-25T00:00:00Z", "2031-04-30T00:00:00Z"},
		{"2033-12-20T00:00:00Z", "2034-01-10T00:00:00Z"},
	}
	for _, rule := range rules {
		t.Run(rule, func(t *testing.T) {
			t.Parallel()
			for _, start := range starts {
				for _, r := range ranges {
					s := Series{Start: wall(t, start), Duration: 5 * time.Hour, Location: london, RRule: rule}
					from, to := instant(t, r[0]), instant(t, r[1])
					fast, err := expandBetween(s, from, to, true)
					if err != nil {
						t.Fatal(err)
					}
					slow, err := expandBetween(s, from, to, false)
					if err != nil {
						t.Fatal(err)
					}
					if strings.Join(spans(fast), " ") != strings.Join(spans(slow), " ") {
						t.Fatalf("start %s, range %v:\nskipping ahead gave %v\nwalking gave        %v", start, r, spans(fast), spans(slow))
					}
				}
			}
		})
	}
}

func TestValidateRRule(t *testing.T) {
	t.Parallel()
	accepted := []string{
		"FREQ=WEEKLY;COUNT=6", "RRULE:FREQ=WEEKLY;BYDAY=FR,SA", "rrule:freq=daily;interval=2;until=20271231",
		"FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20271231T200000", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
		"FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", "FREQ=WEEKLY;UNTIL=20271231T190000Z;WKST=SU",
		"FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "FREQ=YEARLY;BYYEARDAY=-1",
	}
	for _, rule := range accepted {
		t.Run("accepts "+rule, func(t *testing.T) {
			t.Parallel()
			if err := ValidateRRule(rule); err != nil {
				t.Fatal(err)
			}
		})
	}
	refused := []struct{ rule, fragment string }{
		{"", "empty"},
		{"FREQ=WEEKLY;", "empty part"},
		{"FREQ=WEEKLY;COUNT=+3", "COUNT"},
		{"FREQ=WEEKLY;COUNT=10001", "10000"},
		{"FREQ=WEEKLY;INTERVAL=9223372036854775807", "INTERVAL"},
		{"FREQ=WEEKLY;BYDAY=XX", "BYDAY"},
		{"FREQ=WEEKLY;BYDAY=", "NAME=VALUE"},
		{"FREQ=WEEKLY;BYMONTHDAY=1", "BYMONTHDAY cannot be used with FREQ=WEEKLY"},
		{"FREQ=MONTHLY;BYYEARDAY=1", "BYYEARDAY needs FREQ=YEARLY"},
		{"FREQ=MONTHLY;BYWEEKNO=1", "BYWEEKNO needs FREQ=YEARLY"},
		{"FREQ=YEARLY;BYWEEKNO=1;BYDAY=1MO", "BYWEEKNO"},
		{"FREQ=DAILY;BYSETPOS=1", "BYSETPOS needs"},
		{"FREQ=DAILY;BYMONTH=13", "BYMONTH"},
		{"FREQ=DAILY;BYMONTHDAY=0", "BYMONTHDAY"},
		{"FREQ=DAILY;BYMINUTE=30", "BYMINUTE is not supported"},
		{"FREQ=DAILY;BYSECOND=0", "BYSECOND is not supported"},
		{"FREQ=DAILY;UNTIL=20271301", "UNTIL"},
		{"FREQ=DAILY;UNTIL=00010101", "year"},
		{"FREQ=DAILY;X-NAME=1", "X-NAME"},
		{"FREQ=DAILY\nRRULE:FREQ=WEEKLY", "FREQ"},
		{"FREQ=DAILY;COUNT=1" + strings.Repeat(";BYMONTH=1", 60), "longer than"},
	}
	for _, tc := range refused {
		t.Run("refuses "+tc.rule, func(t *testing.T) {
			t.Parallel()
			fieldError(t, ValidateRRule(tc.rule), "rrule", tc.fragment)
		})
	}
}
