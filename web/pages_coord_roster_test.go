package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// bookingOf is one booking of a member's list, by id.
func bookingOf(t *testing.T, e *env, member, id string) map[string]any {
	t.Helper()
	r := e.do(http.MethodGet, "/api/v1/members/"+member+"/bookings", e.coordinator, nil)
	for _, it := range r.body["items"].([]any) {
		if b := it.(map[string]any); b["id"] == id {
			return b
		}
	}
	t.Fatalf("no booking %s: %s", id, r.raw)
	return nil
}

func TestCoordinatorRecordsAWholeRosterOnThePage(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		f := newPayFixture(t, e)
		path := "/coord/shifts/" + f.wed
		if p := coordBrowser(t, e).get(path); strings.Contains(p.body, "Record the roster") {
			t.Fatal("the roster form is shown before the shift has started")
		}
		e.now.Store(ptr(time.Date(2027, 1, 7, 9, 0, 0, 0, time.UTC)))
		b := coordBrowser(t, e)
		wantPage(t, b.get(path), http.StatusOK, "Record the roster", `action="/coord/shifts/`+f.wed+`/attendance"`,
			`id="start-`+f.b1Wed+`" name="start-`+f.b1Wed+`" type="time" value="18:00"`,
			`id="end-`+f.b2Wed+`" name="end-`+f.b2Wed+`" type="time" value="02:00"`,
			`id="status-`+f.b1Wed+`" name="status-`+f.b1Wed+`" type="radio" value="attended" checked`)

		form := func(endO1 string) url.Values {
			return url.Values{
				"status-" + f.b1Wed: {"attended"}, "start-" + f.b1Wed: {"18:30"}, "end-" + f.b1Wed: {endO1},
				"status-" + f.b2Wed: {"no_show"}, "start-" + f.b2Wed: {"18:00"}, "end-" + f.b2Wed: {"02:00"},
				"status-" + f.bvWed: {"attended"}, "start-" + f.bvWed: {"18:00"}, "end-" + f.bvWed: {"02:00"}}
		}
		t.Run("a finish before the start records nothing and is named beside its field, values kept", func(t *testing.T) {
			p := b.post(path, path+"/attendance", form("17:00"))
			wantPage(t, p, http.StatusUnprocessableEntity, `class="error-summary"`,
				`<a href="#end-`+f.b1Wed+`">officer1&#39;s finish must be after the start</a>`,
				`id="end-`+f.b1Wed+`-error"`, `value="17:00"`, `value="18:30"`,
				`id="status-`+f.b2Wed+`-no_show" name="status-`+f.b2Wed+`" type="radio" value="no_show" checked`)
			for _, c := range []struct{ member, id string }{{f.o1, f.b1Wed}, {f.o2, f.b2Wed}, {f.v, f.bvWed}} {
				if got := bookingOf(t, e, c.member, c.id)["status"]; got != "confirmed" {
					t.Errorf("a refused roster left booking %s %v", c.id, got)
				}
			}
		})
		t.Run("a member cannot post the roster", func(t *testing.T) {
			m := e.browser(t)
			m.signIn("officer1@example.org")
			wantPage(t, m.post("/shifts", path+"/attendance", form("02:00")), http.StatusNotFound)
			if got := bookingOf(t, e, f.o2, f.b2Wed)["status"]; got != "confirmed" {
				t.Errorf("a member's post recorded o2 as %v", got)
			}
		})
		t.Run("a time that is not a time is named", func(t *testing.T) {
			p := b.post(path, path+"/attendance", form("late"))
			wantPage(t, p, http.StatusUnprocessableEntity, `<a href="#end-`+f.b1Wed+`">Enter when officer1 finished as hours and minutes`)
			if got := bookingOf(t, e, f.o2, f.b2Wed)["status"]; got != "confirmed" {
				t.Errorf("a refused roster recorded o2 as %v", got)
			}
		})
		t.Run("the whole roster is recorded in one post, a night finish on the next morning", func(t *testing.T) {
			p := b.post(path, path+"/attendance", form("01:30"))
			if p.status != http.StatusSeeOther || p.header.Get("Location") != path {
				t.Fatalf("roster: %d to %q: %.800s", p.status, p.header.Get("Location"), p.body)
			}
			o1 := bookingOf(t, e, f.o1, f.b1Wed)
			att, _ := o1["attendance"].(map[string]any)
			if o1["status"] != "attended" || att["actual_start"] != "2027-01-06T18:30:00Z" || att["actual_end"] != "2027-01-07T01:30:00Z" {
				t.Errorf("o1: %v", o1)
			}
			if got := bookingOf(t, e, f.o2, f.b2Wed)["status"]; got != "no_show" {
				t.Errorf("o2 recorded as %v", got)
			}
			if got := bookingOf(t, e, f.v, f.bvWed)["status"]; got != "attended" {
				t.Errorf("the volunteer recorded as %v", got)
			}
			wantPage(t, b.get(path), http.StatusOK, "You recorded the roster of", "3 bookings",
				`id="end-`+f.b1Wed+`" name="end-`+f.b1Wed+`" type="time" value="01:30"`)
		})
	})
}
