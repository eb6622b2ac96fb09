package web

import (
	"bytes"
	"fmt"
	"html/template"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// The public pages: the home page for visitors, the signposting pages and
// what is being done in each area, all readable without signing in; and the
// admin's editor for the signposting pages.

// renderPublic writes a page anyone may read. A visitor who is not signed in
// gets the same page as every other visitor — no session, no form token, no
// cookie — so it may be cached; a signed-in user gets it the usual way.
func (s *Server) renderPublic(c *fiber.Ctx, name string, v pageView) error {
	if principal(c) != nil {
		return s.render(c, fiber.StatusOK, name, v)
	}
	t, ok := s.pages[name]
	if !ok {
		return fmt.Errorf("no page template %q", name)
	}
	v.FieldErrors, v.Form = map[string]string{}, map[string]string{}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return err
	}
	// An answer that ends a stale session carries a cookie: never share it.
	shared := true
	c.Response().Header.VisitAllCookie(func(_, _ []byte) { shared = false })
	if shared {
		c.Set(fiber.HeaderCacheControl, publicMaxAge)
	}
	c.Set(fiber.HeaderVary, "Cookie")
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(fiber.StatusOK).Send(buf.Bytes())
}

// publicHomePage is what a visitor who is not signed in sees at /.
func (s *Server) publicHomePage(c *fiber.Ctx) error {
	return s.renderPublic(c, "public_home", pageView{Title: "Safer neighbourhoods", Nav: "home"})
}

type signpostData struct {
	Slug  string
	Body  template.HTML
	Links []signpostLink
}

type signpostLink struct {
	Href, Title string
	Current     bool
}

// signpostLinks lists the signposting pages with their current titles.
func (s *Server) signpostLinks(c *fiber.Ctx, current string) ([]signpostLink, error) {
	var out []signpostLink
	for _, slug := range domain.PublicPageSlugs {
		pg, err := s.app.PublicPage(c.UserContext(), slug)
		if err != nil {
			return nil, err
		}
		out = append(out, signpostLink{Href: "/help/" + slug, Title: pg.Title, Current: slug == current})
	}
	return out, nil
}

func (s *Server) publicSignpostPage(c *fiber.Ctx) error {
	slug := c.Params("slug")
	pg, err := s.app.PublicPage(c.UserContext(), slug)
	if err != nil {
		return err
	}
	links, err := s.signpostLinks(c, slug)
	if err != nil {
		return err
	}
	return s.renderPublic(c, "public_page", pageView{Title: pg.Title, Nav: "help-" + slug,
		Data: signpostData{Slug: slug, Body: renderMarkdown(pg.Body), Links: links}})
}

func (s *Server) publicAreasPage(c *fiber.Ctx) error {
	areas, err := s.app.PublicAreas(c.UserContext())
	if err != nil {
		return err
	}
	return s.renderPublic(c, "public_areas", pageView{Title: "What is being done in your neighbourhood", Nav: "neighbourhoods",
		Data: areaTree(areas)})
}

type activityCell struct {
	Text     string
	Withheld bool
}

type activityLine struct {
	Problem                 string
	Shifts, Volunteer, Bank activityCell
}

type activityMonth struct {
	Heading, Caption string
	Current          bool
	Lines            []activityLine
}

type publicAreaData struct {
	Area     domain.Area
	Kind     string
	Parent   *domain.Area
	Children []domain.Area
	Months   []activityMonth
}

const withheldWords = "fewer than 3"

func countCell(n *int) activityCell {
	if n == nil {
		return activityCell{Text: withheldWords, Withheld: true}
	}
	return activityCell{Text: strconv.Itoa(*n)}
}

func hoursCell(h *float64) activityCell {
	if h == nil {
		return activityCell{Text: withheldWords, Withheld: true}
	}
	return activityCell{Text: strconv.FormatFloat(*h, 'f', -1, 64)}
}

func (s *Server) publicAreaPage(c *fiber.Ctx) error {
	act, err := s.app.AreaActivity(c.UserContext(), c.Params("code"))
	if err != nil {
		return err
	}
	areas, err := s.app.PublicAreas(c.UserContext())
	if err != nil {
		return err
	}
	data := publicAreaData{Area: act.Area, Kind: areaKindName(act.Area.Kind)}
	for _, a := range areas {
		switch {
		case a.ID == act.Area.ParentID:
			parent := a
			data.Parent = &parent
		case a.ParentID == act.Area.ID:
			data.Children = append(data.Children, a)
		}
	}
	for _, m := range act.Months {
		name := fmt.Sprintf("%s %d", m.Month, m.Year)
		am := activityMonth{Heading: name, Caption: "Problem-solving in " + name, Current: m.Current}
		if m.Current {
			am.Heading = name + " so far"
			am.Caption = "Problem-solving in " + name + ", so far"
		}
		for _, r := range m.Rows {
			problem := problemTypeNames[r.ProblemType]
			if problem == "" {
				problem = upperFirst(string(r.ProblemType))
			}
			am.Lines = append(am.Lines, activityLine{Problem: problem, Shifts: countCell(r.Shifts),
				Volunteer: hoursCell(r.VolunteerHours), Bank: hoursCell(r.BankHours)})
		}
		data.Months = append(data.Months, am)
	}
	return s.renderPublic(c, "public_area", pageView{Title: "What is being done in " + act.Area.Name, Nav: "neighbourhoods", Data: data})
}

