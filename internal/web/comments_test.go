package web

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"masthead"
	"masthead/internal/mock"
)

// Hostile content a comment may carry: the body HTML is trusted (it was
// rendered by masthead.RenderCommentBody when saved), the name and about
// line are not.
const (
	hostileName  = `<img src=x onerror=alert(1)>Mallory`
	hostileAbout = `"><script>alert(2)</script>`
	safeBodyHTML = `<p>Tea &amp; cake at <a href="https://example.org/x?a=1&amp;b=2" rel="nofollow ugc noopener">https://example.org/x?a=1&amp;b=2</a></p>` + "\n"
)

// commentFixture is a site with comments over a mock service that records
// what the handlers asked of it.
type commentFixture struct {
	svc  *mock.CommentService
	acct *masthead.Account

	mu       sync.Mutex
	posted   []masthead.NewComment
	filters  []masthead.CommentFilter
	actorIDs []int64
	respects map[int64]bool
	reports  []string
	// located are the comments LocateComment was asked for.
	located []int64
}

// testThreads are the first page's threads: one by the viewer (ID 7),
// posted a minute ago and unreplied (editable); one by a hostile name
// with a reply, a deleted reply and more replies; one by a deleted
// account.
func testThreads(now time.Time) []*masthead.CommentThread {
	return []*masthead.CommentThread{
		{Comment: &masthead.Comment{ID: 10, RootID: 10, AuthorID: 7, AuthorName: "Reader One", AuthorAbout: "Leeds",
			Body: "Mine", BodyHTML: "<p>Mine</p>\n", Status: masthead.CommentPublished, CreatedAt: now.Add(-time.Minute)}},
		{Comment: &masthead.Comment{ID: 20, RootID: 20, AuthorID: 8, AuthorName: hostileName, AuthorAbout: hostileAbout, AuthorStaff: true,
			Body: "Tea", BodyHTML: safeBodyHTML, Status: masthead.CommentPublished, Featured: true, Respects: 4, Respected: true, ReplyCount: 3,
			EditedAt: now.Add(-2 * time.Hour), CreatedAt: now.Add(-3 * time.Hour)},
			Replies: []*masthead.Comment{
				{ID: 21, ParentID: 20, RootID: 20, Depth: 1, AuthorID: 7, AuthorName: "Reader One", BodyHTML: "<p>Reply</p>\n",
					Status: masthead.CommentPublished, CreatedAt: now.Add(-2 * time.Hour)},
				{ID: 22, ParentID: 21, RootID: 20, Depth: 2, AuthorID: 9, AuthorName: "Gone Soon", BodyHTML: "<p>secret deleted text</p>",
					Status: masthead.CommentDeleted, CreatedAt: now.Add(-time.Hour)},
			},
			MoreReplies: 5},
		{Comment: &masthead.Comment{ID: 30, RootID: 30, AuthorID: 99, AuthorName: "", BodyHTML: "<p>Orphan</p>\n",
			Status: masthead.CommentPublished, CreatedAt: now.Add(-50 * 24 * time.Hour)}},
	}
}

func newCommentFixture(acct *masthead.Account) *commentFixture {
	f := &commentFixture{acct: acct, respects: map[int64]bool{}}
	own := func(id, actor int64) error {
		f.mu.Lock()
		f.actorIDs = append(f.actorIDs, actor)
		f.mu.Unlock()
		if id == 404 {
			return masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgCommentNotFound))
		}
		if id != 10 { // only comment 10 is the viewer's
			return &masthead.Error{Code: masthead.EFORBIDDEN, Message: masthead.Msg(masthead.MsgCommentNotYours)}
		}
		return nil
	}
	f.svc = &mock.CommentService{
		FindCommentsFn: func(ctx context.Context, cf masthead.CommentFilter) (*masthead.CommentPage, error) {
			f.mu.Lock()
			f.filters = append(f.filters, cf)
			f.mu.Unlock()
			if cf.After == "bad" {
				return nil, masthead.FieldError("after", masthead.Msg(masthead.MsgCommentCursorInvalid))
			}
			return &masthead.CommentPage{Threads: testThreads(testNow), Next: "cursor-2", Total: 12}, nil
		},
		SanctionFn: func(ctx context.Context, id int64) (*masthead.Sanction, error) { return nil, nil },
		PostCommentFn: func(ctx context.Context, c masthead.NewComment) (*masthead.Comment, error) {
			f.mu.Lock()
			f.posted = append(f.posted, c)
			f.mu.Unlock()
			body, err := masthead.NormalizeCommentBody(c.Body, 3000)
			if err != nil {
				return nil, err
			}
			return &masthead.Comment{ID: 42, ParentID: c.ParentID, AuthorID: c.AuthorID, AuthorName: "Reader One",
				Body: body, BodyHTML: masthead.RenderCommentBody(body), Status: masthead.CommentPublished, CreatedAt: testNow}, nil
		},
		EditCommentFn: func(ctx context.Context, id, actor int64, body string) (*masthead.Comment, error) {
			if err := own(id, actor); err != nil {
				return nil, err
			}
			return &masthead.Comment{ID: id, AuthorID: actor, AuthorName: "Reader One", Body: body, BodyHTML: masthead.RenderCommentBody(body),
				Status: masthead.CommentPublished, EditedAt: testNow, CreatedAt: testNow.Add(-time.Minute)}, nil
		},
		DeleteCommentFn: func(ctx context.Context, id, actor int64) error { return own(id, actor) },
		ToggleRespectFn: func(ctx context.Context, id, actor int64) (bool, int, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.actorIDs = append(f.actorIDs, actor)
			if id == 10 {
				return false, 0, masthead.FieldError("", masthead.Msg(masthead.MsgRespectOwn))
			}
			f.respects[id] = !f.respects[id]
			n := 3
			if f.respects[id] {
				n = 4
			}
			return f.respects[id], n, nil
		},
		ReportCommentFn: func(ctx context.Context, id, actor int64, reason, text string) error {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.actorIDs = append(f.actorIDs, actor)
			if reason == "other" && text == "" {
				return masthead.FieldError("text", masthead.Msg(masthead.MsgReportTextRequired))
			}
			f.reports = append(f.reports, reason+":"+text)
			return nil
		},
		LocateCommentFn: func(ctx context.Context, id int64, limit int) (*masthead.CommentLocation, error) {
			f.mu.Lock()
			f.located = append(f.located, id)
			f.mu.Unlock()
			if id == 9 {
				return &masthead.CommentLocation{StorySlug: "world-older", CommentID: id, RootID: id}, nil
			}
			return nil, masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgCommentNotFound))
		},
	}
	return f
}

