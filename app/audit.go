package app

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// The audit log: every change, every
// read of vetting data and every subject-access export is written, in the
// same transaction as the change itself, by the use case that makes it.
// Before and after never hold a person's personal values — a member's name,
// email, phone, location, preferences and leave reasons are recorded by
// reference (member_id and the names of the fields changed) — so an erased
// member leaves nothing personal behind in history, which is never edited.

type requestInfoKey struct{}

// RequestInfo is what the audit log records about the request behind a use
// case: its ID and the caller's network address.
type RequestInfo struct {
	ID      string
	Address string
}

// WithRequest returns ctx carrying the request's ID and address, for the
// audit log (the web middleware sets it for every request).
func WithRequest(ctx context.Context, id, address string) context.Context {
	return context.WithValue(ctx, requestInfoKey{}, RequestInfo{ID: id, Address: address})
}

// RequestOf returns what WithRequest stored, or zero values.
func RequestOf(ctx context.Context) RequestInfo {
	ri, _ := ctx.Value(requestInfoKey{}).(RequestInfo)
	return ri
}

// auditEvent is one thing to record.
type auditEvent struct {
	action   string
	entity   string
	entityID string
	memberID string
	before   any
	after    any
	// actorLabel names a caller who is not signed in (p nil), such as
	// "anonymous" for a public request; default "system".
	actorLabel string
}

// actorOf names the caller by ID and roles, never by name.
func actorOf(p *domain.Principal) (userID, label string) {
	if p == nil {
		return "", "system"
	}
	if p.User.ID == "" {
		return "", "command line"
	}
	roles := make([]string, len(p.User.Roles))
	for i, r := range p.User.Roles {
		roles[i] = string(r)
	}
	return p.User.ID, strings.Join(roles, ",")
}

// audit appends an entry through store, which must be the transaction that
// makes the change, so the entry commits or rolls back with it.
func (a *App) audit(ctx context.Context, store *db.Store, p *domain.Principal, ev auditEvent) error {
	e, err := a.auditEntry(ctx, p, ev)
	if err != nil {
		return err
	}
	return store.AppendAudit(ctx, e)
}

// auditEntry is the entry audit writes.
func (a *App) auditEntry(ctx context.Context, p *domain.Principal, ev auditEvent) (domain.AuditEntry, error) {
	userID, label := actorOf(p)
	if p == nil && ev.actorLabel != "" {
		label = ev.actorLabel
	}
	ri := RequestOf(ctx)
	e := domain.AuditEntry{ID: NewID(), At: a.Now(), ActorUserID: userID, ActorLabel: label, Action: ev.action,
		Entity: ev.entity, EntityID: ev.entityID, MemberID: ev.memberID, RequestID: ri.ID, Address: ri.Address}
	var err error
	if e.Before, err = auditJSON(ev.before); err != nil {
		return e, err
	}
	e.After, err = auditJSON(ev.after)
	return e, err
}

func auditJSON(v any) (json.RawMessage, error) {
	if v == nil || (reflect.ValueOf(v).Kind() == reflect.Map && reflect.ValueOf(v).IsNil()) {
		return nil, nil
	}
	return json.Marshal(v)
}

// personalMemberFields are recorded by name only, never by value.
var personalMemberFields = map[string]bool{"name": true, "email": true, "phone": true, "lat": true, "lon": true, "preferences": true}

// memberFields lists a member's fields by JSON name with their values.
func memberFields(m domain.Member) []struct {
	name  string
	value any
} {
	return []struct {
		name  string
		value any
	}{
		{"name", m.Name}, {"email", m.Email}, {"phone", m.Phone}, {"lat", m.Lat}, {"lon", m.Lon},
		{"preferences", m.Preferences},
		{"kinds", m.Kinds}, {"home_area", m.HomeAreaCode}, {"travel_km", m.TravelKm},
		{"max_hours_per_week", m.MaxHoursPerWeek}, {"contracted_hours_per_week", m.ContractedHoursPerWeek},
		{"min_rest_hours", m.MinRestHours}, {"status", m.Status},
		{"max_shifts_per_week", m.Limits.MaxShiftsPerWeek}, {"max_consecutive_days", m.Limits.MaxConsecutiveDays},
		{"min_days_off_between_runs", m.Limits.MinDaysOffBetweenRuns}, {"max_weekends_per_4_weeks", m.Limits.MaxWeekendsPer4Weeks},
		{"target_hours_per_4_weeks", m.Limits.TargetHoursPer4Weeks},
	}
}

// memberChange describes a change to a member by reference: the names of
// every field changed, with values only for the fields that are not personal.
// A nil old is a creation.
func memberChange(old *domain.Member, m domain.Member) (before, after map[string]any) {
	after = map[string]any{"member_id": m.ID}
	if old != nil {
		before = map[string]any{"member_id": m.ID}
	}
	var changed []string
	var oldFields []struct {
		name  string
		value any
	}
	if old != nil {
		oldFields = memberFields(*old)
	}
	for i, f := range memberFields(m) {
		if old != nil && reflect.DeepEqual(oldFields[i].value, f.value) {
			continue
		}
		if old == nil && reflect.ValueOf(f.value).IsZero() {
			continue
		}
		changed = append(changed, f.name)
		if personalMemberFields[f.name] {
			continue
		}
		after[f.name] = f.value
		if old != nil {
			before[f.name] = oldFields[i].value
		}
	}
	if changed == nil {
		changed = []string{}
	}
	after["fields_changed"] = changed
	return before, after
}

// bookingState is how a booking appears in the audit log.
func bookingState(b domain.Booking) map[string]any {
	out := map[string]any{"member_id": b.MemberID, "shift_id": b.ShiftID, "position_id": b.PositionID, "status": b.Status}
	if b.LateCancel {
		out["late_cancel"] = true
	}
	if b.CancelledBy != "" {
		out["cancelled_by"] = b.CancelledBy
	}
	if b.Attendance != "" {
		out["attendance"] = b.Attendance
		out["attendance_submitted"] = b.AttendanceSubmitted
	}
	if b.ActualStart != nil {
		out["actual_start"] = b.ActualStart.UTC().Format(time.RFC3339)
	}
	if b.ActualEnd != nil {
		out["actual_end"] = b.ActualEnd.UTC().Format(time.RFC3339)
	}
	return out
}

// auditBooking records a booking moving from one state to another (before
// nil for a new booking).
func (a *App) auditBooking(ctx context.Context, tx *db.Store, p *domain.Principal, action string, before *domain.Booking, after domain.Booking) error {
	ev := auditEvent{action: action, entity: "booking", entityID: after.ID, memberID: after.MemberID, after: bookingState(after)}
	if before != nil {
		ev.before = bookingState(*before)
	}
	return a.audit(ctx, tx, p, ev)
}

// AuditLog reads the audit log, oldest first. Admins only (forbidden
// otherwise); f.Limit is taken as given.
func (a *App) AuditLog(ctx context.Context, p *domain.Principal, f domain.AuditFilter) ([]domain.AuditEntry, error) {
	if !p.IsAdmin() {
		return nil, forbidden("only an admin may read the audit log")
	}
	return a.store.AuditEntries(ctx, f)
}
