package app

import (
	"context"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// Lone working: on a shift whose demand is marked lone working, the member
// with a confirmed booking books on duty (from onDutyOpens before the
// start) and off duty (any time after on duty). A missed off duty is
// followed up by the welfare sweep (welfare.go).

// onDutyOpens is how long before the start on duty may be booked.
const onDutyOpens = 30 * time.Minute

// DutyInput is where the member says they are; both or neither.
type DutyInput struct {
	Lat, Lon *float64
}

// DutyView is a booking with its on and off duty.
type DutyView struct {
	Booking domain.Booking
	Shift   domain.Shift
	Demand  domain.Demand
	Duty    domain.DutyRecord
}

// DutyPath is the page where the member of a booking books on and off duty;
// the reminder email links to it.
func DutyPath(bookingID string) string { return "/my-shifts/" + bookingID + "/duty" }

func dutyRefused(rule, msg string) error {
	return &domain.Error{Code: domain.EConflict, Message: msg, Rules: []string{rule}}
}

func checkDutyInput(in DutyInput) error {
	var fields []domain.FieldError
	if (in.Lat == nil) != (in.Lon == nil) {
		fields = append(fields, domain.FieldError{Field: "lat", Message: "give both lat and lon, or neither"})
	}
	if in.Lat != nil && (*in.Lat < -90 || *in.Lat > 90) {
		fields = append(fields, domain.FieldError{Field: "lat", Message: "must be from -90 to 90"})
	}
	if in.Lon != nil && (*in.Lon < -180 || *in.Lon > 180) {
		fields = append(fields, domain.FieldError{Field: "lon", Message: "must be from -180 to 180"})
	}
	if len(fields) > 0 {
		return domain.Invalid("the location is not valid", fields...)
	}
	return nil
}

// dutyBooking loads the caller's own booking on a lone-working shift,
// locked for the change. Anyone else's booking is not found, whoever asks:
// on and off duty are the member's own word.
func (a *App) dutyBooking(ctx context.Context, tx *db.Store, p *domain.Principal, id string) (DutyView, error) {
	b, err := tx.BookingByID(ctx, id)
	if domain.ErrorCode(err) == domain.ENotFound || (err == nil && !isSelf(p, b.MemberID)) {
		return DutyView{}, notFound("booking")
	}
	if err != nil {
		return DutyView{}, err
	}
	sh, d, err := tx.ShiftByID(ctx, b.ShiftID)
	if err != nil {
		return DutyView{}, err
	}
	duty, _, err := tx.DutyRecord(ctx, b.ID)
	if err != nil {
		return DutyView{}, err
	}
	v := DutyView{Booking: b, Shift: sh, Demand: d, Duty: duty}
	if !d.LoneWorking {
		return v, dutyRefused(domain.RuleLoneWorking, "this shift is not marked lone working: there is no on or off duty to book")
	}
	if b.Status != domain.BookingConfirmed && b.Status != domain.BookingAttended {
		return v, dutyRefused(domain.RuleDutyConfirmed, "only a confirmed booking books on and off duty; this one is "+string(b.Status))
	}
	return v, nil
}

// DutyOf returns the caller's own booking with its on and off duty (the
// duty page); anyone else's booking is not found.
func (a *App) DutyOf(ctx context.Context, p *domain.Principal, bookingID string) (DutyView, error) {
	v, err := a.dutyBooking(ctx, a.store, p, bookingID)
	if err != nil && domain.ErrorCode(err) != domain.EConflict {
		return DutyView{}, err
	}
	return v, nil
}

// OnDuty records that the member of a booking on a lone-working shift is on
// duty, from 30 minutes before the start. Booking on duty again changes
// nothing; after off duty it is refused.
func (a *App) OnDuty(ctx context.Context, p *domain.Principal, bookingID string, in DutyInput) (DutyView, error) {
	if err := checkDutyInput(in); err != nil {
		return DutyView{}, err
	}
	var out DutyView
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		v, err := a.dutyBooking(ctx, tx, p, bookingID)
		if err != nil {
			return err
		}
		now := a.Now()
		switch {
		case v.Duty.OffDutyAt != nil:
			return dutyRefused(domain.RuleOffDutyRecorded, "off duty is already booked for this shift")
		case v.Duty.OnDutyAt != nil:
			out = v
			return nil
		case now.Before(v.Shift.Start.Add(-onDutyOpens)):
			opens := v.Shift.Start.Add(-onDutyOpens).In(a.zoneOf(v.Demand)).Format("Mon 2 Jan 2006 15:04")
			return dutyRefused(domain.RuleOnDutyWindow, "on duty opens 30 minutes before the shift starts, at "+opens)
		}
		v.Duty.OnDutyAt, v.Duty.OnLat, v.Duty.OnLon = &now, in.Lat, in.Lon
		if err := tx.SaveDutyRecord(ctx, v.Duty); err != nil {
			return err
		}
		if err := a.audit(ctx, tx, p, auditEvent{action: "booking.on_duty", entity: "booking", entityID: v.Booking.ID,
			memberID: v.Booking.MemberID, after: map[string]any{"at": now, "lat": in.Lat, "lon": in.Lon}}); err != nil {
			return err
		}
		// The sweep finds every late off duty within a minute; these jobs
		// make the follow-up of a shift whose member is on duty go on the
		// minute itself. A change that rolls back leaves none behind.
		for _, after := range []time.Duration{a.welfareRemindAfter(), a.welfareAlertAfter()} {
			if err := a.enqueue(ctx, tx, welfareCheckArgs{BookingID: v.Booking.ID, After: after},
				&river.InsertOpts{ScheduledAt: v.Shift.End.Add(after), UniqueOpts: river.UniqueOpts{ByArgs: true}}); err != nil {
				return err
			}
		}
		out = v
		return nil
	})
	return out, err
}

