package web

import (
	"context"
	"html/template"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"masthead"
	"masthead/internal/mock"
)

const fourParagraphs = "<p>First paragraph.</p>\n<blockquote><p>A quote inside.</p></blockquote>\n<p>Second <em>paragraph</em>.</p>\n<p>Third paragraph, gated.</p>\n<p>Fourth paragraph, gated.</p>"

// paywallStories returns the test stories with longer bodies and four
// more metered ones (IDs 11 to 14, slugs m1 to m4).
func paywallStories() []*masthead.Story {
	stories := testStories()
	stories[0].BodyHTML = fourParagraphs // tokyo-rail-expansion, metered
	stories[2].BodyHTML = fourParagraphs // markets-rally, premium
	for i := 1; i <= 4; i++ {
		stories = append(stories, &masthead.Story{
			ID: int64(10 + i), Slug: "m" + string(rune('0'+i)), Headline: "Metered story " + string(rune('0'+i)),
			BodyHTML: fourParagraphs, Section: world,
			Status: masthead.StatusPublished, Access: masthead.AccessMetered, Comments: masthead.CommentsOpen,
			PublishedAt: time.Date(2026, 2, 10, 7, 0, 0, 0, time.UTC),
			UpdatedAt:   time.Date(2026, 2, 10, 7, 0, 0, 0, time.UTC),
		})
	}
	return stories
}

// meterCookie returns the meter cookie a response sets, or nil.
func meterCookie(res *http.Response) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == MeterCookieName {
			return c
		}
	}
	return nil
}

func readWithCookie(t *testing.T, h http.Handler, target string, c *http.Cookie) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest("GET", target, nil)
	if c != nil {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	return do(t, h, req)
}

const (
	gatedText  = "Third paragraph, gated."
	teaserText = "Second <em>paragraph</em>."
)

func TestAnonymousMeter(t *testing.T) {
	h := newPlanServer(t, planConfig(testAccount(), testPlans()[0], nil))
	var cookie *http.Cookie
	for i, want := range []string{"2 of 3 free stories left this month", "1 of 3 free stories left this month", "0 of 3 free stories left this month"} {
		target := "/stories/m" + string(rune('1'+i))
		res, body := readWithCookie(t, h, target, cookie)
		if res.StatusCode != 200 {
			t.Fatalf("%s: status %d", target, res.StatusCode)
		}
		checkBody(t, body, []string{want, gatedText, `<div class="story-body paywalled">`}, []string{`id="offer-heading"`})
		if got := res.Header.Get("Cache-Control"); got != "private, no-store" {
			t.Errorf("Cache-Control: got %q", got)
		}
		c := meterCookie(res)
		if c == nil {
			t.Fatalf("%s: no meter cookie set", target)
		}
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure {
			t.Errorf("cookie attributes: %+v", c)
		}
		if want := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC); !c.Expires.Equal(want) {
			t.Errorf("cookie expires: got %v, want %v", c.Expires, want)
		}
		cookie = c
	}

	t.Run("fourth story is gated", func(t *testing.T) {
		res, body := readWithCookie(t, h, "/stories/m4", cookie)
		if res.StatusCode != 200 {
			t.Fatalf("status %d", res.StatusCode)
		}
		checkBody(t, body, []string{
			"0 of 3 free stories left this month",
			"First paragraph.", "A quote inside.", teaserText,
			masthead.Msg("paywall.spent_heading"),
			`href="/signup?next=%2Fstories%2Fm4"`, `href="/signin?next=%2Fstories%2Fm4"`, `href="/plans"`,
			`<div class="paywalled">`,
		}, []string{gatedText, "Fourth paragraph"})
		if meterCookie(res) != nil {
			t.Errorf("a refused read set the cookie")
		}
	})
	t.Run("re-reading is free", func(t *testing.T) {
		res, body := readWithCookie(t, h, "/stories/m2", cookie)
		checkBody(t, body, []string{gatedText, "0 of 3 free stories left this month"}, []string{`id="offer-heading"`})
		if meterCookie(res) != nil {
			t.Errorf("re-reading changed the cookie")
		}
	})
	t.Run("tampered cookie counts as spent", func(t *testing.T) {
		for name, value := range map[string]string{
			"changed IDs":   strings.Replace(cookie.Value, "11-12-13", "11", 1),
			"garbage":       "not a meter",
			"bad signature": cookie.Value[:strings.LastIndexByte(cookie.Value, '.')] + ".AAAA",
			"empty":         "",
		} {
			t.Run(name, func(t *testing.T) {
				res, body := readWithCookie(t, h, "/stories/m1", &http.Cookie{Name: MeterCookieName, Value: value})
				if name == "empty" {
					// An empty cookie is no cookie: a fresh meter.
					checkBody(t, body, []string{gatedText}, nil)
					return
				}
				checkBody(t, body, []string{masthead.Msg("paywall.spent_heading"), teaserText}, []string{gatedText})
				if meterCookie(res) != nil {
					t.Errorf("tampered cookie replaced")
				}
			})
		}
	})
	t.Run("free story stays on the fast path", func(t *testing.T) {
		res, body := readWithCookie(t, h, "/stories/budget-vote", cookie)
		checkBody(t, body, []string{"The budget passed."}, []string{"free stories left"})
		if meterCookie(res) != nil || res.Header.Get("Cache-Control") != "" {
			t.Errorf("free story: cookie %v, Cache-Control %q", meterCookie(res), res.Header.Get("Cache-Control"))
		}
	})
}

