package web

import (
	"errors"
	"regexp"
	"strings"

	"github.com/copbank/copbank/domain"
)

// Form helpers shared by the member and admin pages: one text input as a
// template renders it, and the app's field errors in the page's words.

// input is one labelled text-like input with its hint, value and error; the
// "input" template of a page renders it with aria-describedby naming the
// hint and the error.
type input struct {
	ID, Label, Hint, Type, Value, Error string
	InputMode, Autocomplete             string
	Required                            bool
}

// DescribedBy is the input's aria-describedby: its hint and its error.
func (in input) DescribedBy() string {
	var ids []string
	if in.Hint != "" {
		ids = append(ids, in.ID+"-hint")
	}
	if in.Error != "" {
		ids = append(ids, in.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// fillInputs sets each input's value from the form and its error from the
// first error naming it, keyed by ID for the template.
func fillInputs(v pageView, ins ...input) map[string]input {
	out := make(map[string]input, len(ins))
	for _, in := range ins {
		in.Value = v.Form[in.ID]
		for _, e := range v.Errors {
			if e.Field == in.ID {
				in.Error = e.Message
				break
			}
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
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.EInvalid {
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

// ledBy leads an app message such as "must be a date like 2027-01-08"
// with the field's label: "Start date must be a date like 2027-01-08".
func ledBy(label, msg string) string {
	msg = strings.TrimSpace(msg)
	if label == "" {
		return upperFirst(msg)
	}
	for _, verb := range []string{"is ", "must ", "needs ", "may "} {
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
