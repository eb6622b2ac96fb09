package app

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
	"github.com/copbank/copbank/scheduling"
)

// DemandInput is what a coordinator posts.
type DemandInput struct {
	Title       string
	Description string
	ProblemType string
	Area        string // area code
	Location    *domain.Location
	Briefing    string
	Priority    int
	BookingMode string
	MenteeRef   string
	TimeZone    string
	StartLocal  string
	EndLocal    string
	RRule       string
	ExDates     []string
	Positions   []PositionInput
}

// PositionInput is one position of a posted demand.
type PositionInput struct {
	Name         string
	Kinds        []string
	Skills       []string
	MinVetting   string
	DBS          []string
	Headcount    int
	MinHeadcount *int
	PayBand      string
}

// PostDemand validates a demand, expands it into shifts and stores it all.
func (a *App) PostDemand(ctx context.Context, p *domain.Principal, in DemandInput) (domain.Demand, error) {
	if !isCoordinating(p) {
		return domain.Demand{}, forbidden("only coordinators and admins post demand")
	}
	now := a.Now()
	var fields []domain.FieldError
	bad := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }

	d := domain.Demand{ID: NewID(), Title: strings.TrimSpace(in.Title), Description: in.Description,
		ProblemType: domain.ProblemType(in.ProblemType), Location: in.Location, Briefing: in.Briefing,
		Priority: in.Priority, BookingMode: domain.BookingMode(in.BookingMode), MenteeRef: in.MenteeRef,
		TimeZone: cmp.Or(strings.TrimSpace(in.TimeZone), a.Config.TimeZone.String()), StartLocal: in.StartLocal, EndLocal: in.EndLocal, RRule: strings.TrimPrefix(in.RRule, "RRULE:"),
		ExDates: in.ExDates, Status: domain.DemandActive, CreatedBy: p.User.ID, CreatedAt: now, UpdatedAt: now}
	if d.Title == "" {
		bad("title", "is required")
	}
	if !domain.ValidProblemType(d.ProblemType) {
		bad("problem_type", "must be one of: "+joinProblemTypes())
	}
	if d.Priority == 0 {
		d.Priority = 1
	}
	if d.Priority < 1 || d.Priority > 5 {
		bad("priority", "must be from 1 (routine) to 5 (urgent)")
	}
	if d.BookingMode == "" {
		d.BookingMode = domain.ModeOpen
	}
	if !domain.ValidBookingMode(d.BookingMode) {
		bad("booking_mode", "must be one of: open, approval, assigned")
	}
	if d.ProblemType == "mentoring" && d.MenteeRef == "" {
		bad("mentee_ref", "is required for mentoring: a pseudonymous reference, never the mentee's name")
	}
	area, err := a.store.AreaByCode(ctx, in.Area)
	switch {
	case domain.ErrorCode(err) == domain.ENotFound:
		bad("area", "is not a known area code")
	case err != nil:
		return domain.Demand{}, err
	case !coversArea(p, area):
		bad("area", "is outside the areas you coordinate")
	default:
		d.AreaID, d.AreaCode = area.ID, area.Code
	}
	if d.Location != nil {
		fields = append(fields, checkLatLon(d.Location.Lat, d.Location.Lon, "location.lat", "location.lon")...)
	}
	positions, posFields, err := a.positionsFrom(ctx, d.ID, in.Positions)
	if err != nil {
		return domain.Demand{}, err
	}
	fields = append(fields, posFields...)
	d.Positions = positions

	series, seriesFields := a.seriesOf(d)
	fields = append(fields, seriesFields...)
	var occurrences []scheduling.Occurrence
	if len(seriesFields) == 0 {
		occurrences, err = scheduling.ExpandAll(series, scheduling.ShiftLimits(now))
		if err != nil {
			fields = append(fields, fieldsOf(err)...)
		} else if !occurrences[0].Start.After(now) {
			bad("start_local", "is in the past: post demand for shifts yet to start")
		}
	}
	if len(fields) > 0 {
		return domain.Demand{}, domain.Invalid("the demand could not be posted", fields...)
	}
	for _, o := range occurrences {
		d.Shifts = append(d.Shifts, domain.Shift{ID: NewID(), DemandID: d.ID, AreaID: d.AreaID,
			Occurrence: o.Local.Date().String(), Start: o.Start, End: o.End, Status: domain.ShiftScheduled})
	}
	err = a.store.InTx(ctx, func(tx *db.Store) error {
		if err := tx.CreateDemand(ctx, d); err != nil {
			return err
		}
		shiftIDs := make([]string, len(d.Shifts))
		for i, sh := range d.Shifts {
			shiftIDs[i] = sh.ID
		}
		after := demandState(d)
		after["shift_ids"] = shiftIDs
		return a.audit(ctx, tx, p, auditEvent{action: "demand.create", entity: "demand", entityID: d.ID, after: after})
	})
	if err != nil {
		return domain.Demand{}, err
	}
	return a.store.DemandByID(ctx, d.ID)
}

