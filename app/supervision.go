package app

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// Supervised places: a member who passes vetting on a position only through
// a conditional clearance holds their place only while someone else with a
// valid supervisor skill holds a confirmed place on the same shift. The
// booking rule `supervised` refuses a booking that would leave them alone;
// when the last supervisor's place is cancelled, the supervised members and
// the shift's coordinators are told, and the supervised places are released
// (cancelled as unsupervised, the waitlist promoted) when the grace
// (Config.UnsupervisedHours) runs out, or at once when the shift starts
// within it, unless another supervisor has booked by then.
//
// Who supervises a shift is decided under the shift's lock (db.LockShift),
// taken after any place lock: a supervised booking and a supervisor's
// cancellation cannot each miss the other.

// unsupervisedReason is the cancel reason of a released supervised place.
const unsupervisedReason = "unsupervised"

const eventSupervisorLeft = "supervision.lost"

// supervisionCheck completes a booking check for a member who needs
// supervision on the place: it locks the shift and says whether a
// supervisor stands.
func (a *App) supervisionCheck(ctx context.Context, tx *db.Store, c *domain.BookingCheck) error {
	zone := c.Zone
	if zone == nil {
		zone = a.zoneOf(c.Demand)
	}
	if !domain.NeedsSupervision(c.Clearances, c.Position, c.Shift, zone) {
		return nil
	}
	if err := tx.LockShift(ctx, c.Shift.ID); err != nil {
		return err
	}
	n, err := a.supervisorsOn(ctx, tx, c.Shift, c.Demand, c.Member.ID)
	c.Supervised = n > 0
	return err
}

// seeSupervision is supervisionCheck for a check that only shows the
// rules (a search, a list of candidates): it reads without locking.
func (a *App) seeSupervision(ctx context.Context, store *db.Store, c *domain.BookingCheck) error {
	zone := c.Zone
	if zone == nil {
		zone = a.zoneOf(c.Demand)
	}
	if !domain.NeedsSupervision(c.Clearances, c.Position, c.Shift, zone) {
		return nil
	}
	n, err := a.supervisorsOn(ctx, store, c.Shift, c.Demand, c.Member.ID)
	c.Supervised = n > 0
	return err
}

