package web

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"masthead"
)

// commentPolicy returns the commenting policy the pages apply: the Policy
// service's, or, without one, the default policy of the comment settings.
// A page reads it once and shows every comment by it. A failure to read
// it is logged and the defaults are used: the write path applies the
// stored policy whatever a page showed. Its word lists are read-only.
func (s *Server) commentPolicy(ctx context.Context) masthead.CommentPolicy {
	if s.cfg.Policy == nil {
		return s.defaultPolicy
	}
	p, err := s.cfg.Policy.CommentPolicy(ctx)
	if err != nil {
		s.logger.LogAttrs(ctx, slog.LevelWarn, "read the commenting policy",
			slog.String("request_id", RequestID(ctx)),
			slog.String("error", err.Error()))
		return s.defaultPolicy
	}
	return *p
}

// adminSettingsRoutes registers the settings page, /admin/settings (the
// commenting policy; administrators only).
func (s *Server) adminSettingsRoutes(mux *http.ServeMux) {
	s.adminHandle(mux, "GET /admin/settings", masthead.PermSettings, s.handleAdminSettings)
	s.adminHandle(mux, "POST /admin/settings", masthead.PermSettings, s.handleAdminSettingsSave)
}

// settingsView is the settings page's choices that are not text fields.
type settingsView struct {
	Enabled       bool
	Premoderation string
	HoldLinks     bool
}

// settingsPage returns the settings page with its form's fields.
func (s *Server) settingsPage(r *http.Request) *page {
	p := s.adminPage(r, "admin.settings.heading")
	num := func(name, label string, hint bool) *field {
		f := s.textField(name, label, "text", "off")
		if hint {
			f.Hint = s.msg(label + "_hint")
		}
		return f
	}
	words := func(name, label string) *field {
		f := s.textField(name, label, "textarea", "off")
		f.Hint = s.msg(label + "_hint")
		return f
	}
	p.Form = newForm("settings-",
		s.textField("premoderation", "admin.settings.premod", "radio", "off"),
		num("new_commenter_approvals", "admin.settings.new_commenter", true),
		words("banned_words", "admin.settings.banned"),
		words("suspect_words", "admin.settings.suspect"),
		num("edit_window", "admin.settings.edit_window", true),
		num("auto_close_days", "admin.settings.auto_close", true),
	)
	return p
}

// handleAdminSettings shows the commenting policy in force, to change.
func (s *Server) handleAdminSettings(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	pol, err := s.cfg.Policy.CommentPolicy(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p := s.settingsPage(r)
	f := p.Form.F
	f["premoderation"].Value = string(pol.Premoderation)
	f["new_commenter_approvals"].Value = strconv.Itoa(pol.NewCommenterApprovals)
	f["banned_words"].Value = strings.Join(pol.BannedWords, "\n")
	f["suspect_words"].Value = strings.Join(pol.SuspectWords, "\n")
	f["edit_window"].Value = strconv.Itoa(int(pol.EditWindow / time.Minute))
	f["auto_close_days"].Value = strconv.Itoa(pol.AutoCloseDays)
	p.Staff = &settingsView{Enabled: pol.Enabled, Premoderation: string(pol.Premoderation), HoldLinks: pol.HoldLinks}
	if r.URL.Query().Get("done") == "saved" {
		p.Notice = s.msg("admin.settings.saved")
	}
	s.render(w, r, http.StatusOK, "admin_settings", p)
}

// maxSettingsNumber bounds the numbers read from the form before they are
// converted (the policy's own limits are far lower).
const maxSettingsNumber = 1 << 20

// handleAdminSettingsSave saves the posted policy: back to the page with a
// notice, or the form again with what was typed and what is wrong.
func (s *Server) handleAdminSettingsSave(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	if !s.parseForm(w, r) {
		return
	}
	p := s.settingsPage(r)
	p.Form.fill(r)
	pol := masthead.CommentPolicy{
		Enabled:       r.PostFormValue("enabled") != "",
		Premoderation: masthead.Premoderation(r.PostFormValue("premoderation")),
		HoldLinks:     r.PostFormValue("hold_links") != "",
		BannedWords:   masthead.ParseWordList(r.PostFormValue("banned_words")),
		SuspectWords:  masthead.ParseWordList(r.PostFormValue("suspect_words")),
	}
	p.Staff = &settingsView{Enabled: pol.Enabled, Premoderation: string(pol.Premoderation), HoldLinks: pol.HoldLinks}
	whole := func(name string) int {
		n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue(name)))
		if err != nil {
			p.Form.invalid(name, s.msg("admin.settings.number_invalid"))
			return 0
		}
		return max(-1, min(n, maxSettingsNumber))
	}
	pol.NewCommenterApprovals = whole("new_commenter_approvals")
	pol.EditWindow = time.Duration(whole("edit_window")) * time.Minute
	pol.AutoCloseDays = whole("auto_close_days")
	if len(p.Form.Errors) > 0 {
		p.Title = s.msg("form.error_title", p.Title)
		s.render(w, r, http.StatusBadRequest, "admin_settings", p)
		return
	}
	if err := s.cfg.Policy.SetCommentPolicy(r.Context(), s.actor(r, a), pol); err != nil {
		s.refuse(w, r, 0, "admin_settings", p, p.Form, err)
		return
	}
	s.redirect(w, r, "/admin/settings?done=saved")
}
