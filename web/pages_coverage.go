package web

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

type coverageData struct {
	Area, From, To inputField
	Period         string
	Weeks          int
	Chart          template.HTML
	Areas          []coverageAreaView
}

type coverageAreaView struct {
	Code, Name, Officer, Target string
	Covered                     int
	Rows                        []coverageWeekView
}

type coverageWeekView struct {
	Week, WeekStart, OfficerOnShift string
	BankHours, VolunteerHours       string
	Gaps                            []string
}

var gapWords = map[string]string{
	domain.GapNoNamedOfficer: "No named officer",
	domain.GapNoOfficerShift: "Named officer on no shift",
	domain.GapBelowTarget:    "Below target",
}

// coveragePage is the coverage board: for each neighbourhood in scope, week
// by week, whether its named officer was on a shift there and its hours
// against the target, with the gaps; a chart of weeks covered, whose
// figures the tables repeat.
func (s *Server) coveragePage(c *fiber.Ctx) error {
	ctx, p := c.UserContext(), principal(c)
	areas, err := s.app.CoordinatedAreas(ctx, p)
	if err != nil {
		return err
	}
	code := c.Query("area")
	opts := []choice{{Value: "", Label: "All my areas"}}
	for _, a := range areas {
		opts = append(opts, choice{Value: a.Code, Label: a.Name + " (" + a.Code + ")"})
	}
	data := coverageData{
		Area: selectField("area", "Area", "Each area includes every neighbourhood below it", code, opts),
		From: inputField{ID: "from", Name: "from", Label: "From", Hint: "A date, for example 2027-01-04; the board starts on its week's Monday", Value: c.Query("from"), Type: "date"},
		To:   inputField{ID: "to", Name: "to", Label: "To", Hint: "The last day to include; the board ends on its week's Sunday", Value: c.Query("to"), Type: "date"},
	}
	view := pageView{Title: "Neighbourhood coverage", Nav: "coverage", Data: &data}
	cov, err := s.app.CoverageReport(ctx, p, app.ReportQuery{Areas: code, From: data.From.Value, To: data.To.Value})
	if err != nil {
		fields, ok := invalidFields(err)
		if !ok {
			return err
		}
		for _, f := range fields {
			target := map[string]*inputField{"areas": &data.Area, "from": &data.From, "to": &data.To}[f.Field]
			if target == nil {
				target = &data.Area
			}
			target.Error = ledBy(target.Label, f.Message)
			view.Errors = append(view.Errors, domain.FieldError{Field: target.ID, Message: target.Error})
		}
		return s.render(c, fiber.StatusUnprocessableEntity, "coord_coverage", view)
	}
	data.Period = fmt.Sprintf("%s to %s", cov.From, cov.To)
	data.Weeks = len(cov.Weeks)
	for _, w := range cov.Rows {
		if n := len(data.Areas); n == 0 || data.Areas[n-1].Code != w.Area.Code {
			av := coverageAreaView{Code: w.Area.Code, Name: w.Area.Name, Officer: "none named", Target: "none set"}
			if w.NamedOfficer != nil {
				av.Officer = w.NamedOfficer.Name
			}
			if w.TargetHours != nil {
				av.Target = fmt.Sprintf("%g hours a week", *w.TargetHours)
			}
			data.Areas = append(data.Areas, av)
		}
		av := &data.Areas[len(data.Areas)-1]
		row := coverageWeekView{Week: w.Week, WeekStart: w.WeekStart.String(), OfficerOnShift: "No",
			BankHours: fmt.Sprintf("%g", app.HoursOf(w.BankMinutes)), VolunteerHours: fmt.Sprintf("%g", app.HoursOf(w.VolunteerMinutes))}
		if w.HasNamedOfficer() {
			row.OfficerOnShift = fmt.Sprintf("Yes (%d)", w.OfficerShifts)
		}
		for _, g := range w.Gaps {
			row.Gaps = append(row.Gaps, gapWords[g])
		}
		if len(w.Gaps) == 0 {
			av.Covered++
		}
		av.Rows = append(av.Rows, row)
	}
	if len(data.Areas) > 0 {
		data.Chart = coverageChart(data.Areas, data.Weeks)
	}
	return s.render(c, fiber.StatusOK, "coord_coverage", view)
}

// coverageChart draws, per neighbourhood, the weeks with no gap out of the
// weeks shown.
func coverageChart(areas []coverageAreaView, weeks int) template.HTML {
	covered := series{Name: "Weeks with no gap", Class: "bar"}
	labels := make([]string, len(areas))
	desc := make([]string, len(areas))
	for i, a := range areas {
		labels[i] = a.Name
		covered.Values = append(covered.Values, float64(a.Covered))
		desc[i] = fmt.Sprintf("%s: %d of %d weeks", a.Name, a.Covered, weeks)
	}
	return chart{ID: "coverage-chart", Title: "Weeks with no gap, by neighbourhood", Desc: strings.Join(desc, "; "),
		Labels: labels, Series: []series{covered}, Max: float64(weeks),
		Format: func(v float64) string { return fmt.Sprintf("%g of %d weeks", v, weeks) }}.Bars()
}
