package mock

import (
	"context"

	"masthead"
)

// Compile-time check that EditorService implements the domain interface.
var _ masthead.EditorService = (*EditorService)(nil)

// EditorService is a fake masthead.EditorService whose methods call the
// corresponding function fields.
type EditorService struct {
	FindEditorStoriesFn func(ctx context.Context, f masthead.EditorFilter) (*masthead.EditorPage, error)
	FindStoryByIDFn     func(ctx context.Context, id int64) (*masthead.Story, error)
	SaveStoryEditFn     func(ctx context.Context, actor masthead.Actor, s *masthead.Story) error
	StoryRevisionsFn    func(ctx context.Context, storyID int64) ([]*masthead.StoryRevision, error)
	FindRevisionFn      func(ctx context.Context, id int64) (*masthead.StoryRevision, error)
	RestoreRevisionFn   func(ctx context.Context, actor masthead.Actor, storyID, revisionID int64) (*masthead.Story, error)
	ResolveSlugFn       func(ctx context.Context, oldSlug string) (string, error)
	FindAuthorsFn       func(ctx context.Context) ([]*masthead.Author, error)
	SaveAuthorEditFn    func(ctx context.Context, actor masthead.Actor, a *masthead.Author) error
	SaveSectionEditFn   func(ctx context.Context, actor masthead.Actor, sec *masthead.Section) error
}

func unsetEditor(method string) {
	panic("mock: EditorService." + method + " called but " + method + "Fn is nil")
}

// FindEditorStories calls FindEditorStoriesFn.
func (s *EditorService) FindEditorStories(ctx context.Context, f masthead.EditorFilter) (*masthead.EditorPage, error) {
	if s.FindEditorStoriesFn == nil {
		unsetEditor("FindEditorStories")
	}
	return s.FindEditorStoriesFn(ctx, f)
}

// FindStoryByID calls FindStoryByIDFn.
func (s *EditorService) FindStoryByID(ctx context.Context, id int64) (*masthead.Story, error) {
	if s.FindStoryByIDFn == nil {
		unsetEditor("FindStoryByID")
	}
	return s.FindStoryByIDFn(ctx, id)
}

// SaveStoryEdit calls SaveStoryEditFn.
func (s *EditorService) SaveStoryEdit(ctx context.Context, actor masthead.Actor, st *masthead.Story) error {
	if s.SaveStoryEditFn == nil {
		unsetEditor("SaveStoryEdit")
	}
	return s.SaveStoryEditFn(ctx, actor, st)
}

// StoryRevisions calls StoryRevisionsFn.
func (s *EditorService) StoryRevisions(ctx context.Context, storyID int64) ([]*masthead.StoryRevision, error) {
	if s.StoryRevisionsFn == nil {
		unsetEditor("StoryRevisions")
	}
	return s.StoryRevisionsFn(ctx, storyID)
}

// FindRevision calls FindRevisionFn.
func (s *EditorService) FindRevision(ctx context.Context, id int64) (*masthead.StoryRevision, error) {
	if s.FindRevisionFn == nil {
		unsetEditor("FindRevision")
	}
	return s.FindRevisionFn(ctx, id)
}

// RestoreRevision calls RestoreRevisionFn.
func (s *EditorService) RestoreRevision(ctx context.Context, actor masthead.Actor, storyID, revisionID int64) (*masthead.Story, error) {
	if s.RestoreRevisionFn == nil {
		unsetEditor("RestoreRevision")
	}
	return s.RestoreRevisionFn(ctx, actor, storyID, revisionID)
}

// ResolveSlug calls ResolveSlugFn.
func (s *EditorService) ResolveSlug(ctx context.Context, oldSlug string) (string, error) {
	if s.ResolveSlugFn == nil {
		unsetEditor("ResolveSlug")
	}
	return s.ResolveSlugFn(ctx, oldSlug)
}

// FindAuthors calls FindAuthorsFn.
func (s *EditorService) FindAuthors(ctx context.Context) ([]*masthead.Author, error) {
	if s.FindAuthorsFn == nil {
		unsetEditor("FindAuthors")
	}
	return s.FindAuthorsFn(ctx)
}

// SaveAuthorEdit calls SaveAuthorEditFn.
func (s *EditorService) SaveAuthorEdit(ctx context.Context, actor masthead.Actor, a *masthead.Author) error {
	if s.SaveAuthorEditFn == nil {
		unsetEditor("SaveAuthorEdit")
	}
	return s.SaveAuthorEditFn(ctx, actor, a)
}

// SaveSectionEdit calls SaveSectionEditFn.
func (s *EditorService) SaveSectionEdit(ctx context.Context, actor masthead.Actor, sec *masthead.Section) error {
	if s.SaveSectionEditFn == nil {
		unsetEditor("SaveSectionEdit")
	}
	return s.SaveSectionEditFn(ctx, actor, sec)
}
