package masthead

import (
	"context"
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
	// off_topic, other) and text.
	ReportComment(ctx context.Context, id, accountID int64, reason, text string) error
	// ToggleRespect adds or takes back the account's one respect of a
	// comment, returning whether it is now respected and the count.
	ToggleRespect(ctx context.Context, id, accountID int64) (bool, int, error)

	// FindComment returns one comment.
	FindComment(ctx context.Context, id int64) (*Comment, error)
	// FindComments returns a page of a story's threads.
	FindComments(ctx context.Context, f CommentFilter) (*CommentPage, error)
	// CommentEvents returns a story's events after an event ID, oldest
	// first, at most limit.
	CommentEvents(ctx context.Context, storyID, afterID int64, limit int) ([]CommentEvent, error)
	// Sanction returns the account's active suspension or ban, or nil.
	Sanction(ctx context.Context, accountID int64) (*Sanction, error)
}
