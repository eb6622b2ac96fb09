package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/domain"
)

var validate = newValidator()

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	// Report fields by their JSON names, the names callers sent.
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	return v
}

// decode reads a JSON body strictly (unknown fields and trailing data are
// refused) and validates its syntax, naming every bad field.
func decode(c *fiber.Ctx, dst any) error {
	body := c.Body()
	if len(bytes.TrimSpace(body)) == 0 {
		return domain.Invalid("the request needs a JSON body", domain.FieldError{Field: "body", Message: "is empty"})
	}
	// encoding/json would quietly turn bad bytes into U+FFFD and store the
	// mangled text; a body that is not UTF-8 is the caller's mistake to fix.
	if !utf8.Valid(body) {
		return domain.Invalid("the body is not valid UTF-8", domain.FieldError{Field: "body", Message: "is not valid UTF-8"})
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return domain.Invalid("the body must hold exactly one JSON object", domain.FieldError{Field: "body", Message: "has data after the JSON object"})
	}
	return validateStruct(dst)
}

func jsonError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		return domain.Invalid("a field has the wrong type", domain.FieldError{Field: field, Message: fmt.Sprintf("must be %s", jsonTypeName(typeErr.Type))})
	case errors.As(err, &syntaxErr):
		return domain.Invalid("the body is not valid JSON", domain.FieldError{Field: "body", Message: fmt.Sprintf("syntax error at byte %d", syntaxErr.Offset)})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return domain.Invalid("the body has a field we do not know", domain.FieldError{Field: name, Message: "is not a known field"})
	default:
		return domain.Invalid("the body is not valid JSON", domain.FieldError{Field: "body", Message: err.Error()})
	}
}

func jsonTypeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	default:
		return "an object"
	}
}

func validateStruct(v any) error {
	err := validate.Struct(v)
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return err
	}
	fields := make([]domain.FieldError, 0, len(verrs))
	for _, fe := range verrs {
		fields = append(fields, domain.FieldError{Field: fieldPath(fe), Message: ruleMessage(fe)})
	}
	return domain.Invalid("some fields are not right", fields...)
}

// fieldPath turns "loginRequest.positions[0].name" into "positions[0].name".
func fieldPath(fe validator.FieldError) string {
	ns := fe.Namespace()
	if _, rest, ok := strings.Cut(ns, "."); ok {
		return rest
	}
	return fe.Field()
}

func ruleMessage(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required":
		return "is required"
	case "email":
		return "must be an email address"
	case "max":
		if fe.Kind() == reflect.String {
			return "must be at most " + fe.Param() + " characters"
		}
		return "must be at most " + fe.Param()
	case "min":
		if fe.Kind() == reflect.String {
			return "must be at least " + fe.Param() + " characters"
		}
		if fe.Kind() == reflect.Slice {
			return "must have at least " + fe.Param() + " items"
		}
		return "must be at least " + fe.Param()
	case "oneof":
		return "must be one of: " + strings.ReplaceAll(fe.Param(), " ", ", ")
	case "gte":
		return "must be at least " + fe.Param()
	case "lte":
		return "must be at most " + fe.Param()
	case "gt":
		return "must be more than " + fe.Param()
	case "latitude":
		return "must be a latitude between -90 and 90"
	case "longitude":
		return "must be a longitude between -180 and 180"
	case "dive":
		return "has an invalid item"
	default:
		return "fails the " + fe.Tag() + " rule"
	}
}
