package db_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/domain"
)

func claim(t *testing.T, s *db.Store, k domain.MessageKey, now time.Time) db.NotificationState {
	t.Helper()
	var state db.NotificationState
	err := s.InTx(context.Background(), func(tx *db.Store) error {
		var err error
		state, err = tx.ClaimNotification(context.Background(), k, now, 2*time.Minute)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return state
}

func TestAMessageKeyIsClaimedByOneWorkerAtATimeAndTakenOverOnlyAfterTheLease(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		now := time.Date(2027, 1, 4, 21, 0, 0, 0, time.UTC)
		k := domain.MessageKey{Event: "booking.reminder.24h/b1/1", Recipient: "m1", Channel: "sms"}

		if got := claim(t, s, k, now); got != db.NotificationNew {
			t.Fatalf("first claim: %q, want new", got)
		}
		if got := claim(t, s, k, now.Add(time.Minute)); got != db.NotificationTaken {
			t.Fatalf("a claim a minute after another's: %q, want taken", got)
		}
		// The first worker died mid-send: after the lease the message is
		// another's, as a possible repeat, and that claim holds in turn.
		if got := claim(t, s, k, now.Add(3*time.Minute)); got != db.NotificationSending {
			t.Fatalf("a claim after the lease: %q, want sending (taken over)", got)
		}
		if got := claim(t, s, k, now.Add(4*time.Minute)); got != db.NotificationTaken {
			t.Fatalf("a claim within the new lease: %q, want taken", got)
		}
		if err := s.MarkNotificationSent(ctx, k, now.Add(4*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if got := claim(t, s, k, now.Add(time.Hour)); got != db.NotificationSent {
			t.Fatalf("after sending: %q, want sent", got)
		}

		// A refused send releases its claim: the retry is a fresh send.
		k2 := domain.MessageKey{Event: "digest.weekly/2027-W01", Recipient: "m1", Channel: "email"}
		claim(t, s, k2, now)
		if err := s.ReleaseNotification(ctx, k2); err != nil {
			t.Fatal(err)
		}
		if got := claim(t, s, k2, now.Add(time.Second)); got != db.NotificationNew {
			t.Fatalf("after a release: %q, want new", got)
		}
		// Releasing a sent message changes nothing.
		if err := s.MarkNotificationSent(ctx, k2, now); err != nil {
			t.Fatal(err)
		}
		if err := s.ReleaseNotification(ctx, k2); err != nil {
			t.Fatal(err)
		}
		if got := claim(t, s, k2, now.Add(time.Hour)); got != db.NotificationSent {
			t.Fatalf("a sent message after a release: %q, want sent", got)
		}
	})
}

func TestOfWorkersClaimingOneMessageAtOnceExactlyOneSendsIt(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		now := time.Date(2027, 1, 4, 12, 0, 0, 0, time.UTC)
		for round := range 5 {
			k := domain.MessageKey{Event: "holding.expiry.14d/clearance/c1/2027-01-18", Recipient: "m1", Channel: "email"}
			k.Event += string(rune('a' + round))
			const workers = 8
			states := make([]db.NotificationState, workers)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					states[i] = claim(t, s, k, now)
				}()
			}
			close(start)
			wg.Wait()
			senders := 0
			for _, st := range states {
				switch st {
				case db.NotificationNew, db.NotificationSending:
					senders++
				case db.NotificationTaken:
				default:
					t.Errorf("a concurrent claim returned %q", st)
				}
			}
			if senders != 1 {
				t.Fatalf("round %d: %d workers would send, want exactly 1 (%v)", round, senders, states)
			}
		}
	})
}
