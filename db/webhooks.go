package db

import (
	"context"
	"strings"
	"time"

	"github.com/copbank/copbank/domain"
)

type webhookRow struct {
	ID        string `gorm:"primaryKey"`
	URL       string
	Events    string
	Secret    string
	CreatedBy string
	CreatedAt time.Time
}

func (webhookRow) TableName() string { return "webhooks" }

func (r webhookRow) toDomain() domain.Webhook {
	var events []string
	if r.Events != "" {
		events = strings.Split(r.Events, ",")
	}
	return domain.Webhook{ID: r.ID, URL: r.URL, Events: events, Secret: r.Secret, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC()}
}

type webhookDeliveryRow struct {
	ID        string `gorm:"primaryKey"`
	WebhookID string
	Event     string
	EventKey  string
	Body      string
	CreatedAt time.Time
}

func (webhookDeliveryRow) TableName() string { return "webhook_deliveries" }

type webhookAttemptRow struct {
	ID         string `gorm:"primaryKey"`
	WebhookID  string
	DeliveryID string
	Attempt    int
	At         time.Time
	StatusCode *int
	Error      string
	DurationMs int64
}

func (webhookAttemptRow) TableName() string { return "webhook_attempts" }

// CreateWebhook stores a partner's endpoint (its secret already sealed).
func (s *Store) CreateWebhook(ctx context.Context, w domain.Webhook) error {
	row := webhookRow{ID: w.ID, URL: w.URL, Events: strings.Join(w.Events, ","), Secret: w.Secret,
		CreatedBy: w.CreatedBy, CreatedAt: w.CreatedAt.UTC()}
	return translate(s.db(ctx).Create(&row).Error)
}

// Webhooks lists every endpoint, oldest first.
func (s *Store) Webhooks(ctx context.Context) ([]domain.Webhook, error) {
	var rows []webhookRow
	if err := s.db(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.Webhook, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// WebhookByID finds an endpoint; ENotFound when there is none.
func (s *Store) WebhookByID(ctx context.Context, id string) (domain.Webhook, error) {
	var row webhookRow
	if err := s.db(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return domain.Webhook{}, translate(err)
	}
	return row.toDomain(), nil
}

// HasWebhookDelivery reports whether the endpoint already has a delivery
// for the event key.
func (s *Store) HasWebhookDelivery(ctx context.Context, webhookID, eventKey string) (bool, error) {
	var n int64
	err := s.db(ctx).Model(&webhookDeliveryRow{}).Where("webhook_id = ? AND event_key = ?", webhookID, eventKey).Count(&n).Error
	return n > 0, translate(err)
}

// CreateWebhookDelivery stores one event for one endpoint; the same event
// key twice for one endpoint is EConflict.
func (s *Store) CreateWebhookDelivery(ctx context.Context, d domain.WebhookDelivery) error {
	row := webhookDeliveryRow{ID: d.ID, WebhookID: d.WebhookID, Event: d.Event, EventKey: d.EventKey, Body: d.Body, CreatedAt: d.CreatedAt.UTC()}
	return translate(s.db(ctx).Create(&row).Error)
}

// WebhookDeliveryByID finds a delivery; ENotFound when there is none.
func (s *Store) WebhookDeliveryByID(ctx context.Context, id string) (domain.WebhookDelivery, error) {
	var r webhookDeliveryRow
	if err := s.db(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return domain.WebhookDelivery{}, translate(err)
	}
	return domain.WebhookDelivery{ID: r.ID, WebhookID: r.WebhookID, Event: r.Event, EventKey: r.EventKey, Body: r.Body, CreatedAt: r.CreatedAt.UTC()}, nil
}

// RecordWebhookAttempt logs one try at sending a delivery.
func (s *Store) RecordWebhookAttempt(ctx context.Context, a domain.WebhookAttempt) error {
	row := webhookAttemptRow{ID: a.ID, WebhookID: a.WebhookID, DeliveryID: a.DeliveryID, Attempt: a.Attempt, At: a.At.UTC(),
		StatusCode: a.StatusCode, Error: a.Error, DurationMs: a.Duration.Milliseconds()}
	return translate(s.db(ctx).Create(&row).Error)
}

// WebhookAttempts lists an endpoint's attempts newest first, those before
// the attempt id `before` when it is given, up to limit.
func (s *Store) WebhookAttempts(ctx context.Context, webhookID, before string, limit int) ([]domain.WebhookAttempt, error) {
	type attemptRow struct {
		ID, WebhookID, DeliveryID string
		Attempt                   int
		At                        time.Time
		StatusCode                *int
		Error                     string
		DurationMs                int64
		Event                     string
	}
	q := s.db(ctx).Table("webhook_attempts AS a").
		Select("a.id, a.webhook_id, a.delivery_id, a.attempt, a.at, a.status_code, a.error, a.duration_ms, d.event").
		Joins("JOIN webhook_deliveries d ON d.id = a.delivery_id").Where("a.webhook_id = ?", webhookID)
	if before != "" {
		q = q.Where("a.id < ?", before)
	}
	var rows []attemptRow
	if err := q.Order("a.id DESC").Limit(limit).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.WebhookAttempt, len(rows))
	for i, r := range rows {
		out[i] = domain.WebhookAttempt{ID: r.ID, WebhookID: r.WebhookID, DeliveryID: r.DeliveryID, Event: r.Event, Attempt: r.Attempt,
			At: r.At.UTC(), StatusCode: r.StatusCode, Error: r.Error, Duration: time.Duration(r.DurationMs) * time.Millisecond}
	}
	return out, nil
}

// DeleteWebhook removes an endpoint with its deliveries and delivery log.
func (s *Store) DeleteWebhook(ctx context.Context, id string) error {
	res := s.db(ctx).Where("id = ?", id).Delete(&webhookRow{})
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.Errorf(domain.ENotFound, "no such webhook")
	}
	return nil
}
