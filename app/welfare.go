package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// Welfare follow-up of lone working: when off duty is not recorded
// WelfareRemindMinutes after a lone-working shift's planned end, the member
// is reminded; at WelfareAlertMinutes the shift's coordinators and the
// member's emergency contact are alerted, and a welfare alert is recorded
// that stays open until someone closes it with a note.
//
// What is due is found, not scheduled. A periodic sweep every minute reads
// every confirmed (or attended) booking on a lone-working shift as it
// stands, however it came to be confirmed — self-booking, approval, an
// accepted offer, a promotion from the waitlist, a handover, an import —
// and whether or not on duty was ever booked; hooking every path that
// confirms a booking would miss the next one added. On duty also schedules
// a check for the minute each step falls due, so the usual case does not
// wait for the sweep. Periodic jobs are inserted by River's elected leader
// alone, and each step happens once however many sweeps and checks run at
// once, on however many instances: a message goes under its key
// (deliverBy's claim in notifications_sent), and the alert is one row per
// booking (a unique index; the insert that loses does nothing).
//
// Quiet hours never hold these messages, and they go by email and text
// whatever channels the member chose for other notices: someone may be
// hurt.

// welfareInterval is how often the welfare sweep runs.
const welfareInterval = time.Minute

// welfareLookback bounds the sweep: a shift that ended longer ago than this
// is not followed up any more (the queue would have had to be down for a
// week).
const welfareLookback = 7 * 24 * time.Hour

const (
	eventWelfareReminder = "welfare.reminder"
	eventWelfareAlert    = "welfare.alert"
)

type welfareSweepArgs struct{}

func (welfareSweepArgs) Kind() string { return "welfare_sweep" }

// welfareCheckArgs is the check scheduled for one step of one booking's
// follow-up when its member books on duty; it runs the sweep, which does
// whatever is due by then.
type welfareCheckArgs struct {
	BookingID string        `json:"booking_id" river:"unique"`
	After     time.Duration `json:"after" river:"unique"`
}

func (welfareCheckArgs) Kind() string { return "welfare_check" }

type welfareCheckWorker struct {
	river.WorkerDefaults[welfareCheckArgs]
	a *App
}

func (w *welfareCheckWorker) Work(ctx context.Context, job *river.Job[welfareCheckArgs]) error {
	n, err := w.a.SendWelfareChecks(ctx)
	if n > 0 {
		w.a.jobLog(job.JobRow).InfoContext(ctx, "welfare messages sent", "count", n)
	}
	return err
}

// SendWelfareChecks reminds, raises and tells whatever is due by the app's
// clock and not yet done, and returns how many messages it handed to the
// channels. A step another instance is doing at the same moment is left to
// it and reported as an error, so that the job runs again and finds it done.
func (a *App) SendWelfareChecks(ctx context.Context) (int, error) {
	now := a.Now()
	due, err := a.store.DueWelfareChecks(ctx, now.Add(-welfareLookback), now.Add(-a.welfareRemindAfter()))
	if err != nil {
		return 0, err
	}
	sent := 0
	var errs []error
	for _, d := range due {
		if err := ctx.Err(); err != nil {
			return sent, err
		}
		n, err := a.followUpWelfare(ctx, d, now)
		sent += n
		if err != nil {
			errs = append(errs, err)
		}
	}
	return sent, errors.Join(errs...)
}

func (a *App) followUpWelfare(ctx context.Context, d db.WelfareDue, now time.Time) (int, error) {
	m, err := a.store.MemberByID(ctx, d.MemberID)
	if err != nil {
		return 0, err
	}
	sh, dem, err := a.store.ShiftByID(ctx, d.ShiftID)
	if err != nil {
		return 0, err
	}
	zone := a.zoneOf(dem)
	log := a.Log.With("job_kind", "welfare_sweep", "booking_id", d.BookingID)
	sent := 0
	if !d.Reminded {
		n, err := a.remindOffDuty(ctx, m, d, dem, zone)
		sent += n
		if err != nil {
			return sent, err
		}
	}
	if now.Before(d.End.Add(a.welfareAlertAfter())) || d.AlertTold {
		return sent, nil
	}
	alert, err := a.raiseWelfareAlert(ctx, d, now)
	if err != nil || alert == nil {
		return sent, err
	}
	n, err := a.tellWelfareAlert(ctx, log, *alert, m, sh, dem, zone)
	return sent + n, err
}

