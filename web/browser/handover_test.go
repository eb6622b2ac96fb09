package browser_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// A handover from the pages alone: member A offers a confirmed booking to
// colleagues from my shifts, member B finds it under offers from colleagues
// and takes it, and each one's shifts page says what became of their place.
func TestHandoverJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journeys are not short")
	}
	s := startSite(t)
	ctx := context.Background()
	principalOf := func(email string) *domain.Principal {
		u, err := s.app.UserByEmail(ctx, app.CommandLineOperator(), email)
		if err != nil {
			t.Fatal(err)
		}
		return &domain.Principal{User: u}
	}
	coord, giver := principalOf(coordinator), principalOf(volunteer)
	zone := s.app.Config.TimeZone
	// An hour at dawn ten days on, one place, open to both kinds: clear of
	// what the demo data books.
	start := time.Now().In(zone).AddDate(0, 0, 10).Truncate(24 * time.Hour).Add(5 * time.Hour)
	title := fmt.Sprintf("Dawn handover patrol %d", time.Now().UnixNano()%100000)
	d, err := s.app.PostDemand(ctx, coord, app.DemandInput{Title: title, ProblemType: "asb", Area: "DUR-CC", BookingMode: "open",
		TimeZone: zone.String(), StartLocal: start.Format("2006-01-02T15:04"), EndLocal: start.Add(time.Hour).Format("2006-01-02T15:04"),
		Positions: []app.PositionInput{{Name: "Patroller", Kinds: []string{"volunteer", "bank_officer"}, MinVetting: "none", Headcount: 1}}})
	if err != nil {
		t.Fatalf("post the demand: %v", err)
	}
	shift := d.Shifts[0].ID
	res, err := s.app.Book(ctx, giver, app.BookInput{ShiftID: shift, PositionID: d.Positions[0].ID})
	if err != nil || res.Booking.Status != domain.BookingConfirmed {
		t.Fatalf("book the volunteer: %v %+v", err, res.Booking)
	}
	card := fmt.Sprintf(`//main//li[contains(@class, "card")][.//a[@href="/shifts/%s"]]`, shift)

	a := s.newTab(t, 1024, 768)
	a.signIn(volunteer)
	a.open("/my-shifts", atMyShifts)
	a.navigates(atMyShifts, click(card+`//button[starts-with(normalize-space(.), "Offer to colleagues")]`))
	if flash := a.text(".flash"); !strings.Contains(flash, "You offered your place on "+title) {
		t.Fatalf("my shifts said %q after the offer", flash)
	}
	if got := a.cardText(shift); !strings.Contains(got, "Offered to colleagues") || !strings.Contains(got, "Booked") {
		t.Fatalf("the offered booking's card says %q", got)
	}

	b := s.newTab(t, 320, 640)
	b.signIn(officer)
	b.open("/my-shifts", atMyShifts)
	b.navigates(regexp.MustCompile(`^/handovers$`), click(button("See shifts colleagues offer")))
	b.wantText("Offers from colleagues", title)
	b.navigates(atMyShifts, click(card+`//button[starts-with(normalize-space(.), "Take this shift")]`))
	if flash := b.text(".flash"); !strings.Contains(flash, "You took the place on "+title) {
		t.Fatalf("my shifts said %q after taking the shift", flash)
	}
	if got := b.cardText(shift); !strings.Contains(got, "Booked") {
		t.Fatalf("the taker's card says %q", got)
	}
	b.open("/handovers", regexp.MustCompile(`^/handovers$`))
	if strings.Contains(b.text("main"), title) {
		t.Fatalf("the offer is still listed after it was taken: %.600s", b.text("main"))
	}

	a.open("/my-shifts", atMyShifts)
	if got := a.cardText(shift); !strings.Contains(got, "Cancelled (handed over to a colleague)") || strings.Contains(got, "Offer to colleagues") {
		t.Fatalf("the giver's card says %q", got)
	}
	b.screenshot("10-member-takes-a-colleagues-shift")
}

// cardText is the text of the my-shifts card of a shift.
func (b *tab) cardText(shiftID string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`(a => a ? a.closest(".card").innerText : "")(document.querySelector('main a[href="/shifts/%s"]'))`, shiftID))
}
