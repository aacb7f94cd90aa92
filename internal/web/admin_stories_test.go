package web

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"masthead"
	"masthead/internal/mock"
)

var boldPattern = regexp.MustCompile(`\*\*([^*]+)\*\*`)

// previewRenderer renders a body as one escaped paragraph per line, with
// "**x**" as <strong>x</strong>, enough to tell rendered from raw text.
type previewRenderer struct{}

func (previewRenderer) RenderBody(format masthead.BodyFormat, body string) (string, error) {
	var b strings.Builder
	for _, p := range masthead.Paragraphs(body) {
		b.WriteString("<p>" + boldPattern.ReplaceAllString(html.EscapeString(p), "<strong>$1</strong>") + "</p>\n")
	}
	return b.String(), nil
}

// editorFixture is a server with staff accounts and an in-memory editor,
// recording what the editor saved.
type editorFixture struct {
	h        http.Handler
	stories  map[int64]*masthead.Story
	saved    []*masthead.Story
	actors   []masthead.Actor
	restored [][2]int64
	sections []*masthead.Section
	authors  []*masthead.Author
	filter   masthead.EditorFilter
}

func newEditorFixture(t *testing.T, opts ...func(*Config)) *editorFixture {
	t.Helper()
	f := &editorFixture{stories: map[int64]*masthead.Story{}}
	draft := &masthead.Story{
		ID: 41, Slug: "draft-story", Headline: "A draft about trains", Body: "Line one.\nLine two.",
		BodyFormat: masthead.FormatMarkdown, Section: world, Authors: []masthead.Author{{ID: 1, Slug: "aiko-tanaka", Name: "Aiko Tanaka"}},
		Tags: []masthead.Tag{{ID: 1, Slug: "transport", Name: "Transport"}}, Status: masthead.StatusDraft,
		Access: masthead.AccessFree, Comments: masthead.CommentsOpen, CommentsCloseDays: 3, Premoderated: true,
		UpdatedAt: testNow.Add(-time.Hour),
	}
	f.stories[draft.ID] = draft
	accounts := staffAccounts()
	acctSvc := fakeAccounts(testAccount())
	acctSvc.AuthenticateFn = func(ctx context.Context, token string, c masthead.Client) (*masthead.Account, *masthead.Session, error) {
		if a, ok := accounts[token]; ok {
			return a, &masthead.Session{ID: 1, AccountID: a.ID}, nil
		}
		return nil, nil, masthead.Errorf(masthead.EUNAUTHORIZED, "%s", masthead.Msg(masthead.MsgSessionInvalid))
	}
	revisions := []*masthead.StoryRevision{
		{ID: 902, StoryID: 41, Number: 2, ActorName: "editor@example.com", CreatedAt: testNow.Add(-time.Hour),
			Story: &masthead.Story{Headline: "A draft about trains", Slug: "draft-story", Body: "Line one.\nLine two.", Section: world, Status: masthead.StatusDraft}},
		{ID: 901, StoryID: 41, Number: 1, ActorName: "editor@example.com", CreatedAt: testNow.Add(-2 * time.Hour),
			Story: &masthead.Story{Headline: "A draft", Slug: "draft-story", Body: "Line one.\nLine 2.", Section: world, Status: masthead.StatusDraft}},
	}
	f.authors = []*masthead.Author{{ID: 1, Slug: "aiko-tanaka", Name: "Aiko Tanaka"}}
	editor := &mock.EditorService{
		FindEditorStoriesFn: func(ctx context.Context, flt masthead.EditorFilter) (*masthead.EditorPage, error) {
			f.filter = flt
			return &masthead.EditorPage{Stories: []*masthead.Story{draft}, Next: "cursor-1"}, nil
		},
		FindStoryByIDFn: func(ctx context.Context, id int64) (*masthead.Story, error) {
			if st, ok := f.stories[id]; ok {
				c := *st
				return &c, nil
			}
			return nil, notFound(masthead.MsgStoryNotFound)
		},
		SaveStoryEditFn: func(ctx context.Context, actor masthead.Actor, st *masthead.Story) error {
			if err := actor.Require(masthead.PermStories); err != nil {
				return err
			}
			st.Normalize()
			if err := st.ValidateEdit(); err != nil {
				return err
			}
			if st.Slug == "budget-vote" {
				return &masthead.Error{Code: masthead.ECONFLICT, Field: "slug", Message: masthead.Msg(masthead.MsgEditorSlugTaken, st.Slug)}
			}
			if st.ID == 0 {
				st.ID = 77
			}
			f.saved = append(f.saved, st)
			f.actors = append(f.actors, actor)
			return nil
		},
		StoryRevisionsFn: func(ctx context.Context, id int64) ([]*masthead.StoryRevision, error) {
			if id != 41 {
				return nil, nil
			}
			return revisions, nil
		},
		RestoreRevisionFn: func(ctx context.Context, actor masthead.Actor, storyID, revID int64) (*masthead.Story, error) {
			f.restored = append(f.restored, [2]int64{storyID, revID})
			return draft, nil
		},
		ResolveSlugFn: func(ctx context.Context, old string) (string, error) {
			if old == "old-tokyo-slug" {
				return "tokyo-rail-expansion", nil
			}
			return "", notFound(masthead.MsgStoryNotFound)
		},
		FindAuthorsFn: func(ctx context.Context) ([]*masthead.Author, error) { return f.authors, nil },
		SaveAuthorEditFn: func(ctx context.Context, actor masthead.Actor, a *masthead.Author) error {
			f.authors = append(f.authors, a)
			return nil
		},
		SaveSectionEditFn: func(ctx context.Context, actor masthead.Actor, sec *masthead.Section) error {
			if sec.Slug == "world" && sec.ID != world.ID {
				return &masthead.Error{Code: masthead.ECONFLICT, Field: "slug", Message: masthead.Msg(masthead.MsgEditorSlugInUse, sec.Slug)}
			}
			f.sections = append(f.sections, sec)
			return nil
		},
	}
	cfg := Config{Accounts: acctSvc, Editor: editor, Renderer: previewRenderer{}}
	for _, o := range opts {
		o(&cfg)
	}
	f.h = newTestServer(t, fakeStories(testStories()), cfg).Handler()
	return f
}

