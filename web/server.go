package web

import (
	"context"
	"html/template"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/copbank/copbank/app"
)

// Server is copbank's HTTP server.
type Server struct {
	app   *app.App
	fiber *fiber.App
	log   *slog.Logger
	pages map[string]*template.Template
}

// New builds the server and its route table.
func New(a *app.App, log *slog.Logger) *Server {
	s := &Server{app: a, log: log, pages: parsePages()}
	s.fiber = fiber.New(fiber.Config{
		AppName:               "copbank",
		ErrorHandler:          errorHandler(log, s.renderErrorPage),
		BodyLimit:             a.Config.BodyLimit,
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		// Behind a proxy set ProxyHeader deliberately; never trust a forged
		// X-Forwarded-For by default.
		EnableTrustedProxyCheck: true,
	})
	s.fiber.Use(withRequestID)
	s.fiber.Use(securityHeaders(a.Config.BaseURL))
	s.fiber.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: func(c *fiber.Ctx, e any) {
		log.Error("panic", "request_id", requestID(c), "panic", e)
	}}))
	s.fiber.Use(accessLog(log))
	s.routes()
	return s
}

// Fiber exposes the underlying app for tests (app.Test).
func (s *Server) Fiber() *fiber.App { return s.fiber }

// Listen serves on addr until Shutdown.
func (s *Server) Listen(addr string) error { return s.fiber.Listen(addr) }

// Shutdown stops accepting connections and waits for in-flight requests.
func (s *Server) Shutdown(ctx context.Context) error { return s.fiber.ShutdownWithContext(ctx) }
