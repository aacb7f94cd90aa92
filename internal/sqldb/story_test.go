package sqldb_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"masthead"
	"masthead/internal/sqldb"
)

// newStory returns a valid published story in World by Ann Reporter,
// tagged Politics.
func newStory(slug string, published time.Time, mods ...func(*masthead.Story)) *masthead.Story {
	s := &masthead.Story{
		Slug:        slug,
		Headline:    "Headline of " + slug,
		Dek:         "Dek of " + slug,
		Body:        "First paragraph of " + slug + ".\n\nSecond & last.",
		BodyFormat:  masthead.FormatText,
		Section:     masthead.Section{Slug: "world", Name: "World"},
		Authors:     []masthead.Author{{Name: "Ann Reporter"}},
		Tags:        []masthead.Tag{{Name: "Politics"}},
		Status:      masthead.StatusPublished,
		Access:      masthead.AccessFree,
		Comments:    masthead.CommentsOpen,
		PublishedAt: published,
	}
	for _, m := range mods {
		m(s)
	}
	return s
}

func save(t *testing.T, svc *sqldb.StoryService, s *masthead.Story) *masthead.Story {
	t.Helper()
	if err := svc.SaveStory(context.Background(), s); err != nil {
		t.Fatalf("SaveStory(%q): %v", s.Slug, err)
	}
	return s
}

func slugsOf(stories []*masthead.Story) []string {
	out := []string{}
	for _, s := range stories {
		out = append(out, s.Slug)
	}
	return out
}

func TestSaveAndFindStory(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		svc := sqldb.NewStoryService(db)
		published := epoch.Add(-90 * time.Minute).Add(123456789 * time.Nanosecond)
		s := newStory("", published, func(s *masthead.Story) {
			s.Headline = "  Tokyo's new mayor  "
			s.Authors = []masthead.Author{{Name: "Ann Reporter", Bio: "Covers Tokyo."}, {Name: "Bo Writer"}}
			s.Tags = []masthead.Tag{{Name: "Elections"}, {Name: "Japan"}}
		})
		save(t, svc, s)

		if s.ID == 0 {
			t.Errorf("ID = 0 after SaveStory, want an ID")
		}
		if got, want := s.Slug, "tokyos-new-mayor"; got != want {
			t.Errorf("Slug = %q, want %q", got, want)
		}
		if got, want := s.BodyHTML, "<p>First paragraph of .</p>\n<p>Second &amp; last.</p>\n"; got != want {
			t.Errorf("BodyHTML = %q, want %q", got, want)
		}
		// A story created with a past publication time was last updated
		// when it was published, not when it was stored.
		if !s.CreatedAt.Equal(epoch) || !s.UpdatedAt.Equal(s.PublishedAt) {
			t.Errorf("CreatedAt, UpdatedAt = %v, %v; want %v, %v", s.CreatedAt, s.UpdatedAt, epoch, s.PublishedAt)
		}
		if s.Section.ID == 0 || s.Authors[0].ID == 0 || s.Tags[1].ID == 0 {
			t.Errorf("section, author or tag ID not filled in: %+v %+v %+v", s.Section, s.Authors, s.Tags)
		}

		got, err := svc.FindStoryBySlug(ctx, "tokyos-new-mayor")
		if err != nil {
			t.Fatalf("FindStoryBySlug: %v", err)
		}
		checks := []struct {
			name      string
			got, want any
		}{
			{"ID", got.ID, s.ID},
			{"Headline", got.Headline, "Tokyo's new mayor"},
			{"Dek", got.Dek, s.Dek},
			{"Body", got.Body, s.Body},
			{"BodyFormat", got.BodyFormat, masthead.FormatText},
			{"BodyHTML", got.BodyHTML, s.BodyHTML},
			{"Status", got.Status, masthead.StatusPublished},
			{"Access", got.Access, masthead.AccessFree},
			{"Comments", got.Comments, masthead.CommentsOpen},
			{"CommentCount", got.CommentCount, 0},
			{"PublishedAt", got.PublishedAt, published.Truncate(time.Microsecond)},
			{"PublishedAt as returned by SaveStory", got.PublishedAt, s.PublishedAt},
			{"CreatedAt", got.CreatedAt, epoch},
			{"UpdatedAt of a new story published in the past", got.UpdatedAt, published.Truncate(time.Microsecond)},
			{"Section", got.Section, masthead.Section{ID: s.Section.ID, Slug: "world", Name: "World", Position: 1}},
			{"Authors", fmt.Sprint(got.Authors), fmt.Sprint(s.Authors)},
			{"Author bio", got.Authors[0].Bio, "Covers Tokyo."},
			{"Tags", fmt.Sprint(got.Tags), fmt.Sprint([]masthead.Tag{{ID: s.Tags[0].ID, Slug: "elections", Name: "Elections"}, {ID: s.Tags[1].ID, Slug: "japan", Name: "Japan"}})},
		}
		for _, c := range checks {
			if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
				t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
			}
		}
		if got.PublishedAt.Location() != time.UTC {
			t.Errorf("PublishedAt location = %v, want UTC", got.PublishedAt.Location())
		}

		edit, err := svc.FindStoryForEditing(ctx, "tokyos-new-mayor")
		if err != nil || edit.ID != s.ID || len(edit.Authors) != 2 {
			t.Errorf("FindStoryForEditing = %+v, %v; want the story with 2 authors", edit, err)
		}
		sec, err := svc.FindSectionBySlug(ctx, "world")
		if err != nil || sec.ID != s.Section.ID || sec.Name != "World" {
			t.Errorf("FindSectionBySlug(world) = %+v, %v", sec, err)
		}
		a, err := svc.FindAuthorBySlug(ctx, "bo-writer")
		if err != nil || a.Name != "Bo Writer" || a.ID != s.Authors[1].ID {
			t.Errorf("FindAuthorBySlug(bo-writer) = %+v, %v", a, err)
		}
		tag, err := svc.FindTagBySlug(ctx, "japan")
		if err != nil || tag.Name != "Japan" {
			t.Errorf("FindTagBySlug(japan) = %+v, %v", tag, err)
		}
	})
}

