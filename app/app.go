package app

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/copbank/copbank/db"
)

// App is the set of use cases over one Store.
type App struct {
	store  *db.Store
	Config Config
	Log    *slog.Logger
	// Now is the clock; tests replace it.
	Now func() time.Time
	// Notify delivers email (invitations, reset links, notices);
	// LogNotifier until the composition root sets an SMTP sender.
	Notify Notifier
	// SMS delivers texts; LogNotifier until the composition root sets a
	// GOV.UK Notify sender.
	SMS Notifier

	// dummyHash is checked when an email is unknown, so that a wrong email
	// and a wrong password take the same time.
	dummyHash func() string
	// jobs is the job queue (jobs.go).
	jobs *jobQueue
	// keys caches the server's own keys (the pages' CSRF key).
	keys *serverKeys
	// sso is the force's identity provider, once discovered (oidc.go).
	sso *ssoClient
	// vettingAudit writes the audit entries of vetting reads (vettingread.go).
	vettingAudit *auditBatch
}

// New wires the use cases.
func New(store *db.Store, cfg Config, log *slog.Logger) *App {
	a := &App{store: store, Config: cfg, Log: log, Now: func() time.Time { return time.Now().UTC() }}
	a.Notify = LogNotifier{Log: log}
	a.SMS = LogNotifier{Log: log.With("channel", channelSMS)}
	a.keys = &serverKeys{}
	a.sso = &ssoClient{}
	a.vettingAudit = &auditBatch{}
	a.newJobQueue()
	a.dummyHash = sync.OnceValue(func() string {
		h, _ := hashPasswordCost("copbank-timing-equaliser", cfg.PasswordMemoryKiB)
		return h
	})
	return a
}

// NewID returns an opaque identifier: a UUIDv7, so that IDs sort by creation.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// InTx runs fn with a copy of the App whose use cases all work in one
// transaction: the whole batch is written or none of it. The demo seed uses
// it to write its members fifty at a time instead of one by one.
func (a *App) InTx(ctx context.Context, fn func(a *App) error) error {
	return a.store.InTx(ctx, func(tx *db.Store) error {
		c := *a
		c.store = tx
		return fn(&c)
	})
}
