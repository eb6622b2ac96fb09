package app_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/domain"
)

// loneShift posts a lone-working demand in DARL of one shift from start to
// start+3h with two places, and returns its shift and position.
func loneShift(t *testing.T, w *refWorld, coord *domain.Principal, start time.Time, lone bool) (shiftID, positionID string) {
	t.Helper()
	london, _ := time.LoadLocation("Europe/London")
	s := start.In(london)
	d, err := w.app.PostDemand(context.Background(), coord, app.DemandInput{Title: "Lone patrol", ProblemType: "asb", Area: "DARL",
		BookingMode: "open", LoneWorking: lone, TimeZone: "Europe/London", StartLocal: s.Format("2006-01-02T15:04"),
		EndLocal:  s.Add(3 * time.Hour).Format("2006-01-02T15:04"),
		Positions: []app.PositionInput{{Name: "Patrol", Kinds: []string{"volunteer"}, Headcount: 2}}})
	if err != nil {
		t.Fatalf("post demand: %v", err)
	}
	if d.LoneWorking != lone {
		t.Fatalf("demand lone_working %v, want %v", d.LoneWorking, lone)
	}
	return d.Shifts[0].ID, d.Positions[0].ID
}

// loneWorld is a member booked on a lone-working shift in DARL, with a phone
// and an emergency contact, a coordinator account covering DARL, and
// mailboxes for email and texts.
type loneWorld struct {
	*refWorld
	lone       domain.Member
	booking    domain.Booking
	start, end time.Time
	mail, sms  *mailbox
	clock      *time.Time
	poster     *domain.Principal
	mp         *domain.Principal // the lone worker signed in
}

func newLoneWorld(t *testing.T, s *db.Store) *loneWorld {
	t.Helper()
	ctx := context.Background()
	w := newRefWorld(t, s)
	lw := &loneWorld{refWorld: w, mail: &mailbox{}, sms: &mailbox{}}
	w.app.Notify, w.app.SMS = lw.mail, lw.sms
	// The shift ends at 23:00, inside quiet hours: they must hold nothing.
	lw.start = time.Date(2027, 1, 5, 20, 0, 0, 0, time.UTC)
	lw.end = lw.start.Add(3 * time.Hour)
	now := lw.start.Add(-24 * time.Hour)
	lw.clock = &now
	w.app.Now = func() time.Time { return *lw.clock }
	scopedCoordinator(t, w, "scope@example.org", "DARL")
	scopedCoordinator(t, w, "city@example.org", "DUR-CITY")
	lw.poster = coordinator(t, w)
	sh, pos := loneShift(t, w, lw.poster, lw.start, true)
	lw.lone = w.member(t, "lone@example.org", "DARL-N1", domain.KindVolunteer)
	lw.mp = signedIn(t, w, lw.lone)
	phone := "07700 900111"
	if _, err := w.app.UpdateMember(ctx, lw.mp, lw.lone.ID, app.MemberUpdate{Phone: &phone,
		EmergencyContact: app.Clearable[domain.EmergencyContact]{Set: true, Value: &domain.EmergencyContact{Name: "Alex Kin", Phone: "07700 900222"}}}); err != nil {
		t.Fatalf("emergency contact: %v", err)
	}
	b, err := w.app.Book(ctx, lw.mp, app.BookInput{ShiftID: sh, PositionID: pos})
	if err != nil || b.Booking.Status != domain.BookingConfirmed {
		t.Fatalf("book: %+v, %v", b, err)
	}
	lw.booking = b.Booking
	return lw
}

func (lw *loneWorld) at(t time.Time) { *lw.clock = t }

// sweep runs the welfare sweep twice at t: the second run must send
// nothing the first did.
func (lw *loneWorld) sweep(t *testing.T, at time.Time) {
	t.Helper()
	lw.at(at)
	for range 2 {
		if _, err := lw.app.SendWelfareChecks(context.Background()); err != nil {
			t.Fatalf("sweep at %s: %v", at, err)
		}
	}
}

