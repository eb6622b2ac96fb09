package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// startMatch posts a run as token and answers its ID.
func (e *env) startMatch(token string, body map[string]any) string {
	e.t.Helper()
	r := e.do(http.MethodPost, "/api/v1/match-runs", token, body)
	if r.status != http.StatusAccepted {
		e.t.Fatalf("start a run: %d %s", r.status, r.raw)
	}
	return r.body["id"].(string)
}

// finishMatch runs the oldest queued run and answers the run's JSON.
func (e *env) finishMatch(token, id string) resp {
	e.t.Helper()
	if ran, err := e.app.RunNextMatch(context.Background(), "test", nil); err != nil || !ran {
		e.t.Fatalf("run: %v %v", ran, err)
	}
	r := e.do(http.MethodGet, "/api/v1/match-runs/"+id, token, nil)
	if r.status != http.StatusOK || r.body["status"] != "done" {
		e.t.Fatalf("run %s: %d %s", id, r.status, r.raw)
	}
	return r
}

// memberAt is a member (NPPV2, first aid unless told) living at lat, lon.
func (e *env) memberAt(name string, lat, lon float64, o memberOpts) string {
	e.t.Helper()
	id := e.member(strings.ToLower(strings.ReplaceAll(name, " ", "")), o)
	if r := e.do(http.MethodPatch, "/api/v1/members/"+id, e.admin, map[string]any{"name": name, "lat": lat, "lon": lon}); r.status != http.StatusOK {
		e.t.Fatalf("place %s: %d %s", name, r.status, r.raw)
	}
	return id
}

func itemIDs(r resp) []string {
	var out []string
	for _, it := range r.body["items"].([]any) {
		out = append(out, it.(map[string]any)["id"].(string))
	}
	return out
}

func TestEarlierMatchRunsAreListedNewestFirstInTheCallersScope(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		var mine []string
		for i := 0; i < 3; i++ {
			mine = append(mine, e.startMatch(e.coordinator, map[string]any{"from": "2027-01-08", "to": "2027-01-09", "seed": i + 1}))
			e.advance(time.Minute)
		}
		other := e.login("other@example.org", []domain.Role{domain.RoleCoordinator}, "", []string{e.hood.ID})
		theirs := e.startMatch(other, map[string]any{"areas": []string{"DUR-N1"}, "from": "2027-01-08", "to": "2027-01-09"})

		first := e.do(http.MethodGet, "/api/v1/match-runs?limit=2", e.coordinator, nil)
		if first.status != http.StatusOK || fmt.Sprint(itemIDs(first)) != fmt.Sprint([]string{mine[2], mine[1]}) {
			t.Fatalf("first page %d %s, want runs %v newest first", first.status, first.raw, []string{mine[2], mine[1]})
		}
		cursor, _ := first.body["next_cursor"].(string)
		if cursor == "" {
			t.Fatalf("no next_cursor on a full page: %s", first.raw)
		}
		second := e.do(http.MethodGet, "/api/v1/match-runs?limit=2&cursor="+url.QueryEscape(cursor), e.coordinator, nil)
		if fmt.Sprint(itemIDs(second)) != fmt.Sprint([]string{mine[0]}) || second.body["next_cursor"] != nil {
			t.Fatalf("second page %s, want only %s and no cursor", second.raw, mine[0])
		}
		item := first.body["items"].([]any)[0].(map[string]any)
		if params := item["params"].(map[string]any); params["seed"] != float64(3) || params["max_moves"].(float64) <= 0 {
			t.Errorf("a listed run does not carry what replays it: %v", params)
		}
		if got := itemIDs(e.do(http.MethodGet, "/api/v1/match-runs", other, nil)); fmt.Sprint(got) != fmt.Sprint([]string{theirs}) {
			t.Errorf("another coordinator lists %v, want only their own run", got)
		}
		if got := itemIDs(e.do(http.MethodGet, "/api/v1/match-runs", e.admin, nil)); fmt.Sprint(got) != fmt.Sprint([]string{theirs, mine[2], mine[1], mine[0]}) {
			t.Errorf("the admin lists %v, want every run newest first", got)
		}
		_, member := e.memberLogin("sam", memberOpts{})
		if r := e.do(http.MethodGet, "/api/v1/match-runs", member, nil); r.status != http.StatusForbidden {
			t.Errorf("a member lists runs: %d", r.status)
		}

		page := coordBrowser(t, e).get("/coord/match")
		wantPage(t, page, http.StatusOK, "Earlier runs")
		at := func(id string) int { return strings.Index(page.body, `href="/coord/match/`+id+`"`) }
		if !(at(mine[2]) >= 0 && at(mine[2]) < at(mine[1]) && at(mine[1]) < at(mine[0])) || at(theirs) >= 0 {
			t.Errorf("the page lists runs at %d, %d, %d (newest first wanted) and another's at %d", at(mine[2]), at(mine[1]), at(mine[0]), at(theirs))
		}
	})
}

