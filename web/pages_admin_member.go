package web

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// One member for an admin: details, skills with an add form, clearances
// with expiry warnings, an add form and suspend / reinstate.

// expiryWarnDays is how far ahead an expiry is flagged.
const expiryWarnDays = 60

type skillRow struct{ Name, Obtained, Expires, Warning string }

type clearanceRow struct {
	ID, Type, Granted, Expires, Status, Warning string
	Expired, Suspended                          bool
}

type adminMemberData struct {
	ID, Name, Email, Phone, Kinds, Area, Status, Travel, MaxHours string
	Suspended                                                     bool
	Skills                                                        []skillRow
	Clearances                                                    []clearanceRow
	SkillOptions, ClearanceTypes                                  []option
	SkillError, TypeError                                         string
	Inputs                                                        map[string]inputField
	Hold                                                          string // the no-show approval hold, in words
}

var adminMemberInputs = []inputField{
	{ID: "obtained_on", Label: "Obtained on", Hint: "For example 2026-01-10", Type: "date"},
	{ID: "skill_expires_on", Label: "Skill lapses on (optional)", Hint: "The first day it no longer counts. Leave empty to use the skill’s usual validity.", Type: "date"},
	{ID: "granted_on", Label: "Granted on", Hint: "For example 2025-06-01", Type: "date"},
	{ID: "clearance_expires_on", Label: "Expires on", Hint: "The first day it no longer counts, for example 2030-06-01", Type: "date"},
}

var skillFields = map[string]pageField{
	"":            {ID: "skill", Label: "Skill"},
	"obtained_on": {ID: "obtained_on", Label: "The date obtained"},
	"expires_on":  {ID: "skill_expires_on", Label: "The expiry date"},
}

var clearanceFields = map[string]pageField{
	"":           {ID: "clearance_type", Label: "Clearance"},
	"type":       {ID: "clearance_type", Label: "The clearance type"},
	"granted_on": {ID: "granted_on", Label: "The date granted"},
	"expires_on": {ID: "clearance_expires_on", Label: "The expiry date"},
}

// expiryWarning says how soon a date comes: "Expired", "Expires today",
// "Expires in 12 days"; "" when it is more than 60 days away.
func expiryWarning(today, expires domain.Date) (string, bool) {
	days := int((expires.Start(time.UTC).Sub(today.Start(time.UTC)) + 12*time.Hour) / (24 * time.Hour))
	switch {
	case days <= 0:
		return "Expired", true
	case days == 1:
		return "Expires tomorrow", false
	case days <= expiryWarnDays:
		return fmt.Sprintf("Expires in %d days", days), false
	}
	return "", false
}

func (s *Server) adminMemberPage(c *fiber.Ctx) error {
	return s.renderAdminMember(c, fiber.StatusOK, pageView{Nav: "admin-members"})
}

