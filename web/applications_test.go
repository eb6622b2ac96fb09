package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// vetWorld adds the lived-experience skills to the catalogue and an open
// mentor opportunity in DUR-N1 posted by the coordinator; it returns the
// opportunity's ID.
func (e *env) vetWorld() string {
	e.t.Helper()
	for _, code := range []string{"lived:addiction", "lived:crime"} {
		if _, err := e.store.CreateSkill(context.Background(), domain.Skill{ID: app.NewID(), Code: code, Name: code, CreatedAt: t0}); err != nil {
			e.t.Fatal(err)
		}
	}
	return e.opportunity(map[string]any{"status": "open"})
}

// opportunity posts an opportunity as the coordinator and returns its ID.
func (e *env) opportunity(over map[string]any) string {
	e.t.Helper()
	body := map[string]any{"title": "Peer mentor", "kind": "mentor", "area": "DUR-N1", "min_vetting": "NPPV1",
		"skills_gained": []string{"first_aid"}, "commitment": "4 hours a fortnight", "description": "Support people", "status": "open"}
	for k, v := range over {
		body[k] = v
	}
	r := e.do(http.MethodPost, "/api/v1/opportunities", e.coordinator, body)
	if r.status != http.StatusCreated {
		e.t.Fatalf("opportunity: %d %s", r.status, r.raw)
	}
	return r.body["id"].(string)
}

func application(oppID, name, email string, over map[string]any) map[string]any {
	body := map[string]any{"opportunity_id": oppID, "name": name, "email": email, "phone": "07700 900123",
		"postcode": "DH1 3LE", "motivation": "I want to help people like me", "lived_experience": []string{"lived:addiction"}, "consent": true}
	for k, v := range over {
		body[k] = v
	}
	return body
}

// apply submits an application signed out and returns its ID.
func (e *env) apply(body map[string]any) string {
	e.t.Helper()
	r := e.do(http.MethodPost, "/api/v1/applications", "", body)
	if r.status != http.StatusCreated || r.body["stage"] != "submitted" {
		e.t.Fatalf("apply: %d %s", r.status, r.raw)
	}
	return r.body["id"].(string)
}

func (e *env) moveStage(token, id, stage, note string) resp {
	e.t.Helper()
	return e.do(http.MethodPost, "/api/v1/applications/"+id+"/stage", token, map[string]any{"stage": stage, "note": note})
}

// wantStageRefused checks a 409 stage-refused that names the stage the
// application may move to ("" for an application that has ended).
func wantStageRefused(t *testing.T, r resp, next string) {
	t.Helper()
	if r.status != http.StatusConflict || !strings.HasSuffix(fmt.Sprint(r.body["type"]), "/stage-refused") {
		t.Fatalf("want 409 stage-refused, got %d %s", r.status, r.raw)
	}
	want := "may move to " + next
	if next == "" {
		want = "no further stage is possible"
	}
	if !strings.Contains(string(r.raw), want) {
		t.Fatalf("the refusal does not name %s: %s", next, r.raw)
	}
}

func (e *env) applicationCount() int {
	e.t.Helper()
	r := e.do(http.MethodGet, "/api/v1/applications?limit=200", e.admin, nil)
	if r.status != http.StatusOK {
		e.t.Fatalf("list applications: %d %s", r.status, r.raw)
	}
	return len(r.body["items"].([]any))
}

