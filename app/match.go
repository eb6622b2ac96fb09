package app

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
	"github.com/copbank/copbank/scheduling/solver"
)

// Match-run limits: a run covers at most eight weeks and thinks at most ten
// minutes. The search is bounded by a count of moves, so that the same data,
// seed and workers give the same proposals; the time limit is only a cap.
const (
	maxMatchDays        = 56
	defaultMatchTimeMs  = 60_000
	maxMatchTimeMs      = 600_000
	defaultMatchMoves   = solver.DefaultMoves
	maxMatchMoves       = 100_000_000
	matchLease          = 30 * time.Second
	matchPollInterval   = 500 * time.Millisecond
	matchProgressPeriod = 500 * time.Millisecond
)

// StartMatchRun validates a request and queues a run for the matcher.
func (a *App) StartMatchRun(ctx context.Context, p *domain.Principal, params domain.MatchParams) (domain.MatchRun, error) {
	run, err := a.newMatchRun(ctx, p, params)
	if err != nil {
		return run, err
	}
	err = a.store.InTx(ctx, func(tx *db.Store) error {
		if err := tx.CreateMatchRun(ctx, run, "", time.Time{}); err != nil {
			return err
		}
		// The run's row and its job commit together: a queued run always runs.
		if err := a.enqueue(ctx, tx, matchRunArgs{RunID: run.ID}, nil); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, auditEvent{action: "match.start", entity: "match_run", entityID: run.ID, after: map[string]any{"params": run.Params}})
	})
	if err != nil {
		return domain.MatchRun{}, err
	}
	return run, nil
}

// newMatchRun validates a request into a queued run, not yet stored.
func (a *App) newMatchRun(ctx context.Context, p *domain.Principal, params domain.MatchParams) (domain.MatchRun, error) {
	if !isCoordinating(p) {
		return domain.MatchRun{}, forbidden("only coordinators and admins run the matcher")
	}
	// Every bad field is named at once: the scope's, then the rest.
	_, _, _, err := a.matchScope(ctx, p, params)
	var fields []domain.FieldError
	var de *domain.Error
	switch {
	case errors.As(err, &de) && de.Code == domain.EInvalid:
		fields = de.Fields
	case err != nil:
		return domain.MatchRun{}, err
	}
	settings, err := a.store.MatchSettings(ctx)
	if err != nil {
		return domain.MatchRun{}, err
	}
	fields = append(fields, domain.CheckMatchWeights("weights", params.Weights)...)
	weights := settings.Weights
	for t, v := range params.Weights {
		weights[t] = v
	}
	params.Weights = weights
	if params.MaxMoves == 0 {
		params.MaxMoves = defaultMatchMoves
	}
	if params.TimeLimitMs == 0 {
		params.TimeLimitMs = defaultMatchTimeMs
	}
	if params.Seed == 0 {
		params.Seed = 1
	}
	if params.Workers == 0 {
		params.Workers = 1
	}
	if params.MaxMoves < 1 || params.MaxMoves > maxMatchMoves {
		fields = append(fields, domain.FieldError{Field: "max_moves", Message: fmt.Sprintf("must be from 1 to %d", maxMatchMoves)})
	}
	if params.TimeLimitMs < 100 || params.TimeLimitMs > maxMatchTimeMs {
		fields = append(fields, domain.FieldError{Field: "time_limit_ms", Message: "must be from 100 to 600000 (ten minutes)"})
	}
	if params.Workers < 1 || params.Workers > runtime.NumCPU() {
		fields = append(fields, domain.FieldError{Field: "workers", Message: fmt.Sprintf("must be from 1 to %d (the cores here)", runtime.NumCPU())})
	}
	if len(fields) > 0 {
		return domain.MatchRun{}, domain.Invalid("the match run could not be started", fields...)
	}
	now := a.Now()
	return domain.MatchRun{ID: NewID(), Status: domain.MatchQueued, Params: params, CreatedBy: p.User.ID, CreatedAt: now, UpdatedAt: now}, nil
}

