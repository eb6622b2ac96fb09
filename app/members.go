package app

import (
	"context"
	"fmt"
	"maps"
	"net/mail"
	"slices"
	"strings"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// Who may do what to a member (see policy.go): an admin anything; a
// coordinator anything but vetting to members whose home area is in their
// scope; a member reads their own record, changes their own contact fields,
// availability and leave, and declares their own lived experience. Anyone
// else is told the member does not exist.

// memberReach is how far the caller reaches a member.
type memberReach int

const (
	reachNone   memberReach = iota
	reachSelf               // the member themselves
	reachManage             // an admin, or a coordinator covering the home area
)

// reachMember loads a member and says how far the caller reaches them; a
// member beyond reach is not found.
func (a *App) reachMember(ctx context.Context, store *db.Store, p *domain.Principal, id string) (domain.Member, memberReach, error) {
	if p == nil || id == "" {
		return domain.Member{}, reachNone, notFound("member")
	}
	m, err := store.MemberByID(ctx, id)
	if domain.ErrorCode(err) == domain.ENotFound {
		return domain.Member{}, reachNone, notFound("member")
	}
	if err != nil {
		return domain.Member{}, reachNone, err
	}
	if p.IsAdmin() {
		return m, reachManage, nil
	}
	if p.User.Has(domain.RoleCoordinator) {
		area, err := store.AreaByID(ctx, m.HomeAreaID)
		if err != nil {
			return domain.Member{}, reachNone, err
		}
		if coversArea(p, area) {
			return m, reachManage, nil
		}
	}
	if isSelf(p, m.ID) {
		return m, reachSelf, nil
	}
	return domain.Member{}, reachNone, notFound("member")
}

// NewMember is the input for creating a member. Nil numbers take the
// defaults of the most demanding kind (domain.DefaultsFor).
type NewMember struct {
	Name                   string
	Email                  string
	Phone                  string
	Kinds                  []domain.Kind
	HomeArea               string // area code
	Lat, Lon               *float64
	TravelKm               *float64
	MaxHoursPerWeek        *float64
	ContractedHoursPerWeek *float64
	MinRestHours           *float64
	Status                 domain.MemberStatus // "" = active
	Limits                 domain.MemberLimits
	Preferences            domain.Preferences
}

// Clearable is a PATCH field that may be cleared: Set when the caller sent
// it, Value nil when they sent null.
type Clearable[T any] struct {
	Set   bool
	Value *T
}

// MemberUpdate is a partial change to a member: nil (or unset) fields stay.
type MemberUpdate struct {
	Name                   *string
	Email                  *string
	Phone                  *string
	Kinds                  *[]domain.Kind
	HomeArea               *string
	Lat, Lon               Clearable[float64]
	TravelKm               *float64
	MaxHoursPerWeek        *float64
	ContractedHoursPerWeek *float64
	MinRestHours           *float64
	Status                 *domain.MemberStatus
	MaxShiftsPerWeek       Clearable[int]
	MaxConsecutiveDays     Clearable[int]
	MinDaysOffBetweenRuns  Clearable[int]
	MaxWeekendsPer4Weeks   Clearable[int]
	TargetHoursPer4Weeks   Clearable[float64]
	Preferences            *domain.Preferences
	// Notices, if not nil, replaces only the channels chosen per kind of
	// message, inside the update's transaction: the contact page changes
	// them without rewriting (and racing) the rest of the preferences.
	Notices map[string][]string
	// EmergencyContact records the member's one emergency contact (Value
	// nil forgets it); it is kept apart from the member record (see
	// EmergencyContactFor).
	EmergencyContact Clearable[domain.EmergencyContact]
}

// MemberDetail is one member with what they hold.
type MemberDetail struct {
	domain.Member
	Skills     []domain.MemberSkill
	Clearances []domain.Clearance
	// Hold is the approval hold in force for the member's own bookings.
	Hold *domain.ApprovalHold
}

// CreateMember adds a member, applying the defaults of their most demanding
// kind. Admins, and coordinators for a home area in their scope (forbidden
// otherwise). Invalid input names every bad field; an email already in use,
// in any case, is a conflict on "email".
func (a *App) CreateMember(ctx context.Context, p *domain.Principal, in NewMember) (domain.Member, error) {
	if !isCoordinating(p) {
		return domain.Member{}, forbidden("only an admin or a coordinator may add members")
	}
	defaults := domain.DefaultsFor(in.Kinds)
	now := a.Now()
	m := domain.Member{
		ID: NewID(), Name: strings.TrimSpace(in.Name), Email: strings.TrimSpace(in.Email),
		Phone: strings.TrimSpace(in.Phone), Kinds: in.Kinds, Lat: in.Lat, Lon: in.Lon,
		TravelKm: orDefault(in.TravelKm, domain.DefaultTravelKm), MaxHoursPerWeek: orDefault(in.MaxHoursPerWeek, defaults.MaxHoursPerWeek),
		ContractedHoursPerWeek: orDefault(in.ContractedHoursPerWeek, 0), MinRestHours: orDefault(in.MinRestHours, defaults.MinRestHours),
		Status: in.Status, Limits: in.Limits, Preferences: in.Preferences, CreatedAt: now, UpdatedAt: now,
	}
	if m.Status == "" {
		m.Status = domain.MemberActive
	}
	fields := validateMember(m)
	area, areaFields, err := a.homeArea(ctx, a.store, p, in.HomeArea)
	if err != nil {
		return domain.Member{}, err
	}
	fields = append(fields, areaFields...)
	prefFields, err := a.checkPreferenceAreas(ctx, a.store, m.Preferences)
	if err != nil {
		return domain.Member{}, err
	}
	fields = append(fields, prefFields...)
	if len(fields) > 0 {
		return domain.Member{}, domain.Invalid("the member could not be added", fields...)
	}
	m.HomeAreaID, m.HomeAreaCode = area.ID, area.Code
	err = a.store.InTx(ctx, func(tx *db.Store) error {
		if err := tx.CreateMember(ctx, m); err != nil {
			return err
		}
		_, after := memberChange(nil, m)
		return a.audit(ctx, tx, p, auditEvent{action: "member.create", entity: "member", entityID: m.ID, memberID: m.ID, after: after})
	})
	if err != nil {
		return domain.Member{}, err
	}
	return m, nil
}

func orDefault(v *float64, d float64) float64 {
	if v == nil {
		return d
	}
	return *v
}

// homeArea resolves a home area code the caller may place a member in.
func (a *App) homeArea(ctx context.Context, store *db.Store, p *domain.Principal, code string) (domain.Area, []domain.FieldError, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return domain.Area{}, []domain.FieldError{{Field: "home_area", Message: "is required: an area code such as DARL-N1"}}, nil
	}
	area, err := store.AreaByCode(ctx, code)
	if domain.ErrorCode(err) == domain.ENotFound {
		return domain.Area{}, []domain.FieldError{{Field: "home_area", Message: fmt.Sprintf("no area has the code %q", code)}}, nil
	}
	if err != nil {
		return domain.Area{}, nil, err
	}
	if !coversArea(p, area) {
		return domain.Area{}, []domain.FieldError{{Field: "home_area", Message: "is outside the areas you coordinate"}}, nil
	}
	return area, nil, nil
}

