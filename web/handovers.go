package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

type handoverCreatedJSON struct {
	HandoverID string `json:"handover_id"`
}

// handoverJSON is an open offer as a colleague sees it: where and when,
// never who offers it.
type handoverJSON struct {
	ID        string             `json:"id"`
	Status    string             `json:"status" validate:"oneof=open taken"`
	ExpiresAt string             `json:"expires_at"`
	CreatedAt string             `json:"created_at"`
	Shift     bookedShiftJSON    `json:"shift"`
	Position  bookedPositionJSON `json:"position"`
}

type swapRequest struct {
	WithBookingID string `json:"with_booking_id" validate:"required,max=64"`
}

type swapCreatedJSON struct {
	SwapID string `json:"swap_id"`
}

type swapJSON struct {
	ID       string        `json:"id"`
	Status   string        `json:"status" validate:"oneof=requested accepted"`
	Bookings []bookingJSON `json:"bookings"`
}

func (s *Server) offerHandover(c *fiber.Ctx) error {
	h, err := s.app.OfferHandover(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(handoverCreatedJSON{HandoverID: h.ID})
}

func (s *Server) acceptHandover(c *fiber.Ctx) error {
	b, err := s.app.AcceptHandover(c.UserContext(), principal(c), c.Params("id"))
	return s.renderBooking(c, b, err)
}

func (s *Server) listHandovers(c *fiber.Ctx) error {
	after, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	views, err := s.app.OpenHandovers(c.UserContext(), principal(c), after, limit)
	if err != nil {
		return err
	}
	places, err := s.app.BookedPlaces(c.UserContext(), handoverPlaces(views))
	if err != nil {
		return err
	}
	return c.JSON(newPage(views, limit, func(v app.HandoverView) string { return v.Handover.ID }, func(v app.HandoverView) handoverJSON {
		h := v.Handover
		at := places.Of(domain.Booking{ShiftID: h.ShiftID, PositionID: h.PositionID})
		loc := s.zone(at.TimeZone)
		return handoverJSON{ID: h.ID, Status: string(h.Status), ExpiresAt: stamp(h.Start, loc), CreatedAt: stamp(h.CreatedAt, loc),
			Shift: bookedShiftJSON{ID: h.ShiftID, Title: at.Title, Start: stamp(at.Start, loc), End: stamp(at.End, loc),
				Area: areaRefJSON{Code: at.AreaCode, Name: at.AreaName}},
			Position: bookedPositionJSON{ID: h.PositionID, Name: at.PositionName}}
	}))
}

// handoverPlaces are the places of offers, as bookings BookedPlaces reads.
func handoverPlaces(views []app.HandoverView) []domain.Booking {
	out := make([]domain.Booking, len(views))
	for i, v := range views {
		out[i] = domain.Booking{ShiftID: v.Handover.ShiftID, PositionID: v.Handover.PositionID}
	}
	return out
}

func (s *Server) requestSwap(c *fiber.Ctx) error {
	var req swapRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	w, err := s.app.RequestSwap(c.UserContext(), principal(c), c.Params("id"), req.WithBookingID)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(swapCreatedJSON{SwapID: w.ID})
}

func (s *Server) acceptSwap(c *fiber.Ctx) error {
	res, err := s.app.AcceptSwap(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	places, err := s.app.BookedPlaces(c.UserContext(), res.Bookings)
	if err != nil {
		return err
	}
	out := swapJSON{ID: res.Swap.ID, Status: string(res.Swap.Status), Bookings: make([]bookingJSON, 0, len(res.Bookings))}
	for _, b := range res.Bookings {
		out.Bookings = append(out.Bookings, s.bookingJSON(b, places.Of(b)))
	}
	return c.JSON(out)
}
