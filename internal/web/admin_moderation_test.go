package web

import (
	"context"
	"encoding/json"
	"fmt"
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

// modCall is one Moderate call the fake saw.
type modCall struct {
	actor  masthead.Actor
	ids    []int64
	action masthead.ModerationAction
	reason string
}

// moderationFixture is a server with the moderation queues over fakes,
// recording what moderators do.
type moderationFixture struct {
	h       http.Handler
	calls   []modCall
	filters []masthead.QueueFilter
	// histories are the IDs of each AuthorHistories call.
	histories [][]int64
	// extra are items added to every page of the queues.
	extra []*masthead.ModerationItem
	// err is what the next Moderate call returns.
	err error
}

// Comment authors of the fake queues.
const (
	modAuthorAnn = 501
	modAuthorBob = 502
)

func moderationItems(q masthead.ModerationQueue) []*masthead.ModerationItem {
	at := testNow.Add(-time.Hour)
	parent := &masthead.Comment{ID: 40, AuthorID: modAuthorBob, AuthorName: "Bob", Body: "The parent's words.", Status: masthead.CommentPublished, CreatedAt: at}
	switch q {
	case masthead.QueueReported:
		return []*masthead.ModerationItem{{
			Comment:   &masthead.Comment{ID: 44, StoryID: 1, AuthorID: modAuthorBob, AuthorName: "Bob", BodyHTML: "<p>Rude words.</p>", Status: masthead.CommentPublished, CreatedAt: at},
			StorySlug: "first-story", StoryHeadline: "First <story>",
			Reports: []masthead.CommentReport{
				{ReporterID: 9, ReporterName: "Carol", Reason: "abuse", Text: "Personal <attack>", At: at},
				{ReporterID: 10, Reason: "spam", At: at},
			},
		}}
	case masthead.QueueRejected:
		return []*masthead.ModerationItem{{
			Comment:   &masthead.Comment{ID: 45, StoryID: 1, AuthorID: modAuthorBob, AuthorName: "Bob", BodyHTML: "<p>Gone.</p>", Status: masthead.CommentRejected, CreatedAt: at},
			StorySlug: "first-story", StoryHeadline: "First story", RejectReason: "Off topic, twice",
		}}
	}
	return []*masthead.ModerationItem{
		{
			Comment: &masthead.Comment{ID: 41, StoryID: 1, ParentID: 40, RootID: 40, Depth: 1, AuthorID: modAuthorAnn, AuthorName: "Ann",
				BodyHTML: "<p>Ann's <em>held</em> reply.</p>", Status: masthead.CommentPending, CreatedAt: at},
			StorySlug: "first-story", StoryHeadline: "First story", Parent: parent, HoldReason: "new_commenter",
		},
		{
			Comment:   &masthead.Comment{ID: 42, StoryID: 1, AuthorID: modAuthorAnn, AuthorName: "Ann", BodyHTML: "<p>A link.</p>", Status: masthead.CommentPending, CreatedAt: at},
			StorySlug: "first-story", StoryHeadline: "First story", HoldReason: "link",
		},
	}
}

func newModerationFixture(t *testing.T) *moderationFixture {
	t.Helper()
	f := &moderationFixture{}
	accounts := staffAccounts()
	acctSvc := fakeAccounts(testAccount())
	acctSvc.AuthenticateFn = func(ctx context.Context, token string, c masthead.Client) (*masthead.Account, *masthead.Session, error) {
		if a, ok := accounts[token]; ok {
			return a, &masthead.Session{ID: 1, AccountID: a.ID}, nil
		}
		return nil, nil, masthead.Errorf(masthead.EUNAUTHORIZED, "%s", masthead.Msg(masthead.MsgSessionInvalid))
	}
	mod := &mock.ModerationService{
		FindQueueFn: func(ctx context.Context, flt masthead.QueueFilter) (*masthead.QueuePage, error) {
			f.filters = append(f.filters, flt)
			if flt.After == "bad" {
				return nil, masthead.FieldError("after", masthead.Msg(masthead.MsgCursorInvalid))
			}
			page := &masthead.QueuePage{Items: append(moderationItems(flt.Queue), f.extra...)}
			if flt.Queue == masthead.QueuePending && flt.After == "" {
				page.Next = "cursor-2"
			}
			return page, nil
		},
		QueueCountsFn: func(ctx context.Context) (masthead.QueueCounts, error) {
			return masthead.QueueCounts{Pending: 1234, Reported: 1}, nil
		},
		ModerateFn: func(ctx context.Context, actor masthead.Actor, ids []int64, action masthead.ModerationAction, reason string) error {
			if err := actor.Require(masthead.PermModerate); err != nil {
				return err
			}
			f.calls = append(f.calls, modCall{actor: actor, ids: ids, action: action, reason: reason})
			err := f.err
			f.err = nil
			return err
		},
	}
	users := &mock.UserService{
		AuthorHistoriesFn: func(ctx context.Context, ids []int64) (map[int64]*masthead.AuthorHistory, error) {
			f.histories = append(f.histories, ids)
			if !slices.Contains(ids, modAuthorAnn) {
				return map[int64]*masthead.AuthorHistory{}, nil // the others are not found
			}
			return map[int64]*masthead.AuthorHistory{modAuthorAnn: {
				Account: &masthead.Account{ID: modAuthorAnn, CreatedAt: testNow.Add(-3 * 24 * time.Hour)},
				Names: []masthead.NameChange{
					{Name: "Annie", ChosenAt: testNow.Add(-70 * time.Hour), ReplacedAt: testNow.Add(-60 * time.Hour)},
					{Name: "Ann", ChosenAt: testNow.Add(-60 * time.Hour)},
				},
				Published: 12, Pending: 2, Rejected: 1,
				Sanction: &masthead.Sanction{Until: testNow.Add(48 * time.Hour), Reason: "Rude replies"},
				Actions: []masthead.StaffActionRecord{
					{Action: masthead.AuditAccountWarn, Reason: "Be <kind>", By: "moderator@example.com", At: testNow.Add(-time.Hour)},
				},
			}}, nil
		},
	}
	f.h = newTestServer(t, fakeStories(testStories()), Config{Accounts: acctSvc, Moderation: mod, Users: users}).Handler()
	return f
}

func (f *moderationFixture) do(t *testing.T, role string, req *http.Request) (*http.Response, string) {
	t.Helper()
	if role != "" {
		req.AddCookie(&http.Cookie{Name: InsecureSessionCookieName, Value: "tok-" + role})
	}
	return do(t, f.h, req)
}

// modAPIPost returns a same-origin JSON POST.
func modAPIPost(target, body string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return req
}

func TestModerationAuthorization(t *testing.T) {
	type want struct{ anon, subscriber, moderator, editor, admin int }
	form := url.Values{"ids": {"41"}, "action": {"approve"}}
	tests := []struct {
		name string
		req  func() *http.Request
		want want
	}{
		{"queue page", func() *http.Request { return httptest.NewRequest("GET", "/admin/moderation", nil) }, want{303, 403, 200, 403, 200}},
		{"queue form", func() *http.Request { return postForm("/admin/moderation", form) }, want{303, 403, 303, 403, 303}},
		{"counts", func() *http.Request { return httptest.NewRequest("GET", "/api/v1/admin/moderation/counts", nil) }, want{401, 403, 200, 403, 200}},
		{"action API", func() *http.Request {
			return modAPIPost("/api/v1/admin/comments/moderate", `{"ids":[41],"action":"approve"}`)
		}, want{401, 403, 200, 403, 200}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newModerationFixture(t)
			for role, code := range map[string]int{"": tt.want.anon, "subscriber": tt.want.subscriber,
				"moderator": tt.want.moderator, "editor": tt.want.editor, "admin": tt.want.admin} {
				res, body := f.do(t, role, tt.req())
				if res.StatusCode != code {
					t.Errorf("role %q: got %d, want %d", role, res.StatusCode, code)
				}
				if strings.HasPrefix(tt.req().URL.Path, "/api/") && res.StatusCode >= 400 &&
					!strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
					t.Errorf("role %q: API error is %s, want JSON: %s", role, res.Header.Get("Content-Type"), body)
				}
			}
			for _, c := range f.calls {
				if c.actor.Role != masthead.RoleModerator && c.actor.Role != masthead.RoleAdmin {
					t.Errorf("Moderate called for a %s", c.actor.Role)
				}
			}
		})
	}
}

