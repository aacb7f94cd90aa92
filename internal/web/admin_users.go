package web

import (
	"cmp"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"masthead"
)

// adminUserSearchLimit is the most accounts a user search shows.
const adminUserSearchLimit = 50

// maxUserQueryLen bounds the user search's query, in characters.
const maxUserQueryLen = masthead.MaxEmailLen

// userActionSpec is one user action's form and route.
type userActionSpec struct {
	action masthead.UserAction
	// path is the last segment of the action's route, and the prefix of
	// its form's element IDs.
	path   string
	danger bool
}

// userActionSpecs are the user actions in the order the page offers them.
var userActionSpecs = []userActionSpec{
	{masthead.UserWarn, "warn", false},
	{masthead.UserSuspend, "suspend", true},
	{masthead.UserBan, "ban", true},
	{masthead.UserLift, "lift", false},
	{masthead.UserResetName, "reset-display-name", true},
}

// adminUserRoutes registers the user actions' staff pages (PermUsers):
// the search, an account's history with a form per action, and the
// actions; and the subscriber's side, the page of a warning they must
// acknowledge.
func (s *Server) adminUserRoutes(mux *http.ServeMux) {
	s.adminHandle(mux, "GET /admin/users", masthead.PermUsers, s.handleAdminUsers)
	s.adminHandle(mux, "GET /admin/users/{id}", masthead.PermUsers, s.handleAdminUser)
	for _, spec := range userActionSpecs {
		s.adminHandle(mux, "POST /admin/users/{id}/"+spec.path, masthead.PermUsers, s.userActionHandler(spec))
	}
	mux.HandleFunc("GET "+pathWarning, noStoreHandler(s.handleWarning))
	mux.HandleFunc("POST /account/warnings/{id}/acknowledge", noStoreHandler(s.handleAcknowledgeWarning))
}

// userSettings returns the limits the user service applies (with the
// defaults filled in, by the service).
func (s *Server) userSettings() masthead.UserSettings {
	if s.cfg.Users == nil {
		return masthead.DefaultUserSettings()
	}
	return s.cfg.Users.UserSettings()
}

// userAdminView is the data of the user pages (page.Staff).
type userAdminView struct {
	// The search.
	Query    string
	Searched bool
	Results  []userRow

	// One account.
	User          *userRow
	SubscriberURL string
	Joined        string
	JoinedISO     string
	Published     string
	Pending       string
	Rejected      string
	Sanction      string
	Names         []nameRow
	Warnings      []warningRow
	Actions       []actionRow
	// CannotAct says why the viewer may not act on the account; Forms
	// are the actions they may take.
	CannotAct string
	Forms     []*userActionForm
}

// userRow is an account in the user pages.
type userRow struct {
	ID          int64
	Href        string
	Email       string
	DisplayName string
	Role        string
	Joined      string
}

// nameRow is one display name of an account's history.
type nameRow struct {
	Name        string
	Chosen      string
	ChosenISO   string
	Replaced    string
	ReplacedISO string
}

// warningRow is one warning of an account.
type warningRow struct {
	Given    string
	GivenISO string
	Reason   string
	// Acknowledged is when the subscriber acknowledged it; "" if not yet.
	Acknowledged    string
	AcknowledgedISO string
}

// actionRow is one earlier staff action on an account.
type actionRow struct {
	At     string
	AtISO  string
	What   string
	Reason string
	By     string
}

// userActionForm is the form of one user action.
type userActionForm struct {
	ID      string
	Action  string
	Heading string
	Intro   string
	Submit  string
	Danger  bool
	Form    *form
}

// form returns the page's form of the action at path, or nil when the
// page does not offer it.
func (v *userAdminView) form(path string) *userActionForm {
	for _, f := range v.Forms {
		if f.ID == path {
			return f
		}
	}
	return nil
}

