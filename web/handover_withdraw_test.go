package web_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/copbank/copbank/domain"
)

func TestTheGiverWithdrawsAHandoverOfferAndKeepsTheBooking(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		place := e.onePlace(friday, 4)
		giver, giverToken := e.memberLogin("giver", memberOpts{})
		_, takerToken := e.memberLogin("taker", memberOpts{})
		given := e.bookConfirmed(place, giver)
		r := e.do(http.MethodPost, "/api/v1/bookings/"+given+"/handover", giverToken, nil)
		if r.status != http.StatusCreated {
			t.Fatalf("offer: %d %s", r.status, r.raw)
		}
		h := r.body["handover_id"].(string)

		// Only the giver may withdraw: to anyone else the offer is not there.
		for who, tok := range map[string]string{"a colleague": takerToken, "the coordinator": e.coordinator, "the admin": e.admin} {
			if w := e.do(http.MethodPost, "/api/v1/handovers/"+h+"/withdraw", tok, nil); w.status != http.StatusNotFound {
				t.Fatalf("%s withdrawing: %d %s", who, w.status, w.raw)
			}
		}
		w := e.do(http.MethodPost, "/api/v1/handovers/"+h+"/withdraw", giverToken, nil)
		if w.status != http.StatusOK || w.body["booking_id"] != given || w.body["status"] != "withdrawn" {
			t.Fatalf("withdraw: %d %s", w.status, w.raw)
		}
		if b := e.booking(given); b.Status != domain.BookingConfirmed {
			t.Fatalf("the giver's booking after withdrawing: %+v", b)
		}
		if l := e.do(http.MethodGet, "/api/v1/handovers", takerToken, nil); l.status != 200 || len(l.body["items"].([]any)) != 0 {
			t.Fatalf("offers after withdrawing: %d %s", l.status, l.raw)
		}
		if a := e.do(http.MethodPost, "/api/v1/handovers/"+h+"/accept", takerToken, nil); a.status != http.StatusNotFound {
			t.Fatalf("taking a withdrawn offer: %d %s", a.status, a.raw)
		}
		if got := e.activeOn(place[0], place[1]); got != 1 {
			t.Fatalf("%d active bookings on the place, want the giver's alone", got)
		}
		if got := e.auditActions("handover.withdraw"); len(got) != 1 {
			t.Fatalf("audited withdrawals: %v", got)
		}

		// Offered again and taken: too late to withdraw.
		r = e.do(http.MethodPost, "/api/v1/bookings/"+given+"/handover", giverToken, nil)
		if r.status != http.StatusCreated {
			t.Fatalf("offer again: %d %s", r.status, r.raw)
		}
		h = r.body["handover_id"].(string)
		if a := e.do(http.MethodPost, "/api/v1/handovers/"+h+"/accept", takerToken, nil); a.status != http.StatusOK {
			t.Fatalf("take: %d %s", a.status, a.raw)
		}
		if w := e.do(http.MethodPost, "/api/v1/handovers/"+h+"/withdraw", giverToken, nil); w.status != http.StatusConflict {
			t.Fatalf("withdrawing a taken offer: %d %s", w.status, w.raw)
		}
		if got := e.activeOn(place[0], place[1]); got != 1 {
			t.Fatalf("%d active bookings on the place after the take, want 1", got)
		}
	})
}

func TestALapsedHandoverOfferCannotBeWithdrawn(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		place := e.onePlace(friday, 4)
		giver, giverToken := e.memberLogin("giver", memberOpts{})
		given := e.bookConfirmed(place, giver)
		r := e.do(http.MethodPost, "/api/v1/bookings/"+given+"/handover", giverToken, nil)
		if r.status != http.StatusCreated {
			t.Fatalf("offer: %d %s", r.status, r.raw)
		}
		e.advance(friday.Sub(*e.now.Load()) + 1)
		if w := e.do(http.MethodPost, "/api/v1/handovers/"+r.body["handover_id"].(string)+"/withdraw", giverToken, nil); w.status != http.StatusConflict {
			t.Fatalf("withdrawing a lapsed offer: %d %s", w.status, w.raw)
		}
	})
}

