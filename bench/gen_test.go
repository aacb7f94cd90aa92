package main

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestGenStoryIsValidAndDeterministic(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	r1 := rand.New(rand.NewPCG(42, 0))
	r2 := rand.New(rand.NewPCG(42, 0))
	slugs := map[string]bool{}
	for i := range 500 {
		s := genStory(r1, i, now)
		s2 := genStory(r2, i, now)
		if s.Body != s2.Body || s.Slug != s2.Slug {
			t.Fatalf("story %d differs between two runs with one seed", i)
		}
		s.Normalize()
		if err := s.Validate(); err != nil {
			t.Fatalf("story %d (%q): %v", i, s.Slug, err)
		}
		if slugs[s.Slug] {
			t.Fatalf("story %d: slug %q repeats", i, s.Slug)
		}
		slugs[s.Slug] = true
		if n := len(strings.Fields(s.Body)); n < 550 || n > 1200 {
			t.Errorf("story %d: body has %d words, want about 600 to 1000", i, n)
		}
		if !s.Visible(now) || s.PublishedAt.Before(now.AddDate(-1, 0, -1)) {
			t.Errorf("story %d: published at %v, want within the year before %v", i, s.PublishedAt, now)
		}
	}
}
