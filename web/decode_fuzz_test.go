package web

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/domain"
)

// requestTypes are the distinct body types the route table's rows decode.
// The table is read from a Server with no App: building it only takes
// method values, and no handler is called.
func requestTypes(tb testing.TB) []reflect.Type {
	tb.Helper()
	seen := map[reflect.Type]bool{}
	var out []reflect.Type
	for _, r := range new(Server).routeTable() {
		if r.request == nil {
			continue
		}
		t := reflect.TypeOf(r.request)
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	if len(out) < 10 {
		tb.Fatalf("the route table names only %d request types", len(out))
	}
	return out
}

// FuzzDecodeRequest decodes fuzzed bytes into every route's request type
// through decode, the path every handler takes. It must never panic, and a
// refusal must be a *domain.Error that answers 422 naming at least one
// field: a body is the caller's mistake, never a 500.
func FuzzDecodeRequest(f *testing.F) {
	types := requestTypes(f)
	// An empty object meets every type's required rules; the rest go to
	// one type each, spread over the table.
	for i := range types {
		f.Add(uint(i), []byte(`{}`))
	}
	for i, seed := range []string{
		`null`, `[]`, `{"a":1}`, `{"email":"x@example.org","password":"p"}`, `{} {}`,
		`{"positions":[{"name":null}]}`, `{"start_local":"2027-03-28T01:30","rrule":"FREQ=DAILY;COUNT=2"}`,
		`{"skills":{"x":1}}`, `{"exdates":[1e400]}`, `"\ud800"`, `{"amount_pence":-9223372036854775809}`,
	} {
		f.Add(uint(i*7), []byte(seed))
	}
	app := fiber.New()
	var dst any
	var got error
	app.Post("/", func(c *fiber.Ctx) error {
		got = decode(c, dst)
		return nil
	})
	f.Fuzz(func(t *testing.T, which uint, body []byte) {
		typ := types[which%uint(len(types))]
		dst, got = reflect.New(typ).Interface(), nil
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := app.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("decoding %s from %q answered %d (a panic?)", typ, body, resp.StatusCode)
		}
		if got == nil {
			return
		}
		var de *domain.Error
		p := problemFor(got)
		if !errors.As(got, &de) || p.Status != http.StatusUnprocessableEntity || len(p.Errors) == 0 {
			t.Fatalf("decoding %s from %q: %v, answered as %d with fields %v; want 422 naming a field", typ, body, got, p.Status, p.Errors)
		}
	})
}
