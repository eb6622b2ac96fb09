package db_test

import (
	"context"
	"testing"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/domain"
)

// The keys are written without waiting for the disk, and a claimed key is
// read back and answered through the same pool.
func TestIdempotencyKeysCommitWithoutWaitingForTheDisk(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t, db.Postgres)
	ctx := context.Background()
	if v, err := db.KeysSynchronousCommit(ctx, s); err != nil || v != "off" {
		t.Fatalf("synchronous_commit on the key pool is %q (%v), want off", v, err)
	}
	if err := s.CreateUser(ctx, domain.User{ID: "u1", Email: "k@example.org", Name: "K", Roles: []domain.Role{domain.RoleMember}}); err != nil {
		t.Fatal(err)
	}
	r := domain.IdempotencyRecord{UserID: "u1", Key: "k1", Method: "POST", Path: "/x", RequestHash: "h"}
	if claimed, err := s.ClaimIdempotencyKey(ctx, r); err != nil || !claimed {
		t.Fatalf("claim: %v, %v", claimed, err)
	}
	if claimed, err := s.ClaimIdempotencyKey(ctx, r); err != nil || claimed {
		t.Fatalf("second claim: %v, %v", claimed, err)
	}
	if err := s.CompleteIdempotencyKey(ctx, "u1", "k1", 201, "application/json", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	got, err := s.IdempotencyKey(ctx, "u1", "k1")
	if err != nil || got.StatusCode != 201 || string(got.Response) != `{}` {
		t.Fatalf("read back: %+v, %v", got, err)
	}
}
