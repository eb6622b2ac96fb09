package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
)

func TestRetentionRunPrintsWhatItAnonymised(t *testing.T) {
	t.Parallel()
	env := envFrom(map[string]string{"DATABASE_URL": dbtest.NewURL(t, db.SQLite)})
	var out bytes.Buffer
	if err := run(context.Background(), []string{"retention", "run"}, env, strings.NewReader(""), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "anonymised 0 member(s) inactive for 24 months or more") {
		t.Fatalf("output: %q", out.String())
	}
	if err := run(context.Background(), []string{"retention"}, env, strings.NewReader(""), &out, io.Discard); err == nil {
		t.Fatal("retention without run was taken")
	}
}
