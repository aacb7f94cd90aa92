package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"masthead"
)

// DefaultAuditPageSize is the default Config.AuditPageSize.
const DefaultAuditPageSize = 50

// auditActions are the actions the audit log can be filtered by: every
// masthead.Audit* constant.
var auditActions = []string{
	masthead.AuditStorySave, masthead.AuditStoryPublish, masthead.AuditStoryUnpublish,
	masthead.AuditStorySchedule, masthead.AuditStoryRestore, masthead.AuditSectionSave, masthead.AuditAuthorSave,
	masthead.AuditCommentApprove, masthead.AuditCommentReject, masthead.AuditCommentFeature,
	masthead.AuditCommentUnfeature, masthead.AuditCommentRestore,
	masthead.AuditAccountWarn, masthead.AuditAccountSuspend, masthead.AuditAccountBan, masthead.AuditAccountLift,
	masthead.AuditAccountResetName, masthead.AuditPolicySave, masthead.AuditStaffRole,
	masthead.AuditPlanSave, masthead.AuditPlanArchive, masthead.AuditCompGrant, masthead.AuditCompRevoke,
	masthead.AuditTwoFactorReset,
}

// maxAuditFilterLen bounds each text field of the audit filter.
const maxAuditFilterLen = 254

// adminAuditRoutes registers the audit log page. It only reads: no route
// changes or deletes an entry.
func (s *Server) adminAuditRoutes(mux *http.ServeMux) {
	s.adminHandle(mux, "GET /admin/audit", masthead.PermAudit, s.handleAdminAudit)
}

// auditView is the data of /admin/audit.
type auditView struct {
	Filter  *form
	Actions []option
	Entries []auditRow
	// Filtered says that a filter is applied, so the page offers to clear
	// it.
	Filtered bool
	NextURL  string
}

// auditRow is one entry as the page shows it.
type auditRow struct {
	ID     int64
	When   string
	WhenTZ string
	Who    string
	WhoID  int64
	Action string
	Target string
	Before string
	After  string
	Reason string
	IP     string
}

// auditPageSize returns how many entries a page shows.
func (s *Server) auditPageSize() int {
	if s.cfg.AuditPageSize > 0 {
		return s.cfg.AuditPageSize
	}
	return DefaultAuditPageSize
}

// auditFilterForm is the filter's text fields.
func (s *Server) auditFilterForm() *form {
	actor := s.textField("actor", "audit.actor", "text", "off")
	actor.Hint, actor.MaxLength = s.msg("audit.actor_hint"), maxAuditFilterLen
	typ := s.textField("target_type", "audit.target_type", "text", "off")
	typ.MaxLength = maxAuditFilterLen
	id := s.textField("target_id", "audit.target_id", "text", "off")
	id.MaxLength = maxAuditFilterLen
	return newForm("audit-", actor, typ, id)
}

// handleAdminAudit shows the audit log, newest first, filtered by the
// query's actor (an account ID or email address), action, target_type and
// target_id, a page at a time: before is the ID of the last entry of the
// page before.
func (s *Server) handleAdminAudit(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	q := r.URL.Query()
	p := s.adminPage(r, "audit.heading")
	p.Intro = s.msg("audit.intro")
	v := &auditView{Filter: s.auditFilterForm()}
	p.Staff = v
	f := masthead.AuditFilter{Limit: s.auditPageSize() + 1}
	for name, fld := range v.Filter.F {
		fld.Value = strings.TrimSpace(q.Get(name))
		if len(fld.Value) > maxAuditFilterLen {
			fld.Value = fld.Value[:maxAuditFilterLen]
		}
	}
	actor := v.Filter.F["actor"].Value
	switch {
	case actor == "":
	case isDigits(actor):
		f.ActorID, _ = strconv.ParseInt(actor, 10, 64)
	case strings.Contains(actor, "@") && s.cfg.Staff != nil:
		id, err := s.cfg.Staff.AccountIDByEmail(r.Context(), s.actor(r, a), actor)
		if masthead.ErrorCode(err) == masthead.ENOTFOUND {
			v.Filter.invalid("actor", s.msg("audit.actor_unknown"))
		} else if err != nil {
			s.Error(w, r, err)
			return
		}
		f.ActorID = id
	default:
		v.Filter.invalid("actor", s.msg("audit.actor_unknown"))
	}
	f.Action = q.Get("action")
	if f.Action != "" && !slices.Contains(auditActions, f.Action) {
		f.Action = ""
	}
	v.Actions = append(v.Actions, option{Value: "", Label: s.msg("audit.action_any"), Selected: f.Action == ""})
	for _, act := range auditActions {
		v.Actions = append(v.Actions, option{Value: act, Label: act, Selected: act == f.Action})
	}
	f.TargetType = v.Filter.F["target_type"].Value
	f.TargetID = v.Filter.F["target_id"].Value
	if before, err := strconv.ParseInt(q.Get("before"), 10, 64); err == nil && before > 0 {
		f.Before = before
	}
	v.Filtered = actor != "" || f.Action != "" || f.TargetType != "" || f.TargetID != ""
	if len(v.Filter.Errors) > 0 {
		p.Title = s.msg("form.error_title", p.Title)
		s.render(w, r, http.StatusBadRequest, "admin_audit", p)
		return
	}
	entries, err := s.cfg.Audit.FindAuditEntries(r.Context(), f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if len(entries) > s.auditPageSize() {
		entries = entries[:s.auditPageSize()]
		next := url.Values{}
		for name, fld := range v.Filter.F {
			if fld.Value != "" {
				next.Set(name, fld.Value)
			}
		}
		if f.Action != "" {
			next.Set("action", f.Action)
		}
		next.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		v.NextURL = "/admin/audit?" + next.Encode()
	}
	for _, e := range entries {
		v.Entries = append(v.Entries, s.auditEntryRow(e))
	}
	s.render(w, r, http.StatusOK, "admin_audit", p)
}

// auditEntryRow returns what the page shows of an entry.
func (s *Server) auditEntryRow(e *masthead.AuditEntry) auditRow {
	row := auditRow{
		ID: e.ID, When: s.formatDateTime(e.At), WhenTZ: e.At.UTC().Format(time.RFC3339),
		WhoID: e.ActorID, Who: e.ActorName, Action: e.Action,
		Target: s.msg("audit.target_format", e.TargetType, e.TargetID),
		Before: e.Before, After: e.After, Reason: e.Reason, IP: e.IP,
	}
	switch {
	case e.ActorID == 0:
		row.Who = s.msg("audit.system")
	case row.Who == "":
		row.Who = "#" + strconv.FormatInt(e.ActorID, 10)
	}
	nothing := s.msg("audit.nothing")
	if row.Before == "" {
		row.Before = nothing
	}
	if row.After == "" {
		row.After = nothing
	}
	return row
}

// isDigits reports whether v is a non-empty run of ASCII digits that fits
// an int64.
func isDigits(v string) bool {
	if v == "" || len(v) > 18 {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}
