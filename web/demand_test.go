package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/domain"
)

func TestWeeklyEveningSeriesKeepsItsLocalTimeAcrossTheClockChanges(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		october := e.demand(map[string]any{"start_local": "2027-10-22T20:00", "end_local": "2027-10-23T00:00",
			"rrule": "FREQ=WEEKLY;COUNT=6", "exdates": []string{"2027-11-12T20:00"}})
		var starts []string
		for _, s := range october["shifts"].([]any) {
			starts = append(starts, s.(map[string]any)["start"].(string))
		}
		want := []string{"2027-10-22T20:00:00+01:00", "2027-10-29T20:00:00+01:00", "2027-11-05T20:00:00Z",
			"2027-11-19T20:00:00Z", "2027-11-26T20:00:00Z"}
		if strings.Join(starts, " ") != strings.Join(want, " ") {
			t.Fatalf("October series starts\n%v\nwant\n%v", starts, want)
		}
		march := e.demand(map[string]any{"start_local": "2027-03-19T20:00", "end_local": "2027-03-20T00:00", "rrule": "FREQ=WEEKLY;COUNT=3"})
		starts = nil
		for _, s := range march["shifts"].([]any) {
			starts = append(starts, s.(map[string]any)["start"].(string))
		}
		want = []string{"2027-03-19T20:00:00Z", "2027-03-26T20:00:00Z", "2027-04-02T20:00:00+01:00"}
		if strings.Join(starts, " ") != strings.Join(want, " ") {
			t.Fatalf("March series starts\n%v\nwant\n%v", starts, want)
		}
	})
}

func TestBadSeriesAreRefusedNamingTheRule(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		cases := []struct{ name, rrule, field string }{
			{"COUNT with UNTIL", "FREQ=WEEKLY;COUNT=3;UNTIL=20270301", "rrule"},
			{"INTERVAL=0", "FREQ=WEEKLY;INTERVAL=0;COUNT=3", "rrule"},
			{"negative COUNT", "FREQ=WEEKLY;COUNT=-1", "rrule"},
			{"hourly", "FREQ=HOURLY;COUNT=3", "rrule"},
			{"minutely", "FREQ=MINUTELY;COUNT=3", "rrule"},
			{"secondly", "FREQ=SECONDLY;COUNT=3", "rrule"},
			{"over 500 occurrences", "FREQ=DAILY;COUNT=501", "rrule"},
			{"past two years", "FREQ=WEEKLY;COUNT=120", "rrule"},
			{"never ending", "FREQ=WEEKLY", "rrule"},
		}
		for _, tc := range cases {
			r := e.do(http.MethodPost, "/api/v1/demands", e.coordinator, map[string]any{"title": "Patrol", "problem_type": "asb",
				"area": "DUR-N1", "start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour)), "rrule": tc.rrule,
				"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "headcount": 1}}})
			if r.status != 422 || !has(fieldsOf(r), tc.field) {
				t.Errorf("%s: %d %s, want 422 naming %s", tc.name, r.status, r.raw, tc.field)
			}
		}
		if r := e.do(http.MethodGet, "/api/v1/demands", e.coordinator, nil); len(r.body["items"].([]any)) != 0 {
			t.Fatalf("a refused series was stored: %s", r.raw)
		}
	})
}

func TestWaitlistPromotesInJoiningOrderSkippingWhoNoLongerPasses(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		sh := shiftsOf(e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour)),
			"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "min_vetting": "NPPV2", "headcount": 1}}}))[0]
		book := func(path, member string) resp {
			return e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+path, e.coordinator, map[string]any{"position_id": sh[1], "member_id": member})
		}
		holder := book("/bookings", e.member("holder", memberOpts{}))
		if holder.status != 201 {
			t.Fatalf("book: %s", holder.raw)
		}
		if r := book("/bookings", e.member("late", memberOpts{})); r.status != 409 || !has(rulesOf(r), "has_place") {
			t.Fatalf("full shift: %d %s", r.status, r.raw)
		}
		first, second, third := e.member("first", memberOpts{}), e.member("second", memberOpts{}), e.member("third", memberOpts{})
		var queued []string
		for _, m := range []string{first, second, third} {
			r := book("/waitlist", m)
			if r.status != 201 {
				t.Fatalf("waitlist: %s", r.raw)
			}
			queued = append(queued, r.body["id"].(string))
		}
		// The first in the queue loses their vetting: they are skipped.
		ctx := context.Background()
		cs, _ := e.store.Clearances(ctx, first)
		if err := e.store.SetClearanceStatus(ctx, cs[0].ID, domain.ClearanceSuspended, *e.now.Load()); err != nil {
			t.Fatal(err)
		}
		if r := e.do(http.MethodPost, "/api/v1/bookings/"+holder.body["id"].(string)+"/cancel", e.coordinator, map[string]any{"reason": "ill"}); r.status != 200 {
			t.Fatalf("cancel: %s", r.raw)
		}
		want := []string{"waitlisted", "confirmed", "waitlisted"}
		for i, id := range queued {
			b, err := e.store.BookingByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if string(b.Status) != want[i] {
				t.Fatalf("queue member %d is %s, want %s", i, b.Status, want[i])
			}
		}
	})
}