func (f *editorFixture) do(t *testing.T, role, method, target string, form url.Values) (*http.Response, string) {
	t.Helper()
	var req *http.Request
	if method == http.MethodPost {
		req = postForm(target, form)
	} else {
		req = httptest.NewRequest(method, target, nil)
	}
	if role != "" {
		req.AddCookie(&http.Cookie{Name: InsecureSessionCookieName, Value: "tok-" + role})
	}
	return do(t, f.h, req)
}

// storyForm is a complete, valid story form.
func storyForm() url.Values {
	return url.Values{
		"headline": {"Rail line opens"}, "slug": {""}, "dek": {"A short dek."}, "body": {"**Trains** ran.\nAt dawn."},
		"section": {"1"}, "authors": {"Aiko Tanaka, New Person"}, "tags": {"transport"}, "access": {"metered"},
		"comments": {"open"}, "comments_close_days": {"7"}, "premoderated": {"1"}, "status": {"draft"}, "published_at": {""},
	}
}

func TestEditorAuthorization(t *testing.T) {
	type want struct{ anon, subscriber, moderator, editor, admin int }
	editors := func(ok int) want { return want{303, 403, 403, ok, ok} }
	tests := []struct {
		method string
		target string
		form   url.Values
		want   want
	}{
		{"GET", "/admin/stories", nil, editors(200)},
		{"GET", "/admin/stories/new", nil, editors(200)},
		{"POST", "/admin/stories/new", storyForm(), editors(303)},
		{"POST", "/admin/stories/preview", url.Values{"body": {"x"}}, editors(200)},
		{"GET", "/admin/stories/41", nil, editors(200)},
		{"POST", "/admin/stories/41", storyForm(), editors(303)},
		{"GET", "/admin/stories/41/revisions", nil, editors(200)},
		{"POST", "/admin/stories/41/revisions/901/restore", nil, editors(303)},
		{"GET", "/admin/sections", nil, editors(200)},
		{"GET", "/admin/sections/new", nil, editors(200)},
		{"POST", "/admin/sections/new", url.Values{"name": {"Sport"}, "position": {"4"}}, editors(303)},
		{"GET", "/admin/sections/1", nil, editors(200)},
		{"POST", "/admin/sections/1", url.Values{"name": {"World"}, "slug": {"world"}}, editors(303)},
		{"GET", "/admin/authors", nil, editors(200)},
		{"GET", "/admin/authors/new", nil, editors(200)},
		{"POST", "/admin/authors/new", url.Values{"name": {"Ben Ode"}}, editors(303)},
		{"GET", "/admin/authors/1", nil, editors(200)},
		{"POST", "/admin/authors/1", url.Values{"name": {"Aiko Tanaka"}}, editors(303)},
	}
	for _, tt := range tests {
		for role, status := range map[string]int{
			"": tt.want.anon, "subscriber": tt.want.subscriber, "moderator": tt.want.moderator,
			"editor": tt.want.editor, "admin": tt.want.admin,
		} {
			name := role
			if name == "" {
				name = "anonymous"
			}
			t.Run(tt.method+" "+tt.target+" "+name, func(t *testing.T) {
				f := newEditorFixture(t)
				res, body := f.do(t, role, tt.method, tt.target, tt.form)
				if res.StatusCode != status {
					t.Errorf("status: got %d, want %d", res.StatusCode, status)
				}
				switch {
				case role == "" && tt.method == "GET":
					if got, want := res.Header.Get("Location"), "/signin?next="+url.QueryEscape(tt.target); got != want {
						t.Errorf("Location: got %q, want %q", got, want)
					}
				case role == "":
					if got, want := res.Header.Get("Location"), "/signin?next=%2Fadmin"; got != want {
						t.Errorf("Location: got %q, want %q", got, want)
					}
				case status == 403:
					if !strings.Contains(body, masthead.Msg("admin.forbidden")) {
						t.Errorf("403 page lacks the explanation")
					}
				}
				if status == 403 || role == "" {
					if n := len(f.saved) + len(f.restored) + len(f.sections) + len(f.authors) - 1; n > 0 {
						t.Errorf("refused request changed %d things", n)
					}
				}
			})
		}
	}
}

