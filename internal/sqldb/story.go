package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"masthead"
)

// Page sizes for story lists and searches.
const (
	defaultPageSize = 20
	maxPageSize     = 100
)

// StoryService implements masthead.StoryService.
type StoryService struct {
	db *DB
}

var _ masthead.StoryService = (*StoryService)(nil)

// NewStoryService returns a StoryService that stores stories in db.
func NewStoryService(db *DB) *StoryService {
	return &StoryService{db: db}
}

// storyColumns are the columns scanStory reads, from stories s joined with
// sections sec.
const storyColumns = `s.id, s.slug, s.headline, s.dek, s.body, s.body_format, s.body_html,
	s.status, s.access, s.comments, s.comment_count, s.published_at, s.created_at, s.updated_at,
	sec.id, sec.slug, sec.name, sec.description, sec.position, s.comments_close_days, s.premoderated`

// listColumns are storyColumns for lists: the same shape, with the body and
// its HTML left empty. No list shows a body, and copying tens of kilobytes
// per story out of the database for nothing is what makes list pages slow.
const listColumns = `s.id, s.slug, s.headline, s.dek, '', s.body_format, '',
	s.status, s.access, s.comments, s.comment_count, s.published_at, s.created_at, s.updated_at,
	sec.id, sec.slug, sec.name, sec.description, sec.position, s.comments_close_days, s.premoderated`

// visibleAt returns the condition that a story s is visible to readers at
// the time bound to param.
func visibleAt(param string) string {
	return `s.status <> 'draft' AND s.published_at <= ` + param
}

// scanStory scans storyColumns, then extra destinations.
func scanStory(sc interface{ Scan(...any) error }, extra ...any) (*masthead.Story, error) {
	s := &masthead.Story{}
	dest := []any{
		&s.ID, &s.Slug, &s.Headline, &s.Dek, &s.Body, &s.BodyFormat, &s.BodyHTML,
		&s.Status, &s.Access, &s.Comments, &s.CommentCount,
		timeCol{&s.PublishedAt}, timeCol{&s.CreatedAt}, timeCol{&s.UpdatedAt},
		&s.Section.ID, &s.Section.Slug, &s.Section.Name, &s.Section.Description, &s.Section.Position,
		&s.CommentsCloseDays, &s.Premoderated,
	}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	return s, nil
}

func errStoryNotFound() error {
	return masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgStoryNotFound))
}

