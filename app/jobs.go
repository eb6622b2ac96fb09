package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/copbank/copbank/db"
)

// The job queue is River in the application's own database (db.Store's
// JobDriver). Every App can insert jobs; only `copbank serve` works them
// (RunJobs). A use case enqueues in the transaction of the change that
// causes the job, so a change that rolls back enqueues nothing and one that
// commits always leaves its job behind, even if the process dies next.

// jobWorkers is how many jobs one instance works at once.
const jobWorkers = 8

// jobQueue wraps the River client, insert-only until RunJobs swaps in one
// that works.
type jobQueue struct {
	client  atomic.Pointer[river.Client[*sql.Tx]]
	workers *river.Workers
	err     error // why no client could be made, returned by every insert
}

// JobOptions tune RunJobs; the zero value is what serve uses.
type JobOptions struct {
	// PollInterval is how often an idle instance looks for due jobs (jobs
	// inserted by another instance, scheduled ones); River's default is 1s.
	PollInterval time.Duration
	// NoPeriodic leaves the periodic sweeps (reminders, expiry warnings,
	// digests, retention) to other instances: tests that count messages
	// of one kind set it.
	NoPeriodic bool
}

func (a *App) newJobQueue() {
	a.jobs = &jobQueue{workers: river.NewWorkers()}
	river.AddWorker(a.jobs.workers, &offerExpiryWorker{a: a})
	river.AddWorker(a.jobs.workers, &bookingNoticeWorker{a: a})
	river.AddWorker(a.jobs.workers, &sweepWorker[reminderSweepArgs]{a: a, sweep: a.SendDueReminders, sent: "reminders sent"})
	river.AddWorker(a.jobs.workers, &retentionWorker{a: a})
	river.AddWorker(a.jobs.workers, &sweepWorker[expirySweepArgs]{a: a, sweep: a.SendExpiryWarnings, sent: "expiry warnings sent"})
	river.AddWorker(a.jobs.workers, &sweepWorker[digestSweepArgs]{a: a, sweep: a.SendDigests, sent: "weekly digests sent"})
	river.AddWorker(a.jobs.workers, &sweepWorker[atRiskSweepArgs]{a: a, sweep: a.SendAtRiskWarnings, sent: "shift-at-risk warnings sent"})
	river.AddWorker(a.jobs.workers, &matchRunWorker{a: a})
	river.AddWorker(a.jobs.workers, &heldTextWorker{a: a})
	river.AddWorker(a.jobs.workers, &passwordResetWorker{a: a})
	river.AddWorker(a.jobs.workers, &supervisionReleaseWorker{a: a})
	river.AddWorker(a.jobs.workers, &supervisionNoticeWorker{a: a})
	river.AddWorker(a.jobs.workers, &webhookDeliveryWorker{a: a})
	river.AddWorker(a.jobs.workers, &onShiftNoticeWorker{a: a})
	river.AddWorker(a.jobs.workers, &sweepWorker[welfareSweepArgs]{a: a, sweep: a.SendWelfareChecks, sent: "welfare messages sent"})
	river.AddWorker(a.jobs.workers, &welfareCheckWorker{a: a})
	if a.store == nil {
		a.jobs.err = errors.New("job queue: no database")
		return
	}
	client, err := a.newJobClient(nil, JobOptions{})
	if err != nil {
		a.jobs.err = fmt.Errorf("job queue: %w", err)
		return
	}
	a.jobs.client.Store(client)
}

func (a *App) newJobClient(queues map[string]river.QueueConfig, opts JobOptions) (*river.Client[*sql.Tx], error) {
	driver, err := a.store.JobDriver()
	if err != nil {
		return nil, err
	}
	cfg := &river.Config{
		Logger:            a.Log.With("component", "jobs"),
		Workers:           a.jobs.workers,
		Queues:            queues,
		FetchPollInterval: opts.PollInterval,
		// A job's worker finishes its own transaction; a cancelled context
		// past this point would only make it retry.
		JobTimeout: 2 * time.Minute,
		// A job still running this long was left by a process that died
		// (SIGKILL, OOM): River's default waits an hour past JobTimeout
		// before another instance retries it, and a confirmation would
		// wait as long.
		RescueStuckJobsAfter: 2*time.Minute + 30*time.Second,
	}
	if queues != nil && !opts.NoPeriodic {
		// Only a working client schedules; of several, River's elected
		// leader alone inserts the periodic jobs.
		cfg.PeriodicJobs = periodicJobs()
	}
	if opts.PollInterval > 0 && opts.PollInterval < river.FetchCooldownDefault {
		cfg.FetchCooldown = opts.PollInterval
	}
	return river.NewClient(driver, cfg)
}

