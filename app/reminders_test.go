package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/domain"
)

// sweepReminders runs the reminder sweep twice at the given time: the second
// run must send nothing the first did.
func sweepReminders(t *testing.T, a *app.App, at time.Time) {
	t.Helper()
	a.Now = func() time.Time { return at }
	for range 2 {
		if _, err := a.SendDueReminders(context.Background()); err != nil {
			t.Fatalf("sweep at %s: %v", at, err)
		}
	}
}

func TestRemindersGo24AndTwoHoursAheadOnceEachEvenWhenTheSweepRunsTwice(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w := newRefWorld(t, s)
		a := w.app
		box := &mailbox{}
		a.Notify = box
		real := time.Now().UTC().Truncate(time.Minute)
		a.Now = func() time.Time { return real }
		coord := coordinator(t, w)
		start := real.Add(72 * time.Hour)
		places := openShifts(t, w, coord, start, 1, 2)
		m := w.member(t, "rem@example.org", "DARL-N1", domain.KindVolunteer)
		other := w.member(t, "gone@example.org", "DARL-N1", domain.KindVolunteer)
		b, err := a.Book(ctx, signedIn(t, w, m), app.BookInput{ShiftID: places[0][0], PositionID: places[0][1]})
		if err != nil || b.Booking.Status != domain.BookingConfirmed {
			t.Fatalf("book: %+v, %v", b, err)
		}
		// A cancelled booking is not reminded.
		op := signedIn(t, w, other)
		ob, err := a.Book(ctx, op, app.BookInput{ShiftID: places[0][0], PositionID: places[0][1]})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.CancelBooking(ctx, op, ob.Booking.ID, "cannot come"); err != nil {
			t.Fatal(err)
		}

		sweep := func(at time.Time) { sweepReminders(t, a, at) }
		sweep(start.Add(-25 * time.Hour))
		if n := box.count(); n != 0 {
			t.Fatalf("25 hours ahead: %d message(s) sent, want none", n)
		}
		sweep(start.Add(-24 * time.Hour))
		sweep(start.Add(-23*time.Hour - 45*time.Minute))
		got := box.to("rem@example.org")
		if len(got) != 1 || !strings.HasPrefix(got[0].Subject, "Reminder: ") || !strings.Contains(got[0].Text, "tomorrow") {
			t.Fatalf("24 hours ahead the member heard %+v, want one reminder", got)
		}
		sweep(start.Add(-3 * time.Hour))
		if n := len(box.to("rem@example.org")); n != 1 {
			t.Fatalf("3 hours ahead: %d reminder(s), want still one", n)
		}
		sweep(start.Add(-2 * time.Hour))
		sweep(start.Add(-105 * time.Minute))
		got = box.to("rem@example.org")
		if len(got) != 2 || !strings.Contains(got[1].Text, "two hours") {
			t.Fatalf("2 hours ahead the member heard %+v, want a second reminder", got)
		}
		sweep(start.Add(time.Minute))
		if n := box.count(); n != 2 {
			t.Fatalf("after the start: %d message(s) in all, want the two reminders only", n)
		}
		if n := len(box.to("gone@example.org")); n != 0 {
			t.Errorf("the cancelled booking's member was reminded %d time(s)", n)
		}
	})
}
