package main

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"masthead"
	"masthead/internal/markdown"
	"masthead/internal/sqldb"
)

// seedResult describes the newsroom written to the database.
type seedResult struct {
	Stories  int
	Elapsed  time.Duration
	Slugs    []string // every story's slug, in generation order
	Free     []string // slugs of free stories
	Sections []string // section slugs
	Bytes    int64    // total Markdown body bytes
}

// seed writes the newsroom into a fresh database at dbURL through the
// StoryService, one SaveStory per story, from workers goroutines (SaveStory
// renders Markdown before it writes, so a few workers overlap rendering with
// the single writer).
func seed(ctx context.Context, dbURL string, n, workers int, seedVal uint64, progress func(done int)) (*seedResult, error) {
	start := time.Now()
	db, err := sqldb.Open(ctx, dbURL, sqldb.Options{
		Now:      time.Now,
		Renderer: markdown.New(),
		Logger:   slog.New(slog.DiscardHandler),
	})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	stories := sqldb.NewStoryService(db)

	res := &seedResult{Stories: n}
	for _, sec := range benchSections {
		sec := sec
		if err := stories.SaveSection(ctx, &sec); err != nil {
			return nil, fmt.Errorf("save section %s: %w", sec.Slug, err)
		}
		res.Sections = append(res.Sections, sec.Slug)
	}

	// Generate every story up front, in order, so the newsroom does not
	// depend on how the workers interleave.
	r := rand.New(rand.NewPCG(seedVal, 0x6d617374))
	now := time.Now()
	all := make([]*masthead.Story, n)
	for i := range all {
		all[i] = genStory(r, i, now)
		res.Slugs = append(res.Slugs, all[i].Slug)
		if all[i].Access == masthead.AccessFree {
			res.Free = append(res.Free, all[i].Slug)
		}
		res.Bytes += int64(len(all[i].Body))
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next, done atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				s := all[i]
				if err := stories.SaveStory(ctx, s); err != nil {
					once.Do(func() {
						firstErr = fmt.Errorf("save story %d (%s): %w", i, s.Slug, err)
						cancel()
					})
					return
				}
				all[i] = nil // let the collector have it
				if d := done.Add(1); progress != nil && d%1000 == 0 {
					progress(int(d))
				}
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// pickPages chooses the pages to load from what the database holds, so that
// it works as well on a database given with -db: the first section in
// navigation order, a free story from the middle of the archive, and 100
// stories at random.
func pickPages(ctx context.Context, dbURL string, seedVal uint64) (*pickedPages, error) {
	db, err := sqldb.Open(ctx, dbURL, sqldb.Options{Now: time.Now, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	stories := sqldb.NewStoryService(db)
	secs, err := stories.FindSections(ctx)
	if err != nil {
		return nil, err
	}
	if len(secs) == 0 {
		return nil, fmt.Errorf("the database has no sections")
	}
	refs, err := stories.ListStoryRefs(ctx)
	if err != nil {
		return nil, err
	}
	if len(refs) == 0 {
		return nil, fmt.Errorf("the database has no visible stories")
	}
	p := &pickedPages{Section: secs[0].Slug}
	for i := len(refs) / 2; i < len(refs) && p.Story == ""; i++ {
		s, err := stories.FindStoryBySlug(ctx, refs[i].Slug)
		if err != nil {
			return nil, err
		}
		if s.Access == masthead.AccessFree {
			p.Story = s.Slug
		}
	}
	if p.Story == "" {
		p.Story = refs[len(refs)/2].Slug
	}
	r := rand.New(rand.NewPCG(seedVal, 100))
	for _, i := range r.Perm(len(refs))[:min(100, len(refs))] {
		p.Random = append(p.Random, refs[i].Slug)
	}
	return p, nil
}
