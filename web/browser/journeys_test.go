package browser_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// The journeys run one after another in one Chromium, each in a browser
// context of its own, against one server seeded with the demo data. Every
// page a journey lands on is checked by axe-core (no serious or critical
// violation) and for sideways scrolling at 320 px.

const (
	volunteer   = "volunteer@demo.copbank.uk"
	officer     = "officer@demo.copbank.uk"
	coordinator = "coordinator@demo.copbank.uk"
	admin       = "admin@demo.copbank.uk"
)

var (
	atSignIn   = regexp.MustCompile(`^/sign-in$`)
	atShifts   = regexp.MustCompile(`^/shifts$`)
	atShift    = regexp.MustCompile(`^/shifts/[^/]+$`)
	atBook     = regexp.MustCompile(`^/shifts/[^/]+/book\?position=`)
	atMyShifts = regexp.MustCompile(`^/my-shifts$`)
)

func TestJourneys(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journeys are not short")
	}
	started := time.Now()
	s := startSite(t)
	t.Logf("server, demo data and chromium ready in %v", time.Since(started).Round(time.Millisecond))

	t.Run("a member signs in, finds a shift, books it and sees it in my shifts", func(t *testing.T) {
		b := s.newTab(t, 1024, 768)
		b.signIn(volunteer)
		b.screenshotView("find-shifts")
		b.bookWithTheMouse(s.bookable(t, volunteer))
		b.screenshot("1-member-books-a-shift")
	})

	t.Run("keyboard only: sign in and book a shift with Tab, Shift+Tab, Enter and Space", func(t *testing.T) {
		b := s.newTab(t, 1024, 768)
		b.open("/sign-in", atSignIn)
		b.tabTo("the email field", false, 10, func(f focused) bool { return f.ID == "email" })
		b.do(chromedp.KeyEvent(officer))
		b.tabTo("the password field", false, 2, func(f focused) bool { return f.ID == "password" })
		b.do(chromedp.KeyEvent(app.DemoPassword))
		b.tabTo("the Sign in button", false, 2, func(f focused) bool { return f.Tag == "button" && f.Text == "Sign in" })
		b.tabTo("back to the password field", true, 2, func(f focused) bool { return f.ID == "password" })
		b.tabTo("the Sign in button again", false, 2, func(f focused) bool { return f.Tag == "button" && f.Text == "Sign in" })
		b.navigates(atShifts, chromedp.KeyEvent("\r"))

		id, _ := s.bookable(t, officer)
		b.tabTo("the shift's link", false, 200, func(f focused) bool { return f.Href == "/shifts/"+id })
		b.navigates(atShift, chromedp.KeyEvent("\r"))
		b.tabTo("a Book button", false, 60, func(f focused) bool { return f.Tag == "button" && f.Text == "Book" })
		b.navigates(atBook, chromedp.KeyEvent(" ")) // Space presses a button
		b.tabTo("the Confirm booking button", false, 60, func(f focused) bool { return f.Tag == "button" && f.Text == "Confirm booking" })
		b.navigates(atMyShifts, chromedp.KeyEvent("\r"))
		b.wantBooked(id)
		b.screenshot("2-keyboard-only-booking")
	})

	t.Run("every page of the booking journey fits 320 px without sideways scrolling", func(t *testing.T) {
		b := s.newTab(t, 320, 640)
		b.signIn(volunteer)
		b.bookWithTheMouse(s.bookable(t, volunteer))
		b.screenshot("3-booking-at-320px")
	})

	t.Run("a wrong password shows the error summary, and fixing it signs in", func(t *testing.T) {
		b := s.newTab(t, 1024, 768)
		b.open("/sign-in", atSignIn)
		b.fill("email", volunteer)
		b.fill("password", "not the password")
		b.navigates(atSignIn, click(`button[type="submit"].button`))
		b.wantText("There is a problem", "The email or password is not right")
		summary := eval[struct{ Visible, Alert bool }](b, `(() => {
			const e = document.querySelector(".error-summary");
			if (!e) return {Visible: false, Alert: false};
			const r = e.getBoundingClientRect();
			return {Visible: r.height > 0 && r.top >= 0 && r.bottom <= innerHeight, Alert: e.getAttribute("role") === "alert"};
		})()`)
		if !summary.Visible || !summary.Alert {
			t.Errorf("the error summary is not shown at the top as an alert: %+v", summary)
		}
		if title := eval[string](b, `document.title`); !strings.HasPrefix(title, "Error: ") {
			t.Errorf("the title %q does not start with Error:", title)
		}
		if v := eval[string](b, `document.getElementById("email").value`); v != volunteer {
			t.Errorf("the email was not kept: %q", v)
		}
		// The summary's link takes you to the field with the error.
		b.do(click(`.error-summary a[href="#email"]`))
		if f := b.focus(); f.ID != "email" {
			t.Errorf("the summary's link focused <%s id=%q>, want the email field", f.Tag, f.ID)
		}
		if d := eval[string](b, `document.getElementById("email").getAttribute("aria-describedby") || ""`); d != "email-error" {
			t.Errorf("the email field is described by %q, want email-error", d)
		}
		b.fill("password", app.DemoPassword)
		b.navigates(atShifts, click(`button[type="submit"].button`))
		b.wantText("Find shifts")
		b.screenshot("4-form-errors-fixed")
	})

	t.Run("a coordinator posts a repeating demand and sees it on the fill board", func(t *testing.T) {
		if !s.routeExists(t, "/coord/demands/new") || !s.routeExists(t, "/coord/board") {
			t.Skip("no coordinator pages (/coord/demands/new, /coord/board) in this tree yet")
		}
		b := s.newTab(t, 1280, 900)
		b.signIn(coordinator)
		title := fmt.Sprintf("Browser patrol %d", time.Now().UnixNano()%100000)
		b.open("/coord/demands/new", regexp.MustCompile(`^/coord/demands/new`))
		b.fillForm(map[string]string{
			`^title|^name of the demand|^what`:   title,
			`^area`:                              "DUR-CC|Durham",
			`repeat|how often|one-off or`:        "weekly|repeat",
			`start date|^date|first date|^from`:  time.Now().AddDate(0, 0, 9).Format("2006-01-02"),
			`until|end date|last date|^to$`:      time.Now().AddDate(0, 0, 30).Format("2006-01-02"),
			`start time|^starts|^start$|^time`:   "18:00",
			`length|hours|duration|end time`:     "4",
			`headcount|how many|number of|place`: "2",
			`position|role name|^role`:           "Volunteer",
		})
		b.submitUntilSaved(regexp.MustCompile(`^/coord/`))
		b.open("/coord/board", regexp.MustCompile(`^/coord/board`))
		for range 4 { // the board shows a week: look up to four weeks on
			if strings.Contains(b.text("main"), title) {
				break
			}
			next := eval[bool](b, `!!document.evaluate("//main//a[contains(translate(normalize-space(.), 'NEXT', 'next'), 'next')]", document, null, 9, null).singleNodeValue`)
			if !next {
				break
			}
			b.navigates(regexp.MustCompile(`^/coord/board`), click(`//main//a[contains(translate(normalize-space(.), 'NEXT', 'next'), 'next')]`))
		}
		b.wantText(title)
		b.screenshotView("fill-board")
		b.screenshot("5-coordinator-posts-a-repeating-demand")
	})

	t.Run("a coordinator runs the matcher and applies its proposals", func(t *testing.T) {
		if !s.routeExists(t, "/coord/match") {
			t.Skip("no matcher page (/coord/match) in this tree yet")
		}
		b := s.newTab(t, 1280, 900)
		b.signIn(coordinator)
		b.open("/coord/match", regexp.MustCompile(`^/coord/match`))
		b.navigates(regexp.MustCompile(`^/coord/match`), click(`(//main//button[contains(., 'Run') or contains(., 'run') or contains(., 'Start')])[1]`))
		// The progress page refreshes itself (meta refresh) until the run ends.
		apply := `(//main//button[starts-with(normalize-space(.), 'Apply')])[1]`
		deadline := time.Now().Add(90 * time.Second)
		for !eval[bool](b, fmt.Sprintf(`!!document.evaluate(%q, document, null, 9, null).singleNodeValue`, apply)) {
			if time.Now().After(deadline) {
				t.Fatalf("the match run offered nothing to apply within 90s; the page says: %.800s", b.text("main"))
			}
			time.Sleep(500 * time.Millisecond)
		}
		b.arrive(regexp.MustCompile(`^/coord/match`))
		b.wantText("Proposal")
		b.navigates(regexp.MustCompile(`^/coord/`), click(apply))
		if !regexp.MustCompile(`(?i)applied`).MatchString(b.text("main")) {
			t.Fatalf("applying the run said nothing about it: %.800s", b.text("main"))
		}
		b.screenshot("6-coordinator-runs-the-matcher")
	})

	t.Run("an admin adds a member, a skill and a clearance", func(t *testing.T) {
		if !s.routeExists(t, "/admin/members") || !s.routeExists(t, "/admin/skills") {
			t.Skip("no admin pages (/admin/members, /admin/skills) in this tree yet")
		}
		b := s.newTab(t, 1280, 900)
		b.signIn(admin)
		stamp := time.Now().UnixNano() % 100000
		skill := fmt.Sprintf("Drone pilot %d", stamp)
		b.open("/admin/skills", regexp.MustCompile(`^/admin/skills`))
		b.followIfForm(`(//main//a[contains(., 'Add') or contains(., 'New')])[1]`)
		b.fillForm(map[string]string{`^code`: fmt.Sprintf("drone_%d", stamp), `^name|^skill`: skill})
		b.submitUntilSaved(regexp.MustCompile(`^/admin/skills`))
		b.wantText(skill)

		name := fmt.Sprintf("Robin Browser-%d", stamp)
		b.open("/admin/members", regexp.MustCompile(`^/admin/members`))
		b.followIfForm(`(//main//a[contains(., 'Add') or contains(., 'New')])[1]`)
		b.fillForm(map[string]string{
			`^name|full name`:     name,
			`^email`:              fmt.Sprintf("robin.%d@example.org", stamp),
			`^kind|^type|^member`: "volunteer",
			`home area|^area`:     "DUR-CC|Durham",
			`phone`:               "07700 900123",
		})
		b.submitUntilSaved(regexp.MustCompile(`^/admin/members`))
		b.wantText(name)
		if !strings.Contains(b.text("main"), "learance") {
			b.navigates(regexp.MustCompile(`^/admin/members/`), click(fmt.Sprintf(`(//main//a[contains(., %q)])[1]`, name)))
		}
		b.followIfForm(`(//main//a[contains(., 'clearance') or contains(., 'Clearance')])[1]`)
		b.fillForm(map[string]string{
			`^level|^clearance|^vetting|^type`: "NPPV|",
			`expir|valid until|until`:          time.Now().AddDate(1, 0, 0).Format("2006-01-02"),
			`grant|issued|from|start`:          time.Now().AddDate(0, 0, -1).Format("2006-01-02"),
		})
		b.submitUntilSaved(regexp.MustCompile(`^/admin/members`))
		b.wantText("NPPV")
		b.screenshot("7-admin-adds-a-member-skill-and-clearance")
	})

	t.Logf("journeys took %v in all", time.Since(started).Round(time.Millisecond))
}