// remindOffDuty asks the member, by email and text, to book off duty.
func (a *App) remindOffDuty(ctx context.Context, m domain.Member, d db.WelfareDue, dem domain.Demand, zone *time.Location) (int, error) {
	link := a.Config.BaseURL + DutyPath(d.BookingID)
	text := fmt.Sprintf("You have not booked off duty from %s, which was due to end at %s. If you are safe, book off duty now. "+
		"If we do not hear from you by %s, your coordinators and your emergency contact will be alerted.",
		dem.Title, dutyWhen(d.End, zone), d.End.Add(a.welfareAlertAfter()).In(zone).Format("15:04"))
	key := domain.MessageKey{Event: fmt.Sprintf("%s/%s", eventWelfareReminder, d.BookingID), Recipient: m.ID}
	msg := Message{Subject: "Book off duty: " + dem.Title, Text: text, Link: link}
	sent, err := a.sendWelfare(ctx, key, m.Name, m.Email, m.Phone, msg)
	if err != nil {
		return sent, err
	}
	return sent, a.store.InTx(ctx, func(tx *db.Store) error { return tx.MarkWelfareReminded(ctx, d.BookingID, a.Now()) })
}

// sendWelfare sends msg by email to email and by text to phone (whichever
// are known), each once under key's event and recipient, never held for
// quiet hours.
func (a *App) sendWelfare(ctx context.Context, key domain.MessageKey, name, email, phone string, msg Message) (int, error) {
	log := a.Log.With("event", key.Event)
	sent := 0
	if email != "" {
		em := msg
		em.To = email
		em, err := renderEmail(em, emailData{Name: name})
		if err != nil {
			return sent, err
		}
		key.Channel = channelEmail
		ok, err := a.deliverBy(ctx, log, a.Notify, key, em)
		if ok {
			sent++
		}
		if err != nil {
			return sent, err
		}
	}
	if phone != "" {
		sms := msg
		sms.To, sms.Phone, sms.Reference = "", phone, key.Event
		if msg.Link != "" {
			sms.Text += " " + msg.Link
		}
		key.Channel = channelSMS
		ok, err := a.deliverBy(ctx, log, a.SMS, key, sms)
		if ok {
			sent++
		}
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// raiseWelfareAlert records the alert for d unless off duty has been booked
// meanwhile; it returns the booking's alert, raised now or before (nil when
// off duty came first). The booking is locked as on and off duty lock it,
// so an off duty and an alert cannot pass each other.
func (a *App) raiseWelfareAlert(ctx context.Context, d db.WelfareDue, now time.Time) (*domain.WelfareAlert, error) {
	var out *domain.WelfareAlert
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		if _, err := tx.BookingByID(ctx, d.BookingID); err != nil {
			return err
		}
		duty, _, err := tx.DutyRecord(ctx, d.BookingID)
		if err != nil || duty.OffDutyAt != nil {
			return err
		}
		w := domain.WelfareAlert{ID: NewID(), BookingID: d.BookingID, MemberID: d.MemberID, ShiftID: d.ShiftID,
			AreaID: d.AreaID, PlannedEnd: d.End, RaisedAt: now}
		raised, err := tx.RaiseWelfareAlert(ctx, w)
		if err != nil {
			return err
		}
		got, err := tx.WelfareAlertOfBooking(ctx, d.BookingID)
		if err != nil {
			return err
		}
		out = &got
		if !raised {
			return nil
		}
		return a.audit(ctx, tx, nil, auditEvent{action: "welfare_alert.raise", entity: "welfare_alert", entityID: got.ID,
			memberID: d.MemberID, after: map[string]any{"booking_id": d.BookingID, "planned_end": d.End, "on_duty": duty.OnDutyAt != nil}})
	})
	return out, err
}

