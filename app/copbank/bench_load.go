package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/copbank/copbank/app/loadtest"
)

// benchLoad runs `bench load` (chaos false) or `bench chaos`: this process
// drives servers it starts from its own binary, so the load comes from
// outside them as a client's would.
func benchLoad(ctx context.Context, chaos bool, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	name := "bench load"
	if chaos {
		name = "bench chaos"
	}
	cfg := loadtest.DefaultConfig()
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Float64Var(&cfg.StartRate, "start-rate", cfg.StartRate, "first rate, requests per second")
	fs.Float64Var(&cfg.Factor, "factor", cfg.Factor, "each step's rate over the last's")
	fs.Float64Var(&cfg.MaxRate, "max-rate", cfg.MaxRate, "stop rising past this rate")
	fs.DurationVar(&cfg.Step, "step", cfg.Step, "how long each rate runs")
	fs.DurationVar(&cfg.Duration, "duration", durationEnv(getenv, "LOAD_DURATION", cfg.Duration), "at most this long rising (default $LOAD_DURATION or 90s)")
	fs.DurationVar(&cfg.P99Limit, "p99", cfg.P99Limit, "stop once a step's p99 passes this")
	fs.IntVar(&cfg.MinSteps, "min-steps", cfg.MinSteps, "steps that run whatever their p99")
	fs.Float64Var(&cfg.ChaosRate, "rate", cfg.ChaosRate, "chaos: the steady rate the faults come under")
	fs.DurationVar(&cfg.Settle, "settle", cfg.Settle, "chaos: load between faults")
	fs.DurationVar(&cfg.Drain, "drain", cfg.Drain, "at most this long for unanswered requests and the job queue at the end (chaos: 5m)")
	fs.IntVar(&cfg.PoolSize, "members", cfg.PoolSize, "demo members the coordinator books")
	fs.BoolVar(&cfg.Keep, "keep", false, "keep the scratch database")
	fs.StringVar(&cfg.BookingLog, "booking-log", "", "write every booking attempt and its answer to this file (TSV)")
	fs.StringVar(&cfg.LogDir, "log-dir", "", "write the serve processes' output to DIR/serve-A.log … at the end")
	server := fs.String("server", "", "PostgreSQL server for the scratch database (default $TEST_DATABASE_URL or "+defaultBenchServer+")")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s takes no arguments, only flags (got %q)", name, fs.Arg(0))
	}
	if cfg.StartRate <= 0 || cfg.Factor <= 1 || cfg.Step < time.Second || cfg.ChaosRate <= 0 {
		return fmt.Errorf("%s: --start-rate and --rate must be positive, --factor over 1, --step at least 1s", name)
	}
	drainSet := false
	fs.Visit(func(f *flag.Flag) { drainSet = drainSet || f.Name == "drain" })
	if chaos && !drainSet {
		// A job left running by the killed server is retried only after
		// River's rescue delay (JobTimeout and a half minute) and its
		// rescuer's next pass.
		cfg.Drain = 5 * time.Minute
	}
	cfg.Server = *server
	if cfg.Server == "" {
		cfg.Server = getenv("TEST_DATABASE_URL")
	}
	if cfg.Server == "" {
		cfg.Server = defaultBenchServer
	}
	bin, err := os.Executable()
	if err != nil {
		return err
	}
	cfg.Binary = bin
	if chaos {
		return loadtest.Chaos(ctx, cfg, stdout, stderr)
	}
	return loadtest.Load(ctx, cfg, stdout, stderr)
}

func durationEnv(getenv func(string) string, name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(getenv(name)); err == nil && d > 0 {
		return d
	}
	return def
}
