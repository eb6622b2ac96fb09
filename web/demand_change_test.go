package web_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/copbank/copbank/domain"
)

// outcomes returns the booking IDs of a change's kept or cancelled list, and
// the rules each cancelled one failed.
func outcomes(t *testing.T, r resp, list string) map[string][]string {
	t.Helper()
	bookings, ok := r.body["bookings"].(map[string]any)
	if !ok {
		t.Fatalf("no bookings in the answer: %s", r.raw)
	}
	out := map[string][]string{}
	for _, o := range bookings[list].([]any) {
		o := o.(map[string]any)
		var rules []string
		for _, r := range o["rules"].([]any) {
			rules = append(rules, r.(string))
		}
		out[o["booking_id"].(string)] = rules
	}
	return out
}

func TestTighteningAPositionKeepsWhoStillPassesAndCancelsTheRestNamingTheRule(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		d := e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour)),
			"rrule": "FREQ=WEEKLY;COUNT=2"})
		sh := shiftsOf(d)[0]
		book := func(member string) string {
			r := e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", e.coordinator, map[string]any{"position_id": sh[1], "member_id": member})
			if r.status != 201 {
				t.Fatalf("book: %s", r.raw)
			}
			return r.body["id"].(string)
		}
		aider := book(e.member("aider", memberOpts{}))
		novice := book(e.member("novice", memberOpts{noFirstAid: true}))

		r := e.do(http.MethodPatch, "/api/v1/demands/"+d["id"].(string), e.coordinator, map[string]any{
			"positions": []map[string]any{
				{"id": sh[1], "skills": []string{"first_aid"}},
				{"name": "Driver", "kinds": []string{"bank_officer"}, "headcount": 1, "min_vetting": "NPPV2"},
			}})
		if r.status != 200 {
			t.Fatalf("patch: %d %s", r.status, r.raw)
		}
		kept, cancelled := outcomes(t, r, "kept"), outcomes(t, r, "cancelled")
		if _, ok := kept[aider]; !ok || len(kept) != 1 {
			t.Fatalf("kept %v, want only the first-aider's booking", kept)
		}
		if rules, ok := cancelled[novice]; !ok || !has(rules, domain.RuleSkillsValid) || len(cancelled) != 1 {
			t.Fatalf("cancelled %v, want the novice's booking for skills_valid", cancelled)
		}
		positions := r.body["positions"].([]any)
		if len(positions) != 2 || positions[1].(map[string]any)["name"] != "Driver" {
			t.Fatalf("positions after adding one: %v", positions)
		}
		for _, s := range r.body["shifts"].([]any) {
			if n := len(s.(map[string]any)["positions"].([]any)); n != 2 {
				t.Fatalf("a future shift has %d positions, want the added one too", n)
			}
		}
		b, err := e.store.BookingByID(t.Context(), novice)
		if err != nil {
			t.Fatal(err)
		}
		if b.Status != domain.BookingCancelled || b.CancelReason == "" {
			t.Fatalf("the novice's booking is %s (%q), want cancelled with a reason", b.Status, b.CancelReason)
		}
	})
}

func TestRetimingASeriesReportsEachBookingKeptOrCancelled(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		d := e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour))})
		sh := shiftsOf(d)[0]
		free, busy := e.member("free", memberOpts{}), e.member("busy", memberOpts{minRest: 0.1})
		ids := map[string]string{}
		for _, m := range []string{free, busy} {
			r := e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", e.coordinator, map[string]any{"position_id": sh[1], "member_id": m})
			if r.status != 201 {
				t.Fatalf("book: %s", r.raw)
			}
			ids[m] = r.body["id"].(string)
		}
		// busy also holds Friday noon to four: the shift moved into it overlaps.
		other := shiftsOf(e.demand(map[string]any{"start_local": local(friday.Add(-8 * time.Hour)), "end_local": local(friday.Add(-4 * time.Hour))}))[0]
		if r := e.do(http.MethodPost, "/api/v1/shifts/"+other[0]+"/bookings", e.coordinator, map[string]any{"position_id": other[1], "member_id": busy}); r.status != 201 {
			t.Fatalf("book: %s", r.raw)
		}
		r := e.do(http.MethodPatch, "/api/v1/demands/"+d["id"].(string), e.coordinator, map[string]any{
			"start_local": local(friday.Add(-6 * time.Hour)), "end_local": local(friday.Add(-2 * time.Hour))})
		if r.status != 200 {
			t.Fatalf("patch: %d %s", r.status, r.raw)
		}
		if _, ok := outcomes(t, r, "kept")[ids[free]]; !ok {
			t.Fatalf("the free member's booking is not reported kept: %s", r.raw)
		}
		if rules := outcomes(t, r, "cancelled")[ids[busy]]; !has(rules, domain.RuleNoOverlap) {
			t.Fatalf("the busy member's booking is not reported cancelled for no_overlap: %s", r.raw)
		}
	})
}

func TestCancellingOneShiftCancelsItsBookingsWithTheReason(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		d := e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour)), "rrule": "FREQ=WEEKLY;COUNT=2"})
		shifts := shiftsOf(d)
		member := e.member("sam", memberOpts{})
		r := e.do(http.MethodPost, "/api/v1/shifts/"+shifts[0][0]+"/bookings", e.coordinator, map[string]any{"position_id": shifts[0][1], "member_id": member})
		if r.status != 201 {
			t.Fatalf("book: %s", r.raw)
		}
		booking := r.body["id"].(string)
		r = e.do(http.MethodPost, "/api/v1/shifts/"+shifts[0][0]+"/cancel", e.coordinator, map[string]any{"reason": "the market is closed"})
		if r.status != 200 || r.body["status"] != "cancelled" {
			t.Fatalf("cancel shift: %d %s", r.status, r.raw)
		}
		if rules := outcomes(t, r, "cancelled")[booking]; !has(rules, domain.RuleShiftOpen) {
			t.Fatalf("the booking is not reported cancelled: %s", r.raw)
		}
		b, err := e.store.BookingByID(t.Context(), booking)
		if err != nil {
			t.Fatal(err)
		}
		if b.Status != domain.BookingCancelled || b.CancelReason != "the shift was cancelled: the market is closed" {
			t.Fatalf("booking %s %q", b.Status, b.CancelReason)
		}
		if r := e.do(http.MethodGet, "/api/v1/shifts/"+shifts[1][0], e.coordinator, nil); r.body["status"] != "scheduled" {
			t.Fatalf("the other shift of the series: %s", r.raw)
		}
		r = e.do(http.MethodPost, "/api/v1/demands/"+d["id"].(string)+"/cancel", e.coordinator, map[string]any{"reason": "funding ended"})
		if r.status != 200 || r.body["status"] != "cancelled" {
			t.Fatalf("cancel demand: %d %s", r.status, r.raw)
		}
	})
}
