package billing

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"masthead"
)

// ParseWebhook verifies a Stripe webhook delivery — payload is the
// request body as received, signature the Stripe-Signature header — and
// maps its event onto a masthead.StripeEvent.
//
// A missing, malformed or wrong signature, or one made longer ago than the
// tolerance (by the configured clock), gives an error wrapping
// ErrBadSignature; the caller must answer 400 and change nothing.
//
// Mapped event types:
//
//   - checkout.session.completed links an account (client_reference_id)
//     to its Stripe customer and subscription; it carries no subscription
//     state.
//   - customer.subscription.created, .updated and .deleted carry the
//     whole state: account (metadata.account_id), customer, price and
//     current period end of the first item, status ("canceled" when
//     deleted) and cancel_at_period_end.
//   - invoice.paid ("active", and the period end of the invoice's lines)
//     and invoice.payment_failed ("past_due") carry a status only. The
//     zero-amount invoice that opens a trial says nothing about payment
//     and carries no state; a failed first payment leaves the
//     subscription "incomplete", not past due; an invoice of no
//     subscription carries no state.
//
// Any other type gives a StripeEvent with its ID, type and creation time
// and HasSubscriptionState false, for the caller to record and ignore.
func (c *Client) ParseWebhook(payload []byte, signature string) (masthead.StripeEvent, error) {
	if c == nil {
		return masthead.StripeEvent{}, ErrDisabled
	}
	if err := c.verify(payload, signature); err != nil {
		return masthead.StripeEvent{}, err
	}
	// The signature (and its age) is checked above, against the
	// configured clock; the library checks it again without the age, and
	// the API version is checked below with a clearer error.
	e, err := webhook.ConstructEventWithOptions(payload, signature, c.webhookSecret, webhook.ConstructEventOptions{
		IgnoreTolerance:          true,
		IgnoreAPIVersionMismatch: true,
	})
	if err != nil {
		if isSignatureError(err) {
			return masthead.StripeEvent{}, fmt.Errorf("%w: %w", ErrBadSignature, err)
		}
		return masthead.StripeEvent{}, fmt.Errorf("billing: webhook: %w", err)
	}
	if !compatibleAPIVersion(e.APIVersion) {
		return masthead.StripeEvent{}, fmt.Errorf("%w: event %s is of API version %q, not of %q's release train (set the webhook endpoint's API version)",
			ErrAPIVersion, e.ID, e.APIVersion, stripe.APIVersion)
	}
	ev, err := mapEvent(&e)
	if err != nil {
		return masthead.StripeEvent{}, fmt.Errorf("billing: webhook: event %s (%s): %w", e.ID, e.Type, err)
	}
	return ev, nil
}

// verify checks the Stripe-Signature header: a timestamp no older than
// the tolerance by c.now, and an HMAC of the payload with the webhook
// secret.
func (c *Client) verify(payload []byte, header string) error {
	if header == "" {
		return fmt.Errorf("%w: %w", ErrBadSignature, webhook.ErrNotSigned)
	}
	var ts int64 = -1
	for pair := range strings.SplitSeq(header, ",") {
		if v, ok := strings.CutPrefix(pair, "t="); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return fmt.Errorf("%w: %w", ErrBadSignature, webhook.ErrInvalidHeader)
			}
			ts = n
		}
	}
	if ts < 0 {
		return fmt.Errorf("%w: %w", ErrBadSignature, webhook.ErrInvalidHeader)
	}
	if age := c.now().Sub(time.Unix(ts, 0)); age > c.tolerance {
		return fmt.Errorf("%w: signed %v ago, more than %v: %w", ErrBadSignature, age.Round(time.Second), c.tolerance, webhook.ErrTooOld)
	}
	if err := webhook.ValidatePayloadIgnoringTolerance(payload, header, c.webhookSecret); err != nil {
		return fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	return nil
}

func isSignatureError(err error) bool {
	return errors.Is(err, webhook.ErrNotSigned) || errors.Is(err, webhook.ErrInvalidHeader) ||
		errors.Is(err, webhook.ErrNoValidSignature) || errors.Is(err, webhook.ErrTooOld)
}

// compatibleAPIVersion reports whether an event rendered in API version v
// has the objects this package reads: v is of stripe.APIVersion's release
// train ("2025-08-27.basil" → "basil"). An event without a version
// (hand-made ones) is taken as compatible.
func compatibleAPIVersion(v string) bool {
	if v == "" {
		return true
	}
	_, train, ok := strings.Cut(v, ".")
	return ok && train == stripe.APIMajorVersion
}