// server returns the site with comments, plans and acct on plan.
func (f *commentFixture) server(t testing.TB, plan *masthead.Plan) http.Handler {
	t.Helper()
	cfg := planConfig(f.acct, plan, nil)
	cfg.Comments = f.svc
	return newPlanServer(t, cfg)
}

func standardPlan() *masthead.Plan { return planBySlug(testPlans(), "standard") }

func apiRequest(method, target, body string) *http.Request {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return req
}

func decodeAPIError(t *testing.T, body string) apiError {
	t.Helper()
	var e apiErrorBody
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("error body %q: %v", body, err)
	}
	return e.Error
}

// Every reason of the gate is shown in place of the comment box, with its
// way forward, and is what the API reports, code and message.
func TestCommentGateReasons(t *testing.T) {
	displayNameSentence := "With your current subscription plan you can comment on stories. However, before writing your first comment, please create a display name in the Profile section of your subscriber account page."
	until := testNow.Add(72 * time.Hour)
	tests := []struct {
		name     string
		slug     string
		signedIn bool
		plan     string
		change   func(a *masthead.Account)
		sanction *masthead.Sanction
		reason   masthead.GateReason
		message  string
		contain  []string
	}{
		{name: "comments closed", slug: "budget-vote", signedIn: true, plan: "standard",
			reason: masthead.GateCommentsClosed, message: masthead.Msg(masthead.MsgGateCommentsClosed)},
		{name: "signed out", slug: "world-older",
			reason: masthead.GateSignedOut, message: masthead.Msg(masthead.MsgGateSignedOut),
			contain: []string{`href="/signin?next=%2Fstories%2Fworld-older%23comments"`, `href="/plans"`}},
		{name: "not readable", slug: "markets-rally", signedIn: true, plan: "free",
			reason: masthead.GateStoryNotReadable, message: masthead.Msg(masthead.MsgGateStoryNotReadable),
			contain: []string{`href="/plans"`}},
		{name: "plan lacks commenting", slug: "world-older", signedIn: true, plan: "free",
			reason: masthead.GatePlanLacksCommenting, message: masthead.Msg(masthead.MsgGatePlanLacksCommenting),
			contain: []string{`href="/plans"`}},
		{name: "suspended", slug: "world-older", signedIn: true, plan: "standard",
			sanction: &masthead.Sanction{Until: until, Reason: "Repeated insults"},
			reason:   masthead.GateSuspended, message: masthead.Msg(masthead.MsgGateSuspended, until.UTC().Format("2 January 2006, 15:04 MST"), "Repeated insults"),
			contain: []string{"4 March 2026", "Repeated insults"}},
		{name: "banned", slug: "world-older", signedIn: true, plan: "standard",
			sanction: &masthead.Sanction{Banned: true, Reason: "Spam"},
			reason:   masthead.GateSuspended, message: masthead.Msg(masthead.MsgGateBanned, "Spam")},
		{name: "email unverified", slug: "world-older", signedIn: true, plan: "standard",
			change: func(a *masthead.Account) { a.EmailVerifiedAt = time.Time{} },
			reason: masthead.GateEmailUnverified, message: masthead.Msg(masthead.MsgGateEmailUnverified),
			contain: []string{`action="/account/verify/resend" method="post"`}},
		{name: "display name required", slug: "world-older", signedIn: true, plan: "standard",
			change: func(a *masthead.Account) { a.DisplayName = "" },
			reason: masthead.GateDisplayNameRequired, message: displayNameSentence,
			contain: []string{`<p id="comment-gate-message">` + displayNameSentence + `</p>`,
				`href="/account/profile?next=%2Fstories%2Fworld-older%23comments"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			acct := testAccount()
			if tt.change != nil {
				tt.change(acct)
			}
			f := newCommentFixture(acct)
			f.svc.SanctionFn = func(ctx context.Context, id int64) (*masthead.Sanction, error) { return tt.sanction, nil }
			plan := planBySlug(testPlans(), "standard")
			if tt.plan != "" {
				plan = planBySlug(testPlans(), tt.plan)
			}
			h := f.server(t, plan)
			page := func(req *http.Request) *http.Request {
				if tt.signedIn {
					return signedIn(req)
				}
				return req
			}

			// The page.
			res, body := do(t, h, page(httptest.NewRequest("GET", "/stories/"+tt.slug, nil)))
			if res.StatusCode != 200 {
				t.Fatalf("page status %d", res.StatusCode)
			}
			gate := regexp.MustCompile(`(?s)<section class="comment-gate gate-` + string(tt.reason) + `" aria-labelledby="comment-gate-heading">.*?</section>`).FindString(body)
			if gate == "" {
				t.Fatalf("no gate %q on the page:\n%s", tt.reason, body)
			}
			checkBody(t, gate, append([]string{`<h3 id="comment-gate-heading">`, html.EscapeString(tt.message)}, tt.contain...), nil)
			if strings.Contains(body, `id="comment-body"`) {
				t.Errorf("the comment box is shown despite the gate")
			}
			readable := tt.reason != masthead.GateStoryNotReadable
			if got := strings.Contains(body, `id="comment-20"`); got != readable {
				t.Errorf("threads shown: %v, want %v", got, readable)
			}

			// The API: the list says it (for a story the viewer may read),
			// and a refused post carries it as code and message.
			res, body = do(t, h, page(httptest.NewRequest("GET", "/api/v1/stories/"+tt.slug+"/comments", nil)))
			if readable {
				var list apiCommentList
				if err := json.Unmarshal([]byte(body), &list); err != nil || res.StatusCode != 200 {
					t.Fatalf("API list: %d %v %s", res.StatusCode, err, body)
				}
				if list.Gate.Allowed || list.Gate.Code != string(tt.reason) || list.Gate.Message != tt.message {
					t.Errorf("API gate: got %+v, want %s %q", list.Gate, tt.reason, tt.message)
				}
			} else {
				e := decodeAPIError(t, body)
				if res.StatusCode != 403 || e.Code != string(tt.reason) || e.Message != tt.message {
					t.Errorf("API list: got %d %+v", res.StatusCode, e)
				}
			}
			// The service applies the gate on write; the API passes its
			// refusal on with the reason's status.
			f.svc.PostCommentFn = func(ctx context.Context, c masthead.NewComment) (*masthead.Comment, error) {
				return nil, masthead.GateDecision{Reason: tt.reason, Message: tt.message}.GateError()
			}
			res, body = do(t, h, page(apiRequest("POST", "/api/v1/stories/"+tt.slug+"/comments", `{"body":"Hello"}`)))
			e := decodeAPIError(t, body)
			want := 403
			if tt.reason == masthead.GateSignedOut {
				want = 401
			}
			if res.StatusCode != want || e.Code != string(tt.reason) || e.Message != tt.message {
				t.Errorf("API post: got %d %+v, want %d %s %q", res.StatusCode, e, want, tt.reason, tt.message)
			}
		})
	}
}

func TestCommentGateStatuses(t *testing.T) {
	for reason, want := range map[masthead.GateReason]int{
		masthead.GateSignedOut: 401, masthead.GateCommentsClosed: 403, masthead.GateStoryNotReadable: 403,
		masthead.GatePlanLacksCommenting: 403, masthead.GateSuspended: 403, masthead.GateEmailUnverified: 403,
		masthead.GateDisplayNameRequired: 403,
	} {
		if got := ErrorStatus(string(reason)); got != want {
			t.Errorf("ErrorStatus(%s) = %d, want %d", reason, got, want)
		}
	}
}

// The comment section: count, sorts, threads, escaping, the actions each
// comment offers its viewer.
func TestCommentSection(t *testing.T) {
	f := newCommentFixture(testAccount())
	h := f.server(t, standardPlan())
	res, body := do(t, h, signedIn(httptest.NewRequest("GET", "/stories/world-older?sort=respected", nil)))
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	if got := f.filters[len(f.filters)-1]; got.StoryID != 4 || got.Sort != masthead.SortRespected || got.ViewerID != 7 || got.Limit != 50 {
		t.Errorf("filter: %+v", got)
	}
	checkBody(t, body, []string{
		`<section id="comments" class="comments" aria-labelledby="comments-heading" data-max-length="3000" data-counter="{n} of 3,000" data-send-error="`,
		`(12 comments)`,
		`<a href="/stories/world-older?sort=respected#comments" aria-current="true">Most respected</a>`,
		`<a href="/stories/world-older?sort=newest#comments">Newest</a>`,
		// The trusted body is printed as it is, once.
		safeBodyHTML,
		// Hostile name and about line are escaped.
		`&lt;img src=x onerror=alert(1)&gt;Mallory`,
		`&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;`,
		`<span class="badge badge-staff">Staff</span>`,
		`<span class="badge badge-featured">Featured</span>`,
		`<time datetime="2026-03-01T09:00:00Z" title="`,
		`>3 hours ago</time>`,
		`<span class="comment-edited">edited</span>`,
		`id="comment-20"`, `href="#comment-20"`,
		`<span class="comment-author">deleted account</span>`,
		`This comment was deleted.`,
		`5 more replies`,
		`href="/stories/world-older?sort=respected&amp;after=cursor-2#comments"`,
		// Respect, report and reply on another's comment.
		`action="/comments/20/respect"`, `aria-pressed="true">Take back respect</button>`, `Respects: 4`,
		`action="/comments/20/report"`, `<option value="off_topic">Off-topic</option>`,
		`<label for="reply-20-body">Your reply to &lt;img src=x onerror=alert(1)&gt;Mallory</label>`,
		// Edit and delete on one's own, unreplied, recent comment.
		`action="/comments/10/edit"`, `action="/comments/10/delete"`,
		// The new-comment box with its hint.
		`<label for="comment-body">Your comment</label>`,
		`At most 3,000 characters.`,
		`aria-describedby="comment-hint"`,
	}, []string{
		`<img src=x`, `<script>alert(2)`, `secret deleted text`, `Gone Soon`,
		`action="/comments/10/respect"`, `action="/comments/10/report"`,
		`action="/comments/20/edit"`, `action="/comments/20/delete"`,
		`action="/comments/22/`, `&amp;amp;`,
	})
	// Own reply 21 has a parent so it may be deleted; its edit window is
	// over (2 hours ago).
	checkBody(t, body, []string{`action="/comments/21/delete"`}, []string{`action="/comments/21/edit"`})
}

// With comments off there is no section and no comment route.
func TestCommentsOff(t *testing.T) {
	h := newPlanServer(t, planConfig(testAccount(), standardPlan(), nil))
	_, body := do(t, h, signedIn(httptest.NewRequest("GET", "/stories/world-older", nil)))
	if strings.Contains(body, `id="comments"`) {
		t.Errorf("comment section without a comment service")
	}
	for _, req := range []*http.Request{
		httptest.NewRequest("GET", "/comments/9", nil),
		postForm("/stories/world-older/comments", url.Values{"body": {"hi"}}),
		httptest.NewRequest("GET", "/api/v1/stories/world-older/comments", nil),
	} {
		if res, _ := do(t, h, signedIn(req)); res.StatusCode != 404 {
			t.Errorf("%s %s: status %d, want 404", req.Method, req.URL, res.StatusCode)
		}
	}
}

func TestCommentCountsOnLists(t *testing.T) {
	f := newCommentFixture(testAccount())
	h := f.server(t, standardPlan())
	for _, target := range []string{"/", "/sections/world"} {
		_, body := get(t, h, target)
		if !strings.Contains(body, `<a class="comment-count" href="/stories/tokyo-rail-expansion#comments">7 comments</a>`) {
			t.Errorf("%s lacks the comment count", target)
		}
	}
}

func TestPostComment(t *testing.T) {
	f := newCommentFixture(testAccount())
	h := f.server(t, standardPlan())
	form := url.Values{"body": {"A fine story."}, "parent_id": {"20"}, "author_id": {"99"}, "story": {"world-older"}}
	res, _ := do(t, h, signedIn(postForm("/stories/world-older/comments", form)))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/stories/world-older#comment-42" {
		t.Fatalf("got %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	want := masthead.NewComment{StorySlug: "world-older", ParentID: 20, AuthorID: 7, Body: "A fine story."}
	if got := f.posted[0]; got != want {
		t.Errorf("posted %+v, want %+v", got, want)
	}
}

// A refused post shows the story again with the text in its box and the
// reason tied to it.
func TestPostCommentRefused(t *testing.T) {
	typed := `<script>alert("x")</script> ` + strings.Repeat("long ", 700)
	tests := []struct {
		name   string
		parent string
		err    error
		status int
		box    string // ID prefix of the box holding the text
	}{
		{"too long", "", nil, 400, "comment"},
		{"too fast", "", &masthead.Error{Code: masthead.ERATELIMIT, Message: masthead.Msg(masthead.MsgCommentTooSoon, 5)}, 429, "comment"},
		{"reply refused", "20", &masthead.Error{Code: masthead.EINVALID, Field: "body", Message: masthead.Msg(masthead.MsgCommentDuplicate)}, 400, "reply-20"},
		{"parent gone", "77", &masthead.Error{Code: masthead.ENOTFOUND, Field: "parent_id", Message: masthead.Msg(masthead.MsgCommentParentInvalid)}, 404, "comment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newCommentFixture(testAccount())
			if tt.err != nil {
				f.svc.PostCommentFn = func(ctx context.Context, c masthead.NewComment) (*masthead.Comment, error) { return nil, tt.err }
			}
			h := f.server(t, standardPlan())
			res, body := do(t, h, signedIn(postForm("/stories/world-older/comments", url.Values{"body": {typed}, "parent_id": {tt.parent}})))
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			box := regexp.MustCompile(`(?s)<form class="comment-form" id="` + tt.box + `-form".*?</form>`).FindString(body)
			escaped := html.EscapeString(typed)
			checkBody(t, box, []string{
				`aria-describedby="` + tt.box + `-hint ` + tt.box + `-error" aria-invalid="true">` + escaped + `</textarea>`,
				`<p class="field-error" id="` + tt.box + `-error" role="alert">`,
			}, nil)
			if strings.Contains(body, `<script>alert("x")`) {
				t.Errorf("typed text not escaped")
			}
			if tt.box != "comment" && !strings.Contains(body, `<details class="comment-reply" open>`) {
				t.Errorf("refused reply's disclosure is not open")
			}
		})
	}
	t.Run("gate", func(t *testing.T) {
		acct := testAccount()
		acct.DisplayName = ""
		f := newCommentFixture(acct)
		f.svc.PostCommentFn = func(ctx context.Context, c masthead.NewComment) (*masthead.Comment, error) {
			return nil, masthead.GateDecision{Reason: masthead.GateDisplayNameRequired, Message: masthead.Msg(masthead.MsgGateDisplayNameRequired)}.GateError()
		}
		h := f.server(t, standardPlan())
		res, body := do(t, h, signedIn(postForm("/stories/world-older/comments", url.Values{"body": {"Kept text"}})))
		if res.StatusCode != 403 {
			t.Fatalf("status %d", res.StatusCode)
		}
		checkBody(t, body, []string{`readonly aria-describedby="comment-gate-message">Kept text</textarea>`, masthead.Msg(masthead.MsgGateDisplayNameRequired)}, nil)
	})
}

// Signed out, the forms lead to signing in and the API answers 401.
func TestCommentWritesSignedOut(t *testing.T) {
	f := newCommentFixture(testAccount())
	h := f.server(t, standardPlan())
	for _, target := range []string{"/stories/world-older/comments", "/comments/20/respect", "/comments/20/edit", "/comments/20/delete", "/comments/20/report"} {
		res, _ := do(t, h, postForm(target, url.Values{"body": {"x"}, "story": {"world-older"}, "reason": {"spam"}}))
		if res.StatusCode != 303 || res.Header.Get("Location") != "/signin?next=%2Fstories%2Fworld-older%23comments" {
			t.Errorf("%s: %d %q", target, res.StatusCode, res.Header.Get("Location"))
		}
	}
	res, body := do(t, h, apiRequest("POST", "/api/v1/stories/world-older/comments", `{"body":"x"}`))
	if e := decodeAPIError(t, body); res.StatusCode != 401 || e.Code != "signed_out" || e.Message != masthead.Msg(masthead.MsgGateSignedOut) {
		t.Errorf("API post: %d %+v", res.StatusCode, e)
	}
	for _, req := range []*http.Request{
		apiRequest("PATCH", "/api/v1/comments/10", `{"body":"x"}`),
		apiRequest("DELETE", "/api/v1/comments/10", ""),
		apiRequest("POST", "/api/v1/comments/20/respect", ""),
		apiRequest("POST", "/api/v1/comments/20/report", `{"reason":"spam"}`),
	} {
		if res, _ := do(t, h, req); res.StatusCode != 401 {
			t.Errorf("%s %s: %d", req.Method, req.URL, res.StatusCode)
		}
	}
	if len(f.posted)+len(f.actorIDs) != 0 {
		t.Errorf("the service was called for a signed-out write")
	}
}

// Nobody edits or deletes another's comment: the handlers pass the
// viewer's ID, whatever the request says, and the service's EFORBIDDEN is
// a 403.
func TestCommentOwnership(t *testing.T) {
	f := newCommentFixture(testAccount())
	h := f.server(t, standardPlan())
	hostile := url.Values{"body": {"mine now"}, "author_id": {"8"}, "account_id": {"8"}, "story": {"world-older"}}
	tests := []struct {
		name   string
		req    *http.Request
		status int
		loc    string
	}{
		{"page edit other", postForm("/comments/20/edit", hostile), 403, ""},
		{"page delete other", postForm("/comments/20/delete", hostile), 403, ""},
		{"page edit own", postForm("/comments/10/edit", hostile), 303, "/stories/world-older#comment-10"},
		{"page delete own", postForm("/comments/10/delete", hostile), 303, "/stories/world-older#comment-10"},
		{"page delete missing", postForm("/comments/404/delete", hostile), 404, ""},
		{"api edit other", apiRequest("PATCH", "/api/v1/comments/20", `{"body":"mine now"}`), 403, ""},
		{"api edit with author", apiRequest("PATCH", "/api/v1/comments/20", `{"body":"x","author_id":8}`), 400, ""},
		{"api delete other", apiRequest("DELETE", "/api/v1/comments/20?author_id=8", ""), 403, ""},
		{"api edit own", apiRequest("PATCH", "/api/v1/comments/10", `{"body":"fixed"}`), 200, ""},
		{"api delete own", apiRequest("DELETE", "/api/v1/comments/10", ""), 204, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.actorIDs = nil
			res, body := do(t, h, signedIn(tt.req))
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tt.status, body)
			}
			if tt.loc != "" && res.Header.Get("Location") != tt.loc {
				t.Errorf("Location %q, want %q", res.Header.Get("Location"), tt.loc)
			}
			for _, id := range f.actorIDs {
				if id != 7 {
					t.Errorf("service called as account %d, want the viewer 7", id)
				}
			}
			if tt.status == 403 {
				if strings.HasPrefix(tt.req.URL.Path, "/api/") {
					if e := decodeAPIError(t, body); e.Code != masthead.EFORBIDDEN || e.Message != masthead.Msg(masthead.MsgCommentNotYours) {
						t.Errorf("API error %+v", e)
					}
				} else {
					checkBody(t, body, []string{masthead.Msg(masthead.MsgCommentNotYours), `href="/stories/world-older#comment-20"`}, nil)
				}
			}
		})
	}
}