func TestWithdrawingAHandoverOfferFromMyShiftsWithoutJavaScript(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		place := e.onePlace(friday, 4)
		giver, _ := e.memberLogin("giver", memberOpts{})
		e.memberLogin("taker", memberOpts{})
		given := e.bookConfirmed(place, giver)
		a := e.browser(t)
		a.signIn("giver@example.org")
		a.post("/my-shifts", "/my-shifts/"+given+"/handover", nil)
		wantPage(t, a.get("/my-shifts"), http.StatusOK, "Offered to colleagues", `action="/my-shifts/`+given+`/handover/withdraw"`, "Withdraw offer")

		b := e.browser(t)
		b.signIn("taker@example.org")
		offers := b.get("/handovers")
		m := handoverActionRe.FindStringSubmatch(offers.body)
		if m == nil {
			t.Fatalf("no take button: %.1500s", offers.body)
		}

		p := a.post("/my-shifts", "/my-shifts/"+given+"/handover/withdraw", nil)
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/my-shifts" {
			t.Fatalf("withdraw: %d %q %.400s", p.status, p.header.Get("Location"), p.body)
		}
		wantPage(t, a.get("/my-shifts"), http.StatusOK, "You withdrew your offer", "Offer to colleagues", "Booked")

		// The colleague's page still showed it: taking it now says it has gone.
		p = b.post("/handovers", m[1], nil)
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/handovers" {
			t.Fatalf("take a withdrawn offer: %d %q %.400s", p.status, p.header.Get("Location"), p.body)
		}
		wantPage(t, b.get("/handovers"), http.StatusOK, "it is no longer on offer")
		if got := e.booking(given); got.Status != domain.BookingConfirmed {
			t.Fatalf("the giver's booking: %+v", got)
		}
	})
}

// The giver withdrawing while colleagues accept: either the withdrawal
// wins and nobody takes the place, or one colleague does and the
// withdrawal is refused; the place is held exactly once either way.
func TestWithdrawingWhileColleaguesAcceptLeavesThePlaceHeldOnce(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		place := e.onePlace(friday, 4)
		giver, giverToken := e.memberLogin("giver", memberOpts{})
		given := e.bookConfirmed(place, giver)
		r := e.do(http.MethodPost, "/api/v1/bookings/"+given+"/handover", giverToken, nil)
		if r.status != http.StatusCreated {
			t.Fatalf("offer: %d %s", r.status, r.raw)
		}
		h := r.body["handover_id"].(string)
		tokens := make([]string, 8)
		for i := range tokens {
			_, tokens[i] = e.memberLogin(fmt.Sprintf("col%d", i), memberOpts{})
		}
		rs := parallel(len(tokens)+1, func(i int) resp {
			if i == len(tokens) {
				return e.do(http.MethodPost, "/api/v1/handovers/"+h+"/withdraw", giverToken, nil)
			}
			return e.do(http.MethodPost, "/api/v1/handovers/"+h+"/accept", tokens[i], nil)
		})
		withdrawn := rs[len(tokens)].status
		taken := countStatus(rs[:len(tokens)])[http.StatusOK]
		switch {
		case withdrawn == http.StatusOK && taken == 0:
			if e.booking(given).Status != domain.BookingConfirmed {
				t.Fatalf("withdrawn, yet the giver's booking is %s", e.booking(given).Status)
			}
		case withdrawn == http.StatusConflict && taken == 1:
		default:
			t.Fatalf("withdraw answered %d with %d takers: %v", withdrawn, taken, countStatus(rs))
		}
		if got := e.activeOn(place[0], place[1]); got != 1 {
			t.Fatalf("%d active bookings on the place, want 1", got)
		}
	})
}