func TestNotFound(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		svc := sqldb.NewStoryService(db)
		save(t, svc, newStory("exists", epoch.Add(-time.Hour)))
		tests := []struct {
			name string
			find func() (any, error)
		}{
			{"story", func() (any, error) { return svc.FindStoryBySlug(ctx, "missing") }},
			{"story for editing", func() (any, error) { return svc.FindStoryForEditing(ctx, "missing") }},
			{"section", func() (any, error) { return svc.FindSectionBySlug(ctx, "missing") }},
			{"author", func() (any, error) { return svc.FindAuthorBySlug(ctx, "missing") }},
			{"tag", func() (any, error) { return svc.FindTagBySlug(ctx, "missing") }},
			{"story with hostile slug", func() (any, error) { return svc.FindStoryBySlug(ctx, "' OR 1=1 --") }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				v, err := tt.find()
				if got, want := errCode(err), masthead.ENOTFOUND; got != want {
					t.Errorf("error code = %q (%v), want %q", got, err, want)
				}
				if masthead.ErrorMessage(err) == masthead.Msg(masthead.MsgInternalError) {
					t.Errorf("message = internal error, want a not-found message")
				}
				if fmt.Sprint(v) != "<nil>" {
					t.Errorf("value = %v, want nil", v)
				}
			})
		}
	})
}

