package app

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// iCalendar (RFC 5545) rendering of calendar feeds. Times are written as
// local wall times with the demand's TZID, and each zone used gets a
// VTIMEZONE generated from Go's time zone data for the years the events
// span, so a weekly 20:00 shift stays 20:00 across a clock change in every
// client, whether or not it knows the zone by name.

const (
	icsLocal = "20060102T150405"
	icsUTC   = "20060102T150405Z"
)

// icsWriter writes content lines: escaped by the caller, folded at 75 octets,
// ended with CRLF.
type icsWriter struct{ b strings.Builder }

func (w *icsWriter) line(nameAndParams, value string) {
	s := nameAndParams + ":" + value
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.b.WriteString(s[:cut] + "\r\n ")
		s = s[cut:]
		limit = 74 // the leading space of a continuation counts
	}
	w.b.WriteString(s + "\r\n")
}

// text writes a TEXT property, escaped.
func (w *icsWriter) text(name, value string) {
	w.line(name, icsEscape(value))
}

var icsEscaper = strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)

func icsEscape(s string) string { return icsEscaper.Replace(s) }

// RenderICS writes a calendar with its events and their time zones.
func RenderICS(cal Calendar) string {
	var w icsWriter
	w.line("BEGIN", "VCALENDAR")
	w.line("VERSION", "2.0")
	w.line("PRODID", "-//copbank//calendar feed//EN")
	w.line("CALSCALE", "GREGORIAN")
	w.text("NAME", cal.Name)
	w.text("X-WR-CALNAME", cal.Name)
	w.line("REFRESH-INTERVAL;VALUE=DURATION", "PT1H")
	w.line("X-PUBLISHED-TTL", "PT1H")

	// One VTIMEZONE per zone used, covering the events' span.
	type span struct {
		loc      *time.Location
		from, to time.Time
	}
	zones := map[string]*span{}
	for _, ev := range cal.Events {
		z := zones[ev.Zone.String()]
		if z == nil {
			zones[ev.Zone.String()] = &span{loc: ev.Zone, from: ev.Start, to: ev.End}
			continue
		}
		if ev.Start.Before(z.from) {
			z.from = ev.Start
		}
		if ev.End.After(z.to) {
			z.to = ev.End
		}
	}
	names := make([]string, 0, len(zones))
	for n := range zones {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		writeVTimezone(&w, zones[n].loc, zones[n].from, zones[n].to)
	}

	for _, ev := range cal.Events {
		tzid := "TZID=" + ev.Zone.String()
		w.line("BEGIN", "VEVENT")
		w.text("UID", ev.UID)
		w.line("DTSTAMP", ev.Stamp.UTC().Format(icsUTC))
		w.line("LAST-MODIFIED", ev.Stamp.UTC().Format(icsUTC))
		w.line("DTSTART;"+tzid, ev.Start.In(ev.Zone).Format(icsLocal))
		w.line("DTEND;"+tzid, ev.End.In(ev.Zone).Format(icsLocal))
		w.text("SUMMARY", ev.Summary)
		if ev.Location != "" {
			w.text("LOCATION", ev.Location)
		}
		if ev.Description != "" {
			w.text("DESCRIPTION", ev.Description)
		}
		w.line("STATUS", strings.ToUpper(string(ev.Status)))
		w.line("SEQUENCE", fmt.Sprint(ev.Sequence))
		if ev.Status == EventCancelled {
			w.line("TRANSP", "TRANSPARENT")
		} else {
			w.line("TRANSP", "OPAQUE")
		}
		w.line("END", "VEVENT")
	}
	w.line("END", "VCALENDAR")
	return w.b.String()
}

// writeVTimezone writes loc's rules in force from a year before from until a
// year after to: the observance in force at the start, then one observance
// per transition (each with its own DTSTART, read from Go's zone data).
func writeVTimezone(w *icsWriter, loc *time.Location, from, to time.Time) {
	start := from.AddDate(-1, 0, 0).In(loc)
	limit := to.AddDate(1, 0, 0)
	w.line("BEGIN", "VTIMEZONE")
	w.text("TZID", loc.String())
	name, offset := start.Zone()
	writeObservance(w, start.IsDST(), start.Add(time.Duration(offset)*time.Second).UTC(), offset, offset, name)
	t := start
	for i := 0; i < 1000; i++ {
		_, end := t.ZoneBounds()
		if end.IsZero() || end.After(limit) {
			break
		}
		_, before := end.Add(-time.Second).In(loc).Zone()
		next := end.In(loc)
		name, after := next.Zone()
		// DTSTART is the instant of change in the wall time before it.
		writeObservance(w, next.IsDST(), end.Add(time.Duration(before)*time.Second).UTC(), before, after, name)
		t = next
	}
	w.line("END", "VTIMEZONE")
}

func writeObservance(w *icsWriter, dst bool, wallStart time.Time, from, to int, name string) {
	kind := "STANDARD"
	if dst {
		kind = "DAYLIGHT"
	}
	w.line("BEGIN", kind)
	w.line("DTSTART", wallStart.Format(icsLocal))
	w.line("TZOFFSETFROM", icsOffset(from))
	w.line("TZOFFSETTO", icsOffset(to))
	if name != "" {
		w.text("TZNAME", name)
	}
	w.line("END", kind)
}

// icsOffset formats seconds east of UTC as ±HHMM (±HHMMSS when needed).
func icsOffset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	h, m, s := sec/3600, sec%3600/60, sec%60
	if s != 0 {
		return fmt.Sprintf("%s%02d%02d%02d", sign, h, m, s)
	}
	return fmt.Sprintf("%s%02d%02d", sign, h, m)
}
