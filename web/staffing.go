package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/domain"
)

// rosterJSON is a booking as a shift's coordinators see it: with the
// member's name (booked and waitlisted alike).
type rosterJSON struct {
	bookingJSON
	MemberName string `json:"member_name,omitempty"`
}

type candidateJSON struct {
	MemberID string   `json:"member_id"`
	Name     string   `json:"name"`
	Kinds    []string `json:"kinds"`
	Area     string   `json:"area"`
	Status   string   `json:"status"`
	// FailedRules are the booking rules the member fails on this place, by
	// name, and Reasons the same in plain words; both empty: they can take it.
	FailedRules []string `json:"failed_rules"`
	Reasons     []string `json:"reasons"`
}

// candidateLimit is how many members the finder shows: a coordinator
// narrows by name rather than pages through the force.
const candidateLimit = 50

type candidatesJSON struct {
	Items []candidateJSON `json:"items"`
}

func (s *Server) shiftCandidates(c *fiber.Ctx) error {
	if c.Query("position_id") == "" {
		return domain.FieldInvalid("position_id", "is required: the position to find members for")
	}
	cands, err := s.app.ShiftCandidates(c.UserContext(), principal(c), c.Params("id"), c.Query("position_id"), c.Query("q"), candidateLimit)
	if err != nil {
		return err
	}
	out := candidatesJSON{Items: make([]candidateJSON, 0, len(cands))}
	for _, cd := range cands {
		out.Items = append(out.Items, candidateJSON{MemberID: cd.Member.ID, Name: cd.Member.Name, Kinds: strs(cd.Member.Kinds),
			Area: cd.Member.HomeAreaCode, Status: string(cd.Member.Status), FailedRules: orEmptyList(cd.Failed),
			Reasons: orEmptyList(domain.FailedWords(cd.Failed))})
	}
	return c.JSON(out)
}