func TestResaveUpdatesInPlace(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		svc := sqldb.NewStoryService(db)
		first := save(t, svc, newStory("same", epoch.Add(-time.Hour), func(s *masthead.Story) {
			s.Headline = "Original glacier headline"
			s.Authors = []masthead.Author{{Name: "Ann Reporter", Bio: "Kept bio."}, {Name: "Bo Writer"}}
		}))

		later := epoch.Add(time.Hour)
		clk.Set(later)
		second := save(t, svc, newStory("same", epoch.Add(-time.Hour), func(s *masthead.Story) {
			s.Headline = "Revised avalanche headline"
			s.Section = masthead.Section{Slug: "world"} // no name: keep "World"
			s.Authors = []masthead.Author{{Name: "Cy Editor"}, {Name: "Ann Reporter"}}
			s.Tags = []masthead.Tag{{Slug: "science"}}
		}))

		if second.ID != first.ID {
			t.Errorf("ID after re-save = %d, want %d", second.ID, first.ID)
		}
		if n, err := svc.CountStories(ctx); err != nil || n != 1 {
			t.Errorf("CountStories() = %d, %v; want 1, nil", n, err)
		}
		got, err := svc.FindStoryBySlug(ctx, "same")
		if err != nil {
			t.Fatalf("FindStoryBySlug: %v", err)
		}
		checks := []struct {
			name      string
			got, want any
		}{
			{"Headline", got.Headline, "Revised avalanche headline"},
			{"CreatedAt", got.CreatedAt, epoch},
			{"UpdatedAt", got.UpdatedAt, later},
			{"returned UpdatedAt", second.UpdatedAt, later},
			{"returned CreatedAt", second.CreatedAt, epoch},
			{"Section name", got.Section.Name, "World"},
			{"Author slugs", got.Authors[0].Slug + " " + got.Authors[1].Slug, "cy-editor ann-reporter"},
			{"kept bio", got.Authors[1].Bio, "Kept bio."},
			{"Tags", fmt.Sprint(got.Tags), fmt.Sprint([]masthead.Tag{{ID: second.Tags[0].ID, Slug: "science", Name: "science"}})},
		}
		for _, c := range checks {
			if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
				t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
			}
		}
		if got, want := countRows(t, db, "story_authors"), 2; got != want {
			t.Errorf("story_authors rows = %d, want %d", got, want)
		}
		if got, want := countRows(t, db, "story_tags"), 1; got != want {
			t.Errorf("story_tags rows = %d, want %d", got, want)
		}

		// The search index follows the update.
		for _, tt := range []struct {
			query string
			want  int
		}{{"avalanche", 1}, {"glacier", 0}} {
			res, err := svc.SearchStories(ctx, tt.query, 10)
			if err != nil || len(res) != tt.want {
				t.Errorf("SearchStories(%q) = %d results, %v; want %d", tt.query, len(res), err, tt.want)
			}
		}
	})
}

func TestSaveStoryInvalidWritesNothing(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		svc := sqldb.NewStoryService(db)
		newSection := func(s *masthead.Story) {
			s.Section = masthead.Section{Slug: "science", Name: "Science"}
			s.Authors = []masthead.Author{{Name: "New Author"}}
			s.Tags = []masthead.Tag{{Name: "New Tag"}}
		}
		tests := []struct {
			name  string
			story *masthead.Story
			field string
		}{
			{"no headline", newStory("a", epoch, newSection, func(s *masthead.Story) { s.Headline = " " }), "headline"},
			{"bad slug", newStory("Bad Slug", epoch, newSection), "slug"},
			{"no body", newStory("b", epoch, newSection, func(s *masthead.Story) { s.Body = "\n" }), "body"},
			{"published without time", newStory("c", time.Time{}, newSection), "published_at"},
			{"bad status", newStory("d", epoch, newSection, func(s *masthead.Story) { s.Status = "gone" }), "status"},
			{"nameless author", newStory("e", epoch, newSection, func(s *masthead.Story) {
				s.Authors = append(s.Authors, masthead.Author{Slug: "x"})
			}), "authors"},
			{"unknown section ID", newStory("f", epoch, func(s *masthead.Story) { s.Section = masthead.Section{ID: 999} }), "section"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := svc.SaveStory(ctx, tt.story)
				if got, want := errCode(err), masthead.EINVALID; got != want {
					t.Errorf("error code = %q (%v), want %q", got, err, want)
				}
				if got := masthead.ErrorField(err); got != tt.field {
					t.Errorf("error field = %q, want %q", got, tt.field)
				}
				if tt.story.ID != 0 {
					t.Errorf("ID = %d after a failed save, want 0", tt.story.ID)
				}
			})
		}
		for _, table := range []string{"stories", "sections", "authors", "tags", "story_authors", "story_tags"} {
			if n := countRows(t, db, table); n != 0 {
				t.Errorf("%s has %d rows after failed saves, want 0", table, n)
			}
		}
		if _, err := svc.FindSectionBySlug(ctx, "science"); errCode(err) != masthead.ENOTFOUND {
			t.Errorf("FindSectionBySlug(science) error = %v, want ENOTFOUND", err)
		}
	})
}

