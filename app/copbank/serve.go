package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/app/demo"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/web"
)

// shutdownGrace is how long in-flight requests get after SIGTERM.
const shutdownGrace = 25 * time.Second

// open loads the config, opens the store and wires the use cases over it.
// The store is returned too: opening, migrating and closing the database is
// the composition root's work, not a use case. Callers close the store.
func open(ctx context.Context, getenv func(string) string, stderr io.Writer) (*app.App, *db.Store, error) {
	cfg, err := app.LoadConfig(getenv)
	if err != nil {
		return nil, nil, err
	}
	email, sms, err := senders(cfg)
	if err != nil {
		return nil, nil, err
	}
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	store, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, nil, err
	}
	a := app.New(store, cfg, log)
	if email != nil {
		a.Notify = email
	}
	if sms != nil {
		a.SMS = sms
	}
	return a, store, nil
}

// openMigrated is open followed by migrate: every command but migrate itself
// works on a current schema.
func openMigrated(ctx context.Context, getenv func(string) string, stderr io.Writer) (*app.App, *db.Store, error) {
	a, store, err := open(ctx, getenv, stderr)
	if err != nil {
		return nil, nil, err
	}
	if _, err := store.Migrate(ctx); err != nil {
		store.Close()
		return nil, nil, err
	}
	return a, store, nil
}

func migrate(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) error {
	_, store, err := open(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	n, err := store.Migrate(ctx)
	if err != nil {
		return err
	}
	current, _, err := store.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "applied %d migration(s); %s schema at version %d\n", n, store.Dialect(), current)
	return nil
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	demoData := fs.Bool("demo", false, "load the demo data first if the database is empty (copbank seed --demo)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	a, store, err := open(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	a.Log.Info("starting", "version", version, "config", a.Config)
	if _, err := store.Migrate(ctx); err != nil {
		return err
	}
	var email, generated string
	if *demoData {
		if email, err = operatorAdmin(ctx, a); err != nil {
			return fmt.Errorf("create first admin: %w", err)
		}
		if _, err := demo.Seed(ctx, a, nil); err != nil {
			return fmt.Errorf("seed demo data: %w", err)
		}
	}
	if email == "" {
		if email, generated, err = a.EnsureFirstAdmin(ctx); err != nil {
			return fmt.Errorf("create first admin: %w", err)
		}
	}

	stopJobs, err := a.RunJobs(ctx, app.JobOptions{})
	if err != nil {
		return err
	}
	// Running jobs get the same grace as requests; any still running after
	// it are cancelled and retried by the next instance up.
	jobsStopped := false
	finishJobs := func() {
		if jobsStopped {
			return
		}
		jobsStopped = true
		stopCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		if err := stopJobs(stopCtx); err != nil {
			a.Log.Error("stopping the job queue", "err", err)
		}
	}
	defer finishJobs()

	ln, err := net.Listen("tcp", a.Config.Addr)
	if err != nil {
		return err
	}
	srv := web.New(a, a.Log)
	served := make(chan error, 1)
	go func() { served <- srv.Fiber().Listener(ln) }()
	// Match runs, notices, offer expiry, reminders, retention and the other
	// sweeps are River jobs (see app.RunJobs); periodic ones are inserted by
	// the elected leader among instances.

	fmt.Fprintf(stdout, "copbank %s serving on %s (database: %s)\n", version, browseURL(a.Config, ln.Addr()), store.Dialect())
	if email != "" {
		if generated != "" {
			fmt.Fprintf(stdout, "first admin created: sign in as %s with password %s (shown once; change it)\n", email, generated)
		} else {
			fmt.Fprintf(stdout, "first admin created: sign in as %s with $COPBANK_ADMIN_PASSWORD\n", email)
		}
	}
	if ok, err := demo.Present(ctx, a); err == nil && ok {
		printDemoSignIns(stdout, a.Config.MFARequired)
	}
	fmt.Fprintf(stdout, "sign in: curl -X POST %s/api/v1/auth/login -H 'Content-Type: application/json' -d '{\"email\":\"…\",\"password\":\"…\"}'\n", browseURL(a.Config, ln.Addr()))

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down: finishing in-flight requests", "grace", shutdownGrace.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; err != nil && !errors.Is(err, net.ErrClosed) {
		return err
	}
	finishJobs()
	a.Log.Info("stopped")
	return nil
}

func browseURL(cfg app.Config, addr net.Addr) string {
	if tcp, ok := addr.(*net.TCPAddr); ok {
		return fmt.Sprintf("http://localhost:%d", tcp.Port)
	}
	return cfg.BaseURL
}
