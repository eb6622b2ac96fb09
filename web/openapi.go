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

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/domain"
)

// The OpenAPI document is generated from the API rows of the route table
// only, so it cannot drift from the routes: path, security, summary, query
// parameters, bodies and answers come from the row, the operationId from the
// handler's name, and every schema is derived by reflection from the Go
// types the row names.

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

// problemResponses are the shared problem+json answers.
var problemResponses = map[int]struct{ name, description string }{
	http.StatusUnauthorized:        {"Unauthorized", "Sign-in required, or the credentials or token are not valid"},
	http.StatusForbidden:           {"Forbidden", "The caller may not do this"},
	http.StatusNotFound:            {"NotFound", "Nothing with that id, or not visible to the caller"},
	http.StatusConflict:            {"Conflict", "The change does not fit the current state (type …/conflict), or a booking was refused (type …/booking-refused, with every failed rule in `rules`), or a colleague took a handover first (type …/handover-taken)"},
	http.StatusUnprocessableEntity: {"InvalidInput", "Invalid input; `errors` names every bad field, and every query parameter the operation does not take"},
	http.StatusTooManyRequests:     {"TooManyRequests", "Rate-limited; see Retry-After"},
	http.StatusGone:                {"LinkNotValid", "The invitation or reset link is unknown, used or expired (type …/link-not-valid)"},
	http.StatusInternalServerError: {"InternalError", "Something went wrong on our side; it has been logged (503 …/unavailable with Retry-After when the database could not be reached: safe to retry with the same Idempotency-Key)"},
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

func tagOf(r route) string {
	if r.tag != "" {
		return r.tag
	}
	rest := strings.TrimPrefix(r.path, "/api/v1/")
	first, _, _ := strings.Cut(rest, "/")
	return strings.Trim(first, "/")
}

// buildOpenAPI generates the document from the API rows, and names every
// API row without a summary ("METHOD path"); such rows are still listed.
func buildOpenAPI(routes []route) (map[string]any, []string) {
	g := newSchemaGen()
	paths := map[string]map[string]any{}
	var missing []string
	tags := map[string]bool{}
	usedIDs := map[string]bool{}
	usedProblems := map[int]bool{}
	for _, r := range routes {
		if !r.access.isAPI() {
			continue
		}
		summary := r.summary
		if summary == "" {
			missing = append(missing, routeKey(r))
			summary = "Undocumented"
		}
		tag := tagOf(r)
		tags[tag] = true
		id := operationID(r)
		for usedIDs[id] {
			id += "_" + strings.ToLower(r.method)
		}
		usedIDs[id] = true

		op := map[string]any{"operationId": id, "summary": summary, "tags": []string{tag}}
		if r.about != "" {
			op["description"] = r.about
		}
		var params []any
		for _, p := range pathParams(r.path) {
			params = append(params, map[string]any{"name": p, "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		for _, q := range r.query {
			p := map[string]any{"name": q.name, "in": "query", "required": false, "schema": q.schema}
			if q.about != "" {
				p["description"] = q.about
			}
			params = append(params, p)
		}
		if r.method != fiber.MethodGet && r.access == signedIn {
			params = append(params, map[string]any{"$ref": "#/components/parameters/IdempotencyKey"})
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if r.request != nil {
			op["requestBody"] = map[string]any{"required": !r.optional, "content": map[string]any{
				fiber.MIMEApplicationJSON: map[string]any{"schema": g.schema(reflect.TypeOf(r.request), true)}}}
		}
		if r.access == signedIn {
			op["security"] = []any{map[string]any{"bearerAuth": []string{}}}
		}

		responses := map[string]any{}
		status := r.status
		if status == 0 {
			status = http.StatusOK
		}
		ok := map[string]any{"description": http.StatusText(status)}
		if r.response != nil {
			ok["content"] = map[string]any{fiber.MIMEApplicationJSON: map[string]any{"schema": g.schema(reflect.TypeOf(r.response), false)}}
		}
		if r.mediaType != "" {
			// With a response type as well, the operation answers either, by Accept.
			content, _ := ok["content"].(map[string]any)
			if content == nil {
				content = map[string]any{}
			}
			content[r.mediaType] = map[string]any{"schema": map[string]any{"type": "string"}}
			ok["content"] = content
		}
		responses[strconv.Itoa(status)] = ok
		for st, body := range r.also {
			responses[strconv.Itoa(st)] = map[string]any{"description": http.StatusText(st), "content": map[string]any{
				fiber.MIMEApplicationJSON: map[string]any{"schema": g.schema(reflect.TypeOf(body), false)}}}
		}
		problems := append([]int{}, r.problems...)
		if r.access == signedIn {
			problems = append(problems, http.StatusUnauthorized, http.StatusForbidden)
		}
		if len(pathParams(r.path)) > 0 {
			problems = append(problems, http.StatusNotFound)
		}
		// Every operation refuses query parameters it does not declare.
		problems = append(problems, http.StatusUnprocessableEntity)
		for _, st := range problems {
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
