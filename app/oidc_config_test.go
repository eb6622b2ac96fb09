package app_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/copbank/copbank/app"
)

func TestTheForceIdentityProviderIsConfiguredWholeAndItsSecretNeverLogged(t *testing.T) {
	t.Parallel()
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	c, err := app.LoadConfig(env(nil))
	if err != nil || c.OIDCEnabled() {
		t.Fatalf("unset: enabled %v, %v", c.OIDCEnabled(), err)
	}
	full := map[string]string{
		"COPBANK_BASE_URL":           "https://copbank.example.org/",
		"COPBANK_OIDC_ISSUER":        "https://login.example.org/tenant/v2.0",
		"COPBANK_OIDC_CLIENT_ID":     "copbank",
		"COPBANK_OIDC_CLIENT_SECRET": "s3cret-value",
	}
	c, err = app.LoadConfig(env(full))
	if err != nil || !c.OIDCEnabled() {
		t.Fatalf("set: enabled %v, %v", c.OIDCEnabled(), err)
	}
	if got := c.OIDCRedirectURL(); got != "https://copbank.example.org/auth/oidc/callback" {
		t.Errorf("redirect URL %q", got)
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("config", "config", c)
	if strings.Contains(buf.String(), "s3cret-value") || !strings.Contains(buf.String(), "oidc_client_secret_set=true") {
		t.Errorf("the logged config: %s", buf.String())
	}

	for _, missing := range []string{"COPBANK_OIDC_CLIENT_ID", "COPBANK_OIDC_CLIENT_SECRET"} {
		partial := map[string]string{}
		for k, v := range full {
			if k != missing {
				partial[k] = v
			}
		}
		if _, err := app.LoadConfig(env(partial)); err == nil || !strings.Contains(err.Error(), missing) {
			t.Errorf("without %s: %v", missing, err)
		}
	}
	bad := map[string]string{"COPBANK_OIDC_ISSUER": "login.example.org", "COPBANK_OIDC_CLIENT_ID": "x", "COPBANK_OIDC_CLIENT_SECRET": "y"}
	if _, err := app.LoadConfig(env(bad)); err == nil || !strings.Contains(err.Error(), "COPBANK_OIDC_ISSUER") {
		t.Errorf("an issuer that is not a URL: %v", err)
	}
}
