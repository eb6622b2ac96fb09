package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/domain"
)

// publicShift posts a one-off demand of one shift with three places and
// returns (shift ID, position ID).
func (e *env) publicShift(area, problem string, start time.Time, hours int) [2]string {
	e.t.Helper()
	return shiftsOf(e.demand(map[string]any{"title": "Problem-solving", "problem_type": problem, "area": area,
		"start_local": local(start), "end_local": local(start.Add(time.Duration(hours) * time.Hour)),
		"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer", "bank_officer"}, "skills": []string{},
			"min_vetting": "NPPV1", "headcount": 3}}}))[0]
}

// bookFor books a member onto a shift as the coordinator and returns the booking ID.
func (e *env) bookFor(sh [2]string, memberID string) string {
	e.t.Helper()
	r := e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", e.coordinator, map[string]any{"position_id": sh[1], "member_id": memberID})
	if r.status != http.StatusCreated {
		e.t.Fatalf("book: %d %s", r.status, r.raw)
	}
	return r.body["id"].(string)
}

func (e *env) attend(bookingID string, actual ...time.Time) {
	e.t.Helper()
	body := map[string]any{"status": "attended"}
	if len(actual) == 2 {
		body["actual_start"], body["actual_end"] = actual[0].Format(time.RFC3339), actual[1].Format(time.RFC3339)
	}
	if r := e.do(http.MethodPost, "/api/v1/bookings/"+bookingID+"/attendance", e.coordinator, body); r.status != http.StatusOK {
		e.t.Fatalf("attendance: %d %s", r.status, r.raw)
	}
}

type activityRow struct {
	problem         string
	shifts          any // float64 from JSON, or nil when withheld
	volunteer, bank any
	suppressed      bool
}

func activityRows(t *testing.T, month any) []activityRow {
	t.Helper()
	var out []activityRow
	for _, r := range month.(map[string]any)["rows"].([]any) {
		m := r.(map[string]any)
		out = append(out, activityRow{problem: m["problem_type"].(string), shifts: m["shifts"], volunteer: m["volunteer_hours"],
			bank: m["bank_hours"], suppressed: m["suppressed"].(bool)})
	}
	return out
}

func wantRows(t *testing.T, what string, got, want []activityRow) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: rows %+v, want %+v", what, got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%s row %d: %+v, want %+v", what, i, got[i], want[i])
		}
	}
}

