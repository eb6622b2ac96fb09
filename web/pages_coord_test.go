package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/domain"
)

// demandForm is a valid demand form: a one-off Friday evening patrol.
func demandForm(over map[string]string) url.Values {
	f := url.Values{"title": {"Market square patrol"}, "problem_type": {"asb"}, "area": {"DUR-N1"}, "priority": {"3"},
		"booking_mode": {"open"}, "start_date": {"2027-01-08"}, "start_time": {"18:00"}, "end_time": {"22:00"}, "repeat": {"none"},
		"positions-0-name": {"Patroller"}, "positions-0-kinds": {"volunteer"}, "positions-0-min_vetting": {"NPPV1"},
		"positions-0-headcount": {"2"}, "action": {"post"}}
	for k, v := range over {
		f.Set(k, v)
	}
	return f
}

func coordBrowser(t *testing.T, e *env) *browser {
	t.Helper()
	b := e.browser(t)
	b.signIn("coord@example.org")
	return b
}

func TestDemandFormLabelsErrorsAndPreview(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		b := coordBrowser(t, e)
		t.Run("every input has a label and the area list is the coordinator's", func(t *testing.T) {
			p := b.get("/coord/demands/new")
			wantPage(t, p, http.StatusOK, `<label for="title">`, `<label for="problem_type">`, `<label for="area">`, `<label for="start_date">`,
				`<label for="end_time">`, `<legend>Repeat</legend>`, `<label for="positions-2-headcount">`, `<label for="positions-0-kinds">Volunteer</label>`,
				`<option value="DUR-N1">`, `aria-describedby="title-hint"`, `href="/coord/board"`, `>Preview dates<`, `>Post demand<`)
			if strings.Contains(p.body, "error-summary") {
				t.Error("a fresh form shows errors")
			}
		})
		t.Run("an empty form names each missing field, linked and described", func(t *testing.T) {
			p := b.post("/coord/demands/new", "/coord/demands/new", url.Values{"action": {"post"}})
			wantPage(t, p, http.StatusUnprocessableEntity, `class="error-summary"`, `<a href="#start_date">Enter the date of the first shift</a>`,
				`<a href="#start_time">`, `id="start_date-error"`, `aria-describedby="start_date-hint start_date-error"`, "<title>Error: Post demand")
		})
		t.Run("the app's field errors land on the right inputs, values kept", func(t *testing.T) {
			f := demandForm(map[string]string{"title": " ", "positions-1-name": "Team lead", "positions-1-headcount": "0"})
			f["positions-1-kinds"] = []string{"volunteer", "bank_officer"}
			p := b.post("/coord/demands/new", "/coord/demands/new", f)
			wantPage(t, p, http.StatusUnprocessableEntity, `<a href="#title">Title is required</a>`,
				`<a href="#positions-1-headcount">Position 2 places must be from 1 to 500</a>`,
				`aria-describedby="positions-1-headcount-hint positions-1-headcount-error"`, `value="Team lead"`, `value="Patroller"`,
				`id="positions-1-kinds-bank_officer" name="positions-1-kinds" type="checkbox" value="bank_officer" checked`)
			if n := len(e.do(http.MethodGet, "/api/v1/demands", e.coordinator, nil).body["items"].([]any)); n != 0 {
				t.Errorf("a refused form posted %d demands", n)
			}
		})
		t.Run("a repeat with no end asks for the count, a bad exdate is named", func(t *testing.T) {
			p := b.post("/coord/demands/new", "/coord/demands/new", demandForm(map[string]string{"repeat": "weekly", "exdates": "someday", "action": "preview"}))
			wantPage(t, p, http.StatusUnprocessableEntity, `<a href="#count">Enter how many shifts to create, or the last date</a>`, `<a href="#exdates">`)
		})
		t.Run("preview lists the dates and posts nothing", func(t *testing.T) {
			p := b.post("/coord/demands/new", "/coord/demands/new", demandForm(map[string]string{"repeat": "weekly", "count": "3", "action": "preview"}))
			wantPage(t, p, http.StatusOK, "It will create 3 shifts", "<li>Fri 8 Jan 2027, 18:00–22:00</li>", "<li>Fri 15 Jan 2027, 18:00–22:00</li>",
				"<li>Fri 22 Jan 2027, 18:00–22:00</li>", `value="Market square patrol"`, `value="3"`)
			if strings.Contains(p.body, "29 Jan") {
				t.Error("a fourth date")
			}
			p = b.post("/coord/demands/new", "/coord/demands/new", demandForm(map[string]string{"repeat": "weekly", "days": "TU",
				"count": "3", "exdates": "2027-01-19", "action": "preview"}))
			wantPage(t, p, http.StatusOK, "It will create 2 shifts", "Tue 12 Jan 2027", "Tue 26 Jan 2027")
			p = b.post("/coord/demands/new", "/coord/demands/new", demandForm(map[string]string{"start_date": "2027-01-01", "action": "preview"}))
			wantPage(t, p, http.StatusUnprocessableEntity, `<a href="#start_date">The first shift&#39;s start is in the past`)
			if n := len(e.do(http.MethodGet, "/api/v1/demands", e.coordinator, nil).body["items"].([]any)); n != 0 {
				t.Errorf("preview posted %d demands", n)
			}
		})
		t.Run("posting creates the demand and the board shows it in its week", func(t *testing.T) {
			p := b.post("/coord/demands/new", "/coord/demands/new", demandForm(map[string]string{"repeat": "weekly", "count": "3", "priority": "5"}))
			if p.status != http.StatusSeeOther || p.header.Get("Location") != "/coord/board?week=2027-W01" {
				t.Fatalf("post: %d to %q: %.800s", p.status, p.header.Get("Location"), p.body)
			}
			board := b.get(p.header.Get("Location"))
			wantPage(t, board, http.StatusOK, "Posted Market square patrol: 3 shifts, the first on Fri 8 Jan 2027, 18:00–22:00.",
				"Week 1: Mon 4 Jan to Sun 10 Jan 2027", "Friday 8 January", "Market square patrol", "18:00–22:00",
				"Patroller: 0 of 2 filled", "Urgent: 2 places open", `class="open open-p5"`)
			wantPage(t, b.get("/coord/board?week=2027-W03&area=DUR-N1"), http.StatusOK, "Friday 22 January", "Market square patrol")
			wantPage(t, b.get("/coord/board?week=2027-W05"), http.StatusOK, "No shifts this week")
			wantPage(t, b.get("/coord/board?week=soon"), http.StatusUnprocessableEntity, `<a href="#week">`)
		})
	})
}

