// Package storyfile reads story files — Markdown with YAML front matter, or
// plain text — into validated *masthead.Story values. It never writes
// anything; saving is the caller's business.
//
// A Markdown story file looks like this:
//
//	---
//	headline: Harbour bridge reopens after repairs
//	dek: Traffic returns a week early.
//	section: News
//	authors: [Mina Patel, Tom Okafor]
//	tags: transport, city hall
//	published: 2025-03-14 09:30
//	access: metered
//	comments: open
//	---
//	The bridge reopened on Friday...
//
// Every front matter key is optional except that a story needs a headline
// (from the front matter or Options.Headline). The keys are headline, slug,
// dek, section, authors (a list or one name), tags (a list or a
// comma-separated string), published (RFC 3339, "YYYY-MM-DD HH:MM" or
// "YYYY-MM-DD"; times without a zone are in Options.Location), status
// (draft, scheduled or published), access (free, metered or premium) and
// comments (open or closed). Any other key is an error. Without a status, a
// story with no published time is a draft, one published in the future is
// scheduled, and any other is published.
//
// A plain-text story file (*.txt, or any file without front matter that is
// not *.md or *.markdown) has one paragraph per line; blank lines are
// ignored and the text is kept exactly as written (masthead.FormatText). Its
// headline is Options.Headline or, failing that, its first line — provided
// that line looks like a headline: at most MaxTextHeadline characters and
// not ending with a full stop (a line that does reads as the story's first
// paragraph). The first line is then removed from the body. A plain-text
// story is published at Options.Published, or Options.Now, unless
// Options.Status says otherwise.
//
// A Markdown file without front matter is read the same way, except that
// its body is Markdown and a first line "# Heading" is taken as the
// headline.
//
// Every error is a masthead EINVALID error whose message begins with the
// file's name and, where there is one, the line: "story.md:4: ...".
package storyfile

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"masthead"
)

// MaxTextHeadline is the longest first line of a plain-text file that is
// taken as its headline.
const MaxTextHeadline = 120

// DefaultSection is the section of a story that names none.
const DefaultSection = "News"

// Options supplies what a story file leaves out. Front matter, where given,
// wins over Options.
type Options struct {
	// Headline is the headline of a file that has none in front matter.
	Headline string
	// Section is a section name or slug; DefaultSection if empty.
	Section string
	// Access is the access level; empty means the domain default (metered).
	Access masthead.Access
	// Comments is the comment mode; empty means open.
	Comments masthead.CommentsMode
	// Status is the status of a story whose file gives none.
	Status masthead.StoryStatus
	// Published is the publication time of a story whose file gives none.
	// For plain text it defaults to Now.
	Published time.Time
	// Now is the current time: it decides whether a front-matter story is
	// scheduled or published. Zero means time.Now().
	Now time.Time
	// Location is the time zone of published times written without one;
	// nil means UTC.
	Location *time.Location
}

// frontMatterKeys lists the keys a front matter block may have, in the
// order the error message names them.
var frontMatterKeys = []string{"headline", "slug", "dek", "section", "authors", "tags", "published", "status", "access", "comments"}

// Parse reads the story file called name, whose content is data, into a
// normalised and validated story. The name decides the format (see the
// package documentation) and prefixes every error message.
func Parse(name string, data []byte, opts Options) (*masthead.Story, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		return nil, invalidf(name, badUTF8Line(data), "", "the file is not UTF-8 text")
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")

	p := &fileParser{name: name, opts: opts, lines: map[string]int{}}
	var err error
	switch {
	case strings.HasPrefix(text, "---\n") || strings.TrimRight(text, " \t\n") == "---":
		err = p.parseFrontMatter(text)
	case isMarkdownName(name):
		err = p.parsePlain(text, masthead.FormatMarkdown)
	default:
		err = p.parsePlain(text, masthead.FormatText)
	}
	if err != nil {
		return nil, err
	}
	return p.finish()
}

// isMarkdownName reports whether a file name says the file is Markdown.
func isMarkdownName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".md", ".markdown":
		return true
	}
	return false
}

