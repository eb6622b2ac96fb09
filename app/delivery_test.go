package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/domain"
)

// londonAt is h:00 London time on the day that is days from today.
func londonAt(t *testing.T, days, h int) time.Time {
	t.Helper()
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	d := time.Now().In(london).AddDate(0, 0, days)
	return time.Date(d.Year(), d.Month(), d.Day(), h, 0, 0, 0, london).UTC()
}

// noticeWorld is a reference world whose email and texts go to mailboxes.
func noticeWorld(t *testing.T, s *db.Store) (w *refWorld, email, sms *mailbox) {
	t.Helper()
	w = newRefWorld(t, s)
	email, sms = &mailbox{}, &mailbox{}
	w.app.Notify, w.app.SMS = email, sms
	return w, email, sms
}

// texter is a DARL-N1 volunteer with a mobile number and the given notice
// channels.
func texter(t *testing.T, w *refWorld, email string, notices map[string][]string) domain.Member {
	t.Helper()
	m, err := w.app.CreateMember(context.Background(), w.admin, app.NewMember{Name: "Sam " + email, Email: email, Phone: "07700900123",
		Kinds: []domain.Kind{domain.KindVolunteer}, HomeArea: "DARL-N1", Preferences: domain.Preferences{Notices: notices}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// lapsingClearance gives m an NPPV2 clearance that lapses on the day given.
func lapsingClearance(t *testing.T, s *db.Store, m domain.Member, lapses domain.Date) {
	t.Helper()
	now := time.Now()
	if err := s.CreateClearance(context.Background(), domain.Clearance{ID: app.NewID(), MemberID: m.ID, Type: domain.NPPV2,
		GrantedOn: lapses.AddDays(-1000), ExpiresOn: lapses, Status: domain.ClearanceActive,
		CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
}

func TestRemindersGoByTextWhenChosenAndWaitOutQuietHours(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w, email, sms := noticeWorld(t, s)
		a := w.app
		// A 22:00 shift: its 24-hour reminder falls due at 22:00 the night
		// before, inside quiet hours and more than 12 hours ahead.
		start := londonAt(t, 4, 22)
		a.Now = func() time.Time { return start.Add(-96 * time.Hour) }
		places := openShifts(t, w, coordinator(t, w), start, 1, 2)
		textMe := texter(t, w, "text@example.org", map[string][]string{app.NoticeReminder: {"sms"}})
		mailer := w.member(t, "mail@example.org", "DARL-N1", domain.KindVolunteer)
		for _, m := range []domain.Member{textMe, mailer} {
			if _, err := a.Book(ctx, signedIn(t, w, m), app.BookInput{ShiftID: places[0][0], PositionID: places[0][1]}); err != nil {
				t.Fatal(err)
			}
		}
		sweep := func(at time.Time) { sweepReminders(t, a, at) }

		sweep(start.Add(-24 * time.Hour))
		sweep(start.Add(-14*time.Hour - 15*time.Minute)) // 07:45
		if n := len(email.to("mail@example.org")); n != 1 {
			t.Errorf("the emailing member heard %d reminder(s) at night, want 1 (email keeps no quiet hours)", n)
		}
		if n := sms.count(); n != 0 {
			t.Fatalf("%d text(s) went out in quiet hours for a shift more than 12 h off", n)
		}
		sweep(start.Add(-14 * time.Hour)) // 08:00
		sweep(start.Add(-13 * time.Hour))
		if sms.count() != 1 {
			t.Fatalf("after 08:00: %d text(s), want the held reminder once", sms.count())
		}
		got := sms.sent[0]
		if got.Phone != "07700900123" || !strings.Contains(got.Text, "today") || !strings.Contains(got.Text, "22:00") {
			t.Errorf("the text: %+v, want the phone, 22:00 and today", got)
		}
		if n := len(email.to("text@example.org")); n != 0 {
			t.Errorf("the member who chose texts for reminders got %d email(s)", n)
		}

		// The 2-hour reminder is within 12 hours of the shift, so it goes at
		// once whatever the hour.
		sweep(start.Add(-2 * time.Hour))
		if sms.count() != 2 || !strings.Contains(sms.sent[1].Text, "two hours") {
			t.Errorf("2 hours ahead: texts %+v, want the second reminder", sms.sent)
		}
	})
}

// textsHeldTwoNightsAgo sets the clock to 23:00 two nights ago — quiet
// hours that ended at 08:00 yesterday, so held texts' jobs are due as soon
// as a worker looks — and makes a member with a mobile number, the given
// notice channels and a clearance lapsing in ten days.
func textsHeldTwoNightsAgo(t *testing.T, w *refWorld, s *db.Store, notices map[string][]string) (night time.Time, lapse domain.Date, m domain.Member) {
	t.Helper()
	night = londonAt(t, -2, 23)
	w.app.Now = func() time.Time { return night }
	lapse = domain.DateOf(night).AddDays(10)
	m = texter(t, w, "text@example.org", notices)
	lapsingClearance(t, s, m, lapse)
	return night, lapse, m
}

func TestExpiryWarningsAndDigestsHeldByQuietHoursGoOnceWhenTheyEnd(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w, email, sms := noticeWorld(t, s)
		a := w.app
		night, lapse, _ := textsHeldTwoNightsAgo(t, w, s, map[string][]string{app.NoticeExpiry: {"email", "sms"}, app.NoticeDigest: {"sms"}})
		postDemand(t, w, coordinator(t, w), "Student-area evening patrol", "DARL-N1", night.Add(72*time.Hour),
			[]string{"volunteer"}, nil)

		for range 2 {
			if _, err := a.SendExpiryWarnings(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := a.SendDigests(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(email.to("text@example.org")); n != 1 || !strings.Contains(email.sent[0].Subject, "clearance") {
			t.Fatalf("emails at night: %+v, want the expiry warning alone (the digest goes by text only)", email.sent)
		}
		if sms.count() != 0 {
			t.Fatalf("%d text(s) at 23:00", sms.count())
		}
		runJobs(t, a)
		eventually(t, "the held texts go", func() bool { return sms.count() >= 2 })
		time.Sleep(300 * time.Millisecond)
		if sms.count() != 2 {
			t.Fatalf("texts after quiet hours: %+v, want the warning and the digest once each", sms.sent)
		}
		var texts []string
		for _, msg := range sms.sent {
			if msg.Phone != "07700900123" {
				t.Errorf("a text went to %q", msg.Phone)
			}
			texts = append(texts, msg.Text)
		}
		if !slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(s, "lapses on "+lapse.String()) }) ||
			!slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(s, "1 new shift(s) near you") }) {
			t.Errorf("texts %q, want the clearance's lapse day and a short digest", texts)
		}
	})
}

