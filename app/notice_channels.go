package app

import "time"

// Notification channels. Every channel is a Notifier — one small interface,
// Send(ctx, Message) — and the App holds one per channel: Notify for email,
// SMS for texts. Both log by default, so `make run` needs nothing; the
// composition root replaces them with app/smtpmail when COPBANK_SMTP_URL is
// set and app/govuknotify when COPBANK_NOTIFY_API_KEY is. A member chooses per kind of message which
// channels it goes by (domain.Preferences.Notices; email on, SMS off by
// default), and texts keep quiet hours.

// Channel names, as in message keys and member preferences.
const (
	channelSMS = "sms"
)

// Kinds of message a member sets channels for.
const (
	NoticeBooking  = "booking"  // their booking changed
	NoticeReminder = "reminder" // a shift of theirs is near
	NoticeDigest   = "digest"   // new shifts near them
	NoticeExpiry   = "expiry"   // a clearance or skill runs out
)

// noticeKinds and noticeChannels are what a member's notice preferences may name.
var (
	noticeKinds    = []string{NoticeBooking, NoticeReminder, NoticeDigest, NoticeExpiry}
	noticeChannels = []string{channelEmail, channelSMS}
)

// Quiet hours for SMS, local time: none from quietFrom until quietTo unless
// the shift starts within quietUnless.
const (
	quietFrom   = 21
	quietTo     = 8
	quietUnless = 12 * time.Hour
)

// SMSHeldUntil reports whether a text about a shift starting at start must
// wait at now, being within quiet hours (21:00–08:00 in loc) with the shift
// more than 12 hours off, and if so until when: the next 08:00, or 12 hours
// before the shift if that comes first.
func SMSHeldUntil(now, start time.Time, loc *time.Location) (time.Time, bool) {
	if !start.IsZero() && start.Sub(now) <= quietUnless {
		return time.Time{}, false
	}
	local := now.In(loc)
	h := local.Hour()
	if h >= quietTo && h < quietFrom {
		return time.Time{}, false
	}
	day := local
	if h >= quietFrom {
		day = local.AddDate(0, 0, 1)
	}
	until := time.Date(day.Year(), day.Month(), day.Day(), quietTo, 0, 0, 0, loc)
	if !start.IsZero() {
		if early := start.Add(-quietUnless); early.Before(until) {
			until = early
		}
	}
	return until, true
}
