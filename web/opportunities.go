package web

import (
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// vetRecruitmentRoutes are the VET Agency's opportunities and applications.
func (s *Server) vetRecruitmentRoutes() []route {
	const o, a = "/api/v1/opportunities", "/api/v1/applications"
	return []route{
		{method: fiber.MethodGet, path: o, handler: s.listOpportunities, access: public,
			summary: "VET opportunities: open ones for anyone; signed-in staff also see drafts and closed ones in their areas",
			tag:     "opportunities", response: page[opportunityJSON]{},
			query: append([]param{textParam("area", "area code; includes its sub-areas"), kindParam}, pageParams...),
			about: "Public and cacheable when signed out."},
		{method: fiber.MethodPost, path: o, handler: s.createOpportunity,
			summary: "Publish a role profile (admins, coordinators in their areas)", tag: "opportunities",
			request: opportunityRequest{}, response: opportunityJSON{}, status: http.StatusCreated},
		{method: fiber.MethodGet, path: o + "/:id", handler: s.getOpportunity, access: public,
			summary: "One opportunity: public when open", tag: "opportunities", response: opportunityJSON{}},
		{method: fiber.MethodPatch, path: o + "/:id", handler: s.patchOpportunity,
			summary: "Change an opportunity (admins, coordinators of its area)", tag: "opportunities",
			request: opportunityPatchRequest{}, response: opportunityJSON{}},
		{method: fiber.MethodPost, path: a, handler: s.apply, access: public,
			summary: "Apply to an open opportunity (no sign-in); an acknowledgement with a withdraw link is emailed",
			tag:     "applications", request: applicationRequest{}, response: applicationCreatedJSON{}, status: http.StatusCreated,
			problems: []int{http.StatusTooManyRequests},
			about:    "422 naming each bad field (consent, an opportunity that is not open, a lived: code not in the skill catalogue); 429 when one address sends too many in a minute. Nothing is stored when refused."},
		{method: fiber.MethodPost, path: a + "/withdraw", handler: s.withdrawApplication, access: public,
			summary: "Spend the withdraw link from the acknowledgement: the application moves to withdrawn",
			tag:     "applications", request: withdrawRequest{}, response: applicationCreatedJSON{},
			problems: []int{http.StatusConflict, http.StatusGone, http.StatusTooManyRequests},
			about:    "410 link-not-valid for a link that is unknown, used or expired; 409 stage-refused when the application has ended."},
		{method: fiber.MethodGet, path: a, handler: s.listApplications,
			summary: "Applications to opportunities in the caller's areas (admins, coordinators)", tag: "applications",
			response: page[applicationJSON]{}, query: append([]param{stageParam, textParam("opportunity", "opportunity id")}, pageParams...)},
		{method: fiber.MethodGet, path: a + "/:id", handler: s.getApplication,
			summary: "One application with its stage history (admins, coordinators of the opportunity's area)", tag: "applications",
			response: applicationDetailJSON{}},
		{method: fiber.MethodPost, path: a + "/:id/stage", handler: s.moveStage,
			summary: "Move an application to its next stage, or reject it, with a note", tag: "applications",
			request: stageRequest{}, response: stageMovedJSON{}, problems: []int{http.StatusConflict},
			about: "409 stage-refused, naming in `errors` the stage it may move to, when a stage is skipped or repeated. Reaching active makes the applicant a member (or adds the kind to the member with their email) and invites them."},
		{method: fiber.MethodGet, path: a + "/:id/export", handler: s.exportApplication,
			summary: "Subject access: everything held about an applicant (admins)", tag: "privacy",
			response: applicationExportJSON{}},
		{method: fiber.MethodDelete, path: a + "/:id", handler: s.eraseApplication,
			summary: "Erase an applicant: anonymise every personal field, say what was kept and why (admins)", tag: "privacy",
			response: erasureJSON{}, problems: []int{http.StatusConflict}},
	}
}

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
