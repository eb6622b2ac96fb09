package web_test

import (
	"math"
	"net/http"
	"strings"
	"testing"
	"time"
)

// runJanuary plays the fixture's month: Wednesday as everyone came,
// Friday with v a no-show, Monday cancelled late (o1 himself, o2 by the
// coordinator), and expenses: v's 10 miles (450p) and o1's parking (350p)
// approved, v's taxi rejected.
func (f *payFixture) runJanuary(t *testing.T, e *env) {
	t.Helper()
	f.workWednesday(t, e)
	claim := func(tok, booking string, body map[string]any, approve bool) {
		r := e.do(http.MethodPost, "/api/v1/bookings/"+booking+"/expenses", tok, body)
		if r.status != http.StatusCreated {
			t.Fatalf("claim: %d %s", r.status, r.raw)
		}
		verb := map[bool]string{true: "/approve", false: "/reject"}[approve]
		if d := e.do(http.MethodPost, "/api/v1/expenses/"+r.body["id"].(string)+verb, e.coordinator, nil); d.status != http.StatusOK {
			t.Fatalf("decide: %d %s", d.status, d.raw)
		}
	}
	claim(f.vTok, f.bvWed, map[string]any{"kind": "mileage", "miles": 10}, true)
	claim(f.o1Tok, f.b1Wed, map[string]any{"kind": "other", "amount_pence": 350, "note": "parking"}, true)
	claim(f.vTok, f.bvWed, map[string]any{"kind": "other", "amount_pence": 2000, "note": "taxi"}, false)

	e.now.Store(ptr(time.Date(2027, 1, 9, 9, 0, 0, 0, time.UTC)))
	roster := map[string]any{"items": []map[string]any{{"booking_id": f.b1Fri, "status": "attended"},
		{"booking_id": f.bvFri, "status": "no_show"}}}
	if r := e.do(http.MethodPost, "/api/v1/shifts/"+f.fri+"/attendance", e.coordinator, roster); r.status != http.StatusOK {
		t.Fatalf("friday roster: %d %s", r.status, r.raw)
	}
	f.cancelMonday(t, e)
	e.now.Store(ptr(time.Date(2027, 1, 20, 9, 0, 0, 0, time.UTC)))
}

func items(t *testing.T, r resp) []map[string]any {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("report: %d %s", r.status, r.raw)
	}
	var out []map[string]any
	for _, it := range r.body["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	if r.body["next_cursor"] != nil {
		t.Fatalf("a whole report has no next page: %s", r.raw)
	}
	return out
}

// wantLine checks the numbers of one report line (JSON numbers are floats).
func wantLine(t *testing.T, got map[string]any, want map[string]any) {
	t.Helper()
	for k, v := range want {
		g := got[k]
		if n, ok := v.(float64); ok {
			if gf, ok := g.(float64); !ok || math.Abs(gf-n) > 1e-9 {
				t.Errorf("%s = %v, want %v (line %v)", k, g, v, got)
			}
			continue
		}
		if g != v {
			t.Errorf("%s = %v, want %v (line %v)", k, g, v, got)
		}
	}
}

