package db

import (
	"context"
	"runtime"
	"strings"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

// Idempotency keys are written on PostgreSQL through a small pool of their
// own whose commits do not wait for the disk (synchronous_commit off): a
// booking would otherwise wait for three flushes (the key's claim, the
// booking, the key's answer) where one is enough.
//
// Nothing is lost that matters. The claim is durable as soon as anything
// the request changes is, since a later commit's flush carries every earlier
// record of the log with it. The stored answer can be lost only by a crash
// in the fraction of a second after it, as SQLite's synchronous=NORMAL can
// lose it too; a retry then finds the key unanswered, takes it over once it
// is abandoned and runs again, and the rules refuse what was already done.

// keysPoolSize bounds the key pool: one short statement per request each
// way, so a connection a core is plenty.
func keysPoolSize() int { return max(4, runtime.NumCPU()) }

func openKeysPool(dsn string, cfg *gorm.Config) (*gorm.DB, error) {
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	// pgx passes parameters it does not know to the server as settings.
	keys, err := gorm.Open(postgres.Open(dsn+sep+"synchronous_commit=off"), cfg)
	if err != nil {
		return nil, err
	}
	if err := registerStatementCounter(keys); err != nil {
		return nil, err
	}
	keysDB, err := keys.DB()
	if err != nil {
		return nil, err
	}
	keysDB.SetMaxOpenConns(keysPoolSize())
	keysDB.SetMaxIdleConns(keysPoolSize())
	return keys, nil
}

// keysDB is where the idempotency keys are read and written: the key pool
// outside a transaction, the transaction inside one.
func (s *Store) keysDB(ctx context.Context) *gorm.DB {
	if s.keys == nil || s.inTx {
		return s.db(ctx)
	}
	return s.keys.WithContext(ctx)
}