func TestAHeldTextIsDroppedWhenTheMemberTurnsTextsOff(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w, email, sms := noticeWorld(t, s)
		a := w.app
		_, _, m := textsHeldTwoNightsAgo(t, w, s, map[string][]string{app.NoticeExpiry: {"sms"}})
		if _, err := a.SendExpiryWarnings(ctx); err != nil {
			t.Fatal(err)
		}
		off := domain.Preferences{Notices: map[string][]string{app.NoticeExpiry: {}}}
		if _, err := a.UpdateMember(ctx, self(m), m.ID, app.MemberUpdate{Preferences: &off}); err != nil {
			t.Fatal(err)
		}
		runJobs(t, a)
		eventually(t, "the held text's job is done", func() bool {
			n, err := a.PendingJobs(ctx)
			return err == nil && n == 0
		})
		if sms.count()+email.count() != 0 {
			t.Errorf("after turning expiry messages off the member still got %+v by text and %+v by email", sms.sent, email.sent)
		}
	})
}

func TestNoticePreferencesNameTheFieldThatIsWrong(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w := newRefWorld(t, s)
		a := w.app
		a.Now = time.Now
		m := w.member(t, "nophone@example.org", "DARL-N1", domain.KindVolunteer)
		for _, c := range []struct {
			notices map[string][]string
			field   string
		}{
			{map[string][]string{"gossip": {"email"}}, "preferences.notices.gossip"},
			{map[string][]string{app.NoticeDigest: {"email", "pigeon"}}, "preferences.notices.digest[1]"},
			{map[string][]string{app.NoticeDigest: {"email", "email"}}, "preferences.notices.digest[1]"},
			{map[string][]string{app.NoticeReminder: {"sms"}}, "preferences.notices.reminder"},
		} {
			prefs := domain.Preferences{Areas: []string{"DARL"}, Notices: c.notices}
			_, err := a.UpdateMember(ctx, self(m), m.ID, app.MemberUpdate{Preferences: &prefs})
			if got := fieldNames(err); !slices.Contains(got, c.field) {
				t.Errorf("%v: error %v names %v, want %s", c.notices, err, got, c.field)
			}
		}
		// With a number, texts may be chosen; other preferences stay as sent.
		phone := "07700900456"
		prefs := domain.Preferences{Areas: []string{"DARL"}, Notices: map[string][]string{app.NoticeReminder: {"sms"}, app.NoticeDigest: {}}}
		got, err := a.UpdateMember(ctx, self(m), m.ID, app.MemberUpdate{Phone: &phone, Preferences: &prefs})
		if err != nil {
			t.Fatal(err)
		}
		if ch := got.Member.Preferences.NoticeChannels(app.NoticeReminder); !slices.Equal(ch, []string{"sms"}) {
			t.Errorf("reminders go by %v, want sms", ch)
		}
		if ch := got.Member.Preferences.NoticeChannels(app.NoticeDigest); len(ch) != 0 {
			t.Errorf("the digest goes by %v, want nothing (turned off)", ch)
		}
		if ch := got.Member.Preferences.NoticeChannels(app.NoticeBooking); !slices.Equal(ch, []string{"email"}) {
			t.Errorf("booking notices go by %v, want the default email", ch)
		}
		// Removing the number while texts are chosen is refused, not half done.
		none := ""
		_, err = a.UpdateMember(ctx, self(m), m.ID, app.MemberUpdate{Phone: &none})
		if got := fieldNames(err); !slices.Contains(got, "preferences.notices.reminder") {
			t.Errorf("removing the phone with texts on: %v, want preferences.notices.reminder named", err)
		}
	})
}