// The activity figures on a small world worked out by hand. The clock stops
// at Wednesday 20 January 2027, 12:00 (London is on UTC in winter).
//
// December, in Durham City (DUR-N1, below the force DUR):
//   - three ASB shifts of 3 h, each attended by a volunteer and a bank
//     officer, who on the first recorded 18:00–20:00: 3 shifts, 9 volunteer
//     hours, 2+3+3 = 8 bank hours;
//   - one fly-tipping shift of 4 h, a volunteer: 1 shift (withheld), 4
//     volunteer hours, no bank hours (withheld);
//   - one ASB shift attended and later cancelled: not counted.
//
// January, posted at the force itself:
//   - three Speedwatch shifts of 2 h, two volunteers each: 3 shifts, 12
//     volunteer hours, no bank hours (withheld);
//   - a Speedwatch shift 11:00–13:00 today, attended, still running: not
//     counted; one on the 25th with a confirmed booking: not counted.
func TestPublicActivityCountsWhatHasHappenedAndWithholdsSmallFigures(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		e.now.Store(&start)
		vol := e.member("zebedee", memberOpts{})
		vol2 := e.member("quillon", memberOpts{})
		bank := e.member("bankoff", memberOpts{kinds: []domain.Kind{domain.KindBankOfficer}})
		day := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }

		var attendNow []string
		var bankFirst string
		for i, d := range []int{10, 11, 12} {
			sh := e.publicShift("DUR-N1", "asb", day(2026, 12, d, 18), 3)
			attendNow = append(attendNow, e.bookFor(sh, vol))
			b := e.bookFor(sh, bank)
			if i == 0 {
				bankFirst = b
			} else {
				attendNow = append(attendNow, b)
			}
		}
		attendNow = append(attendNow, e.bookFor(e.publicShift("DUR-N1", "fly_tipping", day(2026, 12, 13, 10), 4), vol))
		cancelled := e.publicShift("DUR-N1", "asb", day(2026, 12, 15, 10), 2)
		attendNow = append(attendNow, e.bookFor(cancelled, vol))
		for _, d := range []int{5, 6, 7} {
			sh := e.publicShift("DUR", "speedwatch", day(2027, 1, d, 10), 2)
			attendNow = append(attendNow, e.bookFor(sh, vol), e.bookFor(sh, vol2))
		}
		running := e.bookFor(e.publicShift("DUR", "speedwatch", day(2027, 1, 20, 11), 2), vol)
		e.bookFor(e.publicShift("DUR", "speedwatch", day(2027, 1, 25, 10), 2), vol2)

		now := day(2027, 1, 20, 12)
		e.now.Store(&now)
		for _, b := range append(attendNow, running) {
			e.attend(b)
		}
		e.attend(bankFirst, day(2026, 12, 10, 18), day(2026, 12, 10, 20))
		sqlDB, err := e.store.SQLDB()
		if err != nil {
			t.Fatal(err)
		}
		q := `UPDATE shifts SET status = 'cancelled' WHERE id = ?`
		if e.store.Dialect() == "postgres" {
			q = strings.Replace(q, "?", "$1", 1)
		}
		if _, err := sqlDB.ExecContext(context.Background(), q, cancelled[0]); err != nil {
			t.Fatal(err)
		}

		december := []activityRow{
			{problem: "asb", shifts: 3.0, volunteer: 9.0, bank: 8.0},
			{problem: "fly_tipping", shifts: nil, volunteer: 4.0, bank: nil, suppressed: true},
		}
		t.Run("the force includes the neighbourhood below it", func(t *testing.T) {
			r := e.do(http.MethodGet, "/api/v1/public/areas/DUR/activity", "", nil)
			if r.status != http.StatusOK {
				t.Fatalf("%d %s", r.status, r.raw)
			}
			months := r.body["months"].([]any)
			if len(months) != 2 || months[0].(map[string]any)["month"] != "2027-01" || months[0].(map[string]any)["current"] != true ||
				months[1].(map[string]any)["month"] != "2026-12" {
				t.Fatalf("months %s", r.raw)
			}
			wantRows(t, "January", activityRows(t, months[0]), []activityRow{
				{problem: "speedwatch", shifts: 3.0, volunteer: 12.0, bank: nil, suppressed: true},
			})
			wantRows(t, "December", activityRows(t, months[1]), december)
		})
		t.Run("the neighbourhood leaves out what was done above it", func(t *testing.T) {
			r := e.do(http.MethodGet, "/api/v1/public/areas/DUR-N1/activity", "", nil)
			months := r.body["months"].([]any)
			wantRows(t, "January", activityRows(t, months[0]), nil)
			wantRows(t, "December", activityRows(t, months[1]), december)
		})
		t.Run("the answer is cacheable and says nothing about people or times", func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, e.url+"/api/v1/public/areas/DUR/activity", nil)
			res, err := e.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if cc := res.Header.Get("Cache-Control"); !strings.HasPrefix(cc, "public, max-age=") {
				t.Errorf("Cache-Control %q", cc)
			}
			raw := string(e.do(http.MethodGet, "/api/v1/public/areas/DUR/activity", "", nil).raw)
			for _, leak := range []string{"zebedee", "quillon", "bankoff", "2027-01-20", "2027-01-25", "T1", "T0"} {
				if strings.Contains(raw, leak) {
					t.Errorf("the answer holds %q: %s", leak, raw)
				}
			}
		})
		t.Run("an unknown area is not found", func(t *testing.T) {
			if r := e.do(http.MethodGet, "/api/v1/public/areas/NOWHERE/activity", "", nil); r.status != http.StatusNotFound {
				t.Fatalf("%d %s", r.status, r.raw)
			}
		})
		t.Run("the page shows withheld figures in words, signed out", func(t *testing.T) {
			b := e.browser(t)
			p := b.get("/neighbourhoods/DUR")
			wantPage(t, p, http.StatusOK, "<h1>What is being done in Durham</h1>", "January 2027 so far", "December 2026",
				"Anti-social behaviour", "<td class=\"num\">fewer than 3</td>", "<td class=\"num\">8</td>", "Speedwatch",
				`href="/neighbourhoods/DUR-N1"`)
			for _, leak := range []string{"zebedee", "quillon", "bankoff"} {
				if strings.Contains(p.body, leak) {
					t.Errorf("the page names %q", leak)
				}
			}
			if len(p.cookies) != 0 || !strings.HasPrefix(p.header.Get("Cache-Control"), "public") {
				t.Errorf("a public page sets cookies %v or is not cacheable (%q)", p.cookies, p.header.Get("Cache-Control"))
			}
			wantPage(t, b.get("/neighbourhoods"), http.StatusOK, `<a href="/neighbourhoods/DUR-N1">Durham City</a>`)
		})
	})
}

