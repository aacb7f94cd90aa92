package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"masthead"
)

// apiComment is a comment as the API shows it. A deleted comment keeps its
// place with no author and no body.
type apiComment struct {
	ID         int64      `json:"id"`
	ParentID   *int64     `json:"parent_id"` // null for a top-level comment
	Depth      int        `json:"depth"`
	Author     *apiAuthor `json:"author"` // null for a deleted comment
	BodyHTML   string     `json:"body_html"`
	Status     string     `json:"status"`
	Featured   bool       `json:"featured"`
	Edited     bool       `json:"edited"`
	EditedAt   time.Time  `json:"edited_at,omitzero"`
	Respects   int        `json:"respects"`
	Respected  bool       `json:"respected"`
	ReplyCount int        `json:"reply_count"`
	CreatedAt  time.Time  `json:"created_at"`
	URL        string     `json:"url"`
}

// apiAuthor is a comment's author: the display name ("" for a deleted
// account, with deleted_account true), the about line and the staff badge.
type apiAuthor struct {
	DisplayName    string `json:"display_name"`
	About          string `json:"about"`
	Staff          bool   `json:"staff"`
	DeletedAccount bool   `json:"deleted_account,omitempty"`
}

// apiThread is a top-level comment with the replies shown under it.
type apiThread struct {
	Comment     apiComment   `json:"comment"`
	Replies     []apiComment `json:"replies"`
	MoreReplies int          `json:"more_replies"`
	// NextReplies is the cursor of the thread's next replies
	// (GET /api/v1/comments/{id}/replies?after=), "" when none are left.
	NextReplies string `json:"next_replies,omitempty"`
}

