package web

import (
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// The public face of copbank, as JSON: the signposting pages (read by
// anyone, edited by admins) and what is being done in each area. The public
// answers hold nothing about any person, so they may be cached.

// publicMaxAge is how long a browser or a shared cache may keep a public
// answer: short, so that an edit or a finished shift shows soon.
const publicMaxAge = "public, max-age=300"

type publicPageRequest struct {
	Title       string `json:"title" validate:"required,max=120"`
	Body        string `json:"body" validate:"required,max=20000"`
	BaseVersion *int   `json:"base_version" validate:"omitempty,gte=1"`
}

type publicPageJSON struct {
	Slug      string    `json:"slug"`
	Version   int       `json:"version"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	HTML      string    `json:"html"`
	UpdatedAt time.Time `json:"updated_at"`
}

type publicPageVersionJSON struct {
	Version   int       `json:"version"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	CreatedBy *string   `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

func renderPublicPage(pg domain.PublicPage) publicPageJSON {
	return publicPageJSON{Slug: pg.Slug, Version: pg.Version, Title: pg.Title, Body: pg.Body,
		HTML: string(renderMarkdown(pg.Body)), UpdatedAt: pg.CreatedAt}
}

func renderPublicPageVersion(pg domain.PublicPage) publicPageVersionJSON {
	out := publicPageVersionJSON{Version: pg.Version, Title: pg.Title, Body: pg.Body, CreatedAt: pg.CreatedAt}
	if pg.CreatedBy != "" {
		by := pg.CreatedBy
		out.CreatedBy = &by
	}
	return out
}

func (s *Server) getPublicPage(c *fiber.Ctx) error {
	pg, err := s.app.PublicPage(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, publicMaxAge)
	return c.JSON(renderPublicPage(pg))
}

func (s *Server) putPublicPage(c *fiber.Ctx) error {
	var req publicPageRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	in := app.PublicPageInput{Title: req.Title, Body: req.Body}
	if req.BaseVersion != nil {
		in.BaseVersion = *req.BaseVersion
	}
	pg, err := s.app.SavePublicPage(c.UserContext(), principal(c), c.Params("slug"), in)
	if err != nil {
		return err
	}
	return c.JSON(renderPublicPage(pg))
}

func (s *Server) listPublicPageVersions(c *fiber.Ctx) error {
	after, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	before := 0
	if after != "" {
		if before, err = strconv.Atoi(after); err != nil || before < 1 {
			return domain.FieldInvalid("cursor", "is not a cursor this service gave out")
		}
	}
	versions, err := s.app.PublicPageVersions(c.UserContext(), principal(c), c.Params("slug"), before, limit+1)
	if err != nil {
		return err
	}
	return c.JSON(newPage(versions, limit, func(pg domain.PublicPage) string { return strconv.Itoa(pg.Version) }, renderPublicPageVersion))
}

type publicAreaJSON struct {
	Code string          `json:"code"`
	Name string          `json:"name"`
	Kind domain.AreaKind `json:"kind"`
}

// activityRowJSON is one problem type's month. A figure below three is null
// and the row says suppressed.
type activityRowJSON struct {
	ProblemType    domain.ProblemType `json:"problem_type"`
	Shifts         *int               `json:"shifts"`
	VolunteerHours *float64           `json:"volunteer_hours"`
	BankHours      *float64           `json:"bank_hours"`
	Suppressed     bool               `json:"suppressed"`
}

type monthActivityJSON struct {
	Month   string            `json:"month"`   // YYYY-MM
	Current bool              `json:"current"` // the month now running: what has happened so far
	Rows    []activityRowJSON `json:"rows"`
}

type areaActivityJSON struct {
	Area            publicAreaJSON      `json:"area"`
	IncludesBelow   bool                `json:"includes_areas_below"`
	SuppressedBelow int                 `json:"suppressed_below"`
	Months          []monthActivityJSON `json:"months"`
}

func renderAreaActivity(act domain.AreaActivity) areaActivityJSON {
	out := areaActivityJSON{Area: publicAreaJSON{Code: act.Area.Code, Name: act.Area.Name, Kind: act.Area.Kind},
		IncludesBelow: true, SuppressedBelow: domain.ActivitySuppressBelow, Months: []monthActivityJSON{}}
	for _, m := range act.Months {
		mj := monthActivityJSON{Month: fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)), Current: m.Current, Rows: []activityRowJSON{}}
		for _, r := range m.Rows {
			mj.Rows = append(mj.Rows, activityRowJSON{ProblemType: r.ProblemType, Shifts: r.Shifts, VolunteerHours: r.VolunteerHours,
				BankHours: r.BankHours, Suppressed: r.Suppressed})
		}
		out.Months = append(out.Months, mj)
	}
	return out
}

func (s *Server) getAreaActivity(c *fiber.Ctx) error {
	act, err := s.app.AreaActivity(c.UserContext(), c.Params("code"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, publicMaxAge)
	return c.JSON(renderAreaActivity(act))
}