func TestAnApplicantGoesThroughEveryStageAndBecomesAnInvitedMember(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		opp := e.vetWorld()
		draft := e.opportunity(map[string]any{"status": "draft", "title": "Not yet"})
		public := e.do(http.MethodGet, "/api/v1/opportunities?area=DUR&kind=mentor", "", nil)
		if public.status != http.StatusOK || len(public.body["items"].([]any)) != 1 || public.body["items"].([]any)[0].(map[string]any)["id"] != opp {
			t.Fatalf("signed out, the list is not the one open opportunity: %d %s", public.status, public.raw)
		}
		if r := e.do(http.MethodGet, "/api/v1/opportunities/"+draft, "", nil); r.status != http.StatusNotFound {
			t.Fatalf("a draft read signed out: %d", r.status)
		}
		if r := e.do(http.MethodGet, "/api/v1/opportunities", e.coordinator, nil); len(r.body["items"].([]any)) != 2 {
			t.Fatalf("the coordinator does not see the draft in their area: %s", r.raw)
		}

		id := e.apply(application(opp, "Jo Bloggs", "jo@example.org", map[string]any{"lived_experience": []string{"lived:addiction", "lived:crime"}}))
		ack := e.sent.to("jo@example.org")
		if len(ack) != 1 || !strings.Contains(ack[0].Link, "/applications/withdraw/") {
			t.Fatalf("acknowledgement: %+v", ack)
		}

		wantStageRefused(t, e.moveStage(e.coordinator, id, "vetting", "skip ahead"), "screening")
		steps := []string{"screening", "references", "vetting", "training"}
		for i, st := range steps {
			if r := e.moveStage(e.coordinator, id, st, "step "+st); r.status != http.StatusOK || r.body["stage"] != st {
				t.Fatalf("move to %s: %d %s", st, r.status, r.raw)
			}
			if i == 0 {
				wantStageRefused(t, e.moveStage(e.coordinator, id, "screening", "again"), "references")
			}
		}
		if r := e.moveStage(e.coordinator, id, "withdrawn", ""); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("staff withdrew an application: %d %s", r.status, r.raw)
		}
		done := e.moveStage(e.coordinator, id, "active", "welcome")
		if done.status != http.StatusOK || done.body["member_created"] != true || done.body["invitation_sent"] != true {
			t.Fatalf("active: %d %s", done.status, done.raw)
		}
		wantStageRefused(t, e.moveStage(e.coordinator, id, "rejected", "too late"), "")

		memberID := done.body["member_id"].(string)
		m := e.do(http.MethodGet, "/api/v1/members/"+memberID, e.admin, nil)
		if m.status != http.StatusOK || m.body["email"] != "jo@example.org" || m.body["home_area"] != "DUR-N1" ||
			fmt.Sprint(m.body["kinds"]) != "[mentor]" {
			t.Fatalf("member: %d %s", m.status, m.raw)
		}
		skills := map[string]any{}
		for _, s := range m.body["skills"].([]any) {
			skills[s.(map[string]any)["code"].(string)] = s.(map[string]any)["expires_on"]
		}
		for _, code := range []string{"lived:addiction", "lived:crime"} {
			if exp, ok := skills[code]; !ok || exp != nil {
				t.Fatalf("skill %s: held %v, expires %v", code, ok, exp)
			}
		}
		invite := e.sent.to("jo@example.org")
		if len(invite) != 2 || !strings.Contains(invite[1].Link, "/invite/") {
			t.Fatalf("no invitation was sent: %+v", invite)
		}
		if r := e.do(http.MethodPost, "/api/v1/auth/accept-invite", "", map[string]any{"token": secretOf(invite[1].Link), "password": "a brand new password"}); r.status != http.StatusOK {
			t.Fatalf("accept invitation: %d %s", r.status, r.raw)
		}

		detail := e.do(http.MethodGet, "/api/v1/applications/"+id, e.coordinator, nil)
		hist := detail.body["history"].([]any)
		if detail.status != http.StatusOK || len(hist) != 6 {
			t.Fatalf("history: %d %s", detail.status, detail.raw)
		}
		last := hist[5].(map[string]any)
		if last["from"] != "training" || last["to"] != "active" || last["note"] != "welcome" || last["by_user_id"] == nil {
			t.Fatalf("the last move does not say who, when and why: %v", last)
		}
		audited := auditItems(t, e.do(http.MethodGet, "/api/v1/audit?action=application.stage&entity_id="+id, e.admin, nil))
		if len(audited) != 5 {
			t.Fatalf("%d stage moves audited, want 5", len(audited))
		}
		audited = append(audited, auditItems(t, e.do(http.MethodGet, "/api/v1/audit?action=application.create&entity_id="+id, e.admin, nil))...)
		for _, personal := range []string{"Jo Bloggs", "jo@example.org", "07700", "lived:"} {
			if strings.Contains(fmt.Sprint(audited), personal) {
				t.Fatalf("the audit log of the application holds %q", personal)
			}
		}
	})
}

