package web

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
)

func newDocServer(t *testing.T) *Server {
	t.Helper()
	store := dbtest.New(t, db.SQLite)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	return New(app.New(store, app.DefaultConfig(), log), log)
}

var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// operations lists the document's operations as "METHOD /openapi/{path}".
func operations(t *testing.T, doc map[string]any) map[string]map[string]any {
	t.Helper()
	paths, ok := doc["paths"].(map[string]any)
	if !ok {
		t.Fatalf("paths is %T, want an object", doc["paths"])
	}
	out := map[string]map[string]any{}
	for p, item := range paths {
		for _, m := range methods {
			if op, ok := item.(map[string]any)[m].(map[string]any); ok {
				out[strings.ToUpper(m)+" "+p] = op
			}
		}
	}
	return out
}

// roundTrip gives the generated document as a client sees it.
func roundTrip(t *testing.T, doc map[string]any) map[string]any {
	t.Helper()
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	return out
}

// apiRows are the route table's API rows: the ones the document lists.
func apiRows(s *Server) []route {
	var out []route
	for _, r := range s.routeTable() {
		if r.access.isAPI() {
			out = append(out, r)
		}
	}
	return out
}

// Every API row is in the document with its method, with security exactly
// when it needs a token, and the document holds nothing else; every API row
// has a summary.
func TestOpenAPIDocumentsEveryRouteAndNothingElse(t *testing.T) {
	s := newDocServer(t)
	doc, missing := buildOpenAPI(s.routeTable())
	for _, m := range missing {
		t.Errorf("route %s has no summary in the route table: document it", m)
	}
	ops := operations(t, roundTrip(t, doc))
	want := map[string]bool{}
	for _, r := range apiRows(s) {
		k := r.method + " " + openAPIPath(r.path)
		want[k] = true
		op, ok := ops[k]
		if !ok {
			t.Errorf("route %s %s is not in the OpenAPI document", r.method, r.path)
			continue
		}
		_, secured := op["security"]
		if secured != (r.access == signedIn) {
			t.Errorf("%s %s: access %v but security present=%v", r.method, r.path, r.access, secured)
		}
	}
	for k := range ops {
		if !want[k] {
			t.Errorf("the OpenAPI document has %s, which is not an API row of the route table", k)
		}
	}
}

// A route added without a summary fails the test, by name.
func TestOpenAPIRouteWithoutDocsIsNamed(t *testing.T) {
	s := newDocServer(t)
	_, before := buildOpenAPI(s.routeTable())
	rs := append(s.routeTable(), route{method: fiber.MethodPost, path: "/api/v1/undocumented/:id", handler: s.healthz})
	doc, missing := buildOpenAPI(rs)
	if len(missing) != len(before)+1 || !slices.Contains(missing, "POST /api/v1/undocumented/:id") {
		t.Fatalf("missing = %v, want %v and the undocumented route", missing, before)
	}
	if _, ok := operations(t, roundTrip(t, doc))["POST /api/v1/undocumented/{id}"]; !ok {
		t.Fatal("an undocumented route is still listed in the document")
	}
}

// The served document is valid JSON with openapi, info and paths; every
// operation has an id, a summary, at least one response and its path
// parameters; every $ref resolves.
var templateParam = regexp.MustCompile(`\{([^{}/]+)\}`)

