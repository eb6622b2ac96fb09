package bench

import (
	"strings"
	"testing"
)

func TestRedactURLHidesThePassword(t *testing.T) {
	t.Parallel()
	if r := redactURL("postgres://u:secret@h/db"); strings.Contains(r, "secret") {
		t.Errorf("redactURL leaked the password: %q", r)
	}
}

func TestParsePgbenchTPS(t *testing.T) {
	t.Parallel()
	out := "latency average = 5.9 ms\ninitial connection time = 3.1 ms\ntps = 168.934212 (without initial connection time)\n"
	if tps, err := parsePgbenchTPS(out); err != nil || tps < 168.9 || tps > 169 {
		t.Errorf("got %v, %v", tps, err)
	}
}
