package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

func TestTheLastSupervisorIsWarnedOnTheCancelPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "sqlite")
	ctx := context.Background()
	mentor := e.member("reece", memberOpts{vetting: domain.VettingNone})
	if r := e.do(http.MethodPost, "/api/v1/members/"+mentor+"/clearances", e.admin,
		map[string]any{"type": "conditional", "granted_on": "2026-01-01", "expires_on": "2028-01-01", "reference": "VU-RA-14"}); r.status != http.StatusCreated {
		t.Fatalf("conditional clearance: %d %s", r.status, r.raw)
	}
	sk, err := e.store.CreateSkill(ctx, domain.Skill{ID: app.NewID(), Code: domain.SupervisorSkill, Name: "Supervisor", CreatedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	supervisor, _ := e.memberLogin("sup", memberOpts{})
	other, _ := e.memberLogin("other", memberOpts{})
	for _, m := range []string{supervisor, other} {
		if err := e.store.PutMemberSkill(ctx, domain.MemberSkill{MemberID: m, SkillID: sk.ID, ObtainedOn: domain.Date{Year: 2026, Month: 1, Day: 1}}); err != nil {
			t.Fatal(err)
		}
	}
	d := e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(3 * time.Hour)),
		"positions": []map[string]any{
			{"name": "Lead", "kinds": []string{"volunteer"}, "skills": []string{}, "min_vetting": "NPPV1", "headcount": 2},
			{"name": "Support", "kinds": []string{"volunteer"}, "skills": []string{}, "min_vetting": "NPPV1", "headcount": 1, "supervision": "allowed"}}})
	positions := d["positions"].([]any)
	lead, support := positions[0].(map[string]any)["id"], positions[1].(map[string]any)["id"]
	shift := shiftsOf(d)[0][0]
	book := func(pos any, member string) string {
		t.Helper()
		r := e.do(http.MethodPost, "/api/v1/shifts/"+shift+"/bookings", e.coordinator, map[string]any{"position_id": pos, "member_id": member})
		if r.status != http.StatusCreated {
			t.Fatalf("book: %d %s", r.status, r.raw)
		}
		return r.body["id"].(string)
	}
	mine := book(lead, supervisor)
	book(support, mentor)

	b := e.browser(t)
	b.signIn("sup@example.org")
	wantPage(t, b.get("/my-shifts/"+mine+"/cancel"), http.StatusOK, "You are the only supervisor on this shift")

	// With a second supervisor booked, cancelling leaves the colleague supervised.
	book(lead, other)
	if p := b.get("/my-shifts/" + mine + "/cancel"); p.status != http.StatusOK || strings.Contains(p.body, "only supervisor") {
		t.Fatalf("warned though another supervisor is on: %d", p.status)
	}
}
