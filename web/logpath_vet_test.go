package web

import "testing"

func TestLinkSecretsInPathsNeverReachTheLogs(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]string{
		"/applications/withdraw/s3cr3t-token": "/applications/withdraw/…",
		"/invite/s3cr3t-token":                "/invite/…",
		"/reset-password/s3cr3t-token":        "/reset-password/…",
	} {
		if got := loggedPath(path); got != want {
			t.Errorf("%s logged as %q, want %q", path, got, want)
		}
	}
}