func TestMatchWeightsArePerRunOverTheForcesDefaults(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		got := e.do(http.MethodGet, "/api/v1/match-settings", e.coordinator, nil)
		weights, _ := got.body["weights"].(map[string]any)
		if got.status != http.StatusOK || len(weights) != len(domain.MatchWeightTerms) || weights["travel"] != float64(1) {
			t.Fatalf("defaults: %d %s, want every term at 1", got.status, got.raw)
		}
		if r := e.do(http.MethodPut, "/api/v1/match-settings", e.coordinator, map[string]any{"weights": map[string]any{"travel": 2}}); r.status != http.StatusForbidden {
			t.Errorf("a coordinator set the defaults: %d", r.status)
		}
		for _, bad := range []struct {
			weights map[string]any
			field   string
		}{
			{map[string]any{"nope": 1}, "weights.nope"},
			{map[string]any{"travel": -1}, "weights.travel"},
			{map[string]any{"unfilled": 0.5}, "weights.unfilled"},
			{map[string]any{"cost": 1000}, "weights.cost"},
		} {
			r := e.do(http.MethodPut, "/api/v1/match-settings", e.admin, map[string]any{"weights": bad.weights})
			if r.status != http.StatusUnprocessableEntity || !has(fieldsOf(r), bad.field) {
				t.Errorf("defaults %v: %d %s, want 422 naming %s", bad.weights, r.status, r.raw, bad.field)
			}
		}
		if r := e.do(http.MethodPut, "/api/v1/match-settings", e.admin, map[string]any{"weights": map[string]any{"continuity": 3}}); r.status != http.StatusOK {
			t.Fatalf("set defaults: %d %s", r.status, r.raw)
		}

		// A member 2 km away is proposed; travel then weighs in the reasons,
		// unless the run sets its weight to 0.
		e.memberAt("near", 54.788, -1.57, memberOpts{})
		e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(3 * time.Hour)),
			"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "skills": []string{}, "min_vetting": "NPPV1", "headcount": 1}}})
		terms := func(run resp) []string {
			var out []string
			for _, p := range run.body["proposals"].([]any) {
				for _, r := range p.(map[string]any)["reasons"].([]any) {
					out = append(out, r.(map[string]any)["term"].(string))
				}
			}
			return out
		}
		id := e.startMatch(e.coordinator, map[string]any{"from": "2027-01-08", "to": "2027-01-08", "weights": map[string]any{"travel": 2}})
		run := e.finishMatch(e.coordinator, id)
		stored := run.body["params"].(map[string]any)["weights"].(map[string]any)
		if len(stored) != len(domain.MatchWeightTerms) || stored["travel"] != float64(2) || stored["continuity"] != float64(3) || stored["fairness"] != float64(1) {
			t.Errorf("the run recorded weights %v, want the run's travel 2 over the force's continuity 3, the rest 1", stored)
		}
		if !has(terms(run), "travel") {
			t.Errorf("travel weighted 2 is not among the reasons: %s", run.raw)
		}
		off := e.finishMatch(e.coordinator, e.startMatch(e.coordinator, map[string]any{"from": "2027-01-08", "to": "2027-01-08", "weights": map[string]any{"travel": 0}}))
		if has(terms(off), "travel") {
			t.Errorf("travel weighted 0 still counts: %s", off.raw)
		}
	})
}

