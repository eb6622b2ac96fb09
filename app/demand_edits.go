package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
	"github.com/copbank/copbank/scheduling"
)

// Editing a demand: its timing, headcounts and positions, and what that does to the bookings.

// DemandUpdate changes a demand; nil fields stay as they are. Timing and
// headcount changes apply to shifts that have not started.
type DemandUpdate struct {
	Title       *string
	Description *string
	Briefing    *string
	Priority    *int
	BookingMode *string
	LoneWorking *bool
	Location    **domain.Location
	StartLocal  *string
	EndLocal    *string
	TimeZone    *string
	RRule       *string
	ExDates     *[]string
	Positions   []PositionUpdate
}

// PositionUpdate changes one existing position or, with no ID, adds one (its
// name, kinds and headcount are then required).
type PositionUpdate struct {
	ID           string
	Name         *string
	Kinds        *[]string
	Skills       *[]string
	MinVetting   *string
	DBS          *[]string
	Headcount    *int
	MinHeadcount *int
	PayBand      *string
	Supervision  *string
}

// BookingOutcome is what a change to demand did to one booking: kept (every
// rule still passes) or cancelled, with the rules that failed.
type BookingOutcome struct {
	BookingID  string
	ShiftID    string
	MemberID   string
	MemberName string
	Rules      []string
}

// BookingChanges lists the bookings a change re-checked or cancelled.
type BookingChanges struct {
	Kept      []BookingOutcome
	Cancelled []BookingOutcome
}

// DemandChange is a demand as it stands after a change, and what the change
// did to its bookings.
type DemandChange struct {
	Demand   domain.Demand
	Bookings BookingChanges
}

// bookingLog gathers outcomes in the order bookings were met; a booking
// cancelled after it was first kept (a requirement passed, then the new
// time failed) ends up cancelled.
type bookingLog struct {
	order []string
	by    map[string]BookingOutcome
}

func newBookingLog() *bookingLog { return &bookingLog{by: map[string]BookingOutcome{}} }

func (l *bookingLog) add(b domain.Booking, rules []string) {
	if _, seen := l.by[b.ID]; !seen {
		l.order = append(l.order, b.ID)
	} else if prev := l.by[b.ID]; prev.Rules != nil && rules == nil {
		return
	}
	l.by[b.ID] = BookingOutcome{BookingID: b.ID, ShiftID: b.ShiftID, MemberID: b.MemberID, Rules: rules}
}

func (l *bookingLog) kept(b domain.Booking) { l.add(b, nil) }

func (l *bookingLog) cancelled(b domain.Booking, rules []string) {
	if rules == nil {
		rules = []string{}
	}
	l.add(b, rules)
}

// changes names each member (an erased member is left nameless).
func (a *App) changes(ctx context.Context, l *bookingLog) (BookingChanges, error) {
	out := BookingChanges{Kept: []BookingOutcome{}, Cancelled: []BookingOutcome{}}
	for _, id := range l.order {
		o := l.by[id]
		m, err := a.store.MemberByID(ctx, o.MemberID)
		switch {
		case err == nil:
			o.MemberName = m.Name
		case domain.ErrorCode(err) != domain.ENotFound:
			return out, err
		}
		if o.Rules == nil {
			out.Kept = append(out.Kept, o)
		} else {
			out.Cancelled = append(out.Cancelled, o)
		}
	}
	return out, nil
}

// positionInput is a stored position as input, for an update to start from.
func positionInput(p domain.Position) PositionInput {
	return PositionInput{Name: p.Name, Kinds: strs(p.Kinds), Skills: p.Skills, MinVetting: string(p.MinVetting),
		DBS: strs(p.DBS), Headcount: p.Headcount, MinHeadcount: p.MinHeadcount, PayBand: p.PayBand, Supervision: string(p.Supervision)}
}

