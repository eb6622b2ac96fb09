package app_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/domain"
)

// received is one request a partner's endpoint got.
type received struct {
	header http.Header
	body   []byte
}

// receiver is a partner's endpoint that answers the n-th request (from 0)
// with answer(n) and keeps every request.
type receiver struct {
	mu     sync.Mutex
	got    []received
	answer func(n int) int
	srv    *httptest.Server
}

func newReceiver(t *testing.T, answer func(n int) int) *receiver {
	t.Helper()
	r := &receiver{answer: answer}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		n := len(r.got)
		r.got = append(r.got, received{header: req.Header.Clone(), body: body})
		r.mu.Unlock()
		w.WriteHeader(r.answer(n))
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// verify is what the README tells a partner to do: recompute the HMAC over
// the raw body and compare in constant time.
func verify(secret string, body []byte, header string) bool {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	want := "sha256=" + hex.EncodeToString(m.Sum(nil))
	return hmac.Equal([]byte(want), []byte(header))
}

func always(status int) func(int) int { return func(int) int { return status } }

func TestWebhookDeliveriesAreSignedWithTheSecretAndNameTheirEventAndDelivery(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w := newRefWorld(t, s)
		a := w.app
		a.Config.Development = true
		partner := newReceiver(t, always(http.StatusNoContent))
		hook, err := a.RegisterWebhook(ctx, w.admin, app.NewWebhook{URL: partner.srv.URL + "/copbank"})
		if err != nil {
			t.Fatal(err)
		}
		if len(hook.Secret) < 32 || len(hook.Events) != len(domain.WebhookEvents) {
			t.Fatalf("registered %+v: want a secret and every event", hook)
		}
		coord := coordinator(t, w)
		places := openShifts(t, w, coord, a.Now().Add(72*time.Hour), 1, 2)
		m := w.member(t, "sam@example.org", "DARL-N1", domain.KindVolunteer)
		if _, err := a.Book(ctx, coord, app.BookInput{ShiftID: places[0][0], PositionID: places[0][1], MemberID: m.ID}); err != nil {
			t.Fatal(err)
		}
		other := w.member(t, "ola@example.org", "DARL-N1", domain.KindVolunteer)
		if _, err := a.Book(ctx, coord, app.BookInput{ShiftID: places[0][0], PositionID: places[0][1], MemberID: other.ID, Offer: true}); err != nil {
			t.Fatal(err)
		}
		d, err := a.GetShift(ctx, coord, places[0][0])
		if err != nil {
			t.Fatal(err)
		}
		title := "Evening patrol (north)"
		if _, err := a.UpdateDemand(ctx, coord, d.Demand.ID, app.DemandUpdate{Title: &title}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.CancelDemand(ctx, coord, d.Demand.ID, "road closed"); err != nil {
			t.Fatal(err)
		}
		runJobs(t, a)
		// Posted, confirmed, offered, changed, cancelled, and the two bookings cancelled with it.
		eventually(t, "every change reaches the partner", func() bool { return len(partner.requests()) == 7 })

		events := map[string]map[string]any{}
		seen := map[string]int{}
		for _, r := range partner.requests() {
			if !verify(hook.Secret, r.body, r.header.Get("X-Copbank-Signature")) {
				t.Errorf("signature %q does not verify over %s", r.header.Get("X-Copbank-Signature"), r.body)
			}
			if r.header.Get("Content-Type") != "application/json" || r.header.Get("X-Copbank-Delivery") == "" {
				t.Errorf("headers %v", r.header)
			}
			var body struct {
				ID         string         `json:"id"`
				Event      string         `json:"event"`
				OccurredAt time.Time      `json:"occurred_at"`
				Data       map[string]any `json:"data"`
			}
			if err := json.Unmarshal(r.body, &body); err != nil || body.ID == "" || body.OccurredAt.IsZero() {
				t.Fatalf("body %s: %v", r.body, err)
			}
			if body.Event != r.header.Get("X-Copbank-Event") {
				t.Errorf("X-Copbank-Event %q for a %q body", r.header.Get("X-Copbank-Event"), body.Event)
			}
			if strings.Contains(string(r.body), "sam@example.org") {
				t.Errorf("a delivery carries the member's email: %s", r.body)
			}
			events[body.Event] = body.Data
			seen[body.Event]++
		}
		want := map[string]int{domain.EventDemandPosted: 1, domain.EventBookingConfirmed: 1, domain.EventBookingOffered: 1,
			domain.EventDemandChanged: 1, domain.EventDemandCancelled: 1, domain.EventBookingCancelled: 2}
		if !maps.Equal(seen, want) {
			t.Errorf("sent %v, want %v", seen, want)
		}
		if c := events[domain.EventDemandChanged]; c == nil || c["title"] != title {
			t.Errorf("demand.changed data: %v", c)
		}
		if d := events[domain.EventDemandPosted]; d == nil || d["area"] != "DARL" || d["demand_id"] == "" {
			t.Errorf("demand.posted data: %v (all: %v)", d, events)
		}
		if b := events[domain.EventBookingConfirmed]; b == nil || b["shift_id"] != places[0][0] || b["status"] != "confirmed" {
			t.Errorf("booking.confirmed data: %v (all: %v)", b, events)
		}
		hooks, err := a.Webhooks(ctx, w.admin)
		if err != nil || len(hooks) != 1 || hooks[0].Secret != "" {
			t.Fatalf("the list shows %+v (%v): want the endpoint, without its secret", hooks, err)
		}
	})
}

