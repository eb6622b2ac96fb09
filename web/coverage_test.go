package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// oneShift posts a one-position open demand and returns (shift, position).
func oneShift(e *env, area, start, end string) (string, string) {
	e.t.Helper()
	sh := shiftsOf(e.demand(map[string]any{"area": area, "start_local": start, "end_local": end}))[0]
	return sh[0], sh[1]
}

func bookAs(t *testing.T, e *env, tok, shift, pos string, body map[string]any) resp {
	t.Helper()
	if body == nil {
		body = map[string]any{}
	}
	body["position_id"] = pos
	r := e.do(http.MethodPost, "/api/v1/shifts/"+shift+"/bookings", tok, body)
	if r.status != http.StatusCreated {
		t.Fatalf("book: %d %s", r.status, r.raw)
	}
	return r
}

func signIn(t *testing.T, e *env, email string) string {
	t.Helper()
	tok, err := e.app.Login(context.Background(), email, "a long test password", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	return tok.Token
}

func holdOf(t *testing.T, e *env, tok, path string) map[string]any {
	t.Helper()
	r := e.do(http.MethodGet, path, tok, nil)
	if r.status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, r.status, r.raw)
	}
	m := r.body
	if mm, ok := m["member"].(map[string]any); ok {
		m = mm
	}
	h, _ := m["approval_hold"].(map[string]any)
	return h
}