// userRowOf describes an account for the user pages.
func (s *Server) userRowOf(a *masthead.Account) userRow {
	return userRow{
		ID: a.ID, Href: "/admin/users/" + strconv.FormatInt(a.ID, 10),
		Email: a.Email, DisplayName: a.DisplayName, Role: string(a.Role),
		Joined: s.formatDate(a.CreatedAt),
	}
}

// handleAdminUsers finds accounts by email address or display name.
func (s *Server) handleAdminUsers(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if utf8.RuneCountInString(q) > maxUserQueryLen {
		q = string([]rune(q)[:maxUserQueryLen])
	}
	p := s.adminPage(r, "users.search.heading")
	v := &userAdminView{Query: q}
	p.Staff = v
	if q != "" {
		found, err := s.cfg.Users.FindUsers(r.Context(), q, adminUserSearchLimit)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		v.Searched = true
		for _, acc := range found {
			v.Results = append(v.Results, s.userRowOf(acc))
		}
	}
	s.render(w, r, http.StatusOK, "admin_users", p)
}

// accountID returns the account ID of the request's path, or an ENOTFOUND
// error.
func (s *Server) accountID(r *http.Request) (int64, error) {
	id, ok := pathID(r, "id")
	if !ok {
		return 0, masthead.Errorf(masthead.ENOTFOUND, "%s", s.msg("error.page_not_found"))
	}
	return id, nil
}

// userPage returns the staff page of one account: its history, and the
// forms of the actions the viewer a may take on it.
func (s *Server) userPage(r *http.Request, a *masthead.Account, id int64) (*page, error) {
	h, err := s.cfg.Users.AuthorHistory(r.Context(), id)
	if err != nil {
		return nil, err
	}
	acc := h.Account
	now := s.now()
	p := s.adminPage(r, "users.heading", acc.Email)
	row := s.userRowOf(acc)
	v := &userAdminView{
		User:      &row,
		JoinedISO: acc.CreatedAt.UTC().Format(time.RFC3339),
		Published: s.formatNumber(int64(h.Published)),
		Pending:   s.formatNumber(int64(h.Pending)),
		Rejected:  s.formatNumber(int64(h.Rejected)),
		Sanction:  s.msg("users.sanction.none"),
	}
	p.Staff = v
	switch days := int(now.Sub(acc.CreatedAt) / (24 * time.Hour)); {
	case days < 1:
		v.Joined = s.msg("users.age_today", row.Joined)
	default:
		v.Joined = s.msg("users.age", row.Joined, durationText(time.Duration(days)*24*time.Hour, s))
	}
	if s.plans != nil {
		v.SubscriberURL = "/admin/subscribers/" + strconv.FormatInt(id, 10)
	}
	if sa := h.Sanction; sa.Active(now) {
		if sa.Banned {
			v.Sanction = s.msg("users.sanction.banned", sa.Reason)
		} else {
			v.Sanction = s.msg("users.sanction.until", s.formatDateTime(sa.Until), sa.Reason)
		}
	}
	for _, n := range h.Names {
		nr := nameRow{Name: n.Name, Chosen: s.formatDateTime(n.ChosenAt), ChosenISO: n.ChosenAt.UTC().Format(time.RFC3339)}
		if n.ReplacedAt.IsZero() {
			nr.Replaced = s.msg("users.names.current")
		} else {
			nr.Replaced, nr.ReplacedISO = s.formatDateTime(n.ReplacedAt), n.ReplacedAt.UTC().Format(time.RFC3339)
		}
		v.Names = append(v.Names, nr)
	}
	for _, w := range h.Warnings {
		wr := warningRow{Given: s.formatDateTime(w.CreatedAt), GivenISO: w.CreatedAt.UTC().Format(time.RFC3339), Reason: w.Reason}
		if !w.AcknowledgedAt.IsZero() {
			wr.Acknowledged, wr.AcknowledgedISO = s.formatDateTime(w.AcknowledgedAt), w.AcknowledgedAt.UTC().Format(time.RFC3339)
		}
		v.Warnings = append(v.Warnings, wr)
	}
	for _, act := range h.Actions {
		what := s.msg("users.action." + act.Action)
		if what == "users.action."+act.Action {
			what = act.Action // an action this page has no name for
		}
		by := act.By
		if by == "" {
			by = s.msg("users.actions.system")
		}
		v.Actions = append(v.Actions, actionRow{At: s.formatDateTime(act.At), AtISO: act.At.UTC().Format(time.RFC3339),
			What: what, Reason: act.Reason, By: by})
	}
	if err := masthead.MayActOn(s.actor(r, a), acc.ID, acc.Role); err != nil {
		v.CannotAct = masthead.ErrorMessage(err)
	} else {
		v.Forms = s.userActionForms(acc, h.Sanction.Active(now) && h.Sanction.Banned, h.Sanction.Active(now))
	}
	if done := r.URL.Query().Get("done"); done != "" {
		for _, spec := range userActionSpecs {
			if spec.path == done {
				p.Notice = s.msg("users.done." + string(spec.action))
			}
		}
	}
	return p, nil
}

