package web

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"masthead"
)

// fakePolicy is a PolicyService in memory that checks permissions and
// validates as the real one does.
type fakePolicy struct {
	mu     sync.Mutex
	p      masthead.CommentPolicy
	saves  []masthead.CommentPolicy
	actors []masthead.Actor
	// refuse, if set, is returned by SetCommentPolicy.
	refuse error
}

func newFakePolicy() *fakePolicy {
	return &fakePolicy{p: masthead.DefaultCommentPolicy(masthead.DefaultCommentSettings())}
}

func (f *fakePolicy) CommentPolicy(ctx context.Context) (*masthead.CommentPolicy, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.p
	return &p, nil
}

func (f *fakePolicy) SetCommentPolicy(ctx context.Context, actor masthead.Actor, p masthead.CommentPolicy) error {
	if err := actor.Require(masthead.PermSettings); err != nil {
		return err
	}
	if f.refuse != nil {
		return f.refuse
	}
	p.Normalize()
	if err := p.Validate(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.p = p
	f.saves = append(f.saves, p)
	f.actors = append(f.actors, actor)
	return nil
}

// newSettingsServer returns a site with staff accounts of every role
// (signed in by "tok-" + role) and the policy service.
func newSettingsServer(t *testing.T, policy masthead.PolicyService) http.Handler {
	t.Helper()
	accounts := staffAccounts()
	acctSvc := fakeAccounts(testAccount())
	acctSvc.AuthenticateFn = func(ctx context.Context, token string, c masthead.Client) (*masthead.Account, *masthead.Session, error) {
		if a, ok := accounts[token]; ok {
			return a, &masthead.Session{ID: 1, AccountID: a.ID}, nil
		}
		return nil, nil, masthead.Errorf(masthead.EUNAUTHORIZED, "%s", masthead.Msg(masthead.MsgSessionInvalid))
	}
	return newPlanServer(t, Config{Accounts: acctSvc, Policy: policy})
}

// asRole adds the session of a staff role ("" for none) to req.
func asRole(req *http.Request, role string) *http.Request {
	if role != "" {
		req.AddCookie(&http.Cookie{Name: InsecureSessionCookieName, Value: "tok-" + role})
	}
	return req
}

// validSettingsForm is a complete settings form.
func validSettingsForm() url.Values {
	return url.Values{
		"enabled":                 {"1"},
		"premoderation":           {"all"},
		"new_commenter_approvals": {"3"},
		"hold_links":              {"1"},
		"banned_words":            {"idiot\r\n\r\n  kill   yourself \r\nIDIOT"},
		"suspect_words":           {"scam"},
		"edit_window":             {"15"},
		"auto_close_days":         {"30"},
	}
}

func TestAdminSettingsAuthorisation(t *testing.T) {
	policy := newFakePolicy()
	h := newSettingsServer(t, policy)
	tests := []struct {
		name   string
		role   string
		method string
		status int
	}{
		{"anonymous GET", "", http.MethodGet, http.StatusSeeOther},
		{"anonymous POST", "", http.MethodPost, http.StatusSeeOther},
		{"subscriber GET", "subscriber", http.MethodGet, http.StatusForbidden},
		{"subscriber POST", "subscriber", http.MethodPost, http.StatusForbidden},
		{"moderator GET", "moderator", http.MethodGet, http.StatusForbidden},
		{"moderator POST", "moderator", http.MethodPost, http.StatusForbidden},
		{"editor GET", "editor", http.MethodGet, http.StatusForbidden},
		{"editor POST", "editor", http.MethodPost, http.StatusForbidden},
		{"admin GET", "admin", http.MethodGet, http.StatusOK},
		{"admin POST", "admin", http.MethodPost, http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "/admin/settings", nil)
			if tt.method == http.MethodPost {
				req = postForm("/admin/settings", validSettingsForm())
			}
			res, _ := do(t, h, asRole(req, tt.role))
			if got, want := res.StatusCode, tt.status; got != want {
				t.Errorf("%s /admin/settings as %q: status %d, want %d", tt.method, tt.role, got, want)
			}
		})
	}
	if got, want := len(policy.saves), 1; got != want {
		t.Errorf("saves = %d, want %d (the admin's only)", got, want)
	}
}

