package stripetest

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"masthead"
)

// WebhookSecret is a webhook signing secret for tests.
const WebhookSecret = "whsec_masthead_test"

// Event returns the JSON body of the Stripe webhook event that tells ev,
// shaped as Stripe sends it in API version 2025-08-27.basil (the version
// of stripe-go's APIVersion), so that billing's ParseWebhook maps it back
// onto ev:
//
//   - checkout.session.completed: a subscription-mode session with
//     client_reference_id = ev.AccountID, customer and subscription.
//   - customer.subscription.created, .updated, .deleted: the subscription
//     with metadata.account_id, status, cancel_at_period_end and one item
//     with ev.PriceID and current_period_end (basil keeps the period on
//     the items).
//   - invoice.paid, invoice.payment_failed: a "subscription_cycle" invoice
//     whose parent.subscription_details names ev.SubscriptionID (with
//     metadata.account_id) and whose one line's period ends at
//     ev.CurrentPeriodEnd.
//   - anything else: an event whose object is a bare {"id", "object"}.
//
// Empty fields of ev are left out or null, as Stripe does; ev.ID and
// ev.Created default to a made-up ID and the current time.
func Event(ev masthead.StripeEvent) []byte {
	if ev.ID == "" {
		ev.ID = "evt_" + strconv.FormatInt(time.Now().UnixNano(), 36)
	}
	if ev.Created.IsZero() {
		ev.Created = time.Now()
	}
	var account map[string]string
	if ev.AccountID != 0 {
		account = map[string]string{"account_id": strconv.FormatInt(ev.AccountID, 10)}
	}
	var object map[string]any
	switch ev.Type {
	case "checkout.session.completed":
		object = map[string]any{
			"id":                  "cs_test_" + ev.ID,
			"object":              "checkout.session",
			"mode":                "subscription",
			"status":              "complete",
			"payment_status":      "paid",
			"client_reference_id": nullIfZero(ev.AccountID),
			"customer":            nullIfEmpty(ev.CustomerID),
			"subscription":        nullIfEmpty(ev.SubscriptionID),
			"metadata":            orEmpty(account),
			"created":             ev.Created.Unix(),
		}
	case "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted":
		status := ev.Status
		if status == "" && ev.Type == "customer.subscription.deleted" {
			status = "canceled"
		}
		item := map[string]any{
			"id":                 "si_" + ev.SubscriptionID,
			"object":             "subscription_item",
			"subscription":       ev.SubscriptionID,
			"price":              map[string]any{"id": ev.PriceID, "object": "price"},
			"quantity":           1,
			"current_period_end": unixOrZero(ev.CurrentPeriodEnd),
		}
		if !ev.CurrentPeriodEnd.IsZero() {
			item["current_period_start"] = ev.CurrentPeriodEnd.AddDate(0, -1, 0).Unix()
		}
		object = map[string]any{
			"id":                   ev.SubscriptionID,
			"object":               "subscription",
			"customer":             nullIfEmpty(ev.CustomerID),
			"status":               status,
			"cancel_at_period_end": ev.CancelAtPeriodEnd,
			"metadata":             orEmpty(account),
			"items": map[string]any{
				"object":   "list",
				"data":     []any{item},
				"has_more": false,
				"url":      "/v1/subscription_items?subscription=" + ev.SubscriptionID,
			},
			"created": ev.Created.Unix(),
		}
	case "invoice.paid", "invoice.payment_failed":
		status, paid := "paid", int64(1000)
		if ev.Type == "invoice.payment_failed" {
			status, paid = "open", 0
		}
		line := map[string]any{
			"id":     "il_" + ev.ID,
			"object": "line_item",
			"parent": map[string]any{
				"type": "subscription_item_details",
				"subscription_item_details": map[string]any{
					"subscription":      ev.SubscriptionID,
					"subscription_item": "si_" + ev.SubscriptionID,
					"proration":         false,
				},
			},
			"pricing": map[string]any{
				"type":          "price_details",
				"price_details": map[string]any{"price": ev.PriceID},
			},
		}
		if !ev.CurrentPeriodEnd.IsZero() {
			line["period"] = map[string]any{
				"start": ev.CurrentPeriodEnd.AddDate(0, -1, 0).Unix(),
				"end":   ev.CurrentPeriodEnd.Unix(),
			}
		}
		object = map[string]any{
			"id":             "in_" + ev.ID,
			"object":         "invoice",
			"customer":       nullIfEmpty(ev.CustomerID),
			"status":         status,
			"billing_reason": "subscription_cycle",
			"amount_due":     1000,
			"amount_paid":    paid,
			"parent": map[string]any{
				"type": "subscription_details",
				"subscription_details": map[string]any{
					"subscription": nullIfEmpty(ev.SubscriptionID),
					"metadata":     orEmpty(account),
				},
			},
			"lines": map[string]any{
				"object":   "list",
				"data":     []any{line},
				"has_more": false,
				"url":      "/v1/invoices/in_" + ev.ID + "/lines",
			},
			"created": ev.Created.Unix(),
		}
	default:
		object = map[string]any{"id": "obj_" + ev.ID, "object": "unknown"}
	}
	b, err := json.Marshal(map[string]any{
		"id":               ev.ID,
		"object":           "event",
		"api_version":      stripe.APIVersion,
		"created":          ev.Created.Unix(),
		"type":             ev.Type,
		"livemode":         false,
		"pending_webhooks": 1,
		"request":          map[string]any{"id": nil, "idempotency_key": nil},
		"data":             map[string]any{"object": object},
	})
	if err != nil {
		panic(err) // maps of plain values always marshal
	}
	return b
}

// Sign returns the Stripe-Signature header of payload signed with secret
// at the time at (now, if at is zero), as Stripe signs webhook deliveries.
func Sign(payload []byte, secret string, at time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{
		Payload:   payload,
		Secret:    secret,
		Timestamp: at,
	}).Header
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullIfZero(id int64) any {
	if id == 0 {
		return nil
	}
	return strconv.FormatInt(id, 10)
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
