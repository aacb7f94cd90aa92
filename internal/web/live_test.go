package web

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"masthead"
)

// worldOlderID is the ID of the story "world-older" in paywallStories.
const worldOlderID = 4

// fakeFeed is a LiveFeed whose subscriptions the test feeds and ends.
type fakeFeed struct {
	subscribed chan *fakeSub
	mu         sync.Mutex
	open       int
}

func newFakeFeed() *fakeFeed { return &fakeFeed{subscribed: make(chan *fakeSub, 64)} }

// Subscribe returns a new subscription and hands it to the test.
func (f *fakeFeed) Subscribe(storyID int64) LiveSubscription {
	s := &fakeSub{feed: f, storyID: storyID, ch: make(chan masthead.CommentEvent, 64)}
	f.mu.Lock()
	f.open++
	f.mu.Unlock()
	f.subscribed <- s
	return s
}

// openSubs is the number of subscriptions not yet closed by the stream.
func (f *fakeFeed) openSubs() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.open
}

// next returns the next subscription made.
func (f *fakeFeed) next(t *testing.T) *fakeSub {
	t.Helper()
	select {
	case s := <-f.subscribed:
		return s
	case <-time.After(5 * time.Second):
		t.Fatal("no subscription")
		return nil
	}
}

type fakeSub struct {
	feed     *fakeFeed
	storyID  int64
	ch       chan masthead.CommentEvent
	lagged   atomic.Bool
	endOnce  sync.Once
	closeOne sync.Once
}

func (s *fakeSub) C() <-chan masthead.CommentEvent { return s.ch }
func (s *fakeSub) Lagged() bool                    { return s.lagged.Load() }
func (s *fakeSub) Close() {
	s.closeOne.Do(func() {
		s.feed.mu.Lock()
		s.feed.open--
		s.feed.mu.Unlock()
	})
}

// end closes the subscription's channel, as the broker does when it
// lags a subscriber or closes.
func (s *fakeSub) end(lagged bool) {
	s.lagged.Store(lagged)
	s.endOnce.Do(func() { close(s.ch) })
}

// liveEvent is one frame of an event stream.
type liveEvent struct {
	id, event, data, comment, retry string
}

// readFrame reads one frame (up to a blank line) from an event stream;
// io.EOF when the stream has ended.
func readFrame(br *bufio.Reader) (liveEvent, error) {
	var ev liveEvent
	seen := false
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			if err == io.EOF && seen {
				return ev, io.ErrUnexpectedEOF
			}
			return ev, err
		}
		line = strings.TrimSuffix(line, "\n")
		if line == "" {
			if seen {
				return ev, nil
			}
			continue
		}
		seen = true
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "":
			ev.comment = value
		case "id":
			ev.id = value
		case "event":
			ev.event = value
		case "data":
			ev.data = value
		case "retry":
			ev.retry = value
		}
	}
}

// commentEvents returns a story's events 1..n, and a CommentEvents
// function over them that records its calls.
func commentEvents(n int64) (fn func(ctx context.Context, storyID, afterID int64, limit int) ([]masthead.CommentEvent, error), calls func() [][3]int64) {
	var mu sync.Mutex
	var got [][3]int64
	fn = func(ctx context.Context, storyID, afterID int64, limit int) ([]masthead.CommentEvent, error) {
		mu.Lock()
		got = append(got, [3]int64{storyID, afterID, int64(limit)})
		mu.Unlock()
		var out []masthead.CommentEvent
		for id := afterID + 1; id <= n && len(out) < limit; id++ {
			out = append(out, testEvent(storyID, id))
		}
		return out, nil
	}
	calls = func() [][3]int64 {
		mu.Lock()
		defer mu.Unlock()
		return append([][3]int64(nil), got...)
	}
	return fn, calls
}

func testEvent(storyID, id int64) masthead.CommentEvent {
	kind := "posted"
	if id%3 == 0 {
		kind = "edited"
	}
	return masthead.CommentEvent{ID: id, StoryID: storyID, Kind: kind, CommentID: 100 + id, At: testNow.Add(time.Duration(id) * time.Second)}
}

// liveFixture is a running site with comments and a fake live feed.
type liveFixture struct {
	*commentFixture
	feed  *fakeFeed
	site  *Server
	ts    *httptest.Server
	calls func() [][3]int64
}

