package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/app/bench"
	"github.com/copbank/copbank/scheduling/curtois"
	"github.com/copbank/copbank/scheduling/solver/scale"
	"github.com/copbank/copbank/web"
)

// defaultBenchServer is the PostgreSQL server the booking benchmark creates
// its scratch databases on when neither --database-url nor
// TEST_DATABASE_URL says otherwise (the same default as the tests).
const defaultBenchServer = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

const benchUsage = `Usage:
  copbank bench booking [--clients 1,8,64] [--duration 10s] [--database-url URL] [--sqlite] [--mix book|read]
                        booking throughput over HTTP against PostgreSQL, beside pgbench
  copbank bench load [--duration 90s] [--start-rate 20] [--p99 200ms]
                        a realistic mix at rising rates against serve processes on a
                        scratch database with the demo, then the invariants checked
  copbank bench chaos [--rate 25] [--settle 8s]
                        the same mix while PostgreSQL restarts, servers stop and die
                        and connections are cut; errors, recovery and the invariants
  copbank bench curtois FILE… [--time 60s] [--out DIR] [--seed 1] [--workers 1]
                        the Curtois & Qu shift scheduling benchmark
  copbank bench scale --members N --shifts M [--time 10s] [--seed 1] [--workers 1]
                        the solver on a synthetic force-shaped problem, beside the greedy baseline
`

// benchmark runs one of the benchmarks.
func benchmark(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, benchUsage)
		return fmt.Errorf("name a benchmark: booking, load, chaos, curtois or scale")
	}
	switch args[0] {
	case "booking":
		return benchBooking(ctx, args[1:], getenv, stdout, stderr)
	case "load", "chaos":
		return benchLoad(ctx, args[0] == "chaos", args[1:], getenv, stdout, stderr)
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

func benchBooking(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench booking", flag.ContinueOnError)
	fs.SetOutput(stderr)
	clients := fs.String("clients", "1,8,64", "comma-separated concurrent client counts")
	duration := fs.Duration("duration", 10*time.Second, "how long each client count books (and pgbench runs)")
	dbURL := fs.String("database-url", "", "PostgreSQL database to book in (default: a scratch database, dropped after)")
	perClient := fs.Int("members-per-client", 50, "members each client books for (also each shift's headcount)")
	days := fs.Int("days", 365, "daily shifts per client, from tomorrow (at most 500)")
	sqlite := fs.Bool("sqlite", false, "book in a scratch SQLite file instead of PostgreSQL (no pgbench beside it)")
	mix := fs.String("mix", bench.MixBook, "requests: book (every request books) or read (nine reads for each booking)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the booking runs (server and clients) to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("bench booking takes no arguments, only flags (got %q)", fs.Arg(0))
	}
	cfg := bench.BookingConfig{Duration: *duration, DatabaseURL: *dbURL, MembersPerClient: *perClient, Days: *days, Serve: serveForBench,
		SQLite: *sqlite, Mix: *mix}
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
	case cfg.Mix != bench.MixBook && cfg.Mix != bench.MixRead:
		return fmt.Errorf("--mix must be %s or %s", bench.MixBook, bench.MixRead)
	case cfg.SQLite && cfg.DatabaseURL != "":
		return fmt.Errorf("--sqlite books in a scratch file: leave out --database-url")
	}
	cfg.Server = cfg.DatabaseURL
	if cfg.Server == "" {
		cfg.Server = getenv("TEST_DATABASE_URL")
	}
	if cfg.Server == "" {
		cfg.Server = defaultBenchServer
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		cfg.CPUProfile = f
	}
	return bench.Booking(ctx, cfg, stdout, stderr)
}

// serveForBench serves a's HTTP API on ln until the returned stop is called.
func serveForBench(a *app.App, log *slog.Logger, ln net.Listener) (stop func()) {
	srv := web.New(a, log)
	served := make(chan error, 1)
	go func() { served <- srv.Fiber().Listener(ln) }()
	return func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		<-served
	}
}
