package web

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"masthead"
)

// reportReasons are the reasons a report may give, in the order the form
// offers them.
var reportReasons = []string{"spam", "abuse", "off_topic", "other"}

// commentRoutes registers the comment pages, forms and API. Every one of
// their responses is marked no-store: they depend on the viewer.
func (s *Server) commentRoutes(mux *http.ServeMux) {
	handle := func(pattern string, h http.HandlerFunc) { mux.HandleFunc(pattern, noStoreHandler(h)) }

	handle("POST /stories/{slug}/comments", s.handlePostComment)
	handle("GET /comments/{id}", s.handleCommentPermalink)
	handle("GET /stories/{slug}/comments/{id}/replies", s.handleCommentReplies)
	handle("POST /comments/{id}/edit", s.handleEditComment)
	handle("POST /comments/{id}/delete", s.handleDeleteComment)
	handle("POST /comments/{id}/report", s.handleReportComment)
	handle("POST /comments/{id}/respect", s.handleRespectComment)

	handle("GET /api/v1/stories/{slug}/comments", s.handleAPIComments)
	handle("POST /api/v1/stories/{slug}/comments", s.handleAPIPostComment)
	handle("PATCH /api/v1/comments/{id}", s.handleAPIEditComment)
	handle("DELETE /api/v1/comments/{id}", s.handleAPIDeleteComment)
	handle("POST /api/v1/comments/{id}/respect", s.handleAPIRespectComment)
	handle("POST /api/v1/comments/{id}/report", s.handleAPIReportComment)
	handle("GET /api/v1/comments/{id}/replies", s.handleAPICommentReplies)

	if s.live != nil {
		handle("GET /stories/{slug}/comments/live", s.handleCommentsLive)
	}
}

// commentInput is a comment the service refused, to show again in its box
// with what was typed and why.
type commentInput struct {
	ParentID int64
	Body     string
	Err      error
}

// commentsView is the comment section under a story.
type commentsView struct {
	Slug string
	// CountLabel is "7 comments", or the catalogue's "no comments yet".
	CountLabel string
	// Readable is false when the viewer may not read the story: the
	// threads are not shown, only the count and the gate.
	Readable bool
	Sorts    []sortLink
	Threads  []threadView
	NextHref string
	// Gate is why the viewer may not comment, shown instead of the box;
	// nil when they may, and Box is then the new-comment form.
	Gate *gateView
	Box  *commentBox
	// Script is what the section tells comments.js, which the page loads
	// when it is set (the threads are shown).
	Script *commentsScript
	// Replies is the page of one thread's replies, on that page only.
	Replies *repliesView
}

// commentsScript is what comments.js reads from the comment section's
// data attributes: the limits, its sentences from the catalogue (with
// "{n}" where it puts a number) and, with live updates on, where the live
// stream is and the event to resume after.
type commentsScript struct {
	MaxLength int
	Counter   string
	SendError string
	LiveURL   string
	// LastEventID is the story's latest comment event when the page was
	// made; "" when not known.
	LastEventID string
	NewOne      string
	NewMany     string
}

// sortLink is one of the comment orders.
type sortLink struct {
	Href    string
	Label   string
	Current bool
}

// gateView is the commenting gate's refusal with its way forward.
type gateView struct {
	Reason  string
	Message string
	Links   []pageLink
	// Resend offers the verification email's resend button.
	Resend bool
	// Kept is the text of a comment the gate refused, kept for copying.
	Kept string
}

// threadView is a top-level comment with its replies.
type threadView struct {
	Comment     commentView
	Replies     []commentView
	MoreReplies string
	// MoreHref is the page of the replies after these, which
	// comments.js fetches and puts in place.
	MoreHref string
}

// commentView is one comment as a page shows it, with what its viewer may
// do with it worked out.
type commentView struct {
	ID       int64
	Depth    int
	Slug     string
	Name     string
	Deleted  bool // the author's account is gone: "deleted account"
	About    string
	Staff    bool
	Featured bool
	// Removed is a deleted comment's placeholder: no author, no body.
	Removed bool
	// Pending is the viewer's own comment held for review, which only
	// they see, marked as awaiting review.
	Pending bool
	Body    template.HTML
	Edited  bool

	TimeISO   string
	TimeExact string
	TimeAgo   string

	Respects      int
	RespectsLabel string
	Respected     bool
	CanRespect    bool
	CanReport     bool
	CanDelete     bool
	// Return is the page the comment's forms return to (their "return"
	// field): the page showing them.
	Return string

	Reply *commentBox
	Edit  *commentBox
}