// newLiveFixture starts a site whose story world-older has events 1..n.
// change, if not nil, adjusts the configuration.
func newLiveFixture(t *testing.T, n int64, change func(*Config)) *liveFixture {
	t.Helper()
	f := &liveFixture{commentFixture: newCommentFixture(testAccount()), feed: newFakeFeed()}
	f.svc.CommentEventsFn, f.calls = commentEvents(n)
	cfg := planConfig(f.acct, standardPlan(), nil)
	cfg.Comments = f.svc
	cfg.Live = f.feed
	if change != nil {
		change(&cfg)
	}
	f.site = newTestServer(t, fakeStories(paywallStories()), cfg)
	f.ts = httptest.NewServer(f.site.Handler())
	t.Cleanup(func() {
		f.site.Shutdown()
		closeWithin(t, f.ts, 5*time.Second)
	})
	return f
}

// closeWithin closes ts, failing the test if that takes longer than d.
func closeWithin(t *testing.T, ts *httptest.Server, d time.Duration) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		ts.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Errorf("httptest.Server.Close did not return within %v", d)
	}
}

// liveStream is an open event stream.
type liveStream struct {
	res *http.Response
	br  *bufio.Reader
}

// open connects to the story's live stream; header, if not nil, adds
// request headers. The stream is closed when the test ends.
func (f *liveFixture) open(t *testing.T, query string, header http.Header) *http.Response {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	req, err := http.NewRequestWithContext(ctx, "GET", f.ts.URL+"/stories/world-older/comments/live"+query, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := f.ts.Client().Do(req)
	if err != nil {
		cancel()
		t.Fatalf("GET live: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		res.Body.Close()
	})
	return res
}

// stream opens the live stream, checks it began, and returns it after
// its first frame (the retry delay).
func (f *liveFixture) stream(t *testing.T, query string, header http.Header) *liveStream {
	t.Helper()
	res := f.open(t, query, header)
	if res.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(res.Body)
		t.Fatalf("live: status %d, want 200: %s", res.StatusCode, body)
	}
	s := &liveStream{res: res, br: bufio.NewReader(res.Body)}
	if fr, err := readFrame(s.br); err != nil || fr.retry != "3000" {
		t.Fatalf("first frame = %+v, %v; want retry: 3000", fr, err)
	}
	return s
}

// events reads n frames that are events (skipping heartbeats).
func (s *liveStream) events(t *testing.T, n int) []liveEvent {
	t.Helper()
	var out []liveEvent
	for len(out) < n {
		fr, err := readFrame(s.br)
		if err != nil {
			t.Fatalf("after %d events: %v", len(out), err)
		}
		if fr.comment == "" {
			out = append(out, fr)
		}
	}
	return out
}

// ended reports whether the stream ends (EOF) within d, reading and
// discarding anything before.
func (s *liveStream) ended(d time.Duration) bool {
	done := make(chan error, 1)
	go func() {
		_, err := io.Copy(io.Discard, s.br)
		done <- err
	}()
	select {
	case err := <-done:
		return err == nil
	case <-time.After(d):
		return false
	}
}

func eventIDs(evs []liveEvent) []string {
	var ids []string
	for _, e := range evs {
		ids = append(ids, e.id)
	}
	return ids
}

// A reconnecting client gets the events after its last one from storage,
// then the live ones, each once and in order, whichever way it says where
// it was.
func TestLiveReplayThenLive(t *testing.T) {
	tests := []struct {
		name   string
		query  string
		header http.Header
	}{
		{name: "Last-Event-ID header", header: http.Header{"Last-Event-Id": {"4"}}},
		{name: "last_event_id parameter", query: "?last_event_id=4"},
		{name: "the header wins over the parameter", query: "?last_event_id=1", header: http.Header{"Last-Event-Id": {"4"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newLiveFixture(t, 7, nil)
			s := f.stream(t, tt.query, tt.header)
			if got := s.res.Header.Get("Content-Type"); got != "text/event-stream; charset=utf-8" {
				t.Errorf("Content-Type = %q", got)
			}
			if got := s.res.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", got)
			}
			if csp := s.res.Header.Get("Content-Security-Policy"); csp == "" || strings.Contains(csp, "unsafe-inline") {
				t.Errorf("CSP = %q", csp)
			}
			sub := f.feed.next(t)
			if sub.storyID != worldOlderID {
				t.Errorf("subscribed to story %d, want %d", sub.storyID, worldOlderID)
			}
			// Published while the replay was read: 6 and 7 are in both.
			for _, id := range []int64{6, 7, 8, 5, 9} {
				sub.ch <- testEvent(worldOlderID, id)
			}
			evs := s.events(t, 5)
			if got, want := strings.Join(eventIDs(evs), ","), "5,6,7,8,9"; got != want {
				t.Errorf("event IDs = %s, want %s", got, want)
			}
			if calls := f.calls(); len(calls) != 1 || calls[0] != [3]int64{worldOlderID, 4, liveReplayLimit} {
				t.Errorf("CommentEvents calls = %v, want one after 4, limit %d", calls, liveReplayLimit)
			}
			for _, e := range evs {
				var got masthead.CommentEvent
				if err := json.Unmarshal([]byte(e.data), &got); err != nil {
					t.Fatalf("data %q: %v", e.data, err)
				}
				id, _ := strconv.ParseInt(e.id, 10, 64)
				if want := testEvent(worldOlderID, id); got != want || e.event != want.Kind {
					t.Errorf("event %s: %s %+v, want %s %+v", e.id, e.event, got, want.Kind, want)
				}
			}
		})
	}
}

