package web

import (
	"bytes"
	"encoding/xml"
	"log/slog"
	"net/http"
	"time"

	"masthead"
)

// Feed and sitemap content types.
const (
	atomType = "application/atom+xml; charset=utf-8"
	rssType  = "application/rss+xml; charset=utf-8"
	xmlType  = "application/xml; charset=utf-8"
)

// maxSitemapURLs is the most URLs one sitemap file may list.
const maxSitemapURLs = 50000

var feedCacheValue = []string{"public, max-age=300"}

// feedSource is what both feed formats are built from.
type feedSource struct {
	title       string
	description string
	link        string // the HTML page the feed follows
	self        string // the feed's own URL, without extension
	stories     []*masthead.Story
}

// loadFeed loads the stories of the site-wide feed, or of the section named
// in the path.
func (s *Server) loadFeed(r *http.Request) (*feedSource, error) {
	filter := masthead.StoryFilter{Limit: s.cfg.FeedSize}
	src := &feedSource{
		title:       s.cfg.SiteName,
		description: s.msg("feed.site.description", s.cfg.SiteName),
		link:        s.absURL("/"),
		self:        s.absURL("/feed"),
	}
	if slug := r.PathValue("slug"); slug != "" {
		sec, err := s.section(r.Context(), slug)
		if err != nil {
			return nil, err
		}
		filter.Section = sec.Slug
		src.title = s.msg("feed.section.title", s.cfg.SiteName, sec.Name)
		src.description = s.msg("feed.section.description", sec.Name, s.cfg.SiteName)
		src.link = s.absURL("/sections/" + sec.Slug)
		src.self = s.absURL("/sections/" + sec.Slug + "/feed")
	}
	list, err := s.cache.findStories(r.Context(), filter)
	if err != nil {
		return nil, err
	}
	src.stories = list.Stories
	return src, nil
}

// atomFeed is an Atom 1.0 feed (RFC 4287).
type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr,omitempty"`
	ID       string      `xml:"id"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   atomPerson  `xml:"author"`
	Entries  []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Link       atomLink       `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Authors    []atomPerson   `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    string         `xml:"summary,omitempty"`
}

// handleAtom serves the Atom feed of the site or of a section.
func (s *Server) handleAtom(w http.ResponseWriter, r *http.Request) {
	src, err := s.loadFeed(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	feed := atomFeed{
		Lang:     string(s.cfg.Locale),
		ID:       src.self + ".atom",
		Title:    src.title,
		Subtitle: src.description,
		Updated:  s.now().UTC().Format(time.RFC3339),
		Links: []atomLink{
			{Href: src.self + ".atom", Rel: "self", Type: "application/atom+xml"},
			{Href: src.link, Rel: "alternate", Type: "text/html"},
		},
		Author:  atomPerson{Name: s.cfg.SiteName, URI: s.absURL("/")},
		Entries: make([]atomEntry, 0, len(src.stories)),
	}
	var newest time.Time
	for _, st := range src.stories {
		link := s.absURL("/stories/" + st.Slug)
		mod := lastModified(st)
		if mod.After(newest) {
			newest = mod
		}
		e := atomEntry{
			ID:        link,
			Title:     st.Headline,
			Link:      atomLink{Href: link, Rel: "alternate", Type: "text/html"},
			Published: st.PublishedAt.UTC().Format(time.RFC3339),
			Updated:   mod.UTC().Format(time.RFC3339),
			Summary:   st.Dek,
			Categories: []atomCategory{{
				Term: st.Section.Slug, Label: st.Section.Name,
			}},
		}
		for _, a := range st.Authors {
			e.Authors = append(e.Authors, atomPerson{Name: a.Name, URI: s.absURL("/authors/" + a.Slug)})
		}
		feed.Entries = append(feed.Entries, e)
	}
	if !newest.IsZero() {
		feed.Updated = newest.UTC().Format(time.RFC3339)
	}
	s.writeXML(w, r, atomType, feed)
}

// rssFeed is an RSS 2.0 feed.
type rssFeed struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	AtomNS  string     `xml:"xmlns:atom,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string      `xml:"title"`
	Link          string      `xml:"link"`
	Description   string      `xml:"description"`
	Language      string      `xml:"language"`
	LastBuildDate string      `xml:"lastBuildDate"`
	AtomLink      rssAtomLink `xml:"atom:link"`
	Items         []rssItem   `xml:"item"`
}

type rssAtomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssGUID struct {
	IsPermaLink bool   `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	GUID        rssGUID  `xml:"guid"`
	PubDate     string   `xml:"pubDate"`
	Description string   `xml:"description,omitempty"`
	Categories  []string `xml:"category"`
}

// handleRSS serves the RSS 2.0 feed of the site or of a section.
func (s *Server) handleRSS(w http.ResponseWriter, r *http.Request) {
	src, err := s.loadFeed(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	feed := rssFeed{
		Version: "2.0",
		AtomNS:  "http://www.w3.org/2005/Atom",
		Channel: rssChannel{
			Title:         src.title,
			Link:          src.link,
			Description:   src.description,
			Language:      string(s.cfg.Locale),
			LastBuildDate: s.now().UTC().Format(time.RFC1123Z),
			AtomLink:      rssAtomLink{Href: src.self + ".rss", Rel: "self", Type: "application/rss+xml"},
			Items:         make([]rssItem, 0, len(src.stories)),
		},
	}
	for _, st := range src.stories {
		link := s.absURL("/stories/" + st.Slug)
		feed.Channel.Items = append(feed.Channel.Items, rssItem{
			Title:       st.Headline,
			Link:        link,
			GUID:        rssGUID{IsPermaLink: true, Value: link},
			PubDate:     st.PublishedAt.UTC().Format(time.RFC1123Z),
			Description: st.Dek,
			Categories:  []string{st.Section.Name},
		})
	}
	s.writeXML(w, r, rssType, feed)
}

// sitemapURLSet is a sitemaps.org URL set.
type sitemapURLSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// handleSitemap lists the front page, every section and every visible story.
func (s *Server) handleSitemap(w http.ResponseWriter, r *http.Request) {
	refs, err := s.stories.ListStoryRefs(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	e, err := s.sections.get(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	sections := e.sections
	set := sitemapURLSet{URLs: make([]sitemapURL, 0, 1+len(sections)+len(refs))}
	set.URLs = append(set.URLs, sitemapURL{Loc: s.absURL("/")})
	for _, sec := range sections {
		set.URLs = append(set.URLs, sitemapURL{Loc: s.absURL("/sections/" + sec.Slug)})
	}
	for _, ref := range refs {
		if len(set.URLs) == maxSitemapURLs {
			s.logger.LogAttrs(r.Context(), slog.LevelWarn, "sitemap truncated",
				slog.Int("stories", len(refs)), slog.Int("limit", maxSitemapURLs))
			break
		}
		mod := ref.UpdatedAt
		if mod.Before(ref.PublishedAt) {
			mod = ref.PublishedAt
		}
		set.URLs = append(set.URLs, sitemapURL{
			Loc:     s.absURL("/stories/" + ref.Slug),
			LastMod: mod.UTC().Format(time.RFC3339),
		})
	}
	s.writeXML(w, r, xmlType, set)
}

// writeXML encodes v as an XML document after the XML declaration.
func (s *Server) writeXML(w http.ResponseWriter, r *http.Request, contentType string, v any) {
	buf := getBuffer()
	defer putBuffer(buf)
	buf.WriteString(xml.Header)
	if err := xml.NewEncoder(buf).Encode(v); err != nil {
		s.Error(w, r, err)
		return
	}
	buf.WriteByte('\n')
	w.Header()["Cache-Control"] = feedCacheValue
	s.write(w, http.StatusOK, contentType, buf.Bytes())
}

// handleRobots serves robots.txt, pointing crawlers to the sitemap.
func (s *Server) handleRobots(w http.ResponseWriter, r *http.Request) {
	var b bytes.Buffer
	b.WriteString("User-agent: *\nAllow: /\nDisallow: /search\nDisallow: /api/\n\nSitemap: ")
	b.WriteString(s.absURL("/sitemap.xml"))
	b.WriteByte('\n')
	s.write(w, http.StatusOK, "text/plain; charset=utf-8", b.Bytes())
}
