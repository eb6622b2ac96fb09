package web

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// coverageRoutes: the no-show approval hold, neighbourhood coverage (named
// officers, targets, the report) and the coverage board.
func (s *Server) coverageRoutes() []route {
	return []route{
		{method: fiber.MethodDelete, path: "/api/v1/members/:id/approval-hold", handler: s.liftApprovalHold, tag: "members",
			summary: "Lift a member's no-show approval hold (admins, coordinators of their home area)", status: http.StatusNoContent,
			about: "After too many no-shows (COPBANK_NOSHOW_*; default 2 within 90 days) a member's own bookings wait for approval for a while (default 90 days). Lifting ends that now; the no-shows before it are not counted again. Lifting when there is no hold changes nothing."},
		{method: fiber.MethodPut, path: "/api/v1/areas/:code/named-officer", handler: s.putNamedOfficer, tag: "coverage",
			summary: "Name a neighbourhood's local officer or PCSO (coordinators of the area, admins)", request: namedOfficerRequest{},
			response: areaCoverageJSON{}, about: "member_id null clears it. Only neighbourhoods have one (422 on code otherwise)."},
		{method: fiber.MethodPut, path: "/api/v1/areas/:code/coverage-target", handler: s.putCoverageTarget, tag: "coverage",
			summary: "Set a neighbourhood's weekly target of bank and volunteer hours (coordinators of the area, admins)",
			request: coverageTargetRequest{}, response: areaCoverageJSON{}, about: "hours_per_week from 0 to 168; null clears it."},
		{method: fiber.MethodGet, path: "/api/v1/reports/coverage", handler: s.coverageReport, tag: "reports",
			summary: "Neighbourhood coverage by ISO week: the named officer on shift, bank and volunteer hours against the target, and the gaps",
			query: []param{
				textParam("areas", "comma-separated area codes, each with everything below it (coordinators: default and limit their areas)"),
				fromParam, toParam,
			},
			response: page[coverageLineJSON]{}, mediaType: mimeCSV,
			about: "One row per neighbourhood and ISO week (in the force's zone) from the week holding `from` to the week holding `to` (default this week and the next three). " +
				"has_named_officer: an officer is named and had a confirmed or attended booking on a shift in the neighbourhood that week. " +
				"Hours count offered, pending, confirmed and attended bookings on shifts posted in the neighbourhood (attended ones at their recorded times); " +
				"bank hours are bank officers' (a paid position), volunteer hours everyone else's. gaps: no_named_officer, no_officer_shift, below_target. " +
				"Answers CSV when Accept asks for text/csv."},
		{method: fiber.MethodGet, path: "/coord/coverage", handler: s.coordOnly(s.coveragePage), access: signedInPage},
		{method: fiber.MethodGet, path: "/coord/coverage/:code", handler: s.coordOnly(s.coverageEditPage), access: signedInPage},
		{method: fiber.MethodPost, path: "/coord/coverage/:code", handler: s.coordOnly(s.postCoverageEdit), access: signedInPage},
		{method: fiber.MethodGet, path: "/coord/members/:id/approval-hold", handler: s.coordOnly(s.coordHoldPage), access: signedInPage},
		{method: fiber.MethodPost, path: "/coord/members/:id/approval-hold/lift", handler: s.coordOnly(s.postLiftHold), access: signedInPage},
	}
}
