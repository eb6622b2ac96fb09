package web_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/copbank/copbank/domain"
)

// payFixture is a small January 2027 in DUR-N1, worked out by hand in the
// report tests: two bank officers (band B2 at £18.50) and a volunteer.
type payFixture struct {
	o1, o2, v          string // members
	o1Tok, o2Tok, vTok string
	// Wednesday 6 January 18:00–02:00: o1 and o2 on the lead, v volunteering.
	wed, wedLead, wedVol string
	b1Wed, b2Wed, bvWed  string
	// Friday 8 January 22:00 – Saturday 06:00 (priority 5): o1, and v, who
	// does not come.
	fri, b1Fri, bvFri string
	// Monday 11 January 18:00–02:00: o1 cancels himself late, the
	// coordinator cancels o2 late.
	mon, b1Mon, b2Mon string
}

// positionsOf maps a shift's position names to ids.
func positionsOf(shift map[string]any) map[string]string {
	out := map[string]string{}
	for _, p := range shift["positions"].([]any) {
		pm := p.(map[string]any)
		out[pm["name"].(string)] = pm["id"].(string)
	}
	return out
}

func newPayFixture(t *testing.T, e *env) *payFixture {
	t.Helper()
	f := &payFixture{}
	if r := e.do(http.MethodPost, "/api/v1/pay-bands", e.admin, map[string]any{"code": "B2", "name": "Bank officer band 2",
		"rate_pence": 1850, "effective_from": "2027-01-01"}); r.status != http.StatusCreated {
		t.Fatalf("band: %d %s", r.status, r.raw)
	}
	officer := memberOpts{kinds: []domain.Kind{domain.KindBankOfficer}, maxHours: 168}
	f.o1, f.o1Tok = e.memberLogin("officer1", officer)
	f.o2, f.o2Tok = e.memberLogin("officer2", officer)
	f.v, f.vTok = e.memberLogin("volunteer1", memberOpts{maxHours: 168})
	post := func(start, end string, priority int) (string, map[string]string) {
		d := e.demand(map[string]any{"start_local": start, "end_local": end, "problem_type": "student_asb", "priority": priority,
			"positions": []map[string]any{
				{"name": "Lead", "kinds": []string{"bank_officer"}, "skills": []string{}, "min_vetting": "NPPV1", "headcount": 2, "pay_band": "B2"},
				{"name": "Volunteer", "kinds": []string{"volunteer"}, "skills": []string{}, "min_vetting": "NPPV1", "headcount": 2}}})
		sh := d["shifts"].([]any)[0].(map[string]any)
		return sh["id"].(string), positionsOf(sh)
	}
	book := func(tok, shift, pos string) string {
		r := e.do(http.MethodPost, "/api/v1/shifts/"+shift+"/bookings", tok, map[string]any{"position_id": pos})
		if r.status != http.StatusCreated {
			t.Fatalf("book: %d %s", r.status, r.raw)
		}
		return r.body["id"].(string)
	}
	var pos map[string]string
	f.wed, pos = post("2027-01-06T18:00", "2027-01-07T02:00", 3)
	f.wedLead, f.wedVol = pos["Lead"], pos["Volunteer"]
	f.b1Wed, f.b2Wed, f.bvWed = book(f.o1Tok, f.wed, f.wedLead), book(f.o2Tok, f.wed, f.wedLead), book(f.vTok, f.wed, f.wedVol)
	f.fri, pos = post("2027-01-08T22:00", "2027-01-09T06:00", 5)
	f.b1Fri, f.bvFri = book(f.o1Tok, f.fri, pos["Lead"]), book(f.vTok, f.fri, pos["Volunteer"])
	f.mon, pos = post("2027-01-11T18:00", "2027-01-12T02:00", 3)
	f.b1Mon, f.b2Mon = book(f.o1Tok, f.mon, pos["Lead"]), book(f.o2Tok, f.mon, pos["Lead"])
	return f
}

