package web

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/domain"
)

// The coordinator's pages live under /coord: post demand (pages_coord_demand.go),
// the fill board, a shift's roster and approvals (pages_coord_board.go), and
// the matcher (pages_coord_match.go). Every rule is the app's; these pages
// decode forms, call the use cases and render.

// coordOnly answers 404 to anyone who neither coordinates nor administers, so
// that the coordinator's pages cannot be told apart from pages that do not exist.
func (s *Server) coordOnly(h fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := principal(c)
		if p == nil || !coordinating(&p.User) {
			return nothingHere()
		}
		return h(c)
	}
}

func coordinating(u *domain.User) bool {
	return u != nil && (u.Has(domain.RoleAdmin) || u.Has(domain.RoleCoordinator))
}

// Coordinating tells the layout to show the coordinator's links.
func (v pageView) Coordinating() bool { return coordinating(v.User) }

func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
