package browser_test

import (
	"context"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/app/demo"
	"github.com/copbank/copbank/domain"
)

// Lone working from the pages: a member books on duty and off duty from
// their booking with plain forms; another does not, and after the planned
// end a coordinator finds the welfare alert, with the member's emergency
// contact, and closes it with a note (refused first without one).
func TestLoneWorkingDutyJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journeys are not short")
	}
	s := startSite(t)
	ctx := context.Background()
	// The site's clock, moved past the shift's end for the second part.
	var offset atomic.Int64
	s.app.Now = func() time.Time { return time.Now().UTC().Add(time.Duration(offset.Load())) }

	op := app.CommandLineOperator()
	london, _ := time.LoadLocation("Europe/London")
	start := time.Now().UTC().Truncate(time.Minute).Add(20 * time.Minute)
	d, err := s.app.PostDemand(ctx, op, app.DemandInput{Title: "Lone evening check", ProblemType: "asb", Area: "DARL-TC",
		BookingMode: "open", LoneWorking: true, TimeZone: "Europe/London",
		StartLocal: start.In(london).Format("2006-01-02T15:04"), EndLocal: start.Add(time.Hour).In(london).Format("2006-01-02T15:04"),
		Positions: []app.PositionInput{{Name: "Patrol", Kinds: []string{"volunteer"}, Headcount: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	person := func(email, name string) (domain.Member, string) {
		m, err := s.app.CreateMember(ctx, op, app.NewMember{Name: name, Email: email, Kinds: []domain.Kind{domain.KindVolunteer}, HomeArea: "DARL-TC"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.app.CreateUser(ctx, app.NewUser{Email: email, Name: name, Password: demo.Password,
			Roles: []domain.Role{domain.RoleMember}, MemberID: m.ID}); err != nil {
			t.Fatal(err)
		}
		b, err := s.app.Book(ctx, op, app.BookInput{ShiftID: d.Shifts[0].ID, PositionID: d.Positions[0].ID, MemberID: m.ID})
		if err != nil || b.Booking.Status != domain.BookingConfirmed {
			t.Fatalf("book %s: %+v, %v", name, b, err)
		}
		return m, b.Booking.ID
	}
	_, booking := person("lone.one@example.org", "Jo Lone")
	late, _ := person("lone.two@example.org", "Kit Late")
	phone := "07700 900555"
	if _, err := s.app.UpdateMember(ctx, op, late.ID, app.MemberUpdate{Phone: &phone,
		EmergencyContact: app.Clearable[domain.EmergencyContact]{Set: true, Value: &domain.EmergencyContact{Name: "Pat Late", Phone: "07700 900666"}}}); err != nil {
		t.Fatal(err)
	}

	atDuty := regexp.MustCompile(`^/my-shifts/` + booking + `/duty$`)
	t.Run("a member books on duty and off duty from their booking", func(t *testing.T) {
		b := s.newTab(t, 320, 640)
		b.signIn("lone.one@example.org")
		b.open("/my-shifts", atMyShifts)
		b.wantText("Lone evening check", "On and off duty")
		b.navigates(atDuty, click(`a[href="/my-shifts/`+booking+`/duty"]`))
		b.wantText("On and off duty", "You will be working alone", "Not yet", "none recorded")
		atContact := regexp.MustCompile(`^/emergency-contact`)
		b.navigates(atContact, click(`a[href^="/emergency-contact"]`))
		b.fill("name", "Sam Kin")
		b.navigates(atContact, click(button("Save")))
		b.wantText("There is a problem", "is required")
		b.fill("phone", "07700 900444")
		// Saved from the duty page, the form goes back there.
		b.navigates(atDuty, click(button("Save")))
		b.wantText("You saved your emergency contact", "Sam Kin, 07700 900444")
		b.fill("lat", "54.5237")
		b.fill("lon", "-1.5536")
		b.navigates(atDuty, click(button("Book on duty")))
		if f := b.text(".flash"); !strings.Contains(f, "You are on duty") {
			t.Fatalf("after on duty the page said %q", f)
		}
		b.screenshot("lone-working-on-duty")
		b.navigates(atDuty, click(button("Book off duty")))
		if f := b.text(".flash"); !strings.Contains(f, "You are off duty") {
			t.Fatalf("after off duty the page said %q", f)
		}
		b.wantText("You are off duty")
		v, err := s.app.DutyOf(ctx, &domain.Principal{User: domain.User{MemberID: v0(t, s, "lone.one@example.org")}}, booking)
		if err != nil || v.Duty.OnDutyAt == nil || v.Duty.OffDutyAt == nil || v.Duty.OnLat == nil || *v.Duty.OnLat != 54.5237 {
			t.Fatalf("recorded duty %+v (%v)", v.Duty, err)
		}
	})

	t.Run("a coordinator finds the welfare alert with the emergency contact and closes it with a note", func(t *testing.T) {
		offset.Store(int64(start.Add(time.Hour + 31*time.Minute).Sub(time.Now().UTC())))
		if _, err := s.app.SendWelfareChecks(ctx); err != nil {
			t.Fatal(err)
		}
		alerts, err := s.app.WelfareAlerts(ctx, op, true, "", 10)
		if err != nil || len(alerts) != 1 || alerts[0].MemberName != "Kit Late" {
			t.Fatalf("open alerts: %+v (%v)", alerts, err)
		}
		id := alerts[0].Alert.ID
		b := s.newTab(t, 1024, 768)
		b.signIn(coordinator)
		atWelfare := regexp.MustCompile(`^/coord/welfare$`)
		b.open("/coord/welfare", atWelfare)
		b.wantText("Welfare alerts", "Kit Late", "07700 900555", "Pat Late", "07700 900666")
		b.screenshot("lone-working-welfare-alert")
		atRefused := regexp.MustCompile(`^/coord/welfare/` + id + `/close$`)
		b.navigates(atRefused, click(`form[action="/coord/welfare/`+id+`/close"] button`))
		b.wantText("There is a problem", "Note: is required")
		if d := eval[string](b, `document.getElementById("note-`+id+`").getAttribute("aria-describedby") || ""`); !strings.Contains(d, "note-"+id+"-error") {
			t.Errorf("the note is described by %q, want its error", d)
		}
		b.fill("note-"+id, "Reached Kit by phone: home safe, phone had died.")
		b.navigates(atWelfare, click(`form[action="/coord/welfare/`+id+`/close"] button`))
		b.wantText("You closed the welfare alert", "No welfare alerts are open")
	})
}

// v0 is the member ID of a sign-in email.
func v0(t *testing.T, s *site, email string) string {
	t.Helper()
	u, err := s.app.UserByEmail(context.Background(), app.CommandLineOperator(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u.MemberID
}