func TestReportFiguresOnAHandWorkedMonth(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		f := newPayFixture(t, e)
		f.runJanuary(t, e)
		const jan = "?from=2027-01-01&to=2027-01-31"

		pay := items(t, e.do(http.MethodGet, "/api/v1/reports/pay"+jan, e.admin, nil))
		if len(pay) != 3 {
			t.Fatalf("pay: want three lines: %v", pay)
		}
		// o1: Wednesday 18:00–02:00 = 2 h plain + 6 h × 1.3 at 1850 = 18130;
		// Friday 22:00–06:00 = 2 h × 1.3 + 6 h × 1.5 = 21460. His own late
		// cancellation pays nothing.
		wantLine(t, pay[0], map[string]any{"member_id": f.o1, "member_name": "officer1", "band": "B2", "minutes": 960.0,
			"plain_minutes": 120.0, "unsocial_minutes": 480.0, "weekend_minutes": 360.0, "bank_holiday_minutes": 0.0,
			"late_cancel_minutes": 0.0, "amount_pence": 39590.0, "expenses_pence": 350.0})
		// o2: Wednesday 18130 and Monday cancelled by the force 12 h before:
		// 4 h at plain = 7400.
		wantLine(t, pay[1], map[string]any{"member_id": f.o2, "band": "B2", "minutes": 720.0, "plain_minutes": 120.0,
			"unsocial_minutes": 360.0, "weekend_minutes": 0.0, "late_cancel_minutes": 240.0, "amount_pence": 25530.0, "expenses_pence": 0.0})
		// v: unpaid, but his approved mileage is paid (10 × 45p); the taxi was rejected.
		wantLine(t, pay[2], map[string]any{"member_id": f.v, "band": "", "minutes": 0.0, "amount_pence": 0.0, "expenses_pence": 450.0})

		hours := items(t, e.do(http.MethodGet, "/api/v1/reports/hours"+jan, e.admin, nil))
		if len(hours) != 4 {
			t.Fatalf("hours: want the four attended bookings: %v", hours)
		}
		byBooking := map[string]map[string]any{}
		for _, h := range hours {
			byBooking[h["booking_id"].(string)] = h
		}
		wantLine(t, byBooking[f.bvWed], map[string]any{"kind": "volunteer", "area": "DUR-N1", "problem_type": "student_asb",
			"minutes": 480.0, "notional_pence": 12000.0, "start": "2027-01-06T18:00:00Z"}) // 8 h at the notional 1500
		wantLine(t, byBooking[f.b1Fri], map[string]any{"kind": "bank_officer", "minutes": 480.0, "notional_pence": 0.0})
		if vol := items(t, e.do(http.MethodGet, "/api/v1/reports/hours"+jan+"&kind=volunteer", e.admin, nil)); len(vol) != 1 {
			t.Fatalf("kind=volunteer: %v", vol)
		}
		if none := items(t, e.do(http.MethodGet, "/api/v1/reports/hours"+jan+"&problem_type=graffiti", e.admin, nil)); len(none) != 0 {
			t.Fatalf("problem_type=graffiti: %v", none)
		}

		fill := items(t, e.do(http.MethodGet, "/api/v1/reports/fill"+jan+"&areas=DUR", e.coordinator, nil))
		if len(fill) != 2 {
			t.Fatalf("fill: want two weeks: %v", fill)
		}
		// Week of 4 Jan: Wednesday (priority 3) 3 of 4 places, Friday
		// (priority 5) 2 of 4 (a no-show took a place): 5/8; weighted
		// (9 + 10) / (12 + 20) = 0.59375.
		wantLine(t, fill[0], map[string]any{"week": "2027-01-04", "area": "DUR-N1", "places": 8.0, "filled": 5.0,
			"fill_rate": 0.625, "priority_weighted_fill": 0.5938})
		wantLine(t, fill[1], map[string]any{"week": "2027-01-11", "places": 4.0, "filled": 0.0, "fill_rate": 0.0})

		// Paid hours: o1 16, o2 8. Gini = 2 × (8 + 2 × 16) / (2 × 24) − 3/2.
		fair := items(t, e.do(http.MethodGet, "/api/v1/reports/fairness"+jan, e.coordinator, nil))
		wantLine(t, fair[0], map[string]any{"members": 2.0, "paid_hours": 24.0, "gini": 0.1667, "top_10_percent_share": 0.6667})

		rel := items(t, e.do(http.MethodGet, "/api/v1/reports/reliability"+jan, e.coordinator, nil))
		if len(rel) != 3 {
			t.Fatalf("reliability: %v", rel)
		}
		wantLine(t, rel[0], map[string]any{"member_id": f.o1, "bookings": 3.0, "late_cancellations": 1.0, "no_shows": 0.0})
		wantLine(t, rel[1], map[string]any{"member_id": f.o2, "bookings": 2.0, "late_cancellations": 0.0, "no_shows": 0.0})
		wantLine(t, rel[2], map[string]any{"member_id": f.v, "bookings": 2.0, "late_cancellations": 0.0, "no_shows": 1.0})

		// The clearances the fixture grants expire on 2030-01-01.
		exp := items(t, e.do(http.MethodGet, "/api/v1/reports/expiring?from=2029-12-01&to=2030-01-31", e.coordinator, nil))
		if len(exp) != 3 || exp[0]["item"] != "clearance" || exp[0]["expires_on"] != "2030-01-01" {
			t.Fatalf("expiring: %v", exp)
		}
	})
}

func TestReportsKeepPayToAdminsAndAreasToTheirCoordinators(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		f := newPayFixture(t, e)
		f.runJanuary(t, e)
		w := newWorld(t, e)
		const jan = "?from=2027-01-01&to=2027-01-31"
		for _, tok := range []string{e.coordinator, w.tokens[coordOut], f.o1Tok} {
			if r := e.do(http.MethodGet, "/api/v1/reports/pay"+jan, tok, nil); r.status != http.StatusForbidden {
				t.Fatalf("pay for a non-admin: %d %s", r.status, r.raw)
			}
		}
		if r := e.do(http.MethodGet, "/api/v1/reports/hours"+jan, f.o1Tok, nil); r.status != http.StatusForbidden {
			t.Fatalf("a member read the hours report: %d", r.status)
		}
		// Cleveland's coordinator sees none of Durham's figures and cannot ask for them.
		for _, rep := range []string{"hours", "fill", "reliability", "expiring"} {
			if got := items(t, e.do(http.MethodGet, "/api/v1/reports/"+rep+jan, w.tokens[coordOut], nil)); len(got) != 0 {
				t.Errorf("%s: another force's coordinator sees %v", rep, got)
			}
			wantField(t, e.do(http.MethodGet, "/api/v1/reports/"+rep+jan+"&areas=DUR-N1", w.tokens[coordOut], nil),
				http.StatusUnprocessableEntity, "areas")
		}
		if fair := items(t, e.do(http.MethodGet, "/api/v1/reports/fairness"+jan, w.tokens[coordOut], nil)); fair[0]["members"] != 0.0 {
			t.Errorf("fairness: another force's coordinator counts %v", fair)
		}
		if got := items(t, e.do(http.MethodGet, "/api/v1/reports/hours"+jan+"&areas=DUR-N1", e.coordinator, nil)); len(got) != 4 {
			t.Errorf("the coordinator of DUR sees %d of DUR-N1's four attended bookings", len(got))
		}
	})
}

