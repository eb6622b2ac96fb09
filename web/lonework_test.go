package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// loneBooking posts a lone-working shift in DUR-N1 starting at start for an
// hour, and books the member on it; it returns the booking ID.
func (e *env) loneBooking(token string, start time.Time, lone bool) string {
	e.t.Helper()
	d := e.demand(map[string]any{"start_local": local(start), "end_local": local(start.Add(time.Hour)), "lone_working": lone})
	if d["lone_working"] != lone {
		e.t.Fatalf("demand lone_working = %v, want %v", d["lone_working"], lone)
	}
	sh := shiftsOf(d)[0]
	r := e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", token, map[string]any{"position_id": sh[1]})
	if r.status != http.StatusCreated {
		e.t.Fatalf("book: %d %s", r.status, r.raw)
	}
	return r.body["id"].(string)
}

func TestDutyOnSomeoneElsesBookingIsNotFoundAndChangesNothing(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		_, tokA := e.memberLogin("dutya", memberOpts{})
		_, tokB := e.memberLogin("dutyb", memberOpts{})
		start := t0.Add(48 * time.Hour)
		id := e.loneBooking(tokA, start, true)
		e.advance(start.Add(-10 * time.Minute).Sub(t0))
		for _, tok := range []string{tokB, e.coordinator, e.admin} {
			for _, what := range []string{"on-duty", "off-duty"} {
				if r := e.do(http.MethodPost, "/api/v1/bookings/"+id+"/"+what, tok, map[string]any{"lat": 54.7, "lon": -1.5}); r.status != http.StatusNotFound {
					t.Errorf("%s on someone else's booking: %d %s, want 404", what, r.status, r.raw)
				}
			}
		}
		if _, found, err := e.store.DutyRecord(context.Background(), id); err != nil || found {
			t.Fatalf("someone else's tries left a duty record (%v)", err)
		}
		r := e.do(http.MethodPost, "/api/v1/bookings/"+id+"/off-duty", tokA, nil)
		if r.status != http.StatusConflict || !has(rulesOf(r), domain.RuleOnDutyFirst) {
			t.Fatalf("off duty before on duty: %d %s", r.status, r.raw)
		}
		r = e.do(http.MethodPost, "/api/v1/bookings/"+id+"/on-duty", tokA, map[string]any{"lat": 54.7, "lon": -1.5})
		if r.status != http.StatusOK || r.body["on_duty_at"] == nil || r.body["on_duty_location"] == nil {
			t.Fatalf("on duty: %d %s", r.status, r.raw)
		}
		r = e.do(http.MethodPost, "/api/v1/bookings/"+id+"/off-duty", tokA, nil)
		if r.status != http.StatusOK || r.body["off_duty_at"] == nil {
			t.Fatalf("off duty: %d %s", r.status, r.raw)
		}
	})
}

func TestDutyIsRefusedTooEarlyAndOnAShiftThatIsNotLoneWorking(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		_, tok := e.memberLogin("early", memberOpts{})
		start := t0.Add(48 * time.Hour)
		lone := e.loneBooking(tok, start, true)
		plain := e.loneBooking(tok, start.Add(3*time.Hour), false)
		e.advance(start.Add(-31 * time.Minute).Sub(t0))
		r := e.do(http.MethodPost, "/api/v1/bookings/"+lone+"/on-duty", tok, nil)
		if r.status != http.StatusConflict || !has(rulesOf(r), domain.RuleOnDutyWindow) || !strings.Contains(r.body["detail"].(string), "30 minutes") {
			t.Fatalf("31 minutes early: %d %s", r.status, r.raw)
		}
		r = e.do(http.MethodPost, "/api/v1/bookings/"+plain+"/on-duty", tok, nil)
		if r.status != http.StatusConflict || !has(rulesOf(r), domain.RuleLoneWorking) {
			t.Fatalf("not lone working: %d %s", r.status, r.raw)
		}
		r = e.do(http.MethodPost, "/api/v1/bookings/"+lone+"/on-duty", tok, map[string]any{"lat": 54.7})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("lat without lon: %d %s", r.status, r.raw)
		}
		e.advance(time.Minute)
		if r = e.do(http.MethodPost, "/api/v1/bookings/"+lone+"/on-duty", tok, nil); r.status != http.StatusOK {
			t.Fatalf("30 minutes early: %d %s", r.status, r.raw)
		}
	})
}