func TestEditorStoryForm(t *testing.T) {
	f := newEditorFixture(t)
	tests := []struct {
		name    string
		target  string
		contain []string
	}{
		{"new", "/admin/stories/new", []string{
			`action="/admin/stories/new"`, `<option value="" selected>` + masthead.Msg("editor.story.choose_section"),
			`id="story-status" name="status" type="radio" value="draft" checked`, `id="story-comments" name="comments" type="radio" value="open" checked`,
			`name="preview"`, `src="/static/`, `editor.js"`, `id="story-preview"`, `hidden`,
		}},
		{"existing", "/admin/stories/41", []string{
			`value="A draft about trains"`, `>Line one.
Line two.</textarea>`, `<option value="1" selected>World</option>`, `value="Aiko Tanaka"`, `value="Transport"`,
			`name="comments_close_days" type="text" autocomplete="off" value="3"`, `name="premoderated" type="checkbox" value="1" checked`,
			`href="/admin/stories/41/revisions"`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := f.do(t, "editor", "GET", tt.target, nil)
			if res.StatusCode != 200 {
				t.Fatalf("status: got %d, want 200", res.StatusCode)
			}
			checkBody(t, body, tt.contain, nil)
		})
	}
	if res, _ := f.do(t, "editor", "GET", "/admin/stories/999", nil); res.StatusCode != 404 {
		t.Errorf("unknown story: got %d, want 404", res.StatusCode)
	}
}

