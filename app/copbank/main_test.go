package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
)

// booted is a copbank serve started by run() on a free port.
type booted struct {
	url  string
	stop context.CancelFunc
	done chan error
}

func envFrom(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func boot(t *testing.T, env map[string]string) *booted {
	t.Helper()
	return bootWith(t, []string{"serve"}, env)
}

// bootWith runs copbank with args (a serve command) until it serves.
func bootWith(t *testing.T, args []string, env map[string]string) *booted {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	b := &booted{stop: cancel, done: make(chan error, 1)}
	go func() {
		b.done <- run(ctx, args, envFrom(env), strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	addrRE := regexp.MustCompile(`serving on (http://\S+)`)
	lines := bufio.NewScanner(pr)
	found := make(chan string, 1)
	go func() {
		for lines.Scan() {
			if m := addrRE.FindStringSubmatch(lines.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case b.url = <-found:
	case err := <-b.done:
		t.Fatalf("serve stopped before serving: %v", err)
	// Generous: serve --demo seeds the whole demo first, and under the race
	// detector on a busy machine that alone can take minutes.
	case <-time.After(5 * time.Minute):
		t.Fatal("serve did not start within 5 minutes")
	}
	t.Cleanup(func() {
		cancel()
		<-b.done
	})
	return b
}

func postJSON(t *testing.T, url, body string, header ...string) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (*http.Response, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp, out
}

func TestUserCreatedOnTheCommandLineCanSignInOverTheAPI(t *testing.T) {
	t.Parallel()
	for _, d := range []db.Dialect{db.Postgres, db.SQLite} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			env := map[string]string{"DATABASE_URL": dbtest.NewURL(t, d), "ADDR": "127.0.0.1:0", "COPBANK_MFA_REQUIRED": "none"}
			var out strings.Builder
			err := run(context.Background(), []string{"user", "create", "--email", "sam@example.org", "--name", "Sam Patel", "--roles", "coordinator"},
				envFrom(env), strings.NewReader("a long enough password\n"), &out, io.Discard)
			if err != nil {
				t.Fatalf("user create: %v", err)
			}
			srv := boot(t, env)

			resp, body := postJSON(t, srv.url+"/api/v1/auth/login", `{"email":"sam@example.org","password":"a long enough password"}`)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("login: %d %v", resp.StatusCode, body)
			}
			token, _ := body["token"].(string)
			if token == "" || body["expires_at"] == nil {
				t.Fatalf("login answer lacks token or expires_at: %v", body)
			}
			req, _ := http.NewRequest(http.MethodGet, srv.url+"/api/v1/me", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			resp, me := do(t, req)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("me: %d %v", resp.StatusCode, me)
			}
			user, _ := me["user"].(map[string]any)
			if user["email"] != "sam@example.org" || fmt.Sprint(user["roles"]) != "[coordinator]" {
				t.Fatalf("me: %v", me)
			}

			resp, problem := postJSON(t, srv.url+"/api/v1/auth/login", `{"email":"sam@example.org","password":"wrong password here"}`)
			if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("wrong password: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			if problem["status"] != float64(401) || problem["type"] == nil || problem["title"] == nil || problem["detail"] == nil {
				t.Fatalf("wrong password problem: %v", problem)
			}

			req, _ = http.NewRequest(http.MethodGet, srv.url+"/api/v1/me", nil)
			req.Header.Set("Authorization", "Bearer not-a-token")
			if resp, _ := do(t, req); resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("bad token: %d", resp.StatusCode)
			}
		})
	}
}

