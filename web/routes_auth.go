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
			request: loginRequest{}, response: passwordLoginResponse{}, problems: []int{http.StatusUnauthorized, http.StatusTooManyRequests},
			about: "With a second factor enrolled the answer is {mfa_required: true, mfa_token}: send a code to POST /api/v1/auth/mfa within 5 minutes. " +
				"Someone whose role must use a second factor (COPBANK_MFA_REQUIRED) and who has none gets a token with mfa_enrolment_required: true, " +
				"which reaches only /api/v1/me, /api/v1/me/totp, /api/v1/me/totp/confirm and sign-out until a factor is confirmed (403 elsewhere)."},
		{method: fiber.MethodPost, path: "/api/v1/auth/mfa", handler: s.loginMFA, access: public,
			summary: "Finish a sign-in with the code of the second factor (or a recovery code); returns a bearer token", tag: "auth",
			request: mfaRequest{}, response: loginResponse{}, problems: []int{http.StatusUnauthorized, http.StatusTooManyRequests},
			about: "401 for a wrong code, a code already used (each time-step's code works once), a used recovery code, or an unknown or expired mfa_token; failures count towards the sign-in rate limit (429)."},
		{method: fiber.MethodPost, path: "/api/v1/auth/logout", handler: s.logout, enrolment: true,
			summary: "Sign out: revoke the token used", tag: "auth", status: http.StatusNoContent},
		{method: fiber.MethodGet, path: "/api/v1/me", handler: s.me, enrolment: true,
			summary: "The signed-in user and their member record, if any", tag: "auth", response: meResponse{}},
		{method: fiber.MethodPost, path: "/api/v1/me/totp", handler: s.enrolTOTP, enrolment: true,
			summary: "Start enrolling a TOTP second factor: a new secret, its otpauth URL and QR code (replaces an unconfirmed one)", tag: "auth",
			response: totpEnrolment{}, status: http.StatusCreated, problems: []int{http.StatusConflict},
			about: "409 when a factor is already confirmed (an admin resets it with DELETE /api/v1/users/{id}/totp)."},
		{method: fiber.MethodPost, path: "/api/v1/me/totp/confirm", handler: s.confirmTOTP, enrolment: true,
			summary: "Confirm the factor with a code from the app; returns ten one-use recovery codes, shown only this once", tag: "auth",
			request: totpConfirmRequest{}, response: recoveryCodesJSON{}, problems: []int{http.StatusConflict, http.StatusTooManyRequests},
			about: "422 naming code when it is not right (counted by the sign-in rate limit); 409 when there is no enrolment waiting."},
		{method: fiber.MethodGet, path: "/api/v1/me/sessions", handler: s.sessionsOf(true),
			summary: "The caller's live web sessions and API tokens, newest first", tag: "auth", response: loginSessionsJSON{}},
		{method: fiber.MethodDelete, path: "/api/v1/me/sessions/:id", handler: s.revokeSessionOf(true),
			summary: "End one of the caller's web sessions or API tokens", tag: "auth", status: http.StatusNoContent},
		{method: fiber.MethodGet, path: "/api/v1/users/:id/sessions", handler: s.sessionsOf(false),
			summary: "An account's live web sessions and API tokens (admins)", tag: "auth", response: loginSessionsJSON{}},
		{method: fiber.MethodDelete, path: "/api/v1/users/:id/sessions/:sid", handler: s.revokeSessionOf(false),
			summary: "End one of an account's web sessions or API tokens (admins)", tag: "auth", status: http.StatusNoContent},
		{method: fiber.MethodDelete, path: "/api/v1/users/:id/totp", handler: s.resetTOTP,
			summary: "Reset an account's second factor so that they enrol again (admins; audited)", tag: "auth", status: http.StatusNoContent,
			about: "404 when the account has no second factor."},
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
