package web_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/copbank/copbank/domain"
)

// The pricing table again, end to end: each hand-worked case is a shift
// booked, worked and recorded through the API, and the pay report prices it
// to the penny, on both databases.
func TestThePayReportPricesEachHandWorkedCase(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.now.Store(ptr(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)))
		for _, rate := range []map[string]any{
			{"code": "B2", "name": "Band 2", "rate_pence": 1850, "effective_from": "2026-01-01"},
			{"code": "B2", "name": "Band 2", "rate_pence": 2000, "effective_from": "2027-07-01"},
		} {
			if r := e.do(http.MethodPost, "/api/v1/pay-bands", e.admin, rate); r.status != http.StatusCreated {
				t.Fatalf("band: %d %s", r.status, r.raw)
			}
		}
		cases := []struct {
			name, start, end string
			amount, minutes  float64
		}{
			{"a plain weekday day shift", "2027-01-06T09:00", "2027-01-06T17:00", 14800, 480},
			{"18:00 to 02:00 on a Wednesday", "2027-01-06T18:00", "2027-01-07T02:00", 18130, 480},
			{"Friday 22:00 to Saturday 06:00", "2027-01-08T22:00", "2027-01-09T06:00", 21460, 480},
			{"a bank holiday night (Boxing Day's substitute)", "2026-12-28T22:00", "2026-12-29T06:00", 21830, 480},
			{"eight wall-clock hours across the spring change", "2026-03-28T20:00", "2026-03-29T04:00", 19425, 420},
			{"eight wall-clock hours across the autumn change", "2026-10-24T20:00", "2026-10-25T04:00", 24975, 540},
			{"the day before the rate changes", "2027-06-30T16:00", "2027-06-30T20:00", 7400, 240},
			{"the first local hour of the new rate (still 30 June in UTC)", "2027-07-01T00:30", "2027-07-01T04:30", 10400, 240},
		}
		type worked struct{ member, shift, booking string }
		var ws []worked
		for i, c := range cases {
			id, tok := e.memberLogin("paid"+string(rune('a'+i)), memberOpts{kinds: []domain.Kind{domain.KindBankOfficer}, maxHours: 168})
			d := e.demand(map[string]any{"start_local": c.start, "end_local": c.end, "positions": []map[string]any{
				{"name": "Lead", "kinds": []string{"bank_officer"}, "skills": []string{}, "min_vetting": "NPPV1", "headcount": 1, "pay_band": "B2"}}})
			sh := shiftsOf(d)[0]
			r := e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", tok, map[string]any{"position_id": sh[1]})
			if r.status != http.StatusCreated {
				t.Fatalf("%s: book: %d %s", c.name, r.status, r.raw)
			}
			ws = append(ws, worked{id, sh[0], r.body["id"].(string)})
		}
		// Months later, with fresh tokens, the coordinator records every roster.
		e.now.Store(ptr(time.Date(2027, 7, 20, 9, 0, 0, 0, time.UTC)))
		fresh := func(email string) string {
			tok, err := e.app.Login(context.Background(), email, "a long test password", "127.0.0.1")
			if err != nil {
				t.Fatal(err)
			}
			return tok.Token
		}
		coord, admin := fresh("coord@example.org"), fresh("admin@example.org")
		for _, w := range ws {
			roster := map[string]any{"items": []map[string]any{{"booking_id": w.booking, "status": "attended"}}}
			if r := e.do(http.MethodPost, "/api/v1/shifts/"+w.shift+"/attendance", coord, roster); r.status != http.StatusOK {
				t.Fatalf("roster: %d %s", r.status, r.raw)
			}
		}
		lines := items(t, e.do(http.MethodGet, "/api/v1/reports/pay?from=2026-03-01&to=2027-07-19", admin, nil))
		byMember := map[string]map[string]any{}
		for _, l := range lines {
			byMember[l["member_id"].(string)] = l
		}
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				l := byMember[ws[i].member]
				if l == nil || l["amount_pence"] != c.amount || l["minutes"] != c.minutes {
					t.Fatalf("got %v, want %v pence for %v minutes", l, c.amount, c.minutes)
				}
			})
		}
	})
}
