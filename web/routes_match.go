package web

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// matchRoutes: matcher runs and applying their proposals.
func (s *Server) matchRoutes() []route {
	return []route{
		{method: fiber.MethodPost, path: "/api/v1/match-runs", handler: s.postMatchRun,
			summary: "Start a matcher run over areas and dates", request: matchRunRequest{},
			response: matchRunJSON{}, status: http.StatusAccepted, problems: []int{http.StatusConflict},
			about: "Answers 202 with the queued run and a Location header; poll GET /api/v1/match-runs/{id}. " +
				"The search is bounded by max_moves (recorded in params with seed, workers and weights, so a run can be replayed exactly); " +
				"time_limit_ms is only a cap, and metrics.stop_reason says time_limit when it bit. " +
				"weights scale the soft terms by name over the force's defaults (GET /api/v1/match-settings): 1 keeps a term, 0 ignores it; unknown terms are 422."},
		{method: fiber.MethodGet, path: "/api/v1/match-runs", handler: s.listMatchRuns,
			summary:  "Earlier matcher runs, newest first: every run to an admin, a coordinator's own to them",
			response: page[matchRunSummaryJSON]{}, query: pageParams},
		{method: fiber.MethodGet, path: "/api/v1/match-runs/:id/why-not", handler: s.whyNot,
			summary:  "Why a member was not proposed for a place of a run: the hard rules they fail there, or the soft terms they lost on and to whom",
			response: whyNotJSON{}, problems: []int{http.StatusConflict},
			query: []param{textParam("member_id", "a member's id"), textParam("position_id", "a position's id"), textParam("shift_id", "a shift's id")},
			about: "One item per place of the run on the position (one shift's with shift_id). Reads today's data against the run's proposals."},
		{method: fiber.MethodGet, path: "/api/v1/match-settings", handler: s.getMatchSettings,
			summary:  "The matcher's defaults for every run: a weight per soft term (coordinators, admins)",
			response: matchSettingsJSON{}},
		{method: fiber.MethodPut, path: "/api/v1/match-settings", handler: s.putMatchSettings,
			summary: "Set the matcher's defaults (admins): a weight per soft term, 1 the default, 0 to ignore it; unknown terms are 422",
			request: matchSettingsRequest{}, response: matchSettingsJSON{}},
		{method: fiber.MethodGet, path: "/api/v1/match-runs/:id", handler: s.getMatchRun,
			summary:  "A matcher run: status, progress, proposals with reasons, open places with reasons, metrics",
			response: matchRunJSON{}},
		{method: fiber.MethodPost, path: "/api/v1/match-runs/:id/apply", handler: s.applyMatchRun,
			summary: "Apply what still fits of a run's proposals; report the rest",
			request: applyRequest{}, optional: true, response: matchRunJSON{}, problems: []int{http.StatusConflict}},
	}
}