// matchScope resolves a run's areas (the caller's own when none are named)
// and dates, checking the caller coordinates every area.
func (a *App) matchScope(ctx context.Context, p *domain.Principal, params domain.MatchParams) (paths []string, from, to time.Time, err error) {
	var fields []domain.FieldError
	zone := a.Config.TimeZone
	fromDate, err1 := domain.ParseDate(params.From)
	toDate, err2 := domain.ParseDate(params.To)
	if err1 != nil {
		fields = append(fields, domain.FieldError{Field: "from", Message: "must be a date YYYY-MM-DD"})
	}
	if err2 != nil {
		fields = append(fields, domain.FieldError{Field: "to", Message: "must be a date YYYY-MM-DD"})
	}
	if err1 == nil && err2 == nil {
		from, to = fromDate.Start(zone), toDate.AddDays(1).Start(zone)
		if !to.After(from) {
			fields = append(fields, domain.FieldError{Field: "to", Message: "must be on or after from"})
		} else if fromDate.AddDays(maxMatchDays).Start(zone).Before(to) {
			fields = append(fields, domain.FieldError{Field: "to", Message: fmt.Sprintf("a run covers at most %d days (eight weeks)", maxMatchDays)})
		}
	}
	for i, code := range params.Areas {
		area, err := a.store.AreaByCode(ctx, code)
		switch {
		case domain.ErrorCode(err) == domain.ENotFound:
			fields = append(fields, domain.FieldError{Field: fmt.Sprintf("areas[%d]", i), Message: fmt.Sprintf("%q is not a known area code", code)})
		case err != nil:
			return nil, from, to, err
		case !coversArea(p, area):
			fields = append(fields, domain.FieldError{Field: fmt.Sprintf("areas[%d]", i), Message: "is outside the areas you coordinate"})
		default:
			paths = append(paths, area.Path)
		}
	}
	if len(fields) > 0 {
		return nil, from, to, domain.Invalid("the match run could not be started", fields...)
	}
	if len(params.Areas) == 0 && !p.IsAdmin() {
		paths = []string{}
		for _, area := range p.User.Areas {
			paths = append(paths, area.Path)
		}
	}
	return paths, from, to, nil
}

// GetMatchRun returns a run to its creator or an admin.
func (a *App) GetMatchRun(ctx context.Context, p *domain.Principal, id string) (domain.MatchRun, error) {
	run, err := a.store.MatchRunByID(ctx, id)
	if err != nil {
		return run, err
	}
	if run.CreatedBy != p.User.ID && !p.IsAdmin() {
		return domain.MatchRun{}, notFound("match run")
	}
	return run, a.hideNamesOutOfScope(ctx, p, &run)
}

// hideNamesOutOfScope blanks the names proposed on places whose area the
// caller no longer coordinates: only coordinators in scope see who is booked.
func (a *App) hideNamesOutOfScope(ctx context.Context, p *domain.Principal, run *domain.MatchRun) error {
	if p.IsAdmin() {
		return nil
	}
	covered := map[string]bool{}
	for i, pr := range run.Proposals {
		if pr.AreaCode == "" {
			continue // a run from before places carried their area
		}
		ok, seen := covered[pr.AreaCode]
		if !seen {
			area, err := a.store.AreaByCode(ctx, pr.AreaCode)
			if err != nil && domain.ErrorCode(err) != domain.ENotFound {
				return err
			}
			ok = err == nil && coversArea(p, area)
			covered[pr.AreaCode] = ok
		}
		if !ok {
			run.Proposals[i].MemberName = ""
		}
	}
	return nil
}

// MatchWorker runs queued match runs until ctx ends. Several instances may
// run it side by side: a run is claimed under a lease, and one whose owner
// died is claimed again when the lease lapses.
func (a *App) MatchWorker(ctx context.Context, owner string) {
	for {
		ran, err := a.RunNextMatch(ctx, owner, nil)
		if err != nil && ctx.Err() == nil {
			a.Log.Error("match worker", "err", err)
		}
		if ran {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(matchPollInterval):
		}
	}
}

// RunNextMatch claims and runs one queued run; it reports whether it found one.
// progress, when set, hears the fraction done.
func (a *App) RunNextMatch(ctx context.Context, owner string, progress func(float64)) (bool, error) {
	now := a.Now()
	run, ok, err := a.store.ClaimMatchRun(ctx, owner, now, now.Add(matchLease))
	if err != nil || !ok {
		return false, err
	}
	p, err := a.creatorPrincipal(ctx, run.CreatedBy)
	if err != nil {
		return true, err
	}
	result, err := a.executeMatch(ctx, owner, run, p, progress)
	if err != nil {
		if ctx.Err() != nil {
			return true, ctx.Err() // the lease lapses and another instance takes it
		}
		run.Status, run.Error = domain.MatchFailed, domain.ErrorMessage(err)
		a.Log.Error("match run failed", "run", run.ID, "err", err)
		result = run
	}
	result.UpdatedAt = a.Now()
	return true, a.store.SaveMatchRun(context.WithoutCancel(ctx), result)
}