func TestOpenAPIDocumentServedAndWellFormed(t *testing.T) {
	s := newDocServer(t)
	resp, err := s.fiber.Test(httptest.NewRequest(http.MethodGet, "/api/openapi.json", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/openapi.json: %d %s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("content type %q", ct)
	}
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.") {
		t.Errorf("openapi = %v", doc["openapi"])
	}
	if info, _ := doc["info"].(map[string]any); info["title"] == nil || info["version"] == nil {
		t.Errorf("info = %v", doc["info"])
	}
	ops := operations(t, doc)
	if len(ops) == 0 {
		t.Fatal("no operations")
	}
	ids := map[string]string{}
	for k, op := range ops {
		id, _ := op["operationId"].(string)
		if id == "" {
			t.Errorf("%s has no operationId", k)
		} else if other, dup := ids[id]; dup {
			t.Errorf("%s and %s share operationId %q", k, other, id)
		}
		ids[id] = k
		if sm, _ := op["summary"].(string); sm == "" || sm == "Undocumented" {
			t.Errorf("%s has no summary", k)
		}
		if tags, _ := op["tags"].([]any); len(tags) == 0 {
			t.Errorf("%s has no tags", k)
		}
		responses, _ := op["responses"].(map[string]any)
		hasSuccess := false
		for code := range responses {
			if strings.HasPrefix(code, "2") {
				hasSuccess = true
			}
		}
		if len(responses) == 0 || !hasSuccess {
			t.Errorf("%s has no success response: %v", k, responses)
		}
		_, path, _ := strings.Cut(k, " ")
		declared := map[string]bool{}
		params, _ := op["parameters"].([]any)
		for _, p := range params {
			pm := p.(map[string]any)
			if pm["in"] == "path" {
				declared[pm["name"].(string)] = true
			}
		}
		// A parameter may fill a segment or part of one (/calendar/{token}.ics).
		for _, m := range templateParam.FindAllStringSubmatch(path, -1) {
			if name := m[1]; !declared[name] {
				t.Errorf("%s does not declare path parameter %s", k, name)
			}
		}
	}
	// Every $ref points at something.
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				if !resolves(doc, ref) {
					t.Errorf("$ref %s does not resolve", ref)
				}
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(doc)

	comps := doc["components"].(map[string]any)
	problem, _ := comps["schemas"].(map[string]any)["Problem"].(map[string]any)
	props, _ := problem["properties"].(map[string]any)
	for _, f := range []string{"type", "title", "status", "detail", "errors", "rules"} {
		if props[f] == nil {
			t.Errorf("Problem schema lacks %s", f)
		}
	}
	if _, ok := comps["securitySchemes"].(map[string]any)["bearerAuth"]; !ok {
		t.Error("no bearerAuth security scheme")
	}
}

func resolves(doc map[string]any, ref string) bool {
	if !strings.HasPrefix(ref, "#/") {
		return false
	}
	var cur any = doc
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = m[part]; !ok {
			return false
		}
	}
	return true
}

// The routes Fiber actually registered are exactly the route table's rows
// (HEAD twins of GET routes and middleware-only entries aside), so nothing
// is served that the table does not show; pages live outside /api and API
// rows inside it (or are the public health and calendar routes).
func TestFiberServesExactlyTheRoutesOfTheTable(t *testing.T) {
	s := newDocServer(t)
	rows := map[string]route{}
	for _, r := range s.routeTable() {
		k := r.method + " " + r.path
		if _, dup := rows[k]; dup {
			t.Errorf("%s is in the route table twice", k)
		}
		rows[k] = r
		switch {
		case r.access.isPage() && strings.HasPrefix(r.path, "/api"):
			t.Errorf("page %s is under /api: pages live outside the API", k)
		case r.access == signedIn && !strings.HasPrefix(r.path, "/api/"):
			t.Errorf("API route %s needs a token but is outside /api, where no token is read", k)
		}
	}
	registered := map[string]bool{}
	for _, r := range s.fiber.GetRoutes(true) {
		if r.Method == fiber.MethodHead {
			continue
		}
		k := r.Method + " " + r.Path
		registered[k] = true
		if _, ok := rows[k]; !ok {
			t.Errorf("Fiber serves %s, which is not in the route table", k)
		}
	}
	for k := range rows {
		if !registered[k] {
			t.Errorf("the route table has %s, which Fiber does not serve", k)
		}
	}
}

