package web

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// webhooksRoutes: partners' endpoints (API) and the admin's page of them.
func (s *Server) webhooksRoutes() []route {
	return []route{
		{method: fiber.MethodGet, path: "/api/v1/webhooks", handler: s.listWebhooks, tag: "webhooks",
			summary: "The registered partner endpoints, without their secrets (admins)", response: page[webhookJSON]{}},
		{method: fiber.MethodPost, path: "/api/v1/webhooks", handler: s.registerWebhook, tag: "webhooks",
			summary: "Register a partner endpoint (admins); the answer carries its signing secret, shown this once",
			request: webhookRequest{}, response: webhookCreatedJSON{}, status: http.StatusCreated,
			about: "Events left out means every event. Each delivery is a POST of `{id, event, occurred_at, data}` with " +
				"`X-Copbank-Event`, `X-Copbank-Delivery` (the same on every retry) and `X-Copbank-Signature: sha256=<lowercase hex of " +
				"HMAC-SHA256(secret, raw body)>`; an answer other than 2xx is retried with backoff. Outside development the url " +
				"must be https and not name localhost or a loopback, private or link-local address (422 naming url)."},
		{method: fiber.MethodGet, path: "/api/v1/webhooks/:id/deliveries", handler: s.webhookDeliveries, tag: "webhooks",
			summary:  "An endpoint's delivery log: every attempt, newest first, with its status or error and duration (admins)",
			response: page[webhookAttemptJSON]{}, query: pageParams},
		{method: fiber.MethodDelete, path: "/api/v1/webhooks/:id", handler: s.deleteWebhook, tag: "webhooks",
			summary: "Remove a partner endpoint (admins): nothing more is sent to it", status: http.StatusNoContent,
			about: "Its deliveries and delivery log go with it; deliveries still queued are dropped."},
		{method: fiber.MethodPost, path: "/admin/webhooks/:id/remove", handler: s.adminOnly(s.removeWebhookPage), access: signedInPage},
		{method: fiber.MethodGet, path: "/admin/webhooks", handler: s.adminOnly(s.adminWebhooksPage), access: signedInPage},
		{method: fiber.MethodPost, path: "/admin/webhooks", handler: s.adminOnly(s.postWebhookPage), access: signedInPage},
	}
}