func TestBadMatchRequestsNameTheField(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		lat, lon := 54.57, -1.23
		e.mustArea(domain.Area{ID: app.NewID(), Code: "CLE", Name: "Cleveland", Kind: domain.AreaForce, Lat: &lat, Lon: &lon})
		for _, c := range []struct {
			name  string
			body  map[string]any
			field string
		}{
			{"from after to", map[string]any{"from": "2027-01-10", "to": "2027-01-04"}, "to"},
			{"over eight weeks", map[string]any{"from": "2027-01-04", "to": "2027-03-01"}, "to"},
			{"an area outside the caller's", map[string]any{"areas": []string{"CLE"}, "from": "2027-01-04", "to": "2027-01-10"}, "areas[0]"},
			{"an unknown area", map[string]any{"areas": []string{"DUR", "NOPE"}, "from": "2027-01-04", "to": "2027-01-10"}, "areas[1]"},
			{"over ten minutes", map[string]any{"from": "2027-01-04", "to": "2027-01-10", "time_limit_ms": 600_001}, "time_limit_ms"},
			{"an unknown weight", map[string]any{"from": "2027-01-04", "to": "2027-01-10", "weights": map[string]any{"speed": 1}}, "weights.speed"},
			{"a negative weight", map[string]any{"from": "2027-01-04", "to": "2027-01-10", "weights": map[string]any{"fairness": -0.5}}, "weights.fairness"},
			{"a move budget of none", map[string]any{"from": "2027-01-04", "to": "2027-01-10", "max_moves": -1}, "max_moves"},
		} {
			r := e.do(http.MethodPost, "/api/v1/match-runs", e.coordinator, c.body)
			if r.status != http.StatusUnprocessableEntity || !has(fieldsOf(r), c.field) || r.body["type"] == nil {
				t.Errorf("%s: %d %s, want a 422 problem naming %s", c.name, r.status, r.raw, c.field)
			}
		}
		if r := e.do(http.MethodPost, "/api/v1/match-runs", e.coordinator, map[string]any{"from": "2027-01-04", "to": "2027-02-28"}); r.status != http.StatusAccepted {
			t.Errorf("exactly eight weeks: %d %s", r.status, r.raw)
		}
	})
}

// withoutRunFields drops what differs between two runs of the same request:
// the run's own ID and times, and how long it took.
func withoutRunFields(t *testing.T, r resp) []byte {
	t.Helper()
	body := map[string]any{}
	for k, v := range r.body {
		body[k] = v
	}
	delete(body, "id")
	delete(body, "created_at")
	delete(body, "updated_at")
	metrics := map[string]any{}
	for k, v := range body["metrics"].(map[string]any) {
		metrics[k] = v
	}
	delete(metrics, "solve_ms")
	body["metrics"] = metrics
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTheSameRunTwiceGivesTheSameProposals(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour)), "rrule": "FREQ=WEEKLY;BYDAY=FR,SA;COUNT=4",
			"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "skills": []string{}, "min_vetting": "NPPV1", "headcount": 3}}})
		e.demand(map[string]any{"title": "Market day", "start_local": local(friday.Add(-8 * time.Hour)), "end_local": local(friday.Add(-4 * time.Hour)),
			"rrule": "FREQ=WEEKLY;COUNT=2", "priority": 5,
			"positions": []map[string]any{{"name": "Lead", "kinds": []string{"volunteer"}, "skills": []string{"first_aid"}, "min_vetting": "NPPV1", "headcount": 2}}})
		for i := 0; i < 9; i++ {
			e.memberAt(fmt.Sprintf("m%d", i), 54.75+0.01*float64(i), -1.57, memberOpts{noFirstAid: i%3 == 0})
		}
		body := map[string]any{"from": "2027-01-04", "to": "2027-01-17", "seed": 11, "workers": 1}
		one := e.finishMatch(e.coordinator, e.startMatch(e.coordinator, body))
		two := e.finishMatch(e.coordinator, e.startMatch(e.coordinator, body))
		if a, b := withoutRunFields(t, one), withoutRunFields(t, two); !bytes.Equal(a, b) {
			t.Fatalf("the same request on the same data gave different runs:\n%s\n%s", a, b)
		}
		if len(one.body["proposals"].([]any)) == 0 {
			t.Fatalf("no proposals to compare: %s", one.raw)
		}
		params := one.body["params"].(map[string]any)
		if params["seed"] != float64(11) || params["workers"] != float64(1) || params["max_moves"].(float64) <= 0 {
			t.Errorf("the run does not record what replays it: %v", params)
		}
		m := one.body["metrics"].(map[string]any)
		if m["moves"].(float64) <= 0 || m["time_capped"] != false || m["stop_reason"] == nil || m["stop_reason"] == domain.MatchStopTimeLimit {
			t.Errorf("metrics %v: want moves made and a stop reason other than the time cap", m)
		}

		// The recorded budget replays the run.
		replay := map[string]any{"max_moves": params["max_moves"]}
		for k, v := range body {
			replay[k] = v
		}
		three := e.finishMatch(e.coordinator, e.startMatch(e.coordinator, replay))
		if a, b := withoutRunFields(t, one), withoutRunFields(t, three); !bytes.Equal(a, b) {
			t.Errorf("replaying with the recorded budget differs:\n%s\n%s", a, b)
		}
	})
}

