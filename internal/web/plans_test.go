package web

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"masthead"
	"masthead/internal/mock"
)

// testPlans returns fresh plans: Free, Standard, Premium, one priced in
// yen and an archived one.
func testPlans() []*masthead.Plan {
	return []*masthead.Plan{
		{ID: 1, Slug: "free", Name: "Free", Free: true, Visible: true, Position: 1,
			Entitlements: masthead.Entitlements{MeteredPerMonth: 10}},
		{ID: 2, Slug: "standard", Name: "Standard", Visible: true, Position: 2,
			Description: "Read without limits and join the conversation.",
			Prices: []masthead.Price{
				{Interval: masthead.IntervalMonth, Amount: 900, Currency: "EUR", StripePriceID: "price_std_m"},
				{Interval: masthead.IntervalYear, Amount: 9000, Currency: "EUR", StripePriceID: "price_std_y"},
			},
			Entitlements: masthead.Entitlements{Comment: true, MeteredPerMonth: masthead.Unlimited}},
		{ID: 3, Slug: "premium", Name: "Premium", Visible: true, Position: 3, TrialDays: 14,
			Prices: []masthead.Price{
				{Interval: masthead.IntervalMonth, Amount: 1500, Currency: "EUR", StripePriceID: "price_prem_m"},
				{Interval: masthead.IntervalYear, Amount: 123456, Currency: "EUR", StripePriceID: "price_prem_y"},
			},
			Entitlements: masthead.Entitlements{Comment: true, ReadPremium: true, MeteredPerMonth: masthead.Unlimited, GiftLinksPerMonth: 5}},
		{ID: 4, Slug: "tokyo", Name: "Tokyo edition", Visible: true, Position: 4,
			Prices:       []masthead.Price{{Interval: masthead.IntervalMonth, Amount: 1200, Currency: "JPY", StripePriceID: "price_jp"}},
			Entitlements: masthead.Entitlements{MeteredPerMonth: masthead.Unlimited}},
		{ID: 5, Slug: "old", Name: "Old plan", Archived: true, Position: 5,
			Entitlements: masthead.Entitlements{MeteredPerMonth: masthead.Unlimited}},
	}
}

func planBySlug(plans []*masthead.Plan, slug string) *masthead.Plan {
	for _, p := range plans {
		if p.Slug == slug {
			return p
		}
	}
	return nil
}

// fakePlans returns a mock plan service over plans; saved plans are
// appended to *saved.
func fakePlans(plans []*masthead.Plan) *mock.PlanService {
	return &mock.PlanService{
		FindPlansFn: func(ctx context.Context, archived bool) ([]*masthead.Plan, error) {
			var out []*masthead.Plan
			for _, p := range plans {
				if archived || !p.Archived {
					out = append(out, p)
				}
			}
			return out, nil
		},
		FindPlanBySlugFn: func(ctx context.Context, slug string) (*masthead.Plan, error) {
			if p := planBySlug(plans, slug); p != nil {
				return p, nil
			}
			return nil, notFound(masthead.MsgPlanNotFound)
		},
		FreePlanFn: func(ctx context.Context) (*masthead.Plan, error) { return plans[0], nil },
	}
}

// fakeSubs returns a mock subscription service in which every account is
// on plan with the subscription sub (nil: none).
func fakeSubs(plan *masthead.Plan, sub *masthead.Subscription) *mock.SubscriptionService {
	return &mock.SubscriptionService{
		EffectivePlanFn: func(ctx context.Context, id int64) (*masthead.Plan, *masthead.Subscription, error) {
			return plan, sub, nil
		},
		CurrentSubscriptionFn: func(ctx context.Context, id int64) (*masthead.Subscription, error) {
			if sub == nil {
				return nil, masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgSubscriptionNotFound))
			}
			return sub, nil
		},
		StripeCustomerFn: func(ctx context.Context, id int64) (string, error) {
			if sub == nil {
				return "", nil
			}
			return sub.StripeCustomerID, nil
		},
		SubscriptionEventsFn: func(ctx context.Context, id int64) ([]*masthead.SubscriptionEvent, error) { return nil, nil },
	}
}