// The statuses, request bodies and query parameters documented are the ones
// the handlers' code uses: read from the source of package web.
func TestOpenAPIMetadataMatchesHandlerCode(t *testing.T) {
	s := newDocServer(t)
	funcs := serverMethods(t)
	for _, r := range apiRows(s) {
		name := handlerName(r.handler)
		fn := funcs[name]
		if fn == nil {
			t.Logf("%s: handler %q not found in the source; not checked", routeKey(r), name)
			continue
		}
		facts := inspectHandler(fn)
		want := r.status
		if want == 0 {
			want = http.StatusOK
		}
		if facts.status != want {
			t.Errorf("%s: documented status %d, handler %s answers %d", routeKey(r), want, name, facts.status)
		}
		docReq := ""
		if r.request != nil {
			docReq = reflect.TypeOf(r.request).Name()
		}
		if docReq != facts.request {
			t.Errorf("%s: documented request body %q, handler %s decodes %q", routeKey(r), docReq, name, facts.request)
		}
		if got := responseType(funcs, fn, 0); got != "" {
			docResp := ""
			if r.response != nil {
				docResp = shortTypeName(reflect.TypeOf(r.response))
			}
			if got != docResp {
				t.Errorf("%s: documented response %q, handler %s renders %q", routeKey(r), docResp, name, got)
			}
		} else {
			t.Logf("%s: the response type of %s is not read from the source; not checked", routeKey(r), name)
		}
		var docQuery []string
		for _, q := range r.query {
			docQuery = append(docQuery, q.name)
		}
		sort.Strings(docQuery)
		if strings.Join(docQuery, ",") != strings.Join(facts.query, ",") {
			t.Errorf("%s: documented query %v, handler %s reads %v", routeKey(r), docQuery, name, facts.query)
		}
	}
}

func serverMethods(t *testing.T) map[string]*ast.FuncDecl {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	out := map[string]*ast.FuncDecl{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatalf("parse %s: %v", f, err)
		}
		for _, decl := range file.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok && fn.Body != nil {
				out[fn.Name.Name] = fn
			}
		}
	}
	return out
}

type handlerFacts struct {
	status  int
	request string
	query   []string
}

var successStatuses = map[string]int{"StatusCreated": http.StatusCreated, "StatusAccepted": http.StatusAccepted, "StatusNoContent": http.StatusNoContent}

func inspectHandler(fn *ast.FuncDecl) handlerFacts {
	facts := handlerFacts{status: http.StatusOK}
	varTypes := map[string]string{}
	query := map[string]bool{}
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.SelectorExpr:
			if id, ok := x.X.(*ast.Ident); ok && id.Name == "fiber" {
				if st, ok := successStatuses[x.Sel.Name]; ok {
					facts.status = st
				}
			}
		case *ast.ValueSpec:
			if id, ok := x.Type.(*ast.Ident); ok {
				for _, nm := range x.Names {
					varTypes[nm.Name] = id.Name
				}
			}
		case *ast.CallExpr:
			fname := ""
			switch f := x.Fun.(type) {
			case *ast.Ident:
				fname = f.Name
			case *ast.SelectorExpr:
				fname = f.Sel.Name
				if id, ok := f.X.(*ast.Ident); ok && id.Name == "c" && fname == "Query" && len(x.Args) > 0 {
					if lit, ok := x.Args[0].(*ast.BasicLit); ok {
						v, _ := strconv.Unquote(lit.Value)
						query[v] = true
					}
				}
			}
			switch fname {
			case "decode":
				if len(x.Args) == 2 {
					if u, ok := x.Args[1].(*ast.UnaryExpr); ok {
						if id, ok := u.X.(*ast.Ident); ok {
							facts.request = id.Name // resolved to its type below
						}
					}
				}
			case "pageQuery":
				query["limit"], query["cursor"] = true, true
			case "reportQuery":
				for _, q := range []string{"areas", "from", "to", "kind", "problem_type", "by"} {
					query[q] = true
				}
			case "queryTime", "queryBool":
				for _, a := range x.Args {
					if lit, ok := a.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						v, _ := strconv.Unquote(lit.Value)
						query[v] = true
					}
				}
			}
		}
		return true
	})
	if tname, ok := varTypes[facts.request]; ok {
		facts.request = tname
	}
	for q := range query {
		facts.query = append(facts.query, q)
	}
	sort.Strings(facts.query)
	return facts
}

