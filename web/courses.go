package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

type courseRequest struct {
	Code           string `json:"code" validate:"required,max=40"`
	Title          string `json:"title" validate:"required,max=200"`
	GrantsSkill    string `json:"grants_skill" validate:"required,max=128"`
	ValidityMonths *int   `json:"validity_months" validate:"omitempty,gte=1,lte=600"`
}

type courseJSON struct {
	ID             string `json:"id"`
	Code           string `json:"code"`
	Title          string `json:"title"`
	GrantsSkill    string `json:"grants_skill"`
	ValidityMonths *int   `json:"validity_months"`
}

func renderCourse(c domain.Course) courseJSON {
	return courseJSON{ID: c.ID, Code: c.Code, Title: c.Title, GrantsSkill: c.SkillCode, ValidityMonths: c.ValidityMonths}
}

func (s *Server) createCourse(c *fiber.Ctx) error {
	var req courseRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	course, err := s.app.CreateCourse(c.UserContext(), principal(c), app.NewCourse{Code: req.Code, Title: req.Title,
		GrantsSkill: req.GrantsSkill, ValidityMonths: req.ValidityMonths})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(renderCourse(course))
}

func (s *Server) listCourses(c *fiber.Ctx) error {
	after, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	courses, err := s.app.Courses(c.UserContext(), principal(c), after, limit+1)
	if err != nil {
		return err
	}
	return c.JSON(newPage(courses, limit, func(c domain.Course) string { return c.Code }, renderCourse))
}

type sessionRequest struct {
	StartLocal      string   `json:"start_local" validate:"required,max=16"`
	EndLocal        string   `json:"end_local" validate:"required,max=16"`
	TimeZone        string   `json:"timezone" validate:"max=64"`
	RRule           string   `json:"rrule" validate:"max=500"`
	ExDates         []string `json:"exdates" validate:"max=200,dive,max=16"`
	Capacity        int      `json:"capacity" validate:"required,gte=1,lte=500"`
	TrainerMemberID string   `json:"trainer_member_id" validate:"max=64"`
	Area            string   `json:"area" validate:"required,max=64"`
	Location        string   `json:"location" validate:"max=500"`
}

type sessionJSON struct {
	ID              string  `json:"id"`
	Course          string  `json:"course"`
	SeriesID        string  `json:"series_id"`
	Start           string  `json:"start"`
	End             string  `json:"end"`
	TimeZone        string  `json:"timezone"`
	Capacity        int     `json:"capacity"`
	Enrolled        int     `json:"enrolled"`
	Waitlisted      int     `json:"waitlisted"`
	PlacesLeft      int     `json:"places_left"`
	TrainerMemberID *string `json:"trainer_member_id"`
	Area            string  `json:"area"`
	Location        string  `json:"location"`
	Status          string  `json:"status" validate:"oneof=scheduled cancelled"`
}

type sessionsJSON struct {
	Items []sessionJSON `json:"items"`
}

func (s *Server) renderSession(cs domain.CourseSession) sessionJSON {
	loc := s.app.Config.TimeZone
	if z, err := time.LoadLocation(cs.TimeZone); err == nil {
		loc = z
	}
	out := sessionJSON{ID: cs.ID, Course: cs.CourseCode, SeriesID: cs.SeriesID, Start: stamp(cs.Start, loc), End: stamp(cs.End, loc),
		TimeZone: cs.TimeZone, Capacity: cs.Capacity, Enrolled: cs.Taken, Waitlisted: cs.Waitlisted, PlacesLeft: cs.PlacesLeft(),
		Area: cs.AreaCode, Location: cs.Location, Status: string(cs.Status)}
	if cs.TrainerMemberID != "" {
		t := cs.TrainerMemberID
		out.TrainerMemberID = &t
	}
	return out
}

