package web

import (
	"html/template"
	"sync"
	"sync/atomic"
	"time"

	"masthead"
)

// fragments caches rendered pieces of pages for the life of one
// sectionEntry: the anonymous site header (one per current section; a
// signed-in viewer's header is rendered per request), the footer (one
// per feed link) and each story's viewer-independent parts (its <head>
// additions and its <article>). A story fragment is reused only while the
// story's ID and UpdatedAt are unchanged, and the whole set is dropped when
// the navigation entry is replaced, so a renamed section or author shows
// within one SectionsTTL.
//
// Fragments are produced by the same html/template templates as the rest
// of the page, executed in the HTML text context in which the layout prints
// them, so printing them as template.HTML is exactly what executing the
// templates in place would produce.
//
// Anything that differs between viewers (the signed-in header, the
// commenting gate, a paywall) must not go into a cached fragment.
type fragments struct {
	header  sync.Map // current section slug → template.HTML
	footer  sync.Map // feed URL → template.HTML
	stories sync.Map // story slug → *storyFragment
	teasers sync.Map // story slug → *teaserEntry, for the API
	// lists holds the rendered main part of list pages (the front page,
	// sections, tags, authors) by the identity of the data they show: a
	// value from the read micro-cache, which stays the same pointer for
	// as long as that data is cached, so a list renders once per
	// StoryCacheTTL instead of once per view.
	lists  sync.Map // listKey → template.HTML
	limit  int64
	count  atomic.Int64
	tcount atomic.Int64
	lcount atomic.Int64
}

// listFragmentKey names one rendered list: the page template and the
// cached data it was rendered from.
type listFragmentKey struct {
	page string
	data any // a pointer from the read micro-cache
}

// list returns the rendered main part of a list page, if cached.
func (f *fragments) list(key listFragmentKey) (template.HTML, bool) {
	v, ok := f.lists.Load(key)
	if !ok {
		return "", false
	}
	return v.(template.HTML), true
}

// putList caches the rendered main part of a list page, unless the limit
// has been reached.
func (f *fragments) putList(key listFragmentKey, h template.HTML) {
	if f.lcount.Add(1) > f.limit {
		f.lcount.Add(-1)
		return
	}
	if _, loaded := f.lists.LoadOrStore(key, h); loaded {
		f.lcount.Add(-1)
	}
}

// storyFragment is the rendered, viewer-independent part of a story page.
// main is the whole article, for readers who may read it all; a gated
// story's page is put together per viewer from top, the viewer's access
// notes, body or teaser, and bottom (see storyMain).
type storyFragment struct {
	id        int64
	updatedAt time.Time
	head      template.HTML
	main      template.HTML

	top, body, teaser, bottom template.HTML
}

// teaserEntry is a story's teaser HTML, for one version of the story.
type teaserEntry struct {
	id        int64
	updatedAt time.Time
	html      string
}

func newFragments(limit int) *fragments {
	return &fragments{limit: int64(limit)}
}

// story returns the cached fragment of st if it is still current.
func (f *fragments) story(st *masthead.Story) *storyFragment {
	v, ok := f.stories.Load(st.Slug)
	if !ok {
		return nil
	}
	sf := v.(*storyFragment)
	if sf.id != st.ID || !sf.updatedAt.Equal(st.UpdatedAt) {
		return nil
	}
	return sf
}

// putStory caches a story fragment, unless the limit has been reached.
func (f *fragments) putStory(slug string, sf *storyFragment) {
	if _, loaded := f.stories.Swap(slug, sf); !loaded {
		if f.count.Add(1) > f.limit {
			f.stories.Delete(slug)
			f.count.Add(-1)
		}
	}
}

// teaser returns the teaser HTML of st, worked out once per story version
// while the limit allows caching it.
func (f *fragments) teaser(st *masthead.Story) string {
	if v, ok := f.teasers.Load(st.Slug); ok {
		if te := v.(*teaserEntry); te.id == st.ID && te.updatedAt.Equal(st.UpdatedAt) {
			return te.html
		}
	}
	te := &teaserEntry{id: st.ID, updatedAt: st.UpdatedAt, html: teaserHTML(st.BodyHTML, teaserParagraphs)}
	if _, loaded := f.teasers.Swap(st.Slug, te); !loaded {
		if f.tcount.Add(1) > f.limit {
			f.teasers.Delete(st.Slug)
			f.tcount.Add(-1)
		}
	}
	return te.html
}
