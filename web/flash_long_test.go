package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/domain"
)

// A refused swap names both shifts and every rule: with long titles that
// runs past a few hundred bytes, and the member must still be told.
func TestARefusedSwapWithLongShiftTitlesIsStillExplainedOnThePage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "sqlite")
	long := strings.Repeat("Neighbourhood reassurance and crime prevention patrol ", 3) + "with partners"
	title := func(n string) string { return strings.TrimSpace(long) + " " + n }
	first := shiftsOf(e.demand(map[string]any{"title": title("one"), "start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour)),
		"positions": []map[string]any{{"name": "First aider", "kinds": []string{"bank_officer"}, "skills": []string{"first_aid"}, "min_vetting": "NPPV3", "headcount": 1}}}))[0]
	later := friday.Add(48 * time.Hour)
	second := shiftsOf(e.demand(map[string]any{"title": title("two"), "start_local": local(later), "end_local": local(later.Add(4 * time.Hour)),
		"positions": []map[string]any{{"name": "Walker", "kinds": []string{"volunteer"}, "min_vetting": "NPPV1", "headcount": 1}}}))[0]
	asker, askerToken := e.memberLogin("asker", memberOpts{vetting: "NPPV3", kinds: []domain.Kind{domain.KindBankOfficer}})
	partner, _ := e.memberLogin("partner", memberOpts{noFirstAid: true})
	mine := e.bookConfirmed(first, asker)
	theirs := e.bookConfirmed(second, partner)
	if r := e.do(http.MethodPost, "/api/v1/bookings/"+mine+"/swap", askerToken, map[string]any{"with_booking_id": theirs}); r.status != http.StatusCreated {
		t.Fatalf("swap request: %d %s", r.status, r.raw)
	}
	b := e.browser(t)
	b.signIn("partner@example.org")
	// My shifts says a colleague is waiting on them.
	wantPage(t, b.get("/my-shifts"), http.StatusOK, "A colleague asks you to swap shifts.", "and the swaps they ask of you")
	m := swapActionRe.FindStringSubmatch(b.get("/handovers").body)
	if m == nil {
		t.Fatal("no accept button for the swap")
	}
	p := b.post("/handovers", m[1], nil)
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/handovers" {
		t.Fatalf("accept: %d %q", p.status, p.header.Get("Location"))
	}
	got := b.get("/handovers")
	wantPage(t, got, http.StatusOK, "The swap did not happen", title("one"))
	if i := strings.Index(got.body, "The swap did not happen"); i < 0 || len(got.body[i:strings.Index(got.body[i:], "</p>")+i]) < 500 {
		t.Fatalf("want a message past 500 bytes for this test to mean anything: %s", got.body[i:])
	}
	if e.booking(mine).Status != "confirmed" || e.booking(theirs).Status != "confirmed" {
		t.Fatal("a booking moved")
	}
}