// signIn signs in with the mouse and lands on find shifts.
func (b *tab) signIn(email string) {
	b.t.Helper()
	b.open("/sign-in", atSignIn)
	b.fill("email", email)
	b.fill("password", app.DemoPassword)
	b.navigates(regexp.MustCompile(`^/(shifts|coord|admin|dashboard)`), click(`button[type="submit"].button`))
}

// bookWithTheMouse goes from find shifts to a booked place in my shifts.
func (b *tab) bookWithTheMouse(id, title string) {
	b.t.Helper()
	b.open("/shifts", atShifts)
	b.wantText("Find shifts", title)
	b.navigates(atShift, click(fmt.Sprintf(`a[href="/shifts/%s"]`, id)))
	b.wantText(title, "Places")
	b.navigates(atBook, click(`(//main//button[normalize-space(.)='Book'])[1]`))
	b.wantText("Check and confirm your booking", title)
	b.navigates(atMyShifts, click(button("Confirm booking")))
	b.wantBooked(id)
}

// wantBooked checks my shifts: the flash, and the shift with its status.
func (b *tab) wantBooked(id string) {
	b.t.Helper()
	flash := b.text(".flash")
	if !strings.Contains(flash, "You are booked on") && !strings.Contains(flash, "A coordinator will approve it") {
		b.t.Errorf("my shifts said %q after booking", flash)
	}
	card := eval[string](b, fmt.Sprintf(`(a => a ? a.closest(".card").innerText : "")(document.querySelector('main a[href="/shifts/%s"]'))`, id))
	if !strings.Contains(card, "Booked") && !strings.Contains(card, "Waiting for approval") {
		b.t.Fatalf("my shifts does not list shift %s as booked: %q; the page says %.800s", id, card, b.text("main"))
	}
}