func TestSaveStoryRendererFailureWritesNothing(t *testing.T) {
	forEachEngine(t, func(t *testing.T, url string) {
		ctx := context.Background()
		tests := []struct {
			name     string
			renderer masthead.BodyRenderer
		}{
			{"renderer error", fakeRenderer{err: errRender}},
			{"no renderer", nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				db := openDB(t, url, &fakeClock{t: epoch}, func(o *sqldb.Options) { o.Renderer = tt.renderer })
				if err := db.Migrate(ctx); err != nil {
					t.Fatalf("Migrate: %v", err)
				}
				svc := sqldb.NewStoryService(db)
				if err := svc.SaveStory(ctx, newStory("x", epoch)); err == nil {
					t.Fatalf("SaveStory = nil, want an error")
				}
				if n := countRows(t, db, "sections"); n != 0 {
					t.Errorf("sections rows = %d, want 0", n)
				}
				if n, _ := svc.CountStories(ctx); n != 0 {
					t.Errorf("CountStories() = %d, want 0", n)
				}
			})
		}
	})
}

func TestVisibility(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		svc := sqldb.NewStoryService(db)
		word := func(s *masthead.Story) { s.Body += "\n\nThe zephyr blew." }
		save(t, svc, newStory("live", epoch.Add(-time.Hour), word))
		save(t, svc, newStory("draft", time.Time{}, word, func(s *masthead.Story) { s.Status = masthead.StatusDraft }))
		save(t, svc, newStory("dated-draft", epoch.Add(-2*time.Hour), word, func(s *masthead.Story) { s.Status = masthead.StatusDraft }))
		goLive := epoch.Add(30 * time.Minute)
		save(t, svc, newStory("scheduled", goLive, word, func(s *masthead.Story) { s.Status = masthead.StatusScheduled }))

		check := func(t *testing.T, visible []string) {
			t.Helper()
			for _, slug := range []string{"live", "draft", "dated-draft", "scheduled"} {
				want := slices.Contains(visible, slug)
				_, err := svc.FindStoryBySlug(ctx, slug)
				if want && err != nil {
					t.Errorf("FindStoryBySlug(%q) = %v, want the story", slug, err)
				}
				if !want && errCode(err) != masthead.ENOTFOUND {
					t.Errorf("FindStoryBySlug(%q) error = %v, want ENOTFOUND", slug, err)
				}
				if _, err := svc.FindStoryForEditing(ctx, slug); err != nil {
					t.Errorf("FindStoryForEditing(%q) = %v, want the story", slug, err)
				}
			}
			want := fmt.Sprint(visible)

			page, err := svc.FindStories(ctx, masthead.StoryFilter{})
			if err != nil {
				t.Fatalf("FindStories: %v", err)
			}
			if got := fmt.Sprint(slugsOf(page.Stories)); got != want {
				t.Errorf("FindStories = %s, want %s", got, want)
			}
			latest, err := svc.FindLatestBySection(ctx, 10)
			if err != nil {
				t.Fatalf("FindLatestBySection: %v", err)
			}
			if got := fmt.Sprint(slugsOf(latest["world"])); got != want {
				t.Errorf("FindLatestBySection[world] = %s, want %s", got, want)
			}
			refs, err := svc.ListStoryRefs(ctx)
			if err != nil {
				t.Fatalf("ListStoryRefs: %v", err)
			}
			var refSlugs []string
			for _, r := range refs {
				refSlugs = append(refSlugs, r.Slug)
			}
			if got := fmt.Sprint(refSlugs); got != want {
				t.Errorf("ListStoryRefs = %s, want %s", got, want)
			}
			res, err := svc.SearchStories(ctx, "zephyr", 10)
			if err != nil {
				t.Fatalf("SearchStories: %v", err)
			}
			var found []string
			for _, r := range res {
				found = append(found, r.Story.Slug)
			}
			slices.Sort(found)
			sorted := slices.Sorted(slices.Values(visible))
			if got := fmt.Sprint(found); got != fmt.Sprint(sorted) {
				t.Errorf("SearchStories(zephyr) = %s, want %s", got, fmt.Sprint(sorted))
			}
		}

		t.Run("before the scheduled time", func(t *testing.T) { check(t, []string{"live"}) })
		clk.Set(goLive)
		t.Run("at the scheduled time", func(t *testing.T) { check(t, []string{"scheduled", "live"}) })
		clk.Set(goLive.Add(24 * time.Hour))
		t.Run("a day later", func(t *testing.T) { check(t, []string{"scheduled", "live"}) })
		if n, err := svc.CountStories(ctx); err != nil || n != 4 {
			t.Errorf("CountStories() = %d, %v; want 4, nil", n, err)
		}
	})
}

