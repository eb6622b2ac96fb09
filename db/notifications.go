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
	ClaimedAt *time.Time
	SentAt    *time.Time
}

func (notificationRow) TableName() string { return "notifications_sent" }

// NotificationState is how far a message's sending got.
type NotificationState string

const (
	NotificationNew     NotificationState = ""        // never tried
	NotificationSending NotificationState = "sending" // handed to the channel, not yet recorded as sent
	NotificationSent    NotificationState = "sent"
	// NotificationTaken: another worker claimed it moments ago (two sweeps
	// overlapping across a change of River leader) and may be sending it.
	NotificationTaken NotificationState = "taken"
)

// ClaimNotification records that the message keyed by k is about to be
// sent and returns the state it had before: NotificationNew the first time;
// NotificationSent when it went out already (the caller sends nothing);
// NotificationTaken when another worker claimed it less than lease ago and
// may be sending it now (the caller tries again later); NotificationSending
// when an older claim was left by a crash between handing the message over
// and MarkNotificationSent — the claim is now the caller's, who sends again.
func (s *Store) ClaimNotification(ctx context.Context, k domain.MessageKey, now time.Time, lease time.Duration) (NotificationState, error) {
	now = now.UTC()
	var rows []notificationRow
	q := s.db(ctx).Where("event = ? AND recipient = ? AND channel = ?", k.Event, k.Recipient, k.Channel)
	if s.dialect == Postgres {
		q = q.Clauses(lockForUpdate)
	}
	if err := q.Find(&rows).Error; err != nil {
		return "", translate(err)
	}
	if len(rows) > 0 {
		r := rows[0]
		switch {
		case r.State == string(NotificationSent):
			return NotificationSent, nil
		case r.ClaimedAt != nil && r.ClaimedAt.After(now.Add(-lease)):
			return NotificationTaken, nil
		}
		err := s.db(ctx).Model(&notificationRow{}).
			Where("event = ? AND recipient = ? AND channel = ?", k.Event, k.Recipient, k.Channel).
			Update("claimed_at", now).Error
		return NotificationSending, translate(err)
	}
	row := notificationRow{Event: k.Event, Recipient: k.Recipient, Channel: k.Channel, State: string(NotificationSending), CreatedAt: now, ClaimedAt: &now}
	res := s.db(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return "", translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return NotificationTaken, nil // claimed between our look and our insert
	}
	return NotificationNew, nil
}

// ReleaseNotification forgets the claim on k after its channel refused the
// message, so that a retry sends it as new rather than as a possible repeat.
func (s *Store) ReleaseNotification(ctx context.Context, k domain.MessageKey) error {
	err := s.db(ctx).Where("event = ? AND recipient = ? AND channel = ? AND state = ?", k.Event, k.Recipient, k.Channel, string(NotificationSending)).
		Delete(&notificationRow{}).Error
	return translate(err)
}

// MarkNotificationSent records that the message keyed by k went out.
func (s *Store) MarkNotificationSent(ctx context.Context, k domain.MessageKey, now time.Time) error {
	at := now.UTC()
	err := s.db(ctx).Model(&notificationRow{}).
		Where("event = ? AND recipient = ? AND channel = ?", k.Event, k.Recipient, k.Channel).
		Updates(map[string]any{"state": string(NotificationSent), "sent_at": at}).Error
	return translate(err)
}

// SentChannels are the channels by which the message of event went to
// recipient already.
func (s *Store) SentChannels(ctx context.Context, event, recipient string) ([]string, error) {
	var chans []string
	err := s.db(ctx).Model(&notificationRow{}).Where("event = ? AND recipient = ? AND state = ?", event, recipient, string(NotificationSent)).
		Pluck("channel", &chans).Error
	return chans, translate(err)
}
