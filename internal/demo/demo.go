// Package demo holds the demo newsroom that `masthead serve --demo` puts
// into an empty database: four sections and a set of original, fictional
// stories about the invented city of Port Alder.
//
// The stories are Markdown files with front matter in stories/, embedded in
// the binary and read with package storyfile, so they double as examples of
// the import format. Their published times are written as absolute times
// around a fixed moment, 2025-01-15 12:00 UTC; Stories moves every story
// by the distance from that moment to now, so the newsroom always looks current: a story
// published two hours before that moment appears two hours old, and the one
// scheduled three days after it stays three days in the future.
package demo

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"time"

	"masthead"
	"masthead/internal/storyfile"
)

// anchor is the moment the demo stories' published times are written
// around (2025-01-15 12:00 UTC); Stories maps it onto its now. It is never
// written.
var anchor = time.Date(2025, 1, 15, 12, 0, 0, 0, time.UTC)

//go:embed stories/*.md
var storyFiles embed.FS

// Sections returns the demo newsroom's sections in navigation order. Each
// call returns new values that the caller may change.
func Sections() []*masthead.Section {
	return []*masthead.Section{
		{Slug: "news", Name: "News", Position: 1,
			Description: "Port Alder and the nation: council decisions, public services, courts and the weather."},
		{Slug: "business", Name: "Business", Position: 2,
			Description: "Companies, jobs, housing and the cost of living, from the harbour to the high street."},
		{Slug: "culture", Name: "Culture", Position: 3,
			Description: "Theatre, books, music and the people who make the city's cultural life."},
		{Slug: "sport", Name: "Sport", Position: 4,
			Description: "Alder Rovers, grassroots clubs, running and everything else played in and around the city."},
	}
}

// Stories returns the demo stories with their times moved so that the
// anchor moment falls on now (truncated to the minute). Most are published; one is
// scheduled a few days after now and one is a draft, to show that neither
// reaches readers. They are normalised and validated but not rendered;
// StoryService.SaveStory does that.
func Stories(now time.Time) ([]*masthead.Story, error) {
	names, err := fs.Glob(storyFiles, "stories/*.md")
	if err != nil {
		return nil, fmt.Errorf("demo: stories: %w", err)
	}
	sort.Strings(names)
	shift := now.Truncate(time.Minute).Sub(anchor)
	out := make([]*masthead.Story, 0, len(names))
	for _, name := range names {
		data, err := storyFiles.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("demo: stories: %w", err)
		}
		s, err := storyfile.Parse(path.Base(name), data, storyfile.Options{Now: anchor})
		if err != nil {
			return nil, fmt.Errorf("demo: stories: %w", err)
		}
		if !s.PublishedAt.IsZero() {
			s.PublishedAt = s.PublishedAt.Add(shift)
		}
		out = append(out, s)
	}
	return out, nil
}
