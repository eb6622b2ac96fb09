package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
	"github.com/copbank/copbank/web"
)

func itemsOf(t *testing.T, r resp) []map[string]any {
	t.Helper()
	raw, ok := r.body["items"].([]any)
	if !ok {
		t.Fatalf("no items in %d %s", r.status, r.raw)
	}
	out := make([]map[string]any, len(raw))
	for i, x := range raw {
		out[i] = x.(map[string]any)
	}
	return out
}

func TestDemandListCarriesPositionsAndFiltersByAreaWithEverythingBelowIt(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		south := e.mustArea(domain.Area{ID: app.NewID(), Code: "DUR-S1", Name: "Durham South", Kind: domain.AreaNeighbourhood, ParentID: e.force.ID})
		start := local(friday)
		end := local(friday.Add(4 * time.Hour))
		north := e.demand(map[string]any{"title": "North patrol", "start_local": start, "end_local": end})
		e.demand(map[string]any{"title": "South patrol", "area": south.Code, "start_local": start, "end_local": end,
			"positions": []map[string]any{
				{"name": "Lead", "kinds": []string{"bank_officer"}, "headcount": 1},
				{"name": "Patrol", "kinds": []string{"volunteer"}, "skills": []string{"first_aid"}, "headcount": 3},
			}})

		all := itemsOf(t, e.do(http.MethodGet, "/api/v1/demands", e.coordinator, nil))
		if len(all) != 2 {
			t.Fatalf("%d demands, want 2", len(all))
		}
		names := map[string][]string{}
		for _, d := range all {
			for _, p := range d["positions"].([]any) {
				names[d["title"].(string)] = append(names[d["title"].(string)], p.(map[string]any)["name"].(string))
			}
		}
		if strings.Join(names["North patrol"], ",") != "Patrol" || strings.Join(names["South patrol"], ",") != "Lead,Patrol" {
			t.Fatalf("positions in the list: %v", names)
		}

		for _, tc := range []struct {
			area string
			want []string
		}{
			{"DUR-N1", []string{north["id"].(string)}},
			{"DUR-S1", nil},
			{"DUR", nil},
		} {
			got := itemsOf(t, e.do(http.MethodGet, "/api/v1/demands?area="+tc.area, e.coordinator, nil))
			switch {
			case tc.area == "DUR" && len(got) != 2:
				t.Errorf("area=DUR (the force, with everything below it): %d demands, want 2", len(got))
			case tc.area == "DUR-S1" && (len(got) != 1 || got[0]["area"] != "DUR-S1"):
				t.Errorf("area=DUR-S1: %v", got)
			case tc.want != nil && (len(got) != 1 || got[0]["id"] != tc.want[0]):
				t.Errorf("area=%s: %v", tc.area, got)
			}
		}
		if r := e.do(http.MethodGet, "/api/v1/demands?area=NOWHERE", e.coordinator, nil); r.status != 422 || !has(fieldsOf(r), "area") {
			t.Fatalf("unknown area: %d %s", r.status, r.raw)
		}
	})
}

func TestDemandWithoutTimezoneIsInTheForcesZone(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		zone := e.app.Config.TimeZone.String()
		r := e.do(http.MethodPost, "/api/v1/demands", e.coordinator, map[string]any{"title": "Patrol", "problem_type": "asb",
			"area": "DUR-N1", "start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour)),
			"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "headcount": 1}}})
		if r.status != 201 || r.body["timezone"] != zone {
			t.Fatalf("posted without a zone: %d timezone %v, want %s", r.status, r.body["timezone"], zone)
		}
		id := r.body["id"].(string)
		stored, err := e.store.DemandByID(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if stored.TimeZone != zone {
			t.Fatalf("stored timezone %q, want %q", stored.TimeZone, zone)
		}

		// A demand stored before the default was applied reads as the force's zone.
		sqlDB, err := e.store.SQLDB()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sqlDB.Exec(fmt.Sprintf(`UPDATE demands SET timezone = '' WHERE id = '%s'`, id)); err != nil {
			t.Fatal(err)
		}
		if g := e.do(http.MethodGet, "/api/v1/demands/"+id, e.coordinator, nil); g.body["timezone"] != zone {
			t.Fatalf("an old demand with no zone reads as %v, want %s", g.body["timezone"], zone)
		}
		for _, d := range itemsOf(t, e.do(http.MethodGet, "/api/v1/demands", e.coordinator, nil)) {
			if d["timezone"] != zone {
				t.Fatalf("listed with timezone %v, want %s", d["timezone"], zone)
			}
		}
	})
}

var pathParam = regexp.MustCompile(`:[a-z]+`)

func TestEveryAPIRouteRefusesQueryParametersItDoesNotTake(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		for _, key := range web.RouteKeys(e.srv) {
			method, path, _ := strings.Cut(key, " ")
			target := pathParam.ReplaceAllString(path, "x") + "?colour=blue"
			var body any
			if method != http.MethodGet {
				body = map[string]any{}
			}
			r := e.do(method, target, e.admin, body)
			if r.status != 422 || !has(fieldsOf(r), "colour") {
				t.Errorf("%s %s: %d %s, want 422 naming colour", method, target, r.status, r.raw)
			}
		}
	})
}