// commentScope is what a page shows all its comments with: their story,
// the viewer (nil when signed out), whether the viewer may post replies,
// the edit window of the policy the page read, the page itself (where
// the comment forms return) and a refused comment to show again.
type commentScope struct {
	slug       string
	viewer     *masthead.Account
	canComment bool
	editWindow time.Duration
	page       string
	refused    *commentInput
}

// commentBox is a comment form: the new comment, a reply or an edit.
type commentBox struct {
	ID       string // prefix of its element IDs
	Action   string
	Slug     string
	ParentID int64
	Label    string
	Submit   string
	Hint     string
	Value    string
	Error    string
	// Return is the page the form returns to once it is done (its
	// "return" field), "" to let the server find the comment's page.
	Return string
	// Open keeps a reply or edit disclosure open: it was refused.
	Open bool
}

// BodyID is the textarea's ID.
func (b *commentBox) BodyID() string { return b.ID + "-body" }

// Describedby returns the IDs of the hint and error of the textarea.
func (b *commentBox) Describedby() string {
	if b.Error != "" {
		return b.ID + "-hint " + b.ID + "-error"
	}
	return b.ID + "-hint"
}

// commentSort returns the order asked for, or the default (newest).
func commentSort(v string) masthead.CommentSort {
	if s := masthead.CommentSort(v); s.Valid() {
		return s
	}
	return masthead.SortNewest
}

// storyPath is the story's page.
func storyPath(slug string) string { return "/stories/" + slug }

// commentAnchor is a comment's place on its story's page.
func commentAnchor(slug string, id int64) string {
	return storyPath(slug) + "#comment-" + strconv.FormatInt(id, 10)
}

// commentsPage is the page of story slug's comments in the order sort,
// after the cursor ("" for the first page).
func commentsPage(slug string, sort masthead.CommentSort, after string) string {
	if sort == masthead.SortNewest && after == "" {
		return storyPath(slug)
	}
	p := storyPath(slug) + "?sort=" + string(sort)
	if after != "" {
		p += "&after=" + url.QueryEscape(after)
	}
	return p
}

// maxReturnLen bounds the "return" field of the comment forms.
const maxReturnLen = 1000