func TestRespectToggle(t *testing.T) {
	f := newCommentFixture(testAccount())
	h := f.server(t, standardPlan())
	res, _ := do(t, h, signedIn(postForm("/comments/20/respect", url.Values{"story": {"world-older"}})))
	if res.StatusCode != 303 || res.Header.Get("Location") != "/stories/world-older#comment-20" || !f.respects[20] {
		t.Fatalf("page respect: %d %q %v", res.StatusCode, res.Header.Get("Location"), f.respects)
	}
	for _, want := range []apiRespect{{false, 3}, {true, 4}} {
		res, body := do(t, h, signedIn(apiRequest("POST", "/api/v1/comments/20/respect", "")))
		var got apiRespect
		json.Unmarshal([]byte(body), &got)
		if res.StatusCode != 200 || got != want {
			t.Errorf("API respect: %d %+v, want %+v", res.StatusCode, got, want)
		}
	}
	// One's own comment: the service refuses.
	res, body := do(t, h, signedIn(apiRequest("POST", "/api/v1/comments/10/respect", "")))
	if e := decodeAPIError(t, body); res.StatusCode != 400 || e.Message != masthead.Msg(masthead.MsgRespectOwn) {
		t.Errorf("own respect: %d %+v", res.StatusCode, e)
	}
	for _, id := range f.actorIDs {
		if id != 7 {
			t.Errorf("respect as %d", id)
		}
	}
}

