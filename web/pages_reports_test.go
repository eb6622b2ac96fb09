package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestReportsPageShowsChartsTablesAndCSVDownloads(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		f := newPayFixture(t, e)
		f.runJanuary(t, e)
		const jan = "?from=2027-01-01&to=2027-01-31"

		coord := e.browser(t)
		coord.signIn("coord@example.org")
		p := coord.get("/reports" + jan)
		wantPage(t, p, http.StatusOK, `href="/reports" aria-current="page"`,
			`<title id="report-fill-chart-title">Fill rate by week</title>`, "week from 2027-01-04: 62%",
			`<title id="report-hours-chart-title">Hours given by kind of member</title>`, "bank_officer: 24 h; volunteer: 8 h",
			`href="/reports/hours.csv?from=2027-01-01&amp;to=2027-01-31" download`, "<td>0.1667</td>")
		if strings.Contains(p.body, "amount_pence") || strings.Contains(p.body, "/reports/pay.csv") {
			t.Error("a coordinator's page shows pay")
		}
		wantPage(t, coord.get("/reports/pay.csv"+jan), http.StatusForbidden)

		csv := coord.get("/reports/hours.csv" + jan)
		if csv.status != http.StatusOK || !strings.HasPrefix(csv.header.Get("Content-Type"), "text/csv") ||
			!strings.HasPrefix(csv.body, "booking_id,member_id,member_name,kind,area,problem_type,start,end,minutes,notional_pence\r\n") ||
			strings.Count(csv.body, "\r\n") != 5 {
			t.Fatalf("hours.csv: %d %s %q", csv.status, csv.header.Get("Content-Type"), csv.body)
		}

		bad := coord.get("/reports?from=2027-02-01&to=2027-01-01")
		wantPage(t, bad, http.StatusUnprocessableEntity, `id="from-error"`, "must not be after to", `aria-describedby="from-hint from-error"`)

		admin := e.browser(t)
		admin.signIn("admin@example.org")
		wantPage(t, admin.get("/reports"+jan), http.StatusOK, `href="/reports/pay.csv?from=2027-01-01&amp;to=2027-01-31" download`,
			"<td>39590</td>")

		member := e.browser(t)
		member.signIn("officer1@example.org")
		wantPage(t, member.get("/reports"), http.StatusNotFound)
		wantPage(t, member.get("/reports/hours.csv"), http.StatusNotFound)
	})
}

func TestMembersClaimAndCoordinatorsDecideExpensesOnThePages(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		f := newPayFixture(t, e)
		f.workWednesday(t, e)
		vol := e.browser(t)
		vol.signIn("volunteer1@example.org")
		wantPage(t, vol.get("/my-shifts"), http.StatusOK, `href="/my-shifts/`+f.bvWed+`/expenses"`)
		page := "/my-shifts/" + f.bvWed + "/expenses"
		wantPage(t, vol.post(page, page, url.Values{"kind": {"other"}, "amount": {"three pounds"}, "note": {"parking"}}),
			http.StatusUnprocessableEntity, `id="amount-error"`, "Enter the amount in pounds")
		if p := vol.post(page, page, url.Values{"kind": {"mileage"}, "miles": {"10"}}); p.status != http.StatusSeeOther {
			t.Fatalf("claim: %d %.400s", p.status, p.body)
		}
		wantPage(t, vol.get(page), http.StatusOK, "You claimed £4.50", "<td>10 miles</td>", "<td>claimed</td>")

		// Friday is not attended yet: no form, and a forged post is refused naming the rule.
		fri := "/my-shifts/" + f.bvFri + "/expenses"
		wantPage(t, vol.get(fri), http.StatusOK, "once a coordinator has recorded that you attended")
		wantPage(t, vol.post(fri, fri, url.Values{"kind": {"mileage"}, "miles": {"3"}}), http.StatusUnprocessableEntity, "is not an attended booking")
		wantPage(t, vol.get("/my-shifts/"+f.b1Wed+"/expenses"), http.StatusNotFound)

		coord := e.browser(t)
		coord.signIn("coord@example.org")
		wantPage(t, coord.get("/coord/expenses"), http.StatusOK, "volunteer1: £4.50")
		var id string
		if r := e.do(http.MethodGet, "/api/v1/audit?action=expense.claim", e.admin, nil); r.status == http.StatusOK {
			id = r.body["items"].([]any)[0].(map[string]any)["entity_id"].(string)
		}
		if p := coord.post("/coord/expenses", "/coord/expenses/"+id+"/approve", nil); p.status != http.StatusSeeOther {
			t.Fatalf("approve: %d %.400s", p.status, p.body)
		}
		wantPage(t, coord.get("/coord/expenses"), http.StatusOK, "You approved the claim for £4.50.", "No claims are waiting.")
		wantPage(t, vol.get(page), http.StatusOK, "<td>approved</td>")
	})
}

func TestAMemberRecordsTheirAttendanceOnThePagesForTheCoordinatorToConfirm(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		f := newPayFixture(t, e)
		e.now.Store(ptr(time.Date(2027, 1, 7, 9, 0, 0, 0, time.UTC)))
		vol := e.browser(t)
		vol.signIn("volunteer1@example.org")
		page := "/my-shifts/" + f.bvWed + "/attendance"
		wantPage(t, vol.get("/my-shifts"), http.StatusOK, `href="`+page+`"`)
		wantPage(t, vol.get(page), http.StatusOK, `value="2027-01-06T18:00"`, `value="2027-01-07T02:00"`)
		wantPage(t, vol.post(page, page, url.Values{"actual_start": {"2027-01-06T18:30"}, "actual_end": {"2027-01-06T18:00"}}),
			http.StatusUnprocessableEntity, `id="actual_end-error"`)
		if p := vol.post(page, page, url.Values{"actual_start": {"2027-01-06T18:30"}, "actual_end": {"2027-01-07T02:00"}}); p.status != http.StatusSeeOther {
			t.Fatalf("submit: %d %.400s", p.status, p.body)
		}
		r := e.do(http.MethodPost, "/api/v1/bookings/"+f.bvWed+"/attendance/confirm", e.coordinator, nil)
		att, _ := r.body["attendance"].(map[string]any)
		if r.status != http.StatusOK || r.body["status"] != "attended" || att["actual_start"] != "2027-01-06T18:30:00Z" {
			t.Fatalf("confirm: %d %s", r.status, r.raw)
		}
		wantPage(t, vol.get("/my-shifts/"+f.b1Wed+"/attendance"), http.StatusNotFound)
	})
}
