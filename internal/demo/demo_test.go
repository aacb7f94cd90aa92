package demo

import (
	"strings"
	"testing"
	"time"

	"masthead"
	"masthead/internal/markdown"
)

func TestStories(t *testing.T) {
	now := time.Date(2031, 7, 4, 15, 42, 10, 0, time.UTC)
	stories, err := Stories(now)
	if err != nil {
		t.Fatalf("Stories: %v", err)
	}
	sections := map[string]bool{}
	for _, sec := range Sections() {
		sections[sec.Slug] = true
	}
	if got, want := len(sections), 4; got != want {
		t.Errorf("sections = %d, want %d", got, want)
	}

	r := markdown.New()
	access := map[masthead.Access]int{}
	statuses := map[masthead.StoryStatus]int{}
	perSection := map[string]int{}
	tagUses := map[string]int{}
	authors := map[string]bool{}
	slugs := map[string]bool{}
	visible, closed := 0, 0
	for _, s := range stories {
		t.Run(s.Slug, func(t *testing.T) {
			if err := s.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
			if slugs[s.Slug] {
				t.Errorf("duplicate slug %q", s.Slug)
			}
			slugs[s.Slug] = true
			if !sections[s.Section.Slug] {
				t.Errorf("section %q is not one of Sections()", s.Section.Slug)
			}
			if len(s.Authors) == 0 {
				t.Error("no byline")
			}
			if n := len(strings.Fields(s.Body)); n < 300 || n > 600 {
				t.Errorf("body has %d words, want 300-600", n)
			}
			if s.Dek == "" {
				t.Error("no dek")
			}
			html, err := r.RenderBody(s.BodyFormat, s.Body)
			if err != nil || !strings.Contains(html, "<p>") {
				t.Errorf("RenderBody = %.80q, %v", html, err)
			}
		})
		statuses[s.Status]++
		for _, a := range s.Authors {
			authors[a.Slug] = true
		}
		for _, tag := range s.Tags {
			tagUses[tag.Slug]++
		}
		if !s.Visible(now) {
			continue
		}
		visible++
		access[s.Access]++
		perSection[s.Section.Slug]++
		if s.Comments == masthead.CommentsClosed {
			closed++
		}
		if s.PublishedAt.Before(now.Add(-7 * 24 * time.Hour)) {
			t.Errorf("%s: published %v, more than a week before now", s.Slug, s.PublishedAt)
		}
	}

	if visible < 12 {
		t.Errorf("visible stories = %d, want at least 12", visible)
	}
	if got := access[masthead.AccessMetered]; got < 5 {
		t.Errorf("metered = %d, want at least 5", got)
	}
	if got := access[masthead.AccessPremium]; got < 2 {
		t.Errorf("premium = %d, want at least 2", got)
	}
	if got := access[masthead.AccessFree]; got < 1 {
		t.Errorf("free = %d, want at least 1", got)
	}
	if closed < 1 {
		t.Errorf("stories with comments closed = %d, want at least 1", closed)
	}
	if len(perSection) != 4 {
		t.Errorf("sections with visible stories = %v, want all 4", perSection)
	}
	if len(authors) < 4 {
		t.Errorf("authors = %d, want several", len(authors))
	}
	shared := 0
	for _, n := range tagUses {
		if n > 1 {
			shared++
		}
	}
	if shared < 3 {
		t.Errorf("tags shared by two or more stories = %d, want at least 3 (%v)", shared, tagUses)
	}

	if got, want := statuses[masthead.StatusDraft], 1; got != want {
		t.Errorf("drafts = %d, want %d", got, want)
	}
	if got, want := statuses[masthead.StatusScheduled], 1; got != want {
		t.Errorf("scheduled = %d, want %d", got, want)
	}
	for _, s := range stories {
		switch s.Status {
		case masthead.StatusScheduled:
			if d := s.PublishedAt.Sub(now); d < 24*time.Hour || d > 7*24*time.Hour {
				t.Errorf("scheduled story %s is %v ahead, want a few days", s.Slug, d)
			}
			if s.Visible(now) {
				t.Errorf("scheduled story %s is visible now", s.Slug)
			}
		case masthead.StatusDraft:
			if s.Visible(now) || s.Visible(now.Add(1000*time.Hour)) {
				t.Errorf("draft %s is visible", s.Slug)
			}
		}
	}
}

func TestStoriesTimesFollowNow(t *testing.T) {
	a, err := Stories(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Stories(time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		if a[i].PublishedAt.IsZero() {
			continue
		}
		if got, want := b[i].PublishedAt.Sub(a[i].PublishedAt), 24*time.Hour; got != want {
			t.Errorf("%s moved by %v, want %v", a[i].Slug, got, want)
		}
	}
}
