package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// feed is a calendar feed as fetched.
type feed struct {
	status      int
	contentType string
	cache       string
	body        string
}

// fetchFeed GETs a feed path (/calendar/<token>.ics) without credentials.
func (e *env) fetchFeed(path string) feed {
	e.t.Helper()
	r, err := e.client.Get(e.url + path)
	if err != nil {
		e.t.Fatalf("GET %s: %v", path, err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return feed{status: r.StatusCode, contentType: r.Header.Get("Content-Type"), cache: r.Header.Get("Cache-Control"), body: string(b)}
}

// feedPath asks for a new feed address and returns its path, checking the
// URL is under the configured base URL.
func (e *env) feedPath(route, token string) string {
	e.t.Helper()
	r := e.do(http.MethodPost, route, token, nil)
	if r.status != http.StatusCreated {
		e.t.Fatalf("POST %s: %d %s", route, r.status, r.raw)
	}
	u, _ := r.body["url"].(string)
	base := e.app.Config.BaseURL + "/calendar/"
	if !strings.HasPrefix(u, base) || !strings.HasSuffix(u, ".ics") || len(u) != len(base)+64+len(".ics") {
		e.t.Fatalf("feed url %q: want %s<64 hex digits>.ics", u, base)
	}
	return strings.TrimPrefix(u, e.app.Config.BaseURL)
}

// parseFeed parses a feed with go-ical's decoder and returns its VEVENTs by UID.
func parseFeed(t *testing.T, body string) (*ical.Calendar, map[string]*ical.Component) {
	t.Helper()
	cal, err := ical.NewDecoder(strings.NewReader(body)).Decode()
	if err != nil {
		t.Fatalf("the feed does not parse: %v\n%s", err, body)
	}
	events := map[string]*ical.Component{}
	for _, c := range cal.Children {
		if c.Name != ical.CompEvent {
			continue
		}
		uid, err := c.Props.Text(ical.PropUID)
		if err != nil || uid == "" {
			t.Fatalf("an event without UID: %v", err)
		}
		if _, dup := events[uid]; dup {
			t.Fatalf("UID %s appears twice", uid)
		}
		events[uid] = c
	}
	return cal, events
}

func propText(t *testing.T, c *ical.Component, name string) string {
	t.Helper()
	p := c.Props.Get(name)
	if p == nil {
		return ""
	}
	s, err := p.Text()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s
}

func sequenceOf(t *testing.T, c *ical.Component) int {
	t.Helper()
	n, err := c.Props.Get(ical.PropSequence).Int()
	if err != nil {
		t.Fatalf("SEQUENCE: %v", err)
	}
	return n
}

// sundaySeries posts a weekly Sunday 20:00–22:00 series across the October
// 2027 clock change, books every shift for the member and returns the
// booking IDs in start order.
func sundaySeries(t *testing.T, e *env, memberToken string) []string {
	t.Helper()
	d := e.demand(map[string]any{"title": "Sunday patrol", "start_local": "2027-10-17T20:00", "end_local": "2027-10-17T22:00",
		"rrule": "FREQ=WEEKLY;COUNT=4", "briefing": "Meet at the station, bring a torch.",
		"location": map[string]any{"description": "Durham Market Place"}})
	var ids []string
	for _, sh := range shiftsOf(d) {
		r := e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", memberToken, map[string]any{"position_id": sh[1]})
		if r.status != http.StatusCreated {
			t.Fatalf("book: %d %s", r.status, r.raw)
		}
		ids = append(ids, r.body["id"].(string))
	}
	return ids
}

func TestMemberCalendarFeedKeepsLocalTimeAcrossTheClockChange(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		a, aTok := e.memberLogin("cala", memberOpts{})
		bookings := sundaySeries(t, e, aTok)
		path := e.feedPath("/api/v1/members/"+a+"/calendar-token", aTok)

		f := e.fetchFeed(path)
		if f.status != http.StatusOK || f.contentType != "text/calendar; charset=utf-8" || f.cache != "no-store" {
			t.Fatalf("feed: %d %q cache %q\n%s", f.status, f.contentType, f.cache, f.body)
		}
		cal, events := parseFeed(t, f.body)
		if len(events) != 4 {
			t.Fatalf("%d events, want 4:\n%s", len(events), f.body)
		}
		var tz *ical.Component
		for _, c := range cal.Children {
			if c.Name == ical.CompTimezone && propText(t, c, ical.PropTimezoneID) == "Europe/London" {
				tz = c
			}
		}
		if tz == nil {
			t.Fatalf("no VTIMEZONE for Europe/London:\n%s", f.body)
		}
		// The autumn change: 02:00 BST becomes 01:00 GMT on 31 October 2027.
		foundChange := false
		for _, o := range tz.Children {
			if o.Name == ical.CompTimezoneStandard && o.Props.Get(ical.PropDateTimeStart).Value == "20271031T020000" &&
				o.Props.Get(ical.PropTimezoneOffsetFrom).Value == "+0100" && o.Props.Get(ical.PropTimezoneOffsetTo).Value == "+0000" {
				foundChange = true
			}
		}
		if !foundChange {
			t.Errorf("the VTIMEZONE lacks the change of 31 October 2027:\n%s", f.body)
		}
		wantUTC := []string{"2027-10-17T19:00:00Z", "2027-10-24T19:00:00Z", "2027-10-31T20:00:00Z", "2027-11-07T20:00:00Z"}
		for i, id := range bookings {
			ev := events[id+"@copbank"]
			if ev == nil {
				t.Fatalf("no event with UID %s@copbank:\n%s", id, f.body)
			}
			start := ev.Props.Get(ical.PropDateTimeStart)
			if tzid := start.Params.Get(ical.PropTimezoneID); tzid != "Europe/London" || !strings.HasSuffix(start.Value, "T200000") {
				t.Errorf("booking %d: DTSTART;TZID=%s:%s, want 20:00 Europe/London", i, tzid, start.Value)
			}
			at, err := ev.Props.DateTime(ical.PropDateTimeStart, nil)
			if err != nil || at.UTC().Format(time.RFC3339) != wantUTC[i] {
				t.Errorf("booking %d starts %v (%v), want %s", i, at.UTC(), err, wantUTC[i])
			}
			end := ev.Props.Get(ical.PropDateTimeEnd)
			if end.Params.Get(ical.PropTimezoneID) != "Europe/London" || !strings.HasSuffix(end.Value, "T220000") {
				t.Errorf("booking %d: DTEND %v", i, end)
			}
			if got := propText(t, ev, ical.PropSummary); got != "Sunday patrol — Patrol" {
				t.Errorf("SUMMARY %q", got)
			}
			if got := propText(t, ev, ical.PropLocation); got != "Durham Market Place" {
				t.Errorf("LOCATION %q", got)
			}
			if got := propText(t, ev, ical.PropDescription); !strings.Contains(got, "bring a torch") {
				t.Errorf("DESCRIPTION %q lacks the briefing", got)
			}
			if got := propText(t, ev, ical.PropStatus); got != "CONFIRMED" {
				t.Errorf("STATUS %q", got)
			}
			if ev.Props.Get(ical.PropDateTimeStamp) == nil {
				t.Error("no DTSTAMP")
			}
		}

		// Cancelling the 31 October booking keeps it, cancelled, with a higher SEQUENCE.
		before := sequenceOf(t, events[bookings[2]+"@copbank"])
		e.advance(time.Hour)
		if r := e.do(http.MethodPost, "/api/v1/bookings/"+bookings[2]+"/cancel", aTok, map[string]any{}); r.status != http.StatusOK {
			t.Fatalf("cancel: %d %s", r.status, r.raw)
		}
		_, events = parseFeed(t, e.fetchFeed(path).body)
		ev := events[bookings[2]+"@copbank"]
		if ev == nil {
			t.Fatalf("the cancelled booking left the feed: %v", keys(events))
		}
		if got := propText(t, ev, ical.PropStatus); got != "CANCELLED" {
			t.Errorf("cancelled booking: STATUS %q", got)
		}
		if after := sequenceOf(t, ev); after <= before {
			t.Errorf("SEQUENCE %d after cancelling, was %d", after, before)
		}
		if ev.Props.Get(ical.PropDescription) != nil {
			t.Error("a cancelled booking still carries the briefing")
		}
		// Thirty-one days after the cancellation it has gone.
		e.advance(31 * 24 * time.Hour)
		if _, events = parseFeed(t, e.fetchFeed(path).body); events[bookings[2]+"@copbank"] != nil || len(events) != 3 {
			t.Errorf("31 days after cancelling: %d events, cancelled one present=%v", len(events), events[bookings[2]+"@copbank"] != nil)
		}
	})
}

