package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"masthead"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages holds one parsed template set per page, each with the shared layout
// and partials (partials.html for stories, forms.html for forms).
type pages struct {
	byName map[string]*template.Template
	// staff are the staff pages, parsed at their first use: most
	// instances never serve one, and each parsed page set costs memory
	// for as long as the process runs.
	staff map[string]*lazyPage
}

// lazyPage is a page set parsed when it is first needed.
type lazyPage struct {
	once  sync.Once
	parse func() (*template.Template, error)
	t     *template.Template
	err   error
}

// lazyPagePrefix marks the pages parsed at first use.
const lazyPagePrefix = "admin"

// get returns the page set called name, parsing it first if it is a staff
// page not yet used.
func (ps *pages) get(name string) (*template.Template, error) {
	if t, ok := ps.byName[name]; ok {
		return t, nil
	}
	lp, ok := ps.staff[name]
	if !ok {
		return nil, fmt.Errorf("web: no page template %q", name)
	}
	lp.once.Do(func() { lp.t, lp.err = lp.parse() })
	return lp.t, lp.err
}

// sharedTemplates are the template files that are not pages: the layout
// and partials every page uses, and the pieces some pages add (see
// pageShared).
var sharedTemplates = []string{"layout", "partials", "forms", "comments"}

// pageNames returns the page templates: every templates/*.html file that
// is not shared. Each defines "main" and is combined with layout.html and
// partials.html.
func pageNames() ([]string, error) {
	entries, err := fs.ReadDir(templateFS, "templates")
	if err != nil {
		return nil, fmt.Errorf("web: list templates: %w", err)
	}
	var names []string
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".html")
		if ok && !slices.Contains(sharedTemplates, name) {
			names = append(names, name)
		}
	}
	return names, nil
}

// parseTemplates parses every template once, with the template functions
// bound to this server's locale and static files.
//
// Calls with constant arguments — {{t "id"}}, {{static "name"}} and
// {{maxsearch}} — are resolved before parsing: the text is looked up once,
// HTML-escaped and put into the template as static text, so rendering a
// page costs no call for it. Such calls must therefore sit in HTML text or
// in quoted attribute values (where they all are); calls with arguments,
// such as {{t "page.home.more_in" .Section.Name}}, stay calls.
func (s *Server) parseTemplates() (*pages, error) {
	base := template.New("").Funcs(s.templateFuncs())
	for _, name := range []string{"layout", "partials"} {
		if err := s.parseFile(base, name); err != nil {
			return nil, err
		}
	}
	names, err := pageNames()
	if err != nil {
		return nil, err
	}
	parse := func(name string) (*template.Template, error) {
		t, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("web: clone layout for %s: %w", name, err)
		}
		// Each page set holds only the shared templates it uses: every
		// set is escaped and kept separately, so a template parsed into
		// all of them costs its memory once per page.
		for _, shared := range pageShared(name) {
			if err := s.parseFile(t, shared); err != nil {
				return nil, err
			}
		}
		if err := s.parseFile(t, name); err != nil {
			return nil, err
		}
		return t, nil
	}
	ps := &pages{byName: make(map[string]*template.Template, len(names)), staff: map[string]*lazyPage{}}
	for _, name := range names {
		if strings.HasPrefix(name, lazyPagePrefix) {
			ps.staff[name] = &lazyPage{parse: func() (*template.Template, error) { return parse(name) }}
			continue
		}
		t, err := parse(name)
		if err != nil {
			return nil, err
		}
		ps.byName[name] = t
	}
	return ps, nil
}

// pageShared returns the shared template files, beyond the layout and the
// partials, that the page called name uses: the comment section on story
// pages, the form pieces on every page with a form.
func pageShared(name string) []string {
	switch name {
	case "story":
		return []string{"comments"}
	case "home", "list", "search", "error":
		return nil
	}
	return []string{"forms"}
}

// constantCall matches a template action that calls t or static with one
// constant string, or maxsearch, and nothing else.
var constantCall = regexp.MustCompile(`\{\{(?:(t|static) "([^"]+)"|(maxsearch))\}\}`)

