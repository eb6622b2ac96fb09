package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

func TestAShiftAtRiskIsSentToAWebhookOnceHoweverOftenTheSweepFindsIt(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		var mu sync.Mutex
		var bodies [][]byte
		partner := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			bodies = append(bodies, b)
			mu.Unlock()
		}))
		t.Cleanup(partner.Close)
		e.app.Config.Development = true
		r := e.do(http.MethodPost, "/api/v1/webhooks", e.admin, map[string]any{"url": partner.URL, "events": []string{"shift.at_risk"}})
		if r.status != http.StatusCreated {
			t.Fatalf("register: %d %s", r.status, r.raw)
		}
		hook := r.body["id"].(string)
		start := t0.Add(3*24*time.Hour + 11*time.Hour)
		sh := shiftsOf(e.demand(map[string]any{"start_local": local(start), "end_local": local(start.Add(3 * time.Hour)),
			"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "headcount": 3, "min_headcount": 2}}}))[0]
		e.advance(36 * time.Hour)
		for range 2 {
			if _, err := e.app.SendAtRiskWarnings(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := e.app.PendingJobs(ctx, "webhook_delivery"); err != nil || n != 1 {
			t.Fatalf("%d deliveries queued (%v), want one for the shift", n, err)
		}
		e.workJobs()
		deadline := time.Now().Add(60 * time.Second)
		for n, _ := e.app.PendingJobs(ctx, "webhook_delivery"); n > 0; n, _ = e.app.PendingJobs(ctx, "webhook_delivery") {
			if time.Now().After(deadline) {
				t.Fatal("the delivery is still pending after 60 s")
			}
			time.Sleep(25 * time.Millisecond)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(bodies) != 1 {
			t.Fatalf("the partner got %d deliveries", len(bodies))
		}
		var body struct {
			Event string         `json:"event"`
			Data  map[string]any `json:"data"`
		}
		if err := json.Unmarshal(bodies[0], &body); err != nil || body.Event != "shift.at_risk" || body.Data["shift_id"] != sh[0] || body.Data["area"] != "DUR-N1" {
			t.Fatalf("the delivery: %s (%v)", bodies[0], err)
		}
		log := e.do(http.MethodGet, "/api/v1/webhooks/"+hook+"/deliveries", e.admin, nil)
		items := log.body["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["status_code"] != float64(200) || items[0].(map[string]any)["event"] != "shift.at_risk" {
			t.Fatalf("the log: %s", log.raw)
		}
	})
}
