package app

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/riverqueue/river"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// Webhooks: an admin registers a partner's endpoint and the events it
// wants; each event is stored, per endpoint, as one delivery whose body is
// fixed when the change commits (enqueued in the change's own transaction),
// then posted by a job signed with the endpoint's secret and retried with
// River's backoff until the endpoint answers 2xx or the attempts run out.
// Every attempt is logged.
//
// Outside development, endpoints are partners' servers on the internet:
// registration refuses http and addresses that are plainly local, and the
// dialer refuses local addresses again after resolution, at connect time,
// so a name that later resolves to an internal address (DNS rebinding)
// reaches nothing inside.

const (
	// webhookMaxAttempts caps a delivery's tries; with River's backoff
	// (attempt⁴ seconds) the last is about 80 minutes after the first.
	webhookMaxAttempts = 8
	// webhookTimeout bounds one attempt, connection to last byte.
	webhookTimeout = 10 * time.Second
	// webhookURLMax is the longest endpoint address accepted.
	webhookURLMax = 2000
)

// NewWebhook is an endpoint to register; no events means every event.
type NewWebhook struct {
	URL    string
	Events []string
}

// RegisterWebhook stores a partner's endpoint (admins only) and returns it
// with its signing secret in the clear: the only time anyone sees it.
// EInvalid names url or events.
func (a *App) RegisterWebhook(ctx context.Context, p *domain.Principal, in NewWebhook) (domain.Webhook, error) {
	if !p.IsAdmin() {
		return domain.Webhook{}, forbidden("only an admin may register webhooks")
	}
	var fields []domain.FieldError
	raw := strings.TrimSpace(in.URL)
	if msg := a.webhookURLProblem(raw); msg != "" {
		fields = append(fields, domain.FieldError{Field: "url", Message: msg})
	}
	events := domain.WebhookEvents
	if len(in.Events) > 0 {
		events = nil
		for _, e := range domain.WebhookEvents {
			if slices.Contains(in.Events, e) {
				events = append(events, e)
			}
		}
		for _, e := range in.Events {
			if !slices.Contains(domain.WebhookEvents, e) {
				fields = append(fields, domain.FieldError{Field: "events",
					Message: fmt.Sprintf("%q is not an event; use any of: %s", e, strings.Join(domain.WebhookEvents, ", "))})
				break
			}
		}
	}
	if len(fields) > 0 {
		return domain.Webhook{}, domain.Invalid("the webhook could not be registered", fields...)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return domain.Webhook{}, err
	}
	secret := hex.EncodeToString(key)
	sealed, err := a.sealTOTP(ctx, secret)
	if err != nil {
		return domain.Webhook{}, err
	}
	w := domain.Webhook{ID: NewID(), URL: raw, Events: slices.Clone(events), Secret: sealed, CreatedBy: p.User.ID, CreatedAt: a.Now()}
	err = a.store.InTx(ctx, func(tx *db.Store) error {
		if err := tx.CreateWebhook(ctx, w); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, auditEvent{action: "webhook.create", entity: "webhook", entityID: w.ID,
			after: map[string]any{"url": w.URL, "events": w.Events}})
	})
	if err != nil {
		return domain.Webhook{}, err
	}
	w.Secret = secret
	return w, nil
}

// Webhooks lists the registered endpoints (admins only), without secrets.
func (a *App) Webhooks(ctx context.Context, p *domain.Principal) ([]domain.Webhook, error) {
	if !p.IsAdmin() {
		return nil, forbidden("only an admin may see webhooks")
	}
	hooks, err := a.store.Webhooks(ctx)
	for i := range hooks {
		hooks[i].Secret = ""
	}
	return hooks, err
}

// WebhookAttempts is an endpoint's delivery log (admins only), newest
// first, after the attempt id `after` (a cursor) when given; ENotFound for
// an unknown endpoint.
func (a *App) WebhookAttempts(ctx context.Context, p *domain.Principal, id, after string, limit int) ([]domain.WebhookAttempt, error) {
	if !p.IsAdmin() {
		return nil, forbidden("only an admin may see webhook deliveries")
	}
	if _, err := a.store.WebhookByID(ctx, id); err != nil {
		if domain.ErrorCode(err) == domain.ENotFound {
			return nil, notFound("webhook")
		}
		return nil, err
	}
	return a.store.WebhookAttempts(ctx, id, after, limit)
}

