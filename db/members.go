package db

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/copbank/copbank/domain"
)

type memberRow struct {
	ID                     string
	Name                   string
	Email                  string
	Phone                  string
	Kinds                  string
	HomeAreaID             string
	Lat, Lon               *float64
	TravelKm               float64
	MaxHoursPerWeek        float64
	ContractedHoursPerWeek float64
	MinRestHours           float64
	Status                 string
	MaxShiftsPerWeek       *int
	MaxConsecutiveDays     *int
	MinDaysOffBetweenRuns  *int
	MaxWeekendsPer4Weeks   *int     `gorm:"column:max_weekends_per_4_weeks"`
	TargetHoursPer4Weeks   *float64 `gorm:"column:target_hours_per_4_weeks"`
	Preferences            string
	CreatedAt              time.Time
	UpdatedAt              time.Time
}

func (memberRow) TableName() string { return "members" }

func toMemberRow(m domain.Member) (memberRow, error) {
	kinds := make([]string, len(m.Kinds))
	for i, k := range m.Kinds {
		kinds[i] = string(k)
	}
	prefs, err := json.Marshal(m.Preferences)
	if err != nil {
		return memberRow{}, fmt.Errorf("encode preferences: %w", err)
	}
	return memberRow{
		ID: m.ID, Name: m.Name, Email: m.Email, Phone: m.Phone, Kinds: strings.Join(kinds, ","),
		HomeAreaID: m.HomeAreaID, Lat: m.Lat, Lon: m.Lon, TravelKm: m.TravelKm,
		MaxHoursPerWeek: m.MaxHoursPerWeek, ContractedHoursPerWeek: m.ContractedHoursPerWeek,
		MinRestHours: m.MinRestHours, Status: string(m.Status),
		MaxShiftsPerWeek: m.Limits.MaxShiftsPerWeek, MaxConsecutiveDays: m.Limits.MaxConsecutiveDays,
		MinDaysOffBetweenRuns: m.Limits.MinDaysOffBetweenRuns, MaxWeekendsPer4Weeks: m.Limits.MaxWeekendsPer4Weeks,
		TargetHoursPer4Weeks: m.Limits.TargetHoursPer4Weeks, Preferences: string(prefs),
		CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC(),
	}, nil
}

