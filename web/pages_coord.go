package web

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

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
			return fiber.ErrNotFound
		}
		return h(c)
	}
}

func coordinating(u *domain.User) bool {
	return u != nil && (u.Has(domain.RoleAdmin) || u.Has(domain.RoleCoordinator))
}

// Coordinating tells the layout to show the coordinator's links.
func (v pageView) Coordinating() bool { return coordinating(v.User) }

// inputField is one labelled input, select or textarea, with its hint and
// error wired to aria-describedby.
type inputField struct {
	ID, Name, Label, Hint, Value, Error string
	Type                                string // input type; "select" or "textarea" for those
	Class, Inputmode, Autocomplete      string
	Options                             []choice
}

// DescribedBy is the value of the field's aria-describedby.
func (f inputField) DescribedBy() string { return describedByIDs(f.ID, f.Hint, f.Error) }

// choice is one option of a select, or one radio or checkbox of a group.
type choice struct {
	ID, Value, Label string
	Selected         bool
}

// choiceGroup is a fieldset of radios or checkboxes; the first box has the
// group's ID, so that the error summary can link to it.
type choiceGroup struct {
	ID, Name, Legend, Hint, Error string
	Type                          string // "radio" or "checkbox"
	Choices                       []choice
}

// DescribedBy is the value of the fieldset's aria-describedby.
func (g choiceGroup) DescribedBy() string { return describedByIDs(g.ID, g.Hint, g.Error) }

func describedByIDs(id, hint, err string) string {
	var parts []string
	if hint != "" {
		parts = append(parts, id+"-hint")
	}
	if err != "" {
		parts = append(parts, id+"-error")
	}
	return strings.Join(parts, " ")
}

func selectField(id, label, hint, value string, opts []choice) inputField {
	for i := range opts {
		opts[i].Selected = opts[i].Value == value
	}
	return inputField{ID: id, Name: id, Label: label, Hint: hint, Value: value, Type: "select", Options: opts}
}

func newGroup(id, legend, hint, typ string, opts []choice, picked []string) choiceGroup {
	for i := range opts {
		opts[i].ID = id
		if i > 0 {
			opts[i].ID = id + "-" + strings.ToLower(opts[i].Value)
		}
		for _, p := range picked {
			if p == opts[i].Value {
				opts[i].Selected = true
			}
		}
	}
	return choiceGroup{ID: id, Name: id, Legend: legend, Hint: hint, Type: typ, Choices: opts}
}

// formErrors gathers the errors of a form by input ID, the first per input.
type formErrors map[string]string

func (e formErrors) add(id, msg string) {
	if _, seen := e[id]; !seen {
		e[id] = msg
	}
}

// summary lists the errors in the order of the inputs on the page, for the
// error summary at the top; errors for inputs not in order come last.
func (e formErrors) summary(order []string) []domain.FieldError {
	var out []domain.FieldError
	done := map[string]bool{}
	for _, id := range order {
		if msg, ok := e[id]; ok && !done[id] {
			out = append(out, domain.FieldError{Field: id, Message: msg})
			done[id] = true
		}
	}
	for id, msg := range e {
		if !done[id] {
			out = append(out, domain.FieldError{Field: id, Message: msg})
		}
	}
	return out
}

// fieldSentence turns an API field message ("is required", "must be from 1 to
// 500") into one a person reads on its own: "Headcount is required".
func fieldSentence(label, msg string) string {
	msg = strings.TrimSpace(msg)
	for _, p := range []string{"is ", "are ", "must ", "was "} {
		if strings.HasPrefix(msg, p) {
			return label + " " + msg
		}
	}
	if msg == "" {
		return label + " is not right"
	}
	return strings.ToUpper(msg[:1]) + msg[1:]
}

// invalidFields returns the field errors of a domain.Invalid error, or nil
// with ok false for any other error.
func invalidFields(err error) ([]domain.FieldError, bool) {
	var de *domain.Error
	if domain.ErrorCode(err) != domain.EInvalid || !errors.As(err, &de) {
		return nil, false
	}
	if len(de.Fields) == 0 {
		return []domain.FieldError{{Message: de.Message}}, true
	}
	return de.Fields, true
}

// atoiField parses an optional whole number, recording an error on id.
func atoiField(errs formErrors, id, value, msg string) (int, bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false
	}
	n, err := strconv.Atoi(value)
	if err != nil {
		errs.add(id, msg)
		return 0, false
	}
	return n, true
}

func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
