package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"masthead"
)

// EditorService is the story editor's storage; see masthead.EditorService.
// Every write checks the actor's permission, and keeps its revision and
// its audit entry in the transaction that writes the story.
//
// Old slugs: when a story's slug changes, the old one keeps redirecting to
// the story (ResolveSlug). No other story may take a slug while it
// redirects — such a save is refused with ECONFLICT — so an old link never
// silently starts pointing at a different story; the story that had the
// slug may take it back, which ends the redirect.
type EditorService struct {
	db       *DB
	renderer masthead.BodyRenderer
	stories  *StoryService
}

var _ masthead.EditorService = (*EditorService)(nil)

// NewEditorService returns an EditorService over db that renders story
// bodies with r.
func NewEditorService(db *DB, r masthead.BodyRenderer) *EditorService {
	return &EditorService{db: db, renderer: r, stories: &StoryService{db: db}}
}

// DefaultEditorPageSize is the editor list's page size when the filter
// asks for none.
const DefaultEditorPageSize = 50

// FindEditorStories lists stories in every status, newest change first,
// one page at a time (keyset on updated_at and id); see
// masthead.EditorFilter.
func (es *EditorService) FindEditorStories(ctx context.Context, f masthead.EditorFilter) (*masthead.EditorPage, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultEditorPageSize
	} else if limit > maxPageSize {
		limit = maxPageSize
	}
	if f.Status != "" && !f.Status.Valid() {
		return nil, masthead.FieldError("status", masthead.Msg(masthead.MsgStatusInvalid, f.Status))
	}
	if utf8.RuneCountInString(f.Query) > masthead.MaxSearchLen {
		return nil, masthead.FieldError("q", masthead.Msg(masthead.MsgSearchQueryTooLong, masthead.MaxSearchLen))
	}
	after, err := masthead.ParseStoryCursor(f.After)
	if err != nil {
		return nil, err
	}
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.Status != "" {
		where = append(where, "s.status = "+arg(string(f.Status)))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		where = append(where, `LOWER(s.headline) LIKE `+arg("%"+likeEscape(strings.ToLower(q))+"%")+` ESCAPE '\'`)
	}
	if after != nil {
		// The editor's cursor is a StoryCursor over the update time.
		u, id := arg(es.db.timeArg(storedTime(after.PublishedAt))), arg(after.ID)
		where = append(where, `(s.updated_at < `+u+` OR (s.updated_at = `+u+` AND s.id < `+id+`))`)
	}
	q := `SELECT ` + listColumns + `
FROM stories s JOIN sections sec ON sec.id = s.section_id`
	if len(where) > 0 {
		q += "\nWHERE " + strings.Join(where, " AND ")
	}
	q += "\nORDER BY s.updated_at DESC, s.id DESC LIMIT " + arg(limit+1)

	page := &masthead.EditorPage{Stories: []*masthead.Story{}}
	err = es.db.readTx(ctx, func(tx *sql.Tx) error {
		stories, err := es.db.queryStories(ctx, tx, q, args...)
		if err != nil {
			return err
		}
		if len(stories) > limit {
			stories = stories[:limit]
			last := stories[limit-1]
			page.Next = (&masthead.StoryCursor{PublishedAt: last.UpdatedAt, ID: last.ID}).Encode()
		}
		page.Stories = stories
		return es.stories.attachBylines(ctx, tx, stories)
	})
	if err != nil {
		return nil, fmt.Errorf("sqldb: find editor stories: %w", err)
	}
	return page, nil
}

// likeEscape escapes the LIKE wildcards of s for ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// FindStoryByID returns the story with id, whatever its status.
func (es *EditorService) FindStoryByID(ctx context.Context, id int64) (*masthead.Story, error) {
	var s *masthead.Story
	err := es.db.readTx(ctx, func(tx *sql.Tx) (err error) {
		if s, err = es.findStoryByID(ctx, tx, id); err != nil {
			return err
		}
		return es.stories.attachBylines(ctx, tx, []*masthead.Story{s})
	})
	if err != nil {
		return nil, fmt.Errorf("sqldb: find story by id: %w", err)
	}
	return s, nil
}