func (lw *loneWorld) counts() (memberMail, memberText, coordMail, otherCoordMail, contactText int) {
	return len(lw.mail.to("lone@example.org")), len(lw.sms.toPhone("07700 900111")), len(lw.mail.to("scope@example.org")),
		len(lw.mail.to("city@example.org")), len(lw.sms.toPhone("07700 900222"))
}

func (m *mailbox) toPhone(phone string) []app.Message {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []app.Message
	for _, msg := range m.sent {
		if msg.Phone == phone {
			out = append(out, msg)
		}
	}
	return out
}

func openAlerts(t *testing.T, a *app.App, p *domain.Principal) []app.WelfareAlertView {
	t.Helper()
	got, err := a.WelfareAlerts(context.Background(), p, false, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestLoneWorkerOverdueIsRemindedAt15AndAlertedAt30ExactlyOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		lw := newLoneWorld(t, s)
		a := lw.app

		lw.at(lw.start.Add(-31 * time.Minute))
		_, err := a.OnDuty(ctx, lw.mp, lw.booking.ID, app.DutyInput{})
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != domain.EConflict || len(de.Rules) != 1 || de.Rules[0] != domain.RuleOnDutyWindow {
			t.Fatalf("on duty 31 minutes early: %v, want a conflict naming %s", err, domain.RuleOnDutyWindow)
		}
		lat, lon := 54.52, -1.55
		lw.at(lw.start.Add(-30 * time.Minute))
		v, err := a.OnDuty(ctx, lw.mp, lw.booking.ID, app.DutyInput{Lat: &lat, Lon: &lon})
		if err != nil || v.Duty.OnDutyAt == nil || *v.Duty.OnLat != lat {
			t.Fatalf("on duty 30 minutes early: %+v, %v", v.Duty, err)
		}

		lw.sweep(t, lw.end.Add(15*time.Minute-time.Second))
		if mm, mt, cm, om, ct := lw.counts(); mm+mt+cm+om+ct != 0 {
			t.Fatalf("before +15: %d %d %d %d %d message(s), want none", mm, mt, cm, om, ct)
		}
		lw.sweep(t, lw.end.Add(15*time.Minute))
		lw.sweep(t, lw.end.Add(29*time.Minute+59*time.Second))
		mm, mt, cm, om, ct := lw.counts()
		if mm != 1 || mt != 1 || cm+om+ct != 0 {
			t.Fatalf("+15 to +30: member mail %d, text %d (want 1 each); coordinators %d/%d, contact %d (want none)", mm, mt, cm, om, ct)
		}
		if got := lw.mail.to("lone@example.org")[0]; !strings.Contains(got.Link, app.DutyPath(lw.booking.ID)) {
			t.Errorf("the reminder links to %q, want the duty page", got.Link)
		}
		if n := len(openAlerts(t, a, lw.admin)); n != 0 {
			t.Fatalf("%d alert(s) before +30, want none", n)
		}
		if c, err := a.EmergencyContactFor(ctx, lw.darlCoord, lw.lone.ID); err != nil || c != nil {
			t.Fatalf("before the alert a coordinator in scope sees the contact %+v (%v)", c, err)
		}

		lw.sweep(t, lw.end.Add(30*time.Minute))
		lw.sweep(t, lw.end.Add(45*time.Minute))
		mm, mt, cm, om, ct = lw.counts()
		if mm != 1 || mt != 1 || cm != 1 || om != 0 || ct != 1 {
			t.Fatalf("after +30: member %d/%d, coordinator in scope %d, out of scope %d, contact %d; want 1/1, 1, 0, 1", mm, mt, cm, om, ct)
		}
		if txt := lw.sms.toPhone("07700 900222")[0].Text; !strings.Contains(txt, "Alex Kin") {
			t.Errorf("the contact's text: %q", txt)
		}
		alerts := openAlerts(t, a, lw.darlCoord)
		if len(alerts) != 1 || !alerts[0].Alert.Open() || alerts[0].Contact == nil || alerts[0].Contact.Phone != "07700 900222" {
			t.Fatalf("alerts seen in scope: %+v", alerts)
		}
		if n := len(openAlerts(t, a, lw.cityCoord)); n != 0 {
			t.Fatalf("a coordinator out of scope sees %d alert(s)", n)
		}
		if c, err := a.EmergencyContactFor(ctx, lw.darlCoord, lw.lone.ID); err != nil || c == nil || c.Name != "Alex Kin" {
			t.Fatalf("during the alert a coordinator in scope sees %+v (%v)", c, err)
		}
		if c, _ := a.EmergencyContactFor(ctx, lw.cityCoord, lw.lone.ID); c != nil {
			t.Fatalf("a coordinator out of scope sees the contact during the alert")
		}

		if _, err := a.CloseWelfareAlert(ctx, lw.darlCoord, alerts[0].Alert.ID, "  "); !errors.As(err, &de) || de.Code != domain.EInvalid ||
			len(de.Fields) != 1 || de.Fields[0].Field != "note" {
			t.Fatalf("close without a note: %v", err)
		}
		if _, err := a.CloseWelfareAlert(ctx, lw.cityCoord, alerts[0].Alert.ID, "found"); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("close out of scope: %v, want not found", err)
		}
		closed, err := a.CloseWelfareAlert(ctx, lw.darlCoord, alerts[0].Alert.ID, "Reached by phone: safe at home, phone battery died.")
		if err != nil || closed.Alert.Open() || closed.Contact != nil {
			t.Fatalf("close: %+v, %v", closed, err)
		}
		if _, err := a.CloseWelfareAlert(ctx, lw.darlCoord, alerts[0].Alert.ID, "again"); domain.ErrorCode(err) != domain.EConflict {
			t.Fatalf("close twice: %v, want a conflict", err)
		}
		if c, _ := a.EmergencyContactFor(ctx, lw.darlCoord, lw.lone.ID); c != nil {
			t.Fatalf("after the alert closed a coordinator still sees the contact")
		}
		lw.sweep(t, lw.end.Add(2*time.Hour))
		if mm2, mt2, cm2, om2, ct2 := lw.counts(); mm2 != mm || mt2 != mt || cm2 != cm || om2 != om || ct2 != ct {
			t.Fatalf("a later sweep sent more: %d %d %d %d %d", mm2, mt2, cm2, om2, ct2)
		}
		if n := len(openAlerts(t, a, lw.admin)); n != 1 {
			t.Fatalf("%d alert(s) in all, want the one", n)
		}
	})
}