func TestCancellingWithinADayOfTheStartIsRecordedAsLate(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		_, token := e.memberLogin("sam", memberOpts{})
		soon := t0.Add(3 * time.Hour)
		for _, tc := range []struct {
			start time.Time
			late  bool
		}{{soon, true}, {friday, false}} {
			sh := shiftsOf(e.demand(map[string]any{"start_local": local(tc.start), "end_local": local(tc.start.Add(2 * time.Hour))}))[0]
			b := e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", token, map[string]any{"position_id": sh[1]})
			if b.status != 201 {
				t.Fatalf("book: %s", b.raw)
			}
			c := e.do(http.MethodPost, "/api/v1/bookings/"+b.body["id"].(string)+"/cancel", token, nil)
			if c.status != 200 || c.body["status"] != "cancelled" || c.body["late_cancel"] != tc.late {
				t.Fatalf("cancel %v before: %d %s, want late_cancel %v", tc.start.Sub(t0), c.status, c.raw, tc.late)
			}
		}
	})
}

func TestEditingASeriesChangesOnlyFutureShiftsAndRechecksTheirBookings(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		d := e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour)), "rrule": "FREQ=WEEKLY;COUNT=4"})
		shifts := shiftsOf(d)
		steady, clash := e.member("steady", memberOpts{}), e.member("clash", memberOpts{})
		book := func(sh [2]string, m string) string {
			r := e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", e.coordinator, map[string]any{"position_id": sh[1], "member_id": m})
			if r.status != 201 {
				t.Fatalf("book: %s", r.raw)
			}
			return r.body["id"].(string)
		}
		for _, sh := range shifts {
			book(sh, steady)
		}
		clashed, kept := book(shifts[1], clash), book(shifts[2], clash)
		// clash also has 17:00–18:30 on the second Friday: fine at 20:00, not at 18:00.
		other := time.Date(2027, 1, 15, 17, 0, 0, 0, time.UTC)
		book(shiftsOf(e.demand(map[string]any{"start_local": local(other), "end_local": local(other.Add(90 * time.Minute))}))[0], clash)

		e.advance(5 * 24 * time.Hour) // past the first Friday
		r := e.do(http.MethodPatch, "/api/v1/demands/"+d["id"].(string), e.coordinator,
			map[string]any{"start_local": "2027-01-08T18:00", "end_local": "2027-01-08T22:00"})
		if r.status != 200 {
			t.Fatalf("edit: %d %s", r.status, r.raw)
		}
		var starts []string
		for _, s := range r.body["shifts"].([]any) {
			starts = append(starts, s.(map[string]any)["start"].(string))
		}
		want := []string{"2027-01-08T20:00:00Z", "2027-01-15T18:00:00Z", "2027-01-22T18:00:00Z", "2027-01-29T18:00:00Z"}
		if strings.Join(starts, " ") != strings.Join(want, " ") {
			t.Fatalf("starts %v, want %v", starts, want)
		}
		ctx := context.Background()
		if b, _ := e.store.BookingByID(ctx, clashed); b.Status != domain.BookingCancelled || !strings.Contains(b.CancelReason, "no_overlap") {
			t.Fatalf("the booking that now overlaps is %s (%q), want cancelled naming no_overlap", b.Status, b.CancelReason)
		}
		if b, _ := e.store.BookingByID(ctx, kept); b.Status != domain.BookingConfirmed || !b.Start.Equal(time.Date(2027, 1, 22, 18, 0, 0, 0, time.UTC)) {
			t.Fatalf("the booking that still fits is %s at %v, want confirmed at the new time", b.Status, b.Start)
		}
		list := e.do(http.MethodGet, "/api/v1/members/"+steady+"/bookings", e.coordinator, nil)
		for _, it := range list.body["items"].([]any) {
			if it.(map[string]any)["status"] != "confirmed" {
				t.Fatalf("a booking that still fits was touched: %v", it)
			}
		}
	})
}

