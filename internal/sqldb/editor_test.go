package sqldb_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"masthead"
	"masthead/internal/sqldb"
)

// editorFixture is an editor service with a section and staff actors.
type editorFixture struct {
	svc     *sqldb.EditorService
	stories *sqldb.StoryService
	audit   *sqldb.AuditService
	editor  masthead.Actor
	mod     masthead.Actor
	world   *masthead.Section
}

func newEditorFixture(t *testing.T, db *sqldb.DB) *editorFixture {
	t.Helper()
	ctx := context.Background()
	accounts := sqldb.NewAccountService(db, &fakeHasher{}, masthead.AccountSettings{})
	ed, err := accounts.CreateStaff(ctx, "editor@example.com", "a long staff password", masthead.RoleEditor)
	if err != nil {
		t.Fatalf("CreateStaff: %v", err)
	}
	mod, err := accounts.CreateStaff(ctx, "mod@example.com", "a long staff password", masthead.RoleModerator)
	if err != nil {
		t.Fatalf("CreateStaff: %v", err)
	}
	stories := sqldb.NewStoryService(db)
	world := &masthead.Section{Slug: "world", Name: "World", Position: 1}
	if err := stories.SaveSection(ctx, world); err != nil {
		t.Fatalf("SaveSection: %v", err)
	}
	return &editorFixture{
		svc:     sqldb.NewEditorService(db, fakeRenderer{}),
		stories: stories,
		audit:   sqldb.NewAuditService(db),
		editor:  masthead.Actor{ID: ed.ID, Role: ed.Role, IP: "192.0.2.1"},
		mod:     masthead.Actor{ID: mod.ID, Role: mod.Role, IP: "192.0.2.2"},
		world:   world,
	}
}

// draft returns a new draft in the fixture's section.
func (f *editorFixture) draft(headline string) *masthead.Story {
	return &masthead.Story{
		Headline: headline, Dek: "A dek.", Body: "Line one.\nLine two.\n", BodyFormat: masthead.FormatMarkdown,
		Section: masthead.Section{ID: f.world.ID},
		Authors: []masthead.Author{{Name: "Ann Reporter"}}, Tags: []masthead.Tag{{Name: "Rail"}},
		Status: masthead.StatusDraft, Access: masthead.AccessFree, Comments: masthead.CommentsOpen,
		CommentsCloseDays: 5, Premoderated: true,
	}
}

