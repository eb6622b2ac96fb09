package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/domain"
	"github.com/copbank/copbank/web"
)

// refEnv serves the reference-data routes through Fiber's app.Test, with an
// admin, a coordinator of DARL and a coordinator of DUR-CITY signed in.
type refEnv struct {
	t                     *testing.T
	app                   *app.App
	fiber                 *fiber.App
	srv                   *web.Server
	admin, darl, cityOnly string
}

func newRefEnv(t *testing.T, s *db.Store) *refEnv {
	t.Helper()
	cfg := app.DefaultConfig()
	cfg.PasswordMemoryKiB = 1024
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := app.New(s, cfg, log)
	a.Now = func() time.Time { return time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC) }
	srv := web.New(a, log)
	e := &refEnv{t: t, app: a, fiber: srv.Fiber(), srv: srv}
	e.admin = e.signIn("admin@example.org", []domain.Role{domain.RoleAdmin}, "")
	for _, body := range []map[string]any{
		{"code": "DUR", "name": "Durham", "kind": "force"},
		{"code": "DARL", "name": "Darlington", "kind": "local_authority", "parent_code": "DUR"},
		{"code": "DARL-N1", "name": "Darlington North", "kind": "neighbourhood", "parent_code": "DARL", "lat": 54.54, "lon": -1.55},
		{"code": "DUR-CITY", "name": "Durham City", "kind": "neighbourhood", "parent_code": "DUR"},
	} {
		e.want(http.StatusCreated, http.MethodPost, "/api/v1/areas", e.admin, body)
	}
	e.want(http.StatusCreated, http.MethodPost, "/api/v1/skills", e.admin, map[string]any{"code": "first_aid", "name": "First aid at work", "valid_months": 36})
	e.darl = e.signIn("darl@example.org", []domain.Role{domain.RoleCoordinator}, "", "DARL")
	e.cityOnly = e.signIn("city@example.org", []domain.Role{domain.RoleCoordinator}, "", "DUR-CITY")
	return e
}

func (e *refEnv) signIn(email string, roles []domain.Role, memberID string, areas ...string) string {
	e.t.Helper()
	ctx := context.Background()
	_, err := e.app.CreateUser(ctx, app.NewUser{Email: email, Name: email, Password: "a long test password", Roles: roles, MemberID: memberID, Areas: areas})
	if err != nil {
		e.t.Fatal(err)
	}
	tok, err := e.app.Login(ctx, email, "a long test password", "127.0.0.1")
	if err != nil {
		e.t.Fatal(err)
	}
	return tok.Token
}

// call sends a request and decodes the JSON answer (nil for an empty body).
func (e *refEnv) call(method, path, token string, body any) (int, map[string]any) {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := e.fiber.Test(req, 30_000)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if err := web.CheckAgainstOpenAPI(e.srv, method, path, res.StatusCode, res.Header, raw); err != nil {
		e.t.Error(err)
	}
	var out map[string]any
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			e.t.Fatalf("%s %s: %d %s is not a JSON object", method, path, res.StatusCode, raw)
		}
	}
	return res.StatusCode, out
}

func (e *refEnv) want(status int, method, path, token string, body any) map[string]any {
	e.t.Helper()
	got, out := e.call(method, path, token, body)
	if got != status {
		e.t.Fatalf("%s %s: %d %v, want %d", method, path, got, out, status)
	}
	return out
}

// errorFields lists the fields a problem+json answer names.
func errorFields(problem map[string]any) []string {
	var out []string
	list, _ := problem["errors"].([]any)
	for _, f := range list {
		out = append(out, f.(map[string]any)["field"].(string))
	}
	return out
}