// demandState is how a demand appears in the audit log: its settings, with
// free text (description, briefing, location) recorded by reference.
func demandState(d domain.Demand) map[string]any {
	positions := make([]map[string]any, len(d.Positions))
	for i, p := range d.Positions {
		positions[i] = map[string]any{"id": p.ID, "name": p.Name, "kinds": p.Kinds, "skills": p.Skills, "min_vetting": p.MinVetting,
			"dbs": p.DBS, "headcount": p.Headcount, "min_headcount": p.MinHeadcount, "pay_band": p.PayBand}
	}
	var text []string
	if d.Description != "" {
		text = append(text, "description")
	}
	if d.Briefing != "" {
		text = append(text, "briefing")
	}
	if d.Location != nil {
		text = append(text, "location")
	}
	return map[string]any{"title": d.Title, "problem_type": d.ProblemType, "area": d.AreaCode, "priority": d.Priority,
		"booking_mode": d.BookingMode, "start_local": d.StartLocal, "end_local": d.EndLocal, "timezone": d.TimeZone,
		"rrule": d.RRule, "exdates": d.ExDates, "status": d.Status, "positions": positions, "text_fields_set": text}
}

func joinProblemTypes() string {
	names := make([]string, len(domain.ProblemTypes))
	for i, p := range domain.ProblemTypes {
		names[i] = string(p)
	}
	return strings.Join(names, ", ")
}

// fieldsOf extracts field errors from a domain error (or wraps its message).
func fieldsOf(err error) []domain.FieldError {
	var de *domain.Error
	if ok := asError(err, &de); ok && len(de.Fields) > 0 {
		return de.Fields
	}
	return []domain.FieldError{{Field: "rrule", Message: domain.ErrorMessage(err)}}
}

// seriesOf turns a demand's timing fields into a recurrence series.
func (a *App) seriesOf(d domain.Demand) (scheduling.Series, []domain.FieldError) {
	var fields []domain.FieldError
	loc := a.Config.TimeZone
	if d.TimeZone != "" {
		l, err := time.LoadLocation(d.TimeZone)
		if err != nil || d.TimeZone == "Local" {
			fields = append(fields, domain.FieldError{Field: "timezone", Message: "must be an IANA time zone such as Europe/London"})
		} else {
			loc = l
		}
	}
	start, err := scheduling.ParseWallTime(d.StartLocal)
	if err != nil {
		fields = append(fields, domain.FieldError{Field: "start_local", Message: "must be a local time YYYY-MM-DDTHH:MM"})
	}
	end, err2 := scheduling.ParseWallTime(d.EndLocal)
	if err2 != nil {
		fields = append(fields, domain.FieldError{Field: "end_local", Message: "must be a local time YYYY-MM-DDTHH:MM"})
	}
	exdates, err3 := scheduling.ParseExDates(d.ExDates)
	if err3 != nil {
		fields = append(fields, fieldsOf(err3)...)
	}
	if err != nil || err2 != nil {
		return scheduling.Series{}, fields
	}
	duration := floating(end).Sub(floating(start))
	if duration <= 0 {
		fields = append(fields, domain.FieldError{Field: "end_local", Message: "must be after start_local"})
	}
	return scheduling.Series{Start: start, Duration: duration, Location: loc, RRule: d.RRule, ExDates: exdates}, fields
}

