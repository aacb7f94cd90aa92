package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"masthead"
	"masthead/internal/stripetest"
)

// client is a cookie-keeping HTTP client for one user of an instance.
type client struct {
	t    *testing.T
	inst *instance
	http *http.Client
}

func newClient(t *testing.T, inst *instance) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, inst: inst, http: &http.Client{
		Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (c *client) post(path string, form url.Values) *http.Response {
	c.t.Helper()
	resp, err := c.http.PostForm(c.inst.URL+path, form)
	if err != nil {
		c.t.Fatalf("POST %s: %v", path, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func (c *client) signIn(email string) {
	c.t.Helper()
	resp := c.post("/signin", url.Values{"email": {email}, "password": {"masthead-demo"}})
	if email == "admin@example.com" {
		// The demo administrator has two-factor sign-in on.
		resp = c.secondStep(resp, demoAdminTOTPSecret)
	}
	if resp.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("sign in as %s: status %d, want 303", email, resp.StatusCode)
	}
}

// me is the part of /api/v1/me this test reads.
type me struct {
	ID           int64                  `json:"id"`
	Plan         *struct{ Slug string } `json:"plan"`
	Subscription *struct {
		Status string `json:"status"`
	} `json:"subscription"`
}

func (c *client) me() me {
	c.t.Helper()
	resp, err := c.http.Get(c.inst.URL + "/api/v1/me")
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m me
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		c.t.Fatalf("GET /api/v1/me: status %d: %v", resp.StatusCode, err)
	}
	return m
}

// TestStripeBilling runs the binary against stripe-mock: an administrator
// gives the Premium plan a Stripe price; a reader's "subscribe" opens
// Stripe Checkout; signed webhook events, each delivered 20 times in a
// random order, leave the reader on Premium; bad and stale signatures are
// refused with 400 and change nothing; the subscription's deletion puts the
// reader back on the Free plan.
func TestStripeBilling(t *testing.T) {
	t.Parallel()
	mock := stripetest.Start(t)
	inst := startMasthead(t, "--demo",
		"--stripe-secret-key", stripetest.SecretKey,
		"--stripe-webhook-secret", stripetest.WebhookSecret,
		"--stripe-api-base", mock.URL)

	admin := newClient(t, inst)
	admin.signIn("admin@example.com")
	resp := admin.post("/admin/plans/premium", url.Values{
		"name": {"Premium"}, "description": {"Everything, and gift links."},
		"comment": {"on"}, "read_premium": {"on"}, "visible": {"on"},
		"trial_days": {"14"}, "metered_per_month": {""}, "gift_links_per_month": {"5"},
		"month_amount": {"15.00"}, "month_currency": {"EUR"}, "month_stripe_price_id": {"price_e2e_premium_month"},
		"year_amount": {"150.00"}, "year_currency": {"EUR"}, "year_stripe_price_id": {"price_e2e_premium_year"},
	})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save the Premium plan's Stripe prices: status %d, want 303", resp.StatusCode)
	}

	reader := newClient(t, inst)
	reader.signIn("free@example.com")
	account := reader.me()
	if account.Plan == nil || account.Plan.Slug != "free" {
		t.Fatalf("the free reader's plan = %+v, want free", account.Plan)
	}

	resp = reader.post("/plans/premium/subscribe", url.Values{"interval": {"month"}})
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "https://") {
		t.Errorf("subscribe: status %d to %q, want 303 to Stripe Checkout", resp.StatusCode, loc)
	}

	deliver := func(ev masthead.StripeEvent, at time.Time) int {
		t.Helper()
		payload := stripetest.Event(ev)
		req, _ := http.NewRequest(http.MethodPost, inst.URL+"/webhooks/stripe", bytes.NewReader(payload))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Stripe-Signature", stripetest.Sign(payload, stripetest.WebhookSecret, at))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("POST /webhooks/stripe: %v", err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}

	now := time.Now()
	periodEnd := now.Add(30 * 24 * time.Hour).Truncate(time.Second)
	base := masthead.StripeEvent{
		AccountID: account.ID, CustomerID: "cus_e2e", SubscriptionID: "sub_e2e",
		PriceID: "price_e2e_premium_month", CurrentPeriodEnd: periodEnd,
	}
	at := func(i int, typ, status string) masthead.StripeEvent {
		ev := base
		ev.ID, ev.Type, ev.Status = fmt.Sprintf("evt_e2e_%d", i), typ, status
		ev.Created = now.Add(time.Duration(i-10) * time.Second).Truncate(time.Second)
		return ev
	}
	lifecycle := []masthead.StripeEvent{
		at(1, "checkout.session.completed", ""),
		at(2, "customer.subscription.created", "trialing"),
		at(3, "customer.subscription.updated", "active"),
		at(4, "invoice.payment_failed", ""),
		at(5, "customer.subscription.updated", "past_due"),
		at(6, "invoice.paid", ""),
		at(7, "customer.subscription.updated", "active"),
	}
	var deliveries []masthead.StripeEvent
	for _, ev := range lifecycle {
		for range 20 {
			deliveries = append(deliveries, ev)
		}
	}
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(deliveries), func(i, j int) {
		deliveries[i], deliveries[j] = deliveries[j], deliveries[i]
	})
	for _, ev := range deliveries {
		if status := deliver(ev, time.Now()); status != http.StatusOK {
			t.Fatalf("deliver %s (%s): status %d, want 200", ev.ID, ev.Type, status)
		}
	}
	got := reader.me()
	if got.Plan == nil || got.Plan.Slug != "premium" || got.Subscription == nil || got.Subscription.Status != string(masthead.SubActive) {
		t.Errorf("after the lifecycle in any order: plan %+v, subscription %+v; want premium, active", got.Plan, got.Subscription)
	}

	// A bad or stale signature is refused and changes nothing.
	deleted := at(8, "customer.subscription.deleted", "canceled")
	payload := stripetest.Event(deleted)
	for name, sig := range map[string]string{
		"wrong secret": stripetest.Sign(payload, "whsec_not_ours", time.Now()),
		"stale":        stripetest.Sign(payload, stripetest.WebhookSecret, time.Now().Add(-6*time.Minute)),
		"missing":      "",
	} {
		req, _ := http.NewRequest(http.MethodPost, inst.URL+"/webhooks/stripe", bytes.NewReader(payload))
		req.Header.Set("Stripe-Signature", sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s signature: status %d, want 400", name, resp.StatusCode)
		}
	}
	if got := reader.me(); got.Plan == nil || got.Plan.Slug != "premium" {
		t.Errorf("a refused event changed the plan to %+v", got.Plan)
	}

	// The subscription's end puts the reader back on the Free plan.
	if status := deliver(deleted, time.Now()); status != http.StatusOK {
		t.Fatalf("deliver the deletion: status %d", status)
	}
	if got := reader.me(); got.Plan == nil || got.Plan.Slug != "free" {
		t.Errorf("after the subscription's deletion the plan is %+v, want free", got.Plan)
	}
}
