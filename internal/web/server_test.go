package web

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"masthead"
	"masthead/internal/mock"
)

const testBaseURL = "http://example.test"

var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

var (
	world    = masthead.Section{ID: 1, Slug: "world", Name: "World", Description: "News from everywhere.", Position: 1}
	politics = masthead.Section{ID: 2, Slug: "politics", Name: "Politics", Position: 2}
	business = masthead.Section{ID: 3, Slug: "business", Name: "Business", Position: 3}
)

// testStories returns fresh fixtures, newest first.
func testStories() []*masthead.Story {
	return []*masthead.Story{
		{
			ID: 3, Slug: "tokyo-rail-expansion", Headline: "Tokyo opens new rail line",
			Dek:      "The line links two wards for the first time.",
			BodyHTML: "<p>Trains <em>began</em> running at dawn.</p>",
			Section:  world,
			Authors:  []masthead.Author{{ID: 1, Slug: "aiko-tanaka", Name: "Aiko Tanaka"}, {ID: 2, Slug: "ben-ode", Name: "Ben Ode"}},
			Tags:     []masthead.Tag{{ID: 1, Slug: "transport", Name: "Transport"}},
			Status:   masthead.StatusPublished, Access: masthead.AccessMetered, Comments: masthead.CommentsOpen,
			CommentCount: 7,
			PublishedAt:  time.Date(2026, 2, 28, 9, 0, 0, 0, time.UTC),
			UpdatedAt:    time.Date(2026, 2, 28, 15, 30, 0, 0, time.UTC),
		},
		{
			ID: 2, Slug: "budget-vote", Headline: "Budget passes after late-night vote",
			Dek:      "The vote was closer than expected.",
			BodyHTML: "<p>The budget passed.</p>",
			Section:  politics,
			Authors:  []masthead.Author{{ID: 3, Slug: "carla-diaz", Name: "Carla Díaz"}},
			Status:   masthead.StatusPublished, Access: masthead.AccessFree, Comments: masthead.CommentsClosed,
			PublishedAt: time.Date(2026, 2, 27, 18, 0, 0, 0, time.UTC),
			UpdatedAt:   time.Date(2026, 2, 27, 18, 0, 0, 0, time.UTC),
		},
		{
			ID: 1, Slug: "markets-rally", Headline: "Markets rally on rate hopes",
			BodyHTML: "<p>Shares rose.</p>",
			Section:  business,
			Authors:  []masthead.Author{{ID: 1, Slug: "aiko-tanaka", Name: "Aiko Tanaka"}},
			Tags:     []masthead.Tag{{ID: 2, Slug: "markets", Name: "Markets"}},
			Status:   masthead.StatusPublished, Access: masthead.AccessPremium, Comments: masthead.CommentsOpen,
			PublishedAt: time.Date(2026, 2, 26, 7, 0, 0, 0, time.UTC),
			UpdatedAt:   time.Date(2026, 2, 26, 7, 0, 0, 0, time.UTC),
		},
		{
			ID: 4, Slug: "world-older", Headline: "An older world story",
			BodyHTML: "<p>Old.</p>",
			Section:  world,
			Status:   masthead.StatusPublished, Access: masthead.AccessFree, Comments: masthead.CommentsOpen,
			PublishedAt: time.Date(2026, 2, 20, 7, 0, 0, 0, time.UTC),
			UpdatedAt:   time.Date(2026, 2, 20, 7, 0, 0, 0, time.UTC),
		},
	}
}

func notFound(id masthead.MessageID) error {
	return masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(id))
}

// fakeStories returns a mock service over the given stories, newest first.
func fakeStories(stories []*masthead.Story) *mock.StoryService {
	sections := []*masthead.Section{&world, &politics, &business}
	return &mock.StoryService{
		FindSectionsFn: func(ctx context.Context) ([]*masthead.Section, error) { return sections, nil },
		FindSectionBySlugFn: func(ctx context.Context, slug string) (*masthead.Section, error) {
			for _, sec := range sections {
				if sec.Slug == slug {
					return sec, nil
				}
			}
			return nil, notFound(masthead.MsgSectionNotFound)
		},
		FindStoryBySlugFn: func(ctx context.Context, slug string) (*masthead.Story, error) {
			for _, st := range stories {
				if st.Slug == slug {
					return st, nil
				}
			}
			return nil, notFound(masthead.MsgStoryNotFound)
		},
		FindStoriesFn: func(ctx context.Context, f masthead.StoryFilter) (*masthead.StoryPage, error) {
			var all []*masthead.Story
			for _, st := range stories {
				switch {
				case f.Section != "" && st.Section.Slug != f.Section:
				case f.Tag != "" && !slices.ContainsFunc(st.Tags, func(t masthead.Tag) bool { return t.Slug == f.Tag }):
				case f.Author != "" && !slices.ContainsFunc(st.Authors, func(a masthead.Author) bool { return a.Slug == f.Author }):
				case f.After != nil && !st.PublishedAt.Before(f.After.PublishedAt):
				default:
					all = append(all, st)
				}
			}
			page := &masthead.StoryPage{Stories: all}
			if f.Limit > 0 && len(all) > f.Limit {
				page.Stories = all[:f.Limit]
				page.Next = masthead.CursorFor(all[f.Limit-1])
			}
			return page, nil
		},
		FindLatestBySectionFn: func(ctx context.Context, per int) (map[string][]*masthead.Story, error) {
			out := map[string][]*masthead.Story{}
			for _, st := range stories {
				if len(out[st.Section.Slug]) < per {
					out[st.Section.Slug] = append(out[st.Section.Slug], st)
				}
			}
			return out, nil
		},
		ListStoryRefsFn: func(ctx context.Context) ([]masthead.StoryRef, error) {
			refs := make([]masthead.StoryRef, len(stories))
			for i, st := range stories {
				refs[i] = masthead.StoryRef{Slug: st.Slug, PublishedAt: st.PublishedAt, UpdatedAt: st.UpdatedAt}
			}
			return refs, nil
		},
		SearchStoriesFn: func(ctx context.Context, q string, limit int) ([]masthead.SearchResult, error) {
			var out []masthead.SearchResult
			for _, st := range stories {
				if strings.Contains(strings.ToLower(st.Headline), strings.ToLower(q)) {
					out = append(out, masthead.SearchResult{Story: st, Rank: 1})
				}
			}
			return out, nil
		},
		FindTagBySlugFn: func(ctx context.Context, slug string) (*masthead.Tag, error) {
			for _, st := range stories {
				for _, t := range st.Tags {
					if t.Slug == slug {
						return &t, nil
					}
				}
			}
			return nil, notFound(masthead.MsgTagNotFound)
		},
		FindAuthorBySlugFn: func(ctx context.Context, slug string) (*masthead.Author, error) {
			for _, st := range stories {
				for _, a := range st.Authors {
					if a.Slug == slug {
						a.Bio = "Reports on " + a.Name + "'s beat."
						return &a, nil
					}
				}
			}
			return nil, notFound(masthead.MsgAuthorNotFound)
		},
	}
}

