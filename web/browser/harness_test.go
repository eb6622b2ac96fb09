package browser_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/app/demo"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/web"
)

// The harness: one copbank server on a demo-seeded SQLite database, one
// headless Chromium for every journey (each journey in a browser context of
// its own, so cookies do not leak between them), and axe-core from npm.

// inCI reports a CI run: there a missing browser or npm fails the suite
// rather than skipping it.
func inCI() bool { return os.Getenv("CI") != "" }

// unavailable skips outside CI and fails in CI.
func unavailable(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if inCI() {
		t.Fatalf("%s (CI is set, so the browser journeys must run; .ci/run installs chromium)", msg)
	}
	t.Skipf("%s: skipping the browser journeys (apt-get install -y chromium to run them)", msg)
}

// chromiumPath finds Debian's chromium, or COPBANK_CHROMIUM.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("COPBANK_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	unavailable(t, "no chromium on PATH")
	return ""
}

// axeSource returns axe.min.js, installing axe-core@4 from npm into the
// user's cache the first time.
func axeSource(t *testing.T) string {
	t.Helper()
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "copbank-test-axe-core")
	file := filepath.Join(dir, "node_modules", "axe-core", "axe.min.js")
	if b, err := os.ReadFile(file); err == nil {
		return string(b)
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		unavailable(t, "no npm on PATH to install axe-core")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, npm, "install", "--prefix", dir, "--no-audit", "--no-fund", "--loglevel=error", "axe-core@4")
	if out, err := cmd.CombinedOutput(); err != nil {
		unavailable(t, "npm install axe-core@4: %v: %s", err, out)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		unavailable(t, "axe-core installed but unreadable: %v", err)
	}
	return string(b)
}

// site is the server under test and the browser driving it.
type site struct {
	url     string
	app     *app.App
	browser context.Context // the Chromium process; tabs derive from it
	axe     string
	screens string // where screenshots go; "" when not asked for
	mail    *outbox
}

// outbox records every email the app sends, for a journey to read.
type outbox struct {
	mu   sync.Mutex
	msgs []app.Message
}

func (o *outbox) Send(_ context.Context, m app.Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.msgs = append(o.msgs, m)
	return nil
}

// to returns the messages sent to an address, oldest first.
func (o *outbox) to(addr string) []app.Message {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []app.Message
	for _, m := range o.msgs {
		if strings.EqualFold(m.To, addr) {
			out = append(out, m)
		}
	}
	return out
}

// siteOption adjusts the configuration before the server starts; url is
// the address it will answer at.
type siteOption func(cfg *app.Config, url string)

// startSite boots the server, the match worker and Chromium, and stops them
// all when t ends.
func startSite(t *testing.T, options ...siteOption) *site {
	t.Helper()
	chromium := chromiumPath(t)
	axe := axeSource(t)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	store := dbtest.New(t, db.SQLite)
	cfg := app.DefaultConfig()
	cfg.PasswordMemoryKiB = 1024
	cfg.MFARequired = nil // a journey that needs the second factor required turns it on
	for _, o := range options {
		o(&cfg, "http://"+ln.Addr().String())
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := app.New(store, cfg, log)
	mail := &outbox{}
	a.Notify = mail
	if _, err := demo.Seed(context.Background(), a, nil); err != nil {
		t.Fatalf("seed the demo data: %v", err)
	}
	workerCtx, stopWorker := context.WithCancel(context.Background())
	go a.MatchWorker(workerCtx, "browser-test")
	t.Cleanup(stopWorker)

	srv := web.New(a, log)
	go func() { _ = srv.Fiber().Listener(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true), // as root, as on CI
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		// The machines' network is closed: ask for nothing outside.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	if err := chromedp.Do(browserCtx); err != nil { // starts Chromium
		if inCI() {
			t.Fatalf("start chromium (%s): %v", chromium, err)
		}
		t.Skipf("chromium (%s) would not start: %v", chromium, err)
	}

	s := &site{url: "http://" + ln.Addr().String(), app: a, browser: browserCtx, axe: axe, mail: mail}
	if os.Getenv("COPBANK_SCREENS") != "" {
		s.screens = filepath.Join("..", "..", "testdata", "screens")
		if err := os.MkdirAll(s.screens, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// tab is one journey's browser tab, in a browser context of its own.
type tab struct {
	t      *testing.T
	s      *site
	ctx    context.Context
	width  int64
	height int64
	pages  []string // the pages checked so far
	// allow names axe-core rules a journey excuses, with the reason, on
	// the pages it reaches while set.
	allow map[string]string
}

// newTab opens a tab width×height CSS pixels wide; the journey's steps must
// finish within two minutes.
func (s *site) newTab(t *testing.T, width, height int64) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(s.browser, chromedp.WithNewBrowserContext())
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel() })
	b := &tab{t: t, s: s, ctx: ctx, width: width, height: height}
	b.do(chromedp.EmulateViewport(width, height))
	return b
}

func (b *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", b.where(), err)
	}
}

