package web

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// authRoutes: signing in and out, invitations and password resets.
func (s *Server) authRoutes() []route {
	return []route{
		{method: fiber.MethodPost, path: "/api/v1/auth/login", handler: s.login, access: public,
			summary: "Sign in with email and password; returns a bearer token", tag: "auth",
			request: loginRequest{}, response: loginResponse{}, problems: []int{http.StatusUnauthorized, http.StatusTooManyRequests}},
		{method: fiber.MethodPost, path: "/api/v1/auth/logout", handler: s.logout,
			summary: "Sign out: revoke the token used", tag: "auth", status: http.StatusNoContent},
		{method: fiber.MethodGet, path: "/api/v1/me", handler: s.me,
			summary: "The signed-in user and their member record, if any", tag: "auth", response: meResponse{}},
		{method: fiber.MethodPost, path: "/api/v1/members/:id/invite", handler: s.invite,
			summary: "Invite a member to make their account: a single-use link, valid 7 days, sent to them (admins, coordinators of their area)",
			tag:     "auth", response: invitationJSON{}, status: http.StatusCreated, problems: []int{http.StatusConflict},
			about: "The link goes to the member only (this answer never holds it) and ends the member's earlier invitations. 409 when the member already has an account with a password (use a password reset) or is archived."},
		{method: fiber.MethodPost, path: "/api/v1/auth/accept-invite", handler: s.acceptInvite, access: public,
			summary: "Spend an invitation link: create the member's account (or set its first password) and sign in",
			tag:     "auth", request: linkRequest{}, response: loginResponse{},
			problems: []int{http.StatusConflict, http.StatusGone, http.StatusTooManyRequests},
			about:    "410 link-not-valid for a link that is unknown, used or expired (not told apart); 409 when the account already has a password; 429 after too many bad links from one address."},
		{method: fiber.MethodPost, path: "/api/v1/auth/password-reset", handler: s.requestPasswordReset, access: public,
			summary: "Ask for a password-reset link (single use, valid 1 hour), sent to the account's email",
			tag:     "auth", request: resetRequest{}, response: acceptedJSON{}, status: http.StatusAccepted,
			problems: []int{http.StatusTooManyRequests},
			about:    "Always 202, whether or not an account has the email; 429 when one email or one address asks too often."},
		{method: fiber.MethodPost, path: "/api/v1/auth/password-reset/confirm", handler: s.confirmPasswordReset, access: public,
			summary: "Spend a reset link: set the new password and revoke every token of the account",
			tag:     "auth", request: linkRequest{}, status: http.StatusNoContent,
			problems: []int{http.StatusGone, http.StatusTooManyRequests},
			about:    "410 link-not-valid for a link that is unknown, used or expired; 429 after too many bad links from one address."},
	}
}
