package web

import (
	"cmp"
	"net/http"
	"net/url"
	"strings"

	"masthead"
)

// maxNextLen bounds the next parameter.
const maxNextLen = 2048

// accountRoutes registers the sign-in pages, the account pages and the
// account API. Every one of their responses is marked no-store.
func (s *Server) accountRoutes(mux *http.ServeMux) {
	handle := func(pattern string, h http.HandlerFunc) { mux.HandleFunc(pattern, noStoreHandler(h)) }

	handle("GET /signup", s.handleSignUpForm)
	handle("POST /signup", s.handleSignUp)
	handle("GET /signin", s.handleSignInForm)
	handle("POST /signin", s.handleSignIn)
	handle("POST /signout", s.handleSignOut)
	handle("GET /verify", s.handleVerify)
	handle("GET /password/forgot", s.handleForgotForm)
	handle("POST /password/forgot", s.handleForgot)
	handle("GET /password/reset", s.handleResetForm)
	handle("POST /password/reset", s.handleReset)

	handle("GET /account", s.handleAccount)
	handle("POST /account/verify/resend", s.handleResendVerification)
	handle("GET /account/profile", s.handleProfileForm)
	handle("POST /account/profile", s.handleProfile)
	handle("GET /account/subscription", s.handleSubscription)
	handle("GET /account/security", s.handleSecurityForm)
	handle("POST /account/security", s.handleSecurity)
	handle("GET /account/email/confirm", s.handleConfirmEmail)
	handle("GET /account/notifications", s.handleNotificationsForm)
	handle("POST /account/notifications", s.handleNotifications)
	handle("GET /account/privacy", s.handlePrivacyForm)
	handle("POST /account/privacy", s.handlePrivacy)
	handle("GET /account/privacy/export", s.handleExport)

	handle("GET /api/v1/me", s.handleAPIMe)
	handle("PATCH /api/v1/me/profile", s.handleAPIProfile)

	if s.cfg.TwoFactor != nil {
		s.twoFactorRoutes(handle)
	}
}

// localPath returns next if it is a path on this site, and "" if it is
// empty or could lead anywhere else. It must start with a single "/" and
// hold no backslash, control character, space or non-ASCII byte; and its
// path, percent-decoded up to three times, must not either, nor start with
// "//", nor climb with "." or "..". Such a value is safe to put in a
// Location header as it is.
func localPath(next string) string {
	if next == "" || len(next) > maxNextLen || !plainPath(next) {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	p, _, _ := strings.Cut(next, "?")
	p, _, _ = strings.Cut(p, "#")
	for range 3 {
		d, err := url.PathUnescape(p)
		if err != nil {
			return ""
		}
		if d == p {
			return next
		}
		if !plainPath(d) {
			return ""
		}
		p = d
	}
	return "" // still encoded after three rounds
}

// plainPath checks one decoding of a next parameter.
func plainPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			return false
		}
	}
	path, _, _ := strings.Cut(p, "?")
	path, _, _ = strings.Cut(path, "#")
	for seg := range strings.SplitSeq(path, "/") {
		if seg == ".." || seg == "." {
			return false
		}
	}
	return true
}

// queryEscape escapes a query parameter value.
func queryEscape(v string) string { return url.QueryEscape(v) }

// withNext appends a next parameter to a site path if next is local.
func withNext(path, next string) string {
	if next = localPath(next); next == "" {
		return path
	}
	return path + "?next=" + queryEscape(next)
}

// authPage returns a page for the sign-in pages, titled by the catalogue
// text of id.
func (s *Server) authPage(r *http.Request, id string) *page {
	p := s.newPage(r)
	p.Heading = s.msg(id)
	s.setTitle(p, p.Heading)
	p.Description = p.Heading
	p.NoIndex = true
	return p
}

