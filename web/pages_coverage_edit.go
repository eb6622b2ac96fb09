package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/domain"
)

type coverageEditData struct {
	Code, Name     string
	Officer, Hours inputField
}

func coverageInputs(email, hours string) (inputField, inputField) {
	return inputField{ID: "officer_email", Name: "officer_email", Label: "Named officer or PCSO",
			Hint: "The email of a member in your areas. Leave empty when nobody is named.", Value: email, Type: "email", Autocomplete: "off"},
		inputField{ID: "hours_per_week", Name: "hours_per_week", Label: "Target hours a week",
			Hint: "Bank and volunteer hours together, from 0 to 168. Leave empty for no target.", Value: hours, Type: "text", InputMode: "decimal"}
}

// coverageEditPage shows the form that names a neighbourhood's officer and
// sets its target.
func (s *Server) coverageEditPage(c *fiber.Ctx) error {
	set, err := s.app.AreaCoverage(c.UserContext(), principal(c), refParam(c, "code"))
	if err != nil {
		return err
	}
	email, hours := "", ""
	if set.NamedOfficer != nil {
		email = set.NamedOfficer.Email
	}
	if set.HoursPerWeek != nil {
		hours = strconv.FormatFloat(*set.HoursPerWeek, 'f', -1, 64)
	}
	data := coverageEditData{Code: set.Area.Code, Name: set.Area.Name}
	data.Officer, data.Hours = coverageInputs(email, hours)
	return s.render(c, fiber.StatusOK, "coord_coverage_edit", pageView{Title: "Coverage of " + set.Area.Name, Nav: "coverage", Data: &data})
}

// postCoverageEdit saves both: the named officer, then the target, each
// audited as the API's are.
func (s *Server) postCoverageEdit(c *fiber.Ctx) error {
	ctx, p := c.UserContext(), principal(c)
	set, err := s.app.AreaCoverage(ctx, p, refParam(c, "code"))
	if err != nil {
		return err
	}
	email, hoursText := strings.TrimSpace(c.FormValue("officer_email")), strings.TrimSpace(c.FormValue("hours_per_week"))
	data := coverageEditData{Code: set.Area.Code, Name: set.Area.Name}
	data.Officer, data.Hours = coverageInputs(email, hoursText)
	view := pageView{Title: "Coverage of " + set.Area.Name, Nav: "coverage", Data: &data}
	officerID := ""
	if email != "" {
		m, err := s.app.MemberByEmail(ctx, p, email)
		switch {
		case domain.ErrorCode(err) == domain.ENotFound:
			data.Officer.Error = "Named officer or PCSO: no member in your areas has this email"
		case err != nil:
			return err
		default:
			officerID = m.ID
		}
	}
	var hours *float64
	if hoursText != "" {
		h, err := strconv.ParseFloat(hoursText, 64)
		if err != nil || math.IsNaN(h) || h < 0 || h > 168 {
			data.Hours.Error = "Target hours a week: must be a number from 0 to 168, such as 6 or 7.5"
		}
		hours = &h
	}
	for _, f := range []inputField{data.Officer, data.Hours} {
		if f.Error != "" {
			view.Errors = append(view.Errors, domain.FieldError{Field: f.ID, Message: f.Error})
		}
	}
	if len(view.Errors) > 0 {
		return s.render(c, fiber.StatusUnprocessableEntity, "coord_coverage_edit", view)
	}
	if _, err := s.app.SetNamedOfficer(ctx, p, set.Area.Code, officerID); err != nil {
		return err
	}
	if _, err := s.app.SetCoverageTarget(ctx, p, set.Area.Code, hours); err != nil {
		return err
	}
	s.flash(c, fmt.Sprintf("Saved the named officer and target of %s.", set.Area.Name))
	return c.Redirect("/coord/coverage#cov-"+set.Area.Code, fiber.StatusSeeOther)
}