func TestEveryErrorIsProblemJSON(t *testing.T) {
	t.Parallel()
	// A small body limit, so an oversized body still fits the socket buffers
	// and the client sees the answer rather than a reset.
	srv := boot(t, map[string]string{"DATABASE_URL": dbtest.NewURL(t, db.SQLite), "ADDR": "127.0.0.1:0", "COPBANK_BODY_LIMIT": "1024"})
	cases := []struct {
		name, method, path, body string
		status                   int
	}{
		{"an unknown address is 404", http.MethodGet, "/no/such/page", "", 404},
		{"a wrong method is 405", http.MethodDelete, "/readyz", "", 405},
		{"an unknown field is 422", http.MethodPost, "/api/v1/auth/login", `{"email":"a@b.c","password":"x","admin":true}`, 422},
		{"broken JSON is 422", http.MethodPost, "/api/v1/auth/login", `{"email":`, 422},
		{"a body over the limit is 413", http.MethodPost, "/api/v1/auth/login", `{"email":"` + strings.Repeat("a", 8<<10) + `"}`, 413},
		{"no token is 401", http.MethodGet, "/api/v1/me", "", 401},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.url+tc.path, strings.NewReader(tc.body))
			resp, body := do(t, req)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d (%v)", resp.StatusCode, tc.status, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("content type %q", ct)
			}
			if body["status"] != float64(tc.status) || body["type"] == "" || body["title"] == "" {
				t.Fatalf("not a problem: %v", body)
			}
		})
	}
	t.Run("an unknown field is named", func(t *testing.T) {
		_, body := postJSON(t, srv.url+"/api/v1/auth/login", `{"email":"a@b.c","password":"x","admin":true}`)
		if !strings.Contains(fmt.Sprint(body["errors"]), "admin") {
			t.Fatalf("errors do not name the field: %v", body)
		}
	})
}

func TestReadyzAnswersReadyOnAMigratedDatabase(t *testing.T) {
	t.Parallel()
	for _, d := range []db.Dialect{db.Postgres, db.SQLite} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			srv := boot(t, map[string]string{"DATABASE_URL": dbtest.NewURL(t, d), "ADDR": "127.0.0.1:0"})
			resp, err := http.Get(srv.url + "/readyz")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("readyz %d", resp.StatusCode)
			}
		})
	}
}

func TestReadyzIs503WhenTheDatabaseIsGone(t *testing.T) {
	t.Parallel()
	dbURL := dbtest.NewURL(t, db.Postgres)
	srv := boot(t, map[string]string{"DATABASE_URL": dbURL, "ADDR": "127.0.0.1:0"})
	dropDatabase(t, dbURL)
	resp, err := http.Get(srv.url + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("readyz with the database dropped: %d, want 503", resp.StatusCode)
	}
}

// TestShutdownFinishesARequestInFlight sends half a request, stops the
// server (as SIGTERM does), then sends the rest: the answer must still come.
func TestShutdownFinishesARequestInFlight(t *testing.T) {
	t.Parallel()
	srv := boot(t, map[string]string{"DATABASE_URL": dbtest.NewURL(t, db.SQLite), "ADDR": "127.0.0.1:0",
		"COPBANK_ADMIN_EMAIL": "admin@example.org", "COPBANK_ADMIN_PASSWORD": "admin password 123"})
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"email":"admin@example.org","password":"admin password 123"}`
	head := fmt.Sprintf("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", len(body))
	if _, err := io.WriteString(conn, head+body[:10]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	srv.stop()
	time.Sleep(200 * time.Millisecond)
	if _, err := io.WriteString(conn, body[10:]); err != nil {
		t.Fatal(err)
	}
	reply, err := io.ReadAll(conn)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(reply), "HTTP/1.1 200") || !strings.Contains(string(reply), `"token"`) {
		t.Fatalf("in-flight request after shutdown began: %q", reply)
	}
	select {
	case err := <-srv.done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
		srv.done <- nil
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop after the request finished")
	}
	if _, err := net.DialTimeout("tcp", strings.TrimPrefix(srv.url, "http://"), time.Second); err == nil {
		t.Fatal("still accepting connections after shutdown")
	}
}

func TestBadSenderSettingsStopTheProgramBeforeTheDatabaseOpens(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"an SMTP URL of another scheme", map[string]string{"COPBANK_SMTP_URL": "http://mail.example.org"}, "COPBANK_SMTP_URL"},
		{"a Notify key too short to hold a service id and secret",
			map[string]string{"COPBANK_NOTIFY_API_KEY": "short", "COPBANK_NOTIFY_SMS_TEMPLATE_ID": "t1"}, "COPBANK_NOTIFY_API_KEY"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// A database URL nothing listens on: the settings must be refused first.
			tc.env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=1"
			var stdout, stderr strings.Builder
			err := run(context.Background(), []string{"migrate"}, envFrom(tc.env), strings.NewReader(""), &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("migrate = %v, want an error naming %s", err, tc.want)
			}
		})
	}
}
