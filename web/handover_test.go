package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/copbank/copbank/domain"
)

// onePlace posts a demand with one place on Friday evening and returns
// (shift, position).
func (e *env) onePlace(start time.Time, hours int) [2]string {
	e.t.Helper()
	return shiftsOf(e.demand(map[string]any{"start_local": local(start), "end_local": local(start.Add(time.Duration(hours) * time.Hour)),
		"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "min_vetting": "NPPV1", "headcount": 1}}}))[0]
}

// bookConfirmed books a place for a member as the coordinator and returns the
// booking's id.
func (e *env) bookConfirmed(place [2]string, memberID string) string {
	e.t.Helper()
	r := e.do(http.MethodPost, "/api/v1/shifts/"+place[0]+"/bookings", e.coordinator, map[string]any{"position_id": place[1], "member_id": memberID})
	if r.status != http.StatusCreated || r.body["status"] != "confirmed" {
		e.t.Fatalf("book: %d %s", r.status, r.raw)
	}
	return r.body["id"].(string)
}

// booking reads one booking straight from the store.
func (e *env) booking(id string) domain.Booking {
	e.t.Helper()
	b, err := e.store.BookingByID(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

func problemType(r resp) string {
	t, _ := r.body["type"].(string)
	return t[strings.LastIndex(t, "/")+1:]
}

func TestFiftyColleaguesAcceptingOneHandoverAtOnceOneTakesItAndThePlaceNeverEmptiesOrDoubles(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		place := e.onePlace(friday, 4)
		giver, giverToken := e.memberLogin("giver", memberOpts{})
		given := e.bookConfirmed(place, giver)
		r := e.do(http.MethodPost, "/api/v1/bookings/"+given+"/handover", giverToken, nil)
		if r.status != http.StatusCreated {
			t.Fatalf("offer: %d %s", r.status, r.raw)
		}
		handover := r.body["handover_id"].(string)
		tokens := make([]string, 50)
		for i := range tokens {
			_, tokens[i] = e.memberLogin(fmt.Sprintf("col%02d", i), memberOpts{})
		}
		if l := e.do(http.MethodGet, "/api/v1/handovers", tokens[0], nil); l.status != 200 || len(l.body["items"].([]any)) != 1 {
			t.Fatalf("a colleague's offers: %d %s", l.status, l.raw)
		}

		// Sample the place while the race runs: every reading must see it
		// held exactly once.
		var done atomic.Bool
		var samples, bad atomic.Int64
		var badSeen atomic.Value
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for first := true; first || !done.Load(); first = false {
				active, err := e.store.ShiftBookings(context.Background(), place[0], domain.ActiveStatuses...)
				if err != nil {
					badSeen.Store(err.Error())
					bad.Add(1)
					return
				}
				samples.Add(1)
				if len(active) != 1 {
					badSeen.Store(fmt.Sprintf("%d active bookings", len(active)))
					bad.Add(1)
				}
			}
		}()
		rs := parallel(50, func(i int) resp {
			return e.do(http.MethodPost, "/api/v1/handovers/"+handover+"/accept", tokens[i], nil)
		})
		done.Store(true)
		wg.Wait()
		if n := bad.Load(); n > 0 {
			t.Fatalf("%d of %d samples did not see the place held once: %v", n, samples.Load(), badSeen.Load())
		}
		t.Logf("%d samples of the place during the race, all held once", samples.Load())

		counts := countStatus(rs)
		if counts[200] != 1 || counts[409] != 49 {
			t.Fatalf("answers %v, want one 200 and 49 409", counts)
		}
		var taken string
		for _, r := range rs {
			switch r.status {
			case 200:
				taken = r.body["id"].(string)
				if r.body["status"] != "confirmed" {
					t.Fatalf("the taker's booking: %s", r.raw)
				}
			case 409:
				if problemType(r) != "handover-taken" {
					t.Fatalf("a loser got %s", r.raw)
				}
			}
		}
		if got := e.activeOn(place[0], place[1]); got != 1 {
			t.Fatalf("%d active bookings after the race, want 1", got)
		}
		g := e.booking(given)
		if g.Status != domain.BookingCancelled || g.CancelReason != "handover" || g.LateCancel || g.CancelledBy != domain.CancelledByMember {
			t.Fatalf("the giver's booking: %+v", g)
		}
		if tb := e.booking(taken); tb.Status != domain.BookingConfirmed || tb.ShiftID != place[0] {
			t.Fatalf("the taker's booking: %+v", tb)
		}
		entries, err := e.store.AuditEntries(context.Background(), domain.AuditFilter{Entity: "handover", EntityID: handover, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, en := range entries {
			actions = append(actions, en.Action)
		}
		if strings.Join(actions, ",") != "handover.offer,handover.take" {
			t.Fatalf("audit of the handover: %v", actions)
		}
	})
}

func TestHandoverRefusals(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		place := e.onePlace(friday, 4)
		giver, giverToken := e.memberLogin("giver", memberOpts{})
		_, otherToken := e.memberLogin("other", memberOpts{})
		_, unvettedToken := e.memberLogin("unvetted", memberOpts{vetting: domain.VettingNone})
		given := e.bookConfirmed(place, giver)

		if r := e.do(http.MethodPost, "/api/v1/bookings/"+given+"/handover", otherToken, nil); r.status != 404 {
			t.Fatalf("someone else's booking: %d %s", r.status, r.raw)
		}
		pending := shiftsOf(e.demand(map[string]any{"start_local": local(friday.Add(24 * time.Hour)), "end_local": local(friday.Add(28 * time.Hour)), "booking_mode": "approval"}))[0]
		pb := e.do(http.MethodPost, "/api/v1/shifts/"+pending[0]+"/bookings", giverToken, map[string]any{"position_id": pending[1]})
		if pb.body["status"] != "pending" {
			t.Fatalf("pending booking: %s", pb.raw)
		}
		if r := e.do(http.MethodPost, "/api/v1/bookings/"+pb.body["id"].(string)+"/handover", giverToken, nil); r.status != 409 || !strings.Contains(r.body["detail"].(string), "confirmed") {
			t.Fatalf("a pending booking: %d %s", r.status, r.raw)
		}

		r := e.do(http.MethodPost, "/api/v1/bookings/"+given+"/handover", giverToken, nil)
		if r.status != 201 {
			t.Fatalf("offer: %d %s", r.status, r.raw)
		}
		handover := r.body["handover_id"].(string)
		if again := e.do(http.MethodPost, "/api/v1/bookings/"+given+"/handover", giverToken, nil); again.status != 409 {
			t.Fatalf("offered twice: %d %s", again.status, again.raw)
		}
		if own := e.do(http.MethodPost, "/api/v1/handovers/"+handover+"/accept", giverToken, nil); own.status != 409 {
			t.Fatalf("taking one's own: %d %s", own.status, own.raw)
		}
		if l := e.do(http.MethodGet, "/api/v1/handovers", giverToken, nil); len(l.body["items"].([]any)) != 0 {
			t.Fatalf("the giver is offered their own: %s", l.raw)
		}
		if l := e.do(http.MethodGet, "/api/v1/handovers", unvettedToken, nil); len(l.body["items"].([]any)) != 0 {
			t.Fatalf("a member failing a rule is offered it: %s", l.raw)
		}
		refused := e.do(http.MethodPost, "/api/v1/handovers/"+handover+"/accept", unvettedToken, nil)
		if refused.status != 409 || problemType(refused) != "booking-refused" || !has(rulesOf(refused), "vetting_valid") {
			t.Fatalf("a member failing vetting: %d %s", refused.status, refused.raw)
		}
		if coord := e.do(http.MethodPost, "/api/v1/handovers/"+handover+"/accept", e.coordinator, nil); coord.status != 403 {
			t.Fatalf("a coordinator with no member record: %d %s", coord.status, coord.raw)
		}
		if b := e.booking(given); b.Status != domain.BookingConfirmed {
			t.Fatalf("refusals changed the giver's booking: %+v", b)
		}

		// The offer lapses at the shift's start; the giver keeps the place.
		e.advance(friday.Sub(*e.now.Load()) + time.Minute)
		late := e.do(http.MethodPost, "/api/v1/handovers/"+handover+"/accept", otherToken, nil)
		if late.status != 409 || !strings.Contains(late.body["detail"].(string), "lapsed") {
			t.Fatalf("after the start: %d %s", late.status, late.raw)
		}
		if b := e.booking(given); b.Status != domain.BookingConfirmed {
			t.Fatalf("the lapsed offer changed the giver's booking: %+v", b)
		}
	})
}

func TestAHandoverTakenHoursBeforeTheShiftIsNotALateCancellation(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		place := e.onePlace(friday, 4)
		giver, giverToken := e.memberLogin("giver", memberOpts{})
		_, takerToken := e.memberLogin("taker", memberOpts{})
		given := e.bookConfirmed(place, giver)
		e.advance(friday.Sub(*e.now.Load()) - 3*time.Hour)
		r := e.do(http.MethodPost, "/api/v1/bookings/"+given+"/handover", giverToken, nil)
		if r.status != 201 {
			t.Fatalf("offer: %d %s", r.status, r.raw)
		}
		if a := e.do(http.MethodPost, "/api/v1/handovers/"+r.body["handover_id"].(string)+"/accept", takerToken, nil); a.status != 200 {
			t.Fatalf("accept: %d %s", a.status, a.raw)
		}
		mine := e.do(http.MethodGet, "/api/v1/members/"+giver+"/bookings", giverToken, nil)
		item := mine.body["items"].([]any)[0].(map[string]any)
		if item["status"] != "cancelled" || item["late_cancel"] != false || item["cancel_reason"] != "handover" || item["cancelled_by"] != "member" {
			t.Fatalf("the giver's booking three hours before: %v", item)
		}
	})
}