// newTestServer returns a server over svc with a fixed clock; cfg's zero
// fields get test defaults.
func newTestServer(t testing.TB, svc masthead.StoryService, cfg Config) *Server {
	t.Helper()
	cfg.Stories = svc
	if cfg.BaseURL == "" {
		cfg.BaseURL = testBaseURL
	}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return testNow }
	}
	if cfg.SiteName == "" {
		cfg.SiteName = "The Daily Test"
	}
	s, err := NewServer(cfg)
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	return s
}

// do serves one request and returns the recorded response with its body.
func do(t testing.TB, h http.Handler, req *http.Request) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func get(t testing.TB, h http.Handler, target string) (*http.Response, string) {
	t.Helper()
	return do(t, h, httptest.NewRequest(http.MethodGet, target, nil))
}

func TestRoutes(t *testing.T) {
	h := newTestServer(t, fakeStories(testStories()), Config{PageSize: 1}).Handler()
	tooLong := strings.Repeat("x", masthead.MaxSearchLen+1)
	tests := []struct {
		name        string
		target      string
		wantStatus  int
		wantType    string
		wantContain []string
		wantAbsent  []string
	}{
		{"home", "/", 200, "text/html; charset=utf-8", []string{
			`<html lang="en">`,
			`<h2 class="lead-headline"><a href="/stories/tokyo-rail-expansion">Tokyo opens new rail line</a></h2>`,
			`>Read more</a>`,
			`<h2 class="section-heading" id="section-politics"><a href="/sections/politics">Politics</a></h2>`,
			`<a href="/sections/world">More in World</a>`,
			`/stories/world-older`,
			`<title>The Daily Test</title>`,
		}, nil},
		{"section", "/sections/world", 200, "text/html; charset=utf-8", []string{
			`<h1>World</h1>`, `News from everywhere.`, `/stories/tokyo-rail-expansion`,
			`rel="next">Older stories</a>`, `aria-current="page">World</a>`,
			`href="/sections/world/feed.atom"`,
		}, []string{`/stories/world-older"`}},
		{"section second page", "/sections/world?after=" + masthead.CursorFor(testStories()[0]).Encode(), 200, "text/html; charset=utf-8",
			[]string{`/stories/world-older`}, []string{`/stories/tokyo-rail-expansion"`, `Older stories`}},
		{"section bad cursor", "/sections/world?after=!!", 400, "text/html; charset=utf-8",
			[]string{masthead.Msg(masthead.MsgCursorInvalid)}, nil},
		{"section unknown", "/sections/sport", 404, "text/html; charset=utf-8",
			[]string{"Page not found", masthead.Msg(masthead.MsgSectionNotFound)}, nil},
		{"story", "/stories/tokyo-rail-expansion", 200, "text/html; charset=utf-8", []string{
			`<h1 class="headline">Tokyo opens new rail line</h1>`,
			`<p class="dek">The line links two wards for the first time.</p>`,
			`By <a href="/authors/aiko-tanaka">Aiko Tanaka</a> and <a href="/authors/ben-ode">Ben Ode</a>`,
			`<time datetime="2026-02-28T09:00:00Z">28 February 2026, 09:00 UTC</time>`,
			`Updated <time datetime="2026-02-28T15:30:00Z">28 February 2026, 15:30 UTC</time>`,
			`Subscribers (metered)`,
			`<a href="/tags/transport">Transport</a>`,
			`<p>Trains <em>began</em> running at dawn.</p>`,
			`<a href="/sections/world">World</a>`,
			`<link rel="canonical" href="http://example.test/stories/tokyo-rail-expansion">`,
			`<meta property="og:type" content="article">`,
			`<script type="application/ld+json">`,
		}, []string{"Comments are closed", `class="updated"></span>`}},
		{"story comments closed", "/stories/budget-vote", 200, "text/html; charset=utf-8", []string{
			"Comments are closed for this story.", "Free to read", "Carla Díaz",
		}, []string{"Updated"}},
		{"story premium", "/stories/markets-rally", 200, "text/html; charset=utf-8", []string{"Premium"}, nil},
		{"story not found", "/stories/draft-story", 404, "text/html; charset=utf-8",
			[]string{"Page not found", masthead.Msg(masthead.MsgStoryNotFound), `<a class="skip-link" href="#main">Skip to content</a>`}, nil},
		{"tag", "/tags/transport", 200, "text/html; charset=utf-8", []string{`<h1>Stories about Transport</h1>`, `/stories/tokyo-rail-expansion`}, nil},
		{"tag unknown", "/tags/nope", 404, "text/html; charset=utf-8", nil, nil},
		{"author", "/authors/aiko-tanaka", 200, "text/html; charset=utf-8", []string{`<h1>Stories by Aiko Tanaka</h1>`, `Reports on Aiko Tanaka&#39;s beat.`}, nil},
		{"author unknown", "/authors/nobody", 404, "text/html; charset=utf-8", nil, nil},
		{"search form", "/search", 200, "text/html; charset=utf-8",
			[]string{`<label for="q">Search stories</label>`, `<h1>Search</h1>`, `<meta name="robots" content="noindex">`}, []string{"Results for"}},
		{"search results", "/search?q=budget", 200, "text/html; charset=utf-8",
			[]string{`value="budget"`, `Results for “budget”`, `/stories/budget-vote`}, []string{`/stories/markets-rally"`}},
		{"search no results", "/search?q=zebra", 200, "text/html; charset=utf-8", []string{`No stories matched “zebra”`}, nil},
		{"search too long", "/search?q=" + tooLong, 400, "text/html; charset=utf-8",
			[]string{`value="` + tooLong + `"`, masthead.Msg(masthead.MsgSearchQueryTooLong, masthead.MaxSearchLen), `aria-invalid="true"`}, nil},
		{"unknown route", "/no/such/page", 404, "text/html; charset=utf-8", []string{"Page not found", "We could not find that page."}, nil},
		{"unknown api route", "/api/v1/nothing", 404, "application/json", []string{`"code":"not_found"`}, nil},
		{"healthz", "/healthz", 200, "text/plain; charset=utf-8", []string{"ok"}, nil},
		{"readyz", "/readyz", 200, "text/plain; charset=utf-8", []string{"ok"}, nil},
		{"robots", "/robots.txt", 200, "text/plain; charset=utf-8", []string{"Sitemap: http://example.test/sitemap.xml"}, nil},
		{"static wrong hash", "/static/0000/site.css", 404, "text/html; charset=utf-8", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := get(t, h, tt.target)
			if got := res.StatusCode; got != tt.wantStatus {
				t.Errorf("status: got %d, want %d", got, tt.wantStatus)
			}
			if got := res.Header.Get("Content-Type"); got != tt.wantType {
				t.Errorf("Content-Type: got %q, want %q", got, tt.wantType)
			}
			if got, want := res.Header.Get("Content-Length"), fmt.Sprint(len(body)); got != want {
				t.Errorf("Content-Length: got %q, want %q", got, want)
			}
			for _, want := range tt.wantContain {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %q", want)
				}
			}
			for _, absent := range tt.wantAbsent {
				if strings.Contains(body, absent) {
					t.Errorf("body contains %q", absent)
				}
			}
			if t.Failed() {
				t.Logf("body:\n%s", body)
			}
		})
	}
}