var shiftLinkRe = regexp.MustCompile(`href="/coord/shifts/([^"]+)"`)

func TestCoordinatorPagesAreNotFoundForMembers(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.memberLogin("sam", memberOpts{})
		sam := e.browser(t)
		sam.signIn("sam@example.org")
		if strings.Contains(sam.get("/shifts").body, "/coord/") {
			t.Error("a member's nav links to the coordinator's pages")
		}
		for _, path := range []string{"/coord/demands/new", "/coord/board", "/coord/approvals", "/coord/match", "/coord/match/x", "/coord/shifts/x"} {
			wantPage(t, sam.get(path), http.StatusNotFound)
		}
		wantPage(t, sam.post("/shifts", "/coord/demands/new", demandForm(nil)), http.StatusNotFound)
		wantPage(t, sam.post("/shifts", "/coord/match", url.Values{"from": {"2027-01-04"}, "to": {"2027-01-10"}}), http.StatusNotFound)
		wantSignInRedirect(t, e.browser(t).get("/coord/board"))
		if n := len(e.do(http.MethodGet, "/api/v1/demands", e.coordinator, nil).body["items"].([]any)); n != 0 {
			t.Errorf("a member posted %d demands", n)
		}
	})
}

func TestCoordinatorPagesNeedTheCSRFToken(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		b := coordBrowser(t, e)
		f := demandForm(nil)
		wantPage(t, b.do(http.MethodPost, "/coord/demands/new", f), http.StatusForbidden, "did not come from copbank")
		f.Set("csrf_token", "bm90IHRoZSB0b2tlbg")
		wantPage(t, b.do(http.MethodPost, "/coord/demands/new", f), http.StatusForbidden)
		wantPage(t, b.do(http.MethodPost, "/coord/match", url.Values{"from": {"2027-01-04"}, "to": {"2027-01-10"}}), http.StatusForbidden)
		if n := len(e.do(http.MethodGet, "/api/v1/demands", e.coordinator, nil).body["items"].([]any)); n != 0 {
			t.Errorf("a form without its token posted %d demands", n)
		}
	})
}