func TestReportFiltersAreCheckedNamingTheField(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		for _, tc := range []struct{ query, field string }{
			{"?from=2027-02-01&to=2027-01-01", "from"},
			{"?from=2025-01-01&to=2027-01-02", "to"},
			{"?from=1-Jan", "from"},
			{"?kind=robot", "kind"},
			{"?areas=NOWHERE", "areas"},
		} {
			wantField(t, e.do(http.MethodGet, "/api/v1/reports/hours"+tc.query, e.admin, nil), http.StatusUnprocessableEntity, tc.field)
		}
		if r := e.do(http.MethodGet, "/api/v1/reports/hours?from=2025-01-01&to=2027-01-01", e.admin, nil); r.status != http.StatusOK {
			t.Fatalf("exactly two years: %d %s", r.status, r.raw)
		}
	})
}

func TestReportsAnswerCSVWithAHeaderAndNeutraliseFormulas(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		f := newPayFixture(t, e)
		f.runJanuary(t, e)
		if r := e.do(http.MethodPatch, "/api/v1/members/"+f.v, e.admin, map[string]any{"name": "=HYPERLINK(\"x\")"}); r.status != http.StatusOK {
			t.Fatalf("rename: %d %s", r.status, r.raw)
		}
		r := e.do(http.MethodGet, "/api/v1/reports/pay?from=2027-01-01&to=2027-01-31", e.admin, nil, "Accept", "text/csv")
		if r.status != http.StatusOK {
			t.Fatalf("csv: %d %s", r.status, r.raw)
		}
		lines := strings.Split(strings.TrimSuffix(string(r.raw), "\r\n"), "\r\n")
		want := []string{
			"member_id,member_name,band,minutes,plain_minutes,unsocial_minutes,weekend_minutes,bank_holiday_minutes,late_cancel_minutes,amount_pence,expenses_pence",
			f.v + `,"'=HYPERLINK(""x"")",,0,0,0,0,0,0,0,450`,
			f.o1 + ",officer1,B2,960,120,480,360,0,0,39590,350",
			f.o2 + ",officer2,B2,720,120,360,0,0,240,25530,0",
		}
		if strings.Join(lines, "\n") != strings.Join(want, "\n") {
			t.Fatalf("csv:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
		}
	})
}

func TestHoursAreSummedByMemberKindAreaAndProblemType(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		f := newPayFixture(t, e)
		f.runJanuary(t, e)
		const jan = "/api/v1/reports/hours?from=2027-01-01&to=2027-01-31&by="
		byKind := items(t, e.do(http.MethodGet, jan+"kind", e.coordinator, nil))
		if len(byKind) != 2 {
			t.Fatalf("by kind: %v", byKind)
		}
		// Three officers' bookings of 8 h (paid, no notional value); the volunteer's 8 h at 1500 an hour.
		wantLine(t, byKind[0], map[string]any{"kind": "bank_officer", "bookings": 3.0, "minutes": 1440.0, "notional_pence": 0.0})
		wantLine(t, byKind[1], map[string]any{"kind": "volunteer", "bookings": 1.0, "minutes": 480.0, "notional_pence": 12000.0})
		byMember := items(t, e.do(http.MethodGet, jan+"member", e.coordinator, nil))
		if len(byMember) != 3 {
			t.Fatalf("by member: %v", byMember)
		}
		wantLine(t, byMember[0], map[string]any{"member_id": f.o1, "member_name": "officer1", "bookings": 2.0, "minutes": 960.0})
		byArea := items(t, e.do(http.MethodGet, jan+"area", e.coordinator, nil))
		wantLine(t, byArea[0], map[string]any{"area": "DUR-N1", "bookings": 4.0, "minutes": 1920.0})
		byProblem := items(t, e.do(http.MethodGet, jan+"problem_type", e.coordinator, nil))
		wantLine(t, byProblem[0], map[string]any{"problem_type": "student_asb", "bookings": 4.0})
		wantField(t, e.do(http.MethodGet, jan+"week", e.coordinator, nil), http.StatusUnprocessableEntity, "by")
		wantField(t, e.do(http.MethodGet, "/api/v1/reports/fill?by=member", e.coordinator, nil), http.StatusUnprocessableEntity, "by")
		if r := e.do(http.MethodGet, "/api/v1/reports/fill?by=week", e.coordinator, nil); r.status != http.StatusOK {
			t.Fatalf("fill by week: %d %s", r.status, r.raw)
		}
	})
}
