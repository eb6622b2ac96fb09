package web_test

import (
	"net/http"
	"testing"
	"time"
)

// workWednesday records the fixture's Wednesday roster: everyone came.
func (f *payFixture) workWednesday(t *testing.T, e *env) {
	t.Helper()
	e.now.Store(ptr(time.Date(2027, 1, 7, 9, 0, 0, 0, time.UTC)))
	roster := map[string]any{"items": []map[string]any{{"booking_id": f.b1Wed, "status": "attended"},
		{"booking_id": f.b2Wed, "status": "attended"}, {"booking_id": f.bvWed, "status": "attended"}}}
	if r := e.do(http.MethodPost, "/api/v1/shifts/"+f.wed+"/attendance", e.coordinator, roster); r.status != http.StatusOK {
		t.Fatalf("roster: %d %s", r.status, r.raw)
	}
}

func TestExpensesAreClaimedOnlyOnYourAttendedBookingAndDecidedByTheCoordinator(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		f := newPayFixture(t, e)
		f.workWednesday(t, e)
		count := func() int64 {
			var n int64
			if err := e.storeCount("SELECT count(*) FROM expenses WHERE member_id = ?", f.v, &n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		claim := func(tok, booking string, body map[string]any) resp {
			return e.do(http.MethodPost, "/api/v1/bookings/"+booking+"/expenses", tok, body)
		}
		mileage := map[string]any{"kind": "mileage", "miles": 12.5, "note": "home to Durham and back"}

		// Refusals, each naming what is wrong, none writing anything.
		wantField(t, claim(f.o1Tok, f.b1Fri, mileage), http.StatusUnprocessableEntity, "booking_id") // not attended
		wantField(t, claim(f.vTok, f.bvWed, map[string]any{"kind": "mileage", "miles": 12.5, "amount_pence": 900}),
			http.StatusUnprocessableEntity, "amount_pence")
		wantField(t, claim(f.vTok, f.bvWed, map[string]any{"kind": "mileage", "miles": -3}), http.StatusUnprocessableEntity, "miles")
		wantField(t, claim(f.vTok, f.bvWed, map[string]any{"kind": "other", "amount_pence": 12.5, "note": "parking"}),
			http.StatusUnprocessableEntity, "amount_pence")
		wantField(t, claim(f.vTok, f.bvWed, map[string]any{"kind": "taxi", "amount_pence": 500}), http.StatusUnprocessableEntity, "kind")
		if r := claim(f.o1Tok, f.bvWed, mileage); r.status != http.StatusNotFound {
			t.Fatalf("a claim on someone else's booking: %d %s", r.status, r.raw)
		}
		if r := claim(e.coordinator, f.bvWed, mileage); r.status != http.StatusForbidden {
			t.Fatalf("a coordinator claimed for the member: %d %s", r.status, r.raw)
		}
		if n := count(); n != 0 {
			t.Fatalf("refused claims wrote %d expenses", n)
		}

		// 12.5 miles at 45p is 562.5p, rounded to 563.
		r := claim(f.vTok, f.bvWed, mileage)
		if r.status != http.StatusCreated || r.body["amount_pence"] != 563.0 || r.body["status"] != "claimed" {
			t.Fatalf("mileage: %d %s", r.status, r.raw)
		}
		id := r.body["id"].(string)
		if r := e.do(http.MethodPost, "/api/v1/expenses/"+id+"/approve", f.vTok, nil); r.status != http.StatusForbidden {
			t.Fatalf("the member approved their own claim: %d %s", r.status, r.raw)
		}
		if r := e.do(http.MethodPost, "/api/v1/expenses/"+id+"/approve", e.coordinator, nil); r.status != http.StatusOK || r.body["status"] != "approved" {
			t.Fatalf("approve: %d %s", r.status, r.raw)
		}
		if r := e.do(http.MethodPost, "/api/v1/expenses/"+id+"/reject", e.coordinator, nil); r.status != http.StatusConflict {
			t.Fatalf("rejecting an approved claim: %d %s", r.status, r.raw)
		}
		other := claim(f.vTok, f.bvWed, map[string]any{"kind": "other", "amount_pence": 350, "note": "parking"})
		if other.status != http.StatusCreated {
			t.Fatalf("other: %d %s", other.status, other.raw)
		}
		if r := e.do(http.MethodPost, "/api/v1/expenses/"+other.body["id"].(string)+"/reject", e.coordinator, nil); r.body["status"] != "rejected" {
			t.Fatalf("reject: %d %s", r.status, r.raw)
		}
	})
}
