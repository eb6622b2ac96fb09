package app

import (
	"context"
	"math"
	"strings"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// NewExpense is a member's claim: miles for mileage, an amount for other costs.
type NewExpense struct {
	Kind        string
	Miles       *float64
	AmountPence *int64
	Note        string
}

// ClaimExpense records a claim by the member against a booking they
// attended. Mileage is priced at the pay settings' rate per mile, rounded to
// the penny. A booking out of reach is not found; someone else's is
// forbidden; one not attended is invalid, naming the booking.
func (a *App) ClaimExpense(ctx context.Context, p *domain.Principal, bookingID string, in NewExpense) (domain.Expense, error) {
	var fields []domain.FieldError
	bad := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }
	kind := domain.ExpenseKind(in.Kind)
	switch kind {
	case domain.ExpenseMileage:
		if in.Miles == nil || math.IsNaN(*in.Miles) || *in.Miles <= 0 || *in.Miles > 1000 {
			bad("miles", "mileage needs miles, more than 0 and at most 1000")
		}
		if in.AmountPence != nil {
			bad("amount_pence", "leave it out for mileage: it is priced from the miles")
		}
	case domain.ExpenseOther:
		if in.AmountPence == nil || *in.AmountPence <= 0 || *in.AmountPence > 100_000 {
			bad("amount_pence", "other costs need an amount in whole pence, from 1 to 100000")
		}
		if in.Miles != nil {
			bad("miles", "only mileage has miles")
		}
	default:
		bad("kind", "must be mileage or other")
	}
	note := strings.TrimSpace(in.Note)
	if len(note) > 500 {
		bad("note", "must be at most 500 characters")
	}
	if kind == domain.ExpenseOther && note == "" {
		bad("note", "say what the cost was for")
	}
	if len(fields) > 0 {
		return domain.Expense{}, domain.Invalid("the expense could not be claimed", fields...)
	}
	var out domain.Expense
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		b, _, _, _, err := a.bookingInScope(ctx, tx, p, bookingID)
		if err != nil {
			return err
		}
		if !isSelf(p, b.MemberID) {
			return forbidden("only the member who worked the shift claims its expenses")
		}
		if b.Status != domain.BookingAttended {
			return domain.Invalid("expenses are claimed against a booking you attended",
				domain.FieldError{Field: "booking_id", Message: "is not an attended booking (it is " + string(b.Status) + ")"})
		}
		e := domain.Expense{ID: NewID(), BookingID: b.ID, MemberID: b.MemberID, Kind: kind, Miles: in.Miles, Note: note,
			Status: domain.ExpenseClaimed, CreatedAt: a.Now()}
		if kind == domain.ExpenseMileage {
			settings, err := tx.PaySettings(ctx)
			if err != nil {
				return err
			}
			e.AmountPence = int64(math.Round(*in.Miles * float64(settings.MileagePencePerMile)))
		} else {
			e.AmountPence = *in.AmountPence
		}
		if err := tx.CreateExpense(ctx, e); err != nil {
			return err
		}
		out = e
		return a.audit(ctx, tx, p, auditEvent{action: "expense.claim", entity: "expense", entityID: e.ID, memberID: e.MemberID,
			after: expenseState(e)})
	})
	return out, err
}

// DecideExpense approves or rejects a claim, as the coordinator of the
// shift's area or an admin, never one's own. Only a claim still waiting can
// be decided (conflict otherwise).
func (a *App) DecideExpense(ctx context.Context, p *domain.Principal, id string, approve bool) (domain.Expense, error) {
	var out domain.Expense
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		e, err := tx.ExpenseByID(ctx, id)
		if err != nil {
			return err
		}
		_, _, _, coordinates, err := a.bookingInScope(ctx, tx, p, e.BookingID)
		if err != nil {
			if domain.ErrorCode(err) == domain.ENotFound {
				return notFound("expense")
			}
			return err
		}
		if !coordinates || isSelf(p, e.MemberID) {
			return forbidden("a coordinator of the shift's area decides expenses, never their own")
		}
		if e.Status != domain.ExpenseClaimed {
			return domain.Errorf(domain.EConflict, "this expense is already %s", e.Status)
		}
		before := e
		now := a.Now()
		e.Status, e.DecidedBy, e.DecidedAt = domain.ExpenseRejected, p.User.ID, &now
		if approve {
			e.Status = domain.ExpenseApproved
		}
		if err := tx.DecideExpense(ctx, e); err != nil {
			return err
		}
		out = e
		return a.audit(ctx, tx, p, auditEvent{action: "expense." + map[bool]string{true: "approve", false: "reject"}[approve],
			entity: "expense", entityID: e.ID, memberID: e.MemberID, before: expenseState(before), after: expenseState(e)})
	})
	return out, err
}

func expenseState(e domain.Expense) map[string]any {
	return map[string]any{"booking_id": e.BookingID, "kind": e.Kind, "miles": e.Miles, "amount_pence": e.AmountPence, "status": e.Status}
}

// BookingExpenses lists the claims against a booking, for its member or a
// coordinator of the shift's area.
func (a *App) BookingExpenses(ctx context.Context, p *domain.Principal, bookingID string) ([]domain.Expense, error) {
	if _, _, _, _, err := a.bookingInScope(ctx, a.store, p, bookingID); err != nil {
		return nil, err
	}
	return a.store.BookingExpenses(ctx, bookingID)
}

// PendingExpense is a claim waiting for a decision, with the member's name
// and the shift it is for.
type PendingExpense struct {
	domain.Expense
	MemberName string
	Title      string
	ShiftStart time.Time
}

// PendingExpenses lists the claims waiting on shifts in the caller's areas
// (every area for an admin), never the caller's own, oldest first.
func (a *App) PendingExpenses(ctx context.Context, p *domain.Principal) ([]PendingExpense, error) {
	if !isCoordinating(p) {
		return nil, forbidden("only coordinators decide expenses")
	}
	var paths []string
	if !p.IsAdmin() {
		for _, area := range p.User.Areas {
			paths = append(paths, area.Path)
		}
		if len(paths) == 0 {
			return nil, nil
		}
	}
	all, err := a.store.PendingExpenses(ctx, paths, 200)
	if err != nil {
		return nil, err
	}
	out := make([]PendingExpense, 0, len(all))
	for _, e := range all {
		if !isSelf(p, e.MemberID) {
			out = append(out, PendingExpense{Expense: e.Expense, MemberName: e.MemberName, Title: e.Title, ShiftStart: e.ShiftStart})
		}
	}
	return out, nil
}
