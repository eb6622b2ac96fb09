package web

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/domain"
)

// auditEntryJSON is one audit-log entry as the API shows it.
type auditEntryJSON struct {
	ID          string          `json:"id"`
	At          time.Time       `json:"at"`
	ActorUserID *string         `json:"actor_user_id"`
	ActorLabel  string          `json:"actor_label"`
	Action      string          `json:"action"`
	Entity      string          `json:"entity"`
	EntityID    string          `json:"entity_id"`
	MemberID    *string         `json:"member_id"`
	Before      json.RawMessage `json:"before"`
	After       json.RawMessage `json:"after"`
	RequestID   string          `json:"request_id"`
	Address     string          `json:"address"`
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func rawOrNull(b json.RawMessage) json.RawMessage {
	if len(b) == 0 {
		return json.RawMessage("null")
	}
	return b
}

func (s *Server) renderAudit(e domain.AuditEntry) auditEntryJSON {
	return auditEntryJSON{ID: e.ID, At: e.At.In(s.app.Config.TimeZone), ActorUserID: optional(e.ActorUserID), ActorLabel: e.ActorLabel,
		Action: e.Action, Entity: e.Entity, EntityID: e.EntityID, MemberID: optional(e.MemberID),
		Before: rawOrNull(e.Before), After: rawOrNull(e.After), RequestID: e.RequestID, Address: e.Address}
}

// auditTime reads ?from= or ?to=: an RFC 3339 instant, or a date (the start
// of that day in the force's zone; for to, the start of the day after).
func (s *Server) auditTime(field, v string) (*time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return &t, nil
	}
	d, err := domain.ParseDate(v)
	if err != nil {
		return nil, domain.FieldInvalid(field, "must be a date like 2027-01-08 or an instant like 2027-01-08T18:00:00Z")
	}
	if field == "to" {
		d = d.AddDays(1)
	}
	t := d.Start(s.app.Config.TimeZone)
	return &t, nil
}

func (s *Server) listAudit(c *fiber.Ctx) error {
	after, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	from, err := s.auditTime("from", c.Query("from"))
	if err != nil {
		return err
	}
	to, err := s.auditTime("to", c.Query("to"))
	if err != nil {
		return err
	}
	f := domain.AuditFilter{Entity: c.Query("entity"), EntityID: c.Query("entity_id"), Actor: c.Query("actor"),
		Action: c.Query("action"), MemberID: c.Query("member_id"), From: from, To: to, After: after, Limit: limit + 1}
	entries, err := s.app.AuditLog(c.UserContext(), principal(c), f)
	if err != nil {
		return err
	}
	return c.JSON(newPage(entries, limit, func(e domain.AuditEntry) string { return e.ID }, s.renderAudit))
}
