package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// contentSecurityPolicy allows no inline script, no plugins and no framing.
const contentSecurityPolicy = "default-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// securityHeaders sets the browser protections explicitly (Fiber's helmet
// defaults send no CSP and no HSTS): a strict CSP, nosniff, no referrer to
// other sites, no framing, HSTS when we are served over https, and no caching
// of API answers, which hold personal data.
func securityHeaders(baseURL string) fiber.Handler {
	https := strings.HasPrefix(strings.ToLower(baseURL), "https://")
	return func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentSecurityPolicy, contentSecurityPolicy)
		c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
		c.Set(fiber.HeaderReferrerPolicy, "strict-origin-when-cross-origin")
		c.Set(fiber.HeaderXFrameOptions, "DENY")
		c.Set("Cross-Origin-Opener-Policy", "same-origin")
		if https {
			c.Set(fiber.HeaderStrictTransportSecurity, "max-age=63072000; includeSubDomains")
		}
		if strings.HasPrefix(c.Path(), "/api") {
			c.Set(fiber.HeaderCacheControl, "no-store")
		}
		return c.Next()
	}
}