var (
	weekDays = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
	dayParts = []string{"morning", "afternoon", "evening", "night"}
)

// validateMember names every field of m that breaks a rule (home area apart).
func validateMember(m domain.Member) []domain.FieldError {
	var fields []domain.FieldError
	bad := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }
	if m.Name == "" || len(m.Name) > 200 {
		bad("name", "is required, at most 200 characters")
	}
	if addr, err := mail.ParseAddress(m.Email); err != nil || addr.Address != m.Email || len(m.Email) > 320 {
		bad("email", "must be an email address such as sam@example.org")
	}
	if len(m.Phone) > 40 {
		bad("phone", "must be at most 40 characters")
	}
	if len(m.Kinds) == 0 {
		bad("kinds", "name at least one of volunteer, bank_officer, mentor")
	}
	for i, k := range m.Kinds {
		switch {
		case !domain.ValidKind(k):
			bad(fmt.Sprintf("kinds[%d]", i), "must be one of: volunteer, bank_officer, mentor")
		case slices.Contains(m.Kinds[:i], k):
			bad(fmt.Sprintf("kinds[%d]", i), "is listed twice")
		}
	}
	fields = append(fields, checkLatLon(m.Lat, m.Lon, "lat", "lon")...)
	if m.TravelKm < 0 || m.TravelKm > 1000 {
		bad("travel_km", "must be from 0 to 1000")
	}
	if m.MaxHoursPerWeek <= 0 || m.MaxHoursPerWeek > 168 {
		bad("max_hours_per_week", "must be more than 0 and at most 168")
	}
	if m.ContractedHoursPerWeek < 0 || m.ContractedHoursPerWeek > 168 {
		bad("contracted_hours_per_week", "must be from 0 to 168")
	}
	if m.MinRestHours < 0 || m.MinRestHours > 72 {
		bad("min_rest_hours", "must be from 0 to 72")
	}
	switch m.Status {
	case domain.MemberActive, domain.MemberSuspended, domain.MemberArchived:
	default:
		bad("status", "must be one of: active, suspended, archived")
	}
	l := m.Limits
	for _, lim := range []struct {
		field  string
		v      *int
		lo, hi int
	}{
		{"max_shifts_per_week", l.MaxShiftsPerWeek, 0, 21},
		{"max_consecutive_days", l.MaxConsecutiveDays, 1, 366},
		{"min_days_off_between_runs", l.MinDaysOffBetweenRuns, 0, 28},
		{"max_weekends_per_4_weeks", l.MaxWeekendsPer4Weeks, 0, 4},
	} {
		if lim.v != nil && (*lim.v < lim.lo || *lim.v > lim.hi) {
			bad(lim.field, fmt.Sprintf("must be from %d to %d, or null for no limit", lim.lo, lim.hi))
		}
	}
	if t := l.TargetHoursPer4Weeks; t != nil && (*t < 0 || *t > 672) {
		bad("target_hours_per_4_weeks", "must be from 0 to 672, or null for none")
	}
	pr := m.Preferences
	for _, list := range []struct {
		field   string
		values  []string
		allowed []string
	}{
		{"preferences.days_on", pr.DaysOn, weekDays}, {"preferences.days_off", pr.DaysOff, weekDays},
		{"preferences.times_on", pr.TimesOn, dayParts}, {"preferences.times_off", pr.TimesOff, dayParts},
	} {
		for i, v := range list.values {
			if !slices.Contains(list.allowed, v) {
				bad(fmt.Sprintf("%s[%d]", list.field, i), "must be one of: "+strings.Join(list.allowed, ", "))
			}
		}
	}
	if len(pr.Areas) > 50 {
		bad("preferences.areas", "may name at most 50 areas")
	}
	kinds := slices.Sorted(maps.Keys(pr.Notices))
	for _, kind := range kinds {
		field := "preferences.notices." + kind
		if !slices.Contains(noticeKinds, kind) {
			bad(field, "is not a kind of message: use "+strings.Join(noticeKinds, ", "))
			continue
		}
		for i, ch := range pr.Notices[kind] {
			switch {
			case !slices.Contains(noticeChannels, ch):
				bad(fmt.Sprintf("%s[%d]", field, i), "must be one of: "+strings.Join(noticeChannels, ", "))
			case slices.Contains(pr.Notices[kind][:i], ch):
				bad(fmt.Sprintf("%s[%d]", field, i), "is listed twice")
			case ch == channelSMS && strings.TrimSpace(m.Phone) == "":
				bad(field, "needs a mobile number for text messages: add one, or untick text messages")
			}
		}
	}
	return fields
}