func TestReportComment(t *testing.T) {
	f := newCommentFixture(testAccount())
	h := f.server(t, standardPlan())
	tests := []struct {
		name   string
		req    *http.Request
		status int
		msg    string
	}{
		{"no reason", postForm("/comments/20/report", url.Values{"story": {"world-older"}}), 400, masthead.Msg(masthead.MsgReportReasonInvalid)},
		{"unknown reason", postForm("/comments/20/report", url.Values{"reason": {"boring"}}), 400, masthead.Msg(masthead.MsgReportReasonInvalid)},
		{"other without text", postForm("/comments/20/report", url.Values{"reason": {"other"}, "text": {"  "}}), 400, masthead.Msg(masthead.MsgReportTextRequired)},
		{"spam", postForm("/comments/20/report", url.Values{"reason": {"spam"}, "story": {"world-older"}}), 303, ""},
		{"api unknown reason", apiRequest("POST", "/api/v1/comments/20/report", `{"reason":"boring"}`), 400, masthead.Msg(masthead.MsgReportReasonInvalid)},
		{"api other", apiRequest("POST", "/api/v1/comments/20/report", `{"reason":"other","text":"Doxxing"}`), 204, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := do(t, h, signedIn(tt.req))
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			if tt.msg != "" && !strings.Contains(body, html.EscapeString(tt.msg)) && !strings.Contains(body, tt.msg) {
				t.Errorf("body lacks %q", tt.msg)
			}
		})
	}
	if got := strings.Join(f.reports, ","); got != "spam:,other:Doxxing" {
		t.Errorf("reports %q", got)
	}
}

