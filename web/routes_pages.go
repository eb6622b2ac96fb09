package web

import "github.com/gofiber/fiber/v2"

// pageRoutes: the stylesheet and the server-rendered pages. A GET shows, a
// POST changes; the role checks (adminOnly, coordOnly) wrap the handlers.
func (s *Server) pageRoutes() []route {
	return []route{
		{method: fiber.MethodGet, path: "/static/copbank.css", handler: serveStylesheet, access: asset},
		{method: fiber.MethodGet, path: "/", handler: s.homePage, access: publicPage},
		{method: fiber.MethodGet, path: "/sign-in", handler: s.signInPage, access: publicPage},
		{method: fiber.MethodPost, path: "/sign-in", handler: s.signIn, access: publicPage},
		{method: fiber.MethodPost, path: "/sign-in/code", handler: s.signInCode, access: publicPage},
		{method: fiber.MethodPost, path: "/sign-out", handler: s.signOut, access: signedInPage, enrolment: true},
		{method: fiber.MethodGet, path: "/account", handler: s.accountPage, access: signedInPage},
		{method: fiber.MethodPost, path: "/account/sessions/:id/revoke", handler: s.postRevokeSession, access: signedInPage},
		{method: fiber.MethodGet, path: "/account/totp", handler: s.totpPage, access: signedInPage, enrolment: true},
		{method: fiber.MethodPost, path: "/account/totp", handler: s.postEnrolTOTP, access: signedInPage, enrolment: true},
		{method: fiber.MethodPost, path: "/account/totp/confirm", handler: s.postConfirmTOTP, access: signedInPage, enrolment: true},
		{method: fiber.MethodGet, path: "/shifts", handler: s.shiftsPage, access: signedInPage},
		{method: fiber.MethodGet, path: "/shifts/:id", handler: s.shiftPage, access: signedInPage},
		{method: fiber.MethodGet, path: "/shifts/:id/book", handler: s.bookPage, access: signedInPage},
		{method: fiber.MethodPost, path: "/shifts/:id/book", handler: s.bookShift, access: signedInPage},
		{method: fiber.MethodGet, path: "/my-shifts", handler: s.myShiftsPage, access: signedInPage},
		{method: fiber.MethodGet, path: "/my-shifts/:id/cancel", handler: s.cancelPage, access: signedInPage},
		{method: fiber.MethodPost, path: "/my-shifts/:id/cancel", handler: s.cancelMyBooking, access: signedInPage},
		{method: fiber.MethodPost, path: "/my-shifts/:id/accept", handler: s.answerOffer(true), access: signedInPage},
		{method: fiber.MethodPost, path: "/my-shifts/:id/decline", handler: s.answerOffer(false), access: signedInPage},
		{method: fiber.MethodGet, path: "/my-shifts/calendar-link", handler: s.calendarLinkPage, access: signedInPage},
		{method: fiber.MethodPost, path: "/my-shifts/calendar-link", handler: s.newCalendarLink, access: signedInPage},
		{method: fiber.MethodGet, path: "/availability", handler: s.availabilityPage, access: signedInPage},
		{method: fiber.MethodPost, path: "/availability", handler: s.postAvailability, access: signedInPage},
		{method: fiber.MethodPost, path: "/availability/:id/delete", handler: s.postDeleteAvailability, access: signedInPage},
		{method: fiber.MethodGet, path: "/leave", handler: s.leavePage, access: signedInPage},
		{method: fiber.MethodPost, path: "/leave", handler: s.postLeave, access: signedInPage},
		{method: fiber.MethodGet, path: "/notifications", handler: s.noticesPage, access: signedInPage},
		{method: fiber.MethodPost, path: "/notifications", handler: s.postNotices, access: signedInPage},
		{method: fiber.MethodGet, path: "/admin/members", handler: s.adminOnly(s.adminMembersPage), access: signedInPage},
		{method: fiber.MethodGet, path: "/admin/members/new", handler: s.adminOnly(s.newMemberPage), access: signedInPage},
		{method: fiber.MethodPost, path: "/admin/members/new", handler: s.adminOnly(s.postNewMember), access: signedInPage},
		{method: fiber.MethodGet, path: "/admin/members/:id", handler: s.adminOnly(s.adminMemberPage), access: signedInPage},
		{method: fiber.MethodPost, path: "/admin/members/:id/status", handler: s.adminOnly(s.postMemberStatus), access: signedInPage},
		{method: fiber.MethodPost, path: "/admin/members/:id/skills", handler: s.adminOnly(s.postMemberSkill), access: signedInPage},
		{method: fiber.MethodPost, path: "/admin/members/:id/clearances", handler: s.adminOnly(s.postClearance), access: signedInPage},
		{method: fiber.MethodPost, path: "/admin/members/:id/clearances/:cid/status", handler: s.adminOnly(s.postClearanceStatus), access: signedInPage},
		{method: fiber.MethodGet, path: "/admin/coordinators/new", handler: s.adminOnly(s.coordinatorInvitePage), access: signedInPage},
		{method: fiber.MethodPost, path: "/admin/coordinators/new", handler: s.adminOnly(s.postCoordinatorInvite), access: signedInPage},
		{method: fiber.MethodGet, path: "/admin/skills", handler: s.adminOnly(s.adminSkillsPage), access: signedInPage},
		{method: fiber.MethodPost, path: "/admin/skills", handler: s.adminOnly(s.postSkill), access: signedInPage},
		{method: fiber.MethodGet, path: "/admin/areas", handler: s.adminOnly(s.adminAreasPage), access: signedInPage},
		{method: fiber.MethodPost, path: "/admin/areas", handler: s.adminOnly(s.postArea), access: signedInPage},
		{method: fiber.MethodGet, path: "/dashboard", handler: s.coordOnly(s.dashboardPage), access: signedInPage},
		{method: fiber.MethodGet, path: "/coord/demands/new", handler: s.coordOnly(s.demandFormPage), access: signedInPage},
		{method: fiber.MethodPost, path: "/coord/demands/new", handler: s.coordOnly(s.postDemandForm), access: signedInPage},
		{method: fiber.MethodGet, path: "/coord/demands/:id/edit", handler: s.coordOnly(s.demandEditPage), access: signedInPage},
		{method: fiber.MethodPost, path: "/coord/demands/:id/edit", handler: s.coordOnly(s.postDemandEdit), access: signedInPage},
		{method: fiber.MethodPost, path: "/coord/demands/:id/cancel", handler: s.coordOnly(s.postCancelDemand), access: signedInPage},
		{method: fiber.MethodGet, path: "/coord/board", handler: s.coordOnly(s.boardPage), access: signedInPage},
		{method: fiber.MethodGet, path: "/coord/shifts/:id", handler: s.coordOnly(s.coordShiftPage), access: signedInPage},
		{method: fiber.MethodPost, path: "/coord/shifts/:id/book", handler: s.coordOnly(s.postCoordBook), access: signedInPage},
		{method: fiber.MethodPost, path: "/coord/shifts/:id/cancel", handler: s.coordOnly(s.postCancelShift), access: signedInPage},
		{method: fiber.MethodPost, path: "/coord/shifts/:id/attendance", handler: s.coordOnly(s.postCoordRoster), access: signedInPage},
		{method: fiber.MethodPost, path: "/coord/bookings/:id/:action", handler: s.coordOnly(s.coordBookingAction), access: signedInPage},
		{method: fiber.MethodGet, path: "/coord/capacity", handler: s.coordOnly(s.capacityPage), access: signedInPage},
		{method: fiber.MethodGet, path: "/coord/approvals", handler: s.coordOnly(s.approvalsPage), access: signedInPage},
		{method: fiber.MethodGet, path: "/coord/match", handler: s.coordOnly(s.matchFormPage), access: signedInPage},
		{method: fiber.MethodPost, path: "/coord/match", handler: s.coordOnly(s.startMatch), access: signedInPage},
		{method: fiber.MethodGet, path: "/coord/match/:id", handler: s.coordOnly(s.matchRunPage), access: signedInPage},
		{method: fiber.MethodGet, path: "/coord/match/:id/why-not", handler: s.coordOnly(s.whyNotPage), access: signedInPage},
		{method: fiber.MethodPost, path: "/coord/match/:id/apply", handler: s.coordOnly(s.applyMatch), access: signedInPage},
	}
}

func serveStylesheet(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "text/css; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.Send(stylesheet)
}
