package loadtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// fault is one thing that goes wrong, and how it went.
type fault struct {
	name   string
	inject func(ctx context.Context) (note string, err error)

	start, injected time.Time
	note            string
}

// Chaos keeps the mix going at a steady rate against two servers (the
// generator sends to each in turn, as a balancer without health checks
// would) while the faults come one after another, then checks the
// database, the mail and the job queue.
func Chaos(ctx context.Context, cfg Config, stdout, stderr io.Writer) (err error) {
	r, err := newRig(ctx, cfg, 2, stderr)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, r.close()) }()
	a, b := r.servers[0], r.servers[1]
	c := newCaller(10 * time.Second)
	w, err := setUp(ctx, c, a.url(), r.pg, cfg.PoolSize)
	if err != nil {
		return err
	}
	g := newGenerator(w, c, r.urls, 2)

	faults := []*fault{
		{name: "(a) PostgreSQL restarted", inject: r.restartPostgres},
		{name: "(b) serve A: SIGTERM, new process on its port", inject: func(ctx context.Context) (string, error) {
			t := time.Now()
			if err := a.stop(); err != nil {
				return "", fmt.Errorf("stop A: %w", err)
			}
			stopped := time.Since(t)
			if err := a.start(ctx); err != nil {
				return "", err
			}
			return fmt.Sprintf("old process finished in-flight work and exited in %v; new one ready %v later",
				stopped.Round(time.Millisecond), (time.Since(t) - stopped).Round(time.Millisecond)), nil
		}},
		{name: "(c) serve B: SIGKILL mid-request, then restarted", inject: func(ctx context.Context) (string, error) {
			// The sink holds B's sends, and bookings go to B in bursts until
			// one of its job workers is mid-send; then, with a fresh burst
			// inside B, it dies. The bookings' clients get no answer and
			// replay them; the send's job waits for River's rescuer, and its
			// retry sends again what the sink already took.
			r.sink.hold[1].Store(int64(5 * time.Second))
			defer r.sink.hold[1].Store(0)
			var wg sync.WaitGroup
			burst := func() {
				for range 8 {
					wg.Add(1)
					g.inFlight[1].Add(1)
					go func() {
						defer wg.Done()
						defer g.inFlight[1].Add(-1)
						g.book(ctx, 1, b.url())
					}()
				}
			}
			deadline := time.Now().Add(5 * time.Second)
			for r.sink.holding[1].Load() == 0 && time.Now().Before(deadline) {
				burst()
				for i := 0; i < 50 && r.sink.holding[1].Load() == 0; i++ {
					time.Sleep(10 * time.Millisecond)
				}
			}
			burst()
			time.Sleep(5 * time.Millisecond) // past the client, into the server
			n, sends := g.inFlight[1].Load(), r.sink.holding[1].Load()
			if err := b.signal(syscall.SIGKILL, 10*time.Second); err != nil {
				return "", err
			}
			t := time.Now()
			if err := b.start(ctx); err != nil {
				return "", err
			}
			wg.Wait()
			return fmt.Sprintf("killed with %d request(s) in flight to it and %d of its email send(s) taken by the sink but not yet answered; new process ready in %v",
				n, sends, time.Since(t).Round(time.Millisecond)), nil
		}},
		{name: "(d) connections cut (pg_terminate_backend)", inject: r.terminateBackends},
	}

	fmt.Fprintf(stdout, "copbank chaos test: %.0f req/s of the mix to serve A and B in turn; %v of load between faults\n", cfg.ChaosRate, cfg.Settle)
	fmt.Fprintf(stdout, "machine at start: %s\n", machine())
	var halt atomic.Bool
	driven := make(chan int, 1)
	start := time.Now()
	go func() { driven <- g.drive(ctx, cfg.ChaosRate, 24*time.Hour, cfg.MaxInFlight, halt.Load) }()
	var injectErr error
	for _, f := range faults {
		sleepCtx(ctx, cfg.Settle)
		f.start = time.Now()
		r.stage("injecting %s", f.name)
		f.note, injectErr = f.inject(ctx)
		f.injected = time.Now()
		if injectErr != nil {
			injectErr = fmt.Errorf("%s: %w", f.name, injectErr)
			break
		}
	}
	sleepCtx(ctx, cfg.Settle)
	halt.Store(true)
	shed := <-driven
	end := time.Now()
	if injectErr != nil {
		return injectErr
	}

	fmt.Fprintf(stdout, "\nwhole run (%v, %d shed):\n", end.Sub(start).Round(time.Second), shed)
	printStats(stdout, "  ", c.since(start, end), end.Sub(start))
	fmt.Fprintln(stdout, "\nfaults (errors: answers other than 2xx/409, and no answer at all; recovery: from the fault to the first success after the last error):")
	for i, f := range faults {
		until := end
		if i+1 < len(faults) {
			until = faults[i+1].start
		}
		reportFault(stdout, f, c.since(f.start, until))
	}
	fmt.Fprintf(stdout, "machine at end: %s\n", machine())
	return r.finish(ctx, g, stdout, w.places)
}

