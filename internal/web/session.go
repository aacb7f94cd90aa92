package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"unicode/utf8"

	"masthead"
)

// Session cookie names. Browsers accept a cookie named with the __Host-
// prefix only if it is Secure, has Path=/ and no Domain, which pins it to
// this exact origin. A Secure cookie cannot be set over plain HTTP (outside
// localhost in some browsers), so a site served over plain HTTP — a
// development machine — uses the name without the prefix.
const (
	SessionCookieName         = "__Host-masthead_session"
	InsecureSessionCookieName = "masthead_session"
)

// maxTokenLen bounds the session token read from a cookie; anything longer
// is not a token and is not looked up.
const maxTokenLen = 256

// maxUserAgentLen bounds the user agent passed to the account service.
const maxUserAgentLen = 512

var noStoreValue = []string{"no-store"}

// noStore marks the response as never to be stored by any cache.
func noStore(w http.ResponseWriter) { w.Header()["Cache-Control"] = noStoreValue }

// noStoreHandler wraps h so that none of its responses, redirects and
// errors included, is stored by a cache.
func noStoreHandler(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		noStore(w)
		h(w, r)
	}
}

// sessions looks up the signed-in viewer of a request that carries a
// session cookie, and records the account and session in the request's
// info for s.viewer. Requests without the cookie cost nothing, and paths
// that never show a viewer (assets, feeds, operations) are not looked up.
// A cookie whose session is unknown or ended is cleared.
func (s *Server) sessions(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ri := requestInfoFrom(r.Context()); ri != nil && viewerPath(r.URL.Path) {
			if token := s.sessionToken(r); token != "" {
				ri.token = token
				s.authenticate(w, r, ri)
				// A warning to acknowledge comes before any page.
				if s.warningGate(w, r, ri.account) {
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// authenticate asks the account service who ri.token belongs to.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, ri *requestInfo) {
	if len(ri.token) > maxTokenLen {
		s.clearSessionCookie(w, r)
		return
	}
	a, sess, err := s.accounts.Authenticate(r.Context(), ri.token, s.client(r))
	switch {
	case err == nil && a != nil && sess != nil:
		ri.account, ri.session = a, sess
	case err == nil, masthead.ErrorCode(err) == masthead.EUNAUTHORIZED:
		s.clearSessionCookie(w, r)
	default:
		ri.authErr = err
		s.logger.LogAttrs(r.Context(), slog.LevelWarn, "authenticate session",
			slog.String("request_id", ri.id),
			slog.String("error", err.Error()))
	}
}

// viewerPath reports whether a page at path may show who is signed in.
func viewerPath(path string) bool {
	switch path {
	case "/healthz", "/readyz", "/metrics", "/robots.txt", "/sitemap.xml", "/feed.atom", "/feed.rss":
		return false
	}
	return !strings.HasPrefix(path, "/static/") && !strings.HasPrefix(path, "/webhooks/") &&
		!strings.HasSuffix(path, "/feed.atom") && !strings.HasSuffix(path, "/feed.rss")
}

// sessionToken returns the session token of the request's cookie, or "".
// Over HTTPS only the __Host- cookie counts: the prefix is what stops a
// sibling subdomain or a man in the middle on plain HTTP from planting a
// session, so the unprefixed name must not be accepted in its place.
func (s *Server) sessionToken(r *http.Request) string {
	name := InsecureSessionCookieName
	if s.secureCookies(r) {
		name = SessionCookieName
	}
	if c, err := r.Cookie(name); err == nil && c.Value != "" {
		return c.Value
	}
	return ""
}

// viewer returns the signed-in account and session of the request, or
// nils for an anonymous reader.
func (s *Server) viewer(r *http.Request) (*masthead.Account, *masthead.Session) {
	ri := requestInfoFrom(r.Context())
	if ri == nil {
		return nil, nil
	}
	return ri.account, ri.session
}

// forgetViewer makes the rest of the request anonymous, after its session
// has ended.
func (s *Server) forgetViewer(r *http.Request) {
	if ri := requestInfoFrom(r.Context()); ri != nil {
		ri.account, ri.session, ri.token = nil, nil, ""
	}
}

// requireViewer returns the signed-in account and session, or answers the
// request itself and returns ok false: a page sends an anonymous reader to
// sign in and come back; the API answers 401.
func (s *Server) requireViewer(w http.ResponseWriter, r *http.Request) (a *masthead.Account, sess *masthead.Session, ok bool) {
	if a, sess = s.viewer(r); a != nil {
		return a, sess, true
	}
	if ri := requestInfoFrom(r.Context()); ri != nil && ri.authErr != nil {
		s.Error(w, r, ri.authErr)
		return nil, nil, false
	}
	if isAPI(r) {
		s.renderError(w, r, http.StatusUnauthorized, masthead.EUNAUTHORIZED, s.msg("api.sign_in_required"))
		return nil, nil, false
	}
	// After signing in the reader comes back to the page they asked for;
	// a form posted without a session cannot be replayed, so it leads to
	// its page, or to the account page if it has none.
	back := "/account"
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		back = r.URL.RequestURI()
	} else {
		for _, t := range accountTabs {
			if t.href == r.URL.Path {
				back = t.href
			}
		}
	}
	s.redirect(w, r, "/signin?next="+queryEscape(back))
	return nil, nil, false
}

// redirect answers with a 303 See Other to a path on this site.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, path string) {
	w.Header()["Location"] = []string{path}
	w.WriteHeader(http.StatusSeeOther)
}

// secureCookies reports whether cookies are set Secure: when the site is
// served over HTTPS, directly or behind a proxy named by an https BaseURL.
func (s *Server) secureCookies(r *http.Request) bool { return s.hsts || r.TLS != nil }

// setSessionCookie gives the browser its session token. A reader's cookie
// lasts the session's absolute lifetime; a staff member's ends with the
// browser session. The response is never stored by a cache.
func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, token string, a *masthead.Account) {
	c := s.sessionCookie(r)
	c.Value = token
	if a == nil || !a.Role.IsStaff() {
		c.MaxAge = int(s.cfg.AccountSettings.ReaderSessionLifetime.Seconds())
	}
	http.SetCookie(w, c)
	noStore(w)
}