func TestSignpostingPagesAreReadByAnyoneAndEditedByAdmins(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		t.Run("each page answers signed out with its built-in text", func(t *testing.T) {
			b := e.browser(t)
			wantPage(t, b.get("/"), http.StatusOK, `href="/opportunities"`, `href="/help/report"`, `href="/help/community-trigger"`,
				`href="/neighbourhoods"`, `href="/sign-in"`)
			wantPage(t, b.get("/help/report"), http.StatusOK, "<h1>Report a problem</h1>", "999", "101")
			wantPage(t, b.get("/help/who-does-what"), http.StatusOK, "Durham Constabulary", "Durham County Council", "Darlington Borough Council")
			wantPage(t, b.get("/help/community-trigger"), http.StatusOK, "impact statement", "resolution meeting")
			wantPage(t, b.get("/help/nothing"), http.StatusNotFound)
			r := e.do(http.MethodGet, "/api/v1/public/pages/community-trigger", "", nil)
			if r.status != http.StatusOK || r.body["version"] != 1.0 || !strings.Contains(r.body["html"].(string), "<h2>") {
				t.Fatalf("%d %s", r.status, r.raw)
			}
		})
		t.Run("a visitor with an ended session reads the page, which is then not shared", func(t *testing.T) {
			b := e.browser(t)
			b.cookies["copbank_session"] = &http.Cookie{Name: "copbank_session", Value: "ended"}
			p := b.get("/help/report")
			wantPage(t, p, http.StatusOK, "<h1>Report a problem</h1>")
			if cc := p.header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("an answer clearing a cookie has Cache-Control %q, want no-store", cc)
			}
		})
		t.Run("an admin's save is a new version with an audit entry", func(t *testing.T) {
			r := e.do(http.MethodPut, "/api/v1/public/pages/report", e.admin, map[string]any{"title": "Report it",
				"body": "## Call 101\n\nOr <script>alert(1)</script> [bad](javascript:alert(1)) and [good](/help/who-does-what).", "base_version": 1})
			if r.status != http.StatusOK || r.body["version"] != 2.0 {
				t.Fatalf("%d %s", r.status, r.raw)
			}
			html := r.body["html"].(string)
			if strings.Contains(html, "<script") || !strings.Contains(html, "&lt;script&gt;") || strings.Contains(html, "javascript:") ||
				!strings.Contains(html, `<a href="/help/who-does-what">good</a>`) {
				t.Errorf("html %s", html)
			}
			p := e.browser(t).get("/help/report")
			wantPage(t, p, http.StatusOK, "<h1>Report it</h1>", "&lt;script&gt;alert(1)&lt;/script&gt;", "<h2>Call 101</h2>")
			v := e.do(http.MethodGet, "/api/v1/public/pages/report/versions", e.admin, nil)
			items, _ := v.body["items"].([]any)
			if v.status != http.StatusOK || len(items) != 2 || items[0].(map[string]any)["version"] != 2.0 {
				t.Fatalf("versions %d %s", v.status, v.raw)
			}
			audit := e.auditActions("public_page.update")
			if len(audit) != 1 || audit[0]["entity_id"] != "report" {
				t.Fatalf("audit %v", audit)
			}
			if stale := e.do(http.MethodPut, "/api/v1/public/pages/report", e.admin, map[string]any{"title": "Old", "body": "Old", "base_version": 1}); stale.status != http.StatusConflict {
				t.Errorf("a save over a later version: %d %s", stale.status, stale.raw)
			}
		})
		t.Run("nobody else may save or read the history", func(t *testing.T) {
			_, member := e.memberLogin("moira", memberOpts{})
			for _, tok := range []string{member, e.coordinator} {
				if r := e.do(http.MethodPut, "/api/v1/public/pages/report", tok, map[string]any{"title": "Mine", "body": "Mine"}); r.status != http.StatusForbidden {
					t.Errorf("PUT: %d %s", r.status, r.raw)
				}
				if r := e.do(http.MethodGet, "/api/v1/public/pages/report/versions", tok, nil); r.status != http.StatusForbidden {
					t.Errorf("versions: %d %s", r.status, r.raw)
				}
			}
			if r := e.do(http.MethodPut, "/api/v1/public/pages/report", "", map[string]any{"title": "Mine", "body": "Mine"}); r.status != http.StatusUnauthorized {
				t.Errorf("signed out PUT: %d", r.status)
			}
			if r := e.do(http.MethodGet, "/api/v1/public/pages/report", "", nil); r.body["title"] == "Mine" {
				t.Error("a refused save changed the page")
			}
		})
		t.Run("the admin's editor saves through a form", func(t *testing.T) {
			admin := e.browser(t)
			admin.signIn("admin@example.org")
			wantPage(t, admin.get("/admin/public-pages"), http.StatusOK, `href="/admin/public-pages/who-does-what"`)
			p := admin.post("/admin/public-pages/who-does-what", "/admin/public-pages/who-does-what",
				url.Values{"title": {"Who does what"}, "body": {"Call **101**."}, "base_version": {"1"}})
			if p.status != http.StatusSeeOther {
				t.Fatalf("%d %.500s", p.status, p.body)
			}
			wantPage(t, admin.get("/admin/public-pages/who-does-what"), http.StatusOK, "You saved version 2", "Version 1", "Version 2")
			wantPage(t, e.browser(t).get("/help/who-does-what"), http.StatusOK, "Call <strong>101</strong>.")
			bad := admin.post("/admin/public-pages/who-does-what", "/admin/public-pages/who-does-what", url.Values{"title": {""}, "body": {"x"}})
			wantPage(t, bad, http.StatusUnprocessableEntity, `href="#title"`, `aria-describedby="title-hint title-error"`)
			member := e.browser(t)
			e.memberLogin("nell", memberOpts{})
			member.signIn("nell@example.org")
			wantPage(t, member.get("/admin/public-pages/report"), http.StatusNotFound)
		})
	})
}
