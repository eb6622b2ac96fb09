package web

import "testing"

func TestWithdrawLinkSecretsNeverReachTheLogs(t *testing.T) {
	t.Parallel()
	if got := loggedPath("/applications/withdraw/s3cr3t-token"); got != "/applications/withdraw/…" {
		t.Fatalf("logged %q", got)
	}
}
