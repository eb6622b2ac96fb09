package web

import (
	"bytes"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// The server-rendered pages: html/template files and one stylesheet,
// embedded in the binary. They are not API routes: they are registered by
// pageRoutes, outside the route table and the OpenAPI document, and they
// sign in by cookie (a web session), not by bearer token.

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static/copbank.css
var stylesheet []byte

const (
	localsPage          = "page"
	localsSessionSecret = "session_secret"
	csrfField           = "csrf_token"
)

// pageView is what every page template is given.
type pageView struct {
	Title       string
	Nav         string
	User        *domain.User
	CSRF        string
	Flash       string
	Errors      []domain.FieldError
	FieldErrors map[string]string
	Form        map[string]string
	Data        any
}

// parsePages parses each page with the layout; a broken template stops the
// server at start rather than on the first request.
func parsePages() map[string]*template.Template {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		if n == "templates/layout.html" || n == "templates/partials.html" {
			continue
		}
		t := template.Must(template.New("").ParseFS(templateFiles, "templates/layout.html", "templates/partials.html", n))
		out[strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")] = t
	}
	return out
}

// pageRoute is one page: a GET shows, a POST changes (CSRF-checked).
type pageRoute struct {
	method, path string
	handler      fiber.Handler
	public       bool // reachable without signing in
}

func (s *Server) pageTable() []pageRoute {
	return append([]pageRoute{
		{method: fiber.MethodGet, path: "/", handler: s.homePage, public: true},
		{method: fiber.MethodGet, path: "/sign-in", handler: s.signInPage, public: true},
		{method: fiber.MethodPost, path: "/sign-in", handler: s.signIn, public: true},
		{method: fiber.MethodPost, path: "/sign-out", handler: s.signOut},
		{method: fiber.MethodGet, path: "/shifts", handler: s.shiftsPage},
		{method: fiber.MethodGet, path: "/shifts/:id", handler: s.shiftPage},
		{method: fiber.MethodGet, path: "/shifts/:id/book", handler: s.bookPage},
		{method: fiber.MethodPost, path: "/shifts/:id/book", handler: s.bookShift},
		{method: fiber.MethodGet, path: "/my-shifts", handler: s.myShiftsPage},
		{method: fiber.MethodGet, path: "/my-shifts/:id/cancel", handler: s.cancelPage},
		{method: fiber.MethodPost, path: "/my-shifts/:id/cancel", handler: s.cancelMyBooking},
		{method: fiber.MethodPost, path: "/my-shifts/:id/accept", handler: s.answerOffer(true)},
		{method: fiber.MethodPost, path: "/my-shifts/:id/decline", handler: s.answerOffer(false)},
		{method: fiber.MethodGet, path: "/my-shifts/calendar-link", handler: s.calendarLinkPage},
		{method: fiber.MethodPost, path: "/my-shifts/calendar-link", handler: s.newCalendarLink},
		{method: fiber.MethodGet, path: "/availability", handler: s.availabilityPage},
		{method: fiber.MethodPost, path: "/availability", handler: s.postAvailability},
		{method: fiber.MethodPost, path: "/availability/:id/delete", handler: s.postDeleteAvailability},
		{method: fiber.MethodGet, path: "/leave", handler: s.leavePage},
		{method: fiber.MethodPost, path: "/leave", handler: s.postLeave},
		{method: fiber.MethodGet, path: "/notifications", handler: s.noticesPage},
		{method: fiber.MethodPost, path: "/notifications", handler: s.postNotices},
		{method: fiber.MethodGet, path: "/admin/members", handler: s.adminOnly(s.adminMembersPage)},
		{method: fiber.MethodGet, path: "/admin/members/new", handler: s.adminOnly(s.newMemberPage)},
		{method: fiber.MethodPost, path: "/admin/members/new", handler: s.adminOnly(s.postNewMember)},
		{method: fiber.MethodGet, path: "/admin/members/:id", handler: s.adminOnly(s.adminMemberPage)},
		{method: fiber.MethodPost, path: "/admin/members/:id/status", handler: s.adminOnly(s.postMemberStatus)},
		{method: fiber.MethodPost, path: "/admin/members/:id/skills", handler: s.adminOnly(s.postMemberSkill)},
		{method: fiber.MethodPost, path: "/admin/members/:id/clearances", handler: s.adminOnly(s.postClearance)},
		{method: fiber.MethodPost, path: "/admin/members/:id/clearances/:cid/status", handler: s.adminOnly(s.postClearanceStatus)},
		{method: fiber.MethodGet, path: "/admin/skills", handler: s.adminOnly(s.adminSkillsPage)},
		{method: fiber.MethodPost, path: "/admin/skills", handler: s.adminOnly(s.postSkill)},
		{method: fiber.MethodGet, path: "/admin/areas", handler: s.adminOnly(s.adminAreasPage)},
		{method: fiber.MethodPost, path: "/admin/areas", handler: s.adminOnly(s.postArea)},
		{method: fiber.MethodGet, path: "/dashboard", handler: s.dashOnly(s.dashboardPage)},
		{method: fiber.MethodGet, path: "/coord/demands/new", handler: s.coordOnly(s.demandFormPage)},
		{method: fiber.MethodPost, path: "/coord/demands/new", handler: s.coordOnly(s.postDemandForm)},
		{method: fiber.MethodGet, path: "/coord/board", handler: s.coordOnly(s.boardPage)},
		{method: fiber.MethodGet, path: "/coord/shifts/:id", handler: s.coordOnly(s.coordShiftPage)},
		{method: fiber.MethodPost, path: "/coord/bookings/:id/:action", handler: s.coordOnly(s.coordBookingAction)},
		{method: fiber.MethodGet, path: "/coord/approvals", handler: s.coordOnly(s.approvalsPage)},
		{method: fiber.MethodGet, path: "/coord/match", handler: s.coordOnly(s.matchFormPage)},
		{method: fiber.MethodPost, path: "/coord/match", handler: s.coordOnly(s.startMatch)},
		{method: fiber.MethodGet, path: "/coord/match/:id", handler: s.coordOnly(s.matchRunPage)},
		{method: fiber.MethodPost, path: "/coord/match/:id/apply", handler: s.coordOnly(s.applyMatch)},
	}, s.vetRecruitmentPages()...)
}

func (s *Server) pageRoutes() {
	s.fiber.Get("/static/copbank.css", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, "text/css; charset=utf-8")
		c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
		return c.Send(stylesheet)
	})
	for _, r := range s.pageTable() {
		handlers := []fiber.Handler{s.pageSession}
		if !r.public {
			handlers = append(handlers, requireSession)
		}
		if r.method == fiber.MethodPost {
			handlers = append(handlers, s.checkCSRF)
		}
		s.fiber.Add(r.method, r.path, append(handlers, r.handler)...)
	}
}