func TestCoordinatorApprovesABookingOnThePage(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		_, samTok := e.memberLogin("sam", memberOpts{})
		sh := shiftsOf(e.demand(map[string]any{"title": "Park watch", "booking_mode": "approval", "start_local": local(friday),
			"end_local": local(friday.Add(3 * time.Hour))}))[0]
		if r := e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", samTok, map[string]any{"position_id": sh[1]}); r.status != http.StatusCreated {
			t.Fatalf("book: %d %s", r.status, r.raw)
		}
		b := coordBrowser(t, e)
		list := b.get("/coord/approvals")
		wantPage(t, list, http.StatusOK, "Bookings to approve", "sam", "Park watch", "Fri 8 Jan 2027, 20:00–23:00", ">Approve<", ">Reject<")
		m := regexp.MustCompile(`action="/coord/bookings/([^"/]+)/approve"`).FindStringSubmatch(list.body)
		if m == nil {
			t.Fatal("no Approve form")
		}
		wantPage(t, b.get("/coord/shifts/"+sh[0]), http.StatusOK, "sam", "Waiting for approval", ">Approve<")
		p := b.post("/coord/approvals", "/coord/bookings/"+m[1]+"/approve", url.Values{"back": {"/coord/approvals"}})
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/coord/approvals" {
			t.Fatalf("approve: %d to %q: %.500s", p.status, p.header.Get("Location"), p.body)
		}
		wantPage(t, b.get("/coord/approvals"), http.StatusOK, "You approved sam on Park watch", "Nothing waiting for approval")
		wantPage(t, b.get("/coord/shifts/"+sh[0]), http.StatusOK, "Booked", "Patrol: 1 of 2 filled")
		again := b.post("/coord/approvals", "/coord/bookings/"+m[1]+"/approve", nil)
		if again.status != http.StatusSeeOther {
			t.Fatalf("approving twice: %d", again.status)
		}
		wantPage(t, b.get("/coord/shifts/"+sh[0]), http.StatusOK, "Not done: this booking is confirmed, not pending")
		t.Run("attendance once the shift has started", func(t *testing.T) {
			e.advance(friday.Sub(t0) + time.Hour)
			b = coordBrowser(t, e) // the old session has timed out
			page := b.get("/coord/shifts/" + sh[0])
			wantPage(t, page, http.StatusOK, ">Attended<", ">No show<")
			p := b.post("/coord/shifts/"+sh[0], "/coord/bookings/"+m[1]+"/attended", nil)
			if p.status != http.StatusSeeOther || p.header.Get("Location") != "/coord/shifts/"+sh[0] {
				t.Fatalf("attended: %d to %q", p.status, p.header.Get("Location"))
			}
			wantPage(t, b.get("/coord/shifts/"+sh[0]), http.StatusOK, "You recorded sam on Park watch", "Attended")
		})
	})
}

func TestMatcherPagesRunAndApply(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.memberLogin("sam", memberOpts{})
		sh := shiftsOf(e.demand(map[string]any{"title": "Park watch", "start_local": local(friday), "end_local": local(friday.Add(3 * time.Hour)),
			"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "skills": []string{}, "min_vetting": "NPPV1", "headcount": 1}}}))[0]
		b := coordBrowser(t, e)
		wantPage(t, b.get("/coord/match"), http.StatusOK, `<label for="from">`, `<label for="to">`, `<legend>Areas</legend>`, `<label for="time_limit">`)
		bad := b.post("/coord/match", "/coord/match", url.Values{"from": {"2027-01-10"}, "to": {"2027-01-04"}, "time_limit": {"1"}})
		wantPage(t, bad, http.StatusUnprocessableEntity, `<a href="#to">The last day must be on or after from</a>`, `aria-describedby="to-hint to-error"`, `value="2027-01-10"`)
		p := b.post("/coord/match", "/coord/match", url.Values{"areas": {"DUR"}, "from": {"2027-01-04"}, "to": {"2027-01-17"}, "time_limit": {"1"}})
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/coord/match/") {
			t.Fatalf("start: %d to %q: %.600s", p.status, p.header.Get("Location"), p.body)
		}
		runPage := p.header.Get("Location")
		queued := b.get(runPage)
		wantPage(t, queued, http.StatusOK, "Waiting to start", `<progress id="progress" max="100" value="0">`, "Stop updating")
		if got := queued.header.Get("Refresh"); got != "2" {
			t.Errorf("a queued run's page has Refresh %q, want it to reload every 2 seconds", got)
		}
		if got := b.get(runPage + "?auto=off").header.Get("Refresh"); got != "" {
			t.Errorf("Stop updating left Refresh %q", got)
		}
		if ran, err := e.app.RunNextMatch(context.Background(), "test", nil); err != nil || !ran {
			t.Fatalf("run: %v %v", ran, err)
		}
		done := b.get(runPage)
		wantPage(t, done, http.StatusOK, "1 of 1 open places filled", "Greedy baseline", "Priority-weighted fill", "<h3>sam</h3>",
			"Park watch, Fri 8 Jan 2027, 20:00–23:00 · Patrol", ">Apply 1 proposals<")
		if done.header.Get("Refresh") != "" {
			t.Error("a finished run still refreshes itself")
		}
		applied := b.post(runPage, runPage+"/apply", nil)
		if applied.status != http.StatusSeeOther || applied.header.Get("Location") != runPage {
			t.Fatalf("apply: %d to %q: %.500s", applied.status, applied.header.Get("Location"), applied.body)
		}
		wantPage(t, b.get(runPage), http.StatusOK, "Applied 1 proposal.", "1 proposal booked as offers to the members")
		if e.activeOn(sh[0], sh[1]) != 1 {
			t.Error("applying did not book the place")
		}
		twice := b.post(runPage, runPage+"/apply", nil)
		if twice.status != http.StatusSeeOther {
			t.Fatalf("applying twice: %d", twice.status)
		}
		wantPage(t, b.get(runPage), http.StatusOK, "Not applied: this run is applied")
		t.Run("another coordinator cannot see the run", func(t *testing.T) {
			e.login("other@example.org", []domain.Role{domain.RoleCoordinator}, "", []string{e.hood.ID})
			other := e.browser(t)
			other.signIn("other@example.org")
			wantPage(t, other.get(runPage), http.StatusNotFound)
		})
	})
}
