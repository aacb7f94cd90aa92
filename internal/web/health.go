package web

import (
	"log/slog"
	"net/http"
)

// handleHealthz reports that the process is up.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	s.write(w, http.StatusOK, "text/plain; charset=utf-8", []byte("ok\n"))
}

// handleReadyz reports whether the server can take traffic, as decided by
// Config.Ready (typically a database ping).
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Ready != nil {
		if err := s.cfg.Ready(r.Context()); err != nil {
			s.logger.LogAttrs(r.Context(), slog.LevelWarn, "not ready",
				slog.String("request_id", RequestID(r.Context())),
				slog.String("error", err.Error()))
			s.write(w, http.StatusServiceUnavailable, "text/plain; charset=utf-8", []byte(s.msg("ops.not_ready")+"\n"))
			return
		}
	}
	s.write(w, http.StatusOK, "text/plain; charset=utf-8", []byte("ok\n"))
}
