package web

import "net/http"

// adminModerationRoutes registers the staff pages of this part of /admin with
// s.adminHandle.
func (s *Server) adminModerationRoutes(mux *http.ServeMux) {}
