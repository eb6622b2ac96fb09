package web_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// cell finds one hour of the week in a capacity answer.
func cell(t *testing.T, r resp, area, day string, hour int) (demand, available int) {
	t.Helper()
	for _, a := range r.body["areas"].([]any) {
		a := a.(map[string]any)
		if a["area"] != area {
			continue
		}
		for _, c := range a["cells"].([]any) {
			c := c.(map[string]any)
			if c["day"] == day && c["hour"] == float64(hour) {
				return int(c["demand"].(float64)), int(c["available"].(float64))
			}
		}
	}
	t.Fatalf("no %s %s %02d:00 in %s", area, day, hour, r.raw)
	return 0, 0
}

func TestCapacitySetsFridayNightAvailabilityAgainstDemandLessLeave(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		// Two Friday evening shifts of three places each, 20:00–00:00.
		e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour)), "rrule": "FREQ=WEEKLY;COUNT=2",
			"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "headcount": 3}}})
		// Two members free every Friday 19:00–23:00; one of them on leave the first Friday.
		var members []string
		for _, name := range []string{"free", "away"} {
			id := e.member(name, memberOpts{})
			members = append(members, id)
			if err := e.store.CreateAvailability(ctx, domain.Availability{ID: app.NewID(), MemberID: id, StartLocal: "2027-01-08T19:00",
				DurationMinutes: 240, TimeZone: "Europe/London", RRule: "FREQ=WEEKLY", CreatedAt: t0}); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.store.CreateLeave(ctx, domain.Leave{ID: app.NewID(), MemberID: members[1], From: domain.Date{Year: 2027, Month: 1, Day: 8},
			To: domain.Date{Year: 2027, Month: 1, Day: 8}, Reason: "holiday", CreatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		r := e.do(http.MethodGet, "/api/v1/reports/capacity?areas=DUR", e.coordinator, nil)
		if r.status != 200 {
			t.Fatalf("capacity: %d %s", r.status, r.raw)
		}
		// Four weeks from Monday 4 January hold four Fridays: both members
		// free on all but the first, when one is on leave.
		if d, a := cell(t, r, "DUR", "Friday", 21); d != 6 || a != 7 {
			t.Fatalf("Friday 21:00: demand %d available %d, want 6 and 7", d, a)
		}
		if d, a := cell(t, r, "DUR", "Friday", 19); d != 0 || a != 7 {
			t.Fatalf("Friday 19:00: demand %d available %d, want 0 and 7", d, a)
		}
		if d, _ := cell(t, r, "DUR", "Saturday", 0); d != 0 {
			t.Fatalf("the shift ends at midnight but Saturday 00:00 has demand %d", d)
		}
		if r := e.do(http.MethodGet, "/api/v1/reports/capacity?areas=NOPE", e.coordinator, nil); r.status != 422 || !has(fieldsOf(r), "areas") {
			t.Fatalf("unknown area: %d %s", r.status, r.raw)
		}

		b := coordBrowser(t, e)
		wantPage(t, b.get("/coord/capacity?area=DUR-N1"), http.StatusOK, `<svg`, `role="img"`, `<caption>Durham City, Friday</caption>`,
			`<th scope="row">21:00–22:00</th><td>6</td><td>7</td>`)
	})
}