// sentence is how the pages start a reason: with a capital letter.
func sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func TestMatchResultsReadInPlainWords(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.memberAt("Ola Near", 54.79, -1.57, memberOpts{})
		e.demand(map[string]any{"title": "Park watch", "priority": 4, "start_local": local(friday), "end_local": local(friday.Add(3 * time.Hour)),
			"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "skills": []string{}, "min_vetting": "NPPV1", "headcount": 1}}})
		e.demand(map[string]any{"title": "Vetted watch", "start_local": local(friday.Add(-6 * time.Hour)), "end_local": local(friday.Add(-4 * time.Hour)),
			"positions": []map[string]any{{"name": "Lead", "kinds": []string{"volunteer"}, "skills": []string{}, "min_vetting": "NPPV3", "headcount": 1}}})
		id := e.startMatch(e.coordinator, map[string]any{"from": "2027-01-08", "to": "2027-01-08"})
		run := e.finishMatch(e.coordinator, id)

		if m := run.body["metrics"].(map[string]any); m["unfilled"] != float64(1) || m["filled"] != float64(1) || m["fill_bound"] != float64(1) || m["optimal_fill"] != true {
			t.Errorf("metrics %v: want 1 filled and 1 unfilled, as counts, and the fill proved optimal", m)
		}
		proposals := run.body["proposals"].([]any)
		if len(proposals) != 1 {
			t.Fatalf("proposals: %s", run.raw)
		}
		pr := proposals[0].(map[string]any)
		for k, want := range map[string]any{"member_name": "Ola Near", "shift_title": "Park watch", "area_code": "DUR-N1", "area_name": "Durham City",
			"position_name": "Patrol", "start": "2027-01-08T20:00:00Z", "end": "2027-01-08T23:00:00Z"} {
			if pr[k] != want {
				t.Errorf("proposal %s = %v, want %v", k, pr[k], want)
			}
		}
		if score := pr["score"].(float64); score <= -1e6 || score >= 1e6 {
			t.Errorf("the proposal's score %v carries the unfilled penalty", score)
		}
		km := domain.DistanceKm(54.79, -1.57, 54.77, -1.57)
		wantWords := map[string]string{"unfilled": "fills a place of priority 4", "travel": fmt.Sprintf("lives %.1f km away", km)}
		var shown []string
		for _, r := range pr["reasons"].([]any) {
			reason := r.(map[string]any)
			term, words := reason["term"].(string), reason["words"].(string)
			if rule, ok := domain.RuleNamed(term); !ok || rule.Hard {
				t.Errorf("reason term %q is not a soft term of the catalogue", term)
			}
			if want, ok := wantWords[term]; ok && words != want {
				t.Errorf("%s reads %q, want %q", term, words, want)
			}
			delete(wantWords, term)
			shown = append(shown, sentence(words))
		}
		if len(wantWords) > 0 {
			t.Errorf("reasons missing: %v in %v", wantWords, pr["reasons"])
		}
		open := run.body["open"].([]any)
		if len(open) != 1 {
			t.Fatalf("open: %s", run.raw)
		}
		o := open[0].(map[string]any)
		if o["shift_title"] != "Vetted watch" || o["position_name"] != "Lead" || o["area_code"] != "DUR-N1" || o["area_name"] != "Durham City" || o["end"] == nil {
			t.Errorf("the open place does not say which it is: %v", o)
		}

		page := coordBrowser(t, e).get("/coord/match/" + id)
		wantPage(t, page, http.StatusOK, append(shown, "Durham City (DUR-N1)", "1 place left open", "Optimal fill: no roster that keeps every rule fills more", "<h3>Ola Near</h3>")...)
		if strings.Contains(page.body, "000000") {
			t.Errorf("the run page shows a solver-sized number: %s", page.body)
		}

		// Names are for coordinators of the place's area: once the
		// coordinator's scope moves elsewhere, their run keeps its
		// proposals but not who they name.
		lat, lon := 54.57, -1.23
		cle := e.mustArea(domain.Area{ID: app.NewID(), Code: "CLE", Name: "Cleveland", Kind: domain.AreaForce, Lat: &lat, Lon: &lon})
		me := e.do(http.MethodGet, "/api/v1/me", e.coordinator, nil)
		if err := e.store.SetUserAreas(context.Background(), me.body["user"].(map[string]any)["id"].(string), []string{cle.ID}); err != nil {
			t.Fatal(err)
		}
		later := e.do(http.MethodGet, "/api/v1/match-runs/"+id, e.coordinator, nil)
		if pr := later.body["proposals"].([]any)[0].(map[string]any); pr["member_name"] != nil && pr["member_name"] != "" {
			t.Errorf("a coordinator out of the place's scope sees %v", pr["member_name"])
		}
		if pr := e.do(http.MethodGet, "/api/v1/match-runs/"+id, e.admin, nil).body["proposals"].([]any)[0].(map[string]any); pr["member_name"] != "Ola Near" {
			t.Errorf("the admin sees %v, want the name", pr["member_name"])
		}
	})
}

