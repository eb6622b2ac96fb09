package web

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// The pages of lone working: the member's on and off duty for one booking,
// and the coordinators' open welfare alerts.

type dutyPageData struct {
	ID, Title, When     string
	LoneWorking         bool
	Confirmed           bool
	OnDutyAt, OffDutyAt string
	CanOn, CanOff       bool
	Opens               string // when on duty opens, while it has not
	Contact             string // the member's emergency contact, as they recorded it
}

func (s *Server) dutyPage(c *fiber.Ctx) error {
	return s.renderDutyPage(c, fiber.StatusOK, pageView{})
}

func (s *Server) renderDutyPage(c *fiber.Ctx, status int, view pageView) error {
	v, err := s.app.DutyOf(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	loc := s.zone(v.Demand.TimeZone)
	at := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(loc).Format("15:04 on Mon 2 Jan 2006")
	}
	data := dutyPageData{ID: v.Booking.ID, Title: v.Demand.Title, When: s.when(v.Demand, v.Shift.Start, v.Shift.End),
		LoneWorking: v.Demand.LoneWorking,
		Confirmed:   v.Booking.Status == domain.BookingConfirmed || v.Booking.Status == domain.BookingAttended,
		OnDutyAt:    at(v.Duty.OnDutyAt), OffDutyAt: at(v.Duty.OffDutyAt)}
	data.CanOn = data.LoneWorking && data.Confirmed && v.Duty.OnDutyAt == nil && v.Duty.OffDutyAt == nil
	data.CanOff = data.LoneWorking && data.Confirmed && v.Duty.OnDutyAt != nil && v.Duty.OffDutyAt == nil
	if opens := v.Shift.Start.Add(-30 * time.Minute); data.CanOn && s.app.Now().Before(opens) {
		data.Opens = opens.In(loc).Format("15:04 on Mon 2 Jan 2006")
	}
	if ec, err := s.app.EmergencyContactFor(c.UserContext(), principal(c), v.Booking.MemberID); err != nil {
		return err
	} else if ec != nil {
		data.Contact = ec.Name + ", " + ec.Phone
	}
	view.Title, view.Nav, view.Data = "On and off duty", "my-shifts", data
	return s.render(c, status, "my_duty", view)
}

// optionalPoint reads the lat and lon fields of a form: both, or neither.
func optionalPoint(form map[string]string) (app.DutyInput, []domain.FieldError) {
	var in app.DutyInput
	var errs []domain.FieldError
	if form["lat"] == "" && form["lon"] == "" {
		return in, nil
	}
	lat, err1 := strconv.ParseFloat(form["lat"], 64)
	lon, err2 := strconv.ParseFloat(form["lon"], 64)
	if err1 != nil {
		errs = append(errs, domain.FieldError{Field: "lat", Message: "Enter the latitude as a number, for example 54.7761, or leave both empty"})
	}
	if err2 != nil {
		errs = append(errs, domain.FieldError{Field: "lon", Message: "Enter the longitude as a number, for example -1.5733, or leave both empty"})
	}
	if errs == nil {
		in.Lat, in.Lon = &lat, &lon
	}
	return in, errs
}

// postDuty books on or off duty from the duty page.
func (s *Server) postDuty(on bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		form := formValues(c, "lat", "lon")
		in, errs := optionalPoint(form)
		view := pageView{Form: form, Errors: errs}
		if errs == nil {
			var v app.DutyView
			var err error
			if on {
				v, err = s.app.OnDuty(c.UserContext(), principal(c), c.Params("id"), in)
			} else {
				v, err = s.app.OffDuty(c.UserContext(), principal(c), c.Params("id"), in)
			}
			var de *domain.Error
			switch {
			case err == nil:
				what := "You are on duty for %s. Book off duty when you finish."
				if !on {
					what = "You are off duty from %s. Thank you: nobody will be alerted."
				}
				s.flash(c, fmt.Sprintf(what, v.Demand.Title))
				return c.Redirect(app.DutyPath(v.Booking.ID), fiber.StatusSeeOther)
			case errors.As(err, &de) && de.Code == domain.EConflict:
				s.flash(c, sentence(de.Message)+".")
				return c.Redirect(app.DutyPath(c.Params("id")), fiber.StatusSeeOther)
			case errors.As(err, &de) && de.Code == domain.EInvalid:
				view.Errors = de.Fields
			default:
				return err
			}
		}
		return s.renderDutyPage(c, fiber.StatusUnprocessableEntity, view)
	}
}

type welfareLine struct {
	ID, Member, Phone, Shift, Area, PlannedEnd, RaisedAt, OnDuty string
	ContactName, ContactPhone, ContactStatus                     string
	HasContact                                                   bool
}

func (s *Server) coordWelfarePage(c *fiber.Ctx) error {
	return s.renderCoordWelfare(c, fiber.StatusOK, pageView{})
}