// creatorPrincipal rebuilds the scope of whoever asked for a run (a run with
// no creator came from the command line, which acts as an admin).
func (a *App) creatorPrincipal(ctx context.Context, userID string) (*domain.Principal, error) {
	if userID == "" {
		return CommandLineOperator(), nil
	}
	u, err := a.store.UserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	return &domain.Principal{User: u}, nil
}

func (a *App) executeMatch(ctx context.Context, owner string, run domain.MatchRun, p *domain.Principal, progress func(float64)) (domain.MatchRun, error) {
	paths, from, to, err := a.matchScope(ctx, p, run.Params)
	if err != nil {
		return run, err
	}
	if run.Params.MaxMoves == 0 {
		// Queued before runs recorded their budget: give it the default, and
		// record it, so that it can be replayed.
		run.Params.MaxMoves = defaultMatchMoves
	}
	run.Params.Weights = domain.FullMatchWeights(run.Params.Weights)
	model, err := a.buildMatch(ctx, paths, from, to, run.Params.Weights, "")
	if err != nil {
		return run, err
	}
	lastReport := time.Time{}
	limit := time.Duration(run.Params.TimeLimitMs) * time.Millisecond
	opts := solver.Options{Seed: run.Params.Seed, Workers: run.Params.Workers, Clock: time.Now,
		MaxMoves: run.Params.MaxMoves, TimeLimit: limit,
		Progress: func(fraction float64, _ solver.Score) {
			if progress != nil {
				progress(fraction)
			}
			if time.Since(lastReport) < matchProgressPeriod {
				return
			}
			lastReport = time.Now()
			now := a.Now()
			if err := a.store.RenewMatchLease(ctx, run.ID, owner, fraction, now, now.Add(matchLease)); err != nil && ctx.Err() == nil {
				a.Log.Warn("match progress", "run", run.ID, "err", err)
			}
		}}
	began := time.Now()
	sol, err := solver.Solve(ctx, model.problem, opts)
	if err != nil {
		return run, err
	}
	elapsed := time.Since(began)
	run.Status, run.Progress = domain.MatchDone, 1
	run.Metrics = model.metrics(sol.Assignments, elapsed)
	got := solver.Metrics{}.WithSolve(model.problem, sol, len(model.places))
	run.Metrics.FillBound, run.Metrics.PriorityFillBound, run.Metrics.OptimalFill = got.FillBound, got.PriorityFillBound, sol.OptimalFill && run.Metrics.Filled == got.FillBound
	run.Metrics.Moves, run.Metrics.StopReason = sol.Moves, string(sol.StopReason)
	run.Metrics.TimeCapped = sol.StopReason == solver.StopTimeLimit
	run.Params.MaxMoves = sol.MaxMoves
	if greedy, err := solver.Greedy(model.problem); err == nil {
		g := model.metrics(greedy.Assignments, 0)
		run.Metrics.Baseline = &domain.MatchBaseline{Filled: g.Filled, PriorityWeightedFill: g.PriorityWeightedFill, FairnessGini: g.FairnessGini}
	}
	run.Proposals, run.Open = model.explain(sol)
	return run, nil
}

// solverWeights scales the solver's defaults by a run's weights.
func solverWeights(w map[string]float64) solver.Weights {
	d := solver.DefaultWeights()
	w = domain.FullMatchWeights(w)
	scale := func(v int64, term string) int64 { return int64(math.Round(float64(v) * w[term])) }
	for i := range d.UnfilledByPriority {
		d.UnfilledByPriority[i] = scale(d.UnfilledByPriority[i], domain.TermUnfilled)
	}
	d.Fairness = scale(d.Fairness, domain.TermFairness)
	d.DistancePerKm = scale(d.DistancePerKm, domain.TermTravel)
	d.Continuity = scale(d.Continuity, domain.TermContinuity)
	d.MentorContinuity = scale(d.MentorContinuity, domain.TermContinuity)
	d.Preference = scale(d.Preference, domain.TermPreference)
	d.Cost = scale(d.Cost, domain.TermCost)
	d.TargetPerHour = scale(d.TargetPerHour, domain.TermTargetHoursPer4Weeks)
	return d
}