// swapFixture: A holds a 10-hour Tuesday shift (kept) and a 4-hour Saturday
// shift a week later (to swap); B holds a 10-hour Thursday shift in A's week.
type swapFixture struct {
	a, b, aToken, bToken string
	aSat, bThu           string
	satPlace, thuPlace   [2]string
}

func newSwapFixture(e *env, aCap float64) swapFixture {
	e.t.Helper()
	var f swapFixture
	f.a, f.aToken = e.memberLogin("alex", memberOpts{maxHours: aCap})
	f.b, f.bToken = e.memberLogin("bo", memberOpts{maxHours: 48})
	tue := time.Date(2027, 1, 5, 8, 0, 0, 0, time.UTC)
	thu := time.Date(2027, 1, 7, 8, 0, 0, 0, time.UTC)
	sat := time.Date(2027, 1, 16, 8, 0, 0, 0, time.UTC)
	e.bookConfirmed(e.onePlace(tue, 10), f.a)
	f.satPlace, f.thuPlace = e.onePlace(sat, 4), e.onePlace(thu, 10)
	f.aSat, f.bThu = e.bookConfirmed(f.satPlace, f.a), e.bookConfirmed(f.thuPlace, f.b)
	return f
}

func TestASwapThatBreaksTheWeeklyCapForOneSideIsRefusedForBoth(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		f := newSwapFixture(e, 16) // Tuesday's 10 hours and Thursday's 10 are over 16
		r := e.do(http.MethodPost, "/api/v1/bookings/"+f.aSat+"/swap", f.aToken, map[string]any{"with_booking_id": f.bThu})
		if r.status != 201 {
			t.Fatalf("request: %d %s", r.status, r.raw)
		}
		swap := r.body["swap_id"].(string)
		if own := e.do(http.MethodPost, "/api/v1/swaps/"+swap+"/accept", f.aToken, nil); own.status != 403 {
			t.Fatalf("the requester accepting: %d %s", own.status, own.raw)
		}
		acc := e.do(http.MethodPost, "/api/v1/swaps/"+swap+"/accept", f.bToken, nil)
		if acc.status != 409 || problemType(acc) != "booking-refused" || !has(rulesOf(acc), "weekly_cap") {
			t.Fatalf("accept: %d %s", acc.status, acc.raw)
		}
		for id, member := range map[string]string{f.aSat: f.a, f.bThu: f.b} {
			if b := e.booking(id); b.Status != domain.BookingConfirmed || b.MemberID != member {
				t.Fatalf("booking %s changed: %+v", id, b)
			}
		}
		for _, pl := range [][2]string{f.satPlace, f.thuPlace} {
			if got := e.activeOn(pl[0], pl[1]); got != 1 {
				t.Fatalf("%d active bookings on %v, want 1", got, pl)
			}
		}
	})
}

