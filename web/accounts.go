package web

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

// Invitation and password-reset links. The link secrets reach people only
// through the app's Notifier; no answer here ever carries one.

// invitationJSON is an invitation as its maker sees it: the link went to the member.
type invitationJSON struct {
	ID        string    `json:"id"`
	MemberID  string    `json:"member_id"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (s *Server) invite(c *fiber.Ctx) error {
	inv, err := s.app.Invite(c.UserContext(), principal(c), refParam(c, "id"))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(invitationJSON{ID: inv.ID, MemberID: inv.MemberID,
		ExpiresAt: inv.ExpiresAt.In(s.app.Config.TimeZone)})
}

// linkRequest spends an invitation or reset link.
type linkRequest struct {
	Token    string `json:"token" validate:"required,max=256"`
	Password string `json:"password" validate:"required,min=12,max=1024"`
}

func (s *Server) acceptInvite(c *fiber.Ctx) error {
	var req linkRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	t, err := s.app.AcceptInvitation(c.UserContext(), req.Token, req.Password)
	if err != nil {
		return err
	}
	return c.JSON(loginResponse{Token: t.Token, ExpiresAt: t.ExpiresAt.In(s.app.Config.TimeZone)})
}

type resetRequest struct {
	Email string `json:"email" validate:"required,max=320"`
}

// acceptedJSON says a request was taken, and nothing more.
type acceptedJSON struct {
	Message string `json:"message"`
}

func (s *Server) requestPasswordReset(c *fiber.Ctx) error {
	var req resetRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if err := s.app.RequestPasswordReset(c.UserContext(), req.Email); err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(acceptedJSON{
		Message: "if an account has this email, a link to reset its password is on its way; it works once, for an hour"})
}

func (s *Server) confirmPasswordReset(c *fiber.Ctx) error {
	var req linkRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if err := s.app.ConfirmPasswordReset(c.UserContext(), req.Token, req.Password); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
