package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"masthead"
)

// A gated body must reach only a viewer who may read it. After a reader
// who may has read the story (filling every cache), a reader who may not
// gets no part of the gated text from any route: the page (meta, OpenGraph
// and JSON-LD included), the JSON API, the feeds, the sitemap or search.
func TestGatedBodyReachesNoOtherRoute(t *testing.T) {
	const premiumSlug = "markets-rally" // premium, body fourParagraphs
	plans := testPlans()
	h := newPlanServer(t, planConfig(testAccount(), plans[2], nil)) // the signed-in viewer is Premium

	// The Premium reader reads it first, page and API.
	for _, target := range []string{"/stories/" + premiumSlug, "/api/v1/stories/" + premiumSlug} {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		signedIn(req)
		if _, body := do(t, h, req); !strings.Contains(body, "Third paragraph, gated.") {
			t.Fatalf("%s: the Premium reader did not get the body", target)
		}
	}

	// Then an anonymous reader, with and without a spent meter.
	for _, target := range []string{
		"/stories/" + premiumSlug,
		"/api/v1/stories/" + premiumSlug,
		"/api/v1/stories",
		"/feed.rss", "/feed.atom",
		"/sections/business/feed.rss", "/sections/business/feed.atom",
		"/sections/business",
		"/sitemap.xml",
		"/search?q=markets",
		"/",
	} {
		t.Run(target, func(t *testing.T) {
			res, body := get(t, h, target)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			for _, gated := range []string{"Third paragraph, gated.", "Fourth paragraph, gated."} {
				if strings.Contains(body, gated) {
					t.Errorf("the gated text %q reached an anonymous reader", gated)
				}
			}
			if strings.HasPrefix(target, "/stories/") || strings.HasPrefix(target, "/api/v1/stories/") {
				if cc := res.Header.Get("Cache-Control"); cc != "private, no-store" {
					t.Errorf("Cache-Control %q on a per-viewer answer", cc)
				}
			}
		})
	}
}

// The anonymous meter is a site setting (Config.AnonymousMeter, from
// --anonymous-meter, which accepts any number >= 0). The signed cookie
// caps its story list at meterCookieMaxIDs (100) and treats a longer one
// as tampered, i.e. spent. A site that allows more than 100 anonymous
// reads a month must not have its anonymous readers locked out at the
// 101st.
func TestAnonymousMeterAboveCookieCap(t *testing.T) {
	const limit = 120
	stories := testStories()
	for i := 1; i <= limit; i++ {
		stories = append(stories, &masthead.Story{
			ID: int64(1000 + i), Slug: fmt.Sprintf("cap-%d", i), Headline: fmt.Sprintf("Cap %d", i),
			BodyHTML: fourParagraphs, Section: world,
			Status: masthead.StatusPublished, Access: masthead.AccessMetered, Comments: masthead.CommentsOpen,
			PublishedAt: time.Date(2026, 2, 10, 7, 0, 0, 0, time.UTC),
			UpdatedAt:   time.Date(2026, 2, 10, 7, 0, 0, 0, time.UTC),
		})
	}
	cfg := planConfig(testAccount(), testPlans()[0], nil)
	cfg.AnonymousMeter = limit
	h := newTestServer(t, fakeStories(stories), cfg).Handler()

	var cookie *http.Cookie
	for i := 1; i <= limit; i++ {
		res, body := readWithCookie(t, h, fmt.Sprintf("/stories/cap-%d", i), cookie)
		if !strings.Contains(body, gatedText) {
			t.Fatalf("read %d of an allowance of %d was refused (cookie %d bytes)", i, limit, len(cookie.Value))
		}
		if c := meterCookie(res); c != nil {
			cookie = c
		}
	}
}

// An operator may give anonymous readers no free metered stories:
// Config.AnonymousMeter NoAnonymousMeter (the CLI's --anonymous-meter 0).
// Config's own 0 means the default (3).
func TestNoAnonymousMeter(t *testing.T) {
	for _, tc := range []struct {
		name    string
		meter   int
		contain []string
		absent  []string
	}{
		{"none", NoAnonymousMeter,
			[]string{masthead.Msg("paywall.none_heading"), masthead.Msg("paywall.none_anonymous"), teaserText},
			[]string{gatedText, "free stories left"}},
		{"zero is the default", 0, []string{gatedText, "2 of 3 free stories left this month"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := planConfig(testAccount(), testPlans()[0], nil)
			cfg.AnonymousMeter = tc.meter
			h := newPlanServer(t, cfg)
			res, body := get(t, h, "/stories/m1")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			checkBody(t, body, tc.contain, tc.absent)
			if tc.meter == NoAnonymousMeter && meterCookie(res) != nil {
				t.Errorf("a refused read set the meter cookie")
			}
		})
	}
}