// commentReturn returns the page of story slug's comments that a comment
// form says it was on (its "return" field): the story's page, with its
// order and cursor, or a page of one of its threads' replies. It returns
// "" for anything else, a page of another story or of another site
// included. The address is made again from its parts, so nothing else of
// what was posted reaches the redirect.
func commentReturn(slug, raw string) string {
	if raw == "" || len(raw) > maxReturnLen || !masthead.ValidSlug(slug) || !strings.HasPrefix(raw, "/") ||
		strings.HasPrefix(raw, "//") || strings.ContainsAny(raw, "\\#") {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil || len(q["after"]) > 1 || len(q["sort"]) > 1 {
		return ""
	}
	after := q.Get("after")
	if u.Path == storyPath(slug) {
		sort := masthead.SortNewest
		if v, ok := q["sort"]; ok {
			if sort = masthead.CommentSort(v[0]); !sort.Valid() {
				return ""
			}
		}
		if len(q) > len(q["sort"])+len(q["after"]) {
			return ""
		}
		return commentsPage(slug, sort, after)
	}
	rest, ok := strings.CutPrefix(u.Path, storyPath(slug)+"/comments/")
	if !ok {
		return ""
	}
	id, ok := strings.CutSuffix(rest, "/replies")
	rootID, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || rootID <= 0 || len(q) > len(q["after"]) {
		return ""
	}
	return repliesPath(slug, rootID, after)
}

// commentGate decides whether the viewer a may comment on st, which they
// may read if canRead, under the commenting policy pol (the page's; see
// commentPolicy). rs, when the page decided the read, gives the viewer's
// effective plan. Lookups the gate would not reach are skipped.
func (s *Server) commentGate(ctx context.Context, pol *masthead.CommentPolicy, a *masthead.Account, st *masthead.Story, rs *readState, canRead bool) (masthead.GateDecision, error) {
	in := masthead.GateInput{CommentsEnabled: pol.Enabled, AutoCloseDays: pol.AutoCloseDays, Story: st, Viewer: a, CanRead: canRead}
	if a != nil && in.CommentsEnabled && st.Comments == masthead.CommentsOpen && canRead {
		switch {
		case rs != nil && rs.plan != nil:
			in.Entitlements = rs.plan.Entitlements
		case s.subs != nil:
			plan, _, err := s.subs.EffectivePlan(ctx, a.ID)
			if err != nil {
				return masthead.GateDecision{}, err
			}
			in.Entitlements = plan.Entitlements
		default:
			// Plans off: every account may comment as far as plans go.
			in.Entitlements.Comment = true
		}
		if in.Entitlements.Comment {
			sanction, err := s.comments.Sanction(ctx, a.ID)
			if err != nil && masthead.ErrorCode(err) != masthead.ENOTFOUND {
				return masthead.GateDecision{}, err
			}
			in.Sanction = sanction
		}
	}
	return masthead.CommentGate(in, s.now()), nil
}

// gateView describes a refusal of the gate on st's page with its way
// forward.
func (s *Server) gateView(d masthead.GateDecision, st *masthead.Story) *gateView {
	g := &gateView{Reason: string(d.Reason), Message: d.Message}
	back := storyPath(st.Slug) + "#comments"
	switch d.Reason {
	case masthead.GateSignedOut:
		if s.accounts != nil {
			g.Links = append(g.Links, pageLink{Href: withNext("/signin", back), Label: s.msg("comments.gate.sign_in")})
		}
		if s.plans != nil {
			g.Links = append(g.Links, pageLink{Href: "/plans", Label: s.msg("comments.gate.subscribe")})
		} else if s.accounts != nil {
			g.Links = append(g.Links, pageLink{Href: withNext("/signup", back), Label: s.msg("comments.gate.sign_up")})
		}
	case masthead.GateStoryNotReadable, masthead.GatePlanLacksCommenting:
		if s.plans != nil {
			g.Links = append(g.Links, pageLink{Href: "/plans", Label: s.msg("comments.gate.plans")})
		}
	case masthead.GateEmailUnverified:
		g.Resend = s.accounts != nil
	case masthead.GateDisplayNameRequired:
		g.Links = append(g.Links, pageLink{Href: "/account/profile?next=" + url.QueryEscape(back), Label: s.msg("comments.gate.profile")})
	}
	return g
}

// addComments renders the comment section of st for the request's viewer
// and appends it to the page's main part. rs is the page's read state (nil
// for a story everyone may read); refused is a refused comment to show
// again.
func (s *Server) addComments(r *http.Request, p *page, st *masthead.Story, rs *readState, refused *commentInput) error {
	a, _ := s.viewer(r)
	canRead := rs == nil || rs.decision.Allowed
	if a != nil || refused != nil {
		return s.renderComments(r, p, st, rs, refused, canRead)
	}
	// Every anonymous reader sees the same section: render it once per
	// read-cache lifetime.
	q := r.URL.Query()
	key := anonCommentsKey{storyID: st.ID, updatedAt: st.UpdatedAt, sort: commentSort(q.Get("sort")), after: q.Get("after"), readable: canRead}
	c, err := s.cache.anonComments.getWith(r.Context(), key, func(context.Context, anonCommentsKey) (anonComments, error) {
		if err := s.renderComments(r, p, st, rs, nil, canRead); err != nil {
			return anonComments{}, err
		}
		return anonComments{html: p.AfterMain, script: p.Comments.Script}, nil
	})
	if err != nil {
		return err
	}
	p.Comments = &commentsView{Slug: st.Slug, Readable: canRead, Script: c.script}
	p.AfterMain = c.html
	return nil
}

// renderComments renders the comment section for the page's viewer and
// sets it as p.AfterMain.
func (s *Server) renderComments(r *http.Request, p *page, st *masthead.Story, rs *readState, refused *commentInput, canRead bool) error {
	ctx := r.Context()
	a, _ := s.viewer(r)
	pol := s.commentPolicy(ctx)
	d, err := s.commentGate(ctx, &pol, a, st, rs, canRead)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	sort := commentSort(q.Get("sort"))
	sc := &commentScope{slug: st.Slug, viewer: a, canComment: d.Allowed, editWindow: pol.EditWindow,
		page: commentsPage(st.Slug, sort, q.Get("after")), refused: refused}
	v := &commentsView{Slug: st.Slug, Readable: canRead}
	for _, o := range []masthead.CommentSort{masthead.SortNewest, masthead.SortOldest, masthead.SortRespected} {
		v.Sorts = append(v.Sorts, sortLink{
			Href:    storyPath(st.Slug) + "?sort=" + string(o) + "#comments",
			Label:   s.msg("comments.sort." + string(o)),
			Current: o == sort,
		})
	}
	total := st.CommentCount
	if canRead {
		f := masthead.CommentFilter{StoryID: st.ID, Sort: sort, After: q.Get("after"), Limit: s.cfg.CommentSettings.PageSize}
		if a != nil {
			f.ViewerID = a.ID
		}
		page, err := s.comments.FindComments(ctx, f)
		if err != nil {
			return err
		}
		total = page.Total
		for _, t := range page.Threads {
			v.Threads = append(v.Threads, s.threadView(t, sc))
		}
		if page.Next != "" {
			v.NextHref = storyPath(st.Slug) + "?sort=" + string(sort) + "&after=" + url.QueryEscape(page.Next) + "#comments"
		}
	}
	v.CountLabel = s.countLabel(total)
	if canRead {
		v.Script = s.commentsScript()
		s.addLiveScript(ctx, v.Script, st)
	}
	if d.Allowed {
		v.Box = s.newBox("comment", storyPath(st.Slug)+"/comments", st.Slug, 0, s.msg("comments.body_label"), s.msg("comments.post"))
		if refused != nil && (refused.ParentID == 0 || !hasReplyBox(v.Threads, refused.ParentID)) {
			v.Box.Value = refused.Body
			v.Box.Error = masthead.ErrorMessage(refused.Err)
		}
	} else {
		v.Gate = s.gateView(d, st)
		if refused != nil {
			v.Gate.Kept = refused.Body
			if refused.Err != nil && masthead.ErrorCode(refused.Err) != string(d.Reason) {
				// A refusal that is not the gate's reason as the page
				// sees it now (a race): say the service's.
				v.Gate.Message = masthead.ErrorMessage(refused.Err)
			}
		}
	}
	p.Comments = v
	h, err := s.fragment("story", "comments", p)
	if err != nil {
		return err
	}
	p.AfterMain = h
	return nil
}

// commentsScript returns what comments.js needs to know of any comment
// section: the limits and its sentences, without the live stream (see
// addLiveScript).
func (s *Server) commentsScript() *commentsScript {
	maxLen := s.cfg.CommentSettings.MaxLength
	return &commentsScript{
		MaxLength: maxLen,
		Counter:   s.msg("comments.live.counter", "{n}", s.formatNumber(int64(maxLen))),
		SendError: s.msg("comments.live.send_error"),
	}
}

// addLiveScript adds to cs, with live updates on, where st's live stream
// is and the event to resume after. A failure to find the latest event
// is logged: the page works without it, and its live stream starts from
// the moment it connects.
func (s *Server) addLiveScript(ctx context.Context, cs *commentsScript, st *masthead.Story) {
	if s.live == nil {
		return
	}
	cs.LiveURL = storyPath(st.Slug) + "/comments/live"
	cs.NewOne = s.msg("comments.live.new_one")
	cs.NewMany = s.msg("comments.live.new_many", "{n}")
	id, err := s.live.lastEventID(ctx, s.comments, st.ID)
	if err != nil {
		s.logger.LogAttrs(ctx, slog.LevelWarn, "find the latest comment event",
			slog.String("request_id", RequestID(ctx)),
			slog.Int64("story_id", st.ID),
			slog.String("error", err.Error()))
		return
	}
	cs.LastEventID = strconv.FormatInt(id, 10)
}

// hasReplyBox reports whether a comment on the page has a reply box for
// parentID.
func hasReplyBox(threads []threadView, parentID int64) bool {
	for _, t := range threads {
		if t.Comment.ID == parentID && t.Comment.Reply != nil {
			return true
		}
		for _, c := range t.Replies {
			if c.ID == parentID && c.Reply != nil {
				return true
			}
		}
	}
	return false
}

// countLabel is "1 comment", "7 comments" or "no comments yet".
func (s *Server) countLabel(n int) string {
	if n == 0 {
		return s.msg("comments.none")
	}
	return s.views.commentCount(n)
}

// newBox returns a comment form.
func (s *Server) newBox(id, action, slug string, parentID int64, label, submit string) *commentBox {
	return &commentBox{
		ID: id, Action: action, Slug: slug, ParentID: parentID, Label: label, Submit: submit,
		Hint: s.msg("comments.body_hint", s.formatNumber(int64(s.cfg.CommentSettings.MaxLength))),
	}
}

// threadView returns what the story's page shows of a thread. A new reply
// goes to the end of its thread: the page shows it too when the thread
// shows all its replies with room for one more, and the reply boxes then
// return to the page.
func (s *Server) threadView(t *masthead.CommentThread, sc *commentScope) threadView {
	replyReturn := ""
	if t.MoreReplies == 0 && len(t.Replies) < masthead.RepliesPerThread {
		replyReturn = sc.page
	}
	tv := threadView{Comment: s.commentView(t.Comment, sc, replyReturn)}
	for _, c := range t.Replies {
		tv.Replies = append(tv.Replies, s.commentView(c, sc, replyReturn))
	}
	s.moreReplies(&tv, sc.slug, t.Comment.ID, t.MoreReplies, masthead.NextReplyCursor(t))
	return tv
}

// commentView returns what the page of sc shows of c. Its reply box
// returns to replyReturn ("" when the new reply would not be on the page).
func (s *Server) commentView(c *masthead.Comment, sc *commentScope, replyReturn string) commentView {
	a, slug, refused := sc.viewer, sc.slug, sc.refused
	id := strconv.FormatInt(c.ID, 10)
	v := commentView{
		ID: c.ID, Depth: min(c.Depth, masthead.MaxCommentDepth), Slug: slug, Return: sc.page,
		Featured:  c.Featured,
		TimeISO:   c.CreatedAt.UTC().Format(time.RFC3339),
		TimeExact: s.formatDateTime(c.CreatedAt),
		TimeAgo:   s.timeAgo(c.CreatedAt),
	}
	if c.Status == masthead.CommentDeleted {
		v.Removed = true
		return v
	}
	v.Name, v.About, v.Staff = c.AuthorName, c.AuthorAbout, c.AuthorStaff
	if v.Name == "" {
		v.Deleted, v.About, v.Staff = true, "", false
	}
	v.Body = template.HTML(c.BodyHTML) // rendered by masthead.RenderCommentBody when saved
	v.Edited = c.Edited()
	v.Pending = c.Status == masthead.CommentPending
	v.Respects, v.Respected = c.Respects, c.Respected
	v.RespectsLabel = s.msg("comments.respects", s.views.number(int64(c.Respects)))
	own := a != nil && c.AuthorID == a.ID
	published := c.Status == masthead.CommentPublished
	if a != nil && !own && published {
		v.CanRespect, v.CanReport = true, true
	}
	v.CanDelete = own
	if sc.canComment && published {
		name := c.AuthorName
		if name == "" {
			name = s.msg("comments.deleted_account")
		}
		v.Reply = s.newBox("reply-"+id, storyPath(slug)+"/comments", slug, c.ID, s.msg("comments.reply_label", name), s.msg("comments.post_reply"))
		v.Reply.Return = replyReturn
		if refused != nil && refused.ParentID == c.ID {
			v.Reply.Value, v.Reply.Error, v.Reply.Open = refused.Body, masthead.ErrorMessage(refused.Err), true
		}
	}
	if own && published && c.ReplyCount == 0 && s.now().Sub(c.CreatedAt) < sc.editWindow {
		v.Edit = s.newBox("edit-"+id, "/comments/"+id+"/edit", slug, 0, s.msg("comments.edit_label"), s.msg("comments.save"))
		v.Edit.Value, v.Edit.Return = c.Body, sc.page
	}
	return v
}

// timeAgo says how long ago t was: "just now", "3 hours ago", or the date
// once it is a month past.
func (s *Server) timeAgo(t time.Time) string {
	d := s.now().Sub(t)
	switch {
	case d < time.Minute:
		return s.msg("time.just_now")
	case d < 2*time.Minute:
		return s.msg("time.minute_ago")
	case d < time.Hour:
		return s.msg("time.minutes_ago", int(d/time.Minute))
	case d < 2*time.Hour:
		return s.msg("time.hour_ago")
	case d < 24*time.Hour:
		return s.msg("time.hours_ago", int(d/time.Hour))
	case d < 48*time.Hour:
		return s.msg("time.day_ago")
	case d < 30*24*time.Hour:
		return s.msg("time.days_ago", int(d/(24*time.Hour)))
	}
	return s.formatDate(t)
}

// commentID parses the {id} of a comment route; ok false means it
// answered the request with a 404.
func (s *Server) commentID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.Error(w, r, masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgCommentNotFound)))
		return 0, false
	}
	return id, true
}