func TestCancellingADemandTellsEveryBookedMemberWhy(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w, email, _ := noticeWorld(t, s)
		a := w.app
		now := londonAt(t, 0, 12)
		a.Now = func() time.Time { return now }
		coord := coordinator(t, w)
		places := openShifts(t, w, coord, now.Add(72*time.Hour), 2, 3)
		booked := []string{"ann@example.org", "bob@example.org"}
		for _, addr := range booked {
			p := signedIn(t, w, w.member(t, addr, "DARL-N1", domain.KindVolunteer))
			for _, pl := range places {
				if _, err := a.Book(ctx, p, app.BookInput{ShiftID: pl[0], PositionID: pl[1]}); err != nil {
					t.Fatal(err)
				}
			}
		}
		sh, _, err := s.ShiftByID(ctx, places[0][0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.CancelDemand(ctx, coord, sh.DemandID, ""); err != nil {
			t.Fatal(err)
		}
		runJobs(t, a)
		cancelled := func(addr string) int {
			n := 0
			for _, msg := range email.to(addr) {
				if strings.HasPrefix(msg.Subject, "Booking cancelled: ") && strings.Contains(msg.Text, "the demand was cancelled") {
					n++
				}
			}
			return n
		}
		eventually(t, "both members hear of both cancelled shifts", func() bool {
			return cancelled(booked[0]) == 2 && cancelled(booked[1]) == 2
		})
	})
}
