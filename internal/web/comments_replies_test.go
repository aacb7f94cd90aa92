package web

import (
	"context"
	"encoding/json"
	"html"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"masthead"
)

// testReplies is the replies page after the cursor "r-cursor" of thread
// 20 (testThreads'): two replies, and 1,200 more after them.
func testReplies(now time.Time) *masthead.ReplyPage {
	root := testThreads(now)[1].Comment
	return &masthead.ReplyPage{
		Root:      root,
		StorySlug: "world-older",
		Replies: []*masthead.Comment{
			{ID: 61, ParentID: 20, RootID: 20, Depth: 1, AuthorID: 8, AuthorName: "Ann", BodyHTML: "<p>Reply 61</p>\n",
				Status: masthead.CommentPublished, Respects: 1234, CreatedAt: now.Add(-30 * time.Minute)},
			{ID: 62, ParentID: 61, RootID: 20, Depth: 2, AuthorID: 7, AuthorName: "Reader One", BodyHTML: "<p>Reply 62</p>\n",
				Status: masthead.CommentPublished, CreatedAt: now.Add(-20 * time.Minute)},
		},
		Next: "next/cursor",
		More: 1200,
	}
}

// withReplies adds FindRepliesFn to the fixture, recording the filters.
func withReplies(f *commentFixture) *[]masthead.ReplyFilter {
	var got []masthead.ReplyFilter
	f.svc.FindRepliesFn = func(ctx context.Context, rf masthead.ReplyFilter) (*masthead.ReplyPage, error) {
		f.mu.Lock()
		got = append(got, rf)
		f.mu.Unlock()
		switch {
		case rf.After == "bad":
			return nil, masthead.FieldError("after", masthead.Msg(masthead.MsgCommentCursorInvalid))
		case rf.RootID == 20:
			return testReplies(testNow), nil
		case rf.RootID == 70: // a thread of the premium story
			p := testReplies(testNow)
			p.StorySlug = "markets-rally"
			return p, nil
		}
		return nil, masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgCommentNotFound))
	}
	return &got
}

// The story's page links "show N more replies" to the page of the replies
// after the ones it shows.
func TestMoreRepliesLink(t *testing.T) {
	f := newCommentFixture(testAccount())
	h := f.server(t, standardPlan())
	_, body := do(t, h, signedIn(httptest.NewRequest("GET", "/stories/world-older", nil)))
	// Thread 20 shows reply 21 (published) and 22 (a placeholder).
	th := testThreads(testNow)[1]
	cursor := masthead.ReplyCursor{At: th.Replies[1].CreatedAt, ID: 22, Shown: 1}.String()
	checkBody(t, body, []string{
		`<p class="more-replies"><a href="/stories/world-older/comments/20/replies?after=` + url.QueryEscape(cursor) + `">Show 5 more replies</a></p>`,
	}, nil)
	if got, want := masthead.NextReplyCursor(th), cursor; got != want {
		t.Errorf("NextReplyCursor = %q, want %q", got, want)
	}
	k, err := masthead.ParseReplyCursor(cursor)
	if err != nil || k.ID != 22 || k.Shown != 1 || !k.At.Equal(th.Replies[1].CreatedAt) {
		t.Errorf("ParseReplyCursor = %+v, %v", k, err)
	}
}

// Without JavaScript, "show N more replies" leads to a page of the
// thread with the next replies and the link to the ones after them.
func TestCommentRepliesPage(t *testing.T) {
	f := newCommentFixture(testAccount())
	filters := withReplies(f)
	h := f.server(t, standardPlan())

	res, body := do(t, h, signedIn(httptest.NewRequest("GET", "/stories/world-older/comments/20/replies?after=r-cursor", nil)))
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	if got := (*filters)[len(*filters)-1]; got.RootID != 20 || got.After != "r-cursor" || got.ViewerID != 7 || got.Limit != 50 {
		t.Errorf("filter %+v", got)
	}
	checkBody(t, body, []string{
		`<h1 id="comments-heading">Replies to &lt;img src=x onerror=alert(1)&gt;Mallory</h1>`,
		`<meta name="robots" content="noindex">`,
		`<section id="comments" class="comments comment-replies-page" aria-labelledby="comments-heading" data-max-length="3000"`,
		`/comments.js" defer></script>`,
		`<a href="/comments/20">This thread from its start</a>`,
		`<a href="/stories/world-older#comments">All comments on this story</a>`,
		`id="comment-20"`, `id="comment-61"`, `id="comment-62"`,
		`Respects: 1,234`,
		`<p class="more-replies"><a href="/stories/world-older/comments/20/replies?after=next%2Fcursor">Show 1,200 more replies</a></p>`,
		// The viewer may reply, here too, and delete their own.
		`<label for="reply-61-body">Your reply to Ann</label>`,
		`action="/comments/62/delete"`,
	}, []string{`<img src=x`, `data-live-url`, `Show more comments`})

	tests := []struct {
		name     string
		target   string
		status   int
		location string
	}{
		{"bad cursor", "/stories/world-older/comments/20/replies?after=bad", 400, ""},
		{"unknown thread", "/stories/world-older/comments/404/replies", 404, ""},
		{"not a number", "/stories/world-older/comments/x/replies", 404, ""},
		{"thread of another story", "/stories/tokyo-rail-expansion/comments/20/replies", 404, ""},
		{"unknown story", "/stories/nope/comments/20/replies", 404, ""},
		{"story the viewer may not read", "/stories/markets-rally/comments/70/replies", 303, "/stories/markets-rally#comments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := do(t, h, signedIn(httptest.NewRequest("GET", tt.target, nil)))
			if res.StatusCode != tt.status || res.Header.Get("Location") != tt.location {
				t.Errorf("got %d %q, want %d %q", res.StatusCode, res.Header.Get("Location"), tt.status, tt.location)
			}
		})
	}

	// The last page has no link on; a signed-out reader has no forms.
	f.svc.FindRepliesFn = func(ctx context.Context, rf masthead.ReplyFilter) (*masthead.ReplyPage, error) {
		p := testReplies(testNow)
		p.Next, p.More = "", 0
		return p, nil
	}
	_, body = get(t, h, "/stories/world-older/comments/20/replies?after=r-cursor")
	checkBody(t, body, []string{`id="comment-62"`}, []string{`class="more-replies"`, `<form class="comment-form"`})
}

