package web

import (
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

type accountData struct {
	Sessions     []app.Session
	HasFactor    bool
	TimeZoneName string
}

// accountPage lists the user's sessions and API tokens, each with a button
// that ends it, and says whether a second factor is set up.
func (s *Server) accountPage(c *fiber.Ctx) error {
	p := principal(c)
	list, err := s.app.Sessions(c.UserContext(), p, p.User.ID, app.WebSessionID(sessionSecret(c)))
	if err != nil {
		return err
	}
	for i := range list {
		list[i].CreatedAt = list[i].CreatedAt.In(s.app.Config.TimeZone)
		list[i].ExpiresAt = list[i].ExpiresAt.In(s.app.Config.TimeZone)
	}
	has, err := s.app.HasSecondFactor(c.UserContext(), p)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "account", pageView{Title: "Your account", Nav: "account",
		Data: accountData{Sessions: list, HasFactor: has, TimeZoneName: s.app.Config.TimeZone.String()}})
}

// postRevokeSession ends one of the user's sessions; ending this browser's
// own session signs it out.
func (s *Server) postRevokeSession(c *fiber.Ctx) error {
	p := principal(c)
	id := c.Params("id")
	if err := s.app.RevokeSession(c.UserContext(), p, p.User.ID, id); err != nil {
		return err
	}
	if id == app.WebSessionID(sessionSecret(c)) {
		s.clearCookie(c, "session")
		s.flash(c, "You have signed out.")
		return c.Redirect("/sign-in", fiber.StatusSeeOther)
	}
	s.flash(c, "That session has ended.")
	return c.Redirect("/account", fiber.StatusSeeOther)
}

type totpPageData struct {
	HasFactor     bool
	MustEnrol     bool
	Secret        string
	GroupedSecret string
	QR            template.HTML
	// Confirming: the secret was shown; the form asks for a code again.
	Confirming    bool
	RecoveryCodes []string
}

// totpPage says whether a second factor is set up and offers to set one up.
func (s *Server) totpPage(c *fiber.Ctx) error {
	p := principal(c)
	has, err := s.app.HasSecondFactor(c.UserContext(), p)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "account_totp", pageView{Title: "Second factor", Nav: "account",
		Data: totpPageData{HasFactor: has, MustEnrol: p.EnrolmentOnly}})
}

// postEnrolTOTP makes a new secret and shows it as a QR code and in text,
// with the form for the first code.
func (s *Server) postEnrolTOTP(c *fiber.Ctx) error {
	p := principal(c)
	e, err := s.app.EnrolTOTP(c.UserContext(), p)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "account_totp", pageView{Title: "Set up your authenticator app", Nav: "account",
		Data: totpPageData{MustEnrol: p.EnrolmentOnly, Secret: e.Secret, GroupedSecret: grouped(e.Secret),
			// An <svg> element drawn here from the otpauth URL, nothing of the caller's.
			QR: template.HTML(e.QRSVG)}})
}

// postConfirmTOTP checks the first code and shows the recovery codes, this
// once; a wrong code asks again for a code from the same app.
func (s *Server) postConfirmTOTP(c *fiber.Ctx) error {
	p := principal(c)
	code := strings.TrimSpace(c.FormValue("code"))
	codes, err := s.app.ConfirmTOTP(c.UserContext(), p, code)
	switch domain.ErrorCode(err) {
	case "":
	case domain.EInvalid, domain.ETooMany:
		msg := "The code is not right: enter the code your app shows now"
		status := fiber.StatusUnprocessableEntity
		if domain.ErrorCode(err) == domain.ETooMany {
			msg, status = "Too many wrong codes: try again in 15 minutes", fiber.StatusTooManyRequests
		}
		return s.render(c, status, "account_totp", pageView{Title: "Set up your authenticator app", Nav: "account",
			Errors: []domain.FieldError{{Field: "code", Message: msg}},
			Data:   totpPageData{MustEnrol: p.EnrolmentOnly, Confirming: true}})
	default:
		return err
	}
	return s.render(c, fiber.StatusOK, "account_totp", pageView{Title: "Your recovery codes", Nav: "account",
		Data: totpPageData{HasFactor: true, RecoveryCodes: codes}})
}

// grouped spaces a base32 secret in fours, easier to type.
func grouped(secret string) string {
	var b strings.Builder
	for i, r := range secret {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}
