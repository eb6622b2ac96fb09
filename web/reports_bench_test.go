package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/domain"
	"github.com/copbank/copbank/web"
)

// BenchmarkHoursExportStreams exports the hours report as CSV over a real
// connection, one row per attended booking, and reports the peak Go heap
// above the baseline while it runs. Streaming means the peak stays flat as
// the rows grow: compare the sizes. Each size builds its database once, so
// run it with -benchtime=1x:
//
//	go test -run '^$' -bench BenchmarkHoursExportStreams -benchtime=1x ./web/
//
// COPBANK_BENCH_DIALECT=postgres runs it on PostgreSQL instead of SQLite.
func BenchmarkHoursExportStreams(b *testing.B) {
	dialect := db.SQLite
	if v := strings.TrimSpace(os.Getenv("COPBANK_BENCH_DIALECT")); v == string(db.Postgres) {
		dialect = db.Postgres
	}
	for _, rows := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("%s/rows=%d", dialect, rows), func(b *testing.B) {
			url, token := exportServer(b, dialect, rows)
			client := &http.Client{Timeout: 10 * time.Minute}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				runtime.GC()
				var base runtime.MemStats
				runtime.ReadMemStats(&base)
				var peak atomic.Uint64
				done := make(chan struct{})
				sampled := make(chan struct{})
				go func() {
					defer close(sampled)
					var m runtime.MemStats
					tick := time.NewTicker(5 * time.Millisecond)
					defer tick.Stop()
					for {
						runtime.ReadMemStats(&m)
						if m.HeapInuse > peak.Load() {
							peak.Store(m.HeapInuse)
						}
						select {
						case <-done:
							return
						case <-tick.C:
						}
					}
				}()
				req, _ := http.NewRequest(http.MethodGet, url+"/api/v1/reports/hours?from=2027-01-01&to=2028-12-31", nil)
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Accept", "text/csv")
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				lines, n := countLines(resp.Body)
				resp.Body.Close()
				close(done)
				<-sampled
				if resp.StatusCode != http.StatusOK || lines != rows+1 {
					b.Fatalf("status %d, %d lines, want %d rows and a header", resp.StatusCode, lines, rows)
				}
				b.SetBytes(n)
				b.ReportMetric(float64(peak.Load()-min(peak.Load(), base.HeapInuse))/(1<<20), "peak-heap-MB")
				b.ReportMetric(float64(base.HeapInuse)/(1<<20), "base-heap-MB")
			}
		})
	}
}

func countLines(r io.Reader) (int, int64) {
	buf := make([]byte, 64<<10)
	lines, total := 0, int64(0)
	for {
		n, err := r.Read(buf)
		total += int64(n)
		lines += bytes.Count(buf[:n], []byte{'\n'})
		if err != nil {
			return lines, total
		}
	}
}

// exportServer serves a database holding rows attended bookings (1000
// members over shifts of 1000 places) and returns its address and an
// admin's token.
func exportServer(b *testing.B, dialect db.Dialect, rows int) (string, string) {
	b.Helper()
	ctx := context.Background()
	store := dbtest.New(b, dialect)
	cfg := app.DefaultConfig()
	cfg.PasswordMemoryKiB = 1024
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := app.New(store, cfg, log)
	t0 := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
	area, err := store.CreateArea(ctx, domain.Area{ID: "area-1", Code: "DUR", Name: "Durham", Kind: domain.AreaForce, CreatedAt: t0})
	if err != nil {
		b.Fatal(err)
	}
	const members, perShift = 1000, 1000
	for i := 0; i < members; i++ {
		m := domain.Member{ID: fmt.Sprintf("m%04d", i), Name: fmt.Sprintf("Member %d", i), Email: fmt.Sprintf("m%d@example.org", i),
			Kinds: []domain.Kind{domain.KindVolunteer}, HomeAreaID: area.ID, TravelKm: 10, MaxHoursPerWeek: 40, MinRestHours: 8,
			Status: domain.MemberActive, CreatedAt: t0, UpdatedAt: t0}
		if err := store.CreateMember(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
	sqlDB, err := store.SQLDB()
	if err != nil {
		b.Fatal(err)
	}
	exec := func(q string, args ...any) {
		if dialect == db.Postgres {
			for i := 1; strings.Contains(q, "?"); i++ {
				q = strings.Replace(q, "?", fmt.Sprintf("$%d", i), 1)
			}
		}
		if _, err := sqlDB.ExecContext(ctx, q, args...); err != nil {
			b.Fatalf("%v\n%s", err, q)
		}
	}
	exec(`INSERT INTO demands (id, title, problem_type, area_id, priority, booking_mode, timezone, start_local, end_local, status, created_at, updated_at)
		VALUES ('d1', 'Patrol', 'asb', ?, 3, 'open', 'Europe/London', '2027-01-04T18:00', '2027-01-04T22:00', 'active', ?, ?)`, area.ID, t0, t0)
	exec(`INSERT INTO positions (id, demand_id, ordinal, name, kinds, min_vetting, headcount) VALUES ('p1', 'd1', 0, 'Patrol', 'volunteer', 'NPPV1', ?)`, perShift)
	shifts := (rows + perShift - 1) / perShift
	for s := 0; s < shifts; s++ {
		start := t0.Add(time.Duration(s) * 12 * time.Hour)
		exec(`INSERT INTO shifts (id, demand_id, area_id, occurrence, starts_at, ends_at, status, created_at, updated_at)
			VALUES (?, 'd1', ?, ?, ?, ?, 'scheduled', ?, ?)`, fmt.Sprintf("s%05d", s), area.ID, fmt.Sprint(s), start, start.Add(4*time.Hour), t0, t0)
		exec(`INSERT INTO shift_positions (shift_id, position_id, headcount) VALUES (?, 'p1', ?)`, fmt.Sprintf("s%05d", s), perShift)
	}
	// The bookings, made by the database in bulk: booking n is member
	// n mod 1000 on shift n div 1000.
	series := `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?) SELECT i FROM n`
	id, member, shift := `'b' || printf('%07d', i)`, `'m' || printf('%04d', i % 1000)`, `'s' || printf('%05d', i / 1000)`
	if dialect == db.Postgres {
		series = `SELECT i FROM generate_series(0, ? - 1) AS i`
		id, member, shift = `'b' || lpad(i::text, 7, '0')`, `'m' || lpad((i % 1000)::text, 4, '0')`, `'s' || lpad((i / 1000)::text, 5, '0')`
	}
	exec(`INSERT INTO bookings (id, shift_id, position_id, member_id, status, starts_at, ends_at, created_at, updated_at, attendance)
		SELECT `+id+`, sh.id, 'p1', `+member+`, 'attended', sh.starts_at, sh.ends_at, sh.created_at, sh.created_at, 'attended'
		FROM (`+series+`) AS x JOIN shifts sh ON sh.id = `+shift, rows)

	if _, err := a.CreateUser(ctx, app.NewUser{Email: "admin@example.org", Name: "Admin", Password: "a long test password",
		Roles: []domain.Role{domain.RoleAdmin}}); err != nil {
		b.Fatal(err)
	}
	tok, err := a.Login(ctx, "admin@example.org", "a long test password", "127.0.0.1")
	if err != nil {
		b.Fatal(err)
	}
	srv := web.New(a, log)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go func() { _ = srv.Fiber().Listener(ln) }()
	b.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	return "http://" + ln.Addr().String(), tok.Token
}
