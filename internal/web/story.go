package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"masthead"
)

// handleHome shows the front page: the newest story as the lead, then each
// section's latest stories under a heading linking to the section.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	latest, err := s.cache.findLatestBySection(r.Context(), s.cfg.HomePerSection)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p := s.newPage(r)
	p.Description = s.msg("page.home.description", s.cfg.SiteName)
	p.Heading = s.msg("page.home.heading", s.cfg.SiteName)
	err = s.listMain(p, "home", latest, func() { p.Lead, p.Groups = s.views.frontPage(p.Sections, latest.bySection) })
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "home", p)
}

// renderList renders a list page (section, tag, author) whose main part
// is the same for everyone who sees the same cached list.
func (s *Server) renderList(w http.ResponseWriter, r *http.Request, p *page) {
	if err := s.listMain(p, "list", p.listData, func() {}); err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "list", p)
}

// listMain fills in the main part of a list page: rendered once per cached
// value of its data (see fragments.lists), with fill setting up the page's
// list views only when it has to be rendered. Without the read cache every
// value is new, so nothing is kept.
func (s *Server) listMain(p *page, name string, data any, fill func()) error {
	key := listFragmentKey{page: name, data: data}
	if h, ok := p.frags.list(key); ok {
		p.Main = h
		return nil
	}
	fill()
	if s.cfg.StoryCacheTTL <= 0 {
		return nil // rendered in place by the layout
	}
	h, err := s.fragment(name, "main", p)
	if err != nil {
		return err
	}
	p.frags.putList(key, h)
	p.Main = h
	return nil
}

// frontPage picks the lead story, the newest of all, and groups the rest by
// section: sections in navigation order first, then any the navigation does
// not know yet, by slug. Sections without stories are left out.
func (f *viewFormats) frontPage(nav []*masthead.Section, latest map[string][]*masthead.Story) (*storyView, []sectionGroup) {
	var lead *masthead.Story
	for _, stories := range latest {
		for _, st := range stories {
			if lead == nil || newer(st, lead) {
				lead = st
			}
		}
	}
	groups := make([]sectionGroup, 0, len(latest))
	add := func(sec *masthead.Section, stories []*masthead.Story) {
		rest := make([]*masthead.Story, 0, len(stories))
		for _, st := range stories {
			if st != lead {
				rest = append(rest, st)
			}
		}
		if len(rest) > 0 {
			groups = append(groups, sectionGroup{Section: sec, Stories: f.listViews(rest)})
		}
	}
	seen := make(map[string]bool, len(nav))
	for _, sec := range nav {
		seen[sec.Slug] = true
		add(sec, latest[sec.Slug])
	}
	var extra []string
	for slug, stories := range latest {
		if !seen[slug] && len(stories) > 0 {
			extra = append(extra, slug)
		}
	}
	slices.Sort(extra)
	for _, slug := range extra {
		sec := latest[slug][0].Section
		add(&sec, latest[slug])
	}
	if lead == nil {
		return nil, groups
	}
	v := &storyView{}
	f.listView(v, lead)
	return v, groups
}

// newer reports whether a comes before b in newest-first order.
func newer(a, b *masthead.Story) bool {
	if !a.PublishedAt.Equal(b.PublishedAt) {
		return a.PublishedAt.After(b.PublishedAt)
	}
	return a.ID > b.ID
}