// checkPreferenceAreas names preferred area codes that do not exist.
func (a *App) checkPreferenceAreas(ctx context.Context, store *db.Store, pr domain.Preferences) ([]domain.FieldError, error) {
	var fields []domain.FieldError
	for i, code := range pr.Areas {
		if i >= 50 {
			break
		}
		_, err := store.AreaByCode(ctx, code)
		if domain.ErrorCode(err) == domain.ENotFound {
			fields = append(fields, domain.FieldError{Field: fmt.Sprintf("preferences.areas[%d]", i), Message: fmt.Sprintf("no area has the code %q", code)})
		} else if err != nil {
			return nil, err
		}
	}
	return fields, nil
}

// Member returns one member with their skills and clearances, to an admin, a
// coordinator covering their home area or the member themselves; anyone else
// gets not found.
//
// Showing clearances is a read of vetting data, and is written to the audit
// log before the answer goes (see recordVettingRead).
func (a *App) Member(ctx context.Context, p *domain.Principal, id string) (MemberDetail, error) {
	m, _, err := a.reachMember(ctx, a.store, p, id)
	if err != nil {
		return MemberDetail{}, err
	}
	out, err := a.memberDetail(ctx, a.store, m)
	if err != nil {
		return MemberDetail{}, err
	}
	if err := a.recordVettingRead(ctx, p, out); err != nil {
		return MemberDetail{}, err
	}
	return out, nil
}

