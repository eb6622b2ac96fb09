package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver for CREATE/DROP DATABASE
)

// scratchDB is a database the bench created and drops when done.
type scratchDB struct {
	admin string // URL of a database on the same server to run DROP from
	name  string
	url   string
}

func createScratch(ctx context.Context, adminURL, prefix string) (*scratchDB, error) {
	conn, err := sql.Open("pgx", adminURL)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := conn.PingContext(pingCtx); err != nil {
		return nil, fmt.Errorf("PostgreSQL at %s is unreachable: %w", redactURL(adminURL), err)
	}
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	name := prefix + hex.EncodeToString(b)
	if _, err := conn.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		return nil, fmt.Errorf("create database %s: %w", name, err)
	}
	u, err := withDatabaseName(adminURL, name)
	if err != nil {
		return nil, err
	}
	return &scratchDB{admin: adminURL, name: name, url: u}, nil
}

// drop removes the database even when connections are still open.
func (s *scratchDB) drop() error {
	conn, err := sql.Open("pgx", s.admin)
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = conn.ExecContext(ctx, `DROP DATABASE IF EXISTS `+s.name+` WITH (FORCE)`)
	return err
}

func withDatabaseName(server, name string) (string, error) {
	i := strings.Index(server, "://")
	if i < 0 {
		return "", fmt.Errorf("database URL %q is not a postgres:// URL", redactURL(server))
	}
	rest := server[i+3:]
	query := ""
	if q := strings.IndexByte(rest, '?'); q >= 0 {
		rest, query = rest[:q], rest[q:]
	}
	if s := strings.IndexByte(rest, '/'); s >= 0 {
		rest = rest[:s]
	}
	return server[:i+3] + rest + "/" + name + query, nil
}

// redactURL hides a password in a database URL.
func redactURL(u string) string {
	i := strings.Index(u, "://")
	at := strings.LastIndexByte(u, '@')
	if i < 0 || at < i {
		return u
	}
	creds := u[i+3 : at]
	if c := strings.IndexByte(creds, ':'); c >= 0 {
		return u[:i+3] + creds[:c] + ":***" + u[at:]
	}
	return u
}