func TestEditorStorySave(t *testing.T) {
	tests := []struct {
		name       string
		target     string
		change     func(url.Values)
		wantStatus int
		wantLoc    string
		contain    []string
		check      func(t *testing.T, st *masthead.Story)
	}{
		{
			name: "new draft", target: "/admin/stories/new", wantStatus: 303, wantLoc: "/admin/stories/77?done=saved",
			check: func(t *testing.T, st *masthead.Story) {
				if st.Slug != "rail-line-opens" || st.Section.ID != 1 || len(st.Authors) != 2 || st.Authors[1].Name != "New Person" ||
					st.CommentsCloseDays != 7 || !st.Premoderated || st.Status != masthead.StatusDraft || st.Access != masthead.AccessMetered {
					t.Errorf("saved: got %+v", st)
				}
			},
		},
		{
			name: "publish now", target: "/admin/stories/41", wantStatus: 303, wantLoc: "/admin/stories/41?done=saved",
			change: func(v url.Values) { v.Set("status", "published") },
			check: func(t *testing.T, st *masthead.Story) {
				if st.ID != 41 || st.Status != masthead.StatusPublished || !st.PublishedAt.Equal(testNow) {
					t.Errorf("saved: got ID %d %s at %v", st.ID, st.Status, st.PublishedAt)
				}
			},
		},
		{
			name: "schedule to the second", target: "/admin/stories/41", wantStatus: 303,
			change: func(v url.Values) { v.Set("status", "scheduled"); v.Set("published_at", "2026-03-02T09:30:15") },
			check: func(t *testing.T, st *masthead.Story) {
				want := time.Date(2026, 3, 2, 0, 30, 15, 0, time.UTC)
				if st.Status != masthead.StatusScheduled || !st.PublishedAt.Equal(want) {
					t.Errorf("saved: got %s at %v, want scheduled at %v", st.Status, st.PublishedAt, want)
				}
			},
		},
		{
			name: "schedule in the site time zone", target: "/admin/stories/41", wantStatus: 303,
			change: func(v url.Values) { v.Set("status", "scheduled"); v.Set("published_at", "2026-03-02T09:30") },
			check: func(t *testing.T, st *masthead.Story) {
				want := time.Date(2026, 3, 2, 0, 30, 0, 0, time.UTC) // 09:30 in Tokyo
				if st.Status != masthead.StatusScheduled || !st.PublishedAt.Equal(want) {
					t.Errorf("saved: got %s at %v, want scheduled at %v", st.Status, st.PublishedAt, want)
				}
			},
		},
		{
			name: "missing headline keeps what was typed", target: "/admin/stories/new", wantStatus: 400,
			change: func(v url.Values) { v.Set("headline", ""); v.Set("dek", "Typed <dek> & kept") },
			contain: []string{masthead.Msg(masthead.MsgHeadlineRequired), `href="#story-headline"`, `aria-invalid="true"`,
				`>Typed &lt;dek&gt; &amp; kept</textarea>`, `value="Aiko Tanaka, New Person"`, `<title>Error: `},
		},
		{
			name: "schedule in the past", target: "/admin/stories/new", wantStatus: 400,
			change:  func(v url.Values) { v.Set("status", "scheduled"); v.Set("published_at", "2020-01-01T10:00") },
			contain: []string{masthead.Msg("editor.story.published_at_past"), `value="2020-01-01T10:00"`, `value="scheduled" checked`},
		},
		{
			name: "bad close days", target: "/admin/stories/new", wantStatus: 400,
			change:  func(v url.Values) { v.Set("comments_close_days", "soon") },
			contain: []string{`href="#story-comments-close-days"`, `value="soon"`},
		},
		{
			name: "no section", target: "/admin/stories/new", wantStatus: 400,
			change:  func(v url.Values) { v.Set("section", "") },
			contain: []string{masthead.Msg(masthead.MsgSectionRequired), `href="#story-section"`},
		},
		{
			name: "slug taken", target: "/admin/stories/new", wantStatus: 409,
			change:  func(v url.Values) { v.Set("slug", "budget-vote") },
			contain: []string{html.EscapeString(masthead.Msg(masthead.MsgEditorSlugTaken, "budget-vote")), `value="budget-vote"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tokyo := time.FixedZone("JST", 9*60*60)
			f := newEditorFixture(t, func(c *Config) { c.TimeZone = tokyo })
			form := storyForm()
			if tt.change != nil {
				tt.change(form)
			}
			res, body := f.do(t, "editor", "POST", tt.target, form)
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status: got %d, want %d\n%s", res.StatusCode, tt.wantStatus, body)
			}
			if tt.wantLoc != "" {
				if got := res.Header.Get("Location"); got != tt.wantLoc {
					t.Errorf("Location: got %q, want %q", got, tt.wantLoc)
				}
			}
			checkBody(t, body, tt.contain, nil)
			if tt.check != nil {
				if len(f.saved) != 1 {
					t.Fatalf("saved %d stories, want 1", len(f.saved))
				}
				tt.check(t, f.saved[0])
				if a := f.actors[0]; a.ID != 102 || a.Role != masthead.RoleEditor || a.IP == "" {
					t.Errorf("actor: got %+v", a)
				}
			} else if len(f.saved) != 0 {
				t.Errorf("refused form saved %d stories", len(f.saved))
			}
		})
	}
}

func TestEditorPreview(t *testing.T) {
	f := newEditorFixture(t)
	t.Run("button without JavaScript", func(t *testing.T) {
		form := storyForm()
		form.Set("headline", "") // not checked by a preview
		form.Set("preview", "1")
		res, body := f.do(t, "editor", "POST", "/admin/stories/41", form)
		if res.StatusCode != 200 {
			t.Fatalf("status: got %d, want 200", res.StatusCode)
		}
		checkBody(t, body, []string{
			`<p><strong>Trains</strong> ran.</p>`, `>**Trains** ran.
At dawn.</textarea>`, masthead.Msg("editor.story.preview_notice"),
		}, []string{masthead.Msg(masthead.MsgHeadlineRequired), `data-body-format="markdown" hidden`})
		if len(f.saved) != 0 {
			t.Errorf("preview saved %d stories", len(f.saved))
		}
	})
	t.Run("fragment for editor.js", func(t *testing.T) {
		res, body := f.do(t, "editor", "POST", "/admin/stories/preview", url.Values{"body": {"<script>x</script>\n**Bold**"}})
		if res.StatusCode != 200 {
			t.Fatalf("status: got %d, want 200", res.StatusCode)
		}
		if got := res.Header.Get("Content-Type"); got != "text/html; charset=utf-8" {
			t.Errorf("Content-Type: got %q", got)
		}
		if want := "<p>&lt;script&gt;x&lt;/script&gt;</p>\n<p><strong>Bold</strong></p>\n"; body != want {
			t.Errorf("body: got %q, want %q", body, want)
		}
	})
	t.Run("fragment refuses a cross-origin post", func(t *testing.T) {
		req := postForm("/admin/stories/preview", url.Values{"body": {"x"}})
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.AddCookie(&http.Cookie{Name: InsecureSessionCookieName, Value: "tok-editor"})
		if res, _ := do(t, f.h, req); res.StatusCode != http.StatusForbidden {
			t.Errorf("status: got %d, want 403", res.StatusCode)
		}
	})
}

func TestEditorOldSlugRedirect(t *testing.T) {
	f := newEditorFixture(t)
	tests := []struct {
		name       string
		target     string
		wantStatus int
		wantLoc    string
	}{
		{"old slug", "/stories/old-tokyo-slug", 301, "/stories/tokyo-rail-expansion"},
		{"old slug with a query", "/stories/old-tokyo-slug?gift=abc", 301, "/stories/tokyo-rail-expansion?gift=abc"},
		{"current slug", "/stories/tokyo-rail-expansion", 200, ""},
		{"never a slug", "/stories/no-such-story", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := f.do(t, "", "GET", tt.target, nil)
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status: got %d, want %d", res.StatusCode, tt.wantStatus)
			}
			if got := res.Header.Get("Location"); got != tt.wantLoc {
				t.Errorf("Location: got %q, want %q", got, tt.wantLoc)
			}
		})
	}
}

func TestEditorStoryList(t *testing.T) {
	f := newEditorFixture(t)
	res, body := f.do(t, "editor", "GET", "/admin/stories?status=draft&q=trains", nil)
	if res.StatusCode != 200 {
		t.Fatalf("status: got %d, want 200", res.StatusCode)
	}
	if f.filter.Status != masthead.StatusDraft || f.filter.Query != "trains" {
		t.Errorf("filter: got %+v", f.filter)
	}
	checkBody(t, body, []string{
		`href="/admin/stories/41">A draft about trains</a>`, `href="/admin/stories/new"`,
		`<option value="draft" selected>`, `value="trains"`,
		`href="/admin/stories?after=cursor-1&amp;q=trains&amp;status=draft"`, ">" + masthead.Msg("editor.status.draft") + "<",
	}, nil)
}

func TestEditorRevisions(t *testing.T) {
	f := newEditorFixture(t)
	t.Run("compare the two newest", func(t *testing.T) {
		res, body := f.do(t, "editor", "GET", "/admin/stories/41/revisions", nil)
		if res.StatusCode != 200 {
			t.Fatalf("status: got %d, want 200", res.StatusCode)
		}
		checkBody(t, body, []string{
			`id="rev-from-901" name="from" type="radio" value="901" checked`, `id="rev-to-902" name="to" type="radio" value="902" checked`,
			`formaction="/admin/stories/41/revisions/901/restore"`,
			`<th scope="row">` + masthead.Msg("editor.story.headline") + `</th><td>A draft</td><td>A draft about trains</td>`,
			`<tr class="diff-del"><td>2</td><td></td>`, `Line 2.</td></tr>`,
			`<tr class="diff-ins"><td></td><td>2</td>`, `Line two.</td></tr>`,
		}, []string{`/revisions/902/restore`})
	})
	t.Run("unknown revision", func(t *testing.T) {
		if res, _ := f.do(t, "editor", "GET", "/admin/stories/41/revisions?from=5", nil); res.StatusCode != 404 {
			t.Errorf("status: got %d, want 404", res.StatusCode)
		}
	})
	t.Run("restore", func(t *testing.T) {
		res, _ := f.do(t, "editor", "POST", "/admin/stories/41/revisions/901/restore", nil)
		if res.StatusCode != 303 || res.Header.Get("Location") != "/admin/stories/41/revisions?done=restored" {
			t.Errorf("got %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		if !slices.Equal(f.restored, [][2]int64{{41, 901}}) {
			t.Errorf("restored: got %v", f.restored)
		}
	})
}

func TestEditorSectionsAndAuthors(t *testing.T) {
	f := newEditorFixture(t)
	res, body := f.do(t, "editor", "POST", "/admin/sections/new", url.Values{"name": {"World two"}, "slug": {"world"}, "position": {"2"}, "description": {"Kept"}})
	if res.StatusCode != 409 {
		t.Errorf("taken slug: got %d, want 409", res.StatusCode)
	}
	checkBody(t, body, []string{`value="World two"`, `>Kept</textarea>`, html.EscapeString(masthead.Msg(masthead.MsgEditorSlugInUse, "world"))}, nil)
	res, body = f.do(t, "editor", "POST", "/admin/sections/new", url.Values{"name": {"Sport"}, "position": {"-1"}})
	if res.StatusCode != 400 || !strings.Contains(body, masthead.Msg(masthead.MsgEditorPositionInvalid)) {
		t.Errorf("bad position: got %d", res.StatusCode)
	}
	if res, _ := f.do(t, "editor", "GET", "/admin/sections/99", nil); res.StatusCode != 404 {
		t.Errorf("unknown section: got %d, want 404", res.StatusCode)
	}
	res, _ = f.do(t, "admin", "POST", "/admin/authors/1", url.Values{"name": {"Aiko T."}, "slug": {"aiko-tanaka"}, "bio": {"Rail."}})
	if res.StatusCode != 303 {
		t.Fatalf("author save: got %d, want 303", res.StatusCode)
	}
	if last := f.authors[len(f.authors)-1]; last.ID != 1 || last.Name != "Aiko T." || last.Bio != "Rail." {
		t.Errorf("author saved: got %+v", last)
	}
	_, body = f.do(t, "editor", "GET", "/admin", nil)
	checkBody(t, body, []string{`href="/admin/stories"`, `href="/admin/sections"`, `href="/admin/authors"`}, nil)
	_, body = f.do(t, "moderator", "GET", "/admin", nil)
	checkBody(t, body, nil, []string{`href="/admin/stories"`})
}