type adminPublicPageRow struct {
	Slug, Title string
	Version     int
}

func (s *Server) adminPublicPagesPage(c *fiber.Ctx) error {
	var rows []adminPublicPageRow
	for _, slug := range domain.PublicPageSlugs {
		pg, err := s.app.PublicPage(c.UserContext(), slug)
		if err != nil {
			return err
		}
		rows = append(rows, adminPublicPageRow{Slug: slug, Title: pg.Title, Version: pg.Version})
	}
	return s.render(c, fiber.StatusOK, "public_admin_pages", pageView{Title: "Public pages", Nav: "admin-public", Data: rows})
}

type publicVersionView struct {
	Version int
	Title   string
	Saved   string
	By      string
	Body    template.HTML
}

type publicEditorData struct {
	Slug        string
	BaseVersion string
	Inputs      map[string]inputField
	Versions    []publicVersionView
}

var publicPageInputs = []inputField{
	{ID: "title", Label: "Title", Hint: "The page's main heading, at most 120 characters"},
	{ID: "body", Label: "Text", Type: "textarea",
		Hint: "Leave a blank line between paragraphs. Start a line with ## for a heading or ### for a smaller one, " +
			"with - for a bulleted list or 1. for a numbered one. Write **words** for bold and [words](https://…) for a link; " +
			"links may go to web or email (mailto:) addresses or to pages of this site (/help/report). HTML is shown as typed, never run."},
}

var publicPageFields = map[string]pageField{
	"":             {ID: "body", Label: "The page"},
	"title":        {ID: "title", Label: "The title"},
	"body":         {ID: "body", Label: "The text"},
	"base_version": {ID: "body", Label: "The page"},
}

func (s *Server) adminPublicPageEditor(c *fiber.Ctx) error {
	pg, err := s.app.PublicPage(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	view := pageView{Title: "Edit: " + pg.Title, Nav: "admin-public",
		Form: map[string]string{"title": pg.Title, "body": pg.Body, "base_version": strconv.Itoa(pg.Version)}}
	return s.renderPublicEditor(c, fiber.StatusOK, pg.Slug, view)
}

func (s *Server) renderPublicEditor(c *fiber.Ctx, status int, slug string, view pageView) error {
	versions, err := s.app.PublicPageVersions(c.UserContext(), principal(c), slug, 0, 50)
	if err != nil {
		return err
	}
	data := publicEditorData{Slug: slug, BaseVersion: view.Form["base_version"], Inputs: fillInputs(view, publicPageInputs...)}
	zone := s.app.Config.TimeZone
	for _, v := range versions {
		by := "an admin"
		if v.CreatedBy == "" {
			by = "copbank (the built-in text)"
		}
		data.Versions = append(data.Versions, publicVersionView{Version: v.Version, Title: v.Title, By: by,
			Saved: v.CreatedAt.In(zone).Format("2 January 2006 at 15:04"), Body: renderMarkdown(v.Body)})
	}
	view.Data = data
	return s.render(c, status, "public_admin_page", view)
}

func (s *Server) postPublicPage(c *fiber.Ctx) error {
	slug := c.Params("slug")
	if !domain.ValidPublicPageSlug(slug) {
		return nothingHere()
	}
	view := pageView{Title: "Edit a public page", Nav: "admin-public", Form: formValues(c, "title", "body", "base_version")}
	view.Form["body"] = c.FormValue("body") // keep the author's own line breaks and indents
	if view.Form["title"] == "" {
		view.Errors = append(view.Errors, domain.FieldError{Field: "title", Message: "Enter a title for the page"})
	}
	if view.Form["body"] == "" {
		view.Errors = append(view.Errors, domain.FieldError{Field: "body", Message: "Enter the text of the page"})
	}
	base, _ := strconv.Atoi(view.Form["base_version"])
	if len(view.Errors) == 0 {
		pg, err := s.app.SavePublicPage(c.UserContext(), principal(c), slug,
			app.PublicPageInput{Title: view.Form["title"], Body: view.Form["body"], BaseVersion: base})
		if err == nil {
			s.flash(c, fmt.Sprintf("You saved version %d of %s. The public sees it now.", pg.Version, pg.Title))
			return c.Redirect("/admin/public-pages/"+slug, fiber.StatusSeeOther)
		}
		switch {
		case domain.ErrorCode(err) == domain.EConflict:
			// The form now builds on the latest version: saving it again,
			// once the admin has compared, is a deliberate overwrite.
			latest, lerr := s.app.PublicPage(c.UserContext(), slug)
			if lerr != nil {
				return lerr
			}
			view.Form["base_version"] = strconv.Itoa(latest.Version)
			view.Errors = []domain.FieldError{{Field: "body", Message: fmt.Sprintf(
				"Someone saved version %d of this page while you were editing. Your text is kept below: compare it with version %d in the history, then save again.",
				latest.Version, latest.Version)}}
			return s.renderPublicEditor(c, fiber.StatusConflict, slug, view)
		default:
			if view.Errors, _ = appFieldErrors(err, publicPageFields); view.Errors == nil {
				return err
			}
		}
	}
	return s.renderPublicEditor(c, fiber.StatusUnprocessableEntity, slug, view)
}