// OffDuty records that the member of a booking on a lone-working shift is
// off duty and safe, any time after on duty. Booking off duty again changes
// nothing.
func (a *App) OffDuty(ctx context.Context, p *domain.Principal, bookingID string, in DutyInput) (DutyView, error) {
	if err := checkDutyInput(in); err != nil {
		return DutyView{}, err
	}
	var out DutyView
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		v, err := a.dutyBooking(ctx, tx, p, bookingID)
		if err != nil {
			return err
		}
		switch {
		case v.Duty.OffDutyAt != nil:
			out = v
			return nil
		case v.Duty.OnDutyAt == nil:
			return dutyRefused(domain.RuleOnDutyFirst, "off duty follows on duty: book on duty first")
		}
		now := a.Now()
		v.Duty.OffDutyAt, v.Duty.OffLat, v.Duty.OffLon = &now, in.Lat, in.Lon
		if err := tx.SaveDutyRecord(ctx, v.Duty); err != nil {
			return err
		}
		if err := a.audit(ctx, tx, p, auditEvent{action: "booking.off_duty", entity: "booking", entityID: v.Booking.ID,
			memberID: v.Booking.MemberID, after: map[string]any{"at": now, "lat": in.Lat, "lon": in.Lon}}); err != nil {
			return err
		}
		out = v
		return nil
	})
	return out, err
}

// checkEmergencyContact validates a contact to be recorded.
func checkEmergencyContact(c *domain.EmergencyContact) error {
	c.Name, c.Phone = strings.TrimSpace(c.Name), strings.TrimSpace(c.Phone)
	var fields []domain.FieldError
	switch {
	case c.Name == "":
		fields = append(fields, domain.FieldError{Field: "emergency_contact.name", Message: "is required"})
	case len(c.Name) > 200:
		fields = append(fields, domain.FieldError{Field: "emergency_contact.name", Message: "must be at most 200 characters"})
	}
	digits := 0
	for _, r := range c.Phone {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	switch {
	case c.Phone == "":
		fields = append(fields, domain.FieldError{Field: "emergency_contact.phone", Message: "is required"})
	case digits < 7 || len(c.Phone) > 40 || strings.Trim(c.Phone, "+0123456789 ()-") != "":
		fields = append(fields, domain.FieldError{Field: "emergency_contact.phone", Message: "must be a phone number, such as 07700 900123"})
	}
	if len(fields) > 0 {
		return domain.Invalid("the emergency contact is not valid", fields...)
	}
	return nil
}

// putEmergencyContact records (or, with nil, forgets) m's emergency contact
// inside tx; UpdateMember calls it once it has decided the caller may. The
// audit entry says that it changed, never the contact's name or number.
func (a *App) putEmergencyContact(ctx context.Context, tx *db.Store, p *domain.Principal, memberID string, c *domain.EmergencyContact) error {
	if c == nil {
		if err := tx.DeleteEmergencyContact(ctx, memberID); err != nil {
			return err
		}
	} else {
		if err := checkEmergencyContact(c); err != nil {
			return err
		}
		if err := tx.PutEmergencyContact(ctx, memberID, *c, a.Now()); err != nil {
			return err
		}
	}
	return a.audit(ctx, tx, p, auditEvent{action: "member.emergency_contact", entity: "member", entityID: memberID,
		memberID: memberID, after: map[string]any{"recorded": c != nil}})
}

// EmergencyContactFor returns a member's emergency contact to whoever may
// see it now: the member themselves, or a coordinator or admin while a
// welfare alert for the member is open in an area they cover. Anyone else,
// or any other time, gets nil: the contact is not theirs to see.
func (a *App) EmergencyContactFor(ctx context.Context, p *domain.Principal, memberID string) (*domain.EmergencyContact, error) {
	if p == nil {
		return nil, nil
	}
	if !isSelf(p, memberID) {
		if !isCoordinating(p) {
			return nil, nil
		}
		open, err := a.store.HasOpenWelfareAlert(ctx, memberID, scopePaths(p))
		if err != nil || !open {
			return nil, err
		}
	}
	c, ok, err := a.store.EmergencyContact(ctx, memberID)
	if err != nil || !ok {
		return nil, err
	}
	return &c, nil
}

// scopePaths are the area paths a coordinator covers; nil for an admin
// (everywhere).
func scopePaths(p *domain.Principal) []string {
	if p.IsAdmin() {
		return nil
	}
	out := []string{}
	if p.User.Has(domain.RoleCoordinator) {
		for _, ar := range p.User.Areas {
			out = append(out, ar.Path)
		}
	}
	return out
}

func (a *App) welfareRemindAfter() time.Duration {
	return time.Duration(positiveOr(a.Config.WelfareRemindMinutes, 15)) * time.Minute
}

func (a *App) welfareAlertAfter() time.Duration {
	return time.Duration(positiveOr(a.Config.WelfareAlertMinutes, 30)) * time.Minute
}

// positiveOr is v, or def for a Config built without the defaults.
func positiveOr(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// dutyWhen is a time in the shift's zone, for messages.
func dutyWhen(t time.Time, zone *time.Location) string {
	return t.In(zone).Format("15:04 on Mon 2 Jan")
}