// metrics measure fill and fairness over the places to fill only (not the
// members' other bookings the problem carries).
func (m *matchModel) metrics(as []solver.Assignment, elapsed time.Duration) domain.MatchMetrics {
	n := len(m.places)
	sub := *m.problem
	sub.Slots = m.problem.Slots[:n]
	sub.Fixed = nil
	for _, f := range m.problem.Fixed {
		if f.Slot < n {
			sub.Fixed = append(sub.Fixed, f)
		}
	}
	var kept []solver.Assignment
	for _, x := range as {
		if x.Slot < n {
			kept = append(kept, x)
		}
	}
	got := solver.ComputeMetrics(&sub, kept, elapsed)
	return domain.MatchMetrics{Places: got.Places, Filled: got.Filled, Unfilled: got.Places - got.Filled,
		PriorityWeightedFill: got.PriorityWeightedFill, FairnessGini: got.FairnessGini, SolveMs: got.SolveMS}
}

// explain turns the solver's proposals and open places into the product's
// terms: the place as people know it, and each reason in words with the
// small number behind it.
func (m *matchModel) explain(sol *solver.Solution) ([]domain.MatchProposal, []domain.MatchOpen) {
	hours := m.hoursOf(sol.Assignments)
	proposals := []domain.MatchProposal{}
	for _, pr := range sol.Proposals {
		if pr.Slot >= len(m.places) {
			continue
		}
		pl, mem := m.places[pr.Slot], m.members[pr.Worker]
		out := domain.MatchProposal{ShiftID: pl.shift.ID, PositionID: pl.position.ID, MemberID: mem.ID,
			MemberName: mem.Name, MatchPlaceInfo: pl.info(), Reasons: make([]domain.MatchReason, 0, len(pr.Reasons))}
		for _, r := range pr.Reasons {
			out.Reasons = append(out.Reasons, m.reason(r.Term, float64(r.Penalty), pr.Slot, pr.Worker, hours))
			if r.Term != domain.TermUnfilled {
				out.Score += float64(r.Penalty)
			}
		}
		proposals = append(proposals, out)
	}
	open := []domain.MatchOpen{}
	for _, o := range sol.Open {
		if o.Slot >= len(m.places) {
			continue
		}
		pl := m.places[o.Slot]
		open = append(open, domain.MatchOpen{ShiftID: pl.shift.ID, PositionID: pl.position.ID, MatchPlaceInfo: pl.info(),
			Places: o.Places, Excluded: o.Excluded})
	}
	return proposals, open
}

func (pl matchPlace) info() domain.MatchPlaceInfo {
	return domain.MatchPlaceInfo{ShiftTitle: pl.demand.Title, Start: pl.shift.Start, End: pl.shift.End, AreaCode: pl.area.Code,
		AreaName: pl.area.Name, PositionName: pl.position.Name, Priority: pl.demand.Priority}
}

// reason words one term of a member's score on a place, with the number a
// person would weigh it by: the place's priority, the distance from home,
// the member's hours in the run's weeks, their target, the pay band.
func (m *matchModel) reason(term string, penalty float64, slot, worker int, hours []float64) domain.MatchReason {
	var amount *float64
	set := func(v float64) { amount = &v }
	mem, pl := m.members[worker], m.places[slot]
	switch term {
	case domain.TermUnfilled:
		set(float64(pl.demand.Priority))
	case domain.TermTravel:
		if km, ok := m.km[[2]int{slot, worker}]; ok {
			set(km)
		}
	case domain.TermFairness:
		set(hours[worker])
	case domain.TermTargetHoursPer4Weeks:
		if t := mem.Limits.TargetHoursPer4Weeks; t != nil {
			set(*t)
		}
	case domain.TermCost:
		if level := payLevel(pl.position.PayBand); level > 0 {
			set(float64(level))
		}
	}
	return domain.MatchReason{Term: term, Penalty: penalty, Amount: amount, Words: domain.ReasonWords(term, penalty, amount)}
}

// hoursOf is each member's hours over the run's weeks: what they already
// hold and what the run proposes.
func (m *matchModel) hoursOf(as []solver.Assignment) []float64 {
	out := make([]float64, len(m.members))
	for _, x := range append(slices.Clone(m.problem.Fixed), as...) {
		sl := m.problem.Slots[x.Slot]
		out[x.Worker] += float64(sl.End-sl.Start) / 60
	}
	return out
}

