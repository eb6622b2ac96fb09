package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/web"
)

func TestSecurityHeadersAreSetOnEveryAnswer(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		baseURL string
		hsts    bool
	}{{"http://localhost:8080", false}, {"https://copbank.example.org", true}} {
		t.Run(c.baseURL, func(t *testing.T) {
			t.Parallel()
			cfg := app.DefaultConfig()
			cfg.BaseURL = c.baseURL
			srv := web.New(app.New(dbtest.New(t, db.SQLite), cfg, slog.New(slog.NewTextHandler(io.Discard, nil))), slog.New(slog.NewTextHandler(io.Discard, nil)))
			for _, path := range []string{"/healthz", "/api/v1/me", "/api/openapi.json", "/nowhere"} {
				res, err := srv.Fiber().Test(httptest.NewRequest(http.MethodGet, path, nil), -1)
				if err != nil {
					t.Fatal(err)
				}
				h := res.Header
				csp := h.Get("Content-Security-Policy")
				for _, want := range []string{"default-src 'self'", "object-src 'none'", "frame-ancestors 'none'"} {
					if !strings.Contains(csp, want) {
						t.Errorf("%s: CSP %q lacks %q", path, csp, want)
					}
				}
				if strings.Contains(csp, "unsafe-inline") {
					t.Errorf("%s: CSP allows inline script", path)
				}
				if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
					t.Errorf("%s: nosniff %q, referrer policy %q", path, h.Get("X-Content-Type-Options"), h.Get("Referrer-Policy"))
				}
				if got := h.Get("Strict-Transport-Security") != ""; got != c.hsts {
					t.Errorf("%s: HSTS sent = %v, want %v", path, got, c.hsts)
				}
				if strings.HasPrefix(path, "/api") && h.Get("Cache-Control") != "no-store" {
					t.Errorf("%s: Cache-Control %q, want no-store", path, h.Get("Cache-Control"))
				}
			}
		})
	}
}

// atLeast compares "vMAJOR.MINOR.PATCH[-pre]" versions numerically.
func atLeast(have, want string) bool {
	parse := func(v string) [3]int {
		v, _, _ = strings.Cut(strings.TrimPrefix(v, "v"), "-")
		var out [3]int
		for i, p := range strings.SplitN(v, ".", 3) {
			out[i], _ = strconv.Atoi(p)
		}
		return out
	}
	h, w := parse(have), parse(want)
	for i := range h {
		if h[i] != w[i] {
			return h[i] > w[i]
		}
	}
	return true
}

// Fiber before 2.52.11 has CSRF, session and UUID advisories; govulncheck
// cannot reach its database from our machines, so the build's own record of
// its module versions holds the line.
func TestFiberIsAtLeastTheFixedRelease(t *testing.T) {
	t.Parallel()
	const module, minimum = "github.com/gofiber/fiber/v2", "v2.52.11"
	// A test binary's build information may list no dependencies (go test
	// leaves them out); go.mod, which the build obeys, always names it.
	var versions []string
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == module {
				v := d.Version
				if d.Replace != nil {
					v = d.Replace.Version
				}
				versions = append(versions, v)
			}
		}
	}
	gomod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(gomod), "\n") {
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "require "))
		if len(f) >= 2 && (f[0] == module || f[0] == "replace" && len(f) >= 5 && f[1] == module) {
			versions = append(versions, f[len(f)-1])
		}
	}
	if len(versions) == 0 {
		t.Fatalf("%s is neither in the build information nor in go.mod", module)
	}
	for _, v := range versions {
		if !atLeast(v, minimum) {
			t.Fatalf("%s is %s; %s or later is required", module, v, minimum)
		}
	}
	for _, c := range []struct {
		have string
		ok   bool
	}{{"v2.52.10", false}, {"v2.52.11", true}, {"v2.53.0", true}, {"v2.9.99", false}, {"v3.0.0-beta.1", true}} {
		if atLeast(c.have, minimum) != c.ok {
			t.Errorf("atLeast(%s) != %v", c.have, c.ok)
		}
	}
}
