package loadtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the check's own connection

	"github.com/copbank/copbank/db/dbtest"
)

// Config is what `bench load` and `bench chaos` run with.
type Config struct {
	Binary string // the copbank binary the servers run
	Server string // the PostgreSQL server the scratch database goes on
	// Rising rates (load): from StartRate, times Factor every Step, until
	// p99 of a step passes P99Limit, the rate passes MaxRate or the steps
	// would run past Duration.
	StartRate, Factor, MaxRate float64
	Step, Duration, P99Limit   time.Duration
	// MinSteps run whatever their p99, so that even a busy machine shows
	// how latency rises with the rate.
	MinSteps int
	// ChaosRate is the steady rate the faults are injected under, and
	// Settle how long the load runs between faults.
	ChaosRate float64
	Settle    time.Duration
	// Drain bounds the wait for the job queue at the end.
	Drain time.Duration
	// PoolSize is how many demo members the coordinator books.
	PoolSize    int
	MaxInFlight int64
	Keep        bool   // keep the scratch database (for a look afterwards)
	BookingLog  string // write every booking attempt and its answer here (TSV)
	LogDir      string // write the servers' output here at the end
}

// DefaultConfig is a run of about a minute and a half.
func DefaultConfig() Config {
	return Config{StartRate: 20, Factor: 1.5, MaxRate: 2000, Step: 6 * time.Second, Duration: 90 * time.Second,
		P99Limit: 200 * time.Millisecond, MinSteps: 3, ChaosRate: 25, Settle: 8 * time.Second, Drain: 90 * time.Second,
		PoolSize: 60, MaxInFlight: 512}
}

// rig is a scratch database with the demo loaded, an SMTP sink and the
// servers on it.
type rig struct {
	cfg     Config
	scratch *dbtest.Scratch
	pg      *sql.DB
	sink    *sink
	env     map[string]string
	servers []*server
	stderr  io.Writer
}

func (r *rig) stage(format string, a ...any) {
	fmt.Fprintf(r.stderr, "loadtest: "+format+"\n", a...)
}

// newRig creates the database, migrates and seeds it with the binary, and
// starts n servers, each on a free port.
func newRig(ctx context.Context, cfg Config, n int, stderr io.Writer) (r *rig, err error) {
	r = &rig{cfg: cfg, stderr: stderr}
	defer func() {
		if err != nil {
			r.close()
			r = nil
		}
	}()
	if r.scratch, err = dbtest.CreateScratch(ctx, cfg.Server, fmt.Sprintf("copbank_load_%d_", os.Getpid())); err != nil {
		return r, err
	}
	r.stage("scratch database %s", r.scratch.Name)
	if r.sink, err = startSink(n); err != nil {
		return r, err
	}
	r.env = map[string]string{
		"DATABASE_URL":         r.scratch.URL,
		"COPBANK_MFA_REQUIRED": "none",
		"COPBANK_SMTP_URL":     r.sink.urls[0],
		"COPBANK_MAIL_FROM":    "copbank <noreply@copbank.test>",
		"COPBANK_BASE_URL":     "http://copbank.test",
		"COPBANK_LOG_LEVEL":    "warn",
	}
	t0 := time.Now()
	if err = runBinary(ctx, cfg.Binary, r.env, "migrate"); err != nil {
		return r, err
	}
	if err = runBinary(ctx, cfg.Binary, r.env, "seed", "--demo"); err != nil {
		return r, err
	}
	r.stage("migrated and seeded the demo in %v", time.Since(t0).Round(time.Millisecond))
	if r.pg, err = sql.Open("pgx", r.scratch.URL); err != nil {
		return r, err
	}
	r.pg.SetMaxOpenConns(4)
	for i := range n {
		addr, err := freeAddr()
		if err != nil {
			return r, err
		}
		env := map[string]string{"COPBANK_SMTP_URL": r.sink.urls[i]}
		for k, v := range r.env {
			if k != "COPBANK_SMTP_URL" {
				env[k] = v
			}
		}
		s := &server{name: string(rune('A' + i)), addr: addr, bin: cfg.Binary, env: env}
		if err := s.start(ctx); err != nil {
			return r, err
		}
		r.stage("serve %s on %s (pid %d)", s.name, s.url(), s.cmd.Process.Pid)
		r.servers = append(r.servers, s)
	}
	return r, nil
}

