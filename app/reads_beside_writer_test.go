package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/domain"
)

// On SQLite one write transaction holds the file's one write lock from its
// first statement to its end. Reads must not wait for it: a member's own
// page, their bookings and a shift search are answered while a writer is
// stopped half-way (on a channel, so a read that queued would never
// return). The audited vetting read reads beside the writer too, and its
// one insert takes the lock only after; its entry is there when it answers.
func TestReadsDoNotQueueBehindAWriteTransaction(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w := newRefWorld(t, s)
		a := w.app
		m := w.member(t, "reader@example.org", "DARL-N1", domain.KindVolunteer)
		vol := signedIn(t, w, m)
		start := a.Now().Add(72 * time.Hour).In(time.UTC).Truncate(time.Hour)
		coord := coordinator(t, w)
		d, err := a.PostDemand(ctx, coord, app.DemandInput{Title: "Park watch", ProblemType: "asb", Area: "DARL-N1", Priority: 3,
			BookingMode: "open", TimeZone: "UTC", StartLocal: start.Format("2006-01-02T15:04"),
			EndLocal:  start.Add(3 * time.Hour).Format("2006-01-02T15:04"),
			Positions: []app.PositionInput{{Name: "Patrol", Kinds: []string{"volunteer"}, Headcount: 3}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Book(ctx, vol, app.BookInput{ShiftID: d.Shifts[0].ID, PositionID: d.Positions[0].ID}); err != nil {
			t.Fatal(err)
		}

		holding, release, written := make(chan struct{}), make(chan struct{}), make(chan error, 1)
		go func() {
			written <- s.InTx(ctx, func(tx *db.Store) error {
				if err := tx.AppendAudit(ctx, domain.AuditEntry{ID: app.NewID(), At: a.Now(), ActorLabel: "system",
					Action: "test.hold", Entity: "test", EntityID: "writer"}); err != nil {
					return err
				}
				close(holding)
				<-release
				return nil
			})
		}()
		<-holding
		if c, err := a.MyContact(ctx, vol); err != nil || c == nil || c.ID != m.ID {
			t.Errorf("the member's own contact page beside a writer: %+v, %v", c, err)
		}
		if bs, err := a.MemberBookings(ctx, vol, m.ID, "", 10); err != nil || len(bs) != 1 {
			t.Errorf("the member's bookings beside a writer: %d, %v", len(bs), err)
		}
		if shifts, err := a.FindShifts(ctx, vol, app.ShiftQuery{Area: "DARL", Limit: 10}); err != nil || len(shifts) != 1 {
			t.Errorf("a shift search beside a writer: %d shift(s), %v", len(shifts), err)
		}
		close(release)
		if err := <-written; err != nil {
			t.Fatal(err)
		}

		detail, err := a.Member(ctx, coord, m.ID)
		if err != nil || detail.ID != m.ID {
			t.Fatalf("member detail: %+v, %v", detail, err)
		}
		entries, err := a.AuditLog(ctx, w.admin, domain.AuditFilter{Action: "member.read_vetting", MemberID: m.ID, Limit: 10})
		if err != nil || len(entries) != 1 || entries[0].ActorUserID != coord.User.ID {
			t.Errorf("the vetting read's audit entries: %+v, %v", entries, err)
		}
	})
}

// Vetting reads that arrive together share their audit transaction, and
// each answers only once its own entry is written.
func TestVettingReadsAtOnceAreEachAuditedBeforeTheyAnswer(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w := newRefWorld(t, s)
		a := w.app
		coord := coordinator(t, w)
		const n = 12
		members := make([]domain.Member, n)
		for i := range members {
			members[i] = w.member(t, fmt.Sprintf("vetted%d@example.org", i), "DARL-N1", domain.KindVolunteer)
		}
		errs := make(chan error, n)
		for _, m := range members {
			go func() {
				if _, err := a.Member(ctx, coord, m.ID); err != nil {
					errs <- err
					return
				}
				entries, err := a.AuditLog(ctx, w.admin, domain.AuditFilter{Action: "member.read_vetting", MemberID: m.ID, Limit: 10})
				if err == nil && len(entries) != 1 {
					err = fmt.Errorf("member %s answered with %d audit entries written, want 1", m.ID, len(entries))
				}
				errs <- err
			}()
		}
		for range members {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
	})
}
