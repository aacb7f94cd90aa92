package web

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// List pages render their main part once per cached list: the cached and
// the uncached page are the same bytes, and a change shows once the read
// cache lets go of the old list.
func TestListFragmentCache(t *testing.T) {
	stories := testStories()
	svc := fakeStories(stories)
	var now atomic.Int64
	now.Store(testNow.UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	cached := newTestServer(t, svc, Config{Now: clock}).Handler()
	uncached := newTestServer(t, svc, Config{Now: clock, StoryCacheTTL: -1, SectionsTTL: -1, FragmentCacheSize: -1}).Handler()

	for _, target := range []string{"/", "/sections/" + stories[0].Section.Slug} {
		t.Run(target, func(t *testing.T) {
			_, first := get(t, cached, target)
			_, second := get(t, cached, target)
			_, plain := get(t, uncached, target)
			if first != second || first != plain {
				t.Fatalf("cached and uncached renders differ:\n%s\n---\n%s", second, plain)
			}
		})
	}

	old := stories[0].Headline
	stories[0].Headline = "A headline written later"
	defer func() { stories[0].Headline = old }()
	_, body := get(t, cached, "/")
	if !strings.Contains(body, old) {
		t.Errorf("within the cache's time the front page changed already")
	}
	now.Add(int64(2 * time.Second))
	_, body = get(t, cached, "/")
	if !strings.Contains(body, "A headline written later") {
		t.Errorf("after the cache's time the front page still shows the old headline")
	}
}
