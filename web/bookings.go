package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

type bookRequest struct {
	PositionID string `json:"position_id" validate:"required,max=64"`
	MemberID   string `json:"member_id" validate:"max=64"`
	Offer      bool   `json:"offer"`
}

type waitlistRequest struct {
	PositionID string `json:"position_id" validate:"required,max=64"`
	MemberID   string `json:"member_id" validate:"max=64"`
}

type attendanceJSON struct {
	Status      string  `json:"status"`
	Submitted   bool    `json:"submitted"`
	ActualStart *string `json:"actual_start"`
	ActualEnd   *string `json:"actual_end"`
}

type bookingJSON struct {
	ID            string          `json:"id"`
	ShiftID       string          `json:"shift_id"`
	PositionID    string          `json:"position_id"`
	MemberID      string          `json:"member_id"`
	Status        string          `json:"status"`
	Start         string          `json:"start"`
	End           string          `json:"end"`
	CreatedAt     string          `json:"created_at"`
	LateCancel    bool            `json:"late_cancel"`
	CancelledBy   string          `json:"cancelled_by,omitempty" validate:"omitempty,oneof=member force"`
	CancelledAt   *string         `json:"cancelled_at,omitempty"`
	CancelReason  string          `json:"cancel_reason,omitempty"`
	Attendance    *attendanceJSON `json:"attendance"`
	QueuePosition int             `json:"queue_position,omitempty"`
	// ApprovalHold is why a new self-booking is pending rather than confirmed.
	ApprovalHold *approvalHoldJSON `json:"approval_hold,omitempty"`
	// Shift and Position say where the booking is, so that a list reads
	// without a request per line.
	Shift    bookedShiftJSON    `json:"shift"`
	Position bookedPositionJSON `json:"position"`
}

type bookedShiftJSON struct {
	ID    string      `json:"id"`
	Title string      `json:"title"`
	Start string      `json:"start"`
	End   string      `json:"end"`
	Area  areaRefJSON `json:"area"`
}

type areaRefJSON struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type bookedPositionJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// bookingJSON renders a booking at its place, in the demand's time zone.
func (s *Server) bookingJSON(b domain.Booking, at app.BookedPlace) bookingJSON {
	loc := s.zone(at.TimeZone)
	out := bookingJSON{ID: b.ID, ShiftID: b.ShiftID, PositionID: b.PositionID, MemberID: b.MemberID, Status: string(b.Status),
		Start: stamp(b.Start, loc), End: stamp(b.End, loc), CreatedAt: stamp(b.CreatedAt, loc), LateCancel: b.LateCancel,
		CancelledAt: stampPtr(b.CancelledAt, loc), CancelReason: b.CancelReason, CancelledBy: string(b.CancelledBy),
		Shift: bookedShiftJSON{ID: b.ShiftID, Title: at.Title, Start: stamp(at.Start, loc), End: stamp(at.End, loc),
			Area: areaRefJSON{Code: at.AreaCode, Name: at.AreaName}},
		Position: bookedPositionJSON{ID: b.PositionID, Name: at.PositionName}}
	if b.Attendance != "" {
		out.Attendance = &attendanceJSON{Status: string(b.Attendance), Submitted: b.AttendanceSubmitted,
			ActualStart: stampPtr(b.ActualStart, loc), ActualEnd: stampPtr(b.ActualEnd, loc)}
	}
	return out
}

func (s *Server) postBooking(c *fiber.Ctx) error {
	var req bookRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	res, err := s.app.Book(c.UserContext(), principal(c), app.BookInput{ShiftID: c.Params("id"), PositionID: req.PositionID,
		MemberID: req.MemberID, Offer: req.Offer})
	if err != nil {
		return err
	}
	return s.renderBooked(c, fiber.StatusCreated, res)
}

func (s *Server) postWaitlist(c *fiber.Ctx) error {
	var req waitlistRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	res, err := s.app.JoinWaitlist(c.UserContext(), principal(c), app.BookInput{ShiftID: c.Params("id"), PositionID: req.PositionID, MemberID: req.MemberID})
	if err != nil {
		return err
	}
	return s.renderBookingStatus(c, fiber.StatusCreated, res.Booking, res.QueuePosition)
}

type cancelRequest struct {
	Reason string `json:"reason" validate:"max=500"`
}

func (s *Server) cancelBooking(c *fiber.Ctx) error {
	var req cancelRequest
	if len(c.Body()) > 0 {
		if err := decode(c, &req); err != nil {
			return err
		}
	}
	b, err := s.app.CancelBooking(c.UserContext(), principal(c), c.Params("id"), req.Reason)
	return s.renderBooking(c, b, err)
}

func (s *Server) renderBooking(c *fiber.Ctx, b domain.Booking, err error) error {
	if err != nil {
		return err
	}
	return s.renderBookingStatus(c, fiber.StatusOK, b, 0)
}

func (s *Server) renderBookingStatus(c *fiber.Ctx, status int, b domain.Booking, queuePosition int) error {
	places, err := s.app.BookedPlaces(c.UserContext(), []domain.Booking{b})
	if err != nil {
		return err
	}
	out := s.bookingJSON(b, places.Of(b))
	out.QueuePosition = queuePosition
	return c.Status(status).JSON(out)
}

func (s *Server) acceptBooking(c *fiber.Ctx) error {
	b, err := s.app.AcceptOffer(c.UserContext(), principal(c), c.Params("id"))
	return s.renderBooking(c, b, err)
}

func (s *Server) declineBooking(c *fiber.Ctx) error {
	b, err := s.app.DeclineOffer(c.UserContext(), principal(c), c.Params("id"))
	return s.renderBooking(c, b, err)
}

func (s *Server) approveBooking(c *fiber.Ctx) error {
	b, err := s.app.ApproveBooking(c.UserContext(), principal(c), c.Params("id"))
	return s.renderBooking(c, b, err)
}

func (s *Server) rejectBooking(c *fiber.Ctx) error {
	b, err := s.app.RejectBooking(c.UserContext(), principal(c), c.Params("id"))
	return s.renderBooking(c, b, err)
}

type attendanceRequest struct {
	Status      string     `json:"status" validate:"required,oneof=attended no_show"`
	ActualStart *time.Time `json:"actual_start"`
	ActualEnd   *time.Time `json:"actual_end"`
}

func (s *Server) recordAttendance(c *fiber.Ctx) error {
	var req attendanceRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	b, err := s.app.RecordAttendance(c.UserContext(), principal(c), c.Params("id"),
		app.AttendanceInput{Status: req.Status, ActualStart: req.ActualStart, ActualEnd: req.ActualEnd})
	return s.renderBooking(c, b, err)
}

func (s *Server) memberBookings(c *fiber.Ctx) error {
	after, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	bs, err := s.app.MemberBookings(c.UserContext(), principal(c), c.Params("id"), after, limit+1)
	if err != nil {
		return err
	}
	places, err := s.app.BookedPlaces(c.UserContext(), bs)
	if err != nil {
		return err
	}
	return c.JSON(newPage(bs, limit, func(b domain.Booking) string { return b.ID }, func(b domain.Booking) bookingJSON {
		return s.bookingJSON(b, places.Of(b))
	}))
}
