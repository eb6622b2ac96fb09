package bench

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/copbank/copbank/db/dbtest"
)

// pgbench runs the default TPC-B-like script on a scratch database.
type pgbench struct {
	path string
	db   *dbtest.Scratch
}

func newPgbench(ctx context.Context, adminURL string, stderr io.Writer) (*pgbench, error) {
	path, err := exec.LookPath("pgbench")
	if err != nil {
		return nil, fmt.Errorf("pgbench is not on PATH")
	}
	db, err := dbtest.CreateScratch(ctx, adminURL, "copbank_pgbench_")
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(stderr, "bench: pgbench -i -s 1 on scratch database %s\n", db.Name)
	cmd := exec.CommandContext(ctx, path, "-i", "-s", "1", "-q", db.URL)
	if out, err := cmd.CombinedOutput(); err != nil {
		_ = db.Drop()
		return nil, fmt.Errorf("pgbench -i: %w: %s", err, strings.TrimSpace(string(out)))
	}
	return &pgbench{path: path, db: db}, nil
}

// tps runs pgbench at the given number of clients and returns its TPS
// (without initial connection time).
func (p *pgbench) tps(ctx context.Context, clients int, d time.Duration) (float64, error) {
	secs := max(1, int(d.Round(time.Second)/time.Second))
	cmd := exec.CommandContext(ctx, p.path, "-c", strconv.Itoa(clients), "-j", strconv.Itoa(min(clients, 2)),
		"-T", strconv.Itoa(secs), p.db.URL)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("pgbench -c %d: %w: %s", clients, err, lastLines(string(out), 3))
	}
	return parsePgbenchTPS(string(out))
}

func parsePgbenchTPS(out string) (float64, error) {
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "tps = ") {
			continue
		}
		f := strings.Fields(strings.TrimPrefix(line, "tps = "))
		if len(f) == 0 {
			continue
		}
		return strconv.ParseFloat(f[0], 64)
	}
	return 0, fmt.Errorf("no tps line in pgbench output: %s", lastLines(out, 3))
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