func TestARefusedApplicationStoresNothing(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		opp := e.vetWorld()
		closed := e.opportunity(map[string]any{"status": "closed"})
		draft := e.opportunity(map[string]any{"status": "draft"})
		for _, c := range []struct {
			name   string
			body   map[string]any
			status int
			field  string
		}{
			{"without consent", application(opp, "Al", "al@example.org", map[string]any{"consent": false}), 422, "consent"},
			{"to a closed opportunity", application(closed, "Al", "al@example.org", nil), 422, "opportunity_id"},
			{"to a draft opportunity", application(draft, "Al", "al@example.org", nil), 422, "opportunity_id"},
			{"with a lived code not in the catalogue", application(opp, "Al", "al@example.org", map[string]any{"lived_experience": []string{"lived:unknown"}}), 422, "lived:unknown"},
			{"with the honeypot filled", application(opp, "Al", "al@example.org", map[string]any{"website": "http://spam.example"}), 422, ""},
		} {
			r := e.do(http.MethodPost, "/api/v1/applications", "", c.body)
			if r.status != c.status || !strings.HasPrefix(r.body["type"].(string), "https://") {
				t.Fatalf("%s: %d %s", c.name, r.status, r.raw)
			}
			if c.field != "" && !strings.Contains(fmt.Sprint(r.body["errors"]), c.field) {
				t.Fatalf("%s: the answer does not name %s: %s", c.name, c.field, r.raw)
			}
			if c.field == "" && (r.body["errors"] != nil || strings.Contains(string(r.raw), "website")) {
				t.Fatalf("%s: the answer tells a bot what gave it away: %s", c.name, r.raw)
			}
		}
		if n := e.applicationCount(); n != 0 || len(e.sent.to("al@example.org")) != 0 {
			t.Fatalf("refused applications stored %d, sent %d", n, len(e.sent.to("al@example.org")))
		}

		e.advance(2 * time.Minute)
		for i := range 9 {
			e.apply(application(opp, "Al", fmt.Sprintf("al%d@example.org", i), nil))
		}
		r := e.do(http.MethodPost, "/api/v1/applications", "", application(opp, "Al", "al9@example.org", nil))
		if r.status != http.StatusTooManyRequests {
			t.Fatalf("the tenth in a minute: %d %s", r.status, r.raw)
		}
		if n := e.applicationCount(); n != 9 {
			t.Fatalf("%d applications stored, want 9", n)
		}
		e.advance(time.Minute + time.Second)
		e.apply(application(opp, "Al", "al9@example.org", nil))
	})
}