// handleSection shows a page of a section's stories, newest first.
func (s *Server) handleSection(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	after, err := masthead.ParseStoryCursor(r.URL.Query().Get("after"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	sec, err := s.section(r.Context(), slug)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	list, err := s.cache.findStories(r.Context(), masthead.StoryFilter{Section: slug, After: after, Limit: s.cfg.PageSize})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p := s.listPage(r, list, after)
	s.setTitle(p, sec.Name)
	p.Heading = sec.Name
	p.Intro = sec.Description
	p.Description = sec.Description
	if p.Description == "" {
		p.Description = s.msg("page.section.description", sec.Name, s.cfg.SiteName)
	}
	p.Current = sec.Slug
	p.FeedAtom = "/sections/" + sec.Slug + "/feed.atom"
	p.FeedRSS = "/sections/" + sec.Slug + "/feed.rss"
	s.renderList(w, r, p)
}

// handleTag shows a page of the stories filed under a tag.
func (s *Server) handleTag(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	after, err := masthead.ParseStoryCursor(r.URL.Query().Get("after"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	tag, err := s.stories.FindTagBySlug(r.Context(), slug)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	list, err := s.cache.findStories(r.Context(), masthead.StoryFilter{Tag: slug, After: after, Limit: s.cfg.PageSize})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p := s.listPage(r, list, after)
	p.Heading = s.msg("page.tag.heading", tag.Name)
	s.setTitle(p, p.Heading)
	p.Description = s.msg("page.tag.description", tag.Name, s.cfg.SiteName)
	s.renderList(w, r, p)
}

// handleAuthor shows a page of an author's stories.
func (s *Server) handleAuthor(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	after, err := masthead.ParseStoryCursor(r.URL.Query().Get("after"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	author, err := s.stories.FindAuthorBySlug(r.Context(), slug)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	list, err := s.cache.findStories(r.Context(), masthead.StoryFilter{Author: slug, After: after, Limit: s.cfg.PageSize})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p := s.listPage(r, list, after)
	p.Heading = s.msg("page.author.heading", author.Name)
	s.setTitle(p, p.Heading)
	p.Intro = author.Bio
	p.Description = author.Bio
	if p.Description == "" {
		p.Description = s.msg("page.author.description", author.Name, s.cfg.SiteName)
	}
	p.OGType = "profile"
	s.renderList(w, r, p)
}

// listPage returns a page for one page of a story list, with the link to
// the next page and a canonical URL that keeps the cursor.
func (s *Server) listPage(r *http.Request, list *masthead.StoryPage, after *masthead.StoryCursor) *page {
	p := s.newPage(r)
	p.listData = list
	p.Stories = s.views.listViews(list.Stories)
	if after != nil {
		p.Canonical += "?after=" + url.QueryEscape(after.Encode())
	}
	if list.Next != nil {
		p.NextURL = r.URL.Path + "?after=" + url.QueryEscape(list.Next.Encode())
	}
	return p
}

// handleStory shows one story. Free stories, and every story when plans
// are off, take the fast path: the cached article, no per-viewer work. A
// metered or premium story is decided for its viewer (DecideRead, with the
// meter) and put together from cached parts around the viewer's counter,
// offer and gift-link form.
func (s *Server) handleStory(w http.ResponseWriter, r *http.Request) {
	st, err := s.cache.findStory(r.Context(), r.PathValue("slug"))
	if err != nil {
		if s.redirectOldSlug(w, r, err) {
			return
		}
		s.Error(w, r, err)
		return
	}
	p, err := s.storyPage(w, r, st, r.Method != http.MethodHead, nil)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "story", p)
}

// storyPage puts together the story page of st for the request's viewer:
// the cached article (or its gated assembly) and, with comments on, the
// comment section under it, which is always rendered per request. record
// says whether the read counts on the viewer's meter; refused, if not
// nil, is a comment the service refused, shown again in its box.
func (s *Server) storyPage(w http.ResponseWriter, r *http.Request, st *masthead.Story, record bool, refused *commentInput) (*page, error) {
	p := s.newPage(r)
	s.setTitle(p, st.Headline)
	p.Canonical = s.absURL("/stories/" + st.Slug)
	p.Description = st.Dek
	if p.Description == "" {
		p.Description = st.Headline
	}
	p.OGTitle = st.Headline
	p.OGType = "article"
	sf := p.frags.story(st)
	if sf == nil {
		var err error
		if sf, err = s.storyFragment(st, p); err != nil {
			return nil, err
		}
		p.frags.putStory(st.Slug, sf)
	}
	p.Head = sf.head
	var rs *readState
	if s.plans == nil || st.Access == masthead.AccessFree {
		p.Main = sf.main
	} else {
		var err error
		if rs, err = s.decideReadAs(w, r, st, record); err != nil {
			return nil, err
		}
		privateNoStore(w)
		p.Story = &storyView{Story: st}
		p.Access = s.accessView(st, rs)
		if p.Main, err = s.storyMain(sf, p); err != nil {
			return nil, err
		}
	}
	if s.comments != nil {
		if err := s.addComments(r, p, st, rs, refused); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// storyFragment renders the viewer-independent parts of a story page: its
// <head> additions, JSON-LD included, and its article, whole and in the
// parts a gated story's page is put together from.
func (s *Server) storyFragment(st *masthead.Story, p *page) (*storyFragment, error) {
	p.Story = s.views.fullView(st)
	ld, err := s.newsArticle(st, p.Canonical)
	if err != nil {
		return nil, err
	}
	p.JSONLD = ld
	sf := &storyFragment{id: st.ID, updatedAt: st.UpdatedAt}
	if sf.head, err = s.fragment("story", "head", p); err != nil {
		return nil, err
	}
	if sf.top, err = s.fragment("story", "story-top", p); err != nil {
		return nil, err
	}
	if sf.body, err = s.fragment("story", "story-body", p); err != nil {
		return nil, err
	}
	if sf.bottom, err = s.fragment("story", "story-bottom", p); err != nil {
		return nil, err
	}
	sf.main = sf.top + sf.body + sf.bottom
	if p.Story.Gated {
		p.Story.Teaser = template.HTML(p.frags.teaser(st))
		if sf.teaser, err = s.fragment("story", "story-teaser", p); err != nil {
			return nil, err
		}
	}
	return sf, nil
}

// ldPerson is a schema.org Person.
type ldPerson struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// ldOrganization is a schema.org Organization.
type ldOrganization struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

// ldNewsArticle is the schema.org NewsArticle describing a story page.
type ldNewsArticle struct {
	Context             string         `json:"@context"`
	Type                string         `json:"@type"`
	Headline            string         `json:"headline"`
	Description         string         `json:"description,omitempty"`
	DatePublished       string         `json:"datePublished"`
	DateModified        string         `json:"dateModified"`
	Author              []ldPerson     `json:"author"`
	ArticleSection      string         `json:"articleSection"`
	IsAccessibleForFree bool           `json:"isAccessibleForFree"`
	MainEntityOfPage    string         `json:"mainEntityOfPage"`
	URL                 string         `json:"url"`
	Publisher           ldOrganization `json:"publisher"`
	// HasPart marks the gated part of a metered or premium story.
	HasPart *ldWebPageElement `json:"hasPart,omitempty"`
}

// ldWebPageElement is a schema.org WebPageElement: the part of a page
// behind the paywall, found by its CSS selector.
type ldWebPageElement struct {
	Type                string `json:"@type"`
	IsAccessibleForFree bool   `json:"isAccessibleForFree"`
	CSSSelector         string `json:"cssSelector"`
}

// paywalledSelector selects the gated part of a story page.
const paywalledSelector = ".paywalled"

// newsArticle returns the story's JSON-LD. encoding/json escapes <, > and &
// (and U+2028, U+2029) inside strings, so the text cannot close the script
// element it is placed in; that is what makes the template.JS safe.
func (s *Server) newsArticle(st *masthead.Story, canonical string) (template.JS, error) {
	authors := make([]ldPerson, len(st.Authors))
	for i, a := range st.Authors {
		authors[i] = ldPerson{Type: "Person", Name: a.Name, URL: s.absURL("/authors/" + a.Slug)}
	}
	article := ldNewsArticle{
		Context:             "https://schema.org",
		Type:                "NewsArticle",
		Headline:            st.Headline,
		Description:         st.Dek,
		DatePublished:       st.PublishedAt.Format(time.RFC3339),
		DateModified:        lastModified(st).Format(time.RFC3339),
		Author:              authors,
		ArticleSection:      st.Section.Name,
		IsAccessibleForFree: st.Access == masthead.AccessFree,
		MainEntityOfPage:    canonical,
		URL:                 canonical,
		Publisher:           ldOrganization{Type: "Organization", Name: s.cfg.SiteName, URL: s.absURL("/")},
	}
	if st.Access != masthead.AccessFree {
		article.HasPart = &ldWebPageElement{Type: "WebPageElement", CSSSelector: paywalledSelector}
	}
	b, err := json.Marshal(article)
	if err != nil {
		return "", err
	}
	return template.JS(b), nil
}

// lastModified is when the story last changed, never before it was
// published.
func lastModified(st *masthead.Story) time.Time {
	if st.UpdatedAt.After(st.PublishedAt) {
		return st.UpdatedAt
	}
	return st.PublishedAt
}

// handleSearch shows the search form and, for a query, the stories that
// match it in the order the service ranks them.
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	p := s.newPage(r)
	p.NoIndex = true
	p.Heading = s.msg("page.search.heading")
	s.setTitle(p, s.msg("page.search.title"))
	p.Description = s.msg("page.search.description", s.cfg.SiteName)
	p.Query = q
	if q == "" {
		s.render(w, r, http.StatusOK, "search", p)
		return
	}
	s.setTitle(p, s.msg("page.search.results_title", q))
	if utf8.RuneCountInString(q) > masthead.MaxSearchLen {
		p.Message = masthead.MsgIn(s.cfg.Locale, masthead.MsgSearchQueryTooLong, masthead.MaxSearchLen)
		s.render(w, r, http.StatusBadRequest, "search", p)
		return
	}
	results, err := s.stories.SearchStories(r.Context(), q, s.cfg.SearchLimit)
	if masthead.ErrorCode(err) == masthead.EINVALID {
		p.Message = masthead.ErrorMessage(err)
		s.render(w, r, http.StatusBadRequest, "search", p)
		return
	} else if err != nil {
		s.Error(w, r, err)
		return
	}
	p.Searched = true
	p.Stories = make([]storyView, len(results))
	for i := range results {
		s.views.listView(&p.Stories[i], results[i].Story)
	}
	s.render(w, r, http.StatusOK, "search", p)
}
