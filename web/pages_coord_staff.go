package web

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// Staffing a shift by hand from its roster: a search for members who could
// take a place, each with the rules they would fail there, and a button to
// book or offer; a reason to cancel one booking or the whole shift.

type candidateLine struct {
	ID, Name, Area string
	Reasons        []string
}

type staffFinder struct {
	Position, Query inputField
	Searched        bool
	PositionID      string
	Candidates      []candidateLine
	CanStaff        bool
	Reason          inputField
}

// rosterFinder fills the finder from ?position=&q= for a shift yet to start.
func (s *Server) rosterFinder(c *fiber.Ctx, v app.ShiftRoster) (staffFinder, error) {
	var opts []choice
	for _, p := range v.Demand.Positions {
		opts = append(opts, choice{Value: p.ID, Label: p.Name})
	}
	positionID := c.Query("position")
	if positionID == "" && len(opts) > 0 {
		positionID = opts[0].Value
	}
	f := staffFinder{
		Position:   selectField("position", "Position", "", positionID, opts),
		Query:      inputField{ID: "q", Name: "q", Label: "Name or email", Hint: "Part of it is enough; leave empty to list members in your areas", Value: c.Query("q"), Type: "search"},
		PositionID: positionID,
		CanStaff:   v.Shift.Status == domain.ShiftScheduled && v.Demand.Status == domain.DemandActive && s.app.Now().Before(v.Shift.Start),
		Reason:     inputField{ID: "shift-reason", Name: "reason", Label: "Why it is cancelled (optional)", Hint: "Everyone booked is told this", Type: "text"},
	}
	if !f.CanStaff || c.Query("find") == "" {
		return f, nil
	}
	f.Searched = true
	cands, err := s.app.ShiftCandidates(c.UserContext(), principal(c), v.Shift.ID, positionID, c.Query("q"), candidateLimit)
	if err != nil {
		if fields, ok := invalidFields(err); ok && len(fields) > 0 {
			f.Position.Error = ledBy("Position", fields[0].Message)
			return f, nil
		}
		return f, err
	}
	for _, cd := range cands {
		f.Candidates = append(f.Candidates, candidateLine{ID: cd.Member.ID, Name: cd.Member.Name, Area: cd.Member.HomeAreaCode,
			Reasons: domain.FailedWords(cd.Failed)})
	}
	return f, nil
}

// postCoordBook books (or offers) a place to a member the coordinator chose.
func (s *Server) postCoordBook(c *fiber.Ctx) error {
	ctx, p := c.UserContext(), principal(c)
	shiftID := c.Params("id")
	offer := c.FormValue("offer") == "true"
	res, err := s.app.Book(ctx, p, app.BookInput{ShiftID: shiftID, PositionID: c.FormValue("position_id"),
		MemberID: c.FormValue("member_id"), Offer: offer})
	back := "/coord/shifts/" + shiftID
	switch domain.ErrorCode(err) {
	case "":
	case domain.ERefused, domain.EConflict, domain.EInvalid:
		s.flash(c, "Not done: "+domain.ErrorMessage(err))
		return c.Redirect(back, fiber.StatusSeeOther)
	default:
		return err
	}
	roster, err := s.app.CoordinatorShift(ctx, p, shiftID)
	if err != nil {
		return err
	}
	who := roster.Names[res.Booking.MemberID]
	verb := "booked"
	if offer {
		verb = "offered the place to"
	}
	s.flash(c, fmt.Sprintf("You %s %s as %s.", verb, who, strings.ToLower(demandPositionName(roster.Demand, res.Booking.PositionID))))
	return c.Redirect(back, fiber.StatusSeeOther)
}