func TestACoordinatorOutsideTheOpportunitysAreaFindsNoApplication(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		opp := e.vetWorld()
		draft := e.opportunity(map[string]any{"status": "draft"})
		id := e.apply(application(opp, "Jo Bloggs", "jo@example.org", nil))
		other := e.mustArea(domain.Area{ID: app.NewID(), Code: "CLE", Name: "Cleveland", Kind: domain.AreaForce})
		outsider := e.login("far@example.org", []domain.Role{domain.RoleCoordinator}, "", []string{other.ID})
		_, member := e.memberLogin("sam", memberOpts{})

		for _, c := range []struct {
			who, token string
		}{{"a coordinator elsewhere", outsider}, {"a member", member}} {
			if r := e.do(http.MethodGet, "/api/v1/applications/"+id, c.token, nil); r.status != http.StatusNotFound {
				t.Fatalf("%s reads: %d", c.who, r.status)
			}
			if r := e.moveStage(c.token, id, "screening", ""); r.status != http.StatusNotFound {
				t.Fatalf("%s moves: %d", c.who, r.status)
			}
			if r := e.do(http.MethodGet, "/api/v1/opportunities/"+draft, c.token, nil); r.status != http.StatusNotFound {
				t.Fatalf("%s reads a draft: %d", c.who, r.status)
			}
		}
		if r := e.do(http.MethodGet, "/api/v1/applications", outsider, nil); r.status != http.StatusOK || len(r.body["items"].([]any)) != 0 {
			t.Fatalf("the outsider's list: %d %s", r.status, r.raw)
		}
		if r := e.do(http.MethodPatch, "/api/v1/opportunities/"+opp, outsider, map[string]any{"status": "closed"}); r.status != http.StatusForbidden {
			t.Fatalf("the outsider changes an open opportunity: %d", r.status)
		}
		if r := e.do(http.MethodPost, "/api/v1/opportunities", outsider, map[string]any{"title": "X", "kind": "volunteer", "area": "DUR-N1"}); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("the outsider posts in DUR-N1: %d", r.status)
		}
		if r := e.moveStage(e.coordinator, id, "screening", ""); r.status != http.StatusOK {
			t.Fatalf("the area's coordinator moves: %d %s", r.status, r.raw)
		}
		if r := e.do(http.MethodGet, "/api/v1/applications?stage=screening&opportunity="+opp, e.coordinator, nil); len(r.body["items"].([]any)) != 1 {
			t.Fatalf("filtered list: %s", r.raw)
		}
		if r := e.do(http.MethodGet, "/api/v1/applications?stage=screening&colour=red", e.coordinator, nil); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(string(r.raw), "colour") {
			t.Fatalf("an unknown query parameter: %d %s", r.status, r.raw)
		}
	})
}

func TestAnApplicantWhoIsAlreadyAMemberGetsTheKindAdded(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		opp := e.vetWorld()
		existing := e.member("sam", memberOpts{})
		id := e.apply(application(opp, "Sam", "SAM@Example.org", nil))
		for _, st := range []string{"screening", "references", "vetting", "training"} {
			e.moveStage(e.admin, id, st, "")
		}
		r := e.moveStage(e.admin, id, "active", "")
		if r.status != http.StatusOK || r.body["member_id"] != existing || r.body["member_created"] != false {
			t.Fatalf("active: %d %s", r.status, r.raw)
		}
		m := e.do(http.MethodGet, "/api/v1/members/"+existing, e.admin, nil)
		if fmt.Sprint(m.body["kinds"]) != "[volunteer mentor]" {
			t.Fatalf("kinds: %v", m.body["kinds"])
		}
		list := e.do(http.MethodGet, "/api/v1/members?q=sam", e.admin, nil)
		if n := len(list.body["items"].([]any)); n != 1 {
			t.Fatalf("%d members with the email, want 1", n)
		}
	})
}

func TestTheWithdrawLinkWorksOnceAndExpires(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		opp := e.vetWorld()
		id := e.apply(application(opp, "Jo", "jo@example.org", nil))
		secret := secretOf(e.lastLink("jo@example.org"))
		r := e.do(http.MethodPost, "/api/v1/applications/withdraw", "", map[string]any{"token": secret})
		if r.status != http.StatusOK || r.body["stage"] != "withdrawn" || r.body["id"] != id {
			t.Fatalf("withdraw: %d %s", r.status, r.raw)
		}
		if r := e.do(http.MethodPost, "/api/v1/applications/withdraw", "", map[string]any{"token": secret}); r.status != http.StatusGone {
			t.Fatalf("the link worked twice: %d %s", r.status, r.raw)
		}
		wantStageRefused(t, e.moveStage(e.coordinator, id, "screening", ""), "")

		e.apply(application(opp, "Kim", "kim@example.org", nil))
		late := secretOf(e.lastLink("kim@example.org"))
		e.advance(91 * 24 * time.Hour)
		if r := e.do(http.MethodPost, "/api/v1/applications/withdraw", "", map[string]any{"token": late}); r.status != http.StatusGone {
			t.Fatalf("an expired link worked: %d %s", r.status, r.raw)
		}
	})
}