// webhookURLProblem says what is wrong with an endpoint's address, or "".
// Only literal addresses are judged here: a name may not resolve yet, and
// what it resolves to is checked when delivering.
func (a *App) webhookURLProblem(raw string) string {
	u, err := url.Parse(raw)
	if raw == "" || err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "must be an absolute https URL, such as https://partner.example.org/copbank"
	}
	if len(raw) > webhookURLMax {
		return fmt.Sprintf("must be at most %d characters", webhookURLMax)
	}
	if a.Config.Development {
		return ""
	}
	if u.Scheme != "https" {
		return "must use https"
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return "must not name this machine (localhost)"
	}
	if ip, err := netip.ParseAddr(host); err == nil && localAddr(ip) {
		return "must not be a loopback, private, link-local or unspecified address"
	}
	return ""
}

// localPrefixes are IPv4 ranges netip has no predicate for that no partner
// serves from: "this network", carrier-grade NAT, IETF protocol
// assignments, benchmarking, reserved (with broadcast).
var localPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
}

// localAddr reports an address a webhook may not reach outside development:
// loopback, private and unique-local, link-local, unspecified, multicast,
// and IPv4-mapped IPv6 forms of any of them.
func localAddr(ip netip.Addr) bool {
	ip = ip.WithZone("").Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return true
	}
	return slices.ContainsFunc(localPrefixes, func(p netip.Prefix) bool { return p.Contains(ip) })
}

// errLocalAddress is a delivery refused because the endpoint's name
// resolved to a local address.
var errLocalAddress = errors.New("refused to connect to a local address")

// refuseLocal is the dialer's Control: it runs after resolution, on the
// very address about to be connected to.
func refuseLocal(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", errLocalAddress, address)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || localAddr(ip) {
		return fmt.Errorf("%w: %s", errLocalAddress, host)
	}
	return nil
}