// fileParser holds one file's story while it is being read.
type fileParser struct {
	name  string
	opts  Options
	story masthead.Story
	// lines maps a front matter key to its line in the file, so that a
	// validation error about a field can point at it.
	lines map[string]int
}

// parseFrontMatter reads a file that starts with a "---" line.
func (p *fileParser) parseFrontMatter(text string) error {
	lines := strings.Split(text, "\n")
	end := -1
	for i := 1; i < len(lines); i++ {
		if l := strings.TrimRight(lines[i], " \t"); l == "---" || l == "..." {
			end = i
			break
		}
	}
	if end < 0 {
		return invalidf(p.name, 1, "", "the front matter that starts here never ends; close it with a line of three hyphens (---)")
	}
	fm := strings.Join(lines[1:end], "\n")
	body := strings.Join(lines[end+1:], "\n")

	p.story.BodyFormat = masthead.FormatMarkdown
	p.story.Body = trimBlankLines(body)
	p.story.Headline = p.opts.Headline

	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(fm), &doc); err != nil {
		// The front matter starts on the file's second line.
		line, msg := yamlErrorLine(err, 1)
		if line == 0 {
			line = 1
		}
		return invalidf(p.name, line, "", "the front matter is not valid YAML: %s", msg)
	}
	var status masthead.StoryStatus
	var published time.Time
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		m := doc.Content[0]
		if m.Kind != yaml.MappingNode {
			return invalidf(p.name, m.Line+1, "", "the front matter must be lines of the form key: value")
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			k, v := m.Content[i], m.Content[i+1]
			if v.Kind == yaml.AliasNode && v.Alias != nil {
				v = v.Alias
			}
			line := k.Line + 1
			if first, dup := p.lines[k.Value]; dup {
				return invalidf(p.name, line, "", "the front matter key %q is given twice (first on line %d)", k.Value, first)
			}
			p.lines[k.Value] = line
			var err error
			switch k.Value {
			case "headline":
				p.story.Headline, err = p.scalar(k.Value, v, line)
			case "slug":
				p.story.Slug, err = p.scalar(k.Value, v, line)
			case "dek":
				p.story.Dek, err = p.scalar(k.Value, v, line)
			case "section":
				var s string
				if s, err = p.scalar(k.Value, v, line); err == nil && s != "" {
					p.story.Section = section(s)
				}
			case "authors":
				var names []string
				if names, err = p.list(k.Value, v, line, false); err == nil {
					p.story.Authors = nil
					for _, n := range names {
						p.story.Authors = append(p.story.Authors, masthead.Author{Name: n})
					}
				}
			case "tags":
				var names []string
				if names, err = p.list(k.Value, v, line, true); err == nil {
					p.story.Tags = nil
					for _, n := range names {
						p.story.Tags = append(p.story.Tags, masthead.Tag{Name: n})
					}
				}
			case "published":
				var s string
				if s, err = p.scalar(k.Value, v, line); err == nil && s != "" {
					published, err = p.parseTime(s, line)
				}
			case "status":
				var s string
				if s, err = p.scalar(k.Value, v, line); err == nil {
					status = masthead.StoryStatus(s)
					if !status.Valid() {
						err = invalidf(p.name, line, "status", "%s", masthead.Msg(masthead.MsgStatusInvalid, s))
					}
				}
			case "access":
				var s string
				if s, err = p.scalar(k.Value, v, line); err == nil {
					p.story.Access = masthead.Access(s)
					if !p.story.Access.Valid() {
						err = invalidf(p.name, line, "access", "%s", masthead.Msg(masthead.MsgAccessInvalid, s))
					}
				}
			case "comments":
				var s string
				if s, err = p.scalar(k.Value, v, line); err == nil {
					p.story.Comments = masthead.CommentsMode(s)
					if !p.story.Comments.Valid() {
						err = invalidf(p.name, line, "comments", "%s", masthead.Msg(masthead.MsgCommentsModeInvalid, s))
					}
				}
			default:
				err = invalidf(p.name, line, "", "unknown front matter key %q; the keys are %s",
					k.Value, strings.Join(frontMatterKeys, ", "))
			}
			if err != nil {
				return err
			}
		}
	}

	if status == "" {
		status = p.opts.Status
	}
	if published.IsZero() {
		published = p.opts.Published
	}
	switch {
	case status == "" && published.IsZero():
		status = masthead.StatusDraft
	case status == "" && published.After(p.opts.Now):
		status = masthead.StatusScheduled
	case status == "":
		status = masthead.StatusPublished
	case status == masthead.StatusPublished && published.IsZero():
		published = p.opts.Now
	}
	p.story.Status = status
	p.story.PublishedAt = published
	return nil
}