func sleepCtx(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

func reportFault(w io.Writer, f *fault, answers []answer) {
	sort.Slice(answers, func(i, j int) bool { return answers[i].at.Before(answers[j].at) })
	byKind := map[string]int{}
	why := map[string]int{}
	var lastErr time.Time
	errs := 0
	for _, a := range answers {
		if a.expected() {
			continue
		}
		errs++
		byKind[a.kind]++
		why[describe(a)]++
		if a.at.After(lastErr) {
			lastErr = a.at
		}
	}
	fmt.Fprintf(w, "  %s\n    took %v to inject", f.name, f.injected.Sub(f.start).Round(time.Millisecond))
	if f.note != "" {
		fmt.Fprintf(w, ": %s", f.note)
	}
	fmt.Fprintf(w, "\n    %d request(s) in the window, %d error(s)", len(answers), errs)
	if errs == 0 {
		fmt.Fprintf(w, "; nothing for clients to recover from\n")
		return
	}
	var parts []string
	for _, k := range kinds {
		if byKind[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, byKind[k]))
		}
	}
	fmt.Fprintf(w, " (%s)\n", strings.Join(parts, ", "))
	type reason struct {
		what string
		n    int
	}
	var rs []reason
	for k, n := range why {
		rs = append(rs, reason{k, n})
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].n > rs[j].n })
	for i, r := range rs {
		if i == 4 {
			break
		}
		fmt.Fprintf(w, "      %4d × %s\n", r.n, r.what)
	}
	for _, a := range answers {
		if a.at.After(lastErr) && a.expected() {
			fmt.Fprintf(w, "    recovered %v after the fault began (first success after the last error)\n", a.at.Sub(f.start).Round(time.Millisecond))
			return
		}
	}
	fmt.Fprintf(w, "    no success after the last error in the window\n")
}

// describe is an error's gist, short enough to group by.
func describe(a answer) string {
	if a.code == 0 {
		msg := fmt.Sprint(a.err)
		for _, k := range []string{"connection refused", "connection reset", "EOF", "timeout", "deadline exceeded"} {
			if strings.Contains(msg, k) {
				return "no answer: " + k
			}
		}
		if len(msg) > 80 {
			msg = msg[:80]
		}
		return "no answer: " + msg
	}
	var problem struct {
		Title, Detail string
	}
	if json.Unmarshal(a.body, &problem) == nil && problem.Title != "" {
		return fmt.Sprintf("%d %s: %.90s", a.code, problem.Title, problem.Detail)
	}
	body := strings.Join(strings.Fields(string(a.body)), " ")
	return fmt.Sprintf("%d %.100s", a.code, body)
}

// restartPostgres restarts the server's cluster, or, where that is not
// allowed, cuts every connection to the scratch database instead.
func (r *rig) restartPostgres(ctx context.Context) (string, error) {
	versions, _ := filepath.Glob("/etc/postgresql/*/main")
	if len(versions) == 1 {
		ver := filepath.Base(filepath.Dir(versions[0]))
		cmd := exec.CommandContext(ctx, "pg_ctlcluster", "--skip-systemctl-redirect", ver, "main", "restart")
		out, err := cmd.CombinedOutput()
		if err == nil {
			return "pg_ctlcluster " + ver + " main restart", nil
		}
		r.stage("pg_ctlcluster restart failed (%v: %s); cutting connections instead", err, strings.TrimSpace(string(out)))
		// Whatever happened, PostgreSQL must be left running.
		_ = exec.CommandContext(ctx, "pg_ctlcluster", "--skip-systemctl-redirect", ver, "main", "start").Run()
	} else {
		r.stage("no single cluster under /etc/postgresql; cutting connections instead of restarting")
	}
	note, err := r.terminateBackends(ctx)
	return "NOT a restart (not permitted here): " + note, err
}

// terminateBackends ends every other connection to the scratch database.
func (r *rig) terminateBackends(ctx context.Context) (string, error) {
	var n int
	err := r.pg.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = $1 AND pid <> pg_backend_pid()) t`, r.scratch.Name).Scan(&n)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d connection(s) terminated", n), nil
}
