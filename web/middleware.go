package web

import (
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

const (
	localsRequestID = "request_id"
	localsPrincipal = "principal"
)

func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals(localsRequestID).(string)
	return id
}

// withRequestID keeps a caller's X-Request-ID when it is sane, so a request
// can be followed across proxies, and makes one otherwise.
func withRequestID(c *fiber.Ctx) error {
	id := c.Get(fiber.HeaderXRequestID)
	if id == "" || len(id) > 64 || strings.ContainsAny(id, " \t\r\n") {
		id = app.NewID()
	}
	c.Locals(localsRequestID, id)
	c.Set(fiber.HeaderXRequestID, id)
	// The use cases write both to the audit log.
	c.SetUserContext(app.WithRequest(c.UserContext(), id, c.IP()))
	return c.Next()
}

func accessLog(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		status := c.Response().StatusCode()
		if err != nil {
			status = problemFor(err).Status
		}
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		log.Log(c.UserContext(), level, "request",
			"request_id", requestID(c), "method", c.Method(), "path", loggedPath(c.Path()),
			"status", status, "duration_ms", time.Since(start).Milliseconds(), "ip", c.IP())
		return err
	}
}

// principal is the authenticated caller, or nil.
func principal(c *fiber.Ctx) *domain.Principal {
	p, _ := c.Locals(localsPrincipal).(*domain.Principal)
	return p
}

// authenticate resolves a bearer token, if any, without requiring one.
func (s *Server) authenticate(c *fiber.Ctx) error {
	h := c.Get(fiber.HeaderAuthorization)
	if h == "" {
		return c.Next()
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return domain.Errorf(domain.EUnauthorized, "use an Authorization: Bearer <token> header")
	}
	p, err := s.app.Authenticate(c.UserContext(), strings.TrimSpace(token))
	if err != nil {
		return err
	}
	c.Locals(localsPrincipal, p)
	return c.Next()
}

// requireAuth refuses anonymous callers.
func requireAuth(c *fiber.Ctx) error {
	if principal(c) == nil {
		return domain.Errorf(domain.EUnauthorized, "sign in first: POST /api/v1/auth/login, then send the token as Authorization: Bearer <token>")
	}
	return c.Next()
}

// loggedPath hides secrets that travel in a path: a calendar feed's token is
// the feed's only key, so it never reaches the logs.
func loggedPath(path string) string {
	if strings.HasPrefix(path, "/calendar/") {
		return "/calendar/…"
	}
	for _, prefix := range []string{withdrawPagePrefix, invitePagePrefix, resetPagePrefix} {
		if strings.HasPrefix(path, prefix) {
			return prefix + "…"
		}
	}
	return path
}