// fakeBilling is a Billing whose methods call its function fields.
type fakeBilling struct {
	CheckoutFn     func(ctx context.Context, a *masthead.Account, p *masthead.Plan, interval masthead.Interval, customerID string) (string, error)
	PortalFn       func(ctx context.Context, customerID string) (string, error)
	ParseWebhookFn func(payload []byte, signature string) (masthead.StripeEvent, error)
}

func (b *fakeBilling) Checkout(ctx context.Context, a *masthead.Account, p *masthead.Plan, interval masthead.Interval, customerID string) (string, error) {
	return b.CheckoutFn(ctx, a, p, interval, customerID)
}
func (b *fakeBilling) Portal(ctx context.Context, customerID string) (string, error) {
	return b.PortalFn(ctx, customerID)
}
func (b *fakeBilling) ParseWebhook(payload []byte, signature string) (masthead.StripeEvent, error) {
	return b.ParseWebhookFn(payload, signature)
}

// planConfig returns a config with accounts (acct signed in by testToken),
// the test plans, and acct on plan with sub.
func planConfig(acct *masthead.Account, plan *masthead.Plan, sub *masthead.Subscription) Config {
	return Config{
		Accounts:      fakeAccounts(acct),
		Plans:         fakePlans(testPlans()),
		Subscriptions: fakeSubs(plan, sub),
	}
}

func newPlanServer(t testing.TB, cfg Config) http.Handler {
	t.Helper()
	return newTestServer(t, fakeStories(paywallStories()), cfg).Handler()
}

func checkBody(t *testing.T, body string, contain, absent []string) {
	t.Helper()
	for _, want := range contain {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q", want)
		}
	}
	for _, bad := range absent {
		if strings.Contains(body, bad) {
			t.Errorf("body contains %q", bad)
		}
	}
	if t.Failed() {
		t.Logf("body:\n%s", body)
	}
}

