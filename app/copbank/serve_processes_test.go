package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
)

// perProcessWorkers is app.jobWorkers: the most jobs one serve process
// works at once, so the most emails it can be sending at once.
const perProcessWorkers = 8

// TestTwoServeProcessesShareTheNoticesWithoutSendingTwice proves, at the
// level of the operating system, that a notice goes once however many
// processes serve: two `copbank serve`
// processes, built from this tree, on one PostgreSQL database and one SMTP
// server. Forty members are booked onto one shift, half through each
// process's API; every confirmation arrives exactly once, and both
// processes delivered some of them.
//
// Both must deliver: the SMTP server holds every message until more are in
// flight at once than one process has workers, which only happens when the
// second process is sending too (a safety timeout stops a broken run from
// hanging, and then the test fails saying so).
func TestTwoServeProcessesShareTheNoticesWithoutSendingTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs two servers: not in -short")
	}
	t.Parallel()
	bin := buildCopbank(t)
	dbURL := dbtest.NewURL(t, db.Postgres)
	sink := startGatedSMTP(t, perProcessWorkers+1, 20*time.Second)

	env := map[string]string{
		"DATABASE_URL":         dbURL,
		"ADDR":                 "127.0.0.1:0",
		"COPBANK_MFA_REQUIRED": "none",
		"COPBANK_SMTP_URL":     sink.url,
		"COPBANK_MAIL_FROM":    "copbank <noreply@copbank.test>",
		"COPBANK_BASE_URL":     "http://copbank.test",
	}
	runCopbank(t, bin, env, "", "migrate")
	const password = "a long enough admin password"
	runCopbank(t, bin, env, password+"\n", "user", "create", "--email", "admin@copbank.test", "--name", "Admin", "--roles", "admin")

	a := startServe(t, bin, env, "A")
	b := startServe(t, bin, env, "B")
	for _, p := range []*serveProcess{a, b} {
		p.waitReady(t)
	}
	pg, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })
	// The periodic sweeps run once at start (on the elected leader); let them
	// finish on the empty database so the only mail is the confirmations.
	waitFor(t, 60*time.Second, "the periodic sweeps to run once at start", func() (bool, string) {
		var done int
		err := pg.QueryRow(`SELECT count(DISTINCT kind) FROM river_job WHERE state = 'completed'
			AND kind IN ('reminder_sweep', 'retention', 'expiry_sweep', 'digest_sweep')`).Scan(&done)
		return err == nil && done == 4, fmt.Sprintf("%d of 4 sweeps completed (err %v)", done, err)
	})

	api := &apiClient{t: t, http: &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
	t.Cleanup(api.http.CloseIdleConnections)
	login := api.call(a.url, http.MethodPost, "/api/v1/auth/login", map[string]any{"email": "admin@copbank.test", "password": password}, http.StatusOK)
	api.token, _ = login["token"].(string)

	api.call(a.url, http.MethodPost, "/api/v1/areas", map[string]any{"code": "TST", "name": "Testshire", "kind": "force"}, http.StatusCreated)
	api.call(b.url, http.MethodPost, "/api/v1/areas", map[string]any{"code": "TST-N1", "name": "Testshire North", "kind": "neighbourhood",
		"parent_code": "TST", "lat": 54.54, "lon": -1.55}, http.StatusCreated)
	const places = 40
	members := make([]string, places)
	emails := make([]string, places)
	for i := range members {
		emails[i] = fmt.Sprintf("member%02d@example.org", i)
		m := api.call([]string{a.url, b.url}[i%2], http.MethodPost, "/api/v1/members", map[string]any{
			"name": fmt.Sprintf("Member %02d", i), "email": emails[i], "kinds": []string{"volunteer"}, "home_area": "TST-N1"}, http.StatusCreated)
		members[i], _ = m["id"].(string)
	}
	day := time.Now().AddDate(0, 0, 14).Format("2006-01-02")
	d := api.call(b.url, http.MethodPost, "/api/v1/demands", map[string]any{"title": "Evening patrol", "problem_type": "asb",
		"area": "TST-N1", "booking_mode": "open", "timezone": "Europe/London", "start_local": day + "T18:00", "end_local": day + "T22:00",
		"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "headcount": places}}}, http.StatusCreated)
	shiftID, positionID := firstPlace(t, d)

	// Every booking at once, even ones through A and odd ones through B.
	var wg sync.WaitGroup
	errs := make(chan error, places)
	for i := range members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			base := []string{a.url, b.url}[i%2]
			status, body, err := api.send(base, http.MethodPost, "/api/v1/shifts/"+shiftID+"/bookings",
				map[string]any{"position_id": positionID, "member_id": members[i]})
			if err == nil && status != http.StatusCreated {
				err = fmt.Errorf("status %d: %s", status, body)
			}
			if err != nil {
				errs <- fmt.Errorf("book %s through %s: %w", emails[i], base, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		t.FailNow()
	}

	subject := "Place confirmed: Evening patrol"
	waitFor(t, 60*time.Second, "every confirmation to arrive", func() (bool, string) {
		got := map[string]bool{}
		for _, m := range sink.messages(t) {
			if strings.HasPrefix(m.subject, subject) {
				got[m.to] = true
			}
		}
		return len(got) == places, fmt.Sprintf("%d of %d members have theirs; at most %d in flight at once, gate opened %v",
			len(got), places, sink.maxInFlight(), sink.gateOpened())
	})
	waitFor(t, 30*time.Second, "the job queue to settle", func() (bool, string) {
		var open int
		err := pg.QueryRow(`SELECT count(*) FROM river_job WHERE state NOT IN ('completed', 'cancelled', 'discarded')`).Scan(&open)
		return err == nil && open == 0, fmt.Sprintf("%d job(s) not finished (err %v)", open, err)
	})
	time.Sleep(2 * time.Second) // room for a second sending, were there one

	if !sink.gateOpened() {
		t.Errorf("never more than %d messages in flight at once: one process sent everything (or app.jobWorkers is no longer %d)",
			sink.maxInFlight(), perProcessWorkers)
	}
	t.Logf("at most %d messages were in flight at once", sink.maxInFlight())

	count := map[receivedMail]int{}
	for _, m := range sink.messages(t) {
		count[m]++
	}
	for m, n := range count {
		if n != 1 {
			t.Errorf("%s got %q %d times, want once", m.to, m.subject, n)
		}
		if !strings.HasPrefix(m.subject, subject) {
			t.Errorf("%s got an unexpected message: %q", m.to, m.subject)
		}
	}
	for _, e := range emails {
		n := 0
		for m := range count {
			if m.to == e && strings.HasPrefix(m.subject, subject) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s got %d different confirmations, want 1", e, n)
		}
	}

	for _, p := range []*serveProcess{a, b} {
		if strings.Contains(p.stderr.String(), "sending a message again") {
			t.Errorf("serve %s retried a message whose first sending was not recorded", p.name)
		}
	}

	// The database agrees: one completed notice job per booking, each message
	// recorded as sent, and the jobs split between the two processes' clients.
	var notices, sent, retried int
	if err := pg.QueryRow(`SELECT count(*) FILTER (WHERE state = 'completed'), count(*) FILTER (WHERE attempt > 1)
		FROM river_job WHERE kind = 'booking_notice'`).Scan(&notices, &retried); err != nil {
		t.Fatal(err)
	}
	if err := pg.QueryRow(`SELECT count(*) FROM notifications_sent WHERE event LIKE 'booking.confirmed/%' AND state = 'sent'`).Scan(&sent); err != nil {
		t.Fatal(err)
	}
	if notices != places || sent != places {
		t.Errorf("%d booking notice jobs completed and %d confirmations recorded as sent, want %d of each", notices, sent, places)
	}
	if retried > 0 {
		t.Logf("%d notice job(s) needed more than one attempt", retried)
	}
	rows, err := pg.Query(`SELECT attempted_by[cardinality(attempted_by)], count(*) FROM river_job
		WHERE kind = 'booking_notice' AND state = 'completed' GROUP BY 1 ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	split := map[string]int{}
	for rows.Next() {
		var client string
		var n int
		if err := rows.Scan(&client, &n); err != nil {
			t.Fatal(err)
		}
		split[client] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("notice jobs by River client: %v", split)
	if len(split) != 2 {
		t.Errorf("notice jobs were worked by %d client(s), want both processes'", len(split))
	}
}

// buildCopbank builds this tree's binary into a temp dir, without the race
// detector (the processes are the subject, not the test's own goroutines).
func buildCopbank(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build copbank: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "copbank")
	cmd := exec.Command(goTool, "build", "-o", bin, "./app/copbank")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// processEnv is the test's environment without any copbank settings of the
// developer's shell, then env.
func processEnv(env map[string]string) []string {
	var out []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k == "DATABASE_URL" || k == "ADDR" || strings.HasPrefix(k, "COPBANK_") {
			continue
		}
		out = append(out, kv)
	}
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

// runCopbank runs one command of the binary to completion.
func runCopbank(t *testing.T, bin string, env map[string]string, stdin string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = processEnv(env)
	cmd.Stdin = strings.NewReader(stdin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("copbank %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// lockedBuffer is an output of a child process that the test reads while
// the process writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// serveProcess is one `copbank serve` running as a process of its own.
type serveProcess struct {
	name           string
	cmd            *exec.Cmd
	stdout, stderr *lockedBuffer
	exited         chan struct{}
	waitErr        error
	url            string
}

var servingOn = regexp.MustCompile(`serving on (http://\S+)`)

// startServe starts `copbank serve` and waits until it says where it
// listens; at cleanup it is sent SIGTERM (then SIGKILL if it hangs), and its
// output is logged if the test failed.
func startServe(t *testing.T, bin string, env map[string]string, name string) *serveProcess {
	t.Helper()
	p := &serveProcess{name: name, stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, exited: make(chan struct{})}
	p.cmd = exec.Command(bin, "serve")
	p.cmd.Env = processEnv(env)
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start serve %s: %v", name, err)
	}
	go func() {
		p.waitErr = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.exited:
			if p.waitErr != nil {
				t.Errorf("serve %s exited after SIGTERM with %v", name, p.waitErr)
			}
		case <-time.After(40 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.exited
			t.Errorf("serve %s did not stop within 40s of SIGTERM; killed", name)
		}
		if t.Failed() {
			t.Logf("serve %s stdout:\n%s", name, p.stdout)
			t.Logf("serve %s stderr:\n%s", name, p.stderr)
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for p.url == "" {
		if m := servingOn.FindStringSubmatch(p.stdout.String()); m != nil {
			p.url = m[1]
			break
		}
		select {
		case <-p.exited:
			t.Fatalf("serve %s stopped before serving: %v", name, p.waitErr)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve %s did not start within 60s", name)
		}
	}
	return p
}

func (p *serveProcess) waitReady(t *testing.T) {
	t.Helper()
	waitFor(t, 30*time.Second, "serve "+p.name+" /readyz", func() (bool, string) {
		resp, err := http.Get(p.url + "/readyz")
		if err != nil {
			return false, err.Error()
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK, resp.Status
	})
}

// waitFor polls ready until it holds, failing the test with its last word
// after timeout.
func waitFor(t *testing.T, timeout time.Duration, what string, ready func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, state := ready()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s: %s", timeout, what, state)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// apiClient calls the JSON API of either process with one bearer token.
type apiClient struct {
	t     *testing.T
	http  *http.Client
	token string
}

func (c *apiClient) send(base, method, path string, body any) (int, []byte, error) {
	data, err := json.Marshal(body)
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequest(method, base+path, bytes.NewReader(data))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, err
}

// call sends body and fails the test unless the answer has status want.
func (c *apiClient) call(base, method, path string, body any, want int) map[string]any {
	c.t.Helper()
	status, raw, err := c.send(base, method, path, body)
	if err != nil {
		c.t.Fatalf("%s %s%s: %v", method, base, path, err)
	}
	if status != want {
		c.t.Fatalf("%s %s%s: %d, want %d: %s", method, base, path, status, want, raw)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		c.t.Fatalf("%s %s%s: %v: %s", method, base, path, err, raw)
	}
	return out
}

// firstPlace is the first shift and position of a demand as the API shows it.
func firstPlace(t *testing.T, d map[string]any) (shiftID, positionID string) {
	t.Helper()
	shifts, _ := d["shifts"].([]any)
	if len(shifts) == 0 {
		t.Fatalf("demand has no shifts: %v", d)
	}
	sh, _ := shifts[0].(map[string]any)
	shiftID, _ = sh["id"].(string)
	if ps, _ := sh["positions"].([]any); len(ps) > 0 {
		p, _ := ps[0].(map[string]any)
		positionID, _ = p["id"].(string)
	}
	if shiftID == "" || positionID == "" {
		t.Fatalf("no shift and position in the demand: %v", d)
	}
	return shiftID, positionID
}

// gatedSMTP is an SMTP server that keeps every message and holds each one
// until threshold are in flight at once (then lets all through for good),
// or until hold has passed for that message.
type gatedSMTP struct {
	url       string
	threshold int
	hold      time.Duration
	open      chan struct{}

	mu       sync.Mutex
	data     [][]byte
	inFlight int
	most     int
	opened   bool
}

func startGatedSMTP(t *testing.T, threshold int, hold time.Duration) *gatedSMTP {
	t.Helper()
	g := &gatedSMTP{threshold: threshold, hold: hold, open: make(chan struct{})}
	srv := smtp.NewServer(g)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	g.url = "smtp://" + l.Addr().String()
	return g
}

func (g *gatedSMTP) NewSession(*smtp.Conn) (smtp.Session, error) { return &gatedSession{g: g}, nil }

func (g *gatedSMTP) deliver(data []byte) {
	g.mu.Lock()
	g.inFlight++
	g.most = max(g.most, g.inFlight)
	if g.inFlight >= g.threshold && !g.opened {
		g.opened = true
		close(g.open)
	}
	g.mu.Unlock()
	select {
	case <-g.open:
	case <-time.After(g.hold):
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.inFlight--
	g.data = append(g.data, data)
}

func (g *gatedSMTP) gateOpened() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.opened
}

func (g *gatedSMTP) maxInFlight() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.most
}

// receivedMail is a delivered message's recipient and decoded subject.
type receivedMail struct{ to, subject string }

func (g *gatedSMTP) messages(t *testing.T) []receivedMail {
	t.Helper()
	g.mu.Lock()
	data := append([][]byte(nil), g.data...)
	g.mu.Unlock()
	var out []receivedMail
	dec := new(mime.WordDecoder)
	for _, d := range data {
		m, err := mail.ReadMessage(bytes.NewReader(d))
		if err != nil {
			t.Fatalf("unreadable message: %v\n%s", err, d)
		}
		subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
		if err != nil {
			t.Fatalf("subject %q: %v", m.Header.Get("Subject"), err)
		}
		to, err := mail.ParseAddress(m.Header.Get("To"))
		if err != nil {
			t.Fatalf("to %q: %v", m.Header.Get("To"), err)
		}
		out = append(out, receivedMail{to: to.Address, subject: subject})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].to+out[i].subject < out[j].to+out[j].subject })
	return out
}

type gatedSession struct{ g *gatedSMTP }

func (s *gatedSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *gatedSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *gatedSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.g.deliver(data)
	return nil
}
func (s *gatedSession) Reset()        {}
func (s *gatedSession) Logout() error { return nil }
