package scheduling

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// The expansion is checked against python-dateutil, an independent RFC 5545
// implementation. dateutil expands the rule on floating (zone-less) wall
// times, as we do; each wall time is then resolved in the zone with
// zoneinfo's fold=0, which reads a wall time in the spring-forward gap with
// the offset in force before the gap and a repeated one as its first
// occurrence, the same rule WallTime.In documents. A date-only UNTIL means
// "through the end of that local day" here, so dateutil is given 23:59:59.
const dateutilScript = `
import json, sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo
from dateutil.rrule import rrulestr
out = []
for case in json.load(sys.stdin):
    tz = ZoneInfo(case["zone"])
    start = datetime.strptime(case["start"], "%Y-%m-%dT%H:%M")
    got = []
    for w in rrulestr(case["rule"], dtstart=start):
        utc = w.replace(tzinfo=tz, fold=0).astimezone(timezone.utc)
        got.append([w.strftime("%Y-%m-%dT%H:%M"), utc.strftime("%Y-%m-%dT%H:%M:%SZ")])
    out.append(got)
json.dump(out, sys.stdout)
`

// dateutilPython finds a python3 with dateutil and zoneinfo. The one on PATH
// may be a pyenv build without dateutil while Debian's /usr/bin/python3 has
// it, so both are tried.
func dateutilPython(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(p, "-c", "import dateutil.rrule, zoneinfo").Run() == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("python3 with dateutil is needed for the RRULE cross-check (apt-get install python3-dateutil)")
	}
	t.Skip("no python3 with dateutil; skipping the RRULE cross-check")
	return ""
}

type crossCase struct {
	Zone  string `json:"zone"`
	Start string `json:"start"`
	Rule  string `json:"rule"` // as given to dateutil
	ours  string // as given to copbank
}

var weekdayCodes = [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// crossCases builds rules whose start is their own first occurrence (copbank
// refuses any other start), running across the March and October clock
// changes in Europe/London.
func crossCases() []crossCase {
	var cases []crossCase
	add := func(start time.Time, hm string, ours, theirs string) {
		cases = append(cases, crossCase{
			Zone: "Europe/London", Start: start.Format("2006-01-02") + "T" + hm,
			Rule: "RRULE:" + theirs, ours: ours,
		})
	}
	both := func(start time.Time, hm, rule string) { add(start, hm, rule, rule) }
	starts := []time.Time{
		time.Date(2027, 3, 20, 0, 0, 0, 0, time.UTC), time.Date(2027, 3, 26, 0, 0, 0, 0, time.UTC),
		time.Date(2027, 3, 28, 0, 0, 0, 0, time.UTC), time.Date(2027, 2, 28, 0, 0, 0, 0, time.UTC),
		time.Date(2027, 10, 24, 0, 0, 0, 0, time.UTC), time.Date(2027, 10, 29, 0, 0, 0, 0, time.UTC),
		time.Date(2027, 10, 31, 0, 0, 0, 0, time.UTC), time.Date(2027, 9, 30, 0, 0, 0, 0, time.UTC),
	}
	for _, d := range starts {
		wd := weekdayCodes[d.Weekday()]
		other := weekdayCodes[(d.Weekday()+3)%7]
		nth := (d.Day()-1)/7 + 1
		last := d.AddDate(0, 0, 7).Month() != d.Month()
		for _, hm := range []string{"01:30", "20:00", "00:30", "02:00"} {
			both(d, hm, "FREQ=DAILY;COUNT=10")
			both(d, hm, "FREQ=DAILY;INTERVAL=3;COUNT=7")
			until := d.AddDate(0, 0, 12).Format("20060102")
			add(d, hm, "FREQ=DAILY;INTERVAL=2;UNTIL="+until, "FREQ=DAILY;INTERVAL=2;UNTIL="+until+"T235959")
			both(d, hm, "FREQ=WEEKLY;BYDAY="+wd+";COUNT=5")
			both(d, hm, "FREQ=WEEKLY;INTERVAL=2;BYDAY="+wd+","+other+";COUNT=8")
			until = d.AddDate(0, 2, 0).Format("20060102")
			add(d, hm, "FREQ=WEEKLY;BYDAY="+wd+";UNTIL="+until, "FREQ=WEEKLY;BYDAY="+wd+";UNTIL="+until+"T235959")
			both(d, hm, fmt.Sprintf("FREQ=MONTHLY;BYDAY=%d%s;COUNT=8", nth, wd))
			if last {
				both(d, hm, "FREQ=MONTHLY;BYDAY=-1"+wd+";COUNT=13")
				both(d, hm, "FREQ=MONTHLY;INTERVAL=7;BYDAY=-1"+wd+";COUNT=4")
			}
		}
	}
	return cases
}

func TestExpansionMatchesDateutil(t *testing.T) {
	python := dateutilPython(t)
	cases := crossCases()
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "-c", dateutilScript)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("dateutil: %v\n%s", err, stderr.String())
	}
	var theirs [][][2]string
	if err := json.Unmarshal(out, &theirs); err != nil || len(theirs) != len(cases) {
		t.Fatalf("dateutil answered %d expansions for %d rules (%v)", len(theirs), len(cases), err)
	}
	london := loc(t, "Europe/London")
	// No horizon: a fifth Friday every month reaches years ahead.
	lim := Limits{Now: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), MaxOccurrences: MaxShiftOccurrences}
	crossed := 0
	for i, c := range cases {
		start, err := ParseWallTime(c.Start)
		if err != nil {
			t.Fatal(err)
		}
		occ, err := ExpandAll(Series{Start: start, Duration: time.Hour, Location: london, RRule: c.ours}, lim)
		if err != nil {
			t.Errorf("%s from %s: %v", c.ours, c.Start, err)
			continue
		}
		var ours, want []string
		for _, o := range occ {
			ours = append(ours, o.Local.String()+" "+o.Start.UTC().Format(time.RFC3339))
		}
		for _, w := range theirs[i] {
			want = append(want, w[0]+" "+w[1])
		}
		if strings.Join(ours, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s from %s:\nours:\n  %s\ndateutil:\n  %s", c.ours, c.Start,
				strings.Join(ours, "\n  "), strings.Join(want, "\n  "))
		}
		crossed++
	}
	t.Logf("cross-checked %d rules against dateutil", crossed)
}