// supervisorsOn counts the members other than except who hold a confirmed
// place on the shift and a supervisor skill through it (and do not
// themselves need supervision there).
func (a *App) supervisorsOn(ctx context.Context, tx *db.Store, sh domain.Shift, d domain.Demand, except string) (int, error) {
	bookings, err := tx.ShiftBookings(ctx, sh.ID, domain.BookingConfirmed)
	if err != nil {
		return 0, err
	}
	zone := a.zoneOf(d)
	n := 0
	for _, b := range bookings {
		if b.MemberID == except {
			continue
		}
		ok, err := a.supervises(ctx, tx, b, sh, d, zone)
		if err != nil {
			return 0, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}

// supervises reports a booking whose member may supervise the shift.
func (a *App) supervises(ctx context.Context, tx *db.Store, b domain.Booking, sh domain.Shift, d domain.Demand, zone *time.Location) (bool, error) {
	skills, err := tx.MemberSkills(ctx, b.MemberID)
	if err != nil || !domain.CanSupervise(skills, sh, zone) {
		return false, err
	}
	needs, err := a.needsSupervision(ctx, tx, b, sh, d, zone)
	return !needs, err
}

// needsSupervision reports a booking whose member relies on a conditional
// clearance for its place.
func (a *App) needsSupervision(ctx context.Context, tx *db.Store, b domain.Booking, sh domain.Shift, d domain.Demand, zone *time.Location) (bool, error) {
	pos := positionOf(d, b.PositionID)
	if pos.Supervision != domain.SupervisionAllowed {
		return false, nil
	}
	cs, err := tx.Clearances(ctx, b.MemberID)
	if err != nil {
		return false, err
	}
	return domain.NeedsSupervision(cs, pos, sh, zone), nil
}

// supervisedOn lists the active bookings on the shift that need supervision.
func (a *App) supervisedOn(ctx context.Context, tx *db.Store, sh domain.Shift, d domain.Demand) ([]domain.Booking, error) {
	bookings, err := tx.ShiftBookings(ctx, sh.ID, domain.BookingOffered, domain.BookingPending, domain.BookingConfirmed)
	if err != nil {
		return nil, err
	}
	zone := a.zoneOf(d)
	var out []domain.Booking
	for _, b := range bookings {
		needs, err := a.needsSupervision(ctx, tx, b, sh, d, zone)
		if err != nil {
			return nil, err
		}
		if needs {
			out = append(out, b)
		}
	}
	return out, nil
}

// supervisorCancelled follows a cancelled booking (before is how it stood):
// when it was the last supervisor's confirmed place on a shift with
// supervised members, they and the coordinators are told, and the supervised
// places are released at once or when the grace runs out.
func (a *App) supervisorCancelled(ctx context.Context, tx *db.Store, p *domain.Principal, before domain.Booking, now time.Time) error {
	if before.Status != domain.BookingConfirmed {
		return nil
	}
	sh, d, err := tx.ShiftByID(ctx, before.ShiftID)
	if err != nil {
		return err
	}
	if sh.Status != domain.ShiftScheduled || d.Status != domain.DemandActive || !now.Before(sh.Start) {
		return nil
	}
	zone := a.zoneOf(d)
	if ok, err := a.supervises(ctx, tx, before, sh, d, zone); err != nil || !ok {
		return err
	}
	if err := tx.LockShiftPlaces(ctx, sh.ID); err != nil {
		return err
	}
	if err := tx.LockShift(ctx, sh.ID); err != nil {
		return err
	}
	supervised, err := a.supervisedOn(ctx, tx, sh, d)
	if err != nil || len(supervised) == 0 {
		return err
	}
	if n, err := a.supervisorsOn(ctx, tx, sh, d, ""); err != nil || n > 0 {
		return err
	}
	grace := time.Duration(a.Config.UnsupervisedHours) * time.Hour
	deadline := now.Add(grace)
	atOnce := grace <= 0 || !deadline.Before(sh.Start)
	notice := supervisionNoticeArgs{ShiftID: sh.ID, BookingID: before.ID, ReleaseAt: deadline, Released: atOnce}
	if atOnce {
		notice.ReleaseAt = now
		if _, err := a.releaseUnsupervised(ctx, tx, p, sh.ID, now); err != nil {
			return err
		}
	} else if err := a.enqueue(ctx, tx, supervisionReleaseArgs{ShiftID: sh.ID, ReleaseAt: deadline},
		&river.InsertOpts{ScheduledAt: deadline}); err != nil {
		return err
	}
	if silenced(ctx) {
		return nil
	}
	return a.enqueue(ctx, tx, notice, nil)
}

// releaseUnsupervised cancels the supervised places of a shift that has no
// supervisor, as unsupervised, and promotes each position's waitlist; it
// does nothing on a shift that has one again, has started or is cancelled.
// It returns how many places it released.
func (a *App) releaseUnsupervised(ctx context.Context, tx *db.Store, p *domain.Principal, shiftID string, now time.Time) (int, error) {
	if err := tx.LockShiftPlaces(ctx, shiftID); err != nil {
		return 0, err
	}
	if err := tx.LockShift(ctx, shiftID); err != nil {
		return 0, err
	}
	sh, d, err := tx.ShiftByID(ctx, shiftID)
	if err != nil {
		return 0, err
	}
	if sh.Status != domain.ShiftScheduled || d.Status != domain.DemandActive || !now.Before(sh.Start) {
		return 0, nil
	}
	if n, err := a.supervisorsOn(ctx, tx, sh, d, ""); err != nil || n > 0 {
		return 0, err
	}
	supervised, err := a.supervisedOn(ctx, tx, sh, d)
	if err != nil {
		return 0, err
	}
	positions := map[string]bool{}
	for _, b := range supervised {
		if err := a.setCancelled(ctx, tx, p, &b, unsupervisedReason, now); err != nil {
			return 0, err
		}
		positions[b.PositionID] = true
	}
	for _, pos := range d.Positions {
		if positions[pos.ID] {
			if err := a.promote(ctx, tx, p, sh.ID, pos.ID, now); err != nil {
				return 0, err
			}
		}
	}
	return len(supervised), nil
}

// supervisionReleaseArgs: release the supervised places of ShiftID at
// ReleaseAt unless a supervisor has booked by then.
type supervisionReleaseArgs struct {
	ShiftID   string    `json:"shift_id"`
	ReleaseAt time.Time `json:"release_at"`
}

func (supervisionReleaseArgs) Kind() string { return "supervision_release" }

type supervisionReleaseWorker struct {
	river.WorkerDefaults[supervisionReleaseArgs]
	a *App
}

// Work releases the places if the shift is still without a supervisor.
func (w *supervisionReleaseWorker) Work(ctx context.Context, job *river.Job[supervisionReleaseArgs]) error {
	a := w.a
	now := a.Now()
	if now.Before(job.Args.ReleaseAt) {
		// Scheduled by another instance's clock.
		return river.JobSnooze(job.Args.ReleaseAt.Sub(now))
	}
	n, err := a.ReleaseUnsupervised(ctx, job.Args.ShiftID)
	if err == nil && n > 0 {
		a.jobLog(job.JobRow).InfoContext(ctx, "unsupervised places released", "shift_id", job.Args.ShiftID, "count", n)
	}
	return err
}

// ReleaseUnsupervised releases, now, the supervised places of a shift left
// without a supervisor (what the grace's job does when it runs); a shift
// that has one again, has started or is cancelled is left alone. A shift
// that no longer exists releases nothing.
func (a *App) ReleaseUnsupervised(ctx context.Context, shiftID string) (int, error) {
	var n int
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		var err error
		n, err = a.releaseUnsupervised(ctx, tx, nil, shiftID, a.Now())
		if domain.ErrorCode(err) == domain.ENotFound {
			return nil
		}
		return err
	})
	return n, err
}

