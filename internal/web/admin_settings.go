package web

import "net/http"

// adminSettingsRoutes registers the staff pages of this part of /admin with
// s.adminHandle.
func (s *Server) adminSettingsRoutes(mux *http.ServeMux) {}