func TestCommentPermalink(t *testing.T) {
	f := newCommentFixture(testAccount())
	h := f.server(t, standardPlan())
	res, _ := get(t, h, "/comments/9")
	if res.StatusCode != 303 || res.Header.Get("Location") != "/stories/world-older#comment-9" {
		t.Errorf("got %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	for _, target := range []string{"/comments/8", "/comments/x", "/comments/-1"} {
		if res, _ := get(t, h, target); res.StatusCode != 404 {
			t.Errorf("%s: %d", target, res.StatusCode)
		}
	}
}

func TestAPIComments(t *testing.T) {
	f := newCommentFixture(testAccount())
	h := f.server(t, standardPlan())
	res, body := do(t, h, signedIn(httptest.NewRequest("GET", "/api/v1/stories/world-older/comments?sort=oldest&after=cursor-1", nil)))
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	if got := f.filters[len(f.filters)-1]; got.Sort != masthead.SortOldest || got.After != "cursor-1" || got.ViewerID != 7 || got.StoryID != 4 {
		t.Errorf("filter %+v", got)
	}
	var raw map[string]any
	json.Unmarshal([]byte(body), &raw)
	if raw["next"] != "cursor-2" || raw["total"] != float64(12) || raw["sort"] != "oldest" {
		t.Errorf("list: %v", raw)
	}
	var list struct {
		Threads []struct {
			Comment     map[string]any   `json:"comment"`
			Replies     []map[string]any `json:"replies"`
			MoreReplies int              `json:"more_replies"`
		} `json:"threads"`
		Gate apiGate `json:"gate"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Threads) != 3 || !list.Gate.Allowed {
		t.Fatalf("threads %d gate %+v", len(list.Threads), list.Gate)
	}
	c := list.Threads[1].Comment
	for _, key := range []string{"id", "parent_id", "depth", "author", "body_html", "status", "featured", "edited", "respects", "respected", "reply_count", "created_at", "url"} {
		if _, ok := c[key]; !ok {
			t.Errorf("comment lacks %q", key)
		}
	}
	author := c["author"].(map[string]any)
	if c["id"] != float64(20) || c["parent_id"] != nil || c["body_html"] != safeBodyHTML || author["display_name"] != hostileName ||
		author["staff"] != true || c["featured"] != true || c["edited"] != true || c["respects"] != float64(4) || c["respected"] != true ||
		c["url"] != testBaseURL+"/comments/20" || c["created_at"] != "2026-03-01T09:00:00Z" {
		t.Errorf("comment 20: %v", c)
	}
	if list.Threads[1].MoreReplies != 5 || len(list.Threads[1].Replies) != 2 {
		t.Errorf("replies: %+v", list.Threads[1])
	}
	if r := list.Threads[1].Replies[0]; r["parent_id"] != float64(20) || r["depth"] != float64(1) {
		t.Errorf("reply: %v", r)
	}
	if r := list.Threads[1].Replies[1]; r["author"] != nil || r["body_html"] != "" || r["status"] != "deleted" {
		t.Errorf("deleted reply shows: %v", r)
	}
	if a := list.Threads[2].Comment["author"].(map[string]any); a["deleted_account"] != true || a["display_name"] != "" {
		t.Errorf("deleted account: %v", a)
	}

	// Errors: bad sort, bad cursor, unknown story.
	for target, want := range map[string]int{
		"/api/v1/stories/world-older/comments?sort=best": 400,
		"/api/v1/stories/world-older/comments?after=bad": 400,
		"/api/v1/stories/nope/comments":                  404,
	} {
		if res, body := get(t, h, target); res.StatusCode != want || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Errorf("%s: %d %s", target, res.StatusCode, body)
		}
	}

	// Post: 201 with the comment.
	res, body = do(t, h, signedIn(apiRequest("POST", "/api/v1/stories/world-older/comments", `{"body":"Hi https://example.org","parent_id":20}`)))
	var posted map[string]any
	json.Unmarshal([]byte(body), &posted)
	if res.StatusCode != 201 || posted["id"] != float64(42) || posted["parent_id"] != float64(20) ||
		!strings.Contains(posted["body_html"].(string), `rel="nofollow ugc noopener"`) || res.Header.Get("Location") != testBaseURL+"/comments/42" {
		t.Errorf("post: %d %s", res.StatusCode, body)
	}
	if got := f.posted[len(f.posted)-1]; got.AuthorID != 7 || got.ParentID != 20 || got.StorySlug != "world-older" {
		t.Errorf("posted %+v", got)
	}
	// Refusals: empty body, malformed JSON.
	res, body = do(t, h, signedIn(apiRequest("POST", "/api/v1/stories/world-older/comments", `{"body":"   "}`)))
	if e := decodeAPIError(t, body); res.StatusCode != 400 || e.Field != "body" || e.Message != masthead.Msg(masthead.MsgCommentEmpty) {
		t.Errorf("empty: %d %+v", res.StatusCode, e)
	}
	res, _ = do(t, h, signedIn(apiRequest("POST", "/api/v1/stories/world-older/comments", `{"body":"x","author_id":8}`)))
	if res.StatusCode != 400 {
		t.Errorf("unknown member: %d", res.StatusCode)
	}
}

// Pages with a comment section carry no inline code, whatever the
// comments hold.
func TestCommentsNoInlineCode(t *testing.T) {
	f := newCommentFixture(testAccount())
	h := f.server(t, standardPlan())
	_, body := do(t, h, signedIn(httptest.NewRequest("GET", "/stories/world-older", nil)))
	// The one script is comments.js, from our origin.
	external := regexp.MustCompile(`<script src="/static/[0-9a-f]+/comments\.js" defer></script>`)
	if n := len(external.FindAllString(body, -1)); n != 1 {
		t.Errorf("comments.js script tags: got %d, want 1", n)
	}
	body = external.ReplaceAllString(body, "")
	if m := regexp.MustCompile(`(?i)<[^>]*\s(?:style|on[a-z]+)=|<style|javascript:|<script(?: |>)`).FindString(strings.ReplaceAll(body, `<script type="application/ld+json">`, "")); m != "" {
		t.Errorf("inline code %q", m)
	}
}

// Anonymous readers share one rendering of a story's comment section per
// read-cache lifetime; signed-in readers get their own every time.
func TestAnonymousCommentsCached(t *testing.T) {
	f := newCommentFixture(testAccount())
	h := f.server(t, standardPlan())
	views := func() int {
		f.mu.Lock()
		defer f.mu.Unlock()
		return len(f.filters)
	}
	_, first := do(t, h, httptest.NewRequest("GET", "/stories/world-older", nil))
	_, second := do(t, h, httptest.NewRequest("GET", "/stories/world-older", nil))
	if got := views(); got != 1 {
		t.Errorf("two anonymous views read the comments %d times, want 1", got)
	}
	if first != second || !strings.Contains(first, `id="comments"`) {
		t.Errorf("the anonymous pages differ or lack the comment section:\n%s\n---\n%s", first, second)
	}
	do(t, h, httptest.NewRequest("GET", "/stories/world-older?sort=oldest", nil))
	if got := views(); got != 2 {
		t.Errorf("another order did not read the comments again (%d reads)", got)
	}
	do(t, h, signedIn(httptest.NewRequest("GET", "/stories/world-older", nil)))
	do(t, h, signedIn(httptest.NewRequest("GET", "/stories/world-older", nil)))
	if got := views(); got != 4 {
		t.Errorf("signed-in views read the comments %d times in all, want 4", got)
	}
}

// The return field is read only as a page of the story's comments,
// rebuilt from its parts; anything else is ignored.
func TestCommentReturn(t *testing.T) {
	tests := []struct {
		name, slug, raw, want string
	}{
		{"story page", "world-older", "/stories/world-older", "/stories/world-older"},
		{"default order", "world-older", "/stories/world-older?sort=newest", "/stories/world-older"},
		{"order and cursor", "world-older", "/stories/world-older?after=c%2F1&sort=oldest", "/stories/world-older?sort=oldest&after=c%2F1"},
		{"replies page", "world-older", "/stories/world-older/comments/20/replies?after=r%2F9", "/stories/world-older/comments/20/replies?after=r%2F9"},
		{"first replies page", "world-older", "/stories/world-older/comments/20/replies", "/stories/world-older/comments/20/replies"},
		{"empty", "world-older", "", ""},
		{"another site", "world-older", "https://evil.example/stories/world-older", ""},
		{"scheme-relative", "world-older", "//evil.example/stories/world-older", ""},
		{"backslash", "world-older", `/\evil.example/stories/world-older`, ""},
		{"script", "world-older", "javascript:alert(1)", ""},
		{"another story", "world-older", "/stories/tokyo-rail-expansion", ""},
		{"another path", "world-older", "/stories/world-older/../../admin", ""},
		{"not a page", "world-older", "/stories/world-older/comments", ""},
		{"not a thread", "world-older", "/stories/world-older/comments/x/replies", ""},
		{"zero thread", "world-older", "/stories/world-older/comments/0/replies", ""},
		{"unknown order", "world-older", "/stories/world-older?sort=bogus", ""},
		{"other parameter", "world-older", "/stories/world-older?next=//evil.example", ""},
		{"order on replies", "world-older", "/stories/world-older/comments/20/replies?sort=oldest", ""},
		{"two cursors", "world-older", "/stories/world-older?after=a&after=b", ""},
		{"fragment", "world-older", "/stories/world-older#x", ""},
		{"bad slug", "../admin", "/stories/../admin", ""},
		{"too long", "world-older", "/stories/world-older?after=" + strings.Repeat("a", maxReturnLen), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := commentReturn(tt.slug, tt.raw); got != tt.want {
				t.Errorf("commentReturn(%q, %q) = %q, want %q", tt.slug, tt.raw, got, tt.want)
			}
		})
	}
}

// Every form of a comment carries the page it is on; a reply box only
// when the page will show the new reply (its thread shows all its
// replies, with room for one more). The new-comment box carries none: a
// new comment is on the first page.
func TestCommentFormsCarryTheirPage(t *testing.T) {
	f := newCommentFixture(testAccount())
	withReplies(f)
	h := f.server(t, standardPlan())
	ret := func(v string) string {
		return `<input type="hidden" name="return" value="` + html.EscapeString(v) + `">`
	}
	page := "/stories/world-older?sort=oldest&after=c1"
	_, body := do(t, h, signedIn(httptest.NewRequest("GET", page, nil)))
	forms := regexp.MustCompile(`(?s)<form [^>]*>.*?</form>`).FindAllString(body, -1)
	got := map[string]bool{}
	for _, fm := range forms {
		key := regexp.MustCompile(`action="([^"]*)"`).FindStringSubmatch(fm)[1]
		if id := regexp.MustCompile(`id="([^"]*)-form"`).FindStringSubmatch(fm); id != nil {
			key = id[1]
		}
		got[key] = strings.Contains(fm, ret(page))
		if n := strings.Count(fm, `name="return"`); n > 1 || (n == 1 && !got[key]) {
			t.Errorf("form %s: %d return fields, want at most one, of %q", key, n, page)
		}
	}
	want := map[string]bool{
		"comment":  false, // the new comment
		"reply-10": true, "edit-10": true, "/comments/10/delete": true,
		"reply-20": false, "reply-21": false, // thread 20 shows 5 more replies after these
		"/comments/20/respect": true, "/comments/20/report": true,
		"/comments/21/delete": true,
		"reply-30":            true, "/comments/30/respect": true, "/comments/30/report": true,
	}
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			t.Errorf("form %s: return %v (present %v), want %v", k, g, ok, w)
		}
	}

	// The replies page: its forms return to it, and its reply boxes only
	// on the last page.
	page = "/stories/world-older/comments/20/replies?after=r-cursor"
	_, body = do(t, h, signedIn(httptest.NewRequest("GET", page, nil)))
	checkBody(t, body, []string{`action="/comments/62/delete" method="post">` + "\n" + `<input type="hidden" name="story" value="world-older">` + "\n" + ret(page)},
		[]string{`id="reply-61-form" action="/stories/world-older/comments" method="post" novalidate>` + "\n<fieldset>\n" +
			`<legend class="visually-hidden">Your reply to Ann</legend>` + "\n" + `<input type="hidden" name="story" value="world-older">` + "\n" + ret(page)})
	f.svc.FindRepliesFn = func(ctx context.Context, rf masthead.ReplyFilter) (*masthead.ReplyPage, error) {
		p := testReplies(testNow)
		p.Next, p.More = "", 0
		return p, nil
	}
	_, body = do(t, h, signedIn(httptest.NewRequest("GET", page, nil)))
	checkBody(t, body, []string{`<legend class="visually-hidden">Your reply to Ann</legend>` + "\n" +
		`<input type="hidden" name="story" value="world-older">` + "\n" + ret(page)}, nil)
}

