package web

import "github.com/gofiber/fiber/v2"

// oidcRoutes: staff sign-in with the force's identity provider. The start
// is a plain link, not a form: the pages' Content-Security-Policy allows
// forms to submit only to copbank, and a form whose answer redirects to the
// provider would be stopped. Starting a sign-in changes nothing but the
// browser's own short-lived cookie. The provider sends the browser back to
// the callback with a GET.
func (s *Server) oidcRoutes() []route {
	return []route{
		{method: fiber.MethodGet, path: "/auth/oidc/start", handler: s.startOIDC, access: publicPage},
		{method: fiber.MethodGet, path: "/auth/oidc/callback", handler: s.oidcCallback, access: publicPage},
	}
}
