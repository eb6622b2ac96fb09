package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// The VET Agency's recruitment pages: the public opportunity list, an
// opportunity and its application form (no sign-in, no JavaScript), the
// withdraw link's page, and the coordinator's pipeline board. They call the
// same use cases as the API.

// withdrawPagePrefix leads the withdraw link's page, whose path holds the
// link's secret: the access log shows the prefix alone.
const withdrawPagePrefix = "/applications/withdraw/"

var kindLabels = []string{"volunteer", "Volunteer", "bank_officer", "Bank officer", "mentor", "Lived-experience mentor"}

func kindLabel(k domain.Kind) string {
	for i := 0; i+1 < len(kindLabels); i += 2 {
		if kindLabels[i] == string(k) {
			return kindLabels[i+1]
		}
	}
	return string(k)
}

type opportunityCard struct {
	ID, Title, Kind, Area, Commitment, Status, Description, MinVetting string
	SkillsGained                                                       []string
	Open                                                               bool
}

// opportunityCardOf shows o with its area by name ("Durham City"), which
// means something to the public where the code does not.
func opportunityCardOf(o domain.Opportunity, areaNames map[string]string) opportunityCard {
	area := o.AreaCode
	if name := areaNames[o.AreaCode]; name != "" {
		area = name
	}
	return opportunityCard{ID: o.ID, Title: o.Title, Kind: kindLabel(o.Kind), Area: area, Commitment: o.Commitment,
		Status: string(o.Status), Description: o.Description, MinVetting: string(o.MinVetting), SkillsGained: o.SkillsGained,
		Open: o.Status == domain.OpportunityOpen}
}

// areaNames maps area codes to names; without them (a failed read) the
// pages fall back to codes.
func (s *Server) areaNames(c *fiber.Ctx) map[string]string {
	areas, err := s.app.PublicAreas(c.UserContext())
	if err != nil {
		return nil
	}
	names := make(map[string]string, len(areas))
	for _, a := range areas {
		names[a.Code] = a.Name
	}
	return names
}

type opportunitiesData struct {
	AreaField, KindField inputField
	Items                []opportunityCard
	Next                 string
}

func (s *Server) opportunitiesPage(c *fiber.Ctx) error {
	view := pageView{Title: "Volunteer with us", Nav: "opportunities", Form: map[string]string{"area": c.Query("area"), "kind": c.Query("kind")}}
	areas, err := s.app.PublicAreas(c.UserContext())
	if err != nil {
		return err
	}
	areaChoices := []choice{{Value: "", Label: "Anywhere"}}
	names := make(map[string]string, len(areas))
	for _, a := range areas {
		areaChoices = append(areaChoices, choice{Value: a.Code, Label: a.Name})
		names[a.Code] = a.Name
	}
	kindChoices := []choice{{Value: "", Label: "Any role"}}
	for i := 0; i+1 < len(kindLabels); i += 2 {
		kindChoices = append(kindChoices, choice{Value: kindLabels[i], Label: kindLabels[i+1]})
	}
	data := opportunitiesData{
		AreaField: selectField("area", "Where", "Includes every neighbourhood in the area", view.Form["area"], areaChoices),
		KindField: selectField("kind", "Kind of role", "", view.Form["kind"], kindChoices),
	}
	list, err := s.app.Opportunities(c.UserContext(), principal(c), app.OpportunityQuery{Area: view.Form["area"],
		Kind: domain.Kind(view.Form["kind"]), After: cursorValue(c), Limit: defaultPageSize + 1})
	if fields, ok := invalidFields(err); ok {
		view.Errors = fields
		data.AreaField.Error = fieldError(view, "area")
		data.KindField.Error = fieldError(view, "kind")
		view.Data = data
		return s.render(c, http.StatusUnprocessableEntity, "vet_opportunities", view)
	}
	if err != nil {
		return err
	}
	for i, o := range list {
		if i == defaultPageSize {
			q := url.Values{"area": {view.Form["area"]}, "kind": {view.Form["kind"]}, "cursor": {encodeCursor(list[i-1].ID)}}
			data.Next = "/opportunities?" + q.Encode()
			break
		}
		data.Items = append(data.Items, opportunityCardOf(o, names))
	}
	view.Data = data
	return s.renderPublic(c, "vet_opportunities", view)
}

func (s *Server) opportunityPage(c *fiber.Ctx) error {
	o, err := s.app.Opportunity(c.UserContext(), principal(c), refParam(c, "id"))
	if err != nil {
		return err
	}
	return s.renderPublic(c, "vet_opportunity", pageView{Title: o.Title, Nav: "opportunities", Data: opportunityCardOf(o, s.areaNames(c))})
}

func (s *Server) applicantPrivacyPage(c *fiber.Ctx) error {
	return s.renderPublic(c, "vet_privacy", pageView{Title: "How we use your application", Nav: "opportunities"})
}

