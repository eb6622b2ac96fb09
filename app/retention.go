package app

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// Retention: members inactive for
// Config.RetentionMonths are anonymised by the erasure path. Inactive means
// no booking (starting, made or changed), no sign-in of an account that
// signs in as them and no change to their record or holdings (an audit
// entry about them, reads aside) in that period.
// Applications that ended (active, rejected or withdrawn) longer ago than
// the period are anonymised too, whether or not the applicant joined.
//
// Several instances may run it at once: each member is re-checked under
// its lock in the transaction that erases it, and an erased member is no
// longer a candidate, so a member is anonymised once.

// retentionInterval is how often the retention job runs.
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
	if _, err := a.retainApplications(ctx, since); err != nil {
		return nil, err
	}
	ids, err := a.store.InactiveMembers(ctx, since)
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
		err := a.store.InTx(ctx, func(tx *db.Store) error {
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

type retentionArgs struct{}

func (retentionArgs) Kind() string { return "retention" }

// retentionWorker runs RunRetention as a River periodic job, daily and at
// the leader's start: River's elected leader alone inserts periodic jobs, so
// several instances share it rather than each running its own.
type retentionWorker struct {
	river.WorkerDefaults[retentionArgs]
	a *App
}

// Work logs what the run anonymised; a failure is retried by River.
func (w *retentionWorker) Work(ctx context.Context, job *river.Job[retentionArgs]) error {
	a := w.a
	log := a.jobLog(job.JobRow)
	if a.Config.RetentionMonths <= 0 {
		log.InfoContext(ctx, "retention job off (COPBANK_RETENTION_MONTHS=0)")
		return nil
	}
	done, err := a.RunRetention(ctx)
	if len(done) > 0 {
		ids := make([]string, len(done))
		for i, e := range done {
			ids[i] = e.MemberID
		}
		log.InfoContext(ctx, "retention job anonymised inactive members", "count", len(done), "member_ids", ids,
			"retention_months", a.Config.RetentionMonths)
	}
	return err
}
