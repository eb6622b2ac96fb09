package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/domain"
)

func (e *env) putHold(memberID string) {
	e.t.Helper()
	now := *e.now.Load()
	if err := e.store.PutApprovalHold(context.Background(), domain.ApprovalHold{MemberID: memberID, Reason: "2 no-shows in 90 days: test",
		SetAt: now, Until: now.Add(90 * 24 * time.Hour)}); err != nil {
		e.t.Fatal(err)
	}
}

func TestAMemberOnAnApprovalHoldCannotTakeAHandoverAndThePlaceStaysWithTheGiver(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		place := e.onePlace(friday, 4)
		giver, giverToken := e.memberLogin("giver", memberOpts{})
		held, heldToken := e.memberLogin("held", memberOpts{})
		_, freeToken := e.memberLogin("free", memberOpts{})
		given := e.bookConfirmed(place, giver)
		r := e.do(http.MethodPost, "/api/v1/bookings/"+given+"/handover", giverToken, nil)
		if r.status != http.StatusCreated {
			t.Fatalf("offer: %d %s", r.status, r.raw)
		}
		h := r.body["handover_id"].(string)
		e.putHold(held)

		// They are offered nothing, and the page says why.
		if l := e.do(http.MethodGet, "/api/v1/handovers", heldToken, nil); l.status != 200 || len(l.body["items"].([]any)) != 0 {
			t.Fatalf("offers to a held member: %d %s", l.status, l.raw)
		}
		b := e.browser(t)
		b.signIn("held@example.org")
		wantPage(t, b.get("/handovers"), http.StatusOK, "wait for a coordinator&#39;s approval", "you cannot take a colleague&#39;s place")
		a := e.do(http.MethodPost, "/api/v1/handovers/"+h+"/accept", heldToken, nil)
		if a.status != http.StatusConflict || !strings.Contains(string(a.raw), "approved by a coordinator") {
			t.Fatalf("a held member taking the offer: %d %s", a.status, a.raw)
		}
		if b := e.booking(given); b.Status != domain.BookingConfirmed {
			t.Fatalf("the giver's booking after the refusal: %+v", b)
		}
		if got := e.activeOn(place[0], place[1]); got != 1 {
			t.Fatalf("%d active bookings on the place, want 1", got)
		}
		// The offer is still open for a colleague not on hold.
		if a := e.do(http.MethodPost, "/api/v1/handovers/"+h+"/accept", freeToken, nil); a.status != http.StatusOK || a.body["status"] != "confirmed" {
			t.Fatalf("a free colleague taking it: %d %s", a.status, a.raw)
		}
		if got := e.activeOn(place[0], place[1]); got != 1 {
			t.Fatalf("%d active bookings on the place after the take, want 1", got)
		}
	})
}

func TestASwapWithAMemberOnAnApprovalHoldIsRefusedAndNothingMoves(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		first := e.onePlace(friday, 4)
		second := e.onePlace(friday.Add(24*time.Hour), 4)
		asker, askerToken := e.memberLogin("asker", memberOpts{})
		partner, partnerToken := e.memberLogin("partner", memberOpts{})
		mine := e.bookConfirmed(first, asker)
		theirs := e.bookConfirmed(second, partner)
		r := e.do(http.MethodPost, "/api/v1/bookings/"+mine+"/swap", askerToken, map[string]any{"with_booking_id": theirs})
		if r.status != http.StatusCreated {
			t.Fatalf("swap request: %d %s", r.status, r.raw)
		}
		e.putHold(asker)
		a := e.do(http.MethodPost, "/api/v1/swaps/"+r.body["swap_id"].(string)+"/accept", partnerToken, nil)
		if a.status != http.StatusConflict || !strings.Contains(string(a.raw), "one of you must have bookings approved") {
			t.Fatalf("accepting a swap with a held member: %d %s", a.status, a.raw)
		}
		if e.booking(mine).Status != domain.BookingConfirmed || e.booking(theirs).Status != domain.BookingConfirmed {
			t.Fatalf("bookings moved: %+v %+v", e.booking(mine), e.booking(theirs))
		}
	})
}

func TestAskingTheSameSwapTwiceIsAConflictAndTheColleagueSeesItOnce(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		first := e.onePlace(friday, 4)
		second := e.onePlace(friday.Add(24*time.Hour), 4)
		asker, askerToken := e.memberLogin("asker", memberOpts{})
		partner, _ := e.memberLogin("partner", memberOpts{})
		mine := e.bookConfirmed(first, asker)
		theirs := e.bookConfirmed(second, partner)
		ask := map[string]any{"with_booking_id": theirs}
		if r := e.do(http.MethodPost, "/api/v1/bookings/"+mine+"/swap", askerToken, ask); r.status != http.StatusCreated {
			t.Fatalf("swap request: %d %s", r.status, r.raw)
		}
		if r := e.do(http.MethodPost, "/api/v1/bookings/"+mine+"/swap", askerToken, ask); r.status != http.StatusConflict {
			t.Fatalf("the same request again: %d %s", r.status, r.raw)
		}
		asked, err := e.store.SwapsAsked(context.Background(), partner, 10)
		if err != nil || len(asked) != 1 {
			t.Fatalf("swaps asked of the partner: %d (%v), want 1", len(asked), err)
		}
	})
}
