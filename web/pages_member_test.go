package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var removeAvailabilityRe = regexp.MustCompile(`action="/availability/([^"/]+)/delete"`)

func TestMemberAvailabilityPage(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		samID, _ := e.memberLogin("sam", memberOpts{})
		sam := e.browser(t)
		sam.signIn("sam@example.org")

		t.Run("the form has a label or legend for every field and no error", func(t *testing.T) {
			p := sam.get("/availability")
			wantPage(t, p, http.StatusOK, "<legend>Days of the week</legend>", `<label for="days">Monday</label>`, `<label for="days-SU">Sunday</label>`,
				`<label for="start_date">`, `<label for="start_time">`, `<label for="hours">`, `<label for="until">`,
				`value="2027-01-04"`, `aria-describedby="hours-hint"`, "You have not added any availability yet", `href="/availability" aria-current="page"`)
			if strings.Contains(p.body, "error-summary") {
				t.Error("a fresh form shows an error")
			}
		})
		t.Run("the form writes a weekly RRULE starting on the first ticked day and shows the next occurrences", func(t *testing.T) {
			p := sam.post("/availability", "/availability", url.Values{"days": {"TH", "TU"}, "start_date": {"2027-01-04"},
				"start_time": {"18:00"}, "hours": {"4"}, "until": {"2027-03-31"}})
			if p.status != http.StatusSeeOther || p.header.Get("Location") != "/availability" {
				t.Fatalf("add: %d to %q: %.800s", p.status, p.header.Get("Location"), p.body)
			}
			avs, err := e.store.Availability(context.Background(), samID)
			if err != nil || len(avs) != 1 {
				t.Fatalf("stored %v, %v; want one window", avs, err)
			}
			if av := avs[0]; av.RRule != "FREQ=WEEKLY;BYDAY=TU,TH" || av.StartLocal != "2027-01-05T18:00" || av.DurationMinutes != 240 ||
				av.Until == nil || av.Until.String() != "2027-03-31" {
				t.Errorf("stored %+v, want FREQ=WEEKLY;BYDAY=TU,TH from 2027-01-05T18:00 for 240 minutes until 2027-03-31", av)
			}
			wantPage(t, sam.get("/availability"), http.StatusOK, "You added availability every Tuesday and Thursday from Tue 5 Jan 2027.",
				"Every Tuesday and Thursday, 18:00 for 4 hours, from Tue 5 Jan 2027 until Wed 31 Mar 2027",
				"<li>Tue 5 Jan 2027, 18:00–22:00</li>", "<li>Thu 7 Jan 2027, 18:00–22:00</li>", "<li>Thu 28 Jan 2027, 18:00–22:00</li>")
		})
		t.Run("errors name each field, link to it and keep every value", func(t *testing.T) {
			p := sam.post("/availability", "/availability", url.Values{"start_date": {"2027-01-04"}, "start_time": {"6pm"}, "hours": {"lots"}, "until": {"2027-02-30"}})
			wantPage(t, p, http.StatusUnprocessableEntity, `class="error-summary"`, "<title>Error: Availability",
				`<a href="#days">Choose at least one day of the week</a>`, `<a href="#start_time">Enter the start time`, `<a href="#hours">Enter the length in hours`,
				`<a href="#until">Enter the until date`, `aria-describedby="days-hint days-error"`, `aria-describedby="start_time-hint start_time-error"`,
				`id="start_time-error"`, `aria-describedby="hours-hint hours-error"`, `value="6pm"`, `value="lots"`, `value="2027-02-30"`, `value="2027-01-04"`)
			p = sam.post("/availability", "/availability", url.Values{"days": {"SA"}, "start_date": {"2027-01-04"}, "start_time": {"09:00"}, "hours": {"30"}})
			wantPage(t, p, http.StatusUnprocessableEntity, `<a href="#hours">The length must be`, `value="SA" checked`, `value="30"`)
		})
		t.Run("a window is removed with its button", func(t *testing.T) {
			m := removeAvailabilityRe.FindStringSubmatch(sam.get("/availability").body)
			if m == nil {
				t.Fatal("no Remove button")
			}
			other := e.browser(t)
			e.memberLogin("ben", memberOpts{})
			other.signIn("ben@example.org")
			wantPage(t, other.post("/availability", "/availability/"+m[1]+"/delete", nil), http.StatusNotFound)
			p := sam.post("/availability", "/availability/"+m[1]+"/delete", nil)
			if p.status != http.StatusSeeOther {
				t.Fatalf("remove: %d %.400s", p.status, p.body)
			}
			wantPage(t, sam.get("/availability"), http.StatusOK, "You removed the availability.", "You have not added any availability yet", "No times in the next four weeks")
		})
		t.Run("an account without a member record is told so", func(t *testing.T) {
			b := e.browser(t)
			b.signIn("coord@example.org")
			wantPage(t, b.get("/availability"), http.StatusOK, "not linked to a member record")
			wantPage(t, b.post("/availability", "/availability", url.Values{"days": {"MO"}}), http.StatusForbidden)
		})
	})
}

