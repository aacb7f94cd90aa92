package storyfile

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"masthead"
	"masthead/internal/seedtest"
)

var now = time.Date(2025, 3, 14, 12, 0, 0, 0, time.UTC)

// seedStory returns the path and content of the shared seed story.
func seedStory(t *testing.T) (string, []byte) {
	t.Helper()
	return seedtest.Story(t)
}

func TestParseSeedStory(t *testing.T) {
	path, data := seedStory(t)
	s, err := Parse(path, data, Options{Headline: "Japan and North Korea remain at odds", Now: now})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	var want []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) != "" {
			want = append(want, strings.TrimRight(line, " \t\r"))
		}
	}
	if got := masthead.Paragraphs(s.Body); !reflect.DeepEqual(got, want) {
		t.Errorf("paragraphs differ from the file's lines:\ngot  %d %q\nwant %d %q", len(got), got, len(want), want)
	}
	if got, want := s.BodyFormat, masthead.FormatText; got != want {
		t.Errorf("format = %q, want %q", got, want)
	}
	if got, want := s.Slug, "japan-and-north-korea-remain-at-odds"; got != want {
		t.Errorf("slug = %q, want %q", got, want)
	}
	if got, want := s.Status, masthead.StatusPublished; got != want {
		t.Errorf("status = %q, want %q", got, want)
	}
	if !s.PublishedAt.Equal(now) {
		t.Errorf("published = %v, want %v", s.PublishedAt, now)
	}
	if got, want := s.Section.Slug, "news"; got != want {
		t.Errorf("section = %q, want %q", got, want)
	}
	if !s.Visible(now) {
		t.Error("the imported story is not visible")
	}

	// Without a headline the seed's first line is far too long for one.
	_, err = Parse(path, data, Options{Now: now})
	wantErrorMessage(t, err, path+":1: the first line is too long to be a headline", "pass --headline")
}

func TestParseFrontMatter(t *testing.T) {
	loc := time.FixedZone("JST", 9*3600)
	tests := []struct {
		name  string
		file  string
		opts  Options
		check func(t *testing.T, s *masthead.Story)
	}{
		{
			name: "every key",
			file: `---
headline: "Harbour bridge reopens: traffic flows again"
slug: bridge-reopens
dek: A week early.
section: City Life
authors: [Mina Patel, Tom Okafor]
tags:
  - transport
  - City Hall
published: 2025-03-13T09:30:00Z
status: published
access: premium
comments: closed
---

The bridge *reopened*.

Second paragraph.
`,
			check: func(t *testing.T, s *masthead.Story) {
				eq(t, "headline", s.Headline, "Harbour bridge reopens: traffic flows again")
				eq(t, "slug", s.Slug, "bridge-reopens")
				eq(t, "dek", s.Dek, "A week early.")
				eq(t, "section", s.Section, masthead.Section{Name: "City Life", Slug: "city-life"})
				eq(t, "authors", s.Authors, []masthead.Author{{Name: "Mina Patel", Slug: "mina-patel"}, {Name: "Tom Okafor", Slug: "tom-okafor"}})
				eq(t, "tags", s.Tags, []masthead.Tag{{Name: "transport", Slug: "transport"}, {Name: "City Hall", Slug: "city-hall"}})
				eq(t, "published", s.PublishedAt, time.Date(2025, 3, 13, 9, 30, 0, 0, time.UTC))
				eq(t, "status", s.Status, masthead.StatusPublished)
				eq(t, "access", s.Access, masthead.AccessPremium)
				eq(t, "comments", s.Comments, masthead.CommentsClosed)
				eq(t, "format", s.BodyFormat, masthead.FormatMarkdown)
				eq(t, "body", s.Body, "The bridge *reopened*.\n\nSecond paragraph.\n")
			},
		},
		{
			name: "single author and comma tags",
			file: "---\nheadline: Hi\nauthors: Ana Lima\ntags: a, b ,c\n---\nBody\n",
			check: func(t *testing.T, s *masthead.Story) {
				eq(t, "authors", s.Authors, []masthead.Author{{Name: "Ana Lima", Slug: "ana-lima"}})
				eq(t, "tags", len(s.Tags), 3)
				eq(t, "tag 2", s.Tags[1].Slug, "b")
			},
		},
		{
			name: "no published time is a draft with defaults",
			file: "---\nheadline: Draft story\n---\nBody\n",
			check: func(t *testing.T, s *masthead.Story) {
				eq(t, "status", s.Status, masthead.StatusDraft)
				eq(t, "published zero", s.PublishedAt.IsZero(), true)
				eq(t, "access", s.Access, masthead.AccessMetered)
				eq(t, "comments", s.Comments, masthead.CommentsOpen)
				eq(t, "section", s.Section.Slug, "news")
			},
		},
		{
			name: "future date without status is scheduled",
			file: "---\nheadline: Soon\npublished: 2025-03-20\n---\nBody\n",
			check: func(t *testing.T, s *masthead.Story) {
				eq(t, "status", s.Status, masthead.StatusScheduled)
				eq(t, "published", s.PublishedAt, time.Date(2025, 3, 20, 0, 0, 0, 0, time.UTC))
				eq(t, "visible now", s.Visible(now), false)
			},
		},
		{
			name: "past date and minute form in a time zone",
			file: "---\nheadline: Past\npublished: 2025-03-10 08:15\n---\nBody\n",
			opts: Options{Location: loc},
			check: func(t *testing.T, s *masthead.Story) {
				eq(t, "status", s.Status, masthead.StatusPublished)
				eq(t, "published", s.PublishedAt.UTC(), time.Date(2025, 3, 9, 23, 15, 0, 0, time.UTC))
			},
		},
		{
			name: "status published without a time is published now",
			file: "---\nheadline: Now\nstatus: published\n---\nBody\n",
			check: func(t *testing.T, s *masthead.Story) {
				eq(t, "status", s.Status, masthead.StatusPublished)
				eq(t, "published", s.PublishedAt, now)
			},
		},
		{
			name: "options fill what front matter leaves out",
			file: "---\nsection: sport\n---\nBody\n",
			opts: Options{Headline: "From options", Section: "Business", Access: masthead.AccessFree},
			check: func(t *testing.T, s *masthead.Story) {
				eq(t, "headline", s.Headline, "From options")
				eq(t, "section", s.Section, masthead.Section{Name: "Sport", Slug: "sport"})
				eq(t, "access", s.Access, masthead.AccessFree)
			},
		},
		{
			name: "any extension with front matter is Markdown",
			file: "---\r\nheadline: CRLF\r\n---\r\nBody **bold**\r\n",
			check: func(t *testing.T, s *masthead.Story) {
				eq(t, "format", s.BodyFormat, masthead.FormatMarkdown)
				eq(t, "body", s.Body, "Body **bold**\n")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.opts.Now.IsZero() {
				tt.opts.Now = now
			}
			s, err := Parse("story.md", []byte(tt.file), tt.opts)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tt.check(t, s)
		})
	}
}