func (r memberRow) toDomain() domain.Member {
	m := domain.Member{
		ID: r.ID, Name: r.Name, Email: r.Email, Phone: r.Phone, HomeAreaID: r.HomeAreaID,
		Lat: r.Lat, Lon: r.Lon, TravelKm: r.TravelKm, MaxHoursPerWeek: r.MaxHoursPerWeek,
		ContractedHoursPerWeek: r.ContractedHoursPerWeek, MinRestHours: r.MinRestHours,
		Status: domain.MemberStatus(r.Status),
		Limits: domain.MemberLimits{
			MaxShiftsPerWeek: r.MaxShiftsPerWeek, MaxConsecutiveDays: r.MaxConsecutiveDays,
			MinDaysOffBetweenRuns: r.MinDaysOffBetweenRuns, MaxWeekendsPer4Weeks: r.MaxWeekendsPer4Weeks,
			TargetHoursPer4Weeks: r.TargetHoursPer4Weeks,
		},
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
	for _, k := range strings.Split(r.Kinds, ",") {
		if k != "" {
			m.Kinds = append(m.Kinds, domain.Kind(k))
		}
	}
	// Preferences are written only by toMemberRow; a damaged value reads as none.
	_ = json.Unmarshal([]byte(r.Preferences), &m.Preferences)
	return m
}

// memberWithArea is a member read with their home area's code. The row is a
// named embedded field: GORM skips unexported anonymous ones.
type memberWithArea struct {
	Row          memberRow `gorm:"embedded"`
	HomeAreaCode string
}

func (r memberWithArea) toDomain() domain.Member {
	m := r.Row.toDomain()
	m.HomeAreaCode = r.HomeAreaCode
	return m
}

// emailTaken is the conflict a second member with the same email gets.
func emailTaken(err error) error {
	if domain.ErrorCode(err) == domain.EConflict {
		return &domain.Error{Code: domain.EConflict, Message: "a member with this email already exists",
			Fields: []domain.FieldError{{Field: "email", Message: "already in use"}}}
	}
	return err
}

// CreateMember stores a member. An email already used by another member, in
// any case, is a conflict naming "email"; an unknown home area is a conflict.
func (s *Store) CreateMember(ctx context.Context, m domain.Member) error {
	row, err := toMemberRow(m)
	if err != nil {
		return err
	}
	return emailTaken(translate(s.db(ctx).Create(&row).Error))
}

// UpdateMember replaces every stored field of the member but its ID and
// creation time. Not found when there is no such member; a taken email is a
// conflict naming "email".
func (s *Store) UpdateMember(ctx context.Context, m domain.Member) error {
	row, err := toMemberRow(m)
	if err != nil {
		return err
	}
	res := s.db(ctx).Model(&row).Select("*").Omit("id", "created_at").Updates(&row)
	if err := emailTaken(translate(res.Error)); err != nil {
		return err
	}
	if res.RowsAffected == 0 {
		return domain.Errorf(domain.ENotFound, "no such member")
	}
	return nil
}

const memberSelect = `SELECT m.*, a.code AS home_area_code FROM members m JOIN areas a ON a.id = m.home_area_id`

func (s *Store) memberWhere(ctx context.Context, cond string, arg any) (domain.Member, error) {
	var rows []memberWithArea
	if err := s.db(ctx).Raw(memberSelect+` WHERE `+cond, arg).Scan(&rows).Error; err != nil {
		return domain.Member{}, translate(err)
	}
	if len(rows) == 0 {
		return domain.Member{}, domain.Errorf(domain.ENotFound, "no such member")
	}
	return rows[0].toDomain(), nil
}

// MemberByID finds a member, with the code of their home area.
func (s *Store) MemberByID(ctx context.Context, id string) (domain.Member, error) {
	return s.memberWhere(ctx, "m.id = ?", id)
}

// MemberByEmail finds a member by email, ignoring case.
func (s *Store) MemberByEmail(ctx context.Context, email string) (domain.Member, error) {
	return s.memberWhere(ctx, "lower(m.email) = ?", strings.ToLower(strings.TrimSpace(email)))
}

// likePattern escapes s for a LIKE … ESCAPE '\' match anywhere.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(s)) + "%"
}

