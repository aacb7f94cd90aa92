package masthead

import (
	"errors"
	"fmt"
)

// Application error codes. Each maps to one HTTP status in the web layer.
const (
	ECONFLICT     = "conflict"
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ERATELIMIT    = "rate_limited"
)

// Error is the application error: a machine-readable Code and a Message fit
// to show to a reader. Anything else about a failure belongs in the wrapped
// chain that is logged, never in Message.
type Error struct {
	// Code is one of the E* constants, or a more specific code such as a
	// commenting-gate reason.
	Code string
	// Message is shown to users as is.
	Message string
	// Field names the form field the error is about, if any.
	Field string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("masthead error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an application error with the given code and a formatted
// message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID application error about one form field.
func FieldError(field, message string) *Error {
	return &Error{Code: EINVALID, Message: message, Field: field}
}

// ErrorCode returns the code of the first application error in err's chain,
// EINTERNAL for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of the first application
// error in err's chain, and a generic message for any other error.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return Msg(MsgInternalError)
}

// ErrorField returns the form field named by the first application error in
// err's chain, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
