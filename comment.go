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
// made "\n", leading blank lines and trailing space trimmed, and otherwise
// as typed; or an EINVALID error (field "body") when it is not valid text
// (invalid UTF-8, or control characters other than tab and newline, which
// PostgreSQL and HTML cannot carry faithfully), empty (nothing but spaces
// and invisible formatting characters), or longer than maxLen characters
// (runes, counted after normalisation).
func NormalizeCommentBody(body string, maxLen int) (string, error) {
	if !utf8.ValidString(body) {
		return "", FieldError("body", Msg(MsgCommentInvalidText))
	}
	body = norm.NFC.String(strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\r", "\n"))
	for _, r := range body {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
			return "", FieldError("body", Msg(MsgCommentInvalidText))
		}
	}
	body = strings.TrimRightFunc(body, unicode.IsSpace)
	// Drop leading blank lines, including ones holding only spaces, but
	// keep the indentation of the first line with text.
	for {
		i := strings.IndexByte(body, '\n')
		if i < 0 || strings.TrimSpace(body[:i]) != "" {
			break
		}
		body = body[i+1:]
	}
	if strings.IndexFunc(body, func(r rune) bool { return !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) }) < 0 {
		return "", FieldError("body", Msg(MsgCommentEmpty))
	}
	if n := utf8.RuneCountInString(body); n > maxLen {
		return "", FieldError("body", Msg(MsgCommentTooLong, maxLen, n))
	}
	return body, nil
}

// RenderCommentBody renders a comment's plain text as HTML: paragraphs at
// blank lines (lines empty or holding only spaces), line breaks within
// them, every character escaped, and http(s) URLs made links that search
// engines do not follow. No HTML the commenter typed survives as markup.
// Text that NormalizeCommentBody would refuse is still rendered inertly:
// invalid UTF-8 and NUL become U+FFFD.
func RenderCommentBody(body string) string {
	body = strings.ReplaceAll(strings.ToValidUTF8(body, "\uFFFD"), "\x00", "\uFFFD")
	body = strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\r", "\n")
	var b strings.Builder
	var para []string
	flush := func() {
		if len(para) == 0 {
			return
		}
		b.WriteString("<p>")
		for i, line := range para {
			if i > 0 {
				b.WriteString("<br>\n")
			}
			writeLinked(&b, line)
		}
		b.WriteString("</p>\n")
		para = para[:0]
	}
	for _, line := range strings.Split(body, "\n") {
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		para = append(para, line)
	}
	flush()
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
// (at a word boundary, and with a host: a letter or digit after "//"),
// or -1.
func indexURL(s string) int {
	off := 0
	for {
		i := strings.Index(s[off:], "http")
		if i < 0 {
			return -1
		}
		i += off
		rest := s[i:]
		scheme := 0
		switch {
		case strings.HasPrefix(rest, "https://"):
			scheme = len("https://")
		case strings.HasPrefix(rest, "http://"):
			scheme = len("http://")
		}
		if scheme > 0 && atWordStart(s, i) {
			if r, _ := utf8.DecodeRuneInString(rest[scheme:]); unicode.IsLetter(r) || unicode.IsDigit(r) {
				return i
			}
		}
		off = i + 4
	}
}

// atWordStart reports whether s[i:] starts a word: s[i-1] does not end a
// letter, digit or underscore.
func atWordStart(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// urlEnd returns the length of the URL at the start of s: up to
// whitespace or a character that cannot be in a URL (including invisible
// formatting characters such as bidi overrides, which could disguise a
// link), without trailing punctuation that ends a sentence, and without
// a closing bracket that has no opening one in the URL.
func urlEnd(s string) int {
	end := 0
	for end < len(s) {
		r, size := utf8.DecodeRuneInString(s[end:])
		if unicode.IsSpace(r) || r == '<' || r == '>' || r == '"' || r == '\'' || r == '`' || r < 0x20 || r == 0x7f ||
			r == utf8.RuneError || unicode.Is(unicode.Cf, r) {
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