func TestAnonymousMeterSecret(t *testing.T) {
	var calls atomic.Int32
	secrets := &mock.SecretService{SecretFn: func(ctx context.Context, name string) ([]byte, error) {
		calls.Add(1)
		if name != "meter-cookie" {
			t.Errorf("secret name: got %q", name)
		}
		return []byte("0123456789abcdef0123456789abcdef"), nil
	}}
	cfg := planConfig(testAccount(), testPlans()[0], nil)
	cfg.Secrets = secrets
	cfg.BaseURL = "https://news.example"
	s := newTestServer(t, fakeStories(paywallStories()), cfg)
	h := s.Handler()
	res, _ := get(t, h, "/stories/m1")
	c := meterCookie(res)
	if c == nil || !c.Secure {
		t.Fatalf("cookie over https: %+v", c)
	}
	get(t, h, "/stories/m2")
	if n := calls.Load(); n != 1 {
		t.Errorf("Secret calls: got %d, want 1", n)
	}
	// A cookie of last month, validly signed, counts nothing now.
	key := []byte("0123456789abcdef0123456789abcdef")
	old := signMeter(key, time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), []int64{11, 12, 13})
	res, body := readWithCookie(t, h, "/stories/m4", &http.Cookie{Name: MeterCookieName, Value: old})
	checkBody(t, body, []string{gatedText, "2 of 3 free stories left this month"}, nil)
	if c := meterCookie(res); c == nil || !strings.HasPrefix(c.Value, "v1.1772323200.14.") {
		t.Errorf("new month's cookie: %+v", c)
	}
}

func TestRegisteredMeter(t *testing.T) {
	acct := testAccount()
	acct.CreatedAt = time.Date(2025, 1, 31, 10, 0, 0, 0, time.UTC)
	free := testPlans()[0]
	tests := []struct {
		name        string
		used        int
		allowed     bool
		contain     []string
		absent      []string
		wantMeterFn bool
	}{
		{"within the meter", 8, true, []string{"2 of 10 free stories left this month", gatedText}, []string{`id="offer-heading"`}, true},
		{"spent", 10, false, []string{"0 of 10 free stories left this month", teaserText, masthead.Msg("paywall.spent", 10, "31 March 2026"), `href="/plans"`},
			[]string{gatedText, "/signup?next"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var gotStart, gotEnd time.Time
			var gotLimit int
			var gotStory int64
			cfg := planConfig(acct, free, nil)
			cfg.Meter = &mock.MeterService{ReadMeteredFn: func(ctx context.Context, accountID, storyID int64, start, end time.Time, limit int) (masthead.MeterState, bool, error) {
				gotStart, gotEnd, gotLimit, gotStory = start, end, limit, storyID
				return masthead.MeterState{Used: tt.used, Limit: limit, PeriodStart: start, PeriodEnd: end}, tt.allowed, nil
			}}
			h := newPlanServer(t, cfg)
			res, body := do(t, h, signedIn(httptest.NewRequest("GET", "/stories/tokyo-rail-expansion", nil)))
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			if got := res.Header.Get("Cache-Control"); got != "private, no-store" {
				t.Errorf("Cache-Control: got %q", got)
			}
			wantStart, wantEnd := masthead.MeterPeriod(acct.CreatedAt, testNow, time.UTC)
			if !gotStart.Equal(wantStart) || !gotEnd.Equal(wantEnd) || gotLimit != 10 || gotStory != 3 {
				t.Errorf("ReadMetered(%v, %v, limit %d, story %d), want (%v, %v, 10, 3)", gotStart, gotEnd, gotLimit, gotStory, wantStart, wantEnd)
			}
			if meterCookie(res) != nil {
				t.Errorf("signed-in reader got a meter cookie")
			}
			checkBody(t, body, tt.contain, tt.absent)
		})
	}
	t.Run("unlimited plan has no counter and no meter", func(t *testing.T) {
		standard := testPlans()[1]
		cfg := planConfig(acct, standard, &masthead.Subscription{Plan: standard, Status: masthead.SubActive})
		cfg.Meter = &mock.MeterService{} // any call panics
		h := newPlanServer(t, cfg)
		_, body := do(t, h, signedIn(httptest.NewRequest("GET", "/stories/tokyo-rail-expansion", nil)))
		checkBody(t, body, []string{gatedText}, []string{"free stories left", `id="offer-heading"`})
	})
}