// The JSON of a thread's replies: the page, its cursor and the count of
// what follows, under the story's paywall.
func TestAPICommentReplies(t *testing.T) {
	f := newCommentFixture(testAccount())
	filters := withReplies(f)
	h := f.server(t, standardPlan())
	res, body := do(t, h, signedIn(httptest.NewRequest("GET", "/api/v1/comments/20/replies?after=r-cursor", nil)))
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	if got := (*filters)[len(*filters)-1]; got.RootID != 20 || got.After != "r-cursor" || got.ViewerID != 7 {
		t.Errorf("filter %+v", got)
	}
	var page struct {
		Root    apiComment   `json:"root"`
		Replies []apiComment `json:"replies"`
		Next    string       `json:"next"`
		More    int          `json:"more"`
	}
	if err := json.Unmarshal([]byte(body), &page); err != nil {
		t.Fatal(err)
	}
	if page.Root.ID != 20 || len(page.Replies) != 2 || page.Replies[0].ID != 61 || page.Replies[1].Depth != 2 ||
		page.Next != "next/cursor" || page.More != 1200 || page.Replies[0].Respects != 1234 {
		t.Errorf("page = %+v", page)
	}

	tests := []struct {
		name   string
		target string
		status int
		code   string
	}{
		{"bad cursor", "/api/v1/comments/20/replies?after=bad", 400, masthead.EINVALID},
		{"unknown thread", "/api/v1/comments/404/replies", 404, masthead.ENOTFOUND},
		{"story the viewer may not read", "/api/v1/comments/70/replies", 403, string(masthead.GateStoryNotReadable)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := do(t, h, signedIn(httptest.NewRequest("GET", tt.target, nil)))
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tt.status, body)
			}
			if got := decodeAPIError(t, body); got.Code != tt.code {
				t.Errorf("code %q, want %q", got.Code, tt.code)
			}
		})
	}
}

// A permalink leads to the page that shows the comment: the story's
// first page, a later page of it, or a page of its thread's replies.
func TestCommentPermalinkPages(t *testing.T) {
	f := newCommentFixture(testAccount())
	var limits []int
	f.svc.LocateCommentFn = func(ctx context.Context, id int64, limit int) (*masthead.CommentLocation, error) {
		limits = append(limits, limit)
		switch id {
		case 1:
			return &masthead.CommentLocation{StorySlug: "world-older", CommentID: 1, RootID: 1}, nil
		case 2:
			return &masthead.CommentLocation{StorySlug: "world-older", CommentID: 2, RootID: 2, After: "page/3"}, nil
		case 3:
			return &masthead.CommentLocation{StorySlug: "world-older", CommentID: 3, RootID: 2, After: "page/3"}, nil
		case 4:
			return &masthead.CommentLocation{StorySlug: "world-older", CommentID: 4, RootID: 2, After: "page/3", InReplies: true, RepliesAfter: "r/9"}, nil
		case 5:
			return &masthead.CommentLocation{StorySlug: "../admin", CommentID: 5, RootID: 5}, nil
		}
		return nil, masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgCommentNotFound))
	}
	h := f.server(t, standardPlan())
	tests := []struct {
		name     string
		target   string
		status   int
		location string
	}{
		{"on the first page", "/comments/1", 303, "/stories/world-older#comment-1"},
		{"on a later page", "/comments/2", 303, "/stories/world-older?sort=newest&after=page%2F3#comment-2"},
		{"a reply shown under its thread", "/comments/3", 303, "/stories/world-older?sort=newest&after=page%2F3#comment-3"},
		{"a reply beyond those shown", "/comments/4", 303, "/stories/world-older/comments/2/replies?after=r%2F9#comment-4"},
		{"a story slug that is not one", "/comments/5", 404, ""},
		{"unknown", "/comments/404", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := get(t, h, tt.target)
			if res.StatusCode != tt.status || res.Header.Get("Location") != tt.location {
				t.Errorf("got %d %q, want %d %q", res.StatusCode, res.Header.Get("Location"), tt.status, tt.location)
			}
		})
	}
	if len(limits) == 0 || limits[0] != 50 {
		t.Errorf("limits asked = %v, want the page size, 50", limits)
	}

	// After an action, back to the comment where it is.
	res, _ := do(t, h, signedIn(postForm("/comments/4/respect", url.Values{"story": {"world-older"}})))
	if got, want := res.Header.Get("Location"), "/stories/world-older/comments/2/replies?after=r%2F9#comment-4"; res.StatusCode != 303 || got != want {
		t.Errorf("after respect: %d %q, want 303 %q", res.StatusCode, got, want)
	}
}

