package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/domain"
)

// awaitOnShiftNotices waits until the handover, swap and booking notices
// queued so far are worked.
func (e *env) awaitOnShiftNotices() {
	e.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		n, err := e.app.PendingJobs(context.Background(), "onshift_notice", "booking_notice")
		if err != nil {
			e.t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("%d notice job(s) still pending after 60 s", n)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func subjects(e *env, addr string) string {
	var out []string
	for _, m := range e.sent.to(addr) {
		out = append(out, m.Subject)
	}
	return strings.Join(out, " | ")
}

func TestHandoverNoticesGoToColleaguesWhoCouldTakeItThenToTheCoordinator(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.workJobs()
		place := e.onePlace(friday, 4)
		giver, giverToken := e.memberLogin("giver", memberOpts{})
		_, readyToken := e.memberLogin("ready", memberOpts{})
		e.memberLogin("unvetted", memberOpts{vetting: domain.VettingNone})
		given := e.bookConfirmed(place, giver)
		e.awaitOnShiftNotices()

		r := e.do(http.MethodPost, "/api/v1/bookings/"+given+"/handover", giverToken, nil)
		if r.status != http.StatusCreated {
			t.Fatalf("offer: %d %s", r.status, r.raw)
		}
		e.awaitOnShiftNotices()
		if got := subjects(e, "ready@example.org"); !strings.Contains(got, "A colleague offers a shift: Evening patrol") {
			t.Fatalf("the colleague who could take it was told %q", got)
		}
		if got := subjects(e, "unvetted@example.org"); got != "" {
			t.Fatalf("a colleague who fails a rule was told %q", got)
		}
		if got := subjects(e, "giver@example.org"); strings.Contains(got, "offers a shift") {
			t.Fatalf("the giver was offered their own shift: %q", got)
		}

		if a := e.do(http.MethodPost, "/api/v1/handovers/"+r.body["handover_id"].(string)+"/accept", readyToken, nil); a.status != 200 {
			t.Fatalf("accept: %d %s", a.status, a.raw)
		}
		e.awaitOnShiftNotices()
		if got := subjects(e, "coord@example.org"); !strings.Contains(got, "Shift handed over: Evening patrol") {
			t.Fatalf("the coordinator was told %q", got)
		}
		if got := subjects(e, "giver@example.org"); !strings.Contains(got, "Booking cancelled") {
			t.Fatalf("the giver was told %q", got)
		}
		if got := subjects(e, "ready@example.org"); !strings.Contains(got, "Place confirmed") {
			t.Fatalf("the taker was told %q", got)
		}
	})
}
