package web

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

// memberExportJSON is a subject-access export: the member record and the
// rows of every table that names the member, keyed by table.
type memberExportJSON struct {
	MemberID      string                      `json:"member_id"`
	ExportedAt    time.Time                   `json:"exported_at"`
	Member        map[string]any              `json:"member"`
	Tables        map[string][]map[string]any `json:"tables"`
	LoginAttempts []map[string]any            `json:"login_attempts"`
}

func (s *Server) exportMember(c *fiber.Ctx) error {
	x, err := s.app.ExportMember(c.UserContext(), principal(c), refParam(c, "id"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="member-`+x.MemberID+`.json"`)
	return c.JSON(memberExportJSON{MemberID: x.MemberID, ExportedAt: x.ExportedAt.In(s.app.Config.TimeZone),
		Member: x.Member, Tables: x.Tables, LoginAttempts: x.LoginAttempts})
}

type keptJSON struct {
	What string `json:"what"`
	Why  string `json:"why"`
}

// erasureJSON says what erasure changed and what it kept, and why.
type erasureJSON struct {
	MemberID          string           `json:"member_id"`
	Anonymised        []string         `json:"anonymised"`
	Removed           map[string]int64 `json:"removed"`
	CancelledBookings int              `json:"cancelled_bookings"`
	Kept              []keptJSON       `json:"kept"`
}

func (s *Server) eraseMember(c *fiber.Ctx) error {
	e, err := s.app.EraseMember(c.UserContext(), principal(c), refParam(c, "id"))
	if err != nil {
		return err
	}
	out := erasureJSON{MemberID: e.MemberID, Anonymised: e.Anonymised, Removed: e.Removed, CancelledBookings: e.CancelledBookings,
		Kept: make([]keptJSON, 0, len(e.Kept))}
	for _, k := range e.Kept {
		out.Kept = append(out.Kept, keptJSON(k))
	}
	return c.JSON(out)
}