// eval runs a script in the page and decodes its result into T.
func eval[T any](b *tab, script string, opts ...chromedp.EvaluateOption) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](script, opts...))
	if err != nil {
		b.t.Fatalf("%s: evaluate %.80q: %v", b.where(), script, err)
	}
	return v
}

// where names the current page for failure messages.
func (b *tab) where() string {
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		return "(no page)"
	}
	return strings.TrimPrefix(loc, b.s.url)
}

// path is the current page's path and query.
func (b *tab) path() string {
	return eval[string](b, `location.pathname + location.search`)
}

// open goes to path and checks the page it lands on.
func (b *tab) open(path string, want *regexp.Regexp) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.s.url + path))
	b.arrive(want)
}

// navigates runs actions that leave the page (a click on a link, a submit)
// and waits for the next page to load, then checks it. It marks the old
// document so that a form re-shown at the same address still counts as new.
func (b *tab) navigates(want *regexp.Regexp, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	b.leaves(actions...)
	b.arrive(want)
}

// leaves runs actions that leave the page and waits for the next one to
// load, wherever it is, without checking it (another site's page is not
// copbank's to check).
func (b *tab) leaves(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	eval[bool](b, `window.copbankOldPage = true`)
	b.do(actions...)
	deadline := time.Now().Add(30 * time.Second)
	for {
		v, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`!window.copbankOldPage && document.readyState === "complete"`))
		if err == nil && v {
			break
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("%s: no new page loaded within 30s (last error %v)", b.where(), err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// arrive checks the page just loaded: its address, axe-core, and no
// horizontal scrolling at 320 px.
func (b *tab) arrive(want *regexp.Regexp) {
	b.t.Helper()
	p := b.path()
	if want != nil && !want.MatchString(p) {
		b.t.Fatalf("landed on %s, want %s; the page says: %.600s", p, want, b.text("main"))
	}
	b.pages = append(b.pages, p)
	b.checkAxe()
	b.checkNarrow()
}

// violation is one axe-core rule broken on a page.
type violation struct {
	ID, Impact, Help string
	Nodes            []string
}

// checkAxe runs axe-core on the page and fails on any serious or critical
// violation. Runtime.evaluate is not subject to the page's CSP, which
// forbids inline script.
func (b *tab) checkAxe() {
	b.t.Helper()
	eval[chromedp.Void](b, b.s.axe+"\n;true")
	vs := eval[[]violation](b, `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
		.filter(v => v.impact === "serious" || v.impact === "critical")
		.map(v => ({ID: v.id, Impact: v.impact, Help: v.help,
			Nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + n.html.slice(0, 160))})))`, chromedp.EvalAwaitPromise)
	for _, v := range vs {
		if why, ok := b.allow[v.ID]; ok {
			b.t.Logf("%s: axe-core %s excused: %s", b.where(), v.ID, why)
			continue
		}
		b.t.Errorf("%s: axe-core %s (%s): %s\n\t%s", b.where(), v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
	}
}

// checkNarrow fails when the page scrolls sideways at 320 CSS pixels.
func (b *tab) checkNarrow() {
	b.t.Helper()
	if b.width != 320 {
		b.do(chromedp.EmulateViewport(320, 640))
		defer b.do(chromedp.EmulateViewport(b.width, b.height))
	}
	type widths struct{ Scroll, Client int }
	w := eval[widths](b, `({Scroll: document.documentElement.scrollWidth, Client: document.documentElement.clientWidth})`)
	if w.Scroll > w.Client {
		wide := eval[[]string](b, `[...document.querySelectorAll("body *")]
			.filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
			.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + e.className : ""))`)
		b.t.Errorf("%s scrolls sideways at 320 px: scrollWidth %d > clientWidth %d; too wide: %v", b.where(), w.Scroll, w.Client, wide)
	}
}

// text is the visible text of the first element matching css.
func (b *tab) text(css string) string {
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](
		fmt.Sprintf(`(document.querySelector(%q) || document.body).innerText`, css)))
	if err != nil {
		return ""
	}
	return v
}

// wantText fails unless the main content shows every string.
func (b *tab) wantText(ss ...string) {
	b.t.Helper()
	main := b.text("main")
	for _, s := range ss {
		if !strings.Contains(main, s) {
			b.t.Fatalf("%s does not show %q; it says: %.800s", b.where(), s, main)
		}
	}
}

// fill types value into the field labelled by id, replacing what it held.
func (b *tab) fill(id, value string) {
	b.t.Helper()
	eval[bool](b, fmt.Sprintf(`(e => { e.value = ""; return true })(document.getElementById(%q))`, id))
	b.do(chromedp.SendKeys(chromedp.CSS("#"+id), value))
}

// click clicks (with the mouse) the first element matching an XPath or CSS
// selector.
func click(sel string) chromedp.Action[chromedp.Void] {
	if strings.HasPrefix(sel, "/") || strings.HasPrefix(sel, "(") {
		return chromedp.Click(chromedp.Search(sel), chromedp.NodeVisible)
	}
	return chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)
}

