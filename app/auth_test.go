package app_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/domain"
)

// newApp returns use cases over s with a clock the test moves.
func newApp(t *testing.T, s *db.Store) (*app.App, *time.Time) {
	t.Helper()
	cfg := app.DefaultConfig()
	cfg.PasswordMemoryKiB = 1024
	a := app.New(s, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	now := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
	a.Now = func() time.Time { return now }
	return a, &now
}

func TestLoginIssuesATokenThatExpiresAndCanBeRevoked(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		a, now := newApp(t, s)
		if _, err := a.CreateUser(ctx, app.NewUser{Email: "sam@example.org", Name: "Sam", Password: "correct horse battery", Roles: []domain.Role{domain.RoleMember}}); err != nil {
			t.Fatal(err)
		}
		tok, err := a.Login(ctx, "SAM@example.org", "correct horse battery", "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		p, err := a.Authenticate(ctx, tok.Token)
		if err != nil || p.User.Email != "sam@example.org" {
			t.Fatalf("fresh token: %+v, %v", p, err)
		}

		*now = now.Add(a.Config.TokenTTL)
		if _, err := a.Authenticate(ctx, tok.Token); domain.ErrorCode(err) != domain.EUnauthorized {
			t.Fatalf("expired token: got %v, want unauthorised", err)
		}

		tok2, err := a.Login(ctx, "sam@example.org", "correct horse battery", "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		p, err = a.Authenticate(ctx, tok2.Token)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Logout(ctx, p); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Authenticate(ctx, tok2.Token); domain.ErrorCode(err) != domain.EUnauthorized {
			t.Fatalf("revoked token: got %v, want unauthorised", err)
		}
	})
}

func TestWrongPasswordIsUnauthorisedAndRepeatedFailuresAreRateLimited(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		a, now := newApp(t, s)
		if _, err := a.CreateUser(ctx, app.NewUser{Email: "sam@example.org", Name: "Sam", Password: "correct horse battery", Roles: []domain.Role{domain.RoleMember}}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Login(ctx, "nobody@example.org", "correct horse battery", "10.0.0.1"); domain.ErrorCode(err) != domain.EUnauthorized {
			t.Fatalf("unknown email: got %v", err)
		}
		for i := 0; i < 4; i++ {
			if _, err := a.Login(ctx, "sam@example.org", "wrong password!!", "10.0.0.2"); domain.ErrorCode(err) != domain.EUnauthorized {
				t.Fatalf("wrong password %d: got %v, want unauthorised", i, err)
			}
		}
		// The fifth failure trips the limit, so even the right password waits.
		if _, err := a.Login(ctx, "sam@example.org", "wrong password!!", "10.0.0.3"); domain.ErrorCode(err) != domain.EUnauthorized {
			t.Fatalf("fifth failure: got %v", err)
		}
		if _, err := a.Login(ctx, "sam@example.org", "correct horse battery", "10.0.0.4"); domain.ErrorCode(err) != domain.ETooMany {
			t.Fatalf("after five failures: got %v, want rate limited", err)
		}
		*now = now.Add(16 * time.Minute)
		if _, err := a.Login(ctx, "sam@example.org", "correct horse battery", "10.0.0.4"); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}

func TestCreateUserNamesEveryBadField(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		a, _ := newApp(t, s)
		_, err := a.CreateUser(context.Background(), app.NewUser{Email: "not-an-email", Password: "short"})
		var de *domain.Error
		if !asDomain(err, &de) || de.Code != domain.EInvalid {
			t.Fatalf("got %v", err)
		}
		got := map[string]bool{}
		for _, f := range de.Fields {
			got[f.Field] = true
		}
		for _, want := range []string{"email", "name", "password", "roles"} {
			if !got[want] {
				t.Errorf("no error named %q in %+v", want, de.Fields)
			}
		}
	})
}

func TestACoordinatorIsCreatedWithTheirScopeOrNotAtAll(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		a, _ := newApp(t, s)
		for _, ar := range []domain.Area{{ID: app.NewID(), Code: "DUR", Name: "Durham", Kind: domain.AreaForce},
			{ID: app.NewID(), Code: "DARL", Name: "Darlington", Kind: domain.AreaForce}} {
			if _, err := s.CreateArea(ctx, ar); err != nil {
				t.Fatal(err)
			}
		}
		coordinator := app.NewUser{Email: "chris@example.org", Name: "Chris", Password: "correct horse battery",
			Roles: []domain.Role{domain.RoleCoordinator}, Areas: []string{"DUR", "NOWHERE"}}
		_, err := a.CreateUser(ctx, coordinator)
		var de *domain.Error
		if !asDomain(err, &de) || de.Code != domain.EInvalid || len(de.Fields) != 1 || de.Fields[0].Field != "areas[1]" {
			t.Fatalf("an unknown area code: got %v, want invalid naming areas[1]", err)
		}
		if _, err := s.UserByEmail(ctx, coordinator.Email); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("the refused account was stored (err %v)", err)
		}
		member := app.NewUser{Email: "sam@example.org", Name: "Sam", Password: "correct horse battery",
			Roles: []domain.Role{domain.RoleMember}, Areas: []string{"DUR"}}
		if _, err := a.CreateUser(ctx, member); domain.ErrorCode(err) != domain.EInvalid {
			t.Fatalf("a scope on a member: got %v, want invalid", err)
		}

		coordinator.Areas = []string{"DUR", "DARL"}
		u, err := a.CreateUser(ctx, coordinator)
		if err != nil {
			t.Fatal(err)
		}
		stored, err := s.UserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, got := range [][]domain.Area{u.Areas, stored.Areas} {
			if len(got) != 2 || got[0].Code != "DARL" || got[1].Code != "DUR" || got[0].Path == "" {
				t.Fatalf("areas %+v, want DARL and DUR with their paths, as stored", got)
			}
		}
	})
}

func TestPasswordHashesAreArgon2idAndSalted(t *testing.T) {
	t.Parallel()
	h1, _ := app.HashPassword("correct horse battery")
	h2, _ := app.HashPassword("correct horse battery")
	if h1 == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	if !app.CheckPassword(h1, "correct horse battery") || app.CheckPassword(h1, "correct horse batterY") {
		t.Fatal("check does not tell the right password from a wrong one")
	}
	if h1[:10] != "$argon2id$" {
		t.Fatalf("hash %q is not argon2id", h1)
	}
}