// https reports whether people reach us over TLS (COPBANK_BASE_URL).
func (s *Server) https() bool {
	return strings.HasPrefix(strings.ToLower(s.app.Config.BaseURL), "https://")
}

// cookieName prefixes a cookie with __Host- over https, so that it is
// Secure, host-only and for the whole site.
func (s *Server) cookieName(base string) string {
	if s.https() {
		return "__Host-copbank_" + base
	}
	return "copbank_" + base
}

func (s *Server) setCookie(c *fiber.Ctx, base, value string, maxAge int) {
	c.Cookie(&fiber.Cookie{Name: s.cookieName(base), Value: value, Path: "/", HTTPOnly: true,
		Secure: s.https(), SameSite: fiber.CookieSameSiteLaxMode, MaxAge: maxAge})
}

func (s *Server) clearCookie(c *fiber.Ctx, base string) {
	c.Cookie(&fiber.Cookie{Name: s.cookieName(base), Value: "", Path: "/", HTTPOnly: true,
		Secure: s.https(), SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Unix(0, 0), MaxAge: -1})
}

// pageSession resolves the session cookie, if any, into the same principal
// the API's bearer tokens give. An ended session clears the cookie.
func (s *Server) pageSession(c *fiber.Ctx) error {
	c.Locals(localsPage, true)
	c.Set(fiber.HeaderCacheControl, "no-store")
	secret := c.Cookies(s.cookieName("session"))
	if secret == "" {
		return c.Next()
	}
	p, err := s.app.SessionPrincipal(c.UserContext(), secret)
	switch {
	case domain.ErrorCode(err) == domain.EUnauthorized:
		s.clearCookie(c, "session")
	case err != nil:
		return err
	default:
		c.Locals(localsPrincipal, p)
		c.Locals(localsSessionSecret, secret)
	}
	return c.Next()
}

