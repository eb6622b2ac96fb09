package web

import (
	"net/http"
	"slices"

	"github.com/gofiber/fiber/v2"
)

// access says who may reach a route and how they sign in.
type access int

const (
	signedIn     access = iota // API: a bearer token is required
	public                     // API: anyone may call it
	signedInPage               // a page: a web session (cookie) is required; POSTs are CSRF-checked
	publicPage                 // a page anyone may open; POSTs are CSRF-checked
	asset                      // a file served as it is: no session, not in the OpenAPI document
)

func (a access) isPage() bool { return a == signedInPage || a == publicPage }

// isAPI reports a row the OpenAPI document lists.
func (a access) isAPI() bool { return a == signedIn || a == public }

// route is one row of the route table: what Fiber serves and, for API rows,
// everything the OpenAPI document says about the operation. Schemas are
// derived by reflection from the Go types named here (json tags; pointers
// are nullable; validate tags give required, enum and bounds).
type route struct {
	method, path string
	handler      fiber.Handler
	access       access

	summary  string
	about    string // a longer description
	tag      string // default: the first path segment after /api/v1/
	request  any    // zero value of the body type the handler decodes; nil: no body
	optional bool   // the body may be left out
	query    []param
	status   int // success status; default 200
	response any // zero value of the type the handler renders; nil: no body
	// mediaType of a success body that is not JSON (documented as a string);
	// with response set too, the caller chooses by Accept.
	mediaType string
	// problems are the problem+json statuses the operation may answer beyond
	// those every row implies (401 and 403 when signed in, 404 with a path
	// parameter, 422 with input, 5XX always): 409, 410, 429.
	problems []int
	// also holds answers with a body of their own besides the success one,
	// by status (readiness's 503).
	also map[int]any
	// enrolment: reachable by someone who must enrol a second factor and has
	// not (every other signed-in route refuses them: 403, or for pages a
	// redirect to enrolment).
	enrolment bool
}

// param is a query parameter and its schema.
type param struct {
	name, about string
	schema      map[string]any
}

func textParam(name, about string) param {
	return param{name: name, about: about, schema: map[string]any{"type": "string"}}
}

func flagParam(name, about string) param {
	return param{name: name, about: about, schema: map[string]any{"type": "boolean"}}
}

var (
	pageParams = []param{
		{name: "limit", about: "page size", schema: map[string]any{"type": "integer", "minimum": 1, "maximum": maxPageSize, "default": defaultPageSize}},
		textParam("cursor", "next_cursor from the previous page"),
	}
	fromParam = textParam("from", "a date YYYY-MM-DD (in the force's time zone) or an RFC 3339 instant")
	toParam   = textParam("to", "a date YYYY-MM-DD (inclusive) or an RFC 3339 instant")
)

// routeTable is every route copbank serves, API and pages. Each group of
// rows lives in routes_<group>.go as <group>Routes.
func (s *Server) routeTable() []route {
	return slices.Concat(
		[]route{
			{method: fiber.MethodGet, path: "/healthz", handler: s.healthz, access: public,
				summary: "Liveness", tag: "health", response: healthResponse{}},
			{method: fiber.MethodGet, path: "/readyz", handler: s.readyz, access: public,
				summary: "Readiness: database reachable and schema current", tag: "health",
				response: healthResponse{}, also: map[int]any{http.StatusServiceUnavailable: healthResponse{}}},
			{method: fiber.MethodGet, path: "/api/openapi.json", handler: s.openapi, access: public,
				summary: "This OpenAPI document", tag: "meta", response: map[string]any{}},
		},
		s.authRoutes(),
		s.oidcRoutes(),
		s.referenceRoutes(),
		s.bankRoutes(),
		s.matchRoutes(),
		s.auditRoutes(),
		s.privacyRoutes(),
		s.calendarRoutes(),
		s.payRoutes(),
		s.onShiftHandoverRoutes(),
		s.onShiftDutyRoutes(),
		s.reportsRoutes(),
		s.publicRoutes(),
		s.vetRecruitmentRoutes(),
		s.vetRecruitmentPages(),
		s.passwordPages(),
		s.vetTrainingRoutes(),
		s.vetTrainingPages(),
		s.pageRoutes(),
		s.reportsPageRoutes(),
		s.webhooksRoutes(),
		s.coverageRoutes(),
	)
}

// routes registers the table: API rows behind the bearer token, held to
// the query parameters they declare (and the idempotency key for changes),
// page rows behind the web session (and the
// CSRF check for POSTs).
func (s *Server) routes() {
	s.fiber.Use("/api", s.authenticate)
	for _, r := range s.routeTable() {
		var handlers []fiber.Handler
		switch {
		case r.access.isAPI():
			if r.access == signedIn {
				handlers = append(handlers, requireAuth, enrolmentGate(r.enrolment))
			}
			handlers = append(handlers, s.queryGuard(r.query))
			if r.method != fiber.MethodGet {
				handlers = append(handlers, s.idempotent)
			}
		case r.access.isPage():
			handlers = append(handlers, s.pageSession)
			if r.access == signedInPage {
				handlers = append(handlers, requireSession, enrolFirst(r.enrolment))
			}
			if r.method == fiber.MethodPost {
				handlers = append(handlers, s.checkCSRF)
			}
		}
		if r.access == asset && r.method == fiber.MethodGet {
			// Get answers HEAD too, which caches use to revalidate a file.
			s.fiber.Get(r.path, r.handler)
			continue
		}
		s.fiber.Add(r.method, r.path, append(handlers, r.handler)...)
	}
}
