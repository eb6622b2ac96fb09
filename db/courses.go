package db

import (
	"context"
	"time"

	"github.com/copbank/copbank/domain"
)

type courseRow struct {
	ID             string
	Code           string
	Title          string
	SkillID        string
	ValidityMonths *int
	CreatedBy      *string
	CreatedAt      time.Time
}

func (courseRow) TableName() string { return "courses" }

type courseWithSkill struct {
	Row       courseRow `gorm:"embedded"`
	SkillCode string
}

func (w courseWithSkill) toDomain() domain.Course {
	c := domain.Course{ID: w.Row.ID, Code: w.Row.Code, Title: w.Row.Title, SkillID: w.Row.SkillID, SkillCode: w.SkillCode,
		ValidityMonths: w.Row.ValidityMonths, CreatedAt: w.Row.CreatedAt}
	if w.Row.CreatedBy != nil {
		c.CreatedBy = *w.Row.CreatedBy
	}
	return c
}

const courseSelect = `SELECT c.*, sk.code AS skill_code FROM courses c JOIN skills sk ON sk.id = c.skill_id`

// CreateCourse stores a course. A taken code is a conflict on "code".
func (s *Store) CreateCourse(ctx context.Context, c domain.Course) error {
	row := courseRow{ID: c.ID, Code: c.Code, Title: c.Title, SkillID: c.SkillID, ValidityMonths: c.ValidityMonths,
		CreatedBy: nullable(c.CreatedBy), CreatedAt: c.CreatedAt.UTC()}
	if err := translate(s.db(ctx).Create(&row).Error); err != nil {
		if domain.ErrorCode(err) == domain.EConflict {
			return &domain.Error{Code: domain.EConflict, Message: "a course with this code already exists",
				Fields: []domain.FieldError{{Field: "code", Message: "already in use"}}}
		}
		return err
	}
	return nil
}

// CourseByCode finds a course by its code; not found when absent.
func (s *Store) CourseByCode(ctx context.Context, code string) (domain.Course, error) {
	return s.courseWhere(ctx, "c.code = ?", code)
}

// CourseByID finds a course; not found when absent.
func (s *Store) CourseByID(ctx context.Context, id string) (domain.Course, error) {
	return s.courseWhere(ctx, "c.id = ?", id)
}

func (s *Store) courseWhere(ctx context.Context, cond string, arg any) (domain.Course, error) {
	var rows []courseWithSkill
	if err := s.db(ctx).Raw(courseSelect+" WHERE "+cond, arg).Scan(&rows).Error; err != nil {
		return domain.Course{}, translate(err)
	}
	if len(rows) == 0 {
		return domain.Course{}, domain.Errorf(domain.ENotFound, "no such course")
	}
	return rows[0].toDomain(), nil
}

