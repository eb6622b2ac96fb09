package web

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// A started shift's whole roster on one form: each booking attended or no
// show, with the times they actually worked, recorded all together or not
// at all.

type rosterRow struct {
	BookingID, Name, Position string
	Status                    choiceGroup
	Start, End                inputField
}

type rosterForm struct{ Rows []rosterRow }

const hourMinute = "15:04"

// rosterRecordable is whether a booking belongs on the roster form: booked,
// or already recorded and open to correction.
func rosterRecordable(b domain.Booking) bool {
	return b.Status == domain.BookingConfirmed || b.Status == domain.BookingAttended || b.Status == domain.BookingNoShow
}

func rosterIDs(bookingID string) (status, start, end string) {
	return "status-" + bookingID, "start-" + bookingID, "end-" + bookingID
}

// demandZone is the zone a demand's times are written in.
func (s *Server) demandZone(d domain.Demand) *time.Location {
	if d.TimeZone != "" {
		if z, err := time.LoadLocation(d.TimeZone); err == nil {
			return z
		}
	}
	return s.app.Config.TimeZone
}

// newRosterForm lists the shift's bookings with what is recorded so far (the
// shift's own times when nothing is), or with what was posted when the view
// carries a posted form.
func (s *Server) newRosterForm(v app.ShiftRoster, view pageView) *rosterForm {
	zone := s.demandZone(v.Demand)
	f := &rosterForm{}
	for _, b := range v.Bookings {
		if !rosterRecordable(b) {
			continue
		}
		sid, startID, endID := rosterIDs(b.ID)
		name := v.Names[b.MemberID]
		status, start, end := string(domain.BookingAttended), v.Shift.Start.In(zone).Format(hourMinute), v.Shift.End.In(zone).Format(hourMinute)
		if b.Attendance != "" {
			status = string(b.Attendance)
		}
		if b.ActualStart != nil {
			start = b.ActualStart.In(zone).Format(hourMinute)
		}
		if b.ActualEnd != nil {
			end = b.ActualEnd.In(zone).Format(hourMinute)
		}
		if view.Form != nil {
			status, start, end = view.Form[sid], view.Form[startID], view.Form[endID]
		}
		row := rosterRow{BookingID: b.ID, Name: name, Position: demandPositionName(v.Demand, b.PositionID),
			Status: newGroup(sid, name, "", "radio", []choice{{Value: string(domain.BookingAttended), Label: "Attended"},
				{Value: string(domain.BookingNoShow), Label: "No show"}}, []string{status}),
			Start: inputField{ID: startID, Name: startID, Label: name + " started", Hint: "For example 18:00; leave empty if not known",
				Type: "time", Class: "input-short", Value: start, Error: fieldError(view, startID)},
			End: inputField{ID: endID, Name: endID, Label: name + " finished", Hint: "For example 22:00; leave empty if not known",
				Type: "time", Class: "input-short", Value: end, Error: fieldError(view, endID)}}
		row.Status.Error = fieldError(view, sid)
		f.Rows = append(f.Rows, row)
	}
	if len(f.Rows) == 0 {
		return nil
	}
	return f
}

// nearTime puts a wall-clock time on the day that brings it within 12 hours
// of ref, so that a night shift's 01:30 finish falls on the morning after
// while a finish typed earlier than the start stays before it.
func nearTime(hm time.Time, ref time.Time, zone *time.Location) time.Time {
	r := ref.In(zone)
	t := time.Date(r.Year(), r.Month(), r.Day(), hm.Hour(), hm.Minute(), 0, 0, zone)
	switch {
	case t.Sub(ref) > 12*time.Hour:
		t = time.Date(r.Year(), r.Month(), r.Day()-1, hm.Hour(), hm.Minute(), 0, 0, zone)
	case ref.Sub(t) > 12*time.Hour:
		t = time.Date(r.Year(), r.Month(), r.Day()+1, hm.Hour(), hm.Minute(), 0, 0, zone)
	}
	return t
}

