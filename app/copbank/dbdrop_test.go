package main

import (
	"database/sql"
	"net/url"
	"strings"
	"testing"

	"github.com/copbank/copbank/db/dbtest"
)

func dropDatabase(t *testing.T, dbURL string) {
	t.Helper()
	u, _ := url.Parse(dbURL)
	name := strings.TrimPrefix(u.Path, "/")
	admin, err := sql.Open("pgx", dbtest.ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`DROP DATABASE ` + name + ` WITH (FORCE)`); err != nil {
		t.Fatal(err)
	}
}
