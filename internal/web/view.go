package web

import (
	"fmt"
	"html/template"
	"strconv"
	"time"

	"masthead"
)

// storyView is a story with its display values worked out in Go, so that
// templates print fields instead of calling functions (each call through
// text/template costs a reflective call).
type storyView struct {
	*masthead.Story

	// Date is the publication date as lists show it; DateTime is the date
	// and time as the story page shows it; PublishedISO is the machine
	// form for <time datetime>.
	Date         string
	DateTime     string
	PublishedISO string
	// Updated is the update time for display, or "" when the story reads
	// as not updated since publication.
	Updated    string
	UpdatedISO string

	AccessLabel string
	Closed      bool
	// CommentsLabel is "7 comments" in lists and on the story page, ""
	// when comments are off or there are none.
	CommentsLabel string
	Byline        []bylineAuthor

	// Body is the story's body HTML, sanitised when the story was saved;
	// it is filled in for the story page only and is the only trusted HTML
	// any template prints.
	Body template.HTML
	// Gated is true for metered and premium stories, whose body is marked
	// as the paywalled part; Teaser is the start of such a body, shown
	// with the offer to readers who may not read it all.
	Gated  bool
	Teaser template.HTML
}

// bylineAuthor is an author in a byline, with the separator before it.
type bylineAuthor struct {
	Sep  string
	Slug string
	Name string
}

// viewFormats holds what storyViews need from the server.
type viewFormats struct {
	tz             *time.Location
	dateLayout     string
	datetimeLayout string
	sep, and       string
	access         map[masthead.Access]string
	// group separates groups of three digits in numbers ("2,400"), as
	// the locale's catalogue says.
	group string
	// comments is true when the site has comments; commentOne and
	// commentMany label a story's count.
	comments                bool
	commentOne, commentMany string
}

func (s *Server) newViewFormats() *viewFormats {
	return &viewFormats{
		tz:             s.cfg.TimeZone,
		dateLayout:     s.msg("format.date"),
		datetimeLayout: s.msg("format.datetime"),
		sep:            s.msg("list.separator"),
		and:            s.msg("list.and"),
		group:          s.msg("number.group"),
		comments:       s.comments != nil,
		commentOne:     s.msg("comments.count_one"),
		commentMany:    s.msg("comments.count"),
		access: map[masthead.Access]string{
			masthead.AccessFree:    s.msg("access.free"),
			masthead.AccessMetered: s.msg("access.metered"),
			masthead.AccessPremium: s.msg("access.premium"),
		},
	}
}

// listView fills v with what a story list shows of st.
func (f *viewFormats) listView(v *storyView, st *masthead.Story) {
	pub := st.PublishedAt.In(f.tz)
	v.Story = st
	v.Date = pub.Format(f.dateLayout)
	v.PublishedISO = pub.Format(time.RFC3339)
	v.Byline = f.byline(st.Authors)
	if f.comments && st.CommentCount > 0 {
		v.CommentsLabel = f.commentCount(st.CommentCount)
	}
}

// number formats a whole number for the locale: its digits in groups of
// three, "2,400" in English.
func (f *viewFormats) number(n int64) string {
	digits := strconv.AppendInt(make([]byte, 0, 24), n, 10)
	neg := digits[0] == '-'
	if neg {
		digits = digits[1:]
	}
	if len(digits) <= 3 {
		return strconv.FormatInt(n, 10)
	}
	b := make([]byte, 0, len(digits)+len(digits)/3*len(f.group)+1)
	if neg {
		b = append(b, '-')
	}
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b = append(b, f.group...)
		}
		b = append(b, c)
	}
	return string(b)
}

// commentCount labels a count of comments: "1 comment", "2,400
// comments".
func (f *viewFormats) commentCount(n int) string {
	if n == 1 {
		return f.commentOne
	}
	return fmt.Sprintf(f.commentMany, f.number(int64(n)))
}

// fullView returns what the story page shows of st.
func (f *viewFormats) fullView(st *masthead.Story) *storyView {
	v := &storyView{}
	f.listView(v, st)
	pub := st.PublishedAt.In(f.tz)
	v.DateTime = pub.Format(f.datetimeLayout)
	if st.UpdatedAt.After(st.PublishedAt) {
		upd := st.UpdatedAt.In(f.tz)
		if text := upd.Format(f.datetimeLayout); text != v.DateTime {
			v.Updated = text
			v.UpdatedISO = upd.Format(time.RFC3339)
		}
	}
	v.AccessLabel = f.access[st.Access]
	// With comments on, the comment section says they are closed.
	v.Closed = st.Comments == masthead.CommentsClosed && !f.comments
	v.Body = template.HTML(st.BodyHTML)
	v.Gated = st.Access != masthead.AccessFree
	return v
}

// listViews returns list views of stories.
func (f *viewFormats) listViews(stories []*masthead.Story) []storyView {
	views := make([]storyView, len(stories))
	for i, st := range stories {
		f.listView(&views[i], st)
	}
	return views
}

// byline returns the authors with the separators of "A, B and C".
func (f *viewFormats) byline(authors []masthead.Author) []bylineAuthor {
	if len(authors) == 0 {
		return nil
	}
	out := make([]bylineAuthor, len(authors))
	for i, a := range authors {
		out[i] = bylineAuthor{Slug: a.Slug, Name: a.Name}
		switch {
		case i == 0:
		case i == len(authors)-1:
			out[i].Sep = f.and
		default:
			out[i].Sep = f.sep
		}
	}
	return out
}
