package app

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/riverqueue/river"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// A memberNotice is one thing a member is told, by each channel they chose
// for its kind (domain.Preferences.Notices). Booking notices, reminders,
// expiry warnings and the digest all go through tellMember, so every kind
// honours the member's channels, the send-once keys and quiet hours alike.
type memberNotice struct {
	kind  string // NoticeBooking, NoticeReminder, NoticeDigest or NoticeExpiry
	event string // the message key's event: the same on every retry
	msg   Message
	// smsText, if set, is what a text says instead of msg.Text (which may be
	// too long for one).
	smsText string
	// when is the shift's time in its own zone, for the email, if the notice
	// is about one; shiftStart and zone decide quiet hours for texts.
	when       string
	shiftStart time.Time
	zone       *time.Location
	// email, if set, makes the email version (templates and attachments are
	// only worth building when the member takes email).
	email func() (Message, error)
}

// tellMember sends n to m by each channel m chose, each once. A text that
// quiet hours hold back is not sent and comes back as held: the caller
// decides whether it waits for a later run of its own (a snoozed job, the
// next sweep) or for a heldText job.
func (a *App) tellMember(ctx context.Context, log *slog.Logger, m domain.Member, n memberNotice) (sent int, held *heldTextArgs, err error) {
	for _, ch := range m.Preferences.NoticeChannels(n.kind) {
		key := domain.MessageKey{Event: n.event, Recipient: m.ID, Channel: ch}
		switch ch {
		case channelEmail:
			if m.Email == "" {
				continue // anonymised
			}
			em := n.msg
			em.To = m.Email
			if n.email != nil {
				if em, err = n.email(); err != nil {
					return sent, held, err
				}
			} else if em, err = renderEmail(em, emailData{Name: m.Name, When: n.when}); err != nil {
				return sent, held, err
			}
			// The key names the message, so a repeat after a crash mid-send
			// carries the same Message-ID and the reader's client folds it.
			em.Reference = key.Event + " " + key.Recipient
			ok, err := a.deliverBy(ctx, log, a.Notify, key, em)
			if ok {
				sent++
			}
			if err != nil {
				return sent, held, err
			}
		case channelSMS:
			if m.Phone == "" {
				continue
			}
			sms := n.msg
			sms.To, sms.Phone, sms.Reference = "", m.Phone, n.event
			if n.smsText != "" {
				sms.Text = n.smsText
			}
			if until, quiet := SMSHeldUntil(a.Now(), n.shiftStart, n.zone); quiet {
				held = &heldTextArgs{Event: n.event, Recipient: m.ID, NoticeKind: n.kind,
					Subject: sms.Subject, Text: sms.Text, Link: sms.Link, Until: until}
				continue
			}
			ok, err := a.deliverBy(ctx, log, a.SMS, key, sms)
			if ok {
				sent++
			}
			if err != nil {
				return sent, held, err
			}
		}
	}
	return sent, held, nil
}

// heldTextArgs is a text kept back by quiet hours, sent when they end by a
// job scheduled for then. Sweeps that run while the text is held insert it
// again; River's uniqueness on (event, recipient) keeps one job, and the
// message key keeps one text.
type heldTextArgs struct {
	Event      string    `json:"event" river:"unique"`
	Recipient  string    `json:"recipient" river:"unique"`
	NoticeKind string    `json:"notice_kind"`
	Subject    string    `json:"subject"`
	Text       string    `json:"text"`
	Link       string    `json:"link"`
	Until      time.Time `json:"until"`
}

func (heldTextArgs) Kind() string { return "held_text" }

// holdText schedules h's text for when quiet hours end.
func (a *App) holdText(ctx context.Context, h *heldTextArgs) error {
	if silenced(ctx) {
		return nil
	}
	if a.jobs.err != nil {
		return a.jobs.err
	}
	_, err := a.jobs.client.Load().Insert(ctx, *h, &river.InsertOpts{
		ScheduledAt: h.Until,
		UniqueOpts:  river.UniqueOpts{ByArgs: true},
	})
	if err != nil {
		return fmt.Errorf("hold text %s: %w", h.Event, err)
	}
	return nil
}

