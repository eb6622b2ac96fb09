package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"

	"github.com/copbank/copbank/domain"
)

// Dialect names the database behind a Store.
type Dialect string

const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// Store is copbank's storage. A Store made by InTx runs every call inside
// that transaction.
type Store struct {
	gdb     *gorm.DB
	dialect Dialect
	// sqliteWriter serialises write transactions inside this process so that
	// goroutines queue on a mutex rather than spin on SQLITE_BUSY; BEGIN
	// IMMEDIATE still guards against other processes on the same file.
	sqliteWriter *sync.Mutex
	inTx         bool
	// keys is the pool the idempotency keys are written through, nil when
	// they go through gdb (SQLite, and inside a transaction); see
	// openKeysPool.
	keys *gorm.DB
}

// lockForUpdate is SELECT … FOR UPDATE; only PostgreSQL callers add it (GORM's
// SQLite dialect would drop it silently, and SQLite writers are serialised).
var lockForUpdate = clause.Locking{Strength: "UPDATE"}

// DSN classifies a DATABASE_URL. Empty means the embedded default file.
func DSN(databaseURL string) (Dialect, string) {
	u := strings.TrimSpace(databaseURL)
	switch {
	case u == "":
		return SQLite, "copbank.db"
	case strings.HasPrefix(u, "postgres://"), strings.HasPrefix(u, "postgresql://"):
		return Postgres, u
	case strings.HasPrefix(u, "sqlite://"):
		return SQLite, strings.TrimPrefix(u, "sqlite://")
	case strings.HasPrefix(u, "sqlite:"):
		return SQLite, strings.TrimPrefix(u, "sqlite:")
	default:
		return SQLite, u
	}
}