func TestWhyNotSaysTheRulesOrWhoWonTheTerms(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		near := e.memberAt("near", 54.78, -1.57, memberOpts{})
		far := e.memberAt("far", 54.82, -1.57, memberOpts{})
		noAid := e.memberAt("noaid", 54.78, -1.57, memberOpts{noFirstAid: true})
		sh := shiftsOf(e.demand(map[string]any{"title": "Park watch", "start_local": local(friday), "end_local": local(friday.Add(3 * time.Hour)),
			"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "skills": []string{"first_aid"}, "min_vetting": "NPPV1", "headcount": 1}}}))[0]
		id := e.startMatch(e.coordinator, map[string]any{"from": "2027-01-08", "to": "2027-01-08"})
		run := e.finishMatch(e.coordinator, id)
		if pr := run.body["proposals"].([]any); len(pr) != 1 || pr[0].(map[string]any)["member_id"] != near {
			t.Fatalf("want the nearer member proposed: %s", run.raw)
		}
		ask := func(token, member, position string) resp {
			return e.do(http.MethodGet, "/api/v1/match-runs/"+id+"/why-not?member_id="+member+"&position_id="+position, token, nil)
		}
		only := func(r resp) map[string]any {
			t.Helper()
			items, _ := r.body["items"].([]any)
			if r.status != http.StatusOK || len(items) != 1 {
				t.Fatalf("why-not: %d %s", r.status, r.raw)
			}
			return items[0].(map[string]any)
		}

		lost := only(ask(e.coordinator, far, sh[1]))
		if lost["shift_title"] != "Park watch" || len(lost["failed"].([]any)) != 0 || len(lost["lost"].([]any)) != 1 {
			t.Fatalf("why not far: %v", lost)
		}
		to := lost["lost"].([]any)[0].(map[string]any)
		var travel map[string]any
		for _, x := range to["terms"].([]any) {
			if x.(map[string]any)["term"] == "travel" {
				travel = x.(map[string]any)
			}
		}
		if to["to_member_id"] != near || to["to_member_name"] != "near" || travel == nil || travel["penalty"].(float64) <= 0 ||
			!strings.HasSuffix(travel["words"].(string), "km away") {
			t.Errorf("far should lose on travel to near: %v", to)
		}

		refused := only(ask(e.coordinator, noAid, sh[1]))
		failed := refused["failed"].([]any)
		rule, _ := domain.RuleNamed(domain.RuleSkillsValid)
		if len(failed) != 1 || failed[0].(map[string]any)["rule"] != domain.RuleSkillsValid || failed[0].(map[string]any)["words"] != rule.Failed {
			t.Errorf("why not noaid: %v, want skills_valid in the catalogue's words", refused)
		}
		if got := only(ask(e.coordinator, near, sh[1])); got["proposed"] != true {
			t.Errorf("why not near, who is proposed: %v", got)
		}

		other := e.login("other@example.org", []domain.Role{domain.RoleCoordinator}, "", []string{e.hood.ID})
		if r := ask(other, far, sh[1]); r.status != http.StatusNotFound {
			t.Errorf("another coordinator asked about this run: %d", r.status)
		}
		if r := ask(e.coordinator, far, "nope"); r.status != http.StatusNotFound {
			t.Errorf("a position not in the run: %d", r.status)
		}
		if r := ask(e.coordinator, "nope", sh[1]); r.status != http.StatusNotFound {
			t.Errorf("an unknown member: %d", r.status)
		}
		if r := e.do(http.MethodGet, "/api/v1/match-runs/"+id+"/why-not?position_id="+sh[1], e.coordinator, nil); r.status != http.StatusUnprocessableEntity || !has(fieldsOf(r), "member_id") {
			t.Errorf("no member: %d %s", r.status, r.raw)
		}

		b := coordBrowser(t, e)
		wantPage(t, b.get("/coord/match/"+id), http.StatusOK, `action="/coord/match/`+id+`/why-not"`, `value="`+sh[0]+"/"+sh[1]+`"`)
		wantPage(t, b.get("/coord/match/"+id+"/why-not?member_id="+noAid+"&place="+sh[0]+"/"+sh[1]), http.StatusOK, "Why not noaid?", sentence(rule.Failed))
		wantPage(t, b.get("/coord/match/"+id+"/why-not?member_id="+far+"&place="+sh[0]+"/"+sh[1]), http.StatusOK, "near was proposed instead", "km away")
	})
}

func TestWhyNotOnAPlaceLeftOpenNamesTheRuleTheRunsOwnProposalBreaks(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		solo := e.member("solo", memberOpts{})
		e.member("noaid", memberOpts{noFirstAid: true})
		aid := []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "skills": []string{"first_aid"}, "min_vetting": "NPPV1", "headcount": 1}}
		high := shiftsOf(e.demand(map[string]any{"title": "High", "priority": 5, "start_local": local(friday), "end_local": local(friday.Add(3 * time.Hour)), "positions": aid}))[0]
		low := shiftsOf(e.demand(map[string]any{"title": "Low", "priority": 1, "start_local": local(friday.Add(time.Hour)), "end_local": local(friday.Add(2 * time.Hour)), "positions": aid}))[0]
		id := e.startMatch(e.coordinator, map[string]any{"from": "2027-01-08", "to": "2027-01-08"})
		run := e.finishMatch(e.coordinator, id)
		if pr := run.body["proposals"].([]any); len(pr) != 1 || pr[0].(map[string]any)["shift_id"] != high[0] {
			t.Fatalf("want solo on the higher priority shift: %s", run.raw)
		}
		r := e.do(http.MethodGet, "/api/v1/match-runs/"+id+"/why-not?member_id="+solo+"&position_id="+low[1], e.coordinator, nil)
		items, _ := r.body["items"].([]any)
		if r.status != http.StatusOK || len(items) != 1 {
			t.Fatalf("why-not: %d %s", r.status, r.raw)
		}
		var rules []string
		for _, f := range items[0].(map[string]any)["failed"].([]any) {
			rules = append(rules, f.(map[string]any)["rule"].(string))
		}
		if !has(rules, domain.RuleNoOverlap) || len(items[0].(map[string]any)["lost"].([]any)) != 0 {
			t.Errorf("why not solo on the open place: %v, want no_overlap with their own proposal", items[0])
		}
	})
}

