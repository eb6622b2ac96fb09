package web_test

import (
	"testing"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/web"
)

// Every answer env.do receives is checked against /api/openapi.json (see
// web.CheckAgainstOpenAPI). The authorisation matrix calls every API route
// as six callers; this makes sure each route has a cell answering 2xx, so
// that the check covers a real success body of every route (booking, shift,
// demand and member routes included), not only its problems. Three routes
// need a state the matrix's fixtures do not reach; other tests get their
// success through env.do.
func TestEveryAPIRouteHasASuccessThatIsCheckedAgainstTheDocument(t *testing.T) {
	e := newEnv(t, db.SQLite)
	succeeds := map[string]bool{
		"POST /api/v1/bookings/:id/attendance": true, // a started shift: TestErasureLeavesTheNameAndEmailNowhere
		"POST /api/v1/match-runs/:id/apply":    true, // a finished run: TestMatchRunFillsPlacesExplainsTheRestAndApplies
		"GET /api/v1/match-runs/:id/why-not":   true, // a finished run: TestWhyNotSaysTheRulesOrWhoWonTheTerms
		// a started shift: TestARosterIsRecordedWhollyOrNotAtAllAndCorrectionsKeepTheEarlierValues
		"POST /api/v1/shifts/:id/attendance":           true,
		"POST /api/v1/bookings/:id/attendance/confirm": true,
	}
	for _, row := range authzRows {
		for _, st := range row.want {
			if st >= 200 && st < 300 {
				succeeds[row.method+" "+row.route] = true
			}
		}
	}
	for _, k := range web.RouteKeys(e.srv) {
		if !succeeds[k] {
			t.Errorf("%s: no cell of the authorisation matrix answers 2xx, so no success body of it is checked against the document", k)
		}
	}
}
