package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"masthead"
)

// DefaultModerationPoll is the default Config.ModerationPoll.
const DefaultModerationPoll = 10 * time.Second

// moderationExcerptLength is the most characters of a parent comment
// shown above a reply in the queues.
const moderationExcerptLength = 200

// moderationQueues are the queues in the order of their tabs.
var moderationQueues = []masthead.ModerationQueue{
	masthead.QueuePending, masthead.QueueReported, masthead.QueueRejected, masthead.QueueRecent,
}

// moderationActions are the actions of the bulk form, in its order.
var moderationActions = []masthead.ModerationAction{
	masthead.ModApprove, masthead.ModReject, masthead.ModFeature, masthead.ModUnfeature, masthead.ModRestore,
}

// adminModerationRoutes registers the moderation queues: the page and its
// form (both PermModerate), the live queue counts and the action endpoint
// the keyboard shortcuts use.
func (s *Server) adminModerationRoutes(mux *http.ServeMux) {
	s.adminHandle(mux, "GET /admin/moderation", masthead.PermModerate, s.handleModerationQueue)
	s.adminHandle(mux, "POST /admin/moderation", masthead.PermModerate, s.handleModerationAction)
	s.adminHandle(mux, "GET /api/v1/admin/moderation/counts", masthead.PermModerate, s.handleAPIModerationCounts)
	s.adminHandle(mux, "POST /api/v1/admin/comments/moderate", masthead.PermModerate, s.handleAPIModerate)
}

// moderationPoll returns how often the page's script asks for the queue
// counts; 0 when it should not.
func (s *Server) moderationPoll() time.Duration {
	switch p := s.cfg.ModerationPoll; {
	case p < 0:
		return 0
	case p == 0:
		return DefaultModerationPoll
	default:
		return p
	}
}

// moderationView is the data of the moderation page.
type moderationView struct {
	Queue   string
	After   string
	Tabs    []moderationTab
	Items   []*moderationItem
	NextURL string

	// The bulk form: its action, reason and refusals.
	Bulk        *form
	BulkActions []option

	// What moderation.js needs: where to poll and act, how often, and
	// what to say.
	PollMS    int64
	Shortcuts []pageLink
	JSApprove string
	JSFeature string
	JSFailed  string
}

// moderationTab is one queue's tab, with its count when the queue has one.
type moderationTab struct {
	Queue    string
	Label    string
	Href     string
	Current  bool
	HasCount bool
	Count    string
}

// moderationItem is one comment of a queue as the page shows it.
type moderationItem struct {
	ID             int64
	StoryHref      string
	StoryHeadline  string
	IsReply        bool
	ParentAuthor   string
	ParentExcerpt  string
	ParentRemoved  bool
	Body           template.HTML
	AuthorID       int64
	AuthorName     string
	AuthorHref     string
	Posted         string
	PostedISO      string
	Status         string
	StatusClass    string
	Featured       bool
	HoldReason     string
	RejectReason   string
	History        *authorHistoryView
	ReportsHeading string
	Reports        []reportView
	// Actions are the buttons the comment's state allows, besides
	// rejecting (CanReject, with Reason).
	Actions   []option
	CanReject bool
	Reason    *field
	Selected  bool
	Error     string
}

// authorHistoryView is what the page says about a commenter.
type authorHistoryView struct {
	Joined   string
	Counts   string
	Names    string
	Sanction string
	Warnings string
	Actions  []string
}

// reportView is one report of a comment.
type reportView struct {
	Summary string
	Text    string
	At      string
	AtISO   string
}

// modQueueURL returns the address of a page of the queue.
func modQueueURL(q masthead.ModerationQueue, after string, extra url.Values) string {
	v := url.Values{}
	for k, vals := range extra {
		v[k] = vals
	}
	if q != masthead.QueuePending {
		v.Set("queue", string(q))
	}
	if after != "" {
		v.Set("after", after)
	}
	if len(v) == 0 {
		return "/admin/moderation"
	}
	return "/admin/moderation?" + v.Encode()
}