// requireCommenter is requireViewer for the comment forms: an anonymous
// reader is sent to sign in and come back to the story's comments (or to
// the site's front page when the story is not known).
func (s *Server) requireCommenter(w http.ResponseWriter, r *http.Request, slug string) (*masthead.Account, bool) {
	if a, _ := s.viewer(r); a != nil {
		return a, true
	}
	if ri := requestInfoFrom(r.Context()); ri != nil && ri.authErr != nil {
		s.Error(w, r, ri.authErr)
		return nil, false
	}
	back := "/"
	if masthead.ValidSlug(slug) {
		back = storyPath(slug) + "#comments"
	}
	s.redirect(w, r, withNext("/signin", back))
	return nil, false
}

// handlePostComment posts a comment or reply from the story page's form:
// back to the comment on success (redirect after post); otherwise the
// story page again, with the text in its box and why it was refused.
//
// A new comment is the newest, so on the first page of the default order
// (unless the featured comments fill that page); a reply goes back to
// the page its form came from when that page shows it, and is located
// otherwise.
func (s *Server) handlePostComment(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	a, ok := s.requireCommenter(w, r, slug)
	if !ok || !s.parseForm(w, r) {
		return
	}
	in := &commentInput{Body: r.PostFormValue("body")}
	if v := r.PostFormValue("parent_id"); v != "" && v != "0" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			s.Error(w, r, &masthead.Error{Code: masthead.EINVALID, Field: "parent_id", Message: masthead.Msg(masthead.MsgCommentParentInvalid)})
			return
		}
		in.ParentID = id
	}
	c, err := s.comments.PostComment(r.Context(), masthead.NewComment{StorySlug: slug, ParentID: in.ParentID, AuthorID: a.ID, Body: in.Body})
	if err == nil {
		switch ret := commentReturn(slug, r.PostFormValue("return")); {
		case in.ParentID == 0:
			s.redirect(w, r, commentAnchor(slug, c.ID))
		case ret != "":
			s.redirect(w, r, ret+"#comment-"+strconv.FormatInt(c.ID, 10))
		default:
			s.redirect(w, r, s.commentPlace(r.Context(), slug, c.ID))
		}
		return
	}
	status := ErrorStatus(masthead.ErrorCode(err))
	if status == http.StatusInternalServerError || (status == http.StatusNotFound && masthead.ErrorField(err) != "parent_id") {
		s.Error(w, r, err)
		return
	}
	st, ferr := s.cache.findStory(r.Context(), slug)
	if ferr != nil {
		s.Error(w, r, ferr)
		return
	}
	in.Err = err
	p, perr := s.storyPage(w, r, st, false, in)
	if perr != nil {
		s.Error(w, r, perr)
		return
	}
	p.Title = s.msg("form.error_title", p.Title)
	s.render(w, r, status, "story", p)
}