func TestBookingModes(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		memberID, token := e.memberLogin("sam", memberOpts{})
		approval := shiftsOf(e.demand(map[string]any{"booking_mode": "approval", "start_local": local(friday), "end_local": local(friday.Add(2 * time.Hour))}))[0]
		r := e.do(http.MethodPost, "/api/v1/shifts/"+approval[0]+"/bookings", token, map[string]any{"position_id": approval[1]})
		if r.status != 201 || r.body["status"] != "pending" {
			t.Fatalf("self-booking in approval mode: %d %s", r.status, r.raw)
		}
		if a := e.do(http.MethodPost, "/api/v1/bookings/"+r.body["id"].(string)+"/approve", token, nil); a.status != 403 {
			t.Fatalf("a member approving their own booking: %d", a.status)
		}
		if a := e.do(http.MethodPost, "/api/v1/bookings/"+r.body["id"].(string)+"/approve", e.coordinator, nil); a.status != 200 || a.body["status"] != "confirmed" {
			t.Fatalf("approve: %d %s", a.status, a.raw)
		}

		sat := friday.Add(24 * time.Hour)
		assigned := shiftsOf(e.demand(map[string]any{"booking_mode": "assigned", "start_local": local(sat), "end_local": local(sat.Add(2 * time.Hour))}))[0]
		r = e.do(http.MethodPost, "/api/v1/shifts/"+assigned[0]+"/bookings", token, map[string]any{"position_id": assigned[1]})
		if r.status != 409 || !has(rulesOf(r), "self_booking_closed") || r.body["type"] != "https://copbank.dev/problems/booking-refused" {
			t.Fatalf("self-booking in assigned mode: %d %s", r.status, r.raw)
		}
		offer := e.do(http.MethodPost, "/api/v1/shifts/"+assigned[0]+"/bookings", e.coordinator, map[string]any{"position_id": assigned[1], "member_id": memberID, "offer": true})
		if offer.status != 201 || offer.body["status"] != "offered" {
			t.Fatalf("offer: %d %s", offer.status, offer.raw)
		}
		if a := e.do(http.MethodPost, "/api/v1/bookings/"+offer.body["id"].(string)+"/accept", token, nil); a.status != 200 || a.body["status"] != "confirmed" {
			t.Fatalf("accept: %d %s", a.status, a.raw)
		}
	})
}

func TestMembersSeeTheirEligibilityAndOnlyTheirCrewsNames(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		_, alice := e.memberLogin("alice", memberOpts{})
		_, bob := e.memberLogin("bob", memberOpts{})
		_, carol := e.memberLogin("carol", memberOpts{noFirstAid: true})
		d := e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour)),
			"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "skills": []string{"first_aid"}, "headcount": 3}}})
		sh := shiftsOf(d)[0]
		for _, tok := range []string{alice, bob} {
			if r := e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", tok, map[string]any{"position_id": sh[1]}); r.status != 201 {
				t.Fatalf("book: %s", r.raw)
			}
		}
		mine := e.do(http.MethodGet, "/api/v1/shifts/"+sh[0], alice, nil)
		if !strings.Contains(string(mine.raw), `"name":"bob"`) {
			t.Fatalf("alice does not see bob on the shift they share: %s", mine.raw)
		}
		theirs := e.do(http.MethodGet, "/api/v1/shifts/"+sh[0], carol, nil)
		if strings.Contains(string(theirs.raw), "alice") || strings.Contains(string(theirs.raw), "bob") {
			t.Fatalf("carol sees names on a shift she does not share: %s", theirs.raw)
		}
		pos := theirs.body["positions"].([]any)[0].(map[string]any)
		if pos["eligible"] != false || !strings.Contains(strings.Join(toStrings(pos["failed_rules"]), ","), "skills_valid") || pos["places_left"] != float64(1) {
			t.Fatalf("carol's view of the position: %v", pos)
		}
		if r := e.do(http.MethodGet, "/api/v1/shifts?eligible=true&area=DUR", carol, nil); len(r.body["items"].([]any)) != 0 {
			t.Fatalf("eligible search shows carol a shift she cannot book: %s", r.raw)
		}
		if r := e.do(http.MethodGet, "/api/v1/shifts?open=true&area=DUR-N1&from=2027-01-08&to=2027-01-08", carol, nil); len(r.body["items"].([]any)) != 1 {
			t.Fatalf("open search: %s", r.raw)
		}
	})
}

func toStrings(v any) []string {
	var out []string
	if xs, ok := v.([]any); ok {
		for _, x := range xs {
			out = append(out, x.(string))
		}
	}
	return out
}
