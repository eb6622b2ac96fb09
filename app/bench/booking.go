package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
)

// BookingConfig is what `bench booking` runs with.
type BookingConfig struct {
	Clients          []int
	Duration         time.Duration
	DatabaseURL      string // a real database, only when the operator names one
	Server           string // where scratch databases go
	MembersPerClient int
	Days             int
	// Serve starts the HTTP API of a on ln and returns how to stop it: the
	// bench books through the server as any client would.
	Serve func(a *app.App, log *slog.Logger, ln net.Listener) (stop func())
	// CPUProfile, when set, receives a CPU profile of the booking runs
	// (not of the set-up).
	CPUProfile io.Writer
	// SQLite books in a scratch SQLite file instead (no pgbench beside it).
	SQLite bool
	// Mix is MixBook (every request books) or MixRead (nine reads for each
	// booking: a member's detail, a shift search).
	Mix string
}

// The request mixes.
const (
	MixBook = "book"
	MixRead = "read"
)

// bookingRow is one line of the booking table.
type bookingRow struct {
	Clients                                   int
	Booked, Refused, Other4xx, Server5xx, Net int
	Read                                      int // 200 answers of the read mix
	Elapsed                                   time.Duration
	P50, P99                                  time.Duration
	PgbenchTPS                                float64 // 0 when not measured
	Exhausted                                 int     // clients that ran out of places
	First5xx, First4xx                        string
}

func (r bookingRow) perSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Booked+r.Read) / r.Elapsed.Seconds()
}

