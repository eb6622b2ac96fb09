package app

import (
	"context"
	"errors"
	"sync"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// vettingReadEvent records that the caller was shown a member's clearances.
func vettingReadEvent(d MemberDetail) auditEvent {
	ids := make([]string, 0, len(d.Clearances))
	for _, c := range d.Clearances {
		ids = append(ids, c.ID)
	}
	return auditEvent{action: "member.read_vetting", entity: "member", entityID: d.ID, memberID: d.ID,
		after: map[string]any{"member_id": d.ID, "clearance_ids": ids}}
}

// recordVettingRead writes the audit entry of a read of vetting data after
// the reads and before the answer goes: the reads run beside any writer (on
// SQLite a write transaction holds the one write lock for its whole length,
// so reading inside one would queue every member page behind every
// booking), and only the insert waits for the lock. Entries of reads that
// arrive together are written in one transaction (see auditBatch). An
// answer is never sent without its entry: an error here fails the request.
func (a *App) recordVettingRead(ctx context.Context, p *domain.Principal, d MemberDetail) error {
	e, err := a.auditEntry(ctx, p, vettingReadEvent(d))
	if err != nil {
		return err
	}
	if _, inTx := a.store.SQLTx(); inTx {
		return a.store.AppendAudit(ctx, e)
	}
	return a.vettingAudit.append(ctx, a.store, e)
}

// auditBatch writes audit entries that arrive together in one transaction,
// so that many reads at once take the write lock once rather than once
// each. The first to arrive leads: it writes whatever is pending when it
// gets the lock, hands the lead to the first entry that arrived meanwhile,
// and tells each entry's request how its write went.
type auditBatch struct {
	mu      sync.Mutex
	writing bool
	pending []pendingAudit
}

type pendingAudit struct {
	e    domain.AuditEntry
	done chan error // the write's outcome, or errLeadBatch
}

var errLeadBatch = errors.New("lead the next audit batch")

func (b *auditBatch) append(ctx context.Context, store *db.Store, e domain.AuditEntry) error {
	me := pendingAudit{e: e, done: make(chan error, 1)}
	b.mu.Lock()
	b.pending = append(b.pending, me)
	if b.writing {
		b.mu.Unlock()
		if err := <-me.done; err != errLeadBatch {
			return err
		}
		b.mu.Lock()
	}
	b.writing = true
	batch := b.pending
	b.pending = nil
	b.mu.Unlock()

	// The batch is others' too: one caller going away must not fail them.
	wctx := context.WithoutCancel(ctx)
	err := store.InTx(wctx, func(tx *db.Store) error {
		for _, p := range batch {
			if err := tx.AppendAudit(wctx, p.e); err != nil {
				return err
			}
		}
		return nil
	})

	b.mu.Lock()
	if len(b.pending) > 0 {
		b.pending[0].done <- errLeadBatch
	} else {
		b.writing = false
	}
	b.mu.Unlock()
	for _, p := range batch {
		if p.done != me.done {
			p.done <- err
		}
	}
	return err
}
