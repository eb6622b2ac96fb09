package app_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/domain"
)

// mailbox is a Notifier that keeps what it is given.
type mailbox struct {
	mu   sync.Mutex
	sent []app.Message
}

func (m *mailbox) Send(_ context.Context, msg app.Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, msg)
	return nil
}

func (m *mailbox) to(addr string) []app.Message {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []app.Message
	for _, msg := range m.sent {
		if msg.To == addr {
			out = append(out, msg)
		}
	}
	return out
}

func (m *mailbox) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.sent)
}

// openShifts posts an open-mode demand in DARL of n daily shifts, each with
// one position of headcount places, starting at start, and returns the
// (shift, position) pairs.
func openShifts(t *testing.T, w *refWorld, coord *domain.Principal, start time.Time, n, headcount int) [][2]string {
	t.Helper()
	london, _ := time.LoadLocation("Europe/London")
	s := start.In(london)
	in := app.DemandInput{Title: "Evening patrol", ProblemType: "asb", Area: "DARL", Priority: 3, BookingMode: "open",
		TimeZone: "Europe/London", StartLocal: s.Format("2006-01-02T15:04"), EndLocal: s.Add(3 * time.Hour).Format("2006-01-02T15:04"),
		Positions: []app.PositionInput{{Name: "Patrol", Kinds: []string{"volunteer"}, Headcount: headcount}}}
	if n > 1 {
		in.RRule = fmt.Sprintf("FREQ=DAILY;COUNT=%d", n)
	}
	d, err := w.app.PostDemand(context.Background(), coord, in)
	if err != nil {
		t.Fatalf("post demand: %v", err)
	}
	var out [][2]string
	for _, sh := range d.Shifts {
		out = append(out, [2]string{sh.ID, d.Positions[0].ID})
	}
	if len(out) != n {
		t.Fatalf("posted %d shifts, want %d", len(out), n)
	}
	return out
}

// coordinator is a signed-in coordinator of DARL with an account of their own
// (demands and bookings record who made them).
func coordinator(t *testing.T, w *refWorld) *domain.Principal {
	t.Helper()
	u, err := w.app.CreateUser(context.Background(), app.NewUser{Email: "coord@example.org", Name: "Coordinator",
		Password: "correct horse battery", Roles: []domain.Role{domain.RoleCoordinator}})
	if err != nil {
		t.Fatal(err)
	}
	return &domain.Principal{User: domain.User{ID: u.ID, Roles: u.Roles, Areas: []domain.Area{w.areas["DARL"]}}}
}

// signedIn is a member signed in with an account of their own.
func signedIn(t *testing.T, w *refWorld, m domain.Member) *domain.Principal {
	t.Helper()
	u, err := w.app.CreateUser(context.Background(), app.NewUser{Email: m.Email, Name: m.Name,
		Password: "correct horse battery", Roles: []domain.Role{domain.RoleMember}, MemberID: m.ID})
	if err != nil {
		t.Fatal(err)
	}
	return &domain.Principal{User: u}
}

// runJobs works the queue until the test ends.
func runJobs(t *testing.T, a *app.App) {
	t.Helper()
	stop, err := a.RunJobs(context.Background(), app.JobOptions{PollInterval: 50 * time.Millisecond, NoPeriodic: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := stop(ctx); err != nil {
			t.Errorf("stop jobs: %v", err)
		}
	})
}