// Open connects to databaseURL (see DSN) without migrating.
func Open(ctx context.Context, databaseURL string) (*Store, error) {
	dialect, dsn := DSN(databaseURL)
	cfg := &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
		TranslateError:         false,
	}
	var (
		gdb *gorm.DB
		err error
	)
	switch dialect {
	case Postgres:
		gdb, err = gorm.Open(postgres.Open(dsn), cfg)
	case SQLite:
		gdb, err = gorm.Open(sqlite.Open(sqliteDSN(dsn)), cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	if err := registerStatementCounter(gdb); err != nil {
		return nil, err
	}
	sqlDB, err := gdb.DB()
	if err != nil {
		return nil, err
	}
	if dialect == SQLite {
		// WAL lets readers run beside the one writer; a handful of
		// connections is plenty for an embedded file.
		sqlDB.SetMaxOpenConns(8)
		// Kept open: a new connection costs its pragmas, and the default
		// of two idle ones closed and reopened connections under any load.
		sqlDB.SetMaxIdleConns(8)
	} else {
		// A few connections per core: more backends than the server has
		// cores to run them only queue inside PostgreSQL, on its locks and
		// its CPUs, instead of in the pool. As many idle as open: under a
		// burst, a connection closed on return for want of an idle slot is a
		// new backend (a fork and an authentication) for the next request.
		n := postgresPoolSize()
		sqlDB.SetMaxOpenConns(n)
		sqlDB.SetMaxIdleConns(n)
	}
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{gdb: gdb.WithContext(ctx), dialect: dialect, sqliteWriter: &sync.Mutex{}}
	if dialect == Postgres {
		keys, err := openKeysPool(dsn, cfg)
		if err != nil {
			_ = sqlDB.Close()
			return nil, err
		}
		s.keys = keys.WithContext(ctx)
	}
	return s, nil
}

// postgresPoolSize is the main pool's size: four connections a core, at
// least eight.
func postgresPoolSize() int { return max(8, 4*runtime.NumCPU()) }

func sqliteDSN(path string) string {
	if strings.Contains(path, "?") {
		return path
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(15000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// A transaction that reads then writes must hold the write lock from its
	// first statement, or two of them deadlock into SQLITE_BUSY on upgrade.
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// Dialect reports which database this Store talks to.
func (s *Store) Dialect() Dialect { return s.dialect }

// SQLDB exposes the pool for tools that need database/sql (migrations).
func (s *Store) SQLDB() (*sql.DB, error) { return s.gdb.DB() }

// Close releases the pools.
func (s *Store) Close() error {
	if s.keys != nil {
		if keysDB, err := s.keys.DB(); err == nil {
			_ = keysDB.Close()
		}
	}
	sqlDB, err := s.gdb.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Ping checks that the database answers within ctx.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.gdb.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

func (s *Store) db(ctx context.Context) *gorm.DB { return s.gdb.WithContext(ctx) }

// InTx runs fn in one transaction, committed when fn returns nil. Transient
// conflicts (PostgreSQL serialisation failures and deadlocks, SQLite busy) are
// retried here so that no caller ever sees them.
func (s *Store) InTx(ctx context.Context, fn func(tx *Store) error) error {
	if s.inTx {
		return fn(s)
	}
	const attempts = 8
	var err error
	for attempt := 0; attempt < attempts; attempt++ {
		err = s.runTx(ctx, fn)
		if err == nil || !isTransient(err) {
			return translate(err)
		}
		backoff := time.Duration(1<<attempt) * 5 * time.Millisecond
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
	}
	return translate(err)
}

func (s *Store) runTx(ctx context.Context, fn func(tx *Store) error) error {
	if s.dialect == SQLite {
		s.sqliteWriter.Lock()
		defer s.sqliteWriter.Unlock()
	}
	noteStatements(ctx, 2) // BEGIN and COMMIT (or ROLLBACK)
	return s.gdb.WithContext(ctx).Transaction(func(gtx *gorm.DB) error {
		return fn(&Store{gdb: gtx, dialect: s.dialect, sqliteWriter: s.sqliteWriter, inTx: true})
	})
}

// isTransient reports errors that a retry of the whole transaction can cure.
func isTransient(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "40001", "40P01", "55P03": // serialization_failure, deadlock_detected, lock_not_available
			return true
		}
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "database is locked")
}

// translate turns driver errors into domain errors; constraint names carry the
// rule they protect so that callers can report it.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return err
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return domain.Errorf(domain.ENotFound, "not found")
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return &domain.Error{Code: domain.EConflict, Message: "already exists", Rules: constraintRule(pgErr.ConstraintName)}
		case "23P01":
			return &domain.Error{Code: domain.EConflict, Message: "overlaps an existing record", Rules: constraintRule(pgErr.ConstraintName)}
		case "23503":
			return domain.Errorf(domain.EConflict, "refers to a record that does not exist or is still in use")
		case "23514", "P0001":
			if rule, ok := sqliteTriggerRule(pgErr.Message); ok {
				return &domain.Error{Code: domain.EConflict, Message: "refused by the database", Rules: []string{rule}}
			}
		}
		return err
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "UNIQUE constraint failed"):
		return &domain.Error{Code: domain.EConflict, Message: "already exists", Rules: sqliteUniqueRule(msg)}
	case strings.Contains(msg, "FOREIGN KEY constraint failed"):
		return domain.Errorf(domain.EConflict, "refers to a record that does not exist or is still in use")
	}
	if rule, ok := sqliteTriggerRule(msg); ok {
		return &domain.Error{Code: domain.EConflict, Message: "refused by the database", Rules: []string{rule}}
	}
	return err
}

// constraintRules maps constraint and index names to the booking rule they enforce.
var constraintRules = map[string]string{
	"bookings_no_overlap":     domain.RuleNoOverlap,
	"bookings_already_booked": domain.RuleAlreadyBooked,
}

func constraintRule(name string) []string {
	if r, ok := constraintRules[name]; ok {
		return []string{r}
	}
	return nil
}

func sqliteUniqueRule(msg string) []string {
	for name, rule := range sqliteUniqueColumns {
		if strings.Contains(msg, name) {
			return []string{rule}
		}
	}
	return nil
}

// sqliteUniqueColumns maps the "table.column" text SQLite reports for a unique
// violation to the booking rule it enforces.
var sqliteUniqueColumns = map[string]string{
	"bookings.member_id, bookings.shift_id, bookings.position_id": domain.RuleAlreadyBooked,
}

// sqliteTriggerRule recognises RAISE(ABORT, 'rule:<name>') from our triggers.
func sqliteTriggerRule(msg string) (string, bool) {
	i := strings.Index(msg, "rule:")
	if i < 0 {
		return "", false
	}
	rest := msg[i+len("rule:"):]
	end := strings.IndexFunc(rest, func(r rune) bool { return !(r == '_' || r >= 'a' && r <= 'z') })
	if end < 0 {
		end = len(rest)
	}
	return rest[:end], end > 0
}
