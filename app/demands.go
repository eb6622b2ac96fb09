package app

import (
	"cmp"
	"context"
	"fmt"
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
	LoneWorking bool
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
	Supervision  string // "none" (or "") or "allowed"
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
		Priority: in.Priority, BookingMode: domain.BookingMode(in.BookingMode), MenteeRef: in.MenteeRef, LoneWorking: in.LoneWorking,
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
		if err := a.audit(ctx, tx, p, auditEvent{action: "demand.create", entity: "demand", entityID: d.ID, after: after}); err != nil {
			return err
		}
		return a.emitDemandEvent(ctx, tx, domain.EventDemandPosted, d)
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
			"dbs": p.DBS, "headcount": p.Headcount, "min_headcount": p.MinHeadcount, "pay_band": p.PayBand,
			"supervision": p.Supervision}
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
		"booking_mode": d.BookingMode, "lone_working": d.LoneWorking, "start_local": d.StartLocal, "end_local": d.EndLocal, "timezone": d.TimeZone,
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
		Headcount: pi.Headcount, MinHeadcount: pi.MinHeadcount, PayBand: pi.PayBand, Supervision: domain.Supervision(pi.Supervision)}
	if pos.Supervision == "" {
		pos.Supervision = domain.SupervisionNone
	}
	if !domain.ValidSupervision(pos.Supervision) {
		bad(f+".supervision", "must be none or allowed")
	}
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