func TestPremiumStory(t *testing.T) {
	plans := testPlans()
	tests := []struct {
		name     string
		plan     *masthead.Plan
		role     masthead.Role
		signedIn bool
		contain  []string
		absent   []string
	}{
		{"anonymous", nil, "", false, []string{masthead.Msg("paywall.premium"), teaserText, `href="/signup?next=%2Fstories%2Fmarkets-rally"`}, []string{gatedText}},
		{"free plan", plans[0], masthead.RoleSubscriber, true, []string{masthead.Msg("paywall.premium"), teaserText, `href="/plans"`}, []string{gatedText, "/signup?next"}},
		{"standard plan", plans[1], masthead.RoleSubscriber, true, []string{masthead.Msg("paywall.premium")}, []string{gatedText}},
		{"premium plan", plans[2], masthead.RoleSubscriber, true, []string{gatedText, `<form class="gift-form" action="/stories/markets-rally/gift" method="post">`, "for 14 days"}, []string{`id="offer-heading"`}},
		{"staff on free plan", plans[0], masthead.RoleEditor, true, []string{gatedText}, []string{`id="offer-heading"`, "gift-form"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			acct := testAccount()
			acct.Role = tt.role
			cfg := planConfig(acct, tt.plan, nil)
			cfg.Gifts = &mock.GiftService{}
			h := newPlanServer(t, cfg)
			req := httptest.NewRequest("GET", "/stories/markets-rally", nil)
			if tt.signedIn {
				signedIn(req)
			}
			res, body := do(t, h, req)
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			checkBody(t, body, tt.contain, tt.absent)
		})
	}
}

func TestGiftLinkRead(t *testing.T) {
	var opened []string
	cfg := planConfig(testAccount(), testPlans()[0], nil)
	cfg.Gifts = &mock.GiftService{OpenGiftLinkFn: func(ctx context.Context, token string, storyID int64) (*masthead.GiftLink, error) {
		opened = append(opened, token)
		switch {
		case token == "good" && storyID == 1:
			return &masthead.GiftLink{ID: 1, ExpiresAt: testNow.Add(time.Hour)}, nil
		case token == "old":
			return nil, masthead.Errorf(masthead.EFORBIDDEN, "%s", masthead.Msg(masthead.MsgGiftLinkExpired))
		}
		return nil, masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgGiftLinkNotFound))
	}}
	h := newPlanServer(t, cfg)
	tests := []struct {
		target  string
		contain []string
		absent  []string
	}{
		{"/stories/markets-rally?gift=good", []string{gatedText, masthead.Msg("gift.reading")}, []string{`id="offer-heading"`}},
		{"/stories/markets-rally?gift=old", []string{masthead.Msg(masthead.MsgGiftLinkExpired), masthead.Msg("paywall.premium")}, []string{gatedText}},
		{"/stories/markets-rally?gift=forged", []string{masthead.Msg(masthead.MsgGiftLinkNotFound)}, []string{gatedText}},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			res, body := get(t, h, tt.target)
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			if meterCookie(res) != nil {
				t.Errorf("gift read set a meter cookie")
			}
			checkBody(t, body, tt.contain, tt.absent)
		})
	}
	if len(opened) != 3 {
		t.Errorf("OpenGiftLink calls: got %q", opened)
	}
}