func TestAdminSettingsSave(t *testing.T) {
	policy := newFakePolicy()
	h := newSettingsServer(t, policy)

	res, body := do(t, h, asRole(postForm("/admin/settings", validSettingsForm()), "admin"))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/settings?done=saved" {
		t.Fatalf("save: status %d, Location %q; body %s", res.StatusCode, res.Header.Get("Location"), body)
	}
	got := policy.saves[0]
	if !got.Enabled || got.Premoderation != masthead.PremoderationAll || got.NewCommenterApprovals != 3 || !got.HoldLinks ||
		got.EditWindow != 15*time.Minute || got.AutoCloseDays != 30 {
		t.Errorf("saved policy = %+v", got)
	}
	if g, w := strings.Join(got.BannedWords, "|"), "idiot|kill yourself"; g != w {
		t.Errorf("banned words = %q, want %q", g, w)
	}
	if a := policy.actors[0]; a.ID != 103 || a.Role != masthead.RoleAdmin || a.IP == "" {
		t.Errorf("actor = %+v, want the admin with an IP", a)
	}

	_, body = do(t, h, asRole(httptest.NewRequest(http.MethodGet, "/admin/settings?done=saved", nil), "admin"))
	checkBody(t, body, []string{
		html.EscapeString(masthead.Msg("admin.settings.saved")),
		`<input id="settings-premoderation-all" name="premoderation" type="radio" value="all" checked>`,
		`<input id="settings-hold-links" name="hold_links" type="checkbox" value="1" checked>`,
		"idiot\nkill yourself</textarea>",
		`name="edit_window" type="text" autocomplete="off" value="15"`,
		`name="auto_close_days" type="text" autocomplete="off" value="30"`,
	}, nil)

	// Turning things off saves them off.
	form := validSettingsForm()
	form.Del("enabled")
	form.Del("hold_links")
	form.Set("premoderation", "off")
	do(t, h, asRole(postForm("/admin/settings", form), "admin"))
	if p := policy.saves[1]; p.Enabled || p.HoldLinks || p.Premoderation != masthead.PremoderationOff {
		t.Errorf("second save = %+v, want off", p)
	}
}

func TestAdminSettingsRefused(t *testing.T) {
	tests := []struct {
		name    string
		change  func(v url.Values)
		refuse  error
		status  int
		message string
		kept    string
	}{
		{"not a number", func(v url.Values) { v.Set("edit_window", "ten") }, nil, http.StatusBadRequest,
			masthead.Msg("admin.settings.number_invalid"), `value="ten"`},
		{"out of range", func(v url.Values) { v.Set("auto_close_days", "99999") }, nil, http.StatusBadRequest,
			masthead.Msg(masthead.MsgPolicyNumberRange, 0, masthead.MaxAutoCloseDays), `value="99999"`},
		{"bad mode", func(v url.Values) { v.Set("premoderation", "some") }, nil, http.StatusBadRequest,
			masthead.Msg(masthead.MsgPolicyPremoderationInvalid), `id="settings-premoderation-error"`},
		{"word without letters", func(v url.Values) { v.Set("suspect_words", "scam\n!!!") }, nil, http.StatusBadRequest,
			masthead.Msg(masthead.MsgPolicyWordNoText, "!!!"), "scam\n!!!</textarea>"},
		{"service refuses", func(v url.Values) {}, masthead.FieldError("banned_words", "Too rude to store."), http.StatusBadRequest,
			"Too rude to store.", "idiot\r\n\r\n  kill   yourself \r\nIDIOT</textarea>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			policy := newFakePolicy()
			policy.refuse = tt.refuse
			h := newSettingsServer(t, policy)
			form := validSettingsForm()
			tt.change(form)
			res, body := do(t, h, asRole(postForm("/admin/settings", form), "admin"))
			if got, want := res.StatusCode, tt.status; got != want {
				t.Fatalf("status %d, want %d", got, want)
			}
			checkBody(t, body, []string{html.EscapeString(tt.message), tt.kept, `class="form-errors"`,
				`<input id="settings-premoderation-all" name="premoderation" type="radio" value="all"`}, nil)
			if len(policy.saves) != 0 {
				t.Errorf("a refused form was saved: %+v", policy.saves)
			}
		})
	}
}

