package web_test

import (
	"fmt"
	"github.com/copbank/copbank/domain"
	"net/http"
	"testing"
	"time"
)

// Friday 8 January 2027, 20:00–00:00 London (GMT).
var friday = time.Date(2027, 1, 8, 20, 0, 0, 0, time.UTC)

func TestTwoHundredConcurrentBookingsFillTenPlacesExactly(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		d := e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour)),
			"positions": []map[string]any{{"name": "Volunteer", "kinds": []string{"volunteer"}, "min_vetting": "NPPV1", "headcount": 10}}})
		sh := shiftsOf(d)[0]
		members := make([]string, 200)
		for i := range members {
			members[i] = e.member(fmt.Sprintf("vol%03d", i), memberOpts{})
		}
		rs := parallel(200, func(i int) resp {
			return e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", e.coordinator,
				map[string]any{"position_id": sh[1], "member_id": members[i]})
		})
		wantBookedAndRefused(t, rs, 10, "has_place")
		if got := e.activeOn(sh[0], sh[1]); got != 10 {
			t.Fatalf("%d active bookings in the database, want 10", got)
		}
	})
}

func TestOneMemberFiringFiftyOverlappingBookingsGetsOne(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		memberID, token := e.memberLogin("sam", memberOpts{maxHours: 100})
		var places [][2]string
		for i := 0; i < 50; i++ {
			start := friday.Add(time.Duration(i) * time.Minute)
			d := e.demand(map[string]any{"start_local": local(start), "end_local": local(start.Add(3 * time.Hour))})
			places = append(places, shiftsOf(d)[0])
		}
		rs := parallel(50, func(i int) resp {
			return e.do(http.MethodPost, "/api/v1/shifts/"+places[i][0]+"/bookings", token, map[string]any{"position_id": places[i][1]})
		})
		wantBookedAndRefused(t, rs, 1, "no_overlap")
		list := e.do(http.MethodGet, "/api/v1/members/"+memberID+"/bookings", token, nil)
		if n := len(list.body["items"].([]any)); n != 1 {
			t.Fatalf("the member holds %d bookings, want 1", n)
		}
	})
}

func TestTheSameBookingTwentyTimesAtOnceMakesOne(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		_, token := e.memberLogin("sam", memberOpts{})
		sh := shiftsOf(e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour))}))[0]
		rs := parallel(20, func(int) resp {
			return e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", token, map[string]any{"position_id": sh[1]})
		})
		wantBookedAndRefused(t, rs, 1, "already_booked")
		if got := e.activeOn(sh[0], sh[1]); got != 1 {
			t.Fatalf("%d active bookings, want 1", got)
		}
	})
}

func TestConcurrentCancelAndWaitlistPromotionNeverExceedHeadcount(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		sh := shiftsOf(e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour))}))[0]
		var booked []string
		for i := 0; i < 2; i++ {
			r := e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", e.coordinator,
				map[string]any{"position_id": sh[1], "member_id": e.member(fmt.Sprintf("held%d", i), memberOpts{})})
			if r.status != 201 {
				t.Fatalf("book: %d %s", r.status, r.raw)
			}
			booked = append(booked, r.body["id"].(string))
		}
		for i := 0; i < 8; i++ {
			r := e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/waitlist", e.coordinator,
				map[string]any{"position_id": sh[1], "member_id": e.member(fmt.Sprintf("wait%d", i), memberOpts{})})
			if r.status != 201 || r.body["status"] != "waitlisted" || r.body["queue_position"] != float64(i+1) {
				t.Fatalf("waitlist %d: %d %s", i, r.status, r.raw)
			}
		}
		late := make([]string, 10)
		for i := range late {
			late[i] = e.member(fmt.Sprintf("late%d", i), memberOpts{})
		}
		rs := parallel(12, func(i int) resp {
			if i < 2 {
				return e.do(http.MethodPost, "/api/v1/bookings/"+booked[i]+"/cancel", e.coordinator, nil)
			}
			return e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", e.coordinator,
				map[string]any{"position_id": sh[1], "member_id": late[i-2]})
		})
		for _, r := range rs {
			if r.status >= 500 {
				t.Fatalf("server error: %s", r.raw)
			}
		}
		if got := e.activeOn(sh[0], sh[1]); got != 2 {
			t.Fatalf("%d active bookings after cancel and promotion, want the headcount (2)", got)
		}
	})
}

func TestLoweringHeadcountBelowPlacesTakenIsRefusedWhileBookingsRace(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		d := e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour)),
			"positions": []map[string]any{{"name": "Volunteer", "kinds": []string{"volunteer"}, "headcount": 10}}})
		sh := shiftsOf(d)[0]
		members := make([]string, 12)
		for i := range members {
			members[i] = e.member(fmt.Sprintf("v%d", i), memberOpts{})
		}
		rs := parallel(13, func(i int) resp {
			if i == 12 {
				return e.do(http.MethodPatch, "/api/v1/demands/"+d["id"].(string), e.coordinator,
					map[string]any{"positions": []map[string]any{{"id": sh[1], "headcount": 5}}})
			}
			return e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", e.coordinator,
				map[string]any{"position_id": sh[1], "member_id": members[i]})
		})
		for _, r := range rs {
			if r.status >= 500 {
				t.Fatalf("server error: %s", r.raw)
			}
		}
		patch := rs[12]
		if patch.status != 200 && patch.status != 409 {
			t.Fatalf("headcount change: %d %s", patch.status, patch.raw)
		}
		headcount, active := e.headcountOf(sh[0], sh[1]), e.activeOn(sh[0], sh[1])
		if active > headcount {
			t.Fatalf("%d active bookings over a headcount of %d", active, headcount)
		}
		// Now that places are taken, lowering below them is refused.
		if active > 1 {
			r := e.do(http.MethodPatch, "/api/v1/demands/"+d["id"].(string), e.coordinator,
				map[string]any{"positions": []map[string]any{{"id": sh[1], "headcount": active - 1}}})
			if r.status != 409 {
				t.Fatalf("lowering below %d taken: %d %s", active, r.status, r.raw)
			}
		}
	})
}

