package web

import "net/http"

// adminStoryRoutes registers the staff pages of this part of /admin with
// s.adminHandle.
func (s *Server) adminStoryRoutes(mux *http.ServeMux) {}
