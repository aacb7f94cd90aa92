package billing_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"masthead"
	"masthead/internal/billing"
	"masthead/internal/stripetest"
)

// now is the clock of the webhook tests.
var now = time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)

// webhookClient returns a client whose clock stands at now. Parsing
// webhooks makes no API calls.
func webhookClient(t *testing.T) *billing.Client {
	t.Helper()
	c, err := billing.New(billing.Config{
		SecretKey:     stripetest.SecretKey,
		WebhookSecret: stripetest.WebhookSecret,
		APIBase:       "http://127.0.0.1:1",
		BaseURL:       baseURL,
		Now:           func() time.Time { return now },
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// edit returns the event payload with its data.object changed by f.
func edit(t *testing.T, payload []byte, f func(object map[string]any)) []byte {
	t.Helper()
	var e map[string]any
	if err := json.Unmarshal(payload, &e); err != nil {
		t.Fatal(err)
	}
	f(e["data"].(map[string]any)["object"].(map[string]any))
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseWebhook(t *testing.T) {
	created := now.Add(-time.Minute).Truncate(time.Second)
	periodEnd := time.Date(2026, 4, 14, 12, 0, 0, 0, time.UTC)
	sub := func(typ, status string, cancelAtEnd bool) masthead.StripeEvent {
		return masthead.StripeEvent{
			ID: "evt_" + strings.ReplaceAll(typ, ".", "_"), Type: typ, Created: created,
			AccountID: 42, CustomerID: "cus_1", SubscriptionID: "sub_1", PriceID: "price_standard_month",
			Status: status, CancelAtPeriodEnd: cancelAtEnd, CurrentPeriodEnd: periodEnd, HasSubscriptionState: true,
		}
	}
	tests := []struct {
		name    string
		in      masthead.StripeEvent                // what stripetest.Event renders
		payload func(t *testing.T, p []byte) []byte // changes to the rendered payload, if any
		want    masthead.StripeEvent
	}{
		{
			name: "checkout.session.completed links account, customer and subscription",
			in: masthead.StripeEvent{ID: "evt_cs", Type: "checkout.session.completed", Created: created,
				AccountID: 42, CustomerID: "cus_1", SubscriptionID: "sub_1"},
			want: masthead.StripeEvent{ID: "evt_cs", Type: "checkout.session.completed", Created: created,
				AccountID: 42, CustomerID: "cus_1", SubscriptionID: "sub_1"},
		},
		{
			name: "checkout.session.completed without client_reference_id falls back to metadata",
			in: masthead.StripeEvent{ID: "evt_cs", Type: "checkout.session.completed", Created: created,
				AccountID: 42, CustomerID: "cus_1", SubscriptionID: "sub_1"},
			payload: func(t *testing.T, p []byte) []byte {
				return edit(t, p, func(o map[string]any) { o["client_reference_id"] = nil })
			},
			want: masthead.StripeEvent{ID: "evt_cs", Type: "checkout.session.completed", Created: created,
				AccountID: 42, CustomerID: "cus_1", SubscriptionID: "sub_1"},
		},
		{name: "customer.subscription.created trialing", in: sub("customer.subscription.created", "trialing", false), want: sub("customer.subscription.created", "trialing", false)},
		{name: "customer.subscription.updated active", in: sub("customer.subscription.updated", "active", false), want: sub("customer.subscription.updated", "active", false)},
		{name: "customer.subscription.updated cancelled at period end", in: sub("customer.subscription.updated", "active", true), want: sub("customer.subscription.updated", "active", true)},
		{name: "customer.subscription.updated past_due", in: sub("customer.subscription.updated", "past_due", false), want: sub("customer.subscription.updated", "past_due", false)},
		{
			name: "customer.subscription.deleted is canceled whatever its status says",
			in:   sub("customer.subscription.deleted", "active", false),
			want: sub("customer.subscription.deleted", "canceled", false),
		},
		{
			name: "subscription without account metadata",
			in: func() masthead.StripeEvent {
				e := sub("customer.subscription.updated", "active", false)
				e.AccountID = 0
				return e
			}(),
			want: func() masthead.StripeEvent {
				e := sub("customer.subscription.updated", "active", false)
				e.AccountID = 0
				return e
			}(),
		},
		{
			name: "subscription with an expanded customer",
			in:   sub("customer.subscription.updated", "active", false),
			payload: func(t *testing.T, p []byte) []byte {
				return edit(t, p, func(o map[string]any) {
					o["customer"] = map[string]any{"id": "cus_1", "object": "customer", "email": "reader@example.com"}
				})
			},
			want: sub("customer.subscription.updated", "active", false),
		},
		{
			name: "invoice.paid is active until its line's period end",
			in:   sub("invoice.paid", "", false),
			want: func() masthead.StripeEvent { e := sub("invoice.paid", "active", false); e.PriceID = ""; return e }(),
		},
		{
			name: "invoice.paid takes the latest period end of its subscription's lines",
			in:   sub("invoice.paid", "", false),
			payload: func(t *testing.T, p []byte) []byte {
				return edit(t, p, func(o map[string]any) {
					lines := o["lines"].(map[string]any)
					data := lines["data"].([]any)
					proration := map[string]any{"id": "il_proration", "object": "line_item",
						"period": map[string]any{"start": created.Unix(), "end": periodEnd.AddDate(0, 0, -1).Unix()}}
					other := map[string]any{"id": "il_other", "object": "line_item",
						"parent": map[string]any{"type": "subscription_item_details",
							"subscription_item_details": map[string]any{"subscription": "sub_other"}},
						"period": map[string]any{"start": created.Unix(), "end": periodEnd.AddDate(1, 0, 0).Unix()}}
					lines["data"] = append([]any{proration, other}, data...)
				})
			},
			want: func() masthead.StripeEvent { e := sub("invoice.paid", "active", false); e.PriceID = ""; return e }(),
		},
		{
			name: "invoice.payment_failed is past due and keeps the period",
			in:   sub("invoice.payment_failed", "", false),
			want: func() masthead.StripeEvent {
				e := sub("invoice.payment_failed", "past_due", false)
				e.PriceID, e.CurrentPeriodEnd = "", time.Time{}
				return e
			}(),
		},
		{
			name: "invoice.payment_failed of the first invoice is incomplete",
			in:   sub("invoice.payment_failed", "", false),
			payload: func(t *testing.T, p []byte) []byte {
				return edit(t, p, func(o map[string]any) { o["billing_reason"] = "subscription_create" })
			},
			want: func() masthead.StripeEvent {
				e := sub("invoice.payment_failed", "incomplete", false)
				e.PriceID, e.CurrentPeriodEnd = "", time.Time{}
				return e
			}(),
		},
		{
			name: "invoice.paid of a trial's free first invoice carries no state",
			in:   sub("invoice.paid", "", false),
			payload: func(t *testing.T, p []byte) []byte {
				return edit(t, p, func(o map[string]any) {
					o["billing_reason"] = "subscription_create"
					o["amount_paid"] = 0
				})
			},
			want: masthead.StripeEvent{ID: "evt_invoice_paid", Type: "invoice.paid", Created: created,
				AccountID: 42, CustomerID: "cus_1", SubscriptionID: "sub_1"},
		},
		{
			name: "invoice.paid of no subscription carries no state",
			in:   sub("invoice.paid", "", false),
			payload: func(t *testing.T, p []byte) []byte {
				return edit(t, p, func(o map[string]any) { o["parent"] = nil })
			},
			want: masthead.StripeEvent{ID: "evt_invoice_paid", Type: "invoice.paid", Created: created, CustomerID: "cus_1"},
		},
		{
			name: "unknown type is recorded without state",
			in:   masthead.StripeEvent{ID: "evt_other", Type: "customer.created", Created: created},
			want: masthead.StripeEvent{ID: "evt_other", Type: "customer.created", Created: created},
		},
	}
	c := webhookClient(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload := stripetest.Event(tt.in)
			if tt.payload != nil {
				payload = tt.payload(t, payload)
			}
			got, err := c.ParseWebhook(payload, stripetest.Sign(payload, stripetest.WebhookSecret, now))
			if err != nil {
				t.Fatalf("ParseWebhook: %v", err)
			}
			if got != tt.want {
				t.Errorf("ParseWebhook =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

// TestParseWebhookStripePayload parses an event as Stripe renders it in
// API version 2025-08-27.basil, trimmed of fields masthead does not read.
func TestParseWebhookStripePayload(t *testing.T) {
	payload := []byte(`{
  "id": "evt_1S2abcDEF",
  "object": "event",
  "api_version": "2025-08-27.basil",
  "created": 1773489540,
  "data": {
    "object": {
      "id": "sub_1S2abc",
      "object": "subscription",
      "billing_cycle_anchor": 1773489500,
      "cancel_at": null,
      "cancel_at_period_end": true,
      "canceled_at": 1773489540,
      "collection_method": "charge_automatically",
      "created": 1773489500,
      "currency": "eur",
      "customer": "cus_T0abc",
      "items": {
        "object": "list",
        "data": [
          {
            "id": "si_T0abc",
            "object": "subscription_item",
            "created": 1773489501,
            "current_period_end": 1776167900,
            "current_period_start": 1773489500,
            "metadata": {},
            "price": {
              "id": "price_1S2premium",
              "object": "price",
              "active": true,
              "currency": "eur",
              "recurring": {"interval": "month", "interval_count": 1, "usage_type": "licensed"},
              "type": "recurring",
              "unit_amount": 900
            },
            "quantity": 1,
            "subscription": "sub_1S2abc"
          }
        ],
        "has_more": false,
        "total_count": 1,
        "url": "/v1/subscription_items?subscription=sub_1S2abc"
      },
      "livemode": false,
      "metadata": {"account_id": "7"},
      "start_date": 1773489500,
      "status": "active",
      "trial_end": null
    },
    "previous_attributes": {"cancel_at_period_end": false, "canceled_at": null}
  },
  "livemode": false,
  "pending_webhooks": 1,
  "request": {"id": "req_abc", "idempotency_key": "f1e2d3"},
  "type": "customer.subscription.updated"
}`)
	got, err := webhookClient(t).ParseWebhook(payload, stripetest.Sign(payload, stripetest.WebhookSecret, now))
	if err != nil {
		t.Fatalf("ParseWebhook: %v", err)
	}
	want := masthead.StripeEvent{
		ID: "evt_1S2abcDEF", Type: "customer.subscription.updated", Created: time.Unix(1773489540, 0).UTC(),
		AccountID: 7, CustomerID: "cus_T0abc", SubscriptionID: "sub_1S2abc", PriceID: "price_1S2premium",
		Status: "active", CancelAtPeriodEnd: true, CurrentPeriodEnd: time.Unix(1776167900, 0).UTC(),
		HasSubscriptionState: true,
	}
	if got != want {
		t.Errorf("ParseWebhook =\n%+v\nwant\n%+v", got, want)
	}
}

func TestParseWebhookSignature(t *testing.T) {
	payload := stripetest.Event(masthead.StripeEvent{
		ID: "evt_sig", Type: "customer.subscription.updated", Created: now.Add(-time.Minute),
		AccountID: 42, CustomerID: "cus_1", SubscriptionID: "sub_1", PriceID: "price_1",
		Status: "active", CurrentPeriodEnd: now.AddDate(0, 1, 0),
	})
	valid := stripetest.Sign(payload, stripetest.WebhookSecret, now)
	tampered := bytes.Replace(payload, []byte(`"status":"active"`), []byte(`"status":"canceled"`), 1)
	if bytes.Equal(tampered, payload) {
		t.Fatal("tampering changed nothing")
	}
	tests := []struct {
		name      string
		payload   []byte
		signature string
		wantErr   error // nil: accepted
	}{
		{"valid", payload, valid, nil},
		{"signed 4m59s ago", payload, stripetest.Sign(payload, stripetest.WebhookSecret, now.Add(-4*time.Minute-59*time.Second)), nil},
		{"signed exactly 5m ago", payload, stripetest.Sign(payload, stripetest.WebhookSecret, now.Add(-5*time.Minute)), nil},
		{"rolled secret: one of two signatures valid", payload,
			valid + ",v1=" + strings.Repeat("ab", 32), nil},
		{"signed 5m01s ago", payload, stripetest.Sign(payload, stripetest.WebhookSecret, now.Add(-5*time.Minute-time.Second)), billing.ErrBadSignature},
		{"signed an hour ago", payload, stripetest.Sign(payload, stripetest.WebhookSecret, now.Add(-time.Hour)), billing.ErrBadSignature},
		{"wrong secret", payload, stripetest.Sign(payload, "whsec_someone_else", now), billing.ErrBadSignature},
		{"tampered payload", tampered, valid, billing.ErrBadSignature},
		{"no header", payload, "", billing.ErrBadSignature},
		{"garbage header", payload, "not a signature", billing.ErrBadSignature},
		{"bad timestamp", payload, "t=soon,v1=" + strings.Repeat("ab", 32), billing.ErrBadSignature},
		{"no timestamp", payload, strings.Split(valid, ",")[1], billing.ErrBadSignature},
		{"no v1 signature", payload, strings.Split(valid, ",")[0] + ",v0=" + strings.Repeat("ab", 32), billing.ErrBadSignature},
		{"signature replayed with a fresh timestamp", payload,
			"t=" + strconv.FormatInt(now.Unix(), 10) + "," + strings.Split(stripetest.Sign(payload, stripetest.WebhookSecret, now.Add(-time.Hour)), ",")[1],
			billing.ErrBadSignature},
	}
	c := webhookClient(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.ParseWebhook(tt.payload, tt.signature)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("ParseWebhook error = %v, want none", err)
				}
				if got.ID != "evt_sig" || !got.HasSubscriptionState {
					t.Errorf("ParseWebhook = %+v, want event evt_sig with state", got)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("ParseWebhook error = %v, want %v", err, tt.wantErr)
			}
			if got != (masthead.StripeEvent{}) {
				t.Errorf("ParseWebhook event = %+v, want the zero event", got)
			}
		})
	}
}

func TestParseWebhookRefusesWithoutBadSignature(t *testing.T) {
	c := webhookClient(t)
	tests := []struct {
		name    string
		payload []byte
		wantErr error // must not be ErrBadSignature; nil: any other error
	}{
		{"other API release train", []byte(`{"id":"evt_v","object":"event","api_version":"2024-06-20","type":"customer.subscription.updated","created":1,"data":{"object":{"id":"sub_1","object":"subscription"}}}`), billing.ErrAPIVersion},
		{"not JSON", []byte(`{"id":`), nil},
		{"subscription without an ID", []byte(`{"id":"evt_n","object":"event","type":"customer.subscription.updated","created":1,"data":{"object":{"object":"subscription"}}}`), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.ParseWebhook(tt.payload, stripetest.Sign(tt.payload, stripetest.WebhookSecret, now))
			if err == nil {
				t.Fatal("ParseWebhook error = nil, want one")
			}
			if errors.Is(err, billing.ErrBadSignature) {
				t.Errorf("ParseWebhook error = %v, want one that is not ErrBadSignature", err)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("ParseWebhook error = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

// TestParseWebhookDefaultClock checks that without a configured clock a
// fresh signature is accepted and a stale one refused.
func TestParseWebhookDefaultClock(t *testing.T) {
	c, err := billing.New(billing.Config{SecretKey: "sk_test_x", WebhookSecret: stripetest.WebhookSecret, BaseURL: baseURL})
	if err != nil {
		t.Fatal(err)
	}
	payload := stripetest.Event(masthead.StripeEvent{ID: "evt_clock", Type: "customer.created"})
	if _, err := c.ParseWebhook(payload, stripetest.Sign(payload, stripetest.WebhookSecret, time.Time{})); err != nil {
		t.Errorf("fresh signature: ParseWebhook error = %v, want none", err)
	}
	stale := stripetest.Sign(payload, stripetest.WebhookSecret, time.Now().Add(-6*time.Minute))
	if _, err := c.ParseWebhook(payload, stale); !errors.Is(err, billing.ErrBadSignature) {
		t.Errorf("stale signature: ParseWebhook error = %v, want ErrBadSignature", err)
	}
}
