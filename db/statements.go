package db

import (
	"context"
	"sync/atomic"

	"gorm.io/gorm"
)

// Round trips to the database are what a booking costs most, so a caller
// (a test, the bench) can count them: every statement GORM runs, each BEGIN
// and COMMIT of InTx, and each job insert the app reports through
// NoteStatement, made with a context from CountStatements.

type statementCounterKey struct{}

// CountStatements returns ctx carrying a fresh counter and a function that
// reads it.
func CountStatements(ctx context.Context) (context.Context, func() int64) {
	c := new(atomic.Int64)
	return context.WithValue(ctx, statementCounterKey{}, c), c.Load
}

// NoteStatement counts one statement run outside GORM (a River insert) on
// ctx's counter, if it has one.
func NoteStatement(ctx context.Context) { noteStatements(ctx, 1) }

func noteStatements(ctx context.Context, n int64) {
	if ctx == nil {
		return
	}
	if c, ok := ctx.Value(statementCounterKey{}).(*atomic.Int64); ok {
		c.Add(n)
	}
}

// registerStatementCounter hooks every kind of GORM statement.
func registerStatementCounter(gdb *gorm.DB) error {
	count := func(db *gorm.DB) { noteStatements(db.Statement.Context, 1) }
	cb := gdb.Callback()
	for _, err := range []error{
		cb.Create().After("gorm:create").Register("copbank:count_create", count),
		cb.Query().After("gorm:query").Register("copbank:count_query", count),
		cb.Update().After("gorm:update").Register("copbank:count_update", count),
		cb.Delete().After("gorm:delete").Register("copbank:count_delete", count),
		cb.Row().After("gorm:row").Register("copbank:count_row", count),
		cb.Raw().After("gorm:raw").Register("copbank:count_raw", count),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}