// bookable is the first shift on the member's find shifts page (the same
// query, the same order) with a place they may book now and do not hold.
func (s *site) bookable(t *testing.T, email string) (id, title string) {
	t.Helper()
	ctx := context.Background()
	u, err := s.app.Store.UserByEmail(ctx, email)
	if err != nil {
		t.Fatalf("demo account %s: %v", email, err)
	}
	p := &domain.Principal{User: u}
	found, err := s.app.FindShifts(ctx, p, app.ShiftQuery{Eligible: true, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range found {
		if len(v.Mine) > 0 {
			continue
		}
		if slices.ContainsFunc(v.Demand.Positions, func(pos domain.Position) bool {
			failed, ok := v.Failed[pos.ID]
			return ok && len(failed) == 0
		}) {
			return v.Shift.ID, v.Demand.Title
		}
	}
	t.Fatalf("the demo data has no shift %s may book among the first %d", email, len(found))
	return "", ""
}

// fillForm fills the form's fields by their labels: each key is a
// case-insensitive pattern for a label's text, each value what to type, or
// for a select or a set of radios or checkboxes a pattern for the option to
// choose (empty: the first real option). Labels that match nothing are
// left: forms differ, and the server's error summary says what is missing.
func (b *tab) fillForm(fields map[string]string) {
	b.t.Helper()
	for pattern, value := range fields {
		eval[bool](b, fmt.Sprintf(`((pattern, value) => {
			const re = new RegExp(pattern, "i");
			const labels = [...document.querySelectorAll("main label, main legend")];
			const label = labels.find(l => re.test(l.innerText.trim()));
			if (!label) return false;
			const fire = e => { e.dispatchEvent(new Event("input", {bubbles: true})); e.dispatchEvent(new Event("change", {bubbles: true})); };
			if (label.tagName === "LEGEND") {
				const boxes = [...label.parentElement.querySelectorAll("input[type=radio], input[type=checkbox]")];
				const want = new RegExp(value || ".", "i");
				const pick = boxes.filter(x => want.test((x.labels[0] || {}).innerText || x.value));
				(pick.length ? pick : boxes.slice(0, 1)).forEach(x => { x.checked = true; fire(x); });
				return true;
			}
			const e = label.control;
			if (!e || e.disabled || e.type === "hidden") return false;
			if (e.tagName === "SELECT") {
				const want = new RegExp(value || ".", "i");
				const opts = [...e.options].filter(o => o.value !== "");
				const o = opts.find(o => want.test(o.text) || want.test(o.value)) || opts[0];
				if (o) { e.value = o.value; fire(e); }
				return true;
			}
			if (e.type === "checkbox" || e.type === "radio") { e.checked = true; fire(e); return true; }
			if (e.value !== "" && e.type !== "date" && e.type !== "time" && e.type !== "number") return true;
			e.value = value;
			fire(e);
			return true;
		})(%q, %q)`, pattern, value))
	}
}

// submitUntilSaved presses the form's main button; a preview or
// confirmation step is pressed through too, up to three steps, and an error
// summary fails the journey with its messages.
func (b *tab) submitUntilSaved(done *regexp.Regexp) {
	b.t.Helper()
	for range 3 {
		b.navigates(nil, click(`(//main//form[not(@method='get')]//button[@type='submit' or not(@type)])[last()]`))
		if msgs := b.text(".error-summary"); msgs != "" && strings.Contains(msgs, "There is a problem") {
			b.t.Fatalf("%s: the form was refused: %s", b.where(), msgs)
		}
		hasForm := eval[bool](b, `!!document.querySelector("main form:not([method=get]) button")`)
		if done.MatchString(b.path()) && (b.text(".flash") != "" || !hasForm) {
			return
		}
		if !hasForm {
			break
		}
	}
	if !done.MatchString(b.path()) {
		b.t.Fatalf("submitting ended on %s, want %s: %.600s", b.where(), done, b.text("main"))
	}
}

// followIfForm follows the link at xpath when the page has no form to fill.
func (b *tab) followIfForm(xpath string) {
	b.t.Helper()
	if eval[bool](b, `!!document.querySelector("main form:not([method=get]) input:not([type=hidden]), main form:not([method=get]) select")`) {
		return
	}
	if eval[bool](b, fmt.Sprintf(`!!document.evaluate(%q, document, null, 9, null).singleNodeValue`, xpath)) {
		b.navigates(nil, click(xpath))
	}
}
