package masthead

import (
	"context"
	"slices"
	"strings"
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
	// SaveAuthorEdit and SaveSectionEdit create an author or a section
	// (ID 0) or update the one with the ID, slug included, with an audit
	// entry; a slug another one has is ECONFLICT.
	SaveAuthorEdit(ctx context.Context, actor Actor, a *Author) error
	SaveSectionEdit(ctx context.Context, actor Actor, sec *Section) error
}

// DiffOp says what a line of a diff is: in both texts, only in the new
// one, or only in the old one.
type DiffOp int

// The three kinds of diff line.
const (
	DiffEqual DiffOp = iota
	DiffInsert
	DiffDelete
)

// DiffLine is one line of a line diff. OldNum and NewNum are its 1-based
// line numbers in the old and the new text, 0 where it has none.
type DiffLine struct {
	Op     DiffOp
	Text   string
	OldNum int
	NewNum int
}

// DefaultDiffCells is the most cells (old lines × new lines, after the
// common start and end are set aside) DiffLines compares line by line;
// beyond it the changed middle is shown as removed and then added, so that
// a diff of two huge bodies costs bounded memory and time.
const DefaultDiffCells = 4_000_000

// DiffLines returns the line diff that turns old into new: the longest
// common subsequence of their lines is kept, everything else is deleted
// or inserted, deletions before insertions at each change. It compares at
// most DefaultDiffCells cells; see DiffLinesWithin.
func DiffLines(old, new string) []DiffLine {
	return DiffLinesWithin(old, new, DefaultDiffCells)
}

// DiffLinesWithin is DiffLines with a limit of maxCells on the comparison
// table (0 or less means DefaultDiffCells).
func DiffLinesWithin(old, new string, maxCells int) []DiffLine {
	if maxCells <= 0 {
		maxCells = DefaultDiffCells
	}
	a, b := splitLines(old), splitLines(new)
	// The common start and end need no table.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	out := make([]DiffLine, 0, len(a)+len(b))
	for i := 0; i < pre; i++ {
		out = append(out, DiffLine{Op: DiffEqual, Text: a[i], OldNum: i + 1, NewNum: i + 1})
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	out = append(out, diffMiddle(ma, mb, pre, pre, maxCells)...)
	for k := 0; k < suf; k++ {
		i, j := len(a)-suf+k, len(b)-suf+k
		out = append(out, DiffLine{Op: DiffEqual, Text: a[i], OldNum: i + 1, NewNum: j + 1})
	}
	return out
}

// diffMiddle diffs a and b, whose first lines are line offA+1 and offB+1
// of their texts, by the longest common subsequence of their lines.
func diffMiddle(a, b []string, offA, offB, maxCells int) []DiffLine {
	var out []DiffLine
	del := func(i int) { out = append(out, DiffLine{Op: DiffDelete, Text: a[i], OldNum: offA + i + 1}) }
	ins := func(j int) { out = append(out, DiffLine{Op: DiffInsert, Text: b[j], NewNum: offB + j + 1}) }
	n, m := len(a), len(b)
	if n == 0 || m == 0 || (n+1)*(m+1) > maxCells {
		for i := range n {
			del(i)
		}
		for j := range m {
			ins(j)
		}
		return out
	}
	// lcs[i][j] is the length of the longest common subsequence of a[i:]
	// and b[j:], in one flat table.
	w := m + 1
	lcs := make([]int32, (n+1)*w)
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			out = append(out, DiffLine{Op: DiffEqual, Text: a[i], OldNum: offA + i + 1, NewNum: offB + j + 1})
			i++
			j++
		case lcs[(i+1)*w+j] >= lcs[i*w+j+1]:
			del(i)
			i++
		default:
			ins(j)
			j++
		}
	}
	for ; i < n; i++ {
		del(i)
	}
	for ; j < m; j++ {
		ins(j)
	}
	return out
}

// splitLines splits text into lines, treating CRLF as LF; an empty text
// has no lines and a final newline does not start another.
func splitLines(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if text == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(text, "\n"), "\n")
}

// Story fields that ChangedFields names.
const (
	FieldHeadline          = "headline"
	FieldSlug              = "slug"
	FieldDek               = "dek"
	FieldBody              = "body"
	FieldSection           = "section"
	FieldAuthors           = "authors"
	FieldTags              = "tags"
	FieldAccess            = "access"
	FieldComments          = "comments"
	FieldCommentsCloseDays = "comments_close_days"
	FieldPremoderated      = "premoderated"
	FieldStatus            = "status"
	FieldPublishedAt       = "published_at"
)

// ChangedFields returns the names (the Field* constants) of the story
// fields whose content differs between a and b, in form order. Sections,
// authors and tags are compared by slug.
func ChangedFields(a, b *Story) []string {
	var out []string
	add := func(changed bool, name string) {
		if changed {
			out = append(out, name)
		}
	}
	add(a.Headline != b.Headline, FieldHeadline)
	add(a.Slug != b.Slug, FieldSlug)
	add(a.Dek != b.Dek, FieldDek)
	add(a.Body != b.Body || a.BodyFormat != b.BodyFormat, FieldBody)
	add(a.Section.Slug != b.Section.Slug, FieldSection)
	add(!slices.Equal(authorSlugs(a.Authors), authorSlugs(b.Authors)), FieldAuthors)
	add(!slices.Equal(tagSlugs(a.Tags), tagSlugs(b.Tags)), FieldTags)
	add(a.Access != b.Access, FieldAccess)
	add(a.Comments != b.Comments, FieldComments)
	add(a.CommentsCloseDays != b.CommentsCloseDays, FieldCommentsCloseDays)
	add(a.Premoderated != b.Premoderated, FieldPremoderated)
	add(a.Status != b.Status, FieldStatus)
	add(!a.PublishedAt.Equal(b.PublishedAt), FieldPublishedAt)
	return out
}

func authorSlugs(as []Author) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Slug
	}
	return out
}

func tagSlugs(ts []Tag) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Slug
	}
	return out
}

// Limits on sections and authors, in characters: the name of either, an
// author's bio and a section's description.
const (
	MaxEditorNameLen         = 120
	MaxAuthorBioLen          = 2000
	MaxSectionDescriptionLen = 400
)

// MaxCommentsCloseDays is the longest a story's own comment-closing delay
// may be: ten years.
const MaxCommentsCloseDays = 3650

// ValidateEdit returns an EINVALID error naming the first field that is
// wrong with a story saved in the editor: everything Validate checks, and
// the story's own comment rules.
func (s *Story) ValidateEdit() error {
	if err := s.Validate(); err != nil {
		return err
	}
	if s.CommentsCloseDays < 0 || s.CommentsCloseDays > MaxCommentsCloseDays {
		return FieldError(FieldCommentsCloseDays, Msg(MsgEditorCloseDaysInvalid, MaxCommentsCloseDays))
	}
	return nil
}

// AuditAction returns the audit action of a save that takes a story from
// before (nil for a new story) to after: publishing, unpublishing or
// scheduling when its status or schedule changes, else a plain save.
func AuditAction(before, after *Story) string {
	var was StoryStatus
	var wasAt time.Time
	if before != nil {
		was, wasAt = before.Status, before.PublishedAt
	}
	switch {
	case after.Status == StatusPublished && was != StatusPublished:
		return AuditStoryPublish
	case after.Status == StatusDraft && before != nil && was != StatusDraft:
		return AuditStoryUnpublish
	case after.Status == StatusScheduled && (was != StatusScheduled || !wasAt.Equal(after.PublishedAt)):
		return AuditStorySchedule
	}
	return AuditStorySave
}
