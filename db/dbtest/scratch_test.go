package dbtest

import (
	"strings"
	"testing"
)

func TestWithDatabaseKeepsCredentialsAndParameters(t *testing.T) {
	t.Parallel()
	if got := withDatabase("postgres://u:p@h:5432/test?sslmode=disable", "scratch"); got != "postgres://u:p@h:5432/scratch?sslmode=disable" {
		t.Errorf("got %q", got)
	}
	if r := redacted("postgres://u:secret@h/db"); strings.Contains(r, "secret") {
		t.Errorf("redacted leaked the password: %q", r)
	}
}
