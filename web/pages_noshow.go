package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/domain"
)

// holdWords says why a member's own bookings wait for approval, and until
// when; empty when they do not.
func (s *Server) holdWords(h *domain.ApprovalHold, whose string) string {
	if h == nil {
		return ""
	}
	until := h.Until.In(s.app.Config.TimeZone)
	return whose + " own bookings wait for a coordinator's approval until " + until.Format("Monday 2 January 2006") +
		" because of " + h.Reason + "."
}

type holdPageData struct {
	ID, Name, Hold string
}

// coordHoldPage shows a member's no-show approval hold to a coordinator of
// their home area (or an admin), with a button to lift it.
func (s *Server) coordHoldPage(c *fiber.Ctx) error {
	d, err := s.app.Member(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	data := holdPageData{ID: d.ID, Name: d.Name}
	data.Hold = s.holdWords(d.Hold, "Their")
	return s.render(c, fiber.StatusOK, "coord_hold", pageView{Title: "Approval hold: " + d.Name, Nav: "approvals", Data: data})
}

func (s *Server) postLiftHold(c *fiber.Ctx) error {
	id := c.Params("id")
	if err := s.app.LiftApprovalHold(c.UserContext(), principal(c), id); err != nil {
		return err
	}
	s.flash(c, "The approval hold is lifted: their own bookings confirm as usual again.")
	return c.Redirect("/coord/members/"+id+"/approval-hold", fiber.StatusSeeOther)
}

// onHold reports a member in the caller's reach who is on an approval hold.
func (s *Server) onHold(c *fiber.Ctx, memberID string) bool {
	h, err := s.app.ApprovalHold(c.UserContext(), principal(c), memberID)
	return err == nil && h != nil
}
