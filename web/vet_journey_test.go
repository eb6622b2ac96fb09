package web_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// The VET Agency end to end through the API: someone signed out applies,
// staff move the application through every stage to active, the new member
// sets a password through the invitation link, enrols on a first-aid
// session and completes it, is then eligible for a shift that needs first
// aid (refused before), works it, and the attended hours move their pathway
// on.
func TestTheWholeVetJourneyThroughTheAPI(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		opp := e.vetWorld()
		e.do(http.MethodPatch, "/api/v1/opportunities/"+opp, e.coordinator, map[string]any{"kind": "volunteer", "min_vetting": ""})
		e.course()
		if r := e.do(http.MethodPost, "/api/v1/pathways", e.admin, map[string]any{"name": "Bank volunteer to patrol lead",
			"milestones": []map[string]any{{"kind": "course", "course": "FA-1"}, {"kind": "hours", "hours": 10, "problem_type": "asb"}}}); r.status != http.StatusCreated {
			t.Fatalf("pathway: %d %s", r.status, r.raw)
		}
		sessionID := e.session(12, nil)
		shiftDay := trainingDay.AddDate(0, 0, 7).Add(8 * time.Hour) // Saturday 13 February, 18:00
		sh := shiftsOf(e.demand(map[string]any{"problem_type": "asb", "start_local": local(shiftDay), "end_local": local(shiftDay.Add(4 * time.Hour)),
			"positions": []map[string]any{{"name": "First-aider", "kinds": []string{"volunteer"}, "skills": []string{"first_aid"},
				"min_vetting": "none", "headcount": 2}}}))[0]

		const email = "sam.newcomer@example.org"
		id := e.apply(application(opp, "Sam Newcomer", email, nil))
		wantStageRefused(t, e.moveStage(e.coordinator, id, "references", "skipping screening"), "screening")
		for _, st := range []string{"screening", "references", "vetting", "training"} {
			if r := e.moveStage(e.coordinator, id, st, "on to "+st); r.status != http.StatusOK {
				t.Fatalf("move to %s: %d %s", st, r.status, r.raw)
			}
		}
		wantStageRefused(t, e.moveStage(e.coordinator, id, "training", "again"), "active")
		active := e.moveStage(e.coordinator, id, "active", "welcome aboard")
		if active.status != http.StatusOK || active.body["member_created"] != true || active.body["invitation_sent"] != true {
			t.Fatalf("active: %d %s", active.status, active.raw)
		}
		memberID := active.body["member_id"].(string)

		if r := e.do(http.MethodPost, "/api/v1/auth/accept-invite", "", map[string]any{"token": secretOf(e.lastLink(email)),
			"password": "a long password of my own"}); r.status != http.StatusOK {
			t.Fatalf("set password through the invitation: %d %s", r.status, r.raw)
		}
		login := e.do(http.MethodPost, "/api/v1/auth/login", "", map[string]any{"email": email, "password": "a long password of my own"})
		if login.status != http.StatusOK {
			t.Fatalf("sign in: %d %s", login.status, login.raw)
		}
		token := login.body["token"].(string)

		book := func() resp {
			return e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", token, map[string]any{"position_id": sh[1]})
		}
		if r := book(); r.status != http.StatusConflict || !has(rulesOf(r), "skills_valid") {
			t.Fatalf("booking before training: %d %s, want 409 naming skills_valid", r.status, r.raw)
		}
		hoursNeeded := func() (next int, needs any) {
			t.Helper()
			r := e.do(http.MethodGet, "/api/v1/members/"+memberID+"/pathways", token, nil)
			var got struct {
				Items []struct {
					Next       *int
					Milestones []map[string]any
				}
			}
			if err := json.Unmarshal(r.raw, &got); r.status != http.StatusOK || err != nil || len(got.Items) != 1 || got.Items[0].Next == nil {
				t.Fatalf("pathways: %d %v %s", r.status, err, r.raw)
			}
			return *got.Items[0].Next, got.Items[0].Milestones[1]["needs"]
		}
		if next, _ := hoursNeeded(); next != 0 {
			t.Fatalf("before training the next milestone is %d, want the course (0)", next)
		}

		enrolled := e.enrol(sessionID, token, nil)
		if enrolled.status != http.StatusCreated || enrolled.body["status"] != "enrolled" {
			t.Fatalf("enrol: %d %s", enrolled.status, enrolled.raw)
		}
		complete := func() resp {
			return e.do(http.MethodPost, "/api/v1/enrolments/"+enrolled.body["id"].(string)+"/complete", e.coordinator, nil)
		}
		if r := complete(); r.status != http.StatusConflict {
			t.Fatalf("completion before the session starts: %d %s, want 409", r.status, r.raw)
		}
		e.setNow(trainingDay.Add(5 * time.Hour))
		if r := complete(); r.status != http.StatusOK || r.body["status"] != "completed" {
			t.Fatalf("completion: %d %s", r.status, r.raw)
		}
		if next, needs := hoursNeeded(); next != 1 || needs != "10 more hours of asb" {
			t.Fatalf("after the course: next %d needing %v, want 1 needing 10 more hours of asb", next, needs)
		}

		booked := book()
		if booked.status != http.StatusCreated {
			t.Fatalf("booking after training: %d %s, want 201", booked.status, booked.raw)
		}
		e.setNow(shiftDay.Add(5 * time.Hour))
		if r := e.do(http.MethodPost, "/api/v1/bookings/"+booked.body["id"].(string)+"/attendance", e.coordinator,
			map[string]any{"status": "attended"}); r.status != http.StatusOK {
			t.Fatalf("attendance: %d %s", r.status, r.raw)
		}
		if next, needs := hoursNeeded(); next != 1 || needs != "6 more hours of asb" {
			t.Fatalf("after the shift: next %d needing %v, want 1 needing 6 more hours of asb", next, needs)
		}
	})
}