// Without a last event ID nothing is replayed: the stream starts now.
func TestLiveNoReplay(t *testing.T) {
	f := newLiveFixture(t, 7, nil)
	s := f.stream(t, "", nil)
	sub := f.feed.next(t)
	sub.ch <- testEvent(worldOlderID, 8)
	if got := s.events(t, 1); got[0].id != "8" {
		t.Errorf("first event %+v, want 8", got[0])
	}
	if calls := f.calls(); len(calls) != 0 {
		t.Errorf("CommentEvents calls = %v, want none", calls)
	}
}

// More missed events than one replay sends: the stream sends a replay's
// worth, then resync, and the client resumes after the last.
func TestLiveReplayLimit(t *testing.T) {
	f := newLiveFixture(t, 2000, nil)
	s := f.stream(t, "", http.Header{"Last-Event-Id": {"10"}})
	evs := s.events(t, liveReplayLimit+1)
	if first, last := evs[0].id, evs[liveReplayLimit-1].id; first != "11" || last != strconv.Itoa(10+liveReplayLimit) {
		t.Errorf("replayed %s..%s, want 11..%d", first, last, 10+liveReplayLimit)
	}
	if rs := evs[liveReplayLimit]; rs.event != "resync" || rs.id != "" || rs.data == "" {
		t.Errorf("after the replay: %+v, want a resync event with data and no ID", rs)
	}
	if !s.ended(5 * time.Second) {
		t.Error("stream did not end after resync")
	}
}

func TestLiveHeartbeat(t *testing.T) {
	f := newLiveFixture(t, 0, func(c *Config) { c.LiveHeartbeat = 10 * time.Millisecond })
	s := f.stream(t, "", nil)
	for i := range 3 {
		fr, err := readFrame(s.br)
		if err != nil || fr.comment != "ping" || fr.event != "" || fr.id != "" {
			t.Fatalf("frame %d = %+v, %v; want the comment ping", i, fr, err)
		}
	}
}

// A subscription that fell behind ends the stream with a resync event;
// one that the feed closed (shutting down) ends it quietly.
func TestLiveSubscriptionEnds(t *testing.T) {
	for _, lagged := range []bool{true, false} {
		t.Run("lagged="+strconv.FormatBool(lagged), func(t *testing.T) {
			f := newLiveFixture(t, 0, nil)
			s := f.stream(t, "", nil)
			sub := f.feed.next(t)
			sub.ch <- testEvent(worldOlderID, 1)
			sub.end(lagged)
			evs := s.events(t, 1)
			if evs[0].id != "1" {
				t.Errorf("first event %+v, want 1", evs[0])
			}
			if lagged {
				if rs := s.events(t, 1)[0]; rs.event != "resync" || rs.id != "" {
					t.Errorf("after lag: %+v, want resync", rs)
				}
			}
			if !s.ended(5 * time.Second) {
				t.Error("stream did not end")
			}
			waitFor(t, func() bool { return f.feed.openSubs() == 0 }, "the stream closes its subscription")
		})
	}
}

