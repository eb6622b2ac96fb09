package app

import (
	"context"
	"fmt"
	"maps"
	"net/mail"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
	"github.com/copbank/copbank/scheduling"
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
func (a *App) reachMember(ctx context.Context, p *domain.Principal, id string) (domain.Member, memberReach, error) {
	if p == nil || id == "" {
		return domain.Member{}, reachNone, notFound("member")
	}
	m, err := a.Store.MemberByID(ctx, id)
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
		area, err := a.Store.AreaByID(ctx, m.HomeAreaID)
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
}

// MemberDetail is one member with what they hold.
type MemberDetail struct {
	domain.Member
	Skills     []domain.MemberSkill
	Clearances []domain.Clearance
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
	area, areaFields, err := a.homeArea(ctx, p, in.HomeArea)
	if err != nil {
		return domain.Member{}, err
	}
	fields = append(fields, areaFields...)
	prefFields, err := a.checkPreferenceAreas(ctx, m.Preferences)
	if err != nil {
		return domain.Member{}, err
	}
	fields = append(fields, prefFields...)
	if len(fields) > 0 {
		return domain.Member{}, domain.Invalid("the member could not be added", fields...)
	}
	m.HomeAreaID, m.HomeAreaCode = area.ID, area.Code
	err = a.Store.InTx(ctx, func(tx *db.Store) error {
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
func (a *App) homeArea(ctx context.Context, p *domain.Principal, code string) (domain.Area, []domain.FieldError, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return domain.Area{}, []domain.FieldError{{Field: "home_area", Message: "is required: an area code such as DARL-N1"}}, nil
	}
	area, err := a.Store.AreaByCode(ctx, code)
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
func (a *App) checkPreferenceAreas(ctx context.Context, pr domain.Preferences) ([]domain.FieldError, error) {
	var fields []domain.FieldError
	for i, code := range pr.Areas {
		if i >= 50 {
			break
		}
		_, err := a.Store.AreaByCode(ctx, code)
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
// log in the same transaction.
func (a *App) Member(ctx context.Context, p *domain.Principal, id string) (MemberDetail, error) {
	var out MemberDetail
	err := a.Store.InTx(ctx, func(tx *db.Store) error {
		ap := a.withStore(tx)
		m, _, err := ap.reachMember(ctx, p, id)
		if err != nil {
			return err
		}
		if out, err = ap.memberDetail(ctx, m); err != nil {
			return err
		}
		return a.auditVettingRead(ctx, tx, p, out)
	})
	return out, err
}

// auditVettingRead records that the caller was shown a member's clearances.
func (a *App) auditVettingRead(ctx context.Context, tx *db.Store, p *domain.Principal, d MemberDetail) error {
	ids := make([]string, 0, len(d.Clearances))
	for _, c := range d.Clearances {
		ids = append(ids, c.ID)
	}
	return a.audit(ctx, tx, p, auditEvent{action: "member.read_vetting", entity: "member", entityID: d.ID, memberID: d.ID,
		after: map[string]any{"member_id": d.ID, "clearance_ids": ids}})
}

func (a *App) memberDetail(ctx context.Context, m domain.Member) (MemberDetail, error) {
	skills, err := a.Store.MemberSkills(ctx, m.ID)
	if err != nil {
		return MemberDetail{}, err
	}
	clearances, err := a.Store.Clearances(ctx, m.ID)
	if err != nil {
		return MemberDetail{}, err
	}
	return MemberDetail{Member: m, Skills: skills, Clearances: clearances}, nil
}

// MyMember returns the caller's own member record, or nil when the account
// signs in as no member.
func (a *App) MyMember(ctx context.Context, p *domain.Principal) (*MemberDetail, error) {
	if p == nil || p.User.MemberID == "" {
		return nil, nil
	}
	var out *MemberDetail
	err := a.Store.InTx(ctx, func(tx *db.Store) error {
		m, err := tx.MemberByID(ctx, p.User.MemberID)
		if domain.ErrorCode(err) == domain.ENotFound {
			return nil
		}
		if err != nil {
			return err
		}
		d, err := a.withStore(tx).memberDetail(ctx, m)
		if err != nil {
			return err
		}
		out = &d
		return a.auditVettingRead(ctx, tx, p, d)
	})
	return out, err
}

// MyContact is the signed-in member's own record without what they hold
// (nil for an account with no member): the contact page needs their number
// and choices, not their vetting, so nothing is read that must be audited.
func (a *App) MyContact(ctx context.Context, p *domain.Principal) (*domain.Member, error) {
	if p == nil || p.User.MemberID == "" {
		return nil, nil
	}
	m, err := a.Store.MemberByID(ctx, p.User.MemberID)
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
	return a.Store.Members(ctx, f)
}

// selfEditable are the fields a member may change on their own record.
var selfEditable = []string{"phone", "lat", "lon", "travel_km", "preferences"}

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
	return sent
}

// UpdateMember changes the fields sent. A member changing their own record
// may send only phone, lat, lon, travel_km and preferences: any other field is
// refused by name (mass assignment). When the kinds change and a cap is not
// sent, a cap still at the old kinds' default moves to the new one.
func (a *App) UpdateMember(ctx context.Context, p *domain.Principal, id string, u MemberUpdate) (MemberDetail, error) {
	var out MemberDetail
	err := a.Store.InTx(ctx, func(tx *db.Store) error {
		m, reach, err := a.withStore(tx).reachMember(ctx, p, id)
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
			area, areaFields, err := a.withStore(tx).homeArea(ctx, p, *u.HomeArea)
			if err != nil {
				return err
			}
			fields = append(fields, areaFields...)
			m.HomeAreaID, m.HomeAreaCode = area.ID, area.Code
		}
		if u.Preferences != nil {
			prefFields, err := a.withStore(tx).checkPreferenceAreas(ctx, m.Preferences)
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
		before, after := memberChange(&old, m)
		if err := a.audit(ctx, tx, p, auditEvent{action: "member.update", entity: "member", entityID: m.ID, memberID: m.ID,
			before: before, after: after}); err != nil {
			return err
		}
		out, err = a.withStore(tx).memberDetail(ctx, m)
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

// withStore is a shallow copy of the App that talks to s (a transaction).
func (a *App) withStore(s *db.Store) *App {
	c := *a
	c.Store = s
	return &c
}

// SkillHolding is the input for recording a skill: dates as YYYY-MM-DD;
// ExpiresOn nil means obtained_on + the skill's valid_months, or never.
type SkillHolding struct {
	ObtainedOn string
	ExpiresOn  *string
}

// PutMemberSkill records that a member holds a skill (replacing an earlier
// record). Managers of the member may record any skill; a member may declare
// their own lived experience ("lived:…", which never expires). Not found for a
// member beyond reach or an unknown skill code.
func (a *App) PutMemberSkill(ctx context.Context, p *domain.Principal, memberID, code string, in SkillHolding) (domain.MemberSkill, error) {
	var out domain.MemberSkill
	err := a.Store.InTx(ctx, func(tx *db.Store) error {
		var err error
		out, err = a.withStore(tx).putMemberSkill(ctx, p, memberID, code, in)
		return err
	})
	return out, err
}

func (a *App) putMemberSkill(ctx context.Context, p *domain.Principal, memberID, code string, in SkillHolding) (domain.MemberSkill, error) {
	m, reach, err := a.reachMember(ctx, p, memberID)
	if err != nil {
		return domain.MemberSkill{}, err
	}
	if reach == reachSelf && !domain.IsLived(code) {
		return domain.MemberSkill{}, forbidden("you may declare only your own lived experience; other skills are recorded by a coordinator")
	}
	skill, err := a.Store.SkillByCode(ctx, code)
	if domain.ErrorCode(err) == domain.ENotFound {
		return domain.MemberSkill{}, notFound("skill")
	}
	if err != nil {
		return domain.MemberSkill{}, err
	}
	ms, err := skillHolding(skill, in)
	if err != nil {
		return domain.MemberSkill{}, err
	}
	ms.MemberID = m.ID
	if err := a.Store.PutMemberSkill(ctx, ms); err != nil {
		return domain.MemberSkill{}, err
	}
	return ms, a.audit(ctx, a.Store, p, auditEvent{action: "member.skill.put", entity: "member_skill", entityID: m.ID + "/" + skill.Code,
		memberID: m.ID, after: map[string]any{"member_id": m.ID, "skill": skill.Code, "obtained_on": ms.ObtainedOn, "expires_on": ms.ExpiresOn}})
}

// skillHolding validates a holding of skill and works out when it expires.
func skillHolding(skill domain.Skill, in SkillHolding) (domain.MemberSkill, error) {
	var fields []domain.FieldError
	obtained, err := domain.ParseDate(strings.TrimSpace(in.ObtainedOn))
	if err != nil {
		fields = append(fields, domain.FieldError{Field: "obtained_on", Message: "must be a date like 2026-01-10"})
	}
	var expires *domain.Date
	switch {
	case in.ExpiresOn != nil && domain.IsLived(skill.Code):
		fields = append(fields, domain.FieldError{Field: "expires_on", Message: "lived experience never expires; leave expires_on out"})
	case in.ExpiresOn != nil:
		d, err := domain.ParseDate(strings.TrimSpace(*in.ExpiresOn))
		if err != nil {
			fields = append(fields, domain.FieldError{Field: "expires_on", Message: "must be a date like 2029-01-10"})
		} else if len(fields) == 0 && !obtained.Before(d) {
			fields = append(fields, domain.FieldError{Field: "expires_on", Message: "must be after obtained_on"})
		}
		expires = &d
	case skill.ValidMonths != nil && !domain.IsLived(skill.Code) && len(fields) == 0:
		d := obtained.AddMonths(*skill.ValidMonths)
		expires = &d
	}
	if len(fields) > 0 {
		return domain.MemberSkill{}, domain.Invalid("the skill could not be recorded", fields...)
	}
	return domain.MemberSkill{SkillID: skill.ID, Code: skill.Code, Name: skill.Name, ObtainedOn: obtained, ExpiresOn: expires}, nil
}

// DeleteMemberSkill removes a skill from a member, under the same rules as
// PutMemberSkill; not found when the member does not hold it.
func (a *App) DeleteMemberSkill(ctx context.Context, p *domain.Principal, memberID, code string) error {
	return a.Store.InTx(ctx, func(tx *db.Store) error {
		return a.withStore(tx).deleteMemberSkill(ctx, p, memberID, code)
	})
}

func (a *App) deleteMemberSkill(ctx context.Context, p *domain.Principal, memberID, code string) error {
	m, reach, err := a.reachMember(ctx, p, memberID)
	if err != nil {
		return err
	}
	if reach == reachSelf && !domain.IsLived(code) {
		return forbidden("you may remove only your own lived experience; other skills are recorded by a coordinator")
	}
	skill, err := a.Store.SkillByCode(ctx, code)
	if domain.ErrorCode(err) == domain.ENotFound {
		return notFound("skill")
	}
	if err != nil {
		return err
	}
	if err := a.Store.DeleteMemberSkill(ctx, m.ID, skill.ID); err != nil {
		return err
	}
	return a.audit(ctx, a.Store, p, auditEvent{action: "member.skill.delete", entity: "member_skill", entityID: m.ID + "/" + skill.Code,
		memberID: m.ID, before: map[string]any{"member_id": m.ID, "skill": skill.Code}})
}

// NewClearance is the input for recording a vetting level or DBS check.
type NewClearance struct {
	Type      domain.ClearanceType
	GrantedOn string
	ExpiresOn string
}

// AddClearance records a clearance. Vetting is the vetting unit's: admins
// only (forbidden for a coordinator in scope, not found beyond reach).
func (a *App) AddClearance(ctx context.Context, p *domain.Principal, memberID string, in NewClearance) (domain.Clearance, error) {
	var out domain.Clearance
	err := a.Store.InTx(ctx, func(tx *db.Store) error {
		var err error
		out, err = a.withStore(tx).addClearance(ctx, p, memberID, in)
		return err
	})
	return out, err
}

func (a *App) addClearance(ctx context.Context, p *domain.Principal, memberID string, in NewClearance) (domain.Clearance, error) {
	m, _, err := a.reachMember(ctx, p, memberID)
	if err != nil {
		return domain.Clearance{}, err
	}
	if !p.IsAdmin() {
		return domain.Clearance{}, forbidden("only an admin (the vetting unit) may record clearances")
	}
	c, err := parseClearance(in)
	if err != nil {
		return domain.Clearance{}, err
	}
	now := a.Now()
	c.ID, c.MemberID, c.Status, c.CreatedAt, c.UpdatedAt = NewID(), m.ID, domain.ClearanceActive, now, now
	if err := a.Store.CreateClearance(ctx, c); err != nil {
		return domain.Clearance{}, err
	}
	return c, a.audit(ctx, a.Store, p, auditEvent{action: "clearance.create", entity: "clearance", entityID: c.ID, memberID: m.ID,
		after: clearanceState(c)})
}

func clearanceState(c domain.Clearance) map[string]any {
	return map[string]any{"member_id": c.MemberID, "type": c.Type, "granted_on": c.GrantedOn, "expires_on": c.ExpiresOn, "status": c.Status}
}

func parseClearance(in NewClearance) (domain.Clearance, error) {
	var fields []domain.FieldError
	if !domain.ValidClearanceType(in.Type) {
		fields = append(fields, domain.FieldError{Field: "type", Message: "must be one of: NPPV1, NPPV2, NPPV3, dbs_enhanced_children, dbs_enhanced_adults"})
	}
	granted, gErr := domain.ParseDate(strings.TrimSpace(in.GrantedOn))
	if gErr != nil {
		fields = append(fields, domain.FieldError{Field: "granted_on", Message: "must be a date like 2025-06-01"})
	}
	expires, eErr := domain.ParseDate(strings.TrimSpace(in.ExpiresOn))
	if eErr != nil {
		fields = append(fields, domain.FieldError{Field: "expires_on", Message: "must be a date like 2030-06-01"})
	} else if gErr == nil && !granted.Before(expires) {
		fields = append(fields, domain.FieldError{Field: "expires_on", Message: "must be after granted_on"})
	}
	if len(fields) > 0 {
		return domain.Clearance{}, domain.Invalid("the clearance could not be recorded", fields...)
	}
	return domain.Clearance{Type: in.Type, GrantedOn: granted, ExpiresOn: expires}, nil
}

// SetClearanceStatus suspends or reinstates a clearance. Admins only.
func (a *App) SetClearanceStatus(ctx context.Context, p *domain.Principal, memberID, clearanceID string, status domain.ClearanceStatus) (domain.Clearance, error) {
	var out domain.Clearance
	err := a.Store.InTx(ctx, func(tx *db.Store) error {
		var err error
		out, err = a.withStore(tx).setClearanceStatus(ctx, p, memberID, clearanceID, status)
		return err
	})
	return out, err
}

func (a *App) setClearanceStatus(ctx context.Context, p *domain.Principal, memberID, clearanceID string, status domain.ClearanceStatus) (domain.Clearance, error) {
	m, _, err := a.reachMember(ctx, p, memberID)
	if err != nil {
		return domain.Clearance{}, err
	}
	c, err := a.Store.ClearanceByID(ctx, m.ID, clearanceID)
	if err != nil {
		return domain.Clearance{}, err
	}
	if !p.IsAdmin() {
		return domain.Clearance{}, forbidden("only an admin (the vetting unit) may suspend or reinstate clearances")
	}
	if status != domain.ClearanceActive && status != domain.ClearanceSuspended {
		return domain.Clearance{}, domain.FieldInvalid("status", "must be active or suspended")
	}
	now := a.Now()
	if err := a.Store.SetClearanceStatus(ctx, c.ID, status, now); err != nil {
		return domain.Clearance{}, err
	}
	before := clearanceState(c)
	c.Status, c.UpdatedAt = status, now
	return c, a.audit(ctx, a.Store, p, auditEvent{action: "clearance.status", entity: "clearance", entityID: c.ID, memberID: m.ID,
		before: before, after: clearanceState(c)})
}

// NewAvailability is the input for an availability window.
type NewAvailability struct {
	StartLocal      string // YYYY-MM-DDTHH:MM
	DurationMinutes int
	TimeZone        string // "" = the force's zone
	RRule           string // "" = once
	Until           string // YYYY-MM-DD, inclusive; "" = no end but the rule's
}

// maxAvailabilityMinutes is the longest single window: a week.
const maxAvailabilityMinutes = 7 * 24 * 60

// AddAvailability registers a window for a member (themselves or one they
// manage). The rule is checked by scheduling.ValidateSeries: HOURLY and finer
// frequencies, COUNT with UNTIL and the like are refused by field.
func (a *App) AddAvailability(ctx context.Context, p *domain.Principal, memberID string, in NewAvailability) (domain.Availability, error) {
	var out domain.Availability
	err := a.Store.InTx(ctx, func(tx *db.Store) error {
		var err error
		out, err = a.withStore(tx).addAvailability(ctx, p, memberID, in)
		return err
	})
	return out, err
}

func (a *App) addAvailability(ctx context.Context, p *domain.Principal, memberID string, in NewAvailability) (domain.Availability, error) {
	m, _, err := a.reachMember(ctx, p, memberID)
	if err != nil {
		return domain.Availability{}, err
	}
	s, err := a.availabilitySeries(in)
	if err != nil {
		return domain.Availability{}, err
	}
	av := domain.Availability{ID: NewID(), MemberID: m.ID, StartLocal: s.Start.String(), DurationMinutes: in.DurationMinutes,
		TimeZone: s.Location.String(), RRule: strings.TrimSpace(in.RRule), CreatedAt: a.Now()}
	if s.Until != nil {
		d, _ := domain.ParseDate(s.Until.String())
		av.Until = &d
	}
	if err := a.Store.CreateAvailability(ctx, av); err != nil {
		return domain.Availability{}, err
	}
	return av, a.audit(ctx, a.Store, p, auditEvent{action: "availability.create", entity: "availability", entityID: av.ID, memberID: m.ID,
		after: map[string]any{"member_id": m.ID}})
}

func (a *App) availabilitySeries(in NewAvailability) (scheduling.Series, error) {
	var fields []domain.FieldError
	bad := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }
	start, err := scheduling.ParseWallTime(strings.TrimSpace(in.StartLocal))
	if err != nil {
		bad("start_local", domain.ErrorMessage(err))
	}
	if in.DurationMinutes < 1 || in.DurationMinutes > maxAvailabilityMinutes {
		bad("duration_minutes", fmt.Sprintf("must be from 1 to %d minutes (a week)", maxAvailabilityMinutes))
	}
	loc := a.Config.TimeZone
	if tz := strings.TrimSpace(in.TimeZone); tz != "" {
		if loc, err = loadZone(tz); err != nil {
			bad("timezone", "must be an IANA time zone such as Europe/London")
		}
	}
	var until *scheduling.Date
	if u := strings.TrimSpace(in.Until); u != "" {
		d, err := scheduling.ParseDate(u)
		switch {
		case err != nil:
			bad("until", domain.ErrorMessage(err))
		case strings.TrimSpace(in.RRule) == "":
			bad("until", "needs an rrule: a window without one happens once")
		default:
			until = &d
		}
	}
	if len(fields) > 0 {
		return scheduling.Series{}, domain.Invalid("the availability could not be registered", fields...)
	}
	s := scheduling.Series{Start: start, Duration: time.Duration(in.DurationMinutes) * time.Minute, Location: loc,
		RRule: strings.TrimSpace(in.RRule), Until: until}
	if err := scheduling.ValidateSeries(s, "duration_minutes", maxAvailabilityMinutes*time.Minute); err != nil {
		return scheduling.Series{}, err
	}
	return s, nil
}

// loadZone loads an IANA zone, refusing "Local" and the empty name, which
// would mean the server's own zone.
func loadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("not an IANA zone")
	}
	return time.LoadLocation(name)
}

// Availability lists a member's registered windows.
func (a *App) Availability(ctx context.Context, p *domain.Principal, memberID string) ([]domain.Availability, error) {
	m, _, err := a.reachMember(ctx, p, memberID)
	if err != nil {
		return nil, err
	}
	return a.Store.Availability(ctx, m.ID)
}

// DeleteAvailability removes a window; not found when it is not this member's.
func (a *App) DeleteAvailability(ctx context.Context, p *domain.Principal, memberID, id string) error {
	return a.Store.InTx(ctx, func(tx *db.Store) error {
		m, _, err := a.withStore(tx).reachMember(ctx, p, memberID)
		if err != nil {
			return err
		}
		if err := tx.DeleteAvailability(ctx, m.ID, id); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, auditEvent{action: "availability.delete", entity: "availability", entityID: id, memberID: m.ID,
			before: map[string]any{"member_id": m.ID}})
	})
}

// AvailabilityWindow is one concrete occurrence of a window, in its zone.
type AvailabilityWindow struct {
	AvailabilityID string
	Start, End     time.Time
}

// maxExpansion caps the range an expansion may cover.
const maxExpansion = 366 * 24 * time.Hour

// ExpandAvailability returns the concrete windows of a member's availability
// that touch [from, to), in start order. from and to are each a date (from:
// the start of that day; to: the end of that day, both in the force's zone)
// or an RFC 3339 instant; empty from is today, empty to four weeks after from.
// A range over a year, or to before from, is invalid.
func (a *App) ExpandAvailability(ctx context.Context, p *domain.Principal, memberID, from, to string) ([]AvailabilityWindow, error) {
	m, _, err := a.reachMember(ctx, p, memberID)
	if err != nil {
		return nil, err
	}
	lo, hi, err := a.availabilityRange(from, to)
	if err != nil {
		return nil, err
	}
	avs, err := a.Store.Availability(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	var out []AvailabilityWindow
	for _, av := range avs {
		s, err := storedSeries(av)
		if err != nil {
			a.Log.Warn("availability cannot be expanded", "availability_id", av.ID, "err", err)
			continue
		}
		occs, err := scheduling.ExpandBetween(s, lo, hi)
		if err != nil {
			a.Log.Warn("availability cannot be expanded", "availability_id", av.ID, "err", err)
			continue
		}
		for _, o := range occs {
			out = append(out, AvailabilityWindow{AvailabilityID: av.ID, Start: o.Start, End: o.End})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out, nil
}

// storedSeries turns a stored window back into a series.
func storedSeries(av domain.Availability) (scheduling.Series, error) {
	start, err := scheduling.ParseWallTime(av.StartLocal)
	if err != nil {
		return scheduling.Series{}, err
	}
	loc, err := loadZone(av.TimeZone)
	if err != nil {
		return scheduling.Series{}, err
	}
	s := scheduling.Series{Start: start, Duration: time.Duration(av.DurationMinutes) * time.Minute, Location: loc, RRule: av.RRule}
	if av.Until != nil {
		d, err := scheduling.ParseDate(av.Until.String())
		if err != nil {
			return scheduling.Series{}, err
		}
		s.Until = &d
	}
	return s, nil
}

// availabilityRange reads ?from= and ?to= (see ExpandAvailability).
func (a *App) availabilityRange(from, to string) (time.Time, time.Time, error) {
	zone := a.Config.TimeZone
	var fields []domain.FieldError
	read := func(field, v string, end bool) time.Time {
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			return t
		}
		d, err := domain.ParseDate(v)
		if err != nil {
			fields = append(fields, domain.FieldError{Field: field, Message: "must be a date like 2027-01-08 or an instant like 2027-01-08T18:00:00Z"})
			return time.Time{}
		}
		if end {
			d = d.AddDays(1)
		}
		return d.Start(zone)
	}
	var lo, hi time.Time
	if from = strings.TrimSpace(from); from == "" {
		lo = domain.DateOf(a.Now().In(zone)).Start(zone)
	} else {
		lo = read("from", from, false)
	}
	if to = strings.TrimSpace(to); to == "" {
		hi = domain.DateOf(lo.In(zone)).AddDays(28).Start(zone)
	} else {
		hi = read("to", to, true)
	}
	if len(fields) == 0 {
		switch {
		case hi.Before(lo):
			fields = append(fields, domain.FieldError{Field: "to", Message: "must not be before from"})
		case hi.Sub(lo) > maxExpansion:
			fields = append(fields, domain.FieldError{Field: "to", Message: "the range may cover at most a year"})
		}
	}
	if len(fields) > 0 {
		return time.Time{}, time.Time{}, domain.Invalid("the range is not right", fields...)
	}
	return lo, hi, nil
}

// NewLeave is the input for leave: whole days, inclusive.
type NewLeave struct {
	From, To string
	Reason   string
}

// AddLeave records leave for a member (themselves or one they manage).
func (a *App) AddLeave(ctx context.Context, p *domain.Principal, memberID string, in NewLeave) (domain.Leave, error) {
	var out domain.Leave
	err := a.Store.InTx(ctx, func(tx *db.Store) error {
		var err error
		out, err = a.withStore(tx).addLeave(ctx, p, memberID, in)
		return err
	})
	return out, err
}

func (a *App) addLeave(ctx context.Context, p *domain.Principal, memberID string, in NewLeave) (domain.Leave, error) {
	m, _, err := a.reachMember(ctx, p, memberID)
	if err != nil {
		return domain.Leave{}, err
	}
	var fields []domain.FieldError
	from, fErr := domain.ParseDate(strings.TrimSpace(in.From))
	if fErr != nil {
		fields = append(fields, domain.FieldError{Field: "from", Message: "must be a date like 2027-08-01"})
	}
	to, tErr := domain.ParseDate(strings.TrimSpace(in.To))
	if tErr != nil {
		fields = append(fields, domain.FieldError{Field: "to", Message: "must be a date like 2027-08-14"})
	}
	if fErr == nil && tErr == nil {
		if to.Before(from) {
			fields = append(fields, domain.FieldError{Field: "to", Message: "must not be before from"})
		} else if from.AddDays(731).Before(to) {
			fields = append(fields, domain.FieldError{Field: "to", Message: "leave may last at most two years"})
		}
	}
	reason := strings.TrimSpace(in.Reason)
	if len(reason) > 500 {
		fields = append(fields, domain.FieldError{Field: "reason", Message: "must be at most 500 characters"})
	}
	if len(fields) > 0 {
		return domain.Leave{}, domain.Invalid("the leave could not be recorded", fields...)
	}
	l := domain.Leave{ID: NewID(), MemberID: m.ID, From: from, To: to, Reason: reason, CreatedAt: a.Now()}
	if err := a.Store.CreateLeave(ctx, l); err != nil {
		return domain.Leave{}, err
	}
	// The reason may be personal (illness, family): recorded by reference only.
	return l, a.audit(ctx, a.Store, p, auditEvent{action: "leave.create", entity: "leave", entityID: l.ID, memberID: m.ID,
		after: map[string]any{"member_id": m.ID, "from": l.From, "to": l.To, "fields_set": []string{"reason"}}})
}
