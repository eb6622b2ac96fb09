package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

type milestoneDTO struct {
	Kind        string  `json:"kind" validate:"required,oneof=skill course hours"`
	Skill       string  `json:"skill" validate:"max=128"`
	Course      string  `json:"course" validate:"max=40"`
	Hours       float64 `json:"hours" validate:"gte=0,lte=100000"`
	ProblemType string  `json:"problem_type" validate:"max=64"`
}

type pathwayRequest struct {
	Name       string         `json:"name" validate:"required,max=200"`
	Milestones []milestoneDTO `json:"milestones" validate:"required,min=1,max=50,dive"`
}

type milestoneJSON struct {
	Kind        string   `json:"kind" validate:"oneof=skill course hours"`
	Skill       string   `json:"skill,omitempty"`
	Course      string   `json:"course,omitempty"`
	Hours       *float64 `json:"hours,omitempty"`
	ProblemType string   `json:"problem_type,omitempty"`
}

type pathwayRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type pathwayJSON struct {
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	Milestones []milestoneJSON `json:"milestones"`
}

func renderMilestone(m domain.Milestone) milestoneJSON {
	out := milestoneJSON{Kind: string(m.Kind), Skill: m.SkillCode, Course: m.CourseCode, ProblemType: string(m.ProblemType)}
	if m.Kind == domain.MilestoneHours {
		h := m.Hours
		out.Hours = &h
	}
	return out
}

func renderPathway(p domain.Pathway) pathwayJSON {
	out := pathwayJSON{ID: p.ID, Name: p.Name, Milestones: make([]milestoneJSON, len(p.Milestones))}
	for i, m := range p.Milestones {
		out.Milestones[i] = renderMilestone(m)
	}
	return out
}

func (s *Server) createPathway(c *fiber.Ctx) error {
	var req pathwayRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	in := app.NewPathway{Name: req.Name}
	for _, m := range req.Milestones {
		in.Milestones = append(in.Milestones, app.MilestoneInput{Kind: m.Kind, Skill: m.Skill, Course: m.Course, Hours: m.Hours,
			ProblemType: m.ProblemType})
	}
	p, err := s.app.CreatePathway(c.UserContext(), principal(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(renderPathway(p))
}

func (s *Server) listPathways(c *fiber.Ctx) error {
	ps, err := s.app.Pathways(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	out := page[pathwayJSON]{Items: make([]pathwayJSON, len(ps))}
	for i, p := range ps {
		out.Items[i] = renderPathway(p)
	}
	return c.JSON(out)
}

type milestoneProgressJSON struct {
	milestoneJSON
	Met   bool   `json:"met"`
	Needs string `json:"needs,omitempty"`
}

type progressJSON struct {
	Pathway    pathwayRef              `json:"pathway"`
	Milestones []milestoneProgressJSON `json:"milestones"`
	// Next is the 0-based index of the first unmet milestone; null when all are met.
	Next *int `json:"next"`
}

func renderProgress(pr domain.Progress) progressJSON {
	out := progressJSON{Pathway: pathwayRef{ID: pr.Pathway.ID, Name: pr.Pathway.Name}, Next: pr.Next,
		Milestones: make([]milestoneProgressJSON, len(pr.Milestones))}
	for i, m := range pr.Milestones {
		out.Milestones[i] = milestoneProgressJSON{milestoneJSON: renderMilestone(m.Milestone), Met: m.Met, Needs: m.Needs}
	}
	return out
}

func (s *Server) memberPathways(c *fiber.Ctx) error {
	prs, err := s.app.MemberPathways(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	out := page[progressJSON]{Items: make([]progressJSON, len(prs))}
	for i, pr := range prs {
		out.Items[i] = renderProgress(pr)
	}
	return c.JSON(out)
}

type milestoneCountJSON struct {
	milestoneJSON
	// At counts the members whose next unmet milestone is this one.
	At int `json:"at"`
}

type pathwayReportJSON struct {
	Pathway    pathwayRef           `json:"pathway"`
	Members    int                  `json:"members"`
	Completed  int                  `json:"completed"`
	Milestones []milestoneCountJSON `json:"milestones"`
}

func (s *Server) pathwayReport(c *fiber.Ctx) error {
	var codes []string
	for _, code := range strings.Split(c.Query("areas"), ",") {
		if code = strings.TrimSpace(code); code != "" {
			codes = append(codes, code)
		}
	}
	reports, err := s.app.PathwayProgressReport(c.UserContext(), principal(c), codes)
	if err != nil {
		return err
	}
	out := page[pathwayReportJSON]{Items: make([]pathwayReportJSON, len(reports))}
	for i, r := range reports {
		item := pathwayReportJSON{Pathway: pathwayRef{ID: r.Pathway.ID, Name: r.Pathway.Name}, Members: r.Members,
			Completed: r.Completed, Milestones: make([]milestoneCountJSON, len(r.Pathway.Milestones))}
		for j, m := range r.Pathway.Milestones {
			item.Milestones[j] = milestoneCountJSON{milestoneJSON: renderMilestone(m), At: r.AtMilestone[j]}
		}
		out.Items[i] = item
	}
	return c.JSON(out)
}
