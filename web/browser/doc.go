// Package browser holds copbank's browser journeys: the web pages driven in
// headless Chromium (Debian's chromium, through chromedp) against a real
// server on a demo-seeded SQLite database, with axe-core checking every page
// visited. The package has no code of its own but its tests; it imports web
// and app like main does, and nothing imports it.
//
// Without chromium the journeys skip, saying so; with CI set they fail
// instead. COPBANK_SCREENS=1 (make screens) writes a screenshot of each
// journey's last page under testdata/screens/.
package browser
