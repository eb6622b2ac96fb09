package app

import (
	"context"
	"fmt"
	"time"

	"github.com/copbank/copbank/domain"
)

// Reminders: each active booking's member hears 24 hours and
// again 2 hours before the shift.
//
// They are found, not scheduled: a River periodic job runs every
// reminderInterval and sends every reminder that has come due and has not
// been sent. Scheduling one job per reminder at booking time would have to
// be found and moved whenever a shift's time changes, a booking is
// cancelled or promoted, or the data are imported; the periodic sweep reads
// the bookings as they stand, and a booking made 5 hours ahead still gets
// its reminder. Periodic jobs are inserted by River's elected leader only,
// so several instances share the sweep, and each reminder's message key
// (reminder lead, booking, shift start; member; channel) makes it go out
// once however often the sweep runs. A shift moved to another time is a
// new start, so the member is reminded of the new time.

// reminderInterval is how often the reminder sweep runs.
const reminderInterval = 15 * time.Minute

// reminderLeads are how long before a shift its reminders go, longest first.
var reminderLeads = []struct {
	lead time.Duration
	name string
}{{24 * time.Hour, "24h"}, {2 * time.Hour, "2h"}}

const eventReminder = "booking.reminder"

type reminderSweepArgs struct{}

func (reminderSweepArgs) Kind() string { return "reminder_sweep" }

// SendDueReminders sends every reminder due by the app's clock and not yet
// sent, and returns how many messages it handed to the channels. Of a booking's
// reminders only the latest one due goes: a booking made 90 minutes before
// its shift gets the 2-hour reminder, not the 24-hour one as well.
func (a *App) SendDueReminders(ctx context.Context) (int, error) {
	now := a.Now()
	bookings, err := a.store.BookingsStartingBetween(ctx, now, now.Add(reminderLeads[0].lead))
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, b := range bookings {
		if err := ctx.Err(); err != nil {
			return sent, err
		}
		lead := ""
		for _, l := range reminderLeads {
			if !b.Start.After(now.Add(l.lead)) {
				lead = l.name // the shortest lead already reached
			}
		}
		if lead == "" {
			continue
		}
		n, err := a.sendReminder(ctx, b, lead)
		sent += n
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// sendReminder sends booking b's reminder of the given lead once by each
// of the member's channels; it reports how many messages it handed on (the
// keys decide whether they actually go again). A text held by quiet hours
// is left for a later sweep: the reminder stays due until the shift and the
// key is unclaimed, so the first sweep after 08:00 sends it.
func (a *App) sendReminder(ctx context.Context, b domain.Booking, lead string) (int, error) {
	m, err := a.store.MemberByID(ctx, b.MemberID)
	if domain.ErrorCode(err) == domain.ENotFound {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	sh, d, err := a.store.ShiftByID(ctx, b.ShiftID)
	if domain.ErrorCode(err) == domain.ENotFound {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	zone := a.zoneOf(d)
	what := fmt.Sprintf("%s, %s", d.Title, sh.Start.In(zone).Format("Mon 2 Jan 2006 15:04"))
	var text string
	if lead == "24h" {
		// Today or tomorrow by the shift's own calendar: a text held by quiet
		// hours goes out on the shift's day.
		day := "tomorrow"
		if domain.DateOf(a.Now().In(zone)) == domain.DateOf(sh.Start.In(zone)) {
			day = "today"
		}
		text = fmt.Sprintf("A reminder: you are booked on %s, %s.", what, day)
	} else {
		text = fmt.Sprintf("A reminder: you are booked on %s, in about two hours.", what)
	}
	if b.Status == domain.BookingOffered {
		text += " The place is offered to you and still waits for your answer."
	} else if b.Status == domain.BookingPending {
		text += " Your booking still waits for a coordinator's approval."
	}
	link := a.Config.BaseURL + "/my-shifts"
	if d.LoneWorking && b.Status == domain.BookingConfirmed {
		text += " You will be working alone: book on duty (from 30 minutes before the start) and off duty at the link."
		link = a.Config.BaseURL + DutyPath(b.ID)
	}
	sent, _, err := a.tellMember(ctx, a.Log.With("job_kind", "reminder_sweep"), m, memberNotice{
		kind:  NoticeReminder,
		event: fmt.Sprintf("%s.%s/%s/%d", eventReminder, lead, b.ID, sh.Start.Unix()),
		msg:   Message{Subject: "Reminder: " + what, Text: text, Link: link},
		when:  shiftWhen(sh, zone), shiftStart: sh.Start, zone: zone,
	})
	return sent, err
}