// applyFields maps the app's field names to the form's inputs.
var applyFields = map[string]pageField{
	"":                 {ID: "name"},
	"opportunity_id":   {ID: "name", Label: "This opportunity"},
	"name":             {ID: "name", Label: "Full name"},
	"email":            {ID: "email", Label: "Email address"},
	"phone":            {ID: "phone", Label: "Phone number"},
	"postcode":         {ID: "postcode", Label: "Postcode"},
	"motivation":       {ID: "motivation", Label: "Why you want to join"},
	"lived_experience": {ID: "lived_experience", Label: "Lived experience"},
	"consent":          {ID: "consent", Label: "Your agreement"},
}

var applyOrder = []string{"name", "email", "phone", "postcode", "motivation", "lived_experience", "consent"}

type applyData struct {
	Opportunity opportunityCard
	Inputs      map[string]inputField
	Lived       choiceGroup
	Consent     bool
	ConsentErr  string
}

func (s *Server) renderApply(c *fiber.Ctx, status int, o domain.Opportunity, view pageView, lived []string) error {
	skills, err := s.app.LivedSkills(c.UserContext())
	if err != nil {
		return err
	}
	var opts []choice
	for _, sk := range skills {
		opts = append(opts, choice{Value: sk.Code, Label: sk.Name})
	}
	view.Title, view.Nav = "Apply: "+o.Title, "opportunities"
	view.Data = applyData{Opportunity: opportunityCardOf(o, s.areaNames(c)),
		Inputs: fillInputs(view,
			inputField{ID: "name", Label: "Full name", Autocomplete: "name"},
			inputField{ID: "email", Label: "Email address", Type: "email", Autocomplete: "email", Hint: "We will send your acknowledgement here"},
			inputField{ID: "phone", Label: "Phone number", Type: "tel", Autocomplete: "tel"},
			inputField{ID: "postcode", Label: "Postcode", Autocomplete: "postal-code", Class: "input-short"},
			inputField{ID: "motivation", Label: "Why you want to join", Type: "textarea", Hint: "A few sentences is plenty"},
		),
		Lived: func() choiceGroup {
			g := newGroup("lived_experience", "Lived experience (optional)",
				"If you have lived experience that could help others, you may tell us. It is kept private to the team.", "checkbox", opts, lived)
			g.Error = fieldError(view, "lived_experience")
			return g
		}(),
		Consent: view.Form["consent"] != "", ConsentErr: fieldError(view, "consent")}
	return s.render(c, status, "vet_apply", view)
}

func (s *Server) applyPage(c *fiber.Ctx) error {
	o, err := s.app.Opportunity(c.UserContext(), principal(c), refParam(c, "id"))
	if err != nil {
		return err
	}
	return s.renderApply(c, http.StatusOK, o, pageView{}, nil)
}

func (s *Server) postApply(c *fiber.Ctx) error {
	o, err := s.app.Opportunity(c.UserContext(), principal(c), refParam(c, "id"))
	if err != nil {
		return err
	}
	view := pageView{Form: formValues(c, "name", "email", "phone", "postcode", "motivation", "consent", "website")}
	var lived []string
	for _, v := range c.Request().PostArgs().PeekMulti("lived_experience") {
		if code := string(v); !slices.Contains(lived, code) {
			lived = append(lived, code)
		}
	}
	errs := formErrors{}
	for id, msg := range map[string]string{"name": "Enter your full name", "email": "Enter your email address",
		"phone": "Enter your phone number", "postcode": "Enter your postcode", "motivation": "Tell us why you want to join"} {
		if view.Form[id] == "" {
			errs.add(id, msg)
		}
	}
	if view.Form["consent"] == "" {
		errs.add("consent", "Tick the box to agree that we may hold your details to handle your application")
	}
	if len(errs) == 0 {
		_, err := s.app.Apply(c.UserContext(), app.NewApplication{OpportunityID: o.ID, Name: view.Form["name"], Email: view.Form["email"],
			Phone: view.Form["phone"], Postcode: view.Form["postcode"], Motivation: view.Form["motivation"], LivedExperience: lived,
			Consent: true, Website: view.Form["website"]})
		if err == nil {
			return c.Redirect("/opportunities/"+o.ID+"/applied", fiber.StatusSeeOther)
		}
		if domain.ErrorCode(err) == domain.ETooMany {
			view.Errors = []domain.FieldError{{Field: "name", Message: "We have had too many applications from your connection in the last minute. Wait a minute, then send it again."}}
			c.Set(fiber.HeaderRetryAfter, "60")
			return s.renderApply(c, http.StatusTooManyRequests, o, view, lived)
		}
		fields, ok := appFieldErrors(err, applyFields)
		if !ok {
			return err
		}
		view.Errors = fields
		return s.renderApply(c, http.StatusUnprocessableEntity, o, view, lived)
	}
	view.Errors = errs.summary(applyOrder)
	return s.renderApply(c, http.StatusUnprocessableEntity, o, view, lived)
}