// eventually polls cond until it holds or a minute passes (generous: a
// loaded CI machine running the suite under -race is slow, and only a
// failure waits that long).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	// A safety net, not a timing claim: under the race detector on a shared
	// machine a storm's notices can take well over a minute to drain.
	deadline := time.Now().Add(4 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func status(t *testing.T, a *app.App, p *domain.Principal, id string) domain.BookingStatus {
	t.Helper()
	v, err := a.Booking(context.Background(), p, id)
	if err != nil {
		t.Fatal(err)
	}
	return v.Booking.Status
}

func TestAnOfferNotAnsweredInTimeExpiresAndThePlaceGoesToTheWaitlist(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w := newRefWorld(t, s)
		a := w.app
		box := &mailbox{}
		a.Notify = box
		real := time.Now().UTC()
		a.Now = func() time.Time { return real }
		coord := coordinator(t, w)
		places := openShifts(t, w, coord, real.Add(72*time.Hour), 1, 1)
		offered, waiting := w.member(t, "ola@example.org", "DARL-N1", domain.KindVolunteer), w.member(t, "wai@example.org", "DARL-N1", domain.KindVolunteer)
		answered := w.member(t, "ans@example.org", "DARL-N1", domain.KindVolunteer)
		answeredPlaces := openShifts(t, w, coord, real.Add(96*time.Hour), 1, 1)
		waitingP, answeredP := signedIn(t, w, waiting), signedIn(t, w, answered)

		// Offered 13 hours ago by the app's clock: River's scheduled_at is an hour past.
		a.Now = func() time.Time { return real.Add(-13 * time.Hour) }
		offer, err := a.Book(ctx, coord, app.BookInput{ShiftID: places[0][0], PositionID: places[0][1], MemberID: offered.ID, Offer: true})
		if err != nil || offer.Booking.Status != domain.BookingOffered {
			t.Fatalf("offer: %+v, %v", offer, err)
		}
		queued, err := a.JoinWaitlist(ctx, waitingP, app.BookInput{ShiftID: places[0][0], PositionID: places[0][1]})
		if err != nil {
			t.Fatalf("join waitlist: %v", err)
		}
		// An offer answered in time is left alone by its expiry job.
		other, err := a.Book(ctx, coord, app.BookInput{ShiftID: answeredPlaces[0][0], PositionID: answeredPlaces[0][1], MemberID: answered.ID, Offer: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.AcceptOffer(ctx, answeredP, other.Booking.ID); err != nil {
			t.Fatal(err)
		}
		a.Now = func() time.Time { return real }
		runJobs(t, a)

		eventually(t, "the offer expires and the waitlisted member is promoted", func() bool {
			return status(t, a, coord, queued.Booking.ID) == domain.BookingConfirmed
		})
		if got := status(t, a, coord, offer.Booking.ID); got != domain.BookingExpired {
			t.Fatalf("the unanswered offer is %s, want expired", got)
		}
		eventually(t, "both members are told", func() bool {
			return len(box.to("ola@example.org")) == 2 && len(box.to("wai@example.org")) == 1 && len(box.to("ans@example.org")) == 2
		})
		if got := box.to("wai@example.org")[0].Subject; got[:len("A place came free")] != "A place came free" {
			t.Errorf("the promoted member's subject is %q", got)
		}
		subjects := []string{box.to("ola@example.org")[0].Subject[:len("Place offered")], box.to("ola@example.org")[1].Subject[:len("Offer lapsed")]}
		slices.Sort(subjects)
		if subjects[0] != "Offer lapsed" || subjects[1] != "Place offered" {
			t.Errorf("the offered member heard %q", subjects)
		}
		if got := status(t, a, coord, other.Booking.ID); got != domain.BookingConfirmed {
			t.Errorf("the accepted offer is %s, want still confirmed", got)
		}
		eventually(t, "the queue drains", func() bool { n, err := a.PendingJobs(ctx); return err == nil && n == 0 })
	})
}

func TestABookingThatRollsBackEnqueuesNothingAndOneThatCommitsAlwaysSends(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w := newRefWorld(t, s)
		a := w.app
		a.Now = func() time.Time { return time.Now().UTC() }
		places := openShifts(t, w, coordinator(t, w), time.Now().Add(72*time.Hour), 1, 2)
		m := w.member(t, "sam@example.org", "DARL-N1", domain.KindVolunteer)
		sam := signedIn(t, w, m)

		boom := errors.New("boom")
		err := s.InTx(ctx, func(tx *db.Store) error {
			if _, err := app.BookInTx(ctx, a, tx, sam, app.BookInput{ShiftID: places[0][0], PositionID: places[0][1]}); err != nil {
				return err
			}
			n, err := app.PendingJobsInTx(ctx, a, tx)
			if err != nil || n != 1 {
				return fmt.Errorf("inside the transaction: %d pending job(s), %v; want the booking's notice", n, err)
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("the transaction ended with %v, want boom", err)
		}
		if n, err := a.PendingJobs(ctx); err != nil || n != 0 {
			t.Fatalf("after the rollback: %d pending job(s), %v; want none", n, err)
		}

		// Committed by one process that dies before working its queue...
		b, err := a.Book(ctx, sam, app.BookInput{ShiftID: places[0][0], PositionID: places[0][1]})
		if err != nil || b.Booking.Status != domain.BookingConfirmed {
			t.Fatalf("book: %+v, %v", b, err)
		}
		if n, err := a.PendingJobs(ctx); err != nil || n != 1 {
			t.Fatalf("after the commit: %d pending job(s), %v; want the notice", n, err)
		}
		// ...the next one up sends it.
		next, _ := newApp(t, s)
		next.Now = a.Now
		box := &mailbox{}
		next.Notify = box
		runJobs(t, next)
		eventually(t, "the confirmation is sent", func() bool { return len(box.to("sam@example.org")) == 1 })
		if got := box.to("sam@example.org")[0]; got.Subject[:len("Place confirmed")] != "Place confirmed" || got.Link == "" {
			t.Errorf("the confirmation reads %+v", got)
		}
	})
}

func TestANoticeWhoseJobRunsAgainIsSentOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		a, _ := newApp(t, s)
		box := &mailbox{}
		a.Notify = box
		key := domain.MessageKey{Event: "booking.confirmed/e1", Recipient: "m1", Channel: "email"}
		msg := app.Message{To: "sam@example.org", Subject: "Place confirmed"}
		for range 3 {
			if err := app.Deliver(ctx, a, key, msg); err != nil {
				t.Fatal(err)
			}
		}
		if box.count() != 1 {
			t.Fatalf("sent %d times, want once", box.count())
		}
		key.Channel = "sms"
		if err := app.Deliver(ctx, a, key, msg); err != nil || box.count() != 2 {
			t.Fatalf("another channel: %d sent, %v; want a second message", box.count(), err)
		}
	})
}

