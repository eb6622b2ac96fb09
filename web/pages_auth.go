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
	in, err := s.app.SignIn(c.UserContext(), email, password, c.IP(), sessionSecret(c))
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
	if in.MFAToken != "" {
		return s.render(c, fiber.StatusOK, "signin_code", pageView{Title: "Enter your code", Form: map[string]string{"mfa_token": in.MFAToken}})
	}
	s.setCookie(c, "session", in.Secret, 0)
	s.clearCookie(c, "presession")
	if in.EnrolmentRequired {
		return c.Redirect("/account/totp", fiber.StatusSeeOther)
	}
	return c.Redirect("/shifts", fiber.StatusSeeOther)
}

// signInCode finishes a sign-in with the second factor's code or a
// recovery code; a refused code shows the form again with the same
// mfa_token, which stays good until it expires or a code is accepted.
func (s *Server) signInCode(c *fiber.Ctx) error {
	token, code := c.FormValue("mfa_token"), strings.TrimSpace(c.FormValue("code"))
	view := pageView{Title: "Enter your code", Form: map[string]string{"mfa_token": token}}
	if code == "" {
		view.Errors = []domain.FieldError{{Field: "code", Message: "Enter the 6-digit code from your authenticator app, or a recovery code"}}
		return s.render(c, fiber.StatusUnprocessableEntity, "signin_code", view)
	}
	if len(token) > 200 || len(code) > 40 {
		view.Errors = []domain.FieldError{{Field: "code", Message: "The code is too long"}}
		return s.render(c, fiber.StatusUnprocessableEntity, "signin_code", view)
	}
	secret, err := s.app.CompleteSignIn(c.UserContext(), token, code, c.IP(), sessionSecret(c))
	switch domain.ErrorCode(err) {
	case "":
	case domain.EUnauthorized:
		view.Errors = []domain.FieldError{{Field: "code", Message: "The code is not right or was used already. If this keeps happening, sign in again"}}
		return s.render(c, fiber.StatusUnauthorized, "signin_code", view)
	case domain.ETooMany:
		c.Set(fiber.HeaderRetryAfter, "900")
		view.Errors = []domain.FieldError{{Field: "code", Message: "Too many failed sign-ins: try again in 15 minutes"}}
		return s.render(c, fiber.StatusTooManyRequests, "signin_code", view)
	default:
		return err
	}
	s.setCookie(c, "session", secret, 0)
	s.clearCookie(c, "presession")
	return c.Redirect("/shifts", fiber.StatusSeeOther)
}

// enrolFirst sends someone who must enrol a second factor, and has not, to
// enrolment from every page but those enrolment needs.
func enrolFirst(allowed bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if p := principal(c); p != nil && p.EnrolmentOnly && !allowed {
			return c.Redirect("/account/totp", fiber.StatusSeeOther)
		}
		return c.Next()
	}
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