// parseFile parses templates/name.html into t, resolving constant calls.
func (s *Server) parseFile(t *template.Template, name string) error {
	src, err := templateFS.ReadFile("templates/" + name + ".html")
	if err != nil {
		return fmt.Errorf("web: read template %s: %w", name, err)
	}
	var resolveErr error
	text := constantCall.ReplaceAllStringFunc(string(src), func(call string) string {
		m := constantCall.FindStringSubmatch(call)
		var out string
		switch {
		case m[3] == "maxsearch":
			out = strconv.Itoa(masthead.MaxSearchLen)
		case m[1] == "static":
			u, err := s.static.url(m[2])
			if err != nil {
				resolveErr = err
			}
			out = u
		default:
			out = s.msg(m[2])
		}
		if strings.Contains(out, "{{") {
			return call // would be read as an action; leave it a call
		}
		return html.EscapeString(out)
	})
	if resolveErr != nil {
		return fmt.Errorf("web: template %s: %w", name, resolveErr)
	}
	if _, err := t.New(name + ".html").Parse(text); err != nil {
		return fmt.Errorf("web: parse template %s: %w", name, err)
	}
	return nil
}

// templateFuncs returns the functions templates may call.
func (s *Server) templateFuncs() template.FuncMap {
	return template.FuncMap{
		// t looks up a sentence in the message catalogue.
		"t":         func(id string, args ...any) string { return s.msg(id, args...) },
		"static":    s.static.url,
		"maxsearch": func() int { return masthead.MaxSearchLen },
	}
}

// page is the data of every HTML page: the layout's fields, then the
// fields the individual pages use.
type page struct {
	// listData is the cached list a list page shows, which keys its
	// rendered main part.
	listData *masthead.StoryPage

	Lang        string
	SiteName    string
	Title       string // the full <title>
	Description string
	Canonical   string
	OGTitle     string // defaults to Title
	OGType      string
	NoIndex     bool
	Sections    []*masthead.Section
	Current     string // slug of the section whose page this is, for aria-current
	FeedAtom    string // feed alternates; empty for none
	FeedRSS     string
	JSONLD      template.JS
	Year        int

	// Head, Header, Main and Footer are rendered fragments; render fills
	// in Header and Footer, and Main replaces the page's "main" template
	// when set.
	Head   template.HTML
	Header template.HTML
	Main   template.HTML
	// AfterMain follows the main part inside <main>: a story's comment
	// section, rendered per viewer. Kept apart so the cached article is
	// never copied to add it.
	AfterMain template.HTML
	Footer    template.HTML
	frags     *fragments

	Heading   string
	Intro     string
	Lead      *storyView
	Groups    []sectionGroup
	Story     *storyView
	Stories   []storyView
	NextURL   string
	Query     string
	Searched  bool
	Message   string
	RequestID string

	// Viewer is the signed-in account, nil for an anonymous reader, and
	// ViewerName the name the header shows for it. A page with a viewer
	// gets a header of its own, never a cached one, and is never stored by
	// a cache.
	Viewer     *masthead.Account
	ViewerName string
	// AccountsOn says whether the site has accounts, so that the header
	// offers signing in.
	AccountsOn bool

	// Form is the page's form; Notice confirms what was just done; Links
	// are the ways on from a notice page; Acct is an account page's data.
	Form   *form
	Next   string // where a form sends the reader once done: a local path
	Token  string // the token of an emailed link, for a hidden field
	Notice string
	Links  []pageLink
	Acct   *accountView

	// Access is a gated story's per-viewer part; Plans the plans page's
	// plans and PlansNote what it says about subscribing; Sub the
	// subscription section; Gift a new gift link; Admin a staff page.
	Access    *accessView
	Comments  *commentsView
	Plans     []planView
	PlansNote string
	Sub       *subscriptionView
	Gift      *giftView
	Admin     *adminView
	// Staff is the view of a staff page that brings its own type (the
	// editor, the moderation queues, the user actions, the settings, the
	// audit log), so each part of /admin keeps its data to itself.
	Staff any
}

// pageLink is a link with its text.
type pageLink struct {
	Href  string
	Label string
}

// sectionGroup is one section's block on the front page.
type sectionGroup struct {
	Section *masthead.Section
	Stories []storyView
}

// newPage returns a page with the layout's fields filled in, the navigation
// included. A failure to load the navigation is logged, not fatal.
func (s *Server) newPage(r *http.Request) *page {
	e, err := s.sections.get(r.Context())
	if err != nil {
		s.logger.LogAttrs(r.Context(), slog.LevelWarn, "load sections for navigation",
			slog.String("request_id", RequestID(r.Context())),
			slog.String("error", err.Error()))
		e = &sectionEntry{frags: newFragments(0)}
	}
	p := &page{
		frags:      e.frags,
		Lang:       string(s.cfg.Locale),
		SiteName:   s.cfg.SiteName,
		Title:      s.cfg.SiteName,
		Canonical:  s.absURL(r.URL.Path),
		OGType:     "website",
		Sections:   e.sections,
		FeedAtom:   "/feed.atom",
		FeedRSS:    "/feed.rss",
		Year:       s.now().In(s.cfg.TimeZone).Year(),
		AccountsOn: s.accounts != nil,
	}
	if a, _ := s.viewer(r); a != nil {
		p.Viewer = a
		p.ViewerName = a.DisplayName
		if p.ViewerName == "" {
			p.ViewerName = a.Email
		}
	}
	return p
}

