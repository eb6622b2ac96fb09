package app

import (
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/copbank/copbank/db"
)

// App is the set of use cases over one Store.
type App struct {
	Store  *db.Store
	Config Config
	Log    *slog.Logger
	// Now is the clock; tests replace it.
	Now func() time.Time
	// Notify delivers invitations and reset links; LogNotifier by default.
	Notify Notifier
	// SMS delivers texts; LogNotifier by default (channels.go).
	SMS Notifier

	// dummyHash is checked when an email is unknown, so that a wrong email
	// and a wrong password take the same time.
	dummyHash func() string
	// jobs is the job queue (jobs.go).
	jobs *jobQueue
	// keys caches the server's own keys (the pages' CSRF key).
	keys *serverKeys
}

// New wires the use cases.
func New(store *db.Store, cfg Config, log *slog.Logger) *App {
	a := &App{Store: store, Config: cfg, Log: log, Now: func() time.Time { return time.Now().UTC() }}
	if err := a.configureChannels(cfg, log); err != nil {
		// LoadConfig has checked both settings; only a hand-built Config lands here.
		log.Error("notification channels", "err", err)
		a.Notify, a.SMS = LogNotifier{Log: log}, LogNotifier{Log: log}
	}
	a.keys = &serverKeys{}
	a.newJobQueue()
	a.dummyHash = sync.OnceValue(func() string {
		h, _ := hashPasswordCost("copbank-timing-equaliser", cfg.PasswordMemoryKiB)
		return h
	})
	return a
}

// NewID returns an opaque identifier: a UUIDv7, so that IDs sort by creation.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }
