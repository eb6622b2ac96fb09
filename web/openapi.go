package web

import (
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/domain"
)

// The OpenAPI document is generated from the route table, so it cannot drift
// from the routes: every route needs an entry in apiDocs (the test fails
// naming any route without one), path and security come from the route row,
// the operationId from the handler's name, and every schema is derived by
// reflection from the Go types the handlers decode and render (json tags,
// pointers are nullable, validate tags give required, enum and bounds).

// opDoc is what the route table cannot say about an operation.
type opDoc struct {
	summary  string
	tag      string // default: the first path segment after /api/v1
	request  any    // zero value of the body type the handler decodes; nil: no body
	optional bool   // the body may be left out
	response any    // zero value of the type the handler renders; nil: no body
	status   int    // success status; default 200
	query    []string
	conflict bool  // may answer 409
	extra    []int // other problem statuses (429, 503, …)
	about    string
	// mediaType of the success body when it is not JSON (response is then
	// documented as a string).
	mediaType string
}

var paged = []string{"limit", "cursor"}

// apiDocs documents every route, keyed "METHOD path" exactly as in the route table.
var apiDocs = map[string]opDoc{
	"GET /healthz": {summary: "Liveness", tag: "health", response: healthResponse{}},
	"GET /readyz": {summary: "Readiness: database reachable and schema current", tag: "health",
		response: healthResponse{}, extra: []int{http.StatusServiceUnavailable}},
	"GET /api/openapi.json": {summary: "This OpenAPI document", tag: "meta", response: map[string]any{}},

	"POST /api/v1/auth/login": {summary: "Sign in with email and password; returns a bearer token", tag: "auth",
		request: loginRequest{}, response: loginResponse{}, extra: []int{http.StatusUnauthorized, http.StatusTooManyRequests}},
	"POST /api/v1/auth/logout": {summary: "Sign out: revoke the token used", tag: "auth", status: http.StatusNoContent},
	"GET /api/v1/me":           {summary: "The signed-in user and their member record, if any", tag: "auth", response: meResponse{}},
	"POST /api/v1/members/:id/invite": {summary: "Invite a member to make their account: a single-use link, valid 7 days, sent to them (admins, coordinators of their area)",
		tag: "auth", response: invitationJSON{}, status: http.StatusCreated, conflict: true,
		about: "The link goes to the member only (this answer never holds it) and ends the member's earlier invitations. 409 when the member already has an account with a password (use a password reset) or is archived."},
	"POST /api/v1/auth/accept-invite": {summary: "Spend an invitation link: create the member's account (or set its first password) and sign in",
		tag: "auth", request: linkRequest{}, response: loginResponse{}, conflict: true, extra: []int{http.StatusGone, http.StatusTooManyRequests},
		about: "410 link-not-valid for a link that is unknown, used or expired (not told apart); 409 when the account already has a password; 429 after too many bad links from one address."},
	"POST /api/v1/auth/password-reset": {summary: "Ask for a password-reset link (single use, valid 1 hour), sent to the account's email",
		tag: "auth", request: resetRequest{}, response: acceptedJSON{}, status: http.StatusAccepted, extra: []int{http.StatusTooManyRequests},
		about: "Always 202, whether or not an account has the email; 429 when one email or one address asks too often."},
	"POST /api/v1/auth/password-reset/confirm": {summary: "Spend a reset link: set the new password and revoke every token of the account",
		tag: "auth", request: linkRequest{}, status: http.StatusNoContent, extra: []int{http.StatusGone, http.StatusTooManyRequests},
		about: "410 link-not-valid for a link that is unknown, used or expired; 429 after too many bad links from one address."},

	"GET /api/v1/audit": {summary: "The audit log, oldest first (admins only)", tag: "audit", response: page[auditEntryJSON]{},
		query: []string{"entity", "entity_id", "actor", "action", "member_id", "from", "to", "limit", "cursor"}},

	"GET /api/v1/members/:id/export": {summary: "Subject access: everything held about a member (the member or an admin)",
		tag: "privacy", response: memberExportJSON{}},
	"DELETE /api/v1/members/:id": {summary: "Erase a member: anonymise, cancel future bookings, say what was kept and why (admins)",
		tag: "privacy", response: erasureJSON{}},

	"GET /api/v1/areas":   {summary: "List areas", response: page[areaJSON]{}, query: paged},
	"POST /api/v1/areas":  {summary: "Create an area", request: areaRequest{}, response: areaJSON{}, status: http.StatusCreated, conflict: true},
	"GET /api/v1/skills":  {summary: "List skills", response: page[skillJSON]{}, query: paged},
	"POST /api/v1/skills": {summary: "Create a skill", request: skillRequest{}, response: skillJSON{}, status: http.StatusCreated, conflict: true},

	"GET /api/v1/members": {summary: "List members (q searches name and email)", response: page[memberJSON]{},
		query: []string{"q", "limit", "cursor"}},
	"POST /api/v1/members": {summary: "Create a member", request: memberCreateRequest{}, response: memberJSON{},
		status: http.StatusCreated, conflict: true},
	"GET /api/v1/members/:id": {summary: "A member with skills and clearances", response: memberDetailJSON{}},
	"PATCH /api/v1/members/:id": {summary: "Change a member (absent fields stay; null clears)", request: memberPatchRequest{},
		response: memberDetailJSON{}, conflict: true},
	"PUT /api/v1/members/:id/skills/:code": {summary: "Record that a member holds a skill", request: skillHoldingRequest{},
		response: memberSkillJSON{}},
	"DELETE /api/v1/members/:id/skills/:code": {summary: "Remove a member's skill", status: http.StatusNoContent},
	"POST /api/v1/members/:id/clearances": {summary: "Add a vetting clearance", request: clearanceRequest{},
		response: clearanceJSON{}, status: http.StatusCreated, conflict: true},
	"PATCH /api/v1/members/:id/clearances/:cid": {summary: "Suspend or reinstate a clearance", request: clearanceStatusRequest{},
		response: clearanceJSON{}},
	"GET /api/v1/members/:id/availability": {summary: "A member's availability patterns", response: page[availabilityJSON]{}},
	"POST /api/v1/members/:id/availability": {summary: "Add an availability pattern (one-off or RRULE)", request: availabilityRequest{},
		response: availabilityJSON{}, status: http.StatusCreated},
	"GET /api/v1/members/:id/availability/expanded": {summary: "Concrete availability windows between from and to",
		response: page[availabilityWindowJSON]{}, query: []string{"from", "to"}},
	"DELETE /api/v1/members/:id/availability/:aid": {summary: "Remove an availability pattern", status: http.StatusNoContent},
	"POST /api/v1/members/:id/leave": {summary: "Record leave", request: leaveRequest{}, response: leaveJSON{},
		status: http.StatusCreated, conflict: true},
	"GET /api/v1/members/:id/bookings": {summary: "A member's bookings", response: page[bookingJSON]{}, query: paged},

	"GET /api/v1/demands": {summary: "List demands", response: page[demandJSON]{}, query: paged},
	"POST /api/v1/demands": {summary: "Create a demand; returns it with its generated shifts", request: demandRequest{},
		response: demandJSON{}, status: http.StatusCreated},
	"GET /api/v1/demands/:id": {summary: "A demand", response: demandJSON{}},
	"PATCH /api/v1/demands/:id": {summary: "Edit a demand's future shifts", request: demandPatch{}, response: demandJSON{},
		conflict: true, about: "Changes only future shifts; lowering a headcount below the places taken is refused with 409."},
	"DELETE /api/v1/demands/:id": {summary: "Cancel a demand and its future shifts", response: demandJSON{}, conflict: true},

	"GET /api/v1/shifts": {summary: "Find shifts with positions and places left", response: page[shiftJSON]{},
		query: []string{"area", "from", "to", "open", "eligible", "limit", "cursor"}},
	"GET /api/v1/shifts/:id": {summary: "A shift", response: shiftJSON{}},
	"POST /api/v1/shifts/:id/bookings": {summary: "Book a place (for yourself, or for a member as a coordinator)", request: bookRequest{},
		response: bookingJSON{}, status: http.StatusCreated, conflict: true,
		about: "Answers 201 with the booking (confirmed, pending or offered), or 409 booking-refused listing every failed rule in `rules`."},
	"POST /api/v1/shifts/:id/waitlist": {summary: "Join a position's waiting list", request: waitlistRequest{},
		response: bookingJSON{}, status: http.StatusCreated, conflict: true},
	"POST /api/v1/bookings/:id/cancel": {summary: "Cancel a booking", request: cancelRequest{}, optional: true,
		response: bookingJSON{}, conflict: true},
	"POST /api/v1/bookings/:id/accept":     {summary: "Accept an offered booking", response: bookingJSON{}, conflict: true},
	"POST /api/v1/bookings/:id/decline":    {summary: "Decline an offered booking", response: bookingJSON{}, conflict: true},
	"POST /api/v1/bookings/:id/approve":    {summary: "Approve a pending booking", response: bookingJSON{}, conflict: true},
	"POST /api/v1/bookings/:id/reject":     {summary: "Reject a pending booking", response: bookingJSON{}, conflict: true},
	"POST /api/v1/bookings/:id/attendance": {summary: "Record attendance", request: attendanceRequest{}, response: bookingJSON{}, conflict: true},

	"POST /api/v1/members/:id/calendar-token": {summary: "A new calendar feed address for a member's bookings (the member or an admin); the old address stops working",
		tag: "calendar", response: calendarTokenJSON{}, status: http.StatusCreated},
	"POST /api/v1/calendar-token": {summary: "A new calendar feed address for the shifts of the caller's areas, 8 weeks ahead (coordinators, admins); the old address stops working",
		tag: "calendar", response: calendarTokenJSON{}, status: http.StatusCreated},
	"GET /calendar/:token.ics": {summary: "A calendar feed (iCalendar, RFC 5545): a member's bookings, or a coordinator's shifts",
		tag: "calendar", mediaType: "text/calendar",
		about: "The token is the only credential: unknown or replaced tokens answer 404. Cancelled bookings stay for 30 days with STATUS:CANCELLED."},

	"POST /api/v1/match-runs": {summary: "Start a matcher run over areas and dates", request: matchRunRequest{},
		response: matchRunJSON{}, status: http.StatusAccepted, conflict: true,
		about: "Answers 202 with the queued run and a Location header; poll GET /api/v1/match-runs/{id}. " +
			"The search is bounded by max_moves (recorded in params with seed, workers and weights, so a run can be replayed exactly); " +
			"time_limit_ms is only a cap, and metrics.stop_reason says time_limit when it bit. " +
			"weights scale the soft terms by name over the force's defaults (GET /api/v1/match-settings): 1 keeps a term, 0 ignores it; unknown terms are 422."},
	"GET /api/v1/match-runs": {summary: "Earlier matcher runs, newest first: every run to an admin, a coordinator's own to them",
		response: page[matchRunSummaryJSON]{}, query: []string{"limit", "cursor"}},
	"GET /api/v1/match-runs/:id/why-not": {summary: "Why a member was not proposed for a place of a run: the hard rules they fail there, or the soft terms they lost on and to whom",
		response: whyNotJSON{}, query: []string{"member_id", "position_id", "shift_id"},
		about: "One item per place of the run on the position (one shift's with shift_id). Reads today's data against the run's proposals."},
	"GET /api/v1/match-settings": {summary: "The matcher's defaults for every run: a weight per soft term (coordinators, admins)",
		response: matchSettingsJSON{}},
	"PUT /api/v1/match-settings": {summary: "Set the matcher's defaults (admins): a weight per soft term, 1 the default, 0 to ignore it; unknown terms are 422",
		request: matchSettingsRequest{}, response: matchSettingsJSON{}},
	"GET /api/v1/match-runs/:id": {summary: "A matcher run: status, progress, proposals with reasons, open places with reasons, metrics",
		response: matchRunJSON{}},
	"POST /api/v1/match-runs/:id/apply": {summary: "Apply what still fits of a run's proposals; report the rest",
		request: applyRequest{}, optional: true, response: matchRunJSON{}, conflict: true},
}

// Document-only shapes of answers rendered with fiber.Map.
type healthResponse struct {
	Status        string `json:"status" validate:"oneof=ok ready unavailable"`
	Reason        string `json:"reason,omitempty"`
	SchemaVersion *int64 `json:"schema_version,omitempty"`
	SchemaTarget  *int64 `json:"schema_target,omitempty"`
}

type meResponse struct {
	User   meUser            `json:"user"`
	Member *memberDetailJSON `json:"member"`
}

// queryParams describes every query parameter an operation may list.
var queryParams = map[string]map[string]any{
	"limit":       {"description": "page size", "schema": map[string]any{"type": "integer", "minimum": 1, "maximum": maxPageSize, "default": defaultPageSize}},
	"cursor":      {"description": "next_cursor from the previous page", "schema": map[string]any{"type": "string"}},
	"q":           {"description": "search text", "schema": map[string]any{"type": "string"}},
	"area":        {"description": "area code; includes its sub-areas", "schema": map[string]any{"type": "string"}},
	"from":        {"description": "a date YYYY-MM-DD (in the force's time zone) or an RFC 3339 instant", "schema": map[string]any{"type": "string"}},
	"to":          {"description": "a date YYYY-MM-DD (inclusive) or an RFC 3339 instant", "schema": map[string]any{"type": "string"}},
	"open":        {"description": "only shifts with places left", "schema": map[string]any{"type": "boolean"}},
	"eligible":    {"description": "only what the caller may book", "schema": map[string]any{"type": "boolean"}},
	"member_id":   {"description": "a member's id", "schema": map[string]any{"type": "string"}},
	"position_id": {"description": "a position's id", "schema": map[string]any{"type": "string"}},
	"shift_id":    {"description": "a shift's id", "schema": map[string]any{"type": "string"}},
}

// enumValues are the values of the domain's named string types.
var enumValues = map[reflect.Type][]string{
	reflect.TypeOf(domain.Kind("")):            {string(domain.KindVolunteer), string(domain.KindBankOfficer), string(domain.KindMentor)},
	reflect.TypeOf(domain.AreaKind("")):        {string(domain.AreaForce), string(domain.AreaLocalAuthority), string(domain.AreaHub), string(domain.AreaNeighbourhood)},
	reflect.TypeOf(domain.MemberStatus("")):    {string(domain.MemberActive), string(domain.MemberSuspended), string(domain.MemberArchived)},
	reflect.TypeOf(domain.ClearanceType("")):   {string(domain.NPPV1), string(domain.NPPV2), string(domain.NPPV3), string(domain.DBSEnhancedChildren), string(domain.DBSEnhancedAdults)},
	reflect.TypeOf(domain.ClearanceStatus("")): {string(domain.ClearanceActive), string(domain.ClearanceSuspended)},
	reflect.TypeOf(domain.Role("")):            {string(domain.RoleAdmin), string(domain.RoleCoordinator), string(domain.RoleMember)},
}

// problemResponses are the shared problem+json answers.
var problemResponses = map[int]struct{ name, description string }{
	http.StatusUnauthorized:        {"Unauthorized", "Sign-in required, or the credentials or token are not valid"},
	http.StatusForbidden:           {"Forbidden", "The caller may not do this"},
	http.StatusNotFound:            {"NotFound", "Nothing with that id, or not visible to the caller"},
	http.StatusConflict:            {"Conflict", "The change does not fit the current state (type …/conflict), or a booking was refused (type …/booking-refused, with every failed rule in `rules`)"},
	http.StatusUnprocessableEntity: {"InvalidInput", "Invalid input; `errors` names every bad field"},
	http.StatusTooManyRequests:     {"TooManyRequests", "Rate-limited; see Retry-After"},
	http.StatusGone:                {"LinkNotValid", "The invitation or reset link is unknown, used or expired (type …/link-not-valid)"},
	http.StatusInternalServerError: {"InternalError", "Something went wrong on our side; it has been logged"},
}

var (
	openapiOnce sync.Once
	openapiBody []byte
)

// openapi serves the document, generated once from the route table.
func (s *Server) openapi(c *fiber.Ctx) error {
	openapiOnce.Do(func() {
		doc, _ := buildOpenAPI(s.routeTable())
		b, err := json.Marshal(doc)
		if err != nil {
			s.log.Error("openapi document", "err", err)
			return
		}
		openapiBody = b
	})
	if openapiBody == nil {
		return domain.Errorf(domain.EInternal, "the OpenAPI document could not be built")
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(openapiBody)
}

var pathParam = regexp.MustCompile(`:([A-Za-z0-9_]+)\??`)

// openAPIPath turns Fiber's /members/:id into OpenAPI's /members/{id}.
func openAPIPath(p string) string { return pathParam.ReplaceAllString(p, "{$1}") }

func pathParams(p string) []string {
	var out []string
	for _, m := range pathParam.FindAllStringSubmatch(p, -1) {
		out = append(out, m[1])
	}
	return out
}

func routeKey(r route) string { return r.method + " " + r.path }

// handlerName is the Go name of a route's handler ("listDemands"), or "".
func handlerName(h fiber.Handler) string {
	if h == nil {
		return ""
	}
	f := runtime.FuncForPC(reflect.ValueOf(h).Pointer())
	if f == nil {
		return ""
	}
	name := f.Name()
	if i := strings.LastIndex(name, "."); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSuffix(name, "-fm")
	if strings.HasPrefix(name, "func") { // a closure: no useful name
		return ""
	}
	return name
}

func operationID(r route) string {
	if n := handlerName(r.handler); n != "" {
		return n
	}
	id := strings.ToLower(r.method)
	for _, part := range strings.FieldsFunc(r.path, func(c rune) bool { return c == '/' || c == ':' || c == '.' || c == '-' }) {
		id += strings.ToUpper(part[:1]) + part[1:]
	}
	return id
}

func tagOf(r route, d opDoc) string {
	if d.tag != "" {
		return d.tag
	}
	rest := strings.TrimPrefix(r.path, "/api/v1/")
	first, _, _ := strings.Cut(rest, "/")
	return strings.Trim(first, "/")
}

// buildOpenAPI generates the document from the routes, and names every route
// without an apiDocs entry ("METHOD path"); such routes are still listed.
func buildOpenAPI(routes []route) (map[string]any, []string) {
	g := newSchemaGen()
	paths := map[string]map[string]any{}
	var missing []string
	tags := map[string]bool{}
	usedIDs := map[string]bool{}
	usedProblems := map[int]bool{}
	for _, r := range routes {
		d, ok := apiDocs[routeKey(r)]
		if !ok {
			missing = append(missing, routeKey(r))
			d = opDoc{summary: "Undocumented"}
		}
		tag := tagOf(r, d)
		tags[tag] = true
		id := operationID(r)
		for usedIDs[id] {
			id += "_" + strings.ToLower(r.method)
		}
		usedIDs[id] = true

		op := map[string]any{"operationId": id, "summary": d.summary, "tags": []string{tag}}
		if d.about != "" {
			op["description"] = d.about
		}
		var params []any
		for _, p := range pathParams(r.path) {
			params = append(params, map[string]any{"name": p, "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		for _, q := range d.query {
			p := map[string]any{"name": q, "in": "query", "required": false}
			for k, v := range queryParams[q] {
				p[k] = v
			}
			params = append(params, p)
		}
		if r.method != fiber.MethodGet && !r.public {
			params = append(params, map[string]any{"$ref": "#/components/parameters/IdempotencyKey"})
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if d.request != nil {
			op["requestBody"] = map[string]any{"required": !d.optional, "content": map[string]any{
				fiber.MIMEApplicationJSON: map[string]any{"schema": g.schema(reflect.TypeOf(d.request), true)}}}
		}
		if !r.public {
			op["security"] = []any{map[string]any{"bearerAuth": []string{}}}
		}

		responses := map[string]any{}
		status := d.status
		if status == 0 {
			status = http.StatusOK
		}
		ok200 := map[string]any{"description": http.StatusText(status)}
		if d.response != nil {
			ok200["content"] = map[string]any{fiber.MIMEApplicationJSON: map[string]any{"schema": g.schema(reflect.TypeOf(d.response), false)}}
		}
		if d.mediaType != "" {
			ok200["content"] = map[string]any{d.mediaType: map[string]any{"schema": map[string]any{"type": "string"}}}
		}
		responses[strconv.Itoa(status)] = ok200
		problems := append([]int{}, d.extra...)
		if !r.public {
			problems = append(problems, http.StatusUnauthorized, http.StatusForbidden)
		}
		if len(pathParams(r.path)) > 0 {
			problems = append(problems, http.StatusNotFound)
		}
		if d.request != nil || len(d.query) > 0 || r.method != fiber.MethodGet && !r.public {
			problems = append(problems, http.StatusUnprocessableEntity)
		}
		if d.conflict {
			problems = append(problems, http.StatusConflict)
		}
		for _, st := range problems {
			if st == http.StatusServiceUnavailable {
				responses["503"] = map[string]any{"description": "Not ready", "content": map[string]any{
					fiber.MIMEApplicationJSON: map[string]any{"schema": g.schema(reflect.TypeOf(healthResponse{}), false)}}}
				continue
			}
			usedProblems[st] = true
			responses[strconv.Itoa(st)] = map[string]any{"$ref": "#/components/responses/" + problemResponses[st].name}
		}
		usedProblems[http.StatusInternalServerError] = true
		responses["5XX"] = map[string]any{"$ref": "#/components/responses/" + problemResponses[http.StatusInternalServerError].name}
		op["responses"] = responses

		p := openAPIPath(r.path)
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		paths[p][strings.ToLower(r.method)] = op
	}

	problemRef := g.schema(reflect.TypeOf(Problem{}), false)
	g.components["Problem"]["description"] = "RFC 9457 problem details. `errors` lists bad fields for invalid input; `rules` lists the failed booking rules of a refused booking."
	respComponents := map[string]any{}
	for st := range usedProblems {
		pr := problemResponses[st]
		respComponents[pr.name] = map[string]any{"description": pr.description, "content": map[string]any{
			"application/problem+json": map[string]any{"schema": problemRef}}}
	}
	var tagList []any
	for _, t := range sortedKeys(tags) {
		tagList = append(tagList, map[string]any{"name": t})
	}
	doc := map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":   "copbank API",
			"version": "1",
			"description": "Bank of police officers and volunteers: members, demand, shifts and bookings. " +
				"Generated from the server's route table. Lists are pages of {items, next_cursor}; " +
				"every error is application/problem+json.",
		},
		"servers": []any{map[string]any{"url": "/"}},
		"tags":    tagList,
		"paths":   paths,
		"components": map[string]any{
			"schemas":   g.components,
			"responses": respComponents,
			"parameters": map[string]any{"IdempotencyKey": map[string]any{"name": "Idempotency-Key", "in": "header", "required": false,
				"description": "The same key and body returns the first answer; the same key with another body is refused with 422.",
				"schema":      map[string]any{"type": "string", "maxLength": 200}}},
			"securitySchemes": map[string]any{"bearerAuth": map[string]any{"type": "http", "scheme": "bearer",
				"description": "The token from POST /api/v1/auth/login"}},
		},
	}
	sort.Strings(missing)
	return doc, missing
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// --- schemas by reflection ---

type schemaKey struct {
	t     reflect.Type
	input bool
}

type schemaGen struct {
	components map[string]map[string]any
	names      map[schemaKey]string
	owners     map[string]schemaKey
}

func newSchemaGen() *schemaGen {
	return &schemaGen{components: map[string]map[string]any{}, names: map[schemaKey]string{}, owners: map[string]schemaKey{}}
}

var timeType = reflect.TypeOf(time.Time{})

// schema is the schema of t; named structs become components. input says
// the type is read from a request (validate tags give required; unknown
// fields are refused) rather than written (fields without omitempty are
// always present).
func (g *schemaGen) schema(t reflect.Type, input bool) map[string]any {
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	if vals, ok := enumValues[t]; ok {
		return map[string]any{"type": "string", "enum": vals}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return nullable(g.schema(t.Elem(), input))
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return map[string]any{"type": "integer", "format": "int32"}
	case reflect.Int, reflect.Int64, reflect.Uint, reflect.Uint64:
		return map[string]any{"type": "integer", "format": "int64"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number", "format": "double"}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string", "format": "byte"}
		}
		return map[string]any{"type": "array", "items": g.schema(t.Elem(), input)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem(), input)}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		// clearable[T] reads T or null.
		if strings.HasPrefix(t.Name(), "clearable[") {
			if f, ok := t.FieldByName("value"); ok {
				return g.schema(f.Type, input)
			}
		}
		if t.Name() == "" {
			return g.object(t, input)
		}
		return g.ref(t, input)
	}
	return map[string]any{}
}

func (g *schemaGen) ref(t reflect.Type, input bool) map[string]any {
	key := schemaKey{t, input}
	name, ok := g.names[key]
	if !ok {
		name = componentName(t)
		if input {
			if other, taken := g.owners[name]; taken && other.t == t {
				name += "Input"
			}
		}
		base := name
		for i := 2; ; i++ {
			if _, taken := g.owners[name]; !taken {
				break
			}
			name = base + strconv.Itoa(i)
		}
		g.names[key], g.owners[name] = name, key
		g.components[name] = map[string]any{} // placeholder for recursive types
		obj := g.object(t, input)
		g.components[name] = obj
	}
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

// componentName: demandJSON → Demand, page[…shiftJSON] → ShiftPage.
func componentName(t reflect.Type) string {
	name := t.Name()
	if base, arg, ok := strings.Cut(name, "["); ok {
		arg = strings.TrimSuffix(arg, "]")
		if i := strings.LastIndex(arg, "."); i >= 0 {
			arg = arg[i+1:]
		}
		return cleanName(arg) + cleanName(base)
	}
	return cleanName(name)
}

func cleanName(n string) string {
	if s := strings.TrimSuffix(n, "JSON"); s != "" {
		n = s
	}
	if n == "" {
		return "Anonymous"
	}
	return strings.ToUpper(n[:1]) + n[1:]
}

func (g *schemaGen) object(t reflect.Type, input bool) map[string]any {
	props := map[string]any{}
	var required []string
	g.fields(t, input, props, &required)
	obj := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		sort.Strings(required)
		obj["required"] = required
	}
	if input {
		obj["additionalProperties"] = false
	}
	return obj
}

func (g *schemaGen) fields(t reflect.Type, input bool, props map[string]any, required *[]string) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				g.fields(ft, input, props, required)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		s := g.schema(ft, input)
		addFormat(s, ft, name)
		req := applyValidate(s, ft, f.Tag.Get("validate"))
		if input && req || !input && !strings.Contains(","+opts+",", ",omitempty,") {
			*required = append(*required, name)
		}
		props[name] = s
	}
}

