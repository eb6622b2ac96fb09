package main

import (
	"os"
	"testing"
)

// Unset and empty COPBANK_MFA_REQUIRED differ: empty turns the second
// factor off, unset requires it of staff.
func TestAnEmptyMFARequiredReadsAsNone(t *testing.T) {
	t.Setenv("COPBANK_MFA_REQUIRED", "")
	if got := getenv("COPBANK_MFA_REQUIRED"); got != "none" {
		t.Fatalf("set but empty reads as %q, want none", got)
	}
	os.Unsetenv("COPBANK_MFA_REQUIRED")
	if got := getenv("COPBANK_MFA_REQUIRED"); got != "" {
		t.Fatalf("unset reads as %q, want empty", got)
	}
}