func TestPlansPage(t *testing.T) {
	plans := testPlans()
	billing := &fakeBilling{}
	tests := []struct {
		name     string
		billing  Billing
		signedIn bool
		contain  []string
		absent   []string
	}{
		{"without billing", nil, false, []string{
			masthead.Msg("plans.no_billing"),
			"<h2 id=\"plan-standard\">Standard</h2>", "€9.00 a month", "€90.00 a year", "€1,234.56 a year", "¥1,200 a month",
			"Read without limits and join the conversation.",
			"Unlimited subscriber stories", "10 subscriber stories a month", "Commenting on stories", "Premium stories",
			"5 gift links a month, to share stories with anyone", "A 14-day free trial",
		}, []string{"/subscribe", "Old plan", masthead.Msg("plans.current"), "¥1,200.00"}},
		{"with billing, signed out", billing, false, []string{
			`<form class="subscribe-form" action="/plans/premium/subscribe" method="post">`,
			`<input type="hidden" name="interval" value="year">`,
			"Subscribe to Premium monthly", "Subscribe to Standard annually",
		}, []string{masthead.Msg("plans.no_billing"), `action="/plans/free/subscribe"`, masthead.Msg("plans.current")}},
		{"with billing, on Standard", billing, true, []string{
			`<li class="plan plan-current">`, masthead.Msg("plans.current"),
			`action="/plans/premium/subscribe"`,
		}, []string{`action="/plans/standard/subscribe"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := planConfig(testAccount(), plans[1], &masthead.Subscription{Plan: plans[1], Status: masthead.SubActive})
			cfg.Billing = tt.billing
			h := newPlanServer(t, cfg)
			req := httptest.NewRequest("GET", "/plans", nil)
			if tt.signedIn {
				signedIn(req)
			}
			res, body := do(t, h, req)
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			if tt.signedIn {
				i := strings.Index(body, masthead.Msg("plans.current"))
				if i < 0 || !strings.Contains(body[:i], `id="plan-standard"`) || strings.Contains(body[:i], `id="plan-premium"`) {
					t.Errorf("current plan not marked on Standard")
				}
			}
			checkBody(t, body, tt.contain, tt.absent)
		})
	}
}

func TestPlansOff(t *testing.T) {
	h := newAccountServer(t, fakeAccounts(testAccount()), Config{})
	for _, target := range []string{"/plans", "/admin/plans", "/account/gifts"} {
		if res, _ := do(t, h, signedIn(httptest.NewRequest("GET", target, nil))); res.StatusCode != 404 {
			t.Errorf("%s with plans off: got %d, want 404", target, res.StatusCode)
		}
	}
	if res, _ := do(t, h, postForm("/webhooks/stripe", nil)); res.StatusCode != 404 {
		t.Errorf("webhook with plans off: got %d, want 404", res.StatusCode)
	}
}

func TestSubscribe(t *testing.T) {
	plans := testPlans()
	type call struct {
		plan, interval, customer string
		account                  int64
	}
	tests := []struct {
		name         string
		slug         string
		interval     string
		signedIn     bool
		sub          *masthead.Subscription
		checkoutErr  error
		wantStatus   int
		wantLocation string
		wantCall     *call
		wantContain  string
	}{
		{"signed out", "premium", "month", false, nil, nil, 303, "/signin?next=%2Fplans", nil, ""},
		{"monthly", "premium", "month", true, nil, nil, 303, "https://checkout.stripe.test/c/premium-month", &call{"premium", "month", "", 7}, ""},
		{"annual, existing customer", "standard", "year", true,
			&masthead.Subscription{Plan: plans[1], Status: masthead.SubExpired, StripeCustomerID: "cus_1", StripeSubscriptionID: "sub_1"},
			nil, 303, "https://checkout.stripe.test/c/standard-year", &call{"standard", "year", "cus_1", 7}, ""},
		{"bad interval", "premium", "week", true, nil, nil, 400, "", nil, masthead.Msg("plans.interval_invalid")},
		{"unknown plan", "gold", "month", true, nil, nil, 404, "", nil, masthead.Msg(masthead.MsgPlanNotFound)},
		{"free plan", "free", "month", true, nil, nil, 400, "", nil, masthead.Msg("plans.not_for_sale")},
		{"archived plan", "old", "month", true, nil, nil, 400, "", nil, masthead.Msg("plans.not_for_sale")},
		{"no such price", "tokyo", "year", true, nil, nil, 400, "", nil, masthead.Msg("plans.not_for_sale")},
		{"already subscribed", "premium", "month", true,
			&masthead.Subscription{Plan: plans[1], Status: masthead.SubActive, StripeCustomerID: "cus_1", StripeSubscriptionID: "sub_1", CurrentPeriodEnd: testNow.AddDate(0, 1, 0)},
			nil, 409, "", nil, masthead.Msg("plans.already_subscribed")},
		{"checkout fails", "premium", "month", true, nil, errors.New("stripe: connection refused"), 502, "", &call{"premium", "month", "", 7}, masthead.Msg("plans.checkout_failed")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *call
			cfg := planConfig(testAccount(), plans[0], tt.sub)
			cfg.Billing = &fakeBilling{CheckoutFn: func(ctx context.Context, a *masthead.Account, p *masthead.Plan, iv masthead.Interval, customer string) (string, error) {
				got = &call{p.Slug, string(iv), customer, a.ID}
				if tt.checkoutErr != nil {
					return "", tt.checkoutErr
				}
				return "https://checkout.stripe.test/c/" + p.Slug + "-" + string(iv), nil
			}}
			h := newPlanServer(t, cfg)
			req := postForm("/plans/"+tt.slug+"/subscribe", url.Values{"interval": {tt.interval}})
			if tt.signedIn {
				signedIn(req)
			}
			res, body := do(t, h, req)
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status: got %d, want %d", res.StatusCode, tt.wantStatus)
			}
			if loc := res.Header.Get("Location"); loc != tt.wantLocation {
				t.Errorf("Location: got %q, want %q", loc, tt.wantLocation)
			}
			if (got == nil) != (tt.wantCall == nil) || (got != nil && *got != *tt.wantCall) {
				t.Errorf("Checkout call: got %+v, want %+v", got, tt.wantCall)
			}
			if tt.wantContain != "" {
				checkBody(t, body, []string{tt.wantContain, `<h1>Plans</h1>`}, []string{"connection refused"})
			}
		})
	}
}

func TestCheckoutReturnPages(t *testing.T) {
	h := newPlanServer(t, planConfig(testAccount(), testPlans()[0], nil))
	_, body := do(t, h, signedIn(httptest.NewRequest("GET", "/plans/success", nil)))
	checkBody(t, body, []string{masthead.Msg("plans.success"), `href="/account/subscription"`}, nil)
	_, body = do(t, h, httptest.NewRequest("GET", "/plans/cancel", nil))
	checkBody(t, body, []string{masthead.Msg("plans.cancelled"), `href="/plans"`}, nil)
}

func TestStripeWebhook(t *testing.T) {
	good := masthead.StripeEvent{ID: "evt_1", Type: "customer.subscription.updated", SubscriptionID: "sub_1", HasSubscriptionState: true}
	tests := []struct {
		name       string
		signature  string
		header     map[string]string
		applyErr   error
		applied    bool
		wantStatus int
		wantApply  bool
		wantBody   string
	}{
		{"bad signature", "t=1,v1=bad", nil, nil, false, 400, false, `"code":"invalid"`},
		{"no signature", "", nil, nil, false, 400, false, `"code":"invalid"`},
		{"good", "t=1,v1=good", nil, nil, true, 200, true, `{"received":true}`},
		{"duplicate", "t=1,v1=good", nil, nil, false, 200, true, `{"received":true}`},
		{"storage fails", "t=1,v1=good", nil, errors.New("database is locked"), false, 500, true, `"code":"internal"`},
		// Stripe sends neither Origin nor Sec-Fetch-Site; a cross-origin
		// check must not refuse it, and a session cookie means nothing.
		{"with a stray cookie and no origin headers", "t=1,v1=good", map[string]string{"Cookie": InsecureSessionCookieName + "=" + testToken}, nil, true, 200, true, `{"received":true}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var applied []masthead.StripeEvent
			var payload string
			cfg := planConfig(testAccount(), testPlans()[0], nil)
			accounts := cfg.Accounts.(*mock.AccountService)
			accounts.AuthenticateFn = func(ctx context.Context, token string, c masthead.Client) (*masthead.Account, *masthead.Session, error) {
				t.Errorf("webhook looked up a session")
				return nil, nil, masthead.Errorf(masthead.EUNAUTHORIZED, "no")
			}
			subs := cfg.Subscriptions.(*mock.SubscriptionService)
			subs.ApplyStripeEventFn = func(ctx context.Context, ev masthead.StripeEvent) (bool, error) {
				mu.Lock()
				defer mu.Unlock()
				applied = append(applied, ev)
				return tt.applied, tt.applyErr
			}
			cfg.Billing = &fakeBilling{ParseWebhookFn: func(p []byte, sig string) (masthead.StripeEvent, error) {
				payload = string(p)
				if sig != "t=1,v1=good" {
					return masthead.StripeEvent{}, errors.New("billing: signature mismatch")
				}
				return good, nil
			}}
			h := newPlanServer(t, cfg)
			req := httptest.NewRequest("POST", "/webhooks/stripe", strings.NewReader(`{"id":"evt_1"}`))
			req.Header.Set("Content-Type", "application/json")
			if tt.signature != "" {
				req.Header.Set("Stripe-Signature", tt.signature)
			}
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			res, body := do(t, h, req)
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status: got %d, want %d", res.StatusCode, tt.wantStatus)
			}
			if !strings.Contains(body, tt.wantBody) {
				t.Errorf("body: got %s, want it to contain %s", body, tt.wantBody)
			}
			if payload != `{"id":"evt_1"}` {
				t.Errorf("payload passed on: got %q", payload)
			}
			if got := len(applied) > 0; got != tt.wantApply {
				t.Errorf("ApplyStripeEvent called: got %v, want %v", got, tt.wantApply)
			}
			if tt.wantApply && (len(applied) != 1 || applied[0].ID != "evt_1") {
				t.Errorf("applied: got %+v", applied)
			}
		})
	}
	t.Run("cross-site browser post refused", func(t *testing.T) {
		cfg := planConfig(testAccount(), testPlans()[0], nil)
		cfg.Billing = &fakeBilling{}
		h := newPlanServer(t, cfg)
		req := httptest.NewRequest("POST", "/webhooks/stripe", strings.NewReader(`{}`))
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if res, _ := do(t, h, req); res.StatusCode != 403 {
			t.Errorf("status: got %d, want 403", res.StatusCode)
		}
	})
}

