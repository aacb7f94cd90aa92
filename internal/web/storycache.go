package web

import (
	"context"
	"html/template"
	"sync"
	"time"

	"masthead"
)

// microCache keeps what readers have just read for a short time
// (Config.StoryCacheTTL), so that a story or a list that many people open at
// once costs one database read per TTL instead of one per view. With several
// instances each keeps its own, and a change made anywhere is seen
// everywhere within one TTL.
//
// Only successful reads are kept. A story that is not visible yet is looked
// up again on every request, so a scheduled story's page works the moment
// its time comes (lists show it within one TTL). Cached values are shared
// between requests and must not be modified.
type microCache[K comparable, V any] struct {
	ttl  time.Duration // zero or negative: no caching
	max  int
	now  func() time.Time
	load func(ctx context.Context, key K) (V, error)

	mu      sync.RWMutex
	entries map[K]cached[V]
	// swept is when expired entries were last dropped; they are dropped
	// at most once a TTL, so the cache holds only what was read lately
	// instead of everything up to max.
	swept time.Time
}

type cached[V any] struct {
	value   V
	expires time.Time
}

func newMicroCache[K comparable, V any](cfg Config, load func(context.Context, K) (V, error)) *microCache[K, V] {
	return &microCache[K, V]{ttl: cfg.StoryCacheTTL, max: cfg.StoryCacheSize, now: cfg.Now, load: load}
}

// get returns the value for key, from the cache when a fresh copy is there.
func (c *microCache[K, V]) get(ctx context.Context, key K) (V, error) {
	return c.getWith(ctx, key, c.load)
}

// getWith is get with the loader given by the caller, for values whose
// making needs more than the key.
func (c *microCache[K, V]) getWith(ctx context.Context, key K, load func(context.Context, K) (V, error)) (V, error) {
	if c.ttl <= 0 {
		return load(ctx, key)
	}
	now := c.now()
	c.mu.RLock()
	e, ok := c.entries[key]
	c.mu.RUnlock()
	if ok && now.Before(e.expires) {
		return e.value, nil
	}
	v, err := load(ctx, key)
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.entries == nil || len(c.entries) >= c.max || now.Sub(c.swept) >= c.ttl {
		c.evict(now)
	}
	c.entries[key] = cached[V]{value: v, expires: now.Add(c.ttl)}
	c.mu.Unlock()
	return v, nil
}

// evict drops expired entries, and everything if that leaves the cache
// full. c.mu must be held.
func (c *microCache[K, V]) evict(now time.Time) {
	c.swept = now
	for k, e := range c.entries {
		if !now.Before(e.expires) {
			delete(c.entries, k)
		}
	}
	if c.entries == nil || len(c.entries) >= c.max {
		c.entries = make(map[K]cached[V], min(c.max, 1024))
	}
}

// listKey identifies one page of a story list: a StoryFilter with its
// cursor in comparable form.
type listKey struct {
	section, tag, author string
	after                masthead.StoryCursor
	hasAfter             bool
	limit                int
}

func listKeyOf(f masthead.StoryFilter) listKey {
	k := listKey{section: f.Section, tag: f.Tag, author: f.Author, limit: f.Limit}
	if f.After != nil {
		k.after, k.hasAfter = *f.After, true
	}
	return k
}

func (k listKey) filter() masthead.StoryFilter {
	f := masthead.StoryFilter{Section: k.section, Tag: k.tag, Author: k.author, Limit: k.limit}
	if k.hasAfter {
		after := k.after
		f.After = &after
	}
	return f
}

// readCaches are the micro-caches in front of the story service's reader
// lookups.
type readCaches struct {
	story  *microCache[string, *masthead.Story]
	list   *microCache[listKey, *masthead.StoryPage]
	latest *microCache[int, *latestStories]
	// anonComments holds the rendered comment section as anonymous
	// readers see it: the same for all of them.
	anonComments *microCache[anonCommentsKey, anonComments]
}

// anonComments is a rendered comment section and whether the page must
// load comments.js for it.
type anonComments struct {
	html   template.HTML
	script *commentsScript
}

// anonCommentsKey names one rendering of a story's comment section for
// anonymous readers.
type anonCommentsKey struct {
	storyID   int64
	updatedAt time.Time
	sort      masthead.CommentSort
	after     string
	readable  bool
}

// latestStories is each section's newest stories, by section slug, behind
// a pointer so that one cached value can be told from another.
type latestStories struct {
	bySection map[string][]*masthead.Story
}

func newReadCaches(cfg Config) *readCaches {
	svc := cfg.Stories
	return &readCaches{
		story: newMicroCache(cfg, svc.FindStoryBySlug),
		list: newMicroCache(cfg, func(ctx context.Context, k listKey) (*masthead.StoryPage, error) {
			return svc.FindStories(ctx, k.filter())
		}),
		anonComments: newMicroCache[anonCommentsKey, anonComments](cfg, nil),
		latest: newMicroCache(cfg, func(ctx context.Context, n int) (*latestStories, error) {
			m, err := svc.FindLatestBySection(ctx, n)
			if err != nil {
				return nil, err
			}
			return &latestStories{bySection: m}, nil
		}),
	}
}

// findStory returns the visible story with the slug.
func (c *readCaches) findStory(ctx context.Context, slug string) (*masthead.Story, error) {
	return c.story.get(ctx, slug)
}

// findStories returns a page of a story list.
func (c *readCaches) findStories(ctx context.Context, f masthead.StoryFilter) (*masthead.StoryPage, error) {
	return c.list.get(ctx, listKeyOf(f))
}

// findLatestBySection returns each section's newest stories.
func (c *readCaches) findLatestBySection(ctx context.Context, perSection int) (*latestStories, error) {
	return c.latest.get(ctx, perSection)
}