func (s *Server) renderAdminMember(c *fiber.Ctx, status int, view pageView) error {
	d, err := s.app.Member(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	skills, err := s.app.Skills(c.UserContext(), principal(c), "", 1000)
	if err != nil {
		return err
	}
	today := domain.DateOf(s.app.Now().In(s.app.Config.TimeZone))
	view.Title = d.Name
	data := adminMemberData{ID: d.ID, Name: d.Name, Email: d.Email, Phone: d.Phone, Kinds: kindWords(d.Kinds), Area: d.HomeAreaCode,
		Status: upperFirst(string(d.Status)), Suspended: d.Status == domain.MemberSuspended,
		Travel: fmt.Sprintf("%g km", d.TravelKm), MaxHours: fmt.Sprintf("%g", d.MaxHoursPerWeek),
		Inputs: fillInputs(view, adminMemberInputs...), SkillError: fieldError(view, "skill"), TypeError: fieldError(view, "clearance_type")}
	for _, ms := range d.Skills {
		row := skillRow{Name: ms.Name, Obtained: dateWords(ms.ObtainedOn), Expires: "Never"}
		if ms.ExpiresOn != nil {
			row.Expires = dateWords(*ms.ExpiresOn)
			row.Warning, _ = expiryWarning(today, *ms.ExpiresOn)
		}
		data.Skills = append(data.Skills, row)
	}
	for _, cl := range d.Clearances {
		row := clearanceRow{ID: cl.ID, Type: clearanceName(cl.Type), Granted: dateWords(cl.GrantedOn), Expires: dateWords(cl.ExpiresOn),
			Status: upperFirst(string(cl.Status)), Suspended: cl.Status == domain.ClearanceSuspended}
		row.Warning, row.Expired = expiryWarning(today, cl.ExpiresOn)
		data.Clearances = append(data.Clearances, row)
	}
	var pairs []string
	for _, k := range skills {
		pairs = append(pairs, k.Code, k.Name)
	}
	data.SkillOptions = options(view.Form["skill"], pairs...)
	data.ClearanceTypes = options(view.Form["clearance_type"], clearanceTypes...)
	data.Hold = s.holdWords(d.Hold, "Their")
	view.Data = data
	return s.render(c, status, "admin_member", view)
}

var clearanceTypes = []string{
	string(domain.NPPV1), "NPPV1", string(domain.NPPV2), "NPPV2", string(domain.NPPV3), "NPPV3",
	string(domain.DBSEnhancedChildren), "Enhanced DBS (children)", string(domain.DBSEnhancedAdults), "Enhanced DBS (adults)",
	string(domain.Conditional), "Conditional (supervised places only)",
}

func clearanceName(t domain.ClearanceType) string {
	for i := 0; i+1 < len(clearanceTypes); i += 2 {
		if clearanceTypes[i] == string(t) {
			return clearanceTypes[i+1]
		}
	}
	return string(t)
}

// postMemberSkill records a skill through the same use case as the API.
func (s *Server) postMemberSkill(c *fiber.Ctx) error {
	view := pageView{Nav: "admin-members", Form: formValues(c, "skill", "obtained_on", "skill_expires_on")}
	if view.Form["skill"] == "" {
		view.Errors = append(view.Errors, domain.FieldError{Field: "skill", Message: "Choose a skill"})
	}
	if view.Form["obtained_on"] == "" {
		view.Errors = append(view.Errors, domain.FieldError{Field: "obtained_on", Message: "Enter the date the skill was obtained"})
	}
	if len(view.Errors) == 0 {
		in := app.SkillHolding{ObtainedOn: view.Form["obtained_on"]}
		if e := view.Form["skill_expires_on"]; e != "" {
			in.ExpiresOn = &e
		}
		ms, err := s.app.PutMemberSkill(c.UserContext(), principal(c), c.Params("id"), view.Form["skill"], in)
		if err == nil {
			s.flash(c, fmt.Sprintf("You recorded %s.", ms.Name))
			return c.Redirect("/admin/members/"+c.Params("id"), fiber.StatusSeeOther)
		}
		// Not found is an unknown skill code; an unknown member is not
		// found again when the page is drawn.
		if domain.ErrorCode(err) == domain.ENotFound {
			view.Errors = []domain.FieldError{{Field: "skill", Message: "Choose a skill from the list"}}
		} else if view.Errors, _ = appFieldErrors(err, skillFields); view.Errors == nil {
			return err
		}
	}
	return s.renderAdminMember(c, fiber.StatusUnprocessableEntity, view)
}

// postClearance records a clearance (admins only, as in the API).
func (s *Server) postClearance(c *fiber.Ctx) error {
	view := pageView{Nav: "admin-members", Form: formValues(c, "clearance_type", "granted_on", "clearance_expires_on")}
	if view.Form["clearance_type"] == "" {
		view.Errors = append(view.Errors, domain.FieldError{Field: "clearance_type", Message: "Choose the clearance type"})
	}
	if view.Form["granted_on"] == "" {
		view.Errors = append(view.Errors, domain.FieldError{Field: "granted_on", Message: "Enter the date the clearance was granted"})
	}
	if view.Form["clearance_expires_on"] == "" {
		view.Errors = append(view.Errors, domain.FieldError{Field: "clearance_expires_on", Message: "Enter the date the clearance expires"})
	}
	if len(view.Errors) == 0 {
		cl, err := s.app.AddClearance(c.UserContext(), principal(c), c.Params("id"), app.NewClearance{Type: domain.ClearanceType(view.Form["clearance_type"]),
			GrantedOn: view.Form["granted_on"], ExpiresOn: view.Form["clearance_expires_on"]})
		if err == nil {
			s.flash(c, fmt.Sprintf("You recorded %s until %s.", clearanceName(cl.Type), dateWords(cl.ExpiresOn)))
			return c.Redirect("/admin/members/"+c.Params("id"), fiber.StatusSeeOther)
		}
		if view.Errors, _ = appFieldErrors(err, clearanceFields); view.Errors == nil {
			return err
		}
	}
	return s.renderAdminMember(c, fiber.StatusUnprocessableEntity, view)
}

// postClearanceStatus suspends or reinstates a clearance.
func (s *Server) postClearanceStatus(c *fiber.Ctx) error {
	status := domain.ClearanceStatus(c.FormValue("status"))
	cl, err := s.app.SetClearanceStatus(c.UserContext(), principal(c), c.Params("id"), c.Params("cid"), status)
	if err != nil {
		return err
	}
	word := "reinstated"
	if cl.Status == domain.ClearanceSuspended {
		word = "suspended"
	}
	s.flash(c, fmt.Sprintf("You %s the %s clearance.", word, clearanceName(cl.Type)))
	return c.Redirect("/admin/members/"+c.Params("id"), fiber.StatusSeeOther)
}

// postMemberStatus suspends or reinstates a member.
func (s *Server) postMemberStatus(c *fiber.Ctx) error {
	status := domain.MemberStatus(c.FormValue("status"))
	if status != domain.MemberActive && status != domain.MemberSuspended {
		return domain.Errorf(domain.EInvalid, "The status must be active or suspended.")
	}
	d, err := s.app.UpdateMember(c.UserContext(), principal(c), c.Params("id"), app.MemberUpdate{Status: &status})
	if err != nil {
		return err
	}
	word := "reinstated"
	if status == domain.MemberSuspended {
		word = "suspended"
	}
	s.flash(c, fmt.Sprintf("You %s %s.", word, d.Name))
	return c.Redirect("/admin/members/"+c.Params("id"), fiber.StatusSeeOther)
}