func floating(w scheduling.WallTime) time.Time {
	return time.Date(w.Year, w.Month, w.Day, w.Hour, w.Minute, 0, 0, time.UTC)
}

// positionsFrom validates posted positions against the skill catalogue.
func (a *App) positionsFrom(ctx context.Context, demandID string, in []PositionInput) ([]domain.Position, []domain.FieldError, error) {
	var fields []domain.FieldError
	bad := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }
	if len(in) == 0 {
		bad("positions", "add at least one position")
	}
	out := make([]domain.Position, 0, len(in))
	for i, pi := range in {
		f := fmt.Sprintf("positions[%d]", i)
		pos := domain.Position{ID: NewID(), DemandID: demandID, Ordinal: i, Name: strings.TrimSpace(pi.Name),
			Skills: pi.Skills, MinVetting: domain.ClearanceType(pi.MinVetting), Headcount: pi.Headcount,
			MinHeadcount: pi.MinHeadcount, PayBand: pi.PayBand}
		if pos.Name == "" {
			bad(f+".name", "is required")
		}
		if len(pi.Kinds) == 0 {
			bad(f+".kinds", "name at least one of volunteer, bank_officer, mentor")
		}
		for j, k := range pi.Kinds {
			if !domain.ValidKind(domain.Kind(k)) {
				bad(fmt.Sprintf("%s.kinds[%d]", f, j), "must be volunteer, bank_officer or mentor")
			}
			pos.Kinds = append(pos.Kinds, domain.Kind(k))
		}
		for j, code := range pi.Skills {
			if _, err := a.store.SkillByCode(ctx, code); domain.ErrorCode(err) == domain.ENotFound {
				bad(fmt.Sprintf("%s.skills[%d]", f, j), fmt.Sprintf("%q is not in the skill catalogue", code))
			} else if err != nil {
				return nil, nil, err
			}
		}
		if pos.MinVetting == "" {
			pos.MinVetting = domain.VettingNone
		}
		if pos.MinVetting != domain.VettingNone && domain.VettingLevel(pos.MinVetting) == 0 {
			bad(f+".min_vetting", "must be none, NPPV1, NPPV2 or NPPV3")
		}
		for j, t := range pi.DBS {
			if !domain.IsDBS(domain.ClearanceType(t)) {
				bad(fmt.Sprintf("%s.dbs[%d]", f, j), "must be dbs_enhanced_children or dbs_enhanced_adults")
			}
			pos.DBS = append(pos.DBS, domain.ClearanceType(t))
		}
		if pos.Headcount < 1 || pos.Headcount > 500 {
			bad(f+".headcount", "must be from 1 to 500")
		}
		if pos.MinHeadcount != nil && (*pos.MinHeadcount < 1 || *pos.MinHeadcount > pos.Headcount) {
			bad(f+".min_headcount", "must be from 1 to the headcount")
		}
		out = append(out, pos)
	}
	return out, fields, nil
}

// demandInScope loads a demand the caller manages; anything else is not found.
func (a *App) demandInScope(ctx context.Context, store *db.Store, p *domain.Principal, id string) (domain.Demand, error) {
	d, err := store.DemandByID(ctx, id)
	if err != nil {
		return d, err
	}
	area, err := store.AreaByID(ctx, d.AreaID)
	if err != nil {
		return d, err
	}
	if !coversArea(p, area) {
		return domain.Demand{}, notFound("demand")
	}
	return d, nil
}

// GetDemand returns a demand the caller coordinates, with its shifts.
func (a *App) GetDemand(ctx context.Context, p *domain.Principal, id string) (domain.Demand, error) {
	return a.demandInScope(ctx, a.store, p, id)
}

// DemandQuery narrows a list of demands.
type DemandQuery struct {
	Area  string // code: demands posted at or below it
	After string
	Limit int
}

