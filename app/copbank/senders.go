package main

import (
	"fmt"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/app/govuknotify"
	"github.com/copbank/copbank/app/smtpmail"
)

// senders builds the email and SMS channels the config names; a nil one
// leaves the App's default, which logs the message instead of sending it.
// They are built before the database is opened, so a bad URL or key stops
// the program as early as any other bad setting.
func senders(cfg app.Config) (email, sms app.Notifier, err error) {
	if cfg.SMTPURL != "" {
		n, err := smtpmail.New(cfg.SMTPURL, cfg.MailFrom)
		if err != nil {
			return nil, nil, fmt.Errorf("COPBANK_SMTP_URL: %w", err)
		}
		email = n
	}
	if cfg.NotifyAPIKey != "" {
		n, err := govuknotify.NewSMS(cfg.NotifyAPIKey, cfg.NotifyBaseURL, cfg.NotifySMSTemplateID)
		if err != nil {
			return nil, nil, fmt.Errorf("COPBANK_NOTIFY_API_KEY: %w", err)
		}
		sms = n
	}
	return email, sms, nil
}