func TestAWebhookAnswered500IsRetriedWithTheSameDeliveryAndBody(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w := newRefWorld(t, s)
		a := w.app
		a.Config.Development = true
		partner := newReceiver(t, func(n int) int {
			if n == 0 {
				return http.StatusInternalServerError
			}
			return http.StatusOK
		})
		hook, err := a.RegisterWebhook(ctx, w.admin, app.NewWebhook{URL: partner.srv.URL, Events: []string{domain.EventDemandPosted}})
		if err != nil {
			t.Fatal(err)
		}
		openShifts(t, w, coordinator(t, w), a.Now().Add(72*time.Hour), 1, 1)
		runJobs(t, a)
		eventually(t, "the delivery is tried again after the 500", func() bool { return len(partner.requests()) == 2 })
		eventually(t, "both attempts are logged", func() bool {
			log, err := a.WebhookAttempts(ctx, w.admin, hook.ID, "", 10)
			return err == nil && len(log) == 2
		})
		got := partner.requests()
		if got[0].header.Get("X-Copbank-Delivery") != got[1].header.Get("X-Copbank-Delivery") || string(got[0].body) != string(got[1].body) ||
			got[0].header.Get("X-Copbank-Signature") != got[1].header.Get("X-Copbank-Signature") {
			t.Errorf("the retry differs:\n%v %s\n%v %s", got[0].header, got[0].body, got[1].header, got[1].body)
		}
		if !verify(hook.Secret, got[1].body, got[1].header.Get("X-Copbank-Signature")) {
			t.Error("the retry's signature does not verify")
		}
		log, _ := a.WebhookAttempts(ctx, w.admin, hook.ID, "", 10)
		// Newest first.
		if log[1].Attempt != 1 || log[1].StatusCode == nil || *log[1].StatusCode != 500 ||
			log[0].Attempt != 2 || log[0].StatusCode == nil || *log[0].StatusCode != 200 || log[0].DeliveryID != log[1].DeliveryID {
			t.Errorf("log %+v", log)
		}
		if log[0].Event != domain.EventDemandPosted || log[0].DeliveryID != got[0].header.Get("X-Copbank-Delivery") {
			t.Errorf("log %+v does not name the delivery sent", log[0])
		}
		page, err := a.WebhookAttempts(ctx, w.admin, hook.ID, log[0].ID, 10)
		if err != nil || len(page) != 1 || page[0].ID != log[1].ID {
			t.Errorf("the page after the newest is %+v (%v)", page, err)
		}
	})
}

