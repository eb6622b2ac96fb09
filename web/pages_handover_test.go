package web_test

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/copbank/copbank/domain"
)

var handoverActionRe = regexp.MustCompile(`action="(/handovers/[^"]+/accept)"`)

func TestHandoverThroughThePagesWithoutJavaScript(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		place := e.onePlace(friday, 4)
		giver, _ := e.memberLogin("giver", memberOpts{})
		e.memberLogin("taker", memberOpts{})
		e.memberLogin("late", memberOpts{})
		given := e.bookConfirmed(place, giver)

		a := e.browser(t)
		a.signIn("giver@example.org")
		wantPage(t, a.get("/my-shifts"), http.StatusOK, `action="/my-shifts/`+given+`/handover"`, "Offer to colleagues")
		p := a.post("/my-shifts", "/my-shifts/"+given+"/handover", nil)
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/my-shifts" {
			t.Fatalf("offer: %d %q %.400s", p.status, p.header.Get("Location"), p.body)
		}
		wantPage(t, a.get("/my-shifts"), http.StatusOK, "You offered your place on Evening patrol", "Offered to colleagues", "Booked")

		b := e.browser(t)
		b.signIn("taker@example.org")
		offers := b.get("/handovers")
		wantPage(t, offers, http.StatusOK, "Offers from colleagues", "Evening patrol", "Take this shift")
		m := handoverActionRe.FindStringSubmatch(offers.body)
		if m == nil {
			t.Fatalf("no take button: %.1500s", offers.body)
		}
		c := e.browser(t)
		c.signIn("late@example.org")
		wantPage(t, c.get("/handovers"), http.StatusOK, "Take this shift")

		p = b.post("/handovers", m[1], nil)
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/my-shifts" {
			t.Fatalf("take: %d %q %.400s", p.status, p.header.Get("Location"), p.body)
		}
		wantPage(t, b.get("/my-shifts"), http.StatusOK, "You took the place on Evening patrol", "Booked")

		// The second colleague's page still showed the offer: taking it
		// now says it has gone, on the offers page.
		p = c.post("/my-shifts", m[1], nil)
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/handovers" {
			t.Fatalf("take a taken one: %d %q %.400s", p.status, p.header.Get("Location"), p.body)
		}
		wantPage(t, c.get("/handovers"), http.StatusOK, "a colleague took this shift first", "No colleague is offering")

		wantPage(t, a.get("/my-shifts"), http.StatusOK, "Cancelled (handed over to a colleague)")
		if got := e.booking(given); got.Status != domain.BookingCancelled || got.LateCancel {
			t.Fatalf("the giver's booking: %+v", got)
		}
	})
}

var swapActionRe = regexp.MustCompile(`action="(/swaps/[^"]+/accept)"`)

func TestASwapIsAcceptedFromTheOffersPage(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		f := newSwapFixture(e, 16) // over A's cap: refused first
		r := e.do(http.MethodPost, "/api/v1/bookings/"+f.aSat+"/swap", f.aToken, map[string]any{"with_booking_id": f.bThu})
		if r.status != http.StatusCreated {
			t.Fatalf("request: %d %s", r.status, r.raw)
		}
		b := e.browser(t)
		b.signIn("bo@example.org")
		offers := b.get("/handovers")
		wantPage(t, offers, http.StatusOK, "Swaps colleagues ask of you", "You give up", "Accept this swap")
		m := swapActionRe.FindStringSubmatch(offers.body)
		if m == nil {
			t.Fatalf("no accept button: %.1500s", offers.body)
		}
		p := b.post("/handovers", m[1], nil)
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/handovers" {
			t.Fatalf("a refused swap: %d %q", p.status, p.header.Get("Location"))
		}
		wantPage(t, b.get("/handovers"), http.StatusOK, "The swap did not happen", "weekly")
		if got := e.booking(f.bThu); got.Status != domain.BookingConfirmed {
			t.Fatalf("the refused swap changed B's booking: %+v", got)
		}

		// With the cap raised the same swap goes through.
		if r := e.do(http.MethodPatch, "/api/v1/members/"+f.a, e.coordinator, map[string]any{"max_hours_per_week": 48}); r.status != 200 {
			t.Fatalf("raise the cap: %d %s", r.status, r.raw)
		}
		p = b.post("/handovers", m[1], nil)
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/my-shifts" {
			t.Fatalf("accept: %d %q", p.status, p.header.Get("Location"))
		}
		wantPage(t, b.get("/my-shifts"), http.StatusOK, "You swapped shifts", "Cancelled (swapped with a colleague)")
	})
}