// tellWelfareAlert tells the shift's coordinators (by email) and the
// member's emergency contact (by text: the contact has a phone number and
// no account) of the alert, each once, and records that everyone was told
// and what became of the contact.
func (a *App) tellWelfareAlert(ctx context.Context, log *slog.Logger, w domain.WelfareAlert, m domain.Member, sh domain.Shift, dem domain.Demand, zone *time.Location) (int, error) {
	area, err := a.store.AreaByID(ctx, w.AreaID)
	if err != nil {
		return 0, err
	}
	coordinators, err := a.store.CoordinatorsCovering(ctx, w.AreaID)
	if err != nil {
		return 0, err
	}
	duty, _, err := a.store.DutyRecord(ctx, w.BookingID)
	if err != nil {
		return 0, err
	}
	event := eventWelfareAlert + "/" + w.ID
	onDuty := "did not book on duty"
	if duty.OnDutyAt != nil {
		onDuty = "booked on duty at " + dutyWhen(*duty.OnDutyAt, zone)
		if duty.OnLat != nil {
			onDuty += fmt.Sprintf(" (location %.5f, %.5f)", *duty.OnLat, *duty.OnLon)
		}
	}
	phone := m.Phone
	if phone == "" {
		phone = "none recorded"
	}
	text := fmt.Sprintf("Welfare alert: %s was working alone on %s in %s, due to end at %s, and has not booked off duty. They %s. "+
		"Their phone: %s. Try to reach them; their emergency contact is shown with the alert while it is open. Close the alert with a note once they are found safe.",
		m.Name, dem.Title, area.Name, dutyWhen(sh.End, zone), onDuty, phone)
	msg := Message{Subject: "Welfare alert: " + m.Name + " has not booked off duty", Text: text, Link: a.Config.BaseURL + "/coord/welfare"}
	sent := 0
	var errs []error
	for _, u := range coordinators {
		n, err := a.sendWelfare(ctx, domain.MessageKey{Event: event, Recipient: u.ID}, u.Name, u.Email, "", msg)
		sent += n
		if err != nil {
			errs = append(errs, err)
		}
	}
	status := "no emergency contact recorded"
	contact, ok, err := a.store.EmergencyContact(ctx, m.ID)
	if err != nil {
		return sent, err
	}
	if ok {
		first := strings.Fields(m.Name)
		who := m.Name
		if len(first) > 0 {
			who = first[0]
		}
		ctext := fmt.Sprintf("copbank welfare alert for %s: %s, who named you as their emergency contact, was working alone and has not "+
			"checked in since their shift ended at %s. Their coordinators have been told and are trying to reach them. "+
			"If you hear from %s, please ask them to call their coordinator.", contact.Name, who, dutyWhen(sh.End, zone), who)
		n, err := a.sendWelfare(ctx, domain.MessageKey{Event: event, Recipient: "contact:" + m.ID}, contact.Name, "", contact.Phone,
			Message{Subject: "Welfare alert", Text: ctext})
		sent += n
		if err != nil {
			errs = append(errs, err)
		}
		status = "emergency contact texted"
	}
	if err := errors.Join(errs...); err != nil {
		return sent, err
	}
	if len(coordinators) == 0 {
		log.WarnContext(ctx, "welfare alert raised in an area no coordinator covers: only admins will see it", "alert_id", w.ID)
	}
	return sent, a.store.InTx(ctx, func(tx *db.Store) error { return tx.MarkWelfareNotified(ctx, w.ID, a.Now(), status) })
}