// waitFor waits up to 5s for cond.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Server.Shutdown ends every stream at once, so that the HTTP server's
// shutdown (here httptest.Server.Close) does not wait on them; new
// streams are refused.
func TestLiveShutdown(t *testing.T) {
	f := newLiveFixture(t, 0, nil)
	streams := []*liveStream{f.stream(t, "", nil), f.stream(t, "", nil)}
	f.feed.next(t)
	f.feed.next(t)
	start := time.Now()
	f.site.Shutdown()
	f.site.Shutdown() // twice is fine
	for i, s := range streams {
		if !s.ended(2 * time.Second) {
			t.Fatalf("stream %d still open after Shutdown", i)
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("streams took %v to end", d)
	}
	res := f.open(t, "", nil)
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Errorf("after Shutdown: status %d, Retry-After %q; want 503 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
	}
	res.Body.Close()
	closeWithin(t, f.ts, 2*time.Second)
	waitFor(t, func() bool { return f.feed.openSubs() == 0 }, "every subscription is closed")
}

// Streams are capped per client address and in total.
func TestLiveCaps(t *testing.T) {
	f := newLiveFixture(t, 0, func(c *Config) {
		c.LiveMaxPerIP = 2
		c.LiveMaxTotal = 3
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	})
	from := func(ip string) http.Header { return http.Header{"X-Forwarded-For": {ip}} }
	a1 := f.stream(t, "", from("192.0.2.1"))
	f.stream(t, "", from("192.0.2.1"))
	status := func(h http.Header) int {
		res := f.open(t, "", h)
		defer res.Body.Close()
		return res.StatusCode
	}
	if got := status(from("192.0.2.1")); got != http.StatusTooManyRequests {
		t.Errorf("third stream from one address: %d, want 429", got)
	}
	// IPv6 addresses count by /64.
	f.stream(t, "", from("2001:db8:1:2::1"))
	if got := status(from("2001:db8:1:2::99")); got != http.StatusTooManyRequests {
		t.Errorf("beyond the total: %d, want 429", got)
	}
	if got := status(from("192.0.2.2")); got != http.StatusTooManyRequests {
		t.Errorf("another address beyond the total: %d, want 429", got)
	}
	// A stream that ends gives its place back.
	a1.res.Body.Close()
	waitFor(t, func() bool {
		res := f.open(t, "", from("192.0.2.2"))
		defer res.Body.Close()
		return res.StatusCode == http.StatusOK
	}, "a closed stream's place is free again")
}

func TestLiveCapsPerIPv6Network(t *testing.T) {
	l := &liveStreams{maxPerIP: 1, maxTotal: 10, perIP: map[string]int{}}
	a := liveClientKey(netip.MustParseAddr("2001:db8:1:2::1"))
	b := liveClientKey(netip.MustParseAddr("2001:db8:1:2:ffff::1"))
	c := liveClientKey(netip.MustParseAddr("2001:db8:1:3::1"))
	if a != b || a == c {
		t.Errorf("keys %q %q %q: want the first two equal, the third not", a, b, c)
	}
	if !l.acquire(a) || l.acquire(b) || !l.acquire(c) {
		t.Error("acquire: want one stream per /64")
	}
	l.release(a)
	l.release(c)
	if l.total != 0 || len(l.perIP) != 0 {
		t.Errorf("after release: total %d, perIP %v; want none", l.total, l.perIP)
	}
}

func TestLiveBadRequests(t *testing.T) {
	f := newLiveFixture(t, 0, nil)
	tests := []struct {
		name   string
		target string
		header http.Header
		want   int
	}{
		{"unknown story", "/stories/no-such-story/comments/live", nil, http.StatusNotFound},
		{"malformed Last-Event-ID", "/stories/world-older/comments/live", http.Header{"Last-Event-Id": {"abc"}}, http.StatusBadRequest},
		{"negative last_event_id", "/stories/world-older/comments/live?last_event_id=-1", nil, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", f.ts.URL+tt.target, nil)
			for k, v := range tt.header {
				req.Header[k] = v
			}
			res, err := f.ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tt.want {
				t.Errorf("status %d, want %d", res.StatusCode, tt.want)
			}
		})
	}
	if n := f.feed.openSubs(); n != 0 {
		t.Errorf("open subscriptions after refusals: %d", n)
	}
}

// Without a live feed there is no stream, and pages do not offer one.
func TestLiveOff(t *testing.T) {
	f := newCommentFixture(testAccount())
	h := f.server(t, standardPlan())
	res, _ := do(t, h, httptest.NewRequest("GET", "/stories/world-older/comments/live", nil))
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("live route without a feed: %d, want 404", res.StatusCode)
	}
	_, body := do(t, h, signedIn(httptest.NewRequest("GET", "/stories/world-older", nil)))
	checkBody(t, body, []string{`data-max-length="3000"`, `/comments.js" defer></script>`},
		[]string{`data-live-url`, `data-last-event-id`, `comments-live`})
}

