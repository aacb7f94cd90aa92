package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"masthead"
	"masthead/internal/mock"
)

// giftCookie returns the gift cookie a response sets, or nil.
func giftCookie(res *http.Response) *http.Cookie {
	for _, c := range res.Cookies() {
		if strings.HasPrefix(c.Name, giftCookiePrefix) {
			return c
		}
	}
	return nil
}

// A ?gift= link is looked up only when it could matter, and never counted
// by a HEAD request or again by a browser that opened it a moment ago.
func TestGiftLinkLookup(t *testing.T) {
	plans := testPlans()
	staff := testAccount()
	staff.Role = masthead.RoleEditor
	good := func(ctx context.Context, token string, storyID int64) (*masthead.GiftLink, error) {
		if token == "good" {
			return &masthead.GiftLink{ID: 1, ExpiresAt: testNow.Add(24 * time.Hour)}, nil
		}
		return nil, masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgGiftLinkNotFound))
	}
	for _, tc := range []struct {
		name     string
		acct     *masthead.Account // nil: anonymous
		plan     *masthead.Plan
		method   string
		target   string
		wantOpen bool
		contain  []string
		absent   []string
	}{
		{"premium reader, premium story", testAccount(), plans[2], "GET", "/stories/markets-rally?gift=good", false,
			[]string{gatedText}, []string{masthead.Msg("gift.reading")}},
		{"premium reader, bad link", testAccount(), plans[2], "GET", "/stories/markets-rally?gift=forged", false,
			[]string{gatedText}, []string{masthead.Msg(masthead.MsgGiftLinkNotFound)}},
		{"unlimited reader, metered story", testAccount(), plans[1], "GET", "/stories/m1?gift=good", false,
			[]string{gatedText}, []string{masthead.Msg("gift.reading")}},
		{"staff", staff, plans[0], "GET", "/stories/markets-rally?gift=good", false, []string{gatedText}, nil},
		{"anonymous, premium story", nil, nil, "GET", "/stories/markets-rally?gift=good", true,
			[]string{gatedText, masthead.Msg("gift.reading")}, nil},
		{"anonymous, metered story", nil, nil, "GET", "/stories/m1?gift=good", true,
			[]string{gatedText, masthead.Msg("gift.reading")}, []string{"free stories left"}},
		{"free reader, premium story", testAccount(), plans[0], "GET", "/stories/markets-rally?gift=good", true,
			[]string{gatedText, masthead.Msg("gift.reading")}, nil},
		{"anonymous, HEAD", nil, nil, "HEAD", "/stories/markets-rally?gift=good", false, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opens := 0
			acct, plan := tc.acct, tc.plan
			if acct == nil {
				acct, plan = testAccount(), plans[0]
			}
			cfg := planConfig(acct, plan, nil)
			cfg.Gifts = &mock.GiftService{OpenGiftLinkFn: func(ctx context.Context, token string, storyID int64) (*masthead.GiftLink, error) {
				opens++
				return good(ctx, token, storyID)
			}}
			cfg.Meter = &mock.MeterService{
				ReadMeteredFn: func(ctx context.Context, accountID, storyID int64, start, end time.Time, limit int) (masthead.MeterState, bool, error) {
					return masthead.MeterState{Used: 1, Limit: limit, PeriodStart: start, PeriodEnd: end}, true, nil
				},
				MeterFn: func(ctx context.Context, accountID int64, start, end time.Time, limit int) (masthead.MeterState, error) {
					return masthead.MeterState{Limit: limit, PeriodStart: start, PeriodEnd: end}, nil
				},
			}
			h := newPlanServer(t, cfg)
			req := httptest.NewRequest(tc.method, tc.target, nil)
			if tc.acct != nil {
				signedIn(req)
			}
			res, body := do(t, h, req)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			if got, want := opens > 0, tc.wantOpen; got != want {
				t.Errorf("OpenGiftLink called %d times, want called: %v", opens, want)
			}
			if tc.method == "HEAD" && (giftCookie(res) != nil || meterCookie(res) != nil) {
				t.Errorf("a HEAD request set a cookie")
			}
			checkBody(t, body, tc.contain, tc.absent)
		})
	}

	t.Run("opened once per browser", func(t *testing.T) {
		opens := 0
		cfg := planConfig(testAccount(), plans[0], nil)
		cfg.Gifts = &mock.GiftService{OpenGiftLinkFn: func(ctx context.Context, token string, storyID int64) (*masthead.GiftLink, error) {
			opens++
			return good(ctx, token, storyID)
		}}
		h := newPlanServer(t, cfg)
		res, _ := get(t, h, "/stories/markets-rally?gift=good")
		c := giftCookie(res)
		if c == nil {
			t.Fatal("no gift cookie")
		}
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.MaxAge <= 0 || c.MaxAge > int(giftCookieLifetime.Seconds()) {
			t.Errorf("gift cookie attributes: %+v", c)
		}
		for _, tt := range []struct {
			name     string
			method   string
			target   string
			value    string
			want     []string
			absent   []string
			addOpens int
		}{
			{"reload", "GET", "/stories/markets-rally?gift=good", c.Value, []string{gatedText, masthead.Msg("gift.reading")}, nil, 0},
			{"HEAD with the cookie", "HEAD", "/stories/markets-rally?gift=good", c.Value, nil, nil, 0},
			{"another token", "GET", "/stories/markets-rally?gift=forged", c.Value, []string{masthead.Msg(masthead.MsgGiftLinkNotFound)}, []string{gatedText}, 1},
			{"forged cookie", "GET", "/stories/markets-rally?gift=good", c.Value[:strings.LastIndexByte(c.Value, '.')] + ".AAAA", []string{gatedText}, nil, 1},
		} {
			t.Run(tt.name, func(t *testing.T) {
				before := opens
				req := httptest.NewRequest(tt.method, tt.target, nil)
				req.AddCookie(&http.Cookie{Name: c.Name, Value: tt.value})
				_, body := do(t, h, req)
				if got, want := opens-before, tt.addOpens; got != want {
					t.Errorf("OpenGiftLink calls %d, want %d", got, want)
				}
				checkBody(t, body, tt.want, tt.absent)
			})
		}
	})
}