// WelfareAlertView is an alert as a coordinator sees it: the member, their
// phone and, while the alert is open, their emergency contact.
type WelfareAlertView struct {
	Alert      domain.WelfareAlert
	MemberName string
	Phone      string
	Contact    *domain.EmergencyContact
	Title      string
	AreaCode   string
	Start, End time.Time
	Zone       *time.Location
	Duty       domain.DutyRecord
}

// WelfareAlerts lists the alerts in the caller's areas (admins: all), open
// ones first, oldest first within each; members are forbidden. after is the
// last item's key (WelfareAlertKey).
func (a *App) WelfareAlerts(ctx context.Context, p *domain.Principal, openOnly bool, after string, limit int) ([]WelfareAlertView, error) {
	if !isCoordinating(p) {
		return nil, forbidden("only coordinators and admins see welfare alerts")
	}
	alerts, err := a.store.WelfareAlerts(ctx, scopePaths(p), openOnly, after, limit)
	if err != nil {
		return nil, err
	}
	out := make([]WelfareAlertView, 0, len(alerts))
	for _, w := range alerts {
		v, err := a.welfareView(ctx, w)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// WelfareAlertKey is the cursor key of an alert in WelfareAlerts.
func WelfareAlertKey(v WelfareAlertView) string { return db.WelfareAlertKey(v.Alert) }

func (a *App) welfareView(ctx context.Context, w domain.WelfareAlert) (WelfareAlertView, error) {
	v := WelfareAlertView{Alert: w}
	m, err := a.store.MemberByID(ctx, w.MemberID)
	if err != nil {
		return v, err
	}
	v.MemberName, v.Phone = m.Name, m.Phone
	sh, d, err := a.store.ShiftByID(ctx, w.ShiftID)
	if err != nil {
		return v, err
	}
	v.Title, v.AreaCode, v.Start, v.End, v.Zone = d.Title, d.AreaCode, sh.Start, sh.End, a.zoneOf(d)
	if v.Duty, _, err = a.store.DutyRecord(ctx, w.BookingID); err != nil {
		return v, err
	}
	if w.Open() {
		c, ok, err := a.store.EmergencyContact(ctx, w.MemberID)
		if err != nil {
			return v, err
		}
		if ok {
			v.Contact = &c
		}
	}
	return v, nil
}

// CloseWelfareAlert closes an open alert with a note saying how it ended
// (a coordinator of its area or an admin; anyone else is told there is no
// such alert). A closed alert cannot be closed again (409).
func (a *App) CloseWelfareAlert(ctx context.Context, p *domain.Principal, id, note string) (WelfareAlertView, error) {
	note = strings.TrimSpace(note)
	var out WelfareAlertView
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		w, err := tx.WelfareAlertByID(ctx, id)
		if domain.ErrorCode(err) == domain.ENotFound || (err == nil && !isCoordinating(p)) {
			return notFound("welfare alert")
		}
		if err != nil {
			return err
		}
		area, err := tx.AreaByID(ctx, w.AreaID)
		if err != nil {
			return err
		}
		if !coversArea(p, area) {
			return notFound("welfare alert")
		}
		if note == "" {
			return domain.FieldInvalid("note", "is required: say how the alert ended, for example who reached the member and how they are")
		}
		if len(note) > 2000 {
			return domain.FieldInvalid("note", "must be at most 2000 characters")
		}
		closed, err := tx.CloseWelfareAlert(ctx, id, p.User.ID, note, a.Now())
		if err != nil {
			return err
		}
		if !closed {
			return domain.Errorf(domain.EConflict, "this welfare alert is already closed")
		}
		if err := a.audit(ctx, tx, p, auditEvent{action: "welfare_alert.close", entity: "welfare_alert", entityID: id,
			memberID: w.MemberID, after: map[string]any{"note": note}}); err != nil {
			return err
		}
		if w, err = tx.WelfareAlertByID(ctx, id); err != nil {
			return err
		}
		c := *a
		c.store = tx
		out, err = c.welfareView(ctx, w)
		return err
	})
	return out, err
}
