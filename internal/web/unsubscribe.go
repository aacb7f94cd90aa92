package web

import (
	"net/http"

	"masthead"
)

// pathUnsubscribe is the one-click unsubscribe page of reply emails, the
// address of their List-Unsubscribe header (with ?token=).
const pathUnsubscribe = "/account/notifications/unsubscribe"

// unsubscribeRoutes registers the unsubscribe page of reply emails. It
// works without a session: the token in the link is the authority. The
// POST also takes RFC 8058's one-click request, which a mail client sends
// to the link as it is (the token in the query, the body
// "List-Unsubscribe=One-Click", no cookie and no Origin header, which
// cross-origin protection lets through).
func (s *Server) unsubscribeRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+pathUnsubscribe, noStoreHandler(s.handleUnsubscribeForm))
	mux.HandleFunc("POST "+pathUnsubscribe, noStoreHandler(s.handleUnsubscribe))
}

// handleUnsubscribeForm asks the reader to confirm, with a button, that
// they want no more reply emails; following a link must not change
// anything, as mail scanners follow links. After the change (?done=1) it
// says it is done.
func (s *Server) handleUnsubscribeForm(w http.ResponseWriter, r *http.Request) {
	w.Header()["Referrer-Policy"] = noReferrerValue
	q := r.URL.Query()
	if q.Get("done") != "" {
		s.noticePage(w, r, http.StatusOK, string(masthead.MsgUnsubscribeDoneHeading), s.msg(string(masthead.MsgUnsubscribeDone)),
			s.link("/account/notifications", string(masthead.MsgUnsubscribeSettings)))
		return
	}
	token := q.Get("token")
	if token == "" {
		s.unsubscribeFailed(w, r, http.StatusBadRequest, s.msg(string(masthead.MsgUnsubscribeInvalid)))
		return
	}
	p := s.authPage(r, string(masthead.MsgUnsubscribeHeading))
	p.Token = token
	s.render(w, r, http.StatusOK, "unsubscribe", p)
}

// handleUnsubscribe turns reply emails off for the account of the posted
// token (from the form, or from the query of a one-click request).
func (s *Server) handleUnsubscribe(w http.ResponseWriter, r *http.Request) {
	w.Header()["Referrer-Policy"] = noReferrerValue
	if !s.parseForm(w, r) {
		return
	}
	token := r.PostFormValue("token")
	if token == "" {
		token = r.URL.Query().Get("token")
	}
	if err := s.cfg.Notifications.UnsubscribeReplies(r.Context(), token); err != nil {
		status := ErrorStatus(masthead.ErrorCode(err))
		if status == http.StatusInternalServerError {
			s.Error(w, r, err)
			return
		}
		s.unsubscribeFailed(w, r, status, masthead.ErrorMessage(err))
		return
	}
	s.redirect(w, r, pathUnsubscribe+"?done=1")
}

// unsubscribeFailed says that an unsubscribe link did not work, with the
// way to the notification settings.
func (s *Server) unsubscribeFailed(w http.ResponseWriter, r *http.Request, status int, message string) {
	s.noticePage(w, r, status, string(masthead.MsgUnsubscribeHeading), message,
		s.link("/account/notifications", string(masthead.MsgUnsubscribeSettings)))
}
