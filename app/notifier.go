package app

import (
	"context"
	"log/slog"
)

// Message is one notification to a person.
type Message struct {
	To      string // an email address
	Subject string
	Text    string
	Link    string // the link the message carries, if any
	// Phone is the number a text goes to.
	Phone string
	// Reference identifies the message to the provider (Notify's reference).
	Reference string
	// HTML is the email's HTML part; empty sends plain text alone.
	HTML string
	// Attachments go with an email (a booking's .ics).
	Attachments []Attachment
}

// Attachment is a file sent with an email.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// Notifier delivers messages to people, one channel per implementation:
// LogNotifier here, email in app/smtpmail, texts in app/govuknotify.
type Notifier interface {
	// Send delivers m or returns why it could not.
	Send(ctx context.Context, m Message) error
}

// LogNotifier "sends" a message by logging it, link included, so that
// whoever runs copbank locally can follow invitation and reset links.
type LogNotifier struct{ Log *slog.Logger }

// Send logs m at info level; it never fails.
func (n LogNotifier) Send(ctx context.Context, m Message) error {
	n.Log.InfoContext(ctx, "notification (not sent: no mail transport configured)",
		"to", m.To, "phone", m.Phone, "subject", m.Subject, "link", m.Link, "text", m.Text, "attachments", len(m.Attachments))
	return nil
}