// Members lists members in ID (creation) order after f.After, at most f.Limit,
// within f.AreaPaths when it is not nil.
func (s *Store) Members(ctx context.Context, f domain.MemberFilter) ([]domain.Member, error) {
	if f.AreaPaths != nil && len(f.AreaPaths) == 0 {
		return nil, nil
	}
	var (
		conds []string
		args  []any
	)
	if f.After != "" {
		conds = append(conds, "m.id > ?")
		args = append(args, f.After)
	}
	if len(f.AreaPaths) > 0 {
		ors := make([]string, len(f.AreaPaths))
		for i, p := range f.AreaPaths {
			ors[i] = "a.path LIKE ? ESCAPE '\\'"
			args = append(args, likePrefix(p))
		}
		conds = append(conds, "("+strings.Join(ors, " OR ")+")")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		conds = append(conds, "(lower(m.name) LIKE ? ESCAPE '\\' OR lower(m.email) LIKE ? ESCAPE '\\')")
		args = append(args, likePattern(q), likePattern(q))
	}
	query := memberSelect
	if len(conds) > 0 {
		query += " WHERE " + strings.Join(conds, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	query += " ORDER BY m.id LIMIT ?"
	args = append(args, limit)
	var rows []memberWithArea
	if err := s.db(ctx).Raw(query, args...).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.Member, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// likePrefix escapes an area path for a prefix match.
func likePrefix(path string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(path) + "%"
}

type memberSkillRow struct {
	MemberID   string
	SkillID    string
	ObtainedOn string
	ExpiresOn  *string
}

func (memberSkillRow) TableName() string { return "member_skills" }

func datePtr(d *domain.Date) *string {
	if d == nil {
		return nil
	}
	s := d.String()
	return &s
}

// parseStoredDate reads a date this package wrote; a damaged value reads as zero.
func parseStoredDate(s string) domain.Date {
	d, _ := domain.ParseDate(s)
	return d
}

func parseStoredDatePtr(s *string) *domain.Date {
	if s == nil {
		return nil
	}
	d := parseStoredDate(*s)
	return &d
}

// PutMemberSkill records that a member holds a skill, replacing any earlier
// holding of the same skill.
func (s *Store) PutMemberSkill(ctx context.Context, ms domain.MemberSkill) error {
	row := memberSkillRow{MemberID: ms.MemberID, SkillID: ms.SkillID, ObtainedOn: ms.ObtainedOn.String(), ExpiresOn: datePtr(ms.ExpiresOn)}
	return s.InTx(ctx, func(tx *Store) error {
		if err := tx.db(ctx).Exec(`DELETE FROM member_skills WHERE member_id = ? AND skill_id = ?`, row.MemberID, row.SkillID).Error; err != nil {
			return err
		}
		return tx.db(ctx).Create(&row).Error
	})
}

// DeleteMemberSkill removes a holding; not found when the member does not hold it.
func (s *Store) DeleteMemberSkill(ctx context.Context, memberID, skillID string) error {
	res := s.db(ctx).Exec(`DELETE FROM member_skills WHERE member_id = ? AND skill_id = ?`, memberID, skillID)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.Errorf(domain.ENotFound, "the member does not hold this skill")
	}
	return nil
}

// MemberSkills lists a member's skills in code order, with codes and names.
func (s *Store) MemberSkills(ctx context.Context, memberID string) ([]domain.MemberSkill, error) {
	var rows []struct {
		Row  memberSkillRow `gorm:"embedded"`
		Code string
		Name string
	}
	err := s.db(ctx).Raw(`SELECT ms.*, sk.code, sk.name FROM member_skills ms JOIN skills sk ON sk.id = ms.skill_id
		WHERE ms.member_id = ? ORDER BY sk.code`, memberID).Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]domain.MemberSkill, len(rows))
	for i, r := range rows {
		out[i] = domain.MemberSkill{MemberID: r.Row.MemberID, SkillID: r.Row.SkillID, Code: r.Code, Name: r.Name,
			ObtainedOn: parseStoredDate(r.Row.ObtainedOn), ExpiresOn: parseStoredDatePtr(r.Row.ExpiresOn)}
	}
	return out, nil
}