func TestEditorSaveAndSlugRedirect(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newEditorFixture(t, db)

		s := f.draft("Tokyo opens a new line")
		if err := f.svc.SaveStoryEdit(ctx, f.editor, s); err != nil {
			t.Fatalf("SaveStoryEdit (create): %v", err)
		}
		if s.ID == 0 || s.Slug != "tokyo-opens-a-new-line" || s.BodyHTML == "" {
			t.Fatalf("created: got ID %d slug %q html %q", s.ID, s.Slug, s.BodyHTML)
		}
		if _, err := f.stories.FindStoryBySlug(ctx, s.Slug); masthead.ErrorCode(err) != masthead.ENOTFOUND {
			t.Errorf("draft visible to readers: got %v, want ENOTFOUND", err)
		}

		got, err := f.svc.FindStoryByID(ctx, s.ID)
		if err != nil {
			t.Fatalf("FindStoryByID: %v", err)
		}
		if got.CommentsCloseDays != 5 || !got.Premoderated || len(got.Authors) != 1 || got.Authors[0].Name != "Ann Reporter" || got.Tags[0].Slug != "rail" {
			t.Errorf("stored: got close %d premod %v authors %+v tags %+v", got.CommentsCloseDays, got.Premoderated, got.Authors, got.Tags)
		}

		// Publish with a new slug: the old one redirects.
		clk.Set(epoch.Add(time.Minute))
		got.Slug = "tokyo-line"
		got.Status = masthead.StatusPublished
		got.PublishedAt = clk.Now()
		if err := f.svc.SaveStoryEdit(ctx, f.editor, got); err != nil {
			t.Fatalf("SaveStoryEdit (publish): %v", err)
		}
		if _, err := f.stories.FindStoryBySlug(ctx, "tokyo-opens-a-new-line"); masthead.ErrorCode(err) != masthead.ENOTFOUND {
			t.Errorf("FindStoryBySlug(old): got %v, want ENOTFOUND", err)
		}
		read, err := f.stories.FindStoryBySlug(ctx, "tokyo-line")
		if err != nil {
			t.Fatalf("FindStoryBySlug(new): %v", err)
		}
		if read.ID != s.ID || !read.Premoderated || read.CommentsCloseDays != 5 {
			t.Errorf("reader story: got ID %d premod %v close %d", read.ID, read.Premoderated, read.CommentsCloseDays)
		}
		if slug, err := f.svc.ResolveSlug(ctx, "tokyo-opens-a-new-line"); err != nil || slug != "tokyo-line" {
			t.Errorf("ResolveSlug: got %q, %v; want tokyo-line", slug, err)
		}
		if _, err := f.svc.ResolveSlug(ctx, "never-was"); masthead.ErrorCode(err) != masthead.ENOTFOUND {
			t.Errorf("ResolveSlug(unknown): got %v, want ENOTFOUND", err)
		}

		// A second rename: both old slugs lead to the newest one.
		got.Slug = "tokyo-rail"
		if err := f.svc.SaveStoryEdit(ctx, f.editor, got); err != nil {
			t.Fatalf("SaveStoryEdit (rename): %v", err)
		}
		for _, old := range []string{"tokyo-opens-a-new-line", "tokyo-line"} {
			if slug, err := f.svc.ResolveSlug(ctx, old); err != nil || slug != "tokyo-rail" {
				t.Errorf("ResolveSlug(%q): got %q, %v; want tokyo-rail", old, slug, err)
			}
		}

		// Another story may not take the slug or an old slug.
		for _, tc := range []struct {
			name, slug string
		}{
			{"current slug", "tokyo-rail"},
			{"old slug", "tokyo-line"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				o := f.draft("Other story")
				o.Slug = tc.slug
				err := f.svc.SaveStoryEdit(ctx, f.editor, o)
				if masthead.ErrorCode(err) != masthead.ECONFLICT || masthead.ErrorField(err) != "slug" {
					t.Errorf("got %v, want ECONFLICT on slug", err)
				}
			})
		}

		// The story itself may take its old slug back; it stops redirecting.
		got.Slug = "tokyo-line"
		if err := f.svc.SaveStoryEdit(ctx, f.editor, got); err != nil {
			t.Fatalf("SaveStoryEdit (take back): %v", err)
		}
		if slug, err := f.svc.ResolveSlug(ctx, "tokyo-rail"); err != nil || slug != "tokyo-line" {
			t.Errorf("ResolveSlug(tokyo-rail): got %q, %v", slug, err)
		}
		if _, err := f.svc.ResolveSlug(ctx, "tokyo-line"); masthead.ErrorCode(err) != masthead.ENOTFOUND {
			t.Errorf("ResolveSlug(current slug): got %v, want ENOTFOUND", err)
		}

		// Unpublished, the old slugs no longer reveal the story.
		got.Status = masthead.StatusDraft
		if err := f.svc.SaveStoryEdit(ctx, f.editor, got); err != nil {
			t.Fatalf("SaveStoryEdit (unpublish): %v", err)
		}
		if _, err := f.svc.ResolveSlug(ctx, "tokyo-rail"); masthead.ErrorCode(err) != masthead.ENOTFOUND {
			t.Errorf("ResolveSlug of a draft: got %v, want ENOTFOUND", err)
		}

		// Every save left its audit entry, with the action of its change.
		entries, err := f.audit.FindAuditEntries(ctx, masthead.AuditFilter{TargetType: "story", TargetID: strconv.FormatInt(s.ID, 10)})
		if err != nil {
			t.Fatalf("FindAuditEntries: %v", err)
		}
		wantActions := []string{masthead.AuditStoryUnpublish, masthead.AuditStorySave, masthead.AuditStorySave, masthead.AuditStoryPublish, masthead.AuditStorySave}
		if len(entries) != len(wantActions) {
			t.Fatalf("audit entries: got %d, want %d", len(entries), len(wantActions))
		}
		for i, e := range entries {
			if e.Action != wantActions[i] || e.ActorID != f.editor.ID || e.ActorName != "editor@example.com" || e.IP != "192.0.2.1" {
				t.Errorf("entry %d: got %s by %d %q from %q, want %s by the editor", i, e.Action, e.ActorID, e.ActorName, e.IP, wantActions[i])
			}
		}
		var before, after map[string]any
		if err := json.Unmarshal([]byte(entries[3].Before), &before); err != nil {
			t.Fatalf("before: %v", err)
		}
		if err := json.Unmarshal([]byte(entries[3].After), &after); err != nil {
			t.Fatalf("after: %v", err)
		}
		if before["status"] != "draft" || after["status"] != "published" || before["slug"] != "tokyo-opens-a-new-line" || after["slug"] != "tokyo-line" {
			t.Errorf("publish entry: got before %v after %v", before, after)
		}
	})
}

