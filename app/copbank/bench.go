package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver for CREATE/DROP DATABASE

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
	"github.com/copbank/copbank/scheduling/curtois"
	"github.com/copbank/copbank/scheduling/solver/scale"
	"github.com/copbank/copbank/web"
)

// defaultBenchServer is the PostgreSQL server the booking benchmark creates
// its scratch databases on when neither --database-url nor
// TEST_DATABASE_URL says otherwise (the same default as the tests).
const defaultBenchServer = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

const benchUsage = `Usage:
  copbank bench booking [--clients 1,8,64] [--duration 10s] [--database-url URL]
                        booking throughput over HTTP against PostgreSQL, beside pgbench
  copbank bench curtois FILE… [--time 60s] [--out DIR] [--seed 1] [--workers 1]
                        the Curtois & Qu shift scheduling benchmark
  copbank bench scale --members N --shifts M [--time 10s] [--seed 1] [--workers 1]
                        the solver on a synthetic force-shaped problem, beside the greedy baseline
`

// bench runs one of the benchmarks.
func bench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, benchUsage)
		return fmt.Errorf("name a benchmark: booking, curtois or scale")
	}
	switch args[0] {
	case "booking":
		return benchBooking(ctx, args[1:], getenv, stdout, stderr)
	case "curtois":
		return benchCurtois(ctx, args[1:], stdout, stderr)
	case "scale":
		return benchScale(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, benchUsage)
		return nil
	default:
		fmt.Fprint(stderr, benchUsage)
		return fmt.Errorf("unknown benchmark %q", args[0])
	}
}

// parseInterleaved parses flags that may come before, between or after
// positional arguments (the flag package stops at the first positional one).
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

func benchCurtois(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench curtois", flag.ContinueOnError)
	fs.SetOutput(stderr)
	limit := fs.Duration("time", 60*time.Second, "wall-clock budget per instance")
	out := fs.String("out", "", "write DIR/InstanceN.roster for each instance")
	seed := fs.Uint64("seed", 1, "random seed")
	workers := fs.Int("workers", 1, "parallel searches per instance")
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("usage: copbank bench curtois FILE… [--time 60s] [--out DIR] [--seed 1]")
	}
	if *limit <= 0 {
		return fmt.Errorf("--time must be positive")
	}
	fmt.Fprintf(stderr, "bench curtois: %d instance(s), %v each, seed %d, %d worker(s)\n", len(files), *limit, *seed, *workers)
	return curtois.Run(ctx, files, curtois.RunOptions{TimePerInstance: *limit, OutDir: *out, Seed: *seed, Workers: *workers}, stdout)
}

func benchScale(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench scale", flag.ContinueOnError)
	fs.SetOutput(stderr)
	members := fs.Int("members", 2000, "members in the synthetic bank")
	shifts := fs.Int("shifts", 1500, "shifts to fill")
	limit := fs.Duration("time", 10*time.Second, "local-search budget after construction")
	seed := fs.Uint64("seed", 1, "random seed")
	workers := fs.Int("workers", 1, "parallel searches")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("bench scale takes no arguments, only flags (got %q)", fs.Arg(0))
	}
	if *members < 1 || *shifts < 1 {
		return fmt.Errorf("--members and --shifts must be positive")
	}
	fmt.Fprintf(stderr, "bench scale: %d members, %d shifts, %v search, seed %d, %d worker(s)\n", *members, *shifts, *limit, *seed, *workers)
	_, err := scale.RunScale(ctx, *members, *shifts, scale.Options{Seed: *seed, TimeLimit: *limit, Workers: *workers}, stdout)
	return err
}

// ---- PostgreSQL scratch databases and pgbench ----

// scratchDB is a database the bench created and drops when done.
type scratchDB struct {
	admin string // URL of a database on the same server to run DROP from
	name  string
	url   string
}

func createScratch(ctx context.Context, adminURL, prefix string) (*scratchDB, error) {
	conn, err := sql.Open("pgx", adminURL)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := conn.PingContext(pingCtx); err != nil {
		return nil, fmt.Errorf("PostgreSQL at %s is unreachable: %w", redactURL(adminURL), err)
	}
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	name := prefix + hex.EncodeToString(b)
	if _, err := conn.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		return nil, fmt.Errorf("create database %s: %w", name, err)
	}
	u, err := withDatabaseName(adminURL, name)
	if err != nil {
		return nil, err
	}
	return &scratchDB{admin: adminURL, name: name, url: u}, nil
}

