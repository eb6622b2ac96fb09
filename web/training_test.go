package web_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"
)

// Saturday 6 February 2027, 10:00–16:00 London (GMT): a first-aid day.
var trainingDay = time.Date(2027, 2, 6, 10, 0, 0, 0, time.UTC)

// course creates course FA-1 granting first_aid for 36 months, as the admin.
func (e *env) course() {
	e.t.Helper()
	r := e.do(http.MethodPost, "/api/v1/courses", e.admin, map[string]any{"code": "FA-1", "title": "First aid at work",
		"grants_skill": "first_aid", "validity_months": 36})
	if r.status != http.StatusCreated {
		e.t.Fatalf("create course: %d %s", r.status, r.raw)
	}
}

// session posts one FA-1 session on the training day with the given places
// and returns its ID.
func (e *env) session(capacity int, extra map[string]any) string {
	e.t.Helper()
	body := map[string]any{"start_local": local(trainingDay), "end_local": local(trainingDay.Add(6 * time.Hour)),
		"timezone": "Europe/London", "capacity": capacity, "area": "DUR-N1", "location": "Durham HQ"}
	for k, v := range extra {
		body[k] = v
	}
	r := e.do(http.MethodPost, "/api/v1/courses/FA-1/sessions", e.coordinator, body)
	if r.status != http.StatusCreated {
		e.t.Fatalf("post session: %d %s", r.status, r.raw)
	}
	return r.body["items"].([]any)[0].(map[string]any)["id"].(string)
}

func (e *env) enrol(sessionID, token string, body any) resp {
	e.t.Helper()
	return e.do(http.MethodPost, "/api/v1/course-sessions/"+sessionID+"/enrolments", token, body)
}

func (e *env) setNow(t time.Time) { e.now.Store(&t) }

func TestHundredConcurrentEnrolmentsFillTwelvePlacesAndWaitlistTheRest(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.course()
		sessionID := e.session(12, nil)
		members := make([]string, 100)
		for i := range members {
			members[i] = e.member(fmt.Sprintf("trainee%03d", i), memberOpts{noFirstAid: true})
		}
		rs := parallel(100, func(i int) resp {
			return e.enrol(sessionID, e.coordinator, map[string]any{"member_id": members[i]})
		})
		statuses := map[string]int{}
		var queue []int
		for _, r := range rs {
			if r.status != http.StatusCreated {
				t.Fatalf("enrol: %d %s", r.status, r.raw)
			}
			statuses[r.body["status"].(string)]++
			if q, ok := r.body["queue_position"].(float64); ok {
				queue = append(queue, int(q))
			}
		}
		if statuses["enrolled"] != 12 || statuses["waitlisted"] != 88 {
			t.Fatalf("statuses %v, want 12 enrolled and 88 waitlisted", statuses)
		}
		slices.Sort(queue)
		for i, q := range queue {
			if q != i+1 {
				t.Fatalf("queue positions %v, want 1…88 each once", queue)
			}
		}
		s, err := e.store.CourseSessionByID(context.Background(), sessionID)
		if err != nil {
			t.Fatal(err)
		}
		if s.Taken != 12 || s.Waitlisted != 88 {
			t.Fatalf("the database holds %d enrolled and %d waitlisted, want 12 and 88", s.Taken, s.Waitlisted)
		}
	})
}

func TestCancellingAnEnrolmentPromotesTheFirstWaitlisted(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.course()
		sessionID := e.session(1, nil)
		ids := map[string]string{}
		tokens := map[string]string{}
		for _, name := range []string{"ann", "bob", "cat"} {
			_, tokens[name] = e.memberLogin(name, memberOpts{noFirstAid: true})
			r := e.enrol(sessionID, tokens[name], nil)
			if r.status != http.StatusCreated {
				t.Fatalf("enrol %s: %d %s", name, r.status, r.raw)
			}
			ids[name] = r.body["id"].(string)
			e.advance(time.Minute)
		}
		if again := e.enrol(sessionID, tokens["bob"], nil); again.status != http.StatusConflict {
			t.Fatalf("a second enrolment of bob: %d %s, want 409", again.status, again.raw)
		}
		if r := e.do(http.MethodPost, "/api/v1/enrolments/"+ids["ann"]+"/cancel", tokens["cat"], nil); r.status != http.StatusNotFound {
			t.Fatalf("cat cancelling ann's enrolment: %d, want 404", r.status)
		}
		r := e.do(http.MethodPost, "/api/v1/enrolments/"+ids["ann"]+"/cancel", tokens["ann"], nil)
		if r.status != http.StatusOK || r.body["status"] != "cancelled" {
			t.Fatalf("cancel: %d %s", r.status, r.raw)
		}
		want := map[string]string{"ann": "cancelled", "bob": "enrolled", "cat": "waitlisted"}
		for name, status := range want {
			en, err := e.store.EnrolmentByID(context.Background(), ids[name])
			if err != nil {
				t.Fatal(err)
			}
			if string(en.Status) != status {
				t.Errorf("%s is %s, want %s", name, en.Status, status)
			}
		}
	})
}

