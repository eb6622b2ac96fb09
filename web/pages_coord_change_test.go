package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

func TestACoordinatorChangesASeriesAndStaffsAShiftFromThePages(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		b := coordBrowser(t, e)
		d := e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour)), "rrule": "FREQ=WEEKLY;COUNT=2"})
		id, shifts := d["id"].(string), shiftsOf(d)
		novice := e.member("Nina Novice", memberOpts{noFirstAid: true})
		if r := e.do(http.MethodPost, "/api/v1/shifts/"+shifts[0][0]+"/bookings", e.coordinator, map[string]any{"position_id": shifts[0][1], "member_id": novice}); r.status != 201 {
			t.Fatalf("book: %s", r.raw)
		}
		edit := "/coord/demands/" + id + "/edit"

		t.Run("the edit form shows the demand with a row to add a position", func(t *testing.T) {
			wantPage(t, b.get(edit), http.StatusOK, `value="Evening patrol"`, `id="start_time"`, `value="20:00"`,
				`<label for="positions-1-name">`, `Cancel every shift yet to start`)
		})
		t.Run("a bad number is named beside its field and in the summary, values kept", func(t *testing.T) {
			f := url.Values{"title": {"Evening patrol"}, "start_time": {"20:00"}, "end_time": {"00:00"}, "positions-0-name": {"Patrol"},
				"positions-0-kinds": {"volunteer"}, "positions-0-min_vetting": {"NPPV1"}, "positions-0-headcount": {"two"},
				"positions-1-name": {"Driver"}}
			p := b.post(edit, edit, f)
			wantPage(t, p, http.StatusUnprocessableEntity, `class="error-summary"`, `href="#positions-0-headcount"`,
				`id="positions-0-headcount-error"`, `href="#positions-1-headcount"`, `value="Driver"`)
		})
		t.Run("requiring first aid cancels the novice and says why", func(t *testing.T) {
			f := url.Values{"title": {"Evening patrol"}, "start_time": {"19:00"}, "end_time": {"23:00"}, "positions-0-name": {"Patrol"},
				"positions-0-kinds": {"volunteer", "bank_officer"}, "positions-0-skills": {"first_aid"}, "positions-0-min_vetting": {"NPPV1"},
				"positions-0-headcount": {"2"}}
			p := b.post(edit, edit, f)
			wantPage(t, p, http.StatusOK, "Changes saved", "Nina Novice", "a required skill is missing")
			r := e.do(http.MethodGet, "/api/v1/shifts/"+shifts[0][0], e.coordinator, nil)
			if r.body["start"] != "2027-01-08T19:00:00Z" {
				t.Fatalf("the shift did not move to 19:00: %s", r.raw)
			}
		})
		roster := "/coord/shifts/" + shifts[0][0]
		able := e.member("Alex Able", memberOpts{})
		t.Run("the finder lists members with the rules they fail and books one", func(t *testing.T) {
			e.member("Alex Unskilled", memberOpts{noFirstAid: true})
			p := b.get(roster + "?find=1&position=" + shifts[0][1] + "&q=alex")
			wantPage(t, p, http.StatusOK, "Alex Able", "Passes every rule", "Alex Unskilled", "a required skill is missing")
			p = b.post(roster, roster+"/book", url.Values{"member_id": {able}, "position_id": {shifts[0][1]}})
			if p.status != http.StatusSeeOther {
				t.Fatalf("book: %d %.300s", p.status, p.body)
			}
			wantPage(t, b.get(roster), http.StatusOK, "You booked Alex Able", "<h3>Alex Able</h3>", "Cancel booking")
		})
		t.Run("cancelling the shift lists the booking cancelled", func(t *testing.T) {
			p := b.post(roster, roster+"/cancel", url.Values{"reason": {"road closed"}})
			wantPage(t, p, http.StatusOK, "Cancelled the shift", "Alex Able", "the shift has started or been cancelled")
		})
	})
}