// userActionForms returns the forms of the actions that apply to acc:
// warn always; suspend and ban unless it is banned; lift while a sanction
// is in force; reset while it has a display name.
func (s *Server) userActionForms(acc *masthead.Account, banned, sanctioned bool) []*userActionForm {
	set := s.userSettings()
	base := "/admin/users/" + strconv.FormatInt(acc.ID, 10) + "/"
	var out []*userActionForm
	for _, spec := range userActionSpecs {
		switch spec.action {
		case masthead.UserSuspend, masthead.UserBan:
			if banned {
				continue
			}
		case masthead.UserLift:
			if !sanctioned {
				continue
			}
		case masthead.UserResetName:
			if acc.DisplayName == "" {
				continue
			}
		}
		reason := s.textField("reason", "users.act.reason", "textarea", "off")
		reason.Required, reason.MaxLength = true, set.MaxReasonLen
		reason.Hint = s.msg("users.act.reason_hint", set.MaxReasonLen)
		fields := []*field{reason}
		if spec.action == masthead.UserSuspend {
			days := s.textField("days", "users.act.days", "number", "off")
			days.Required, days.Value = true, strconv.Itoa(set.DefaultSuspendDays)
			days.Hint = s.msg("users.act.days_hint", set.MaxSuspendDays)
			fields = append(fields, days)
		}
		id := string(spec.action)
		out = append(out, &userActionForm{
			ID: spec.path, Action: base + spec.path, Danger: spec.danger,
			Heading: s.msg("users.act." + id + ".heading"),
			Intro:   s.msg("users.act." + id + ".intro"),
			Submit:  s.msg("users.act." + id + ".submit"),
			Form:    newForm(spec.path+"-", fields...),
		})
	}
	return out
}

// handleAdminUser shows one account's history and the forms of the
// actions the viewer may take on it.
func (s *Server) handleAdminUser(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	id, err := s.accountID(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p, err := s.userPage(r, a, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_user", p)
}

// userActionHandler returns the handler of one user action's form: the
// action, then back to the account's page; a refused form comes back
// with what was typed and why.
func (s *Server) userActionHandler(spec userActionSpec) adminHandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
		if !s.parseForm(w, r) {
			return
		}
		id, err := s.accountID(r)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		in := masthead.UserActionInput{AccountID: id, Action: spec.action, Reason: r.PostFormValue("reason")}
		if spec.action == masthead.UserSuspend {
			days, perr := strconv.Atoi(strings.TrimSpace(r.PostFormValue("days")))
			if perr != nil {
				days = -1 // refused below, with the form
			}
			in.Days = days
		}
		err = s.cfg.Users.ActOnUser(r.Context(), s.actor(r, a), in)
		if err == nil {
			s.redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10)+"?done="+spec.path)
			return
		}
		switch masthead.ErrorCode(err) {
		case masthead.EINVALID, masthead.ECONFLICT:
		default:
			s.Error(w, r, err)
			return
		}
		p, perr := s.userPage(r, a, id)
		if perr != nil {
			s.Error(w, r, perr)
			return
		}
		p.Notice = ""
		f := p.Staff.(*userAdminView).form(spec.path)
		if f == nil {
			// The page no longer offers the action (the account was
			// banned meanwhile, say): say why on the page.
			s.Error(w, r, err)
			return
		}
		f.Form.fill(r)
		s.refuse(w, r, 0, "admin_user", p, f.Form, err)
	}
}