func TestAnApplicantsExportAndErasure(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		const name, email, phone = "Xanthe Quorrel", "xanthe.quorrel@example.org", "07700 900555"
		opp := e.vetWorld()
		id := e.apply(application(opp, name, email, map[string]any{"phone": phone, "motivation": name + " wants to help"}))
		e.moveStage(e.coordinator, id, "screening", "Called "+name+" on "+phone)

		if r := e.do(http.MethodGet, "/api/v1/applications/"+id+"/export", e.coordinator, nil); r.status != http.StatusForbidden {
			t.Fatalf("the coordinator exports: %d", r.status)
		}
		x := e.do(http.MethodGet, "/api/v1/applications/"+id+"/export", e.admin, nil)
		if x.status != http.StatusOK || x.body["application"].(map[string]any)["email"] != email ||
			len(x.body["tables"].(map[string]any)["application_stages"].([]any)) != 2 || strings.Contains(string(x.raw), "token_hash") {
			t.Fatalf("export: %d %s", x.status, x.raw)
		}
		if r := e.do(http.MethodDelete, "/api/v1/applications/"+id, e.coordinator, nil); r.status != http.StatusForbidden {
			t.Fatalf("the coordinator erases: %d", r.status)
		}
		r := e.do(http.MethodDelete, "/api/v1/applications/"+id, e.admin, nil)
		if r.status != http.StatusOK || !strings.Contains(fmt.Sprint(r.body["kept"]), "audit") {
			t.Fatalf("erase: %d %s", r.status, r.raw)
		}
		for _, table := range schemaTables(t, e) {
			scanForPersonal(t, e, table, []string{name, email, phone})
		}
		if r := e.moveStage(e.coordinator, id, "references", ""); r.status != http.StatusConflict {
			t.Fatalf("an erased application moved: %d", r.status)
		}
	})
}

func TestErasingAMemberWhoAppliedLeavesNoTraceOfTheApplication(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		const name, email, phone = "Yorick Plumtree", "yorick.plumtree@example.org", "07700 900777"
		opp := e.vetWorld()
		id := e.apply(application(opp, name, email, map[string]any{"phone": phone}))
		for _, st := range []string{"screening", "references", "vetting", "training", "active"} {
			e.moveStage(e.admin, id, st, "spoke to "+name)
		}
		d := e.do(http.MethodGet, "/api/v1/applications/"+id, e.admin, nil)
		memberID, _ := d.body["member_id"].(string)
		if memberID == "" {
			t.Fatalf("no member: %s", d.raw)
		}
		x := e.do(http.MethodGet, "/api/v1/members/"+memberID+"/export", e.admin, nil)
		if rows, _ := x.body["tables"].(map[string]any)["applications"].([]any); len(rows) != 1 {
			t.Fatalf("the member's export leaves out their application: %s", x.raw)
		}
		if r := e.do(http.MethodDelete, "/api/v1/members/"+memberID, e.admin, nil); r.status != http.StatusOK {
			t.Fatalf("erase member: %d %s", r.status, r.raw)
		}
		for _, table := range schemaTables(t, e) {
			scanForPersonal(t, e, table, []string{name, email, phone})
		}
	})
}

func TestRetentionAnonymisesApplicationsThatEndedLongAgo(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		const name, email = "Wilhelmina Oddsock", "wilhelmina.oddsock@example.org"
		opp := e.vetWorld()
		ended := e.apply(application(opp, name, email, nil))
		e.moveStage(e.admin, ended, "rejected", "not now")
		open := e.apply(application(opp, "Still Waiting", "waiting@example.org", nil))
		e.advance(25 * 30 * 24 * time.Hour) // beyond the default 24 months
		if _, err := e.app.RunRetention(context.Background()); err != nil {
			t.Fatal(err)
		}
		for _, table := range schemaTables(t, e) {
			scanForPersonal(t, e, table, []string{name, email})
		}
		if a, err := e.store.ApplicationByID(context.Background(), open); err != nil || a.Email != "waiting@example.org" {
			t.Fatalf("an application still under way was anonymised: %+v %v", a, err)
		}
	})
}

