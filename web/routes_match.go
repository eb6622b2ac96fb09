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
			about: "Answers 202 with the queued run and a Location header; poll GET /api/v1/match-runs/{id}."},
		{method: fiber.MethodGet, path: "/api/v1/match-runs/:id", handler: s.getMatchRun,
			summary:  "A matcher run: status, progress, proposals with reasons, open places with reasons, metrics",
			response: matchRunJSON{}},
		{method: fiber.MethodPost, path: "/api/v1/match-runs/:id/apply", handler: s.applyMatchRun,
			summary: "Apply what still fits of a run's proposals; report the rest",
			request: applyRequest{}, optional: true, response: matchRunJSON{}, problems: []int{http.StatusConflict}},
	}
}
