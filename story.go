package masthead

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Access decides who may read a story. The plans issue enforces it; until
// then it is shown as a label.
type Access string

// The three kinds of story access.
const (
	AccessFree    Access = "free"
	AccessMetered Access = "metered"
	AccessPremium Access = "premium"
)

// Valid reports whether a is one of the known access levels.
func (a Access) Valid() bool {
	return a == AccessFree || a == AccessMetered || a == AccessPremium
}

// CommentsMode says whether a story takes new comments.
type CommentsMode string

// The two comment modes of a story.
const (
	CommentsOpen   CommentsMode = "open"
	CommentsClosed CommentsMode = "closed"
)

// Valid reports whether m is a known comment mode.
func (m CommentsMode) Valid() bool { return m == CommentsOpen || m == CommentsClosed }

// StoryStatus is where a story is in its life.
type StoryStatus string

// Story statuses. A scheduled story becomes visible by itself once its
// PublishedAt has passed; nothing has to run for that to happen.
const (
	StatusDraft     StoryStatus = "draft"
	StatusScheduled StoryStatus = "scheduled"
	StatusPublished StoryStatus = "published"
)

// Valid reports whether s is a known status.
func (s StoryStatus) Valid() bool {
	return s == StatusDraft || s == StatusScheduled || s == StatusPublished
}

// BodyFormat says how a story's Body is written.
type BodyFormat string

// Body formats. Plain text is kept exactly as written: each paragraph becomes
// one HTML paragraph, with no Markdown and no typographic substitutions.
const (
	FormatMarkdown BodyFormat = "markdown"
	FormatText     BodyFormat = "text"
)

// Valid reports whether f is a known body format.
func (f BodyFormat) Valid() bool { return f == FormatMarkdown || f == FormatText }

// Limits on story fields.
const (
	MaxHeadlineLen = 200
	MaxDekLen      = 400
	MaxSlugLen     = 120
	MaxSearchLen   = 200
)

// Section is a part of the newspaper with its own page, such as "World".
type Section struct {
	ID          int64  `json:"-"`
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Position orders sections in navigation, lowest first.
	Position int `json:"-"`
}

// Author is a byline.
type Author struct {
	ID   int64  `json:"-"`
	Slug string `json:"slug"`
	Name string `json:"name"`
	Bio  string `json:"bio,omitempty"`
}