func TestModerationQueuePage(t *testing.T) {
	f := newModerationFixture(t)
	res, body := f.do(t, "moderator", httptest.NewRequest("GET", "/admin/moderation", nil))
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	checkBody(t, body, []string{
		`<a href="/admin/moderation" aria-current="page">Pending <span class="mod-count" data-count="pending">1,234</span></a>`,
		`data-count="reported">1</span>`,
		`<a href="/admin/moderation?queue=rejected">Rejected</a>`,
		`<p>Ann's <em>held</em> reply.</p>`,
		`<a href="/stories/first-story">First story</a>`,
		`In reply to Bob:`, `The parent&#39;s words.`,
		`New commenter`, `It contains a link`, `Waiting for approval`,
		`<a href="/admin/users/501">Ann</a>`,
		`Joined`, `3 days ago`, `Published 12 · pending 2 · rejected 1`, `Display names: Annie, Ann`,
		`Suspended from commenting until`, `Warned by moderator@example.com`, `Be &lt;kind&gt;`,
		`<input type="checkbox" id="mod-41-select" name="ids" value="41" form="mod-bulk">`,
		`<label for="mod-41-reason">Reason for rejecting</label>`,
		`<button type="submit" class="danger" name="action" value="reject">Reject</button>`,
		`<button type="submit" name="action" value="approve">Approve</button>`,
		`<form id="mod-bulk" class="mod-bulk" action="/admin/moderation" method="post">`,
		`<option value="restore">Restore</option>`,
		`href="/admin/moderation?after=cursor-2" rel="next"`,
		`data-poll="10000"`, `/moderation.js" defer></script>`,
		`<kbd>j</kbd>`, `<kbd>?</kbd>`,
	}, []string{"admin.moderation.", "admin.nav."})
	if got := fmt.Sprint(f.histories); got != "[[501]]" {
		t.Errorf("author histories loaded: got %s, want one call for the page's one author", got)
	}

	t.Run("accessible", func(t *testing.T) {
		inline := regexp.MustCompile(`(?i)<script>|\sstyle=|<style|\son[a-z]+=|javascript:`)
		control := regexp.MustCompile(`<(?:input|select|textarea)(?: type="[a-z]+")? id="([^"]+)"[^>]*>`)
		if got := strings.Count(body, "<h1"); got != 1 {
			t.Errorf("h1 elements: got %d, want 1", got)
		}
		if m := inline.FindString(body); m != "" {
			t.Errorf("inline code %q", m)
		}
		controls := control.FindAllStringSubmatch(body, -1)
		if len(controls) < 4 {
			t.Fatalf("found %d controls; is the pattern broken?", len(controls))
		}
		for _, m := range controls {
			if !strings.Contains(body, `<label for="`+m[1]+`">`) {
				t.Errorf("control %s has no label", m[1])
			}
		}
		levels := regexp.MustCompile(`<h([1-6])`).FindAllStringSubmatch(body, -1)
		prev := 0
		for _, l := range levels {
			n := int(l[1][0] - '0')
			if n > prev+1 {
				t.Errorf("heading h%d follows h%d", n, prev)
			}
			prev = n
		}
	})

	for _, tt := range []struct {
		target  string
		status  int
		contain []string
	}{
		{"/admin/moderation?queue=reported", 200, []string{
			`Abuse, reported by Carol`, `Personal &lt;attack&gt;`, `Spam, reported by a deleted account`, `Reports (2)`,
			`First &lt;story&gt;`, `value="approve">Keep, dismissing the reports</button>`, `value="feature">Feature</button>`,
		}},
		{"/admin/moderation?queue=rejected", 200, []string{`Off topic, twice`, `value="restore">Restore</button>`, `Bob`}},
		{"/admin/moderation?queue=everything", 400, []string{"There is no such moderation queue."}},
		{"/admin/moderation?after=bad", 400, []string{"That page link is not valid"}},
		{"/admin/moderation?done=3", 200, []string{`<p class="notice" role="status">3 comments changed.</p>`}},
	} {
		t.Run(tt.target, func(t *testing.T) {
			res, body := f.do(t, "admin", httptest.NewRequest("GET", tt.target, nil))
			if res.StatusCode != tt.status {
				t.Fatalf("status: got %d, want %d", res.StatusCode, tt.status)
			}
			checkBody(t, body, tt.contain, nil)
		})
	}
}