func TestASwapBothMayMakeExchangesThePlaces(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		f := newSwapFixture(e, 48)
		_, otherToken := e.memberLogin("other", memberOpts{})
		if r := e.do(http.MethodPost, "/api/v1/bookings/"+f.bThu+"/swap", f.aToken, map[string]any{"with_booking_id": f.aSat}); r.status != 404 {
			t.Fatalf("swapping someone else's booking: %d %s", r.status, r.raw)
		}
		if r := e.do(http.MethodPost, "/api/v1/bookings/"+f.aSat+"/swap", f.aToken, map[string]any{"with_booking_id": f.aSat}); r.status != 422 {
			t.Fatalf("swapping with itself: %d %s", r.status, r.raw)
		}
		r := e.do(http.MethodPost, "/api/v1/bookings/"+f.aSat+"/swap", f.aToken, map[string]any{"with_booking_id": f.bThu})
		if r.status != 201 {
			t.Fatalf("request: %d %s", r.status, r.raw)
		}
		swap := r.body["swap_id"].(string)
		if o := e.do(http.MethodPost, "/api/v1/swaps/"+swap+"/accept", otherToken, nil); o.status != 404 {
			t.Fatalf("a third member accepting: %d %s", o.status, o.raw)
		}
		acc := e.do(http.MethodPost, "/api/v1/swaps/"+swap+"/accept", f.bToken, nil)
		if acc.status != 200 {
			t.Fatalf("accept: %d %s", acc.status, acc.raw)
		}
		made := acc.body["bookings"].([]any)
		first, second := made[0].(map[string]any), made[1].(map[string]any)
		if first["member_id"] != f.a || first["shift_id"] != f.thuPlace[0] || second["member_id"] != f.b || second["shift_id"] != f.satPlace[0] {
			t.Fatalf("the new bookings: %s", acc.raw)
		}
		for _, id := range []string{f.aSat, f.bThu} {
			if b := e.booking(id); b.Status != domain.BookingCancelled || b.CancelReason != "swap" || b.LateCancel {
				t.Fatalf("old booking %s: %+v", id, b)
			}
		}
		if again := e.do(http.MethodPost, "/api/v1/swaps/"+swap+"/accept", f.bToken, nil); again.status != 409 {
			t.Fatalf("accepted twice: %d %s", again.status, again.raw)
		}
	})
}