// findStoryByID returns the story with id without its authors and tags.
// It runs its query on tx itself, never as a statement prepared on the
// read pool, so it works in write transactions too.
func (es *EditorService) findStoryByID(ctx context.Context, tx *sql.Tx, id int64) (*masthead.Story, error) {
	s, err := scanStory(tx.QueryRowContext(ctx, `SELECT `+storyColumns+`
FROM stories s JOIN sections sec ON sec.id = s.section_id
WHERE s.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errStoryNotFound()
	}
	return s, err
}

// SaveStoryEdit creates (s.ID == 0) or updates the story s, keeps it as a
// new revision, keeps its old slug redirecting when the slug changes, and
// writes the audit entry, all in one transaction. The section must exist
// (by ID, else by slug); authors and tags are found by slug and created
// when new. On return s carries what was stored.
func (es *EditorService) SaveStoryEdit(ctx context.Context, actor masthead.Actor, s *masthead.Story) error {
	if err := actor.Require(masthead.PermStories); err != nil {
		return err
	}
	saved, err := es.prepare(s)
	if err != nil {
		return err
	}
	now := es.db.clock()
	err = es.db.writeTx(ctx, func(tx *sql.Tx) error {
		var before *masthead.Story
		if saved.ID != 0 {
			b, err := es.lockStory(ctx, tx, saved.ID)
			if err != nil {
				return err
			}
			before = b
		}
		if err := es.writeStory(ctx, tx, saved, before, now); err != nil {
			return err
		}
		rev, err := es.addRevision(ctx, tx, actor, saved, now)
		if err != nil {
			return err
		}
		after := auditState(saved)
		after["revision"] = rev
		rec := auditRecord{
			Action:     masthead.AuditAction(before, saved),
			TargetType: "story",
			TargetID:   saved.ID,
			After:      after,
		}
		if before != nil {
			rec.Before = auditState(before)
		}
		return es.db.writeAudit(ctx, tx, actor, rec, now)
	})
	if err != nil {
		return fmt.Errorf("sqldb: save story edit: %w", err)
	}
	*s = *saved
	return nil
}

// prepare normalises, validates and renders s, returning the copy to
// write.
func (es *EditorService) prepare(s *masthead.Story) (*masthead.Story, error) {
	if es.renderer == nil {
		return nil, errors.New("sqldb: save story edit: no body renderer configured")
	}
	s.Normalize()
	if err := s.ValidateEdit(); err != nil {
		return nil, err
	}
	html, err := es.renderer.RenderBody(s.BodyFormat, s.Body)
	if err != nil {
		return nil, fmt.Errorf("sqldb: save story edit: render body: %w", err)
	}
	saved := *s
	saved.BodyHTML = html
	saved.PublishedAt = storedTime(s.PublishedAt)
	saved.Authors = dedupeAuthors(s.Authors)
	saved.Tags = dedupeTags(s.Tags)
	return &saved, nil
}

// lockStory locks the story's row for the rest of tx (a no-op update, so
// that concurrent saves of one story queue on PostgreSQL) and returns it
// as it was, without authors and tags (the audit entry needs neither).
func (es *EditorService) lockStory(ctx context.Context, tx *sql.Tx, id int64) (*masthead.Story, error) {
	res, err := tx.ExecContext(ctx, `UPDATE stories SET updated_at = updated_at WHERE id = $1`, id)
	if err != nil {
		return nil, fmt.Errorf("lock story: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, err
	} else if n == 0 {
		return nil, errStoryNotFound()
	}
	return es.findStoryByID(ctx, tx, id)
}

// auditState is the part of a story its audit entries show.
func auditState(s *masthead.Story) map[string]any {
	st := map[string]any{"status": s.Status, "slug": s.Slug, "headline": s.Headline, "published_at": nil}
	if !s.PublishedAt.IsZero() {
		st["published_at"] = s.PublishedAt.UTC().Format(time.RFC3339)
	}
	return st
}

// errSlugTaken is the refusal of a slug another story has, or had.
func errSlugTaken(slug string, redirect bool) error {
	id := masthead.MsgEditorSlugTaken
	if redirect {
		id = masthead.MsgEditorSlugRedirects
	}
	return &masthead.Error{Code: masthead.ECONFLICT, Field: "slug", Message: masthead.Msg(id, slug)}
}

// writeStory writes s (before is the stored story, nil for a new one):
// its slug checked and old slug kept, section, authors and tags resolved,
// the row inserted or updated, the bylines replaced.
func (es *EditorService) writeStory(ctx context.Context, tx *sql.Tx, s, before *masthead.Story, now time.Time) error {
	var other int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM stories WHERE slug = $1`, s.Slug).Scan(&other)
	switch {
	case err == nil && other != s.ID:
		return errSlugTaken(s.Slug, false)
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("slug: %w", err)
	}
	err = tx.QueryRowContext(ctx, `SELECT story_id FROM story_slug_redirects WHERE slug = $1`, s.Slug).Scan(&other)
	switch {
	case err == nil && other != s.ID:
		return errSlugTaken(s.Slug, true)
	case err == nil:
		// The story takes back a slug it had: it no longer redirects.
		if _, err := tx.ExecContext(ctx, `DELETE FROM story_slug_redirects WHERE slug = $1`, s.Slug); err != nil {
			return fmt.Errorf("slug redirect: %w", err)
		}
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("slug redirect: %w", err)
	}

	if err := resolveSection(ctx, tx, &s.Section); err != nil {
		return err
	}
	for _, i := range bySlug(len(s.Authors), func(i int) string { return s.Authors[i].Slug }) {
		if err := resolveAuthor(ctx, tx, &s.Authors[i]); err != nil {
			return fmt.Errorf("author %q: %w", s.Authors[i].Slug, err)
		}
	}
	for _, i := range bySlug(len(s.Tags), func(i int) string { return s.Tags[i].Slug }) {
		if err := resolveTag(ctx, tx, &s.Tags[i]); err != nil {
			return fmt.Errorf("tag %q: %w", s.Tags[i].Slug, err)
		}
	}

	if before == nil {
		err = tx.QueryRowContext(ctx, `INSERT INTO stories
	(slug, headline, dek, body, body_format, body_html, section_id, status, access, comments,
	 comments_close_days, premoderated, published_at, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
RETURNING id, comment_count, created_at, updated_at`,
			s.Slug, s.Headline, s.Dek, s.Body, string(s.BodyFormat), s.BodyHTML, s.Section.ID,
			string(s.Status), string(s.Access), string(s.Comments), s.CommentsCloseDays, s.Premoderated,
			es.db.timeArg(s.PublishedAt), es.db.timeArg(now),
		).Scan(&s.ID, &s.CommentCount, timeCol{&s.CreatedAt}, timeCol{&s.UpdatedAt})
	} else {
		err = tx.QueryRowContext(ctx, `UPDATE stories SET
	slug = $2, headline = $3, dek = $4, body = $5, body_format = $6, body_html = $7, section_id = $8,
	status = $9, access = $10, comments = $11, comments_close_days = $12, premoderated = $13,
	published_at = $14, updated_at = $15
WHERE id = $1
RETURNING comment_count, created_at, updated_at`,
			s.ID, s.Slug, s.Headline, s.Dek, s.Body, string(s.BodyFormat), s.BodyHTML, s.Section.ID,
			string(s.Status), string(s.Access), string(s.Comments), s.CommentsCloseDays, s.Premoderated,
			es.db.timeArg(s.PublishedAt), es.db.timeArg(now),
		).Scan(&s.CommentCount, timeCol{&s.CreatedAt}, timeCol{&s.UpdatedAt})
	}
	if err != nil {
		return fmt.Errorf("story: %w", err)
	}
	if before != nil && before.Slug != s.Slug {
		if _, err := tx.ExecContext(ctx, `INSERT INTO story_slug_redirects (slug, story_id, created_at)
VALUES ($1, $2, $3)
ON CONFLICT (slug) DO UPDATE SET story_id = excluded.story_id, created_at = excluded.created_at`,
			before.Slug, s.ID, es.db.timeArg(now)); err != nil {
			return fmt.Errorf("slug redirect: %w", err)
		}
	}

	return writeStoryLinks(ctx, tx, s)
}

// resolveSection fills in the existing section sec names, by ID when it
// has one, else by slug. The editor never creates a section: they are
// managed on their own page.
func resolveSection(ctx context.Context, tx *sql.Tx, sec *masthead.Section) error {
	q, key := `SELECT id, slug, name, description, position FROM sections WHERE id = $1`, any(sec.ID)
	if sec.ID == 0 {
		q, key = `SELECT id, slug, name, description, position FROM sections WHERE slug = $1`, sec.Slug
	}
	err := tx.QueryRowContext(ctx, q, key).Scan(&sec.ID, &sec.Slug, &sec.Name, &sec.Description, &sec.Position)
	if errors.Is(err, sql.ErrNoRows) {
		if sec.ID != 0 && sec.Slug != "" {
			// A revision's section may have been given a new slug, or
			// its ID may be gone: try the other key.
			id := sec.ID
			sec.ID = 0
			if err := resolveSection(ctx, tx, sec); err == nil {
				return nil
			}
			sec.ID = id
		}
		return masthead.FieldError("section", masthead.Msg(masthead.MsgSectionNotFound))
	}
	if err != nil {
		return fmt.Errorf("section: %w", err)
	}
	return nil
}

// resolveAuthor fills in the author a names: by ID when it has one that
// still exists, else the author with its slug, created (with a's name)
// when there is none. An existing author is never renamed here.
func resolveAuthor(ctx context.Context, tx *sql.Tx, a *masthead.Author) error {
	if a.ID != 0 {
		err := tx.QueryRowContext(ctx, `SELECT slug, name, bio FROM authors WHERE id = $1`, a.ID).Scan(&a.Slug, &a.Name, &a.Bio)
		if err == nil {
			return nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	name := a.Name
	if name == "" {
		name = a.Slug
	}
	// The no-op update makes RETURNING give the existing row too.
	return tx.QueryRowContext(ctx, `INSERT INTO authors (slug, name) VALUES ($1, $2)
ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug
RETURNING id, name, bio`, a.Slug, name).Scan(&a.ID, &a.Name, &a.Bio)
}

// resolveTag is resolveAuthor for a tag.
func resolveTag(ctx context.Context, tx *sql.Tx, t *masthead.Tag) error {
	if t.ID != 0 {
		err := tx.QueryRowContext(ctx, `SELECT slug, name FROM tags WHERE id = $1`, t.ID).Scan(&t.Slug, &t.Name)
		if err == nil {
			return nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	name := t.Name
	if name == "" {
		name = t.Slug
	}
	return tx.QueryRowContext(ctx, `INSERT INTO tags (slug, name) VALUES ($1, $2)
ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug
RETURNING id, name`, t.Slug, name).Scan(&t.ID, &t.Name)
}

// revisionContent is a revision's snapshot of a story, stored as JSON.
type revisionContent struct {
	Headline          string        `json:"headline"`
	Slug              string        `json:"slug"`
	Dek               string        `json:"dek"`
	Body              string        `json:"body"`
	BodyFormat        string        `json:"body_format"`
	Section           revisionRef   `json:"section"`
	Authors           []revisionRef `json:"authors"`
	Tags              []revisionRef `json:"tags"`
	Status            string        `json:"status"`
	Access            string        `json:"access"`
	Comments          string        `json:"comments"`
	CommentsCloseDays int           `json:"comments_close_days"`
	Premoderated      bool          `json:"premoderated"`
	PublishedAt       *time.Time    `json:"published_at,omitempty"`
}

// revisionRef is a section, author or tag in a snapshot.
type revisionRef struct {
	ID   int64  `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

func snapshot(s *masthead.Story) revisionContent {
	c := revisionContent{
		Headline: s.Headline, Slug: s.Slug, Dek: s.Dek, Body: s.Body, BodyFormat: string(s.BodyFormat),
		Section: revisionRef{ID: s.Section.ID, Slug: s.Section.Slug, Name: s.Section.Name},
		Authors: []revisionRef{}, Tags: []revisionRef{},
		Status: string(s.Status), Access: string(s.Access), Comments: string(s.Comments),
		CommentsCloseDays: s.CommentsCloseDays, Premoderated: s.Premoderated,
	}
	for _, a := range s.Authors {
		c.Authors = append(c.Authors, revisionRef{ID: a.ID, Slug: a.Slug, Name: a.Name})
	}
	for _, t := range s.Tags {
		c.Tags = append(c.Tags, revisionRef{ID: t.ID, Slug: t.Slug, Name: t.Name})
	}
	if !s.PublishedAt.IsZero() {
		at := s.PublishedAt.UTC()
		c.PublishedAt = &at
	}
	return c
}

// story returns the snapshot as the story with id.
func (c revisionContent) story(id int64) *masthead.Story {
	s := &masthead.Story{
		ID: id, Headline: c.Headline, Slug: c.Slug, Dek: c.Dek, Body: c.Body, BodyFormat: masthead.BodyFormat(c.BodyFormat),
		Section: masthead.Section{ID: c.Section.ID, Slug: c.Section.Slug, Name: c.Section.Name},
		Authors: []masthead.Author{}, Tags: []masthead.Tag{},
		Status: masthead.StoryStatus(c.Status), Access: masthead.Access(c.Access), Comments: masthead.CommentsMode(c.Comments),
		CommentsCloseDays: c.CommentsCloseDays, Premoderated: c.Premoderated,
	}
	for _, a := range c.Authors {
		s.Authors = append(s.Authors, masthead.Author{ID: a.ID, Slug: a.Slug, Name: a.Name})
	}
	for _, t := range c.Tags {
		s.Tags = append(s.Tags, masthead.Tag{ID: t.ID, Slug: t.Slug, Name: t.Name})
	}
	if c.PublishedAt != nil {
		s.PublishedAt = c.PublishedAt.UTC()
	}
	return s
}

// addRevision stores s as its story's next revision and returns its
// number. The story's row is locked (or new), so numbers do not collide.
func (es *EditorService) addRevision(ctx context.Context, tx *sql.Tx, actor masthead.Actor, s *masthead.Story, now time.Time) (int, error) {
	content, err := json.Marshal(snapshot(s))
	if err != nil {
		return 0, fmt.Errorf("revision: %w", err)
	}
	var actorID any
	name := ""
	if actor.ID != 0 {
		actorID = actor.ID
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(email, '') FROM accounts WHERE id = $1`, actor.ID).Scan(&name); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("revision actor: %w", err)
		}
	}
	var n int
	err = tx.QueryRowContext(ctx, `INSERT INTO story_revisions (story_id, number, content, actor_id, actor_name, created_at)
VALUES ($1, (SELECT COALESCE(MAX(number), 0) + 1 FROM story_revisions WHERE story_id = $1), $2, $3, $4, $5)
RETURNING number`, s.ID, string(content), actorID, name, es.db.timeArg(now)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("revision: %w", err)
	}
	return n, nil
}

const revisionColumns = `id, story_id, number, content, COALESCE(actor_id, 0), actor_name, created_at`

func scanRevision(sc interface{ Scan(...any) error }) (*masthead.StoryRevision, error) {
	r := &masthead.StoryRevision{}
	var content string
	if err := sc.Scan(&r.ID, &r.StoryID, &r.Number, &content, &r.ActorID, &r.ActorName, timeCol{&r.CreatedAt}); err != nil {
		return nil, err
	}
	var c revisionContent
	if err := json.Unmarshal([]byte(content), &c); err != nil {
		return nil, fmt.Errorf("revision %d: %w", r.ID, err)
	}
	r.Story = c.story(r.StoryID)
	return r, nil
}

func errRevisionNotFound() error {
	return masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgRevisionNotFound))
}

