package masthead

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// CommentSort orders a story's comments.
type CommentSort string

// Comment orders. Featured comments come first in every order.
const (
	SortNewest    CommentSort = "newest"
	SortOldest    CommentSort = "oldest"
	SortRespected CommentSort = "respected"
)

// Valid reports whether s is a known order.
func (s CommentSort) Valid() bool { return s == SortNewest || s == SortOldest || s == SortRespected }

// NewComment is a comment or reply to post.
type NewComment struct {
	StorySlug string
	ParentID  int64 // 0 for a top-level comment
	AuthorID  int64
	Body      string
}

// CommentFilter selects a page of a story's threads.
type CommentFilter struct {
	StoryID int64
	Sort    CommentSort
	// After is the cursor of the last top-level comment of the previous
	// page ("" for the first).
	After string
	Limit int
	// ViewerID, if not 0, fills Comment.Respected.
	ViewerID int64
}

// RepliesPerThread is the most replies a page of a story's comments shows
// under each thread (CommentThread.Replies, the viewer's own pending ones
// aside); the rest are on the thread's pages of replies.
const RepliesPerThread = 20

// CommentThread is a top-level comment with the replies shown under it.
type CommentThread struct {
	Comment *Comment
	// Replies are the thread's replies in order, each with its Depth; at
	// most a page's worth, with MoreReplies counting the rest.
	Replies     []*Comment
	MoreReplies int
}

// CommentPage is one page of a story's comments.
type CommentPage struct {
	Threads []*CommentThread
	// Next is the cursor of the next page, "" on the last.
	Next string
	// Total is the story's count of published comments.
	Total int
}

// CommentEvent is a change to a story's comments, for live updates. IDs
// increase, so a client resumes after the last ID it saw.
type CommentEvent struct {
	ID        int64     `json:"id"`
	StoryID   int64     `json:"story_id"`
	Kind      string    `json:"kind"` // "posted", "edited", "removed"
	CommentID int64     `json:"comment_id"`
	At        time.Time `json:"at"`
}

// CommentService stores comments. Every write applies the commenting gate
// (and the abuse limits) in the transaction that stores it, so pages and
// the API cannot differ.
type CommentService interface {
	// PostComment stores a comment or reply, returning the gate's refusal
	// (an *Error whose Code is the GateReason) or a limit's.
	PostComment(ctx context.Context, c NewComment) (*Comment, error)
	// EditComment changes the author's own comment within the edit window
	// and while it has no replies.
	EditComment(ctx context.Context, id, accountID int64, body string) (*Comment, error)
	// DeleteComment removes the author's own comment, leaving a
	// placeholder in the thread.
	DeleteComment(ctx context.Context, id, accountID int64) error
	// ReportComment records a report with a reason (spam, abuse,
	// off_topic, other) and text. A suspended or banned account may
	// neither report nor respect (GateSuspended).
	ReportComment(ctx context.Context, id, accountID int64, reason, text string) error
	// ToggleRespect adds or takes back the account's one respect of a
	// comment, returning whether it is now respected and the count.
	ToggleRespect(ctx context.Context, id, accountID int64) (bool, int, error)

	// FindComment returns one comment.
	FindComment(ctx context.Context, id int64) (*Comment, error)
	// FindComments returns a page of a story's threads.
	FindComments(ctx context.Context, f CommentFilter) (*CommentPage, error)
	// FindReplies returns a page of a thread's replies after a cursor,
	// with the cursor of the next page and how many published replies
	// follow it.
	FindReplies(ctx context.Context, f ReplyFilter) (*ReplyPage, error)
	// LocateComment returns where the comment is shown when the story's
	// comments and a thread's replies come limit a page (0 for the
	// default).
	LocateComment(ctx context.Context, id int64, limit int) (*CommentLocation, error)
	// CommentEvents returns a story's events after an event ID, oldest
	// first, at most limit.
	CommentEvents(ctx context.Context, storyID, afterID int64, limit int) ([]CommentEvent, error)
	// Sanction returns the account's active suspension or ban, or nil.
	Sanction(ctx context.Context, accountID int64) (*Sanction, error)
}

// ReplyFilter selects a page of one thread's replies, beyond those shown
// under it on the story's page.
type ReplyFilter struct {
	// RootID is the thread's top-level comment.
	RootID int64
	// After is the cursor of the last reply already shown ("" for the
	// first), as ReplyCursor.String makes it.
	After string
	Limit int
	// ViewerID, if not 0, fills Comment.Respected.
	ViewerID int64
}

// ReplyPage is one page of a thread's replies, in order.
type ReplyPage struct {
	// Root is the thread's top-level comment and StorySlug its story.
	Root      *Comment
	StorySlug string
	Replies   []*Comment
	// Next is the cursor of the next page, "" on the last; More counts
	// the published replies after this page.
	Next string
	More int
}

// CommentLocation is where a comment is shown on its story's pages (in
// the default order), for its permalink.
type CommentLocation struct {
	StorySlug string
	CommentID int64
	RootID    int64
	// After is the cursor of the page of the story's comments that shows
	// the comment's thread, "" for the first page.
	After string
	// InReplies is true for a reply beyond those shown under its thread
	// on the story's page: it is on the thread's replies page that
	// continues after RepliesAfter.
	InReplies    bool
	RepliesAfter string
}

// ReplyCursor is where a page of a thread's replies continues: after the
// reply created at At with ID, Shown published replies of the thread
// having come before it (itself included), so that a page knows how many
// remain without counting.
type ReplyCursor struct {
	At    time.Time
	ID    int64
	Shown int
}

// String returns the cursor as ReplyFilter.After takes it.
func (k ReplyCursor) String() string {
	s := "r." + strconv.FormatInt(k.At.UnixNano(), 10) + "." + strconv.FormatInt(k.ID, 10) + "." + strconv.Itoa(k.Shown)
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

// ParseReplyCursor decodes a cursor that ReplyCursor.String made, or
// returns an EINVALID error (field "after").
func ParseReplyCursor(s string) (ReplyCursor, error) {
	bad := FieldError("after", Msg(MsgCommentCursorInvalid))
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return ReplyCursor{}, bad
	}
	parts := strings.Split(string(b), ".")
	if len(parts) != 4 || parts[0] != "r" {
		return ReplyCursor{}, bad
	}
	at, err1 := strconv.ParseInt(parts[1], 10, 64)
	id, err2 := strconv.ParseInt(parts[2], 10, 64)
	shown, err3 := strconv.Atoi(parts[3])
	if err1 != nil || err2 != nil || err3 != nil || id <= 0 || shown < 0 {
		return ReplyCursor{}, bad
	}
	return ReplyCursor{At: time.Unix(0, at).UTC(), ID: id, Shown: shown}, nil
}

// NextReplyCursor returns the cursor of the replies that follow those a
// thread shows (its Replies), or "" when it shows none.
func NextReplyCursor(t *CommentThread) string {
	if len(t.Replies) == 0 {
		return ""
	}
	shown := 0
	for _, c := range t.Replies {
		if c.Status == CommentPublished {
			shown++
		}
	}
	last := t.Replies[len(t.Replies)-1]
	return ReplyCursor{At: last.CreatedAt, ID: last.ID, Shown: shown}.String()
}