// backToComment returns where a comment action leads afterwards: the
// comment on the page its form came from (the form's "return", a page of
// the story it names), or, without one, on whichever page shows it
// (LocateComment), or the front page when the comment is not found.
func (s *Server) backToComment(r *http.Request, id int64) string {
	slug := r.PostFormValue("story")
	if ret := commentReturn(slug, r.PostFormValue("return")); ret != "" {
		return ret + "#comment-" + strconv.FormatInt(id, 10)
	}
	if masthead.ValidSlug(slug) {
		return s.commentPlace(r.Context(), slug, id)
	}
	if u, err := s.commentURL(r.Context(), id); err == nil {
		return u
	}
	return "/"
}

// commentActionFailed shows why a comment action was refused, with a way
// back to the comment.
func (s *Server) commentActionFailed(w http.ResponseWriter, r *http.Request, id int64, err error) {
	code := masthead.ErrorCode(err)
	status := ErrorStatus(code)
	if status == http.StatusInternalServerError {
		s.Error(w, r, err)
		return
	}
	s.noticePage(w, r, status, "error.title."+code, masthead.ErrorMessage(err),
		pageLink{Href: s.backToComment(r, id), Label: s.msg("comments.back")})
}

// commentAction is the start of every comment action form: the signed-in
// viewer, the comment's ID and the parsed form.
func (s *Server) commentAction(w http.ResponseWriter, r *http.Request) (*masthead.Account, int64, bool) {
	id, ok := s.commentID(w, r)
	if !ok {
		return nil, 0, false
	}
	if !s.parseForm(w, r) {
		return nil, 0, false
	}
	a, ok := s.requireCommenter(w, r, r.PostFormValue("story"))
	if !ok {
		return nil, 0, false
	}
	return a, id, true
}

