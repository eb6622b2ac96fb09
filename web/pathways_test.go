package web_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// attend books the member onto a new demand of the problem type and records
// them attended, with actual times when given (hours after the start).
func (e *env) attendedShift(memberID, problemType string, start time.Time, hours float64, actualHours *float64) {
	e.t.Helper()
	sh := shiftsOf(e.demand(map[string]any{"problem_type": problemType, "start_local": local(start),
		"end_local": local(start.Add(time.Duration(hours * float64(time.Hour))))}))[0]
	r := e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", e.coordinator, map[string]any{"position_id": sh[1], "member_id": memberID})
	if r.status != http.StatusCreated {
		e.t.Fatalf("book: %d %s", r.status, r.raw)
	}
	bookingID := r.body["id"].(string)
	saved := *e.now.Load()
	e.setNow(start.Add(24 * time.Hour))
	body := map[string]any{"status": "attended"}
	if actualHours != nil {
		body["actual_start"] = start.Format(time.RFC3339)
		body["actual_end"] = start.Add(time.Duration(*actualHours * float64(time.Hour))).Format(time.RFC3339)
	}
	if r := e.do(http.MethodPost, "/api/v1/bookings/"+bookingID+"/attendance", e.coordinator, body); r.status != http.StatusOK {
		e.t.Fatalf("attendance: %d %s", r.status, r.raw)
	}
	e.setNow(saved)
}

func TestPathwayProgressReportsMetMilestonesTheNextAndWhatItNeeds(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.course()
		memberID, token := e.memberLogin("sam", memberOpts{maxHours: 100}) // holds first_aid from 2026
		_, otherToken := e.memberLogin("alex", memberOpts{})
		sessionID := e.session(12, nil)
		enrolled := e.enrol(sessionID, token, nil)
		if enrolled.status != http.StatusCreated {
			t.Fatalf("enrol: %d %s", enrolled.status, enrolled.raw)
		}
		// 27.5 hours of asb (10 + 10 + 7.5 actually worked of 8) and 4 of vandalism.
		monday := time.Date(2027, 1, 11, 8, 0, 0, 0, time.UTC)
		e.attendedShift(memberID, "asb", monday, 10, nil)
		e.attendedShift(memberID, "asb", monday.AddDate(0, 0, 1), 10, nil)
		seven := 7.5
		e.attendedShift(memberID, "asb", monday.AddDate(0, 0, 2), 8, &seven)
		e.attendedShift(memberID, "vandalism", monday.AddDate(0, 0, 3), 4, nil)
		if r := e.do(http.MethodPost, "/api/v1/skills", e.admin, map[string]any{"code": "patrol_lead", "name": "Patrol lead"}); r.status != http.StatusCreated {
			t.Fatalf("skill: %d %s", r.status, r.raw)
		}
		for _, p := range []map[string]any{
			{"name": "Bank volunteer to patrol lead", "milestones": []map[string]any{
				{"kind": "skill", "skill": "first_aid"}, {"kind": "course", "course": "FA-1"},
				{"kind": "hours", "hours": 40, "problem_type": "asb"}}},
			{"name": "Lived-experience peer mentor", "milestones": []map[string]any{
				{"kind": "hours", "hours": 30}, {"kind": "skill", "skill": "patrol_lead"}}},
		} {
			if r := e.do(http.MethodPost, "/api/v1/pathways", e.admin, p); r.status != http.StatusCreated {
				t.Fatalf("pathway: %d %s", r.status, r.raw)
			}
		}
		if r := e.do(http.MethodPost, "/api/v1/pathways", e.admin, map[string]any{"name": "Bad", "milestones": []map[string]any{
			{"kind": "course", "course": "NOPE"}}}); r.status != http.StatusUnprocessableEntity || !fieldNamed(r, "milestones[0].course") {
			t.Fatalf("unknown course: %d %s, want 422 naming milestones[0].course", r.status, r.raw)
		}

		e.setNow(trainingDay.Add(7 * time.Hour))
		if r := e.do(http.MethodPost, "/api/v1/enrolments/"+enrolled.body["id"].(string)+"/complete", e.coordinator, nil); r.status != http.StatusOK {
			t.Fatalf("complete: %d %s", r.status, r.raw)
		}

		type progress struct {
			Items []struct {
				Pathway    struct{ Name string }
				Milestones []map[string]any
				Next       *int
			}
		}
		r := e.do(http.MethodGet, "/api/v1/members/"+memberID+"/pathways", token, nil)
		if r.status != http.StatusOK {
			t.Fatalf("progress: %d %s", r.status, r.raw)
		}
		var got progress
		if err := json.Unmarshal(r.raw, &got); err != nil || len(got.Items) != 2 {
			t.Fatalf("progress: %v %s", err, r.raw)
		}
		lead, mentor := got.Items[0], got.Items[1]
		wantMet := func(name string, ms []map[string]any, met ...bool) {
			t.Helper()
			for i, m := range ms {
				if m["met"] != met[i] {
					t.Errorf("%s milestone %d met = %v, want %v", name, i, m["met"], met[i])
				}
			}
		}
		wantMet("lead", lead.Milestones, true, true, false)
		if lead.Next == nil || *lead.Next != 2 {
			t.Errorf("lead next = %v, want 2", lead.Next)
		}
		if n := lead.Milestones[2]["needs"]; n != "12.5 more hours of asb" {
			t.Errorf("lead needs %q, want %q", n, "12.5 more hours of asb")
		}
		if _, said := lead.Milestones[0]["needs"]; said || lead.Milestones[0]["skill"] != "first_aid" || lead.Milestones[1]["course"] != "FA-1" {
			t.Errorf("lead milestones %v", lead.Milestones)
		}
		wantMet("mentor", mentor.Milestones, true, false)
		if mentor.Next == nil || *mentor.Next != 1 || mentor.Milestones[1]["needs"] == nil {
			t.Errorf("mentor: next %v, milestones %v", mentor.Next, mentor.Milestones)
		}

		if r := e.do(http.MethodGet, "/api/v1/members/"+memberID+"/pathways", otherToken, nil); r.status != http.StatusNotFound {
			t.Fatalf("another member reading progress: %d, want 404", r.status)
		}
		report := e.do(http.MethodGet, "/api/v1/reports/pathways?areas=DUR-N1", e.coordinator, nil)
		if report.status != http.StatusOK {
			t.Fatalf("report: %d %s", report.status, report.raw)
		}
		var rep struct {
			Items []struct {
				Members, Completed int
				Milestones         []struct{ At int }
			}
		}
		if err := json.Unmarshal(report.raw, &rep); err != nil || len(rep.Items) != 2 {
			t.Fatalf("report: %v %s", err, report.raw)
		}
		// sam is at milestone 2 of the first; alex (first_aid, no course) at 1.
		if it := rep.Items[0]; it.Members != 2 || it.Completed != 0 || it.Milestones[1].At != 1 || it.Milestones[2].At != 1 {
			t.Fatalf("report on the first pathway: %s", report.raw)
		}
	})
}