// mapEvent maps a verified event onto a masthead.StripeEvent.
func mapEvent(e *stripe.Event) (masthead.StripeEvent, error) {
	ev := masthead.StripeEvent{
		ID:      e.ID,
		Type:    string(e.Type),
		Created: time.Unix(e.Created, 0).UTC(),
	}
	if e.Data == nil {
		return ev, nil
	}
	switch e.Type {
	case stripe.EventTypeCheckoutSessionCompleted:
		var s stripe.CheckoutSession
		if err := json.Unmarshal(e.Data.Raw, &s); err != nil {
			return ev, err
		}
		ev.AccountID = parseAccountID(s.ClientReferenceID)
		if ev.AccountID == 0 {
			ev.AccountID = parseAccountID(s.Metadata[metadataAccountID])
		}
		if s.Customer != nil {
			ev.CustomerID = s.Customer.ID
		}
		if s.Subscription != nil {
			ev.SubscriptionID = s.Subscription.ID
		}

	case stripe.EventTypeCustomerSubscriptionCreated,
		stripe.EventTypeCustomerSubscriptionUpdated,
		stripe.EventTypeCustomerSubscriptionDeleted:
		var s stripe.Subscription
		if err := json.Unmarshal(e.Data.Raw, &s); err != nil {
			return ev, err
		}
		if s.ID == "" {
			return ev, errors.New("subscription without an ID")
		}
		ev.AccountID = parseAccountID(s.Metadata[metadataAccountID])
		if s.Customer != nil {
			ev.CustomerID = s.Customer.ID
		}
		ev.SubscriptionID = s.ID
		ev.Status = string(s.Status)
		if e.Type == stripe.EventTypeCustomerSubscriptionDeleted {
			ev.Status = string(stripe.SubscriptionStatusCanceled)
		}
		ev.CancelAtPeriodEnd = s.CancelAtPeriodEnd
		// In API 2025-03-31.basil and later the period lives on the
		// items, not on the subscription.
		if s.Items != nil && len(s.Items.Data) > 0 && s.Items.Data[0] != nil {
			item := s.Items.Data[0]
			if item.Price != nil {
				ev.PriceID = item.Price.ID
			}
			ev.CurrentPeriodEnd = unixTime(item.CurrentPeriodEnd)
		}
		ev.HasSubscriptionState = true

	case stripe.EventTypeInvoicePaid, stripe.EventTypeInvoicePaymentFailed:
		var in stripe.Invoice
		if err := json.Unmarshal(e.Data.Raw, &in); err != nil {
			return ev, err
		}
		if in.Customer != nil {
			ev.CustomerID = in.Customer.ID
		}
		// In API 2025-03-31.basil and later an invoice names its
		// subscription under parent.subscription_details.
		if in.Parent == nil || in.Parent.SubscriptionDetails == nil || in.Parent.SubscriptionDetails.Subscription == nil ||
			in.Parent.SubscriptionDetails.Subscription.ID == "" {
			return ev, nil // not a subscription's invoice
		}
		details := in.Parent.SubscriptionDetails
		ev.SubscriptionID = details.Subscription.ID
		ev.AccountID = parseAccountID(details.Metadata[metadataAccountID])
		firstInvoice := in.BillingReason == stripe.InvoiceBillingReasonSubscriptionCreate
		if e.Type == stripe.EventTypeInvoicePaid {
			if firstInvoice && in.AmountPaid == 0 {
				// The invoice that opens a free trial: the
				// subscription is trialing, not active.
				return ev, nil
			}
			ev.Status = string(stripe.SubscriptionStatusActive)
			ev.CurrentPeriodEnd = linesPeriodEnd(&in, ev.SubscriptionID)
		} else {
			ev.Status = string(stripe.SubscriptionStatusPastDue)
			if firstInvoice {
				ev.Status = string(stripe.SubscriptionStatusIncomplete)
			}
		}
		ev.HasSubscriptionState = true
	}
	return ev, nil
}

// linesPeriodEnd returns the latest period end of the invoice's lines for
// the subscription (lines of other or unknown subscriptions count too when
// no line names one), or the zero time.
func linesPeriodEnd(in *stripe.Invoice, subscriptionID string) time.Time {
	if in.Lines == nil {
		return time.Time{}
	}
	var end int64
	for _, l := range in.Lines.Data {
		if l == nil || l.Period == nil {
			continue
		}
		if sub := lineSubscription(l); sub != "" && sub != subscriptionID {
			continue
		}
		end = max(end, l.Period.End)
	}
	return unixTime(end)
}

// lineSubscription returns the subscription an invoice line bills, or "".
func lineSubscription(l *stripe.InvoiceLineItem) string {
	if l.Subscription != nil && l.Subscription.ID != "" {
		return l.Subscription.ID
	}
	if p := l.Parent; p != nil && p.SubscriptionItemDetails != nil {
		return p.SubscriptionItemDetails.Subscription
	}
	return ""
}

// parseAccountID returns the account ID in s, or 0 if s holds none.
func parseAccountID(s string) int64 {
	id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

func unixTime(sec int64) time.Time {
	if sec <= 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}
