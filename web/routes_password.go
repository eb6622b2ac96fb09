package web

import (
	"github.com/gofiber/fiber/v2"
)

// Pages reached from an emailed link: accept an invitation, reset a password.
func (s *Server) passwordPages() []route {
	return []route{
		{method: fiber.MethodGet, path: invitePagePrefix + ":token", handler: s.choosePasswordPage(true), access: publicPage},
		{method: fiber.MethodPost, path: invitePagePrefix + ":token", handler: s.postChoosePassword(true), access: publicPage},
		{method: fiber.MethodGet, path: resetPagePrefix + ":token", handler: s.choosePasswordPage(false), access: publicPage},
		{method: fiber.MethodPost, path: resetPagePrefix + ":token", handler: s.postChoosePassword(false), access: publicPage},
	}
}
