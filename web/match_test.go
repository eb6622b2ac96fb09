package web_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/copbank/copbank/domain"
)

func TestMatchRunFillsPlacesExplainsTheRestAndApplies(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		// Two shifts needing first aid, two places each; three members have
		// it, three do not.
		d := e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour)),
			"rrule": "FREQ=WEEKLY;COUNT=2", "priority": 4,
			"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "skills": []string{"first_aid"}, "headcount": 2}}})
		var withAid []string
		for i := 0; i < 3; i++ {
			withAid = append(withAid, e.member(fmt.Sprintf("aid%d", i), memberOpts{}))
			e.member(fmt.Sprintf("noaid%d", i), memberOpts{noFirstAid: true})
		}
		shifts := shiftsOf(d)
		// One place is already taken by a self-booking: it stays.
		taken := e.do(http.MethodPost, "/api/v1/shifts/"+shifts[0][0]+"/bookings", e.coordinator, map[string]any{"position_id": shifts[0][1], "member_id": withAid[0]})
		if taken.status != 201 {
			t.Fatalf("book: %s", taken.raw)
		}

		r := e.do(http.MethodPost, "/api/v1/match-runs", e.coordinator, map[string]any{"areas": []string{"DUR"}, "from": "2027-01-04", "to": "2027-01-17", "time_limit_ms": 300, "seed": 7})
		if r.status != 202 || r.body["status"] != "queued" {
			t.Fatalf("start: %d %s", r.status, r.raw)
		}
		id := r.body["id"].(string)
		if ran, err := e.app.RunNextMatch(context.Background(), "test", nil); err != nil || !ran {
			t.Fatalf("run: %v %v", ran, err)
		}
		run := e.do(http.MethodGet, "/api/v1/match-runs/"+id, e.coordinator, nil)
		if run.body["status"] != "done" || run.body["progress"] != float64(1) {
			t.Fatalf("run: %s", run.raw)
		}
		metrics := run.body["metrics"].(map[string]any)
		if metrics["places"] != float64(4) || metrics["filled"] != float64(4) {
			t.Fatalf("metrics %v, want all 4 places filled (1 booked + 3 proposed)", metrics)
		}
		proposals := run.body["proposals"].([]any)
		if len(proposals) != 3 {
			t.Fatalf("%d proposals, want 3: %s", len(proposals), run.raw)
		}
		for _, p := range proposals {
			pr := p.(map[string]any)
			if !has(withAid, pr["member_id"].(string)) {
				t.Fatalf("a member without first aid was proposed: %v", pr)
			}
			if len(pr["reasons"].([]any)) == 0 {
				t.Fatalf("a proposal without reasons: %v", pr)
			}
		}

		// Meanwhile the member proposed for the first Friday books something
		// else at that time: applying must report it, not force it.
		var onFirst map[string]any
		for _, p := range proposals {
			if pr := p.(map[string]any); pr["shift_id"] == shifts[0][0] {
				onFirst = pr
			}
		}
		if onFirst == nil {
			t.Fatalf("no proposal for the first Friday's free place: %s", run.raw)
		}
		clash := shiftsOf(e.demand(map[string]any{"area": "DUR", "start_local": local(friday.Add(time.Hour)), "end_local": local(friday.Add(2 * time.Hour))}))[0]
		if b := e.do(http.MethodPost, "/api/v1/shifts/"+clash[0]+"/bookings", e.coordinator, map[string]any{"position_id": clash[1], "member_id": onFirst["member_id"]}); b.status != 201 {
			t.Fatalf("clash: %s", b.raw)
		}
		applied := e.do(http.MethodPost, "/api/v1/match-runs/"+id+"/apply", e.coordinator, nil)
		if applied.status != 200 || applied.body["status"] != "applied" {
			t.Fatalf("apply: %d %s", applied.status, applied.raw)
		}
		report := applied.body["apply_report"].(map[string]any)
		notApplied := report["not_applied"].([]any)
		if report["applied"] != float64(2) || len(notApplied) != 1 {
			t.Fatalf("report %v, want 2 applied and the clashing one reported", report)
		}
		for _, n := range notApplied {
			if !has(toStrings(n.(map[string]any)["rules"]), "no_overlap") {
				t.Fatalf("not applied for an unexpected rule: %v", n)
			}
		}
		for _, s := range shifts {
			if got := e.activeOn(s[0], s[1]); got > 2 {
				t.Fatalf("%d active on a place of 2", got)
			}
		}
		if again := e.do(http.MethodPost, "/api/v1/match-runs/"+id+"/apply", e.coordinator, nil); again.status != 409 {
			t.Fatalf("a second apply: %d", again.status)
		}
	})
}

