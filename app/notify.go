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
}

// Notifier delivers messages to people. LogNotifier is the default; issue 7
// adds email and SMS.
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
		"to", m.To, "subject", m.Subject, "link", m.Link, "text", m.Text)
	return nil
}
