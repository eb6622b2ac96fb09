package bench

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/copbank/copbank/app"
)

// clientResult is what one client saw.
type clientResult struct {
	latencies                                 []time.Duration
	booked, refused, other4xx, server5xx, net int
	read                                      int
	exhausted                                 bool
	first5xx, first4xx                        string
}

// run books (or, with reads, runs the read-heavy mix) with the first n
// lanes' clients at once for d.
func (w *workload) run(ctx context.Context, baseURL string, n int, d time.Duration, reads bool) bookingRow {
	hc := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConns: n + 4, MaxIdleConnsPerHost: n + 4}}
	defer hc.CloseIdleConnections()
	results := make([]clientResult, n)
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = w.client(ctx, hc, baseURL, w.lanes[i], deadline, reads)
		}()
	}
	wg.Wait()
	row := bookingRow{Clients: n, Elapsed: time.Since(start)}
	var all []time.Duration
	for _, r := range results {
		all = append(all, r.latencies...)
		row.Booked += r.booked
		row.Read += r.read
		row.Refused += r.refused
		row.Other4xx += r.other4xx
		row.Server5xx += r.server5xx
		row.Net += r.net
		if r.exhausted {
			row.Exhausted++
		}
		if row.First5xx == "" {
			row.First5xx = r.first5xx
		}
		if row.First4xx == "" {
			row.First4xx = r.first4xx
		}
	}
	slices.Sort(all)
	row.P50, row.P99 = percentile(all, 0.50), percentile(all, 0.99)
	return row
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// client books through its lane until the deadline. With reads, nine
// requests in ten read instead: a member's detail (an audited vetting read)
// or a shift search.
func (w *workload) client(ctx context.Context, hc *http.Client, baseURL string, l *lane, deadline time.Time, reads bool) clientResult {
	var r clientResult
	for i := 0; ctx.Err() == nil && time.Now().Before(deadline); i++ {
		var req *http.Request
		var err error
		switch {
		case reads && i%10 < 5:
			req, err = http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/api/v1/members/"+l.members[i%len(l.members)], nil)
		case reads && i%10 < 9:
			req, err = http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/api/v1/shifts?limit=20&area="+url.QueryEscape(w.areaCode), nil)
		default:
			shiftID, memberID, ok := l.take()
			if !ok {
				r.exhausted = true
				return r
			}
			body := fmt.Sprintf(`{"position_id":%q,"member_id":%q}`, l.position, memberID)
			req, err = http.NewRequestWithContext(ctx, http.MethodPost, baseURL+"/api/v1/shifts/"+shiftID+"/bookings", strings.NewReader(body))
			if err == nil {
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Idempotency-Key", app.NewID())
			}
		}
		if err != nil {
			r.net++
			continue
		}
		req.Header.Set("Authorization", "Bearer "+w.token)
		t := time.Now()
		resp, err := hc.Do(req)
		if err != nil {
			r.net++
			continue
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		r.latencies = append(r.latencies, time.Since(t))
		switch code := resp.StatusCode; {
		case code == http.StatusCreated:
			r.booked++
		case code == http.StatusOK:
			r.read++
		case code == http.StatusConflict:
			r.refused++
		case code >= 500:
			r.server5xx++
			if r.first5xx == "" {
				r.first5xx = fmt.Sprintf("%d %s", code, strings.TrimSpace(string(raw)))
			}
		default:
			r.other4xx++
			if r.first4xx == "" {
				r.first4xx = fmt.Sprintf("%d %s", code, strings.TrimSpace(string(raw)))
			}
		}
	}
	return r
}
