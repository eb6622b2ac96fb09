package web

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/domain"
)

// queryGuard holds an API route to the query parameters its row declares: a
// misspelt or unsupported filter is refused by name rather than ignored (a
// client asking for ?skil=x would otherwise get every shift), and so is a
// range whose from comes after its to.
func (s *Server) queryGuard(declared []param) fiber.Handler {
	names := make([]string, len(declared))
	for i, p := range declared {
		names[i] = p.name
	}
	takes := "this address takes no query parameters"
	if len(names) > 0 {
		takes = "this address takes " + strings.Join(names, ", ")
	}
	ranged := slices.Contains(names, "from") && slices.Contains(names, "to")
	return func(c *fiber.Ctx) error {
		var unknown []domain.FieldError
		seen := map[string]bool{}
		c.Context().QueryArgs().VisitAll(func(k, _ []byte) {
			name := string(k)
			if !slices.Contains(names, name) && !seen[name] {
				seen[name] = true
				unknown = append(unknown, domain.FieldError{Field: name, Message: "is not a query parameter here: " + takes})
			}
		})
		if len(unknown) > 0 {
			return domain.Invalid("the query has parameters this address does not take", unknown...)
		}
		if ranged {
			if err := s.checkRange(c); err != nil {
				return err
			}
		}
		return c.Next()
	}
}

// checkRange refuses ?from= after ?to=. A date to means the whole of that
// day, so from and to on the same date is one day, not a contradiction.
// Values that do not parse are left to the handler, which names them.
func (s *Server) checkRange(c *fiber.Ctx) error {
	if c.Query("from") == "" || c.Query("to") == "" {
		return nil
	}
	from, err := s.queryTime(c, "from", false)
	if err != nil {
		return nil
	}
	end, err := s.queryTime(c, "to", true)
	if err != nil {
		return nil
	}
	_, dateErr := domain.ParseDate(c.Query("to"))
	contradicts := end.Before(from)
	if dateErr == nil {
		contradicts = !from.Before(end)
	}
	if !contradicts {
		return nil
	}
	return domain.Invalid("from comes after to: the range is empty",
		domain.FieldError{Field: "from", Message: "must not be after to"},
		domain.FieldError{Field: "to", Message: "must not be before from"})
}