var rosterItemRe = regexp.MustCompile(`^items\[(\d+)\]\.(\w+)$`)

// postCoordRoster records the whole roster posted from the shift's page.
func (s *Server) postCoordRoster(c *fiber.Ctx) error {
	ctx, p := c.UserContext(), principal(c)
	v, err := s.app.CoordinatorShift(ctx, p, c.Params("id"))
	if err != nil {
		return err
	}
	zone := s.demandZone(v.Demand)
	view := pageView{Form: map[string]string{}}
	errs := formErrors{}
	var order []string
	var items []app.RosterItem
	names := map[string]string{}
	for _, b := range v.Bookings {
		if !rosterRecordable(b) {
			continue
		}
		sid, startID, endID := rosterIDs(b.ID)
		for _, id := range []string{sid, startID, endID} {
			view.Form[id] = strings.TrimSpace(c.FormValue(id))
		}
		order = append(order, sid, startID, endID)
		name := v.Names[b.MemberID]
		names[b.ID] = name
		in := app.AttendanceInput{Status: view.Form[sid]}
		if in.Status != string(domain.BookingAttended) && in.Status != string(domain.BookingNoShow) {
			errs.add(sid, "Choose whether "+name+" attended")
		}
		if in.Status == string(domain.BookingAttended) {
			for _, t := range []struct {
				id, label string
				ref       time.Time
				dst       **time.Time
			}{{startID, "started", v.Shift.Start, &in.ActualStart}, {endID, "finished", v.Shift.End, &in.ActualEnd}} {
				if view.Form[t.id] == "" {
					continue
				}
				hm, err := time.Parse(hourMinute, view.Form[t.id])
				if err != nil {
					errs.add(t.id, fmt.Sprintf("Enter when %s %s as hours and minutes, for example 18:00", name, t.label))
					continue
				}
				at := nearTime(hm, t.ref, zone)
				*t.dst = &at
			}
		}
		items = append(items, app.RosterItem{BookingID: b.ID, AttendanceInput: in})
	}
	if len(items) == 0 {
		return s.renderCoordShift(c, fiber.StatusUnprocessableEntity, pageView{Errors: []domain.FieldError{{Message: "There are no bookings to record"}}})
	}
	if len(errs) == 0 {
		_, err = s.app.RecordRoster(ctx, p, v.Shift.ID, items)
		if err == nil {
			s.flash(c, fmt.Sprintf("You recorded the roster of %s, %s: %s.", v.Demand.Title, s.when(v.Demand, v.Shift.Start, v.Shift.End),
				countOf(len(items), "booking", "bookings")))
			return c.Redirect("/coord/shifts/"+v.Shift.ID, fiber.StatusSeeOther)
		}
		var de *domain.Error
		if !errors.As(err, &de) || (de.Code != domain.EInvalid && de.Code != domain.EConflict) {
			return err
		}
		for _, fe := range de.Fields {
			m := rosterItemRe.FindStringSubmatch(fe.Field)
			if m == nil {
				continue
			}
			i, _ := strconv.Atoi(m[1])
			if i >= len(items) {
				continue
			}
			id := items[i].BookingID
			sid, startID, endID := rosterIDs(id)
			msg := strings.NewReplacer("actual_start", "the start", "actual_end", "the finish", "no_show", "no show").Replace(fe.Message)
			switch m[2] {
			case "actual_end":
				errs.add(endID, ledBy(names[id]+"'s finish", msg))
			case "actual_start":
				errs.add(startID, ledBy(names[id]+"'s start", msg))
			default:
				errs.add(sid, ledBy(names[id], msg))
			}
		}
		if len(errs) == 0 {
			errs.add(order[0], ledBy("", de.Message))
		}
	}
	view.Errors = errs.summary(order)
	return s.renderCoordShift(c, fiber.StatusUnprocessableEntity, view)
}
