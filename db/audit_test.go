package db_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/domain"
)

func TestTheAuditLogRefusesEveryChangeButBlankingAnAddress(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		e := domain.AuditEntry{ID: "a1", At: time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC), ActorUserID: "u1", ActorLabel: "admin",
			Action: "member.update", Entity: "member", EntityID: "m1", MemberID: "m1",
			Before: json.RawMessage(`{"member_id":"m1"}`), After: json.RawMessage(`{"member_id":"m1","fields_changed":["phone"]}`),
			RequestID: "r1", Address: "192.0.2.7"}
		if err := s.AppendAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
		sqlDB, err := s.SQLDB()
		if err != nil {
			t.Fatal(err)
		}
		for _, stmt := range []string{
			`DELETE FROM audit_log`,
			`UPDATE audit_log SET action = 'member.create'`,
			`UPDATE audit_log SET after = NULL`,
			`UPDATE audit_log SET address = '198.51.100.1'`,
			`UPDATE audit_log SET address = '', entity_id = 'm2'`,
		} {
			if _, err := sqlDB.ExecContext(ctx, stmt); err == nil {
				t.Errorf("%s was allowed", stmt)
			}
		}
		if s.Dialect() == db.Postgres {
			if _, err := sqlDB.ExecContext(ctx, `TRUNCATE audit_log`); err == nil {
				t.Errorf("TRUNCATE was allowed")
			}
		}
		if err := s.BlankAuditAddresses(ctx, []string{"u1"}); err != nil {
			t.Fatalf("erasure's blanking of addresses was refused: %v", err)
		}
		got, err := s.AuditEntries(ctx, domain.AuditFilter{Entity: "member", EntityID: "m1"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Address != "" || got[0].Action != "member.update" || got[0].RequestID != "r1" {
			t.Fatalf("after blanking: %+v", got)
		}
		var after map[string]any
		if err := json.Unmarshal(got[0].After, &after); err != nil || after["member_id"] != "m1" {
			t.Fatalf("after = %s (%v)", got[0].After, err)
		}
	})
}

func TestAnAuditEntryRollsBackWithItsTransaction(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		refused := domain.Errorf(domain.EConflict, "refused")
		err := s.InTx(ctx, func(tx *db.Store) error {
			if err := tx.AppendAudit(ctx, domain.AuditEntry{ID: "a1", At: time.Now(), Action: "area.create", Entity: "area"}); err != nil {
				return err
			}
			return refused
		})
		if err != refused {
			t.Fatalf("err = %v", err)
		}
		got, err := s.AuditEntries(ctx, domain.AuditFilter{})
		if err != nil || len(got) != 0 {
			t.Fatalf("entries after rollback: %v %v", got, err)
		}
	})
}