func TestAdminSettingsLink(t *testing.T) {
	h := newSettingsServer(t, newFakePolicy())
	for _, tt := range []struct {
		role string
		link bool
	}{{"admin", true}, {"moderator", false}, {"editor", false}} {
		t.Run(tt.role, func(t *testing.T) {
			_, body := do(t, h, asRole(httptest.NewRequest(http.MethodGet, "/admin", nil), tt.role))
			if got := strings.Contains(body, `href="/admin/settings"`); got != tt.link {
				t.Errorf("link to /admin/settings shown = %v, want %v", got, tt.link)
			}
		})
	}
}

// A held comment is shown to its author, marked as awaiting review, with
// nothing to do with it but delete it; the API gives its status.
func TestHeldCommentShownToAuthor(t *testing.T) {
	f := newCommentFixture(testAccount())
	f.svc.FindCommentsFn = func(ctx context.Context, cf masthead.CommentFilter) (*masthead.CommentPage, error) {
		return &masthead.CommentPage{Total: 1, Threads: []*masthead.CommentThread{
			{Comment: &masthead.Comment{ID: 50, RootID: 50, AuthorID: 7, AuthorName: "Reader One", Body: "Held",
				BodyHTML: "<p>Held</p>\n", Status: masthead.CommentPending, CreatedAt: testNow.Add(-time.Minute)}},
			{Comment: &masthead.Comment{ID: 60, RootID: 60, AuthorID: 8, AuthorName: "Ann", Body: "Out",
				BodyHTML: "<p>Out</p>\n", Status: masthead.CommentPublished, CreatedAt: testNow.Add(-time.Hour)}},
		}}, nil
	}
	h := f.server(t, standardPlan())
	_, body := do(t, h, signedIn(httptest.NewRequest(http.MethodGet, "/stories/world-older", nil)))
	start := strings.Index(body, `id="comment-50"`)
	end := strings.Index(body, `id="comment-60"`)
	if start < 0 || end < start {
		t.Fatalf("comments 50 and 60 not on the page in order")
	}
	held, other := body[start:end], body[end:]
	checkBody(t, held, []string{
		`<span class="badge badge-pending">` + masthead.Msg("comments.awaiting_review") + `</span>`,
		`<p class="comment-held">` + html.EscapeString(masthead.Msg(masthead.MsgCommentHeld)) + `</p>`,
		`action="/comments/50/delete"`,
	}, []string{`action="/comments/50/edit"`, `action="/comments/50/respect"`, `name="parent_id" value="50"`})
	if !strings.Contains(body, `class="comment depth-0 comment-pending" id="comment-50"`) {
		t.Errorf("held comment's article is not marked pending")
	}
	checkBody(t, other, nil, []string{masthead.Msg("comments.awaiting_review")})

	_, js := do(t, h, signedIn(httptest.NewRequest(http.MethodGet, "/api/v1/stories/world-older/comments", nil)))
	var list apiCommentList
	if err := json.Unmarshal([]byte(js), &list); err != nil {
		t.Fatalf("API: %v (%s)", err, js)
	}
	if got, want := list.Threads[0].Comment.Status, "pending"; got != want {
		t.Errorf("API status = %q, want %q", got, want)
	}
}

// The pages apply the stored policy: the site-wide switch, automatic
// closing and the edit window.
func TestCommentPagesFollowPolicy(t *testing.T) {
	tests := []struct {
		name     string
		change   func(p *masthead.CommentPolicy)
		contain  []string
		absent   []string
		apiGate  string
		canReply bool
	}{
		{"defaults", func(*masthead.CommentPolicy) {}, []string{`action="/comments/10/edit"`}, nil, "", true},
		{"commenting off", func(p *masthead.CommentPolicy) { p.Enabled = false },
			[]string{html.EscapeString(masthead.Msg(masthead.MsgGateCommentsClosed))}, nil, string(masthead.GateCommentsClosed), false},
		{"closed after 7 days", func(p *masthead.CommentPolicy) { p.AutoCloseDays = 7 },
			[]string{html.EscapeString(masthead.Msg(masthead.MsgGateCommentsClosed))}, nil, string(masthead.GateCommentsClosed), false},
		{"open within 30 days", func(p *masthead.CommentPolicy) { p.AutoCloseDays = 30 }, nil, nil, "", true},
		{"editing off", func(p *masthead.CommentPolicy) { p.EditWindow = 0 }, nil, []string{`action="/comments/10/edit"`}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			policy := newFakePolicy()
			tt.change(&policy.p)
			f := newCommentFixture(testAccount())
			cfg := planConfig(f.acct, standardPlan(), nil)
			cfg.Comments = f.svc
			cfg.Policy = policy
			h := newPlanServer(t, cfg)
			_, body := do(t, h, signedIn(httptest.NewRequest(http.MethodGet, "/stories/world-older", nil)))
			checkBody(t, body, tt.contain, tt.absent)
			if got := strings.Contains(body, `id="comment-form"`); got != tt.canReply {
				t.Errorf("comment box shown = %v, want %v", got, tt.canReply)
			}
			_, js := do(t, h, signedIn(httptest.NewRequest(http.MethodGet, "/api/v1/stories/world-older/comments", nil)))
			var list apiCommentList
			if err := json.Unmarshal([]byte(js), &list); err != nil {
				t.Fatalf("API: %v (%s)", err, js)
			}
			if got := list.Gate.Code; got != tt.apiGate {
				t.Errorf("API gate code = %q, want %q", got, tt.apiGate)
			}
		})
	}
}

