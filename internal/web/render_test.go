package web

import (
	"strings"
	"sync"
	"testing"
)

// TestEveryPageParses parses every page template, the staff pages that are
// otherwise parsed at their first use included, and checks that only staff
// pages wait for that first use.
func TestEveryPageParses(t *testing.T) {
	s := newTestServer(t, fakeStories(testStories()), Config{})
	names, err := pageNames()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		_, eager := s.pages.byName[name]
		if staff := strings.HasPrefix(name, lazyPagePrefix); eager == staff {
			t.Errorf("page %s: parsed at start %v, want %v", name, eager, !staff)
		}
		// Several requests may be the first at once.
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				if tmpl, err := s.pages.get(name); err != nil || tmpl.Lookup("main") == nil {
					t.Errorf("page %s: %v, or no main template", name, err)
				}
			})
		}
		wg.Wait()
	}
	if _, err := s.pages.get("no-such-page"); err == nil {
		t.Error("an unknown page: got no error")
	}
}
