package web

import "net/http"

// adminUserRoutes registers the staff pages of this part of /admin with
// s.adminHandle.
func (s *Server) adminUserRoutes(mux *http.ServeMux) {}
