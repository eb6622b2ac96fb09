package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
)

type rosterItemRequest struct {
	BookingID   string     `json:"booking_id" validate:"required"`
	Status      string     `json:"status" validate:"required,oneof=attended no_show"`
	ActualStart *time.Time `json:"actual_start"`
	ActualEnd   *time.Time `json:"actual_end"`
}

type rosterRequest struct {
	Items []rosterItemRequest `json:"items" validate:"required,min=1,max=500,dive"`
}

func (s *Server) recordRoster(c *fiber.Ctx) error {
	var req rosterRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	items := make([]app.RosterItem, len(req.Items))
	for i, it := range req.Items {
		items[i] = app.RosterItem{BookingID: it.BookingID,
			AttendanceInput: app.AttendanceInput{Status: it.Status, ActualStart: it.ActualStart, ActualEnd: it.ActualEnd}}
	}
	bs, err := s.app.RecordRoster(c.UserContext(), principal(c), c.Params("id"), items)
	if err != nil {
		return err
	}
	places, err := s.app.BookedPlaces(c.UserContext(), bs)
	if err != nil {
		return err
	}
	out := page[bookingJSON]{Items: make([]bookingJSON, len(bs))}
	for i, b := range bs {
		out.Items[i] = s.bookingJSON(b, places.Of(b))
	}
	return c.JSON(out)
}

func (s *Server) confirmAttendance(c *fiber.Ctx) error {
	b, err := s.app.ConfirmAttendance(c.UserContext(), principal(c), c.Params("id"))
	return s.renderBooking(c, b, err)
}
