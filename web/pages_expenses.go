package web

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

type expenseLine struct {
	ID, What, Amount, Status, Note, Member, Shift string
}

type myExpensesData struct {
	ID, Title, When string
	CanClaim        bool
	Claims          []expenseLine
}

func pounds(pence int64) string { return fmt.Sprintf("£%d.%02d", pence/100, pence%100) }

func expenseWhat(e domain.Expense) string {
	if e.Kind == domain.ExpenseMileage && e.Miles != nil {
		return strconv.FormatFloat(*e.Miles, 'f', -1, 64) + " miles"
	}
	return "Other cost"
}

// myExpensesPage shows a member's claims against one of their bookings and,
// once they attended it, the form to claim.
func (s *Server) myExpensesPage(c *fiber.Ctx) error {
	return s.renderMyExpenses(c, fiber.StatusOK, pageView{Form: map[string]string{"kind": "mileage"}})
}

func (s *Server) renderMyExpenses(c *fiber.Ctx, status int, view pageView) error {
	v, err := s.myBooking(c)
	if err != nil {
		return err
	}
	claims, err := s.app.BookingExpenses(c.UserContext(), principal(c), v.Booking.ID)
	if err != nil {
		return err
	}
	data := myExpensesData{ID: v.Booking.ID, Title: v.Demand.Title, When: s.when(v.Demand, v.Shift.Start, v.Shift.End),
		CanClaim: v.Booking.Status == domain.BookingAttended}
	for _, e := range claims {
		data.Claims = append(data.Claims, expenseLine{What: expenseWhat(e), Amount: pounds(e.AmountPence), Status: string(e.Status), Note: e.Note})
	}
	view.Title, view.Nav, view.Data = "Expenses", "my-shifts", data
	return s.render(c, status, "my_expenses", view)
}

var poundsRE = regexp.MustCompile(`^£?(\d{1,4})(?:\.(\d{2}))?$`)

// postMyExpense claims mileage or another cost; the rules are the API's.
func (s *Server) postMyExpense(c *fiber.Ctx) error {
	form := formValues(c, "kind", "miles", "amount", "note")
	view := pageView{Form: form}
	in := app.NewExpense{Kind: form["kind"], Note: form["note"]}
	switch form["kind"] {
	case "mileage":
		miles, err := strconv.ParseFloat(strings.TrimSpace(form["miles"]), 64)
		if err != nil {
			view.Errors = append(view.Errors, domain.FieldError{Field: "miles", Message: "Enter the miles as a number, for example 12.5"})
		} else {
			in.Miles = &miles
		}
	case "other":
		m := poundsRE.FindStringSubmatch(strings.TrimSpace(form["amount"]))
		if m == nil {
			view.Errors = append(view.Errors, domain.FieldError{Field: "amount", Message: "Enter the amount in pounds, for example 3.50"})
		} else {
			whole, _ := strconv.ParseInt(m[1], 10, 64)
			pence, _ := strconv.ParseInt("0"+m[2], 10, 64)
			total := whole*100 + pence
			in.AmountPence = &total
		}
	default:
		view.Errors = append(view.Errors, domain.FieldError{Field: "kind", Message: "Choose mileage or another cost"})
	}
	if len(view.Errors) == 0 {
		e, err := s.app.ClaimExpense(c.UserContext(), principal(c), c.Params("id"), in)
		if err == nil {
			s.flash(c, fmt.Sprintf("You claimed %s. A coordinator will look at it.", pounds(e.AmountPence)))
			return c.Redirect("/my-shifts/"+c.Params("id")+"/expenses", fiber.StatusSeeOther)
		}
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != domain.EInvalid {
			return err
		}
		for _, f := range de.Fields {
			field := f.Field
			switch field {
			case "amount_pence":
				field = "amount"
			case "booking_id":
				field = "kind"
			}
			view.Errors = append(view.Errors, domain.FieldError{Field: field, Message: f.Message})
		}
	}
	return s.renderMyExpenses(c, fiber.StatusUnprocessableEntity, view)
}

type coordExpensesData struct {
	Claims []expenseLine
}

// coordExpensesPage lists the claims waiting in the coordinator's areas.
func (s *Server) coordExpensesPage(c *fiber.Ctx) error {
	pending, err := s.app.PendingExpenses(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	var data coordExpensesData
	for _, e := range pending {
		data.Claims = append(data.Claims, pendingLine(e, s))
	}
	return s.render(c, fiber.StatusOK, "coord_expenses", pageView{Title: "Expenses to decide", Nav: "expenses", Data: data})
}

func pendingLine(e app.PendingExpense, s *Server) expenseLine {
	return expenseLine{ID: e.ID, What: expenseWhat(e.Expense), Amount: pounds(e.AmountPence), Status: string(e.Status), Note: e.Note,
		Member: e.MemberName, Shift: e.Title + ", " + e.ShiftStart.In(s.app.Config.TimeZone).Format("Mon 2 Jan 2006 15:04")}
}

// postCoordExpense approves or rejects a claim.
func (s *Server) postCoordExpense(c *fiber.Ctx) error {
	approve := c.Params("action") == "approve"
	if !approve && c.Params("action") != "reject" {
		return domain.Errorf(domain.ENotFound, "there is nothing at this address")
	}
	e, err := s.app.DecideExpense(c.UserContext(), principal(c), c.Params("id"), approve)
	switch domain.ErrorCode(err) {
	case "":
		s.flash(c, fmt.Sprintf("You %s the claim for %s.", map[bool]string{true: "approved", false: "rejected"}[approve], pounds(e.AmountPence)))
	case domain.EConflict:
		s.flash(c, "That claim was already decided.")
	default:
		return err
	}
	return c.Redirect("/coord/expenses", fiber.StatusSeeOther)
}