func TestCalendarTokenRevocationAndIsolation(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		a, aTok := e.memberLogin("reva", memberOpts{})
		b, bTok := e.memberLogin("revb", memberOpts{})
		aBookings := sundaySeries(t, e, aTok)
		old := e.feedPath("/api/v1/members/"+a+"/calendar-token", aTok)
		if f := e.fetchFeed(old); f.status != http.StatusOK {
			t.Fatalf("first address: %d", f.status)
		}
		// An admin makes a new address: the old one stops working.
		fresh := e.feedPath("/api/v1/members/"+a+"/calendar-token", e.admin)
		if fresh == old {
			t.Fatal("the new address is the old one")
		}
		f := e.fetchFeed(old)
		if f.status != http.StatusNotFound || !strings.HasPrefix(f.contentType, "application/problem+json") {
			t.Errorf("old address after renewal: %d %q %s", f.status, f.contentType, f.body)
		}
		if _, events := parseFeed(t, e.fetchFeed(fresh).body); len(events) != len(aBookings) {
			t.Errorf("new address: %d events, want %d", len(events), len(aBookings))
		}
		// Member B's feed never shows A's bookings.
		bPath := e.feedPath("/api/v1/members/"+b+"/calendar-token", bTok)
		bf := e.fetchFeed(bPath)
		_, events := parseFeed(t, bf.body)
		for _, id := range aBookings {
			if events[id+"@copbank"] != nil || strings.Contains(bf.body, id) {
				t.Errorf("B's feed shows A's booking %s", id)
			}
		}
		if len(events) != 0 {
			t.Errorf("B booked nothing but the feed has %d events", len(events))
		}
		// B cannot make an address for A.
		if r := e.do(http.MethodPost, "/api/v1/members/"+a+"/calendar-token", bTok, nil); r.status != http.StatusNotFound {
			t.Errorf("B asking for A's address: %d", r.status)
		}
		// Malformed tokens are simply not found.
		for _, p := range []string{"/calendar/x.ics", "/calendar/" + strings.Repeat("Z", 64) + ".ics"} {
			if f := e.fetchFeed(p); f.status != http.StatusNotFound {
				t.Errorf("%s: %d", p, f.status)
			}
		}
		// Each address was written to the audit log, without the token.
		r := e.do(http.MethodGet, "/api/v1/audit?action=calendar_feed.create&member_id="+a, e.admin, nil)
		items, _ := r.body["items"].([]any)
		if r.status != http.StatusOK || len(items) != 2 {
			t.Fatalf("audit: %d, %d entries: %s", r.status, len(items), r.raw)
		}
		if last := items[1].(map[string]any); !strings.Contains(string(mustJSON(last["after"])), `"replaced":true`) {
			t.Errorf("the renewal's entry: %v", last)
		}
		tok := strings.TrimSuffix(strings.TrimPrefix(fresh, "/calendar/"), ".ics")
		if strings.Contains(string(r.raw), tok) {
			t.Error("the audit log holds the token")
		}
		// An erased member's feed is gone.
		if r := e.do(http.MethodDelete, "/api/v1/members/"+a, e.admin, nil); r.status != http.StatusOK {
			t.Fatalf("erase: %d %s", r.status, r.raw)
		}
		if f := e.fetchFeed(fresh); f.status != http.StatusNotFound {
			t.Errorf("erased member's feed: %d", f.status)
		}
		if _, err := e.store.CalendarFeedByHash(context.Background(), sha256Hex(strings.TrimSuffix(strings.TrimPrefix(fresh, "/calendar/"), ".ics"))); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("erasure kept the member's feed: %v", err)
		}
	})
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func TestCoordinatorCalendarFeedListsTheirAreasShifts(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		n2 := e.mustArea(domain.Area{ID: app.NewID(), Code: "DUR-N2", Name: "Chester-le-Street", Kind: domain.AreaNeighbourhood, ParentID: e.force.ID})
		n2Coord := e.login("coord-n2@example.org", []domain.Role{domain.RoleCoordinator}, "", []string{n2.ID})
		soon := e.demand(map[string]any{"title": "Market patrol", "start_local": "2027-01-15T10:00", "end_local": "2027-01-15T12:00"})
		late := e.demand(map[string]any{"title": "Far off", "start_local": "2027-04-15T10:00", "end_local": "2027-04-15T12:00"})
		other := e.do(http.MethodPost, "/api/v1/demands", e.admin, map[string]any{"title": "Station open day", "problem_type": "asb",
			"area": "DUR-N2", "priority": 3, "booking_mode": "open", "timezone": "Europe/London",
			"start_local": "2027-01-20T10:00", "end_local": "2027-01-20T12:00",
			"positions": []map[string]any{{"name": "Host", "kinds": []string{"volunteer"}, "min_vetting": "NPPV1", "headcount": 3}}})
		if other.status != http.StatusCreated {
			t.Fatalf("demand in DUR-N2: %d %s", other.status, other.raw)
		}
		_, mTok := e.memberLogin("cbook", memberOpts{})
		sh := shiftsOf(soon)[0]
		if r := e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", mTok, map[string]any{"position_id": sh[1]}); r.status != http.StatusCreated {
			t.Fatalf("book: %d %s", r.status, r.raw)
		}

		_, events := parseFeed(t, e.fetchFeed(e.feedPath("/api/v1/calendar-token", e.coordinator)).body)
		soonUID := "shift-" + sh[0] + "@copbank"
		otherUID := "shift-" + shiftsOf(other.body)[0][0] + "@copbank"
		lateUID := "shift-" + shiftsOf(late)[0][0] + "@copbank"
		if events[soonUID] == nil || events[otherUID] == nil {
			t.Fatalf("the DUR coordinator's feed lacks a shift of DUR: %v", keys(events))
		}
		if events[lateUID] != nil {
			t.Error("a shift more than 8 weeks ahead is listed")
		}
		if got := propText(t, events[soonUID], ical.PropDescription); !strings.Contains(got, "1 of 2 places left") {
			t.Errorf("description %q lacks the places left", got)
		}
		if got := propText(t, events[soonUID], ical.PropLocation); got != "Durham City" {
			t.Errorf("LOCATION %q, want the area's name", got)
		}

		_, events = parseFeed(t, e.fetchFeed(e.feedPath("/api/v1/calendar-token", n2Coord)).body)
		if len(events) != 1 || events[otherUID] == nil {
			t.Errorf("the DUR-N2 coordinator's feed: %v, want only %s", keys(events), otherUID)
		}
		if r := e.do(http.MethodPost, "/api/v1/calendar-token", mTok, nil); r.status != http.StatusForbidden {
			t.Errorf("a member asking for a coordinator's feed: %d", r.status)
		}
	})
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// ical.js (the parser Thunderbird uses) reads the feed with our VTIMEZONE
// and puts each Sunday shift at 20:00 London time on both sides of the
// change. It needs node and npm; without them (or the registry) the test is
// skipped, except in CI, where it fails.
var icalJS struct {
	once sync.Once
	dir  string
	err  error
}