// Courses lists courses in code order after the cursor (a code), at most limit.
func (s *Store) Courses(ctx context.Context, after string, limit int) ([]domain.Course, error) {
	var rows []courseWithSkill
	if err := s.db(ctx).Raw(courseSelect+" WHERE c.code > ? ORDER BY c.code LIMIT ?", after, limit).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.Course, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// CoursesGranting lists the courses that grant a skill, in code order.
func (s *Store) CoursesGranting(ctx context.Context, skillID string) ([]domain.Course, error) {
	var rows []courseWithSkill
	if err := s.db(ctx).Raw(courseSelect+" WHERE c.skill_id = ? ORDER BY c.code", skillID).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.Course, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

type courseSessionRow struct {
	ID              string
	CourseID        string
	SeriesID        string
	Occurrence      string
	AreaID          string
	Location        string
	TrainerMemberID *string
	Timezone        string
	StartsAt        time.Time
	EndsAt          time.Time
	Capacity        int
	Status          string
	CreatedBy       *string
	CreatedAt       time.Time
}

func (courseSessionRow) TableName() string { return "course_sessions" }

func toCourseSessionRow(cs domain.CourseSession) courseSessionRow {
	return courseSessionRow{ID: cs.ID, CourseID: cs.CourseID, SeriesID: cs.SeriesID, Occurrence: cs.Occurrence, AreaID: cs.AreaID,
		Location: cs.Location, TrainerMemberID: nullable(cs.TrainerMemberID), Timezone: cs.TimeZone, StartsAt: cs.Start.UTC(),
		EndsAt: cs.End.UTC(), Capacity: cs.Capacity, Status: string(cs.Status), CreatedBy: nullable(cs.CreatedBy),
		CreatedAt: cs.CreatedAt.UTC()}
}

type sessionListing struct {
	Row        courseSessionRow `gorm:"embedded"`
	CourseCode string
	AreaCode   string
	Taken      int
	Waitlisted int
}

func (l sessionListing) toDomain() domain.CourseSession {
	r := l.Row
	cs := domain.CourseSession{ID: r.ID, CourseID: r.CourseID, CourseCode: l.CourseCode, SeriesID: r.SeriesID,
		Occurrence: r.Occurrence, AreaID: r.AreaID, AreaCode: l.AreaCode, Location: r.Location, TimeZone: r.Timezone,
		Start: r.StartsAt, End: r.EndsAt, Capacity: r.Capacity, Status: domain.SessionStatus(r.Status), CreatedAt: r.CreatedAt,
		Taken: l.Taken, Waitlisted: l.Waitlisted}
	if r.TrainerMemberID != nil {
		cs.TrainerMemberID = *r.TrainerMemberID
	}
	if r.CreatedBy != nil {
		cs.CreatedBy = *r.CreatedBy
	}
	return cs
}

// sessionSelect reads sessions with their course and area codes and their
// enrolled (and completed) and waitlisted counts.
const sessionSelect = `SELECT cs.*, c.code AS course_code, a.code AS area_code,
	(SELECT count(*) FROM enrolments e WHERE e.session_id = cs.id AND e.status IN ('enrolled','completed')) AS taken,
	(SELECT count(*) FROM enrolments e WHERE e.session_id = cs.id AND e.status = 'waitlisted') AS waitlisted
	FROM course_sessions cs JOIN courses c ON c.id = cs.course_id JOIN areas a ON a.id = cs.area_id`

// CreateCourseSessions stores the sessions of one posting.
func (s *Store) CreateCourseSessions(ctx context.Context, sessions []domain.CourseSession) error {
	if len(sessions) == 0 {
		return nil
	}
	rows := make([]courseSessionRow, len(sessions))
	for i, cs := range sessions {
		rows[i] = toCourseSessionRow(cs)
	}
	return translate(s.db(ctx).CreateInBatches(rows, 200).Error)
}

// CourseSessionByID returns a session with its counts; not found when absent.
func (s *Store) CourseSessionByID(ctx context.Context, id string) (domain.CourseSession, error) {
	var rows []sessionListing
	if err := s.db(ctx).Raw(sessionSelect+" WHERE cs.id = ?", id).Scan(&rows).Error; err != nil {
		return domain.CourseSession{}, translate(err)
	}
	if len(rows) == 0 {
		return domain.CourseSession{}, domain.Errorf(domain.ENotFound, "no such course session")
	}
	return rows[0].toDomain(), nil
}

// SessionFilter narrows a listing of course sessions.
type SessionFilter struct {
	CourseID string
	// AreaPaths keeps sessions at or below any of these areas (nil: anywhere).
	AreaPaths []string
	// EndsAfter keeps sessions that end after it (zero: all).
	EndsAfter time.Time
	// ScheduledOnly leaves out cancelled sessions.
	ScheduledOnly bool
	After         string // cursor: the last session ID seen, in start order
	AfterStart    *time.Time
	Limit         int
}

// CourseSessions lists sessions in start order.
func (s *Store) CourseSessions(ctx context.Context, f SessionFilter) ([]domain.CourseSession, error) {
	q := sessionSelect + " WHERE 1 = 1"
	var args []any
	if f.CourseID != "" {
		q += " AND cs.course_id = ?"
		args = append(args, f.CourseID)
	}
	if f.AreaPaths != nil {
		if len(f.AreaPaths) == 0 {
			return nil, nil
		}
		q += " AND ("
		for i, p := range f.AreaPaths {
			if i > 0 {
				q += " OR "
			}
			q += `a.path LIKE ? ESCAPE '\'`
			args = append(args, escapeLike(p)+"%")
		}
		q += ")"
	}
	if !f.EndsAfter.IsZero() {
		q += " AND cs.ends_at > ?"
		args = append(args, f.EndsAfter.UTC())
	}
	if f.ScheduledOnly {
		q += " AND cs.status = 'scheduled'"
	}
	if f.AfterStart != nil {
		q += " AND (cs.starts_at > ? OR (cs.starts_at = ? AND cs.id > ?))"
		args = append(args, f.AfterStart.UTC(), f.AfterStart.UTC(), f.After)
	}
	q += " ORDER BY cs.starts_at, cs.id"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	var rows []sessionListing
	if err := s.db(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.CourseSession, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// LockCourseSession takes the lock that serialises every enrolment of one
// session and returns the session with its counts. On SQLite the
// transaction already holds the database's write lock (BEGIN IMMEDIATE).
func (s *Store) LockCourseSession(ctx context.Context, id string) (domain.CourseSession, error) {
	if s.dialect == Postgres {
		var ids []string
		if err := s.db(ctx).Table("course_sessions").Where("id = ?", id).Clauses(lockForUpdate).Pluck("id", &ids).Error; err != nil {
			return domain.CourseSession{}, translate(err)
		}
		if len(ids) == 0 {
			return domain.CourseSession{}, domain.Errorf(domain.ENotFound, "no such course session")
		}
	}
	return s.CourseSessionByID(ctx, id)
}
