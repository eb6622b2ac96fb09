package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sync"
	"time"
)

// The kinds of request, in the order the report lists them.
const (
	kindSearch = "search"
	kindShift  = "shift page"
	kindBook   = "book"
	kindCancel = "cancel"
	kindPost   = "coordinator post"
	kindMatch  = "match run"
)

var kinds = []string{kindSearch, kindShift, kindBook, kindCancel, kindPost, kindMatch}

// answer is one request's outcome as the client saw it. Code 0 is a
// transport error: no answer at all.
type answer struct {
	kind    string
	target  int
	at      time.Time // when it was sent
	latency time.Duration
	code    int
	body    []byte
	err     error
}

// expected reports whether the server answered as a working server may:
// 2xx, or a refusal the request could earn (a full or overlapping place).
func (a answer) expected() bool {
	return a.code >= 200 && a.code < 300 || a.code == http.StatusConflict
}

// caller sends API requests with bearer tokens and keeps every answer.
type caller struct {
	hc *http.Client

	mu      sync.Mutex
	answers []answer
}

func newCaller(timeout time.Duration) *caller {
	return &caller{hc: &http.Client{Timeout: timeout, Transport: &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 256,
		IdleConnTimeout: 30 * time.Second}}}
}

// do sends one request and records its answer under kind (unless kind is
// empty: set-up and reconciliation calls are not part of the figures).
func (c *caller) do(ctx context.Context, kind string, target int, base, method, path, token, idemKey string, body any) answer {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return answer{kind: kind, err: err}
		}
		rd = bytes.NewReader(data)
	}
	a := answer{kind: kind, target: target, at: time.Now()}
	req, err := http.NewRequestWithContext(ctx, method, base+path, rd)
	if err != nil {
		a.err = err
		return a
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if idemKey != "" {
		req.Header.Set("Idempotency-Key", idemKey)
	}
	resp, err := c.hc.Do(req)
	if err == nil {
		a.body, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		a.code = resp.StatusCode
		if err != nil {
			a.code = 0 // cut off mid-answer: the client cannot know what happened
		}
	}
	a.err = err
	a.latency = time.Since(a.at)
	if kind != "" {
		c.mu.Lock()
		c.answers = append(c.answers, a)
		c.mu.Unlock()
	}
	return a
}

// must is do for set-up: anything but want is an error.
func (c *caller) must(ctx context.Context, base, method, path, token string, body any, want int, out any) error {
	a := c.do(ctx, "", 0, base, method, path, token, "", body)
	if a.err != nil {
		return fmt.Errorf("%s %s: %w", method, path, a.err)
	}
	if a.code != want {
		return fmt.Errorf("%s %s: %d, want %d: %.300s", method, path, a.code, want, a.body)
	}
	if out != nil {
		if err := json.Unmarshal(a.body, out); err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return nil
}

// since is every recorded answer sent in [from, to).
func (c *caller) since(from, to time.Time) []answer {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []answer
	for _, a := range c.answers {
		if !a.at.Before(from) && a.at.Before(to) {
			out = append(out, a)
		}
	}
	return out
}

// kindStats summarises the answers of one kind.
type kindStats struct {
	n, ok, refused, other4xx, server5xx, transport int
	p50, p95, p99                                  time.Duration
}

func summarise(answers []answer) (map[string]*kindStats, kindStats) {
	by := map[string]*kindStats{}
	lat := map[string][]time.Duration{}
	var all []time.Duration
	var total kindStats
	for _, a := range answers {
		s := by[a.kind]
		if s == nil {
			s = &kindStats{}
			by[a.kind] = s
		}
		for _, t := range []*kindStats{s, &total} {
			t.n++
			switch {
			case a.code == 0:
				t.transport++
			case a.code >= 500:
				t.server5xx++
			case a.code == http.StatusConflict:
				t.refused++
			case a.code < 300:
				t.ok++
			default:
				t.other4xx++
			}
		}
		if a.code != 0 {
			lat[a.kind] = append(lat[a.kind], a.latency)
			all = append(all, a.latency)
		}
	}
	for k, s := range by {
		s.p50, s.p95, s.p99 = percentiles(lat[k])
	}
	total.p50, total.p95, total.p99 = percentiles(all)
	return by, total
}

func percentiles(d []time.Duration) (p50, p95, p99 time.Duration) {
	if len(d) == 0 {
		return 0, 0, 0
	}
	slices.Sort(d)
	at := func(p float64) time.Duration {
		i := int(math.Ceil(p*float64(len(d)))) - 1
		return d[max(0, min(i, len(d)-1))]
	}
	return at(0.50), at(0.95), at(0.99)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// printStats writes one line per kind and a total line.
func printStats(w io.Writer, indent string, answers []answer, elapsed time.Duration) kindStats {
	by, total := summarise(answers)
	secs := max(elapsed.Seconds(), 0.001)
	fmt.Fprintf(w, "%s%-17s %6s %8s %6s %6s %5s %5s %6s %8s %8s %8s\n", indent, "kind", "n", "req/s", "2xx", "409", "4xx", "5xx", "net", "p50 ms", "p95 ms", "p99 ms")
	line := func(name string, s kindStats) {
		fmt.Fprintf(w, "%s%-17s %6d %8.1f %6d %6d %5d %5d %6d %8.1f %8.1f %8.1f\n", indent, name, s.n, float64(s.n)/secs,
			s.ok, s.refused, s.other4xx, s.server5xx, s.transport, ms(s.p50), ms(s.p95), ms(s.p99))
	}
	for _, k := range kinds {
		if s := by[k]; s != nil {
			line(k, *s)
		}
	}
	line("all", total)
	return total
}