// FindStoryBySlug returns the visible story with the slug.
func (ss *StoryService) FindStoryBySlug(ctx context.Context, slug string) (*masthead.Story, error) {
	var s *masthead.Story
	err := ss.db.readTx(ctx, func(tx *sql.Tx) (err error) {
		s, err = ss.findStory(ctx, tx, slug, true)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sqldb: find story: %w", err)
	}
	return s, nil
}

// FindStoryForEditing returns the story with the slug whatever its status.
func (ss *StoryService) FindStoryForEditing(ctx context.Context, slug string) (*masthead.Story, error) {
	var s *masthead.Story
	err := ss.db.readTx(ctx, func(tx *sql.Tx) (err error) {
		s, err = ss.findStory(ctx, tx, slug, false)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sqldb: find story for editing: %w", err)
	}
	return s, nil
}

func (ss *StoryService) findStory(ctx context.Context, tx *sql.Tx, slug string, visibleOnly bool) (*masthead.Story, error) {
	q := `SELECT ` + storyColumns + `
FROM stories s JOIN sections sec ON sec.id = s.section_id
WHERE s.slug = $1`
	args := []any{slug}
	if visibleOnly {
		q += ` AND ` + visibleAt("$2")
		args = append(args, ss.db.timeArg(ss.db.clock()))
	}
	s, err := scanStory(ss.db.queryRowRead(ctx, tx, q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errStoryNotFound()
	} else if err != nil {
		return nil, err
	}
	if err := ss.attachBylines(ctx, tx, []*masthead.Story{s}); err != nil {
		return nil, err
	}
	return s, nil
}

// FindStories returns a page of visible stories, newest first.
func (ss *StoryService) FindStories(ctx context.Context, f masthead.StoryFilter) (*masthead.StoryPage, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = defaultPageSize
	} else if limit > maxPageSize {
		limit = maxPageSize
	}

	args := []any{ss.db.timeArg(ss.db.clock())}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	var where strings.Builder
	where.WriteString(visibleAt("$1"))
	switch {
	case f.Section != "":
		where.WriteString(` AND sec.slug = ` + arg(f.Section))
	case f.Tag != "":
		where.WriteString(` AND EXISTS (SELECT 1 FROM story_tags st JOIN tags t ON t.id = st.tag_id
	WHERE st.story_id = s.id AND t.slug = ` + arg(f.Tag) + `)`)
	case f.Author != "":
		where.WriteString(` AND EXISTS (SELECT 1 FROM story_authors sa JOIN authors a ON a.id = sa.author_id
	WHERE sa.story_id = s.id AND a.slug = ` + arg(f.Author) + `)`)
	}
	if f.After != nil {
		p, id := arg(ss.db.timeArg(storedTime(f.After.PublishedAt))), arg(f.After.ID)
		where.WriteString(` AND (s.published_at < ` + p + ` OR (s.published_at = ` + p + ` AND s.id < ` + id + `))`)
	}
	q := `SELECT ` + listColumns + `
FROM stories s JOIN sections sec ON sec.id = s.section_id
WHERE ` + where.String() + `
ORDER BY s.published_at DESC, s.id DESC
LIMIT ` + arg(limit+1)

	page := &masthead.StoryPage{Stories: []*masthead.Story{}}
	err := ss.db.readTx(ctx, func(tx *sql.Tx) error {
		stories, err := ss.db.queryStories(ctx, tx, q, args...)
		if err != nil {
			return err
		}
		if len(stories) > limit {
			stories = stories[:limit]
			page.Next = masthead.CursorFor(stories[limit-1])
		}
		page.Stories = stories
		return ss.attachBylines(ctx, tx, stories)
	})
	if err != nil {
		return nil, fmt.Errorf("sqldb: find stories: %w", err)
	}
	return page, nil
}

// FindLatestBySection returns up to perSection (1 to 100) of the newest
// visible stories of every section that has any, keyed by section slug.
//
// It reads the sections, then asks for each section's newest stories in
// one UNION ALL query whose arms each walk the (section_id, published_at)
// index from the top, so the cost grows with the number of sections and
// perSection, not with the number of stories.
func (ss *StoryService) FindLatestBySection(ctx context.Context, perSection int) (map[string][]*masthead.Story, error) {
	perSection = min(max(perSection, 1), maxPageSize)
	out := map[string][]*masthead.Story{}
	err := ss.db.readTx(ctx, func(tx *sql.Tx) error {
		ids, err := ss.db.sectionIDs(ctx, tx)
		if err != nil || len(ids) == 0 {
			return err
		}
		args := []any{ss.db.timeArg(ss.db.clock()), perSection}
		arms := make([]string, len(ids))
		for i, id := range ids {
			args = append(args, id)
			arms[i] = `SELECT * FROM (SELECT ` + listColumns + `
	FROM stories s JOIN sections sec ON sec.id = s.section_id
	WHERE s.section_id = $` + strconv.Itoa(len(args)) + ` AND ` + visibleAt("$1") + `
	ORDER BY s.published_at DESC, s.id DESC
	LIMIT $2) AS arm` + strconv.Itoa(i)
		}
		// Order by column number: sec.position, sec.id, s.published_at, s.id.
		q := strings.Join(arms, "\nUNION ALL\n") + "\nORDER BY 19, 15, 12 DESC, 1 DESC"
		stories, err := ss.db.queryStories(ctx, tx, q, args...)
		if err != nil {
			return err
		}
		for _, s := range stories {
			out[s.Section.Slug] = append(out[s.Section.Slug], s)
		}
		return ss.attachBylines(ctx, tx, stories)
	})
	if err != nil {
		return nil, fmt.Errorf("sqldb: find latest by section: %w", err)
	}
	return out, nil
}

// sectionIDs returns every section's ID in navigation order.
func (db *DB) sectionIDs(ctx context.Context, tx *sql.Tx) ([]int64, error) {
	rows, err := db.queryRead(ctx, tx, `SELECT id FROM sections ORDER BY position, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// ListStoryRefs returns every visible story's slug and times, newest first.
func (ss *StoryService) ListStoryRefs(ctx context.Context) ([]masthead.StoryRef, error) {
	rows, err := ss.db.read.QueryContext(ctx, `SELECT s.slug, s.published_at, s.updated_at
FROM stories s
WHERE `+visibleAt("$1")+`
ORDER BY s.published_at DESC, s.id DESC`, ss.db.timeArg(ss.db.clock()))
	if err != nil {
		return nil, fmt.Errorf("sqldb: list story refs: %w", err)
	}
	defer rows.Close()
	refs := []masthead.StoryRef{}
	for rows.Next() {
		var r masthead.StoryRef
		if err := rows.Scan(&r.Slug, timeCol{&r.PublishedAt}, timeCol{&r.UpdatedAt}); err != nil {
			return nil, fmt.Errorf("sqldb: list story refs: %w", err)
		}
		refs = append(refs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqldb: list story refs: %w", err)
	}
	return refs, nil
}

// SearchStories returns visible stories matching every word of query,
// best first. An empty query finds nothing; a query longer than
// masthead.MaxSearchLen characters is EINVALID.
func (ss *StoryService) SearchStories(ctx context.Context, query string, limit int) ([]masthead.SearchResult, error) {
	if utf8.RuneCountInString(query) > masthead.MaxSearchLen {
		return nil, masthead.Errorf(masthead.EINVALID, "%s", masthead.Msg(masthead.MsgSearchQueryTooLong, masthead.MaxSearchLen))
	}
	if limit <= 0 {
		limit = defaultPageSize
	} else if limit > maxPageSize {
		limit = maxPageSize
	}
	results := []masthead.SearchResult{}
	terms := searchTerms(query)
	if len(terms) == 0 {
		return results, nil
	}
	err := ss.db.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := ss.db.queryRead(ctx, tx, ss.db.searchSQL(),
			ss.db.searchQuery(terms), ss.db.timeArg(ss.db.clock()), limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		var stories []*masthead.Story
		for rows.Next() {
			var rank float64
			s, err := scanStory(rows, &rank)
			if err != nil {
				return err
			}
			results = append(results, masthead.SearchResult{Story: s, Rank: rank})
			stories = append(stories, s)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return ss.attachBylines(ctx, tx, stories)
	})
	if err != nil {
		return nil, fmt.Errorf("sqldb: search stories: %w", err)
	}
	return results, nil
}

// queryStories runs a read query returning storyColumns (or listColumns).
func (db *DB) queryStories(ctx context.Context, tx *sql.Tx, q string, args ...any) ([]*masthead.Story, error) {
	rows, err := db.queryRead(ctx, tx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	stories := []*masthead.Story{}
	for rows.Next() {
		s, err := scanStory(rows)
		if err != nil {
			return nil, err
		}
		stories = append(stories, s)
	}
	return stories, rows.Err()
}

// attachBylines loads the authors and the tags of stories, one query each.
func (ss *StoryService) attachBylines(ctx context.Context, tx *sql.Tx, stories []*masthead.Story) error {
	if len(stories) == 0 {
		return nil
	}
	byID := make(map[int64]*masthead.Story, len(stories))
	ids := make([]any, 0, len(stories))
	for _, s := range stories {
		if _, dup := byID[s.ID]; !dup {
			ids = append(ids, s.ID)
		}
		byID[s.ID] = s
		s.Authors, s.Tags = []masthead.Author{}, []masthead.Tag{}
	}
	in := placeholders(1, len(ids))

	rows, err := ss.db.queryRead(ctx, tx, `SELECT sa.story_id, a.id, a.slug, a.name, a.bio
FROM story_authors sa JOIN authors a ON a.id = sa.author_id
WHERE sa.story_id IN (`+in+`)
ORDER BY sa.story_id, sa.position`, ids...)
	if err != nil {
		return fmt.Errorf("authors: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var a masthead.Author
		if err := rows.Scan(&id, &a.ID, &a.Slug, &a.Name, &a.Bio); err != nil {
			return fmt.Errorf("authors: %w", err)
		}
		byID[id].Authors = append(byID[id].Authors, a)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("authors: %w", err)
	}
	rows.Close()

	rows, err = ss.db.queryRead(ctx, tx, `SELECT st.story_id, t.id, t.slug, t.name
FROM story_tags st JOIN tags t ON t.id = st.tag_id
WHERE st.story_id IN (`+in+`)
ORDER BY st.story_id, st.position`, ids...)
	if err != nil {
		return fmt.Errorf("tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var t masthead.Tag
		if err := rows.Scan(&id, &t.ID, &t.Slug, &t.Name); err != nil {
			return fmt.Errorf("tags: %w", err)
		}
		byID[id].Tags = append(byID[id].Tags, t)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("tags: %w", err)
	}
	return nil
}

// SaveStory normalises, validates and renders s, then creates it or
// updates the story with its slug, in one transaction.
func (ss *StoryService) SaveStory(ctx context.Context, s *masthead.Story) error {
	if ss.db.renderer == nil {
		return errors.New("sqldb: save story: no body renderer configured")
	}
	s.Normalize()
	if err := s.Validate(); err != nil {
		return err
	}
	html, err := ss.db.renderer.RenderBody(s.BodyFormat, s.Body)
	if err != nil {
		return fmt.Errorf("sqldb: save story: render body: %w", err)
	}

	// Work on a copy so that s changes only when everything is written.
	saved := *s
	saved.BodyHTML = html
	saved.PublishedAt = storedTime(s.PublishedAt)
	saved.Authors = dedupeAuthors(s.Authors)
	saved.Tags = dedupeTags(s.Tags)
	now := ss.db.clock()
	err = ss.db.writeTx(ctx, func(tx *sql.Tx) error {
		return ss.saveStory(ctx, tx, &saved, now)
	})
	if err != nil {
		return fmt.Errorf("sqldb: save story: %w", err)
	}
	*s = saved
	return nil
}

// saveStory writes s and everything it refers to, all stamped now.
func (ss *StoryService) saveStory(ctx context.Context, tx *sql.Tx, s *masthead.Story, now time.Time) error {
	if err := upsertStorySection(ctx, tx, &s.Section); err != nil {
		return fmt.Errorf("section: %w", err)
	}
	// Rows are locked in one global order — section, then authors and
	// tags by slug, then the story — so that concurrent saves on
	// PostgreSQL queue instead of deadlocking.
	for _, i := range bySlug(len(s.Authors), func(i int) string { return s.Authors[i].Slug }) {
		if err := upsertAuthor(ctx, tx, &s.Authors[i]); err != nil {
			return fmt.Errorf("author %q: %w", s.Authors[i].Slug, err)
		}
	}
	for _, i := range bySlug(len(s.Tags), func(i int) string { return s.Tags[i].Slug }) {
		if err := upsertTag(ctx, tx, &s.Tags[i]); err != nil {
			return fmt.Errorf("tag %q: %w", s.Tags[i].Slug, err)
		}
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO stories
	(slug, headline, dek, body, body_format, body_html, section_id, status, access, comments,
	 published_at, created_at, updated_at, comments_close_days, premoderated)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
ON CONFLICT (slug) DO UPDATE SET
	headline = excluded.headline, dek = excluded.dek, body = excluded.body,
	body_format = excluded.body_format, body_html = excluded.body_html,
	section_id = excluded.section_id, status = excluded.status, access = excluded.access,
	comments = excluded.comments, published_at = excluded.published_at,
	comments_close_days = excluded.comments_close_days, premoderated = excluded.premoderated,
	updated_at = $12
RETURNING id, comment_count, created_at, updated_at`,
		s.Slug, s.Headline, s.Dek, s.Body, string(s.BodyFormat), s.BodyHTML, s.Section.ID,
		string(s.Status), string(s.Access), string(s.Comments),
		ss.db.timeArg(s.PublishedAt), ss.db.timeArg(now), ss.db.timeArg(firstUpdate(s, now)),
		s.CommentsCloseDays, s.Premoderated,
	).Scan(&s.ID, &s.CommentCount, timeCol{&s.CreatedAt}, timeCol{&s.UpdatedAt})
	if err != nil {
		return fmt.Errorf("story: %w", err)
	}

	return writeStoryLinks(ctx, tx, s)
}

// firstUpdate is the UpdatedAt of a story when it is created: its
// publication time when that has passed (a story imported with an old date
// was not "updated" at import time), else now. Every later save sets now.
func firstUpdate(s *masthead.Story, now time.Time) time.Time {
	if !s.PublishedAt.IsZero() && s.PublishedAt.Before(now) {
		return storedTime(s.PublishedAt)
	}
	return now
}

// upsertStorySection finds or creates the section a story names and fills
// in sec. A story naming a section by ID alone needs it to exist; one
// naming it by slug creates it if new (named after its slug when the story
// gives no name, last in navigation), and renames it only when the story
// gives a name.
func upsertStorySection(ctx context.Context, tx *sql.Tx, sec *masthead.Section) error {
	if sec.Slug == "" {
		err := tx.QueryRowContext(ctx, `SELECT id, slug, name, description, position FROM sections WHERE id = $1`, sec.ID).
			Scan(&sec.ID, &sec.Slug, &sec.Name, &sec.Description, &sec.Position)
		if errors.Is(err, sql.ErrNoRows) {
			return masthead.FieldError("section", masthead.Msg(masthead.MsgSectionNotFound))
		}
		return err
	}
	name := sec.Name
	if name == "" {
		name = sec.Slug
	}
	return tx.QueryRowContext(ctx, `INSERT INTO sections (slug, name, description, position)
VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), 0) + 1 FROM sections))
ON CONFLICT (slug) DO UPDATE SET
	name = CASE WHEN CAST($4 AS TEXT) = '' THEN sections.name ELSE excluded.name END,
	description = CASE WHEN excluded.description = '' THEN sections.description ELSE excluded.description END
RETURNING id, name, description, position`, sec.Slug, name, sec.Description, sec.Name).
		Scan(&sec.ID, &sec.Name, &sec.Description, &sec.Position)
}

// upsertAuthor creates or renames an author by slug, keeping the bio when
// a is given none, and fills in a.
func upsertAuthor(ctx context.Context, tx *sql.Tx, a *masthead.Author) error {
	return tx.QueryRowContext(ctx, `INSERT INTO authors (slug, name, bio) VALUES ($1, $2, $3)
ON CONFLICT (slug) DO UPDATE SET
	name = excluded.name,
	bio = CASE WHEN excluded.bio = '' THEN authors.bio ELSE excluded.bio END
RETURNING id, name, bio`, a.Slug, a.Name, a.Bio).Scan(&a.ID, &a.Name, &a.Bio)
}

// upsertTag creates a tag by slug (named after its slug when t has no
// name), renames it when t has a name, and fills in t.
func upsertTag(ctx context.Context, tx *sql.Tx, t *masthead.Tag) error {
	name := t.Name
	if name == "" {
		name = t.Slug
	}
	return tx.QueryRowContext(ctx, `INSERT INTO tags (slug, name) VALUES ($1, $2)
ON CONFLICT (slug) DO UPDATE SET
	name = CASE WHEN CAST($3 AS TEXT) = '' THEN tags.name ELSE excluded.name END
RETURNING id, name`, t.Slug, name, t.Name).Scan(&t.ID, &t.Name)
}

// bySlug returns the indexes 0 to n-1 ordered by slug(i).
func bySlug(n int, slug func(i int) string) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return slug(idx[a]) < slug(idx[b]) })
	return idx
}

