package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/domain"
)

type matchRunRequest struct {
	Areas       []string `json:"areas" validate:"max=50,dive,max=50"`
	From        string   `json:"from" validate:"required"`
	To          string   `json:"to" validate:"required"`
	TimeLimitMs int      `json:"time_limit_ms" validate:"omitempty,gte=100,lte=600000"`
	Seed        uint64   `json:"seed"`
	Workers     int      `json:"workers" validate:"omitempty,gte=1"`
}

type matchRunJSON struct {
	ID          string                   `json:"id"`
	Status      string                   `json:"status"`
	Progress    float64                  `json:"progress"`
	Params      domain.MatchParams       `json:"params"`
	Metrics     domain.MatchMetrics      `json:"metrics"`
	Proposals   []domain.MatchProposal   `json:"proposals"`
	Open        []domain.MatchOpen       `json:"open"`
	ApplyReport *domain.MatchApplyReport `json:"apply_report,omitempty"`
	Error       string                   `json:"error,omitempty"`
	CreatedAt   string                   `json:"created_at"`
	UpdatedAt   string                   `json:"updated_at"`
}

func (s *Server) matchRunJSON(r domain.MatchRun) matchRunJSON {
	loc := s.app.Config.TimeZone
	for i := range r.Proposals {
		r.Proposals[i].Start = r.Proposals[i].Start.In(loc)
	}
	for i := range r.Open {
		r.Open[i].Start = r.Open[i].Start.In(loc)
	}
	if r.Proposals == nil {
		r.Proposals = []domain.MatchProposal{}
	}
	if r.Open == nil {
		r.Open = []domain.MatchOpen{}
	}
	if r.Params.Areas == nil {
		r.Params.Areas = []string{}
	}
	return matchRunJSON{ID: r.ID, Status: string(r.Status), Progress: r.Progress, Params: r.Params, Metrics: r.Metrics,
		Proposals: r.Proposals, Open: r.Open, ApplyReport: r.ApplyReport, Error: r.Error,
		CreatedAt: stamp(r.CreatedAt, loc), UpdatedAt: stamp(r.UpdatedAt, loc)}
}

func (s *Server) postMatchRun(c *fiber.Ctx) error {
	var req matchRunRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	run, err := s.app.StartMatchRun(c.UserContext(), principal(c), domain.MatchParams{Areas: req.Areas, From: req.From, To: req.To,
		TimeLimitMs: req.TimeLimitMs, Seed: req.Seed, Workers: req.Workers})
	if err != nil {
		return err
	}
	c.Location("/api/v1/match-runs/" + run.ID)
	return c.Status(fiber.StatusAccepted).JSON(s.matchRunJSON(run))
}

func (s *Server) getMatchRun(c *fiber.Ctx) error {
	run, err := s.app.GetMatchRun(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(s.matchRunJSON(run))
}

type applyRequest struct {
	// Confirm books proposals as confirmed instead of offering them.
	Confirm bool `json:"confirm"`
}

func (s *Server) applyMatchRun(c *fiber.Ctx) error {
	var req applyRequest
	if len(c.Body()) > 0 {
		if err := decode(c, &req); err != nil {
			return err
		}
	}
	run, err := s.app.ApplyMatchRun(c.UserContext(), principal(c), c.Params("id"), req.Confirm)
	if err != nil {
		return err
	}
	return c.JSON(s.matchRunJSON(run))
}
