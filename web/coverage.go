package web

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

type namedOfficerRequest struct {
	// MemberID null (or left out) clears the named officer.
	MemberID *string `json:"member_id" validate:"omitempty,max=64"`
}

type coverageTargetRequest struct {
	// HoursPerWeek null (or left out) clears the target.
	HoursPerWeek *float64 `json:"hours_per_week"`
}

type memberRefJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type areaCoverageJSON struct {
	Area         string         `json:"area"`
	Name         string         `json:"name"`
	NamedOfficer *memberRefJSON `json:"named_officer"`
	HoursPerWeek *float64       `json:"hours_per_week"`
}

// coverageLineJSON is one neighbourhood's ISO week, as the report writes it.
type coverageLineJSON struct {
	Area               string   `json:"area"`
	AreaName           string   `json:"area_name"`
	Week               string   `json:"week"`
	WeekStart          string   `json:"week_start"`
	NamedOfficerID     *string  `json:"named_officer_id"`
	NamedOfficerName   *string  `json:"named_officer_name"`
	HasNamedOfficer    bool     `json:"has_named_officer"`
	OfficerShifts      int64    `json:"officer_shifts"`
	BankHours          float64  `json:"bank_hours"`
	VolunteerHours     float64  `json:"volunteer_hours"`
	Hours              float64  `json:"hours"`
	TargetHoursPerWeek *float64 `json:"target_hours_per_week"`
	Gaps               []string `json:"gaps"`
}

// coverageColumns are coverageLineJSON's keys, in order.
var coverageColumns = []string{"area", "area_name", "week", "week_start", "named_officer_id", "named_officer_name",
	"has_named_officer", "officer_shifts", "bank_hours", "volunteer_hours", "hours", "target_hours_per_week", "gaps"}

func renderAreaCoverage(c app.CoverageSetting) areaCoverageJSON {
	out := areaCoverageJSON{Area: c.Area.Code, Name: c.Area.Name, HoursPerWeek: c.HoursPerWeek}
	if c.NamedOfficer != nil {
		out.NamedOfficer = &memberRefJSON{ID: c.NamedOfficer.ID, Name: c.NamedOfficer.Name}
	}
	return out
}

func (s *Server) putNamedOfficer(c *fiber.Ctx) error {
	var req namedOfficerRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	id := ""
	if req.MemberID != nil {
		id = *req.MemberID
	}
	set, err := s.app.SetNamedOfficer(c.UserContext(), principal(c), refParam(c, "code"), id)
	if err != nil {
		return err
	}
	return c.JSON(renderAreaCoverage(set))
}

func (s *Server) putCoverageTarget(c *fiber.Ctx) error {
	var req coverageTargetRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	set, err := s.app.SetCoverageTarget(c.UserContext(), principal(c), refParam(c, "code"), req.HoursPerWeek)
	if err != nil {
		return err
	}
	return c.JSON(renderAreaCoverage(set))
}

// coverageReport answers like every report: JSON, or CSV by Accept (gaps
// written as a JSON list in their cell).
func (s *Server) coverageReport(c *fiber.Ctx) error {
	q := app.ReportQuery{Areas: c.Query("areas"), From: c.Query("from"), To: c.Query("to")}
	return s.report(c, func(ctx context.Context, p *domain.Principal, q app.ReportQuery) (app.Report, error) {
		cov, err := s.app.CoverageReport(ctx, p, q)
		if err != nil {
			return app.Report{}, err
		}
		return app.Report{Name: "coverage", Columns: coverageColumns, Rows: func(ctx context.Context, emit func([]any) error) error {
			for _, w := range cov.Rows {
				if err := emit(coverageRow(w)); err != nil {
					return err
				}
			}
			return nil
		}}, nil
	}, q)
}

func coverageRow(w app.CoverageWeek) []any {
	var officerID, officerName, target any
	if w.NamedOfficer != nil {
		officerID, officerName = w.NamedOfficer.ID, w.NamedOfficer.Name
	}
	if w.TargetHours != nil {
		target = *w.TargetHours
	}
	return []any{w.Area.Code, w.Area.Name, w.Week, w.WeekStart.String(), officerID, officerName, w.HasNamedOfficer(),
		int64(w.OfficerShifts), app.HoursOf(w.BankMinutes), app.HoursOf(w.VolunteerMinutes), w.Hours(), target, w.Gaps}
}
