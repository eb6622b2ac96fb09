package web

import (
	"errors"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// The pages the invitation and password-reset emails link to: a form to
// choose a password, which spends the link through the same use cases as
// the API. The link's secret is in the path, so the access log shows only
// the prefix, and opening the page spends nothing (mail scanners open
// links).

const (
	invitePagePrefix = "/invite/"
	resetPagePrefix  = "/reset-password/"
)

type choosePasswordData struct {
	Action  string
	Invite  bool
	Refused bool // the link cannot be used: no form
}

func passwordView(c *fiber.Ctx, invite bool) pageView {
	prefix, title := resetPagePrefix, "Choose a new password"
	if invite {
		prefix, title = invitePagePrefix, "Choose your password"
	}
	return pageView{Title: title, Data: choosePasswordData{Action: prefix + c.Params("token"), Invite: invite}}
}

func (s *Server) choosePasswordPage(invite bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return s.render(c, http.StatusOK, "choose_password", passwordView(c, invite))
	}
}

func (s *Server) postChoosePassword(invite bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		view := passwordView(c, invite)
		password, confirm := c.FormValue("password"), c.FormValue("confirm")
		switch {
		case password == "":
			view.Errors = append(view.Errors, domain.FieldError{Field: "password", Message: "Enter a password"})
		case len(password) > 1024:
			view.Errors = append(view.Errors, domain.FieldError{Field: "password", Message: "Your password must be 1,024 characters or fewer"})
		case confirm != password:
			view.Errors = append(view.Errors, domain.FieldError{Field: "confirm", Message: "The two passwords are not the same: type it again"})
		}
		if len(view.Errors) > 0 {
			return s.render(c, http.StatusUnprocessableEntity, "choose_password", view)
		}
		ctx, token := c.UserContext(), c.Params("token")
		var err error
		if invite {
			var issued app.IssuedToken
			if issued, err = s.app.AcceptInvitation(ctx, token, password); err == nil {
				// The API token the use case issues is not needed here: the
				// member signs in to a web session next.
				if p, perr := s.app.Authenticate(ctx, issued.Token); perr == nil {
					_ = s.app.Logout(ctx, p)
				}
			}
		} else {
			err = s.app.ConfirmPasswordReset(ctx, token, password)
		}
		switch domain.ErrorCode(err) {
		case "":
			s.flash(c, "Your password is set. Sign in with your email address and your new password.")
			return c.Redirect("/sign-in", fiber.StatusSeeOther)
		case domain.EInvalid:
			view.Errors = []domain.FieldError{{Field: "password", Message: "Your password " + fieldMessage(err, "password")}}
			return s.render(c, http.StatusUnprocessableEntity, "choose_password", view)
		case domain.EGone, domain.EConflict:
			d := view.Data.(choosePasswordData)
			d.Refused = true
			view.Data, view.Title = d, "This link cannot be used"
			status := http.StatusGone
			if domain.ErrorCode(err) == domain.EConflict {
				status = http.StatusConflict
			}
			return s.render(c, status, "choose_password", view)
		case domain.ETooMany:
			c.Set(fiber.HeaderRetryAfter, "900")
			view.Errors = []domain.FieldError{{Field: "password", Message: "Too many tries with links that do not work: try again in 15 minutes"}}
			return s.render(c, http.StatusTooManyRequests, "choose_password", view)
		}
		return err
	}
}

// fieldMessage is the message a refused use case gives for field.
func fieldMessage(err error, field string) string {
	var de *domain.Error
	if errors.As(err, &de) {
		for _, f := range de.Fields {
			if f.Field == field {
				return f.Message
			}
		}
	}
	return domain.ErrorMessage(err)
}
