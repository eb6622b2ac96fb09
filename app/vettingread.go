package app

import (
	"context"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// recordVettingRead writes the audit entry of a read of vetting data in a
// transaction of its own, after the reads and before the answer goes: the
// reads run beside any writer (on SQLite a write transaction holds the one
// write lock for its whole length, so reading inside one would queue every
// member page behind every booking), and only this one insert waits for the
// lock. An answer is never sent without its entry: an error here fails the
// request.
func (a *App) recordVettingRead(ctx context.Context, p *domain.Principal, d MemberDetail) error {
	return a.store.InTx(ctx, func(tx *db.Store) error {
		return a.auditVettingRead(ctx, tx, p, d)
	})
}