// requireSession sends a visitor who is not signed in to the sign-in page.
func requireSession(c *fiber.Ctx) error {
	if principal(c) == nil {
		return c.Redirect("/sign-in", fiber.StatusSeeOther)
	}
	return c.Next()
}

func sessionSecret(c *fiber.Ctx) string {
	s, _ := c.Locals(localsSessionSecret).(string)
	return s
}

// csrfSecret is what a form's token is bound to: the session, or before
// sign-in the pre-session cookie.
func (s *Server) csrfSecret(c *fiber.Ctx) string {
	if secret := sessionSecret(c); secret != "" {
		return secret
	}
	return c.Cookies(s.cookieName("presession"))
}

// checkCSRF refuses a page POST whose form lacks the session's token: 403
// with an HTML error page.
func (s *Server) checkCSRF(c *fiber.Ctx) error {
	ok, err := s.app.CheckCSRF(c.UserContext(), s.csrfSecret(c), c.FormValue(csrfField))
	if err != nil {
		return err
	}
	if !ok {
		return domain.Errorf(domain.EForbidden, "This form has expired or did not come from copbank. Go back, reload the page and try again.")
	}
	return c.Next()
}

// render writes a page. It fills the signed-in user and the CSRF token,
// making a pre-session for a visitor so that the sign-in form has one too.
func (s *Server) render(c *fiber.Ctx, status int, name string, v pageView) error {
	t, ok := s.pages[name]
	if !ok {
		return fmt.Errorf("no page template %q", name)
	}
	if p := principal(c); p != nil {
		v.User = &p.User
	}
	secret := s.csrfSecret(c)
	if secret == "" {
		pre, err := app.NewPreSession()
		if err != nil {
			return err
		}
		secret = pre
		s.setCookie(c, "presession", pre, 0)
	}
	token, err := s.app.CSRFToken(c.UserContext(), secret)
	if err != nil {
		return err
	}
	v.CSRF = token
	if v.Flash == "" {
		v.Flash = s.takeFlash(c)
	}
	if v.FieldErrors == nil {
		v.FieldErrors = map[string]string{}
	}
	for _, e := range v.Errors {
		if _, seen := v.FieldErrors[e.Field]; !seen {
			v.FieldErrors[e.Field] = e.Message
		}
	}
	if v.Form == nil {
		v.Form = map[string]string{}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return err
	}
	c.Status(status)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(buf.Bytes())
}

// flash keeps a message for the page after a redirect (POST-redirect-GET).
func (s *Server) flash(c *fiber.Ctx, msg string) {
	s.setCookie(c, "flash", base64.RawURLEncoding.EncodeToString([]byte(msg)), 60)
}

func (s *Server) takeFlash(c *fiber.Ctx) string {
	v := c.Cookies(s.cookieName("flash"))
	if v == "" {
		return ""
	}
	s.clearCookie(c, "flash")
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil || len(b) > 500 {
		return ""
	}
	return string(b)
}

// isPage reports a request a browser should get an HTML error page for: a
// page route, or anything outside the API that asks for HTML.
func isPage(c *fiber.Ctx) bool {
	if page, _ := c.Locals(localsPage).(bool); page {
		return true
	}
	return !strings.HasPrefix(c.Path(), "/api") && strings.Contains(c.Get(fiber.HeaderAccept), "text/html")
}

type errorData struct{ Detail string }

// renderErrorPage is the HTML face of a problem.
func (s *Server) renderErrorPage(c *fiber.Ctx, p Problem) error {
	c.Response().Header.Del(fiber.HeaderContentType)
	return s.render(c, p.Status, "error", pageView{Title: p.Title, Data: errorData{Detail: p.Detail}})
}

func (s *Server) homePage(c *fiber.Ctx) error {
	if principal(c) != nil {
		return c.Redirect("/shifts", fiber.StatusSeeOther)
	}
	return c.Redirect("/sign-in", fiber.StatusSeeOther)
}
