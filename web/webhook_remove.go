package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/domain"
)

func (s *Server) deleteWebhook(c *fiber.Ctx) error {
	if err := s.app.RemoveWebhook(c.UserContext(), principal(c), c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// removeWebhookPage removes an endpoint from the admin's page.
func (s *Server) removeWebhookPage(c *fiber.Ctx) error {
	err := s.app.RemoveWebhook(c.UserContext(), principal(c), c.Params("id"))
	switch domain.ErrorCode(err) {
	case "":
		s.flash(c, "The endpoint is removed: nothing more is sent to it.")
	case domain.ENotFound:
		s.flash(c, "That endpoint was already removed.")
	default:
		return err
	}
	return c.Redirect("/admin/webhooks", fiber.StatusSeeOther)
}