func installICALJS() (string, error) {
	icalJS.once.Do(func() {
		if _, err := exec.LookPath("node"); err != nil {
			icalJS.err = errors.New("node is not installed")
			return
		}
		if _, err := exec.LookPath("npm"); err != nil {
			icalJS.err = errors.New("npm is not installed")
			return
		}
		// Installed once per machine into the user's cache, then reused.
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		dir := filepath.Join(base, "copbank-test-icaljs2")
		if _, err := os.Stat(filepath.Join(dir, "node_modules", "ical.js", "package.json")); err == nil {
			icalJS.dir = dir
			return
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			icalJS.err = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", dir, "ical.js@2")
		if out, err := cmd.CombinedOutput(); err != nil {
			icalJS.err = errors.New("npm install ical.js@2: " + err.Error() + ": " + string(out))
			return
		}
		icalJS.dir = dir
	})
	return icalJS.dir, icalJS.err
}

const icalJSScript = `
import ICAL from "ical.js";
import { readFileSync } from "node:fs";
const comp = new ICAL.Component(ICAL.parse(readFileSync(process.argv[2], "utf8")));
for (const tz of comp.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(new ICAL.Timezone(tz));
const out = comp.getAllSubcomponents("vevent").map((v) => {
  const ev = new ICAL.Event(v);
  return { uid: ev.uid, tzid: ev.startDate.zone ? ev.startDate.zone.tzid : "", hour: ev.startDate.hour,
    start: ev.startDate.toUnixTime(), end: ev.endDate.toUnixTime(),
    status: v.getFirstPropertyValue("status"), sequence: ev.sequence };
});
console.log(JSON.stringify(out));
`

func TestMemberCalendarFeedParsesWithICALJS(t *testing.T) {
	t.Parallel()
	dir, err := installICALJS()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("ical.js is needed in CI: %v", err)
		}
		t.Skipf("ical.js unavailable (set CI to make this fail): %v", err)
	}
	eachDB(t, func(t *testing.T, e *env) {
		a, aTok := e.memberLogin("icaljs", memberOpts{})
		bookings := sundaySeries(t, e, aTok)
		if r := e.do(http.MethodPost, "/api/v1/bookings/"+bookings[3]+"/cancel", aTok, map[string]any{}); r.status != http.StatusOK {
			t.Fatalf("cancel: %d %s", r.status, r.raw)
		}
		f := e.fetchFeed(e.feedPath("/api/v1/members/"+a+"/calendar-token", aTok))
		ics := filepath.Join(t.TempDir(), "feed.ics")
		if err := os.WriteFile(ics, []byte(f.body), 0o600); err != nil {
			t.Fatal(err)
		}
		script := filepath.Join(dir, "read-"+strconv.Itoa(os.Getpid())+"-"+string(e.store.Dialect())+".mjs")
		if err := os.WriteFile(script, []byte(icalJSScript), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("node", script, ics).CombinedOutput()
		if err != nil {
			t.Fatalf("ical.js: %v\n%s\n%s", err, out, f.body)
		}
		var got []struct {
			UID      string `json:"uid"`
			TZID     string `json:"tzid"`
			Hour     int    `json:"hour"`
			Start    int64  `json:"start"`
			End      int64  `json:"end"`
			Status   string `json:"status"`
			Sequence int    `json:"sequence"`
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("ical.js output %s: %v", out, err)
		}
		wantUTC := []string{"2027-10-17T19:00:00Z", "2027-10-24T19:00:00Z", "2027-10-31T20:00:00Z", "2027-11-07T20:00:00Z"}
		if len(got) != len(wantUTC) {
			t.Fatalf("ical.js read %d events, want %d: %s", len(got), len(wantUTC), out)
		}
		for i, ev := range got {
			want, _ := time.Parse(time.RFC3339, wantUTC[i])
			if ev.UID != bookings[i]+"@copbank" || ev.TZID != "Europe/London" || ev.Hour != 20 || ev.Start != want.Unix() ||
				ev.End != want.Add(2*time.Hour).Unix() {
				t.Errorf("event %d as ical.js reads it: %+v, want %s at 20:00 Europe/London (%s)", i, ev, bookings[i], wantUTC[i])
			}
		}
		if got[3].Status != "CANCELLED" || got[3].Sequence < 1 {
			t.Errorf("the cancelled booking as ical.js reads it: %+v", got[3])
		}
	})
}