// A storm of bookings and cancellations on SQLite while the queue works:
// River's own statements and ours share one writer without deadlock, and
// every committed change is told.
func TestABookingStormWhileJobsRunOnSQLite(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t, db.SQLite)
	ctx := context.Background()
	w := newRefWorld(t, s)
	a := w.app
	a.Now = func() time.Time { return time.Now().UTC() }
	box := &mailbox{}
	a.Notify = box
	const members, shifts = 12, 6
	places := openShifts(t, w, coordinator(t, w), time.Now().Add(72*time.Hour), shifts, members)
	var ms []*domain.Principal
	for i := range members {
		ms = append(ms, signedIn(t, w, w.member(t, fmt.Sprintf("storm%d@example.org", i), "DARL-N1", domain.KindVolunteer)))
	}
	runJobs(t, a)

	var wg sync.WaitGroup
	errs := make(chan error, members)
	for _, m := range ms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j, pl := range places {
				b, err := a.Book(ctx, m, app.BookInput{ShiftID: pl[0], PositionID: pl[1]})
				if err != nil {
					errs <- fmt.Errorf("%s books shift %d: %w", m.User.Email, j, err)
					return
				}
				if j%2 == 1 {
					if _, err := a.CancelBooking(ctx, m, b.Booking.ID, ""); err != nil {
						errs <- fmt.Errorf("%s cancels shift %d: %w", m.User.Email, j, err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	want := members * (shifts + shifts/2)
	eventually(t, fmt.Sprintf("all %d notices are sent", want), func() bool { return box.count() >= want })
	eventually(t, "the queue drains", func() bool { n, err := a.PendingJobs(ctx); return err == nil && n == 0 })
	if box.count() != want {
		t.Fatalf("sent %d notices, want %d", box.count(), want)
	}
}