func TestFindStoriesPagination(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		svc := sqldb.NewStoryService(db)
		// 25 stories in groups of three sharing a publication time, in two
		// sections; odd ones tagged "odd" and written by Bo Writer.
		var all []*masthead.Story
		for i := range 25 {
			published := epoch.Add(-time.Duration(i/3) * time.Hour).Add(-time.Duration(i/3) * 7 * time.Nanosecond)
			s := newStory(fmt.Sprintf("story-%02d", i), published, func(s *masthead.Story) {
				if i%2 == 1 {
					s.Section = masthead.Section{Slug: "sport", Name: "Sport"}
					s.Tags = append(s.Tags, masthead.Tag{Name: "Odd"})
					s.Authors = []masthead.Author{{Name: "Bo Writer"}, {Name: "Ann Reporter"}}
				}
			})
			all = append(all, save(t, svc, s))
		}
		// Newest first; ties broken by ID, highest first.
		slices.SortFunc(all, func(a, b *masthead.Story) int {
			if c := b.PublishedAt.Compare(a.PublishedAt); c != 0 {
				return c
			}
			return int(b.ID - a.ID)
		})
		filter := func(keep func(i int, s *masthead.Story) bool) []string {
			var out []string
			for i, s := range all {
				if keep(i, s) {
					out = append(out, s.Slug)
				}
			}
			return out
		}
		isOdd := func(_ int, s *masthead.Story) bool { return s.Section.Slug == "sport" }

		tests := []struct {
			name   string
			filter masthead.StoryFilter
			want   []string
		}{
			{"all, pages of 4", masthead.StoryFilter{Limit: 4}, filter(func(int, *masthead.Story) bool { return true })},
			{"all, pages of 3", masthead.StoryFilter{Limit: 3}, filter(func(int, *masthead.Story) bool { return true })},
			{"all, one page of 100", masthead.StoryFilter{Limit: 1000}, filter(func(int, *masthead.Story) bool { return true })},
			{"section", masthead.StoryFilter{Section: "sport", Limit: 5}, filter(isOdd)},
			{"other section", masthead.StoryFilter{Section: "world", Limit: 5}, filter(func(i int, s *masthead.Story) bool { return !isOdd(i, s) })},
			{"tag", masthead.StoryFilter{Tag: "odd", Limit: 2}, filter(isOdd)},
			{"common tag", masthead.StoryFilter{Tag: "politics", Limit: 7}, filter(func(int, *masthead.Story) bool { return true })},
			{"author", masthead.StoryFilter{Author: "bo-writer", Limit: 4}, filter(isOdd)},
			{"unknown section", masthead.StoryFilter{Section: "nope"}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var got []string
				f := tt.filter
				for pages := 0; ; pages++ {
					if pages > 30 {
						t.Fatalf("more than 30 pages")
					}
					page, err := svc.FindStories(ctx, f)
					if err != nil {
						t.Fatalf("FindStories(%+v): %v", f, err)
					}
					limit := min(f.Limit, 100)
					if limit == 0 {
						limit = 20
					}
					if len(page.Stories) > limit {
						t.Errorf("page has %d stories, want at most %d", len(page.Stories), limit)
					}
					for _, s := range page.Stories {
						if len(s.Authors) == 0 || len(s.Tags) == 0 || s.Section.Name == "" {
							t.Errorf("story %s lacks authors, tags or section: %+v", s.Slug, s)
						}
					}
					got = append(got, slugsOf(page.Stories)...)
					if page.Next == nil {
						break
					}
					// Go through the opaque form, as the web does.
					next, err := masthead.ParseStoryCursor(page.Next.Encode())
					if err != nil {
						t.Fatalf("ParseStoryCursor: %v", err)
					}
					f.After = next
				}
				if fmt.Sprint(got) != fmt.Sprint(tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
					t.Errorf("slugs across pages =\n%v\nwant\n%v", got, tt.want)
				}
			})
		}

		t.Run("default limit", func(t *testing.T) {
			page, err := svc.FindStories(ctx, masthead.StoryFilter{})
			if err != nil {
				t.Fatalf("FindStories: %v", err)
			}
			if len(page.Stories) != 20 || page.Next == nil {
				t.Errorf("got %d stories, Next %v; want 20 and a cursor", len(page.Stories), page.Next)
			}
		})
		t.Run("exact last page has no Next", func(t *testing.T) {
			page, err := svc.FindStories(ctx, masthead.StoryFilter{Limit: 25})
			if err != nil {
				t.Fatalf("FindStories: %v", err)
			}
			if len(page.Stories) != 25 || page.Next != nil {
				t.Errorf("got %d stories, Next %v; want 25 and nil", len(page.Stories), page.Next)
			}
		})
	})
}

