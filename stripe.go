package masthead

import (
	"fmt"
	"strings"
	"time"
)

// StripeVersion returns the order key of a Stripe event: events compare by
// when Stripe created them, then (within one second, where Stripe gives no
// order) by how late in a subscription's life their type comes, then by
// ID. Keys compare as strings.
func StripeVersion(ev StripeEvent) string {
	return fmt.Sprintf("%020d.%d.%s", ev.Created.Unix(), stripeTypeRank(ev.Type), ev.ID)
}

func stripeTypeRank(typ string) int {
	switch typ {
	case "checkout.session.completed":
		return 0
	case "customer.subscription.created":
		return 1
	case "invoice.paid", "invoice.payment_failed":
		return 2
	case "customer.subscription.updated":
		return 3
	case "customer.subscription.deleted":
		return 4
	}
	return 2
}

// NextSubscription returns the subscription as the Stripe event ev leaves
// it, and whether ev changed anything. cur is the stored subscription for
// ev's Stripe subscription (nil if none yet); plan is the plan of ev's
// price (nil to keep cur's). An event older than the newest applied one
// (by StripeVersion) changes no state, so events may arrive in any order
// and any number of times: the newest state wins. An older event only
// fills in what the subscription still lacks (its plan, customer,
// Stripe subscription and account), so that an invoice event applied
// before the subscription event it follows does not leave the
// subscription without a plan.
//
// Invoice events carry only a status (and, when paid, the new period end);
// subscription events carry the whole state. A past-due subscription keeps
// its entitlements for grace from the first failed payment.
func NextSubscription(cur *Subscription, ev StripeEvent, plan *Plan, grace time.Duration) (*Subscription, bool) {
	if !ev.HasSubscriptionState {
		return cur, false
	}
	version := StripeVersion(ev)
	if cur != nil && cur.StripeVersion >= version {
		return fillStripeGaps(cur, ev, plan)
	}
	next := &Subscription{}
	if cur != nil {
		c := *cur
		next = &c
	}
	next.StripeVersion = version
	next.Complimentary = false
	if ev.CustomerID != "" {
		next.StripeCustomerID = ev.CustomerID
	}
	if ev.SubscriptionID != "" {
		next.StripeSubscriptionID = ev.SubscriptionID
	}
	if ev.AccountID != 0 {
		next.AccountID = ev.AccountID
	}
	if plan != nil {
		next.Plan = plan
	}
	if !ev.CurrentPeriodEnd.IsZero() {
		next.CurrentPeriodEnd = ev.CurrentPeriodEnd
	}
	partial := strings.HasPrefix(ev.Type, "invoice.")
	cancelAtEnd := ev.CancelAtPeriodEnd
	if partial && cur != nil {
		cancelAtEnd = cur.Status == SubCancelled
	}
	prev := next.Status
	switch ev.Status {
	case "trialing":
		next.Status = SubTrialing
	case "active":
		next.Status = SubActive
	case "past_due", "unpaid":
		next.Status = SubPastDue
	default: // canceled, incomplete, incomplete_expired, paused
		next.Status = SubExpired
	}
	if cancelAtEnd && (next.Status == SubActive || next.Status == SubTrialing) {
		next.Status = SubCancelled
	}
	switch {
	case next.Status != SubPastDue:
		next.GraceEnd = time.Time{}
	case prev != SubPastDue || next.GraceEnd.IsZero():
		next.GraceEnd = ev.Created.Add(grace)
	}
	changed := cur == nil || *next != *cur
	return next, changed
}

// fillStripeGaps returns cur with what an older event ev (or a repeat of
// the newest) knows and cur lacks, and whether that changed anything. It
// never touches the state that the newest event set.
func fillStripeGaps(cur *Subscription, ev StripeEvent, plan *Plan) (*Subscription, bool) {
	next := *cur
	if next.Plan == nil && plan != nil {
		next.Plan = plan
	}
	if next.StripeCustomerID == "" {
		next.StripeCustomerID = ev.CustomerID
	}
	if next.StripeSubscriptionID == "" {
		next.StripeSubscriptionID = ev.SubscriptionID
	}
	if next.AccountID == 0 {
		next.AccountID = ev.AccountID
	}
	if next == *cur {
		return cur, false
	}
	return &next, true
}