func TestOpenPlacesAreExplainedByRule(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour)),
			"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "skills": []string{"first_aid"}, "min_vetting": "NPPV3", "headcount": 1}}})
		for i := 0; i < 3; i++ {
			e.member(fmt.Sprintf("noaid%d", i), memberOpts{noFirstAid: true})
		}
		e.member("nppv2", memberOpts{})
		r := e.do(http.MethodPost, "/api/v1/match-runs", e.coordinator, map[string]any{"from": "2027-01-08", "to": "2027-01-08", "time_limit_ms": 200})
		if r.status != 202 {
			t.Fatalf("start: %s", r.raw)
		}
		if _, err := e.app.RunNextMatch(context.Background(), "test", nil); err != nil {
			t.Fatal(err)
		}
		run := e.do(http.MethodGet, "/api/v1/match-runs/"+r.body["id"].(string), e.coordinator, nil)
		open := run.body["open"].([]any)
		if len(open) != 1 {
			t.Fatalf("open places: %s", run.raw)
		}
		excluded := open[0].(map[string]any)["excluded"].(map[string]any)
		// Every member lacks NPPV3; three also lack first aid.
		if excluded["vetting_valid"] != float64(4) || excluded["skills_valid"] != float64(3) {
			t.Fatalf("excluded %v, want vetting_valid 4 and skills_valid 3", excluded)
		}
	})
}

func TestMatchRunRequestsAreValidated(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		_, member := e.memberLogin("sam", memberOpts{})
		if r := e.do(http.MethodPost, "/api/v1/match-runs", member, map[string]any{"from": "2027-01-04", "to": "2027-01-10"}); r.status != 403 {
			t.Fatalf("a member starting a run: %d", r.status)
		}
		r := e.do(http.MethodPost, "/api/v1/match-runs", e.coordinator, map[string]any{"areas": []string{"NOPE"}, "from": "2027-01-10", "to": "2027-01-04"})
		if r.status != 422 || !has(fieldsOf(r), "areas[0]") || !has(fieldsOf(r), "to") {
			t.Fatalf("bad run: %d %s", r.status, r.raw)
		}
	})
}

func TestApplyingARunWhilePeopleBookNeverBreaksAnInvariant(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		d := e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour)), "rrule": "FREQ=DAILY;COUNT=3",
			"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "headcount": 3}}})
		shifts := shiftsOf(d)
		var tokens []string
		for i := 0; i < 8; i++ {
			_, tok := e.memberLogin(fmt.Sprintf("m%d", i), memberOpts{})
			tokens = append(tokens, tok)
		}
		r := e.do(http.MethodPost, "/api/v1/match-runs", e.coordinator, map[string]any{"from": "2027-01-08", "to": "2027-01-10", "time_limit_ms": 200})
		if _, err := e.app.RunNextMatch(context.Background(), "test", nil); err != nil {
			t.Fatal(err)
		}
		id := r.body["id"].(string)
		rs := parallel(1+len(tokens)*len(shifts), func(i int) resp {
			if i == 0 {
				return e.do(http.MethodPost, "/api/v1/match-runs/"+id+"/apply", e.coordinator, map[string]any{"confirm": true})
			}
			k := i - 1
			sh := shifts[k%len(shifts)]
			return e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", tokens[k/len(shifts)], map[string]any{"position_id": sh[1]})
		})
		for _, r := range rs {
			if r.status >= 500 {
				t.Fatalf("server error: %s", r.raw)
			}
		}
		if rs[0].status != 200 {
			t.Fatalf("apply: %d %s", rs[0].status, rs[0].raw)
		}
		for _, sh := range shifts {
			if got := e.activeOn(sh[0], sh[1]); got > 3 {
				t.Fatalf("%d active bookings on a place of 3", got)
			}
		}
		all, err := e.store.BookingsBetween(context.Background(), t0, t0.AddDate(0, 1, 0), domain.BookingOffered, domain.BookingPending, domain.BookingConfirmed)
		if err != nil {
			t.Fatal(err)
		}
		for i, a := range all {
			for _, b := range all[i+1:] {
				if a.MemberID == b.MemberID && a.Start.Before(b.End) && b.Start.Before(a.End) {
					t.Fatalf("member %s holds overlapping bookings %s and %s", a.MemberID, a.ID, b.ID)
				}
			}
		}
	})
}
