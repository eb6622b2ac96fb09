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
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// The server-rendered pages: html/template files and one stylesheet,
// embedded in the binary. Their rows in the route table (pageRoutes) are
// not API routes: they stay out of the OpenAPI document, and they sign in by
// cookie (a web session), not by bearer token.

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
	s.setCookie(c, "flash", base64.RawURLEncoding.EncodeToString([]byte(clip(msg, maxFlash))), 60)
}

// maxFlash bounds a flash message so its cookie stays well inside the 4 KB
// browsers keep; a refusal naming several rules and two shifts runs past
// 500 bytes, and was once dropped whole.
const maxFlash = 2000

// clip shortens s to at most n bytes, on a character boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func (s *Server) takeFlash(c *fiber.Ctx) string {
	v := c.Cookies(s.cookieName("flash"))
	if v == "" {
		return ""
	}
	s.clearCookie(c, "flash")
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil || len(b) > maxFlash {
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
	return s.publicHomePage(c)
}