func TestLoneWorkerOffDutyBefore15SendsNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		lw := newLoneWorld(t, s)
		a := lw.app
		lw.at(lw.start.Add(-5 * time.Minute))
		if _, err := a.OffDuty(ctx, lw.mp, lw.booking.ID, app.DutyInput{}); domain.ErrorCode(err) != domain.EConflict {
			t.Fatalf("off duty before on duty: %v, want a conflict", err)
		}
		if _, err := a.OnDuty(ctx, lw.mp, lw.booking.ID, app.DutyInput{}); err != nil {
			t.Fatal(err)
		}
		lw.at(lw.end.Add(14 * time.Minute))
		if _, err := a.OffDuty(ctx, lw.mp, lw.booking.ID, app.DutyInput{}); err != nil {
			t.Fatal(err)
		}
		for _, at := range []time.Duration{15 * time.Minute, 30 * time.Minute, 3 * time.Hour} {
			lw.sweep(t, lw.end.Add(at))
		}
		if mm, mt, cm, om, ct := lw.counts(); mm+mt+cm+om+ct != 0 {
			t.Fatalf("off duty at +14: %d %d %d %d %d message(s), want none", mm, mt, cm, om, ct)
		}
		if n := len(openAlerts(t, a, lw.admin)); n != 0 {
			t.Fatalf("%d alert(s), want none", n)
		}
	})
}