func TestCompletionGrantsTheSkillAndTheMemberCanThenBookAShiftNeedingIt(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.course()
		trainerID, trainerToken := e.memberLogin("trainer", memberOpts{})
		memberID, token := e.memberLogin("learner", memberOpts{noFirstAid: true})
		_, otherToken := e.memberLogin("other", memberOpts{})
		sessionID := e.session(12, map[string]any{"trainer_member_id": trainerID})
		shiftDay := trainingDay.AddDate(0, 0, 7).Add(8 * time.Hour) // Saturday 13 February, 18:00
		sh := shiftsOf(e.demand(map[string]any{"start_local": local(shiftDay), "end_local": local(shiftDay.Add(4 * time.Hour)),
			"positions": []map[string]any{{"name": "First-aider", "kinds": []string{"volunteer"}, "skills": []string{"first_aid"},
				"min_vetting": "NPPV1", "headcount": 2}}}))[0]
		book := func() resp {
			return e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", token, map[string]any{"position_id": sh[1]})
		}
		if r := book(); r.status != http.StatusConflict || !has(rulesOf(r), "skills_valid") {
			t.Fatalf("booking before training: %d %s, want 409 naming skills_valid", r.status, r.raw)
		}
		r := e.enrol(sessionID, token, nil)
		if r.status != http.StatusCreated || r.body["status"] != "enrolled" {
			t.Fatalf("enrol: %d %s", r.status, r.raw)
		}
		enrolmentID := r.body["id"].(string)
		complete := func(tok string) resp {
			return e.do(http.MethodPost, "/api/v1/enrolments/"+enrolmentID+"/complete", tok, nil)
		}
		if r := complete(trainerToken); r.status != http.StatusConflict {
			t.Fatalf("completion before the session starts: %d %s, want 409", r.status, r.raw)
		}
		e.setNow(trainingDay.Add(5 * time.Hour))
		if r := complete(otherToken); r.status != http.StatusNotFound {
			t.Fatalf("completion by a member who is not the trainer: %d %s, want 404", r.status, r.raw)
		}
		if r := complete(token); r.status != http.StatusForbidden {
			t.Fatalf("completion by the learner: %d %s, want 403", r.status, r.raw)
		}
		if r := complete(trainerToken); r.status != http.StatusOK || r.body["status"] != "completed" {
			t.Fatalf("completion by the trainer: %d %s", r.status, r.raw)
		}
		skills, err := e.store.MemberSkills(context.Background(), memberID)
		if err != nil {
			t.Fatal(err)
		}
		if len(skills) != 1 || skills[0].Code != "first_aid" || skills[0].ObtainedOn.String() != "2027-02-06" ||
			skills[0].ExpiresOn == nil || skills[0].ExpiresOn.String() != "2030-02-06" {
			t.Fatalf("skills after completion %+v, want first_aid from 2027-02-06 to 2030-02-06", skills)
		}
		if r := complete(trainerToken); r.status != http.StatusConflict {
			t.Fatalf("completing twice: %d, want 409", r.status)
		}
		if r := book(); r.status != http.StatusCreated {
			t.Fatalf("booking after training: %d %s, want 201", r.status, r.raw)
		}
	})
}