// TestModerationAuthorHistoriesOneCall checks that a page loads the
// histories of all its authors in one call, each distinct author once,
// and that an author without one (not found) is shown without it.
func TestModerationAuthorHistoriesOneCall(t *testing.T) {
	at := testNow.Add(-time.Hour)
	item := func(id, author int64, name string) *masthead.ModerationItem {
		return &masthead.ModerationItem{
			Comment: &masthead.Comment{ID: id, StoryID: 1, AuthorID: author, AuthorName: name,
				BodyHTML: "<p>Words.</p>", Status: masthead.CommentPending, CreatedAt: at},
			StorySlug: "first-story", StoryHeadline: "First story", HoldReason: "link",
		}
	}
	f := newModerationFixture(t)
	f.extra = []*masthead.ModerationItem{item(60, modAuthorBob, "Bob"), item(61, 503, "Carol"),
		item(62, modAuthorBob, "Bob"), item(63, 504, "Dan")}
	res, body := f.do(t, "moderator", httptest.NewRequest("GET", "/admin/moderation", nil))
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	if got, want := fmt.Sprint(f.histories), "[[501 502 503 504]]"; got != want {
		t.Errorf("AuthorHistories calls: got %s, want %s (one call for the page's four authors)", got, want)
	}
	checkBody(t, body, []string{`Published 12 · pending 2 · rejected 1`, `<a href="/admin/users/502">Bob</a>`,
		`<a href="/admin/users/504">Dan</a>`}, nil)
	if got := strings.Count(body, "Published 12"); got != 2 {
		t.Errorf("histories shown: got %d, want Ann's on her two comments only", got)
	}
}

