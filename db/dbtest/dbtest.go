// Package dbtest runs storage tests on both databases: PostgreSQL (a fresh
// database cloned from a migrated template on the server at
// TEST_DATABASE_URL) and SQLite (a file in a temp dir).
//
// With CI set, an unreachable PostgreSQL fails the test; elsewhere it skips
// with a message saying so.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/copbank/copbank/db"
)

// DefaultPostgresURL is the server every developer machine and CI run has.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Each runs fn as two subtests, "postgres" and "sqlite", each on its own
// freshly migrated database.
func Each(t *testing.T, fn func(t *testing.T, s *db.Store)) {
	t.Helper()
	for _, d := range []db.Dialect{db.Postgres, db.SQLite} {
		t.Run(string(d), func(t *testing.T) {
			fn(t, New(t, d))
		})
	}
}

// New returns a migrated Store on a database of its own, removed at cleanup.
func New(tb testing.TB, d db.Dialect) *db.Store {
	tb.Helper()
	url := NewURL(tb, d)
	s, err := db.Open(context.Background(), url)
	if err != nil {
		tb.Fatalf("open %s: %v", d, err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	if d == db.SQLite {
		if _, err := s.Migrate(context.Background()); err != nil {
			tb.Fatalf("migrate sqlite: %v", err)
		}
	}
	return s
}

// NewURL returns the DATABASE_URL of a fresh, migrated database of dialect d
// (for tests that boot the whole program).
func NewURL(tb testing.TB, d db.Dialect) string {
	tb.Helper()
	if d == db.SQLite {
		return "sqlite://" + filepath.Join(tb.TempDir(), "copbank.db")
	}
	return newPostgres(tb)
}

// ServerURL is the PostgreSQL server tests use.
func ServerURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

func newPostgres(tb testing.TB) string {
	tb.Helper()
	admin, err := sql.Open("pgx", ServerURL())
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = admin.PingContext(ctx)
		cancel()
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("PostgreSQL at %s is unreachable and CI is set: %v", ServerURL(), err)
		}
		tb.Skipf("PostgreSQL at %s is unreachable (set CI to make this fail): %v", ServerURL(), err)
	}
	defer admin.Close()

	templateOnce.Do(func() { templateName, templateErr = ensureTemplate(admin) })
	if templateErr != nil {
		tb.Fatalf("prepare template database: %v", templateErr)
	}
	name := "copbank_t_" + randomSuffix()
	if _, err := admin.Exec(fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, templateName)); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		admin, err := sql.Open("pgx", ServerURL())
		if err != nil {
			return
		}
		defer admin.Close()
		if _, err := admin.Exec(fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name)); err != nil {
			tb.Logf("drop test database %s: %v", name, err)
		}
	})
	return withDatabase(ServerURL(), name)
}

// ensureTemplate creates, once per schema version, a migrated database that
// every test clones; cloning is far cheaper than migrating each time.
func ensureTemplate(admin *sql.DB) (string, error) {
	name := "copbank_tmpl_" + migrationsHash()
	ctx := context.Background()
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	// Test packages run as parallel processes; one builds the template.
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(727001)`); err != nil {
		return "", err
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock(727001)`) //nolint:errcheck
	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_wip"
	_, _ = conn.ExecContext(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, building))
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`CREATE DATABASE %s`, building)); err != nil {
		return "", err
	}
	s, err := db.Open(ctx, withDatabase(ServerURL(), building))
	if err != nil {
		return "", err
	}
	_, err = s.Migrate(ctx)
	s.Close()
	if err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`ALTER DATABASE %s RENAME TO %s`, building, name)); err != nil {
		return "", err
	}
	return name, nil
}

func migrationsHash() string {
	h := sha256.New()
	for _, fsys := range []fs.FS{db.MigrationsFS(db.Postgres), db.JobMigrationsFS(db.Postgres)} {
		var names []string
		_ = fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				names = append(names, path)
			}
			return nil
		})
		sort.Strings(names)
		for _, n := range names {
			b, _ := fs.ReadFile(fsys, n)
			h.Write([]byte(n))
			h.Write(b)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

func withDatabase(server, name string) string {
	u, err := url.Parse(server)
	if err != nil {
		return server
	}
	u.Path = "/" + name
	return u.String()
}

func randomSuffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
