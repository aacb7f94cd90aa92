package web

import (
	"context"
	"sync"
	"time"

	"masthead"
)

// storyCache keeps stories that readers have just opened for a short time
// (Config.StoryCacheTTL), so that a story read by many people at once costs
// one database read per TTL instead of one per view. It is a micro-cache:
// with several instances each keeps its own, and a change made anywhere is
// seen everywhere within one TTL.
//
// Only stories that were found are kept. A story that is not visible yet is
// looked up again on every request, so a scheduled story appears the moment
// its time comes. Cached stories are shared between requests and must not be
// modified.
type storyCache struct {
	ttl  time.Duration // zero or negative: no caching
	max  int
	now  func() time.Time
	load func(ctx context.Context, slug string) (*masthead.Story, error)

	mu      sync.RWMutex
	entries map[string]cachedStory
}

type cachedStory struct {
	story   *masthead.Story
	expires time.Time
}

// get returns the visible story with the slug, from the cache when a fresh
// copy is there.
func (c *storyCache) get(ctx context.Context, slug string) (*masthead.Story, error) {
	if c.ttl <= 0 {
		return c.load(ctx, slug)
	}
	now := c.now()
	c.mu.RLock()
	e, ok := c.entries[slug]
	c.mu.RUnlock()
	if ok && now.Before(e.expires) {
		return e.story, nil
	}
	st, err := c.load(ctx, slug)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.entries == nil || len(c.entries) >= c.max {
		c.evict(now)
	}
	c.entries[slug] = cachedStory{story: st, expires: now.Add(c.ttl)}
	c.mu.Unlock()
	return st, nil
}

// evict drops expired entries, and everything if that leaves the cache
// full. c.mu must be held.
func (c *storyCache) evict(now time.Time) {
	for slug, e := range c.entries {
		if !now.Before(e.expires) {
			delete(c.entries, slug)
		}
	}
	if c.entries == nil || len(c.entries) >= c.max {
		c.entries = make(map[string]cachedStory, min(c.max, 1024))
	}
}