// webhookClient posts deliveries: no proxy (it would connect for us, past
// the check), no redirects (a 3xx is a failed attempt), a connection per
// attempt.
func (a *App) webhookClient() *http.Client {
	dialer := &net.Dialer{Timeout: webhookTimeout}
	if !a.Config.Development {
		dialer.Control = refuseLocal
	}
	return &http.Client{
		Transport: &http.Transport{DialContext: dialer.DialContext, DisableKeepAlives: true,
			TLSHandshakeTimeout: webhookTimeout, ForceAttemptHTTP2: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       webhookTimeout,
	}
}

// webhookSignature is the X-Copbank-Signature of body under secret.
func webhookSignature(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// webhookBody is what every delivery posts.
type webhookBody struct {
	ID         string    `json:"id"`
	Event      string    `json:"event"`
	OccurredAt time.Time `json:"occurred_at"`
	Data       any       `json:"data"`
}

// emitEvent stores event for every endpoint that wants it and enqueues its
// delivery, in tx's transaction. data goes out as the body's "data": keep
// it to identifiers and states, never a person's details.
func (a *App) emitEvent(ctx context.Context, tx *db.Store, event string, data any) error {
	return a.emit(ctx, tx, event, "", data)
}

// emit is emitEvent keyed: an endpoint that has a delivery with the same
// key already is not sent the event again ("" keys it by a new event id).
func (a *App) emit(ctx context.Context, tx *db.Store, event, key string, data any) error {
	if silenced(ctx) {
		return nil
	}
	hooks, err := tx.Webhooks(ctx)
	if err != nil || len(hooks) == 0 {
		return err
	}
	id := NewID()
	body, err := json.Marshal(webhookBody{ID: id, Event: event, OccurredAt: a.Now().UTC(), Data: data})
	if err != nil {
		return err
	}
	once := key != ""
	key = cmp.Or(key, id)
	for _, h := range hooks {
		if !h.Wants(event) {
			continue
		}
		if once {
			seen, err := tx.HasWebhookDelivery(ctx, h.ID, key)
			if err != nil {
				return err
			}
			if seen {
				continue
			}
		}
		d := domain.WebhookDelivery{ID: NewID(), WebhookID: h.ID, Event: event, EventKey: key, Body: string(body), CreatedAt: a.Now()}
		if err := tx.CreateWebhookDelivery(ctx, d); err != nil {
			return err
		}
		if err := a.enqueue(ctx, tx, webhookDeliveryArgs{DeliveryID: d.ID}, &river.InsertOpts{MaxAttempts: webhookMaxAttempts}); err != nil {
			return err
		}
	}
	return nil
}

// emitBookingEvent sends a booking's change of status, when partners hear
// of that status.
func (a *App) emitBookingEvent(ctx context.Context, tx *db.Store, before *domain.Booking, after domain.Booking) error {
	if before != nil && before.Status == after.Status {
		return nil
	}
	event := map[domain.BookingStatus]string{domain.BookingConfirmed: domain.EventBookingConfirmed,
		domain.BookingOffered: domain.EventBookingOffered, domain.BookingCancelled: domain.EventBookingCancelled}[after.Status]
	if event == "" {
		return nil
	}
	return a.emitEvent(ctx, tx, event, map[string]any{"booking_id": after.ID, "shift_id": after.ShiftID,
		"position_id": after.PositionID, "status": after.Status, "late_cancel": after.LateCancel})
}

// emitDemandEvent sends a demand's posting, change or cancellation.
func (a *App) emitDemandEvent(ctx context.Context, tx *db.Store, event string, d domain.Demand) error {
	return a.emitEvent(ctx, tx, event, map[string]any{"demand_id": d.ID, "title": d.Title, "area": d.AreaCode,
		"problem_type": d.ProblemType, "priority": d.Priority, "booking_mode": d.BookingMode, "status": d.Status})
}

// emitShiftAtRisk sends a shift's being at risk once per endpoint, however
// often the sweep finds it.
func (a *App) emitShiftAtRisk(ctx context.Context, l db.ShiftListing, area domain.Area) error {
	d, sh := l.Demand, l.Shift
	var short []map[string]any
	for _, pl := range sh.Places {
		pos := positionOf(d, pl.PositionID)
		if pos.MinHeadcount != nil && pl.Taken < *pos.MinHeadcount {
			short = append(short, map[string]any{"position_id": pl.PositionID, "taken": pl.Taken, "min_headcount": *pos.MinHeadcount})
		}
	}
	data := map[string]any{"shift_id": sh.ID, "demand_id": d.ID, "title": d.Title, "area": area.Code,
		"start": sh.Start.UTC(), "end": sh.End.UTC(), "positions": short}
	return a.store.InTx(ctx, func(tx *db.Store) error {
		return a.emit(ctx, tx, domain.EventShiftAtRisk, domain.EventShiftAtRisk+"/"+sh.ID, data)
	})
}

// webhookDeliveryArgs: post one stored delivery.
type webhookDeliveryArgs struct {
	DeliveryID string `json:"delivery_id"`
}

func (webhookDeliveryArgs) Kind() string { return "webhook_delivery" }

type webhookDeliveryWorker struct {
	river.WorkerDefaults[webhookDeliveryArgs]
	a *App
}

// Work posts the delivery and logs the attempt. An answer other than 2xx,
// or none, is an error, so River tries again later with the same body and
// delivery id; a local address is refused for good.
func (w *webhookDeliveryWorker) Work(ctx context.Context, job *river.Job[webhookDeliveryArgs]) error {
	a := w.a
	d, err := a.store.WebhookDeliveryByID(ctx, job.Args.DeliveryID)
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil // the endpoint was removed
	}
	if err != nil {
		return err
	}
	hook, err := a.store.WebhookByID(ctx, d.WebhookID)
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil
	}
	if err != nil {
		return err
	}
	secret, err := a.openTOTP(ctx, hook.Secret)
	if err != nil {
		return err
	}
	at, started := a.Now(), time.Now()
	status, sendErr := a.postWebhook(ctx, a.webhookClient(), hook.URL, secret, d)
	attempt := domain.WebhookAttempt{ID: NewID(), WebhookID: hook.ID, DeliveryID: d.ID, Attempt: job.Attempt, At: at, Duration: time.Since(started)}
	if sendErr != nil {
		attempt.Error = sendErr.Error()
	} else {
		attempt.StatusCode = &status
	}
	if err := a.store.RecordWebhookAttempt(context.WithoutCancel(ctx), attempt); err != nil {
		return err
	}
	log := a.jobLog(job.JobRow).With("webhook_id", hook.ID, "delivery_id", d.ID, "event", d.Event)
	switch {
	case errors.Is(sendErr, errLocalAddress):
		log.WarnContext(ctx, "webhook refused: its address resolves to a local one", "error", sendErr)
		return river.JobCancel(sendErr)
	case sendErr != nil:
		return sendErr
	case status < 200 || status > 299:
		return fmt.Errorf("webhook endpoint answered %d", status)
	}
	log.InfoContext(ctx, "webhook delivered", "status", status)
	return nil
}

// postWebhook sends one attempt of a delivery and returns the answer's status.
func (a *App) postWebhook(ctx context.Context, client *http.Client, endpoint, secret string, d domain.WebhookDelivery) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, webhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(d.Body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "copbank-webhooks/1")
	req.Header.Set("X-Copbank-Event", d.Event)
	req.Header.Set("X-Copbank-Delivery", d.ID)
	req.Header.Set("X-Copbank-Signature", webhookSignature(secret, []byte(d.Body)))
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	return res.StatusCode, nil
}