func TestConcurrentStageMovesMoveTheApplicationOnce(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		opp := e.vetWorld()
		id := e.apply(application(opp, "Jo", "jo@example.org", nil))
		rs := parallel(12, func(int) resp { return e.moveStage(e.coordinator, id, "screening", "") })
		if got := countStatus(rs); got[http.StatusOK] != 1 || got[http.StatusConflict] != 11 {
			t.Fatalf("statuses %v, want one 200 and eleven 409", got)
		}
		d := e.do(http.MethodGet, "/api/v1/applications/"+id, e.admin, nil)
		if n := len(d.body["history"].([]any)); n != 2 {
			t.Fatalf("%d history steps, want 2 (submitted, screening)", n)
		}
	})
}

func TestOpportunitiesFilterPaginateAndChange(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		a := e.opportunity(map[string]any{"title": "Mentor A"})
		e.opportunity(map[string]any{"title": "Mentor B"})
		e.opportunity(map[string]any{"title": "Force volunteer", "kind": "volunteer", "area": "DUR"})
		count := func(q string) int {
			t.Helper()
			r := e.do(http.MethodGet, "/api/v1/opportunities"+q, "", nil)
			if r.status != http.StatusOK {
				t.Fatalf("list %s: %d %s", q, r.status, r.raw)
			}
			return len(r.body["items"].([]any))
		}
		for q, want := range map[string]int{"": 3, "?kind=mentor": 2, "?kind=volunteer": 1, "?area=DUR-N1": 2, "?area=DUR": 3, "?area=DUR-N1&kind=volunteer": 0} {
			if got := count(q); got != want {
				t.Errorf("%q lists %d, want %d", q, got, want)
			}
		}
		seen := map[string]bool{}
		for cursor, pages := "", 0; ; pages++ {
			r := e.do(http.MethodGet, "/api/v1/opportunities?limit=2"+cursor, "", nil)
			for _, it := range r.body["items"].([]any) {
				seen[it.(map[string]any)["id"].(string)] = true
			}
			next, _ := r.body["next_cursor"].(string)
			if next == "" || pages > 3 {
				break
			}
			cursor = "&cursor=" + next
		}
		if len(seen) != 3 {
			t.Fatalf("paging saw %d opportunities, want 3", len(seen))
		}
		if r := e.do(http.MethodGet, "/api/v1/opportunities?area=NOWHERE", "", nil); r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.raw), `"area"`) {
			t.Fatalf("unknown area: %d %s", r.status, r.raw)
		}
		if r := e.do(http.MethodPost, "/api/v1/opportunities", e.coordinator, map[string]any{"title": "X", "kind": "captain", "area": "DUR-N1",
			"skills_gained": []string{"juggling"}}); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(string(r.raw), `"kind"`) || !strings.Contains(string(r.raw), `"skills_gained[0]"`) {
			t.Fatalf("bad opportunity: %d %s", r.status, r.raw)
		}
		if r := e.do(http.MethodPatch, "/api/v1/opportunities/"+a, e.coordinator, map[string]any{"status": "closed"}); r.status != http.StatusOK || r.body["status"] != "closed" {
			t.Fatalf("close: %d %s", r.status, r.raw)
		}
		if got := count("?kind=mentor"); got != 1 {
			t.Fatalf("a closed opportunity is still public: %d listed", got)
		}
		if r := e.do(http.MethodGet, "/api/v1/opportunities/"+a, "", nil); r.status != http.StatusNotFound {
			t.Fatalf("a closed opportunity read signed out: %d", r.status)
		}
	})
}