func TestParsePlain(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		fileName string
		opts     Options
		headline string
		body     string
		status   masthead.StoryStatus
	}{
		{
			name:     "short first line is the headline",
			file:     "Council approves budget\n\nThe council voted on Tuesday.\nIt took an hour.\n",
			headline: "Council approves budget",
			body:     "The council voted on Tuesday.\nIt took an hour.\n",
			status:   masthead.StatusPublished,
		},
		{
			name:     "question headline",
			file:     "Who pays for the bridge?\nNobody knows.",
			headline: "Who pays for the bridge?",
			body:     "Nobody knows.\n",
			status:   masthead.StatusPublished,
		},
		{
			name:     "text kept exactly as written",
			file:     "Quotes\nHe said \"no\" -- twice... 'ok'\n",
			headline: "Quotes",
			body:     "He said \"no\" -- twice... 'ok'\n",
			status:   masthead.StatusPublished,
		},
		{
			name:     "headline option keeps the whole file",
			file:     "First line.\nSecond line.\n",
			opts:     Options{Headline: "Given", Status: masthead.StatusDraft},
			headline: "Given",
			body:     "First line.\nSecond line.\n",
			status:   masthead.StatusDraft,
		},
		{
			name:     "markdown without front matter takes a # headline",
			fileName: "note.markdown",
			file:     "# Storm warning #\n\nStay *indoors*.\n",
			headline: "Storm warning",
			body:     "Stay *indoors*.\n",
			status:   masthead.StatusPublished,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Now = now
			name := tt.fileName
			if name == "" {
				name = "story.txt"
			}
			s, err := Parse(name, []byte(tt.file), tt.opts)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			eq(t, "headline", s.Headline, tt.headline)
			eq(t, "body", s.Body, tt.body)
			eq(t, "status", s.Status, tt.status)
		})
	}
}

