package web

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// The handover pages: "Offer to colleagues" on a confirmed booking in my
// shifts, and the offers from colleagues the member could take, each with
// a button to take it. Plain forms: they work without JavaScript.

type handoverCard struct {
	ID, ShiftID, Title, When, Position, Area string
}

type handoversData struct {
	IsMember bool
	Hold     string // why the member may not take a colleague's place now
	Offers   []handoverCard
	Swaps    []swapCard
}

// swapCard is a swap a colleague asks of the member: their place to give
// and the colleague's to take.
type swapCard struct {
	ID, Give, Take string
}

// handoversPage lists the offers the member passes every rule for.
func (s *Server) handoversPage(c *fiber.Ctx) error {
	p := principal(c)
	data := handoversData{IsMember: p.User.MemberID != ""}
	if data.IsMember {
		h, err := s.app.ApprovalHold(c.UserContext(), p, p.User.MemberID)
		if err != nil {
			return err
		}
		if h != nil {
			data.Hold = s.holdWords(h, "Your") + " Until then you cannot take a colleague's place; a coordinator can book you."
		}
	}
	views, err := s.app.OpenHandovers(c.UserContext(), p, "", maxPageSize)
	if err != nil {
		return err
	}
	places, err := s.app.BookedPlaces(c.UserContext(), handoverPlaces(views))
	if err != nil {
		return err
	}
	for i, v := range views {
		if i == maxPageSize {
			break
		}
		h := v.Handover
		at := places.Of(domain.Booking{ShiftID: h.ShiftID, PositionID: h.PositionID})
		data.Offers = append(data.Offers, handoverCard{ID: h.ID, ShiftID: h.ShiftID, Title: v.Demand.Title,
			When: s.when(v.Demand, v.Shift.Start, v.Shift.End), Position: v.Position().Name, Area: at.AreaName})
	}
	swaps, err := s.app.SwapsAsked(c.UserContext(), p)
	if err != nil {
		return err
	}
	for _, w := range swaps {
		data.Swaps = append(data.Swaps, swapCard{ID: w.Swap.ID, Give: s.placeWords(w.Give), Take: s.placeWords(w.Take)})
	}
	return s.render(c, fiber.StatusOK, "handovers", pageView{Title: "Offers from colleagues", Nav: "my-shifts", Data: data})
}

// offerHandoverPage offers one of the member's own bookings to colleagues.
func (s *Server) offerHandoverPage(c *fiber.Ctx) error {
	v, err := s.myBooking(c)
	if err != nil {
		return err
	}
	what := fmt.Sprintf("%s, %s", v.Demand.Title, s.when(v.Demand, v.Shift.Start, v.Shift.End))
	if _, err := s.app.OfferHandover(c.UserContext(), principal(c), v.Booking.ID); err != nil {
		if domain.ErrorCode(err) != domain.EConflict {
			return err
		}
		s.flash(c, "Your place on "+what+" was not offered: "+domain.ErrorMessage(err)+".")
		return c.Redirect("/my-shifts", fiber.StatusSeeOther)
	}
	s.flash(c, "You offered your place on "+what+" to colleagues. It stays yours until one of them takes it.")
	return c.Redirect("/my-shifts", fiber.StatusSeeOther)
}

// acceptHandoverPage takes an offered place; a place gone meanwhile, or a
// rule the member now fails, is said on the offers page.
func (s *Server) acceptHandoverPage(c *fiber.Ctx) error {
	b, err := s.app.AcceptHandover(c.UserContext(), principal(c), c.Params("id"))
	switch domain.ErrorCode(err) {
	case "":
	case domain.EHandoverTaken, domain.ERefused, domain.EConflict:
		s.flash(c, "You could not take this shift: "+domain.ErrorMessage(err))
		return c.Redirect("/handovers", fiber.StatusSeeOther)
	case domain.ENotFound:
		// The colleague withdrew it after this member's page was drawn.
		s.flash(c, "You could not take this shift: it is no longer on offer")
		return c.Redirect("/handovers", fiber.StatusSeeOther)
	default:
		return err
	}
	v, err := s.app.Booking(c.UserContext(), principal(c), b.ID)
	if err != nil {
		return err
	}
	s.flash(c, fmt.Sprintf("You took the place on %s, %s: you are booked.", v.Demand.Title, s.when(v.Demand, v.Shift.Start, v.Shift.End)))
	return c.Redirect("/my-shifts", fiber.StatusSeeOther)
}

// myOffers reports which of the member's bookings are on offer to colleagues.
func (s *Server) myOffers(c *fiber.Ctx, views []app.BookingView) (map[string]bool, error) {
	var ids []string
	for _, v := range views {
		if v.Booking.Status == domain.BookingConfirmed {
			ids = append(ids, v.Booking.ID)
		}
	}
	offers, err := s.app.MyOpenHandovers(c.UserContext(), principal(c), ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(offers))
	for id := range offers {
		out[id] = true
	}
	return out, nil
}

// bookingStatusWords is statusWords, saying too when a booking was given up
// to a colleague.
func bookingStatusWords(b domain.Booking) string {
	if b.Status == domain.BookingCancelled {
		switch b.CancelReason {
		case domain.CancelReasonHandover:
			return "Cancelled (handed over to a colleague)"
		case domain.CancelReasonSwap:
			return "Cancelled (swapped with a colleague)"
		}
	}
	return statusWords(b.Status)
}

func (s *Server) placeWords(v app.BookingView) string {
	return fmt.Sprintf("%s, %s, %s", v.Demand.Title, s.when(v.Demand, v.Shift.Start, v.Shift.End), v.Position().Name)
}

// acceptSwapPage makes a swap the member was asked for; a rule either of
// them now fails is said on the offers page, and nothing changes.
func (s *Server) acceptSwapPage(c *fiber.Ctx) error {
	_, err := s.app.AcceptSwap(c.UserContext(), principal(c), c.Params("id"))
	switch domain.ErrorCode(err) {
	case "":
	case domain.ERefused, domain.EConflict:
		s.flash(c, "The swap did not happen: "+domain.ErrorMessage(err))
		return c.Redirect("/handovers", fiber.StatusSeeOther)
	default:
		return err
	}
	s.flash(c, "You swapped shifts with your colleague: your new place is below.")
	return c.Redirect("/my-shifts", fiber.StatusSeeOther)
}