// parsePlain reads a file without front matter.
func (p *fileParser) parsePlain(text string, format masthead.BodyFormat) error {
	p.story.BodyFormat = format
	p.story.Headline = p.opts.Headline
	p.story.Status = p.opts.Status
	if p.story.Status == "" {
		p.story.Status = masthead.StatusPublished
	}
	if p.story.Status != masthead.StatusDraft || !p.opts.Published.IsZero() {
		p.story.PublishedAt = p.opts.Published
		if p.story.PublishedAt.IsZero() {
			p.story.PublishedAt = p.opts.Now
		}
	}
	if p.story.Headline != "" {
		p.story.Body = trimBlankLines(text)
		return nil
	}

	lines := strings.Split(text, "\n")
	first := -1
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			first = i
			break
		}
	}
	if first < 0 {
		return nil // Validate reports the missing headline
	}
	line := strings.TrimSpace(lines[first])
	if format == masthead.FormatMarkdown {
		h, ok := strings.CutPrefix(line, "# ")
		if !ok {
			return invalidf(p.name, first+1, "headline",
				"a Markdown file without front matter needs a first line \"# Headline\", a headline in front matter, or --headline")
		}
		line = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(h), "#"))
	} else if err := p.checkTextHeadline(line, first+1); err != nil {
		return err
	}
	p.story.Headline = line
	p.story.Body = trimBlankLines(strings.Join(lines[first+1:], "\n"))
	return nil
}

// checkTextHeadline reports why the first line of a plain-text file cannot
// be its headline, if it cannot.
func (p *fileParser) checkTextHeadline(line string, n int) error {
	if l := utf8.RuneCountInString(line); l > MaxTextHeadline {
		return invalidf(p.name, n, "headline",
			"the first line is too long to be a headline (%d characters; at most %d); pass --headline", l, MaxTextHeadline)
	}
	if strings.HasSuffix(strings.TrimRight(line, "\"'\u201d\u2019)]"), ".") && !strings.HasSuffix(line, "...") {
		return invalidf(p.name, n, "headline",
			"the first line ends with a full stop, so it reads as a paragraph, not a headline; pass --headline")
	}
	return nil
}

// finish fills defaults, then normalises and validates the story.
func (p *fileParser) finish() (*masthead.Story, error) {
	s := &p.story
	if s.Section.Name == "" && s.Section.Slug == "" {
		sec := p.opts.Section
		if sec == "" {
			sec = DefaultSection
		}
		s.Section = section(sec)
	}
	if s.Access == "" {
		s.Access = p.opts.Access
	}
	if s.Comments == "" {
		s.Comments = p.opts.Comments
	}
	s.Normalize()
	if err := s.Validate(); err != nil {
		field := masthead.ErrorField(err)
		key := field
		if key == "published_at" {
			key = "published"
		}
		return nil, invalidf(p.name, p.lines[key], field, "%s", masthead.ErrorMessage(err))
	}
	return s, nil
}

// scalar returns a front matter value that must be a single value; null is
// the empty string.
func (p *fileParser) scalar(key string, v *yaml.Node, line int) (string, error) {
	if v.Kind != yaml.ScalarNode {
		return "", invalidf(p.name, line, key, "%s must be a single value, not a list or map", key)
	}
	if v.Tag == "!!null" {
		return "", nil
	}
	return strings.TrimSpace(v.Value), nil
}