// supervisionNoticeArgs tells the supervised members of ShiftID (unless
// their places were Released at once) and the shift's coordinators that the
// supervisor's booking BookingID was cancelled.
type supervisionNoticeArgs struct {
	ShiftID   string    `json:"shift_id"`
	BookingID string    `json:"booking_id"`
	ReleaseAt time.Time `json:"release_at"`
	Released  bool      `json:"released"`
}

func (supervisionNoticeArgs) Kind() string { return "supervision_notice" }

type supervisionNoticeWorker struct {
	river.WorkerDefaults[supervisionNoticeArgs]
	a *App
}

// Work sends each message once per (event, recipient, channel). What it
// says is read when it runs: a supervised member whose place has gone since
// hears of it through their booking's own notice instead.
func (w *supervisionNoticeWorker) Work(ctx context.Context, job *river.Job[supervisionNoticeArgs]) error {
	a := w.a
	log := a.jobLog(job.JobRow)
	sh, d, err := a.store.ShiftByID(ctx, job.Args.ShiftID)
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil
	}
	if err != nil {
		return err
	}
	zone := a.zoneOf(d)
	what := fmt.Sprintf("%s, %s", d.Title, sh.Start.In(zone).Format("Mon 2 Jan 2006 15:04"))
	release := "The supervised places were released at once, as the shift starts within the grace period."
	if !job.Args.Released {
		release = fmt.Sprintf("Unless another supervisor books a confirmed place by %s, the supervised places will be released.",
			job.Args.ReleaseAt.In(zone).Format("Mon 2 Jan 2006 15:04"))
	}
	event := eventSupervisorLeft + "/" + job.Args.BookingID
	area, err := a.store.AreaByID(ctx, d.AreaID)
	if err != nil {
		return err
	}
	coordinators, err := a.store.CoordinatorsCovering(ctx, area.ID)
	if err != nil {
		return err
	}
	for _, u := range coordinators {
		msg := Message{To: u.Email, Subject: "Supervisor cancelled: " + what,
			Text: fmt.Sprintf("The supervisor's place on %s in %s was cancelled, leaving members who need supervision without one. %s Book a supervisor from the shift's roster.",
				what, area.Name, release), Link: a.Config.BaseURL + "/coord/shifts/" + sh.ID}
		msg, err := renderEmail(msg, emailData{Name: u.Name, When: shiftWhen(sh, zone)})
		if err != nil {
			return err
		}
		if _, err := a.deliver(ctx, log, domain.MessageKey{Event: event, Recipient: u.ID, Channel: channelEmail}, msg); err != nil {
			return err
		}
	}
	if job.Args.Released {
		return nil
	}
	var supervised []domain.Booking
	if err := a.store.InTx(ctx, func(tx *db.Store) error {
		var err error
		supervised, err = a.supervisedOn(ctx, tx, sh, d)
		return err
	}); err != nil {
		return err
	}
	for _, b := range supervised {
		m, err := a.store.MemberByID(ctx, b.MemberID)
		if domain.ErrorCode(err) == domain.ENotFound {
			continue
		}
		if err != nil {
			return err
		}
		msg := Message{To: m.Email, Subject: "Your supervisor cancelled: " + what,
			Text: fmt.Sprintf("The supervisor booked on %s has cancelled. %s We will tell you what happens to your place.", what,
				fmt.Sprintf("Unless another supervisor books by %s, your place will be released.", job.Args.ReleaseAt.In(zone).Format("Mon 2 Jan 2006 15:04"))),
			Link: a.Config.BaseURL + "/my-shifts"}
		_, held, err := a.tellMember(ctx, log, m, memberNotice{kind: NoticeBooking, event: event + "/" + b.ID, msg: msg,
			shiftStart: sh.Start, zone: zone})
		if err != nil {
			return err
		}
		if held != nil {
			// Quiet hours: what went already is keyed and not repeated.
			return river.JobSnooze(held.Until.Sub(a.Now()))
		}
	}
	return nil
}
