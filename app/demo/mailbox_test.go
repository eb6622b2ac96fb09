package demo_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
)

// mailbox keeps what the App sends, so a test can see who was told what.
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

// runJobs starts the App's job workers (no periodic sweeps) for the test.
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
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}