type clearanceRow struct {
	ID        string
	MemberID  string
	Type      string
	GrantedOn string
	ExpiresOn string
	Status    string
	Reference string
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (clearanceRow) TableName() string { return "clearances" }

func (r clearanceRow) toDomain() domain.Clearance {
	return domain.Clearance{ID: r.ID, MemberID: r.MemberID, Type: domain.ClearanceType(r.Type),
		GrantedOn: parseStoredDate(r.GrantedOn), ExpiresOn: parseStoredDate(r.ExpiresOn),
		Status: domain.ClearanceStatus(r.Status), Reference: r.Reference, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// CreateClearance stores a clearance (levels and dates only).
func (s *Store) CreateClearance(ctx context.Context, c domain.Clearance) error {
	row := clearanceRow{ID: c.ID, MemberID: c.MemberID, Type: string(c.Type), GrantedOn: c.GrantedOn.String(),
		ExpiresOn: c.ExpiresOn.String(), Status: string(c.Status), Reference: c.Reference, CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC()}
	return translate(s.db(ctx).Create(&row).Error)
}

// ClearanceByID finds one of a member's clearances; not found when it is
// absent or another member's.
func (s *Store) ClearanceByID(ctx context.Context, memberID, id string) (domain.Clearance, error) {
	var rows []clearanceRow
	if err := s.db(ctx).Where("id = ? AND member_id = ?", id, memberID).Limit(1).Find(&rows).Error; err != nil {
		return domain.Clearance{}, translate(err)
	}
	if len(rows) == 0 {
		return domain.Clearance{}, domain.Errorf(domain.ENotFound, "no such clearance")
	}
	return rows[0].toDomain(), nil
}

// SetClearanceStatus suspends or reinstates a clearance; not found when absent.
func (s *Store) SetClearanceStatus(ctx context.Context, id string, status domain.ClearanceStatus, at time.Time) error {
	res := s.db(ctx).Model(&clearanceRow{}).Where("id = ?", id).
		Updates(map[string]any{"status": string(status), "updated_at": at.UTC()})
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.Errorf(domain.ENotFound, "no such clearance")
	}
	return nil
}

// Clearances lists a member's clearances, by type then grant date.
func (s *Store) Clearances(ctx context.Context, memberID string) ([]domain.Clearance, error) {
	var rows []clearanceRow
	if err := s.db(ctx).Where("member_id = ?", memberID).Order("type, granted_on, id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.Clearance, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

type availabilityRow struct {
	ID              string
	MemberID        string
	StartLocal      string
	DurationMinutes int
	Timezone        string
	Rrule           string
	Until           *string
	CreatedAt       time.Time
}

func (availabilityRow) TableName() string { return "availability" }

// CreateAvailability stores a window, once or recurring.
func (s *Store) CreateAvailability(ctx context.Context, a domain.Availability) error {
	row := availabilityRow{ID: a.ID, MemberID: a.MemberID, StartLocal: a.StartLocal, DurationMinutes: a.DurationMinutes,
		Timezone: a.TimeZone, Rrule: a.RRule, Until: datePtr(a.Until), CreatedAt: a.CreatedAt.UTC()}
	return translate(s.db(ctx).Create(&row).Error)
}

// Availability lists a member's windows in the order they were registered.
func (s *Store) Availability(ctx context.Context, memberID string) ([]domain.Availability, error) {
	var rows []availabilityRow
	if err := s.db(ctx).Where("member_id = ?", memberID).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.Availability, len(rows))
	for i, r := range rows {
		out[i] = domain.Availability{ID: r.ID, MemberID: r.MemberID, StartLocal: r.StartLocal,
			DurationMinutes: r.DurationMinutes, TimeZone: r.Timezone, RRule: r.Rrule,
			Until: parseStoredDatePtr(r.Until), CreatedAt: r.CreatedAt}
	}
	return out, nil
}

// DeleteAvailability removes one of a member's windows; not found when it is
// absent or another member's.
func (s *Store) DeleteAvailability(ctx context.Context, memberID, id string) error {
	res := s.db(ctx).Exec(`DELETE FROM availability WHERE id = ? AND member_id = ?`, id, memberID)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.Errorf(domain.ENotFound, "no such availability")
	}
	return nil
}

type leaveRow struct {
	ID        string
	MemberID  string
	FromDate  string
	ToDate    string
	Reason    string
	CreatedAt time.Time
}

func (leaveRow) TableName() string { return "leave" }

// CreateLeave stores a member's leave (whole days, inclusive).
func (s *Store) CreateLeave(ctx context.Context, l domain.Leave) error {
	row := leaveRow{ID: l.ID, MemberID: l.MemberID, FromDate: l.From.String(), ToDate: l.To.String(),
		Reason: l.Reason, CreatedAt: l.CreatedAt.UTC()}
	return translate(s.db(ctx).Create(&row).Error)
}

// Leave lists a member's leave by start date.
func (s *Store) Leave(ctx context.Context, memberID string) ([]domain.Leave, error) {
	var rows []leaveRow
	if err := s.db(ctx).Where("member_id = ?", memberID).Order("from_date, id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.Leave, len(rows))
	for i, r := range rows {
		out[i] = domain.Leave{ID: r.ID, MemberID: r.MemberID, From: parseStoredDate(r.FromDate),
			To: parseStoredDate(r.ToDate), Reason: r.Reason, CreatedAt: r.CreatedAt}
	}
	return out, nil
}

// DeleteLeave removes one of a member's leave and returns it; not found when
// it is absent or another member's.
func (s *Store) DeleteLeave(ctx context.Context, memberID, id string) (domain.Leave, error) {
	var row leaveRow
	err := s.db(ctx).Where("id = ? AND member_id = ?", id, memberID).Take(&row).Error
	if domain.ErrorCode(translate(err)) == domain.ENotFound {
		return domain.Leave{}, domain.Errorf(domain.ENotFound, "no such leave")
	}
	if err != nil {
		return domain.Leave{}, translate(err)
	}
	if err := s.db(ctx).Exec(`DELETE FROM leave WHERE id = ?`, id).Error; err != nil {
		return domain.Leave{}, translate(err)
	}
	return domain.Leave{ID: row.ID, MemberID: row.MemberID, From: parseStoredDate(row.FromDate), To: parseStoredDate(row.ToDate),
		Reason: row.Reason, CreatedAt: row.CreatedAt}, nil
}