func TestEmergencyContactIsSeenOnlyByCoordinatorsInScopeDuringAnOpenWelfareAlert(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		idA, tokA := e.memberLogin("lonea", memberOpts{})
		idB, tokB := e.memberLogin("loneb", memberOpts{})
		cle := e.mustArea(domain.Area{ID: app.NewID(), Code: "CLE", Name: "Cleveland", Kind: domain.AreaForce})
		out := e.login("cout@example.org", []domain.Role{domain.RoleCoordinator}, "", []string{cle.ID})
		const contactPhone = "07700 900987"

		r := e.do(http.MethodPatch, "/api/v1/members/"+idA, tokA, map[string]any{"emergency_contact": map[string]any{"name": "Robin Kin", "phone": ""}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.raw), "emergency_contact.phone") {
			t.Fatalf("a contact without a phone: %d %s", r.status, r.raw)
		}
		r = e.do(http.MethodPatch, "/api/v1/members/"+idA, tokB, map[string]any{"emergency_contact": map[string]any{"name": "Robin Kin", "phone": contactPhone}})
		if r.status != http.StatusNotFound {
			t.Fatalf("member B sets A's contact: %d", r.status)
		}
		r = e.do(http.MethodPatch, "/api/v1/members/"+idA, tokA, map[string]any{"emergency_contact": map[string]any{"name": "Robin Kin", "phone": contactPhone}})
		if r.status != http.StatusOK || strings.Contains(string(r.raw), contactPhone) {
			t.Fatalf("A records their contact: %d %s", r.status, r.raw)
		}
		start := t0.Add(48 * time.Hour)
		booking := e.loneBooking(tokA, start, true)
		e.loneBooking(tokB, start, true)

		hidden := func(when string) {
			t.Helper()
			for _, c := range []struct{ who, path, tok string }{
				{"member B", "/api/v1/members/" + idA, tokB}, {"coordinator in scope", "/api/v1/members/" + idA, e.coordinator},
				{"admin", "/api/v1/members/" + idA, e.admin}, {"admin", "/api/v1/members/" + idB + "/export", e.admin},
				{"member B", "/api/v1/members/" + idB + "/export", tokB}, {"out of scope", "/api/v1/welfare-alerts", out},
				{"coordinator in scope", "/api/v1/members/" + idA + "/bookings", e.coordinator},
			} {
				if r := e.do(http.MethodGet, c.path, c.tok, nil); strings.Contains(string(r.raw), contactPhone) {
					t.Errorf("%s: %s sees the emergency contact at %s", when, c.who, c.path)
				}
			}
		}
		hidden("before any alert")
		if r := e.do(http.MethodGet, "/api/v1/welfare-alerts", e.coordinator, nil); r.status != http.StatusOK || len(r.body["items"].([]any)) != 0 {
			t.Fatalf("alerts before any: %d %s", r.status, r.raw)
		}
		if x := e.do(http.MethodGet, "/api/v1/members/"+idA+"/export", tokA, nil); !strings.Contains(string(x.raw), contactPhone) {
			t.Errorf("A's own subject-access export leaves out their emergency contact")
		}

		// B books off duty in time; A does not.
		e.advance(start.Add(-5 * time.Minute).Sub(t0))
		bBooking := e.do(http.MethodGet, "/api/v1/members/"+idB+"/bookings", tokB, nil).body["items"].([]any)[0].(map[string]any)["id"].(string)
		for _, p := range []string{"on-duty", "off-duty"} {
			if r := e.do(http.MethodPost, "/api/v1/bookings/"+bBooking+"/"+p, tokB, nil); r.status != http.StatusOK {
				t.Fatalf("B %s: %d %s", p, r.status, r.raw)
			}
		}
		e.advance(time.Hour + 35*time.Minute)
		if _, err := e.app.SendWelfareChecks(ctx); err != nil {
			t.Fatal(err)
		}
		hidden("during A's alert")
		for _, tok := range []string{tokA, tokB} {
			if r := e.do(http.MethodGet, "/api/v1/welfare-alerts", tok, nil); r.status != http.StatusForbidden {
				t.Errorf("a member lists welfare alerts: %d", r.status)
			}
		}
		r = e.do(http.MethodGet, "/api/v1/welfare-alerts?open=true", e.coordinator, nil)
		items, _ := r.body["items"].([]any)
		if r.status != http.StatusOK || len(items) != 1 {
			t.Fatalf("alerts in scope: %d %s", r.status, r.raw)
		}
		alert := items[0].(map[string]any)
		ec, _ := alert["emergency_contact"].(map[string]any)
		if alert["booking_id"] != booking || alert["status"] != "open" || ec == nil || ec["phone"] != contactPhone || ec["name"] != "Robin Kin" {
			t.Fatalf("the alert in scope: %s", r.raw)
		}
		alertID := alert["id"].(string)
		if r := e.do(http.MethodPost, "/api/v1/welfare-alerts/"+alertID+"/close", out, map[string]any{"note": "found"}); r.status != http.StatusNotFound {
			t.Errorf("close out of scope: %d", r.status)
		}
		r = e.do(http.MethodPost, "/api/v1/welfare-alerts/"+alertID+"/close", e.coordinator, map[string]any{"note": " "})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.raw), `"field":"note"`) {
			t.Fatalf("close without a note: %d %s", r.status, r.raw)
		}
		r = e.do(http.MethodPost, "/api/v1/welfare-alerts/"+alertID+"/close", e.coordinator, map[string]any{"note": "Reached at home, safe."})
		if r.status != http.StatusOK || r.body["status"] != "closed" || r.body["emergency_contact"] != nil {
			t.Fatalf("close: %d %s", r.status, r.raw)
		}
		if r := e.do(http.MethodPost, "/api/v1/welfare-alerts/"+alertID+"/close", e.coordinator, map[string]any{"note": "again"}); r.status != http.StatusConflict {
			t.Errorf("close twice: %d", r.status)
		}
		hidden("after the alert closed")
		if r := e.do(http.MethodGet, "/api/v1/welfare-alerts", e.coordinator, nil); strings.Contains(string(r.raw), contactPhone) {
			t.Errorf("a closed alert still shows the emergency contact")
		}
		// Erasure forgets the contact.
		if r := e.do(http.MethodDelete, "/api/v1/members/"+idA, e.admin, nil); r.status != http.StatusOK {
			t.Fatalf("erase: %d %s", r.status, r.raw)
		}
		if _, found, err := e.store.EmergencyContact(ctx, idA); err != nil || found {
			t.Errorf("an erased member's emergency contact is kept (%v)", err)
		}
	})
}