func TestLoneWorkingDutyOnSomeoneElsesBookingIsNotFoundAndChangesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		lw := newLoneWorld(t, s)
		a := lw.app
		other := signedIn(t, lw.refWorld, lw.member2(t))
		lw.at(lw.start)
		for _, p := range []*domain.Principal{other, lw.darlCoord, lw.admin} {
			if _, err := a.OnDuty(ctx, p, lw.booking.ID, app.DutyInput{}); domain.ErrorCode(err) != domain.ENotFound {
				t.Errorf("on duty by %v: %v, want not found", p.User.Roles, err)
			}
			if _, err := a.OffDuty(ctx, p, lw.booking.ID, app.DutyInput{}); domain.ErrorCode(err) != domain.ENotFound {
				t.Errorf("off duty by %v: %v, want not found", p.User.Roles, err)
			}
		}
		if d, found, err := s.DutyRecord(ctx, lw.booking.ID); err != nil || found {
			t.Fatalf("someone else's tries left a duty record %+v (%v)", d, err)
		}

		// A shift that is not lone working has no duty to book.
		sh, pos := loneShift(t, lw.refWorld, lw.poster, lw.start.Add(48*time.Hour), false)
		b, err := a.Book(ctx, other, app.BookInput{ShiftID: sh, PositionID: pos})
		if err != nil {
			t.Fatal(err)
		}
		lw.at(lw.start.Add(48 * time.Hour))
		_, err = a.OnDuty(ctx, other, b.Booking.ID, app.DutyInput{})
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != domain.EConflict || de.Rules[0] != domain.RuleLoneWorking {
			t.Fatalf("on duty on a shift that is not lone working: %v", err)
		}
	})
}

func (lw *loneWorld) member2(t *testing.T) domain.Member {
	t.Helper()
	return lw.refWorld.member(t, "other@example.org", "DARL-N1", domain.KindVolunteer)
}

// Two instances, each with its own pool and River client working the
// queue, on one PostgreSQL database, both past +30 of an overdue lone
// worker, with their sweeps also run by hand at the same moment: the
// reminder, the alert and each of its messages happen once.
func TestLoneWorkingWelfareStepsHappenOnceAcrossTwoInstances(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := dbtest.NewURL(t, db.Postgres)
	open := func() *db.Store {
		s, err := db.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	s1, s2 := open(), open()
	lw := newLoneWorld(t, s1)
	a1 := lw.app
	a2, _ := newApp(t, s2)
	lw.at(lw.start.Add(-10 * time.Minute))
	if _, err := a1.OnDuty(ctx, lw.mp, lw.booking.ID, app.DutyInput{}); err != nil {
		t.Fatal(err)
	}
	// Both clocks stand past +30 before either instance works the queue.
	late := lw.end.Add(31 * time.Minute)
	a1.Now = func() time.Time { return late }
	a2.Now = a1.Now
	mail2, sms2 := &mailbox{}, &mailbox{}
	a2.Notify, a2.SMS = mail2, sms2

	for _, a := range []*app.App{a1, a2} {
		stop, err := a.RunJobs(ctx, app.JobOptions{PollInterval: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := stop(ctx); err != nil {
				t.Errorf("stop jobs: %v", err)
			}
		})
	}
	var wg sync.WaitGroup
	for _, a := range []*app.App{a1, a2, a1, a2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = a.SendWelfareChecks(ctx) // a step the other holds is an error here, done by the other
		}()
	}
	wg.Wait()
	count := func(byEmail bool, who string) int {
		n := 0
		for _, b := range []*mailbox{lw.mail, lw.sms, mail2, sms2} {
			msgs := b.toPhone(who)
			if byEmail {
				msgs = b.to(who)
			}
			for _, m := range msgs {
				// Only the welfare messages: the booking's confirmation goes
				// by the queue too.
				if strings.Contains(m.Subject, "off duty") || strings.Contains(m.Subject, "Welfare alert") {
					n++
				}
			}
		}
		return n
	}
	done := func() bool {
		return count(true, "lone@example.org") >= 1 && count(false, "07700 900111") >= 1 &&
			count(true, "scope@example.org") >= 1 && count(false, "07700 900222") >= 1
	}
	eventually(t, "the reminder and the alert are sent", done)
	// Room for a second sending, were there one: every instance's sweep
	// runs again until nothing is left to do.
	for range 3 {
		for _, a := range []*app.App{a1, a2} {
			if _, err := a.SendWelfareChecks(ctx); err != nil {
				t.Logf("sweep: %v", err)
			}
		}
	}
	time.Sleep(time.Second)
	for _, c := range []struct {
		email bool
		who   string
	}{{true, "lone@example.org"}, {false, "07700 900111"}, {true, "scope@example.org"}, {false, "07700 900222"}} {
		if n := count(c.email, c.who); n != 1 {
			t.Errorf("%s got %d welfare message(s), want 1", c.who, n)
		}
	}
	if n := len(openAlerts(t, a2, lw.admin)); n != 1 {
		t.Errorf("%d welfare alert(s) recorded, want 1", n)
	}
}

