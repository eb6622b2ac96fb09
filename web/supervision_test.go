package web_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// Through the API: the vetting unit grants a conditional clearance (with a
// reference, never a reason), a position allows supervision, and a
// supervised member books only beside a confirmed supervisor.
func TestConditionalClearanceCountsOnlyOnASupervisedPositionBesideASupervisor(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		mentor := e.member("reece", memberOpts{vetting: domain.VettingNone})
		r := e.do(http.MethodPost, "/api/v1/members/"+mentor+"/clearances", e.admin,
			map[string]any{"type": "conditional", "granted_on": "2026-01-01", "expires_on": "2028-01-01", "reference": "VU-RA-14"})
		if r.status != http.StatusCreated || r.body["type"] != "conditional" || r.body["reference"] != "VU-RA-14" {
			t.Fatalf("grant a conditional clearance: %d %s", r.status, r.raw)
		}
		if r := e.do(http.MethodPost, "/api/v1/members/"+mentor+"/clearances", e.coordinator,
			map[string]any{"type": "conditional", "granted_on": "2026-01-01", "expires_on": "2028-01-01"}); r.status != http.StatusForbidden {
			t.Fatalf("a coordinator grants a conditional clearance: %d %s", r.status, r.raw)
		}
		sk, err := e.store.CreateSkill(ctx, domain.Skill{ID: app.NewID(), Code: domain.SupervisorSkill, Name: "Supervisor", CreatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		supervisor := e.member("sup", memberOpts{})
		if err := e.store.PutMemberSkill(ctx, domain.MemberSkill{MemberID: supervisor, SkillID: sk.ID, ObtainedOn: domain.Date{Year: 2026, Month: 1, Day: 1}}); err != nil {
			t.Fatal(err)
		}
		d := e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(3 * time.Hour)),
			"positions": []map[string]any{
				{"name": "Lead", "kinds": []string{"volunteer"}, "skills": []string{}, "min_vetting": "NPPV1", "headcount": 1},
				{"name": "Support", "kinds": []string{"volunteer"}, "skills": []string{}, "min_vetting": "NPPV1", "headcount": 2, "supervision": "allowed"}}})
		positions := d["positions"].([]any)
		lead, support := positions[0].(map[string]any), positions[1].(map[string]any)
		if lead["supervision"] != "none" || support["supervision"] != "allowed" {
			t.Fatalf("positions read back with supervision %v and %v", lead["supervision"], support["supervision"])
		}
		shift := shiftsOf(d)[0][0]
		book := func(pos map[string]any, member string) resp {
			t.Helper()
			return e.do(http.MethodPost, "/api/v1/shifts/"+shift+"/bookings", e.coordinator, map[string]any{"position_id": pos["id"], "member_id": member})
		}
		if r := book(lead, mentor); r.status != http.StatusConflict || !slices.Equal(rulesOf(r), []string{"vetting_valid"}) {
			t.Fatalf("conditional clearance where supervision is not allowed: %d %s", r.status, r.raw)
		}
		if r := book(support, mentor); r.status != http.StatusConflict || !slices.Equal(rulesOf(r), []string{"supervised"}) {
			t.Fatalf("supervised member with no supervisor: %d %s", r.status, r.raw)
		}
		sup := book(lead, supervisor)
		if sup.status != http.StatusCreated {
			t.Fatalf("book the supervisor: %d %s", sup.status, sup.raw)
		}
		mb := book(support, mentor)
		if mb.status != http.StatusCreated {
			t.Fatalf("supervised member beside a supervisor: %d %s", mb.status, mb.raw)
		}
		// Four days ahead, beyond the grace: the supervisor may always cancel.
		if r := e.do(http.MethodPost, "/api/v1/bookings/"+sup.body["id"].(string)+"/cancel", e.coordinator, nil); r.status != http.StatusOK {
			t.Fatalf("a supervisor's cancellation: %d %s", r.status, r.raw)
		}
		if n, err := e.app.PendingJobs(ctx, "supervision_release"); err != nil || n != 1 {
			t.Fatalf("release jobs: %d, %v", n, err)
		}
		// Supervision withdrawn from the position: the conditional
		// clearance no longer counts there, and the place goes.
		r = e.do(http.MethodPatch, "/api/v1/demands/"+d["id"].(string), e.coordinator,
			map[string]any{"positions": []map[string]any{{"id": support["id"], "supervision": "none"}}})
		if r.status != http.StatusOK {
			t.Fatalf("withdraw supervision: %d %s", r.status, r.raw)
		}
		if b, err := e.store.BookingByID(ctx, mb.body["id"].(string)); err != nil || b.Status != domain.BookingCancelled ||
			!strings.Contains(b.CancelReason, "vetting_valid") {
			t.Fatalf("the supervised place after supervision was withdrawn: %+v, %v", b, err)
		}
	})
}

func TestCoordinatorAllowsSupervisionOnTheDemandForm(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		b := coordBrowser(t, e)
		wantPage(t, b.get("/coord/demands/new"), http.StatusOK, `<label for="positions-0-supervision">Supervised members</label>`,
			`<option value="allowed">Allowed</option>`)
		b.post("/coord/demands/new", "/coord/demands/new", demandForm(map[string]string{"positions-0-supervision": "allowed"}))
		items := e.do(http.MethodGet, "/api/v1/demands", e.coordinator, nil).body["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("%d demands posted, want 1", len(items))
		}
		pos := items[0].(map[string]any)["positions"].([]any)[0].(map[string]any)
		if pos["supervision"] != "allowed" {
			t.Fatalf("the posted position: %v", pos)
		}
	})
}