// StoryRevisions returns a story's revisions, newest first; a story
// without any (one written before the editor) has none.
func (es *EditorService) StoryRevisions(ctx context.Context, storyID int64) ([]*masthead.StoryRevision, error) {
	rows, err := es.db.read.QueryContext(ctx, `SELECT `+revisionColumns+`
FROM story_revisions WHERE story_id = $1 ORDER BY number DESC`, storyID)
	if err != nil {
		return nil, fmt.Errorf("sqldb: story revisions: %w", err)
	}
	defer rows.Close()
	out := []*masthead.StoryRevision{}
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return nil, fmt.Errorf("sqldb: story revisions: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqldb: story revisions: %w", err)
	}
	return out, nil
}

// FindRevision returns one revision.
func (es *EditorService) FindRevision(ctx context.Context, id int64) (*masthead.StoryRevision, error) {
	r, err := scanRevision(es.db.read.QueryRowContext(ctx, `SELECT `+revisionColumns+`
FROM story_revisions WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errRevisionNotFound()
	} else if err != nil {
		return nil, fmt.Errorf("sqldb: find revision: %w", err)
	}
	return r, nil
}

// RestoreRevision saves the content of revision revisionID of the story
// as its newest revision: headline, slug, dek, body, section, authors,
// tags, access and comment rules come back; the status and publication
// time stay as they are now, so restoring never publishes or withdraws a
// story by itself. The audit entry is AuditStoryRestore.
func (es *EditorService) RestoreRevision(ctx context.Context, actor masthead.Actor, storyID, revisionID int64) (*masthead.Story, error) {
	if err := actor.Require(masthead.PermStories); err != nil {
		return nil, err
	}
	if es.renderer == nil {
		return nil, errors.New("sqldb: restore revision: no body renderer configured")
	}
	var saved *masthead.Story
	now := es.db.clock()
	err := es.db.writeTx(ctx, func(tx *sql.Tx) error {
		rev, err := scanRevision(tx.QueryRowContext(ctx, `SELECT `+revisionColumns+`
FROM story_revisions WHERE id = $1 AND story_id = $2`, revisionID, storyID))
		if errors.Is(err, sql.ErrNoRows) {
			return errRevisionNotFound()
		} else if err != nil {
			return err
		}
		before, err := es.lockStory(ctx, tx, storyID)
		if err != nil {
			return err
		}
		s := rev.Story
		s.Status, s.PublishedAt = before.Status, before.PublishedAt
		if saved, err = es.prepare(s); err != nil {
			return err
		}
		if err := es.writeStory(ctx, tx, saved, before, now); err != nil {
			return err
		}
		n, err := es.addRevision(ctx, tx, actor, saved, now)
		if err != nil {
			return err
		}
		after := auditState(saved)
		after["revision"] = n
		after["restored"] = rev.Number
		return es.db.writeAudit(ctx, tx, actor, auditRecord{
			Action: masthead.AuditStoryRestore, TargetType: "story", TargetID: storyID,
			Before: auditState(before), After: after,
		}, now)
	})
	if err != nil {
		return nil, fmt.Errorf("sqldb: restore revision: %w", err)
	}
	return saved, nil
}

// ResolveSlug returns the current slug of the visible story that had
// oldSlug before, or ENOTFOUND (also when that story is now a draft or
// not yet published, so an old link does not reveal a new slug early).
func (es *EditorService) ResolveSlug(ctx context.Context, oldSlug string) (string, error) {
	var slug string
	err := es.db.read.QueryRowContext(ctx, `SELECT s.slug FROM story_slug_redirects r
JOIN stories s ON s.id = r.story_id
WHERE r.slug = $1 AND `+visibleAt("$2"), oldSlug, es.db.timeArg(es.db.clock())).Scan(&slug)
	if errors.Is(err, sql.ErrNoRows) {
		return "", errStoryNotFound()
	} else if err != nil {
		return "", fmt.Errorf("sqldb: resolve slug: %w", err)
	}
	return slug, nil
}

// FindAuthors lists every author by name.
func (es *EditorService) FindAuthors(ctx context.Context) ([]*masthead.Author, error) {
	rows, err := es.db.read.QueryContext(ctx, `SELECT id, slug, name, bio FROM authors ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("sqldb: find authors: %w", err)
	}
	defer rows.Close()
	out := []*masthead.Author{}
	for rows.Next() {
		a := &masthead.Author{}
		if err := rows.Scan(&a.ID, &a.Slug, &a.Name, &a.Bio); err != nil {
			return nil, fmt.Errorf("sqldb: find authors: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqldb: find authors: %w", err)
	}
	return out, nil
}

// checkNameSlug tidies and checks the name, slug and free text of an
// author or a section.
func checkNameSlug(name, slug, text *string, textField string, maxText int) error {
	*name = strings.TrimSpace(*name)
	*slug = strings.TrimSpace(*slug)
	*text = strings.TrimSpace(*text)
	if *slug == "" {
		*slug = masthead.Slugify(*name)
	}
	switch {
	case *name == "":
		return masthead.FieldError("name", masthead.Msg(masthead.MsgEditorNameRequired))
	case utf8.RuneCountInString(*name) > masthead.MaxEditorNameLen:
		return masthead.FieldError("name", masthead.Msg(masthead.MsgEditorNameTooLong, masthead.MaxEditorNameLen))
	case !masthead.ValidSlug(*slug):
		return masthead.FieldError("slug", masthead.Msg(masthead.MsgSlugInvalid, masthead.MaxSlugLen, *slug))
	case utf8.RuneCountInString(*text) > maxText:
		return masthead.FieldError(textField, masthead.Msg(masthead.MsgEditorTextTooLong, maxText))
	}
	return nil
}

// SaveAuthorEdit creates an author (a.ID == 0) or updates the author with
// a.ID, slug included; a slug another author has is ECONFLICT. The slug is
// made from the name when empty.
func (es *EditorService) SaveAuthorEdit(ctx context.Context, actor masthead.Actor, a *masthead.Author) error {
	if err := actor.Require(masthead.PermStories); err != nil {
		return err
	}
	if err := checkNameSlug(&a.Name, &a.Slug, &a.Bio, "bio", masthead.MaxAuthorBioLen); err != nil {
		return err
	}
	now := es.db.clock()
	err := es.db.writeTx(ctx, func(tx *sql.Tx) error {
		var before *masthead.Author
		if a.ID != 0 {
			b := &masthead.Author{}
			err := tx.QueryRowContext(ctx, `SELECT id, slug, name, bio FROM authors WHERE id = $1`, a.ID).Scan(&b.ID, &b.Slug, &b.Name, &b.Bio)
			if errors.Is(err, sql.ErrNoRows) {
				return masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgAuthorNotFound))
			} else if err != nil {
				return err
			}
			before = b
		}
		if err := slugFree(ctx, tx, "authors", a.Slug, a.ID); err != nil {
			return err
		}
		var err error
		if before == nil {
			err = tx.QueryRowContext(ctx, `INSERT INTO authors (slug, name, bio) VALUES ($1, $2, $3) RETURNING id`,
				a.Slug, a.Name, a.Bio).Scan(&a.ID)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE authors SET slug = $2, name = $3, bio = $4 WHERE id = $1`, a.ID, a.Slug, a.Name, a.Bio)
		}
		if err != nil {
			return fmt.Errorf("author: %w", err)
		}
		rec := auditRecord{Action: masthead.AuditAuthorSave, TargetType: "author", TargetID: a.ID,
			After: map[string]any{"slug": a.Slug, "name": a.Name}}
		if before != nil {
			rec.Before = map[string]any{"slug": before.Slug, "name": before.Name}
		}
		return es.db.writeAudit(ctx, tx, actor, rec, now)
	})
	if err != nil {
		return fmt.Errorf("sqldb: save author: %w", err)
	}
	return nil
}

// slugFree returns ECONFLICT if a row of table other than id has slug.
func slugFree(ctx context.Context, tx *sql.Tx, table, slug string, id int64) error {
	var other int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM `+table+` WHERE slug = $1`, slug).Scan(&other)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("slug: %w", err)
	case other != id:
		return &masthead.Error{Code: masthead.ECONFLICT, Field: "slug", Message: masthead.Msg(masthead.MsgEditorSlugInUse, slug)}
	}
	return nil
}

// SaveSectionEdit creates a section (sec.ID == 0) or updates the section
// with sec.ID, slug included; a slug another section has is ECONFLICT.
// Position orders the navigation, lowest first, and may not be negative.
func (es *EditorService) SaveSectionEdit(ctx context.Context, actor masthead.Actor, sec *masthead.Section) error {
	if err := actor.Require(masthead.PermStories); err != nil {
		return err
	}
	if err := checkNameSlug(&sec.Name, &sec.Slug, &sec.Description, "description", masthead.MaxSectionDescriptionLen); err != nil {
		return err
	}
	if sec.Position < 0 {
		return masthead.FieldError("position", masthead.Msg(masthead.MsgEditorPositionInvalid))
	}
	now := es.db.clock()
	err := es.db.writeTx(ctx, func(tx *sql.Tx) error {
		var before *masthead.Section
		if sec.ID != 0 {
			b := &masthead.Section{}
			err := tx.QueryRowContext(ctx, `SELECT id, slug, name, description, position FROM sections WHERE id = $1`, sec.ID).
				Scan(&b.ID, &b.Slug, &b.Name, &b.Description, &b.Position)
			if errors.Is(err, sql.ErrNoRows) {
				return masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgSectionNotFound))
			} else if err != nil {
				return err
			}
			before = b
		}
		if err := slugFree(ctx, tx, "sections", sec.Slug, sec.ID); err != nil {
			return err
		}
		var err error
		if before == nil {
			err = tx.QueryRowContext(ctx, `INSERT INTO sections (slug, name, description, position) VALUES ($1, $2, $3, $4) RETURNING id`,
				sec.Slug, sec.Name, sec.Description, sec.Position).Scan(&sec.ID)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE sections SET slug = $2, name = $3, description = $4, position = $5 WHERE id = $1`,
				sec.ID, sec.Slug, sec.Name, sec.Description, sec.Position)
		}
		if err != nil {
			return fmt.Errorf("section: %w", err)
		}
		state := func(s *masthead.Section) map[string]any {
			return map[string]any{"slug": s.Slug, "name": s.Name, "position": s.Position}
		}
		rec := auditRecord{Action: masthead.AuditSectionSave, TargetType: "section", TargetID: sec.ID, After: state(sec)}
		if before != nil {
			rec.Before = state(before)
		}
		return es.db.writeAudit(ctx, tx, actor, rec, now)
	})
	if err != nil {
		return fmt.Errorf("sqldb: save section: %w", err)
	}
	return nil
}
