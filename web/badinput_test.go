package web_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/web"
)

// rawAnswer is what came back for a request sent byte for byte.
type rawAnswer struct {
	status int
	ctype  string
	body   []byte
}

// send posts body exactly as given (e.do marshals and checks the OpenAPI
// document, which is not what a hostile caller's bytes are about).
func (e *env) send(method, path, token string, body []byte) rawAnswer {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.url+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	client := e.client
	if len(body) > e.app.Config.BodyLimit {
		return e.sendOversized(req, len(body))
	}
	r, err := client.Do(req)
	if err != nil {
		e.t.Errorf("%s %s: %v", method, path, err)
		return rawAnswer{}
	}
	defer r.Body.Close()
	raw, _ := io.ReadAll(r.Body)
	return rawAnswer{status: r.StatusCode, ctype: r.Header.Get("Content-Type"), body: raw}
}

// sendOversized sends only the headers of a request whose Content-Length is
// over the limit: the server answers from them and closes, so a client still
// writing the body would meet a reset instead of the answer.
func (e *env) sendOversized(req *http.Request, length int) rawAnswer {
	e.t.Helper()
	conn, err := net.DialTimeout("tcp", req.URL.Host, 10*time.Second)
	if err != nil {
		e.t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	head := fmt.Sprintf("%s %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nAuthorization: %s\r\nContent-Length: %d\r\n\r\n",
		req.Method, req.URL.RequestURI(), req.URL.Host, req.Header.Get("Authorization"), length)
	if _, err := io.WriteString(conn, head); err != nil {
		e.t.Fatal(err)
	}
	r, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		e.t.Errorf("%s %s: %v", req.Method, req.URL.Path, err)
		return rawAnswer{}
	}
	defer r.Body.Close()
	raw, _ := io.ReadAll(r.Body)
	return rawAnswer{status: r.StatusCode, ctype: r.Header.Get("Content-Type"), body: raw}
}

