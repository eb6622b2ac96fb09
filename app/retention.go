package app

import (
	"context"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// Retention (SPEC.md "Accounts, roles, privacy"): members inactive for
// Config.RetentionMonths are anonymised by the erasure path. Inactive means
// no booking (starting, made or changed), no sign-in of an account that
// signs in as them and no change to their record or holdings (an audit
// entry about them, reads aside) in that period.
//
// Several instances may run it at once: each member is re-checked under
// its lock in the transaction that erases it, and an erased member is no
// longer a candidate, so a member is anonymised once.

// retentionInterval is how often RetentionWorker runs the job.
const retentionInterval = 24 * time.Hour

// RunRetention anonymises every member inactive for the retention period and
// returns what each erasure did, in the order done. A zero period does
// nothing. Each member is erased in a transaction of its own, recorded in
// the audit log as retention.erase by the system.
func (a *App) RunRetention(ctx context.Context) ([]Erasure, error) {
	months := a.Config.RetentionMonths
	if months <= 0 {
		return nil, nil
	}
	since := a.Now().AddDate(0, -months, 0)
	ids, err := a.Store.InactiveMembers(ctx, since)
	if err != nil {
		return nil, err
	}
	var out []Erasure
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		var e Erasure
		done := false
		err := a.Store.InTx(ctx, func(tx *db.Store) error {
			if err := tx.LockMember(ctx, id); err != nil {
				return err
			}
			inactive, err := tx.IsInactiveMember(ctx, id, since)
			if err != nil || !inactive {
				return err // active again, or erased meanwhile by another instance
			}
			m, err := tx.MemberByID(ctx, id)
			if err != nil {
				return err
			}
			e, err = a.erase(ctx, tx, nil, m, "retention.erase", map[string]any{
				"reason": "retention", "retention_months": months, "inactive_since": since})
			done = err == nil
			return err
		})
		if domain.ErrorCode(err) == domain.ENotFound {
			continue
		}
		if err != nil {
			return out, err
		}
		if done {
			out = append(out, e)
		}
	}
	return out, nil
}

// RetentionWorker runs RunRetention at start and then daily until ctx ends,
// logging what it anonymised and any failure.
func (a *App) RetentionWorker(ctx context.Context) {
	if a.Config.RetentionMonths <= 0 {
		a.Log.Info("retention job off (COPBANK_RETENTION_MONTHS=0)")
		return
	}
	t := time.NewTicker(retentionInterval)
	defer t.Stop()
	for {
		done, err := a.RunRetention(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			a.Log.Error("retention job failed; next try in a day", "err", err, "anonymised", len(done))
		case len(done) > 0:
			ids := make([]string, len(done))
			for i, e := range done {
				ids[i] = e.MemberID
			}
			a.Log.Info("retention job anonymised inactive members", "count", len(done), "member_ids", ids,
				"retention_months", a.Config.RetentionMonths)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