func TestSubscriptionPage(t *testing.T) {
	plans := testPlans()
	free, standard, premium := plans[0], plans[1], plans[2]
	end := time.Date(2026, 3, 28, 0, 0, 0, 0, time.UTC)
	past := time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC)
	portal := `action="/account/subscription/portal"`
	tests := []struct {
		state   string
		plan    *masthead.Plan
		sub     *masthead.Subscription
		contain []string
		absent  []string
	}{
		{"free", free, nil, []string{
			"<h2 id=\"plan-heading\">Free</h2>", "You are on the Free plan.", "10 subscriber stories a month",
			`href="/plans">See plans and upgrade`,
		}, []string{portal}},
		{"trialing", premium, &masthead.Subscription{Plan: premium, Status: masthead.SubTrialing, CurrentPeriodEnd: end, StripeCustomerID: "cus_1"}, []string{
			"You are trying Premium free until 28 March 2026.", "Premium stories", portal, "Cancel your subscription", "Manage billing",
		}, []string{"See plans and upgrade", "Resume"}},
		{"active", standard, &masthead.Subscription{Plan: standard, Status: masthead.SubActive, CurrentPeriodEnd: end, StripeCustomerID: "cus_1"}, []string{
			"Your Standard subscription is active and renews on 28 March 2026.", "Commenting on stories", portal, "Cancel your subscription", "Manage billing",
		}, []string{"See plans and upgrade", "Resume"}},
		{"past_due", standard, &masthead.Subscription{Plan: standard, Status: masthead.SubPastDue, CurrentPeriodEnd: past, GraceEnd: time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC), StripeCustomerID: "cus_1"}, []string{
			"Your last payment for Standard failed. Please update your card: you keep your plan until 5 March 2026.", "Update your card", portal,
		}, []string{"Cancel your subscription", "See plans and upgrade"}},
		{"cancelled", premium, &masthead.Subscription{Plan: premium, Status: masthead.SubCancelled, CurrentPeriodEnd: end, StripeCustomerID: "cus_1"}, []string{
			"Your Premium subscription is cancelled and ends on 28 March 2026. You can resume it until then.", "Resume your subscription", portal,
		}, []string{"Cancel your subscription"}},
		{"expired", free, &masthead.Subscription{Plan: standard, Status: masthead.SubExpired, CurrentPeriodEnd: past, StripeCustomerID: "cus_1"}, []string{
			"Your Standard subscription ended on 10 February 2026. You are on the Free plan now.", "See plans and upgrade", "10 subscriber stories a month",
		}, []string{"Cancel your subscription", "Resume"}},
		{"expired by lapse", free, &masthead.Subscription{Plan: standard, Status: masthead.SubActive, CurrentPeriodEnd: past}, []string{
			"Your Standard subscription ended on 10 February 2026.", "See plans and upgrade",
		}, []string{portal}},
		{"complimentary", premium, &masthead.Subscription{Plan: premium, Status: masthead.SubActive, Complimentary: true, CurrentPeriodEnd: end}, []string{
			"You have Premium as a complimentary plan until 28 March 2026.", "5 gift links a month",
		}, []string{portal}},
	}
	for _, tt := range tests {
		t.Run(tt.state, func(t *testing.T) {
			cfg := planConfig(testAccount(), tt.plan, tt.sub)
			cfg.Billing = &fakeBilling{}
			h := newPlanServer(t, cfg)
			res, body := do(t, h, signedIn(httptest.NewRequest("GET", "/account/subscription", nil)))
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			if got := res.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control: got %q", got)
			}
			checkBody(t, body, tt.contain, append(tt.absent, masthead.Msg("subscription.plans_soon")))
		})
	}
	t.Run("no portal without billing", func(t *testing.T) {
		h := newPlanServer(t, planConfig(testAccount(), standard, &masthead.Subscription{Plan: standard, Status: masthead.SubActive, CurrentPeriodEnd: end, StripeCustomerID: "cus_1"}))
		_, body := do(t, h, signedIn(httptest.NewRequest("GET", "/account/subscription", nil)))
		checkBody(t, body, []string{"renews on 28 March 2026"}, []string{portal})
	})
}

