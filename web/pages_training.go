package web

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/domain"
)

type sessionCard struct {
	ID, Course, Title, When, Where string
	PlacesLeft                     int
	Held                           bool // the member is already enrolled or waiting
}

type enrolmentCard struct {
	ID, Course, Title, When, Status string
	CanCancel                       bool
}

type trainingData struct {
	IsMember bool
	Sessions []sessionCard
	Mine     []enrolmentCard
}

var enrolmentWords = map[domain.EnrolmentStatus]string{
	domain.EnrolmentEnrolled:   "Enrolled",
	domain.EnrolmentWaitlisted: "On the waiting list",
	domain.EnrolmentCancelled:  "Cancelled",
	domain.EnrolmentCompleted:  "Completed",
}

func (s *Server) sessionWhen(cs domain.CourseSession) string {
	return s.when(domain.Demand{TimeZone: cs.TimeZone}, cs.Start, cs.End)
}

func (s *Server) trainingPage(c *fiber.Ctx) error {
	p := principal(c)
	ctx := c.UserContext()
	data := trainingData{IsMember: p.User.MemberID != ""}
	held := map[string]bool{}
	if data.IsMember {
		mine, err := s.app.MemberEnrolments(ctx, p, p.User.MemberID)
		if err != nil {
			return err
		}
		now := s.app.Now()
		for _, d := range mine {
			data.Mine = append(data.Mine, enrolmentCard{ID: d.ID, Course: d.Course.Code, Title: d.Course.Title,
				When: s.sessionWhen(d.Session), Status: enrolmentWords[d.Status],
				CanCancel: d.Status.Open() && now.Before(d.Session.Start)})
			if d.Status.Open() {
				held[d.SessionID] = true
			}
		}
	}
	upcoming, err := s.app.UpcomingSessions(ctx, p, 100)
	if err != nil {
		return err
	}
	for _, u := range upcoming {
		where := u.Session.AreaCode
		if u.Session.Location != "" {
			where = u.Session.Location + ", " + where
		}
		data.Sessions = append(data.Sessions, sessionCard{ID: u.Session.ID, Course: u.Course.Code, Title: u.Course.Title,
			When: s.sessionWhen(u.Session), Where: where, PlacesLeft: u.Session.PlacesLeft(), Held: held[u.Session.ID]})
	}
	return s.render(c, fiber.StatusOK, "training", pageView{Title: "Training", Nav: "training", Data: data})
}

// trainingRefusal shows a refused enrolment or cancellation as a message on
// the training page rather than an error page: the member can act on it.
func (s *Server) trainingRefusal(c *fiber.Ctx, err error) error {
	if code := domain.ErrorCode(err); code == domain.EConflict || code == domain.EInvalid {
		s.flash(c, domain.ErrorMessage(err))
		return c.Redirect("/training", fiber.StatusSeeOther)
	}
	return err
}

func (s *Server) postEnrolPage(c *fiber.Ctx) error {
	d, err := s.app.Enrol(c.UserContext(), principal(c), c.Params("id"), "")
	if err != nil {
		return s.trainingRefusal(c, err)
	}
	msg := fmt.Sprintf("You are enrolled on %s, %s.", d.Course.Title, s.sessionWhen(d.Session))
	if d.Status == domain.EnrolmentWaitlisted {
		msg = fmt.Sprintf("%s is full: you are number %d on the waiting list and will be enrolled if a place frees.",
			d.Course.Title, d.QueuePosition)
	}
	s.flash(c, msg)
	return c.Redirect("/training", fiber.StatusSeeOther)
}

func (s *Server) postCancelEnrolmentPage(c *fiber.Ctx) error {
	p := principal(c)
	d, err := s.app.CancelEnrolment(c.UserContext(), p, c.Params("id"))
	if err != nil {
		return s.trainingRefusal(c, err)
	}
	s.flash(c, fmt.Sprintf("You cancelled your place on %s, %s.", d.Course.Title, s.sessionWhen(d.Session)))
	return c.Redirect("/training", fiber.StatusSeeOther)
}

type milestoneLine struct {
	Text, Needs string
	Met, Next   bool
}

type pathwayCard struct {
	Name       string
	Milestones []milestoneLine
	Done       bool
}

type myPathwaysData struct {
	IsMember bool
	Pathways []pathwayCard
}

func milestoneText(m domain.Milestone) string {
	switch m.Kind {
	case domain.MilestoneSkill:
		return "Hold the " + m.SkillCode + " skill"
	case domain.MilestoneCourse:
		return "Complete the " + m.CourseCode + " course"
	default:
		text := fmt.Sprintf("Give %s hours", trimHours(m.Hours))
		if m.ProblemType != "" {
			text += " of " + string(m.ProblemType)
		}
		return text
	}
}

func trimHours(h float64) string { return fmt.Sprintf("%g", h) }

func (s *Server) myPathwaysPage(c *fiber.Ctx) error {
	p := principal(c)
	data := myPathwaysData{IsMember: p.User.MemberID != ""}
	if data.IsMember {
		prs, err := s.app.MemberPathways(c.UserContext(), p, p.User.MemberID)
		if err != nil {
			return err
		}
		for _, pr := range prs {
			card := pathwayCard{Name: pr.Pathway.Name, Done: pr.Next == nil}
			for i, m := range pr.Milestones {
				card.Milestones = append(card.Milestones, milestoneLine{Text: milestoneText(m.Milestone), Needs: m.Needs,
					Met: m.Met, Next: pr.Next != nil && *pr.Next == i})
			}
			data.Pathways = append(data.Pathways, card)
		}
	}
	return s.render(c, fiber.StatusOK, "my_pathways", pageView{Title: "My pathways", Nav: "my-pathways", Data: data})
}
