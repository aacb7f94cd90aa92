package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"masthead"
)

// accountView is what the account pages show of the signed-in account.
type accountView struct {
	Tabs []pageTab

	Email    string
	Verified bool
	// PlanName is the account's effective plan, "" when plans are off.
	PlanName    string
	DisplayName string
	ReplyEmails bool
	// DeletionDue is the date a requested deletion takes effect, "" if
	// none is pending.
	DeletionDue string
	// Sessions are the account's signed-in browsers, on the security page.
	Sessions []sessionView
	// DeleteComments is the choice shown on the privacy page, and
	// DeletionIntro says what deleting does.
	DeleteComments bool
	DeletionIntro  string

	// The forms of the account pages beside the page's main one.
	ResendForm   *form
	PasswordForm *form
	EmailForm    *form
	SessionsForm *form
	DeleteForm   *form
}

// pageTab is one entry of the account pages' navigation.
type pageTab struct {
	Href    string
	Label   string
	Current bool
}

// sessionView is a session in the security page's list.
type sessionView struct {
	ID          int64
	Current     bool
	Browser     string
	Network     string
	Started     string
	StartedISO  string
	LastSeen    string
	LastSeenISO string
}

// accountTabs are the account page and its sections, in order.
var accountTabs = []struct{ name, href, label string }{
	{"overview", "/account", "accountpage.nav.overview"},
	{"profile", "/account/profile", "accountpage.nav.profile"},
	{"subscription", "/account/subscription", "accountpage.nav.subscription"},
	{"security", "/account/security", "accountpage.nav.security"},
	{"notifications", "/account/notifications", "accountpage.nav.notifications"},
	{"privacy", "/account/privacy", "accountpage.nav.privacy"},
	{"gifts", "/account/gifts", "accountpage.nav.gifts"},
}

// accountPage returns a page of the account section tab for a.
func (s *Server) accountPage(r *http.Request, a *masthead.Account, tab string) *page {
	p := s.newPage(r)
	p.NoIndex = true
	v := &accountView{
		Email:       a.Email,
		Verified:    a.EmailVerified(),
		DisplayName: a.DisplayName,
		ReplyEmails: a.ReplyEmails,
		ResendForm:  newForm("resend-"),
	}
	if !a.DeletionDueAt.IsZero() {
		v.DeletionDue = s.formatDateTime(a.DeletionDueAt)
	}
	for _, t := range accountTabs {
		if t.name == "gifts" && s.gifts == nil {
			continue
		}
		v.Tabs = append(v.Tabs, pageTab{Href: t.href, Label: s.msg(t.label), Current: t.name == tab})
		if t.name == tab {
			p.Heading = s.msg(t.label)
		}
	}
	if tab == "overview" {
		p.Heading = s.msg("accountpage.heading")
	}
	s.setTitle(p, p.Heading)
	p.Description = p.Heading
	p.Acct = v
	return p
}

// formatDate formats a date for the site's locale and time zone.
func (s *Server) formatDate(t time.Time) string {
	return t.In(s.cfg.TimeZone).Format(s.views.dateLayout)
}

// formatDateTime formats a time for the site's locale and time zone.
func (s *Server) formatDateTime(t time.Time) string {
	return t.In(s.cfg.TimeZone).Format(s.views.datetimeLayout)
}

// durationText says how long d is, in days, hours or minutes.
func durationText(d time.Duration, s *Server) string {
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		if d == 24*time.Hour {
			return s.msg("duration.day")
		}
		return s.msg("duration.days", int(d/(24*time.Hour)))
	case d >= time.Hour && d%time.Hour == 0:
		if d == time.Hour {
			return s.msg("duration.hour")
		}
		return s.msg("duration.hours", int(d/time.Hour))
	}
	return s.msg("duration.minutes", int(d.Round(time.Minute)/time.Minute))
}

// handleAccount shows the account page: the address and whether it is
// verified (with a button to send the link again), the display name, the
// plan, and the sections.
func (s *Server) handleAccount(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.requireViewer(w, r)
	if !ok {
		return
	}
	p := s.accountPage(r, a, "overview")
	if s.subs != nil {
		plan, _, err := s.subs.EffectivePlan(r.Context(), a.ID)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		p.Acct.PlanName = plan.Name
	}
	q := r.URL.Query()
	switch {
	case q.Get("resent") != "":
		p.Notice = s.msg("accountpage.verify_resent", a.Email)
	case q.Get("reset") != "":
		p.Notice = s.msg("accountpage.password_reset_done")
	}
	s.render(w, r, http.StatusOK, "account", p)
}