// MemberByEmail finds the member record with this email (ignoring case) for a
// caller who may reach it, as Member does, without reading what they hold:
// it links an account to its member, so nothing is shown that must be audited.
func (a *App) MemberByEmail(ctx context.Context, p *domain.Principal, email string) (domain.Member, error) {
	m, err := a.store.MemberByEmail(ctx, email)
	if domain.ErrorCode(err) == domain.ENotFound {
		return domain.Member{}, notFound("member")
	}
	if err != nil {
		return domain.Member{}, err
	}
	m, _, err = a.reachMember(ctx, a.store, p, m.ID)
	return m, err
}

func (a *App) memberDetail(ctx context.Context, store *db.Store, m domain.Member) (MemberDetail, error) {
	skills, err := store.MemberSkills(ctx, m.ID)
	if err != nil {
		return MemberDetail{}, err
	}
	clearances, err := store.Clearances(ctx, m.ID)
	if err != nil {
		return MemberDetail{}, err
	}
	hold, err := a.activeHold(ctx, store, m.ID)
	if err != nil {
		return MemberDetail{}, err
	}
	return MemberDetail{Member: m, Skills: skills, Clearances: clearances, Hold: hold}, nil
}

// MyMember returns the caller's own member record, or nil when the account
// signs in as no member.
func (a *App) MyMember(ctx context.Context, p *domain.Principal) (*MemberDetail, error) {
	if p == nil || p.User.MemberID == "" {
		return nil, nil
	}
	m, err := a.store.MemberByID(ctx, p.User.MemberID)
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	d, err := a.memberDetail(ctx, a.store, m)
	if err != nil {
		return nil, err
	}
	if err := a.recordVettingRead(ctx, p, d); err != nil {
		return nil, err
	}
	return &d, nil
}

// MyContact is the signed-in member's own record without what they hold
// (nil for an account with no member): the contact page needs their number
// and choices, not their vetting, so nothing is read that must be audited.
func (a *App) MyContact(ctx context.Context, p *domain.Principal) (*domain.Member, error) {
	if p == nil || p.User.MemberID == "" {
		return nil, nil
	}
	m, err := a.store.MemberByID(ctx, p.User.MemberID)
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// Members lists the members the caller manages: every member for an admin,
// those whose home area is in a coordinator's scope; forbidden for others.
func (a *App) Members(ctx context.Context, p *domain.Principal, query, after string, limit int) ([]domain.Member, error) {
	if !isCoordinating(p) {
		return nil, forbidden("only an admin or a coordinator may list members")
	}
	f := domain.MemberFilter{Query: query, After: after, Limit: limit}
	if !p.IsAdmin() {
		f.AreaPaths = make([]string, 0, len(p.User.Areas))
		for _, ar := range p.User.Areas {
			f.AreaPaths = append(f.AreaPaths, ar.Path)
		}
	}
	return a.store.Members(ctx, f)
}

// selfEditable are the fields a member may change on their own record.
var selfEditable = []string{"phone", "lat", "lon", "travel_km", "preferences", "emergency_contact"}

// sentFields names the fields a MemberUpdate carries, by their JSON names.
func (u MemberUpdate) sentFields() []string {
	var sent []string
	add := func(name string, present bool) {
		if present {
			sent = append(sent, name)
		}
	}
	add("name", u.Name != nil)
	add("email", u.Email != nil)
	add("phone", u.Phone != nil)
	add("kinds", u.Kinds != nil)
	add("home_area", u.HomeArea != nil)
	add("lat", u.Lat.Set)
	add("lon", u.Lon.Set)
	add("travel_km", u.TravelKm != nil)
	add("max_hours_per_week", u.MaxHoursPerWeek != nil)
	add("contracted_hours_per_week", u.ContractedHoursPerWeek != nil)
	add("min_rest_hours", u.MinRestHours != nil)
	add("status", u.Status != nil)
	add("max_shifts_per_week", u.MaxShiftsPerWeek.Set)
	add("max_consecutive_days", u.MaxConsecutiveDays.Set)
	add("min_days_off_between_runs", u.MinDaysOffBetweenRuns.Set)
	add("max_weekends_per_4_weeks", u.MaxWeekendsPer4Weeks.Set)
	add("target_hours_per_4_weeks", u.TargetHoursPer4Weeks.Set)
	add("preferences", u.Preferences != nil || u.Notices != nil)
	add("emergency_contact", u.EmergencyContact.Set)
	return sent
}

// UpdateMember changes the fields sent. A member changing their own record
// may send only phone, lat, lon, travel_km and preferences: any other field is
// refused by name (mass assignment). When the kinds change and a cap is not
// sent, a cap still at the old kinds' default moves to the new one.
func (a *App) UpdateMember(ctx context.Context, p *domain.Principal, id string, u MemberUpdate) (MemberDetail, error) {
	var out MemberDetail
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		m, reach, err := a.reachMember(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if reach == reachSelf {
			var fields []domain.FieldError
			for _, f := range u.sentFields() {
				if !slices.Contains(selfEditable, f) {
					fields = append(fields, domain.FieldError{Field: f, Message: "only an admin or coordinator may change this"})
				}
			}
			if len(fields) > 0 {
				return domain.Invalid("you may change only your phone, location, travel distance and preferences", fields...)
			}
		}
		old := m
		applyMemberUpdate(&m, u)
		fields := validateMember(m)
		if u.HomeArea != nil {
			area, areaFields, err := a.homeArea(ctx, tx, p, *u.HomeArea)
			if err != nil {
				return err
			}
			fields = append(fields, areaFields...)
			m.HomeAreaID, m.HomeAreaCode = area.ID, area.Code
		}
		if u.Preferences != nil {
			prefFields, err := a.checkPreferenceAreas(ctx, tx, m.Preferences)
			if err != nil {
				return err
			}
			fields = append(fields, prefFields...)
		}
		if len(fields) > 0 {
			return domain.Invalid("the member could not be changed", fields...)
		}
		if u.Kinds != nil {
			was, now := domain.DefaultsFor(old.Kinds), domain.DefaultsFor(m.Kinds)
			if u.MaxHoursPerWeek == nil && m.MaxHoursPerWeek == was.MaxHoursPerWeek {
				m.MaxHoursPerWeek = now.MaxHoursPerWeek
			}
			if u.MinRestHours == nil && m.MinRestHours == was.MinRestHours {
				m.MinRestHours = now.MinRestHours
			}
		}
		m.UpdatedAt = a.Now()
		if err := tx.UpdateMember(ctx, m); err != nil {
			return err
		}
		if u.EmergencyContact.Set {
			if err := a.putEmergencyContact(ctx, tx, p, m.ID, u.EmergencyContact.Value); err != nil {
				return err
			}
		}
		before, after := memberChange(&old, m)
		if err := a.audit(ctx, tx, p, auditEvent{action: "member.update", entity: "member", entityID: m.ID, memberID: m.ID,
			before: before, after: after}); err != nil {
			return err
		}
		out, err = a.memberDetail(ctx, tx, m)
		return err
	})
	return out, err
}

