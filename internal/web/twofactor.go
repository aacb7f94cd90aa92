package web

import (
	"cmp"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"masthead"
)

// Pending sign-in cookie names. The cookie holds the token of a sign-in
// whose password was right and which waits for its second factor; it is
// never a session (see masthead.SecondFactorRequired). Like the session
// cookie, it takes the __Host- prefix over HTTPS.
const (
	PendingCookieName         = "__Host-masthead_pending"
	InsecurePendingCookieName = "masthead_pending"
)

// maxCodeLen bounds the code field of the second step.
const maxCodeLen = 32

// twoFactorRoutes registers the sign-in's second step and the two-factor
// section of the account pages, with handle (which marks every response
// no-store).
func (s *Server) twoFactorRoutes(handle func(pattern string, h http.HandlerFunc)) {
	handle("GET /signin/two-factor", s.handleSecondStepForm)
	handle("POST /signin/two-factor", s.handleSecondStep)
	handle("GET /account/security/two-factor", s.handleTwoFactorForm)
	handle("POST /account/security/two-factor", s.handleTwoFactor)
}

// pendingCookie returns the pending sign-in cookie's attributes for r.
func (s *Server) pendingCookie(r *http.Request) *http.Cookie {
	c := &http.Cookie{Name: PendingCookieName, Path: "/", HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode}
	if !s.secureCookies(r) {
		c.Name, c.Secure = InsecurePendingCookieName, false
	}
	return c
}

// pendingToken returns the request's pending sign-in token, or "".
func (s *Server) pendingToken(r *http.Request) string {
	if c, err := r.Cookie(s.pendingCookie(r).Name); err == nil && len(c.Value) <= maxTokenLen {
		return c.Value
	}
	return ""
}

// clearPendingCookie tells the browser to forget its pending sign-in.
func (s *Server) clearPendingCookie(w http.ResponseWriter, r *http.Request) {
	c := s.pendingCookie(r)
	c.MaxAge = -1
	http.SetCookie(w, c)
}

// secondStep answers a sign-in (or a password reset) whose error err says
// that it needs its second factor: the pending sign-in goes into its
// cookie and the browser on to /signin/two-factor, keeping next. It
// reports whether it answered. A session the browser already had stays
// until the second step succeeds.
func (s *Server) secondStep(w http.ResponseWriter, r *http.Request, err error, next string) bool {
	token, ok := masthead.PendingSignIn(err)
	if !ok || s.cfg.TwoFactor == nil {
		return false
	}
	c := s.pendingCookie(r)
	c.Value = token
	c.MaxAge = int(s.cfg.AccountSettings.TwoFactorPendingLifetime / time.Second)
	http.SetCookie(w, c)
	noStore(w)
	s.redirect(w, r, withNext("/signin/two-factor", next))
	return true
}

// secondStepForm is the second step's form: one field, code, for a code
// from the app or a recovery code.
func (s *Server) secondStepForm() *form {
	code := s.textField("code", "signin2fa.code", "text", "one-time-code")
	code.Hint, code.Required, code.MaxLength = s.msg("signin2fa.code_hint"), true, maxCodeLen
	return newForm("", code)
}

// secondStepPage returns the second step's page.
func (s *Server) secondStepPage(r *http.Request, next string) *page {
	p := s.authPage(r, "signin2fa.heading")
	p.Intro = s.msg("signin2fa.intro")
	p.Form = s.secondStepForm()
	p.Next = next
	return p
}

// handleSecondStepForm asks for the code that finishes a sign-in. Without
// a pending sign-in there is nothing to finish: the reader goes back to
// the sign-in page (or on, if already signed in).
func (s *Server) handleSecondStepForm(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("next"))
	if s.pendingToken(r) == "" {
		if a, _ := s.viewer(r); a != nil {
			s.redirect(w, r, cmp.Or(next, "/account"))
			return
		}
		s.redirect(w, r, withNext("/signin", next))
		return
	}
	s.render(w, r, http.StatusOK, "signin_two_factor", s.secondStepPage(r, next))
}