// readCountingPolicy is a fakePolicy that records the request ID of the
// context of each read.
type readCountingPolicy struct {
	*fakePolicy
	mu    sync.Mutex
	reads []string
}

func (c *readCountingPolicy) CommentPolicy(ctx context.Context) (*masthead.CommentPolicy, error) {
	c.mu.Lock()
	c.reads = append(c.reads, RequestID(ctx))
	c.mu.Unlock()
	return c.fakePolicy.CommentPolicy(ctx)
}

// A page of comments reads the policy once, with its request's context,
// however many comments it shows (the service caches it: the pages keep
// no cache of their own, so every page applies the service's policy), and
// shows every comment by that read.
func TestCommentPagesReadPolicyOnce(t *testing.T) {
	tests := []struct {
		name   string
		target string
		want   []string
	}{
		{"story", "/stories/world-older", []string{`action="/comments/10/edit"`, `id="comment-30"`}},
		{"later page", "/stories/world-older?sort=oldest&after=c1", []string{`action="/comments/10/edit"`}},
		{"replies", "/stories/world-older/comments/20/replies?after=r-cursor", []string{`id="comment-62"`}},
		{"API", "/api/v1/stories/world-older/comments", []string{`"id":10`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			policy := &readCountingPolicy{fakePolicy: newFakePolicy()}
			policy.p.EditWindow = time.Hour
			f := newCommentFixture(testAccount())
			withReplies(f)
			cfg := planConfig(f.acct, standardPlan(), nil)
			cfg.Comments = f.svc
			cfg.Policy = policy
			h := newPlanServer(t, cfg)
			var ids []string
			for range 2 {
				res, body := do(t, h, signedIn(httptest.NewRequest(http.MethodGet, tt.target, nil)))
				if res.StatusCode != http.StatusOK {
					t.Fatalf("status %d", res.StatusCode)
				}
				checkBody(t, body, tt.want, nil)
				ids = append(ids, res.Header.Get("X-Request-ID"))
			}
			policy.mu.Lock()
			defer policy.mu.Unlock()
			if got := policy.reads; len(got) != 2 || got[0] != ids[0] || got[1] != ids[1] {
				t.Errorf("policy read by requests %q, want once by each of %q", got, ids)
			}
		})
	}
}

// Without a policy service the pages apply the default policy of the
// comment settings.
func TestCommentPagesDefaultPolicy(t *testing.T) {
	tests := []struct {
		name    string
		window  time.Duration
		enabled bool
		contain []string
		absent  []string
	}{
		{"edit window open", time.Hour, true, []string{`action="/comments/10/edit"`, `id="comment-form"`}, nil},
		{"edit window passed", 30 * time.Second, true, []string{`id="comment-form"`}, []string{`action="/comments/10/edit"`}},
		{"comments off", time.Hour, false, []string{html.EscapeString(masthead.Msg(masthead.MsgGateCommentsClosed))},
			[]string{`id="comment-form"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newCommentFixture(testAccount())
			cfg := planConfig(f.acct, standardPlan(), nil)
			cfg.Comments = f.svc
			cfg.CommentSettings = masthead.DefaultCommentSettings()
			cfg.CommentSettings.EditWindow, cfg.CommentSettings.Enabled = tt.window, tt.enabled
			h := newPlanServer(t, cfg)
			_, body := do(t, h, signedIn(httptest.NewRequest(http.MethodGet, "/stories/world-older", nil)))
			checkBody(t, body, tt.contain, tt.absent)
		})
	}
}