// periodicJobs are the sweeps every instance offers to run; one instance at
// a time (the leader) inserts them, and each is unique per period so a
// change of leader does not insert one twice.
func periodicJobs() []*river.PeriodicJob {
	every := func(d time.Duration, args river.JobArgs) *river.PeriodicJob {
		return river.NewPeriodicJob(river.PeriodicInterval(d), func() (river.JobArgs, *river.InsertOpts) {
			return args, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: d}}
		}, &river.PeriodicJobOpts{RunOnStart: true})
	}
	return []*river.PeriodicJob{
		every(reminderInterval, reminderSweepArgs{}),
		every(retentionInterval, retentionArgs{}),
		every(expiryInterval, expirySweepArgs{}),
		every(digestInterval, digestSweepArgs{}),
		every(atRiskInterval, atRiskSweepArgs{}),
		every(welfareInterval, welfareSweepArgs{}),
	}
}

// RunJobs starts working the queue in this process until stop is called
// (serve calls it on SIGTERM): stop lets running jobs finish within its
// context's deadline, then cancels them; a cancelled job is retried later
// by whichever instance is running.
func (a *App) RunJobs(ctx context.Context, opts JobOptions) (stop func(context.Context) error, err error) {
	if a.jobs.err != nil {
		return nil, a.jobs.err
	}
	client, err := a.newJobClient(map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: jobWorkers}}, opts)
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	if err := client.Start(context.WithoutCancel(ctx)); err != nil {
		return nil, fmt.Errorf("start job queue: %w", err)
	}
	a.jobs.client.Store(client)
	return func(ctx context.Context) error {
		err := client.Stop(ctx)
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			a.Log.Warn("jobs still running at shutdown: cancelling them (they will be retried)")
			return client.StopAndCancel(context.WithoutCancel(ctx))
		}
		return err
	}, nil
}

// JobEvents subscribes to the working client's completed and failed jobs
// (tests wait on them); nil before RunJobs.
func (a *App) JobEvents() (<-chan *river.Event, func()) {
	return a.jobs.client.Load().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
}

// enqueue inserts a job in tx's transaction; tx must come from InTx.
func (a *App) enqueue(ctx context.Context, tx *db.Store, args river.JobArgs, opts *river.InsertOpts) error {
	if a.jobs.err != nil {
		return a.jobs.err
	}
	sqlTx, ok := tx.SQLTx()
	if !ok {
		return fmt.Errorf("enqueue %s: not inside a transaction", args.Kind())
	}
	if _, err := a.jobs.client.Load().InsertTx(ctx, sqlTx, args, opts); err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	db.NoteStatement(ctx)
	return nil
}

// PendingJobs counts the jobs not yet finished, of the kinds given or of
// every kind (tests and `copbank` tools).
func (a *App) PendingJobs(ctx context.Context, kinds ...string) (int, error) {
	params := river.NewJobListParams().
		States(rivertype.JobStateAvailable, rivertype.JobStateScheduled, rivertype.JobStateRetryable,
			rivertype.JobStateRunning, rivertype.JobStatePending).First(10000)
	if len(kinds) > 0 {
		params = params.Kinds(kinds...)
	}
	res, err := a.jobs.client.Load().JobList(ctx, params)
	if err != nil {
		return 0, err
	}
	return len(res.Jobs), nil
}

// jobLog is the logger of one job's run.
func (a *App) jobLog(job *rivertype.JobRow) *slog.Logger {
	return a.Log.With("job_id", job.ID, "job_kind", job.Kind, "attempt", job.Attempt)
}

// sweepWorker runs one of the periodic sweeps (reminders, expiry warnings,
// digests) and logs how many messages it sent; what is due and what went
// already is the sweep's business, so a failed run is simply retried.
type sweepWorker[T river.JobArgs] struct {
	river.WorkerDefaults[T]
	a     *App
	sweep func(context.Context) (int, error)
	sent  string // the log line for a run that sent something
}

func (w *sweepWorker[T]) Work(ctx context.Context, job *river.Job[T]) error {
	n, err := w.sweep(ctx)
	if n > 0 {
		w.a.jobLog(job.JobRow).InfoContext(ctx, w.sent, "count", n)
	}
	return err
}