func strs[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

// requirementsChanged reports whether a member who passed a's rules might
// fail b's.
func requirementsChanged(a, b domain.Position) bool {
	return !slices.Equal(a.Kinds, b.Kinds) || !slices.Equal(a.Skills, b.Skills) || a.MinVetting != b.MinVetting || !slices.Equal(a.DBS, b.DBS) ||
		a.Supervision != b.Supervision
}

// UpdateDemand edits a demand. A series edit changes future shifts only:
// retimed shifts keep the bookings that still pass every rule and cancel the
// rest; occurrences that disappear are cancelled; new ones are added.
// Bookings of a position whose requirements change are re-checked the same
// way. A position added is added to every future shift. Lowering a
// headcount below the places already taken on any future shift is refused.
func (a *App) UpdateDemand(ctx context.Context, p *domain.Principal, id string, up DemandUpdate) (DemandChange, error) {
	now := a.Now()
	log := newBookingLog()
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		d, err := a.demandInScope(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if d.Status == domain.DemandCancelled {
			return domain.Errorf(domain.EConflict, "this demand is cancelled and cannot be edited")
		}
		before := demandState(d)
		if err := tx.LockDemandPlaces(ctx, d.ID, now); err != nil {
			return err
		}
		var fields []domain.FieldError
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = *v
			}
		}
		set(&d.Title, up.Title)
		set(&d.Description, up.Description)
		set(&d.Briefing, up.Briefing)
		if up.Title != nil && strings.TrimSpace(*up.Title) == "" {
			fields = append(fields, domain.FieldError{Field: "title", Message: "is required"})
		}
		if up.Priority != nil {
			if *up.Priority < 1 || *up.Priority > 5 {
				fields = append(fields, domain.FieldError{Field: "priority", Message: "must be from 1 (routine) to 5 (urgent)"})
			}
			d.Priority = *up.Priority
		}
		if up.BookingMode != nil {
			if !domain.ValidBookingMode(domain.BookingMode(*up.BookingMode)) {
				fields = append(fields, domain.FieldError{Field: "booking_mode", Message: "must be one of: open, approval, assigned"})
			}
			d.BookingMode = domain.BookingMode(*up.BookingMode)
		}
		if up.LoneWorking != nil {
			d.LoneWorking = *up.LoneWorking
		}
		if up.Location != nil {
			d.Location = *up.Location
			if d.Location != nil {
				fields = append(fields, checkLatLon(d.Location.Lat, d.Location.Lon, "location.lat", "location.lon")...)
			}
		}
		retime := up.StartLocal != nil || up.EndLocal != nil || up.TimeZone != nil || up.RRule != nil || up.ExDates != nil
		set(&d.StartLocal, up.StartLocal)
		set(&d.EndLocal, up.EndLocal)
		set(&d.TimeZone, up.TimeZone)
		if up.RRule != nil {
			d.RRule = strings.TrimPrefix(*up.RRule, "RRULE:")
		}
		if up.ExDates != nil {
			d.ExDates = *up.ExDates
		}
		var occurrences []scheduling.Occurrence
		if retime {
			series, sf := a.seriesOf(d)
			fields = append(fields, sf...)
			if len(sf) == 0 {
				occurrences, err = scheduling.ExpandAll(series, scheduling.ShiftLimits(now))
				if err != nil {
					fields = append(fields, fieldsOf(err)...)
				}
			}
		}
		headcounts := map[string]int{}
		var added []domain.Position
		rechecked := map[string]bool{}
		for i, pu := range up.Positions {
			f := fmt.Sprintf("positions[%d]", i)
			idx := -1
			in := PositionInput{}
			if pu.ID != "" {
				idx = slices.IndexFunc(d.Positions, func(p domain.Position) bool { return p.ID == pu.ID })
				if idx < 0 {
					fields = append(fields, domain.FieldError{Field: f + ".id", Message: "is not a position of this demand"})
					continue
				}
				in = positionInput(d.Positions[idx])
			}
			if pu.Name != nil {
				in.Name = *pu.Name
			}
			if pu.Kinds != nil {
				in.Kinds = *pu.Kinds
			}
			if pu.Skills != nil {
				in.Skills = *pu.Skills
			}
			if pu.MinVetting != nil {
				in.MinVetting = *pu.MinVetting
			}
			if pu.DBS != nil {
				in.DBS = *pu.DBS
			}
			if pu.Headcount != nil {
				in.Headcount = *pu.Headcount
			}
			if pu.MinHeadcount != nil {
				in.MinHeadcount = pu.MinHeadcount
			}
			if pu.PayBand != nil {
				in.PayBand = *pu.PayBand
			}
			if pu.Supervision != nil {
				in.Supervision = *pu.Supervision
			}
			pos, pf, err := a.positionFrom(ctx, f, in)
			if err != nil {
				return err
			}
			fields = append(fields, pf...)
			if idx < 0 {
				pos.ID, pos.DemandID, pos.Ordinal = NewID(), d.ID, len(d.Positions)+len(added)
				added = append(added, pos)
				continue
			}
			old := d.Positions[idx]
			pos.ID, pos.DemandID, pos.Ordinal = old.ID, old.DemandID, old.Ordinal
			if pos.Headcount != old.Headcount {
				headcounts[pos.ID] = pos.Headcount
			}
			if requirementsChanged(old, pos) {
				rechecked[pos.ID] = true
			}
			d.Positions[idx] = pos
		}
		if len(fields) > 0 {
			return domain.Invalid("the demand could not be changed", fields...)
		}
		d.UpdatedAt = now
		if err := tx.UpdateDemandFields(ctx, d); err != nil {
			return err
		}
		for _, pos := range d.Positions {
			if err := tx.UpdatePosition(ctx, pos); err != nil {
				return err
			}
		}
		var future []string
		for _, sh := range d.Shifts {
			if sh.Start.After(now) && sh.Status == domain.ShiftScheduled {
				future = append(future, sh.ID)
			}
		}
		for _, pos := range added {
			if err := tx.AddPosition(ctx, pos, future); err != nil {
				return err
			}
		}
		d.Positions = append(d.Positions, added...)
		if err := a.audit(ctx, tx, p, auditEvent{action: "demand.update", entity: "demand", entityID: d.ID,
			before: before, after: demandState(d)}); err != nil {
			return err
		}
		if err := a.emitDemandEvent(ctx, tx, domain.EventDemandChanged, d); err != nil {
			return err
		}
		if err := a.applyHeadcounts(ctx, tx, p, d, headcounts, now); err != nil {
			return err
		}
		if len(rechecked) > 0 {
			if err := a.recheckRequirements(ctx, tx, p, d, rechecked, now, log); err != nil {
				return err
			}
		}
		if retime {
			return a.reschedule(ctx, tx, p, d, occurrences, now, log)
		}
		return nil
	})
	if err != nil {
		return DemandChange{}, err
	}
	return a.demandChange(ctx, id, log)
}