// crewsByShift groups a run's proposals into the members proposed for each
// shift, sorted so crews compare as strings.
func crewsByShift(t *testing.T, run resp) map[string]string {
	t.Helper()
	crew := map[string][]string{}
	for _, p := range run.body["proposals"].([]any) {
		pr := p.(map[string]any)
		crew[pr["shift_id"].(string)] = append(crew[pr["shift_id"].(string)], pr["member_id"].(string))
	}
	out := map[string]string{}
	for id, ms := range crew {
		sort.Strings(ms)
		out[id] = strings.Join(ms, ",")
	}
	return out
}

func TestASeriesKeepsItsPeopleAndASmallRunStopsConverged(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		// Six members could share the twelve places; fairness alone would
		// spread them, continuity keeps the same three every week.
		e.demand(map[string]any{"title": "Friday patrol", "start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour)), "rrule": "FREQ=WEEKLY;COUNT=4",
			"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "skills": []string{}, "min_vetting": "NPPV1", "headcount": 3}}})
		for i := 0; i < 6; i++ {
			e.memberAt(fmt.Sprintf("Patroller %d", i), 54.76+0.005*float64(i), -1.57, memberOpts{})
		}
		id := e.startMatch(e.coordinator, map[string]any{"from": "2027-01-04", "to": "2027-01-31", "seed": 3})
		run := e.finishMatch(e.coordinator, id)
		wantPage(t, coordBrowser(t, e).get("/coord/match/"+id), http.StatusOK, "12 of 12 open places filled.", "Optimal fill:", "The search could not improve after")

		m := run.body["metrics"].(map[string]any)
		if m["filled"] != float64(12) || m["fill_bound"] != float64(12) || m["optimal_fill"] != true {
			t.Errorf("metrics %v: want all 12 places filled, the bound 12 and the fill proved optimal", m)
		}
		if m["stop_reason"] != domain.MatchStopConverged {
			t.Errorf("a small run stopped %v after %v moves, want %q", m["stop_reason"], m["moves"], domain.MatchStopConverged)
		}
		crews := crewsByShift(t, run)
		if len(crews) != 4 {
			t.Fatalf("want proposals on 4 occurrences, got %v", crews)
		}
		var first string
		for _, c := range crews {
			if strings.Count(c, ",") != 2 {
				t.Errorf("an occurrence's crew %q is not three members", c)
			}
			if first == "" {
				first = c
			} else if c != first {
				t.Errorf("the series changed crew: %v", crews)
				break
			}
		}
	})
}

