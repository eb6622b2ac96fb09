package app

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// Booking events a member hears about.
const (
	eventConfirmed = "booking.confirmed"
	eventOffered   = "booking.offered"
	eventPromoted  = "booking.promoted" // from the waitlist, to whatever the booking mode gives
	eventCancelled = "booking.cancelled"
	eventExpired   = "booking.expired"
)

// channelEmail is the channel of a message addressed to a member's email;
// the Notifier delivers it (LogNotifier logs it until SMTP is configured).
const channelEmail = "email"

// bookingChanged records a booking's change in the audit log and, in the
// same transaction, enqueues what follows from it: the member's notice and,
// for a new offer, its expiry.
func (a *App) bookingChanged(ctx context.Context, tx *db.Store, p *domain.Principal, action string, before *domain.Booking, after domain.Booking) error {
	if err := a.auditBooking(ctx, tx, p, action, before, after); err != nil {
		return err
	}
	if err := a.emitBookingEvent(ctx, tx, before, after); err != nil {
		return err
	}
	event := bookingEvent(before, after)
	if event == "" {
		return nil
	}
	if after.Status == domain.BookingOffered {
		offeredAt := after.UpdatedAt
		if offeredAt.IsZero() {
			offeredAt = a.Now()
		}
		err := a.enqueue(ctx, tx, offerExpiryArgs{BookingID: after.ID, OfferedAt: offeredAt},
			&river.InsertOpts{ScheduledAt: offeredAt.Add(a.Config.OfferTTL())})
		if err != nil {
			return err
		}
	}
	if silenced(ctx) {
		return nil
	}
	return a.enqueue(ctx, tx, bookingNoticeArgs{EventID: NewID(), Event: event, BookingID: after.ID, MemberID: after.MemberID}, nil)
}

// bookingEvent names the change from before (nil for a new booking) to
// after that the member is told of, or "" for none.
func bookingEvent(before *domain.Booking, after domain.Booking) string {
	if before != nil && before.Status == after.Status {
		return ""
	}
	if before != nil && before.Status == domain.BookingWaitlisted && after.Status.Active() {
		return eventPromoted
	}
	switch after.Status {
	case domain.BookingConfirmed:
		return eventConfirmed
	case domain.BookingOffered:
		return eventOffered
	case domain.BookingCancelled:
		return eventCancelled
	case domain.BookingExpired:
		return eventExpired
	}
	return ""
}

// offerExpiryArgs: the offer of BookingID made at OfferedAt lapses unless
// answered by then plus Config.OfferHours.
type offerExpiryArgs struct {
	BookingID string    `json:"booking_id"`
	OfferedAt time.Time `json:"offered_at"`
}

func (offerExpiryArgs) Kind() string { return "offer_expiry" }

type offerExpiryWorker struct {
	river.WorkerDefaults[offerExpiryArgs]
	a *App
}

// Work turns a still-unanswered offer into `expired` and offers the place
// on through the waitlist, as a cancellation would. An offer answered,
// withdrawn or made again since (a later offer has its own job) is left alone.
func (w *offerExpiryWorker) Work(ctx context.Context, job *river.Job[offerExpiryArgs]) error {
	a := w.a
	now := a.Now()
	due := job.Args.OfferedAt.Add(a.Config.OfferTTL())
	if now.Before(due) {
		// Scheduled by another instance's clock, or the hours were raised.
		return river.JobSnooze(due.Sub(now))
	}
	expired := false
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		b, err := tx.BookingByID(ctx, job.Args.BookingID)
		if domain.ErrorCode(err) == domain.ENotFound {
			return nil // erased
		}
		if err != nil {
			return err
		}
		if b.Status != domain.BookingOffered || b.UpdatedAt.Sub(job.Args.OfferedAt) > time.Millisecond {
			return nil
		}
		before := b
		b.Status, b.UpdatedAt = domain.BookingExpired, now
		if err := tx.UpdateBooking(ctx, b); err != nil {
			return err
		}
		if err := a.bookingChanged(ctx, tx, nil, "booking.expire", &before, b); err != nil {
			return err
		}
		expired = true
		return a.promote(ctx, tx, nil, b.ShiftID, b.PositionID, now)
	})
	if err == nil && expired {
		a.jobLog(job.JobRow).InfoContext(ctx, "offer expired", "booking_id", job.Args.BookingID)
	}
	return err
}

// bookingNoticeArgs tells a member of one change to their booking. EventID
// is fixed when the change commits, so a retried job keys the same message.
type bookingNoticeArgs struct {
	EventID   string `json:"event_id"`
	Event     string `json:"event"`
	BookingID string `json:"booking_id"`
	MemberID  string `json:"member_id"`
}

func (bookingNoticeArgs) Kind() string { return "booking_notice" }

type bookingNoticeWorker struct {
	river.WorkerDefaults[bookingNoticeArgs]
	a *App
}