func TestPortal(t *testing.T) {
	standard := testPlans()[1]
	sub := &masthead.Subscription{Plan: standard, Status: masthead.SubActive, CurrentPeriodEnd: testNow.AddDate(0, 1, 0), StripeCustomerID: "cus_1"}
	tests := []struct {
		name         string
		sub          *masthead.Subscription
		portalErr    error
		signedIn     bool
		wantStatus   int
		wantLocation string
	}{
		{"signed out", sub, nil, false, 303, "/signin?next=%2Faccount"},
		{"customer", sub, nil, true, 303, "https://billing.stripe.test/p/cus_1"},
		{"no customer", nil, nil, true, 404, ""},
		{"portal fails", sub, errors.New("stripe down"), true, 303, "/account/subscription?error=portal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := planConfig(testAccount(), standard, tt.sub)
			cfg.Billing = &fakeBilling{PortalFn: func(ctx context.Context, customer string) (string, error) {
				return "https://billing.stripe.test/p/" + customer, tt.portalErr
			}}
			h := newPlanServer(t, cfg)
			req := postForm("/account/subscription/portal", nil)
			if tt.signedIn {
				signedIn(req)
			}
			res, _ := do(t, h, req)
			if res.StatusCode != tt.wantStatus || res.Header.Get("Location") != tt.wantLocation {
				t.Errorf("got %d %q, want %d %q", res.StatusCode, res.Header.Get("Location"), tt.wantStatus, tt.wantLocation)
			}
		})
	}
	cfg := planConfig(testAccount(), standard, sub)
	cfg.Billing = &fakeBilling{}
	_, body := do(t, newPlanServer(t, cfg), signedIn(httptest.NewRequest("GET", "/account/subscription?error=portal", nil)))
	checkBody(t, body, []string{masthead.Msg("subscription.portal_failed")}, nil)
}

