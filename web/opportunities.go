package web

import (
	"sort"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

var (
	kindParam = param{name: "kind", about: "member kind the opportunity leads to",
		schema: map[string]any{"type": "string", "enum": []string{string(domain.KindVolunteer), string(domain.KindBankOfficer), string(domain.KindMentor)}}}
	stageParam = param{name: "stage", about: "pipeline stage", schema: map[string]any{"type": "string", "enum": stageNames()}}
)

func stageNames() []string {
	out := make([]string, 0, len(domain.Stages()))
	for _, st := range domain.Stages() {
		out = append(out, string(st))
	}
	return out
}

// onlyQuery refuses query parameters the route does not take.
func onlyQuery(c *fiber.Ctx, allowed ...string) error {
	var unknown []string
	c.Context().QueryArgs().VisitAll(func(k, _ []byte) {
		name := string(k)
		for _, a := range allowed {
			if a == name {
				return
			}
		}
		unknown = append(unknown, name)
	})
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	fields := make([]domain.FieldError, len(unknown))
	for i, u := range unknown {
		fields[i] = domain.FieldError{Field: u, Message: "is not a query parameter of this list: use " + strings.Join(allowed, ", ")}
	}
	return domain.Invalid("the query has parameters we do not know", fields...)
}

// opportunityJSON is an opportunity as the API shows it.
type opportunityJSON struct {
	ID           string                   `json:"id"`
	Title        string                   `json:"title"`
	Description  string                   `json:"description"`
	Kind         domain.Kind              `json:"kind"`
	Area         string                   `json:"area"`
	MinVetting   string                   `json:"min_vetting"` // "" when none is needed
	SkillsGained []string                 `json:"skills_gained"`
	Commitment   string                   `json:"commitment"`
	Status       domain.OpportunityStatus `json:"status"`
	CreatedAt    time.Time                `json:"created_at"`
	UpdatedAt    time.Time                `json:"updated_at"`
}

func (s *Server) renderOpportunity(o domain.Opportunity) opportunityJSON {
	zone := s.app.Config.TimeZone
	skills := o.SkillsGained
	if skills == nil {
		skills = []string{}
	}
	return opportunityJSON{ID: o.ID, Title: o.Title, Description: o.Description, Kind: o.Kind, Area: o.AreaCode,
		MinVetting: string(o.MinVetting), SkillsGained: skills, Commitment: o.Commitment, Status: o.Status,
		CreatedAt: o.CreatedAt.In(zone), UpdatedAt: o.UpdatedAt.In(zone)}
}

type opportunityRequest struct {
	Title        string                   `json:"title" validate:"required,max=200"`
	Description  string                   `json:"description" validate:"max=10000"`
	Kind         domain.Kind              `json:"kind" validate:"required,max=32"`
	Area         string                   `json:"area" validate:"required,max=64"`
	MinVetting   string                   `json:"min_vetting" validate:"max=32"`
	SkillsGained []string                 `json:"skills_gained" validate:"max=50,dive,max=64"`
	Commitment   string                   `json:"commitment" validate:"max=400"`
	Status       domain.OpportunityStatus `json:"status" validate:"max=32"`
}

func (s *Server) createOpportunity(c *fiber.Ctx) error {
	var req opportunityRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	o, err := s.app.CreateOpportunity(c.UserContext(), principal(c), app.NewOpportunity{Title: req.Title, Description: req.Description,
		Kind: req.Kind, Area: req.Area, MinVetting: domain.ClearanceType(req.MinVetting), SkillsGained: req.SkillsGained, Commitment: req.Commitment, Status: req.Status})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(s.renderOpportunity(o))
}

type opportunityPatchRequest struct {
	Title        *string                   `json:"title" validate:"omitempty,max=200"`
	Description  *string                   `json:"description" validate:"omitempty,max=10000"`
	Kind         *domain.Kind              `json:"kind" validate:"omitempty,max=32"`
	Area         *string                   `json:"area" validate:"omitempty,max=64"`
	MinVetting   *string                   `json:"min_vetting" validate:"omitempty,max=32"`
	SkillsGained *[]string                 `json:"skills_gained" validate:"omitempty,max=50,dive,max=64"`
	Commitment   *string                   `json:"commitment" validate:"omitempty,max=400"`
	Status       *domain.OpportunityStatus `json:"status" validate:"omitempty,max=32"`
}

func (s *Server) patchOpportunity(c *fiber.Ctx) error {
	var req opportunityPatchRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	o, err := s.app.UpdateOpportunity(c.UserContext(), principal(c), refParam(c, "id"), app.OpportunityUpdate{Title: req.Title,
		Description: req.Description, Kind: req.Kind, Area: req.Area, MinVetting: (*domain.ClearanceType)(req.MinVetting), SkillsGained: req.SkillsGained,
		Commitment: req.Commitment, Status: req.Status})
	if err != nil {
		return err
	}
	return c.JSON(s.renderOpportunity(o))
}

func (s *Server) getOpportunity(c *fiber.Ctx) error {
	o, err := s.app.Opportunity(c.UserContext(), principal(c), refParam(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(s.renderOpportunity(o))
}

func (s *Server) listOpportunities(c *fiber.Ctx) error {
	if err := onlyQuery(c, "area", "kind", "limit", "cursor"); err != nil {
		return err
	}
	after, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	list, err := s.app.Opportunities(c.UserContext(), principal(c), app.OpportunityQuery{Area: c.Query("area"),
		Kind: domain.Kind(c.Query("kind")), After: after, Limit: limit + 1})
	if err != nil {
		return err
	}
	return c.JSON(newPage(list, limit, func(o domain.Opportunity) string { return o.ID }, s.renderOpportunity))
}
