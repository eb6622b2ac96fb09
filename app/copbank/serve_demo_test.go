package main

import (
	"net/http"
	"testing"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
)

func TestServeDemoMakesTheConfiguredAdmin(t *testing.T) {
	t.Parallel()
	for _, d := range []db.Dialect{db.Postgres, db.SQLite} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			srv := bootWith(t, []string{"serve", "--demo"}, map[string]string{"DATABASE_URL": dbtest.NewURL(t, d), "ADDR": "127.0.0.1:0",
				"COPBANK_ADMIN_EMAIL": "ops@example.org", "COPBANK_ADMIN_PASSWORD": "operator password 123"})
			for _, login := range []string{
				`{"email":"ops@example.org","password":"operator password 123"}`,
				`{"email":"admin@demo.copbank.uk","password":"copbank-demo-2027"}`,
			} {
				resp, body := postJSON(t, srv.url+"/api/v1/auth/login", login)
				if resp.StatusCode != http.StatusOK || body["token"] == nil {
					t.Fatalf("sign in with %s after serve --demo: %d %v", login, resp.StatusCode, body)
				}
			}
		})
	}
}