func TestWebhookRegistrationRefusesLocalAndPlainAddressesInProduction(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w := newRefWorld(t, s)
		a := w.app
		for _, u := range []string{"http://partner.example.org/hook", "https://localhost/hook", "https://127.0.0.1/hook",
			"https://10.0.0.1/hook", "https://[::1]/hook", "https://169.254.169.254/latest", "https://192.168.1.5",
			"https://[fe80::1]/", "https://[fd12::1]/", "https://0.0.0.0/", "https://[::ffff:10.0.0.1]/", "https://api.localhost/", "not a url", ""} {
			_, err := a.RegisterWebhook(ctx, w.admin, app.NewWebhook{URL: u})
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.EInvalid || len(de.Fields) != 1 || de.Fields[0].Field != "url" {
				t.Errorf("%q: %v, want invalid naming url", u, err)
			}
		}
		if hooks, err := a.Webhooks(ctx, w.admin); err != nil || len(hooks) != 0 {
			t.Fatalf("refused registrations stored %+v (%v)", hooks, err)
		}
		_, err := a.RegisterWebhook(ctx, w.admin, app.NewWebhook{URL: "https://partner.example.org/hook", Events: []string{"booking.confirmed", "booking.exploded"}})
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != domain.EInvalid || de.Fields[0].Field != "events" {
			t.Errorf("an unknown event: %v, want invalid naming events", err)
		}
		// .invalid never resolves: a name is judged when delivering.
		hook, err := a.RegisterWebhook(ctx, w.admin, app.NewWebhook{URL: "https://partner.invalid/hook", Events: []string{domain.EventShiftAtRisk}})
		if err != nil || hook.Events[0] != domain.EventShiftAtRisk || len(hook.Events) != 1 {
			t.Fatalf("an unresolvable name: %+v, %v", hook, err)
		}
		for _, p := range []*domain.Principal{w.darlCoord, {User: domain.User{ID: "m", Roles: []domain.Role{domain.RoleMember}}}, nil} {
			if _, err := a.RegisterWebhook(ctx, p, app.NewWebhook{URL: "https://partner.example.org/"}); domain.ErrorCode(err) != domain.EForbidden {
				t.Errorf("%v registers: %v", p, err)
			}
			if _, err := a.Webhooks(ctx, p); domain.ErrorCode(err) != domain.EForbidden {
				t.Errorf("%v lists: %v", p, err)
			}
			if _, err := a.WebhookAttempts(ctx, p, hook.ID, "", 10); domain.ErrorCode(err) != domain.EForbidden {
				t.Errorf("%v reads the log: %v", p, err)
			}
		}
		if _, err := a.WebhookAttempts(ctx, w.admin, "no-such-hook", "", 10); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("an unknown endpoint's log: %v", err)
		}
	})
}

func TestAWebhookWhoseNameResolvesToALocalAddressIsRefusedAtConnectTime(t *testing.T) {
	t.Parallel()
	for addr, refused := range map[string]bool{
		"127.0.0.1:443": true, "[::1]:443": true, "10.1.2.3:443": true, "172.16.0.1:443": true, "192.168.0.1:80": true,
		"169.254.169.254:80": true, "[fe80::1%eth0]:443": true, "[fd00::1]:443": true, "0.0.0.0:443": true, "[::]:443": true,
		"[::ffff:127.0.0.1]:443": true, "100.64.0.1:443": true, "93.184.216.34:443": false, "[2606:4700::1111]:443": false,
	} {
		if err := app.RefuseLocal("tcp", addr, nil); (err != nil) != refused {
			t.Errorf("%s: %v, want refused %v", addr, err, refused)
		}
	}
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w := newRefWorld(t, s)
		a := w.app
		partner := newReceiver(t, always(http.StatusOK))
		// Registered as development allows, then delivered as production:
		// the name is fine until it resolves to this machine.
		a.Config.Development = true
		url := strings.Replace(partner.srv.URL, "127.0.0.1", "localhost", 1)
		hook, err := a.RegisterWebhook(ctx, w.admin, app.NewWebhook{URL: url, Events: []string{domain.EventDemandPosted}})
		if err != nil {
			t.Fatal(err)
		}
		a.Config.Development = false
		openShifts(t, w, coordinator(t, w), a.Now().Add(72*time.Hour), 1, 1)
		runJobs(t, a)
		eventually(t, "the refused attempt is logged", func() bool {
			log, err := a.WebhookAttempts(ctx, w.admin, hook.ID, "", 10)
			return err == nil && len(log) == 1
		})
		log, _ := a.WebhookAttempts(ctx, w.admin, hook.ID, "", 10)
		if log[0].StatusCode != nil || !strings.Contains(log[0].Error, "local address") {
			t.Errorf("the attempt logged is %+v", log[0])
		}
		eventually(t, "the refusal is not retried", func() bool { n, err := a.PendingJobs(ctx, "webhook_delivery"); return err == nil && n == 0 })
		if n := len(partner.requests()); n != 0 {
			t.Errorf("the local endpoint got %d requests", n)
		}
	})
}

func TestTheServiceIsInProductionUnlessCopbankEnvSaysDevelopment(t *testing.T) {
	t.Parallel()
	for value, want := range map[string]bool{"": false, "development": true, "production": false, "dev": false} {
		c, err := app.LoadConfig(func(k string) string {
			if k == "COPBANK_ENV" {
				return value
			}
			return ""
		})
		if err != nil || c.Development != want {
			t.Errorf("COPBANK_ENV=%q: development %v (%v), want %v", value, c.Development, err, want)
		}
	}
}