var scriptTag = regexp.MustCompile(`<script src="/static/[0-9a-f]{12}/comments\.js" defer></script>`)

// The page loads comments.js, and its comment section tells it where the
// live stream is and the event to resume after, only when there are
// comments to show; the CSP stays strict.
func TestLivePage(t *testing.T) {
	f := newLiveFixture(t, 1234, nil)
	h := f.site.Handler()
	res, body := do(t, h, signedIn(httptest.NewRequest("GET", "/stories/world-older", nil)))
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	if !scriptTag.MatchString(body) {
		t.Errorf("no comments.js script tag")
	}
	checkBody(t, body, []string{
		`data-live-url="/stories/world-older/comments/live"`,
		`data-last-event-id="1234"`,
		`data-new-one="1 new comment — show it"`,
		`data-new-many="{n} new comments — show them"`,
		`data-counter="{n} of 3,000"`,
		`<div class="comments-live" aria-live="polite"></div>`,
	}, nil)
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP = %q", csp)
	}
	// The script itself is served from our origin, as JavaScript.
	src := regexp.MustCompile(`/static/[0-9a-f]{12}/comments\.js`).FindString(body)
	res, js := do(t, h, httptest.NewRequest("GET", src, nil))
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") || !strings.Contains(js, "EventSource") {
		t.Errorf("GET %s: %d %q", src, res.StatusCode, res.Header.Get("Content-Type"))
	}
	for _, bad := range []string{"eval(", "new Function", "innerHTML", "setAttribute('on", `setAttribute("on`} {
		if strings.Contains(js, bad) {
			t.Errorf("comments.js uses %q", bad)
		}
	}

	// The latest event is looked up in pages of liveCursorPage, and later
	// only after the highest ID known.
	want := [][3]int64{{worldOlderID, 0, liveCursorPage}, {worldOlderID, liveCursorPage, liveCursorPage}}
	if got := f.calls(); len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("CommentEvents calls = %v, want %v", got, want)
	}
	do(t, h, signedIn(httptest.NewRequest("GET", "/stories/world-older", nil)))
	if got := f.calls(); len(got) != 3 || got[2] != [3]int64{worldOlderID, 1234, liveCursorPage} {
		t.Errorf("second page: CommentEvents calls = %v, want one after 1234", got)
	}

	// A story the viewer may not read shows no threads: no script.
	_, body = do(t, h, httptest.NewRequest("GET", "/stories/markets-rally", nil))
	if !strings.Contains(body, `id="comments"`) {
		t.Errorf("unreadable story: no comment section (with the gate)")
	}
	if scriptTag.MatchString(body) || strings.Contains(body, "data-live-url") {
		t.Errorf("unreadable story offers the script or the live stream")
	}
}

// A failure to find the latest event does not fail the page: the live
// stream is still offered, starting when it connects.
func TestLivePageEventsFail(t *testing.T) {
	f := newLiveFixture(t, 0, nil)
	f.svc.CommentEventsFn = func(ctx context.Context, storyID, afterID int64, limit int) ([]masthead.CommentEvent, error) {
		return nil, errors.New("database is down")
	}
	res, body := do(t, f.site.Handler(), signedIn(httptest.NewRequest("GET", "/stories/world-older", nil)))
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	checkBody(t, body, []string{`data-live-url="/stories/world-older/comments/live"`}, []string{`data-last-event-id`})
}

// With comments off, no page carries the script or the data attributes.
func TestLiveCommentsOff(t *testing.T) {
	h := newPlanServer(t, planConfig(testAccount(), standardPlan(), nil))
	for _, target := range []string{"/stories/world-older", "/", "/stories/markets-rally"} {
		_, body := do(t, h, signedIn(httptest.NewRequest("GET", target, nil)))
		if strings.Contains(body, "comments.js") || strings.Contains(body, "data-live-url") || strings.Contains(body, "data-max-length") {
			t.Errorf("%s: script or comment data attributes with comments off", target)
		}
	}
	res, _ := do(t, h, httptest.NewRequest("GET", "/stories/world-older/comments/live", nil))
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("live route with comments off: %d, want 404", res.StatusCode)
	}
}
