package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/gofiber/fiber/v2"
)

// apiSpec is /api/openapi.json as a validator sees it: loaded and checked by
// kin-openapi, with a router that finds the operation of a request.
type apiSpec struct {
	doc    *openapi3.T
	router routers.Router
}

// The calendar feed is text: kin-openapi checks it against its string
// schema once it knows to read text/calendar as plain text.
func init() { openapi3filter.RegisterBodyDecoder("text/calendar", openapi3filter.PlainBodyDecoder) }

// loadSpec loads a document and validates it as OpenAPI 3.
func loadSpec(body []byte) (*apiSpec, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(body)
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("not valid OpenAPI 3: %w", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("router: %w", err)
	}
	return &apiSpec{doc: doc, router: router}, nil
}

var (
	servedOnce sync.Once
	served     *apiSpec
	servedErr  error
)

// servedSpec is the document a server serves, loaded once: it is the same
// for every server.
func servedSpec(s *Server) (*apiSpec, error) {
	servedOnce.Do(func() {
		res, err := s.fiber.Test(httptest.NewRequest(http.MethodGet, "/api/openapi.json", nil), -1)
		if err != nil {
			servedErr = err
			return
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		served, servedErr = loadSpec(body)
	})
	return served, servedErr
}

// checkResponse validates one real answer against the operation its request
// names: its status must be documented and its body of the documented
// schema. A request that names no operation (a page, an unknown path, a
// method not served) is not the document's business: checked is false.
func (sp *apiSpec) checkResponse(method, target string, status int, header http.Header, body []byte) (checked bool, err error) {
	req := httptest.NewRequest(method, target, nil)
	route, params, err := sp.router.FindRoute(req)
	if err != nil {
		return false, nil
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	return true, openapi3filter.ValidateResponse(context.Background(), in)
}

// The served document passes kin-openapi's loader and validator, and its
// router finds every API row's operation, so no answer escapes the check
// for want of a match.
func TestOpenAPIDocumentIsValidOpenAPI3(t *testing.T) {
	s := newDocServer(t)
	sp, err := servedSpec(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range apiRows(s) {
		target := pathParam.ReplaceAllString(r.path, "x1")
		route, _, err := sp.router.FindRoute(httptest.NewRequest(r.method, target, nil))
		if err != nil {
			t.Errorf("%s %s: the validator finds no operation: %v", r.method, target, err)
			continue
		}
		if route.Method != r.method || route.Path != openAPIPath(r.path) {
			t.Errorf("%s %s: the validator finds %s %s", r.method, target, route.Method, route.Path)
		}
	}
}

// The validator is not a formality: a query parameter without a schema (as
// the audit filters once were) makes the document invalid, and an answer
// that strays from its schema or status is refused.
func TestOpenAPIValidatorRefusesWhatIsWrong(t *testing.T) {
	s := newDocServer(t)
	rows := append(s.routeTable(), route{method: fiber.MethodGet, path: "/api/v1/broken", handler: s.healthz,
		summary: "A route with a parameter of no schema", query: []param{{name: "entity"}}})
	doc, _ := buildOpenAPI(rows)
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loadSpec(b); err == nil || !strings.Contains(err.Error(), "entity") {
		t.Errorf("a parameter without a schema: validator said %v, want an error naming entity", err)
	}

	sp, err := servedSpec(s)
	if err != nil {
		t.Fatal(err)
	}
	js := http.Header{"Content-Type": {"application/json"}}
	for _, c := range []struct {
		name, target string
		status       int
		body         string
	}{
		{"a booking without its id", "/api/v1/bookings/b1/accept", 200, `{"status": "confirmed"}`},
		{"a shift page whose items are not a list", "/api/v1/shifts", 200, `{"items": 3, "next_cursor": null}`},
		{"a status the operation does not document", "/api/v1/shifts/s1", 418, `{}`},
		{"a problem without a status", "/api/v1/demands/d1", 404, `{"title": 3}`},
	} {
		method := http.MethodGet
		if strings.HasSuffix(c.target, "/accept") {
			method = http.MethodPost
		}
		h := js
		if c.status >= 400 {
			h = http.Header{"Content-Type": {"application/problem+json"}}
		}
		checked, err := sp.checkResponse(method, c.target, c.status, h, []byte(c.body))
		if !checked || err == nil {
			t.Errorf("%s: checked=%v err=%v, want refused", c.name, checked, err)
		}
	}
	if checked, _ := sp.checkResponse(http.MethodGet, "/shifts", 200, nil, nil); checked {
		t.Error("a page was checked against the API's document")
	}
}
