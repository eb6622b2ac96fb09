package web

import (
	"encoding/base64"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

type totpEnrolment struct {
	Secret     string `json:"secret"`
	OTPAuthURL string `json:"otpauth_url"`
	// QRCode is the otpauth URL as a QR code, a PNG data URI drawn here.
	QRCode string `json:"qr_code"`
}

func qrDataURI(png []byte) string {
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
}

func (s *Server) enrolTOTP(c *fiber.Ctx) error {
	e, err := s.app.EnrolTOTP(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(totpEnrolment{Secret: e.Secret, OTPAuthURL: e.OTPAuthURL, QRCode: qrDataURI(e.QRPNG)})
}

type totpConfirmRequest struct {
	Code string `json:"code" validate:"required,max=20"`
}

type recoveryCodesJSON struct {
	RecoveryCodes []string `json:"recovery_codes"`
}

func (s *Server) confirmTOTP(c *fiber.Ctx) error {
	var req totpConfirmRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	codes, err := s.app.ConfirmTOTP(c.UserContext(), principal(c), req.Code)
	if err != nil {
		return err
	}
	return c.JSON(recoveryCodesJSON{RecoveryCodes: codes})
}

func (s *Server) resetTOTP(c *fiber.Ctx) error {
	if err := s.app.ResetTOTP(c.UserContext(), principal(c), c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type loginSessionJSON struct {
	ID         string     `json:"id"`
	Kind       string     `json:"kind" validate:"oneof=web api"`
	CreatedAt  time.Time  `json:"created_at"`
	LastSeenAt *time.Time `json:"last_seen_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	Current    bool       `json:"current"`
}

type loginSessionsJSON struct {
	Items []loginSessionJSON `json:"items"`
}

func (s *Server) renderSessions(list []app.Session) loginSessionsJSON {
	tz := s.app.Config.TimeZone
	out := loginSessionsJSON{Items: make([]loginSessionJSON, 0, len(list))}
	for _, x := range list {
		j := loginSessionJSON{ID: x.ID, Kind: x.Kind, CreatedAt: x.CreatedAt.In(tz), ExpiresAt: x.ExpiresAt.In(tz), Current: x.Current}
		if x.LastSeenAt != nil {
			t := x.LastSeenAt.In(tz)
			j.LastSeenAt = &t
		}
		out.Items = append(out.Items, j)
	}
	return out
}

// sessionsOf answers the sessions of the path's user, or the caller's own.
func (s *Server) sessionsOf(own bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := principal(c)
		userID := c.Params("id")
		if own {
			userID = p.User.ID
		}
		list, err := s.app.Sessions(c.UserContext(), p, userID, "")
		if err != nil {
			return err
		}
		return c.JSON(s.renderSessions(list))
	}
}

func (s *Server) revokeSessionOf(own bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := principal(c)
		userID, id := c.Params("id"), c.Params("sid")
		if own {
			userID, id = p.User.ID, c.Params("id")
		}
		if err := s.app.RevokeSession(c.UserContext(), p, userID, id); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

// enrolmentGate refuses a caller who must enrol a second factor first,
// except on the routes that enrolment needs.
func enrolmentGate(allowed bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if p := principal(c); p != nil && p.EnrolmentOnly && !allowed {
			return domain.Errorf(domain.EForbidden, "enrol a second factor first: POST /api/v1/me/totp, then POST /api/v1/me/totp/confirm with a code")
		}
		return c.Next()
	}
}
