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

// A coordinator's week without leaving the pages, at 320 px: change a
// series, cancel one of its shifts, staff an open place by hand from the
// roster, see a shift at risk and the email about it, read the capacity.
func TestCoordinatorWeekJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journeys are not short")
	}
	s := startSite(t)
	ctx := context.Background()
	u, err := s.app.UserByEmail(ctx, app.CommandLineOperator(), coordinator)
	if err != nil {
		t.Fatal(err)
	}
	p := &domain.Principal{User: u}
	zone := s.app.Config.TimeZone
	// A weekly series whose first shift starts about a day and a half from
	// now, so that it is short of its minimum inside 48 hours.
	first := time.Now().In(zone).Add(36 * time.Hour).Truncate(time.Hour)
	title := fmt.Sprintf("Market watch %d", time.Now().UnixNano()%100000)
	fewest := 2
	d, err := s.app.PostDemand(ctx, p, app.DemandInput{Title: title, ProblemType: "asb", Area: "DUR-CC", BookingMode: "open",
		TimeZone: zone.String(), StartLocal: first.Format("2006-01-02T15:04"), EndLocal: first.Add(3 * time.Hour).Format("2006-01-02T15:04"),
		RRule:     "FREQ=WEEKLY;COUNT=3",
		Positions: []app.PositionInput{{Name: "Watcher", Kinds: []string{"volunteer", "bank_officer"}, MinVetting: "none", Headcount: 3, MinHeadcount: &fewest}}})
	if err != nil {
		t.Fatalf("post the series: %v", err)
	}
	b := s.newTab(t, 320, 640)
	b.signIn(coordinator)

	// Change the series: an hour later, every shift yet to start.
	later := first.Add(time.Hour).Format("15:04")
	end := first.Add(4 * time.Hour).Format("15:04")
	b.open("/coord/demands/"+d.ID+"/edit", regexp.MustCompile(`^/coord/demands/[^/]+/edit$`))
	b.wantText("Change "+title, "Cancel every shift yet to start")
	eval[bool](b, fmt.Sprintf(`(() => { document.getElementById("start_time").value = %q; document.getElementById("end_time").value = %q; return true })()`, later, end))
	b.navigates(regexp.MustCompile(`^/coord/demands/[^/]+/edit$`), click(button("Save changes")))
	b.wantText("Changes saved to "+title, "Bookings kept")
	moved, err := s.app.GetDemand(ctx, p, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := moved.Shifts[0].Start.In(zone).Format("15:04"); got != later {
		t.Fatalf("the first shift starts at %s after the change, want %s", got, later)
	}

	// Cancel the last shift of the series, with a reason.
	last := "/coord/shifts/" + moved.Shifts[2].ID
	b.open(last, regexp.MustCompile(`^/coord/shifts/`))
	b.fill("shift-reason", "the market is closed that week")
	b.navigates(regexp.MustCompile(`^/coord/shifts/[^/]+/cancel$`), click(button("Cancel this shift")))
	b.wantText("Cancelled the shift", title)

	// Staff the first shift by hand: find a member who passes every rule.
	roster := "/coord/shifts/" + moved.Shifts[0].ID
	cands, err := s.app.ShiftCandidates(ctx, p, moved.Shifts[0].ID, moved.Positions[0].ID, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	name := ""
	for _, c := range cands {
		if len(c.Failed) == 0 {
			name = c.Member.Name
			break
		}
	}
	if name == "" {
		t.Fatal("the demo data has nobody who may take the place")
	}
	b.open(roster, regexp.MustCompile(`^/coord/shifts/`))
	b.fill("q", name)
	b.navigates(regexp.MustCompile(`^/coord/shifts/[^/]+\?`), click(button("Find members")))
	b.wantText(name, "Passes every rule")
	b.navigates(regexp.MustCompile(`^/coord/shifts/[^/]+$`), click(fmt.Sprintf(`//main//li[.//h3[normalize-space(.)=%q]]//button[starts-with(normalize-space(.), 'Book')]`, name)))
	b.wantText("You booked "+name, "Cancel booking")

	// One of the two it needs is booked: the shift is at risk, the sweep
	// tells its coordinators once, and the roster says so.
	if _, err := s.app.SendAtRiskWarnings(ctx); err != nil {
		t.Fatal(err)
	}
	var told []app.Message
	for _, m := range s.mail.to(coordinator) {
		if strings.Contains(m.Subject, title) {
			told = append(told, m)
		}
	}
	if len(told) != 1 || !strings.Contains(told[0].Subject, "at risk") || !strings.Contains(told[0].Text, "1 of the 2 needed") {
		t.Fatalf("the coordinator was told %+v, want one at-risk email about %s", told, title)
	}
	if _, err := s.app.SendAtRiskWarnings(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(s.mail.to(coordinator)); n == 0 {
		t.Fatal("no email at all")
	}
	b.open(strings.TrimPrefix(told[0].Link, s.app.Config.BaseURL), regexp.MustCompile(`^/coord/shifts/`))
	b.wantText("At risk", name)
	y, w := moved.Shifts[0].Start.In(zone).ISOWeek()
	b.open(fmt.Sprintf("/coord/board?week=%04d-W%02d", y, w), regexp.MustCompile(`^/coord/board`))
	b.wantText("At risk: below the fewest to go ahead", title)

	// Where the gaps will be.
	b.open("/coord/capacity?area=DUR-CC", regexp.MustCompile(`^/coord/capacity`))
	b.wantText("Capacity", "Places asked for", "Members free")
	b.screenshot("9-coordinator-week")
}
