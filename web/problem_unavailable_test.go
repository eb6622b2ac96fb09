package web

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestADatabaseThatWentAwayIsA503WithRetryAfterNotA500(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}
	cases := []struct {
		name string
		err  error
		want int
	}{
		{"connections cut by an administrator", &pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"}, 503},
		{"the server starting or shutting down", fmt.Errorf("load member: %w", &pgconn.PgError{Code: "57P03"}), 503},
		{"a connection exception", &pgconn.PgError{Code: "08006"}, 503},
		{"nobody listening", fmt.Errorf("failed to connect: %w", refused), 503},
		{"an undefined table is our fault, not the database going away", &pgconn.PgError{Code: "42P01"}, 500},
		{"an ordinary failure", errors.New("template broke"), 500},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			app := fiber.New(fiber.Config{ErrorHandler: errorHandler(slog.New(slog.NewTextHandler(io.Discard, nil)), nil)})
			app.Get("/", func(*fiber.Ctx) error { return tc.err })
			res, err := app.Test(httptest.NewRequest("GET", "/", nil))
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != tc.want {
				t.Fatalf("status %d, want %d", res.StatusCode, tc.want)
			}
			if got := res.Header.Get("Retry-After"); (tc.want == 503) != (got != "") {
				t.Errorf("Retry-After %q with status %d", got, tc.want)
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("content type %q", ct)
			}
		})
	}
}
