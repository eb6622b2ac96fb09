package app

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// matchRunArgs asks the queue to run a queued match run. A run's row keeps
// its own lease, so a job retried after its process died takes the run over
// once the lease lapses, and the command line can still run one in-process.
type matchRunArgs struct {
	RunID string `json:"run_id"`
}

func (matchRunArgs) Kind() string { return "match_run" }

type matchRunWorker struct {
	river.WorkerDefaults[matchRunArgs]
	a *App
}

// Timeout lets a run think for as long as a run may (ten minutes) and save.
func (w *matchRunWorker) Timeout(*river.Job[matchRunArgs]) time.Duration {
	return time.Duration(maxMatchTimeMs)*time.Millisecond + 5*time.Minute
}

// Work runs the oldest queued run (one job is enqueued per run, so every
// run gets a turn even when another instance took this job's run first).
func (w *matchRunWorker) Work(ctx context.Context, job *river.Job[matchRunArgs]) error {
	_, err := w.a.RunNextMatch(ctx, "river:"+job.Args.RunID, nil)
	return err
}