// noticePage renders a page that says one thing and offers ways on.
func (s *Server) noticePage(w http.ResponseWriter, r *http.Request, status int, headingID, message string, links ...pageLink) {
	p := s.authPage(r, headingID)
	p.Message = message
	p.Links = links
	s.render(w, r, status, "notice", p)
}

// link returns a link labelled by the catalogue text of id.
func (s *Server) link(href, id string) pageLink { return pageLink{Href: href, Label: s.msg(id)} }

func (s *Server) signUpForm() *form {
	return newForm("", s.emailField("form.email"), s.passwordField("password", "form.new_password", "new-password"))
}

func (s *Server) signInForm() *form {
	return newForm("", s.emailField("form.email"), s.passwordField("password", "form.password", "current-password"))
}

// handleSignUpForm shows the sign-up form, or, after a sign-up, the
// request to check one's email.
func (s *Server) handleSignUpForm(w http.ResponseWriter, r *http.Request) {
	if a, _ := s.viewer(r); a != nil {
		s.redirect(w, r, "/account")
		return
	}
	if r.URL.Query().Get("sent") != "" {
		s.noticePage(w, r, http.StatusOK, "signup.sent_heading", s.msg("signup.sent"),
			s.link("/signin", "signup.sent_sign_in"))
		return
	}
	p := s.authPage(r, "signup.heading")
	p.Form = s.signUpForm()
	p.Next = localPath(r.URL.Query().Get("next"))
	s.render(w, r, http.StatusOK, "signup", p)
}

// handleSignUp creates an account and asks the reader to check their
// email. The answer is the same whether or not the address already had an
// account.
func (s *Server) handleSignUp(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := s.signUpForm().fill(r)
	err := s.accounts.SignUp(r.Context(), r.PostFormValue("email"), r.PostFormValue("password"), s.client(r))
	if err != nil {
		p := s.authPage(r, "signup.heading")
		p.Form = f
		p.Next = localPath(r.PostFormValue("next"))
		s.refuse(w, r, 0, "signup", p, f, err)
		return
	}
	s.redirect(w, r, "/signup?sent=1")
}

// handleSignInForm shows the sign-in form; a signed-in reader goes on to
// where they were going.
func (s *Server) handleSignInForm(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("next"))
	if a, _ := s.viewer(r); a != nil {
		s.redirect(w, r, cmp.Or(next, "/account"))
		return
	}
	p := s.authPage(r, "signin.heading")
	p.Form = s.signInForm()
	p.Next = next
	s.render(w, r, http.StatusOK, "signin", p)
}

// handleSignIn starts a session with a new token in the cookie and sends
// the reader on to next, a path on this site, or to their account. A
// session the browser had before is ended.
func (s *Server) handleSignIn(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	next := localPath(r.PostFormValue("next"))
	a, token, err := s.accounts.SignIn(r.Context(), r.PostFormValue("email"), r.PostFormValue("password"), s.client(r))
	if s.secondStep(w, r, err, next) {
		return
	}
	if err != nil {
		p := s.authPage(r, "signin.heading")
		p.Form = s.signInForm().fill(r)
		p.Next = next
		s.refuse(w, r, 0, "signin", p, p.Form, err)
		return
	}
	if ri := requestInfoFrom(r.Context()); ri != nil && ri.token != "" && ri.token != token {
		s.signOutToken(r.Context(), ri.token)
	}
	s.setSessionCookie(w, r, token, a)
	s.redirect(w, r, cmp.Or(next, "/account"))
}

// handleSignOut ends the browser's session on the server and clears its
// cookie.
func (s *Server) handleSignOut(w http.ResponseWriter, r *http.Request) {
	if token := s.sessionToken(r); token != "" {
		s.signOutToken(r.Context(), token)
	}
	s.clearSessionCookie(w, r)
	s.redirect(w, r, "/")
}

