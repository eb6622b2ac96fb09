package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/domain"
)

func TestMigrationsFromEmptyReachTheNewestVersion(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		current, target, err := s.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if current != target || current == 0 {
			t.Fatalf("schema at %d, want the newest (%d)", current, target)
		}
		n, err := s.Migrate(ctx)
		if err != nil || n != 0 {
			t.Fatalf("migrating a current schema ran %d migrations (err %v), want none", n, err)
		}
	})
}

func TestUsersHaveUniqueEmailsWhateverTheCase(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Second)
		u := domain.User{ID: "u1", Email: "Sam@Example.org", Name: "Sam", Roles: []domain.Role{domain.RoleMember, domain.RoleCoordinator}, CreatedAt: now}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		got, err := s.UserByEmail(ctx, "sam@example.ORG")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != "u1" || !got.Has(domain.RoleCoordinator) || !got.Has(domain.RoleMember) || got.Has(domain.RoleAdmin) {
			t.Fatalf("got %+v", got)
		}
		dup := domain.User{ID: "u2", Email: "sam@example.org", Name: "Other", Roles: []domain.Role{domain.RoleMember}, CreatedAt: now}
		err = s.CreateUser(ctx, dup)
		if domain.ErrorCode(err) != domain.EConflict {
			t.Fatalf("a second account with the same email in another case: got %v, want a conflict", err)
		}
		if _, err := s.UserByEmail(ctx, "nobody@example.org"); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("unknown email: got %v, want not found", err)
		}
	})
}

func TestTokensAreFoundByHashAndRevoked(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Second)
		if err := s.CreateUser(ctx, domain.User{ID: "u1", Email: "a@example.org", Name: "A", Roles: []domain.Role{domain.RoleAdmin}, CreatedAt: now}); err != nil {
			t.Fatal(err)
		}
		tok := domain.Token{ID: "t1", UserID: "u1", Hash: "abc", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
		if err := s.CreateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		got, err := s.TokenByHash(ctx, "abc")
		if err != nil {
			t.Fatal(err)
		}
		if got.RevokedAt != nil || !got.ExpiresAt.Equal(tok.ExpiresAt) {
			t.Fatalf("got %+v", got)
		}
		if err := s.RevokeToken(ctx, "t1", now); err != nil {
			t.Fatal(err)
		}
		got, err = s.TokenByHash(ctx, "abc")
		if err != nil || got.RevokedAt == nil {
			t.Fatalf("after revoke: %+v, %v", got, err)
		}
	})
}

func TestInTxRollsBackOnError(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		err := s.InTx(ctx, func(tx *db.Store) error {
			if err := tx.CreateUser(ctx, domain.User{ID: "u1", Email: "a@example.org", Name: "A", Roles: []domain.Role{domain.RoleAdmin}, CreatedAt: time.Now()}); err != nil {
				return err
			}
			return domain.Errorf(domain.EConflict, "changed my mind")
		})
		if domain.ErrorCode(err) != domain.EConflict {
			t.Fatalf("got %v", err)
		}
		if n, _ := s.CountUsers(ctx); n != 0 {
			t.Fatalf("a rolled-back user was kept (%d users)", n)
		}
	})
}