func TestFindLatestBySection(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		svc := sqldb.NewStoryService(db)
		for _, sec := range []string{"world", "sport", "arts"} {
			for i := range 4 {
				save(t, svc, newStory(fmt.Sprintf("%s-%d", sec, i), epoch.Add(-time.Duration(i)*time.Minute), func(s *masthead.Story) {
					s.Section = masthead.Section{Slug: sec}
				}))
			}
		}
		save(t, svc, newStory("arts-draft", epoch, func(s *masthead.Story) {
			s.Section = masthead.Section{Slug: "arts"}
			s.Status = masthead.StatusDraft
		}))
		if err := svc.SaveSection(ctx, &masthead.Section{Slug: "empty", Name: "Empty"}); err != nil {
			t.Fatalf("SaveSection: %v", err)
		}

		tests := []struct {
			name       string
			perSection int
			want       map[string]string
		}{
			{"two each", 2, map[string]string{"world": "[world-0 world-1]", "sport": "[sport-0 sport-1]", "arts": "[arts-0 arts-1]"}},
			{"more than there are", 9, map[string]string{
				"world": "[world-0 world-1 world-2 world-3]", "sport": "[sport-0 sport-1 sport-2 sport-3]", "arts": "[arts-0 arts-1 arts-2 arts-3]"}},
			{"zero means one", 0, map[string]string{"world": "[world-0]", "sport": "[sport-0]", "arts": "[arts-0]"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := svc.FindLatestBySection(ctx, tt.perSection)
				if err != nil {
					t.Fatalf("FindLatestBySection: %v", err)
				}
				if len(got) != len(tt.want) {
					t.Errorf("got %d sections, want %d", len(got), len(tt.want))
				}
				for sec, want := range tt.want {
					if g := fmt.Sprint(slugsOf(got[sec])); g != want {
						t.Errorf("[%s] = %s, want %s", sec, g, want)
					}
					for _, s := range got[sec] {
						if len(s.Authors) != 1 || len(s.Tags) != 1 || s.Section.Slug != sec {
							t.Errorf("story %s: authors %v, tags %v, section %q", s.Slug, s.Authors, s.Tags, s.Section.Slug)
						}
					}
				}
			})
		}
	})
}