// clearSessionCookie tells the browser to forget its session cookie.
func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	c := s.sessionCookie(r)
	c.MaxAge = -1
	http.SetCookie(w, c)
	if _, err := r.Cookie(InsecureSessionCookieName); err == nil && c.Name != InsecureSessionCookieName {
		http.SetCookie(w, &http.Cookie{Name: InsecureSessionCookieName, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	noStore(w)
}

// sessionCookie returns the session cookie's attributes for r.
func (s *Server) sessionCookie(r *http.Request) *http.Cookie {
	c := &http.Cookie{Name: SessionCookieName, Path: "/", HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode}
	if !s.secureCookies(r) {
		c.Name, c.Secure = InsecureSessionCookieName, false
	}
	return c
}

// client describes the request's sender for rate limits and the session
// list.
func (s *Server) client(r *http.Request) masthead.Client {
	ua := r.UserAgent()
	if len(ua) > maxUserAgentLen {
		ua = ua[:maxUserAgentLen]
		for !utf8.ValidString(ua) {
			ua = ua[:len(ua)-1]
		}
	}
	return masthead.Client{IP: s.clientIP(r), UserAgent: ua}
}

// clientIP returns the address of the request's sender: the peer, unless
// the peer is a trusted proxy, in which case X-Forwarded-For is read from
// the right, skipping trusted proxies, to the first address that is not
// one. A malformed entry stops the walk at the last trusted hop.
func (s *Server) clientIP(r *http.Request) netip.Addr {
	ip := peerAddr(r.RemoteAddr)
	if !s.trustedProxy(ip) {
		return ip
	}
	hops := r.Header.Values("X-Forwarded-For")
	for i := len(hops) - 1; i >= 0; i-- {
		parts := strings.Split(hops[i], ",")
		for j := len(parts) - 1; j >= 0; j-- {
			hop, err := netip.ParseAddr(strings.TrimSpace(parts[j]))
			if err != nil {
				return ip
			}
			ip = hop.Unmap()
			if !s.trustedProxy(ip) {
				return ip
			}
		}
	}
	return ip
}

// peerAddr parses http.Request.RemoteAddr.
func peerAddr(remote string) netip.Addr {
	if ap, err := netip.ParseAddrPort(remote); err == nil {
		return ap.Addr().Unmap()
	}
	if a, err := netip.ParseAddr(remote); err == nil {
		return a.Unmap()
	}
	return netip.Addr{}
}

// trustedProxy reports whether ip is in Config.TrustedProxies.
func (s *Server) trustedProxy(ip netip.Addr) bool {
	if !ip.IsValid() {
		return false
	}
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// signOutToken ends the session of token on the server, logging a failure
// other than the session having ended already.
func (s *Server) signOutToken(ctx context.Context, token string) {
	if token == "" {
		return
	}
	if err := s.accounts.SignOut(ctx, token); err != nil && masthead.ErrorCode(err) != masthead.EUNAUTHORIZED {
		s.logger.LogAttrs(ctx, slog.LevelWarn, "sign out",
			slog.String("request_id", RequestID(ctx)),
			slog.String("error", err.Error()))
	}
}