func (s *Server) postCourseSessions(c *fiber.Ctx) error {
	var req sessionRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	sessions, err := s.app.PostCourseSessions(c.UserContext(), principal(c), c.Params("code"), app.SessionInput{
		StartLocal: req.StartLocal, EndLocal: req.EndLocal, TimeZone: req.TimeZone, RRule: req.RRule, ExDates: req.ExDates,
		Capacity: req.Capacity, TrainerMemberID: req.TrainerMemberID, Area: req.Area, Location: req.Location})
	if err != nil {
		return err
	}
	out := sessionsJSON{Items: make([]sessionJSON, len(sessions))}
	for i, cs := range sessions {
		out.Items[i] = s.renderSession(cs)
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}

// sessionCursor is a session's start and ID, the key of the start order.
func sessionCursor(cs domain.CourseSession) string {
	return cs.Start.UTC().Format(time.RFC3339Nano) + "|" + cs.ID
}

func (s *Server) listCourseSessions(c *fiber.Ctx) error {
	after, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	var afterStart *time.Time
	var afterID string
	if after != "" {
		at, id, ok := strings.Cut(after, "|")
		t, terr := time.Parse(time.RFC3339Nano, at)
		if !ok || terr != nil {
			return domain.FieldInvalid("cursor", "is not a cursor this service gave out")
		}
		afterStart, afterID = &t, id
	}
	sessions, err := s.app.CourseSessions(c.UserContext(), principal(c), c.Params("code"), afterStart, afterID, limit+1)
	if err != nil {
		return err
	}
	return c.JSON(newPage(sessions, limit, sessionCursor, s.renderSession))
}

type enrolRequest struct {
	MemberID string `json:"member_id" validate:"max=64"`
}

type enrolmentJSON struct {
	ID            string  `json:"id"`
	SessionID     string  `json:"session_id"`
	MemberID      string  `json:"member_id"`
	Status        string  `json:"status" validate:"oneof=enrolled waitlisted cancelled completed"`
	Course        string  `json:"course"`
	CourseTitle   string  `json:"course_title"`
	Start         string  `json:"start"`
	End           string  `json:"end"`
	Area          string  `json:"area"`
	Location      string  `json:"location"`
	QueuePosition int     `json:"queue_position,omitempty"`
	CreatedAt     string  `json:"created_at"`
	CancelledAt   *string `json:"cancelled_at"`
	CompletedAt   *string `json:"completed_at"`
}

func (s *Server) renderEnrolment(d app.EnrolmentDetail) enrolmentJSON {
	loc := s.app.Config.TimeZone
	ses := s.renderSession(d.Session)
	return enrolmentJSON{ID: d.ID, SessionID: d.SessionID, MemberID: d.MemberID, Status: string(d.Status), Course: d.Course.Code,
		CourseTitle: d.Course.Title, Start: ses.Start, End: ses.End, Area: d.Session.AreaCode, Location: d.Session.Location,
		QueuePosition: d.QueuePosition, CreatedAt: stamp(d.CreatedAt, loc), CancelledAt: stampPtr(d.CancelledAt, loc),
		CompletedAt: stampPtr(d.CompletedAt, loc)}
}

func (s *Server) postEnrolment(c *fiber.Ctx) error {
	var req enrolRequest
	if len(c.Body()) > 0 {
		if err := decode(c, &req); err != nil {
			return err
		}
	}
	d, err := s.app.Enrol(c.UserContext(), principal(c), c.Params("id"), req.MemberID)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(s.renderEnrolment(d))
}

func (s *Server) cancelEnrolment(c *fiber.Ctx) error {
	d, err := s.app.CancelEnrolment(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(s.renderEnrolment(d))
}

func (s *Server) completeEnrolment(c *fiber.Ctx) error {
	d, err := s.app.CompleteEnrolment(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(s.renderEnrolment(d))
}

func (s *Server) memberEnrolments(c *fiber.Ctx) error {
	ds, err := s.app.MemberEnrolments(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	out := page[enrolmentJSON]{Items: make([]enrolmentJSON, len(ds))}
	for i, d := range ds {
		out.Items[i] = s.renderEnrolment(d)
	}
	return c.JSON(out)
}
