package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

type expenseRequest struct {
	Kind        string   `json:"kind" validate:"required,oneof=mileage other"`
	Miles       *float64 `json:"miles"`
	AmountPence *int64   `json:"amount_pence"`
	Note        string   `json:"note" validate:"max=500"`
}

type expenseJSON struct {
	ID          string   `json:"id"`
	BookingID   string   `json:"booking_id"`
	MemberID    string   `json:"member_id"`
	Kind        string   `json:"kind" validate:"oneof=mileage other"`
	Miles       *float64 `json:"miles"`
	AmountPence int64    `json:"amount_pence"`
	Note        string   `json:"note"`
	Status      string   `json:"status" validate:"oneof=claimed approved rejected"`
	CreatedAt   string   `json:"created_at"`
	DecidedAt   *string  `json:"decided_at"`
}

func (s *Server) renderExpense(e domain.Expense) expenseJSON {
	loc := s.app.Config.TimeZone
	return expenseJSON{ID: e.ID, BookingID: e.BookingID, MemberID: e.MemberID, Kind: string(e.Kind), Miles: e.Miles,
		AmountPence: e.AmountPence, Note: e.Note, Status: string(e.Status), CreatedAt: stamp(e.CreatedAt, loc),
		DecidedAt: stampPtr(e.DecidedAt, loc)}
}

func (s *Server) claimExpense(c *fiber.Ctx) error {
	var req expenseRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	e, err := s.app.ClaimExpense(c.UserContext(), principal(c), c.Params("id"),
		app.NewExpense{Kind: req.Kind, Miles: req.Miles, AmountPence: req.AmountPence, Note: req.Note})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(s.renderExpense(e))
}

func (s *Server) approveExpense(c *fiber.Ctx) error { return s.decideExpense(c, true) }

func (s *Server) rejectExpense(c *fiber.Ctx) error { return s.decideExpense(c, false) }

func (s *Server) decideExpense(c *fiber.Ctx, approve bool) error {
	e, err := s.app.DecideExpense(c.UserContext(), principal(c), c.Params("id"), approve)
	if err != nil {
		return err
	}
	return c.JSON(s.renderExpense(e))
}
