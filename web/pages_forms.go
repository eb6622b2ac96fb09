package web

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/copbank/copbank/domain"
)

// Form helpers shared by every page: the inputs a template renders with their
// hints and errors wired to aria-describedby, the errors of a form by input,
// and the app's field errors in the page's words.

// inputField is one labelled input, select or textarea, with its hint and
// error wired to aria-describedby.
type inputField struct {
	ID, Name, Label, Hint, Value, Error string
	Type                                string // input type; "select" or "textarea" for those
	Class, InputMode, Autocomplete      string
	Options                             []choice
}

// DescribedBy is the value of the field's aria-describedby.
func (f inputField) DescribedBy() string { return describedBy(f.ID, f.Hint, f.Error) }

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
func (g choiceGroup) DescribedBy() string { return describedBy(g.ID, g.Hint, g.Error) }

// describedBy names the hint and the error of the input id, those it has.
func describedBy(id, hint, err string) string {
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

// fillInputs sets each input's value from the form and its error from the
// first error naming it, keyed by ID for the template; an input is named and
// typed "text" by default.
func fillInputs(v pageView, ins ...inputField) map[string]inputField {
	out := make(map[string]inputField, len(ins))
	for _, in := range ins {
		in.Value, in.Error = v.Form[in.ID], fieldError(v, in.ID)
		if in.Name == "" {
			in.Name = in.ID
		}
		if in.Type == "" {
			in.Type = "text"
		}
		out[in.ID] = in
	}
	return out
}

// fieldError is the first error a view holds for a field, "" for none.
func fieldError(v pageView, id string) string {
	for _, e := range v.Errors {
		if e.Field == id {
			return e.Message
		}
	}
	return ""
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

// appInvalid is the app's invalid-input error, nil for any other error.
func appInvalid(err error) *domain.Error {
	var de *domain.Error
	if errors.As(err, &de) && de.Code == domain.EInvalid {
		return de
	}
	return nil
}

// invalidFields returns the field errors of the app's invalid-input error as
// the app words them, the error's message with no field when it names none;
// it reports false for any other error. Pages whose fields map one to one use
// appFieldErrors instead.
func invalidFields(err error) ([]domain.FieldError, bool) {
	de := appInvalid(err)
	if de == nil {
		return nil, false
	}
	if len(de.Fields) == 0 {
		return []domain.FieldError{{Message: de.Message}}, true
	}
	return de.Fields, true
}

// pageField is how a page names a field the app checks: the input's id and
// the label a message is led by.
type pageField struct{ ID, Label string }

var indexSuffix = regexp.MustCompile(`\[\d+\]$`)

// appFieldErrors turns the app's invalid-input error into the page's error list:
// each app field mapped to its input (an indexed field such as kinds[0] to
// its list), its message led by the label; a field the page does not show
// goes to fields[""], the input the summary should then link to. It reports
// false for any other error, which the caller returns as it is.
func appFieldErrors(err error, fields map[string]pageField) ([]domain.FieldError, bool) {
	de := appInvalid(err)
	if de == nil {
		return nil, false
	}
	var out []domain.FieldError
	seen := map[string]bool{}
	for _, fe := range de.Fields {
		f, ok := fields[fe.Field]
		if !ok {
			f, ok = fields[indexSuffix.ReplaceAllString(fe.Field, "")]
		}
		if !ok {
			f = pageField{ID: fields[""].ID, Label: upperFirst(strings.ReplaceAll(fe.Field, "_", " "))}
		}
		if seen[f.ID] {
			continue
		}
		seen[f.ID] = true
		out = append(out, domain.FieldError{Field: f.ID, Message: ledBy(f.Label, fe.Message)})
	}
	if len(out) == 0 {
		out = append(out, domain.FieldError{Field: fields[""].ID, Message: ledBy("", de.Message)})
	}
	return out, true
}

// ledBy leads an app message with the field's label, so that it reads on its
// own in the error summary: "must be from 1 to 500" becomes "Places must be
// from 1 to 500", and a message that does not start with a verb follows the
// label after a colon, "Longitude: give both lat and lon, or neither". With no
// label the message stands alone; with no message the label "is not right".
func ledBy(label, msg string) string {
	msg = strings.TrimSpace(msg)
	switch {
	case label == "":
		return upperFirst(msg)
	case msg == "":
		return label + " is not right"
	}
	for _, verb := range []string{"is ", "are ", "must ", "was ", "needs ", "may "} {
		if strings.HasPrefix(msg, verb) {
			return label + " " + msg
		}
	}
	return label + ": " + msg
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