func TestAPIMePlan(t *testing.T) {
	premium := testPlans()[2]
	end := time.Date(2026, 3, 28, 0, 0, 0, 0, time.UTC)
	h := newPlanServer(t, planConfig(testAccount(), premium, &masthead.Subscription{Plan: premium, Status: masthead.SubActive, CurrentPeriodEnd: end}))
	_, body := do(t, h, signedIn(httptest.NewRequest("GET", "/api/v1/me", nil)))
	checkBody(t, body, []string{
		`"plan":{"slug":"premium","name":"Premium"}`,
		`"entitlements":{"comment":true,"read_premium":true,"metered_per_month":-1,"gift_links_per_month":5}`,
		`"subscription":{"status":"active","current_period_end":"2026-03-28T00:00:00Z"}`,
	}, nil)
	h = newPlanServer(t, planConfig(testAccount(), testPlans()[0], nil))
	_, body = do(t, h, signedIn(httptest.NewRequest("GET", "/api/v1/me", nil)))
	checkBody(t, body, []string{`"plan":{"slug":"free","name":"Free"}`, `"subscription":null`}, nil)
}

func TestMoney(t *testing.T) {
	s := newTestServer(t, fakeStories(nil), Config{})
	tests := []struct {
		amount   int64
		currency string
		want     string
		typed    string
	}{
		{900, "EUR", "€9.00", "9.00"},
		{123456789, "USD", "$1,234,567.89", "1234567.89"},
		{1200, "JPY", "¥1,200", "1200"},
		{50000, "KRW", "₩50,000", "50000"},
		{1250, "CHF", "CHF 12.50", "12.50"},
		{5, "GBP", "£0.05", "0.05"},
	}
	for _, tt := range tests {
		if got := s.formatMoney(tt.amount, tt.currency); got != tt.want {
			t.Errorf("formatMoney(%d, %s): got %q, want %q", tt.amount, tt.currency, got, tt.want)
		}
		if got := formatAmount(tt.amount, tt.currency); got != tt.typed {
			t.Errorf("formatAmount(%d, %s): got %q, want %q", tt.amount, tt.currency, got, tt.typed)
		}
		if got, ok := parseMoney(tt.typed, tt.currency); !ok || got != tt.amount {
			t.Errorf("parseMoney(%q, %s): got %d %v, want %d", tt.typed, tt.currency, got, ok, tt.amount)
		}
	}
	for _, bad := range []struct{ text, currency string }{{"9.999", "EUR"}, {"12.5", "JPY"}, {"-1", "EUR"}, {"abc", "EUR"}, {"", "EUR"}, {"9.", "EUR"}} {
		if _, ok := parseMoney(bad.text, bad.currency); ok {
			t.Errorf("parseMoney(%q, %s) accepted", bad.text, bad.currency)
		}
	}
	if got, ok := parseMoney("9.9", "EUR"); !ok || got != 990 {
		t.Errorf("parseMoney(9.9): got %d %v", got, ok)
	}
}

