package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// applicationRequest is a public application. website is the honeypot:
// hidden from people on the form, so only a bot fills it.
type applicationRequest struct {
	OpportunityID   string   `json:"opportunity_id" validate:"required,max=64"`
	Name            string   `json:"name" validate:"required,max=200"`
	Email           string   `json:"email" validate:"required,max=320"`
	Phone           string   `json:"phone" validate:"required,max=50"`
	Postcode        string   `json:"postcode" validate:"required,max=16"`
	Motivation      string   `json:"motivation" validate:"required,max=5000"`
	LivedExperience []string `json:"lived_experience" validate:"max=20,dive,max=64"`
	Consent         bool     `json:"consent"`
	Website         string   `json:"website" validate:"max=400"`
}

// applicationCreatedJSON is all an applicant is told back.
type applicationCreatedJSON struct {
	ID    string       `json:"id"`
	Stage domain.Stage `json:"stage"`
}

func (s *Server) apply(c *fiber.Ctx) error {
	var req applicationRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	a, err := s.app.Apply(c.UserContext(), app.NewApplication{OpportunityID: req.OpportunityID, Name: req.Name, Email: req.Email,
		Phone: req.Phone, Postcode: req.Postcode, Motivation: req.Motivation, LivedExperience: req.LivedExperience,
		Consent: req.Consent, Website: req.Website})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(applicationCreatedJSON{ID: a.ID, Stage: a.Stage})
}

type withdrawRequest struct {
	Token string `json:"token" validate:"required,max=256"`
}

func (s *Server) withdrawApplication(c *fiber.Ctx) error {
	var req withdrawRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	a, err := s.app.Withdraw(c.UserContext(), req.Token)
	if err != nil {
		return err
	}
	return c.JSON(applicationCreatedJSON{ID: a.ID, Stage: a.Stage})
}

// applicationJSON is an application as staff see it.
type applicationJSON struct {
	ID              string       `json:"id"`
	OpportunityID   string       `json:"opportunity_id"`
	Name            string       `json:"name"`
	Email           string       `json:"email"`
	Phone           string       `json:"phone"`
	Postcode        string       `json:"postcode"`
	Motivation      string       `json:"motivation"`
	LivedExperience []string     `json:"lived_experience"`
	Stage           domain.Stage `json:"stage"`
	StageAt         time.Time    `json:"stage_at"`
	MemberID        *string      `json:"member_id"`
	Erased          bool         `json:"erased"`
	CreatedAt       time.Time    `json:"created_at"`
}

type stageMoveJSON struct {
	From   *domain.Stage `json:"from"`
	To     domain.Stage  `json:"to"`
	ByUser *string       `json:"by_user_id"`
	By     string        `json:"by"`
	Note   string        `json:"note"`
	At     time.Time     `json:"at"`
}

type applicationDetailJSON struct {
	applicationJSON
	Opportunity opportunityJSON `json:"opportunity"`
	History     []stageMoveJSON `json:"history"`
}

func (s *Server) renderApplication(a domain.Application) applicationJSON {
	zone := s.app.Config.TimeZone
	lived := a.LivedExperience
	if lived == nil {
		lived = []string{}
	}
	return applicationJSON{ID: a.ID, OpportunityID: a.OpportunityID, Name: a.Name, Email: a.Email, Phone: a.Phone,
		Postcode: a.Postcode, Motivation: a.Motivation, LivedExperience: lived, Stage: a.Stage, StageAt: a.StageAt.In(zone),
		MemberID: optional(a.MemberID), Erased: a.ErasedAt != nil, CreatedAt: a.CreatedAt.In(zone)}
}

func (s *Server) getApplication(c *fiber.Ctx) error {
	d, err := s.app.Application(c.UserContext(), principal(c), refParam(c, "id"))
	if err != nil {
		return err
	}
	out := applicationDetailJSON{applicationJSON: s.renderApplication(d.Application), Opportunity: s.renderOpportunity(d.Opportunity),
		History: make([]stageMoveJSON, 0, len(d.History))}
	for _, h := range d.History {
		mv := stageMoveJSON{To: h.To, ByUser: optional(h.ByUserID), By: h.ByLabel, Note: h.Note, At: h.At.In(s.app.Config.TimeZone)}
		if h.From != "" {
			from := h.From
			mv.From = &from
		}
		out.History = append(out.History, mv)
	}
	return c.JSON(out)
}

func (s *Server) listApplications(c *fiber.Ctx) error {
	if err := onlyQuery(c, "stage", "opportunity", "limit", "cursor"); err != nil {
		return err
	}
	after, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	list, err := s.app.Applications(c.UserContext(), principal(c), app.ApplicationQuery{Stage: domain.Stage(c.Query("stage")),
		OpportunityID: c.Query("opportunity"), After: after, Limit: limit + 1})
	if err != nil {
		return err
	}
	return c.JSON(newPage(list, limit, func(a domain.Application) string { return a.ID }, s.renderApplication))
}

type stageRequest struct {
	Stage domain.Stage `json:"stage" validate:"required,max=32"`
	Note  string       `json:"note" validate:"max=2000"`
}

// stageMovedJSON answers a stage move; it holds no personal data, since a
// retried request's answer is kept.
type stageMovedJSON struct {
	ID             string       `json:"id"`
	Stage          domain.Stage `json:"stage"`
	MemberID       *string      `json:"member_id"`
	MemberCreated  bool         `json:"member_created"`
	InvitationSent bool         `json:"invitation_sent"`
}

func (s *Server) moveStage(c *fiber.Ctx) error {
	var req stageRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	m, err := s.app.MoveStage(c.UserContext(), principal(c), refParam(c, "id"), req.Stage, req.Note)
	if err != nil {
		return err
	}
	return c.JSON(stageMovedJSON{ID: m.Application.ID, Stage: m.Application.Stage, MemberID: optional(m.MemberID),
		MemberCreated: m.MemberCreated, InvitationSent: m.Invited})
}

// applicationExportJSON is an applicant's subject-access export.
type applicationExportJSON struct {
	ApplicationID string                      `json:"application_id"`
	ExportedAt    time.Time                   `json:"exported_at"`
	Application   map[string]any              `json:"application"`
	Tables        map[string][]map[string]any `json:"tables"`
}

func (s *Server) exportApplication(c *fiber.Ctx) error {
	x, err := s.app.ExportApplication(c.UserContext(), principal(c), refParam(c, "id"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="application-`+x.ApplicationID+`.json"`)
	return c.JSON(applicationExportJSON{ApplicationID: x.ApplicationID, ExportedAt: x.ExportedAt.In(s.app.Config.TimeZone),
		Application: x.Application, Tables: x.Tables})
}

func (s *Server) eraseApplication(c *fiber.Ctx) error {
	e, err := s.app.EraseApplication(c.UserContext(), principal(c), refParam(c, "id"))
	if err != nil {
		return err
	}
	out := erasureJSON{MemberID: e.MemberID, Anonymised: e.Anonymised, Removed: e.Removed, Kept: make([]keptJSON, 0, len(e.Kept))}
	for _, k := range e.Kept {
		out.Kept = append(out.Kept, keptJSON(k))
	}
	return c.JSON(out)
}