// handleVerify follows the link of a verification email.
func (s *Server) handleVerify(w http.ResponseWriter, r *http.Request) {
	w.Header()["Referrer-Policy"] = noReferrerValue
	_, err := s.accounts.VerifyEmail(r.Context(), r.URL.Query().Get("token"))
	if err != nil {
		if ErrorStatus(masthead.ErrorCode(err)) == http.StatusInternalServerError {
			s.Error(w, r, err)
			return
		}
		s.noticePage(w, r, ErrorStatus(masthead.ErrorCode(err)), "verify.failed_heading", masthead.ErrorMessage(err),
			s.link("/account", "verify.failed_account"))
		return
	}
	next := s.link("/signin", "verify.sign_in")
	if a, _ := s.viewer(r); a != nil {
		next = s.link("/account", "verify.account")
	}
	s.noticePage(w, r, http.StatusOK, "verify.heading", s.msg("verify.done"), next)
}

var noReferrerValue = []string{"no-referrer"}

func (s *Server) forgotForm() *form { return newForm("", s.emailField("form.email")) }

// handleForgotForm asks for the address to send a reset link to, or, after
// that, says it has been sent if there is an account.
func (s *Server) handleForgotForm(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("sent") != "" {
		s.noticePage(w, r, http.StatusOK, "forgot.sent_heading",
			s.msg("forgot.sent", durationText(s.cfg.AccountSettings.ResetTokenLifetime, s)),
			s.link("/signin", "forgot.back_to_sign_in"))
		return
	}
	p := s.authPage(r, "forgot.heading")
	p.Form = s.forgotForm()
	s.render(w, r, http.StatusOK, "forgot", p)
}

// handleForgot emails a reset link; the answer is the same whether or not
// the address has an account.
func (s *Server) handleForgot(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	if err := s.accounts.RequestPasswordReset(r.Context(), r.PostFormValue("email"), s.client(r)); err != nil {
		p := s.authPage(r, "forgot.heading")
		p.Form = s.forgotForm().fill(r)
		s.refuse(w, r, 0, "forgot", p, p.Form, err)
		return
	}
	s.redirect(w, r, "/password/forgot?sent=1")
}

func (s *Server) resetForm() *form {
	return newForm("", s.passwordField("password", "form.new_password", "new-password"))
}

// handleResetForm asks for a new password; the token of the email's link
// travels in a hidden field.
func (s *Server) handleResetForm(w http.ResponseWriter, r *http.Request) {
	w.Header()["Referrer-Policy"] = noReferrerValue
	token := r.URL.Query().Get("token")
	if token == "" {
		s.noticePage(w, r, http.StatusBadRequest, "reset.failed_heading", masthead.MsgIn(s.cfg.Locale, masthead.MsgTokenInvalid),
			s.link("/password/forgot", "reset.ask_again"))
		return
	}
	p := s.authPage(r, "reset.heading")
	p.Form = s.resetForm()
	p.Token = token
	s.render(w, r, http.StatusOK, "reset", p)
}

// handleReset sets the new password and signs the reader in.
func (s *Server) handleReset(w http.ResponseWriter, r *http.Request) {
	w.Header()["Referrer-Policy"] = noReferrerValue
	if !s.parseForm(w, r) {
		return
	}
	token := r.PostFormValue("token")
	a, session, err := s.accounts.ResetPassword(r.Context(), token, r.PostFormValue("password"), s.client(r))
	if s.secondStep(w, r, err, "/account?reset=1") {
		return
	}
	if err != nil {
		p := s.authPage(r, "reset.heading")
		p.Form = s.resetForm()
		p.Token = token
		if masthead.ErrorField(err) == "token" || masthead.ErrorField(err) == "" {
			p.Links = []pageLink{s.link("/password/forgot", "reset.ask_again")}
		}
		s.refuse(w, r, 0, "reset", p, p.Form, err)
		return
	}
	if ri := requestInfoFrom(r.Context()); ri != nil && ri.token != "" {
		s.signOutToken(r.Context(), ri.token)
	}
	s.setSessionCookie(w, r, session, a)
	s.redirect(w, r, "/account?reset=1")
}
