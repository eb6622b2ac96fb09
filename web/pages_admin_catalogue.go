package web

import (
	"fmt"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// The admin's skill catalogue and area tree: each a list and an add form.

type skillCatalogueRow struct{ Code, Name, Validity string }

type adminSkillsData struct {
	Skills []skillCatalogueRow
	Inputs map[string]inputField
}

var skillInputs = []inputField{
	{ID: "code", Label: "Code", Hint: "Lower-case letters, digits and _ . : -, for example first_aid, lang:pl or lived:addiction", Autocomplete: "off"},
	{ID: "name", Label: "Name", Hint: "As members and coordinators will read it, for example First aid"},
	{ID: "valid_months", Label: "Valid for, in months (optional)", Hint: "Leave empty for a skill that never expires. Lived experience never expires.", InputMode: "numeric"},
}

var skillCatalogueFields = map[string]pageField{
	"":             {ID: "code", Label: "Skill"},
	"code":         {ID: "code", Label: "The code"},
	"name":         {ID: "name", Label: "The name"},
	"valid_months": {ID: "valid_months", Label: "The validity"},
}

func (s *Server) adminSkillsPage(c *fiber.Ctx) error {
	return s.renderAdminSkills(c, fiber.StatusOK, pageView{Title: "Skills", Nav: "admin-skills"})
}

func (s *Server) renderAdminSkills(c *fiber.Ctx, status int, view pageView) error {
	skills, err := s.app.Skills(c.UserContext(), principal(c), "", 1000)
	if err != nil {
		return err
	}
	data := adminSkillsData{Inputs: fillInputs(view, skillInputs...)}
	for _, k := range skills {
		row := skillCatalogueRow{Code: k.Code, Name: k.Name, Validity: "Never expires"}
		if k.ValidMonths != nil {
			row.Validity = fmt.Sprintf("%d months", *k.ValidMonths)
		}
		data.Skills = append(data.Skills, row)
	}
	view.Data = data
	return s.render(c, status, "admin_skills", view)
}

func (s *Server) postSkill(c *fiber.Ctx) error {
	view := pageView{Title: "Skills", Nav: "admin-skills", Form: formValues(c, "code", "name", "valid_months")}
	if view.Form["code"] == "" {
		view.Errors = append(view.Errors, domain.FieldError{Field: "code", Message: "Enter a code for the skill"})
	}
	if view.Form["name"] == "" {
		view.Errors = append(view.Errors, domain.FieldError{Field: "name", Message: "Enter a name for the skill"})
	}
	months := optionalInt(&view, "valid_months", "Enter the validity as a whole number of months, for example 36, or leave it empty")
	if len(view.Errors) == 0 {
		k, err := s.app.CreateSkill(c.UserContext(), principal(c), app.NewSkill{Code: view.Form["code"], Name: view.Form["name"], ValidMonths: months})
		if err == nil {
			s.flash(c, fmt.Sprintf("You added the skill %s (%s).", k.Name, k.Code))
			return c.Redirect("/admin/skills", fiber.StatusSeeOther)
		}
		if domain.ErrorCode(err) == domain.EConflict {
			view.Errors = []domain.FieldError{{Field: "code", Message: "A skill with this code already exists"}}
		} else if view.Errors, _ = appFieldErrors(err, skillCatalogueFields); view.Errors == nil {
			return err
		}
	}
	return s.renderAdminSkills(c, fiber.StatusUnprocessableEntity, view)
}

// areaNode is an area with the areas under it, for the nested list.
type areaNode struct {
	Code, Name, Kind string
	Children         []*areaNode
}

type adminAreasData struct {
	Tree          []*areaNode
	Inputs        map[string]inputField
	Kinds         []option
	Parents       []option
	KindError     string
	ParentError   string
	ParentChoices bool
}

var areaInputs = []inputField{
	{ID: "code", Label: "Code", Hint: "Capital letters, digits and hyphens, for example DARL-N1", Autocomplete: "off"},
	{ID: "name", Label: "Name", Hint: "For example Darlington North"},
	{ID: "lat", Label: "Latitude of its centre (optional)", Hint: "Decimal degrees, for example 54.523. Give both latitude and longitude, or neither.", InputMode: "decimal"},
	{ID: "lon", Label: "Longitude of its centre (optional)", Hint: "Decimal degrees, for example -1.559", InputMode: "decimal"},
}

var areaFields = map[string]pageField{
	"":            {ID: "code", Label: "Area"},
	"code":        {ID: "code", Label: "The code"},
	"name":        {ID: "name", Label: "The name"},
	"kind":        {ID: "kind", Label: "The level"},
	"parent_code": {ID: "parent_code", Label: "The parent area"},
	"lat":         {ID: "lat", Label: "The latitude"},
	"lon":         {ID: "lon", Label: "The longitude"},
}

var areaKinds = []string{string(domain.AreaForce), "Force", string(domain.AreaLocalAuthority), "Local authority",
	string(domain.AreaHub), "Hub", string(domain.AreaNeighbourhood), "Neighbourhood"}

func areaKindName(k domain.AreaKind) string {
	for i := 0; i+1 < len(areaKinds); i += 2 {
		if areaKinds[i] == string(k) {
			return areaKinds[i+1]
		}
	}
	return string(k)
}

// areaTree nests the areas under their parents, each level by name.
func areaTree(areas []domain.Area) []*areaNode {
	nodes := make(map[string]*areaNode, len(areas))
	for _, a := range areas {
		nodes[a.ID] = &areaNode{Code: a.Code, Name: a.Name, Kind: areaKindName(a.Kind)}
	}
	var roots []*areaNode
	for _, a := range areas {
		if p, ok := nodes[a.ParentID]; ok && a.ParentID != "" {
			p.Children = append(p.Children, nodes[a.ID])
		} else {
			roots = append(roots, nodes[a.ID])
		}
	}
	var byName func([]*areaNode)
	byName = func(ns []*areaNode) {
		sort.SliceStable(ns, func(i, j int) bool { return strings.ToLower(ns[i].Name) < strings.ToLower(ns[j].Name) })
		for _, n := range ns {
			byName(n.Children)
		}
	}
	byName(roots)
	return roots
}

func (s *Server) adminAreasPage(c *fiber.Ctx) error {
	return s.renderAdminAreas(c, fiber.StatusOK, pageView{Title: "Areas", Nav: "admin-areas"})
}

func (s *Server) renderAdminAreas(c *fiber.Ctx, status int, view pageView) error {
	areas, err := s.app.Areas(c.UserContext(), principal(c), "", 5000)
	if err != nil {
		return err
	}
	data := adminAreasData{Tree: areaTree(areas), Inputs: fillInputs(view, areaInputs...), Kinds: options(view.Form["kind"], areaKinds...),
		KindError: fieldError(view, "kind"), ParentError: fieldError(view, "parent_code")}
	var pairs []string
	for _, a := range areas {
		if a.Kind != domain.AreaNeighbourhood {
			pairs = append(pairs, a.Code, a.Name+" ("+a.Code+")")
		}
	}
	data.Parents = options(view.Form["parent_code"], pairs...)
	view.Data = data
	return s.render(c, status, "admin_areas", view)
}

func (s *Server) postArea(c *fiber.Ctx) error {
	view := pageView{Title: "Areas", Nav: "admin-areas", Form: formValues(c, "code", "name", "kind", "parent_code", "lat", "lon")}
	view.Form["code"] = strings.ToUpper(view.Form["code"])
	if view.Form["code"] == "" {
		view.Errors = append(view.Errors, domain.FieldError{Field: "code", Message: "Enter a code for the area"})
	}
	if view.Form["name"] == "" {
		view.Errors = append(view.Errors, domain.FieldError{Field: "name", Message: "Enter a name for the area"})
	}
	if view.Form["kind"] == "" {
		view.Errors = append(view.Errors, domain.FieldError{Field: "kind", Message: "Choose the level of the area"})
	}
	in := app.NewArea{Code: view.Form["code"], Name: view.Form["name"], Kind: domain.AreaKind(view.Form["kind"]), ParentCode: view.Form["parent_code"]}
	in.Lat = optionalFloat(&view, "lat", "Enter the latitude as a number, for example 54.523")
	in.Lon = optionalFloat(&view, "lon", "Enter the longitude as a number, for example -1.559")
	if len(view.Errors) == 0 {
		a, err := s.app.CreateArea(c.UserContext(), principal(c), in)
		if err == nil {
			s.flash(c, fmt.Sprintf("You added the area %s (%s).", a.Name, a.Code))
			return c.Redirect("/admin/areas", fiber.StatusSeeOther)
		}
		if domain.ErrorCode(err) == domain.EConflict {
			view.Errors = []domain.FieldError{{Field: "code", Message: "An area with this code already exists"}}
		} else if view.Errors, _ = appFieldErrors(err, areaFields); view.Errors == nil {
			return err
		}
	}
	return s.renderAdminAreas(c, fiber.StatusUnprocessableEntity, view)
}
