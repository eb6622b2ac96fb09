package dbtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"time"
)

// Scratch is an empty PostgreSQL database made for one run (a benchmark, a
// tool) outside a test, and dropped by its maker when done.
type Scratch struct {
	Name string // the database's name: the prefix and 10 random hex digits
	URL  string // its DATABASE_URL, with the server's credentials and parameters
	// server is the URL of a database on the same server to run DROP from.
	server string
}

// CreateScratch creates an empty database named prefix plus a random suffix
// on the PostgreSQL server at serverURL. It fails within five seconds when
// the server does not answer; errors show the server's URL without its
// password.
func CreateScratch(ctx context.Context, serverURL, prefix string) (*Scratch, error) {
	if _, err := url.Parse(serverURL); err != nil {
		return nil, fmt.Errorf("database URL %q is not a postgres:// URL", redacted(serverURL))
	}
	conn, err := sql.Open("pgx", serverURL)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := conn.PingContext(pingCtx); err != nil {
		return nil, fmt.Errorf("PostgreSQL at %s is unreachable: %w", redacted(serverURL), err)
	}
	name := prefix + randomSuffix()[:10]
	if _, err := conn.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		return nil, fmt.Errorf("create database %s: %w", name, err)
	}
	return &Scratch{Name: name, URL: withDatabase(serverURL, name), server: serverURL}, nil
}

// Drop removes the database even when connections to it are still open.
func (s *Scratch) Drop() error {
	conn, err := sql.Open("pgx", s.server)
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = conn.ExecContext(ctx, `DROP DATABASE IF EXISTS `+s.Name+` WITH (FORCE)`)
	return err
}

// redacted is a database URL fit for an error message.
func redacted(server string) string {
	u, err := url.Parse(server)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}
