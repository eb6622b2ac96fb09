package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

type matchRunRequest struct {
	Areas       []string `json:"areas" validate:"max=50,dive,max=50"`
	From        string   `json:"from" validate:"required"`
	To          string   `json:"to" validate:"required"`
	TimeLimitMs int      `json:"time_limit_ms" validate:"omitempty,gte=100,lte=600000"`
	Seed        uint64   `json:"seed"`
	Workers     int      `json:"workers" validate:"omitempty,gte=1"`
	// MaxMoves replays a run: its recorded budget of moves.
	MaxMoves int64 `json:"max_moves"`
	// Weights scale the soft terms by name, over the force's defaults: 1
	// keeps a term's default, 0 ignores it, 2 doubles it.
	Weights map[string]float64 `json:"weights"`
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
		r.Proposals[i].End = r.Proposals[i].End.In(loc)
	}
	for i := range r.Open {
		r.Open[i].Start = r.Open[i].Start.In(loc)
		r.Open[i].End = r.Open[i].End.In(loc)
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
		TimeLimitMs: req.TimeLimitMs, Seed: req.Seed, Workers: req.Workers, MaxMoves: req.MaxMoves, Weights: req.Weights})
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

// matchRunSummaryJSON is a run in the list of earlier runs.
type matchRunSummaryJSON struct {
	ID        string              `json:"id"`
	Status    string              `json:"status"`
	Progress  float64             `json:"progress"`
	Params    domain.MatchParams  `json:"params"`
	Metrics   domain.MatchMetrics `json:"metrics"`
	Proposals int                 `json:"proposals"`
	Open      int                 `json:"open"`
	CreatedAt string              `json:"created_at"`
	UpdatedAt string              `json:"updated_at"`
}

func (s *Server) listMatchRuns(c *fiber.Ctx) error {
	after, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	runs, err := s.app.MatchRuns(c.UserContext(), principal(c), after, limit)
	if err != nil {
		return err
	}
	return c.JSON(newPage(runs, limit, db.MatchRunKey, func(r domain.MatchRun) matchRunSummaryJSON {
		full := s.matchRunJSON(r)
		return matchRunSummaryJSON{ID: full.ID, Status: full.Status, Progress: full.Progress, Params: full.Params, Metrics: full.Metrics,
			Proposals: len(full.Proposals), Open: len(full.Open), CreatedAt: full.CreatedAt, UpdatedAt: full.UpdatedAt}
	}))
}

type whyNotJSON struct {
	Items []domain.WhyNot `json:"items"`
}

func (s *Server) whyNot(c *fiber.Ctx) error {
	var fields []domain.FieldError
	for _, q := range []string{"member_id", "position_id"} {
		if c.Query(q) == "" {
			fields = append(fields, domain.FieldError{Field: q, Message: "is required"})
		}
	}
	if len(fields) > 0 {
		return domain.Invalid("say which member and which place", fields...)
	}
	got, err := s.app.WhyNot(c.UserContext(), principal(c), c.Params("id"), c.Query("member_id"), c.Query("position_id"), c.Query("shift_id"))
	if err != nil {
		return err
	}
	loc := s.app.Config.TimeZone
	for i := range got {
		got[i].Start, got[i].End = got[i].Start.In(loc), got[i].End.In(loc)
	}
	return c.JSON(whyNotJSON{Items: got})
}

type matchSettingsJSON struct {
	// Weights hold every term of the score with its factor (1: the default).
	Weights   map[string]float64 `json:"weights"`
	UpdatedAt *string            `json:"updated_at"`
}

type matchSettingsRequest struct {
	Weights map[string]float64 `json:"weights" validate:"required"`
}

func (s *Server) matchSettingsJSON(m domain.MatchSettings) matchSettingsJSON {
	out := matchSettingsJSON{Weights: m.Weights}
	if !m.UpdatedAt.IsZero() {
		at := stamp(m.UpdatedAt, s.app.Config.TimeZone)
		out.UpdatedAt = &at
	}
	return out
}

func (s *Server) getMatchSettings(c *fiber.Ctx) error {
	m, err := s.app.MatchSettings(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(s.matchSettingsJSON(m))
}

func (s *Server) putMatchSettings(c *fiber.Ctx) error {
	var req matchSettingsRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	m, err := s.app.PutMatchSettings(c.UserContext(), principal(c), req.Weights)
	if err != nil {
		return err
	}
	return c.JSON(s.matchSettingsJSON(m))
}