func applyMemberUpdate(m *domain.Member, u MemberUpdate) {
	trim := func(s *string) string { return strings.TrimSpace(*s) }
	if u.Name != nil {
		m.Name = trim(u.Name)
	}
	if u.Email != nil {
		m.Email = trim(u.Email)
	}
	if u.Phone != nil {
		m.Phone = trim(u.Phone)
	}
	if u.Kinds != nil {
		m.Kinds = *u.Kinds
	}
	if u.Lat.Set {
		m.Lat = u.Lat.Value
	}
	if u.Lon.Set {
		m.Lon = u.Lon.Value
	}
	setF := func(dst *float64, v *float64) {
		if v != nil {
			*dst = *v
		}
	}
	setF(&m.TravelKm, u.TravelKm)
	setF(&m.MaxHoursPerWeek, u.MaxHoursPerWeek)
	setF(&m.ContractedHoursPerWeek, u.ContractedHoursPerWeek)
	setF(&m.MinRestHours, u.MinRestHours)
	if u.Status != nil {
		m.Status = *u.Status
	}
	for _, c := range []struct {
		dst **int
		v   Clearable[int]
	}{
		{&m.Limits.MaxShiftsPerWeek, u.MaxShiftsPerWeek}, {&m.Limits.MaxConsecutiveDays, u.MaxConsecutiveDays},
		{&m.Limits.MinDaysOffBetweenRuns, u.MinDaysOffBetweenRuns}, {&m.Limits.MaxWeekendsPer4Weeks, u.MaxWeekendsPer4Weeks},
	} {
		if c.v.Set {
			*c.dst = c.v.Value
		}
	}
	if u.TargetHoursPer4Weeks.Set {
		m.Limits.TargetHoursPer4Weeks = u.TargetHoursPer4Weeks.Value
	}
	if u.Preferences != nil {
		m.Preferences = *u.Preferences
	}
	if u.Notices != nil {
		m.Preferences.Notices = u.Notices
	}
}