func TestHomeLead(t *testing.T) {
	h := newTestServer(t, fakeStories(testStories()), Config{}).Handler()
	_, body := get(t, h, "/")
	if got := strings.Count(body, `href="/stories/tokyo-rail-expansion"`); got != 2 {
		t.Errorf("links to the lead story: got %d, want 2 (headline and read more)", got)
	}
	if got := strings.Count(body, "<h1"); got != 1 {
		t.Errorf("h1 elements: got %d, want 1", got)
	}
	world, politics := strings.Index(body, `id="section-world"`), strings.Index(body, `id="section-politics"`)
	if world < 0 || politics < 0 || world > politics {
		t.Errorf("sections out of navigation order: world at %d, politics at %d", world, politics)
	}
}

func TestEmptySite(t *testing.T) {
	h := newTestServer(t, fakeStories(nil), Config{}).Handler()
	res, body := get(t, h, "/")
	if res.StatusCode != 200 || !strings.Contains(body, "No stories have been published yet.") {
		t.Errorf("got %d and a body without the empty message:\n%s", res.StatusCode, body)
	}
}

func TestStaticFiles(t *testing.T) {
	s := newTestServer(t, fakeStories(testStories()), Config{})
	h := s.Handler()
	_, page := get(t, h, "/")
	m := regexp.MustCompile(`href="(/static/[0-9a-f]+/site\.css)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("page links no fingerprinted stylesheet")
	}
	res, body := get(t, h, m[1])
	if got, want := res.StatusCode, 200; got != want {
		t.Fatalf("status: got %d, want %d", got, want)
	}
	if got, want := res.Header.Get("Content-Type"), "text/css; charset=utf-8"; got != want {
		t.Errorf("Content-Type: got %q, want %q", got, want)
	}
	if got := res.Header.Get("Cache-Control"); !strings.Contains(got, "immutable") || !strings.Contains(got, "max-age=31536000") {
		t.Errorf("Cache-Control: got %q, want a year and immutable", got)
	}
	if !strings.Contains(body, "font-family") {
		t.Errorf("stylesheet body looks wrong")
	}
	req := httptest.NewRequest(http.MethodGet, m[1], nil)
	req.Header.Set("If-None-Match", res.Header.Get("ETag"))
	if res, _ := do(t, h, req); res.StatusCode != http.StatusNotModified {
		t.Errorf("conditional request: got %d, want 304", res.StatusCode)
	}
}

func TestFeeds(t *testing.T) {
	h := newTestServer(t, fakeStories(testStories()), Config{}).Handler()
	type atom struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		Title   string   `xml:"title"`
		Updated string   `xml:"updated"`
		Links   []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
		} `xml:"link"`
		Entries []struct {
			ID    string `xml:"id"`
			Title string `xml:"title"`
			Link  struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
			Authors []struct {
				Name string `xml:"name"`
			} `xml:"author"`
		} `xml:"entry"`
	}
	type rss struct {
		XMLName xml.Name `xml:"rss"`
		Version string   `xml:"version,attr"`
		Channel struct {
			Title string `xml:"title"`
			Link  string `xml:"link"`
			Items []struct {
				Title   string `xml:"title"`
				Link    string `xml:"link"`
				GUID    string `xml:"guid"`
				PubDate string `xml:"pubDate"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	tests := []struct {
		name       string
		target     string
		wantType   string
		wantTitle  string
		wantTitles []string
		rss        bool
	}{
		{"site atom", "/feed.atom", "application/atom+xml; charset=utf-8", "The Daily Test",
			[]string{"Tokyo opens new rail line", "Budget passes after late-night vote", "Markets rally on rate hopes", "An older world story"}, false},
		{"site rss", "/feed.rss", "application/rss+xml; charset=utf-8", "The Daily Test",
			[]string{"Tokyo opens new rail line", "Budget passes after late-night vote", "Markets rally on rate hopes", "An older world story"}, true},
		{"section atom", "/sections/world/feed.atom", "application/atom+xml; charset=utf-8", "The Daily Test: World",
			[]string{"Tokyo opens new rail line", "An older world story"}, false},
		{"section rss", "/sections/world/feed.rss", "application/rss+xml; charset=utf-8", "The Daily Test: World",
			[]string{"Tokyo opens new rail line", "An older world story"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := get(t, h, tt.target)
			if res.StatusCode != 200 {
				t.Fatalf("status: got %d, want 200", res.StatusCode)
			}
			if got := res.Header.Get("Content-Type"); got != tt.wantType {
				t.Errorf("Content-Type: got %q, want %q", got, tt.wantType)
			}
			if !strings.HasPrefix(body, xml.Header) {
				t.Errorf("no XML declaration")
			}
			var title string
			var titles []string
			if tt.rss {
				var f rss
				if err := xml.Unmarshal([]byte(body), &f); err != nil {
					t.Fatalf("parse RSS: %v\n%s", err, body)
				}
				if f.Version != "2.0" {
					t.Errorf("version: got %q, want 2.0", f.Version)
				}
				title = f.Channel.Title
				for _, it := range f.Channel.Items {
					titles = append(titles, it.Title)
					if !strings.HasPrefix(it.Link, testBaseURL+"/stories/") || it.GUID != it.Link {
						t.Errorf("item link %q, guid %q: want absolute story URLs", it.Link, it.GUID)
					}
					if _, err := time.Parse(time.RFC1123Z, it.PubDate); err != nil {
						t.Errorf("pubDate %q: %v", it.PubDate, err)
					}
				}
			} else {
				var f atom
				if err := xml.Unmarshal([]byte(body), &f); err != nil {
					t.Fatalf("parse Atom: %v\n%s", err, body)
				}
				title = f.Title
				if f.Updated != "2026-02-28T15:30:00Z" {
					t.Errorf("updated: got %q, want the newest change", f.Updated)
				}
				if len(f.Links) == 0 || f.Links[0].Rel != "self" || f.Links[0].Href != testBaseURL+tt.target {
					t.Errorf("self link: got %+v, want %s", f.Links, testBaseURL+tt.target)
				}
				for _, e := range f.Entries {
					titles = append(titles, e.Title)
					if e.ID == "" || !strings.HasPrefix(e.Link.Href, testBaseURL+"/stories/") {
						t.Errorf("entry %q: id %q, link %q", e.Title, e.ID, e.Link.Href)
					}
				}
				if got := f.Entries[0].Authors; len(got) != 2 || got[0].Name != "Aiko Tanaka" {
					t.Errorf("first entry authors: got %+v", got)
				}
			}
			if title != tt.wantTitle {
				t.Errorf("title: got %q, want %q", title, tt.wantTitle)
			}
			if !slices.Equal(titles, tt.wantTitles) {
				t.Errorf("titles: got %q, want %q", titles, tt.wantTitles)
			}
		})
	}
	t.Run("unknown section", func(t *testing.T) {
		if res, _ := get(t, h, "/sections/sport/feed.atom"); res.StatusCode != 404 {
			t.Errorf("status: got %d, want 404", res.StatusCode)
		}
	})
	t.Run("hostile headline", func(t *testing.T) {
		stories := testStories()
		stories[0].Headline = `Fish & chips <b>]]></b>`
		h := newTestServer(t, fakeStories(stories), Config{}).Handler()
		for _, target := range []string{"/feed.atom", "/feed.rss"} {
			_, body := get(t, h, target)
			var f struct {
				Titles []string `xml:"entry>title"`
				Items  []string `xml:"channel>item>title"`
			}
			if err := xml.Unmarshal([]byte(body), &f); err != nil {
				t.Fatalf("%s: parse: %v", target, err)
			}
			got := append(f.Titles, f.Items...)
			if len(got) == 0 || got[0] != stories[0].Headline {
				t.Errorf("%s: first title: got %q, want %q", target, got, stories[0].Headline)
			}
		}
	})
}

func TestSitemap(t *testing.T) {
	h := newTestServer(t, fakeStories(testStories()), Config{}).Handler()
	res, body := get(t, h, "/sitemap.xml")
	if got, want := res.Header.Get("Content-Type"), "application/xml; charset=utf-8"; got != want {
		t.Errorf("Content-Type: got %q, want %q", got, want)
	}
	var set struct {
		XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
		URLs    []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(body), &set); err != nil {
		t.Fatalf("parse sitemap: %v\n%s", err, body)
	}
	var got []string
	for _, u := range set.URLs {
		got = append(got, u.Loc)
	}
	want := []string{
		testBaseURL + "/",
		testBaseURL + "/sections/world",
		testBaseURL + "/sections/politics",
		testBaseURL + "/sections/business",
		testBaseURL + "/stories/tokyo-rail-expansion",
		testBaseURL + "/stories/budget-vote",
		testBaseURL + "/stories/markets-rally",
		testBaseURL + "/stories/world-older",
	}
	if !slices.Equal(got, want) {
		t.Errorf("locations:\n got %q\nwant %q", got, want)
	}
	if got, want := set.URLs[4].LastMod, "2026-02-28T15:30:00Z"; got != want {
		t.Errorf("lastmod: got %q, want %q", got, want)
	}
}

func TestAPI(t *testing.T) {
	h := newTestServer(t, fakeStories(testStories()), Config{}).Handler()

	t.Run("list", func(t *testing.T) {
		res, body := get(t, h, "/api/v1/stories?limit=2")
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("got %d %q", res.StatusCode, res.Header.Get("Content-Type"))
		}
		var got struct {
			Stories []map[string]any `json:"stories"`
			Next    string           `json:"next"`
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatalf("decode: %v\n%s", err, body)
		}
		if len(got.Stories) != 2 || got.Next == "" {
			t.Fatalf("got %d stories and next %q, want 2 and a cursor", len(got.Stories), got.Next)
		}
		first := got.Stories[0]
		for _, key := range []string{"slug", "headline", "dek", "section", "authors", "tags", "access", "comments", "comment_count", "published_at", "updated_at", "url"} {
			if _, ok := first[key]; !ok {
				t.Errorf("story lacks %q", key)
			}
		}
		if _, ok := first["body_html"]; ok {
			t.Errorf("list story has body_html")
		}
		wantFields := map[string]any{
			"slug":          "tokyo-rail-expansion",
			"access":        "metered",
			"comments":      "open",
			"comment_count": 7.0,
			"published_at":  "2026-02-28T09:00:00Z",
			"updated_at":    "2026-02-28T15:30:00Z",
			"url":           testBaseURL + "/stories/tokyo-rail-expansion",
		}
		for k, want := range wantFields {
			if got := first[k]; got != want {
				t.Errorf("%s: got %v, want %v", k, got, want)
			}
		}
		if got, want := fmt.Sprint(first["section"]), "map[name:World slug:world]"; got != want {
			t.Errorf("section: got %s, want %s", got, want)
		}
		if got, want := fmt.Sprint(first["authors"]), "[map[name:Aiko Tanaka slug:aiko-tanaka] map[name:Ben Ode slug:ben-ode]]"; got != want {
			t.Errorf("authors: got %s, want %s", got, want)
		}

		// The cursor continues the list; the last page has no next.
		_, body = get(t, h, "/api/v1/stories?limit=2&after="+got.Next)
		var page2 map[string]json.RawMessage
		if err := json.Unmarshal([]byte(body), &page2); err != nil {
			t.Fatal(err)
		}
		if _, ok := page2["next"]; ok {
			t.Errorf("last page has next: %s", body)
		}
		if !strings.Contains(string(page2["stories"]), "markets-rally") {
			t.Errorf("second page: %s", body)
		}
	})

	t.Run("one story", func(t *testing.T) {
		res, body := get(t, h, "/api/v1/stories/tokyo-rail-expansion")
		if res.StatusCode != 200 {
			t.Fatalf("status: got %d", res.StatusCode)
		}
		var got map[string]any
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatal(err)
		}
		if got["body_html"] != "<p>Trains <em>began</em> running at dawn.</p>" {
			t.Errorf("body_html: got %v", got["body_html"])
		}
		if fmt.Sprint(got["tags"]) != "[map[name:Transport slug:transport]]" {
			t.Errorf("tags: got %v", got["tags"])
		}
	})

	errorTests := []struct {
		name       string
		target     string
		wantStatus int
		wantCode   string
	}{
		{"not found", "/api/v1/stories/nope", 404, "not_found"},
		{"bad limit", "/api/v1/stories?limit=0", 400, "invalid"},
		{"limit too big", "/api/v1/stories?limit=1000", 400, "invalid"},
		{"bad cursor", "/api/v1/stories?after=zzz", 400, "invalid"},
		{"unknown route", "/api/v1/unknown", 404, "not_found"},
	}
	for _, tt := range errorTests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := get(t, h, tt.target)
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status: got %d, want %d", res.StatusCode, tt.wantStatus)
			}
			if got := res.Header.Get("Content-Type"); got != "application/json" {
				t.Errorf("Content-Type: got %q", got)
			}
			var got map[string]map[string]string
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("decode %s: %v", body, err)
			}
			// An error about one request field also names it.
			wantKeys := 2
			if _, ok := got["error"]["field"]; ok {
				wantKeys = 3
			}
			if len(got) != 1 || len(got["error"]) != wantKeys {
				t.Errorf("shape: got %s, want {\"error\":{\"code\",\"message\"}} plus \"field\" if any", body)
			}
			if got["error"]["code"] != tt.wantCode || got["error"]["message"] == "" {
				t.Errorf("error: got %v, want code %q and a message", got["error"], tt.wantCode)
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	const wantCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
	h := newTestServer(t, fakeStories(testStories()), Config{}).Handler()
	for _, target := range []string{"/", "/stories/budget-vote", "/nope", "/api/v1/stories", "/feed.atom", "/healthz"} {
		t.Run(target, func(t *testing.T) {
			res, _ := get(t, h, target)
			want := map[string]string{
				"Content-Security-Policy": wantCSP,
				"X-Content-Type-Options":  "nosniff",
				"Referrer-Policy":         "strict-origin-when-cross-origin",
				"X-Frame-Options":         "DENY",
			}
			for k, v := range want {
				if got := res.Header.Get(k); got != v {
					t.Errorf("%s: got %q, want %q", k, got, v)
				}
			}
			if csp := res.Header.Get("Content-Security-Policy"); strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("CSP allows unsafe sources: %q", csp)
			}
			if got := res.Header.Get("Strict-Transport-Security"); got != "" {
				t.Errorf("HSTS over plain HTTP: %q", got)
			}
		})
	}
	t.Run("HSTS over TLS", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.TLS = &tls.ConnectionState{}
		if res, _ := do(t, h, req); !strings.HasPrefix(res.Header.Get("Strict-Transport-Security"), "max-age=") {
			t.Errorf("no HSTS header on a TLS request")
		}
	})
	t.Run("HSTS for https base URL", func(t *testing.T) {
		h := newTestServer(t, fakeStories(testStories()), Config{BaseURL: "https://news.example/"}).Handler()
		if res, _ := get(t, h, "/"); !strings.HasPrefix(res.Header.Get("Strict-Transport-Security"), "max-age=") {
			t.Errorf("no HSTS header for an https site")
		}
	})
}

