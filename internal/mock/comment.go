package mock

import (
	"context"

	"masthead"
)

// Compile-time check that CommentService implements the domain interface.
var _ masthead.CommentService = (*CommentService)(nil)

// CommentService is a fake masthead.CommentService whose methods call the
// corresponding function fields.
type CommentService struct {
	PostCommentFn   func(ctx context.Context, c masthead.NewComment) (*masthead.Comment, error)
	EditCommentFn   func(ctx context.Context, id, accountID int64, body string) (*masthead.Comment, error)
	DeleteCommentFn func(ctx context.Context, id, accountID int64) error
	ReportCommentFn func(ctx context.Context, id, accountID int64, reason, text string) error
	ToggleRespectFn func(ctx context.Context, id, accountID int64) (bool, int, error)
	FindCommentFn   func(ctx context.Context, id int64) (*masthead.Comment, error)
	FindCommentsFn  func(ctx context.Context, f masthead.CommentFilter) (*masthead.CommentPage, error)
	CommentEventsFn func(ctx context.Context, storyID, afterID int64, limit int) ([]masthead.CommentEvent, error)
	SanctionFn      func(ctx context.Context, accountID int64) (*masthead.Sanction, error)
	FindRepliesFn   func(ctx context.Context, f masthead.ReplyFilter) (*masthead.ReplyPage, error)
	LocateCommentFn func(ctx context.Context, id int64, limit int) (*masthead.CommentLocation, error)
}

func unsetComment(method string) {
	panic("mock: CommentService." + method + " called but " + method + "Fn is nil")
}

// PostComment calls PostCommentFn.
func (s *CommentService) PostComment(ctx context.Context, c masthead.NewComment) (*masthead.Comment, error) {
	if s.PostCommentFn == nil {
		unsetComment("PostComment")
	}
	return s.PostCommentFn(ctx, c)
}

// EditComment calls EditCommentFn.
func (s *CommentService) EditComment(ctx context.Context, id, accountID int64, body string) (*masthead.Comment, error) {
	if s.EditCommentFn == nil {
		unsetComment("EditComment")
	}
	return s.EditCommentFn(ctx, id, accountID, body)
}

// DeleteComment calls DeleteCommentFn.
func (s *CommentService) DeleteComment(ctx context.Context, id, accountID int64) error {
	if s.DeleteCommentFn == nil {
		unsetComment("DeleteComment")
	}
	return s.DeleteCommentFn(ctx, id, accountID)
}

// ReportComment calls ReportCommentFn.
func (s *CommentService) ReportComment(ctx context.Context, id, accountID int64, reason, text string) error {
	if s.ReportCommentFn == nil {
		unsetComment("ReportComment")
	}
	return s.ReportCommentFn(ctx, id, accountID, reason, text)
}

// ToggleRespect calls ToggleRespectFn.
func (s *CommentService) ToggleRespect(ctx context.Context, id, accountID int64) (bool, int, error) {
	if s.ToggleRespectFn == nil {
		unsetComment("ToggleRespect")
	}
	return s.ToggleRespectFn(ctx, id, accountID)
}

// FindComment calls FindCommentFn.
func (s *CommentService) FindComment(ctx context.Context, id int64) (*masthead.Comment, error) {
	if s.FindCommentFn == nil {
		unsetComment("FindComment")
	}
	return s.FindCommentFn(ctx, id)
}

// FindComments calls FindCommentsFn.
func (s *CommentService) FindComments(ctx context.Context, f masthead.CommentFilter) (*masthead.CommentPage, error) {
	if s.FindCommentsFn == nil {
		unsetComment("FindComments")
	}
	return s.FindCommentsFn(ctx, f)
}

// CommentEvents calls CommentEventsFn.
func (s *CommentService) CommentEvents(ctx context.Context, storyID, afterID int64, limit int) ([]masthead.CommentEvent, error) {
	if s.CommentEventsFn == nil {
		unsetComment("CommentEvents")
	}
	return s.CommentEventsFn(ctx, storyID, afterID, limit)
}

// Sanction calls SanctionFn.
func (s *CommentService) Sanction(ctx context.Context, accountID int64) (*masthead.Sanction, error) {
	if s.SanctionFn == nil {
		unsetComment("Sanction")
	}
	return s.SanctionFn(ctx, accountID)
}

// FindReplies calls FindRepliesFn.
func (s *CommentService) FindReplies(ctx context.Context, f masthead.ReplyFilter) (*masthead.ReplyPage, error) {
	if s.FindRepliesFn == nil {
		unsetComment("FindReplies")
	}
	return s.FindRepliesFn(ctx, f)
}

// LocateComment calls LocateCommentFn.
func (s *CommentService) LocateComment(ctx context.Context, id int64, limit int) (*masthead.CommentLocation, error) {
	if s.LocateCommentFn == nil {
		unsetComment("LocateComment")
	}
	return s.LocateCommentFn(ctx, id, limit)
}