func TestPlanNamesEscaped(t *testing.T) {
	const hostile = `<script>alert("plan")</script>`
	plans := testPlans()
	for _, p := range plans {
		p.Name, p.Description = hostile, hostile
	}
	admin := testAccount()
	admin.Role = masthead.RoleAdmin
	cfg := Config{
		Accounts:      fakeAccounts(admin),
		Plans:         fakePlans(plans),
		Subscriptions: fakeSubs(plans[2], &masthead.Subscription{Plan: plans[2], Status: masthead.SubActive, CurrentPeriodEnd: testNow.AddDate(0, 1, 0)}),
		Billing:       &fakeBilling{},
	}
	cfg.Accounts.(*mock.AccountService).FindAccountByIDFn = func(ctx context.Context, id int64) (*masthead.Account, error) { return admin, nil }
	h := newPlanServer(t, cfg)
	for _, target := range []string{"/plans", "/account/subscription", "/account", "/admin/plans", "/admin/plans/premium", "/admin/subscribers/7"} {
		t.Run(target, func(t *testing.T) {
			res, body := do(t, h, signedIn(httptest.NewRequest("GET", target, nil)))
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			if strings.Contains(body, "<script>alert") {
				t.Errorf("unescaped plan name in page")
			}
			if !strings.Contains(body, "&lt;script&gt;alert(") {
				t.Errorf("escaped plan name missing")
			}
		})
	}
}