func TestCreateGiftLink(t *testing.T) {
	plans := testPlans()
	acct := testAccount()
	expires := time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)
	// giftsNoPremium gives gift links but cannot read premium stories.
	giftsNoPremium := &masthead.Plan{ID: 6, Slug: "gifts", Name: "Gifts", Visible: true,
		Entitlements: masthead.Entitlements{MeteredPerMonth: masthead.Unlimited, GiftLinksPerMonth: 5}}
	tests := []struct {
		name        string
		plan        *masthead.Plan
		signedIn    bool
		slug        string
		createErr   error
		wantStatus  int
		wantContain []string
		wantCall    bool
	}{
		{"signed out", plans[2], false, "markets-rally", nil, 303, nil, false},
		{"premium", plans[2], true, "markets-rally", nil, 200, []string{`value="http://example.test/stories/markets-rally?gift=tok%2Fen"`, "until 15 March 2026", `href="/account/gifts"`}, true},
		{"spent", plans[2], true, "markets-rally", masthead.Errorf(masthead.EFORBIDDEN, "spent"), 403,
			[]string{template.HTMLEscapeString(masthead.Msg(masthead.MsgGiftLinksSpent, 5, "26 March 2026"))}, true},
		{"plan without gift links", plans[1], true, "markets-rally", nil, 403, []string{masthead.Msg(masthead.MsgGiftLinksNotIncluded)}, false},
		{"free story", plans[2], true, "budget-vote", nil, 400, []string{masthead.Msg(masthead.MsgGiftStoryNotGiftable)}, false},
		{"premium story, plan without premium", giftsNoPremium, true, "markets-rally", nil, 403, []string{masthead.Msg(masthead.MsgGiftStoryNotReadable)}, false},
		{"metered story, plan without premium", giftsNoPremium, true, "m1", nil, 200, []string{`value="http://example.test/stories/m1?gift=tok%2Fen"`}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			called := false
			cfg := planConfig(acct, tt.plan, nil)
			cfg.Gifts = &mock.GiftService{CreateGiftLinkFn: func(ctx context.Context, accountID int64, slug string, limit int, start, end time.Time, lifetime time.Duration) (*masthead.GiftLink, error) {
				called = true
				wantStart, wantEnd := masthead.MeterPeriod(acct.CreatedAt, testNow, time.UTC)
				if accountID != 7 || slug != tt.slug || limit != 5 || !start.Equal(wantStart) || !end.Equal(wantEnd) || lifetime != masthead.DefaultGiftLinkLifetime {
					t.Errorf("CreateGiftLink(%d, %q, %d, %v, %v, %v)", accountID, slug, limit, start, end, lifetime)
				}
				if tt.createErr != nil {
					return nil, tt.createErr
				}
				return &masthead.GiftLink{ID: 1, Token: "tok/en", ExpiresAt: expires, CreatedAt: testNow}, nil
			}}
			h := newPlanServer(t, cfg)
			req := postForm("/stories/"+tt.slug+"/gift", nil)
			if tt.signedIn {
				signedIn(req)
			}
			res, body := do(t, h, req)
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status: got %d, want %d", res.StatusCode, tt.wantStatus)
			}
			if !tt.signedIn && res.Header.Get("Location") != "/signin?next=%2Fstories%2Fmarkets-rally" {
				t.Errorf("Location: got %q", res.Header.Get("Location"))
			}
			if called != tt.wantCall {
				t.Errorf("CreateGiftLink called: got %v, want %v", called, tt.wantCall)
			}
			checkBody(t, body, tt.wantContain, nil)
		})
	}
}

func TestGiftLinksPage(t *testing.T) {
	premium := testPlans()[2]
	cfg := planConfig(testAccount(), premium, nil)
	cfg.Gifts = &mock.GiftService{GiftLinksFn: func(ctx context.Context, id int64) ([]*masthead.GiftLink, error) {
		return []*masthead.GiftLink{
			{ID: 2, Story: &masthead.Story{Slug: "markets-rally", Headline: "Markets <rally>"}, CreatedAt: testNow.Add(-time.Hour), ExpiresAt: testNow.Add(13 * 24 * time.Hour), Opens: 3},
			{ID: 1, Story: &masthead.Story{Slug: "m1", Headline: "Metered story 1"}, CreatedAt: testNow.AddDate(0, 0, -20), ExpiresAt: testNow.AddDate(0, 0, -6), Opens: 1},
		}, nil
	}}
	h := newPlanServer(t, cfg)
	res, body := do(t, h, signedIn(httptest.NewRequest("GET", "/account/gifts", nil)))
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	checkBody(t, body, []string{
		`aria-current="page">Gift links`, `<a href="/stories/markets-rally">Markets &lt;rally&gt;</a>`, "14 March 2026", "Opened 3 times",
		"Expired on 23 February 2026", "Opened once",
	}, nil)
	_, body = do(t, h, signedIn(httptest.NewRequest("GET", "/account", nil)))
	checkBody(t, body, []string{`href="/account/gifts"`, "<dd>Premium</dd>"}, nil)
}

