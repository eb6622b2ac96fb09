package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// fillOnShift makes the handover and swap fixtures named in s: each is
// given by, or asks, a fresh member, so no cell depends on another.
func (w *world) fillOnShift(t *testing.T, s string) string {
	t.Helper()
	e := w.e
	colleague := func() (string, string) {
		w.uniq++
		return e.memberLogin(fmt.Sprintf("colleague%d", w.uniq), memberOpts{maxHours: 168})
	}
	colleagueBooking := func() (string, string) {
		_, token := colleague()
		sh, pos := w.shift(t, nil)
		return w.book(t, token, sh, pos, map[string]any{}), token
	}
	if strings.Contains(s, "{handover}") {
		booking, token := colleagueBooking()
		r := e.do(http.MethodPost, "/api/v1/bookings/"+booking+"/handover", token, nil)
		if r.status != http.StatusCreated {
			t.Fatalf("fixture handover: %d %s", r.status, r.raw)
		}
		s = strings.ReplaceAll(s, "{handover}", r.body["handover_id"].(string))
	}
	if strings.Contains(s, "{myHandover}") {
		sh, pos := w.shift(t, nil)
		mine := w.book(t, w.tokens[memberA], sh, pos, map[string]any{})
		r := e.do(http.MethodPost, "/api/v1/bookings/"+mine+"/handover", w.tokens[memberA], nil)
		if r.status != http.StatusCreated {
			t.Fatalf("fixture own handover: %d %s", r.status, r.raw)
		}
		s = strings.ReplaceAll(s, "{myHandover}", r.body["handover_id"].(string))
	}
	if strings.Contains(s, "{otherBooking}") {
		booking, _ := colleagueBooking()
		s = strings.ReplaceAll(s, "{otherBooking}", booking)
	}
	if strings.Contains(s, "{swapToA}") {
		sh, pos := w.shift(t, nil)
		mine := w.book(t, w.tokens[memberA], sh, pos, map[string]any{})
		theirs, token := colleagueBooking()
		r := e.do(http.MethodPost, "/api/v1/bookings/"+theirs+"/swap", token, map[string]any{"with_booking_id": mine})
		if r.status != http.StatusCreated {
			t.Fatalf("fixture swap: %d %s", r.status, r.raw)
		}
		s = strings.ReplaceAll(s, "{swapToA}", r.body["swap_id"].(string))
	}
	return s
}