// drop removes the database even when connections are still open.
func (s *scratchDB) drop() error {
	conn, err := sql.Open("pgx", s.admin)
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = conn.ExecContext(ctx, `DROP DATABASE IF EXISTS `+s.name+` WITH (FORCE)`)
	return err
}

func withDatabaseName(server, name string) (string, error) {
	i := strings.Index(server, "://")
	if i < 0 {
		return "", fmt.Errorf("database URL %q is not a postgres:// URL", redactURL(server))
	}
	rest := server[i+3:]
	query := ""
	if q := strings.IndexByte(rest, '?'); q >= 0 {
		rest, query = rest[:q], rest[q:]
	}
	if s := strings.IndexByte(rest, '/'); s >= 0 {
		rest = rest[:s]
	}
	return server[:i+3] + rest + "/" + name + query, nil
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

// pgbench runs the default TPC-B-like script on a scratch database.
type pgbench struct {
	path string
	db   *scratchDB
}

func newPgbench(ctx context.Context, adminURL string, stderr io.Writer) (*pgbench, error) {
	path, err := exec.LookPath("pgbench")
	if err != nil {
		return nil, fmt.Errorf("pgbench is not on PATH")
	}
	db, err := createScratch(ctx, adminURL, "copbank_pgbench_")
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(stderr, "bench: pgbench -i -s 1 on scratch database %s\n", db.name)
	cmd := exec.CommandContext(ctx, path, "-i", "-s", "1", "-q", db.url)
	if out, err := cmd.CombinedOutput(); err != nil {
		_ = db.drop()
		return nil, fmt.Errorf("pgbench -i: %w: %s", err, strings.TrimSpace(string(out)))
	}
	return &pgbench{path: path, db: db}, nil
}

// tps runs pgbench at the given number of clients and returns its TPS
// (without initial connection time).
func (p *pgbench) tps(ctx context.Context, clients int, d time.Duration) (float64, error) {
	secs := max(1, int(d.Round(time.Second)/time.Second))
	cmd := exec.CommandContext(ctx, p.path, "-c", strconv.Itoa(clients), "-j", strconv.Itoa(min(clients, 2)),
		"-T", strconv.Itoa(secs), p.db.url)
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

// parseClients reads "1,8,64".
func parseClients(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 1024 {
			return nil, fmt.Errorf("--clients: %q is not a client count from 1 to 1024", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// ---- bench booking ----

// bookingBenchConfig is what `bench booking` runs with.
type bookingBenchConfig struct {
	Clients          []int
	Duration         time.Duration
	DatabaseURL      string // a real database, only when the operator names one
	Server           string // where scratch databases go
	MembersPerClient int
	Days             int
}

func benchBooking(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench booking", flag.ContinueOnError)
	fs.SetOutput(stderr)
	clients := fs.String("clients", "1,8,64", "comma-separated concurrent client counts")
	duration := fs.Duration("duration", 10*time.Second, "how long each client count books (and pgbench runs)")
	dbURL := fs.String("database-url", "", "PostgreSQL database to book in (default: a scratch database, dropped after)")
	perClient := fs.Int("members-per-client", 50, "members each client books for (also each shift's headcount)")
	days := fs.Int("days", 365, "daily shifts per client, from tomorrow (at most 500)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("bench booking takes no arguments, only flags (got %q)", fs.Arg(0))
	}
	cfg := bookingBenchConfig{Duration: *duration, DatabaseURL: *dbURL, MembersPerClient: *perClient, Days: *days}
	var err error
	if cfg.Clients, err = parseClients(*clients); err != nil {
		return err
	}
	switch {
	case cfg.Duration < 100*time.Millisecond:
		return fmt.Errorf("--duration must be at least 100ms")
	case cfg.MembersPerClient < 1 || cfg.MembersPerClient > 500:
		return fmt.Errorf("--members-per-client must be from 1 to 500 (it is the shifts' headcount)")
	case cfg.Days < 1 || cfg.Days > 500:
		return fmt.Errorf("--days must be from 1 to 500")
	}
	cfg.Server = cfg.DatabaseURL
	if cfg.Server == "" {
		cfg.Server = getenv("TEST_DATABASE_URL")
	}
	if cfg.Server == "" {
		cfg.Server = defaultBenchServer
	}
	if strings.HasPrefix(cfg.Server, "sqlite") || !strings.Contains(cfg.Server, "://") {
		return fmt.Errorf("bench booking needs PostgreSQL: %q is not a postgres:// URL", redactURL(cfg.Server))
	}
	return runBookingBench(ctx, cfg, stdout, stderr)
}

// benchRow is one line of the booking table.
type benchRow struct {
	Clients                                   int
	Booked, Refused, Other4xx, Server5xx, Net int
	Elapsed                                   time.Duration
	P50, P99                                  time.Duration
	PgbenchTPS                                float64 // 0 when not measured
	Exhausted                                 int     // clients that ran out of places
	First5xx, First4xx                        string
}

func (r benchRow) perSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Booked) / r.Elapsed.Seconds()
}

func runBookingBench(ctx context.Context, cfg bookingBenchConfig, stdout, stderr io.Writer) (err error) {
	stage := func(format string, a ...any) {
		fmt.Fprintf(stderr, "bench: "+format+"\n", a...)
	}
	maxClients := slices.Max(cfg.Clients)

	dbURL := cfg.DatabaseURL
	if dbURL == "" {
		scratch, err := createScratch(ctx, cfg.Server, "copbank_bench_")
		if err != nil {
			return err
		}
		stage("created scratch database %s on %s", scratch.name, redactURL(cfg.Server))
		defer func() {
			if derr := scratch.drop(); derr != nil {
				err = errors.Join(err, fmt.Errorf("drop scratch database %s: %w", scratch.name, derr))
				return
			}
			stage("dropped scratch database %s", scratch.name)
		}()
		dbURL = scratch.url
	} else {
		stage("booking in %s as asked: the bench data (areas BENCH-…, members, demands) stays there", redactURL(dbURL))
	}

	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	store, err := db.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer store.Close()
	if store.Dialect() != db.Postgres {
		return fmt.Errorf("bench booking needs PostgreSQL, not %s", store.Dialect())
	}
	if _, err := store.Migrate(ctx); err != nil {
		return err
	}
	a := app.New(store, app.DefaultConfig(), log)

	t0 := time.Now()
	w, err := seedBookingBench(ctx, a, maxClients, cfg.MembersPerClient, cfg.Days, stage)
	if err != nil {
		return fmt.Errorf("set up: %w", err)
	}
	stage("set up %d members and %d shifts with %d places each in %v", maxClients*cfg.MembersPerClient,
		maxClients*cfg.Days, cfg.MembersPerClient, time.Since(t0).Round(time.Millisecond))

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := web.New(a, log)
	served := make(chan error, 1)
	go func() { served <- srv.Fiber().Listener(ln) }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		<-served
	}()
	baseURL := "http://" + ln.Addr().String()
	stage("serving on %s", baseURL)

	pg, pgErr := newPgbench(ctx, cfg.Server, stderr)
	if pgErr != nil {
		stage("no pgbench figures: %v", pgErr)
	} else {
		defer func() {
			if derr := pg.db.drop(); derr != nil {
				err = errors.Join(err, fmt.Errorf("drop pgbench database %s: %w", pg.db.name, derr))
			}
		}()
	}

	rows := make([]benchRow, 0, len(cfg.Clients))
	for _, c := range cfg.Clients {
		if err := ctx.Err(); err != nil {
			return err
		}
		stage("booking with %d client(s) for %v…", c, cfg.Duration)
		row := w.run(ctx, baseURL, c, cfg.Duration)
		stage("  %d booked (%.0f/s), %d refused (409), %d other 4xx, %d 5xx, %d transport errors; p50 %.1f ms, p99 %.1f ms",
			row.Booked, row.perSecond(), row.Refused, row.Other4xx, row.Server5xx, row.Net, ms(row.P50), ms(row.P99))
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

func printBookingTable(w io.Writer, rows []benchRow, cfg bookingBenchConfig, pgErr error) {
	fmt.Fprintf(w, "booking throughput over HTTP (POST /api/v1/shifts/{id}/bookings as a coordinator), %v per client count\n", cfg.Duration)
	const head = "%7s %11s %8s %8s %12s %7s %8s %6s %9s %5s %7s\n"
	fmt.Fprintf(w, head, "clients", "bookings/s", "p50 ms", "p99 ms", "pgbench TPS", "ratio", "booked", "409", "other 4xx", "5xx", "net err")
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

// ---- the booking workload ----

// benchLane is one client's share of the workload: its own members and its
// own daily series of shifts, so clients never race for a place. The lane
// books member 0…n-1 on day 1, then on day 2, and so on: every request
// passes every rule (one 2-hour shift a day stays under the weekly cap and
// leaves 22 hours of rest).
type benchLane struct {
	members  []string
	shifts   []string
	position string
	next     int
}

func (l *benchLane) take() (shiftID, memberID string, ok bool) {
	if l.next >= len(l.shifts)*len(l.members) {
		return "", "", false
	}
	s, m := l.next/len(l.members), l.next%len(l.members)
	l.next++
	return l.shifts[s], l.members[m], true
}

// benchWorkload is the seeded data and the coordinator booking for members.
type benchWorkload struct {
	token string
	lanes []*benchLane
}

func seedBookingBench(ctx context.Context, a *app.App, lanes, perLane, days int, stage func(string, ...any)) (*benchWorkload, error) {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	tag := strings.ToUpper(hex.EncodeToString(b))
	now := time.Now()
	lat, lon := 54.77, -1.57
	force, err := a.Store.CreateArea(ctx, domain.Area{ID: app.NewID(), Code: "BENCH-" + tag, Name: "Bench force " + tag,
		Kind: domain.AreaForce, Lat: &lat, Lon: &lon, CreatedAt: now})
	if err != nil {
		return nil, err
	}
	hood, err := a.Store.CreateArea(ctx, domain.Area{ID: app.NewID(), Code: "BENCH-" + tag + "-N1", Name: "Bench neighbourhood " + tag,
		Kind: domain.AreaNeighbourhood, ParentID: force.ID, Lat: &lat, Lon: &lon, CreatedAt: now})
	if err != nil {
		return nil, err
	}
	skill, err := a.Store.CreateSkill(ctx, domain.Skill{ID: app.NewID(), Code: "bench_patrol_" + strings.ToLower(tag), Name: "Bench patrol", CreatedAt: now})
	if err != nil {
		return nil, err
	}
	email, password := "bench-coordinator-"+strings.ToLower(tag)+"@example.org", app.NewID()
	u, err := a.CreateUser(ctx, app.NewUser{Email: email, Name: "Bench coordinator", Password: password, Roles: []domain.Role{domain.RoleCoordinator}})
	if err != nil {
		return nil, err
	}
	if err := a.Store.SetUserAreas(ctx, u.ID, []string{force.ID}); err != nil {
		return nil, err
	}
	tok, err := a.Login(ctx, email, password, "127.0.0.1")
	if err != nil {
		return nil, err
	}
	coordinator, err := a.Authenticate(ctx, tok.Token)
	if err != nil {
		return nil, err
	}

	w := &benchWorkload{token: tok.Token, lanes: make([]*benchLane, lanes)}
	for i := range w.lanes {
		w.lanes[i] = &benchLane{members: make([]string, perLane)}
	}
	stage("creating %d members…", lanes*perLane)
	today := domain.DateOf(now.In(a.Config.TimeZone))
	err = parallelDo(ctx, lanes*perLane, 8, func(i int) error {
		m := domain.Member{ID: app.NewID(), Name: fmt.Sprintf("Bench member %d", i), Email: fmt.Sprintf("bench-%s-%d@example.org", strings.ToLower(tag), i),
			Kinds: []domain.Kind{domain.KindVolunteer}, HomeAreaID: hood.ID, TravelKm: 10, MaxHoursPerWeek: 40, MinRestHours: 11,
			Status: domain.MemberActive, CreatedAt: now, UpdatedAt: now}
		if err := a.Store.CreateMember(ctx, m); err != nil {
			return err
		}
		c := domain.Clearance{ID: app.NewID(), MemberID: m.ID, Type: domain.NPPV2, GrantedOn: today.AddDays(-365),
			ExpiresOn: today.AddDays(5 * 365), Status: domain.ClearanceActive, CreatedAt: now, UpdatedAt: now}
		if err := a.Store.CreateClearance(ctx, c); err != nil {
			return err
		}
		if err := a.Store.PutMemberSkill(ctx, domain.MemberSkill{MemberID: m.ID, SkillID: skill.ID, ObtainedOn: today.AddDays(-30)}); err != nil {
			return err
		}
		w.lanes[i/perLane].members[i%perLane] = m.ID
		return nil
	})
	if err != nil {
		return nil, err
	}
	stage("posting %d daily demands of %d shifts…", lanes, days)
	first := today.AddDays(1).String()
	err = parallelDo(ctx, lanes, 4, func(i int) error {
		d, err := a.PostDemand(ctx, coordinator, app.DemandInput{Title: fmt.Sprintf("Bench patrol %d", i), ProblemType: "asb",
			Area: hood.Code, Priority: 3, BookingMode: string(domain.ModeOpen), TimeZone: a.Config.TimeZone.String(),
			StartLocal: first + "T10:00", EndLocal: first + "T12:00", RRule: fmt.Sprintf("FREQ=DAILY;COUNT=%d", days),
			Positions: []app.PositionInput{{Name: "Patrol", Kinds: []string{string(domain.KindVolunteer)}, Skills: []string{skill.Code},
				MinVetting: string(domain.NPPV1), Headcount: perLane}}})
		if err != nil {
			return err
		}
		shifts := slices.Clone(d.Shifts)
		slices.SortFunc(shifts, func(x, y domain.Shift) int { return x.Start.Compare(y.Start) })
		l := w.lanes[i]
		l.position = d.Positions[0].ID
		for _, sh := range shifts {
			l.shifts = append(l.shifts, sh.ID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// parallelDo calls fn(0…n-1) on up to workers goroutines and returns the first error.
func parallelDo(ctx context.Context, n, workers int, fn func(i int) error) error {
	idx := make(chan int)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range idx {
				if err := fn(i); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	var err error
feed:
	for i := range n {
		select {
		case idx <- i:
		case err = <-errs:
			break feed
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(idx)
	wg.Wait()
	close(errs)
	if err == nil {
		err = <-errs
	}
	return err
}

// clientResult is what one client saw.
type clientResult struct {
	latencies                                 []time.Duration
	booked, refused, other4xx, server5xx, net int
	exhausted                                 bool
	first5xx, first4xx                        string
}

// run books with the first n lanes' clients at once for d.
func (w *benchWorkload) run(ctx context.Context, baseURL string, n int, d time.Duration) benchRow {
	hc := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConns: n + 4, MaxIdleConnsPerHost: n + 4}}
	defer hc.CloseIdleConnections()
	results := make([]clientResult, n)
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = w.client(ctx, hc, baseURL, w.lanes[i], deadline)
		}()
	}
	wg.Wait()
	row := benchRow{Clients: n, Elapsed: time.Since(start)}
	var all []time.Duration
	for _, r := range results {
		all = append(all, r.latencies...)
		row.Booked += r.booked
		row.Refused += r.refused
		row.Other4xx += r.other4xx
		row.Server5xx += r.server5xx
		row.Net += r.net
		if r.exhausted {
			row.Exhausted++
		}
		if row.First5xx == "" {
			row.First5xx = r.first5xx
		}
		if row.First4xx == "" {
			row.First4xx = r.first4xx
		}
	}
	slices.Sort(all)
	row.P50, row.P99 = percentile(all, 0.50), percentile(all, 0.99)
	return row
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// client books through its lane until the deadline.
func (w *benchWorkload) client(ctx context.Context, hc *http.Client, baseURL string, l *benchLane, deadline time.Time) clientResult {
	var r clientResult
	for ctx.Err() == nil && time.Now().Before(deadline) {
		shiftID, memberID, ok := l.take()
		if !ok {
			r.exhausted = true
			break
		}
		body := fmt.Sprintf(`{"position_id":%q,"member_id":%q}`, l.position, memberID)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, baseURL+"/api/v1/shifts/"+shiftID+"/bookings", strings.NewReader(body))
		if err != nil {
			r.net++
			continue
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+w.token)
		req.Header.Set("Idempotency-Key", app.NewID())
		t := time.Now()
		resp, err := hc.Do(req)
		if err != nil {
			r.net++
			continue
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		r.latencies = append(r.latencies, time.Since(t))
		switch code := resp.StatusCode; {
		case code == http.StatusCreated:
			r.booked++
		case code == http.StatusConflict:
			r.refused++
		case code >= 500:
			r.server5xx++
			if r.first5xx == "" {
				r.first5xx = fmt.Sprintf("%d %s", code, strings.TrimSpace(string(raw)))
			}
		default:
			r.other4xx++
			if r.first4xx == "" {
				r.first4xx = fmt.Sprintf("%d %s", code, strings.TrimSpace(string(raw)))
			}
		}
	}
	return r
}
