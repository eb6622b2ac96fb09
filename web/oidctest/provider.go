package oidctest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"golang.org/x/text/language"
)

// ClientID and ClientSecret are copbank's registration at the provider.
const (
	ClientID     = "copbank"
	ClientSecret = "copbank-test-secret"
)

// User is an account at the provider: it signs in on the provider's login
// page with Username and Password.
type User struct {
	Username, Password string
	Email              string
	EmailVerified      bool
}

// Provider is a running provider.
type Provider struct {
	// Issuer is its issuer URL (COPBANK_OIDC_ISSUER).
	Issuer  string
	store   *storage.Storage
	rewrite atomic.Pointer[func(map[string]any)]
}

var quietOnce sync.Once

// Start runs a provider on a free local port until t ends, with copbank
// registered as a web client that may send the browser back to
// redirectURI, and the given accounts.
func Start(t testing.TB, redirectURI string, users ...User) *Provider {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	issuer := "http://" + ln.Addr().String()
	us := userStore{}
	for i, u := range users {
		id := "user-" + string(rune('a'+i))
		us[id] = &storage.User{ID: id, Username: u.Username, Password: u.Password, FirstName: "Test", LastName: u.Username,
			Email: u.Email, EmailVerified: u.EmailVerified, PreferredLanguage: language.English}
	}
	clients := map[string]*storage.Client{ClientID: storage.WebClient(ClientID, ClientSecret, redirectURI)}
	st := storage.NewStorageWithClients(us, clients)
	// The example server logs every request through the process's default
	// logger, which it replaces with the one it is given: a silent one.
	var logger *slog.Logger
	quietOnce.Do(func() { logger = slog.New(slog.NewTextHandler(io.Discard, nil)) })
	p := &Provider{Issuer: issuer, store: st}
	srv := &http.Server{Handler: p.tamper(exampleop.SetupServer(issuer, st, logger, false))}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return p
}

// RewriteIDTokens makes the provider answer its token endpoint, from now
// on, with ID tokens whose claims f has changed, signed again with the
// provider's own key: a token copbank must refuse for what it says, not for
// its signature. nil stops it.
func (p *Provider) RewriteIDTokens(f func(claims map[string]any)) {
	if f == nil {
		p.rewrite.Store(nil)
		return
	}
	p.rewrite.Store(&f)
}

// tamper rewrites the ID token in the token endpoint's answer while
// RewriteIDTokens is in force.
func (p *Provider) tamper(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := p.rewrite.Load()
		if f == nil || r.URL.Path != "/oauth/token" {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var body map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err == nil {
			if raw, ok := body["id_token"].(string); ok {
				if forged, err := p.resign(r.Context(), raw, *f); err == nil {
					body["id_token"] = forged
				} else {
					http.Error(w, err.Error(), http.StatusInternalServerError)
					return
				}
			}
		}
		out, _ := json.Marshal(body)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(out)
	})
}

func (p *Provider) resign(ctx context.Context, raw string, f func(map[string]any)) (string, error) {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return "", fmt.Errorf("the ID token is not a compact JWS")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", err
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		return "", err
	}
	f(claims)
	payload, err = json.Marshal(claims)
	if err != nil {
		return "", err
	}
	key, err := p.store.SigningKey(ctx)
	if err != nil {
		return "", err
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: key.SignatureAlgorithm(), Key: jose.JSONWebKey{Key: key.Key(), KeyID: key.ID()}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

// userStore is the provider's accounts, by ID.
type userStore map[string]*storage.User

func (u userStore) GetUserByID(id string) *storage.User { return u[id] }

func (u userStore) GetUserByUsername(name string) *storage.User {
	for _, x := range u {
		if x.Username == name {
			return x
		}
	}
	return nil
}

func (u userStore) ExampleClientID() string { return storage.ServiceUserID }
