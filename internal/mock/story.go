// Package mock provides fakes of the masthead domain interfaces for tests.
//
// Each fake has one function field per interface method, named after the
// method with an Fn suffix. A method whose field is nil panics with a message
// naming it, so a test that calls something unexpected fails loudly.
package mock

import (
	"context"

	"masthead"
)

// Compile-time check that StoryService implements the domain interface.
var _ masthead.StoryService = (*StoryService)(nil)

// StoryService is a fake masthead.StoryService whose methods call the
// corresponding function fields.
type StoryService struct {
	FindStoryBySlugFn     func(ctx context.Context, slug string) (*masthead.Story, error)
	FindStoryForEditingFn func(ctx context.Context, slug string) (*masthead.Story, error)
	FindStoriesFn         func(ctx context.Context, filter masthead.StoryFilter) (*masthead.StoryPage, error)
	FindLatestBySectionFn func(ctx context.Context, perSection int) (map[string][]*masthead.Story, error)
	ListStoryRefsFn       func(ctx context.Context) ([]masthead.StoryRef, error)
	SearchStoriesFn       func(ctx context.Context, query string, limit int) ([]masthead.SearchResult, error)
	SaveStoryFn           func(ctx context.Context, s *masthead.Story) error
	FindSectionsFn        func(ctx context.Context) ([]*masthead.Section, error)
	FindSectionBySlugFn   func(ctx context.Context, slug string) (*masthead.Section, error)
	SaveSectionFn         func(ctx context.Context, sec *masthead.Section) error
	FindAuthorBySlugFn    func(ctx context.Context, slug string) (*masthead.Author, error)
	FindTagBySlugFn       func(ctx context.Context, slug string) (*masthead.Tag, error)
	CountStoriesFn        func(ctx context.Context) (int, error)
}

func unset(method string) {
	panic("mock: StoryService." + method + " called but " + method + "Fn is nil")
}

// FindStoryBySlug calls FindStoryBySlugFn.
func (s *StoryService) FindStoryBySlug(ctx context.Context, slug string) (*masthead.Story, error) {
	if s.FindStoryBySlugFn == nil {
		unset("FindStoryBySlug")
	}
	return s.FindStoryBySlugFn(ctx, slug)
}

// FindStoryForEditing calls FindStoryForEditingFn.
func (s *StoryService) FindStoryForEditing(ctx context.Context, slug string) (*masthead.Story, error) {
	if s.FindStoryForEditingFn == nil {
		unset("FindStoryForEditing")
	}
	return s.FindStoryForEditingFn(ctx, slug)
}

// FindStories calls FindStoriesFn.
func (s *StoryService) FindStories(ctx context.Context, filter masthead.StoryFilter) (*masthead.StoryPage, error) {
	if s.FindStoriesFn == nil {
		unset("FindStories")
	}
	return s.FindStoriesFn(ctx, filter)
}

// FindLatestBySection calls FindLatestBySectionFn.
func (s *StoryService) FindLatestBySection(ctx context.Context, perSection int) (map[string][]*masthead.Story, error) {
	if s.FindLatestBySectionFn == nil {
		unset("FindLatestBySection")
	}
	return s.FindLatestBySectionFn(ctx, perSection)
}

// ListStoryRefs calls ListStoryRefsFn.
func (s *StoryService) ListStoryRefs(ctx context.Context) ([]masthead.StoryRef, error) {
	if s.ListStoryRefsFn == nil {
		unset("ListStoryRefs")
	}
	return s.ListStoryRefsFn(ctx)
}

// SearchStories calls SearchStoriesFn.
func (s *StoryService) SearchStories(ctx context.Context, query string, limit int) ([]masthead.SearchResult, error) {
	if s.SearchStoriesFn == nil {
		unset("SearchStories")
	}
	return s.SearchStoriesFn(ctx, query, limit)
}

// SaveStory calls SaveStoryFn.
func (s *StoryService) SaveStory(ctx context.Context, story *masthead.Story) error {
	if s.SaveStoryFn == nil {
		unset("SaveStory")
	}
	return s.SaveStoryFn(ctx, story)
}

// FindSections calls FindSectionsFn.
func (s *StoryService) FindSections(ctx context.Context) ([]*masthead.Section, error) {
	if s.FindSectionsFn == nil {
		unset("FindSections")
	}
	return s.FindSectionsFn(ctx)
}

// FindSectionBySlug calls FindSectionBySlugFn.
func (s *StoryService) FindSectionBySlug(ctx context.Context, slug string) (*masthead.Section, error) {
	if s.FindSectionBySlugFn == nil {
		unset("FindSectionBySlug")
	}
	return s.FindSectionBySlugFn(ctx, slug)
}

// SaveSection calls SaveSectionFn.
func (s *StoryService) SaveSection(ctx context.Context, sec *masthead.Section) error {
	if s.SaveSectionFn == nil {
		unset("SaveSection")
	}
	return s.SaveSectionFn(ctx, sec)
}

// FindAuthorBySlug calls FindAuthorBySlugFn.
func (s *StoryService) FindAuthorBySlug(ctx context.Context, slug string) (*masthead.Author, error) {
	if s.FindAuthorBySlugFn == nil {
		unset("FindAuthorBySlug")
	}
	return s.FindAuthorBySlugFn(ctx, slug)
}

// FindTagBySlug calls FindTagBySlugFn.
func (s *StoryService) FindTagBySlug(ctx context.Context, slug string) (*masthead.Tag, error) {
	if s.FindTagBySlugFn == nil {
		unset("FindTagBySlug")
	}
	return s.FindTagBySlugFn(ctx, slug)
}

// CountStories calls CountStoriesFn.
func (s *StoryService) CountStories(ctx context.Context) (int, error) {
	if s.CountStoriesFn == nil {
		unset("CountStories")
	}
	return s.CountStoriesFn(ctx)
}
