package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/domain"
)

func (s *Server) signInPage(c *fiber.Ctx) error {
	if principal(c) != nil {
		return c.Redirect("/shifts", fiber.StatusSeeOther)
	}
	return s.render(c, fiber.StatusOK, "signin", pageView{Title: "Sign in", Data: s.signInData()})
}

// signIn checks the form with the same rate-limited check as the API's
// login, starts a new session (ending the one the browser held) and
// redirects; errors re-show the form with the email kept.
func (s *Server) signIn(c *fiber.Ctx) error {
	email := strings.TrimSpace(c.FormValue("email"))
	password := c.FormValue("password")
	view := pageView{Title: "Sign in", Form: map[string]string{"email": email}, Data: s.signInData()}
	if email == "" {
		view.Errors = append(view.Errors, domain.FieldError{Field: "email", Message: "Enter your email address"})
	}
	if password == "" {
		view.Errors = append(view.Errors, domain.FieldError{Field: "password", Message: "Enter your password"})
	}
	if len(email) > 320 || len(password) > 1024 {
		view.Errors = append(view.Errors, domain.FieldError{Field: "email", Message: "The email or password is too long"})
	}
	if len(view.Errors) > 0 {
		return s.render(c, fiber.StatusUnprocessableEntity, "signin", view)
	}
	secret, err := s.app.SignIn(c.UserContext(), email, password, c.IP(), sessionSecret(c))
	switch domain.ErrorCode(err) {
	case "":
	case domain.EUnauthorized:
		view.Errors = []domain.FieldError{{Field: "email", Message: "The email or password is not right"}}
		return s.render(c, fiber.StatusUnauthorized, "signin", view)
	case domain.ETooMany:
		c.Set(fiber.HeaderRetryAfter, "900")
		view.Errors = []domain.FieldError{{Field: "email", Message: "Too many failed sign-ins: try again in 15 minutes"}}
		return s.render(c, fiber.StatusTooManyRequests, "signin", view)
	default:
		return err
	}
	s.setCookie(c, "session", secret, 0)
	s.clearCookie(c, "presession")
	return c.Redirect("/shifts", fiber.StatusSeeOther)
}

// signOut ends the session and forgets the cookie.
func (s *Server) signOut(c *fiber.Ctx) error {
	if err := s.app.SignOut(c.UserContext(), sessionSecret(c)); err != nil {
		return err
	}
	s.clearCookie(c, "session")
	s.flash(c, "You have signed out.")
	return c.Redirect("/sign-in", fiber.StatusSeeOther)
}