type heldTextWorker struct {
	river.WorkerDefaults[heldTextArgs]
	a *App
}

// Work sends the held text to the member's number as it is now, unless they
// have since been erased, lost their number or turned texts off for this
// kind of message.
func (w *heldTextWorker) Work(ctx context.Context, job *river.Job[heldTextArgs]) error {
	a, h := w.a, job.Args
	m, err := a.store.MemberByID(ctx, h.Recipient)
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if m.Phone == "" || !slices.Contains(m.Preferences.NoticeChannels(h.NoticeKind), channelSMS) {
		return nil
	}
	key := domain.MessageKey{Event: h.Event, Recipient: m.ID, Channel: channelSMS}
	sms := Message{Phone: m.Phone, Reference: h.Event, Subject: h.Subject, Text: h.Text, Link: h.Link}
	_, err = a.deliverBy(ctx, a.jobLog(job.JobRow), a.SMS, key, sms)
	return err
}

// claimLease is how long a claim on a message keeps other workers from
// sending it: longer than any channel takes to accept one (their clients
// time out at 30 s), so a claim older than this was left by a crash.
const claimLease = 2 * time.Minute

// deliver sends m by email under key once; see deliverBy.
func (a *App) deliver(ctx context.Context, log *slog.Logger, key domain.MessageKey, m Message) (bool, error) {
	return a.deliverBy(ctx, log, a.Notify, key, m)
}

// deliverBy sends m through channel n under key once. The key is claimed
// before the channel is called and recorded as sent after, each in its own
// transaction: a retry after the record sends nothing; a claim another
// worker holds makes this one try again later; a send the channel refuses
// releases the claim for the retry; and only a crash between the channel's
// acceptance and the record can repeat the message, which is logged. It
// reports whether the message went this time.
func (a *App) deliverBy(ctx context.Context, log *slog.Logger, n Notifier, key domain.MessageKey, m Message) (bool, error) {
	if silenced(ctx) {
		var state db.NotificationState
		err := a.store.InTx(ctx, func(tx *db.Store) error {
			var err error
			if state, err = tx.ClaimNotification(ctx, key, a.Now(), claimLease); err != nil || state != db.NotificationNew {
				return err
			}
			return tx.MarkNotificationSent(ctx, key, a.Now())
		})
		return state == db.NotificationNew, err
	}
	var state db.NotificationState
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		var err error
		state, err = tx.ClaimNotification(ctx, key, a.Now(), claimLease)
		return err
	})
	if err != nil {
		return false, err
	}
	switch state {
	case db.NotificationSent:
		return false, nil
	case db.NotificationTaken:
		return false, fmt.Errorf("%s to %s by %s: another worker is sending it; trying again later", key.Event, key.Recipient, key.Channel)
	case db.NotificationSending:
		log.WarnContext(ctx, "sending a message again: an earlier attempt may have been delivered before it was recorded",
			"event", key.Event, "recipient", key.Recipient, "channel", key.Channel)
	}
	if err := n.Send(ctx, m); err != nil {
		if rerr := a.store.InTx(context.WithoutCancel(ctx), func(tx *db.Store) error {
			return tx.ReleaseNotification(ctx, key)
		}); rerr != nil {
			log.WarnContext(ctx, "could not release a failed message's claim: its retry waits for the lease", "event", key.Event, "error", rerr)
		}
		return false, fmt.Errorf("send %s to %s by %s: %w", key.Event, key.Recipient, key.Channel, err)
	}
	return true, a.store.InTx(ctx, func(tx *db.Store) error {
		return tx.MarkNotificationSent(ctx, key, a.Now())
	})
}

type silencedKey struct{}

// WithoutNotices marks ctx's work as told to nobody: the demo seed's
// made-up people are not sent a hundred confirmations of bookings written as
// history, and the messages its sweeps would send (reminders, expiry
// warnings, digests) are recorded as sent without going, so the first
// `make run` logs what happens from then on. Everything else about a change
// (audit, offer expiry) still happens.
func WithoutNotices(ctx context.Context) context.Context {
	return context.WithValue(ctx, silencedKey{}, true)
}

func silenced(ctx context.Context) bool {
	v, _ := ctx.Value(silencedKey{}).(bool)
	return v
}
