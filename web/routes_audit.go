package web

import "github.com/gofiber/fiber/v2"

// auditRoutes: reading the audit log.
func (s *Server) auditRoutes() []route {
	return []route{
		{method: fiber.MethodGet, path: "/api/v1/audit", handler: s.listAudit,
			summary: "The audit log, oldest first (admins only)", tag: "audit", response: page[auditEntryJSON]{},
			query: append([]param{
				textParam("entity", "the kind of record changed (member, booking, …)"),
				textParam("entity_id", "the id of the record changed"),
				textParam("actor", "the id of the user who acted"),
				textParam("action", "what was done (member.update, area.create, …)"),
				textParam("member_id", "the member the entry concerns"),
				fromParam, toParam,
			}, pageParams...)},
	}
}