// button is the XPath of a button or link whose text starts with label.
func button(label string) string {
	return fmt.Sprintf(`(//main//button[starts-with(normalize-space(.), %q)] | //main//a[starts-with(normalize-space(.), %q)])`, label, label)
}

// screenshot writes the page to testdata/screens/name.png when make screens
// asked for it.
func (b *tab) screenshot(name string) { b.t.Helper(); b.capture(name, chromedp.FullScreenshot(100)) }

// screenshotView writes only what the window shows, for the README.
func (b *tab) screenshotView(name string) {
	b.t.Helper()
	b.capture(name, chromedp.CaptureScreenshot())
}

func (b *tab) capture(name string, shot chromedp.Action[[]byte]) {
	b.t.Helper()
	if b.s.screens == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, shot)
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.s.screens, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// focused describes document.activeElement and whether its focus shows.
type focused struct {
	Tag, ID, Name, Type, Text, Href, Card string
	Outline                               string
	Visible                               bool
}

const focusedScript = `(() => {
	const e = document.activeElement || document.body;
	const cs = getComputedStyle(e);
	const outline = cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0;
	const shadow = cs.boxShadow && cs.boxShadow !== "none";
	const card = e.closest(".card");
	return {Tag: e.tagName.toLowerCase(), ID: e.id || "", Name: e.getAttribute("name") || "", Type: e.getAttribute("type") || "",
		Text: (e.innerText || e.value || "").trim().slice(0, 80), Href: e.getAttribute("href") || "",
		Card: card ? card.innerText : "",
		Outline: cs.outlineStyle + " " + cs.outlineWidth + " " + cs.outlineColor + " / " + cs.boxShadow,
		Visible: outline || shadow};
})()`

// focus reports the focused element.
func (b *tab) focus() focused {
	b.t.Helper()
	return eval[focused](b, focusedScript)
}

var errNoFocus = errors.New("not reached")

// tabTo presses Tab (or Shift+Tab when back) until the focused element
// satisfies match, at most max times, checking that each element that takes
// focus shows it.
func (b *tab) tabTo(what string, back bool, max int, match func(focused) bool) focused {
	b.t.Helper()
	var opts []chromedp.KeyOption
	if back {
		opts = append(opts, chromedp.KeyModifiers(chromedp.ModifierShift))
	}
	var seen []string
	for range max {
		b.do(chromedp.KeyEvent("\t", opts...))
		f := b.focus()
		if f.Tag != "body" && !f.Visible {
			b.t.Errorf("%s: focus on <%s id=%q> %q is not visible (outline %s)", b.where(), f.Tag, f.ID, f.Text, f.Outline)
		}
		if match(f) {
			return f
		}
		seen = append(seen, fmt.Sprintf("<%s#%s %q>", f.Tag, f.ID, f.Text))
	}
	b.t.Fatalf("%s: %v: %s after %d presses of Tab; focus went %s", b.where(), errNoFocus, what, max, strings.Join(seen, " → "))
	return focused{}
}