func TestACourseMustGrantASkillInTheCatalogue(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		r := e.do(http.MethodPost, "/api/v1/courses", e.admin, map[string]any{"code": "X-1", "title": "Nothing",
			"grants_skill": "juggling", "validity_months": 12})
		if r.status != http.StatusUnprocessableEntity || !fieldNamed(r, "grants_skill") {
			t.Fatalf("unknown skill: %d %s, want 422 naming grants_skill", r.status, r.raw)
		}
		_, token := e.memberLogin("sam", memberOpts{})
		if r := e.do(http.MethodPost, "/api/v1/courses", token, map[string]any{"code": "X-1", "title": "Nothing",
			"grants_skill": "first_aid"}); r.status != http.StatusForbidden {
			t.Fatalf("a member creating a course: %d, want 403", r.status)
		}
	})
}

func fieldNamed(r resp, field string) bool {
	errs, _ := r.body["errors"].([]any)
	for _, x := range errs {
		if m, ok := x.(map[string]any); ok && m["field"] == field {
			return true
		}
	}
	return false
}

func TestASessionSeriesAcrossTheOctoberClockChangeKeepsItsWallTime(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.course()
		// 31 October 2027 is when the clocks go back.
		r := e.do(http.MethodPost, "/api/v1/courses/FA-1/sessions", e.coordinator, map[string]any{
			"start_local": "2027-10-23T20:00", "end_local": "2027-10-23T22:00", "timezone": "Europe/London",
			"rrule": "FREQ=WEEKLY;COUNT=3", "capacity": 10, "area": "DUR-N1"})
		if r.status != http.StatusCreated {
			t.Fatalf("post series: %d %s", r.status, r.raw)
		}
		items := r.body["items"].([]any)
		wantUTC := []string{"2027-10-23T19:00:00Z", "2027-10-30T19:00:00Z", "2027-11-06T20:00:00Z"}
		if len(items) != len(wantUTC) {
			t.Fatalf("%d sessions, want %d", len(items), len(wantUTC))
		}
		for i, it := range items {
			start, err := time.Parse(time.RFC3339, it.(map[string]any)["start"].(string))
			if err != nil {
				t.Fatal(err)
			}
			if got := start.In(e.london).Format("15:04"); got != "20:00" {
				t.Errorf("session %d starts at %s local, want 20:00", i, got)
			}
			if got := start.UTC().Format(time.RFC3339); got != wantUTC[i] {
				t.Errorf("session %d starts at %s, want %s", i, got, wantUTC[i])
			}
		}
		list := e.do(http.MethodGet, "/api/v1/courses/FA-1/sessions?limit=2", e.coordinator, nil)
		if n := len(list.body["items"].([]any)); n != 2 || list.body["next_cursor"] == nil {
			t.Fatalf("first page: %d items, cursor %v", n, list.body["next_cursor"])
		}
		next := e.do(http.MethodGet, "/api/v1/courses/FA-1/sessions?limit=2&cursor="+list.body["next_cursor"].(string), e.coordinator, nil)
		if items := next.body["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != r.body["items"].([]any)[2].(map[string]any)["id"] {
			t.Fatalf("second page: %s", next.raw)
		}
	})
}

func TestErasingAMemberFreesTheirPlaceForTheFirstWaitlisted(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.course()
		sessionID := e.session(1, nil)
		var ids []string
		for _, name := range []string{"gone", "next"} {
			r := e.enrol(sessionID, e.coordinator, map[string]any{"member_id": e.member(name, memberOpts{})})
			if r.status != http.StatusCreated {
				t.Fatalf("enrol %s: %d %s", name, r.status, r.raw)
			}
			ids = append(ids, r.body["id"].(string))
			e.advance(time.Minute)
		}
		gone, err := e.store.EnrolmentByID(context.Background(), ids[0])
		if err != nil {
			t.Fatal(err)
		}
		if r := e.do(http.MethodDelete, "/api/v1/members/"+gone.MemberID, e.admin, nil); r.status != http.StatusOK {
			t.Fatalf("erase: %d %s", r.status, r.raw)
		}
		for i, want := range []string{"cancelled", "enrolled"} {
			en, err := e.store.EnrolmentByID(context.Background(), ids[i])
			if err != nil {
				t.Fatal(err)
			}
			if string(en.Status) != want {
				t.Errorf("enrolment %d is %s, want %s", i, en.Status, want)
			}
		}
	})
}