// ListDemands lists demands in the caller's areas, newest first, each with
// its positions. An unknown area code is invalid.
func (a *App) ListDemands(ctx context.Context, p *domain.Principal, q DemandQuery) ([]domain.Demand, error) {
	if !isCoordinating(p) {
		return nil, forbidden("only coordinators and admins list demand")
	}
	f := domain.DemandFilter{After: q.After, Limit: q.Limit}
	if !p.IsAdmin() {
		f.AreaPaths = []string{}
		for _, a := range p.User.Areas {
			f.AreaPaths = append(f.AreaPaths, a.Path)
		}
	}
	if q.Area != "" {
		area, err := a.store.AreaByCode(ctx, q.Area)
		if domain.ErrorCode(err) == domain.ENotFound {
			return nil, domain.FieldInvalid("area", "is not a known area code")
		}
		if err != nil {
			return nil, err
		}
		f.AreaPath = area.Path
	}
	return a.store.FindDemands(ctx, f)
}

// DemandUpdate changes a demand; nil fields stay as they are. Timing and
// headcount changes apply to shifts that have not started.
type DemandUpdate struct {
	Title       *string
	Description *string
	Briefing    *string
	Priority    *int
	BookingMode *string
	Location    **domain.Location
	StartLocal  *string
	EndLocal    *string
	TimeZone    *string
	RRule       *string
	ExDates     *[]string
	Positions   []PositionUpdate
}

// PositionUpdate changes one existing position.
type PositionUpdate struct {
	ID           string
	Name         *string
	Headcount    *int
	MinHeadcount *int
	PayBand      *string
}

// UpdateDemand edits a demand. A series edit changes future shifts only:
// retimed shifts keep the bookings that still pass every rule and cancel the
// rest; occurrences that disappear are cancelled; new ones are added.
// Lowering a headcount below the places already taken on any future shift is
// refused.
func (a *App) UpdateDemand(ctx context.Context, p *domain.Principal, id string, up DemandUpdate) (domain.Demand, error) {
	now := a.Now()
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
		for i, pu := range up.Positions {
			f := fmt.Sprintf("positions[%d]", i)
			idx := slices.IndexFunc(d.Positions, func(p domain.Position) bool { return p.ID == pu.ID })
			if idx < 0 {
				fields = append(fields, domain.FieldError{Field: f + ".id", Message: "is not a position of this demand"})
				continue
			}
			pos := &d.Positions[idx]
			if pu.Name != nil {
				if strings.TrimSpace(*pu.Name) == "" {
					fields = append(fields, domain.FieldError{Field: f + ".name", Message: "is required"})
				}
				pos.Name = *pu.Name
			}
			if pu.PayBand != nil {
				pos.PayBand = *pu.PayBand
			}
			if pu.MinHeadcount != nil {
				pos.MinHeadcount = pu.MinHeadcount
			}
			if pu.Headcount != nil {
				if *pu.Headcount < 1 || *pu.Headcount > 500 {
					fields = append(fields, domain.FieldError{Field: f + ".headcount", Message: "must be from 1 to 500"})
				}
				pos.Headcount = *pu.Headcount
				headcounts[pos.ID] = *pu.Headcount
			}
			if pos.MinHeadcount != nil && (*pos.MinHeadcount < 1 || *pos.MinHeadcount > pos.Headcount) {
				fields = append(fields, domain.FieldError{Field: f + ".min_headcount", Message: "must be from 1 to the headcount"})
			}
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
		if err := a.audit(ctx, tx, p, auditEvent{action: "demand.update", entity: "demand", entityID: d.ID,
			before: before, after: demandState(d)}); err != nil {
			return err
		}
		if err := a.applyHeadcounts(ctx, tx, p, d, headcounts, now); err != nil {
			return err
		}
		if retime {
			return a.reschedule(ctx, tx, p, d, occurrences, now)
		}
		return nil
	})
	if err != nil {
		return domain.Demand{}, err
	}
	return a.store.DemandByID(ctx, id)
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
func (a *App) reschedule(ctx context.Context, tx *db.Store, p *domain.Principal, d domain.Demand, occurrences []scheduling.Occurrence, now time.Time) error {
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
		if err := a.retime(ctx, tx, p, d, sh, o.Start, o.End, now); err != nil {
			return err
		}
	}
	for _, sh := range existing {
		if err := a.cancelShift(ctx, tx, p, sh, "the shift was removed from the series", now); err != nil {
			return err
		}
	}
	return tx.InsertShifts(ctx, d.Positions, added)
}