// cancelMonday cancels Monday's bookings 12 hours before the start: o1 his
// own, o2's by the coordinator.
func (f *payFixture) cancelMonday(t *testing.T, e *env) {
	t.Helper()
	e.now.Store(ptr(time.Date(2027, 1, 11, 6, 0, 0, 0, time.UTC)))
	for _, c := range []struct{ tok, id string }{{f.o1Tok, f.b1Mon}, {e.coordinator, f.b2Mon}} {
		if r := e.do(http.MethodPost, "/api/v1/bookings/"+c.id+"/cancel", c.tok, map[string]any{}); r.status != http.StatusOK || r.body["late_cancel"] != true {
			t.Fatalf("late cancel: %d %s", r.status, r.raw)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestARosterIsRecordedWhollyOrNotAtAllAndCorrectionsKeepTheEarlierValues(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		f := newPayFixture(t, e)
		path := "/api/v1/shifts/" + f.wed + "/attendance"
		roster := map[string]any{"items": []map[string]any{
			{"booking_id": f.b1Wed, "status": "attended"}, {"booking_id": f.b2Wed, "status": "no_show"}}}
		if r := e.do(http.MethodPost, path, e.coordinator, roster); r.status != http.StatusConflict {
			t.Fatalf("before the start: %d %s", r.status, r.raw)
		}
		e.now.Store(ptr(time.Date(2027, 1, 7, 9, 0, 0, 0, time.UTC)))

		// One bad item: nothing is written, and the item is named.
		bad := map[string]any{"items": []map[string]any{
			{"booking_id": f.b1Wed, "status": "attended"}, {"booking_id": f.b1Fri, "status": "attended"}}}
		wantField(t, e.do(http.MethodPost, path, e.coordinator, bad), http.StatusUnprocessableEntity, "items[1].booking_id")
		bad = map[string]any{"items": []map[string]any{
			{"booking_id": f.b1Wed, "status": "attended"}, {"booking_id": f.b2Wed, "status": "came"}}}
		wantField(t, e.do(http.MethodPost, path, e.coordinator, bad), http.StatusUnprocessableEntity, "items[1].status")
		if r := e.do(http.MethodGet, "/api/v1/members/"+f.o1+"/bookings", e.coordinator, nil); !hasBookingStatus(r, f.b1Wed, "confirmed") {
			t.Fatalf("a refused roster changed a booking: %s", r.raw)
		}
		if r := e.do(http.MethodPost, path, f.o1Tok, roster); r.status != http.StatusForbidden {
			t.Fatalf("a member recorded the roster: %d %s", r.status, r.raw)
		}

		if r := e.do(http.MethodPost, path, e.coordinator, roster); r.status != http.StatusOK || len(r.body["items"].([]any)) != 2 {
			t.Fatalf("roster: %d %s", r.status, r.raw)
		}
		// A correction: o2 came after all, late.
		fix := map[string]any{"items": []map[string]any{{"booking_id": f.b2Wed, "status": "attended",
			"actual_start": "2027-01-06T19:00:00Z", "actual_end": "2027-01-07T02:00:00Z"}}}
		if r := e.do(http.MethodPost, path, e.coordinator, fix); r.status != http.StatusOK {
			t.Fatalf("correction: %d %s", r.status, r.raw)
		}
		var sawCorrection bool
		for _, a := range e.auditActions("booking.attendance") {
			before, _ := a["before"].(map[string]any)
			after, _ := a["after"].(map[string]any)
			if before["status"] == "no_show" && after["status"] == "attended" && after["actual_start"] == "2027-01-06T19:00:00Z" {
				sawCorrection = true
			}
		}
		if !sawCorrection {
			t.Fatal("the audit log does not keep the no-show the correction replaced")
		}

		// The volunteer submits theirs; the coordinator confirms it.
		vPath := "/api/v1/bookings/" + f.bvWed + "/attendance"
		if r := e.do(http.MethodPost, vPath+"/confirm", e.coordinator, nil); r.status != http.StatusConflict {
			t.Fatalf("confirm with nothing submitted: %d %s", r.status, r.raw)
		}
		if r := e.do(http.MethodPost, vPath, f.vTok, map[string]any{"status": "attended"}); r.status != http.StatusOK {
			t.Fatalf("submit: %d %s", r.status, r.raw)
		}
		if r := e.do(http.MethodPost, vPath+"/confirm", f.vTok, nil); r.status != http.StatusForbidden {
			t.Fatalf("a member confirmed their own attendance: %d %s", r.status, r.raw)
		}
		r := e.do(http.MethodPost, vPath+"/confirm", e.coordinator, nil)
		if att, _ := r.body["attendance"].(map[string]any); r.status != http.StatusOK || r.body["status"] != "attended" || att["submitted"] != false {
			t.Fatalf("confirm: %d %s", r.status, r.raw)
		}
	})
}

func hasBookingStatus(r resp, id, status string) bool {
	for _, it := range r.body["items"].([]any) {
		b := it.(map[string]any)
		if b["id"] == id {
			return b["status"] == status
		}
	}
	return false
}