// TestNoInlineCode checks that pages carry no inline script, style or event
// handler, which the CSP would block.
func TestNoInlineCode(t *testing.T) {
	h := newTestServer(t, fakeStories(testStories()), Config{}).Handler()
	scriptTag := regexp.MustCompile(`<script[^>]*>`)
	inline := regexp.MustCompile(`(?i)\sstyle=|<style|\son[a-z]+=|javascript:`)
	for _, target := range []string{"/", "/sections/world", "/stories/tokyo-rail-expansion", "/search?q=budget", "/tags/transport", "/nope"} {
		t.Run(target, func(t *testing.T) {
			_, body := get(t, h, target)
			for _, tag := range scriptTag.FindAllString(body, -1) {
				if tag != `<script type="application/ld+json">` {
					t.Errorf("script element %q", tag)
				}
			}
			if m := inline.FindString(body); m != "" {
				t.Errorf("inline code %q", m)
			}
		})
	}
}

func TestPageMetadata(t *testing.T) {
	h := newTestServer(t, fakeStories(testStories()), Config{}).Handler()
	for _, target := range []string{"/", "/sections/world", "/stories/tokyo-rail-expansion", "/tags/transport", "/authors/ben-ode", "/search", "/nope"} {
		t.Run(target, func(t *testing.T) {
			_, body := get(t, h, target)
			for _, want := range []string{
				"<title>", `<meta name="description" content="`, `<link rel="canonical" href="http://example.test/`,
				`<meta property="og:title"`, `<meta property="og:description"`, `<meta property="og:url" content="http://example.test/`,
				`<meta property="og:type"`, `<meta property="og:site_name" content="The Daily Test">`,
				"<header", "<nav", `<main id="main"`, "<footer",
			} {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			if got := strings.Count(body, "<h1"); got != 1 {
				t.Errorf("h1 elements: got %d, want 1", got)
			}
			// The skip link is the first focusable element.
			first := regexp.MustCompile(`<(a|input|button|select|textarea)\b[^>]*>`).FindString(body[strings.Index(body, "<body>"):])
			if first != `<a class="skip-link" href="#main">` {
				t.Errorf("first focusable element: got %q, want the skip link", first)
			}
		})
	}
}

func TestRequestID(t *testing.T) {
	h := newTestServer(t, fakeStories(testStories()), Config{}).Handler()
	seen := map[string]bool{}
	for i := range 20 {
		res, _ := get(t, h, "/healthz")
		id := res.Header.Get("X-Request-ID")
		if id == "" {
			t.Fatalf("request %d: no X-Request-ID", i)
		}
		if seen[id] {
			t.Fatalf("request %d: duplicate X-Request-ID %q", i, id)
		}
		seen[id] = true
	}
}

func TestInternalError(t *testing.T) {
	var logs bytes.Buffer
	svc := fakeStories(testStories())
	svc.FindStoryBySlugFn = func(ctx context.Context, slug string) (*masthead.Story, error) {
		if RequestID(ctx) == "" {
			t.Errorf("no request ID in the service's context")
		}
		return nil, fmt.Errorf("sqldb: find story: %w", errors.New("disk on fire at /var/secret"))
	}
	h := newTestServer(t, svc, Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))}).Handler()

	for _, target := range []string{"/stories/x", "/api/v1/stories/x"} {
		t.Run(target, func(t *testing.T) {
			logs.Reset()
			res, body := get(t, h, target)
			id := res.Header.Get("X-Request-ID")
			if res.StatusCode != 500 {
				t.Errorf("status: got %d, want 500", res.StatusCode)
			}
			if !strings.Contains(body, masthead.Msg(masthead.MsgInternalError)) {
				t.Errorf("body lacks the internal error text:\n%s", body)
			}
			if strings.Contains(body, "disk on fire") {
				t.Errorf("body leaks the internal error:\n%s", body)
			}
			if !strings.Contains(logs.String(), "sqldb: find story: disk on fire") || !strings.Contains(logs.String(), id) {
				t.Errorf("log lacks the error chain or request ID %s:\n%s", id, logs.String())
			}
			if !strings.HasPrefix(target, "/api/") && !strings.Contains(body, id) {
				t.Errorf("page lacks the request ID %s", id)
			}
			if strings.HasPrefix(target, "/api/") && !strings.Contains(body, `"code":"internal"`) {
				t.Errorf("API error: %s", body)
			}
		})
	}
}