func TestParseErrors(t *testing.T) {
	long := strings.Repeat("word ", 30)
	tests := []struct {
		name     string
		fileName string
		file     string
		opts     Options
		want     []string
		field    string
	}{
		{
			name: "malformed yaml names file and line",
			file: "---\nheadline: ok\ndek: [unclosed\nsection: News\n---\nBody\n",
			want: []string{"bad.md:3: the front matter is not valid YAML"},
		},
		{
			name: "yaml block error line",
			file: "---\nheadline: ok\n- dek\n---\nBody\n",
			want: []string{"bad.md:3: the front matter is not valid YAML"},
		},
		{
			name: "yaml mapping error line",
			file: "---\nheadline: ok\ndek: x\nsection: a: b\n---\nBody\n",
			want: []string{"bad.md:4: the front matter is not valid YAML"},
		},
		{
			name: "duplicate key",
			file: "---\nheadline: a\nheadline: b\n---\nBody\n",
			want: []string{`bad.md:3: the front matter key "headline" is given twice (first on line 2)`},
		},
		{
			name: "unknown key",
			file: "---\nheadline: ok\nauthor: Someone\n---\nBody\n",
			want: []string{`bad.md:3: unknown front matter key "author"`, "authors"},
		},
		{
			name:  "bad access value",
			file:  "---\nheadline: ok\naccess: gold\n---\nBody\n",
			want:  []string{`bad.md:3: Access must be free, metered or premium, not "gold"`},
			field: "access",
		},
		{
			name:  "bad status",
			file:  "---\nheadline: ok\nstatus: live\n---\nBody\n",
			want:  []string{`bad.md:3:`, `"live"`},
			field: "status",
		},
		{
			name:  "bad comments",
			file:  "---\nheadline: ok\ncomments: maybe\n---\nBody\n",
			want:  []string{`bad.md:3:`, `"maybe"`},
			field: "comments",
		},
		{
			name:  "bad date",
			file:  "---\nheadline: ok\npublished: next tuesday\n---\nBody\n",
			want:  []string{`bad.md:3: published must be a time`, `"next tuesday"`},
			field: "published_at",
		},
		{
			name:  "headline not a string",
			file:  "---\nheadline: [a, b]\n---\nBody\n",
			want:  []string{`bad.md:2: headline must be a single value`},
			field: "headline",
		},
		{
			name: "front matter not a mapping",
			file: "---\n- a\n- b\n---\nBody\n",
			want: []string{`bad.md:2: the front matter must be lines of the form key: value`},
		},
		{
			name: "unterminated front matter",
			file: "---\nheadline: ok\nBody\n",
			want: []string{`bad.md:1: the front matter that starts here never ends`},
		},
		{
			name:  "missing headline",
			file:  "---\ndek: x\n---\nBody\n",
			want:  []string{`bad.md: A story needs a headline.`},
			field: "headline",
		},
		{
			name:  "missing body",
			file:  "---\nheadline: ok\n---\n\n",
			want:  []string{`bad.md: A story needs a body.`},
			field: "body",
		},
		{
			name:  "scheduled without time",
			file:  "---\nheadline: ok\nstatus: scheduled\n---\nBody\n",
			want:  []string{`bad.md: A scheduled or published story needs a publication time.`},
			field: "published_at",
		},
		{
			name:  "slug invalid points at its line",
			file:  "---\nheadline: ok\nslug: Not A Slug\n---\nBody\n",
			want:  []string{`bad.md:3: A slug may contain`},
			field: "slug",
		},
		{
			name:     "plain text long first line",
			fileName: "bad.txt",
			file:     "\n" + long + "\nBody\n",
			want:     []string{"bad.txt:2: the first line is too long to be a headline", "pass --headline"},
			field:    "headline",
		},
		{
			name:     "plain text sentence first line",
			fileName: "bad.txt",
			file:     "The council met on Tuesday.\nBody\n",
			want:     []string{"bad.txt:1: the first line ends with a full stop", "pass --headline"},
			field:    "headline",
		},
		{
			name:     "plain text headline only",
			fileName: "bad.txt",
			file:     "Headline only\n",
			want:     []string{"bad.txt: A story needs a body."},
			field:    "body",
		},
		{
			name:     "empty file",
			fileName: "bad.txt",
			file:     "",
			want:     []string{"bad.txt: A story needs a headline."},
		},
		{
			name:     "not utf-8",
			fileName: "bad.txt",
			file:     "Headline\nok\nbad \xff byte\n",
			want:     []string{"bad.txt:3: the file is not UTF-8 text"},
		},
		{
			name:     "markdown without front matter or heading",
			fileName: "bad.md",
			file:     "Just text\n",
			want:     []string{`bad.md:1: a Markdown file without front matter needs a first line "# Headline"`},
			field:    "headline",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := tt.fileName
			if name == "" {
				name = "bad.md"
			}
			tt.opts.Now = now
			s, err := Parse(name, []byte(tt.file), tt.opts)
			if s != nil {
				t.Errorf("got a story %+v, want none", s)
			}
			wantErrorMessage(t, err, tt.want...)
			if tt.field != "" {
				eq(t, "field", masthead.ErrorField(err), tt.field)
			}
		})
	}
}

// wantErrorMessage checks that err is an EINVALID error whose message
// starts with the first of want and contains the rest.
func wantErrorMessage(t *testing.T, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("got no error")
	}
	if got, want := masthead.ErrorCode(err), masthead.EINVALID; got != want {
		t.Fatalf("code = %q, want %q (%v)", got, want, err)
	}
	msg := masthead.ErrorMessage(err)
	if !strings.HasPrefix(msg, want[0]) {
		t.Errorf("message = %q, want it to start with %q", msg, want[0])
	}
	for _, w := range want[1:] {
		if !strings.Contains(msg, w) {
			t.Errorf("message = %q, want it to contain %q", msg, w)
		}
	}
}

func eq[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}