// handleResendVerification emails a new verification link.
func (s *Server) handleResendVerification(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.requireViewer(w, r)
	if !ok {
		return
	}
	if err := s.accounts.ResendVerification(r.Context(), a.ID); err != nil {
		p := s.accountPage(r, a, "overview")
		s.refuse(w, r, 0, "account", p, p.Acct.ResendForm, err)
		return
	}
	s.redirect(w, r, "/account?resent=1")
}

// profileForm returns the Profile section's form for a.
func (s *Server) profileForm(a *masthead.Account) *form {
	name := s.textField("display_name", "profile.display_name", "text", "nickname")
	name.Required = true
	name.Hint = s.msg("profile.display_name_hint", durationText(s.cfg.AccountSettings.DisplayNameChangeInterval, s))
	if next := a.NextNameChange(s.now(), s.cfg.AccountSettings.DisplayNameChangeInterval); !next.IsZero() {
		name.Hint += " " + masthead.MsgIn(s.cfg.Locale, masthead.MsgNameChangeTooSoon, s.formatDate(next))
	}
	about := s.textField("about", "profile.about", "text", "off")
	about.Hint = s.msg("profile.about_hint", masthead.MaxAboutLen)
	about.MaxLength = masthead.MaxAboutLen
	return newForm("", name, about)
}

// handleProfileForm shows the Profile section, its form holding the
// current name. A next parameter (a local path) is where saving leads.
func (s *Server) handleProfileForm(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.requireViewer(w, r)
	if !ok {
		return
	}
	p := s.accountPage(r, a, "profile")
	p.Form = s.profileForm(a)
	p.Form.F["display_name"].Value = a.DisplayName
	p.Form.F["about"].Value = a.About
	p.Next = localPath(r.URL.Query().Get("next"))
	if r.URL.Query().Get("saved") != "" {
		p.Notice = s.msg("profile.saved")
	}
	s.render(w, r, http.StatusOK, "profile", p)
}