// pathWarning is the page of the warning a subscriber must acknowledge.
const pathWarning = "/account/warning"

// warningExempt reports whether a request to path is never sent to the
// warning page: the page itself and its form, signing out, and what is
// not a page of its own (assets, the API, webhooks, live streams and the
// comment fragments that scripts fetch).
func warningExempt(path string) bool {
	switch path {
	case pathWarning, "/signout", "/favicon.ico", pathUnsubscribe:
		return true
	}
	return strings.HasPrefix(path, "/account/warnings/") || strings.HasPrefix(path, "/api/") ||
		strings.HasPrefix(path, "/static/") || strings.HasPrefix(path, "/webhooks/") ||
		strings.Contains(path, "/comments/")
}

// warningGate sends a signed-in viewer who has a warning to acknowledge to
// the warning page, and reports whether it did. Only page views are sent
// (GET and HEAD navigations, not a script's fetches, forms or the API).
// It reads the account's HasPendingWarning, loaded with the session, so
// it costs no query; the warning page itself reads the warning.
func (s *Server) warningGate(w http.ResponseWriter, r *http.Request, a *masthead.Account) bool {
	if s.cfg.Users == nil || a == nil || !a.HasPendingWarning ||
		(r.Method != http.MethodGet && r.Method != http.MethodHead) || warningExempt(r.URL.Path) {
		return false
	}
	if mode := r.Header.Get("Sec-Fetch-Mode"); mode != "" && mode != "navigate" {
		return false
	}
	noStore(w)
	s.redirect(w, r, withNext(pathWarning, r.URL.RequestURI()))
	return true
}

// warningView is the data of the warning page (page.Staff).
type warningView struct {
	Intro  string
	Reason string
	Action string
}

// handleWarning shows the viewer's oldest warning not yet acknowledged,
// with its reason and an "I understand" button; with none, it sends them
// on.
func (s *Server) handleWarning(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.requireViewer(w, r)
	if !ok {
		return
	}
	next := localPath(r.URL.Query().Get("next"))
	warn, err := s.cfg.Users.PendingWarning(r.Context(), a.ID)
	if masthead.ErrorCode(err) == masthead.ENOTFOUND {
		s.redirect(w, r, cmp.Or(next, "/account"))
		return
	} else if err != nil {
		s.Error(w, r, err)
		return
	}
	p := s.newPage(r)
	p.NoIndex = true
	p.Heading = s.msg("users.warning.heading")
	s.setTitle(p, p.Heading)
	p.Next = next
	p.Staff = &warningView{
		Intro:  s.msg("users.warning.intro", s.formatDate(warn.CreatedAt)),
		Reason: warn.Reason,
		Action: "/account/warnings/" + strconv.FormatInt(warn.ID, 10) + "/acknowledge",
	}
	s.render(w, r, http.StatusOK, "warning", p)
}

// handleAcknowledgeWarning records that the viewer read a warning of
// theirs, then shows the next one, or goes on to where they were going.
func (s *Server) handleAcknowledgeWarning(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.requireViewer(w, r)
	if !ok {
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	id, ok := pathID(r, "id")
	if !ok {
		s.handleNotFound(w, r)
		return
	}
	if err := s.cfg.Users.AcknowledgeWarning(r.Context(), a.ID, id); err != nil {
		s.Error(w, r, err)
		return
	}
	next := localPath(r.PostFormValue("next"))
	if _, err := s.cfg.Users.PendingWarning(r.Context(), a.ID); err == nil {
		s.redirect(w, r, withNext(pathWarning, next))
		return
	}
	s.redirect(w, r, cmp.Or(next, "/account"))
}
