package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/copbank/copbank/app"
)

// bookingAttempt is one POST of a booking and what came of it. A request
// with no answer (transport error, 5xx) is ambiguous until it is replayed
// with the same Idempotency-Key.
type bookingAttempt struct {
	key, token            string
	place                 place
	memberID              string // "" when a member books for themselves
	self                  string // that member's ID
	code                  int
	bookingID, status     string
	cancelled, cancelling bool
}

func (b *bookingAttempt) member() string {
	if b.memberID != "" {
		return b.memberID
	}
	return b.self
}

// cancelAttempt is one cancellation the generator asked for.
type cancelAttempt struct {
	key     string
	booking *bookingAttempt
	code    int
}

// generator sends the mix at a given rate to its targets in turn.
type generator struct {
	w       *world
	c       *caller
	targets func() []string
	next    atomic.Uint64

	mu       sync.Mutex
	bookings []*bookingAttempt
	active   []*bookingAttempt // answered 2xx and not cancelled: what cancels pick from
	cancels  []*cancelAttempt
	posts    int
	inFlight []atomic.Int64 // per target
}

func newGenerator(w *world, c *caller, targets func() []string, n int) *generator {
	return &generator{w: w, c: c, targets: targets, inFlight: make([]atomic.Int64, n)}
}

// one sends one request of the mix: 40% search, 40% shift page, 12%
// book, 3% cancel, 3% coordinator post, 2% match run.
func (g *generator) one(ctx context.Context) {
	ts := g.targets()
	ti := int(g.next.Add(1) % uint64(len(ts)))
	base := ts[ti]
	g.inFlight[ti].Add(1)
	defer g.inFlight[ti].Add(-1)
	w := g.w
	anyToken := func() string {
		if i := rand.IntN(len(w.members) + 1); i < len(w.members) {
			return w.members[i].token
		}
		return w.coordinator.token
	}
	switch r := rand.IntN(100); {
	case r < 40:
		area := w.areas[rand.IntN(len(w.areas))]
		from := w.today.AddDate(0, 0, rand.IntN(14)).Format("2006-01-02")
		to := w.today.AddDate(0, 0, 14+rand.IntN(28)).Format("2006-01-02")
		g.c.do(ctx, kindSearch, ti, base, http.MethodGet, fmt.Sprintf("/api/v1/shifts?area=%s&open=true&from=%s&to=%s&limit=50", area, from, to),
			anyToken(), "", nil)
	case r < 80:
		g.c.do(ctx, kindShift, ti, base, http.MethodGet, "/api/v1/shifts/"+w.shifts[rand.IntN(len(w.shifts))], anyToken(), "", nil)
	case r < 92:
		g.book(ctx, ti, base)
	case r < 95:
		if !g.cancel(ctx, ti, base) {
			g.book(ctx, ti, base)
		}
	case r < 98:
		g.post(ctx, ti, base)
	default:
		from := w.today.AddDate(0, 0, 3)
		g.c.do(ctx, kindMatch, ti, base, http.MethodPost, "/api/v1/match-runs", w.coordinator.token, app.NewID(), map[string]any{
			"areas": []string{w.areas[rand.IntN(len(w.areas))]}, "from": from.Format("2006-01-02"),
			"to": from.AddDate(0, 0, 7).Format("2006-01-02"), "time_limit_ms": 200, "seed": rand.Uint64N(1 << 40)})
	}
}

// book books a popular place: mostly the coordinator for a member, now and
// then a demo member for themselves.
func (g *generator) book(ctx context.Context, ti int, base string) {
	w := g.w
	b := &bookingAttempt{key: app.NewID(), place: w.places[rand.IntN(len(w.places))]}
	if len(w.members) > 0 && rand.IntN(4) == 0 {
		m := w.members[rand.IntN(len(w.members))]
		b.token, b.self = m.token, m.memberID
	} else {
		b.token, b.memberID = w.coordinator.token, w.pool[rand.IntN(len(w.pool))]
	}
	g.mu.Lock()
	g.bookings = append(g.bookings, b)
	g.mu.Unlock()
	a := g.c.do(ctx, kindBook, ti, base, http.MethodPost, "/api/v1/shifts/"+b.place.shiftID+"/bookings", b.token, b.key, b.request())
	g.settleBooking(b, a)
}

func (b *bookingAttempt) request() map[string]any {
	req := map[string]any{"position_id": b.place.positionID}
	if b.memberID != "" {
		req["member_id"] = b.memberID
	}
	return req
}

// settleBooking records a booking's answer; one without a definite answer
// stays ambiguous (code 0) for reconcile.
func (g *generator) settleBooking(b *bookingAttempt, a answer) {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case a.code >= 200 && a.code < 300:
		var out struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		}
		_ = json.Unmarshal(a.body, &out)
		b.code, b.bookingID, b.status = a.code, out.ID, out.Status
		g.active = append(g.active, b)
	case a.code >= 400 && a.code < 500:
		b.code = a.code
	}
}