func (r *rig) close() error {
	var errs []error
	for _, s := range r.servers {
		if err := s.stop(); err != nil {
			errs = append(errs, err)
		}
		if r.cfg.LogDir != "" {
			if err := s.saveLogs(r.cfg.LogDir); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if r.pg != nil {
		r.pg.Close()
	}
	if r.sink != nil {
		r.sink.close()
	}
	if r.scratch != nil {
		if r.cfg.Keep {
			r.stage("kept scratch database %s", r.scratch.Name)
		} else if err := r.scratch.Drop(); err != nil {
			errs = append(errs, fmt.Errorf("drop %s: %w", r.scratch.Name, err))
		} else {
			r.stage("dropped scratch database %s", r.scratch.Name)
		}
	}
	return errors.Join(errs...)
}

func (r *rig) urls() []string {
	out := make([]string, len(r.servers))
	for i, s := range r.servers {
		out[i] = s.url()
	}
	return out
}

// finish replays unanswered requests, waits for the job queue and runs
// the check; it prints the findings and returns an error if any broke.
func (r *rig) finish(ctx context.Context, g *generator, stdout io.Writer, places []place) error {
	deadline := time.Now().Add(r.cfg.Drain)
	ab, ac := g.reconcile(ctx, r.servers[0].url(), deadline)
	if ab+ac > 0 {
		r.stage("%d booking(s) and %d cancellation(s) still without an answer after replaying them", ab, ac)
	}
	pending, err := drainJobs(ctx, r.pg, time.Until(deadline)+5*time.Second)
	if err != nil {
		return err
	}
	r.stage("job queue drained: %d job(s) other than match runs still due%s", pending, r.pendingJobs(ctx))
	outs := g.outcomes()
	if r.cfg.BookingLog != "" {
		if err := writeBookingLog(r.cfg.BookingLog, outs); err != nil {
			return err
		}
		r.stage("booking log: %s (%d attempts)", r.cfg.BookingLog, len(outs))
	}
	f, err := checkDatabase(ctx, r.pg, outs, places, r.sink.messages())
	if err != nil {
		return err
	}
	f.print(stdout)
	if f.broken() {
		for _, s := range r.servers {
			s.logTail(r.stderr, 20)
		}
		fmt.Fprintln(stdout, "verdict: FAILED")
		return fmt.Errorf("an invariant broke under load")
	}
	fmt.Fprintln(stdout, "verdict: every invariant held")
	return nil
}

// outcomes is the generator's booking log as the check reads it.
func (g *generator) outcomes() []outcome {
	g.mu.Lock()
	defer g.mu.Unlock()
	unknown := map[*bookingAttempt]bool{}
	for _, c := range g.cancels {
		if c.code == 0 {
			unknown[c.booking] = true
		}
	}
	out := make([]outcome, 0, len(g.bookings))
	for _, b := range g.bookings {
		out = append(out, outcome{key: b.key, shiftID: b.place.shiftID, positionID: b.place.positionID, memberID: b.member(),
			code: b.code, bookingID: b.bookingID, status: b.status, cancelled: b.cancelled, cancelUnknown: unknown[b]})
	}
	return out
}

// machine says how busy the machine was: a figure means little without it.
func machine() string {
	load := "unknown"
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		f := strings.Fields(string(b))
		if len(f) >= 3 {
			load = strings.Join(f[:3], " ")
		}
	}
	return fmt.Sprintf("%d CPU(s), load average %s, %s", runtime.NumCPU(), load, runtime.Version())
}

// Load runs rising rates against one server until p99 passes the limit,
// prints a table per step, then checks the database.
func Load(ctx context.Context, cfg Config, stdout, stderr io.Writer) (err error) {
	r, err := newRig(ctx, cfg, 1, stderr)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, r.close()) }()
	c := newCaller(10 * time.Second)
	w, err := setUp(ctx, c, r.servers[0].url(), r.pg, cfg.PoolSize)
	if err != nil {
		return err
	}
	r.stage("%d popular places; %d members to book; %d shifts to read", len(w.places), len(w.pool), len(w.shifts))
	g := newGenerator(w, c, r.urls, 1)

	fmt.Fprintf(stdout, "copbank load test: rising rates from %.0f req/s ×%.2f every %v until p99 > %v (at most %v)\n",
		cfg.StartRate, cfg.Factor, cfg.Step, cfg.P99Limit, cfg.Duration)
	fmt.Fprintf(stdout, "mix: 40%% search, 40%% shift page, 12%% book, 3%% cancel, 3%% coordinator post, 2%% match run\n")
	fmt.Fprintf(stdout, "machine at start: %s\n", machine())
	start := time.Now()
	type stepRow struct {
		rate          float64
		n             int
		tput          float64
		p50, p95, p99 time.Duration
		errs, shed    int
	}
	var steps []stepRow
	for rate := cfg.StartRate; rate <= cfg.MaxRate && time.Since(start)+cfg.Step <= cfg.Duration; rate *= cfg.Factor {
		t0 := time.Now()
		shed := g.drive(ctx, rate, cfg.Step, cfg.MaxInFlight, nil)
		elapsed := time.Since(t0)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		fmt.Fprintf(stdout, "\nstep at %.0f req/s offered (%v, %d shed at %d in flight):\n", rate, cfg.Step, shed, cfg.MaxInFlight)
		total := printStats(stdout, "  ", c.since(t0, t0.Add(cfg.Step)), elapsed)
		steps = append(steps, stepRow{rate: rate, n: total.n, tput: float64(total.ok+total.refused) / elapsed.Seconds(),
			p50: total.p50, p95: total.p95, p99: total.p99, errs: total.server5xx + total.transport, shed: shed})
		if total.p99 > cfg.P99Limit {
			if len(steps) >= cfg.MinSteps {
				fmt.Fprintf(stdout, "  p99 %.1f ms passed %v: stopping\n", ms(total.p99), cfg.P99Limit)
				break
			}
			fmt.Fprintf(stdout, "  p99 %.1f ms passed %v, but fewer than %d steps have run: going on\n", ms(total.p99), cfg.P99Limit, cfg.MinSteps)
		}
	}
	fmt.Fprintf(stdout, "\nsummary (answered 2xx or 409 per second):\n  %9s %9s %8s %8s %8s %6s %5s\n", "offered/s", "done/s", "p50 ms", "p95 ms", "p99 ms", "errors", "shed")
	for _, s := range steps {
		fmt.Fprintf(stdout, "  %9.0f %9.1f %8.1f %8.1f %8.1f %6d %5d\n", s.rate, s.tput, ms(s.p50), ms(s.p95), ms(s.p99), s.errs, s.shed)
	}
	fmt.Fprintf(stdout, "whole run:\n")
	printStats(stdout, "  ", c.since(start, time.Now()), time.Since(start))
	fmt.Fprintf(stdout, "machine at end: %s\n", machine())
	return r.finish(ctx, g, stdout, w.places)
}

// pendingJobs names the kinds and states of jobs not yet done, if any.
func (r *rig) pendingJobs(ctx context.Context) string {
	rows, err := r.pg.QueryContext(ctx, `SELECT kind, state, count(*) FROM river_job
		WHERE state IN ('available', 'running', 'retryable', 'pending') GROUP BY kind, state ORDER BY kind, state`)
	if err != nil {
		return ""
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var kind, state string
		var n int
		if rows.Scan(&kind, &state, &n) == nil {
			parts = append(parts, fmt.Sprintf("%s %s %d", kind, state, n))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (not done: " + strings.Join(parts, ", ") + "; a job left running by a killed process waits for River's rescuer)"
}

// writeBookingLog writes one line per booking attempt: what was asked and
// what the client was told.
func writeBookingLog(path string, outs []outcome) error {
	var b strings.Builder
	b.WriteString("idempotency_key\tmember_id\tshift_id\tposition_id\tstatus_code\tbooking_id\tbooking_status\tcancelled_by_us\n")
	for _, o := range outs {
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%t\n", o.key, o.memberID, o.shiftID, o.positionID, o.code, o.bookingID, o.status, o.cancelled)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