// list returns a front matter value that may be a list of names or one
// string; with splitCommas a string is split at commas.
func (p *fileParser) list(key string, v *yaml.Node, line int, splitCommas bool) ([]string, error) {
	var raw []string
	switch v.Kind {
	case yaml.ScalarNode:
		if v.Tag == "!!null" {
			return nil, nil
		}
		if splitCommas {
			raw = strings.Split(v.Value, ",")
		} else {
			raw = []string{v.Value}
		}
	case yaml.SequenceNode:
		for _, item := range v.Content {
			if item.Kind != yaml.ScalarNode || item.Tag == "!!null" {
				return nil, invalidf(p.name, item.Line+1, key, "each of %s must be a name", key)
			}
			raw = append(raw, item.Value)
		}
	default:
		return nil, invalidf(p.name, line, key, "%s must be a list of names or one name", key)
	}
	var out []string
	for _, s := range raw {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

// timeLayouts are the accepted forms of a published time, tried in order.
var timeLayouts = []string{
	time.RFC3339,
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04Z07:00",
	"2006-01-02",
}

// parseTime reads a published time.
func (p *fileParser) parseTime(s string, line int) (time.Time, error) {
	for _, layout := range timeLayouts {
		if t, err := time.ParseInLocation(layout, s, p.opts.Location); err == nil {
			return t, nil
		}
	}
	return time.Time{}, invalidf(p.name, line, "published_at",
		"published must be a time such as 2025-03-14T09:30:00Z, 2025-03-14 09:30 or 2025-03-14, not %q", s)
}

// section returns the section named s. A name that is already a slug
// ("world-news") gets a readable name ("World News") in case the section
// is new.
func section(s string) masthead.Section {
	s = strings.TrimSpace(s)
	if !masthead.ValidSlug(s) {
		return masthead.Section{Name: s, Slug: masthead.Slugify(s)}
	}
	words := strings.Split(s, "-")
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return masthead.Section{Name: strings.Join(words, " "), Slug: s}
}

// trimBlankLines removes blank lines at the start and whitespace at the end
// of a body, keeping everything in between exactly as written.
func trimBlankLines(s string) string {
	for {
		line, rest, ok := strings.Cut(s, "\n")
		if !ok || strings.TrimSpace(line) != "" {
			break
		}
		s = rest
	}
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return strings.TrimRight(s, " \t\n") + "\n"
}

// yamlLineRE finds the line number in a YAML error; yamlAtLineRE finds
// line numbers quoted inside its message.
var (
	yamlLineRE   = regexp.MustCompile(`^(?:yaml: )?(?:line (\d+): )?(.*)$`)
	yamlAtLineRE = regexp.MustCompile(`\bline (\d+)\b`)
)

// yamlErrorLine splits a YAML error into its line (0 if none) and message,
// adding offset to every line number so that they count the file's lines.
func yamlErrorLine(err error, offset int) (int, string) {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	m := yamlLineRE.FindStringSubmatch(msg)
	if m == nil {
		return 0, msg
	}
	line, _ := strconv.Atoi(m[1])
	if line > 0 {
		line += offset
		// The YAML parser (unlike its scanner) reports these problems at a
		// zero-based line: the line where the unfinished construct began.
		if strings.HasPrefix(m[2], "did not find expected") && !strings.HasSuffix(m[2], "node content") {
			line++
		}
	}
	msg = yamlAtLineRE.ReplaceAllStringFunc(m[2], func(s string) string {
		n, _ := strconv.Atoi(strings.TrimPrefix(s, "line "))
		return "line " + strconv.Itoa(n+offset)
	})
	return line, msg
}

// badUTF8Line returns the line of the first byte that is not UTF-8.
func badUTF8Line(data []byte) int {
	line := 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		data = data[size:]
	}
	return line
}

// invalidf returns an EINVALID error whose message names the file and,
// when line > 0, the line.
func invalidf(name string, line int, field, format string, args ...any) error {
	where := name
	if line > 0 {
		where = fmt.Sprintf("%s:%d", name, line)
	}
	return fmt.Errorf("storyfile: %w", &masthead.Error{
		Code:    masthead.EINVALID,
		Message: where + ": " + fmt.Sprintf(format, args...),
		Field:   field,
	})
}
