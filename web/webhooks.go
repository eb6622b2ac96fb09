package web

import (
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

type webhookRequest struct {
	URL    string   `json:"url" validate:"required"`
	Events []string `json:"events"`
}

type webhookJSON struct {
	ID        string    `json:"id"`
	URL       string    `json:"url"`
	Events    []string  `json:"events"`
	CreatedAt time.Time `json:"created_at"`
}

// webhookCreatedJSON is the registration's answer, the one with the secret.
type webhookCreatedJSON struct {
	ID        string    `json:"id"`
	URL       string    `json:"url"`
	Events    []string  `json:"events"`
	CreatedAt time.Time `json:"created_at"`
	Secret    string    `json:"secret"`
}

type webhookAttemptJSON struct {
	ID         string    `json:"id"`
	DeliveryID string    `json:"delivery_id"`
	Event      string    `json:"event"`
	Attempt    int       `json:"attempt"`
	At         time.Time `json:"at"`
	StatusCode *int      `json:"status_code"`
	Error      string    `json:"error,omitempty"`
	DurationMS int64     `json:"duration_ms"`
}

func renderWebhook(w domain.Webhook) webhookJSON {
	return webhookJSON{ID: w.ID, URL: w.URL, Events: w.Events, CreatedAt: w.CreatedAt}
}

func renderWebhookAttempt(a domain.WebhookAttempt) webhookAttemptJSON {
	return webhookAttemptJSON{ID: a.ID, DeliveryID: a.DeliveryID, Event: a.Event, Attempt: a.Attempt, At: a.At,
		StatusCode: a.StatusCode, Error: a.Error, DurationMS: a.Duration.Milliseconds()}
}

func (s *Server) registerWebhook(c *fiber.Ctx) error {
	var req webhookRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	w, err := s.app.RegisterWebhook(c.UserContext(), principal(c), app.NewWebhook{URL: req.URL, Events: req.Events})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(webhookCreatedJSON{ID: w.ID, URL: w.URL, Events: w.Events, CreatedAt: w.CreatedAt, Secret: w.Secret})
}

func (s *Server) listWebhooks(c *fiber.Ctx) error {
	hooks, err := s.app.Webhooks(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	out := page[webhookJSON]{Items: make([]webhookJSON, len(hooks))}
	for i, w := range hooks {
		out.Items[i] = renderWebhook(w)
	}
	return c.JSON(out)
}

func (s *Server) webhookDeliveries(c *fiber.Ctx) error {
	after, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	log, err := s.app.WebhookAttempts(c.UserContext(), principal(c), c.Params("id"), after, limit+1)
	if err != nil {
		return err
	}
	return c.JSON(newPage(log, limit, func(a domain.WebhookAttempt) string { return a.ID }, renderWebhookAttempt))
}

// The admin's page: the endpoints with their latest attempts, and the form
// that registers one and shows its secret once.

// webhookLogShown is how many attempts the page shows per endpoint.
const webhookLogShown = 20

type adminWebhookRow struct {
	ID, URL, Events string
	Attempts        []adminWebhookAttempt
}

type adminWebhookAttempt struct {
	At, Event, Outcome, Duration string
	Attempt                      int
}

type adminWebhooksData struct {
	Hooks     []adminWebhookRow
	URL       inputField
	Events    choiceGroup
	NewSecret string
	NewURL    string
}

func (s *Server) adminWebhooksView(c *fiber.Ctx, url string, picked []string) (*adminWebhooksData, error) {
	ctx, p := c.UserContext(), principal(c)
	hooks, err := s.app.Webhooks(ctx, p)
	if err != nil {
		return nil, err
	}
	d := &adminWebhooksData{
		URL: inputField{ID: "url", Name: "url", Label: "Endpoint address", Type: "url", Value: url, Autocomplete: "off",
			Hint: "An https address on the partner's server, such as https://partner.example.org/copbank"},
	}
	var opts []choice
	for _, e := range domain.WebhookEvents {
		opts = append(opts, choice{Value: e, Label: e})
	}
	d.Events = newGroup("events", "Events to send", "Tick none to send every event", "checkbox", opts, picked)
	zone := s.app.Config.TimeZone
	for _, h := range hooks {
		row := adminWebhookRow{ID: h.ID, URL: h.URL, Events: "every event"}
		if len(h.Events) < len(domain.WebhookEvents) {
			row.Events = strings.Join(h.Events, ", ")
		}
		log, err := s.app.WebhookAttempts(ctx, p, h.ID, "", webhookLogShown)
		if err != nil {
			return nil, err
		}
		for _, a := range log {
			out := a.Error
			if a.StatusCode != nil {
				out = fmt.Sprintf("answered %d", *a.StatusCode)
			}
			row.Attempts = append(row.Attempts, adminWebhookAttempt{At: a.At.In(zone).Format("2 Jan 2006 15:04:05"), Event: a.Event,
				Outcome: out, Duration: fmt.Sprintf("%d ms", a.Duration.Milliseconds()), Attempt: a.Attempt})
		}
		d.Hooks = append(d.Hooks, row)
	}
	return d, nil
}

func (s *Server) adminWebhooksPage(c *fiber.Ctx) error {
	d, err := s.adminWebhooksView(c, "", nil)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "admin_webhooks", pageView{Title: "Webhooks", Nav: "admin-webhooks", Data: d})
}

// postWebhookPage registers an endpoint and answers with the page itself,
// not a redirect, so the secret is shown once and stored nowhere else.
func (s *Server) postWebhookPage(c *fiber.Ctx) error {
	var picked []string
	for _, v := range c.Request().PostArgs().PeekMulti("events") {
		picked = append(picked, string(v))
	}
	url := c.FormValue("url")
	w, err := s.app.RegisterWebhook(c.UserContext(), principal(c), app.NewWebhook{URL: url, Events: picked})
	if err != nil {
		d, verr := s.adminWebhooksView(c, url, picked)
		if verr != nil {
			return verr
		}
		fields, ok := appFieldErrors(err, map[string]pageField{"": {ID: "url"}, "url": {ID: "url", Label: "Endpoint address"},
			"events": {ID: "events", Label: "Events"}})
		if !ok {
			return err
		}
		errs := formErrors{}
		for _, fe := range fields {
			errs.add(fe.Field, fe.Message)
		}
		d.URL.Error, d.Events.Error = errs["url"], errs["events"]
		return s.render(c, fiber.StatusUnprocessableEntity, "admin_webhooks", pageView{Title: "Webhooks", Nav: "admin-webhooks",
			Data: d, Errors: errs.summary([]string{"url", "events"})})
	}
	d, err := s.adminWebhooksView(c, "", nil)
	if err != nil {
		return err
	}
	d.NewSecret, d.NewURL = w.Secret, w.URL
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, fiber.StatusCreated, "admin_webhooks", pageView{Title: "Webhooks", Nav: "admin-webhooks", Data: d})
}
