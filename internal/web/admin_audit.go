package web

import "net/http"

// adminAuditRoutes registers the staff pages of this part of /admin with
// s.adminHandle.
func (s *Server) adminAuditRoutes(mux *http.ServeMux) {}