// Counts are shown with the locale's digit grouping, and "1 comment"
// stays singular.
func TestCommentCountsFormatted(t *testing.T) {
	stories := paywallStories()
	stories[0].CommentCount = 2400 // tokyo-rail-expansion
	stories[3].CommentCount = 1    // world-older
	f := newCommentFixture(testAccount())
	total := 2400
	f.svc.FindCommentsFn = func(ctx context.Context, cf masthead.CommentFilter) (*masthead.CommentPage, error) {
		th := testThreads(testNow)
		th[1].MoreReplies = 12345
		return &masthead.CommentPage{Threads: th, Total: total}, nil
	}
	cfg := planConfig(f.acct, standardPlan(), nil)
	cfg.Comments = f.svc
	h := newTestServer(t, fakeStories(stories), cfg).Handler()

	_, body := get(t, h, "/")
	checkBody(t, body, []string{`>2,400 comments</a>`, `>1 comment</a>`}, []string{`2400 comments`})
	_, body = get(t, h, "/sections/world")
	checkBody(t, body, []string{`>2,400 comments</a>`, `>1 comment</a>`}, nil)

	tests := []struct {
		total int
		want  string
	}{
		{0, "(no comments yet)"},
		{1, "(1 comment)"},
		{2, "(2 comments)"},
		{999, "(999 comments)"},
		{2400, "(2,400 comments)"},
		{1234567, "(1,234,567 comments)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			total = tt.total
			_, body := do(t, h, signedIn(httptest.NewRequest("GET", "/stories/world-older", nil)))
			checkBody(t, body, []string{`<span class="comment-total">` + html.EscapeString(tt.want) + `</span>`, `Show 12,345 more replies`}, nil)
		})
	}
}

// The number formatter groups digits as the locale says.
func TestViewFormatsNumber(t *testing.T) {
	tests := []struct {
		n     int64
		group string
		want  string
	}{
		{0, ",", "0"},
		{7, ",", "7"},
		{999, ",", "999"},
		{1000, ",", "1,000"},
		{2400, ",", "2,400"},
		{-2400, ",", "-2,400"},
		{1234567, ",", "1,234,567"},
		{1234567, "\u202f", "1\u202f234\u202f567"},
		{-9223372036854775808, ",", "-9,223,372,036,854,775,808"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			f := &viewFormats{group: tt.group}
			if got := f.number(tt.n); got != tt.want {
				t.Errorf("number(%d) = %q, want %q", tt.n, got, tt.want)
			}
		})
	}
	if strings.Contains(masthead.Msg("comments.count"), "%d") {
		t.Errorf("comments.count takes a formatted number: %q", masthead.Msg("comments.count"))
	}
}

// The page of a thread's replies has no live stream, so making it looks
// up no comment event, live updates on or not.
func TestCommentRepliesPageNoEvents(t *testing.T) {
	f := newLiveFixture(t, 5, nil)
	withReplies(f.commentFixture)
	res, body := do(t, f.site.Handler(), signedIn(httptest.NewRequest("GET", "/stories/world-older/comments/20/replies?after=r-cursor", nil)))
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	checkBody(t, body, []string{`data-max-length="3000"`}, []string{`data-live-url`, `data-last-event-id`})
	if got := f.calls(); len(got) != 0 {
		t.Errorf("CommentEvents calls = %v, want none", got)
	}
	// The story's page still has its live part.
	_, body = do(t, f.site.Handler(), signedIn(httptest.NewRequest("GET", "/stories/world-older", nil)))
	checkBody(t, body, []string{`data-live-url="/stories/world-older/comments/live"`, `data-last-event-id="5"`}, nil)
	if got := f.calls(); len(got) == 0 {
		t.Errorf("story page: no CommentEvents call")
	}
}