func TestPanicRecovery(t *testing.T) {
	var logs bytes.Buffer
	svc := fakeStories(testStories())
	svc.FindStoryBySlugFn = func(ctx context.Context, slug string) (*masthead.Story, error) { panic("boom") }
	h := newTestServer(t, svc, Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))}).Handler()
	res, body := get(t, h, "/stories/x")
	if res.StatusCode != 500 {
		t.Errorf("status: got %d, want 500", res.StatusCode)
	}
	if !strings.Contains(body, "Something went wrong") || !strings.Contains(body, res.Header.Get("X-Request-ID")) {
		t.Errorf("body is not the 500 page:\n%s", body)
	}
	if !strings.Contains(logs.String(), "boom") || !strings.Contains(logs.String(), "status=500") {
		t.Errorf("log lacks the panic or the 500 access line:\n%s", logs.String())
	}
}

func TestErrorStatus(t *testing.T) {
	tests := []struct {
		code string
		want int
	}{
		{masthead.ENOTFOUND, 404},
		{masthead.EINVALID, 400},
		{masthead.ECONFLICT, 409},
		{masthead.EUNAUTHORIZED, 401},
		{masthead.EFORBIDDEN, 403},
		{masthead.ERATELIMIT, 429},
		{masthead.EINTERNAL, 500},
		{"something_else", 500},
	}
	h := func(err error) http.Handler {
		svc := fakeStories(testStories())
		svc.FindStoryBySlugFn = func(ctx context.Context, slug string) (*masthead.Story, error) { return nil, err }
		return newTestServer(t, svc, Config{}).Handler()
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			if got := ErrorStatus(tt.code); got != tt.want {
				t.Errorf("ErrorStatus: got %d, want %d", got, tt.want)
			}
			err := fmt.Errorf("wrapped: %w", masthead.Errorf(tt.code, "message for %s", tt.code))
			res, body := get(t, h(err), "/stories/x")
			if res.StatusCode != tt.want {
				t.Errorf("page status: got %d, want %d", res.StatusCode, tt.want)
			}
			if tt.want != 500 && !strings.Contains(body, "message for "+tt.code) {
				t.Errorf("page lacks the error message")
			}
			if tt.want == 500 && strings.Contains(body, "message for") {
				t.Errorf("internal error page shows the error message")
			}
		})
	}
}