func TestEditorValidation(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newEditorFixture(t, db)
		tests := []struct {
			name      string
			change    func(*masthead.Story)
			wantCode  string
			wantField string
		}{
			{"no headline", func(s *masthead.Story) { s.Headline = "" }, masthead.EINVALID, "headline"},
			{"bad slug", func(s *masthead.Story) { s.Slug = "Not A Slug" }, masthead.EINVALID, "slug"},
			{"negative close days", func(s *masthead.Story) { s.CommentsCloseDays = -1 }, masthead.EINVALID, "comments_close_days"},
			{"unknown section", func(s *masthead.Story) { s.Section = masthead.Section{ID: 999} }, masthead.EINVALID, "section"},
			{"scheduled without a time", func(s *masthead.Story) { s.Status = masthead.StatusScheduled }, masthead.EINVALID, "published_at"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s := f.draft("Valid headline")
				tt.change(s)
				err := f.svc.SaveStoryEdit(ctx, f.editor, s)
				if got := masthead.ErrorCode(err); got != tt.wantCode {
					t.Errorf("code: got %q (%v), want %q", got, err, tt.wantCode)
				}
				if got := masthead.ErrorField(err); got != tt.wantField {
					t.Errorf("field: got %q, want %q", got, tt.wantField)
				}
			})
		}
		if n := countRows(t, db, "stories"); n != 0 {
			t.Errorf("stories after refusals: got %d, want 0", n)
		}
		if n := countRows(t, db, "story_revisions"); n != 0 {
			t.Errorf("revisions after refusals: got %d, want 0", n)
		}
	})
}

func TestEditorForbidden(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newEditorFixture(t, db)
		s := f.draft("Saved by the editor")
		if err := f.svc.SaveStoryEdit(ctx, f.editor, s); err != nil {
			t.Fatalf("SaveStoryEdit: %v", err)
		}
		revs, err := f.svc.StoryRevisions(ctx, s.ID)
		if err != nil || len(revs) != 1 {
			t.Fatalf("StoryRevisions: got %d, %v", len(revs), err)
		}
		auditBefore := countRows(t, db, "audit_log")
		tests := []struct {
			name string
			call func(a masthead.Actor) error
		}{
			{"save story", func(a masthead.Actor) error { return f.svc.SaveStoryEdit(ctx, a, f.draft("By a moderator")) }},
			{"restore", func(a masthead.Actor) error { _, err := f.svc.RestoreRevision(ctx, a, s.ID, revs[0].ID); return err }},
			{"author", func(a masthead.Actor) error {
				return f.svc.SaveAuthorEdit(ctx, a, &masthead.Author{Name: "Mo Derator"})
			}},
			{"section", func(a masthead.Actor) error { return f.svc.SaveSectionEdit(ctx, a, &masthead.Section{Name: "Sport"}) }},
		}
		for _, tt := range tests {
			for _, actor := range []struct {
				name string
				a    masthead.Actor
			}{{"moderator", f.mod}, {"subscriber", masthead.Actor{ID: 1, Role: masthead.RoleSubscriber}}} {
				t.Run(tt.name+" "+actor.name, func(t *testing.T) {
					if err := tt.call(actor.a); masthead.ErrorCode(err) != masthead.EFORBIDDEN {
						t.Errorf("got %v, want EFORBIDDEN", err)
					}
				})
			}
		}
		if got := countRows(t, db, "audit_log"); got != auditBefore {
			t.Errorf("audit entries: got %d, want %d", got, auditBefore)
		}
		if got := countRows(t, db, "story_revisions"); got != 1 {
			t.Errorf("revisions: got %d, want 1", got)
		}
	})
}