// After a comment action without JavaScript the viewer goes back to the
// page the form came from, at the comment, without locating it; only a
// form that names no page (or a page that is not one of the story's
// comments) has the comment located. A new comment goes to the first
// page.
func TestCommentActionsReturn(t *testing.T) {
	const page = "/stories/world-older?sort=oldest&after=c%2F1"
	const replies = "/stories/world-older/comments/20/replies?after=r%2F9"
	tests := []struct {
		name    string
		target  string
		form    url.Values
		want    string
		located []int64
	}{
		{"new comment", "/stories/world-older/comments", url.Values{"body": {"Hello"}, "story": {"world-older"}, "return": {page}},
			"/stories/world-older#comment-42", nil},
		{"reply on its page", "/stories/world-older/comments", url.Values{"body": {"Hello"}, "parent_id": {"10"}, "story": {"world-older"}, "return": {page}},
			page + "#comment-42", nil},
		{"reply beyond its page", "/stories/world-older/comments", url.Values{"body": {"Hello"}, "parent_id": {"20"}, "story": {"world-older"}},
			"/stories/world-older#comment-42", []int64{42}},
		{"respect", "/comments/20/respect", url.Values{"story": {"world-older"}, "return": {page}}, page + "#comment-20", nil},
		{"respect on a replies page", "/comments/61/respect", url.Values{"story": {"world-older"}, "return": {replies}}, replies + "#comment-61", nil},
		{"report", "/comments/20/report", url.Values{"story": {"world-older"}, "reason": {"spam"}, "return": {page}}, page + "#comment-20", nil},
		{"edit", "/comments/10/edit", url.Values{"body": {"Fixed"}, "story": {"world-older"}, "return": {"/stories/world-older"}},
			"/stories/world-older#comment-10", nil},
		{"delete", "/comments/10/delete", url.Values{"story": {"world-older"}, "return": {replies}}, replies + "#comment-10", nil},
		{"no page", "/comments/20/respect", url.Values{"story": {"world-older"}}, "/stories/world-older#comment-20", []int64{20}},
		{"another site", "/comments/20/respect", url.Values{"story": {"world-older"}, "return": {"https://evil.example/"}},
			"/stories/world-older#comment-20", []int64{20}},
		{"another story", "/comments/20/respect", url.Values{"story": {"world-older"}, "return": {"/stories/tokyo-rail-expansion"}},
			"/stories/world-older#comment-20", []int64{20}},
		{"no story", "/comments/9/respect", url.Values{"return": {"/stories/world-older"}}, "/stories/world-older#comment-9", []int64{9}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newCommentFixture(testAccount())
			h := f.server(t, standardPlan())
			res, body := do(t, h, signedIn(postForm(tt.target, tt.form)))
			if got := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || got != tt.want {
				t.Fatalf("got %d %q, want 303 %q: %s", res.StatusCode, got, tt.want, body)
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			if len(f.located) != len(tt.located) || (len(f.located) > 0 && f.located[0] != tt.located[0]) {
				t.Errorf("LocateComment asked for %v, want %v", f.located, tt.located)
			}
		})
	}
}
