package app

import (
	"context"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// BookInTx is Book inside the caller's transaction tx (from InTx), so that a
// test can roll the booking back after it enqueued its jobs.
func BookInTx(ctx context.Context, a *App, tx *db.Store, p *domain.Principal, in BookInput) (BookingResult, error) {
	inner := *a
	inner.store = tx
	return inner.Book(ctx, p, in)
}

// PendingJobsInTx counts unfinished jobs as tx sees them.
func PendingJobsInTx(ctx context.Context, a *App, tx *db.Store) (int, error) {
	sqlTx, _ := tx.SQLTx()
	res, err := a.jobs.client.Load().JobListTx(ctx, sqlTx, river.NewJobListParams().
		States(rivertype.JobStateAvailable, rivertype.JobStateScheduled).First(1000))
	if err != nil {
		return 0, err
	}
	return len(res.Jobs), nil
}

// Deliver is the send-once path of the notice jobs.
func Deliver(ctx context.Context, a *App, key domain.MessageKey, m Message) error {
	_, err := a.deliver(ctx, a.Log, key, m)
	return err
}