// A HEAD request renders the page as a GET would but counts nothing: no
// meter read recorded for a signed-in reader, no meter cookie for an
// anonymous one.
func TestHeadDoesNotCountMeter(t *testing.T) {
	plans := testPlans()
	for _, tc := range []struct {
		name       string
		signedIn   bool
		method     string
		used       int // the signed-in reader's meter before the read
		wantRecord bool
		wantCookie bool
		contain    []string
		absent     []string
	}{
		{"anonymous GET", false, "GET", 0, false, true, []string{gatedText}, nil},
		{"anonymous HEAD", false, "HEAD", 0, false, false, []string{gatedText, "2 of 3 free stories left this month"}, nil},
		{"signed-in GET", true, "GET", 0, true, false, []string{gatedText}, nil},
		{"signed-in HEAD", true, "HEAD", 0, false, false, []string{gatedText, "9 of 10 free stories left this month"}, nil},
		{"signed-in HEAD, spent", true, "HEAD", 10, false, false, []string{masthead.Msg("paywall.spent_heading")}, []string{gatedText}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recorded := false
			cfg := planConfig(testAccount(), plans[0], nil)
			cfg.Meter = &mock.MeterService{
				ReadMeteredFn: func(ctx context.Context, accountID, storyID int64, start, end time.Time, limit int) (masthead.MeterState, bool, error) {
					recorded = true
					return masthead.MeterState{Used: tc.used + 1, Limit: limit, PeriodStart: start, PeriodEnd: end}, true, nil
				},
				MeterFn: func(ctx context.Context, accountID int64, start, end time.Time, limit int) (masthead.MeterState, error) {
					return masthead.MeterState{Used: tc.used, Limit: limit, PeriodStart: start, PeriodEnd: end}, nil
				},
			}
			h := newPlanServer(t, cfg)
			req := httptest.NewRequest(tc.method, "/stories/m1", nil)
			if tc.signedIn {
				signedIn(req)
			}
			res, body := do(t, h, req)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			if got, want := recorded, tc.wantRecord; got != want {
				t.Errorf("ReadMetered called: %v, want %v", got, want)
			}
			if got, want := meterCookie(res) != nil, tc.wantCookie; got != want {
				t.Errorf("meter cookie set: %v, want %v", got, want)
			}
			checkBody(t, body, tc.contain, tc.absent)
		})
	}
}