// retime moves a shift, first cancelling the bookings that would no longer
// pass every rule at the new time (with the reason), then moving the rest.
func (a *App) retime(ctx context.Context, tx *db.Store, p *domain.Principal, d domain.Demand, sh domain.Shift, start, end time.Time, now time.Time) error {
	moved := sh
	moved.Start, moved.End = start, end
	bookings, err := tx.ShiftBookings(ctx, sh.ID, domain.BookingOffered, domain.BookingPending, domain.BookingConfirmed)
	if err != nil {
		return err
	}
	for _, b := range bookings {
		pos := positionOf(d, b.PositionID)
		check, err := a.bookingCheck(ctx, tx, b.MemberID, d, pos, moved, domain.Place{}, now, sh.ID)
		if err != nil {
			return err
		}
		if failed := domain.CheckEligibility(check); len(failed) > 0 {
			if err := a.setCancelled(ctx, tx, p, &b, "the shift was retimed and no longer fits: "+strings.Join(failed, ", "), now); err != nil {
				return err
			}
		}
	}
	if err := tx.RetimeShift(ctx, sh.ID, start, end); err != nil {
		return err
	}
	return a.audit(ctx, tx, p, auditEvent{action: "shift.retime", entity: "shift", entityID: sh.ID,
		before: map[string]any{"demand_id": sh.DemandID, "start": sh.Start, "end": sh.End},
		after:  map[string]any{"demand_id": sh.DemandID, "start": start, "end": end}})
}

// CancelDemand cancels a demand and every shift of it yet to start, with
// their bookings.
func (a *App) CancelDemand(ctx context.Context, p *domain.Principal, id string) (domain.Demand, error) {
	now := a.Now()
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		d, err := a.demandInScope(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if d.Status == domain.DemandCancelled {
			return nil
		}
		before := demandState(d)
		d.Status, d.UpdatedAt = domain.DemandCancelled, now
		if err := tx.UpdateDemandFields(ctx, d); err != nil {
			return err
		}
		if err := a.audit(ctx, tx, p, auditEvent{action: "demand.cancel", entity: "demand", entityID: d.ID,
			before: before, after: demandState(d)}); err != nil {
			return err
		}
		for _, sh := range d.Shifts {
			if sh.Start.After(now) && sh.Status == domain.ShiftScheduled {
				if err := a.cancelShift(ctx, tx, p, sh, "the demand was cancelled", now); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return domain.Demand{}, err
	}
	return a.store.DemandByID(ctx, id)
}

// cancelShift cancels a shift and all its active and waitlisted bookings.
func (a *App) cancelShift(ctx context.Context, tx *db.Store, p *domain.Principal, sh domain.Shift, reason string, now time.Time) error {
	// The places' locks keep a booking from landing between our reading the
	// bookings and the shift becoming cancelled.
	if err := tx.LockShiftPlaces(ctx, sh.ID); err != nil {
		return err
	}
	bookings, err := tx.ShiftBookings(ctx, sh.ID, domain.BookingOffered, domain.BookingPending, domain.BookingConfirmed, domain.BookingWaitlisted)
	if err != nil {
		return err
	}
	for _, b := range bookings {
		if err := a.setCancelled(ctx, tx, p, &b, reason, now); err != nil {
			return err
		}
	}
	if err := tx.SetShiftStatus(ctx, sh.ID, domain.ShiftCancelled); err != nil {
		return err
	}
	return a.audit(ctx, tx, p, auditEvent{action: "shift.cancel", entity: "shift", entityID: sh.ID,
		before: map[string]any{"demand_id": sh.DemandID, "status": sh.Status},
		after:  map[string]any{"demand_id": sh.DemandID, "status": domain.ShiftCancelled, "reason": reason}})
}

func positionOf(d domain.Demand, id string) domain.Position {
	for _, p := range d.Positions {
		if p.ID == id {
			return p
		}
	}
	return domain.Position{}
}

// zoneOf is the demand's time zone (the force's when unknown).
func (a *App) zoneOf(d domain.Demand) *time.Location {
	if loc, err := time.LoadLocation(d.TimeZone); err == nil && d.TimeZone != "" {
		return loc
	}
	return a.Config.TimeZone
}