// rowCounts counts the rows of every table, so that a refused request can be
// shown to have written nothing.
func rowCounts(t *testing.T, store *db.Store) map[string]int {
	t.Helper()
	sqlDB, err := store.SQLDB()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rows, err := sqlDB.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	out := map[string]int{}
	for _, tb := range tables {
		var n int
		if err := sqlDB.QueryRowContext(ctx, `SELECT count(*) FROM "`+tb+`"`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[tb] = n
	}
	return out
}

// stringFields returns the JSON names of the string fields of a request type
// (top level), so that every text field gets the same bad value.
func stringFields(v any) []string {
	var out []string
	rt := reflect.TypeOf(v)
	for i := 0; i < rt.NumField(); i++ {
		f := rt.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.String {
			out = append(out, name)
		}
	}
	return out
}

var routeParam = regexp.MustCompile(`:[a-z_]+`)

// TestBadInputTour sends every API route that takes a body, and the main
// lists, the input an attacker or a broken client would: each answer is a
// 4xx problem (never a 5xx), nothing is written, the service keeps serving
// and nothing panics.
func TestBadInputTour(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	before := rowCounts(t, e.store)

	refused := func(what string, a rawAnswer) {
		t.Helper()
		if a.status < 400 || a.status >= 500 {
			t.Errorf("%s: answered %d, want a 4xx: %.300s", what, a.status, a.body)
			return
		}
		if !strings.HasPrefix(a.ctype, "application/problem+json") {
			t.Errorf("%s: %d with Content-Type %q, want application/problem+json", what, a.status, a.ctype)
		}
		var p map[string]any
		if err := json.Unmarshal(a.body, &p); err != nil || p["status"] != float64(a.status) {
			t.Errorf("%s: not a problem body: %.300s", what, a.body)
		}
	}

	long := strings.Repeat("x", 10_000)
	deep := []byte(strings.Repeat("[", 10_000))
	oversized := append(append([]byte(`{"title":"`), bytes.Repeat([]byte("a"), e.app.Config.BodyLimit)...), `"}`...)
	for _, r := range web.BodyRoutes(e.srv) {
		path := routeParam.ReplaceAllStringFunc(r.Path, func(string) string { return app.NewID() })
		if strings.Contains(r.Path, ":slug") {
			path = strings.Replace(r.Path, ":slug", "report", 1)
		}
		name := r.Method + " " + r.Path
		big := e.send(r.Method, path, e.admin, oversized)
		refused(name+" oversized", big)
		if big.status != http.StatusRequestEntityTooLarge {
			t.Errorf("%s oversized: %d, want 413", name, big.status)
		}
		refused(name+" deep", e.send(r.Method, path, e.admin, deep))
		for _, f := range stringFields(r.Request) {
			refused(name+" invalid UTF-8 in "+f, e.send(r.Method, path, e.admin, []byte(`{"`+f+"\":\"caf\xe9 \xff\"}")))
			b, _ := json.Marshal(map[string]string{f: long})
			refused(name+" 10 000 characters in "+f, e.send(r.Method, path, e.admin, b))
		}
	}

	// The demand's own traps: impossible dates, wall times where an instant
	// is not enough, runaway rules and unknown enum values.
	demand := func(over map[string]any) []byte {
		base := map[string]any{"title": "Evening patrol", "problem_type": "asb", "area": "DUR-N1", "priority": 3,
			"booking_mode": "open", "timezone": "Europe/London", "start_local": "2027-02-01T18:00", "end_local": "2027-02-01T22:00",
			"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "skills": []string{},
				"min_vetting": "NPPV1", "headcount": 2}}}
		for k, v := range over {
			base[k] = v
		}
		b, _ := json.Marshal(base)
		return b
	}
	for what, over := range map[string]map[string]any{
		"30 February":          {"start_local": "2027-02-30T18:00", "end_local": "2027-02-30T22:00"},
		"COUNT=100000":         {"rrule": "FREQ=DAILY;COUNT=100000"},
		"unknown booking mode": {"booking_mode": "sometimes"},
		"unknown problem type": {"problem_type": "alien-invasion"},
		"unknown time zone":    {"timezone": "Mars/Olympus_Mons"},
		"unknown vetting": {"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"},
			"min_vetting": "NPPV9", "headcount": 2}}},
		"unknown kind": {"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"wizard"},
			"min_vetting": "NPPV1", "headcount": 2}}},
		"SQL in area": {"area": `' OR 1=1 --`},
		"10 000 characters in a position's name": {"positions": []map[string]any{{"name": long, "kinds": []string{"volunteer"},
			"min_vetting": "NPPV1", "headcount": 2}}},
		"10 000 characters in the location": {"location": map[string]any{"description": long}},
		"10 000 characters in an exdate":    {"exdates": []string{long}},
		"a headcount of a million": {"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"},
			"min_vetting": "NPPV1", "headcount": 1_000_000}}},
	} {
		refused("POST /api/v1/demands "+what, e.send(http.MethodPost, "/api/v1/demands", e.coordinator, demand(over)))
	}
	matchRun := func(from, to string) []byte {
		b, _ := json.Marshal(map[string]any{"areas": []string{"DUR"}, "from": from, "to": to})
		return b
	}
	refused("match run from 30 February", e.send(http.MethodPost, "/api/v1/match-runs", e.coordinator, matchRun("2027-02-30", "2027-03-02")))
	refused("match run with times without offsets", e.send(http.MethodPost, "/api/v1/match-runs", e.coordinator, matchRun("2027-02-01T10:00:00", "2027-02-02T10:00:00")))

	for _, path := range []string{"/api/v1/shifts", "/api/v1/demands", "/api/v1/match-runs", "/api/v1/audit"} {
		refused(path+"?limit=1000000", e.send(http.MethodGet, path+"?limit=1000000", e.admin, nil))
		refused(path+"?limit=-1", e.send(http.MethodGet, path+"?limit=-1", e.admin, nil))
		refused(path+" bad cursor", e.send(http.MethodGet, path+"?cursor=%27%20OR%201%3D1%20--", e.admin, nil))
	}
	for _, q := range []string{"from=2027-02-30", "from=2027-02-01T10:00:00", "to=2027-13-01", "skill=%27%20OR%201%3D1%20--", "area=%22%3B%20DROP%20TABLE%20members%3B%20--"} {
		refused("GET /api/v1/shifts?"+q, e.send(http.MethodGet, "/api/v1/shifts?"+q, e.admin, nil))
	}
	// A filter that matches nothing may answer an empty page, but no query
	// text, however long or mangled, may fail the server.
	for _, q := range []string{"area=" + long, "area=%FF%FE", "skill=" + long, "from=" + long} {
		if a := e.send(http.MethodGet, "/api/v1/shifts?"+q, e.admin, nil); a.status >= 500 {
			t.Errorf("GET /api/v1/shifts?%.40s: %d %.300s", q, a.status, a.body)
		}
	}
	for _, q := range []string{"entity=" + long, "action=%FF%FE", "actor=%27%20OR%201%3D1%20--", "entity_id=" + long} {
		if a := e.send(http.MethodGet, "/api/v1/audit?"+q, e.admin, nil); a.status >= 500 {
			t.Errorf("GET /api/v1/audit?%.40s: %d %.300s", q, a.status, a.body)
		}
	}
	refused("GET /api/v1/audit?from=2027-02-30", e.send(http.MethodGet, "/api/v1/audit?from=2027-02-30", e.admin, nil))

	if mid := rowCounts(t, e.store); !reflect.DeepEqual(before, mid) {
		for tb, n := range mid {
			if before[tb] != n {
				t.Errorf("table %s went from %d to %d rows after refused requests", tb, before[tb], n)
			}
		}
	}

	// SQL metacharacters are only text: some routes may take them (a reset
	// asked for any email answers 202 and queues its look-up; a bad link
	// counts towards the rate limit), but none may fail or reach the SQL.
	for _, r := range web.BodyRoutes(e.srv) {
		path := routeParam.ReplaceAllStringFunc(r.Path, func(string) string { return app.NewID() })
		for _, f := range stringFields(r.Request) {
			for _, sql := range []string{`' OR 1=1 --`, `"; DROP TABLE members; --`} {
				b, _ := json.Marshal(map[string]string{f: sql})
				if a := e.send(r.Method, path, e.admin, b); a.status >= 500 {
					t.Errorf("%s %s %q in %s: %d %.300s", r.Method, r.Path, sql, f, a.status, a.body)
				}
			}
		}
	}
	after := rowCounts(t, e.store)
	for tb := range before {
		if _, ok := after[tb]; !ok {
			t.Errorf("table %s is gone", tb)
		}
	}
	if after["members"] != before["members"] {
		t.Errorf("members went from %d to %d rows", before["members"], after["members"])
	}

	// The bodies the traps were set in are good ones otherwise, so each
	// refusal above is for its trap alone.
	if a := e.send(http.MethodPost, "/api/v1/demands", e.coordinator, demand(nil)); a.status != http.StatusCreated {
		t.Errorf("the untouched demand: %d %.300s", a.status, a.body)
	}
	if a := e.send(http.MethodPost, "/api/v1/match-runs", e.coordinator, matchRun("2027-02-01", "2027-02-07")); a.status != http.StatusAccepted {
		t.Errorf("the untouched match run: %d %.300s", a.status, a.body)
	}

	if a := e.send(http.MethodGet, "/healthz", "", nil); a.status != http.StatusOK {
		t.Errorf("healthz after the tour: %d", a.status)
	}
	if logs := e.logs.String(); strings.Contains(logs, "panic") || strings.Contains(logs, "goroutine ") || strings.Contains(logs, "level=ERROR") {
		t.Errorf("the server logged errors:\n%.3000s", logs)
	}
}