func TestTwoNoShowsWithinNinetyDaysPutSelfBookingsOnApprovalUntilACoordinatorLiftsIt(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		cle := e.mustArea(domain.Area{ID: app.NewID(), Code: "CLE", Name: "Cleveland", Kind: domain.AreaForce})
		out := e.login("cout@example.org", []domain.Role{domain.RoleCoordinator}, "", []string{cle.ID})
		v, vTok := e.memberLogin("nsv", memberOpts{maxHours: 168})

		s1, p1 := oneShift(e, "DUR-N1", "2027-01-06T18:00", "2027-01-06T20:00")
		s2, p2 := oneShift(e, "DUR-N1", "2027-02-10T18:00", "2027-02-10T20:00")
		b1 := bookAs(t, e, vTok, s1, p1, nil).body["id"].(string)
		b2 := bookAs(t, e, vTok, s2, p2, nil).body["id"].(string)
		noShow := func(id string) {
			t.Helper()
			if r := e.do(http.MethodPost, "/api/v1/bookings/"+id+"/attendance", e.coordinator, map[string]any{"status": "no_show"}); r.status != http.StatusOK {
				t.Fatalf("no-show: %d %s", r.status, r.raw)
			}
		}
		e.now.Store(ptr(time.Date(2027, 1, 7, 9, 0, 0, 0, time.UTC)))
		noShow(b1)
		if h := holdOf(t, e, vTok, "/api/v1/me"); h != nil {
			t.Fatalf("one no-show put the member on hold: %v", h)
		}
		e.now.Store(ptr(time.Date(2027, 2, 11, 9, 0, 0, 0, time.UTC)))
		noShow(b2)

		h := holdOf(t, e, vTok, "/api/v1/me")
		if h == nil || h["reason"] != "2 no-shows in 90 days: 2027-01-06, 2027-02-10" || h["until"] != "2027-05-12" {
			t.Fatalf("the member does not see the hold and its reason: %v", h)
		}
		if holdOf(t, e, e.coordinator, "/api/v1/members/"+v) == nil {
			t.Fatal("the coordinator does not see the hold on the member")
		}

		s3, p3 := oneShift(e, "DUR-N1", "2027-02-20T10:00", "2027-02-20T12:00")
		r := bookAs(t, e, vTok, s3, p3, nil)
		if r.body["status"] != "pending" || r.body["approval_hold"] == nil {
			t.Fatalf("a self-booking on an open shift while on hold: %s", r.raw)
		}
		s4, p4 := oneShift(e, "DUR-N1", "2027-02-21T10:00", "2027-02-21T12:00")
		if r := bookAs(t, e, e.coordinator, s4, p4, map[string]any{"member_id": v}); r.body["status"] != "confirmed" {
			t.Fatalf("a coordinator's booking for a member on hold: %s", r.raw)
		}

		// A place freed on a full open shift goes to the member from the
		// waitlist they joined themselves: pending, while they are on hold.
		_, xTok := e.memberLogin("nsx", memberOpts{maxHours: 168})
		full := shiftsOf(e.demand(map[string]any{"area": "DUR-N1", "start_local": "2027-02-23T10:00", "end_local": "2027-02-23T12:00",
			"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "skills": []string{}, "min_vetting": "NPPV1", "headcount": 1}}}))[0]
		xb := bookAs(t, e, xTok, full[0], full[1], nil).body["id"].(string)
		w := e.do(http.MethodPost, "/api/v1/shifts/"+full[0]+"/waitlist", vTok, map[string]any{"position_id": full[1]})
		if w.status != http.StatusCreated {
			t.Fatalf("waitlist: %d %s", w.status, w.raw)
		}
		if r := e.do(http.MethodPost, "/api/v1/bookings/"+xb+"/cancel", xTok, map[string]any{}); r.status != http.StatusOK {
			t.Fatalf("cancel: %d %s", r.status, r.raw)
		}
		if r := e.do(http.MethodGet, "/api/v1/members/"+v+"/bookings", vTok, nil); !hasBookingStatus(r, w.body["id"].(string), "pending") {
			t.Fatalf("the member on hold was promoted from the waitlist without approval: %s", r.raw)
		}

		mb := e.browser(t)
		mb.signIn("nsv@example.org")
		wantPage(t, mb.get("/my-shifts"), http.StatusOK, "until Wednesday 12 May 2027 because of 2 no-shows in 90 days: 2027-01-06, 2027-02-10.")
		cb := coordBrowser(t, e)
		wantPage(t, cb.get("/coord/approvals"), http.StatusOK, `href="/coord/members/`+v+`/approval-hold"`)
		wantPage(t, cb.get("/coord/members/"+v+"/approval-hold"), http.StatusOK, "Lift the hold", "2 no-shows in 90 days")

		lift := "/api/v1/members/" + v + "/approval-hold"
		if r := e.do(http.MethodDelete, lift, out, nil); r.status != http.StatusNotFound {
			t.Fatalf("out-of-scope coordinator lifted the hold: %d %s", r.status, r.raw)
		}
		if r := e.do(http.MethodDelete, lift, vTok, nil); r.status != http.StatusForbidden {
			t.Fatalf("the member lifted their own hold: %d %s", r.status, r.raw)
		}
		if holdOf(t, e, vTok, "/api/v1/me") == nil {
			t.Fatal("a refused lift ended the hold")
		}
		if r := e.do(http.MethodDelete, lift, e.coordinator, nil); r.status != http.StatusNoContent {
			t.Fatalf("lift: %d %s", r.status, r.raw)
		}
		if h := holdOf(t, e, vTok, "/api/v1/me"); h != nil {
			t.Fatalf("the hold is still shown after the lift: %v", h)
		}
		s5, p5 := oneShift(e, "DUR-N1", "2027-02-22T10:00", "2027-02-22T12:00")
		if r := bookAs(t, e, vTok, s5, p5, nil); r.body["status"] != "confirmed" || r.body["approval_hold"] != nil {
			t.Fatalf("a self-booking after the lift: %s", r.raw)
		}
		a := e.do(http.MethodGet, "/api/v1/audit?member_id="+v, e.admin, nil)
		if !strings.Contains(string(a.raw), "member.approval_hold.set") || !strings.Contains(string(a.raw), "member.approval_hold.lift") {
			t.Fatalf("the hold and its lift are not in the audit log: %d %.500s", a.status, a.raw)
		}
	})
}

func TestNoShowsAHundredDaysApartPutNobodyOnHold(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		_, vTok := e.memberLogin("nsw", memberOpts{maxHours: 168})
		s1, p1 := oneShift(e, "DUR-N1", "2027-01-06T18:00", "2027-01-06T20:00")
		s2, p2 := oneShift(e, "DUR-N1", "2027-04-16T18:00", "2027-04-16T20:00")
		b1 := bookAs(t, e, vTok, s1, p1, nil).body["id"].(string)
		b2 := bookAs(t, e, vTok, s2, p2, nil).body["id"].(string)
		for _, c := range []struct {
			at time.Time
			id string
		}{{time.Date(2027, 1, 7, 9, 0, 0, 0, time.UTC), b1}, {time.Date(2027, 4, 17, 9, 0, 0, 0, time.UTC), b2}} {
			e.now.Store(ptr(c.at))
			// Tokens last 60 days: sign in again on the test clock.
			e.coordinator, vTok = signIn(t, e, "coord@example.org"), signIn(t, e, "nsw@example.org")
			if r := e.do(http.MethodPost, "/api/v1/bookings/"+c.id+"/attendance", e.coordinator, map[string]any{"status": "no_show"}); r.status != http.StatusOK {
				t.Fatalf("no-show: %d %s", r.status, r.raw)
			}
		}
		if h := holdOf(t, e, vTok, "/api/v1/me"); h != nil {
			t.Fatalf("no-shows 100 days apart made a hold: %v", h)
		}
		s3, p3 := oneShift(e, "DUR-N1", "2027-04-20T10:00", "2027-04-20T12:00")
		if r := bookAs(t, e, vTok, s3, p3, nil); r.body["status"] != "confirmed" {
			t.Fatalf("self-booking: %s", r.raw)
		}
	})
}