func TestModerationForms(t *testing.T) {
	tests := []struct {
		name     string
		form     url.Values
		err      error
		status   int
		location string
		call     string
		contain  []string
	}{
		{
			name: "approve one", form: url.Values{"ids": {"41"}, "action": {"approve"}},
			status: 303, location: "/admin/moderation?done=1", call: "[41] approve ",
		},
		{
			name:   "bulk reject keeps the page",
			form:   url.Values{"form": {"bulk"}, "queue": {"reported"}, "after": {"c1"}, "ids": {"44", "45", "44"}, "action": {"reject"}, "reason": {"Spam run"}},
			status: 303, location: "/admin/moderation?after=c1&done=2&queue=reported", call: "[44 45 44] reject Spam run",
		},
		{
			name: "reject one without a reason",
			form: url.Values{"ids": {"41"}, "action": {"reject"}, "reason": {" "}},
			err:  masthead.FieldError("reason", masthead.Msg(masthead.MsgModReasonRequired)), status: 400, call: "[41] reject  ",
			contain: []string{`<p class="field-error" id="mod-41-reason-error">Give a reason for rejecting`,
				`aria-invalid="true"`, `<title>Error: `},
		},
		{
			name:   "bulk with some left",
			form:   url.Values{"form": {"bulk"}, "ids": {"41", "42"}, "action": {"restore"}, "reason": {"Was <fine>"}},
			err:    masthead.FieldError("ids", masthead.Msg(masthead.MsgModSomeSkipped, 1, 2, masthead.Msg(masthead.MsgModCannotRestore, 42))),
			status: 400, call: "[41 42] restore Was <fine>",
			contain: []string{`<div class="form-errors" role="alert">`, `1 of 2 comments were changed. Not changed: Comment 42 is not rejected.`,
				`id="mod-41-select" name="ids" value="41" form="mod-bulk" checked>`, `id="mod-42-select" name="ids" value="42" form="mod-bulk" checked>`,
				`<option value="restore" selected>`, `value="Was &lt;fine&gt;"`},
		},
		{
			name: "bad ids", form: url.Values{"ids": {"x"}, "action": {"approve"}}, status: 400,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newModerationFixture(t)
			f.err = tt.err
			res, body := f.do(t, "moderator", postForm("/admin/moderation", tt.form))
			if res.StatusCode != tt.status {
				t.Fatalf("status: got %d, want %d\n%s", res.StatusCode, tt.status, body)
			}
			if got := res.Header.Get("Location"); got != tt.location {
				t.Errorf("Location: got %q, want %q", got, tt.location)
			}
			var calls []string
			for _, c := range f.calls {
				calls = append(calls, fmt.Sprintf("%v %s %s", c.ids, c.action, c.reason))
				if c.actor.ID != 101 || c.actor.IP == "" {
					t.Errorf("actor: got %+v, want the moderator with an IP", c.actor)
				}
			}
			want := []string(nil)
			if tt.call != "" {
				want = []string{tt.call}
			}
			if fmt.Sprint(calls) != fmt.Sprint(want) {
				t.Errorf("calls: got %q, want %q", calls, want)
			}
			checkBody(t, body, tt.contain, nil)
		})
	}
}

