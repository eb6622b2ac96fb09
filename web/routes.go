package web

import "github.com/gofiber/fiber/v2"

// route is one row of the API route table; the OpenAPI test walks the same
// table. The web pages are not API routes: see pageTable.
type route struct {
	method, path string
	handler      fiber.Handler
	public       bool // reachable without signing in
}

func (s *Server) routeTable() []route {
	rs := []route{
		{method: fiber.MethodGet, path: "/healthz", handler: s.healthz, public: true},
		{method: fiber.MethodGet, path: "/readyz", handler: s.readyz, public: true},
		{method: fiber.MethodGet, path: "/api/openapi.json", handler: s.openapi, public: true},
		{method: fiber.MethodPost, path: "/api/v1/auth/login", handler: s.login, public: true},
		{method: fiber.MethodPost, path: "/api/v1/auth/logout", handler: s.logout},
		{method: fiber.MethodGet, path: "/api/v1/me", handler: s.me},
	}
	rs = append(rs, s.referenceRoutes()...)
	rs = append(rs, s.bankRoutes()...)
	rs = append(rs, s.matchRoutes()...)
	rs = append(rs, s.auditRoutes()...)
	rs = append(rs, s.privacyRoutes()...)
	rs = append(rs, s.calendarRoutes()...)
	rs = append(rs, s.accountRoutes()...)
	rs = append(rs, s.vetRecruitmentRoutes()...)
	return rs
}

func (s *Server) routes() {
	s.fiber.Use("/api", s.authenticate)
	for _, r := range s.routeTable() {
		handlers := []fiber.Handler{r.handler}
		if r.method != fiber.MethodGet {
			handlers = append([]fiber.Handler{s.idempotent}, handlers...)
		}
		if !r.public {
			handlers = append([]fiber.Handler{requireAuth}, handlers...)
		}
		s.fiber.Add(r.method, r.path, handlers...)
	}
	s.pageRoutes()
}