func (a *App) demandChange(ctx context.Context, id string, log *bookingLog) (DemandChange, error) {
	d, err := a.store.DemandByID(ctx, id)
	if err != nil {
		return DemandChange{}, err
	}
	changes, err := a.changes(ctx, log)
	return DemandChange{Demand: d, Bookings: changes}, err
}

// recheckRequirements re-checks the active bookings of positions whose
// requirements changed, on every future shift: kept where every rule still
// passes, cancelled (with the failed rules as the reason) where not.
func (a *App) recheckRequirements(ctx context.Context, tx *db.Store, p *domain.Principal, d domain.Demand,
	positions map[string]bool, now time.Time, log *bookingLog) error {
	for _, sh := range d.Shifts {
		if !sh.Start.After(now) || sh.Status != domain.ShiftScheduled {
			continue
		}
		bookings, err := tx.ShiftBookings(ctx, sh.ID, domain.BookingOffered, domain.BookingPending, domain.BookingConfirmed)
		if err != nil {
			return err
		}
		for _, b := range bookings {
			if !positions[b.PositionID] {
				continue
			}
			if err := a.recheck(ctx, tx, p, d, sh, b, "the position's requirements changed", now, log); err != nil {
				return err
			}
		}
		for positionID := range positions {
			if err := a.promote(ctx, tx, p, sh.ID, positionID, now); err != nil {
				return err
			}
		}
	}
	return nil
}

// recheck keeps booking b on shift sh (as it will be) if every rule passes
// and cancels it, naming the failed rules, if not. The caller promotes the
// waitlist once the shift stands as it will.
func (a *App) recheck(ctx context.Context, tx *db.Store, p *domain.Principal, d domain.Demand, sh domain.Shift,
	b domain.Booking, why string, now time.Time, log *bookingLog) error {
	if err := tx.LockMember(ctx, b.MemberID); err != nil {
		return err
	}
	check, err := a.bookingCheck(ctx, tx, b.MemberID, d, positionOf(d, b.PositionID), sh, domain.Place{}, now, sh.ID)
	if err != nil {
		return err
	}
	failed := domain.CheckEligibility(check)
	if len(failed) == 0 {
		log.kept(b)
		return nil
	}
	log.cancelled(b, failed)
	return a.setCancelled(ctx, tx, p, &b, why+": "+strings.Join(failed, ", "), now)
}

