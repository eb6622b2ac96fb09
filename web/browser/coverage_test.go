package browser_test

import (
	"regexp"
	"testing"
)

// A coordinator opens the coverage board from the navigation: a chart of
// weeks with no gap, with its text alternative, and a table per
// neighbourhood naming the gaps; the filters re-show it.
func TestCoverageBoardJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journeys are not short")
	}
	s := startSite(t)
	b := s.newTab(t, 1024, 768)
	b.signIn(coordinator)
	atCoverage := regexp.MustCompile(`^/coord/coverage`)
	b.navigates(atCoverage, click(`nav a[href="/coord/coverage"]`))
	b.wantText("Neighbourhood coverage", "Named officer:", "Weeks with no gap:", "Named officer on shift", "Bank hours")
	type board struct {
		Chart, Desc, Current string
		Tables, Rows, Gaps   int
	}
	got := eval[board](b, `(() => {
		const svg = document.querySelector("main figure.chart svg[role=img]");
		const ids = svg ? (svg.getAttribute("aria-labelledby") || "").split(" ") : [];
		const byID = id => (document.getElementById(id) || {}).textContent || "";
		return {Chart: ids.map(byID).join(" | "), Desc: byID(ids[1] || ""),
			Current: (document.querySelector("nav a[aria-current=page]") || {}).textContent || "",
			Tables: document.querySelectorAll("main table").length,
			Rows: document.querySelectorAll("main table tbody tr").length,
			Gaps: [...document.querySelectorAll("main table tbody td strong")].length};
	})()`)
	if got.Chart == "" || got.Desc == "" {
		t.Fatalf("the chart has no accessible name and description: %+v", got)
	}
	if got.Tables == 0 || got.Rows < got.Tables || got.Current != "Coverage" {
		t.Fatalf("the board: %+v", got)
	}
	if got.Gaps == 0 {
		t.Errorf("the demo board shows no gaps: %+v", got)
	}
	b.screenshot("coverage-board")

	b.navigates(atCoverage, click(button("Show")))
	b.wantText("Neighbourhood coverage", "Weeks from")

	b.navigates(regexp.MustCompile(`^/coord/coverage/[A-Z0-9-]+$`), click(button("Change the named officer or target")))
	b.wantText("Named officer or PCSO", "Target hours a week")
	b.fill("hours_per_week", "5")
	b.navigates(atCoverage, click(button("Save")))
	b.wantText("Saved the named officer and target of")
}
