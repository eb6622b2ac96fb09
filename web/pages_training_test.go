package web_test

import (
	"net/http"
	"regexp"
	"testing"
)

var enrolFormRe = regexp.MustCompile(`action="(/training/sessions/[^"/]+/enrol)"`)
var cancelEnrolmentRe = regexp.MustCompile(`action="(/training/enrolments/[^"/]+/cancel)"`)

func TestMemberEnrolsAndCancelsThroughTheTrainingPages(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.course()
		e.session(1, nil)
		e.memberLogin("sam", memberOpts{})
		e.memberLogin("kim", memberOpts{})
		sam := e.browser(t)
		sam.signIn("sam@example.org")
		p := sam.get("/training")
		wantPage(t, p, http.StatusOK, "Courses open to you", "First aid at work (FA-1)", "Sat 6 Feb 2027, 10:00–16:00", "1 place left")
		m := enrolFormRe.FindStringSubmatch(p.body)
		if m == nil {
			t.Fatalf("no Enrol button: %.2000s", p.body)
		}
		p = sam.post("/training", m[1], nil)
		if p.status != http.StatusSeeOther {
			t.Fatalf("enrol: %d %.800s", p.status, p.body)
		}
		wantPage(t, sam.get("/training"), http.StatusOK, "You are enrolled on First aid at work", "My training", "Enrolled")

		kim := e.browser(t)
		kim.signIn("kim@example.org")
		wantPage(t, kim.get("/training"), http.StatusOK, "Join the waiting list")
		kim.post("/training", m[1], nil)
		wantPage(t, kim.get("/training"), http.StatusOK, "you are number 1 on the waiting list", "On the waiting list")

		c := cancelEnrolmentRe.FindStringSubmatch(sam.get("/training").body)
		if c == nil {
			t.Fatal("no Cancel button")
		}
		sam.post("/training", c[1], nil)
		wantPage(t, sam.get("/training"), http.StatusOK, "You cancelled your place on First aid at work", "Cancelled")
		wantPage(t, kim.get("/training"), http.StatusOK, "Enrolled")
		wantPage(t, kim.get("/my-pathways"), http.StatusOK, "There are no pathways yet")
	})
}