// ApplyMatchRun books a finished run's proposals in one transaction that
// re-checks every booking rule: each becomes an offer (or a confirmed booking
// when confirm is set); what no longer fits is reported, never forced.
func (a *App) ApplyMatchRun(ctx context.Context, p *domain.Principal, id string, confirm bool) (domain.MatchRun, error) {
	if _, err := a.GetMatchRun(ctx, p, id); err != nil {
		return domain.MatchRun{}, err
	}
	now := a.Now()
	var out domain.MatchRun
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		run, err := tx.MatchRunByID(ctx, id)
		if err != nil {
			return err
		}
		if run.Status != domain.MatchDone {
			return domain.Errorf(domain.EConflict, "this run is %s: only a finished run can be applied, once", run.Status)
		}
		status := domain.BookingOffered
		if confirm {
			status = domain.BookingConfirmed
		}
		report := domain.MatchApplyReport{Status: status, NotApplied: []domain.MatchNotApplied{}}
		// A supervised proposal waits for every other one: its supervisor
		// may be proposed later in the same run.
		proposals := slices.Clone(run.Proposals)
		for i := 0; i < len(proposals); i++ {
			pr := proposals[i]
			failed, err := a.applyProposal(ctx, tx, p, pr, status, now)
			if err != nil {
				return err
			}
			if i < len(run.Proposals) && slices.Equal(failed, []string{domain.RuleSupervised}) {
				proposals = append(proposals, pr)
				continue
			}
			if len(failed) > 0 {
				report.NotApplied = append(report.NotApplied, domain.MatchNotApplied{ShiftID: pr.ShiftID,
					PositionID: pr.PositionID, MemberID: pr.MemberID, Rules: failed})
				continue
			}
			report.Applied++
		}
		run.Status, run.ApplyReport, run.UpdatedAt = domain.MatchApplied, &report, now
		out = run
		if err := tx.SaveMatchRun(ctx, run); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, auditEvent{action: "match.apply", entity: "match_run", entityID: run.ID,
			before: map[string]any{"status": domain.MatchDone},
			after:  map[string]any{"status": run.Status, "booking_status": status, "applied": report.Applied, "not_applied": len(report.NotApplied)}})
	})
	return out, err
}

func (a *App) applyProposal(ctx context.Context, tx *db.Store, p *domain.Principal, pr domain.MatchProposal, status domain.BookingStatus, now time.Time) ([]string, error) {
	if err := tx.LockMember(ctx, pr.MemberID); err != nil {
		if domain.ErrorCode(err) == domain.ENotFound {
			return []string{domain.RuleMemberActive}, nil
		}
		return nil, err
	}
	sh, d, err := tx.ShiftByID(ctx, pr.ShiftID)
	if domain.ErrorCode(err) == domain.ENotFound {
		return []string{domain.RuleShiftOpen}, nil
	}
	if err != nil {
		return nil, err
	}
	pos := positionOf(d, pr.PositionID)
	place, err := tx.LockPlace(ctx, sh.ID, pos.ID)
	if err != nil {
		return nil, err
	}
	check, err := a.bookingCheck(ctx, tx, pr.MemberID, d, pos, sh, place, now, "")
	if err != nil {
		return nil, err
	}
	if check.AlreadyHolds, err = tx.HoldsPlace(ctx, pr.MemberID, sh.ID, pos.ID); err != nil {
		return nil, err
	}
	if failed := domain.CheckBooking(check); len(failed) > 0 {
		return failed, nil
	}
	b := domain.Booking{ID: NewID(), ShiftID: sh.ID, PositionID: pos.ID, MemberID: pr.MemberID, Status: status,
		Start: sh.Start, End: sh.End, CreatedBy: p.User.ID, CreatedAt: now, UpdatedAt: now}
	if err := tx.CreateBooking(ctx, b); err != nil {
		var de *domain.Error
		if errors.As(err, &de) && len(de.Rules) > 0 {
			return de.Rules, nil
		}
		return nil, err
	}
	return nil, a.bookingChanged(ctx, tx, p, "booking.create", nil, b)
}