func TestMemberLeavePage(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.memberLogin("sam", memberOpts{})
		sam := e.browser(t)
		sam.signIn("sam@example.org")
		wantPage(t, sam.get("/leave"), http.StatusOK, `<label for="from">`, `<label for="to">`, `<label for="reason">`, "You have no leave booked")
		p := sam.post("/leave", "/leave", url.Values{"from": {"2027-02-01"}, "to": {"2027-02-05"}, "reason": {"holiday"}})
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/leave" {
			t.Fatalf("add leave: %d %.600s", p.status, p.body)
		}
		wantPage(t, sam.get("/leave"), http.StatusOK, "You are on leave from Mon 1 Feb 2027 to Fri 5 Feb 2027.", "Mon 1 Feb 2027 to Fri 5 Feb 2027", "holiday")
		t.Run("errors from the use case link to the field and keep the values", func(t *testing.T) {
			p := sam.post("/leave", "/leave", url.Values{"from": {"2027-03-10"}, "to": {"2027-03-01"}, "reason": {"trip"}})
			wantPage(t, p, http.StatusUnprocessableEntity, `<a href="#to">The last day must not be before from</a>`,
				`aria-describedby="to-hint to-error"`, `value="2027-03-10"`, `value="2027-03-01"`, `value="trip"`)
			p = sam.post("/leave", "/leave", url.Values{"from": {"2027-03-01"}, "to": {"soon"}})
			wantPage(t, p, http.StatusUnprocessableEntity, `<a href="#to">The last day must be a date like`, `value="soon"`)
			p = sam.post("/leave", "/leave", url.Values{"from": {""}, "to": {""}})
			wantPage(t, p, http.StatusUnprocessableEntity, `<a href="#from">Enter the first day of your leave</a>`, `<a href="#to">Enter the last day of your leave</a>`)
		})
	})
}

var calendarURLRe = regexp.MustCompile(`id="calendar-url" type="text" readonly value="([^"]+)"`)

func TestMemberGetsACalendarLinkFromMyShifts(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.memberLogin("sam", memberOpts{})
		sam := e.browser(t)
		sam.signIn("sam@example.org")
		wantPage(t, sam.get("/my-shifts"), http.StatusOK, `action="/my-shifts/calendar-link"`, "Get my calendar link")
		p := sam.post("/my-shifts", "/my-shifts/calendar-link", nil)
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/my-shifts/calendar-link" {
			t.Fatalf("new link: %d %q %.400s", p.status, p.header.Get("Location"), p.body)
		}
		page := sam.get("/my-shifts/calendar-link")
		wantPage(t, page, http.StatusOK, `<label for="calendar-url">Your calendar address</label>`, "Keep it private")
		m := calendarURLRe.FindStringSubmatch(page.body)
		if m == nil || !strings.Contains(m[1], "/calendar/") || !strings.HasSuffix(m[1], ".ics") {
			t.Fatalf("no calendar address on the page: %.1500s", page.body)
		}
		feed := e.do(http.MethodGet, strings.TrimPrefix(m[1], strings.TrimRight(e.app.Config.BaseURL, "/")), "", nil)
		if feed.status != http.StatusOK || !strings.Contains(string(feed.raw), "BEGIN:VCALENDAR") {
			t.Errorf("the address does not open a calendar: %d %.200s", feed.status, feed.raw)
		}
		if calendarURLRe.MatchString(sam.get("/my-shifts/calendar-link").body) {
			t.Error("the address is shown a second time")
		}
	})
}