func (s *Server) renderCoordWelfare(c *fiber.Ctx, status int, view pageView) error {
	alerts, err := s.app.WelfareAlerts(c.UserContext(), principal(c), true, "", maxPageSize)
	if err != nil {
		return err
	}
	var lines []welfareLine
	for _, v := range alerts {
		f := func(t time.Time) string { return t.In(v.Zone).Format("15:04 on Mon 2 Jan 2006") }
		l := welfareLine{ID: v.Alert.ID, Member: v.MemberName, Phone: v.Phone, Shift: v.Title, Area: v.AreaCode,
			PlannedEnd: f(v.Alert.PlannedEnd), RaisedAt: f(v.Alert.RaisedAt), ContactStatus: v.Alert.ContactStatus,
			OnDuty: "Did not book on duty"}
		if v.Duty.OnDutyAt != nil {
			l.OnDuty = "On duty at " + f(*v.Duty.OnDutyAt)
			if v.Duty.OnLat != nil {
				l.OnDuty += fmt.Sprintf(", at %.5f, %.5f", *v.Duty.OnLat, *v.Duty.OnLon)
			}
		}
		if v.Contact != nil {
			l.HasContact, l.ContactName, l.ContactPhone = true, v.Contact.Name, v.Contact.Phone
		}
		lines = append(lines, l)
	}
	view.Title, view.Nav, view.Data = "Welfare alerts", "welfare", lines
	return s.render(c, status, "coord_welfare", view)
}

func (s *Server) postCloseWelfare(c *fiber.Ctx) error {
	id := c.Params("id")
	form := formValues(c, "note")
	_, err := s.app.CloseWelfareAlert(c.UserContext(), principal(c), id, form["note"])
	var de *domain.Error
	switch {
	case err == nil:
		s.flash(c, "You closed the welfare alert.")
	case errors.As(err, &de) && de.Code == domain.EConflict:
		s.flash(c, "That welfare alert was already closed.")
	case errors.As(err, &de) && de.Code == domain.EInvalid:
		view := pageView{Form: map[string]string{"note-" + id: form["note"]}}
		for _, f := range de.Fields {
			view.Errors = append(view.Errors, domain.FieldError{Field: f.Field + "-" + id, Message: "Note: " + f.Message})
		}
		return s.renderCoordWelfare(c, fiber.StatusUnprocessableEntity, view)
	default:
		return err
	}
	return c.Redirect("/coord/welfare", fiber.StatusSeeOther)
}

type emergencyContactData struct {
	Recorded bool
	Back     string
}

// emergencyContactPage shows the member their own emergency contact and the
// form to change it; coordinators see it only during a welfare alert.
func (s *Server) emergencyContactPage(c *fiber.Ctx) error {
	p := principal(c)
	if p.User.MemberID == "" {
		return domain.Errorf(domain.ENotFound, "there is nothing at this address")
	}
	ec, err := s.app.EmergencyContactFor(c.UserContext(), p, p.User.MemberID)
	if err != nil {
		return err
	}
	view := pageView{Form: map[string]string{}}
	if ec != nil {
		view.Form["name"], view.Form["phone"] = ec.Name, ec.Phone
	}
	return s.renderEmergencyContact(c, fiber.StatusOK, view, ec != nil)
}

func (s *Server) renderEmergencyContact(c *fiber.Ctx, status int, view pageView, recorded bool) error {
	view.Title, view.Nav, view.Data = "Emergency contact", "my-shifts", emergencyContactData{Recorded: recorded, Back: contactBack(c)}
	return s.render(c, status, "my_emergency_contact", view)
}

// contactBack is the page the member came from (a duty page), kept through
// the form so saving returns there; anything but one of their own shift
// pages is my shifts.
func contactBack(c *fiber.Ctx) string {
	back := c.Query("back")
	if !strings.HasPrefix(back, "/my-shifts/") || strings.ContainsAny(back, "?#\\") || strings.Contains(back, "//") {
		return "/my-shifts"
	}
	return back
}

func (s *Server) postEmergencyContact(c *fiber.Ctx) error {
	p := principal(c)
	if p.User.MemberID == "" {
		return domain.Errorf(domain.ENotFound, "there is nothing at this address")
	}
	form := formValues(c, "name", "phone")
	u := app.MemberUpdate{EmergencyContact: app.Clearable[domain.EmergencyContact]{Set: true,
		Value: &domain.EmergencyContact{Name: form["name"], Phone: form["phone"]}}}
	_, err := s.app.UpdateMember(c.UserContext(), p, p.User.MemberID, u)
	var de *domain.Error
	switch {
	case err == nil:
		s.flash(c, "You saved your emergency contact.")
		if back := contactBack(c); back != "/my-shifts" {
			return c.Redirect(back, fiber.StatusSeeOther)
		}
		return c.Redirect("/emergency-contact", fiber.StatusSeeOther)
	case errors.As(err, &de) && de.Code == domain.EInvalid:
		view := pageView{Form: form}
		for _, f := range de.Fields {
			view.Errors = append(view.Errors, domain.FieldError{Field: strings.TrimPrefix(f.Field, "emergency_contact."), Message: f.Message})
		}
		return s.renderEmergencyContact(c, fiber.StatusUnprocessableEntity, view, false)
	default:
		return err
	}
}
