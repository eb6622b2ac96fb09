package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/domain"
	"github.com/copbank/copbank/web"
)

// env is a copbank server on a real port over a fresh database, with a clock
// the test moves, an admin and a coordinator of area DUR.
type env struct {
	t      *testing.T
	url    string
	app    *app.App
	store  *db.Store
	now    atomic.Pointer[time.Time]
	london *time.Location
	client *http.Client
	srv    *web.Server

	admin, coordinator string // bearer tokens
	force, hood        domain.Area
	firstAid           domain.Skill
	sent               mailbox    // what the app's Notifier was given
	logs               *logBuffer // warnings and errors the server logged
	secrets            sync.Map   // user id → TOTP secret, of accounts enrolled by the helpers
	jobs               sync.Once
}

// t0 is the test clock's start: Monday 4 January 2027, 09:00 in London.
var t0 = time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)

func eachDB(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	for _, d := range []db.Dialect{db.Postgres, db.SQLite} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, newEnv(t, d))
		})
	}
}

func newEnv(t *testing.T, d db.Dialect) *env {
	t.Helper()
	store := dbtest.New(t, d)
	cfg := app.DefaultConfig()
	cfg.PasswordMemoryKiB = 1024
	cfg.TokenTTL = 60 * 24 * time.Hour // the test clock moves by days
	cfg.MFARequired = nil              // tests that need the second factor required turn it on
	logs := &logBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a := app.New(store, cfg, log)
	e := &env{t: t, app: a, store: store, london: cfg.TimeZone, logs: logs}
	start := t0
	e.now.Store(&start)
	a.Now = func() time.Time { return *e.now.Load() }
	a.Notify = &e.sent

	srv := web.New(a, log)
	e.srv = srv
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Fiber().Listener(ln) }()
	e.client = &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	t.Cleanup(func() {
		// Idle keep-alive connections would hold Shutdown until they time out.
		e.client.CloseIdleConnections()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	e.url = "http://" + ln.Addr().String()

	ctx := context.Background()
	lat, lon := 54.77, -1.57
	e.force = e.mustArea(domain.Area{ID: app.NewID(), Code: "DUR", Name: "Durham", Kind: domain.AreaForce, Lat: &lat, Lon: &lon})
	e.hood = e.mustArea(domain.Area{ID: app.NewID(), Code: "DUR-N1", Name: "Durham City", Kind: domain.AreaNeighbourhood, ParentID: e.force.ID, Lat: &lat, Lon: &lon})
	if e.firstAid, err = store.CreateSkill(ctx, domain.Skill{ID: app.NewID(), Code: "first_aid", Name: "First aid", CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	e.admin = e.login("admin@example.org", []domain.Role{domain.RoleAdmin}, "", nil)
	e.coordinator = e.login("coord@example.org", []domain.Role{domain.RoleCoordinator}, "", []string{e.force.ID})
	return e
}

func (e *env) advance(d time.Duration) {
	next := e.now.Load().Add(d)
	e.now.Store(&next)
}

func (e *env) mustArea(a domain.Area) domain.Area {
	e.t.Helper()
	a.CreatedAt = t0
	out, err := e.store.CreateArea(context.Background(), a)
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// login creates an account and returns a bearer token for it.
func (e *env) login(email string, roles []domain.Role, memberID string, areaIDs []string) string {
	e.t.Helper()
	ctx := context.Background()
	u, err := e.app.CreateUser(ctx, app.NewUser{Email: email, Name: email, Password: "a long test password", Roles: roles, MemberID: memberID})
	if err != nil {
		e.t.Fatal(err)
	}
	if len(areaIDs) > 0 {
		if err := e.store.SetUserAreas(ctx, u.ID, areaIDs); err != nil {
			e.t.Fatal(err)
		}
	}
	tok, err := e.app.Login(ctx, email, "a long test password", "127.0.0.1")
	if err != nil {
		e.t.Fatal(err)
	}
	return tok.Token
}

type memberOpts struct {
	kinds      []domain.Kind
	maxHours   float64
	minRest    float64
	vetting    domain.ClearanceType
	noFirstAid bool
}

// member creates an active member with NPPV2 and first aid unless told
// otherwise, and returns its ID.
func (e *env) member(name string, o memberOpts) string {
	e.t.Helper()
	ctx := context.Background()
	if o.kinds == nil {
		o.kinds = []domain.Kind{domain.KindVolunteer}
	}
	def := domain.DefaultsFor(o.kinds)
	if o.maxHours == 0 {
		o.maxHours = def.MaxHoursPerWeek
	}
	if o.minRest == 0 {
		o.minRest = def.MinRestHours
	}
	m := domain.Member{ID: app.NewID(), Name: name, Email: name + "@example.org", Kinds: o.kinds, HomeAreaID: e.hood.ID,
		TravelKm: 10, MaxHoursPerWeek: o.maxHours, MinRestHours: o.minRest, Status: domain.MemberActive, CreatedAt: t0, UpdatedAt: t0}
	if err := e.store.CreateMember(ctx, m); err != nil {
		e.t.Fatal(err)
	}
	if o.vetting == "" {
		o.vetting = domain.NPPV2
	}
	if o.vetting != domain.VettingNone {
		c := domain.Clearance{ID: app.NewID(), MemberID: m.ID, Type: o.vetting, GrantedOn: domain.Date{Year: 2025, Month: 1, Day: 1},
			ExpiresOn: domain.Date{Year: 2030, Month: 1, Day: 1}, Status: domain.ClearanceActive, CreatedAt: t0, UpdatedAt: t0}
		if err := e.store.CreateClearance(ctx, c); err != nil {
			e.t.Fatal(err)
		}
	}
	if !o.noFirstAid {
		if err := e.store.PutMemberSkill(ctx, domain.MemberSkill{MemberID: m.ID, SkillID: e.firstAid.ID, ObtainedOn: domain.Date{Year: 2026, Month: 1, Day: 1}}); err != nil {
			e.t.Fatal(err)
		}
	}
	return m.ID
}

// memberLogin creates a member with an account and returns (member ID, token).
func (e *env) memberLogin(name string, o memberOpts) (string, string) {
	e.t.Helper()
	id := e.member(name, o)
	return id, e.login(name+"@example.org", []domain.Role{domain.RoleMember}, id, nil)
}

type resp struct {
	status int
	body   map[string]any
	raw    []byte
}

func (e *env) do(method, path, token string, body any, headers ...string) resp {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	default:
		buf, _ := json.Marshal(b)
		rd = bytes.NewReader(buf)
	}
	req, _ := http.NewRequest(method, e.url+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	r, err := e.client.Do(req)
	if err != nil {
		e.t.Errorf("%s %s: %v", method, path, err)
		return resp{}
	}
	defer r.Body.Close()
	raw, _ := io.ReadAll(r.Body)
	if err := web.CheckAgainstOpenAPI(e.srv, method, path, r.StatusCode, r.Header, raw); err != nil {
		e.t.Error(err)
	}
	out := resp{status: r.StatusCode, raw: raw}
	_ = json.Unmarshal(raw, &out.body)
	return out
}

// local formats a London wall time for start_local/end_local.
func local(t time.Time) string { return t.Format("2006-01-02T15:04") }

// demand posts a demand as the coordinator and returns its JSON.
func (e *env) demand(body map[string]any) map[string]any {
	e.t.Helper()
	base := map[string]any{"title": "Evening patrol", "problem_type": "asb", "area": "DUR-N1", "priority": 3,
		"booking_mode": "open", "timezone": "Europe/London",
		"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer", "bank_officer"}, "skills": []string{},
			"min_vetting": "NPPV1", "headcount": 2}}}
	for k, v := range body {
		base[k] = v
	}
	r := e.do(http.MethodPost, "/api/v1/demands", e.coordinator, base)
	if r.status != http.StatusCreated {
		e.t.Fatalf("post demand: %d %s", r.status, r.raw)
	}
	return r.body
}

// shiftsOf returns (shift ID, first position ID) pairs of a posted demand.
func shiftsOf(d map[string]any) [][2]string {
	var out [][2]string
	for _, s := range d["shifts"].([]any) {
		sh := s.(map[string]any)
		pos := sh["positions"].([]any)[0].(map[string]any)
		out = append(out, [2]string{sh["id"].(string), pos["id"].(string)})
	}
	return out
}

func rulesOf(r resp) []string {
	var out []string
	if rs, ok := r.body["rules"].([]any); ok {
		for _, x := range rs {
			out = append(out, x.(string))
		}
	}
	return out
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// parallel runs n requests at once, released together, and returns the answers.
func parallel(n int, fn func(i int) resp) []resp {
	out := make([]resp, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			out[i] = fn(i)
		}(i)
	}
	close(start)
	wg.Wait()
	return out
}

func countStatus(rs []resp) map[int]int {
	m := map[int]int{}
	for _, r := range rs {
		m[r.status]++
	}
	return m
}

// activeOn counts active bookings of a place straight from the database.
func (e *env) activeOn(shiftID, positionID string) int {
	e.t.Helper()
	place, err := e.store.LockPlace(context.Background(), shiftID, positionID)
	if err != nil {
		e.t.Fatal(err)
	}
	return place.Taken
}

func (e *env) headcountOf(shiftID, positionID string) int {
	e.t.Helper()
	place, err := e.store.LockPlace(context.Background(), shiftID, positionID)
	if err != nil {
		e.t.Fatal(err)
	}
	return place.Headcount
}

// logBuffer keeps what the server logs; handlers log from many goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var _ = fmt.Sprintf
