package db

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/copbank/copbank/domain"
)

type notificationRow struct {
	Event     string
	Recipient string
	Channel   string
	State     string
	CreatedAt time.Time
	SentAt    *time.Time
}

func (notificationRow) TableName() string { return "notifications_sent" }

// NotificationState is how far a message's sending got.
type NotificationState string

const (
	NotificationNew     NotificationState = ""        // never tried
	NotificationSending NotificationState = "sending" // handed to the channel, not yet recorded as sent
	NotificationSent    NotificationState = "sent"
)

// ClaimNotification records that the message keyed by k is about to be
// sent and returns the state it had before: NotificationNew the first time,
// NotificationSending after a crash between handing it over and MarkNotificationSent,
// NotificationSent when it went out already (the caller sends nothing).
func (s *Store) ClaimNotification(ctx context.Context, k domain.MessageKey, now time.Time) (NotificationState, error) {
	var rows []notificationRow
	q := s.db(ctx).Where("event = ? AND recipient = ? AND channel = ?", k.Event, k.Recipient, k.Channel)
	if s.dialect == Postgres {
		q = q.Clauses(lockForUpdate)
	}
	if err := q.Find(&rows).Error; err != nil {
		return "", translate(err)
	}
	if len(rows) > 0 {
		return NotificationState(rows[0].State), nil
	}
	row := notificationRow{Event: k.Event, Recipient: k.Recipient, Channel: k.Channel, State: string(NotificationSending), CreatedAt: now.UTC()}
	// Another instance working the same key concurrently cannot happen (one
	// job per event), but a conflict must not fail the claim either.
	err := s.db(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error
	return NotificationNew, translate(err)
}

// MarkNotificationSent records that the message keyed by k went out.
func (s *Store) MarkNotificationSent(ctx context.Context, k domain.MessageKey, now time.Time) error {
	at := now.UTC()
	err := s.db(ctx).Model(&notificationRow{}).
		Where("event = ? AND recipient = ? AND channel = ?", k.Event, k.Recipient, k.Channel).
		Updates(map[string]any{"state": string(NotificationSent), "sent_at": at}).Error
	return translate(err)
}
