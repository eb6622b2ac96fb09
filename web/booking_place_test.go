package web_test

import (
	"net/http"
	"testing"
	"time"
)

func TestBookingsSayWhereTheyAreInEveryList(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		id, token := e.memberLogin("sam", memberOpts{})
		sh := shiftsOf(e.demand(map[string]any{"title": "Market square patrol", "start_local": local(friday),
			"end_local": local(friday.Add(4 * time.Hour)), "booking_mode": "approval"}))[0]
		booked := e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", token, map[string]any{"position_id": sh[1]})
		if booked.status != 201 {
			t.Fatalf("book: %d %s", booked.status, booked.raw)
		}
		check := func(where string, b map[string]any) {
			t.Helper()
			shift, _ := b["shift"].(map[string]any)
			area, _ := shift["area"].(map[string]any)
			position, _ := b["position"].(map[string]any)
			if shift["id"] != sh[0] || shift["title"] != "Market square patrol" || shift["start"] != "2027-01-08T20:00:00Z" ||
				shift["end"] != "2027-01-09T00:00:00Z" || area["code"] != "DUR-N1" || area["name"] != "Durham City" ||
				position["id"] != sh[1] || position["name"] != "Patrol" {
				t.Errorf("%s: the booking does not say where it is: shift %v, position %v", where, shift, position)
			}
		}
		check("the booking's answer", booked.body)

		mine := itemsOf(t, e.do(http.MethodGet, "/api/v1/members/"+id+"/bookings", token, nil))
		if len(mine) != 1 {
			t.Fatalf("member bookings: %v", mine)
		}
		check("the member's bookings", mine[0])

		roster := e.do(http.MethodGet, "/api/v1/shifts/"+sh[0], e.coordinator, nil)
		bookings, _ := roster.body["bookings"].([]any)
		if len(bookings) != 1 {
			t.Fatalf("roster: %s", roster.raw)
		}
		check("the shift's roster", bookings[0].(map[string]any))

		own := e.do(http.MethodGet, "/api/v1/shifts/"+sh[0], token, nil)
		myBookings, _ := own.body["my_bookings"].([]any)
		if len(myBookings) != 1 {
			t.Fatalf("my bookings on the shift: %s", own.raw)
		}
		check("the member's bookings on the shift", myBookings[0].(map[string]any))

		listed := itemsOf(t, e.do(http.MethodGet, "/api/v1/shifts?from=2027-01-08&to=2027-01-08", e.coordinator, nil))
		if len(listed) != 1 || len(listed[0]["bookings"].([]any)) != 1 {
			t.Fatalf("shift list: %v", listed)
		}
		check("the shift list's roster", listed[0]["bookings"].([]any)[0].(map[string]any))

		approved := e.do(http.MethodPost, "/api/v1/bookings/"+booked.body["id"].(string)+"/approve", e.coordinator, nil)
		check("the approval's answer", approved.body)
	})
}
