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
	"github.com/copbank/copbank/app/demo"
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
	atNotices  = regexp.MustCompile(`^/notifications$`)
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
		b.do(chromedp.KeyEvent(demo.Password))
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
		b.fill("password", demo.Password)
		b.navigates(atShifts, click(`button[type="submit"].button`))
		b.wantText("Find shifts")
		b.screenshot("4-form-errors-fixed")
	})

	t.Run("a coordinator posts a repeating demand and sees it on the fill board", func(t *testing.T) {
		b := s.newTab(t, 1280, 900)
		b.signIn(coordinator)
		title := fmt.Sprintf("Browser patrol %d", time.Now().UnixNano()%100000)
		b.open("/coord/demands/new", regexp.MustCompile(`^/coord/demands/new`))
		demand := "form:has(#title)"
		b.fillForm(demand, map[string]string{
			`^title$`:                  title,
			`^area$`:                   "DUR-CC",
			`problem`:                  "",
			`^every week$`:             "",
			`^tuesday$`:                "",
			`^date of the first shift`: time.Now().AddDate(0, 0, 9).Format("2006-01-02"),
			`^last date`:               time.Now().AddDate(0, 0, 30).Format("2006-01-02"),
			`^start time`:              "18:00",
			`^end time`:                "22:00",
			`^places`:                  "2",
			`^volunteer$`:              "",
			`^name$`:                   "Patroller",
		})
		b.submitUntilSaved(demand, regexp.MustCompile(`^/coord/`))
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
		b := s.newTab(t, 1280, 900)
		b.signIn(coordinator)
		b.open("/coord/match", regexp.MustCompile(`^/coord/match`))
		// The progress page refreshes itself with a meta refresh while the run
		// goes on, so progress shows with JavaScript switched off; axe-core calls
		// any refresh critical, so it is excused on those pages only.
		b.allow = map[string]string{"meta-refresh": "the match run's progress page refreshes itself until the run ends"}
		b.navigates(regexp.MustCompile(`^/coord/match/`), click(`(//main//button[contains(., 'Start')])[1]`))
		apply := `(//main//button[starts-with(normalize-space(.), 'Apply')])[1]`
		deadline := time.Now().Add(90 * time.Second)
		for {
			ready, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](fmt.Sprintf(
				`document.readyState === "complete" && !!document.evaluate(%q, document, null, 9, null).singleNodeValue`, apply)))
			if err == nil && ready {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the match run offered nothing to apply within 90s; the page says: %.800s", b.text("main"))
			}
			time.Sleep(500 * time.Millisecond)
		}
		b.allow = nil
		b.arrive(regexp.MustCompile(`^/coord/match/`))
		if !regexp.MustCompile(`(?i)proposal`).MatchString(b.text("main")) {
			t.Errorf("the finished run shows no proposals: %.800s", b.text("main"))
		}
		b.navigates(regexp.MustCompile(`^/coord/`), click(apply))
		if !regexp.MustCompile(`(?i)applied`).MatchString(b.text("main")) {
			t.Fatalf("applying the run said nothing about it: %.800s", b.text("main"))
		}
		b.screenshot("6-coordinator-runs-the-matcher")
	})

	t.Run("an admin adds a member, a skill and a clearance", func(t *testing.T) {
		b := s.newTab(t, 1280, 900)
		b.signIn(admin)
		stamp := time.Now().UnixNano() % 100000
		skill := fmt.Sprintf("Drone pilot %d", stamp)
		b.open("/admin/skills", regexp.MustCompile(`^/admin/skills`))
		skillForm := "form:has(#code)"
		b.fillForm(skillForm, map[string]string{`^code$`: fmt.Sprintf("drone_%d", stamp), `^name$`: skill})
		b.submitUntilSaved(skillForm, regexp.MustCompile(`^/admin/skills`))
		b.wantText(skill)

		name := fmt.Sprintf("Robin Browser-%d", stamp)
		b.open("/admin/members/new", regexp.MustCompile(`^/admin/members/new`))
		memberForm := "form:has(#email)"
		b.fillForm(memberForm, map[string]string{
			`^full name`:  name,
			`^email`:      fmt.Sprintf("robin.%d@example.org", stamp),
			`^volunteer$`: "",
			`^home area`:  "DUR-CITY",
			`^phone`:      "07700 900123",
		})
		b.submitUntilSaved(memberForm, regexp.MustCompile(`^/admin/members/`))
		b.wantText(name)
		clearanceForm := "form:has(#clearance_type)"
		b.fillForm(clearanceForm, map[string]string{
			`^clearance type`: "NPPV2",
			`^granted on`:     time.Now().AddDate(0, 0, -1).Format("2006-01-02"),
			`^expires on`:     time.Now().AddDate(1, 0, 0).Format("2006-01-02"),
		})
		b.submitUntilSaved(clearanceForm, regexp.MustCompile(`^/admin/members/`))
		b.wantText("NPPV2")
		b.screenshot("7-admin-adds-a-member-skill-and-clearance")
	})

	t.Run("a member chooses texts for shift reminders at 320 px", func(t *testing.T) {
		b := s.newTab(t, 320, 640)
		b.signIn(volunteer)
		b.open("/notifications", atNotices)
		b.wantText("How we contact you", "Reminders before my shifts", "21:00")
		form := `form[action="/notifications"]`
		b.fillForm(form, map[string]string{`^mobile number`: "07700 900111"})
		eval[bool](b, `(e => e.checked = true)(document.getElementById("notices-reminder-sms"))`)
		b.submitUntilSaved(form, atNotices)
		b.wantText("Your contact choices are saved.")
		if !eval[bool](b, `document.getElementById("notices-reminder-sms").checked`) {
			t.Errorf("texts for reminders were not kept: %.800s", b.text("main"))
		}
		b.screenshot("8-member-chooses-how-we-contact-them")
	})

	t.Logf("journeys took %v in all", time.Since(started).Round(time.Millisecond))
}

