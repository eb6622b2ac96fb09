package web

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// Recruitment: opportunities, applications and the staged pipeline (API), the public opportunity pages and the coordinators' pipeline board.
// vetRecruitmentRoutes are the VET Agency's opportunities and applications.
func (s *Server) vetRecruitmentRoutes() []route {
	const o, a = "/api/v1/opportunities", "/api/v1/applications"
	return []route{
		{method: fiber.MethodGet, path: o, handler: s.listOpportunities, access: public,
			summary: "VET opportunities: open ones for anyone; signed-in staff also see drafts and closed ones in their areas",
			tag:     "opportunities", response: page[opportunityJSON]{},
			query: append([]param{textParam("area", "area code; includes its sub-areas"), kindParam}, pageParams...),
			about: "Public and cacheable when signed out."},
		{method: fiber.MethodPost, path: o, handler: s.createOpportunity,
			summary: "Publish a role profile (admins, coordinators in their areas)", tag: "opportunities",
			request: opportunityRequest{}, response: opportunityJSON{}, status: http.StatusCreated},
		{method: fiber.MethodGet, path: o + "/:id", handler: s.getOpportunity, access: public,
			summary: "One opportunity: public when open", tag: "opportunities", response: opportunityJSON{}},
		{method: fiber.MethodPatch, path: o + "/:id", handler: s.patchOpportunity,
			summary: "Change an opportunity (admins, coordinators of its area)", tag: "opportunities",
			request: opportunityPatchRequest{}, response: opportunityJSON{}},
		{method: fiber.MethodPost, path: a, handler: s.apply, access: public,
			summary: "Apply to an open opportunity (no sign-in); an acknowledgement with a withdraw link is emailed",
			tag:     "applications", request: applicationRequest{}, response: applicationCreatedJSON{}, status: http.StatusCreated,
			problems: []int{http.StatusTooManyRequests},
			about:    "422 naming each bad field (consent, an opportunity that is not open, a lived: code not in the skill catalogue); 429 when one address sends too many in a minute. Nothing is stored when refused."},
		{method: fiber.MethodPost, path: a + "/withdraw", handler: s.withdrawApplication, access: public,
			summary: "Spend the withdraw link from the acknowledgement: the application moves to withdrawn",
			tag:     "applications", request: withdrawRequest{}, response: applicationCreatedJSON{},
			problems: []int{http.StatusConflict, http.StatusGone, http.StatusTooManyRequests},
			about:    "410 link-not-valid for a link that is unknown, used or expired; 409 stage-refused when the application has ended."},
		{method: fiber.MethodGet, path: a, handler: s.listApplications,
			summary: "Applications to opportunities in the caller's areas (admins, coordinators)", tag: "applications",
			response: page[applicationJSON]{}, query: append([]param{stageParam, textParam("opportunity", "opportunity id")}, pageParams...)},
		{method: fiber.MethodGet, path: a + "/:id", handler: s.getApplication,
			summary: "One application with its stage history (admins, coordinators of the opportunity's area)", tag: "applications",
			response: applicationDetailJSON{}},
		{method: fiber.MethodPost, path: a + "/:id/stage", handler: s.moveStage,
			summary: "Move an application to its next stage, or reject it, with a note", tag: "applications",
			request: stageRequest{}, response: stageMovedJSON{}, problems: []int{http.StatusConflict},
			about: "409 stage-refused, naming in `errors` the stage it may move to, when a stage is skipped or repeated. Reaching active makes the applicant a member (or adds the kind to the member with their email) and invites them."},
		{method: fiber.MethodGet, path: a + "/:id/export", handler: s.exportApplication,
			summary: "Subject access: everything held about an applicant (admins)", tag: "privacy",
			response: applicationExportJSON{}},
		{method: fiber.MethodDelete, path: a + "/:id", handler: s.eraseApplication,
			summary: "Erase an applicant: anonymise every personal field, say what was kept and why (admins)", tag: "privacy",
			response: erasureJSON{}, problems: []int{http.StatusConflict}},
	}
}

func (s *Server) vetRecruitmentPages() []route {
	return []route{
		{method: fiber.MethodGet, path: "/opportunities", handler: s.opportunitiesPage, access: publicPage},
		{method: fiber.MethodGet, path: "/opportunities/privacy", handler: s.applicantPrivacyPage, access: publicPage},
		{method: fiber.MethodGet, path: "/opportunities/:id", handler: s.opportunityPage, access: publicPage},
		{method: fiber.MethodGet, path: "/opportunities/:id/apply", handler: s.applyPage, access: publicPage},
		{method: fiber.MethodPost, path: "/opportunities/:id/apply", handler: s.postApply, access: publicPage},
		{method: fiber.MethodGet, path: "/opportunities/:id/applied", handler: s.appliedPage, access: publicPage},
		{method: fiber.MethodGet, path: withdrawPagePrefix + ":token", handler: s.withdrawPage, access: publicPage},
		{method: fiber.MethodPost, path: withdrawPagePrefix + ":token", handler: s.postWithdraw, access: publicPage},
		{method: fiber.MethodGet, path: "/coord/applications", handler: s.coordOnly(s.pipelinePage), access: signedInPage},
		{method: fiber.MethodPost, path: "/coord/applications/:id/stage", handler: s.coordOnly(s.postPipelineStage), access: signedInPage},
	}
}