// RunMatchNow runs a match in this process at once (the command line),
// reporting progress. The run is stored as running under this process's
// lease, so no other instance takes it.
func (a *App) RunMatchNow(ctx context.Context, p *domain.Principal, params domain.MatchParams, progress func(float64)) (domain.MatchRun, error) {
	run, err := a.newMatchRun(ctx, p, params)
	if err != nil {
		return run, err
	}
	owner := "cli:" + run.ID
	run.Status = domain.MatchRunning
	err = a.store.InTx(ctx, func(tx *db.Store) error {
		if err := tx.CreateMatchRun(ctx, run, owner, run.CreatedAt.Add(matchLease)); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, auditEvent{action: "match.start", entity: "match_run", entityID: run.ID, after: map[string]any{"params": run.Params}})
	})
	if err != nil {
		return run, err
	}
	result, err := a.executeMatch(ctx, owner, run, p, progress)
	if err != nil {
		result.Status, result.Error = domain.MatchFailed, domain.ErrorMessage(err)
	}
	result.UpdatedAt = a.Now()
	if serr := a.store.SaveMatchRun(context.WithoutCancel(ctx), result); serr != nil {
		return result, serr
	}
	return result, err
}

// DescribeRun is a one-line summary for logs and the command line.
func DescribeRun(run domain.MatchRun) string {
	m := run.Metrics
	s := fmt.Sprintf("%s: %d of %d places filled (priority-weighted %.0f%%)", run.Status, m.Filled, m.Places, 100*m.PriorityWeightedFill)
	switch {
	case m.OptimalFill:
		s += fmt.Sprintf(", optimal fill (bound %d)", m.FillBound)
	case m.FillBound > 0:
		s += fmt.Sprintf(", at most %d could be filled", m.FillBound)
	}
	s += fmt.Sprintf(", fairness Gini %.2f, %d proposals, %d places open", m.FairnessGini, len(run.Proposals), len(run.Open))
	if m.StopReason != "" {
		s += fmt.Sprintf("; stopped (%s) after %d of %d moves, seed %d, %d workers", m.StopReason, m.Moves, run.Params.MaxMoves, run.Params.Seed, run.Params.Workers)
	}
	if b := m.Baseline; b != nil {
		s += fmt.Sprintf("; greedy baseline %d filled (%.0f%%), Gini %.2f", b.Filled, 100*b.PriorityWeightedFill, b.FairnessGini)
	}
	if run.Error != "" {
		s += "; error: " + run.Error
	}
	return strings.TrimSpace(s)
}

// MatchRuns lists earlier runs newest first: every run to an admin, their
// own to a coordinator. after is the key of the last run already seen; up to
// limit+1 come back, the extra one saying there is more.
func (a *App) MatchRuns(ctx context.Context, p *domain.Principal, after string, limit int) ([]domain.MatchRun, error) {
	if !isCoordinating(p) {
		return nil, forbidden("only coordinators and admins run the matcher")
	}
	mine := p.User.ID
	if p.IsAdmin() {
		mine = ""
	}
	return a.store.MatchRuns(ctx, mine, after, limit+1)
}

// MatchSettings are the force's run defaults, for coordinators and admins.
func (a *App) MatchSettings(ctx context.Context, p *domain.Principal) (domain.MatchSettings, error) {
	if !isCoordinating(p) {
		return domain.MatchSettings{}, forbidden("only coordinators and admins run the matcher")
	}
	return a.store.MatchSettings(ctx)
}

// PutMatchSettings sets the force's run defaults (admins): a term left out
// weighs 1.
func (a *App) PutMatchSettings(ctx context.Context, p *domain.Principal, weights map[string]float64) (domain.MatchSettings, error) {
	if !p.IsAdmin() {
		return domain.MatchSettings{}, forbidden("only admins set the matcher's defaults")
	}
	if fields := domain.CheckMatchWeights("weights", weights); len(fields) > 0 {
		return domain.MatchSettings{}, domain.Invalid("the matcher's defaults could not be set", fields...)
	}
	out := domain.MatchSettings{Weights: domain.FullMatchWeights(weights), UpdatedBy: p.User.ID, UpdatedAt: a.Now()}
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		before, err := tx.MatchSettings(ctx)
		if err != nil {
			return err
		}
		if err := tx.PutMatchSettings(ctx, out); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, auditEvent{action: "match.settings", entity: "match_settings", entityID: "1",
			before: map[string]any{"weights": before.Weights}, after: map[string]any{"weights": out.Weights}})
	})
	return out, err
}