// setTitle sets the page title to "title | site".
func (s *Server) setTitle(p *page, title string) {
	p.Title = s.msg("site.title_format", title, s.cfg.SiteName)
}

// bufferPool recycles response buffers.
var bufferPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuffer is the largest buffer put back in the pool, so that one
// huge response does not pin its memory.
const maxPooledBuffer = 1 << 20

func getBuffer() *bytes.Buffer {
	b := bufferPool.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

func putBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxPooledBuffer {
		bufferPool.Put(b)
	}
}

// render executes the named page into a pooled buffer and writes it in one
// go with its Content-Length. If the template fails, nothing of it is sent
// and a plain internal-error response goes out instead.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	if p.OGTitle == "" {
		p.OGTitle = p.Title
	}
	err := s.chrome(name, p)
	buf := getBuffer()
	defer putBuffer(buf)
	var t *template.Template
	if err == nil {
		t, err = s.pages.get(name)
	}
	if err == nil {
		err = t.ExecuteTemplate(buf, "layout", p)
	}
	if err == nil && p.Viewer != nil && w.Header()["Cache-Control"] == nil {
		noStore(w)
	}
	if err != nil {
		s.logger.LogAttrs(r.Context(), slog.LevelError, "render template",
			slog.String("request_id", RequestID(r.Context())),
			slog.String("template", name),
			slog.String("error", err.Error()))
		msg := masthead.MsgIn(s.cfg.Locale, masthead.MsgInternalError) + "\n" +
			s.msg("error.request_id", RequestID(r.Context())) + "\n"
		http.Error(w, msg, http.StatusInternalServerError)
		return
	}
	s.write(w, status, "text/html; charset=utf-8", buf.Bytes())
}

// chrome fills in the page's header and footer fragments, from the cache
// when they are there. The header of a signed-in viewer names them, so it
// is rendered for the page and never cached.
func (s *Server) chrome(name string, p *page) error {
	if p.Viewer != nil {
		h, err := s.fragment(name, "header", p)
		if err != nil {
			return err
		}
		p.Header = h
	} else if err := s.cachedHeader(name, p); err != nil {
		return err
	}
	v, ok := p.frags.footer.Load(p.FeedAtom)
	if !ok {
		f, err := s.fragment(name, "footer", p)
		if err != nil {
			return err
		}
		v, _ = p.frags.footer.LoadOrStore(p.FeedAtom, f)
	}
	p.Footer = v.(template.HTML)
	return nil
}

// cachedHeader fills in the anonymous header, from the cache when it is
// there.
func (s *Server) cachedHeader(name string, p *page) error {
	v, ok := p.frags.header.Load(p.Current)
	if !ok {
		h, err := s.fragment(name, "header", p)
		if err != nil {
			return err
		}
		v, _ = p.frags.header.LoadOrStore(p.Current, h)
	}
	p.Header = v.(template.HTML)
	return nil
}

// fragment executes one named template of a page's set on its own. The
// result is HTML produced by html/template in the HTML text context, which
// is where the layout prints it.
func (s *Server) fragment(set, name string, p *page) (template.HTML, error) {
	buf := getBuffer()
	defer putBuffer(buf)
	t, err := s.pages.get(set)
	if err == nil {
		err = t.ExecuteTemplate(buf, name, p)
	}
	if err != nil {
		return "", fmt.Errorf("web: render %s/%s: %w", set, name, err)
	}
	return template.HTML(buf.String()), nil
}

// write sends body with its content type and length.
func (s *Server) write(w http.ResponseWriter, status int, contentType string, body []byte) {
	h := w.Header()
	h["Content-Type"] = []string{contentType}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(status)
	w.Write(body)
}

// writeJSON encodes v as the JSON response.
func (s *Server) writeJSON(w http.ResponseWriter, status int, v any) {
	buf := getBuffer()
	defer putBuffer(buf)
	if err := json.NewEncoder(buf).Encode(v); err != nil {
		s.logger.Error("encode json", slog.String("error", err.Error()))
		status = http.StatusInternalServerError
		buf.Reset()
		json.NewEncoder(buf).Encode(apiErrorBody{Error: apiError{
			Code:    masthead.EINTERNAL,
			Message: masthead.MsgIn(s.cfg.Locale, masthead.MsgInternalError),
		}})
	}
	s.write(w, status, "application/json", buf.Bytes())
}