func TestCrossingSwapsAndAHandoverOfTheSameBookingsAtOnceLeaveEachPlaceHeldOnce(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		f := newSwapFixture(e, 48)
		_, cToken := e.memberLogin("cy", memberOpts{maxHours: 48})
		one := e.do(http.MethodPost, "/api/v1/bookings/"+f.aSat+"/swap", f.aToken, map[string]any{"with_booking_id": f.bThu})
		two := e.do(http.MethodPost, "/api/v1/bookings/"+f.bThu+"/swap", f.bToken, map[string]any{"with_booking_id": f.aSat})
		ho := e.do(http.MethodPost, "/api/v1/bookings/"+f.aSat+"/handover", f.aToken, nil)
		if one.status != 201 || two.status != 201 || ho.status != 201 {
			t.Fatalf("setup: %d %d %d", one.status, two.status, ho.status)
		}
		rs := parallel(3, func(i int) resp {
			switch i {
			case 0:
				return e.do(http.MethodPost, "/api/v1/swaps/"+one.body["swap_id"].(string)+"/accept", f.bToken, nil)
			case 1:
				return e.do(http.MethodPost, "/api/v1/swaps/"+two.body["swap_id"].(string)+"/accept", f.aToken, nil)
			default:
				return e.do(http.MethodPost, "/api/v1/handovers/"+ho.body["handover_id"].(string)+"/accept", cToken, nil)
			}
		})
		wins := 0
		for _, r := range rs {
			switch r.status {
			case 200:
				wins++
			case 409:
			default:
				t.Fatalf("answer %d %s", r.status, r.raw)
			}
		}
		// Both swaps need A's Saturday booking confirmed, and so does the
		// handover: whichever commits first, the others find it gone.
		if wins != 1 {
			t.Fatalf("%d of the three succeeded, want 1: %d %d %d", wins, rs[0].status, rs[1].status, rs[2].status)
		}
		for _, pl := range [][2]string{f.satPlace, f.thuPlace} {
			if got := e.activeOn(pl[0], pl[1]); got != 1 {
				t.Fatalf("%d active bookings on %v, want 1", got, pl)
			}
		}
	})
}