func TestEditorRevisionsAndRestore(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newEditorFixture(t, db)
		s := f.draft("First headline")
		if err := f.svc.SaveStoryEdit(ctx, f.editor, s); err != nil {
			t.Fatalf("SaveStoryEdit: %v", err)
		}
		clk.Set(epoch.Add(time.Minute))
		s.Headline = "Second headline"
		s.Body = "Line one.\nLine 2.\nLine three.\n"
		s.Tags = []masthead.Tag{{Name: "Trains"}}
		s.Status, s.PublishedAt = masthead.StatusPublished, clk.Now()
		if err := f.svc.SaveStoryEdit(ctx, f.editor, s); err != nil {
			t.Fatalf("SaveStoryEdit: %v", err)
		}
		revs, err := f.svc.StoryRevisions(ctx, s.ID)
		if err != nil {
			t.Fatalf("StoryRevisions: %v", err)
		}
		if len(revs) != 2 || revs[0].Number != 2 || revs[1].Number != 1 {
			t.Fatalf("revisions: got %d, want numbers 2, 1", len(revs))
		}
		if revs[1].Story.Headline != "First headline" || revs[0].Story.Headline != "Second headline" ||
			revs[1].ActorName != "editor@example.com" || revs[1].Story.Tags[0].Slug != "rail" {
			t.Errorf("revision content: got %q / %q by %q", revs[1].Story.Headline, revs[0].Story.Headline, revs[1].ActorName)
		}
		one, err := f.svc.FindRevision(ctx, revs[1].ID)
		if err != nil || one.Number != 1 || one.StoryID != s.ID {
			t.Fatalf("FindRevision: got %+v, %v", one, err)
		}
		if _, err := f.svc.FindRevision(ctx, 99999); masthead.ErrorCode(err) != masthead.ENOTFOUND {
			t.Errorf("FindRevision(unknown): got %v, want ENOTFOUND", err)
		}
		diff := masthead.DiffLines(revs[1].Story.Body, revs[0].Story.Body)
		var ops []masthead.DiffOp
		for _, d := range diff {
			ops = append(ops, d.Op)
		}
		wantOps := []masthead.DiffOp{masthead.DiffEqual, masthead.DiffDelete, masthead.DiffInsert, masthead.DiffInsert}
		if len(ops) != len(wantOps) {
			t.Fatalf("diff: got %+v", diff)
		}
		for i := range ops {
			if ops[i] != wantOps[i] {
				t.Errorf("diff op %d: got %v, want %v", i, ops[i], wantOps[i])
			}
		}

		// Restore the first revision: its content comes back as revision 3;
		// the story stays published.
		clk.Set(epoch.Add(2 * time.Minute))
		restored, err := f.svc.RestoreRevision(ctx, f.editor, s.ID, revs[1].ID)
		if err != nil {
			t.Fatalf("RestoreRevision: %v", err)
		}
		if restored.Headline != "First headline" || restored.Status != masthead.StatusPublished || restored.Tags[0].Slug != "rail" {
			t.Errorf("restored: got %q %s %+v", restored.Headline, restored.Status, restored.Tags)
		}
		read, err := f.stories.FindStoryBySlug(ctx, s.Slug)
		if err != nil || read.Headline != "First headline" || read.Body != "Line one.\nLine two.\n" {
			t.Errorf("reader sees: got %+v, %v", read, err)
		}
		revs, err = f.svc.StoryRevisions(ctx, s.ID)
		if err != nil || len(revs) != 3 || revs[0].Number != 3 {
			t.Fatalf("revisions after restore: got %d, %v", len(revs), err)
		}
		entries, err := f.audit.FindAuditEntries(ctx, masthead.AuditFilter{Action: masthead.AuditStoryRestore})
		if err != nil || len(entries) != 1 || entries[0].TargetID != strconv.FormatInt(s.ID, 10) {
			t.Fatalf("restore audit: got %d entries, %v", len(entries), err)
		}

		// A revision of another story cannot be restored onto this one.
		o := f.draft("Other")
		if err := f.svc.SaveStoryEdit(ctx, f.editor, o); err != nil {
			t.Fatalf("SaveStoryEdit: %v", err)
		}
		if _, err := f.svc.RestoreRevision(ctx, f.editor, o.ID, revs[0].ID); masthead.ErrorCode(err) != masthead.ENOTFOUND {
			t.Errorf("restore across stories: got %v, want ENOTFOUND", err)
		}
	})
}

