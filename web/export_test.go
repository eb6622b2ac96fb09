package web

import (
	"fmt"
	"net/http"
)

// RouteKeys lists "METHOD path" for every API row of the route table, so
// that the authorisation matrix (package web_test, beside the HTTP test
// helpers) can check that each API route has a row.
func RouteKeys(s *Server) []string {
	var out []string
	for _, r := range s.routeTable() {
		if r.access.isAPI() {
			out = append(out, routeKey(r))
		}
	}
	return out
}

// CheckAgainstOpenAPI validates a real answer of s against the document it
// serves, read by kin-openapi: an error names the request and says how the
// answer strays from its operation (an undocumented status, a body off its schema). Requests that
// name no API operation (pages, unknown paths) pass.
func CheckAgainstOpenAPI(s *Server, method, target string, status int, header http.Header, body []byte) error {
	sp, err := servedSpec(s)
	if err != nil {
		return err
	}
	if _, err := sp.checkResponse(method, target, status, header, body); err != nil {
		return fmt.Errorf("%s %s answered %d, which /api/openapi.json does not describe: %w\nbody: %.600s", method, target, status, err, body)
	}
	return nil
}

// BodyRoute is an API row that decodes a request body, with the zero value
// of the body's type.
type BodyRoute struct {
	Method, Path string
	Request      any
}

// BodyRoutes lists every API row that takes a body, so that the bad-input
// tour can send each one its worst.
func BodyRoutes(s *Server) []BodyRoute {
	var out []BodyRoute
	for _, r := range s.routeTable() {
		if r.access.isAPI() && r.request != nil {
			out = append(out, BodyRoute{Method: r.method, Path: r.path, Request: r.request})
		}
	}
	return out
}
