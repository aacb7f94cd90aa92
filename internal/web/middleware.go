package web

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"masthead"
)

// contextKey is the type of this package's context keys, so they cannot
// collide with anyone else's.
type contextKey int

// requestKey is the context key of a request's *requestInfo.
const requestKey contextKey = iota

// requestInfo is who a request comes from: its ID and, once the sessions
// middleware has looked, the signed-in viewer. It is put into the context
// by the outermost middleware, so that the layers below it fill it in
// without replacing the *http.Request (see observe). Only the request's
// own goroutine touches it.
type requestInfo struct {
	id string
	// token is the session token from the request's cookie, "" if none.
	token   string
	account *masthead.Account
	session *masthead.Session
	// authErr is a failure to authenticate other than an unknown or ended
	// session, such as the database being down.
	authErr error
}

// requestInfoFrom returns the request's info, or nil outside the
// middleware.
func requestInfoFrom(ctx context.Context) *requestInfo {
	ri, _ := ctx.Value(requestKey).(*requestInfo)
	return ri
}

// RequestID returns the request ID stored in ctx by the server's middleware,
// or "" if there is none.
func RequestID(ctx context.Context) string {
	if ri := requestInfoFrom(ctx); ri != nil {
		return ri.id
	}
	return ""
}

// requestID gives every request a random ID, stored in its context and sent
// back in the X-Request-ID response header.
func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ri := &requestInfo{id: rand.Text()}
		w.Header()["X-Request-Id"] = []string{ri.id}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestKey, ri)))
	})
}

// Header values shared by every response. They are never modified in place:
// http.Header.Set replaces a slice and Add appends to a full one.
var (
	cspValue = []string{"default-src 'self'; script-src 'self'; style-src 'self'; " +
		"img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; " +
		"frame-ancestors 'none'"}
	nosniffValue  = []string{"nosniff"}
	referrerValue = []string{"strict-origin-when-cross-origin"}
	denyValue     = []string{"DENY"}
	hstsValue     = []string{"max-age=63072000; includeSubDomains"}
)

// securityHeaders sets the security headers on every response.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Security-Policy"] = cspValue
		h["X-Content-Type-Options"] = nosniffValue
		h["Referrer-Policy"] = referrerValue
		h["X-Frame-Options"] = denyValue
		if s.hsts || r.TLS != nil {
			h["Strict-Transport-Security"] = hstsValue
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody caps the size of request bodies at Config.MaxBodyBytes.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
		}
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panic in a handler into a logged 500 page, unless
// the response has already begun, in which case the connection is dropped.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			err := fmt.Errorf("web: panic: %v", v)
			s.logger.LogAttrs(r.Context(), slog.LevelError, "panic",
				slog.String("request_id", RequestID(r.Context())),
				slog.String("error", err.Error()),
				slog.String("stack", string(debug.Stack())))
			if rw, ok := w.(*responseWriter); ok && rw.status != 0 {
				panic(http.ErrAbortHandler)
			}
			s.renderError(w, r, http.StatusInternalServerError, masthead.EINTERNAL, "")
		}()
		next.ServeHTTP(w, r)
	})
}

// observe writes one access-log line and updates the metrics for every
// request. It must wrap the handlers below it without any of them replacing
// the *http.Request, so that r.Pattern, set by the ServeMux, is seen here.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rw := &responseWriter{ResponseWriter: w}
		next.ServeHTTP(rw, r)
		elapsed := time.Since(start)
		status := rw.status
		if status == 0 {
			status = http.StatusOK
		}
		route := routeLabel(r)
		s.metrics.observe(route, status, elapsed)
		s.logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("route", route),
			slog.String("path", r.URL.Path),
			slog.Int("status", status),
			slog.Int64("bytes", rw.bytes),
			slog.Duration("duration", elapsed),
			slog.String("request_id", RequestID(r.Context())))
	})
}

// routeLabel returns the matched ServeMux pattern, or "unmatched" for a
// request no specific route took, so metric cardinality stays bounded.
func routeLabel(r *http.Request) string {
	if r.Pattern == "" || r.Pattern == "/" {
		return "unmatched"
	}
	return r.Pattern
}

// responseWriter records the status and size of a response.
type responseWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

// WriteHeader records the status and passes it on.
func (w *responseWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

// Write records the bytes written and passes them on.
func (w *responseWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(p)
	w.bytes += int64(n)
	return n, err
}

// Flush sends buffered data to the client, for streaming responses.
func (w *responseWriter) Flush() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap returns the underlying ResponseWriter for http.ResponseController.
func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
