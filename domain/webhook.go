package domain

import (
	"slices"
	"time"
)

// Events a partner's endpoint can be sent.
const (
	EventBookingConfirmed = "booking.confirmed"
	EventBookingCancelled = "booking.cancelled"
	EventBookingOffered   = "booking.offered"
	EventDemandPosted     = "demand.posted"
	EventDemandChanged    = "demand.changed"
	EventDemandCancelled  = "demand.cancelled"
	EventShiftAtRisk      = "shift.at_risk"
)

// WebhookEvents are every event an endpoint may subscribe to, in the order
// lists show them.
var WebhookEvents = []string{EventBookingConfirmed, EventBookingCancelled, EventBookingOffered,
	EventDemandPosted, EventDemandChanged, EventDemandCancelled, EventShiftAtRisk}

// Webhook is a partner's endpoint. Secret is sealed at rest; only the
// registration sees it in the clear.
type Webhook struct {
	ID        string
	URL       string
	Events    []string
	Secret    string
	CreatedBy string
	CreatedAt time.Time
}

// Wants reports whether the endpoint subscribed to event.
func (w Webhook) Wants(event string) bool {
	return slices.Contains(w.Events, event)
}

// WebhookDelivery is one event for one endpoint, with the exact body that
// every attempt sends.
type WebhookDelivery struct {
	ID        string
	WebhookID string
	Event     string
	EventKey  string
	Body      string
	CreatedAt time.Time
}

// WebhookAttempt is one try at sending a delivery: StatusCode is the
// endpoint's answer, nil when there was none (Error says why).
type WebhookAttempt struct {
	ID         string
	WebhookID  string
	DeliveryID string
	Event      string
	Attempt    int
	At         time.Time
	StatusCode *int
	Error      string
	Duration   time.Duration
}