func TestAMemberIsCreatedReadAndChangedWithTheAPIFieldNames(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		e := newRefEnv(t, s)
		m := e.want(http.StatusCreated, http.MethodPost, "/api/v1/members", e.admin, map[string]any{
			"name": "Sam Patel", "email": "sam@example.org", "kinds": []string{"volunteer"},
			"home_area": "DARL-N1", "lat": 54.53, "lon": -1.56, "travel_km": 8, "max_hours_per_week": 16})
		id, _ := m["id"].(string)
		for k, v := range map[string]any{"name": "Sam Patel", "email": "sam@example.org", "home_area": "DARL-N1", "lat": 54.53,
			"travel_km": 8.0, "max_hours_per_week": 16.0, "min_rest_hours": 0.0, "contracted_hours_per_week": 0.0, "status": "active"} {
			if m[k] != v {
				t.Fatalf("%s = %v, want %v in %v", k, m[k], v, m)
			}
		}
		if _, ok := m["max_shifts_per_week"]; !ok || id == "" {
			t.Fatalf("the optional limits are shown (as null): %v", m)
		}

		e.want(http.StatusOK, http.MethodPut, "/api/v1/members/"+id+"/skills/first_aid", e.darl, map[string]any{"obtained_on": "2026-01-10"})
		c := e.want(http.StatusCreated, http.MethodPost, "/api/v1/members/"+id+"/clearances", e.admin,
			map[string]any{"type": "NPPV2", "granted_on": "2025-06-01", "expires_on": "2030-06-01"})
		e.want(http.StatusOK, http.MethodPatch, "/api/v1/members/"+id+"/clearances/"+c["id"].(string), e.admin, map[string]any{"status": "suspended"})
		got := e.want(http.StatusOK, http.MethodGet, "/api/v1/members/"+id, e.darl, nil)
		skills, _ := got["skills"].([]any)
		clearances, _ := got["clearances"].([]any)
		if len(skills) != 1 || skills[0].(map[string]any)["expires_on"] != "2029-01-10" ||
			len(clearances) != 1 || clearances[0].(map[string]any)["status"] != "suspended" || clearances[0].(map[string]any)["type"] != "NPPV2" {
			t.Fatalf("skills %v clearances %v", skills, clearances)
		}

		p := e.want(http.StatusOK, http.MethodPatch, "/api/v1/members/"+id, e.darl, map[string]any{"kinds": []string{"volunteer", "bank_officer"}, "max_consecutive_days": 4})
		if p["max_hours_per_week"] != 48.0 || p["min_rest_hours"] != 11.0 || p["max_consecutive_days"] != 4.0 {
			t.Fatalf("after the coordinator's change: %v", p)
		}
		p = e.want(http.StatusOK, http.MethodPatch, "/api/v1/members/"+id, e.darl, map[string]any{"max_consecutive_days": nil})
		if p["max_consecutive_days"] != nil {
			t.Fatalf("null clears a limit: %v", p)
		}

		list := e.want(http.StatusOK, http.MethodGet, "/api/v1/members?limit=1", e.darl, nil)
		if items, _ := list["items"].([]any); len(items) != 1 || list["next_cursor"] != nil {
			t.Fatalf("the DARL coordinator's list: %v", list)
		}
		if list := e.want(http.StatusOK, http.MethodGet, "/api/v1/members", e.cityOnly, nil); len(list["items"].([]any)) != 0 {
			t.Fatalf("the DUR-CITY coordinator sees %v", list)
		}
	})
}

func TestBadMembersAreRefusedNamingEveryField(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		e := newRefEnv(t, s)
		p := e.want(http.StatusUnprocessableEntity, http.MethodPost, "/api/v1/members", e.admin, map[string]any{
			"name": "Sam", "email": "sam", "kinds": []string{"volunteer", "sergeant"}, "home_area": "ATLANTIS"})
		for _, f := range []string{"email", "kinds[1]", "home_area"} {
			if !slices.Contains(errorFields(p), f) {
				t.Fatalf("%v does not name %s", p, f)
			}
		}
		e.want(http.StatusCreated, http.MethodPost, "/api/v1/members", e.admin, map[string]any{"name": "Sam", "email": "sam@example.org", "kinds": []string{"mentor"}, "home_area": "DUR"})
		p = e.want(http.StatusConflict, http.MethodPost, "/api/v1/members", e.admin, map[string]any{"name": "Sam", "email": "SAM@EXAMPLE.ORG", "kinds": []string{"mentor"}, "home_area": "DUR"})
		if !slices.Contains(errorFields(p), "email") {
			t.Fatalf("the conflict names %v", p)
		}
		e.want(http.StatusForbidden, http.MethodPost, "/api/v1/areas", e.darl, map[string]any{"code": "X", "name": "X", "kind": "force"})
		e.want(http.StatusUnauthorized, http.MethodGet, "/api/v1/skills", "", nil)
	})
}