// handleSecondStep finishes a sign-in with a code and starts the session,
// replacing any the browser had. A reader who used a recovery code is
// told how many are left before going on.
func (s *Server) handleSecondStep(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	next := localPath(r.PostFormValue("next"))
	token := s.pendingToken(r)
	expired := func(status int) {
		s.clearPendingCookie(w, r)
		s.noticePage(w, r, status, "signin2fa.heading", masthead.Msg(masthead.MsgTwoFactorPendingInvalid),
			pageLink{Href: withNext("/signin", next), Label: s.msg("signin2fa.start_again")})
	}
	if token == "" {
		expired(http.StatusBadRequest)
		return
	}
	res, err := s.cfg.TwoFactor.CompleteSignIn(r.Context(), token, r.PostFormValue("code"), s.client(r))
	if err != nil {
		if masthead.ErrorField(err) == "token" {
			expired(ErrorStatus(masthead.ErrorCode(err)))
			return
		}
		p := s.secondStepPage(r, next)
		p.Form.fill(r)
		s.refuse(w, r, 0, "signin_two_factor", p, p.Form, err)
		return
	}
	s.clearPendingCookie(w, r)
	if ri := requestInfoFrom(r.Context()); ri != nil && ri.token != "" && ri.token != res.Session {
		s.signOutToken(r.Context(), ri.token)
	}
	s.setSessionCookie(w, r, res.Session, res.Account)
	if res.RecoveryCodeUsed {
		to := "/account/security/two-factor?left=" + strconv.Itoa(res.RecoveryCodesLeft)
		if next != "" {
			to += "&next=" + queryEscape(next)
		}
		s.redirect(w, r, to)
		return
	}
	s.redirect(w, r, cmp.Or(next, "/account"))
}

// twoFactorView is the data of the two-factor section of the account
// pages.
type twoFactorView struct {
	Enabled   bool
	Since     string
	SinceISO  string
	CodesLeft int

	// Setting up: the new secret (as posted back, and grouped for typing)
	// and its otpauth:// URI, as text and as a link.
	Secret        string
	SecretGrouped string
	URI           string
	URILink       template.URL
	SetupForm     *form

	RegenerateForm *form
	DisableForm    *form

	// Codes are recovery codes just made, shown once; CodesIntro says so.
	Codes      []string
	CodesIntro string
	// Continue is where a reader who signed in with a recovery code was
	// going.
	Continue string
}

// codeField returns a field for a current code from the app.
func (s *Server) codeField() *field {
	f := s.textField("code", "twofactor.code", "text", "one-time-code")
	f.Hint, f.Required, f.MaxLength = s.msg("twofactor.code_hint"), true, maxCodeLen
	return f
}

// twoFactorPage returns the two-factor section for a: its state, and the
// set-up form (with a new secret) or the forms to make new recovery codes
// and to turn it off.
func (s *Server) twoFactorPage(r *http.Request, a *masthead.Account) (*page, *twoFactorView, error) {
	st, err := s.cfg.TwoFactor.TwoFactorStatus(r.Context(), a.ID)
	if err != nil {
		return nil, nil, err
	}
	p := s.accountPage(r, a, "security")
	p.Heading = s.msg("twofactor.heading")
	s.setTitle(p, p.Heading)
	p.Description = p.Heading
	v := &twoFactorView{Enabled: st.Enabled, CodesLeft: st.RecoveryCodesLeft}
	if st.Enabled {
		v.Since = s.formatDateTime(st.EnabledAt)
		v.SinceISO = st.EnabledAt.UTC().Format(time.RFC3339)
		v.RegenerateForm = newForm("regenerate-", s.codeField())
		v.DisableForm = newForm("disable-", s.passwordField("password", "twofactor.password", "current-password"), s.codeField())
	} else {
		s.setSecret(v, a, masthead.NewTOTPSecret())
		v.SetupForm = newForm("setup-", s.codeField())
	}
	p.Staff = v
	return p, v, nil
}