func TestTheCoverageReportShowsEachNeighbourhoodsWeeksWithTheirGaps(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.mustArea(domain.Area{ID: app.NewID(), Code: "DUR-N2", Name: "Durham South", Kind: domain.AreaNeighbourhood, ParentID: e.force.ID})
		cle := e.mustArea(domain.Area{ID: app.NewID(), Code: "CLE", Name: "Cleveland", Kind: domain.AreaForce})
		out := e.login("cout@example.org", []domain.Role{domain.RoleCoordinator}, "", []string{cle.ID})
		o, oTok := e.memberLogin("pcso", memberOpts{kinds: []domain.Kind{domain.KindBankOfficer}, maxHours: 168})
		_, vTok := e.memberLogin("cv", memberOpts{maxHours: 168})

		put := func(tok, path string, body map[string]any, want int) resp {
			t.Helper()
			r := e.do(http.MethodPut, path, tok, body)
			if r.status != want {
				t.Fatalf("PUT %s: %d %s", path, r.status, r.raw)
			}
			return r
		}
		r := put(e.coordinator, "/api/v1/areas/DUR-N1/named-officer", map[string]any{"member_id": o}, http.StatusOK)
		if r.body["named_officer"].(map[string]any)["id"] != o {
			t.Fatalf("named officer: %s", r.raw)
		}
		put(e.coordinator, "/api/v1/areas/DUR-N1/coverage-target", map[string]any{"hours_per_week": 4}, http.StatusOK)
		put(e.coordinator, "/api/v1/areas/DUR-N2/coverage-target", map[string]any{"hours_per_week": 2}, http.StatusOK)
		wantField(t, e.do(http.MethodPut, "/api/v1/areas/DUR/named-officer", e.coordinator, map[string]any{"member_id": o}),
			http.StatusUnprocessableEntity, "code")
		wantField(t, e.do(http.MethodPut, "/api/v1/areas/DUR-N1/coverage-target", e.coordinator, map[string]any{"hours_per_week": -1}),
			http.StatusUnprocessableEntity, "hours_per_week")
		put(out, "/api/v1/areas/DUR-N1/coverage-target", map[string]any{"hours_per_week": 9}, http.StatusNotFound)
		wantField(t, e.do(http.MethodPut, "/api/v1/areas/DUR-N2/named-officer", e.coordinator, map[string]any{"member_id": "no-such-member"}),
			http.StatusUnprocessableEntity, "member_id")
		put(e.coordinator, "/api/v1/areas/DUR-N2/named-officer", map[string]any{"member_id": o}, http.StatusOK)
		if r := put(e.coordinator, "/api/v1/areas/DUR-N2/named-officer", map[string]any{"member_id": nil}, http.StatusOK); r.body["named_officer"] != nil ||
			r.body["hours_per_week"] != 2.0 {
			t.Fatalf("clearing the named officer: %s", r.raw)
		}

		// Week 2 (11–17 January): in N1 the officer 3 h and the volunteer
		// 3 h booked, who came 18:30–21:00 (2.5 h); in N2 the volunteer 2 h.
		wed, wedPos := oneShift(e, "DUR-N1", "2027-01-13T18:00", "2027-01-13T21:00")
		bookAs(t, e, oTok, wed, wedPos, nil)
		vWed := bookAs(t, e, vTok, wed, wedPos, nil).body["id"].(string)
		thu, thuPos := oneShift(e, "DUR-N2", "2027-01-14T10:00", "2027-01-14T12:00")
		bookAs(t, e, vTok, thu, thuPos, nil)
		// Week 3 (18–24 January): in N1 the volunteer 1 h, and 2 h booked
		// then cancelled; nothing in N2. Week 4 is outside the period.
		tue, tuePos := oneShift(e, "DUR-N1", "2027-01-19T18:00", "2027-01-19T19:00")
		bookAs(t, e, vTok, tue, tuePos, nil)
		thu3, thu3Pos := oneShift(e, "DUR-N1", "2027-01-21T10:00", "2027-01-21T12:00")
		gone := bookAs(t, e, vTok, thu3, thu3Pos, nil).body["id"].(string)
		if r := e.do(http.MethodPost, "/api/v1/bookings/"+gone+"/cancel", vTok, map[string]any{}); r.status != http.StatusOK {
			t.Fatalf("cancel: %d %s", r.status, r.raw)
		}
		later, laterPos := oneShift(e, "DUR-N1", "2027-01-26T10:00", "2027-01-26T12:00")
		bookAs(t, e, oTok, later, laterPos, nil)
		e.now.Store(ptr(time.Date(2027, 1, 14, 9, 0, 0, 0, time.UTC)))
		if r := e.do(http.MethodPost, "/api/v1/bookings/"+vWed+"/attendance", e.coordinator, map[string]any{"status": "attended",
			"actual_start": "2027-01-13T18:30:00Z", "actual_end": "2027-01-13T21:00:00Z"}); r.status != http.StatusOK {
			t.Fatalf("attendance: %d %s", r.status, r.raw)
		}

		type line struct {
			area, week     string
			has            bool
			shifts         float64
			bank, vol, tgt float64
			gaps           []string
		}
		want := []line{
			{"DUR-N1", "2027-W02", true, 1, 3, 2.5, 4, []string{}},
			{"DUR-N1", "2027-W03", false, 0, 0, 1, 4, []string{"no_officer_shift", "below_target"}},
			{"DUR-N2", "2027-W02", false, 0, 0, 2, 2, []string{"no_named_officer"}},
			{"DUR-N2", "2027-W03", false, 0, 0, 0, 2, []string{"no_named_officer", "below_target"}},
		}
		r = e.do(http.MethodGet, "/api/v1/reports/coverage?from=2027-01-12&to=2027-01-20", e.coordinator, nil)
		if r.status != http.StatusOK {
			t.Fatalf("report: %d %s", r.status, r.raw)
		}
		items := r.body["items"].([]any)
		if len(items) != len(want) {
			t.Fatalf("want %d rows, got %s", len(want), r.raw)
		}
		for i, w := range want {
			it := items[i].(map[string]any)
			var gaps []string
			for _, g := range it["gaps"].([]any) {
				gaps = append(gaps, g.(string))
			}
			got := line{it["area"].(string), it["week"].(string), it["has_named_officer"].(bool), it["officer_shifts"].(float64),
				it["bank_hours"].(float64), it["volunteer_hours"].(float64), it["target_hours_per_week"].(float64), gaps}
			if got.area != w.area || got.week != w.week || got.has != w.has || got.shifts != w.shifts || got.bank != w.bank ||
				got.vol != w.vol || got.tgt != w.tgt || !slices.Equal(got.gaps, w.gaps) {
				t.Errorf("row %d: got %+v, want %+v", i, got, w)
			}
		}
		if it := items[2].(map[string]any); it["named_officer_id"] != nil || it["week_start"] != "2027-01-11" {
			t.Errorf("N2's first week: %v", it)
		}

		r = e.do(http.MethodGet, "/api/v1/reports/coverage?from=2027-01-12&to=2027-01-20&areas=DUR-N2", e.coordinator, nil)
		if n := len(r.body["items"].([]any)); r.status != http.StatusOK || n != 2 {
			t.Fatalf("areas=DUR-N2: %d, %d rows", r.status, n)
		}
		if r := e.do(http.MethodGet, "/api/v1/reports/coverage?from=2027-01-12&to=2027-01-20", out, nil); r.status != http.StatusOK ||
			len(r.body["items"].([]any)) != 0 {
			t.Fatalf("an out-of-scope coordinator sees: %s", r.raw)
		}
		cb := coordBrowser(t, e)
		wantPage(t, cb.get("/coord/coverage?from=2027-01-12&to=2027-01-20"), http.StatusOK, `<title id="coverage-chart-title">`,
			"Durham City: 1 of 2 weeks; Durham South: 0 of 2 weeks", "Durham City (DUR-N1)", "Named officer on no shift; Below target",
			`<a href="/coord/coverage" aria-current="page">Coverage</a>`)
		wantPage(t, cb.get("/coord/coverage?from=2027-01-20&to=2027-01-12"), http.StatusUnprocessableEntity, `href="#from"`)
		wantPage(t, cb.get("/coord/coverage/DUR-N1"), http.StatusOK, `<label for="officer_email">`, `value="pcso@example.org"`, `value="4"`)
		wantPage(t, cb.post("/coord/coverage/DUR-N2", "/coord/coverage/DUR-N2", url.Values{"officer_email": {"nobody@example.org"},
			"hours_per_week": {"lots"}}), http.StatusUnprocessableEntity, `href="#officer_email"`, `href="#hours_per_week"`)
		if p := cb.post("/coord/coverage/DUR-N2", "/coord/coverage/DUR-N2", url.Values{"officer_email": {"pcso@example.org"},
			"hours_per_week": {"3"}}); p.status != http.StatusSeeOther {
			t.Fatalf("save coverage: %d %.400s", p.status, p.body)
		}
		if r := e.do(http.MethodPut, "/api/v1/areas/DUR-N2/coverage-target", e.coordinator, map[string]any{"hours_per_week": 3}); r.status != http.StatusOK ||
			r.body["named_officer"].(map[string]any)["id"] != o {
			t.Fatalf("the page did not name the officer: %s", r.raw)
		}
		c := e.do(http.MethodGet, "/api/v1/reports/coverage?from=2027-01-12&to=2027-01-20", e.coordinator, nil, "Accept", "text/csv")
		if csvLines := strings.Split(strings.TrimSpace(string(c.raw)), "\r\n"); c.status != http.StatusOK || len(csvLines) != 5 ||
			!strings.HasPrefix(csvLines[0], "area,area_name,week,week_start,") || !strings.HasPrefix(csvLines[2], "DUR-N1,Durham City,2027-W03,2027-01-18,") {
			t.Fatalf("CSV: %d %s", c.status, c.raw)
		}
	})
}
