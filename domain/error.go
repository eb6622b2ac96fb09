package domain

import (
	"errors"
	"fmt"
)

// Error codes. The web layer maps each to one HTTP status in one place.
const (
	EInvalid      = "invalid"      // the input is malformed or breaks a field rule (422)
	ENotFound     = "not_found"    // absent, or outside the caller's reach (404)
	EConflict     = "conflict"     // the state of the world forbids it (409)
	ERefused      = "refused"      // a booking failed one or more booking rules (409)
	EUnauthorized = "unauthorized" // no valid credentials (401)
	EForbidden    = "forbidden"    // known caller, not allowed (403)
	ETooMany      = "rate_limited" // slow down (429)
	EGone         = "gone"         // a link that is unknown, used or expired (410)
	EInternal     = "internal"     // our fault; never shown in detail (500)
)

// FieldError names one bad input field and what is wrong with it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the single application error. Message is safe to show to the caller.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
	// Rules lists failed booking rules by their SPEC names (ERefused).
	Rules []string
}

func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("%s: %s (%v)", e.Code, e.Message, e.Fields)
	}
	if len(e.Rules) > 0 {
		return fmt.Sprintf("%s: %s %v", e.Code, e.Message, e.Rules)
	}
	return e.Code + ": " + e.Message
}

// Errorf builds an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid reports bad input on named fields.
func Invalid(message string, fields ...FieldError) *Error {
	return &Error{Code: EInvalid, Message: message, Fields: fields}
}

// FieldInvalid reports one bad field.
func FieldInvalid(field, message string) *Error {
	return Invalid(message, FieldError{Field: field, Message: message})
}

// ErrorCode returns the code of err, EInternal for errors that are not *Error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EInternal
}

// ErrorMessage returns the caller-safe message of err.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
