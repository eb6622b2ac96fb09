package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// What a change to demand did to its bookings: the API answers a PATCH or a
// cancellation with the demand (or shift) and these lists, so a client can
// tell whom to call without reading every booking again.

type bookingOutcomeJSON struct {
	BookingID  string `json:"booking_id"`
	ShiftID    string `json:"shift_id"`
	MemberID   string `json:"member_id"`
	MemberName string `json:"member_name,omitempty"`
	// Rules are the rules that failed, by name; empty for a kept booking.
	Rules []string `json:"rules"`
	// Reasons say each failed rule in plain words, in the same order.
	Reasons []string `json:"reasons"`
}

type bookingChangesJSON struct {
	Kept      []bookingOutcomeJSON `json:"kept"`
	Cancelled []bookingOutcomeJSON `json:"cancelled"`
}

type demandChangeJSON struct {
	demandJSON
	Bookings bookingChangesJSON `json:"bookings"`
}

type shiftChangeJSON struct {
	shiftJSON
	Bookings bookingChangesJSON `json:"bookings"`
}

func outcomesJSON(in []app.BookingOutcome) []bookingOutcomeJSON {
	out := make([]bookingOutcomeJSON, 0, len(in))
	for _, o := range in {
		rules := orEmptyList(o.Rules)
		out = append(out, bookingOutcomeJSON{BookingID: o.BookingID, ShiftID: o.ShiftID, MemberID: o.MemberID,
			MemberName: o.MemberName, Rules: rules, Reasons: orEmptyList(domain.FailedWords(rules))})
	}
	return out
}

func changesJSON(c app.BookingChanges) bookingChangesJSON {
	return bookingChangesJSON{Kept: outcomesJSON(c.Kept), Cancelled: outcomesJSON(c.Cancelled)}
}

func (s *Server) demandChangeJSON(ch app.DemandChange) demandChangeJSON {
	return demandChangeJSON{demandJSON: s.demandJSON(ch.Demand), Bookings: changesJSON(ch.Bookings)}
}

// cancelWithReason is an optional reason, told to every member whose
// booking the cancellation ends.
type cancelWithReason struct {
	Reason string `json:"reason" validate:"max=500"`
}

func (s *Server) deleteDemand(c *fiber.Ctx) error {
	ch, err := s.app.CancelDemand(c.UserContext(), principal(c), c.Params("id"), "")
	if err != nil {
		return err
	}
	return c.JSON(s.demandChangeJSON(ch))
}

func (s *Server) cancelDemand(c *fiber.Ctx) error {
	var req cancelWithReason
	if len(c.Body()) > 0 {
		if err := decode(c, &req); err != nil {
			return err
		}
	}
	ch, err := s.app.CancelDemand(c.UserContext(), principal(c), c.Params("id"), req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(s.demandChangeJSON(ch))
}

func (s *Server) cancelShift(c *fiber.Ctx) error {
	var req cancelWithReason
	if len(c.Body()) > 0 {
		if err := decode(c, &req); err != nil {
			return err
		}
	}
	ch, err := s.app.CancelShift(c.UserContext(), principal(c), c.Params("id"), req.Reason)
	if err != nil {
		return err
	}
	places, err := s.shiftPlaces(c, ch.Shift)
	if err != nil {
		return err
	}
	return c.JSON(shiftChangeJSON{shiftJSON: s.shiftJSON(ch.Shift, places), Bookings: changesJSON(ch.Bookings)})
}