func TestPaywallJSONLD(t *testing.T) {
	h := newPlanServer(t, planConfig(testAccount(), testPlans()[0], nil))
	for _, tt := range []struct {
		slug     string
		wantPart bool
	}{{"tokyo-rail-expansion", true}, {"markets-rally", true}, {"budget-vote", false}} {
		t.Run(tt.slug, func(t *testing.T) {
			_, body := get(t, h, "/stories/"+tt.slug)
			ld := jsonLD(t, body)
			part, ok := ld["hasPart"].(map[string]any)
			if ok != tt.wantPart {
				t.Fatalf("hasPart: got %v", ld["hasPart"])
			}
			if !ok {
				return
			}
			if ld["isAccessibleForFree"] != false || part["@type"] != "WebPageElement" || part["isAccessibleForFree"] != false || part["cssSelector"] != ".paywalled" {
				t.Errorf("JSON-LD: %v", ld)
			}
			if !strings.Contains(body, `class="paywalled"`) && !strings.Contains(body, `paywalled">`) {
				t.Errorf("no .paywalled element")
			}
		})
	}
}

func TestAPIStoryAccess(t *testing.T) {
	h := newPlanServer(t, planConfig(testAccount(), testPlans()[0], nil))
	res, body := get(t, h, "/api/v1/stories/m1")
	checkBody(t, body, []string{`"readable":true`, `"meter":{"used":1,"limit":3,"remaining":2,"period_end":"2026-04-01T00:00:00Z"}`, `"body_html":`}, []string{"teaser_html"})
	if res.Header.Get("Cache-Control") != "private, no-store" || meterCookie(res) == nil {
		t.Errorf("API read: Cache-Control %q, cookie %v", res.Header.Get("Cache-Control"), meterCookie(res))
	}
	_, body = get(t, h, "/api/v1/stories/markets-rally")
	checkBody(t, body, []string{`"readable":false`, `"access":"premium"`, `"teaser_html":"\u003cp\u003eFirst paragraph.`}, []string{"body_html", "Third paragraph", `"meter"`})
	_, body = get(t, h, "/api/v1/stories/budget-vote")
	checkBody(t, body, []string{`"readable":true`, `"body_html":"\u003cp\u003eThe budget passed.\u003c/p\u003e"`}, []string{`"meter"`})
}

func TestTeaserHTML(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"four", fourParagraphs, "<p>First paragraph.</p>\n<blockquote><p>A quote inside.</p></blockquote>\n<p>Second <em>paragraph</em>.</p>"},
		{"headings and lists", "<h2>Intro</h2><p>One<br>line.</p><ul><li><p>item</p></li></ul><img src=\"a.png\" alt=\"\"><p>Two.</p><p>Three.</p>", "<h2>Intro</h2><p>One<br>line.</p><ul><li><p>item</p></li></ul><img src=\"a.png\" alt=\"\"><p>Two.</p>"},
		{"two paragraphs keep one", "<p>One.</p>\n<p>Two.</p>\n", "<p>One.</p>"},
		{"one paragraph shows nothing", "<p>Only.</p>", ""},
		{"comment", "<!-- <p>x</p> --><p>One.</p><p>Two.</p><p>Three.</p>", "<!-- <p>x</p> --><p>One.</p><p>Two.</p>"},
		{"no paragraphs", "<div>text</div>", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := teaserHTML(tt.body, 2); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMeterCookieSignature(t *testing.T) {
	key := []byte("0123456789abcdef")
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	v := signMeter(key, start, []int64{3, 11})
	gotStart, ids, ok := parseMeter(key, v, DefaultAnonymousMeter)
	if !ok || !gotStart.Equal(start) || len(ids) != 2 || ids[0] != 3 || ids[1] != 11 {
		t.Errorf("round trip: %v %v %v", gotStart, ids, ok)
	}
	if _, _, ok := parseMeter([]byte("another key 0000"), v, DefaultAnonymousMeter); ok {
		t.Errorf("accepted with another key")
	}
	if _, ids, ok := parseMeter(key, signMeter(key, start, nil), DefaultAnonymousMeter); !ok || len(ids) != 0 {
		t.Errorf("empty meter: %v %v", ids, ok)
	}
}
