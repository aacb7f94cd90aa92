package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"masthead"
)

// repliesView is a page of one thread's replies: the thread's top-level
// comment, the replies after those the story's page shows, and the way
// on to the next ones.
type repliesView struct {
	Heading  string
	Thread   threadView
	BackHref string
	// StartHref is the thread on the story's page.
	StartHref string
}

// repliesPath is the page of thread rootID's replies after the cursor.
func repliesPath(slug string, rootID int64, after string) string {
	p := storyPath(slug) + "/comments/" + strconv.FormatInt(rootID, 10) + "/replies"
	if after != "" {
		p += "?after=" + url.QueryEscape(after)
	}
	return p
}

// moreReplies fills in tv's "show N more replies" link: more replies
// follow the ones shown, after the cursor next ("" for the thread's
// first).
func (s *Server) moreReplies(tv *threadView, slug string, rootID int64, more int, next string) {
	switch {
	case more <= 0:
		return
	case more == 1:
		tv.MoreReplies = s.msg("comments.more_reply")
	default:
		tv.MoreReplies = s.msg("comments.more_replies", s.views.number(int64(more)))
	}
	tv.MoreHref = repliesPath(slug, rootID, next)
}

// locationURL is where a comment's permalink leads: the comment on the
// page of its story, or of its thread's replies, that shows it.
func locationURL(loc *masthead.CommentLocation) string {
	anchor := "#comment-" + strconv.FormatInt(loc.CommentID, 10)
	switch {
	case loc.InReplies:
		return repliesPath(loc.StorySlug, loc.RootID, loc.RepliesAfter) + anchor
	case loc.After != "":
		return storyPath(loc.StorySlug) + "?sort=" + string(masthead.SortNewest) + "&after=" + url.QueryEscape(loc.After) + anchor
	}
	return storyPath(loc.StorySlug) + anchor
}

// commentURL returns where comment id is shown, on whichever page it is.
func (s *Server) commentURL(ctx context.Context, id int64) (string, error) {
	loc, err := s.comments.LocateComment(ctx, id, s.cfg.CommentSettings.PageSize)
	if err != nil {
		return "", err
	}
	if !masthead.ValidSlug(loc.StorySlug) {
		return "", masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgCommentNotFound))
	}
	return locationURL(loc), nil
}

// handleCommentReplies shows a page of a thread's replies, for readers
// without JavaScript who follow "show N more replies" (comments.js puts
// the same replies in place). A viewer who may not read the story is sent
// to its page, which says why; asking does not count on their meter.
func (s *Server) handleCommentReplies(w http.ResponseWriter, r *http.Request) {
	id, ok := s.commentID(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	st, err := s.cache.findStory(ctx, r.PathValue("slug"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	rs, err := s.decideReadAs(w, r, st, false)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if !rs.decision.Allowed {
		s.redirect(w, r, storyPath(st.Slug)+"#comments")
		return
	}
	a, _ := s.viewer(r)
	pol := s.commentPolicy(ctx)
	d, err := s.commentGate(ctx, &pol, a, st, rs, true)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	after := r.URL.Query().Get("after")
	f := masthead.ReplyFilter{RootID: id, After: after, Limit: s.cfg.CommentSettings.PageSize}
	if a != nil {
		f.ViewerID = a.ID
	}
	rp, err := s.comments.FindReplies(ctx, f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if rp.StorySlug != st.Slug {
		s.Error(w, r, masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgCommentNotFound)))
		return
	}
	sc := &commentScope{slug: st.Slug, viewer: a, canComment: d.Allowed, editWindow: pol.EditWindow,
		page: repliesPath(st.Slug, rp.Root.ID, after)}
	// A new reply goes to the end of the thread: on this page if it is
	// the last, with room for one more.
	replyReturn := ""
	if rp.Next == "" && len(rp.Replies) < f.Limit {
		replyReturn = sc.page
	}
	v := &repliesView{
		Thread:    threadView{Comment: s.commentView(rp.Root, sc, replyReturn)},
		BackHref:  storyPath(st.Slug) + "#comments",
		StartHref: "/comments/" + strconv.FormatInt(rp.Root.ID, 10),
	}
	for _, c := range rp.Replies {
		v.Thread.Replies = append(v.Thread.Replies, s.commentView(c, sc, replyReturn))
	}
	s.moreReplies(&v.Thread, st.Slug, rp.Root.ID, rp.More, rp.Next)
	switch {
	case rp.Root.Status == masthead.CommentDeleted:
		v.Heading = s.msg("comments.replies_heading_removed")
	case rp.Root.AuthorName == "":
		v.Heading = s.msg("comments.replies_heading", s.msg("comments.deleted_account"))
	default:
		v.Heading = s.msg("comments.replies_heading", rp.Root.AuthorName)
	}

	p := s.newPage(r)
	p.Description = s.msg("comments.replies_title", st.Headline)
	s.setTitle(p, p.Description)
	p.Canonical = s.absURL(storyPath(st.Slug))
	p.NoIndex = true
	// The page has no live stream (it shows part of one thread): the
	// script is told only the limits and sentences.
	p.Comments = &commentsView{Slug: st.Slug, Readable: true, Script: s.commentsScript(), Replies: v}
	if p.Main, err = s.fragment("story", "comment-replies", p); err != nil {
		s.Error(w, r, err)
		return
	}
	privateNoStore(w)
	s.render(w, r, http.StatusOK, "story", p)
}

// apiReplyPage is a page of a thread's replies; Next continues it and More
// counts the published replies after it.
type apiReplyPage struct {
	Root    apiComment   `json:"root"`
	Replies []apiComment `json:"replies"`
	Next    string       `json:"next,omitempty"`
	More    int          `json:"more"`
}

// handleAPICommentReplies returns a page of a thread's replies after
// ?after= (a page's next; without it, from the thread's first reply), to
// a viewer who may read the story (story_not_readable otherwise; asking
// does not count on their meter).
func (s *Server) handleAPICommentReplies(w http.ResponseWriter, r *http.Request) {
	id, ok := s.commentID(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	a, _ := s.viewer(r)
	f := masthead.ReplyFilter{RootID: id, After: r.URL.Query().Get("after"), Limit: s.cfg.CommentSettings.PageSize}
	if a != nil {
		f.ViewerID = a.ID
	}
	rp, err := s.comments.FindReplies(ctx, f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	st, err := s.cache.findStory(ctx, rp.StorySlug)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	rs, err := s.decideReadAs(w, r, st, false)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if !rs.decision.Allowed {
		s.Error(w, r, &masthead.Error{Code: string(masthead.GateStoryNotReadable), Message: masthead.Msg(masthead.MsgGateStoryNotReadable)})
		return
	}
	out := apiReplyPage{Root: s.toAPIComment(rp.Root), Replies: make([]apiComment, len(rp.Replies)), Next: rp.Next, More: rp.More}
	for i, c := range rp.Replies {
		out.Replies[i] = s.toAPIComment(c)
	}
	s.writeJSON(w, http.StatusOK, out)
}

// commentPlace is where a comment action on story slug leads back to
// when its form does not say which page it came from: the comment on
// whichever page shows it (LocateComment, a read transaction of several
// queries), or, failing that, on the story's first page.
func (s *Server) commentPlace(ctx context.Context, slug string, id int64) string {
	loc, err := s.comments.LocateComment(ctx, id, s.cfg.CommentSettings.PageSize)
	if err != nil || loc.StorySlug != slug {
		return commentAnchor(slug, id)
	}
	return locationURL(loc)
}
