// Command copbank is the one binary: the server, migrations, accounts and the
// tools around them. main is the composition root and nothing more.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "copbank:", err)
		os.Exit(1)
	}
}

// getenv is os.Getenv except that COPBANK_MFA_REQUIRED set to the empty
// string reads as "none": empty turns the second factor off, while unset
// requires it of admins and coordinators.
func getenv(k string) string {
	v, set := os.LookupEnv(k)
	if k == "COPBANK_MFA_REQUIRED" && set && strings.TrimSpace(v) == "" {
		return "none"
	}
	return v
}

const usage = `copbank — the COP bank and VET Agency scheduler

Usage:
  copbank serve                 migrate, then serve HTTP on $ADDR (default :8080)
  copbank migrate               apply pending database migrations
  copbank seed --demo [--if-empty]
                                load demo data into an empty database
  copbank user create --email E --name N --roles admin,coordinator,member [--areas DARL,DUR-CITY]
                                create an account (password on stdin); a coordinator
                                is scoped to --areas, a member linked to the member
                                record with the same email
  copbank import members.csv    create or update members from a CSV, all rows or none
  copbank bench booking|curtois|scale …
                                benchmarks: booking throughput beside pgbench, the
                                Curtois & Qu instances, the solver at scale
  copbank match --areas A,B --from D --to D [--time 5s] [--apply]
                                fill open places with the matcher, with a progress bar
  copbank retention run         anonymise members inactive for $COPBANK_RETENTION_MONTHS
                                (serve runs it daily) and list them
  copbank version               print the version

Configuration is read from the environment; see README.md.
`

// run is main without the process: a test can boot the whole program.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("name a command")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], getenv, stdout, stderr)
	case "migrate":
		return migrate(ctx, getenv, stdout, stderr)
	case "seed":
		return seed(ctx, args[1:], getenv, stdout, stderr)
	case "user":
		if len(args) < 2 || args[1] != "create" {
			return fmt.Errorf("usage: copbank user create --email E --name N --roles R (password on stdin)")
		}
		return userCreate(ctx, args[2:], getenv, stdin, stdout, stderr)
	case "match":
		return match(ctx, args[1:], getenv, stdout, stderr)
	case "import":
		return importMembers(ctx, args[1:], getenv, stdin, stdout, stderr)
	case "bench":
		return benchmark(ctx, args[1:], getenv, stdout, stderr)
	case "retention":
		return retention(ctx, args[1:], getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "copbank", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", args[0])
	}
}
