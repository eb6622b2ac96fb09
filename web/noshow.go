package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// approvalHoldJSON says why a member's own bookings wait for approval, and
// the local date on which the hold ends.
type approvalHoldJSON struct {
	Reason string `json:"reason"`
	Until  string `json:"until"`
}

func (s *Server) renderHold(h *domain.ApprovalHold) *approvalHoldJSON {
	if h == nil {
		return nil
	}
	return &approvalHoldJSON{Reason: h.Reason, Until: domain.DateOf(h.Until.In(s.app.Config.TimeZone)).String()}
}

// renderBooked answers a new booking; one the member's approval hold made
// pending carries the hold, so the answer says why.
func (s *Server) renderBooked(c *fiber.Ctx, status int, res app.BookingResult) error {
	places, err := s.app.BookedPlaces(c.UserContext(), []domain.Booking{res.Booking})
	if err != nil {
		return err
	}
	out := s.bookingJSON(res.Booking, places.Of(res.Booking))
	out.ApprovalHold = s.renderHold(res.Hold)
	return c.Status(status).JSON(out)
}

func (s *Server) liftApprovalHold(c *fiber.Ctx) error {
	if err := s.app.LiftApprovalHold(c.UserContext(), principal(c), refParam(c, "id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
