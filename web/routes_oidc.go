package web

import "github.com/gofiber/fiber/v2"

// oidcRoutes: staff sign-in with the force's identity provider. The start
// is a POST from the sign-in page's button (CSRF-checked like any form);
// the provider sends the browser back to the callback with a GET.
func (s *Server) oidcRoutes() []route {
	return []route{
		{method: fiber.MethodPost, path: "/auth/oidc/start", handler: s.startOIDC, access: publicPage},
		{method: fiber.MethodGet, path: "/auth/oidc/callback", handler: s.oidcCallback, access: publicPage},
	}
}
