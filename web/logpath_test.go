package web

import "testing"

func TestCalendarTokensNeverReachTheLogs(t *testing.T) {
	t.Parallel()
	if got := loggedPath("/calendar/0123456789abcdef.ics"); got != "/calendar/…" {
		t.Fatalf("logged %q", got)
	}
	if got := loggedPath("/api/v1/shifts"); got != "/api/v1/shifts" {
		t.Fatalf("logged %q", got)
	}
}