// applyHeadcounts sets new headcounts on every future shift. The database
// refuses a headcount below the places taken; a raised one promotes the
// waitlist.
func (a *App) applyHeadcounts(ctx context.Context, tx *db.Store, p *domain.Principal, d domain.Demand, headcounts map[string]int, now time.Time) error {
	for _, sh := range d.Shifts {
		if !sh.Start.After(now) || sh.Status != domain.ShiftScheduled {
			continue
		}
		for positionID, n := range headcounts {
			place, err := tx.LockPlace(ctx, sh.ID, positionID)
			if err != nil {
				return err
			}
			if n < place.Taken {
				return &domain.Error{Code: domain.EConflict, Rules: []string{"headcount_below_booked"},
					Message: fmt.Sprintf("the shift on %s already has %d places taken for this position; cancel bookings before lowering the headcount to %d",
						sh.Start.In(a.zoneOf(d)).Format("Mon 2 Jan 15:04"), place.Taken, n)}
			}
			if err := tx.SetPlaceHeadcount(ctx, sh.ID, positionID, n); err != nil {
				return err
			}
			if n > place.Headcount {
				if err := a.promote(ctx, tx, p, sh.ID, positionID, now); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// reschedule brings future shifts in line with a new expansion. Shifts are
// matched by occurrence date (a series has at most one occurrence a day).
func (a *App) reschedule(ctx context.Context, tx *db.Store, p *domain.Principal, d domain.Demand, occurrences []scheduling.Occurrence, now time.Time, log *bookingLog) error {
	existing := map[string]domain.Shift{}
	for _, sh := range d.Shifts {
		if sh.Start.After(now) && sh.Status == domain.ShiftScheduled {
			existing[sh.Occurrence] = sh
		}
	}
	var added []domain.Shift
	for _, o := range occurrences {
		if !o.Start.After(now) {
			continue
		}
		key := o.Local.Date().String()
		sh, ok := existing[key]
		if !ok {
			if slices.ContainsFunc(d.Shifts, func(s domain.Shift) bool { return s.Occurrence == key }) {
				// A past or cancelled shift already holds this date: leave it be.
				continue
			}
			added = append(added, domain.Shift{ID: NewID(), DemandID: d.ID, AreaID: d.AreaID, Occurrence: key,
				Start: o.Start, End: o.End, Status: domain.ShiftScheduled})
			continue
		}
		delete(existing, key)
		if sh.Start.Equal(o.Start) && sh.End.Equal(o.End) {
			continue
		}
		if err := a.retime(ctx, tx, p, d, sh, o.Start, o.End, now, log); err != nil {
			return err
		}
	}
	for _, sh := range existing {
		if err := a.cancelShift(ctx, tx, p, sh, "the shift was removed from the series", now, log); err != nil {
			return err
		}
	}
	return tx.InsertShifts(ctx, d.Positions, added)
}

// retime moves a shift, first cancelling the bookings that would no longer
// pass every rule at the new time (with the reason), then moving the rest.
func (a *App) retime(ctx context.Context, tx *db.Store, p *domain.Principal, d domain.Demand, sh domain.Shift, start, end time.Time, now time.Time, log *bookingLog) error {
	moved := sh
	moved.Start, moved.End = start, end
	bookings, err := tx.ShiftBookings(ctx, sh.ID, domain.BookingOffered, domain.BookingPending, domain.BookingConfirmed)
	if err != nil {
		return err
	}
	for _, b := range bookings {
		if err := a.recheck(ctx, tx, p, d, moved, b, "the shift was retimed and no longer fits", now, log); err != nil {
			return err
		}
	}
	if err := tx.RetimeShift(ctx, sh.ID, start, end); err != nil {
		return err
	}
	for _, pl := range sh.Places {
		if err := a.promote(ctx, tx, p, sh.ID, pl.PositionID, now); err != nil {
			return err
		}
	}
	return a.audit(ctx, tx, p, auditEvent{action: "shift.retime", entity: "shift", entityID: sh.ID,
		before: map[string]any{"demand_id": sh.DemandID, "start": sh.Start, "end": sh.End},
		after:  map[string]any{"demand_id": sh.DemandID, "start": start, "end": end}})
}