// signIn signs in with the mouse and lands on find shifts.
func (b *tab) signIn(email string) {
	b.t.Helper()
	b.open("/sign-in", atSignIn)
	b.fill("email", email)
	b.fill("password", demo.Password)
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
	u, err := s.app.UserByEmail(ctx, app.CommandLineOperator(), email)
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
func (b *tab) fillForm(form string, fields map[string]string) {
	b.t.Helper()
	for pattern, value := range fields {
		eval[bool](b, fmt.Sprintf(`((form, pattern, value) => {
			const re = new RegExp(pattern, "i");
			const f = document.querySelector(form);
			if (!f) return false;
			const labels = [...f.querySelectorAll("label, legend")];
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
		})(%q, %q, %q)`, form, pattern, value))
	}
}

// submitUntilSaved presses the main button of the form (the first whose
// words say it saves, else the last); a preview or confirmation step is
// pressed through too, up to three steps, and an error summary fails the
// journey with its messages.
func (b *tab) submitUntilSaved(form string, done *regexp.Regexp) {
	b.t.Helper()
	for range 3 {
		found := eval[bool](b, fmt.Sprintf(`(form => {
			document.querySelectorAll("[data-copbank-submit]").forEach(e => e.removeAttribute("data-copbank-submit"));
			const f = document.querySelector(form);
			if (!f) return false;
			const buttons = [...f.querySelectorAll("button:not([type=button]):not([type=reset])")];
			const main = buttons.find(e => /^(post|add|save|apply|start|confirm|create|send)/i.test(e.innerText.trim())) || buttons[buttons.length - 1];
			if (!main) return false;
			main.setAttribute("data-copbank-submit", "");
			return true;
		})(%q)`, form))
		if !found {
			break
		}
		b.navigates(nil, click(`[data-copbank-submit]`))
		if msgs := b.text(".error-summary"); strings.Contains(msgs, "There is a problem") {
			b.t.Fatalf("%s: the form was refused: %s", b.where(), msgs)
		}
		if done.MatchString(b.path()) && b.text(".flash") != "" {
			return
		}
	}
	if !done.MatchString(b.path()) {
		b.t.Fatalf("submitting ended on %s, want %s: %.600s", b.where(), done, b.text("main"))
	}
}