// Formats of string fields by their JSON name (the DTOs carry times and
// dates as strings in the SPEC's shapes).
var (
	dateTimeFields = map[string]bool{"created_at": true, "updated_at": true, "start": true, "end": true,
		"cancelled_at": true, "actual_start": true, "actual_end": true, "expires_at": true}
	dateFields      = map[string]bool{"obtained_on": true, "expires_on": true, "granted_on": true, "until": true}
	wallTimeFields  = map[string]bool{"start_local": true, "end_local": true, "exdates": true}
	wallTimePattern = `^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$`
)

func addFormat(s map[string]any, t reflect.Type, name string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	target := s
	if t.Kind() == reflect.Slice {
		items, _ := s["items"].(map[string]any)
		if items == nil {
			return
		}
		target, t = items, t.Elem()
	}
	if t.Kind() != reflect.String || t == timeType {
		return
	}
	switch {
	case dateTimeFields[name]:
		target["format"] = "date-time"
	case dateFields[name]:
		target["format"] = "date"
	case wallTimeFields[name]:
		target["pattern"] = wallTimePattern
		target["description"] = "a wall time YYYY-MM-DDTHH:MM in the timezone given"
	}
}

// applyValidate turns validate rules into schema keywords on s (rules after
// dive apply to the items) and reports "required".
func applyValidate(s map[string]any, t reflect.Type, tag string) bool {
	if tag == "" {
		return false
	}
	required, dived := false, false
	target, tt := s, t
	for _, rule := range strings.Split(tag, ",") {
		name, param, _ := strings.Cut(rule, "=")
		for tt.Kind() == reflect.Pointer {
			tt = tt.Elem()
		}
		switch name {
		case "required":
			required = required || !dived
		case "dive":
			if tt.Kind() != reflect.Slice && tt.Kind() != reflect.Array {
				return required
			}
			items, _ := target["items"].(map[string]any)
			if items == nil {
				return required
			}
			target, tt, dived = items, tt.Elem(), true
		case "max", "min", "len", "gte", "lte", "gt", "lt":
			setBound(target, tt, name, param)
		case "oneof":
			var vals []any
			for _, v := range strings.Fields(param) {
				if n, err := strconv.ParseFloat(v, 64); err == nil && tt.Kind() != reflect.String {
					vals = append(vals, n)
				} else {
					vals = append(vals, v)
				}
			}
			put(target, "enum", vals)
		case "email":
			put(target, "format", "email")
		case "latitude":
			put(target, "minimum", -90)
			put(target, "maximum", 90)
		case "longitude":
			put(target, "minimum", -180)
			put(target, "maximum", 180)
		}
	}
	return required
}

