package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/domain"
)

type loginRequest struct {
	Email    string `json:"email" validate:"required,max=320"`
	Password string `json:"password" validate:"required,max=1024"`
}

type loginResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

// passwordLoginResponse is a token, or the mfa_token a code must follow
// (POST /api/v1/auth/mfa), or a token that reaches only enrolment.
type passwordLoginResponse struct {
	Token                string     `json:"token,omitempty"`
	ExpiresAt            *time.Time `json:"expires_at,omitempty"`
	MFARequired          bool       `json:"mfa_required,omitempty"`
	MFAToken             string     `json:"mfa_token,omitempty"`
	MFAEnrolmentRequired bool       `json:"mfa_enrolment_required,omitempty"`
}

func (s *Server) login(c *fiber.Ctx) error {
	var req loginRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	t, err := s.app.Login(c.UserContext(), req.Email, req.Password, c.IP())
	if err != nil {
		return err
	}
	if t.MFAToken != "" {
		return c.JSON(passwordLoginResponse{MFARequired: true, MFAToken: t.MFAToken})
	}
	exp := t.ExpiresAt.In(s.app.Config.TimeZone)
	return c.JSON(passwordLoginResponse{Token: t.Token, ExpiresAt: &exp, MFAEnrolmentRequired: t.EnrolmentRequired})
}

type mfaRequest struct {
	MFAToken string `json:"mfa_token" validate:"required,max=200"`
	Code     string `json:"code" validate:"required,max=40"`
}

func (s *Server) loginMFA(c *fiber.Ctx) error {
	var req mfaRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	t, err := s.app.CompleteLogin(c.UserContext(), req.MFAToken, req.Code, c.IP())
	if err != nil {
		return err
	}
	return c.JSON(loginResponse{Token: t.Token, ExpiresAt: t.ExpiresAt.In(s.app.Config.TimeZone)})
}

func (s *Server) logout(c *fiber.Ctx) error {
	if err := s.app.Logout(c.UserContext(), principal(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type meUser struct {
	ID    string        `json:"id"`
	Email string        `json:"email"`
	Name  string        `json:"name"`
	Roles []domain.Role `json:"roles"`
	Areas []string      `json:"areas"`
}

func (s *Server) me(c *fiber.Ctx) error {
	u := principal(c).User
	areas := make([]string, 0, len(u.Areas))
	for _, a := range u.Areas {
		areas = append(areas, a.Code)
	}
	roles := u.Roles
	if roles == nil {
		roles = []domain.Role{}
	}
	mine, err := s.app.MyMember(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	var member *memberDetailJSON
	if mine != nil {
		d := s.renderMemberDetail(*mine)
		member = &d
	}
	return c.JSON(fiber.Map{
		"user":   meUser{ID: u.ID, Email: u.Email, Name: u.Name, Roles: roles, Areas: areas},
		"member": member,
	})
}