// handleProfile saves the display name and about line, then returns the
// reader to next if it is a local path, to their account if it is not,
// and to the Profile section if there is none.
func (s *Server) handleProfile(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.requireViewer(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	rawNext := r.PostFormValue("next")
	next := localPath(rawNext)
	_, err := s.accounts.SetProfile(r.Context(), a.ID, r.PostFormValue("display_name"), r.PostFormValue("about"))
	if err != nil {
		p := s.accountPage(r, a, "profile")
		p.Form = s.profileForm(a).fill(r)
		p.Next = next
		s.refuse(w, r, 0, "profile", p, p.Form, err)
		return
	}
	switch {
	case next != "":
		s.redirect(w, r, next)
	case rawNext != "":
		s.redirect(w, r, "/account")
	default:
		s.redirect(w, r, "/account/profile?saved=1")
	}
}

// securityPage returns the security section with its forms and the list
// of the account's sessions.
func (s *Server) securityPage(r *http.Request, a *masthead.Account, current *masthead.Session) (*page, error) {
	sessions, err := s.accounts.ListSessions(r.Context(), a.ID)
	if err != nil {
		return nil, err
	}
	p := s.accountPage(r, a, "security")
	v := p.Acct
	v.PasswordForm = newForm("password-",
		s.passwordField("current_password", "security.current_password", "current-password"),
		s.passwordField("password", "form.new_password", "new-password"))
	newEmail := s.emailField("security.new_email")
	newEmail.Hint = s.msg("security.new_email_hint", a.Email)
	v.EmailForm = newForm("email-", newEmail, s.passwordField("password", "security.email_password", "current-password"))
	v.SessionsForm = newForm("sessions-")
	v.Sessions = make([]sessionView, 0, len(sessions))
	for _, sess := range sessions {
		sv := sessionView{
			ID:          sess.ID,
			Current:     current != nil && sess.ID == current.ID,
			Browser:     s.browserName(sess.UserAgent),
			Network:     sess.IPPrefix,
			Started:     s.formatDateTime(sess.CreatedAt),
			StartedISO:  sess.CreatedAt.UTC().Format(time.RFC3339),
			LastSeen:    s.formatDateTime(sess.LastSeenAt),
			LastSeenISO: sess.LastSeenAt.UTC().Format(time.RFC3339),
		}
		if sv.Network == "" {
			sv.Network = s.msg("security.network_unknown")
		}
		v.Sessions = append(v.Sessions, sv)
	}
	return p, nil
}

// securityNotices are the confirmations of the security section's
// actions, by the done parameter of the redirect after them.
var securityNotices = map[string]string{
	"password": "security.password_changed",
	"email":    "security.email_sent",
	"session":  "security.session_ended",
	"others":   "security.others_ended",
}

// handleSecurityForm shows the security section: change password, change
// email and the list of sessions.
func (s *Server) handleSecurityForm(w http.ResponseWriter, r *http.Request) {
	a, sess, ok := s.requireViewer(w, r)
	if !ok {
		return
	}
	p, err := s.securityPage(r, a, sess)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if id, ok := securityNotices[r.URL.Query().Get("done")]; ok {
		p.Notice = s.msg(id)
	}
	s.render(w, r, http.StatusOK, "security", p)
}

// handleSecurity carries out one of the security section's forms, named by
// its action field: password, email, end_session (with session_id) or
// end_others.
func (s *Server) handleSecurity(w http.ResponseWriter, r *http.Request) {
	a, sess, ok := s.requireViewer(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	action := r.PostFormValue("action")
	var err error
	switch action {
	case "password":
		err = s.accounts.ChangePassword(ctx, a.ID, r.PostFormValue("current_password"), r.PostFormValue("password"), sess.ID)
	case "email":
		err = s.accounts.RequestEmailChange(ctx, a.ID, r.PostFormValue("email"), r.PostFormValue("password"))
	case "end_session":
		id, perr := strconv.ParseInt(r.PostFormValue("session_id"), 10, 64)
		switch {
		case perr != nil || id <= 0:
			err = masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.MsgIn(s.cfg.Locale, masthead.MsgSessionNotFound))
		case id == sess.ID:
			// Ending this browser's own session is signing out.
			s.handleSignOut(w, r)
			return
		default:
			err = s.accounts.EndSession(ctx, a.ID, id)
		}
	case "end_others":
		err = s.accounts.EndOtherSessions(ctx, a.ID, sess.ID)
	default:
		s.Error(w, r, masthead.Errorf(masthead.EINVALID, "%s", s.msg("form.unknown_action")))
		return
	}
	if err == nil {
		done := map[string]string{"password": "password", "email": "email", "end_session": "session", "end_others": "others"}[action]
		s.redirect(w, r, "/account/security?done="+done)
		return
	}
	if ErrorStatus(masthead.ErrorCode(err)) == http.StatusInternalServerError {
		s.Error(w, r, err)
		return
	}
	p, perr := s.securityPage(r, a, sess)
	if perr != nil {
		s.Error(w, r, perr)
		return
	}
	f := p.Acct.SessionsForm
	switch action {
	case "password":
		f = p.Acct.PasswordForm
	case "email":
		f = p.Acct.EmailForm.fill(r)
	}
	s.refuse(w, r, 0, "security", p, f, err)
}

// handleConfirmEmail follows the link emailed to a new address.
func (s *Server) handleConfirmEmail(w http.ResponseWriter, r *http.Request) {
	w.Header()["Referrer-Policy"] = noReferrerValue
	acct, err := s.accounts.ConfirmEmailChange(r.Context(), r.URL.Query().Get("token"))
	if err != nil {
		status := ErrorStatus(masthead.ErrorCode(err))
		if status == http.StatusInternalServerError {
			s.Error(w, r, err)
			return
		}
		s.noticePage(w, r, status, "email_confirm.failed_heading", masthead.ErrorMessage(err),
			s.link("/account/security", "email_confirm.security"))
		return
	}
	if ri := requestInfoFrom(r.Context()); ri != nil && ri.account != nil && ri.account.ID == acct.ID {
		ri.account = acct
	}
	s.noticePage(w, r, http.StatusOK, "email_confirm.heading", s.msg("email_confirm.done", acct.Email),
		s.link("/account", "email_confirm.account"))
}

// handleNotificationsForm shows the notification settings.
func (s *Server) handleNotificationsForm(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.requireViewer(w, r)
	if !ok {
		return
	}
	p := s.accountPage(r, a, "notifications")
	p.Form = newForm("")
	if r.URL.Query().Get("saved") != "" {
		p.Notice = s.msg("notifications.saved")
	}
	s.render(w, r, http.StatusOK, "notifications", p)
}

// handleNotifications saves the reply_emails checkbox.
func (s *Server) handleNotifications(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.requireViewer(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	on := r.PostFormValue("reply_emails") != ""
	if err := s.accounts.SetReplyEmails(r.Context(), a.ID, on); err != nil {
		p := s.accountPage(r, a, "notifications")
		p.Acct.ReplyEmails = on
		p.Form = newForm("")
		s.refuse(w, r, 0, "notifications", p, p.Form, err)
		return
	}
	s.redirect(w, r, "/account/notifications?saved=1")
}

// privacyPage returns the privacy section: download my data and delete
// my account.
func (s *Server) privacyPage(r *http.Request, a *masthead.Account) *page {
	p := s.accountPage(r, a, "privacy")
	p.Acct.DeleteForm = newForm("delete-", s.passwordField("password", "privacy.password", "current-password"))
	p.Acct.DeleteComments = a.DeleteComments
	p.Acct.DeletionIntro = s.msg("privacy.delete_intro", durationText(s.cfg.AccountSettings.DeletionDelay, s))
	return p
}

// handlePrivacyForm shows the privacy section.
func (s *Server) handlePrivacyForm(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.requireViewer(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "privacy", s.privacyPage(r, a))
}

// handlePrivacy schedules the account's deletion once the reader has
// chosen what happens to their comments and confirmed with their
// password. Deletion ends every session, so the reader is signed out and
// told when the deletion takes effect.
func (s *Server) handlePrivacy(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.requireViewer(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	p := s.privacyPage(r, a)
	f := p.Acct.DeleteForm
	choice := r.PostFormValue("comments")
	p.Acct.DeleteComments = choice == "delete_comments"
	if choice != "keep_comments" && choice != "delete_comments" {
		f.invalid("comments", s.msg("privacy.comments_required"))
	}
	password := r.PostFormValue("password")
	if password == "" {
		f.invalid("password", s.msg("privacy.password_required"))
	}
	if len(f.Errors) > 0 {
		p.Title = s.msg("form.error_title", p.Title)
		s.render(w, r, http.StatusBadRequest, "privacy", p)
		return
	}
	ctx := r.Context()
	if err := s.accounts.RequestDeletion(ctx, a.ID, password, p.Acct.DeleteComments); err != nil {
		s.refuse(w, r, 0, "privacy", p, f, err)
		return
	}
	due := s.now().Add(s.cfg.AccountSettings.DeletionDelay)
	if acct, err := s.accounts.FindAccountByID(ctx, a.ID); err == nil && !acct.DeletionDueAt.IsZero() {
		due = acct.DeletionDueAt
	}
	s.signOutToken(ctx, s.sessionToken(r))
	s.clearSessionCookie(w, r)
	s.forgetViewer(r)
	s.noticePage(w, r, http.StatusOK, "privacy.deleted_heading", s.msg("privacy.deleted", s.formatDateTime(due)),
		s.link("/", "privacy.deleted_home"))
}

// handleExport downloads everything stored about the account as JSON.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.requireViewer(w, r)
	if !ok {
		return
	}
	exp, err := s.accounts.ExportAccount(r.Context(), a.ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	body, err := json.MarshalIndent(exp, "", "  ")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	name := "account-data-" + s.now().In(s.cfg.TimeZone).Format("2006-01-02") + ".json"
	w.Header()["Content-Disposition"] = []string{`attachment; filename="` + name + `"`}
	s.write(w, http.StatusOK, "application/json; charset=utf-8", append(body, '\n'))
}

// browserName describes a user agent briefly, as "Firefox on Windows".
func (s *Server) browserName(ua string) string {
	browser := ""
	for _, b := range [...]struct{ token, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"Chrome/", "Chrome"},
		{"Chromium/", "Chromium"}, {"Safari/", "Safari"}, {"curl/", "curl"},
	} {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	system := ""
	for _, o := range [...]struct{ token, name string }{
		{"Android", "Android"}, {"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Windows", "Windows"},
		{"Mac OS X", "macOS"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, o.token) {
			system = o.name
			break
		}
	}
	switch {
	case browser != "" && system != "":
		return s.msg("security.browser_on", browser, system)
	case browser != "":
		return browser
	case system != "":
		return s.msg("security.browser_on", s.msg("security.browser_unknown"), system)
	}
	return s.msg("security.browser_unknown")
}