func TestLoneWorkingReminderLinksToTheDutyPage(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		lw := newLoneWorld(t, s)
		sweepReminders(t, lw.app, lw.start.Add(-2*time.Hour))
		got := lw.mail.to("lone@example.org")
		if len(got) != 1 || !strings.HasSuffix(got[0].Link, app.DutyPath(lw.booking.ID)) || !strings.Contains(got[0].Text, "working alone") {
			t.Fatalf("the reminder of a lone-working shift: %+v", got)
		}
	})
}

func TestWelfareMinutesAreReadFromTheEnvironmentAndTheAlertComesAfterTheReminder(t *testing.T) {
	t.Parallel()
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	c, err := app.LoadConfig(env(nil))
	if err != nil || c.WelfareRemindMinutes != 15 || c.WelfareAlertMinutes != 30 {
		t.Fatalf("defaults: %d/%d (%v), want 15/30", c.WelfareRemindMinutes, c.WelfareAlertMinutes, err)
	}
	c, err = app.LoadConfig(env(map[string]string{"COPBANK_WELFARE_REMIND_MINUTES": "10", "COPBANK_WELFARE_ALERT_MINUTES": "45"}))
	if err != nil || c.WelfareRemindMinutes != 10 || c.WelfareAlertMinutes != 45 {
		t.Fatalf("set: %d/%d (%v), want 10/45", c.WelfareRemindMinutes, c.WelfareAlertMinutes, err)
	}
	if _, err := app.LoadConfig(env(map[string]string{"COPBANK_WELFARE_ALERT_MINUTES": "15"})); err == nil ||
		!strings.Contains(err.Error(), "COPBANK_WELFARE_ALERT_MINUTES") {
		t.Fatalf("an alert no later than the reminder: %v, want an error naming it", err)
	}
}

func TestLoneWorkingFollowUpHonoursConfiguredMinutes(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		lw := newLoneWorld(t, s)
		lw.app.Config.WelfareRemindMinutes, lw.app.Config.WelfareAlertMinutes = 5, 10
		lw.sweep(t, lw.end.Add(5*time.Minute-time.Second))
		if mm, mt, _, _, _ := lw.counts(); mm+mt != 0 {
			t.Fatalf("before +5: %d reminder(s)", mm+mt)
		}
		lw.sweep(t, lw.end.Add(10*time.Minute-time.Second))
		if mm, _, cm, _, ct := lw.counts(); mm != 1 || cm+ct != 0 {
			t.Fatalf("+5 to +10: member %d, coordinator %d, contact %d; want 1, 0, 0", mm, cm, ct)
		}
		lw.sweep(t, lw.end.Add(10*time.Minute))
		if _, _, cm, _, ct := lw.counts(); cm != 1 || ct != 1 {
			t.Fatalf("at +10: coordinator %d, contact %d; want 1 each", cm, ct)
		}
	})
}
