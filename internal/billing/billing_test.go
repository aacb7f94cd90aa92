package billing_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82"

	"masthead"
	"masthead/internal/billing"
	"masthead/internal/stripetest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	stripetest.Stop()
	os.Exit(code)
}

// request is one API call as the recorder saw it.
type request struct {
	Method, Path string
	Header       http.Header
	Form         url.Values
}

// recorder is an http.RoundTripper that records the requests it passes
// on.
type recorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	reqs []request
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var form url.Values
	if req.Body != nil {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		form, _ = url.ParseQuery(string(body))
		req.Body = io.NopCloser(strings.NewReader(string(body)))
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, request{Method: req.Method, Path: req.URL.Path, Header: req.Header.Clone(), Form: form})
	r.mu.Unlock()
	return r.next.RoundTrip(req)
}

func (r *recorder) requests() []request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]request(nil), r.reqs...)
}

const baseURL = "https://news.example.com"

// newClient returns a client of stripe-mock (or of apiBase, if given) and
// the recorder of its requests.
func newClient(t *testing.T, apiBase string) (*billing.Client, *recorder) {
	t.Helper()
	if apiBase == "" {
		apiBase = stripetest.Start(t).URL
	}
	rec := &recorder{next: http.DefaultTransport}
	c, err := billing.New(billing.Config{
		SecretKey:     stripetest.SecretKey,
		WebhookSecret: stripetest.WebhookSecret,
		APIBase:       apiBase,
		BaseURL:       baseURL + "/",
		HTTPClient:    &http.Client{Transport: rec, Timeout: 10 * time.Second},
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if c == nil {
		t.Fatal("New returned a nil client with a secret key")
	}
	return c, rec
}

func testPlan(trialDays int) *masthead.Plan {
	return &masthead.Plan{
		ID: 2, Slug: "standard", Name: "Standard", TrialDays: trialDays,
		Prices: []masthead.Price{
			{Interval: masthead.IntervalMonth, Amount: 500, Currency: "EUR", StripePriceID: "price_standard_month"},
			{Interval: masthead.IntervalYear, Amount: 5000, Currency: "EUR", StripePriceID: "price_standard_year"},
		},
	}
}

func TestCheckout(t *testing.T) {
	account := &masthead.Account{ID: 42, Email: "reader@example.com"}
	tests := []struct {
		name       string
		trialDays  int
		interval   masthead.Interval
		customerID string
		want       map[string]string // form fields sent
		absent     []string          // form fields not sent
	}{
		{
			name: "new customer monthly with trial", trialDays: 14, interval: masthead.IntervalMonth,
			want: map[string]string{
				"customer_email":                       "reader@example.com",
				"line_items[0][price]":                 "price_standard_month",
				"subscription_data[trial_period_days]": "14",
			},
			absent: []string{"customer"},
		},
		{
			name: "known customer annual without trial", interval: masthead.IntervalYear, customerID: "cus_known",
			want: map[string]string{
				"customer":             "cus_known",
				"line_items[0][price]": "price_standard_year",
			},
			absent: []string{"customer_email", "subscription_data[trial_period_days]"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rec := newClient(t, "")
			got, err := c.Checkout(context.Background(), account, testPlan(tt.trialDays), tt.interval, tt.customerID)
			if err != nil {
				t.Fatalf("Checkout: %v", err)
			}
			if u, err := url.Parse(got); err != nil || !u.IsAbs() {
				t.Errorf("Checkout URL = %q, want an absolute URL", got)
			}
			reqs := rec.requests()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1: %+v", len(reqs), reqs)
			}
			r := reqs[0]
			if r.Method != http.MethodPost || r.Path != "/v1/checkout/sessions" {
				t.Errorf("request = %s %s, want POST /v1/checkout/sessions", r.Method, r.Path)
			}
			if got, want := r.Header.Get("Stripe-Version"), stripe.APIVersion; got != want {
				t.Errorf("Stripe-Version = %q, want %q", got, want)
			}
			if got, want := r.Header.Get("Authorization"), "Bearer "+stripetest.SecretKey; got != want {
				t.Errorf("Authorization = %q, want %q", got, want)
			}
			want := map[string]string{
				"mode":                 "subscription",
				"client_reference_id":  "42",
				"metadata[account_id]": "42",
				"subscription_data[metadata][account_id]": "42",
				"line_items[0][quantity]":                 "1",
				"success_url":                             baseURL + "/plans/success?session_id={CHECKOUT_SESSION_ID}",
				"cancel_url":                              baseURL + "/plans/cancel",
			}
			for k, v := range tt.want {
				want[k] = v
			}
			for k, v := range want {
				if got := r.Form.Get(k); got != v {
					t.Errorf("form %s = %q, want %q", k, got, v)
				}
			}
			for _, k := range tt.absent {
				if r.Form.Has(k) {
					t.Errorf("form %s = %q, want it absent", k, r.Form.Get(k))
				}
			}
		})
	}
}

func TestCheckoutNotForSale(t *testing.T) {
	account := &masthead.Account{ID: 42, Email: "reader@example.com"}
	noStripePrice := testPlan(0)
	noStripePrice.Prices[0].StripePriceID = ""
	onlyMonthly := testPlan(0)
	onlyMonthly.Prices = onlyMonthly.Prices[:1]
	tests := []struct {
		name     string
		plan     *masthead.Plan
		interval masthead.Interval
	}{
		{"price without a Stripe price", noStripePrice, masthead.IntervalMonth},
		{"no price for the interval", onlyMonthly, masthead.IntervalYear},
		{"free plan", &masthead.Plan{Slug: "free", Name: "Free", Free: true}, masthead.IntervalMonth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// No API call may be made, so the API is nowhere.
			c, rec := newClient(t, "http://127.0.0.1:1")
			_, err := c.Checkout(context.Background(), account, tt.plan, tt.interval, "")
			if got, want := masthead.ErrorCode(err), masthead.EINVALID; got != want {
				t.Errorf("Checkout error code = %q (%v), want %q", got, err, want)
			}
			if n := len(rec.requests()); n != 0 {
				t.Errorf("got %d API requests, want none", n)
			}
		})
	}
}