func TestEditorList(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newEditorFixture(t, db)
		for i, h := range []string{"Alpha 100% rise", "Beta story", "Gamma story", "Delta draft"} {
			clk.Set(epoch.Add(time.Duration(i) * time.Minute))
			s := f.draft(h)
			if i < 3 {
				s.Status, s.PublishedAt = masthead.StatusPublished, clk.Now()
			}
			if err := f.svc.SaveStoryEdit(ctx, f.editor, s); err != nil {
				t.Fatalf("SaveStoryEdit(%q): %v", h, err)
			}
		}
		tests := []struct {
			name   string
			filter masthead.EditorFilter
			want   []string
		}{
			{"all newest change first", masthead.EditorFilter{}, []string{"Delta draft", "Gamma story", "Beta story", "Alpha 100% rise"}},
			{"drafts", masthead.EditorFilter{Status: masthead.StatusDraft}, []string{"Delta draft"}},
			{"query any case", masthead.EditorFilter{Query: "STORY"}, []string{"Gamma story", "Beta story"}},
			{"query with a wildcard", masthead.EditorFilter{Query: "0%"}, []string{"Alpha 100% rise"}},
			{"underscore is literal", masthead.EditorFilter{Query: "_"}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				page, err := f.svc.FindEditorStories(ctx, tt.filter)
				if err != nil {
					t.Fatalf("FindEditorStories: %v", err)
				}
				var got []string
				for _, s := range page.Stories {
					got = append(got, s.Headline)
				}
				if len(got) != len(tt.want) {
					t.Fatalf("got %q, want %q", got, tt.want)
				}
				for i := range got {
					if got[i] != tt.want[i] {
						t.Errorf("story %d: got %q, want %q", i, got[i], tt.want[i])
					}
				}
			})
		}
		t.Run("pages", func(t *testing.T) {
			var got []string
			after := ""
			for range 5 {
				page, err := f.svc.FindEditorStories(ctx, masthead.EditorFilter{Limit: 3, After: after})
				if err != nil {
					t.Fatalf("FindEditorStories: %v", err)
				}
				for _, s := range page.Stories {
					got = append(got, s.Headline)
					if len(s.Authors) != 1 {
						t.Errorf("%q: authors not loaded", s.Headline)
					}
				}
				if page.Next == "" {
					break
				}
				after = page.Next
			}
			if len(got) != 4 || got[3] != "Alpha 100% rise" {
				t.Errorf("paged: got %q", got)
			}
		})
		if _, err := f.svc.FindEditorStories(ctx, masthead.EditorFilter{Status: "gone"}); masthead.ErrorCode(err) != masthead.EINVALID {
			t.Errorf("bad status: got %v, want EINVALID", err)
		}
	})
}