// Booking seeds a workload of cfg.MembersPerClient members and cfg.Days
// daily shifts per client, then for each client count books over HTTP for
// cfg.Duration (and runs pgbench as long), and prints the table to stdout;
// progress goes to stderr. It books in cfg.DatabaseURL if set, otherwise in a
// scratch database on cfg.Server that it drops when done. Any 5xx answer
// makes it return an error after the table.
func Booking(ctx context.Context, cfg BookingConfig, stdout, stderr io.Writer) (err error) {
	stage := func(format string, a ...any) {
		fmt.Fprintf(stderr, "bench: "+format+"\n", a...)
	}
	maxClients := slices.Max(cfg.Clients)

	dbURL := cfg.DatabaseURL
	switch {
	case cfg.SQLite:
		dir, err := os.MkdirTemp("", "copbank-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dbURL = "sqlite://" + filepath.Join(dir, "bench.db")
		stage("booking in a scratch SQLite file in %s", dir)
	case strings.HasPrefix(cfg.Server, "sqlite") || !strings.Contains(cfg.Server, "://"):
		return fmt.Errorf("bench booking needs PostgreSQL: %q is not a postgres:// URL", redactURL(cfg.Server))
	case dbURL == "":
		scratch, err := dbtest.CreateScratch(ctx, cfg.Server, "copbank_bench_")
		if err != nil {
			return err
		}
		stage("created scratch database %s on %s", scratch.Name, redactURL(cfg.Server))
		defer func() {
			if derr := scratch.Drop(); derr != nil {
				err = errors.Join(err, fmt.Errorf("drop scratch database %s: %w", scratch.Name, derr))
				return
			}
			stage("dropped scratch database %s", scratch.Name)
		}()
		dbURL = scratch.URL
	default:
		stage("booking in %s as asked: the bench data (areas BENCH-…, members, demands) stays there", redactURL(dbURL))
	}

	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	store, err := db.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer store.Close()
	if store.Dialect() != db.Postgres && !cfg.SQLite {
		return fmt.Errorf("bench booking needs PostgreSQL, not %s", store.Dialect())
	}
	if _, err := store.Migrate(ctx); err != nil {
		return err
	}
	a := app.New(store, app.DefaultConfig(), log)

	t0 := time.Now()
	w, err := seedWorkload(ctx, a, store, maxClients, cfg.MembersPerClient, cfg.Days, stage)
	if err != nil {
		return fmt.Errorf("set up: %w", err)
	}
	stage("set up %d members and %d shifts with %d places each in %v", maxClients*cfg.MembersPerClient,
		maxClients*cfg.Days, cfg.MembersPerClient, time.Since(t0).Round(time.Millisecond))

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer cfg.Serve(a, log, ln)()
	baseURL := "http://" + ln.Addr().String()
	stage("serving on %s", baseURL)

	var (
		pg    *pgbench
		pgErr = errors.New("SQLite: nothing to compare with")
	)
	if !cfg.SQLite {
		pg, pgErr = newPgbench(ctx, cfg.Server, stderr)
	}
	if pgErr != nil {
		stage("no pgbench figures: %v", pgErr)
	} else {
		defer func() {
			if derr := pg.db.Drop(); derr != nil {
				err = errors.Join(err, fmt.Errorf("drop pgbench database %s: %w", pg.db.Name, derr))
			}
		}()
	}

	if cfg.CPUProfile != nil {
		if err := pprof.StartCPUProfile(cfg.CPUProfile); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	rows := make([]bookingRow, 0, len(cfg.Clients))
	for _, c := range cfg.Clients {
		if err := ctx.Err(); err != nil {
			return err
		}
		stage("booking with %d client(s) for %v…", c, cfg.Duration)
		row := w.run(ctx, baseURL, c, cfg.Duration, cfg.Mix == MixRead)
		stage("  %d booked, %d read (%.0f answers/s), %d refused (409), %d other 4xx, %d 5xx, %d transport errors; p50 %.1f ms, p99 %.1f ms",
			row.Booked, row.Read, row.perSecond(), row.Refused, row.Other4xx, row.Server5xx, row.Net, ms(row.P50), ms(row.P99))
		if pg != nil {
			stage("pgbench with %d client(s) for %v…", c, cfg.Duration)
			tps, err := pg.tps(ctx, c, cfg.Duration)
			if err != nil {
				stage("  pgbench failed: %v", err)
			} else {
				row.PgbenchTPS = tps
				stage("  %.0f TPS", tps)
			}
		}
		rows = append(rows, row)
	}

	printBookingTable(stdout, rows, cfg, pgErr)
	var bad int
	for _, r := range rows {
		bad += r.Server5xx
		if r.Server5xx > 0 {
			fmt.Fprintf(stderr, "bench: !!! %d server error(s) (5xx) at %d client(s); first: %s\n", r.Server5xx, r.Clients, r.First5xx)
		}
		if r.Other4xx > 0 {
			fmt.Fprintf(stderr, "bench: %d unexpected 4xx answer(s) at %d client(s); first: %s\n", r.Other4xx, r.Clients, r.First4xx)
		}
		if r.Exhausted > 0 {
			fmt.Fprintf(stderr, "bench: %d client(s) ran out of places at %d client(s): raise --days or --members-per-client\n", r.Exhausted, r.Clients)
		}
	}
	if bad > 0 {
		return fmt.Errorf("the server answered %d booking(s) with a 5xx", bad)
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func printBookingTable(w io.Writer, rows []bookingRow, cfg BookingConfig, pgErr error) {
	perSecond := "bookings/s"
	if cfg.Mix == MixRead {
		perSecond = "answers/s"
		fmt.Fprintf(w, "read-heavy mix over HTTP as a coordinator: of every ten requests, five GET /api/v1/members/{id}, four GET /api/v1/shifts, one booking; %v per client count\n", cfg.Duration)
	} else {
		fmt.Fprintf(w, "booking throughput over HTTP (POST /api/v1/shifts/{id}/bookings as a coordinator), %v per client count\n", cfg.Duration)
	}
	if cfg.SQLite {
		fmt.Fprintf(w, "database: a scratch SQLite file\n")
	}
	const head = "%7s %11s %8s %8s %12s %7s %8s %6s %9s %5s %7s\n"
	fmt.Fprintf(w, head, "clients", perSecond, "p50 ms", "p99 ms", "pgbench TPS", "ratio", "booked", "409", "other 4xx", "5xx", "net err")
	for _, r := range rows {
		tps, ratio := "n/a", "n/a"
		if r.PgbenchTPS > 0 {
			tps, ratio = fmt.Sprintf("%.0f", r.PgbenchTPS), fmt.Sprintf("%.3f", r.perSecond()/r.PgbenchTPS)
		}
		fmt.Fprintf(w, "%7d %11.1f %8.2f %8.2f %12s %7s %8d %6d %9d %5d %7d\n", r.Clients, r.perSecond(), ms(r.P50), ms(r.P99),
			tps, ratio, r.Booked, r.Refused, r.Other4xx, r.Server5xx, r.Net)
	}
	if pgErr != nil {
		fmt.Fprintf(w, "pgbench: not measured (%v)\n", pgErr)
	} else {
		fmt.Fprintf(w, "pgbench: default TPC-B-like script, scale 1, -j min(clients,2), on a scratch database of the same server\n")
	}
	fmt.Fprintf(w, "latencies cover every answered request; go %s, %d CPU(s)\n", runtime.Version(), runtime.NumCPU())
}

// redactURL hides a password in a database URL.
func redactURL(u string) string {
	i := strings.Index(u, "://")
	at := strings.LastIndexByte(u, '@')
	if i < 0 || at < i {
		return u
	}
	creds := u[i+3 : at]
	if c := strings.IndexByte(creds, ':'); c >= 0 {
		return u[:i+3] + creds[:c] + ":***" + u[at:]
	}
	return u
}