func TestModerationAPI(t *testing.T) {
	tests := []struct {
		name   string
		role   string
		req    func() *http.Request
		err    error
		status int
		want   string
	}{
		{"counts", "moderator", func() *http.Request { return httptest.NewRequest("GET", "/api/v1/admin/moderation/counts", nil) },
			nil, 200, `{"pending":1234,"reported":1}`},
		{"approve", "moderator", func() *http.Request {
			return modAPIPost("/api/v1/admin/comments/moderate", `{"ids":[41],"action":"approve"}`)
		}, nil, 200, `{"changed":1,"counts":{"pending":1234,"reported":1}}`},
		{"refused", "moderator", func() *http.Request {
			return modAPIPost("/api/v1/admin/comments/moderate", `{"ids":[41],"action":"reject"}`)
		}, masthead.FieldError("reason", masthead.Msg(masthead.MsgModReasonRequired)), 400,
			`{"error":{"code":"invalid","message":"Give a reason for rejecting; the commenter will see it.","field":"reason"}}`},
		{"not JSON", "moderator", func() *http.Request { return modAPIPost("/api/v1/admin/comments/moderate", `ids=41`) }, nil, 400, `"code":"invalid"`},
		{"unknown member", "moderator", func() *http.Request {
			return modAPIPost("/api/v1/admin/comments/moderate", `{"ids":[41],"action":"approve","why":"x"}`)
		}, nil, 400, `"code":"invalid"`},
		{"editor", "editor", func() *http.Request {
			return modAPIPost("/api/v1/admin/comments/moderate", `{"ids":[41],"action":"approve"}`)
		}, nil, 403, `"code":"forbidden"`},
		{"signed out", "", func() *http.Request { return httptest.NewRequest("GET", "/api/v1/admin/moderation/counts", nil) },
			nil, 401, `"code":"unauthorized"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newModerationFixture(t)
			f.err = tt.err
			res, body := f.do(t, tt.role, tt.req())
			if res.StatusCode != tt.status {
				t.Fatalf("status: got %d, want %d: %s", res.StatusCode, tt.status, body)
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type: got %q, want JSON", ct)
			}
			if !json.Valid([]byte(body)) {
				t.Errorf("body is not JSON: %s", body)
			}
			if !strings.Contains(body, tt.want) {
				t.Errorf("body: got %s, want it to contain %s", body, tt.want)
			}
		})
	}
}

func TestModerationIndexLink(t *testing.T) {
	f := newModerationFixture(t)
	for role, want := range map[string]bool{"moderator": true, "admin": true, "editor": false} {
		_, body := f.do(t, role, httptest.NewRequest("GET", "/admin", nil))
		link := `<a href="/admin/moderation">Moderation (1,234 pending, 1 reported)</a>`
		if got := strings.Contains(body, link); got != want {
			t.Errorf("%s: link %v, want %v", role, got, want)
		}
	}
}
