package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// dutyRequest is where the member says they are when they book on or off
// duty; both or neither.
type dutyRequest struct {
	Lat *float64 `json:"lat" validate:"omitempty,gte=-90,lte=90"`
	Lon *float64 `json:"lon" validate:"omitempty,gte=-180,lte=180"`
}

type pointJSON struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// dutyJSON is a booking on a lone-working shift with its on and off duty.
type dutyJSON struct {
	BookingID       string     `json:"booking_id"`
	ShiftID         string     `json:"shift_id"`
	Title           string     `json:"title"`
	Start           string     `json:"start"`
	End             string     `json:"end"`
	OnDutyAt        *string    `json:"on_duty_at"`
	OnDutyLocation  *pointJSON `json:"on_duty_location"`
	OffDutyAt       *string    `json:"off_duty_at"`
	OffDutyLocation *pointJSON `json:"off_duty_location"`
}

func point(lat, lon *float64) *pointJSON {
	if lat == nil || lon == nil {
		return nil
	}
	return &pointJSON{Lat: *lat, Lon: *lon}
}

func (s *Server) renderDuty(v app.DutyView) dutyJSON {
	loc := s.zone(v.Demand.TimeZone)
	return dutyJSON{BookingID: v.Booking.ID, ShiftID: v.Shift.ID, Title: v.Demand.Title, Start: stamp(v.Shift.Start, loc),
		End: stamp(v.Shift.End, loc), OnDutyAt: stampPtr(v.Duty.OnDutyAt, loc), OnDutyLocation: point(v.Duty.OnLat, v.Duty.OnLon),
		OffDutyAt: stampPtr(v.Duty.OffDutyAt, loc), OffDutyLocation: point(v.Duty.OffLat, v.Duty.OffLon)}
}

func (s *Server) duty(on bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req dutyRequest
		if len(c.Body()) > 0 {
			if err := decode(c, &req); err != nil {
				return err
			}
		}
		in := app.DutyInput{Lat: req.Lat, Lon: req.Lon}
		var v app.DutyView
		var err error
		if on {
			v, err = s.app.OnDuty(c.UserContext(), principal(c), c.Params("id"), in)
		} else {
			v, err = s.app.OffDuty(c.UserContext(), principal(c), c.Params("id"), in)
		}
		if err != nil {
			return err
		}
		return c.JSON(s.renderDuty(v))
	}
}

type emergencyContactJSON struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

// welfareAlertJSON is a welfare alert as a coordinator sees it; the
// emergency contact is there only while the alert is open.
type welfareAlertJSON struct {
	ID               string                `json:"id"`
	Status           string                `json:"status" validate:"oneof=open closed"`
	BookingID        string                `json:"booking_id"`
	ShiftID          string                `json:"shift_id"`
	Title            string                `json:"title"`
	Area             string                `json:"area"`
	PlannedEnd       string                `json:"planned_end"`
	RaisedAt         string                `json:"raised_at"`
	MemberID         string                `json:"member_id"`
	MemberName       string                `json:"member_name"`
	MemberPhone      string                `json:"member_phone"`
	OnDutyAt         *string               `json:"on_duty_at"`
	OnDutyLocation   *pointJSON            `json:"on_duty_location"`
	EmergencyContact *emergencyContactJSON `json:"emergency_contact"`
	ContactStatus    string                `json:"contact_status"`
	ClosedAt         *string               `json:"closed_at"`
	CloseNote        string                `json:"close_note"`
}

func renderWelfareAlert(v app.WelfareAlertView) welfareAlertJSON {
	w := v.Alert
	out := welfareAlertJSON{ID: w.ID, Status: "open", BookingID: w.BookingID, ShiftID: w.ShiftID, Title: v.Title, Area: v.AreaCode,
		PlannedEnd: stamp(w.PlannedEnd, v.Zone), RaisedAt: stamp(w.RaisedAt, v.Zone), MemberID: w.MemberID, MemberName: v.MemberName,
		MemberPhone: v.Phone, OnDutyAt: stampPtr(v.Duty.OnDutyAt, v.Zone), OnDutyLocation: point(v.Duty.OnLat, v.Duty.OnLon),
		ContactStatus: w.ContactStatus, ClosedAt: stampPtr(w.ClosedAt, v.Zone), CloseNote: w.CloseNote}
	if !w.Open() {
		out.Status = "closed"
	}
	if v.Contact != nil && w.Open() {
		out.EmergencyContact = &emergencyContactJSON{Name: v.Contact.Name, Phone: v.Contact.Phone}
	}
	return out
}

func (s *Server) listWelfareAlerts(c *fiber.Ctx) error {
	after, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	openOnly := false
	switch c.Query("open") {
	case "", "false":
	case "true":
		openOnly = true
	default:
		return domain.FieldInvalid("open", "must be true or false")
	}
	alerts, err := s.app.WelfareAlerts(c.UserContext(), principal(c), openOnly, after, limit+1)
	if err != nil {
		return err
	}
	return c.JSON(newPage(alerts, limit, app.WelfareAlertKey, renderWelfareAlert))
}

type closeWelfareRequest struct {
	Note string `json:"note" validate:"max=2000"`
}

func (s *Server) closeWelfareAlert(c *fiber.Ctx) error {
	var req closeWelfareRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	v, err := s.app.CloseWelfareAlert(c.UserContext(), principal(c), c.Params("id"), req.Note)
	if err != nil {
		return err
	}
	return c.JSON(renderWelfareAlert(v))
}
