package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

type areaRequest struct {
	Code       string          `json:"code" validate:"max=64"`
	Name       string          `json:"name" validate:"max=400"`
	Kind       domain.AreaKind `json:"kind" validate:"max=32"`
	ParentCode string          `json:"parent_code" validate:"max=64"`
	Lat        *float64        `json:"lat"`
	Lon        *float64        `json:"lon"`
}

type areaJSON struct {
	ID         string          `json:"id"`
	Code       string          `json:"code"`
	Name       string          `json:"name"`
	Kind       domain.AreaKind `json:"kind"`
	ParentCode *string         `json:"parent_code"`
	Lat        *float64        `json:"lat"`
	Lon        *float64        `json:"lon"`
}

func renderArea(a domain.Area) areaJSON {
	out := areaJSON{ID: a.ID, Code: a.Code, Name: a.Name, Kind: a.Kind, Lat: a.Lat, Lon: a.Lon}
	if a.ParentCode != "" {
		pc := a.ParentCode
		out.ParentCode = &pc
	}
	return out
}

func (s *Server) createArea(c *fiber.Ctx) error {
	var req areaRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	a, err := s.app.CreateArea(c.UserContext(), principal(c), app.NewArea{Code: req.Code, Name: req.Name, Kind: req.Kind,
		ParentCode: req.ParentCode, Lat: req.Lat, Lon: req.Lon})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(renderArea(a))
}

func (s *Server) listAreas(c *fiber.Ctx) error {
	after, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	areas, err := s.app.Areas(c.UserContext(), principal(c), after, limit+1)
	if err != nil {
		return err
	}
	return c.JSON(newPage(areas, limit, func(a domain.Area) string { return a.Code }, renderArea))
}

type skillRequest struct {
	Code        string `json:"code" validate:"max=128"`
	Name        string `json:"name" validate:"max=400"`
	ValidMonths *int   `json:"valid_months"`
}

type skillJSON struct {
	ID          string `json:"id"`
	Code        string `json:"code"`
	Name        string `json:"name"`
	ValidMonths *int   `json:"valid_months"`
}

func renderSkill(sk domain.Skill) skillJSON {
	return skillJSON{ID: sk.ID, Code: sk.Code, Name: sk.Name, ValidMonths: sk.ValidMonths}
}

func (s *Server) createSkill(c *fiber.Ctx) error {
	var req skillRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	sk, err := s.app.CreateSkill(c.UserContext(), principal(c), app.NewSkill{Code: req.Code, Name: req.Name, ValidMonths: req.ValidMonths})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(renderSkill(sk))
}

func (s *Server) listSkills(c *fiber.Ctx) error {
	after, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	skills, err := s.app.Skills(c.UserContext(), principal(c), after, limit+1)
	if err != nil {
		return err
	}
	return c.JSON(newPage(skills, limit, func(sk domain.Skill) string { return sk.Code }, renderSkill))
}