func TestIdempotencyKeySentTenTimesAtOnceMakesOneBooking(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		_, token := e.memberLogin("sam", memberOpts{})
		sh := shiftsOf(e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour))}))[0]
		body := map[string]any{"position_id": sh[1]}
		rs := parallel(10, func(int) resp {
			return e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", token, body, "Idempotency-Key", "key-1")
		})
		for _, r := range rs {
			if r.status != 201 || string(r.raw) != string(rs[0].raw) {
				t.Fatalf("answers differ: %d %s vs %d %s", r.status, r.raw, rs[0].status, rs[0].raw)
			}
		}
		if got := e.activeOn(sh[0], sh[1]); got != 1 {
			t.Fatalf("%d bookings, want 1", got)
		}
		other := e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", token, map[string]any{"position_id": sh[1], "member_id": ""}, "Idempotency-Key", "key-1")
		if other.status != 422 || !has(fieldsOf(other), "Idempotency-Key") {
			t.Fatalf("same key, different body: %d %s", other.status, other.raw)
		}
	})
}

func fieldsOf(r resp) []string {
	var out []string
	if es, ok := r.body["errors"].([]any); ok {
		for _, x := range es {
			out = append(out, x.(map[string]any)["field"].(string))
		}
	}
	return out
}

func TestTwoShiftsThatFitTheWeeklyCapOnlySinglyBookOneAtOnce(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		_, token := e.memberLogin("sam", memberOpts{maxHours: 16})
		tue := time.Date(2027, 1, 5, 8, 0, 0, 0, time.UTC)
		thu := time.Date(2027, 1, 7, 8, 0, 0, 0, time.UTC)
		a := shiftsOf(e.demand(map[string]any{"start_local": local(tue), "end_local": local(tue.Add(10 * time.Hour))}))[0]
		b := shiftsOf(e.demand(map[string]any{"start_local": local(thu), "end_local": local(thu.Add(10 * time.Hour))}))[0]
		bookBothAtOnce(t, e, token, a, b, "weekly_cap")
	})
}

func TestTwoShiftsCloserThanMinRestBookOneAtOnce(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		// A bank officer needs 11 hours' rest between shifts.
		_, token := e.memberLogin("sergeant", memberOpts{kinds: []domain.Kind{domain.KindBankOfficer}})
		early := time.Date(2027, 1, 9, 7, 0, 0, 0, time.UTC)
		a := shiftsOf(e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour))}))[0]
		b := shiftsOf(e.demand(map[string]any{"start_local": local(early), "end_local": local(early.Add(8 * time.Hour))}))[0]
		bookBothAtOnce(t, e, token, a, b, "min_rest")
	})
}

// bookBothAtOnce books two places at the same moment for one member, who
// may hold only one of them: one booking must land and the other be refused
// naming rule.
func bookBothAtOnce(t *testing.T, e *env, token string, a, b [2]string, rule string) {
	t.Helper()
	places := [][2]string{a, b}
	rs := parallel(2, func(i int) resp {
		return e.do(http.MethodPost, "/api/v1/shifts/"+places[i][0]+"/bookings", token, map[string]any{"position_id": places[i][1]})
	})
	wantBookedAndRefused(t, rs, 1, rule)
}

// wantBookedAndRefused checks that booked of the answers are 201 and every
// other one a 409 naming rule.
func wantBookedAndRefused(t *testing.T, rs []resp, booked int, rule string) {
	t.Helper()
	counts := countStatus(rs)
	if counts[201] != booked || counts[409] != len(rs)-booked {
		t.Fatalf("answers %v, want %d×201 and %d×409", counts, booked, len(rs)-booked)
	}
	for _, r := range rs {
		if r.status == 409 && !has(rulesOf(r), rule) {
			t.Fatalf("a refusal does not name %s: %s", rule, r.raw)
		}
	}
}

func TestCancellingADemandWhileBookingsRaceLeavesNoActiveBooking(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		d := e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour)),
			"positions": []map[string]any{{"name": "Volunteer", "kinds": []string{"volunteer"}, "headcount": 20}}})
		sh := shiftsOf(d)[0]
		members := make([]string, 20)
		for i := range members {
			members[i] = e.member(fmt.Sprintf("v%d", i), memberOpts{})
		}
		rs := parallel(21, func(i int) resp {
			if i == 10 {
				return e.do(http.MethodDelete, "/api/v1/demands/"+d["id"].(string), e.coordinator, nil)
			}
			m := i
			if i > 10 {
				m = i - 1
			}
			return e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", e.coordinator, map[string]any{"position_id": sh[1], "member_id": members[m]})
		})
		for _, r := range rs {
			if r.status >= 500 {
				t.Fatalf("server error: %s", r.raw)
			}
		}
		if rs[10].status != 200 {
			t.Fatalf("cancel demand: %d %s", rs[10].status, rs[10].raw)
		}
		if got := e.activeOn(sh[0], sh[1]); got != 0 {
			t.Fatalf("%d active bookings on a cancelled shift", got)
		}
	})
}