func TestEditorSectionsAndAuthors(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newEditorFixture(t, db)

		sport := &masthead.Section{Name: "Sport", Description: "Games.", Position: 2}
		if err := f.svc.SaveSectionEdit(ctx, f.editor, sport); err != nil {
			t.Fatalf("SaveSectionEdit: %v", err)
		}
		if sport.ID == 0 || sport.Slug != "sport" {
			t.Errorf("section: got %+v", sport)
		}
		sport.Name, sport.Slug = "Sports", "sports"
		if err := f.svc.SaveSectionEdit(ctx, f.editor, sport); err != nil {
			t.Fatalf("SaveSectionEdit (rename): %v", err)
		}
		got, err := f.stories.FindSectionBySlug(ctx, "sports")
		if err != nil || got.ID != sport.ID || got.Name != "Sports" || got.Position != 2 {
			t.Errorf("renamed section: got %+v, %v", got, err)
		}
		dup := &masthead.Section{Name: "World again", Slug: "world"}
		if err := f.svc.SaveSectionEdit(ctx, f.editor, dup); masthead.ErrorCode(err) != masthead.ECONFLICT {
			t.Errorf("duplicate section slug: got %v, want ECONFLICT", err)
		}
		if err := f.svc.SaveSectionEdit(ctx, f.editor, &masthead.Section{Name: "X", Position: -1}); masthead.ErrorField(err) != "position" {
			t.Errorf("negative position: got %v", err)
		}

		ann := &masthead.Author{Name: "Ann Reporter", Bio: "Covers rail."}
		if err := f.svc.SaveAuthorEdit(ctx, f.editor, ann); err != nil {
			t.Fatalf("SaveAuthorEdit: %v", err)
		}
		if err := f.svc.SaveAuthorEdit(ctx, f.editor, &masthead.Author{Name: "Ann Other", Slug: "ann-reporter"}); masthead.ErrorCode(err) != masthead.ECONFLICT {
			t.Errorf("duplicate author slug: got %v, want ECONFLICT", err)
		}
		if err := f.svc.SaveAuthorEdit(ctx, f.editor, &masthead.Author{Name: "  "}); masthead.ErrorField(err) != "name" {
			t.Errorf("empty author name: got %v", err)
		}
		// A story naming an existing author by name or slug uses it (and
		// does not rename it); a new name creates an author.
		s := f.draft("Bylines")
		s.Authors = []masthead.Author{{Name: "ann-reporter"}, {Name: "Ben New"}}
		if err := f.svc.SaveStoryEdit(ctx, f.editor, s); err != nil {
			t.Fatalf("SaveStoryEdit: %v", err)
		}
		authors, err := f.svc.FindAuthors(ctx)
		if err != nil {
			t.Fatalf("FindAuthors: %v", err)
		}
		if len(authors) != 2 || authors[0].Name != "Ann Reporter" || authors[0].Bio != "Covers rail." || authors[1].Slug != "ben-new" {
			t.Errorf("authors: got %+v %+v", authors[0], authors[len(authors)-1])
		}

		for _, tc := range []struct {
			action string
			want   int
		}{{masthead.AuditSectionSave, 2}, {masthead.AuditAuthorSave, 1}} {
			entries, err := f.audit.FindAuditEntries(ctx, masthead.AuditFilter{Action: tc.action})
			if err != nil || len(entries) != tc.want {
				t.Errorf("%s entries: got %d, %v; want %d", tc.action, len(entries), err, tc.want)
			}
		}
	})
}

func TestSaveStoryKeepsCommentRules(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		svc := sqldb.NewStoryService(db)
		tests := []struct {
			name   string
			days   int
			premod bool
		}{
			{"set", 3, true},
			{"updated", 0, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s := newStory("rules", epoch.Add(-time.Hour), func(s *masthead.Story) {
					s.CommentsCloseDays, s.Premoderated = tt.days, tt.premod
				})
				if err := svc.SaveStory(ctx, s); err != nil {
					t.Fatalf("SaveStory: %v", err)
				}
				got, err := svc.FindStoryForEditing(ctx, "rules")
				if err != nil {
					t.Fatalf("FindStoryForEditing: %v", err)
				}
				if got.CommentsCloseDays != tt.days || got.Premoderated != tt.premod {
					t.Errorf("got %d days, premoderated %v; want %d, %v", got.CommentsCloseDays, got.Premoderated, tt.days, tt.premod)
				}
			})
		}
	})
}