// cancel cancels a booking the generator made, as the coordinator; false
// when there is none to cancel.
func (g *generator) cancel(ctx context.Context, ti int, base string) bool {
	g.mu.Lock()
	if len(g.active) == 0 {
		g.mu.Unlock()
		return false
	}
	i := rand.IntN(len(g.active))
	b := g.active[i]
	g.active[i] = g.active[len(g.active)-1]
	g.active = g.active[:len(g.active)-1]
	b.cancelling = true
	c := &cancelAttempt{key: app.NewID(), booking: b}
	g.cancels = append(g.cancels, c)
	g.mu.Unlock()
	a := g.c.do(ctx, kindCancel, ti, base, http.MethodPost, "/api/v1/bookings/"+b.bookingID+"/cancel", g.w.coordinator.token, c.key,
		map[string]string{"reason": "load test"})
	g.settleCancel(c, a)
	return true
}

func (g *generator) settleCancel(c *cancelAttempt, a answer) {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case a.code >= 200 && a.code < 300:
		c.code = a.code
		c.booking.cancelled = true
	case a.code >= 400 && a.code < 500:
		c.code = a.code
	}
}

// post posts a one-off demand far enough ahead not to meet the popular ones.
func (g *generator) post(ctx context.Context, ti int, base string) {
	w := g.w
	g.mu.Lock()
	g.posts++
	n := g.posts
	g.mu.Unlock()
	day := w.today.AddDate(0, 0, 40+rand.IntN(60)).Format("2006-01-02")
	g.c.do(ctx, kindPost, ti, base, http.MethodPost, "/api/v1/demands", w.coordinator.token, app.NewID(), map[string]any{
		"title": fmt.Sprintf("Load test: event cover %d", n), "problem_type": "asb", "area": w.postArea,
		"booking_mode": "open", "timezone": "Europe/London", "start_local": day + "T10:00", "end_local": day + "T14:00",
		"positions": []map[string]any{{"name": "Cover", "kinds": []string{"volunteer"}, "min_vetting": "none", "headcount": 2}}})
}

// drive sends at rate requests per second for d, each on a goroutine of
// its own (an open loop: a slow server does not slow the arrivals) up to
// maxInFlight at once; requests beyond that are counted as shed.
func (g *generator) drive(ctx context.Context, rate float64, d time.Duration, maxInFlight int64, halt func() bool) (shed int) {
	var wg sync.WaitGroup
	var running atomic.Int64
	start := time.Now()
	sent := 0
	for ctx.Err() == nil && (halt == nil || !halt()) {
		el := time.Since(start)
		if el >= d {
			break
		}
		due := int(el.Seconds() * rate)
		for ; sent < due; sent++ {
			if running.Load() >= maxInFlight {
				shed++
				continue
			}
			running.Add(1)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer running.Add(-1)
				g.one(ctx)
			}()
		}
		time.Sleep(2 * time.Millisecond)
	}
	wg.Wait()
	return shed
}

// reconcile replays every booking and cancellation that got no definite
// answer with its Idempotency-Key, as a client would once the service is
// back, until each has one or the deadline passes; it returns how many
// stay ambiguous.
func (g *generator) reconcile(ctx context.Context, base string, deadline time.Time) (bookings, cancels int) {
	// A claim left by a killed server is taken over only after a while, and
	// until then a replay waits on it: longer than the load's timeout.
	rc := newCaller(45 * time.Second)
	for {
		g.mu.Lock()
		var bs []*bookingAttempt
		for _, b := range g.bookings {
			if b.code == 0 {
				bs = append(bs, b)
			}
		}
		var cs []*cancelAttempt
		for _, c := range g.cancels {
			if c.code == 0 {
				cs = append(cs, c)
			}
		}
		g.mu.Unlock()
		if len(bs)+len(cs) == 0 || time.Now().After(deadline) || ctx.Err() != nil {
			return len(bs), len(cs)
		}
		var wg sync.WaitGroup
		sem := make(chan struct{}, 16)
		for _, b := range bs {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				g.settleBooking(b, rc.do(ctx, "", 0, base, http.MethodPost, "/api/v1/shifts/"+b.place.shiftID+"/bookings", b.token, b.key, b.request()))
			}()
		}
		for _, c := range cs {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				g.settleCancel(c, rc.do(ctx, "", 0, base, http.MethodPost, "/api/v1/bookings/"+c.booking.bookingID+"/cancel", g.w.coordinator.token, c.key,
					map[string]string{"reason": "load test"}))
			}()
		}
		wg.Wait()
		time.Sleep(2 * time.Second)
	}
}
