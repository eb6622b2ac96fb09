package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// oidcCookie carries the sign-in started with the force's identity
// provider until the provider sends the browser back.
const oidcCookie = "oidc"

// signInView is what the sign-in page needs beyond the form.
type signInView struct {
	// ForceSignIn shows "Sign in with your force account".
	ForceSignIn bool
}

func (s *Server) signInData() signInView {
	return signInView{ForceSignIn: s.app.Config.OIDCEnabled()}
}

// startOIDC sends the browser to the force's identity provider, with the
// state, nonce and PKCE verifier in a signed cookie that must come back.
func (s *Server) startOIDC(c *fiber.Ctx) error {
	if !s.app.Config.OIDCEnabled() {
		return domain.Errorf(domain.ENotFound, "sign-in with a force account is not set up")
	}
	start, err := s.app.StartOIDC(c.UserContext())
	if domain.ErrorCode(err) == domain.EUnauthorized {
		return s.oidcRefused(c, fiber.StatusBadGateway, err)
	}
	if err != nil {
		return err
	}
	s.setCookie(c, oidcCookie, start.Cookie, int(app.OIDCLoginTTL.Seconds()))
	return c.Redirect(start.AuthURL, fiber.StatusSeeOther)
}

// oidcCallback finishes the sign-in: the signed cookie is spent whatever
// the outcome, and a refusal shows the sign-in page with the reason.
func (s *Server) oidcCallback(c *fiber.Ctx) error {
	if !s.app.Config.OIDCEnabled() {
		return domain.Errorf(domain.ENotFound, "sign-in with a force account is not set up")
	}
	cb := app.OIDCCallback{Cookie: c.Cookies(s.cookieName(oidcCookie)), State: c.Query("state"), Code: c.Query("code"), Error: c.Query("error")}
	s.clearCookie(c, oidcCookie)
	secret, err := s.app.FinishOIDC(c.UserContext(), cb, c.IP(), sessionSecret(c))
	switch domain.ErrorCode(err) {
	case "":
	case domain.EUnauthorized:
		return s.oidcRefused(c, fiber.StatusUnauthorized, err)
	case domain.ETooMany:
		c.Set(fiber.HeaderRetryAfter, "900")
		return s.oidcRefused(c, fiber.StatusTooManyRequests, err)
	default:
		return err
	}
	s.setCookie(c, "session", secret, 0)
	s.clearCookie(c, "presession")
	return c.Redirect("/shifts", fiber.StatusSeeOther)
}

// oidcRefused shows the sign-in page with why the force account did not
// sign anyone in, linked to the button that starts again.
func (s *Server) oidcRefused(c *fiber.Ctx, status int, err error) error {
	var de *domain.Error
	msg := "your force account did not sign you in"
	if errors.As(err, &de) {
		msg = de.Message
	}
	view := pageView{Title: "Sign in", Data: s.signInData(),
		Errors: []domain.FieldError{{Field: "force-sign-in", Message: upperFirst(msg) + "."}}}
	return s.render(c, status, "signin", view)
}