func TestPortal(t *testing.T) {
	c, rec := newClient(t, "")
	got, err := c.Portal(context.Background(), "cus_known")
	if err != nil {
		t.Fatalf("Portal: %v", err)
	}
	if u, err := url.Parse(got); err != nil || !u.IsAbs() {
		t.Errorf("Portal URL = %q, want an absolute URL", got)
	}
	reqs := rec.requests()
	if len(reqs) != 1 {
		t.Fatalf("got %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Method != http.MethodPost || r.Path != "/v1/billing_portal/sessions" {
		t.Errorf("request = %s %s, want POST /v1/billing_portal/sessions", r.Method, r.Path)
	}
	for k, v := range map[string]string{"customer": "cus_known", "return_url": baseURL + "/account/subscription"} {
		if got := r.Form.Get(k); got != v {
			t.Errorf("form %s = %q, want %q", k, got, v)
		}
	}

	t.Run("no customer", func(t *testing.T) {
		c, rec := newClient(t, "http://127.0.0.1:1")
		_, err := c.Portal(context.Background(), "")
		if got, want := masthead.ErrorCode(err), masthead.ENOTFOUND; got != want {
			t.Errorf("Portal error code = %q (%v), want %q", got, err, want)
		}
		if n := len(rec.requests()); n != 0 {
			t.Errorf("got %d API requests, want none", n)
		}
	})
}

func TestNew(t *testing.T) {
	tests := []struct {
		name    string
		cfg     billing.Config
		wantNil bool
		wantErr bool
	}{
		{name: "no secret key turns billing off", cfg: billing.Config{BaseURL: baseURL}, wantNil: true},
		{name: "no webhook secret", cfg: billing.Config{SecretKey: "sk_test_x", BaseURL: baseURL}, wantErr: true},
		{name: "relative base URL", cfg: billing.Config{SecretKey: "sk_test_x", WebhookSecret: "whsec_x", BaseURL: "/"}, wantErr: true},
		{name: "bad API base", cfg: billing.Config{SecretKey: "sk_test_x", WebhookSecret: "whsec_x", BaseURL: baseURL, APIBase: "localhost:12111"}, wantErr: true},
		{name: "configured", cfg: billing.Config{SecretKey: "sk_test_x", WebhookSecret: "whsec_x", BaseURL: baseURL}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := billing.New(tt.cfg)
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Fatalf("New error = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if gotNil := c == nil; gotNil != tt.wantNil {
				t.Errorf("New client nil = %v, want %v", gotNil, tt.wantNil)
			}
		})
	}
}

func TestDisabled(t *testing.T) {
	var c *billing.Client
	ctx := context.Background()
	if _, err := c.Checkout(ctx, &masthead.Account{ID: 1}, testPlan(0), masthead.IntervalMonth, ""); !errors.Is(err, billing.ErrDisabled) {
		t.Errorf("Checkout error = %v, want ErrDisabled", err)
	}
	if _, err := c.Portal(ctx, "cus_x"); !errors.Is(err, billing.ErrDisabled) {
		t.Errorf("Portal error = %v, want ErrDisabled", err)
	}
	if _, err := c.ParseWebhook([]byte("{}"), "t=1,v1=00"); !errors.Is(err, billing.ErrDisabled) {
		t.Errorf("ParseWebhook error = %v, want ErrDisabled", err)
	}
}