func TestCrossOriginProtection(t *testing.T) {
	h := newTestServer(t, fakeStories(testStories()), Config{}).Handler()
	tests := []struct {
		name       string
		method     string
		header     map[string]string
		wantStatus int
	}{
		{"cross-site POST", http.MethodPost, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"cross-origin Origin", http.MethodPost, map[string]string{"Origin": "https://evil.example"}, 403},
		{"same-origin POST", http.MethodPost, map[string]string{"Sec-Fetch-Site": "same-origin"}, 404},
		{"trusted base URL origin", http.MethodPost, map[string]string{"Origin": testBaseURL}, 404},
		{"cross-site GET", http.MethodGet, map[string]string{"Sec-Fetch-Site": "cross-site"}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "/stories/budget-vote", strings.NewReader("body=x"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			res, body := do(t, h, req)
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status: got %d, want %d", res.StatusCode, tt.wantStatus)
			}
			if tt.wantStatus == 403 && !strings.Contains(body, "This request came from another site and was refused.") {
				t.Errorf("403 page lacks the explanation:\n%s", body)
			}
		})
	}
}

func TestBodyLimit(t *testing.T) {
	s := newTestServer(t, fakeStories(testStories()), Config{MaxBodyBytes: 10})
	var readErr error
	h := s.limitBody(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, readErr = io.ReadAll(r.Body)
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", strings.NewReader(strings.Repeat("x", 11))))
	var tooLarge *http.MaxBytesError
	if !errors.As(readErr, &tooLarge) {
		t.Errorf("reading an 11-byte body with a 10-byte limit: got %v, want *http.MaxBytesError", readErr)
	}
}

// jsonLD returns the decoded JSON-LD of a page.
func jsonLD(t *testing.T, body string) map[string]any {
	t.Helper()
	const open = `<script type="application/ld+json">`
	i := strings.Index(body, open)
	if i < 0 {
		t.Fatalf("no JSON-LD")
	}
	rest := body[i+len(open):]
	j := strings.Index(rest, "</script>")
	var out map[string]any
	if err := json.Unmarshal([]byte(rest[:j]), &out); err != nil {
		t.Fatalf("decode JSON-LD %q: %v", rest[:j], err)
	}
	return out
}

func TestJSONLD(t *testing.T) {
	const hostile = `Breaking </script><script>alert("x")</script> <!-- & news`
	stories := testStories()
	stories[0].Headline = hostile
	stories[0].Dek = `</SCRIPT><img src=x onerror=alert(1)>` + "\u2028"
	h := newTestServer(t, fakeStories(stories), Config{}).Handler()

	t.Run("hostile headline stays inside", func(t *testing.T) {
		_, body := get(t, h, "/stories/tokyo-rail-expansion")
		if got := strings.Count(strings.ToLower(body), "</script"); got != 1 {
			t.Errorf("</script occurrences: got %d, want 1 (the JSON-LD's own end tag)", got)
		}
		if strings.Contains(body, "<script>") || strings.Contains(body, "<!--") {
			t.Errorf("hostile markup reached the page")
		}
		ld := jsonLD(t, body)
		if ld["headline"] != hostile {
			t.Errorf("headline: got %q, want %q", ld["headline"], hostile)
		}
	})

	t.Run("fields", func(t *testing.T) {
		tests := []struct {
			slug     string
			wantFree bool
		}{
			{"tokyo-rail-expansion", false},
			{"budget-vote", true},
			{"markets-rally", false},
		}
		for _, tt := range tests {
			t.Run(tt.slug, func(t *testing.T) {
				_, body := get(t, h, "/stories/"+tt.slug)
				ld := jsonLD(t, body)
				if ld["@type"] != "NewsArticle" || ld["@context"] != "https://schema.org" {
					t.Errorf("type: got %v %v", ld["@context"], ld["@type"])
				}
				if ld["isAccessibleForFree"] != tt.wantFree {
					t.Errorf("isAccessibleForFree: got %v, want %v", ld["isAccessibleForFree"], tt.wantFree)
				}
				if ld["mainEntityOfPage"] != testBaseURL+"/stories/"+tt.slug {
					t.Errorf("mainEntityOfPage: got %v", ld["mainEntityOfPage"])
				}
				for _, k := range []string{"headline", "datePublished", "dateModified", "author", "articleSection"} {
					if _, ok := ld[k]; !ok {
						t.Errorf("JSON-LD lacks %s", k)
					}
				}
			})
		}
		_, body := get(t, h, "/stories/tokyo-rail-expansion")
		ld := jsonLD(t, body)
		authors, _ := ld["author"].([]any)
		if len(authors) != 2 || fmt.Sprint(authors[0]) != "map[@type:Person name:Aiko Tanaka url:http://example.test/authors/aiko-tanaka]" {
			t.Errorf("author: got %v", ld["author"])
		}
		if ld["datePublished"] != "2026-02-28T09:00:00Z" || ld["dateModified"] != "2026-02-28T15:30:00Z" || ld["articleSection"] != "World" {
			t.Errorf("dates or section: got %v %v %v", ld["datePublished"], ld["dateModified"], ld["articleSection"])
		}
	})
}

func TestTemplateEscaping(t *testing.T) {
	const headline = `<img src=x onerror=alert(1)> "quoted" & co`
	const dek = `<script>alert('dek')</script>`
	stories := testStories()
	for _, st := range stories {
		st.Headline, st.Dek = headline, dek
		st.Section.Name = `<b>Sec</b>`
	}
	h := newTestServer(t, fakeStories(stories), Config{}).Handler()
	for _, target := range []string{"/", "/sections/world", "/stories/tokyo-rail-expansion", "/search?q=img", "/tags/transport", "/search?q=" + "%3Cscript%3E"} {
		t.Run(target, func(t *testing.T) {
			_, body := get(t, h, target)
			for _, raw := range []string{"<img src=x", "<script>alert", "<b>Sec</b>"} {
				if strings.Contains(body, raw) {
					t.Errorf("unescaped %q in page", raw)
				}
			}
			if target != "/search?q=%3Cscript%3E" && !strings.Contains(body, "&lt;img src=x onerror=alert(1)&gt;") {
				t.Errorf("escaped headline missing")
			}
		})
	}
}

func TestMetrics(t *testing.T) {
	s := newTestServer(t, fakeStories(testStories()), Config{})
	h := s.Handler()
	get(t, h, "/stories/budget-vote")
	get(t, h, "/stories/budget-vote")
	get(t, h, "/stories/nope")
	get(t, h, "/no/such/route")
	res, body := get(t, h, "/metrics")
	if res.StatusCode != 200 {
		t.Fatalf("status: got %d", res.StatusCode)
	}
	for _, want := range []string{
		`masthead_http_requests_total{code="200",route="GET /stories/{slug}"} 2`,
		`masthead_http_requests_total{code="404",route="GET /stories/{slug}"} 1`,
		`masthead_http_requests_total{code="404",route="unmatched"} 1`,
		`masthead_http_request_duration_seconds_count{route="GET /stories/{slug}"} 3`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Contains(body, `route="/no/such/route"`) {
		t.Errorf("a raw path became a label")
	}
}

func TestReadyz(t *testing.T) {
	ready := errors.New("database down")
	h := newTestServer(t, fakeStories(testStories()), Config{Ready: func(ctx context.Context) error { return ready }}).Handler()
	if res, body := get(t, h, "/readyz"); res.StatusCode != 503 || strings.Contains(body, "database down") {
		t.Errorf("not ready: got %d %q, want 503 without the cause", res.StatusCode, body)
	}
	ready = nil
	if res, _ := get(t, h, "/readyz"); res.StatusCode != 200 {
		t.Errorf("ready: got %d, want 200", res.StatusCode)
	}
}

func TestSectionsCache(t *testing.T) {
	var calls atomic.Int32
	now := testNow
	svc := fakeStories(testStories())
	inner := svc.FindSectionsFn
	svc.FindSectionsFn = func(ctx context.Context) ([]*masthead.Section, error) {
		calls.Add(1)
		return inner(ctx)
	}
	h := newTestServer(t, svc, Config{Now: func() time.Time { return now }, SectionsTTL: 5 * time.Second}).Handler()
	for range 3 {
		get(t, h, "/sections/world")
		get(t, h, "/stories/budget-vote")
	}
	if got := calls.Load(); got != 1 {
		t.Errorf("FindSections calls within the TTL: got %d, want 1", got)
	}
	now = now.Add(6 * time.Second)
	get(t, h, "/")
	if got := calls.Load(); got != 2 {
		t.Errorf("FindSections calls after the TTL: got %d, want 2", got)
	}
}

// TestCatalogue checks that every message ID the package uses, in templates
// and in Go code, is in the English catalogue.
func TestCatalogue(t *testing.T) {
	tmplID := regexp.MustCompile(`\{\{-?\s*t "([^"]+)"`)
	inlineID := regexp.MustCompile(`\(t "([^"]+)"`)
	goID := regexp.MustCompile(`s\.msg\("([^"]+)"`)
	var ids []string
	err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFS.ReadFile(p)
		for _, m := range tmplID.FindAllStringSubmatch(string(b), -1) {
			ids = append(ids, m[1])
		}
		for _, m := range inlineID.FindAllStringSubmatch(string(b), -1) {
			ids = append(ids, m[1])
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goID.FindAllStringSubmatch(string(b), -1) {
			ids = append(ids, m[1])
		}
	}
	// IDs built from a prefix and a value.
	for _, a := range []masthead.Access{masthead.AccessFree, masthead.AccessMetered, masthead.AccessPremium} {
		ids = append(ids, "access."+string(a))
	}
	for code := range statusByCode {
		ids = append(ids, "error.title."+code)
	}
	if len(ids) < 40 {
		t.Fatalf("found only %d message IDs; is the pattern broken?", len(ids))
	}
	for _, id := range ids {
		if !strings.HasSuffix(id, ".") && !masthead.HasMsg(masthead.MessageID(id)) {
			t.Errorf("message %q is not in the catalogue", id)
		}
	}
}

func TestNewServerConfig(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr bool
	}{
		{"defaults", Config{Stories: &mock.StoryService{}}, false},
		{"no stories", Config{}, true},
		{"base URL with path", Config{Stories: &mock.StoryService{}, BaseURL: "https://example.com/news"}, true},
		{"base URL without scheme", Config{Stories: &mock.StoryService{}, BaseURL: "example.com"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewServer(tt.cfg)
			if got := err != nil; got != tt.wantErr {
				t.Fatalf("error: got %v, want error %v", err, tt.wantErr)
			}
			if err == nil && (s.cfg.PageSize != DefaultPageSize || s.cfg.SiteName != DefaultSiteName || s.cfg.BaseURL != DefaultBaseURL) {
				t.Errorf("defaults not applied: %+v", s.cfg)
			}
		})
	}
	t.Run("shared registry", func(t *testing.T) {
		cfg := Config{Stories: fakeStories(nil)}
		a := newTestServer(t, cfg.Stories, cfg)
		cfg.Registry = a.cfg.Registry
		if _, err := NewServer(cfg); err != nil {
			t.Errorf("second server on one registry: %v", err)
		}
	})
}

func TestStoryFragmentCache(t *testing.T) {
	stories := testStories()
	svc := fakeStories(stories)
	h := newTestServer(t, svc, Config{StoryCacheTTL: -1}).Handler()
	uncached := newTestServer(t, svc, Config{FragmentCacheSize: -1, SectionsTTL: -1, StoryCacheTTL: -1}).Handler()
	const target = "/stories/tokyo-rail-expansion"

	_, first := get(t, h, target)
	_, second := get(t, h, target)
	_, plain := get(t, uncached, target)
	if first != second || first != plain {
		t.Fatalf("cached and uncached renders differ:\n%s\n---\n%s", second, plain)
	}

	// An edit moves UpdatedAt, which retires the cached article.
	edited := *stories[0]
	edited.Headline = "Tokyo opens second rail line"
	edited.UpdatedAt = edited.UpdatedAt.Add(time.Hour)
	stories[0] = &edited
	_, body := get(t, h, target)
	if !strings.Contains(body, "<h1 class=\"headline\">Tokyo opens second rail line</h1>") ||
		!strings.Contains(body, "<title>Tokyo opens second rail line | The Daily Test</title>") {
		t.Errorf("edited story not shown:\n%s", body)
	}
	if strings.Contains(body, "Tokyo opens new rail line") {
		t.Errorf("stale headline still shown")
	}
}

func TestFragmentLimit(t *testing.T) {
	f := newFragments(2)
	for _, slug := range []string{"a", "b", "c", "a"} {
		f.putStory(slug, &storyFragment{})
	}
	var got []string
	f.stories.Range(func(k, _ any) bool { got = append(got, k.(string)); return true })
	slices.Sort(got)
	if want := []string{"a", "b"}; !slices.Equal(got, want) {
		t.Errorf("cached slugs: got %q, want %q", got, want)
	}
}
