package smtpmail

import (
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, url string
		want      server
		wantErr   string
	}{
		{"smtp defaults to the submission port with STARTTLS", "smtp://mail.example.org", server{host: "mail.example.org", port: 587}, ""},
		{"smtps defaults to 465 with TLS from the first byte", "smtps://u:p@mail.example.org", server{host: "mail.example.org", port: 465, tls: true, user: "u", password: "p"}, ""},
		{"an explicit port wins", "smtp://mail.example.org:2525", server{host: "mail.example.org", port: 2525}, ""},
		{"another scheme is refused", "http://mail.example.org", server{}, "use smtp://"},
		{"a URL without a host is refused", "smtp://", server{}, "names no host"},
		{"a port out of range is refused", "smtp://mail.example.org:70000", server{}, "bad port"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseURL(tc.url)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("parseURL(%q) = %v, want an error containing %q", tc.url, err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("parseURL(%q) = %+v, %v; want %+v", tc.url, got, err, tc.want)
			}
		})
	}
}

func TestAnErrorNeverShowsThePassword(t *testing.T) {
	t.Parallel()
	_, err := New("ftp://u:hunter2@mail.example.org", "copbank <noreply@example.org>")
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("New = %v: want an error without the password", err)
	}
}