// modQueueFrom reads the queue a request names; "" means pending.
func modQueueFrom(v string) (masthead.ModerationQueue, bool) {
	if v == "" {
		return masthead.QueuePending, true
	}
	q := masthead.ModerationQueue(v)
	return q, q.Valid()
}

// handleModerationQueue shows a page of a moderation queue.
func (s *Server) handleModerationQueue(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	q := r.URL.Query()
	queue, ok := modQueueFrom(q.Get("queue"))
	if !ok {
		s.Error(w, r, masthead.Errorf(masthead.EINVALID, "%s", s.msg(string(masthead.MsgModQueueInvalid))))
		return
	}
	p, err := s.moderationPage(r, queue, q.Get("after"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if n, err := strconv.Atoi(q.Get("done")); err == nil && n > 0 {
		if n == 1 {
			p.Notice = s.msg("admin.moderation.done_one")
		} else {
			p.Notice = s.msg("admin.moderation.done", s.formatNumber(int64(n)))
		}
	}
	s.render(w, r, http.StatusOK, "admin_moderation", p)
}

// moderationPage loads a page of the queue after the cursor, with its
// counts and, when the site has the user service, its authors' histories.
func (s *Server) moderationPage(r *http.Request, queue masthead.ModerationQueue, after string) (*page, error) {
	ctx := r.Context()
	mod := s.cfg.Moderation
	qp, err := mod.FindQueue(ctx, masthead.QueueFilter{Queue: queue, After: after})
	if err != nil {
		return nil, err
	}
	counts, err := mod.QueueCounts(ctx)
	if err != nil {
		return nil, err
	}
	p := s.adminPage(r, "admin.moderation.heading")
	v := &moderationView{Queue: string(queue), After: after, JSApprove: s.msg("admin.moderation.js.approved"),
		JSFeature: s.msg("admin.moderation.js.featured"), JSFailed: s.msg("admin.moderation.js.failed"),
		PollMS: s.moderationPoll().Milliseconds()}
	p.Staff = v
	for _, mq := range moderationQueues {
		tab := moderationTab{Queue: string(mq), Label: s.msg("admin.moderation.queue." + string(mq)),
			Href: modQueueURL(mq, "", nil), Current: mq == queue}
		switch mq {
		case masthead.QueuePending:
			tab.HasCount, tab.Count = true, s.formatNumber(int64(counts.Pending))
		case masthead.QueueReported:
			tab.HasCount, tab.Count = true, s.formatNumber(int64(counts.Reported))
		}
		v.Tabs = append(v.Tabs, tab)
	}
	if qp.Next != "" {
		v.NextURL = modQueueURL(queue, qp.Next, nil)
	}
	histories, err := s.authorHistories(r, qp.Items)
	if err != nil {
		return nil, err
	}
	for _, it := range qp.Items {
		v.Items = append(v.Items, s.moderationItemView(it, histories[it.Comment.AuthorID]))
	}
	reason := s.textField("reason", "admin.moderation.bulk_reason", "text", "off")
	v.Bulk = newForm("mod-bulk-", s.textField("action", "admin.moderation.bulk_action", "select", "off"), reason)
	v.BulkActions = []option{{Value: "", Label: s.msg("admin.moderation.choose")}}
	for _, act := range moderationActions {
		v.BulkActions = append(v.BulkActions, option{Value: string(act), Label: s.msg("admin.moderation." + string(act))})
	}
	for _, k := range []string{"j", "k", "a", "r", "f", "x", "help"} {
		key := k
		if k == "help" {
			key = "?"
		}
		v.Shortcuts = append(v.Shortcuts, pageLink{Href: key, Label: s.msg("admin.moderation.key." + k)})
	}
	return p, nil
}

// authorHistories returns the histories of the page's distinct authors,
// when the site has the user service: one call for the whole page. An
// author the service cannot find has none.
func (s *Server) authorHistories(r *http.Request, items []*masthead.ModerationItem) (map[int64]*authorHistoryView, error) {
	out := map[int64]*authorHistoryView{}
	if s.cfg.Users == nil || len(items) == 0 {
		return out, nil
	}
	ids := make([]int64, 0, len(items))
	for _, it := range items {
		ids = append(ids, it.Comment.AuthorID)
	}
	slices.Sort(ids)
	hs, err := s.cfg.Users.AuthorHistories(r.Context(), slices.Compact(ids))
	if err != nil {
		return nil, err
	}
	for id, h := range hs {
		if h != nil {
			out[id] = s.authorHistoryView(h)
		}
	}
	return out, nil
}

// authorHistoryView describes a commenter's history for the queue.
func (s *Server) authorHistoryView(h *masthead.AuthorHistory) *authorHistoryView {
	v := &authorHistoryView{
		Counts: s.msg("admin.moderation.author_counts", s.formatNumber(int64(h.Published)),
			s.formatNumber(int64(h.Pending)), s.formatNumber(int64(h.Rejected))),
	}
	if h.Account != nil && !h.Account.CreatedAt.IsZero() {
		days := int64(s.now().Sub(h.Account.CreatedAt) / (24 * time.Hour))
		v.Joined = s.msg("admin.moderation.joined", s.formatDate(h.Account.CreatedAt), s.formatNumber(max(0, days)))
	}
	if len(h.Names) > 0 {
		names := make([]string, len(h.Names))
		for i, n := range h.Names {
			names[i] = n.Name
		}
		v.Names = s.msg("admin.moderation.names", strings.Join(names, ", "))
	}
	if h.Sanction.Active(s.now()) {
		if h.Sanction.Banned {
			v.Sanction = s.msg("admin.moderation.banned", h.Sanction.Reason)
		} else {
			v.Sanction = s.msg("admin.moderation.suspended", s.formatDateTime(h.Sanction.Until), h.Sanction.Reason)
		}
	}
	if len(h.Warnings) > 0 {
		v.Warnings = s.msg("admin.moderation.warnings", s.formatNumber(int64(len(h.Warnings))))
	}
	for _, act := range h.Actions {
		v.Actions = append(v.Actions, s.msg("admin.moderation.action_taken", s.modLabel("users.action.", act.Action), act.By, s.formatDate(act.At), act.Reason))
	}
	return v
}

// modLabel returns the catalogue text of prefix+value, or value itself
// when the catalogue has none (a reason the page does not know yet).
func (s *Server) modLabel(prefix, value string) string {
	if value == "" {
		return ""
	}
	if masthead.HasMsg(masthead.MessageID(prefix + value)) {
		return s.msg(prefix + value)
	}
	return value
}

// moderationItemView describes a comment of a queue, with the actions its
// state allows.
func (s *Server) moderationItemView(it *masthead.ModerationItem, h *authorHistoryView) *moderationItem {
	c := it.Comment
	id := strconv.FormatInt(c.ID, 10)
	v := &moderationItem{
		ID: c.ID, StoryHref: storyPath(it.StorySlug), StoryHeadline: it.StoryHeadline,
		Body:     template.HTML(c.BodyHTML), // rendered by masthead.RenderCommentBody when saved
		AuthorID: c.AuthorID, AuthorName: c.AuthorName,
		Posted: s.formatDateTime(c.CreatedAt), PostedISO: c.CreatedAt.UTC().Format(time.RFC3339),
		Status: s.modLabel("admin.moderation.status.", string(c.Status)), StatusClass: "mod-status-" + string(c.Status),
		Featured:     c.Featured,
		HoldReason:   s.modLabel("admin.moderation.hold.", it.HoldReason),
		RejectReason: it.RejectReason,
		History:      h,
	}
	if c.Status != masthead.CommentPending {
		v.HoldReason = ""
	}
	if c.Status != masthead.CommentRejected {
		v.RejectReason = ""
	}
	if v.AuthorName == "" {
		v.AuthorName = s.msg("admin.moderation.no_name")
	}
	if s.cfg.Users != nil {
		v.AuthorHref = "/admin/users/" + strconv.FormatInt(c.AuthorID, 10)
	}
	if c.ParentID != 0 {
		v.IsReply = true
		switch pc := it.Parent; {
		case pc == nil || pc.Status == masthead.CommentDeleted || pc.Status == masthead.CommentRejected:
			v.ParentRemoved = true
		default:
			v.ParentAuthor = pc.AuthorName
			if v.ParentAuthor == "" {
				v.ParentAuthor = s.msg("admin.moderation.deleted_author")
			}
			v.ParentExcerpt = masthead.Excerpt(pc.Body, moderationExcerptLength)
		}
	}
	if len(it.Reports) > 0 {
		v.ReportsHeading = s.msg("admin.moderation.reports", s.formatNumber(int64(len(it.Reports))))
	}
	for _, rep := range it.Reports {
		name := rep.ReporterName
		if name == "" {
			name = s.msg("admin.moderation.reporter_gone")
		}
		v.Reports = append(v.Reports, reportView{
			Summary: s.msg("admin.moderation.report", s.modLabel("admin.moderation.report.", rep.Reason), name),
			Text:    rep.Text, At: s.formatDateTime(rep.At), AtISO: rep.At.UTC().Format(time.RFC3339),
		})
	}
	button := func(a masthead.ModerationAction, label string) {
		v.Actions = append(v.Actions, option{Value: string(a), Label: s.msg(label)})
	}
	switch c.Status {
	case masthead.CommentPending:
		v.CanReject = true
		button(masthead.ModApprove, "admin.moderation.approve")
	case masthead.CommentPublished:
		v.CanReject = true
		if len(it.Reports) > 0 {
			button(masthead.ModApprove, "admin.moderation.keep")
		}
		if c.Featured {
			button(masthead.ModUnfeature, "admin.moderation.unfeature")
		} else {
			button(masthead.ModFeature, "admin.moderation.feature")
		}
	case masthead.CommentRejected:
		button(masthead.ModRestore, "admin.moderation.restore")
	}
	if v.CanReject {
		f := s.textField("reason", "admin.moderation.reason", "text", "off")
		f.ID = "mod-" + id + "-reason"
		f.Hint = s.msg("admin.moderation.reason_hint")
		v.Reason = f
	}
	return v
}

// moderationForm is a posted moderation form: the per-item forms and the
// bulk form alike.
type moderationForm struct {
	queue  masthead.ModerationQueue
	after  string
	bulk   bool
	ids    []int64
	action masthead.ModerationAction
	reason string
}

// readModerationForm reads the posted form; ok false means it answered.
func (s *Server) readModerationForm(w http.ResponseWriter, r *http.Request) (moderationForm, bool) {
	var f moderationForm
	if !s.parseForm(w, r) {
		return f, false
	}
	queue, ok := modQueueFrom(r.PostFormValue("queue"))
	if !ok {
		s.Error(w, r, masthead.Errorf(masthead.EINVALID, "%s", s.msg(string(masthead.MsgModQueueInvalid))))
		return f, false
	}
	f.queue, f.after, f.bulk = queue, r.PostFormValue("after"), r.PostFormValue("form") == "bulk"
	f.action = masthead.ModerationAction(r.PostFormValue("action"))
	f.reason = r.PostFormValue("reason")
	for _, v := range r.PostForm["ids"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			s.Error(w, r, masthead.Errorf(masthead.EINVALID, "%s", s.msg(string(masthead.MsgModNoComments))))
			return f, false
		}
		f.ids = append(f.ids, id)
	}
	return f, true
}

// handleModerationAction applies a posted action (one comment's form, or
// the bulk form's selection) and goes back to the same page of the queue,
// saying how many comments changed. A refusal shows the page again with
// what the moderator chose and typed, and why: next to the comment's
// reason field, or at the top of the bulk form; a bulk action that left
// some comments says which and why (the others were changed).
func (s *Server) handleModerationAction(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	f, ok := s.readModerationForm(w, r)
	if !ok {
		return
	}
	err := s.cfg.Moderation.Moderate(r.Context(), s.actor(r, a), f.ids, f.action, f.reason)
	if err == nil {
		s.redirect(w, r, modQueueURL(f.queue, f.after, url.Values{"done": {strconv.Itoa(len(modUniqueIDs(f.ids)))}}))
		return
	}
	status := ErrorStatus(masthead.ErrorCode(err))
	if status == http.StatusInternalServerError || status == http.StatusForbidden {
		s.Error(w, r, err)
		return
	}
	p, perr := s.moderationPage(r, f.queue, f.after)
	if perr != nil {
		s.Error(w, r, perr)
		return
	}
	v := p.Staff.(*moderationView)
	var item *moderationItem
	if !f.bulk && len(f.ids) == 1 {
		for _, it := range v.Items {
			if it.ID == f.ids[0] {
				item = it
			}
		}
	}
	if item != nil {
		if item.Reason != nil {
			item.Reason.Value = f.reason
		}
		if masthead.ErrorField(err) == "reason" && item.Reason != nil {
			item.Reason.Error = masthead.ErrorMessage(err)
		} else {
			item.Error = masthead.ErrorMessage(err)
		}
		p.Title = s.msg("form.error_title", p.Title)
		s.render(w, r, status, "admin_moderation", p)
		return
	}
	v.Bulk.F["reason"].Value = f.reason
	for i := range v.BulkActions {
		v.BulkActions[i].Selected = v.BulkActions[i].Value == string(f.action)
	}
	for _, it := range v.Items {
		it.Selected = slices.Contains(f.ids, it.ID)
	}
	field := masthead.ErrorField(err)
	if field != "reason" && field != "action" {
		field = ""
	}
	v.Bulk.invalid(field, masthead.ErrorMessage(err))
	p.Title = s.msg("form.error_title", p.Title)
	s.render(w, r, status, "admin_moderation", p)
}

// modUniqueIDs returns the distinct IDs of ids.
func modUniqueIDs(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// handleAPIModerationCounts answers the queue counts, which the page's
// script polls.
func (s *Server) handleAPIModerationCounts(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	counts, err := s.cfg.Moderation.QueueCounts(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, counts)
}

// apiModerate is the body of POST /api/v1/admin/comments/moderate.
type apiModerate struct {
	IDs    []int64 `json:"ids"`
	Action string  `json:"action"`
	Reason string  `json:"reason"`
}

// apiModerated is its answer: how many comments changed, and the queue
// counts after the change.
type apiModerated struct {
	Changed int                  `json:"changed"`
	Counts  masthead.QueueCounts `json:"counts"`
}

// handleAPIModerate applies an action to comments, for the keyboard
// shortcuts; a refusal is the API's JSON error (a bulk action that left
// some comments is EINVALID on "ids", its message saying which).
func (s *Server) handleAPIModerate(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	var in apiModerate
	if !s.decodeJSON(w, r, &in) {
		return
	}
	ctx := r.Context()
	if err := s.cfg.Moderation.Moderate(ctx, s.actor(r, a), in.IDs, masthead.ModerationAction(in.Action), in.Reason); err != nil {
		s.Error(w, r, err)
		return
	}
	counts, err := s.cfg.Moderation.QueueCounts(ctx)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, apiModerated{Changed: len(modUniqueIDs(in.IDs)), Counts: counts})
}

// moderationLink is the staff home's link to the queues, with the pending
// and reported counts (without them if they cannot be read).
func (s *Server) moderationLink(r *http.Request) pageLink {
	counts, err := s.cfg.Moderation.QueueCounts(r.Context())
	if err != nil {
		return s.link("/admin/moderation", "admin.nav.moderation_plain")
	}
	return pageLink{Href: "/admin/moderation", Label: s.msg("admin.nav.moderation",
		s.formatNumber(int64(counts.Pending)), s.formatNumber(int64(counts.Reported)))}
}
