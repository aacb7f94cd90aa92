package masthead

import (
	"context"
	"time"
)

// StoryRevision is one saved version of a story. Every save in the story
// editor keeps one, so any two can be compared and any one restored.
type StoryRevision struct {
	ID      int64
	StoryID int64
	// Number counts the story's revisions from 1.
	Number int
	// Story is the story's content at this revision: headline, slug, dek,
	// body and its format, section, authors, tags, access, comments,
	// status and publication time.
	Story *Story
	// ActorID and ActorName are who saved it.
	ActorID   int64
	ActorName string
	CreatedAt time.Time
}

// EditorFilter selects stories in the editor's list, newest change first.
type EditorFilter struct {
	// Status is "" for every status.
	Status StoryStatus
	// Query matches the headline.
	Query string
	// After is the cursor of the previous page.
	After string
	Limit int
}

// EditorPage is a page of the editor's story list.
type EditorPage struct {
	Stories []*Story
	Next    string
}

// EditorService is the story editor's storage (PermStories): every save is
// kept as a revision and written to the audit log in one transaction.
type EditorService interface {
	// FindEditorStories lists stories in any status.
	FindEditorStories(ctx context.Context, f EditorFilter) (*EditorPage, error)
	// FindStoryByID returns a story in any status.
	FindStoryByID(ctx context.Context, id int64) (*Story, error)
	// SaveStoryEdit creates (s.ID == 0) or updates a story, keeps a
	// revision, and, when the slug changes, keeps the old slug
	// redirecting to the new one.
	SaveStoryEdit(ctx context.Context, actor Actor, s *Story) error
	// StoryRevisions returns a story's revisions, newest first.
	StoryRevisions(ctx context.Context, storyID int64) ([]*StoryRevision, error)
	// FindRevision returns one revision.
	FindRevision(ctx context.Context, id int64) (*StoryRevision, error)
	// RestoreRevision saves the revision's content as the story's newest
	// revision.
	RestoreRevision(ctx context.Context, actor Actor, storyID, revisionID int64) (*Story, error)
	// ResolveSlug returns the current slug of a story that had slug
	// before, or ENOTFOUND.
	ResolveSlug(ctx context.Context, oldSlug string) (string, error)
	// FindAuthors lists every author by name.
	FindAuthors(ctx context.Context) ([]*Author, error)
	// SaveAuthorEdit and SaveSectionEdit create or update an author or a
	// section by slug, with an audit entry.
	SaveAuthorEdit(ctx context.Context, actor Actor, a *Author) error
	SaveSectionEdit(ctx context.Context, actor Actor, sec *Section) error
}