func TestAMenteeKeepsTheirMentorAcrossDemands(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		mentoring := func(title string, start time.Time, rrule string) {
			body := map[string]any{"title": title, "problem_type": "mentoring", "mentee_ref": "MEN-0007",
				"start_local": local(start), "end_local": local(start.Add(2 * time.Hour)),
				"positions": []map[string]any{{"name": "Mentor", "kinds": []string{"volunteer"}, "skills": []string{}, "min_vetting": "NPPV1", "headcount": 1}}}
			if rrule != "" {
				body["rrule"] = rrule
			}
			e.demand(body)
		}
		// A weekly series and a one-off meeting for the same mentee, with
		// four members free for every session: spreading the hours would
		// give the mentee a new mentor each time.
		mentoring("Weekly mentoring", friday.Add(-4*time.Hour), "FREQ=WEEKLY;COUNT=3")
		mentoring("Court visit", friday.Add(4*24*time.Hour-8*time.Hour), "")
		for i := 0; i < 4; i++ {
			e.memberAt(fmt.Sprintf("Mentor %d", i), 54.76+0.005*float64(i), -1.57, memberOpts{})
		}
		run := e.finishMatch(e.coordinator, e.startMatch(e.coordinator, map[string]any{"from": "2027-01-04", "to": "2027-01-31", "seed": 5}))

		crews := crewsByShift(t, run)
		if len(crews) != 4 {
			t.Fatalf("want a mentor on all 4 sessions, got %v (%s)", crews, run.raw)
		}
		mentors := map[string]bool{}
		for _, c := range crews {
			mentors[c] = true
		}
		if len(mentors) != 1 {
			t.Errorf("the mentee met %d mentors over 4 sessions: %v", len(mentors), crews)
		}
	})
}

func TestARunShortOfItsBoundSaysHowManyCouldBeFilled(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.memberAt("Solo Walker", 54.77, -1.57, memberOpts{})
		e.demand(map[string]any{"title": "North watch", "start_local": local(friday), "end_local": local(friday.Add(2 * time.Hour)),
			"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "skills": []string{}, "min_vetting": "NPPV1", "headcount": 1}}})
		id := e.startMatch(e.coordinator, map[string]any{"from": "2027-01-08", "to": "2027-01-08"})
		e.finishMatch(e.coordinator, id)
		// The bound is exact on anything this small, so the run is stored
		// as one that fell short of it and was cut off by its time cap.
		ctx := context.Background()
		run, err := e.store.MatchRunByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		run.Metrics.FillBound, run.Metrics.OptimalFill, run.Metrics.StopReason, run.Metrics.TimeCapped = 2, false, domain.MatchStopTimeLimit, true
		if err := e.store.SaveMatchRun(ctx, run); err != nil {
			t.Fatal(err)
		}
		page := coordBrowser(t, e).get("/coord/match/" + id)
		wantPage(t, page, http.StatusOK, "1 of 1 open places filled.", "At most 2 could be filled.", "reached its time limit first, so another run may differ")
		if strings.Contains(page.body, "Optimal fill") {
			t.Errorf("the page claims optimal fill below the bound")
		}
	})
}
