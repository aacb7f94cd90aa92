package masthead

import (
	"html"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// CommentStatus is where a comment is in moderation.
type CommentStatus string

// Comment statuses. Only published comments are shown to readers; a
// deleted comment keeps its place in the thread as a placeholder.
const (
	CommentPublished CommentStatus = "published"
	CommentPending   CommentStatus = "pending"
	CommentRejected  CommentStatus = "rejected"
	CommentDeleted   CommentStatus = "deleted"
)

// MaxCommentDepth is the deepest level of a reply: a comment is at depth 0,
// a reply at 1, a reply to a reply at 2. A reply to a comment at the
// deepest level attaches to that comment's parent, with a mention.
const MaxCommentDepth = 2

// Comment is a subscriber's comment on a story.
type Comment struct {
	ID       int64
	StoryID  int64
	ParentID int64 // 0 for a top-level comment
	RootID   int64 // the top-level comment of the thread (its own ID at depth 0)
	Depth    int

	AuthorID    int64
	AuthorName  string // the display name at the time of reading
	AuthorAbout string
	AuthorStaff bool

	// Body is the text as typed, NFC-normalised; BodyHTML is it rendered
	// by RenderCommentBody when saved.
	Body     string
	BodyHTML string

	Status   CommentStatus
	Featured bool
	EditedAt time.Time // zero if never edited

	Respects   int
	ReplyCount int
	// Respected is true when the viewer who asked has respected it.
	Respected bool

	CreatedAt time.Time
	UpdatedAt time.Time
}

// Edited reports whether the comment was changed after it was posted.
func (c *Comment) Edited() bool { return !c.EditedAt.IsZero() }

// CommentSettings are the tunable limits of comments; every one is a site
// setting. DefaultCommentSettings holds the product's numbers.
type CommentSettings struct {
	// Enabled turns commenting on site-wide; existing comments stay
	// readable when it is off.
	Enabled         bool
	MaxLength       int           // 3000 characters
	EditWindow      time.Duration // 5 minutes
	MinInterval     time.Duration // one comment per 5 seconds
	PerDay          int           // 100 comments a day
	DuplicateWindow time.Duration // the same text again within 6 hours is refused
	RespectsPerDay  int           // 200
	ReportsPerDay   int           // 20
	PageSize        int           // 50 top-level comments a page
}

// DefaultCommentSettings returns the product's limits.
func DefaultCommentSettings() CommentSettings {
	return CommentSettings{
		Enabled:         true,
		MaxLength:       3000,
		EditWindow:      5 * time.Minute,
		MinInterval:     5 * time.Second,
		PerDay:          100,
		DuplicateWindow: 6 * time.Hour,
		RespectsPerDay:  200,
		ReportsPerDay:   20,
		PageSize:        50,
	}
}

// NormalizeCommentBody returns the body as stored: NFC, with line endings
// made "\n" and trailing space trimmed, or an EINVALID error (field "body")
// when it is empty or longer than maxLen characters.
func NormalizeCommentBody(body string, maxLen int) (string, error) {
	if !utf8.ValidString(body) {
		return "", FieldError("body", Msg(MsgCommentInvalidText))
	}
	body = norm.NFC.String(strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\r", "\n"))
	body = strings.TrimRightFunc(body, unicode.IsSpace)
	body = strings.TrimLeft(body, "\n")
	if strings.TrimSpace(body) == "" {
		return "", FieldError("body", Msg(MsgCommentEmpty))
	}
	if n := utf8.RuneCountInString(body); n > maxLen {
		return "", FieldError("body", Msg(MsgCommentTooLong, maxLen, n))
	}
	return body, nil
}

// RenderCommentBody renders a comment's plain text as HTML: paragraphs at
// blank lines, line breaks within them, every character escaped, and
// http(s) URLs made links that search engines do not follow. No HTML the
// commenter typed survives as markup.
func RenderCommentBody(body string) string {
	var b strings.Builder
	for _, para := range strings.Split(body, "\n\n") {
		para = strings.Trim(para, "\n")
		if strings.TrimSpace(para) == "" {
			continue
		}
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>\n")
			}
			writeLinked(&b, line)
		}
		b.WriteString("</p>\n")
	}
	return b.String()
}

// writeLinked writes line escaped, with http:// and https:// URLs linked.
func writeLinked(b *strings.Builder, line string) {
	for line != "" {
		i := indexURL(line)
		if i < 0 {
			b.WriteString(html.EscapeString(line))
			return
		}
		b.WriteString(html.EscapeString(line[:i]))
		line = line[i:]
		end := urlEnd(line)
		u := line[:end]
		b.WriteString(`<a href="`)
		b.WriteString(html.EscapeString(u))
		b.WriteString(`" rel="nofollow ugc noopener">`)
		b.WriteString(html.EscapeString(u))
		b.WriteString(`</a>`)
		line = line[end:]
	}
}

// indexURL returns where the first http:// or https:// URL in s starts
// (at a word boundary), or -1.
func indexURL(s string) int {
	off := 0
	for {
		i := strings.Index(s[off:], "http")
		if i < 0 {
			return -1
		}
		i += off
		rest := s[i:]
		if (strings.HasPrefix(rest, "https://") || strings.HasPrefix(rest, "http://")) &&
			(i == 0 || !isWordByte(s[i-1])) && urlEnd(rest) > len("https://") {
			return i
		}
		off = i + 4
	}
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// urlEnd returns the length of the URL at the start of s: up to
// whitespace or a character that cannot be in a URL, without trailing
// punctuation that ends a sentence, and without a closing bracket that
// has no opening one in the URL.
func urlEnd(s string) int {
	end := 0
	for end < len(s) {
		r, size := utf8.DecodeRuneInString(s[end:])
		if unicode.IsSpace(r) || r == '<' || r == '>' || r == '"' || r == '\'' || r == '`' || r < 0x20 || r == 0x7f {
			break
		}
		end += size
	}
	for end > 0 {
		last := s[end-1]
		switch {
		case strings.IndexByte(".,;:!?", last) >= 0:
			end--
			continue
		case last == ')' && strings.Count(s[:end], "(") < strings.Count(s[:end], ")"):
			end--
			continue
		case last == ']' && strings.Count(s[:end], "[") < strings.Count(s[:end], "]"):
			end--
			continue
		}
		break
	}
	return end
}
