package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/db/dbtest"
)

// requirePostgres skips (or, with CI set, fails) when the test server is down.
func requirePostgres(tb testing.TB) {
	tb.Helper()
	conn, err := sql.Open("pgx", dbtest.ServerURL())
	if err == nil {
		defer conn.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = conn.PingContext(ctx)
		cancel()
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("PostgreSQL at %s is unreachable and CI is set: %v", dbtest.ServerURL(), err)
		}
		tb.Skipf("PostgreSQL at %s is unreachable (set CI to make this fail): %v", dbtest.ServerURL(), err)
	}
}

func TestBenchBookingReportsARowPerClientCountAndDropsItsDatabase(t *testing.T) {
	t.Parallel()
	requirePostgres(t)
	var stdout, stderr bytes.Buffer
	env := envFrom(map[string]string{"TEST_DATABASE_URL": dbtest.ServerURL()})
	args := []string{"bench", "booking", "--clients", "1,2", "--duration", "1s", "--days", "20", "--members-per-client", "10"}
	if err := run(context.Background(), args, env, strings.NewReader(""), &stdout, &stderr); err != nil {
		t.Fatalf("bench booking: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	out := stdout.String()
	if !strings.Contains(out, "bookings/s") || !strings.Contains(out, "pgbench TPS") || !strings.Contains(out, "ratio") {
		t.Fatalf("no table header in:\n%s", out)
	}
	perSecond := map[int]float64{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 11 {
			continue
		}
		clients, err := strconv.Atoi(f[0])
		if err != nil {
			continue
		}
		if perSecond[clients], err = strconv.ParseFloat(f[1], 64); err != nil {
			t.Fatalf("bookings/s %q in row %q: %v", f[1], line, err)
		}
		if f[9] != "0" {
			t.Errorf("5xx answers in row %q", line)
		}
	}
	for _, c := range []int{1, 2} {
		if perSecond[c] <= 0 {
			t.Errorf("no positive bookings/s for %d client(s) in:\n%s\nstderr:\n%s", c, out, stderr.String())
		}
	}

	m := regexp.MustCompile(`created scratch database (\S+)`).FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("the bench did not say which scratch database it made:\n%s", stderr.String())
	}
	admin, err := sql.Open("pgx", dbtest.ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var n int
	if err := admin.QueryRow(`SELECT count(*) FROM pg_database WHERE datname = $1`, m[1]).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("scratch database %s is still there", m[1])
	}
}

func TestBenchCurtoisSolvesInstance1(t *testing.T) {
	t.Parallel()
	file := filepath.Join("..", "..", "testdata", "curtois", "Instance1.txt")
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	// Flags after the file, as the README writes it.
	args := []string{"bench", "curtois", file, "--time", "1s", "--out", out, "--seed", "1"}
	if err := run(context.Background(), args, envFrom(nil), strings.NewReader(""), &stdout, &stderr); err != nil {
		t.Fatalf("bench curtois: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "Instance1") {
		t.Errorf("no Instance1 row in:\n%s", stdout.String())
	}
	roster, err := os.ReadFile(filepath.Join(out, "Instance1.roster"))
	if err != nil || len(roster) == 0 {
		t.Errorf("no roster written: %v", err)
	}
}

func TestBenchRefusesBadInput(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"no benchmark named", []string{"bench"}},
		{"an unknown benchmark", []string{"bench", "nope"}},
		{"a zero client count", []string{"bench", "booking", "--clients", "0"}},
		{"a client list that is not numbers", []string{"bench", "booking", "--clients", "1,x"}},
		{"curtois without a file", []string{"bench", "curtois", "--time", "1s"}},
		{"a SQLite database", []string{"bench", "booking", "--database-url", "sqlite:///tmp/x.db"}},
		{"a load whose rate never rises", []string{"bench", "load", "--factor", "1"}},
		{"chaos with an argument", []string{"bench", "chaos", "now"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if err := run(context.Background(), tc.args, envFrom(nil), strings.NewReader(""), &stdout, &stderr); err == nil {
				t.Errorf("%v: no error", tc.args)
			}
		})
	}
}
