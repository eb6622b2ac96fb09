package db

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// The job queue is River (riverqueue.com) in this same database: its tables
// sit beside ours, its migrations run with ours, and a job is inserted in the
// transaction of the change that causes it (SQLTx). PostgreSQL goes through
// riverdatabasesql on the pool GORM uses (pgx's stdlib driver), SQLite
// through riversqlite; both work on *sql.Tx.

// riverMigrateLock is the advisory lock key under which one PostgreSQL
// instance at a time applies River's migrations.
const riverMigrateLock = 727002

// JobDriver returns the River driver for this Store's dialect over its pool.
func (s *Store) JobDriver() (riverdriver.Driver[*sql.Tx], error) {
	sqlDB, err := s.gdb.DB()
	if err != nil {
		return nil, err
	}
	return jobDriver(s.dialect, sqlDB), nil
}

func jobDriver(d Dialect, sqlDB *sql.DB) riverdriver.Driver[*sql.Tx] {
	if d == Postgres {
		return riverdatabasesql.New(sqlDB)
	}
	return riversqlite.New(sqlDB)
}

// JobMigrationsFS returns River's migrations for dialect d (tests hash them
// with ours to name template databases).
func JobMigrationsFS(d Dialect) fs.FS {
	return jobDriver(d, nil).GetMigrationFS(riverdriver.MigrationLineMain)
}

// SQLTx returns the database/sql transaction under a Store made by InTx, for
// River's InsertTx; false outside a transaction.
func (s *Store) SQLTx() (*sql.Tx, bool) {
	if !s.inTx {
		return nil, false
	}
	tx, ok := s.gdb.Statement.ConnPool.(*sql.Tx)
	return tx, ok
}

// migrateJobs applies River's pending migrations and returns how many ran.
// On PostgreSQL one instance at a time does so, under an advisory lock; on
// SQLite the caller holds the file.
func (s *Store) migrateJobs(ctx context.Context) (int, error) {
	sqlDB, err := s.gdb.DB()
	if err != nil {
		return 0, err
	}
	migrator, err := rivermigrate.New(jobDriver(s.dialect, sqlDB), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return 0, err
	}
	if s.dialect == Postgres {
		conn, err := sqlDB.Conn(ctx)
		if err != nil {
			return 0, err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, riverMigrateLock); err != nil {
			return 0, err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, riverMigrateLock) //nolint:errcheck
	} else {
		s.sqliteWriter.Lock()
		defer s.sqliteWriter.Unlock()
	}
	res, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return 0, fmt.Errorf("migrate job queue: %w", err)
	}
	return len(res.Versions), nil
}
