package web

import (
	"errors"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

const wallLayout = "2006-01-02T15:04"

type myAttendanceData struct {
	ID, Title, When string
	Submitted       string // what is already recorded, in words
}

// myAttendancePage lets a member say they came and when, for a coordinator
// to confirm.
func (s *Server) myAttendancePage(c *fiber.Ctx) error {
	v, err := s.myBooking(c)
	if err != nil {
		return err
	}
	zone := s.app.Config.TimeZone
	form := map[string]string{"actual_start": v.Shift.Start.In(zone).Format(wallLayout), "actual_end": v.Shift.End.In(zone).Format(wallLayout)}
	return s.renderMyAttendance(c, fiber.StatusOK, v, pageView{Form: form})
}

func (s *Server) renderMyAttendance(c *fiber.Ctx, status int, v app.BookingView, view pageView) error {
	data := myAttendanceData{ID: v.Booking.ID, Title: v.Demand.Title, When: s.when(v.Demand, v.Shift.Start, v.Shift.End)}
	if v.Booking.Attendance != "" {
		data.Submitted = statusWords(v.Booking.Attendance)
		if v.Booking.AttendanceSubmitted {
			data.Submitted += " (waiting for a coordinator to confirm)"
		}
	}
	view.Title, view.Nav, view.Data = "Record attendance", "my-shifts", data
	return s.render(c, status, "my_attendance", view)
}

func (s *Server) postMyAttendance(c *fiber.Ctx) error {
	v, err := s.myBooking(c)
	if err != nil {
		return err
	}
	form := formValues(c, "actual_start", "actual_end")
	view := pageView{Form: form}
	zone := s.app.Config.TimeZone
	in := app.AttendanceInput{Status: string(domain.BookingAttended)}
	for _, f := range []struct {
		id  string
		dst **time.Time
	}{{"actual_start", &in.ActualStart}, {"actual_end", &in.ActualEnd}} {
		t, err := time.ParseInLocation(wallLayout, form[f.id], zone)
		if err != nil {
			view.Errors = append(view.Errors, domain.FieldError{Field: f.id, Message: "Enter a date and time, for example 2027-01-08T18:00"})
			continue
		}
		*f.dst = &t
	}
	if len(view.Errors) == 0 {
		_, err = s.app.RecordAttendance(c.UserContext(), principal(c), v.Booking.ID, in)
		if err == nil {
			s.flash(c, fmt.Sprintf("You recorded that you attended %s. A coordinator will confirm it.", v.Demand.Title))
			return c.Redirect("/my-shifts", fiber.StatusSeeOther)
		}
		var de *domain.Error
		if !errors.As(err, &de) || (de.Code != domain.EInvalid && de.Code != domain.EConflict) {
			return err
		}
		field := "actual_start"
		if len(de.Fields) > 0 {
			field = de.Fields[0].Field
		}
		view.Errors = append(view.Errors, domain.FieldError{Field: field, Message: de.Message})
	}
	return s.renderMyAttendance(c, fiber.StatusUnprocessableEntity, v, view)
}