// shortTypeName drops package paths: page[github.com/…/web.shiftJSON] → page[shiftJSON].
func shortTypeName(t reflect.Type) string {
	name := t.Name()
	base, arg, ok := strings.Cut(name, "[")
	if !ok {
		return name
	}
	arg = strings.TrimSuffix(arg, "]")
	if i := strings.LastIndex(arg, "."); i >= 0 {
		arg = arg[i+1:]
	}
	return base + "[" + arg + "]"
}

// responseType is the Go type a handler passes to c.JSON, as far as the
// source says: "" when it cannot tell (fiber.Map, expressions it does not
// follow). Server methods the handler returns through (renderBooking) are
// followed.
func responseType(funcs map[string]*ast.FuncDecl, fn *ast.FuncDecl, depth int) string {
	if depth > 3 {
		return ""
	}
	vars := map[string]ast.Expr{}
	found := ""
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.AssignStmt:
			if len(x.Lhs) == 1 && len(x.Rhs) == 1 {
				if id, ok := x.Lhs[0].(*ast.Ident); ok {
					vars[id.Name] = x.Rhs[0]
				}
			}
		case *ast.CallExpr:
			sel, ok := x.Fun.(*ast.SelectorExpr)
			if !ok || found != "" {
				return true
			}
			if sel.Sel.Name == "JSON" && len(x.Args) >= 1 {
				found = exprType(funcs, vars, x.Args[0])
			}
		case *ast.ReturnStmt:
			// return s.renderBooking(c, …): follow it.
			if found == "" && len(x.Results) == 1 {
				if call, ok := x.Results[0].(*ast.CallExpr); ok {
					if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name != "JSON" {
						if callee := funcs[sel.Sel.Name]; callee != nil && callee != fn && takesCtx(call) {
							found = responseType(funcs, callee, depth+1)
						}
					}
				}
			}
		}
		return true
	})
	return found
}

func takesCtx(call *ast.CallExpr) bool {
	if len(call.Args) == 0 {
		return false
	}
	id, ok := call.Args[0].(*ast.Ident)
	return ok && id.Name == "c"
}

func exprType(funcs map[string]*ast.FuncDecl, vars map[string]ast.Expr, e ast.Expr) string {
	switch x := e.(type) {
	case *ast.CompositeLit:
		return typeString(x.Type)
	case *ast.Ident:
		if v, ok := vars[x.Name]; ok {
			delete(vars, x.Name) // no cycles
			return exprType(funcs, vars, v)
		}
	case *ast.CallExpr:
		name := ""
		switch f := x.Fun.(type) {
		case *ast.Ident:
			name = f.Name
		case *ast.SelectorExpr:
			name = f.Sel.Name
		}
		if name == "newPage" && len(x.Args) == 4 {
			if item := resultType(funcs, x.Args[3]); item != "" {
				return "page[" + item + "]"
			}
			return ""
		}
		return resultType(funcs, x.Fun)
	}
	return ""
}

// resultType is the first result type of a function expression: a method or
// function of package web by name, or a function literal.
func resultType(funcs map[string]*ast.FuncDecl, e ast.Expr) string {
	var ft *ast.FuncType
	switch f := e.(type) {
	case *ast.FuncLit:
		ft = f.Type
	case *ast.SelectorExpr:
		if d := funcs[f.Sel.Name]; d != nil {
			ft = d.Type
		}
	case *ast.Ident:
		if d := funcs[f.Name]; d != nil {
			ft = d.Type
		}
	}
	if ft == nil || ft.Results == nil || len(ft.Results.List) == 0 {
		return ""
	}
	return typeString(ft.Results.List[0].Type)
}

func typeString(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.IndexExpr:
		return typeString(x.X) + "[" + typeString(x.Index) + "]"
	case *ast.SelectorExpr:
		return "" // another package's type (fiber.Map): not followed
	}
	return ""
}
