package web

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/domain"
)

type handoverWithdrawnJSON struct {
	HandoverID string `json:"handover_id"`
	BookingID  string `json:"booking_id"`
	Status     string `json:"status" validate:"oneof=withdrawn"`
}

func (s *Server) withdrawHandover(c *fiber.Ctx) error {
	h, err := s.app.WithdrawHandover(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(handoverWithdrawnJSON{HandoverID: h.ID, BookingID: h.BookingID, Status: "withdrawn"})
}

// withdrawHandoverPage takes back the offer of one of the member's own
// bookings, from my shifts.
func (s *Server) withdrawHandoverPage(c *fiber.Ctx) error {
	v, err := s.myBooking(c)
	if err != nil {
		return err
	}
	what := fmt.Sprintf("%s, %s", v.Demand.Title, s.when(v.Demand, v.Shift.Start, v.Shift.End))
	h, open, err := s.app.MyOpenHandover(c.UserContext(), principal(c), v.Booking.ID)
	if err != nil {
		return err
	}
	if !open {
		s.flash(c, "Your place on "+what+" is not on offer to colleagues.")
		return c.Redirect("/my-shifts", fiber.StatusSeeOther)
	}
	if _, err := s.app.WithdrawHandover(c.UserContext(), principal(c), h.ID); err != nil {
		if domain.ErrorCode(err) != domain.EConflict && domain.ErrorCode(err) != domain.ENotFound {
			return err
		}
		s.flash(c, "Your offer of "+what+" was not withdrawn: "+domain.ErrorMessage(err)+".")
		return c.Redirect("/my-shifts", fiber.StatusSeeOther)
	}
	s.flash(c, "You withdrew your offer: your place on "+what+" stays yours and colleagues can no longer take it.")
	return c.Redirect("/my-shifts", fiber.StatusSeeOther)
}
