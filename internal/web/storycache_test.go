package web

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"masthead"
)

func TestMicroCache(t *testing.T) {
	var now atomic.Int64
	now.Store(testNow.UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	advance := func(d time.Duration) { now.Add(int64(d)) }

	var loads atomic.Int32
	var headline atomic.Value
	headline.Store("First")
	visible := atomic.Bool{}
	visible.Store(true)
	load := func(ctx context.Context, slug string) (*masthead.Story, error) {
		loads.Add(1)
		if !visible.Load() {
			return nil, masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgStoryNotFound))
		}
		return &masthead.Story{Slug: slug, Headline: headline.Load().(string)}, nil
	}
	c := &microCache[string, *masthead.Story]{ttl: time.Second, max: 2, now: clock, load: load}
	ctx := context.Background()

	read := func(slug string) string {
		t.Helper()
		st, err := c.get(ctx, slug)
		if err != nil {
			t.Fatalf("get(%q): %v", slug, err)
		}
		return st.Headline
	}

	t.Run("a fresh copy is reused within the TTL", func(t *testing.T) {
		read("a")
		headline.Store("Second")
		if got, want := read("a"), "First"; got != want {
			t.Errorf("headline = %q, want the cached %q", got, want)
		}
		if got := loads.Load(); got != 1 {
			t.Errorf("loads = %d, want 1", got)
		}
	})
	t.Run("a change shows once the TTL has passed", func(t *testing.T) {
		advance(time.Second)
		if got, want := read("a"), "Second"; got != want {
			t.Errorf("headline = %q, want %q", got, want)
		}
	})
	t.Run("not found is never cached", func(t *testing.T) {
		visible.Store(false)
		if _, err := c.get(ctx, "scheduled"); masthead.ErrorCode(err) != masthead.ENOTFOUND {
			t.Fatalf("err = %v, want not found", err)
		}
		visible.Store(true)
		if got := read("scheduled"); got != "Second" {
			t.Errorf("a story that became visible is still hidden: got %q", got)
		}
	})
	t.Run("the cache stays within its size", func(t *testing.T) {
		for _, slug := range []string{"b", "c", "d", "e"} {
			read(slug)
		}
		c.mu.RLock()
		n := len(c.entries)
		c.mu.RUnlock()
		if n > c.max {
			t.Errorf("entries = %d, want at most %d", n, c.max)
		}
	})
	t.Run("a negative TTL disables it", func(t *testing.T) {
		off := &microCache[string, *masthead.Story]{ttl: -1, max: 2, now: clock, load: load}
		before := loads.Load()
		off.get(ctx, "a")
		off.get(ctx, "a")
		if got := loads.Load() - before; got != 2 {
			t.Errorf("loads = %d, want 2", got)
		}
	})
}

func TestListKeyRoundTrip(t *testing.T) {
	after := &masthead.StoryCursor{PublishedAt: testNow, ID: 7}
	tests := []struct {
		name string
		f    masthead.StoryFilter
	}{
		{"first page", masthead.StoryFilter{Section: "news", Limit: 20}},
		{"later page", masthead.StoryFilter{Tag: "rail", After: after, Limit: 20}},
		{"author", masthead.StoryFilter{Author: "ada", Limit: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := listKeyOf(tt.f).filter()
			if got.Section != tt.f.Section || got.Tag != tt.f.Tag || got.Author != tt.f.Author || got.Limit != tt.f.Limit {
				t.Errorf("filter = %+v, want %+v", got, tt.f)
			}
			if (got.After == nil) != (tt.f.After == nil) || (got.After != nil && *got.After != *tt.f.After) {
				t.Errorf("After = %v, want %v", got.After, tt.f.After)
			}
		})
	}
	if listKeyOf(masthead.StoryFilter{Section: "a"}) == listKeyOf(masthead.StoryFilter{Section: "a", After: after}) {
		t.Error("the first page and a later page share a key")
	}
}

// Entries past their time are dropped once a TTL has passed, not only when
// the cache is full.
func TestMicroCacheDropsExpiredEntries(t *testing.T) {
	var now atomic.Int64
	now.Store(testNow.UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	load := func(ctx context.Context, k int) (int, error) { return k, nil }
	c := &microCache[int, int]{ttl: time.Second, max: 1000, now: clock, load: load}
	for k := range 50 {
		c.get(context.Background(), k)
	}
	now.Add(int64(2 * time.Second))
	c.get(context.Background(), 1000)
	c.mu.RLock()
	n := len(c.entries)
	c.mu.RUnlock()
	if n != 1 {
		t.Errorf("entries after the others expired = %d, want 1", n)
	}
}
