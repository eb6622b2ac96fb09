package web

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// Training: courses, sessions, enrolments and pathways (API), and a member's training and pathway pages.
// vetTrainingRoutes are the training and pathway routes of the VET Agency.
func (s *Server) vetTrainingRoutes() []route {
	return []route{
		{method: fiber.MethodGet, path: "/api/v1/courses", handler: s.listCourses,
			summary: "List courses", tag: "training", response: page[courseJSON]{}, query: pageParams},
		{method: fiber.MethodPost, path: "/api/v1/courses", handler: s.createCourse,
			summary: "Create a course granting a skill (admins, coordinators)", tag: "training", request: courseRequest{}, response: courseJSON{}, status: http.StatusCreated, problems: []int{http.StatusConflict}, about: "grants_skill must be in the skill catalogue (422 naming it); validity_months left out takes the skill's valid_months."},
		{method: fiber.MethodGet, path: "/api/v1/courses/:code/sessions", handler: s.listCourseSessions,
			summary: "A course's sessions in start order (members see those still to come)", tag: "training", response: page[sessionJSON]{}, query: pageParams},
		{method: fiber.MethodPost, path: "/api/v1/courses/:code/sessions", handler: s.postCourseSessions,
			summary: "Post a session, or an RFC 5545 series of them (one per occurrence, in local wall time)", tag: "training", request: sessionRequest{}, response: sessionsJSON{}, status: http.StatusCreated},
		{method: fiber.MethodPost, path: "/api/v1/course-sessions/:id/enrolments", handler: s.postEnrolment,
			summary: "Enrol (yourself, or a member you manage): enrolled while places are left, else waitlisted", tag: "training", request: enrolRequest{}, optional: true, response: enrolmentJSON{}, status: http.StatusCreated, problems: []int{http.StatusConflict}},
		{method: fiber.MethodPost, path: "/api/v1/enrolments/:id/cancel", handler: s.cancelEnrolment,
			summary: "Cancel an enrolment before the session; the first waitlisted takes the place", tag: "training", response: enrolmentJSON{}, problems: []int{http.StatusConflict}},
		{method: fiber.MethodPost, path: "/api/v1/enrolments/:id/complete", handler: s.completeEnrolment,
			summary: "Record completion (the trainer, coordinators, admins) once the session has started; grants or renews the course's skill", tag: "training", response: enrolmentJSON{}, problems: []int{http.StatusConflict}},
		{method: fiber.MethodGet, path: "/api/v1/members/:id/enrolments", handler: s.memberEnrolments,
			summary: "A member's training: enrolments with their sessions, newest first", tag: "training", response: page[enrolmentJSON]{}},
		{method: fiber.MethodGet, path: "/api/v1/pathways", handler: s.listPathways,
			summary: "List pathways and their milestones", tag: "pathways", response: page[pathwayJSON]{}},
		{method: fiber.MethodPost, path: "/api/v1/pathways", handler: s.createPathway,
			summary: "Define a pathway of ordered milestones (admins)", tag: "pathways", request: pathwayRequest{}, response: pathwayJSON{}, status: http.StatusCreated, problems: []int{http.StatusConflict}},
		{method: fiber.MethodGet, path: "/api/v1/members/:id/pathways", handler: s.memberPathways,
			summary: "A member's progress on every pathway: milestones met, what the next needs", tag: "pathways", response: page[progressJSON]{}},
		{method: fiber.MethodGet, path: "/api/v1/reports/pathways", handler: s.pathwayReport,
			summary: "Progress across areas: per pathway, how many members are at each milestone (coordinators, admins)", tag: "pathways", response: page[pathwayReportJSON]{}, query: []param{textParam("areas", "comma-separated area codes; each includes its sub-areas (default: every area you coordinate)")}},
	}
}

// vetTrainingPages are a member's training and pathway pages: courses open
// to them, enrolment, their training and their pathways. Every action is a
// plain form post, so they work without JavaScript.
func (s *Server) vetTrainingPages() []route {
	return []route{
		{method: fiber.MethodGet, path: "/training", handler: s.trainingPage, access: signedInPage},
		{method: fiber.MethodPost, path: "/training/sessions/:id/enrol", handler: s.postEnrolPage, access: signedInPage},
		{method: fiber.MethodPost, path: "/training/enrolments/:id/cancel", handler: s.postCancelEnrolmentPage, access: signedInPage},
		{method: fiber.MethodGet, path: "/my-pathways", handler: s.myPathwaysPage, access: signedInPage},
	}
}