func TestSections(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		svc := sqldb.NewStoryService(db)
		for _, sec := range []*masthead.Section{
			{Name: "World", Position: 2},
			{Name: "Opinion", Position: 3},
			{Slug: "uk", Name: "United Kingdom", Position: 1, Description: "Home news"},
		} {
			if err := svc.SaveSection(ctx, sec); err != nil {
				t.Fatalf("SaveSection(%+v): %v", sec, err)
			}
			if sec.ID == 0 {
				t.Errorf("SaveSection(%q) left ID 0", sec.Name)
			}
		}
		// Update by slug.
		if err := svc.SaveSection(ctx, &masthead.Section{Slug: "opinion", Name: "Comment", Position: 0}); err != nil {
			t.Fatalf("SaveSection(update): %v", err)
		}
		// A story in a new section puts it last.
		save(t, svc, newStory("s", epoch, func(s *masthead.Story) { s.Section = masthead.Section{Name: "Science"} }))

		secs, err := svc.FindSections(ctx)
		if err != nil {
			t.Fatalf("FindSections: %v", err)
		}
		var got []string
		for _, s := range secs {
			got = append(got, fmt.Sprintf("%s:%s:%d", s.Slug, s.Name, s.Position))
		}
		if g, want := strings.Join(got, " "), "opinion:Comment:0 uk:United Kingdom:1 world:World:2 science:Science:3"; g != want {
			t.Errorf("FindSections = %s, want %s", g, want)
		}
		uk, err := svc.FindSectionBySlug(ctx, "uk")
		if err != nil || uk.Description != "Home news" {
			t.Errorf("FindSectionBySlug(uk) = %+v, %v", uk, err)
		}

		invalid := []struct {
			name string
			sec  masthead.Section
		}{
			{"no name", masthead.Section{Slug: "x"}},
			{"bad slug", masthead.Section{Slug: "Bad Slug", Name: "Bad"}},
			{"unsluggable name", masthead.Section{Name: "日本"}},
		}
		for _, tt := range invalid {
			t.Run(tt.name, func(t *testing.T) {
				if err := svc.SaveSection(ctx, &tt.sec); errCode(err) != masthead.EINVALID {
					t.Errorf("SaveSection error = %v, want EINVALID", err)
				}
			})
		}
	})
}

func TestConcurrentWrites(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		svc := sqldb.NewStoryService(db)
		const writers, each = 20, 5
		var wg sync.WaitGroup
		errs := make(chan error, writers*each*2)
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					// Shared section, author and tag upserts contend on
					// the same rows, in different orders; every writer
					// also re-saves one story.
					s := newStory(fmt.Sprintf("w%d-%d", w, i), epoch.Add(-time.Minute), func(s *masthead.Story) {
						s.Section = masthead.Section{Slug: fmt.Sprintf("sec-%d", i), Name: "Section"}
						s.Tags = []masthead.Tag{{Name: "Shared"}, {Name: "Other"}, {Name: fmt.Sprintf("T%d", w)}}
						if w%2 == 1 { // the same tags in another order
							s.Tags[0], s.Tags[1] = s.Tags[1], s.Tags[0]
						}
					})
					if err := svc.SaveStory(ctx, s); err != nil {
						errs <- err
					}
					if err := svc.SaveStory(ctx, newStory("contended", epoch.Add(-time.Minute))); err != nil {
						errs <- err
					}
				}
			})
			wg.Go(func() {
				for range each {
					if _, err := svc.FindStories(ctx, masthead.StoryFilter{Tag: "shared"}); err != nil {
						errs <- err
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("concurrent operation: %v", err)
		}
		if n, err := svc.CountStories(ctx); err != nil || n != writers*each+1 {
			t.Errorf("CountStories() = %d, %v; want %d", n, err, writers*each+1)
		}
	})
}
