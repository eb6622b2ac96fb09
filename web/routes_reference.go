package web

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// referenceRoutes: areas, skills, and members with their skills,
// clearances, availability and leave.
func (s *Server) referenceRoutes() []route {
	const m = "/api/v1/members/:id"
	conflict := []int{http.StatusConflict}
	return []route{
		{method: fiber.MethodGet, path: "/api/v1/areas", handler: s.listAreas,
			summary: "List areas", response: page[areaJSON]{}, query: pageParams},
		{method: fiber.MethodPost, path: "/api/v1/areas", handler: s.createArea,
			summary: "Create an area", request: areaRequest{}, response: areaJSON{}, status: http.StatusCreated, problems: conflict},
		{method: fiber.MethodGet, path: "/api/v1/skills", handler: s.listSkills,
			summary: "List skills", response: page[skillJSON]{}, query: pageParams},
		{method: fiber.MethodPost, path: "/api/v1/skills", handler: s.createSkill,
			summary: "Create a skill", request: skillRequest{}, response: skillJSON{}, status: http.StatusCreated, problems: conflict},
		{method: fiber.MethodGet, path: "/api/v1/members", handler: s.listMembers,
			summary: "List members (q searches name and email)", response: page[memberJSON]{},
			query: append([]param{textParam("q", "search text")}, pageParams...)},
		{method: fiber.MethodPost, path: "/api/v1/members", handler: s.createMember,
			summary: "Create a member", request: memberCreateRequest{}, response: memberJSON{}, status: http.StatusCreated, problems: conflict},
		{method: fiber.MethodGet, path: m, handler: s.getMember,
			summary: "A member with skills and clearances", response: memberDetailJSON{}},
		{method: fiber.MethodPatch, path: m, handler: s.patchMember,
			summary: "Change a member (absent fields stay; null clears)", request: memberPatchRequest{},
			response: memberDetailJSON{}, problems: conflict},
		{method: fiber.MethodPut, path: m + "/skills/:code", handler: s.putMemberSkill,
			summary: "Record that a member holds a skill", request: skillHoldingRequest{}, response: memberSkillJSON{}},
		{method: fiber.MethodDelete, path: m + "/skills/:code", handler: s.deleteMemberSkill,
			summary: "Remove a member's skill", status: http.StatusNoContent},
		{method: fiber.MethodPost, path: m + "/clearances", handler: s.addClearance,
			summary: "Add a vetting clearance", request: clearanceRequest{}, response: clearanceJSON{},
			status: http.StatusCreated, problems: conflict},
		{method: fiber.MethodPatch, path: m + "/clearances/:cid", handler: s.patchClearance,
			summary: "Suspend or reinstate a clearance", request: clearanceStatusRequest{}, response: clearanceJSON{}},
		{method: fiber.MethodGet, path: m + "/availability", handler: s.listAvailability,
			summary: "A member's availability patterns", response: page[availabilityJSON]{}},
		{method: fiber.MethodPost, path: m + "/availability", handler: s.addAvailability,
			summary: "Add an availability pattern (one-off or RRULE, with or without the RRULE: prefix)", request: availabilityRequest{},
			response: availabilityJSON{}, status: http.StatusCreated},
		{method: fiber.MethodGet, path: m + "/availability/expanded", handler: s.expandAvailability,
			summary: "Concrete availability windows between from and to, with leave taken out", response: page[availabilityWindowJSON]{},
			query: []param{fromParam, toParam}},
		{method: fiber.MethodDelete, path: m + "/availability/:aid", handler: s.deleteAvailability,
			summary: "Remove an availability pattern", status: http.StatusNoContent},
		{method: fiber.MethodGet, path: m + "/leave", handler: s.listLeave,
			summary: "A member's leave, by start date", response: page[leaveJSON]{}},
		{method: fiber.MethodPost, path: m + "/leave", handler: s.addLeave,
			summary: "Record leave: its days drop out of the member's availability", request: leaveRequest{}, response: leaveJSON{},
			status: http.StatusCreated, problems: conflict},
		{method: fiber.MethodDelete, path: m + "/leave/:lid", handler: s.withdrawLeave,
			summary: "Withdraw leave: its days count as available again", status: http.StatusNoContent},
	}
}
