package web

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"masthead"
)

// sectionCache keeps the list of sections for navigation for a short while,
// so that a page costs no extra query for it, together with the page
// fragments rendered from it (see fragments). When the entry expires, one
// request reloads it while the others keep using the old one.
type sectionCache struct {
	ttl  time.Duration // negative: no caching
	now  func() time.Time
	load func(ctx context.Context) ([]*masthead.Section, error)
	// fragmentLimit caps the story fragments one entry keeps.
	fragmentLimit int

	mu      sync.Mutex // held while reloading
	current atomic.Pointer[sectionEntry]
}

// sectionEntry is one generation of the cache: the sections, and the
// fragments rendered while they were current.
type sectionEntry struct {
	sections []*masthead.Section
	expires  time.Time
	frags    *fragments
}

func (c *sectionCache) newEntry(sections []*masthead.Section) *sectionEntry {
	return &sectionEntry{sections: sections, expires: c.now().Add(c.ttl), frags: newFragments(c.fragmentLimit)}
}

// get returns the current entry, loading it if there is none or it has
// expired. If reloading fails while an old entry exists, the old entry is
// kept and reloading is tried again by the next request.
func (c *sectionCache) get(ctx context.Context) (*sectionEntry, error) {
	if c.ttl < 0 {
		sections, err := c.load(ctx)
		if err != nil {
			return nil, err
		}
		return c.newEntry(sections), nil
	}
	e := c.current.Load()
	if e != nil && c.now().Before(e.expires) {
		return e, nil
	}
	if e != nil && !c.mu.TryLock() {
		return e, nil // someone else is reloading; serve the old entry
	}
	if e == nil {
		c.mu.Lock()
		if e = c.current.Load(); e != nil && c.now().Before(e.expires) {
			c.mu.Unlock()
			return e, nil
		}
	}
	defer c.mu.Unlock()
	sections, err := c.load(ctx)
	if err != nil {
		if e != nil {
			return e, nil
		}
		return nil, err
	}
	e = c.newEntry(sections)
	c.current.Store(e)
	return e, nil
}

// section returns the section with the slug, from the navigation cache when
// it is there and from the service otherwise.
func (s *Server) section(ctx context.Context, slug string) (*masthead.Section, error) {
	if e, err := s.sections.get(ctx); err == nil {
		for _, sec := range e.sections {
			if sec.Slug == slug {
				return sec, nil
			}
		}
	}
	return s.stories.FindSectionBySlug(ctx, slug)
}