// dedupeAuthors returns authors without repeated slugs, first kept.
func dedupeAuthors(authors []masthead.Author) []masthead.Author {
	out := []masthead.Author{}
	seen := map[string]bool{}
	for _, a := range authors {
		if !seen[a.Slug] {
			seen[a.Slug] = true
			out = append(out, a)
		}
	}
	return out
}

// dedupeTags returns tags without repeated slugs, first kept.
func dedupeTags(tags []masthead.Tag) []masthead.Tag {
	out := []masthead.Tag{}
	seen := map[string]bool{}
	for _, t := range tags {
		if !seen[t.Slug] {
			seen[t.Slug] = true
			out = append(out, t)
		}
	}
	return out
}

// CountStories returns how many stories exist, in any status.
func (ss *StoryService) CountStories(ctx context.Context) (int, error) {
	var n int
	if err := ss.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM stories`).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqldb: count stories: %w", err)
	}
	return n, nil
}

// writeStoryLinks replaces the story's authors and tags, in their order,
// with those of s (already saved, with their IDs).
func writeStoryLinks(ctx context.Context, tx *sql.Tx, s *masthead.Story) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM story_authors WHERE story_id = $1`, s.ID); err != nil {
		return fmt.Errorf("story authors: %w", err)
	}
	for i, a := range s.Authors {
		if _, err := tx.ExecContext(ctx, `INSERT INTO story_authors (story_id, author_id, position) VALUES ($1, $2, $3)`,
			s.ID, a.ID, i); err != nil {
			return fmt.Errorf("story authors: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM story_tags WHERE story_id = $1`, s.ID); err != nil {
		return fmt.Errorf("story tags: %w", err)
	}
	for i, t := range s.Tags {
		if _, err := tx.ExecContext(ctx, `INSERT INTO story_tags (story_id, tag_id, position) VALUES ($1, $2, $3)`,
			s.ID, t.ID, i); err != nil {
			return fmt.Errorf("story tags: %w", err)
		}
	}
	return nil
}