// fillLone makes the lone-working fixtures of the authorisation matrix:
// member A's booking on a lone-working shift, the same already on duty,
// and a welfare alert about it.
func (w *world) fillLone(t *testing.T, s string) string {
	t.Helper()
	e, ctx := w.e, context.Background()
	lone := func() string {
		sh, pos := w.shift(t, map[string]any{"lone_working": true})
		return w.book(t, w.tokens[memberA], sh, pos, map[string]any{})
	}
	onDuty := func() string {
		id := lone()
		now := e.app.Now()
		if err := e.store.SaveDutyRecord(ctx, domain.DutyRecord{BookingID: id, OnDutyAt: &now}); err != nil {
			t.Fatal(err)
		}
		return id
	}
	if strings.Contains(s, "{loneBooking}") {
		s = strings.ReplaceAll(s, "{loneBooking}", lone())
	}
	if strings.Contains(s, "{onDutyBooking}") {
		s = strings.ReplaceAll(s, "{onDutyBooking}", onDuty())
	}
	if strings.Contains(s, "{welfareAlert}") {
		b, err := e.store.BookingByID(ctx, onDuty())
		if err != nil {
			t.Fatal(err)
		}
		a := domain.WelfareAlert{ID: app.NewID(), BookingID: b.ID, MemberID: b.MemberID, ShiftID: b.ShiftID, AreaID: e.hood.ID,
			PlannedEnd: b.End, RaisedAt: e.app.Now()}
		if _, err := e.store.RaiseWelfareAlert(ctx, a); err != nil {
			t.Fatal(err)
		}
		s = strings.ReplaceAll(s, "{welfareAlert}", a.ID)
	}
	return s
}