// handleEditComment changes the viewer's own comment.
func (s *Server) handleEditComment(w http.ResponseWriter, r *http.Request) {
	a, id, ok := s.commentAction(w, r)
	if !ok {
		return
	}
	if _, err := s.comments.EditComment(r.Context(), id, a.ID, r.PostFormValue("body")); err != nil {
		s.commentActionFailed(w, r, id, err)
		return
	}
	s.redirect(w, r, s.backToComment(r, id))
}

// handleDeleteComment deletes the viewer's own comment.
func (s *Server) handleDeleteComment(w http.ResponseWriter, r *http.Request) {
	a, id, ok := s.commentAction(w, r)
	if !ok {
		return
	}
	if err := s.comments.DeleteComment(r.Context(), id, a.ID); err != nil {
		s.commentActionFailed(w, r, id, err)
		return
	}
	s.redirect(w, r, s.backToComment(r, id))
}

// validReportReason reports whether reason is one a report may give.
func validReportReason(reason string) bool {
	for _, r := range reportReasons {
		if r == reason {
			return true
		}
	}
	return false
}

// handleReportComment reports a comment to the moderators.
func (s *Server) handleReportComment(w http.ResponseWriter, r *http.Request) {
	a, id, ok := s.commentAction(w, r)
	if !ok {
		return
	}
	reason := r.PostFormValue("reason")
	if !validReportReason(reason) {
		s.commentActionFailed(w, r, id, masthead.FieldError("reason", masthead.Msg(masthead.MsgReportReasonInvalid)))
		return
	}
	if err := s.comments.ReportComment(r.Context(), id, a.ID, reason, strings.TrimSpace(r.PostFormValue("text"))); err != nil {
		s.commentActionFailed(w, r, id, err)
		return
	}
	s.redirect(w, r, s.backToComment(r, id))
}

// handleRespectComment gives, or takes back, the viewer's respect.
func (s *Server) handleRespectComment(w http.ResponseWriter, r *http.Request) {
	a, id, ok := s.commentAction(w, r)
	if !ok {
		return
	}
	if _, _, err := s.comments.ToggleRespect(r.Context(), id, a.ID); err != nil {
		s.commentActionFailed(w, r, id, err)
		return
	}
	s.redirect(w, r, s.backToComment(r, id))
}

// handleCommentPermalink sends /comments/{id} to the comment on the page
// of its story's comments (in the default order), or of its thread's
// replies, that shows it.
func (s *Server) handleCommentPermalink(w http.ResponseWriter, r *http.Request) {
	id, ok := s.commentID(w, r)
	if !ok {
		return
	}
	u, err := s.commentURL(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.redirect(w, r, u)
}
