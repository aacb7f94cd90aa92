package web

import (
	"log/slog"
	"net/http"
	"strings"

	"masthead"
)

// statusByCode maps application error codes to HTTP statuses. It is the one
// place where that mapping lives; codes not listed are internal errors.
var statusByCode = map[string]int{
	masthead.EINVALID:      http.StatusBadRequest,
	masthead.EUNAUTHORIZED: http.StatusUnauthorized,
	masthead.EFORBIDDEN:    http.StatusForbidden,
	masthead.ENOTFOUND:     http.StatusNotFound,
	masthead.ECONFLICT:     http.StatusConflict,
	masthead.ERATELIMIT:    http.StatusTooManyRequests,
	masthead.EINTERNAL:     http.StatusInternalServerError,

	// The commenting gate's refusals, by reason.
	string(masthead.GateSignedOut):           http.StatusUnauthorized,
	string(masthead.GateCommentsClosed):      http.StatusForbidden,
	string(masthead.GateStoryNotReadable):    http.StatusForbidden,
	string(masthead.GatePlanLacksCommenting): http.StatusForbidden,
	string(masthead.GateSuspended):           http.StatusForbidden,
	string(masthead.GateEmailUnverified):     http.StatusForbidden,
	string(masthead.GateDisplayNameRequired): http.StatusForbidden,
}

// ErrorStatus returns the HTTP status for an application error code; any
// code not in the table is an internal error.
func ErrorStatus(code string) int {
	if status, ok := statusByCode[code]; ok {
		return status
	}
	return http.StatusInternalServerError
}

// Error writes err as the response: a JSON error for /api/ routes and an
// HTML page for everything else, with the status from the code table.
// Internal errors are logged with their whole chain and shown to the user
// only as the catalogue's "internal error" text and the request ID.
func (s *Server) Error(w http.ResponseWriter, r *http.Request, err error) {
	code := masthead.ErrorCode(err)
	status := ErrorStatus(code)
	message := ""
	if status == http.StatusInternalServerError {
		code = masthead.EINTERNAL
		s.logger.LogAttrs(r.Context(), slog.LevelError, "internal error",
			slog.String("request_id", RequestID(r.Context())),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("error", err.Error()))
	} else {
		message = masthead.ErrorMessage(err)
	}
	if field := masthead.ErrorField(err); field != "" && status != http.StatusInternalServerError && isAPI(r) {
		s.writeJSON(w, status, apiErrorBody{Error: apiError{Code: code, Message: message, Field: field}})
		return
	}
	s.renderError(w, r, status, code, message)
}

// renderError writes an error response. An empty message means the
// catalogue's text for the code; for internal errors it is always that text.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	if code == masthead.EINTERNAL || message == "" {
		message = s.defaultMessage(code)
	}
	if isAPI(r) {
		s.writeJSON(w, status, apiErrorBody{Error: apiError{Code: code, Message: message}})
		return
	}
	p := s.newPage(r)
	p.Title = s.msg("error.title." + code)
	p.Description = message
	p.NoIndex = true
	p.Heading = p.Title
	p.Message = message
	if code == masthead.EINTERNAL {
		p.RequestID = RequestID(r.Context())
	}
	s.render(w, r, status, "error", p)
}

// defaultMessage is the catalogue text for an error code.
func (s *Server) defaultMessage(code string) string {
	switch code {
	case masthead.ENOTFOUND:
		return s.msg("error.page_not_found")
	case masthead.ERATELIMIT:
		return s.msg("error.rate_limited")
	case masthead.EINTERNAL:
		return masthead.MsgIn(s.cfg.Locale, masthead.MsgInternalError)
	}
	if _, ok := statusByCode[code]; ok {
		return s.msg("error.title." + code)
	}
	return masthead.MsgIn(s.cfg.Locale, masthead.MsgInternalError)
}

// isAPI reports whether r is for the JSON API.
func isAPI(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/")
}

// handleNotFound answers every request no route matched.
func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, http.StatusNotFound, masthead.ENOTFOUND, "")
}
