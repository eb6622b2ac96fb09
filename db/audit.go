package db

import (
	"context"
	"encoding/json"
	"time"

	"github.com/copbank/copbank/domain"
)

type auditRow struct {
	ID          string
	At          time.Time
	ActorUserID *string
	ActorLabel  string
	Action      string
	Entity      string
	EntityID    string
	MemberID    *string
	Before      *string
	After       *string
	RequestID   string
	Address     string
}

func (auditRow) TableName() string { return "audit_log" }

func rawOrNil(b json.RawMessage) *string {
	if len(b) == 0 {
		return nil
	}
	s := string(b)
	return &s
}

func (r auditRow) toDomain() domain.AuditEntry {
	e := domain.AuditEntry{ID: r.ID, At: r.At.UTC(), ActorLabel: r.ActorLabel, Action: r.Action, Entity: r.Entity,
		EntityID: r.EntityID, RequestID: r.RequestID, Address: r.Address}
	if r.ActorUserID != nil {
		e.ActorUserID = *r.ActorUserID
	}
	if r.MemberID != nil {
		e.MemberID = *r.MemberID
	}
	if r.Before != nil {
		e.Before = json.RawMessage(*r.Before)
	}
	if r.After != nil {
		e.After = json.RawMessage(*r.After)
	}
	return e
}

// AppendAudit writes one audit entry. There is no method to change or remove
// one: the database refuses both (rule audit_append_only), but for
// BlankAuditAddresses.
func (s *Store) AppendAudit(ctx context.Context, e domain.AuditEntry) error {
	row := auditRow{ID: e.ID, At: e.At.UTC(), ActorUserID: nullable(e.ActorUserID), ActorLabel: e.ActorLabel,
		Action: e.Action, Entity: e.Entity, EntityID: e.EntityID, MemberID: nullable(e.MemberID),
		Before: rawOrNil(e.Before), After: rawOrNil(e.After), RequestID: e.RequestID, Address: e.Address}
	return translate(s.db(ctx).Create(&row).Error)
}

// AuditEntries reads the log in the order it was written, after f.After, up
// to f.Limit entries.
func (s *Store) AuditEntries(ctx context.Context, f domain.AuditFilter) ([]domain.AuditEntry, error) {
	q := s.db(ctx).Model(&auditRow{})
	eq := func(col, v string) {
		if v != "" {
			q = q.Where(col+" = ?", v)
		}
	}
	eq("entity", f.Entity)
	eq("entity_id", f.EntityID)
	eq("actor_user_id", f.Actor)
	eq("action", f.Action)
	eq("member_id", f.MemberID)
	eq2 := func(cond string, t *time.Time) {
		if t != nil {
			q = q.Where(cond, t.UTC())
		}
	}
	eq2("at >= ?", f.From)
	eq2("at < ?", f.To)
	if f.After != "" {
		q = q.Where("id > ?", f.After)
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var rows []auditRow
	if err := q.Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// BlankAuditAddresses removes the network address from every entry of
// these users' requests: the one change the append-only log allows, made by
// erasure.
func (s *Store) BlankAuditAddresses(ctx context.Context, userIDs []string) error {
	if len(userIDs) == 0 {
		return nil
	}
	return translate(s.db(ctx).Exec(`UPDATE audit_log SET address = '' WHERE actor_user_id IN ? AND address <> ''`, userIDs).Error)
}