// setSecret puts a secret, and its URI for a's account, into the view.
func (s *Server) setSecret(v *twoFactorView, a *masthead.Account, secret string) {
	v.Secret = secret
	v.SecretGrouped = masthead.GroupSecret(secret)
	v.URI = masthead.TOTPURI(s.cfg.SiteName, a.Email, secret)
	// The URI is built here from a checked secret and escaped parts, so
	// it is safe as a link although its scheme is not http.
	v.URILink = template.URL(v.URI)
}

// handleTwoFactorForm shows the two-factor section. ?required=1 says an
// administrator was sent here by /admin; ?left=N follows a sign-in with a
// recovery code; ?done=disabled follows turning it off.
func (s *Server) handleTwoFactorForm(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.requireViewer(w, r)
	if !ok {
		return
	}
	p, v, err := s.twoFactorPage(r, a)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	q := r.URL.Query()
	switch {
	case q.Get("required") != "" && !v.Enabled:
		p.Notice = s.msg("twofactor.admin_required")
	case q.Get("done") == "disabled":
		p.Notice = s.msg("twofactor.disabled")
	case q.Get("left") != "":
		left, err := strconv.Atoi(q.Get("left"))
		if err != nil || left < 0 {
			break
		}
		switch {
		case left == 0:
			p.Notice = s.msg("signin2fa.recovery_empty")
		case left <= 3:
			p.Notice = s.msg("signin2fa.recovery_low", left)
		default:
			p.Notice = s.msg("signin2fa.recovery_used", left)
		}
		v.Continue = localPath(q.Get("next"))
	}
	s.render(w, r, http.StatusOK, "two_factor", p)
}

// handleTwoFactor carries out one of the two-factor section's forms, named
// by its action field: enable (secret, code), regenerate (code) or disable
// (password, code). New recovery codes are shown in the response itself,
// once: they are stored only as hashes, so no later page could show them.
func (s *Server) handleTwoFactor(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.requireViewer(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	p, v, err := s.twoFactorPage(r, a)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	showCodes := func(codes []string, introID string) {
		v.Codes, v.CodesIntro = codes, s.msg(introID)
		p.Heading = s.msg("twofactor.enabled_heading")
		s.setTitle(p, p.Heading)
		s.render(w, r, http.StatusOK, "two_factor", p)
	}
	code := r.PostFormValue("code")
	switch r.PostFormValue("action") {
	case "enable":
		if v.Enabled {
			s.redirect(w, r, "/account/security/two-factor")
			return
		}
		posted := r.PostFormValue("secret")
		if secret, err := masthead.NormalizeTOTPSecret(posted); err == nil {
			s.setSecret(v, a, secret) // the secret the reader's app has
		}
		codes, err := s.cfg.TwoFactor.EnableTwoFactor(ctx, a.ID, posted, code)
		if err != nil {
			v.SetupForm.fill(r)
			s.refuse(w, r, 0, "two_factor", p, v.SetupForm, err)
			return
		}
		showCodes(codes, "twofactor.codes_intro")
	case "regenerate":
		if !v.Enabled {
			s.redirect(w, r, "/account/security/two-factor")
			return
		}
		codes, err := s.cfg.TwoFactor.RegenerateRecoveryCodes(ctx, a.ID, code)
		if err != nil {
			v.RegenerateForm.fill(r)
			s.refuse(w, r, 0, "two_factor", p, v.RegenerateForm, err)
			return
		}
		showCodes(codes, "twofactor.codes_new")
	case "disable":
		if !v.Enabled {
			s.redirect(w, r, "/account/security/two-factor")
			return
		}
		if err := s.cfg.TwoFactor.DisableTwoFactor(ctx, a.ID, r.PostFormValue("password"), code); err != nil {
			v.DisableForm.fill(r)
			s.refuse(w, r, 0, "two_factor", p, v.DisableForm, err)
			return
		}
		s.redirect(w, r, "/account/security/two-factor?done=disabled")
	default:
		s.Error(w, r, masthead.Errorf(masthead.EINVALID, "%s", s.msg("form.unreadable")))
	}
}