func (s *Server) appliedPage(c *fiber.Ctx) error {
	o, err := s.app.Opportunity(c.UserContext(), principal(c), refParam(c, "id"))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "vet_applied", pageView{Title: "Application sent", Nav: "opportunities", Data: opportunityCardOf(o, s.areaNames(c))})
}

type withdrawData struct {
	Token string
	Done  bool
}

func (s *Server) withdrawPage(c *fiber.Ctx) error {
	// Showing the page spends nothing: mail scanners open links.
	return s.render(c, http.StatusOK, "vet_withdraw", pageView{Title: "Withdraw your application", Data: withdrawData{Token: c.Params("token")}})
}

func (s *Server) postWithdraw(c *fiber.Ctx) error {
	if _, err := s.app.Withdraw(c.UserContext(), c.Params("token")); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "vet_withdraw", pageView{Title: "Application withdrawn", Data: withdrawData{Done: true}})
}

type pipelineCard struct {
	ID, Name, Opportunity, Since, Postcode string
	Moves                                  []choice
}

type pipelineColumn struct {
	stage     domain.Stage
	ID, Label string
	Count     int
	Cards     []pipelineCard
}

type pipelineData struct {
	Columns []pipelineColumn
	Ended   []pipelineColumn
}

func (s *Server) renderPipeline(c *fiber.Ctx, status int, view pageView) error {
	p := principal(c)
	apps, err := s.app.Applications(c.UserContext(), p, app.ApplicationQuery{Limit: 2000})
	if err != nil {
		return err
	}
	opps, err := s.app.Opportunities(c.UserContext(), p, app.OpportunityQuery{Limit: 2000})
	if err != nil {
		return err
	}
	titles := map[string]string{}
	for _, o := range opps {
		titles[o.ID] = o.Title
	}
	// Oldest waiting first: the one longest at its stage heads its column.
	sort.SliceStable(apps, func(i, j int) bool { return apps[i].StageAt.Before(apps[j].StageAt) })
	zone := s.app.Config.TimeZone
	var data pipelineData
	for _, st := range domain.Stages() {
		col := pipelineColumn{stage: st, ID: "stage-" + string(st), Label: upperFirst(string(st))}
		if st.Ended() {
			data.Ended = append(data.Ended, col)
		} else {
			data.Columns = append(data.Columns, col)
		}
	}
	// Pointers are taken once both lists are complete, so no append moves them.
	byStage := map[domain.Stage]*pipelineColumn{}
	for i := range data.Columns {
		byStage[data.Columns[i].stage] = &data.Columns[i]
	}
	for i := range data.Ended {
		byStage[data.Ended[i].stage] = &data.Ended[i]
	}
	for _, a := range apps {
		col := byStage[a.Stage]
		if col == nil {
			continue
		}
		col.Count++
		if a.Stage.Ended() {
			continue
		}
		next, _ := domain.NextStage(a.Stage)
		col.Cards = append(col.Cards, pipelineCard{ID: a.ID, Name: a.Name, Opportunity: titles[a.OpportunityID],
			Since: a.StageAt.In(zone).Format("2 Jan 2006"), Postcode: a.Postcode,
			Moves: []choice{{Value: string(next), Label: "Move on to " + string(next)}, {Value: string(domain.StageRejected), Label: "Reject"}}})
	}
	view.Title, view.Nav, view.Data = "Recruitment pipeline", "pipeline", data
	return s.render(c, status, "vet_pipeline", view)
}

func (s *Server) pipelinePage(c *fiber.Ctx) error {
	return s.renderPipeline(c, http.StatusOK, pageView{})
}

func (s *Server) postPipelineStage(c *fiber.Ctx) error {
	id := c.Params("id")
	stage, note := strings.TrimSpace(c.FormValue("stage")), strings.TrimSpace(c.FormValue("note"))
	moved, err := s.app.MoveStage(c.UserContext(), principal(c), id, domain.Stage(stage), note)
	switch domain.ErrorCode(err) {
	case "":
		msg := fmt.Sprintf("%s moved to %s.", moved.Application.Name, moved.Application.Stage)
		if moved.MemberID != "" {
			msg += " They are now a member"
			if moved.Invited {
				msg += " and have been invited to set a password"
			}
			msg += "."
		}
		s.flash(c, msg)
		return c.Redirect("/coord/applications", fiber.StatusSeeOther)
	case domain.EStageRefused, domain.EInvalid, domain.EConflict:
		view := pageView{Errors: []domain.FieldError{{Field: "move-" + id, Message: upperFirst(domain.ErrorMessage(err))}}}
		return s.renderPipeline(c, http.StatusConflict, view)
	}
	return err
}