// Tag is a topic a story is filed under.
type Tag struct {
	ID   int64  `json:"-"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// Story is one published (or yet to be published) piece of journalism.
type Story struct {
	ID       int64
	Slug     string
	Headline string
	Dek      string

	// Body is the story as written, in BodyFormat.
	Body       string
	BodyFormat BodyFormat
	// BodyHTML is Body rendered to sanitised HTML. It is computed once, when
	// the story is saved, never per view.
	BodyHTML string

	Section Section
	Authors []Author
	Tags    []Tag

	Status   StoryStatus
	Access   Access
	Comments CommentsMode
	// CommentsCloseDays closes comments this many days after publication;
	// 0 defers to the site's CommentPolicy.AutoCloseDays.
	CommentsCloseDays int
	// Premoderated holds every comment on this story for review.
	Premoderated bool
	// CommentCount is kept up to date when comments are written.
	CommentCount int

	// PublishedAt is when the story goes (or went) live.
	PublishedAt time.Time
	// UpdatedAt is when the story last changed.
	UpdatedAt time.Time
	CreatedAt time.Time
}

// Visible reports whether readers may see the story at now: it is scheduled
// or published and its publication time has come.
func (s *Story) Visible(now time.Time) bool {
	if s.Status == StatusDraft || s.PublishedAt.IsZero() {
		return false
	}
	return !s.PublishedAt.After(now)
}

// Paragraphs returns the body split into paragraphs as a plain-text story
// has them: one per line, blank lines ignored. It is meant for plain-text
// bodies and for excerpts.
func Paragraphs(body string) []string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) != "" {
			out = append(out, strings.TrimRight(line, " \t\r"))
		}
	}
	return out
}

// Normalize tidies a story before validation: NFC text, trimmed fields,
// defaults for empty enumerations, a slug from the headline when none is
// given, and slugs for sections, authors and tags from their names.
func (s *Story) Normalize() {
	s.Headline = strings.TrimSpace(norm.NFC.String(s.Headline))
	s.Dek = strings.TrimSpace(norm.NFC.String(s.Dek))
	s.Body = norm.NFC.String(s.Body)
	s.Slug = strings.TrimSpace(s.Slug)
	if s.Slug == "" {
		s.Slug = Slugify(s.Headline)
	}
	if s.BodyFormat == "" {
		s.BodyFormat = FormatMarkdown
	}
	if s.Status == "" {
		s.Status = StatusDraft
	}
	if s.Access == "" {
		s.Access = AccessMetered
	}
	if s.Comments == "" {
		s.Comments = CommentsOpen
	}
	s.Section.Name = strings.TrimSpace(s.Section.Name)
	if s.Section.Slug == "" {
		s.Section.Slug = Slugify(s.Section.Name)
	}
	for i := range s.Authors {
		s.Authors[i].Name = strings.TrimSpace(s.Authors[i].Name)
		if s.Authors[i].Slug == "" {
			s.Authors[i].Slug = Slugify(s.Authors[i].Name)
		}
	}
	for i := range s.Tags {
		s.Tags[i].Name = strings.TrimSpace(s.Tags[i].Name)
		if s.Tags[i].Slug == "" {
			s.Tags[i].Slug = Slugify(s.Tags[i].Name)
		}
	}
}

// Validate returns an EINVALID error naming the first field that is wrong.
func (s *Story) Validate() error {
	switch {
	case s.Headline == "":
		return FieldError("headline", Msg(MsgHeadlineRequired))
	case utf8.RuneCountInString(s.Headline) > MaxHeadlineLen:
		return FieldError("headline", Msg(MsgHeadlineTooLong, MaxHeadlineLen))
	case utf8.RuneCountInString(s.Dek) > MaxDekLen:
		return FieldError("dek", Msg(MsgDekTooLong, MaxDekLen))
	case !ValidSlug(s.Slug):
		return FieldError("slug", Msg(MsgSlugInvalid, MaxSlugLen, s.Slug))
	case strings.TrimSpace(s.Body) == "":
		return FieldError("body", Msg(MsgBodyRequired))
	case !s.BodyFormat.Valid():
		return FieldError("body_format", Msg(MsgFormatInvalid, s.BodyFormat))
	case s.Section.Slug == "" && s.Section.ID == 0:
		return FieldError("section", Msg(MsgSectionRequired))
	case s.Section.Slug != "" && !ValidSlug(s.Section.Slug):
		return FieldError("section", Msg(MsgSlugInvalid, MaxSlugLen, s.Section.Slug))
	case !s.Status.Valid():
		return FieldError("status", Msg(MsgStatusInvalid, s.Status))
	case !s.Access.Valid():
		return FieldError("access", Msg(MsgAccessInvalid, s.Access))
	case !s.Comments.Valid():
		return FieldError("comments", Msg(MsgCommentsModeInvalid, s.Comments))
	case s.Status != StatusDraft && s.PublishedAt.IsZero():
		return FieldError("published_at", Msg(MsgPublishTimeRequired))
	}
	for _, a := range s.Authors {
		if a.Name == "" {
			return FieldError("authors", Msg(MsgAuthorRequired))
		}
		if !ValidSlug(a.Slug) {
			return FieldError("authors", Msg(MsgNameInvalid))
		}
	}
	for _, t := range s.Tags {
		if !ValidSlug(t.Slug) {
			return FieldError("tags", Msg(MsgNameInvalid))
		}
	}
	return nil
}

// ValidSlug reports whether s is a well-formed slug: 1 to MaxSlugLen
// characters of lower-case ASCII letters, digits and single hyphens, starting
// and ending with a letter or digit.
func ValidSlug(s string) bool {
	if s == "" || len(s) > MaxSlugLen || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' && s[i-1] != '-':
		default:
			return false
		}
	}
	return true
}

// Slugify makes a slug from a headline or name: Latin letters lose their
// accents, other letters and digits are kept only if ASCII, and every run of
// anything else becomes one hyphen. It returns "" when nothing usable is
// left; callers then ask for a slug explicitly.
func Slugify(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFKD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // a combining accent: drop it, keep the base letter
		case r == '\'' || r == '\u2019':
			continue // "Tokyo's" reads better as "tokyos" than "tokyo-s"
		case (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9'):
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		default:
			hyphen = true
		}
		if b.Len() >= MaxSlugLen {
			break
		}
	}
	out := b.String()
	if len(out) > MaxSlugLen {
		out = out[:MaxSlugLen]
	}
	return strings.Trim(out, "-")
}

// StoryCursor is a position in a list of stories ordered newest first, for
// keyset pagination: the next page starts after (PublishedAt, ID).
type StoryCursor struct {
	PublishedAt time.Time
	ID          int64
}

// CursorFor returns the cursor that continues a list after s.
func CursorFor(s *Story) *StoryCursor {
	return &StoryCursor{PublishedAt: s.PublishedAt, ID: s.ID}
}

// Encode returns the cursor as an opaque URL-safe string.
func (c *StoryCursor) Encode() string {
	raw := strconv.FormatInt(c.PublishedAt.UnixNano(), 36) + "." + strconv.FormatInt(c.ID, 36)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// ParseStoryCursor decodes a cursor made by Encode. An empty string is no
// cursor (nil, nil); anything malformed is an EINVALID error.
func ParseStoryCursor(s string) (*StoryCursor, error) {
	if s == "" {
		return nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, Errorf(EINVALID, "%s", Msg(MsgCursorInvalid))
	}
	ts, id, ok := strings.Cut(string(raw), ".")
	if !ok {
		return nil, Errorf(EINVALID, "%s", Msg(MsgCursorInvalid))
	}
	nanos, err1 := strconv.ParseInt(ts, 36, 64)
	n, err2 := strconv.ParseInt(id, 36, 64)
	if err1 != nil || err2 != nil || n <= 0 {
		return nil, Errorf(EINVALID, "%s", Msg(MsgCursorInvalid))
	}
	return &StoryCursor{PublishedAt: time.Unix(0, nanos).UTC(), ID: n}, nil
}

// StoryFilter selects visible stories for a list page. At most one of
// Section, Tag and Author is set; none means every section.
type StoryFilter struct {
	Section string // section slug
	Tag     string // tag slug
	Author  string // author slug

	// After continues a list from a cursor; nil starts at the newest story.
	After *StoryCursor
	// Limit is the page size; the service caps it.
	Limit int
}

// StoryPage is one page of a story list.
type StoryPage struct {
	Stories []*Story
	// Next continues the list, or is nil on the last page.
	Next *StoryCursor
}

// StoryRef is the least a feed of links needs: where a story lives and when
// it last changed.
type StoryRef struct {
	Slug        string
	PublishedAt time.Time
	UpdatedAt   time.Time
}

// SearchResult is one story found by a search, best match first.
type SearchResult struct {
	Story *Story
	// Rank orders results; larger is better. Headline matches rank above
	// matches in the dek, which rank above matches in the body.
	Rank float64
}

// StoryService stores and finds stories, sections, authors and tags.
//
// Reader-facing lookups return only stories that are visible at the
// service's current time: drafts and stories scheduled for later are
// ENOTFOUND and absent from every list.
type StoryService interface {
	// FindStoryBySlug returns the visible story with the slug, with its
	// section, authors and tags.
	FindStoryBySlug(ctx context.Context, slug string) (*Story, error)

	// FindStoryForEditing returns a story by slug whatever its status.
	FindStoryForEditing(ctx context.Context, slug string) (*Story, error)

	// FindStories returns a page of visible stories, newest first, each with
	// its section, authors and tags (loaded without a query per story).
	FindStories(ctx context.Context, filter StoryFilter) (*StoryPage, error)

	// FindLatestBySection returns up to perSection of the newest visible
	// stories of every section, keyed by section slug.
	FindLatestBySection(ctx context.Context, perSection int) (map[string][]*Story, error)

	// ListStoryRefs returns every visible story's slug and times, newest
	// first, for the sitemap.
	ListStoryRefs(ctx context.Context) ([]StoryRef, error)

	// SearchStories returns visible stories matching the words of query,
	// headline matches first, at most limit of them.
	SearchStories(ctx context.Context, query string, limit int) ([]SearchResult, error)

	// SaveStory creates the story, or updates the story with the same slug
	// (keeping its ID), in one transaction. The section, authors and tags
	// are created by slug when new. It renders the body to HTML, validates
	// everything first and writes nothing when anything is wrong. On return
	// s carries its ID, BodyHTML and times.
	SaveStory(ctx context.Context, s *Story) error

	// FindSections returns every section in navigation order.
	FindSections(ctx context.Context) ([]*Section, error)
	// FindSectionBySlug returns one section.
	FindSectionBySlug(ctx context.Context, slug string) (*Section, error)
	// SaveSection creates or updates a section by slug.
	SaveSection(ctx context.Context, sec *Section) error

	// FindAuthorBySlug returns one author.
	FindAuthorBySlug(ctx context.Context, slug string) (*Author, error)
	// FindTagBySlug returns one tag.
	FindTagBySlug(ctx context.Context, slug string) (*Tag, error)

	// CountStories returns how many stories exist in any status; the demo
	// seeder uses it to tell an empty database.
	CountStories(ctx context.Context) (int, error)
}

// BodyRenderer turns a story body into sanitised HTML. It runs once, when a
// story is saved.
type BodyRenderer interface {
	RenderBody(format BodyFormat, body string) (string, error)
}
