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

	_, occurrences, timingFields := a.upcomingOccurrences(d, now, "post demand for shifts yet to start")
	fields = append(fields, timingFields...)
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
// upcomingOccurrences expands the timing of a demand or of training sessions
// within the series limits, refusing one whose first occurrence has begun;
// advice says what to post instead.
func (a *App) upcomingOccurrences(timing domain.Demand, now time.Time, advice string) (scheduling.Series, []scheduling.Occurrence, []domain.FieldError) {
	series, fields := a.seriesOf(timing)
	if len(fields) > 0 {
		return series, nil, fields
	}
	occurrences, err := scheduling.ExpandAll(series, scheduling.ShiftLimits(now))
	if err != nil {
		return series, nil, fieldsOf(err)
	}
	if !occurrences[0].Start.After(now) {
		return series, nil, []domain.FieldError{{Field: "start_local", Message: "is in the past: " + advice}}
	}
	return series, occurrences, nil
}

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
		pos, pf, err := a.positionFrom(ctx, fmt.Sprintf("positions[%d]", i), pi)
		if err != nil {
			return nil, nil, err
		}
		fields = append(fields, pf...)
		pos.ID, pos.DemandID, pos.Ordinal = NewID(), demandID, i
		out = append(out, pos)
	}
	return out, fields, nil
}

// positionFrom validates one position (named f in field errors) against the
// skill catalogue; the caller sets its ID, demand and ordinal.
func (a *App) positionFrom(ctx context.Context, f string, pi PositionInput) (domain.Position, []domain.FieldError, error) {
	var fields []domain.FieldError
	bad := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }
	pos := domain.Position{Name: strings.TrimSpace(pi.Name), Skills: pi.Skills, MinVetting: domain.ClearanceType(pi.MinVetting),
		Headcount: pi.Headcount, MinHeadcount: pi.MinHeadcount, PayBand: pi.PayBand}
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
			return pos, nil, err
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
	return pos, fields, nil
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
		DBS: strs(p.DBS), Headcount: p.Headcount, MinHeadcount: p.MinHeadcount, PayBand: p.PayBand}
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
	return !slices.Equal(a.Kinds, b.Kinds) || !slices.Equal(a.Skills, b.Skills) || a.MinVetting != b.MinVetting || !slices.Equal(a.DBS, b.DBS)
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

// cancelReason is what a cancelled booking's member reads: what happened and,
// when the coordinator gave one, why.
func cancelReason(what, why string) string {
	if why = strings.TrimSpace(why); why != "" {
		return what + ": " + why
	}
	return what
}

// CancelDemand cancels a demand and every shift of it yet to start, with
// their bookings; why, if given, is told to every member whose booking goes.
func (a *App) CancelDemand(ctx context.Context, p *domain.Principal, id, why string) (DemandChange, error) {
	now := a.Now()
	log := newBookingLog()
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
		after := demandState(d)
		after["reason"] = strings.TrimSpace(why)
		if err := a.audit(ctx, tx, p, auditEvent{action: "demand.cancel", entity: "demand", entityID: d.ID,
			before: before, after: after}); err != nil {
			return err
		}
		for _, sh := range d.Shifts {
			if sh.Start.After(now) && sh.Status == domain.ShiftScheduled {
				if err := a.cancelShift(ctx, tx, p, sh, cancelReason("the demand was cancelled", why), now, log); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return DemandChange{}, err
	}
	return a.demandChange(ctx, id, log)
}

// ShiftChange is a shift after a change, and what it did to its bookings.
type ShiftChange struct {
	Shift    ShiftView
	Bookings BookingChanges
}

// CancelShift cancels one shift yet to start in the caller's areas, with its
// active and waitlisted bookings; why, if given, is told to their members.
func (a *App) CancelShift(ctx context.Context, p *domain.Principal, id, why string) (ShiftChange, error) {
	if !isCoordinating(p) {
		return ShiftChange{}, notFound("shift")
	}
	now := a.Now()
	log := newBookingLog()
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		sh, d, err := tx.ShiftByID(ctx, id)
		if err != nil {
			return err
		}
		area, err := tx.AreaByID(ctx, d.AreaID)
		if err != nil {
			return err
		}
		if !coversArea(p, area) {
			return notFound("shift")
		}
		if sh.Status == domain.ShiftCancelled || d.Status == domain.DemandCancelled {
			return nil
		}
		if !sh.Start.After(now) {
			return &domain.Error{Code: domain.EConflict, Rules: []string{domain.RuleShiftOpen},
				Message: "the shift has started: record attendance instead of cancelling it"}
		}
		return a.cancelShift(ctx, tx, p, sh, cancelReason("the shift was cancelled", why), now, log)
	})
	if err != nil {
		return ShiftChange{}, err
	}
	v, err := a.GetShift(ctx, p, id)
	if err != nil {
		return ShiftChange{}, err
	}
	changes, err := a.changes(ctx, log)
	return ShiftChange{Shift: v, Bookings: changes}, err
}

// cancelShift cancels a shift and all its active and waitlisted bookings.
func (a *App) cancelShift(ctx context.Context, tx *db.Store, p *domain.Principal, sh domain.Shift, reason string, now time.Time, log *bookingLog) error {
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
		log.cancelled(b, []string{domain.RuleShiftOpen})
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