// apiGate is the commenting gate's answer for the viewer.
type apiGate struct {
	Allowed bool   `json:"allowed"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}

// apiCommentList is one page of a story's threads; Next continues it.
type apiCommentList struct {
	Threads []apiThread `json:"threads"`
	Next    string      `json:"next,omitempty"`
	Total   int         `json:"total"`
	Sort    string      `json:"sort"`
	Gate    apiGate     `json:"gate"`
}

// apiRespect is the answer to a respect toggle.
type apiRespect struct {
	Respected bool `json:"respected"`
	Respects  int  `json:"respects"`
}

// toAPIComment converts a comment for the API.
func (s *Server) toAPIComment(c *masthead.Comment) apiComment {
	out := apiComment{
		ID:         c.ID,
		Depth:      c.Depth,
		Status:     string(c.Status),
		Featured:   c.Featured,
		Edited:     c.Edited(),
		EditedAt:   c.EditedAt.UTC(),
		Respects:   c.Respects,
		Respected:  c.Respected,
		ReplyCount: c.ReplyCount,
		CreatedAt:  c.CreatedAt.UTC(),
		URL:        s.absURL("/comments/" + strconv.FormatInt(c.ID, 10)),
	}
	if c.ParentID != 0 {
		id := c.ParentID
		out.ParentID = &id
	}
	if c.Status != masthead.CommentDeleted {
		out.Author = &apiAuthor{DisplayName: c.AuthorName, About: c.AuthorAbout, Staff: c.AuthorStaff}
		if c.AuthorName == "" {
			out.Author = &apiAuthor{DeletedAccount: true}
		}
		out.BodyHTML = c.BodyHTML
	}
	return out
}

// decodeJSON reads the request body as one JSON object into v, allowing no
// unknown members; false means it answered with a 400.
func (s *Server) decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.Decode(&struct{}{}) != io.EOF {
		err = errors.New("trailing data")
	}
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.renderError(w, r, http.StatusRequestEntityTooLarge, masthead.EINVALID, s.msg("form.too_large"))
			return false
		}
		s.Error(w, r, masthead.Errorf(masthead.EINVALID, "%s", s.msg("api.comment_body_invalid")))
		return false
	}
	return true
}

// handleAPIComments returns a page of a story's threads, ?sort= ordered
// and continued from ?after=, with the gate's answer for the viewer. A
// viewer who may not read the story gets the gate's story_not_readable
// refusal; asking does not count on their meter.
func (s *Server) handleAPIComments(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st, err := s.cache.findStory(ctx, r.PathValue("slug"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	q := r.URL.Query()
	sort := masthead.SortNewest
	if v := q.Get("sort"); v != "" {
		if sort = masthead.CommentSort(v); !sort.Valid() {
			s.Error(w, r, masthead.FieldError("sort", masthead.Msg(masthead.MsgCommentSortInvalid)))
			return
		}
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
	a, _ := s.viewer(r)
	pol := s.commentPolicy(ctx)
	d, err := s.commentGate(ctx, &pol, a, st, rs, true)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	f := masthead.CommentFilter{StoryID: st.ID, Sort: sort, After: q.Get("after"), Limit: s.cfg.CommentSettings.PageSize}
	if a != nil {
		f.ViewerID = a.ID
	}
	page, err := s.comments.FindComments(ctx, f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := apiCommentList{
		Threads: make([]apiThread, len(page.Threads)),
		Next:    page.Next,
		Total:   page.Total,
		Sort:    string(sort),
		Gate:    apiGate{Allowed: d.Allowed, Code: string(d.Reason), Message: d.Message},
	}
	for i, t := range page.Threads {
		th := apiThread{Comment: s.toAPIComment(t.Comment), Replies: make([]apiComment, len(t.Replies)), MoreReplies: t.MoreReplies}
		if t.MoreReplies > 0 {
			th.NextReplies = masthead.NextReplyCursor(t)
		}
		for j, c := range t.Replies {
			th.Replies[j] = s.toAPIComment(c)
		}
		out.Threads[i] = th
	}
	s.writeJSON(w, http.StatusOK, out)
}

// apiNewComment is the body of POST /api/v1/stories/{slug}/comments.
type apiNewComment struct {
	Body     string `json:"body"`
	ParentID int64  `json:"parent_id"`
}

// handleAPIPostComment posts a comment or reply as the signed-in viewer,
// under the same gate and limits as the page: 201 with the comment, or
// the refusal (the gate's reason as the code; signed_out, 401, for a
// signed-out request).
func (s *Server) handleAPIPostComment(w http.ResponseWriter, r *http.Request) {
	a, _ := s.viewer(r)
	if a == nil {
		if ri := requestInfoFrom(r.Context()); ri != nil && ri.authErr != nil {
			s.Error(w, r, ri.authErr)
			return
		}
		s.Error(w, r, &masthead.Error{Code: string(masthead.GateSignedOut), Message: masthead.Msg(masthead.MsgGateSignedOut)})
		return
	}
	var in apiNewComment
	if !s.decodeJSON(w, r, &in) {
		return
	}
	if in.ParentID < 0 {
		s.Error(w, r, &masthead.Error{Code: masthead.EINVALID, Field: "parent_id", Message: masthead.Msg(masthead.MsgCommentParentInvalid)})
		return
	}
	c, err := s.comments.PostComment(r.Context(), masthead.NewComment{
		StorySlug: r.PathValue("slug"), ParentID: in.ParentID, AuthorID: a.ID, Body: in.Body,
	})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Location", s.absURL("/comments/"+strconv.FormatInt(c.ID, 10)))
	s.writeJSON(w, http.StatusCreated, s.toAPIComment(c))
}

// apiCommentAction is the start of every API action on one comment: the
// comment's ID and the signed-in viewer (401 without one).
func (s *Server) apiCommentAction(w http.ResponseWriter, r *http.Request) (*masthead.Account, int64, bool) {
	id, ok := s.commentID(w, r)
	if !ok {
		return nil, 0, false
	}
	a, _, ok := s.requireViewer(w, r)
	if !ok {
		return nil, 0, false
	}
	return a, id, true
}

// apiEditComment is the body of PATCH /api/v1/comments/{id}.
type apiEditComment struct {
	Body string `json:"body"`
}

// handleAPIEditComment changes the viewer's own comment.
func (s *Server) handleAPIEditComment(w http.ResponseWriter, r *http.Request) {
	a, id, ok := s.apiCommentAction(w, r)
	if !ok {
		return
	}
	var in apiEditComment
	if !s.decodeJSON(w, r, &in) {
		return
	}
	c, err := s.comments.EditComment(r.Context(), id, a.ID, in.Body)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, s.toAPIComment(c))
}

// handleAPIDeleteComment deletes the viewer's own comment: 204.
func (s *Server) handleAPIDeleteComment(w http.ResponseWriter, r *http.Request) {
	a, id, ok := s.apiCommentAction(w, r)
	if !ok {
		return
	}
	if err := s.comments.DeleteComment(r.Context(), id, a.ID); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleAPIRespectComment gives, or takes back, the viewer's respect.
func (s *Server) handleAPIRespectComment(w http.ResponseWriter, r *http.Request) {
	a, id, ok := s.apiCommentAction(w, r)
	if !ok {
		return
	}
	respected, n, err := s.comments.ToggleRespect(r.Context(), id, a.ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, apiRespect{Respected: respected, Respects: n})
}

// apiReport is the body of POST /api/v1/comments/{id}/report.
type apiReport struct {
	Reason string `json:"reason"`
	Text   string `json:"text"`
}

// handleAPIReportComment reports a comment: 204.
func (s *Server) handleAPIReportComment(w http.ResponseWriter, r *http.Request) {
	a, id, ok := s.apiCommentAction(w, r)
	if !ok {
		return
	}
	var in apiReport
	if !s.decodeJSON(w, r, &in) {
		return
	}
	if !validReportReason(in.Reason) {
		s.Error(w, r, masthead.FieldError("reason", masthead.Msg(masthead.MsgReportReasonInvalid)))
		return
	}
	if err := s.comments.ReportComment(r.Context(), id, a.ID, in.Reason, strings.TrimSpace(in.Text)); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