func setBound(s map[string]any, t reflect.Type, rule, param string) {
	n, err := strconv.ParseFloat(param, 64)
	if err != nil {
		return
	}
	var lo, hi string
	switch t.Kind() {
	case reflect.String:
		lo, hi = "minLength", "maxLength"
	case reflect.Slice, reflect.Array:
		lo, hi = "minItems", "maxItems"
	case reflect.Map:
		lo, hi = "minProperties", "maxProperties"
	default:
		lo, hi = "minimum", "maximum"
	}
	isNumber := lo == "minimum"
	switch rule {
	case "min", "gte":
		put(s, lo, n)
	case "max", "lte":
		put(s, hi, n)
	case "len":
		put(s, lo, n)
		put(s, hi, n)
	case "gt":
		if isNumber {
			put(s, lo, n)
			put(s, "exclusiveMinimum", true)
		} else {
			put(s, lo, n+1)
		}
	case "lt":
		if isNumber {
			put(s, hi, n)
			put(s, "exclusiveMaximum", true)
		} else {
			put(s, hi, n-1)
		}
	}
}

// put sets a keyword; beside a $ref (where OpenAPI 3.0 ignores siblings) the
// ref moves into allOf first.
func put(s map[string]any, k string, v any) {
	if ref, ok := s["$ref"]; ok {
		delete(s, "$ref")
		s["allOf"] = []any{map[string]any{"$ref": ref}}
	}
	s[k] = v
}

func nullable(s map[string]any) map[string]any {
	if ref, ok := s["$ref"]; ok {
		return map[string]any{"allOf": []any{map[string]any{"$ref": ref}}, "nullable": true}
	}
	out := make(map[string]any, len(s)+1)
	for k, v := range s {
		out[k] = v
	}
	out["nullable"] = true
	return out
}