func TestAMemberSeesAndChangesOnlyWhatIsTheirs(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		e := newRefEnv(t, s)
		m := e.want(http.StatusCreated, http.MethodPost, "/api/v1/members", e.admin, map[string]any{"name": "Sam", "email": "sam@example.org", "kinds": []string{"volunteer"}, "home_area": "DARL-N1"})
		other := e.want(http.StatusCreated, http.MethodPost, "/api/v1/members", e.admin, map[string]any{"name": "Jo", "email": "jo@example.org", "kinds": []string{"volunteer"}, "home_area": "DARL-N1"})
		id := m["id"].(string)
		sam := e.signIn("sam@example.org", []domain.Role{domain.RoleMember}, id)

		me := e.want(http.StatusOK, http.MethodGet, "/api/v1/me", sam, nil)
		if mm, _ := me["member"].(map[string]any); mm == nil || mm["id"] != id || mm["home_area"] != "DARL-N1" {
			t.Fatalf("/me for a member: %v", me)
		}
		if me := e.want(http.StatusOK, http.MethodGet, "/api/v1/me", e.admin, nil); me["member"] != nil {
			t.Fatalf("/me for an admin with no member record: %v", me)
		}

		for _, body := range []map[string]any{{"status": "active"}, {"Status": "archived"}, {"KINDS": []string{"bank_officer"}}, {"max_hours_per_week": 60, "phone": "1"}} {
			p := e.want(http.StatusUnprocessableEntity, http.MethodPatch, "/api/v1/members/"+id, sam, body)
			if len(errorFields(p)) == 0 || slices.Contains(errorFields(p), "phone") {
				t.Fatalf("a member patching %v: %v", body, p)
			}
		}
		e.want(http.StatusUnprocessableEntity, http.MethodPatch, "/api/v1/members/"+id, sam, map[string]any{"roles": []string{"admin"}})
		if p := e.want(http.StatusOK, http.MethodPatch, "/api/v1/members/"+id, sam, map[string]any{"phone": "0191 000", "travel_km": 3}); p["phone"] != "0191 000" || p["status"] != "active" {
			t.Fatalf("a member's own contact change: %v", p)
		}
		e.want(http.StatusNotFound, http.MethodGet, "/api/v1/members/"+other["id"].(string), sam, nil)
		e.want(http.StatusNotFound, http.MethodPatch, "/api/v1/members/"+other["id"].(string), sam, map[string]any{"phone": "1"})
		e.want(http.StatusNotFound, http.MethodGet, "/api/v1/members/"+id, e.cityOnly, nil)
		e.want(http.StatusForbidden, http.MethodGet, "/api/v1/members", sam, nil)
		e.want(http.StatusForbidden, http.MethodPost, "/api/v1/members/"+id+"/clearances", e.darl, map[string]any{"type": "NPPV1", "granted_on": "2025-01-01", "expires_on": "2030-01-01"})
		e.want(http.StatusForbidden, http.MethodPut, "/api/v1/members/"+id+"/skills/first_aid", sam, map[string]any{"obtained_on": "2026-01-10"})

		av := e.want(http.StatusCreated, http.MethodPost, "/api/v1/members/"+id+"/availability", sam, map[string]any{
			"rrule": "FREQ=WEEKLY;BYDAY=FR", "start_local": "2027-10-22T18:00", "duration_minutes": 360, "timezone": "Europe/London"})
		got := e.want(http.StatusOK, http.MethodGet, "/api/v1/members/"+id+"/availability/expanded?from=2027-10-20&to=2027-11-06", e.darl, nil)
		var starts []string
		for _, w := range got["items"].([]any) {
			starts = append(starts, w.(map[string]any)["start"].(string))
		}
		if want := []string{"2027-10-22T18:00:00+01:00", "2027-10-29T18:00:00+01:00", "2027-11-05T18:00:00Z"}; !slices.Equal(starts, want) {
			t.Fatalf("windows start %v, want %v", starts, want)
		}
		p := e.want(http.StatusUnprocessableEntity, http.MethodPost, "/api/v1/members/"+id+"/availability", sam, map[string]any{
			"rrule": "FREQ=HOURLY", "start_local": "2027-10-22T18:00", "duration_minutes": 60})
		if !slices.Contains(errorFields(p), "rrule") {
			t.Fatalf("an hourly rule: %v", p)
		}
		if list := e.want(http.StatusOK, http.MethodGet, "/api/v1/members/"+id+"/availability", sam, nil); len(list["items"].([]any)) != 1 {
			t.Fatalf("availability list: %v", list)
		}
		e.want(http.StatusNotFound, http.MethodDelete, "/api/v1/members/"+other["id"].(string)+"/availability/"+av["id"].(string), sam, nil)
		e.want(http.StatusNoContent, http.MethodDelete, "/api/v1/members/"+id+"/availability/"+av["id"].(string), sam, nil)
		l := e.want(http.StatusCreated, http.MethodPost, "/api/v1/members/"+id+"/leave", sam, map[string]any{"from": "2027-08-01", "to": "2027-08-14", "reason": "holiday"})
		if l["from"] != "2027-08-01" || l["to"] != "2027-08-14" {
			t.Fatalf("leave: %v", l)
		}
	})
}