func TestShiftsTakeSkillAndDistanceAndRefuseABackwardsRange(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		if _, err := e.store.CreateSkill(ctx, domain.Skill{ID: app.NewID(), Code: "driving", Name: "Driving", CreatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		start, end := local(friday), local(friday.Add(4*time.Hour))
		first := e.demand(map[string]any{"title": "First aid cover", "start_local": start, "end_local": end,
			"positions": []map[string]any{{"name": "Medic", "kinds": []string{"volunteer"}, "skills": []string{"first_aid"}, "headcount": 1}}})
		e.demand(map[string]any{"title": "Plain patrol", "start_local": start, "end_local": end})

		got := itemsOf(t, e.do(http.MethodGet, "/api/v1/shifts?skill=first_aid", e.coordinator, nil))
		if len(got) != 1 || got[0]["demand_id"] != first["id"] {
			t.Fatalf("skill=first_aid: %v", got)
		}
		if got := itemsOf(t, e.do(http.MethodGet, "/api/v1/shifts?skill=driving", e.coordinator, nil)); len(got) != 0 {
			t.Fatalf("skill=driving (no shift needs it): %v", got)
		}
		if r := e.do(http.MethodGet, "/api/v1/shifts?skill=zzz", e.coordinator, nil); r.status != 422 || !has(fieldsOf(r), "skill") {
			t.Fatalf("skill=zzz: %d %s, want 422 naming skill", r.status, r.raw)
		}

		// About 10 km north of the neighbourhood's centre, where the shifts meet.
		id, token := e.memberLogin("sam", memberOpts{})
		if r := e.do(http.MethodPatch, "/api/v1/members/"+id, e.admin, map[string]any{"lat": 54.86, "lon": -1.57}); r.status != 200 {
			t.Fatalf("set home: %d %s", r.status, r.raw)
		}
		for _, sh := range itemsOf(t, e.do(http.MethodGet, "/api/v1/shifts", token, nil)) {
			km, ok := sh["distance_km"].(float64)
			if !ok || km < 9.5 || km > 10.5 {
				t.Fatalf("distance_km %v, want about 10", sh["distance_km"])
			}
		}
		for _, sh := range itemsOf(t, e.do(http.MethodGet, "/api/v1/shifts", e.coordinator, nil)) {
			if _, ok := sh["distance_km"]; ok {
				t.Fatalf("a caller without a home got distance_km: %v", sh)
			}
		}

		for _, path := range []string{
			"/api/v1/shifts?from=2027-01-09&to=2027-01-08",
			"/api/v1/shifts?from=2027-01-09T12:00:00Z&to=2027-01-09T11:00:00Z",
			"/api/v1/audit?from=2027-02-01&to=2027-01-01",
			"/api/v1/members/" + id + "/availability/expanded?from=2027-01-09&to=2027-01-08",
		} {
			r := e.do(http.MethodGet, path, e.admin, nil)
			if r.status != 422 || !has(fieldsOf(r), "from") || !has(fieldsOf(r), "to") {
				t.Errorf("%s: %d %s, want 422 naming from and to", path, r.status, r.raw)
			}
		}
		if r := e.do(http.MethodGet, "/api/v1/shifts?from=2027-01-08&to=2027-01-08", e.admin, nil); r.status != 200 {
			t.Fatalf("one day, from and to the same date: %d %s", r.status, r.raw)
		}
	})
}