// Work sends the notice through the Notifier once per (event, member,
// channel); see deliver.
func (w *bookingNoticeWorker) Work(ctx context.Context, job *river.Job[bookingNoticeArgs]) error {
	a := w.a
	b, err := a.store.BookingByID(ctx, job.Args.BookingID)
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil // erased since
	}
	if err != nil {
		return err
	}
	m, err := a.store.MemberByID(ctx, job.Args.MemberID)
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil // erased since: nobody to tell
	}
	if err != nil {
		return err
	}
	sh, d, err := a.store.ShiftByID(ctx, b.ShiftID)
	if err != nil {
		return err
	}
	msg := a.bookingMessage(job.Args.Event, b, sh, d, m)
	_, held, err := a.tellMember(ctx, a.jobLog(job.JobRow), m, memberNotice{
		kind: NoticeBooking, event: job.Args.Event + "/" + job.Args.EventID, msg: msg,
		shiftStart: sh.Start, zone: a.zoneOf(d),
		email: func() (Message, error) { return a.bookingEmail(ctx, msg, b, sh, d, m) },
	})
	if err != nil {
		return err
	}
	if held != nil {
		// Quiet hours: the text waits in this job; what was sent is keyed and
		// not repeated when it runs again.
		return river.JobSnooze(held.Until.Sub(a.Now()))
	}
	return nil
}

// bookingEmail is msg as an email: plain text and HTML from the templates,
// with the booking's .ics attached.
func (a *App) bookingEmail(ctx context.Context, msg Message, b domain.Booking, sh domain.Shift, d domain.Demand, m domain.Member) (Message, error) {
	area, err := a.store.AreaByID(ctx, d.AreaID)
	if err != nil && domain.ErrorCode(err) != domain.ENotFound {
		return msg, err
	}
	zone := a.zoneOf(d)
	em, err := renderEmail(msg, emailData{Name: m.Name, When: shiftWhen(sh, zone)})
	if err != nil {
		return msg, err
	}
	ev := a.bookingCalendarEvent(b, sh, d, area)
	ics := RenderICS(Calendar{Name: "copbank: " + d.Title, Events: []CalendarEvent{ev}})
	em.Attachments = append(em.Attachments, Attachment{Name: "shift.ics", ContentType: "text/calendar; charset=utf-8; method=PUBLISH", Data: []byte(ics)})
	return em, nil
}

// shiftWhen is a shift's time in zone, in full, as an email states it.
func shiftWhen(sh domain.Shift, zone *time.Location) string {
	return fmt.Sprintf("%s to %s (%s)", sh.Start.In(zone).Format("Monday 2 January 2006, 15:04"),
		sh.End.In(zone).Format("15:04"), zone.String())
}

// bookingMessage words a booking event for the member, with the shift's
// time in its own zone and a link to their shifts.
func (a *App) bookingMessage(event string, b domain.Booking, sh domain.Shift, d domain.Demand, m domain.Member) Message {
	when := sh.Start.In(a.zoneOf(d)).Format("Mon 2 Jan 2006 15:04")
	what := fmt.Sprintf("%s, %s", d.Title, when)
	var subject, text string
	switch event {
	case eventConfirmed:
		subject, text = "Place confirmed: "+what, fmt.Sprintf("Your place on %s is confirmed.", what)
	case eventOffered:
		subject, text = "Place offered: "+what, fmt.Sprintf("You are offered a place on %s. Accept or decline it within %d hours, or it lapses.", what, a.Config.OfferHours)
	case eventPromoted:
		subject = "A place came free: " + what
		switch b.Status {
		case domain.BookingConfirmed:
			text = fmt.Sprintf("A place came free on %s and it is yours: you are confirmed.", what)
		case domain.BookingOffered:
			text = fmt.Sprintf("A place came free on %s and is offered to you. Accept or decline it within %d hours.", what, a.Config.OfferHours)
		default:
			text = fmt.Sprintf("A place came free on %s; your booking now waits for a coordinator's approval.", what)
		}
	case eventCancelled:
		subject, text = "Booking cancelled: "+what, fmt.Sprintf("Your booking on %s is cancelled (%s).", what, b.CancelReason)
		if words := givenUpWords(b.CancelReason); words != "" {
			text = fmt.Sprintf("Your place on %s %s: you are no longer booked on it.", what, words)
		}
	case eventExpired:
		subject, text = "Offer lapsed: "+what, fmt.Sprintf("The place offered to you on %s was not answered within %d hours and has gone to someone else.", what, a.Config.OfferHours)
	default:
		subject, text = "Your booking changed: "+what, fmt.Sprintf("Your booking on %s is now %s.", what, b.Status)
	}
	return Message{To: m.Email, Subject: subject, Text: text, Link: a.Config.BaseURL + "/my-shifts"}
}
