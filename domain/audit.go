package domain

import (
	"encoding/json"
	"time"
)

// AuditEntry is one line of the append-only audit log: who did what to
// which entity, when, from where, with the state before and after. Before
// and After never hold a member's personal values, only references to them
// (member_id and the names of the fields changed), so erasing a person needs
// no editing of history.
type AuditEntry struct {
	ID          string
	At          time.Time
	ActorUserID string // "" for the command line or the system
	ActorLabel  string // the actor's roles ("admin", "coordinator", "member", "command line", "system")
	Action      string // such as "member.update", "booking.cancel", "member.read_vetting"
	Entity      string // such as "member", "booking", "demand"
	EntityID    string
	MemberID    string // the member the entry is about, if any
	Before      json.RawMessage
	After       json.RawMessage
	RequestID   string
	Address     string
}

// AuditFilter narrows a read of the audit log; empty fields match anything.
// Entries come oldest first after the cursor.
type AuditFilter struct {
	Entity   string
	EntityID string
	Actor    string // a user ID
	Action   string
	MemberID string
	From, To *time.Time // From inclusive, To exclusive
	After    string     // cursor: the ID of the last entry seen
	Limit    int
}
