package web

import "github.com/gofiber/fiber/v2"

// privacyRoutes: subject access and erasure.
func (s *Server) privacyRoutes() []route {
	return []route{
		{method: fiber.MethodGet, path: "/api/v1/members/:id/export", handler: s.exportMember,
			summary: "Subject access: everything held about a member (the member or an admin)",
			tag:     "privacy", response: memberExportJSON{}},
		{method: fiber.MethodDelete, path: "/api/v1/members/:id", handler: s.eraseMember,
			summary: "Erase a member: anonymise, cancel future bookings, say what was kept and why (admins)",
			tag:     "privacy", response: erasureJSON{}},
	}
}
