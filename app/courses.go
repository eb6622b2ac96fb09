package app

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// Who may do what in training: admins and coordinators create courses;
// coordinators and admins post sessions in the areas they cover; everyone
// signed in reads both.

// NewCourse is the input for creating a course. ValidityMonths nil means the
// granted skill's own valid_months (or for ever, when it has none).
type NewCourse struct {
	Code           string
	Title          string
	GrantsSkill    string
	ValidityMonths *int
}

var courseCode = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$`)

// CreateCourse adds a course (admins and coordinators; forbidden otherwise).
// A grants_skill missing from the skill catalogue is invalid, naming it; a
// taken code is a conflict on "code".
func (a *App) CreateCourse(ctx context.Context, p *domain.Principal, in NewCourse) (domain.Course, error) {
	if !isCoordinating(p) {
		return domain.Course{}, forbidden("only admins and coordinators create courses")
	}
	c := domain.Course{ID: NewID(), Code: strings.TrimSpace(in.Code), Title: strings.TrimSpace(in.Title),
		ValidityMonths: in.ValidityMonths, CreatedBy: p.User.ID, CreatedAt: a.Now()}
	var fields []domain.FieldError
	bad := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }
	if !courseCode.MatchString(c.Code) {
		bad("code", "must be 1 to 40 letters, digits, '-' or '_', such as FA-1")
	}
	if c.Title == "" {
		bad("title", "is required")
	}
	if c.ValidityMonths != nil && (*c.ValidityMonths < 1 || *c.ValidityMonths > 600) {
		bad("validity_months", "must be from 1 to 600 months")
	}
	skill, err := a.store.SkillByCode(ctx, in.GrantsSkill)
	switch {
	case domain.ErrorCode(err) == domain.ENotFound:
		bad("grants_skill", fmt.Sprintf("%q is not in the skill catalogue", in.GrantsSkill))
	case err != nil:
		return domain.Course{}, err
	case domain.IsLived(skill.Code):
		bad("grants_skill", "lived experience is declared, never granted by a course")
	default:
		c.SkillID, c.SkillCode = skill.ID, skill.Code
		if c.ValidityMonths == nil {
			c.ValidityMonths = skill.ValidMonths
		}
	}
	if len(fields) > 0 {
		return domain.Course{}, domain.Invalid("the course could not be created", fields...)
	}
	err = a.store.InTx(ctx, func(tx *db.Store) error {
		if err := tx.CreateCourse(ctx, c); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, auditEvent{action: "course.create", entity: "course", entityID: c.ID,
			after: map[string]any{"code": c.Code, "title": c.Title, "grants_skill": c.SkillCode, "validity_months": c.ValidityMonths}})
	})
	return c, err
}

// Courses lists courses in code order after the cursor (any signed-in caller).
func (a *App) Courses(ctx context.Context, p *domain.Principal, after string, limit int) ([]domain.Course, error) {
	if p == nil {
		return nil, domain.Errorf(domain.EUnauthorized, "sign in first")
	}
	return a.store.Courses(ctx, after, limit)
}

// courseByCode is not found for an unknown code.
func (a *App) courseByCode(ctx context.Context, code string) (domain.Course, error) {
	c, err := a.store.CourseByCode(ctx, code)
	if domain.ErrorCode(err) == domain.ENotFound {
		return c, notFound("course")
	}
	return c, err
}

// SessionInput posts one session of a course, or a series of them (RRule).
type SessionInput struct {
	StartLocal      string
	EndLocal        string
	TimeZone        string
	RRule           string
	ExDates         []string
	Capacity        int
	TrainerMemberID string
	Area            string // area code
	Location        string
}

// PostCourseSessions expands a session or an RFC 5545 series into one
// session per occurrence, in local wall time (a session at 10:00 stays at
// 10:00 across a clock change), under the same limits as demand. Admins, and
// coordinators for an area they cover.
func (a *App) PostCourseSessions(ctx context.Context, p *domain.Principal, code string, in SessionInput) ([]domain.CourseSession, error) {
	if !isCoordinating(p) {
		return nil, forbidden("only admins and coordinators post course sessions")
	}
	course, err := a.courseByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	now := a.Now()
	var fields []domain.FieldError
	bad := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }
	if in.Capacity < 1 || in.Capacity > 500 {
		bad("capacity", "must be from 1 to 500 places")
	}
	area, err := a.store.AreaByCode(ctx, in.Area)
	switch {
	case domain.ErrorCode(err) == domain.ENotFound:
		bad("area", "is not a known area code")
	case err != nil:
		return nil, err
	case !coversArea(p, area):
		bad("area", "is outside the areas you coordinate")
	}
	if in.TrainerMemberID != "" {
		if _, err := a.store.MemberByID(ctx, in.TrainerMemberID); domain.ErrorCode(err) == domain.ENotFound {
			bad("trainer_member_id", "is not a member of the bank")
		} else if err != nil {
			return nil, err
		}
	}
	timing := domain.Demand{TimeZone: in.TimeZone, StartLocal: in.StartLocal, EndLocal: in.EndLocal,
		RRule: strings.TrimPrefix(in.RRule, "RRULE:"), ExDates: in.ExDates}
	series, occurrences, timingFields := a.upcomingOccurrences(timing, now, "post sessions yet to start")
	fields = append(fields, timingFields...)
	if len(fields) > 0 {
		return nil, domain.Invalid("the sessions could not be posted", fields...)
	}
	seriesID := NewID()
	sessions := make([]domain.CourseSession, len(occurrences))
	for i, o := range occurrences {
		sessions[i] = domain.CourseSession{ID: NewID(), CourseID: course.ID, CourseCode: course.Code, SeriesID: seriesID,
			Occurrence: o.Local.Date().String(), AreaID: area.ID, AreaCode: area.Code, Location: strings.TrimSpace(in.Location),
			TrainerMemberID: in.TrainerMemberID, TimeZone: series.Location.String(), Start: o.Start, End: o.End,
			Capacity: in.Capacity, Status: domain.SessionScheduled, CreatedBy: p.User.ID, CreatedAt: now}
	}
	err = a.store.InTx(ctx, func(tx *db.Store) error {
		if err := tx.CreateCourseSessions(ctx, sessions); err != nil {
			return err
		}
		ids := make([]string, len(sessions))
		for i, s := range sessions {
			ids[i] = s.ID
		}
		return a.audit(ctx, tx, p, auditEvent{action: "course.sessions.create", entity: "course", entityID: course.ID,
			after: map[string]any{"course": course.Code, "area": area.Code, "start_local": in.StartLocal, "end_local": in.EndLocal,
				"timezone": series.Location.String(), "rrule": timing.RRule, "exdates": in.ExDates, "capacity": in.Capacity,
				"trainer_member_id": in.TrainerMemberID, "session_ids": ids}})
	})
	return sessions, err
}

// CourseSessions lists a course's sessions in start order, after the cursor
// (the start and ID of the last seen); members see only scheduled sessions
// that have not ended.
func (a *App) CourseSessions(ctx context.Context, p *domain.Principal, code string, afterStart *time.Time, afterID string, limit int) ([]domain.CourseSession, error) {
	if p == nil {
		return nil, domain.Errorf(domain.EUnauthorized, "sign in first")
	}
	course, err := a.courseByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	f := db.SessionFilter{CourseID: course.ID, AfterStart: afterStart, After: afterID, Limit: limit}
	if !isCoordinating(p) {
		f.ScheduledOnly, f.EndsAfter = true, a.Now()
	}
	return a.store.CourseSessions(ctx, f)
}

// sessionZone is the time zone a session's wall times are in.
func (a *App) sessionZone(s domain.CourseSession) *time.Location {
	return a.zoneOf(domain.Demand{TimeZone: s.TimeZone})
}

// SessionWithCourse is a session with the course it teaches.
type SessionWithCourse struct {
	Session domain.CourseSession
	Course  domain.Course
}

// UpcomingSessions lists the scheduled sessions of every course that have not
// started, in start order, at most limit (any signed-in caller).
func (a *App) UpcomingSessions(ctx context.Context, p *domain.Principal, limit int) ([]SessionWithCourse, error) {
	if p == nil {
		return nil, domain.Errorf(domain.EUnauthorized, "sign in first")
	}
	now := a.Now()
	sessions, err := a.store.CourseSessions(ctx, db.SessionFilter{EndsAfter: now, ScheduledOnly: true, Limit: limit})
	if err != nil {
		return nil, err
	}
	courses := map[string]domain.Course{}
	out := make([]SessionWithCourse, 0, len(sessions))
	for _, s := range sessions {
		if !now.Before(s.Start) {
			continue
		}
		c, ok := courses[s.CourseID]
		if !ok {
			if c, err = a.store.CourseByID(ctx, s.CourseID); err != nil {
				return nil, err
			}
			courses[s.CourseID] = c
		}
		out = append(out, SessionWithCourse{Session: s, Course: c})
	}
	return out, nil
}

// renewalNotice is what an expiry warning adds for a skill a course renews:
// a sentence naming the course and the training page to link to. Both are
// empty when no course grants the skill.
func (a *App) renewalNotice(ctx context.Context, skillID string) (text, link string, err error) {
	courses, err := a.store.CoursesGranting(ctx, skillID)
	if err != nil || len(courses) == 0 {
		return "", "", err
	}
	c := courses[0]
	return fmt.Sprintf(" The %s course (%s) renews it: enrol on a session from your training page.", c.Title, c.Code),
		a.Config.BaseURL + "/training", nil
}
