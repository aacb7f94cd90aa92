package masthead_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"masthead"
)

const grace = masthead.DefaultGracePeriod

// stripeWorld holds the plans events refer to by price.
type stripeWorld struct {
	standard, premium *masthead.Plan
}

func newStripeWorld() stripeWorld {
	_, standard, premium := demoPlans()
	return stripeWorld{standard: standard, premium: premium}
}

// planOf returns the plan of an event's price: nil for events without one,
// as the store passes it.
func (w stripeWorld) planOf(ev masthead.StripeEvent) *masthead.Plan {
	switch ev.PriceID {
	case "price_std_month":
		return w.standard
	case "price_prem_month":
		return w.premium
	}
	return nil
}

func (w stripeWorld) apply(cur *masthead.Subscription, ev masthead.StripeEvent) (*masthead.Subscription, bool) {
	return masthead.NextSubscription(cur, ev, w.planOf(ev), grace)
}

func (w stripeWorld) applyAll(evs []masthead.StripeEvent) *masthead.Subscription {
	var cur *masthead.Subscription
	for _, ev := range evs {
		cur, _ = w.apply(cur, ev)
	}
	return cur
}

// diffSub describes how got differs from want, or returns "".
func diffSub(got, want *masthead.Subscription) string {
	switch {
	case got == nil && want == nil:
		return ""
	case got == nil || want == nil:
		return fmt.Sprintf("got %v, want %v", got, want)
	}
	var d string
	add := func(field string, g, w any) { d += fmt.Sprintf("\n\t%s = %v, want %v", field, g, w) }
	if got.Status != want.Status {
		add("Status", got.Status, want.Status)
	}
	if got.Plan != want.Plan {
		add("Plan", slugOf(got.Plan), slugOf(want.Plan))
	}
	if !got.CurrentPeriodEnd.Equal(want.CurrentPeriodEnd) {
		add("CurrentPeriodEnd", got.CurrentPeriodEnd, want.CurrentPeriodEnd)
	}
	if !got.GraceEnd.Equal(want.GraceEnd) {
		add("GraceEnd", got.GraceEnd, want.GraceEnd)
	}
	if got.StripeVersion != want.StripeVersion {
		add("StripeVersion", got.StripeVersion, want.StripeVersion)
	}
	if got.StripeCustomerID != want.StripeCustomerID || got.StripeSubscriptionID != want.StripeSubscriptionID || got.AccountID != want.AccountID {
		add("customer/subscription/account", fmt.Sprint(got.StripeCustomerID, got.StripeSubscriptionID, got.AccountID),
			fmt.Sprint(want.StripeCustomerID, want.StripeSubscriptionID, want.AccountID))
	}
	if got.Complimentary != want.Complimentary {
		add("Complimentary", got.Complimentary, want.Complimentary)
	}
	return d
}

func slugOf(p *masthead.Plan) string {
	if p == nil {
		return "<nil>"
	}
	return p.Slug
}

var (
	stripeT0    = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC) // checkout
	trialEnd    = stripeT0.AddDate(0, 0, 14)
	firstEnd    = trialEnd.AddDate(0, 1, 0) // first paid period's end, the first renewal
	secondEnd   = firstEnd.AddDate(0, 1, 0)
	failedAt    = firstEnd.Add(time.Hour) // the renewal payment fails
	recoveredAt = failedAt.AddDate(0, 0, 3)
	cancelledAt = recoveredAt.AddDate(0, 0, 7)
)

// subEvent returns an event carrying a Stripe subscription's state.
func subEvent(id, typ string, created time.Time, status string, periodEnd time.Time) masthead.StripeEvent {
	ev := masthead.StripeEvent{
		ID: id, Type: typ, Created: created,
		CustomerID: "cus_1", SubscriptionID: "sub_1", Status: status,
		CurrentPeriodEnd: periodEnd, HasSubscriptionState: true,
	}
	if typ != "invoice.paid" && typ != "invoice.payment_failed" {
		ev.AccountID = 42
		ev.PriceID = "price_std_month"
	}
	return ev
}

// lifecycle is a subscription's life, in order: a trial, payment, a
// failed renewal that is recovered, a cancellation at period end, and the
// end.
func lifecycle() []masthead.StripeEvent {
	cancel := subEvent("evt_7", "customer.subscription.updated", cancelledAt, "active", secondEnd)
	cancel.CancelAtPeriodEnd = true
	deleted := subEvent("evt_8", "customer.subscription.deleted", secondEnd, "canceled", secondEnd)
	deleted.CancelAtPeriodEnd = true
	return []masthead.StripeEvent{
		subEvent("evt_1", "customer.subscription.created", stripeT0, "trialing", trialEnd),
		subEvent("evt_2", "customer.subscription.updated", trialEnd, "active", firstEnd),
		subEvent("evt_3", "invoice.paid", trialEnd.Add(time.Second), "active", firstEnd),
		subEvent("evt_4", "invoice.payment_failed", failedAt, "past_due", time.Time{}),
		subEvent("evt_5", "customer.subscription.updated", failedAt.Add(time.Second), "past_due", secondEnd),
		subEvent("evt_6", "invoice.paid", recoveredAt, "active", secondEnd),
		cancel,
		deleted,
	}
}

func TestNextSubscriptionLifecycle(t *testing.T) {
	w := newStripeWorld()
	evs := lifecycle()
	type state struct {
		status    masthead.SubscriptionStatus
		periodEnd time.Time
		graceEnd  time.Time
		// grants at the event's time plus an hour
		grants bool
	}
	want := []state{
		{masthead.SubTrialing, trialEnd, time.Time{}, true},
		{masthead.SubActive, firstEnd, time.Time{}, true},
		{masthead.SubActive, firstEnd, time.Time{}, true},
		{masthead.SubPastDue, firstEnd, failedAt.Add(grace), true},
		{masthead.SubPastDue, secondEnd, failedAt.Add(grace), true},
		{masthead.SubActive, secondEnd, time.Time{}, true},
		{masthead.SubCancelled, secondEnd, time.Time{}, true},
		{masthead.SubExpired, secondEnd, time.Time{}, false},
	}
	var cur *masthead.Subscription
	for i, ev := range evs {
		t.Run(fmt.Sprintf("%d %s %s", i+1, ev.Type, ev.Status), func(t *testing.T) {
			next, changed := w.apply(cur, ev)
			if !changed {
				t.Fatalf("changed = false, want true")
			}
			wt := want[i]
			if next.Status != wt.status || !next.CurrentPeriodEnd.Equal(wt.periodEnd) || !next.GraceEnd.Equal(wt.graceEnd) {
				t.Errorf("status %s, period end %v, grace end %v; want %s, %v, %v",
					next.Status, next.CurrentPeriodEnd, next.GraceEnd, wt.status, wt.periodEnd, wt.graceEnd)
			}
			if next.Plan != w.standard {
				t.Errorf("Plan = %s, want standard", slugOf(next.Plan))
			}
			if next.StripeCustomerID != "cus_1" || next.StripeSubscriptionID != "sub_1" || next.AccountID != 42 {
				t.Errorf("customer %q, subscription %q, account %d; want cus_1, sub_1, 42",
					next.StripeCustomerID, next.StripeSubscriptionID, next.AccountID)
			}
			if got := next.StripeVersion; got != masthead.StripeVersion(ev) {
				t.Errorf("StripeVersion = %q, want %q", got, masthead.StripeVersion(ev))
			}
			if got := next.Grants(ev.Created.Add(time.Hour)); got != wt.grants {
				t.Errorf("Grants an hour after the event = %v, want %v", got, wt.grants)
			}
			// The same event again changes nothing.
			again, changed := w.apply(next, ev)
			if changed || again != next {
				t.Errorf("second delivery: changed = %v, same subscription = %v; want false, true", changed, again == next)
			}
			cur = next
		})
	}
	t.Run("grace ends a week after the failure", func(t *testing.T) {
		s := w.applyAll(evs[:5])
		if !s.Grants(failedAt.Add(grace - time.Nanosecond)) {
			t.Errorf("Grants just before the grace end = false, want true")
		}
		if s.Grants(failedAt.Add(grace)) {
			t.Errorf("Grants at the grace end = true, want false")
		}
	})
	t.Run("cancelled keeps the plan until the period end", func(t *testing.T) {
		s := w.applyAll(evs[:7])
		if !s.Grants(secondEnd.Add(-time.Nanosecond)) || s.Grants(secondEnd) {
			t.Errorf("Grants just before / at the period end = %v / %v, want true / false",
				s.Grants(secondEnd.Add(-time.Nanosecond)), s.Grants(secondEnd))
		}
	})
}

func TestNextSubscriptionAnyOrder(t *testing.T) {
	w := newStripeWorld()
	evs := lifecycle()
	want := w.applyAll(evs)
	rng := rand.New(rand.NewPCG(2026, 4))
	t.Run("1000 orderings of the whole life", func(t *testing.T) {
		for i := range 1000 {
			order := slices.Clone(evs)
			rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
			if d := diffSub(w.applyAll(order), want); d != "" {
				t.Fatalf("ordering %d (%s): final state differs:%s", i, eventIDs(order), d)
			}
		}
	})
	// Every prefix of the life, delivered in any order, must leave the
	// subscription with the same status, plan and entitlements as in
	// order (an invoice event arriving first must not leave it without
	// its plan).
	for n := 1; n <= len(evs); n++ {
		t.Run(fmt.Sprintf("orderings of the first %d events", n), func(t *testing.T) {
			prefix := evs[:n]
			want := w.applyAll(prefix)
			probes := []time.Time{prefix[n-1].Created.Add(time.Hour), prefix[n-1].Created.AddDate(0, 0, 6), prefix[n-1].Created.AddDate(0, 0, 20)}
			for i := range 200 {
				order := slices.Clone(prefix)
				rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
				got := w.applyAll(order)
				if got.Status != want.Status || got.Plan != want.Plan || got.StripeVersion != want.StripeVersion {
					t.Fatalf("ordering %d (%s): status %s, plan %s, version %s; want %s, %s, %s", i, eventIDs(order),
						got.Status, slugOf(got.Plan), got.StripeVersion, want.Status, slugOf(want.Plan), want.StripeVersion)
				}
				for _, p := range probes {
					if got.Grants(p) != want.Grants(p) {
						t.Fatalf("ordering %d (%s): Grants(%v) = %v, want %v", i, eventIDs(order), p, got.Grants(p), want.Grants(p))
					}
				}
			}
		})
	}
}

func eventIDs(evs []masthead.StripeEvent) string {
	var s string
	for _, ev := range evs {
		s += ev.ID[len("evt_"):]
	}
	return s
}

func TestNextSubscriptionRedelivery(t *testing.T) {
	w := newStripeWorld()
	evs := lifecycle()
	want := w.applyAll(evs)
	t.Run("each event 20 times in a row", func(t *testing.T) {
		var cur *masthead.Subscription
		for _, ev := range evs {
			changes := 0
			for range 20 {
				var changed bool
				cur, changed = w.apply(cur, ev)
				if changed {
					changes++
				}
			}
			if changes != 1 {
				t.Errorf("%s delivered 20 times changed state %d times, want 1", ev.ID, changes)
			}
		}
		if d := diffSub(cur, want); d != "" {
			t.Errorf("final state differs:%s", d)
		}
	})
	t.Run("each event 20 times, shuffled", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(7, 7))
		for round := range 50 {
			var stream []masthead.StripeEvent
			for _, ev := range evs {
				for range 20 {
					stream = append(stream, ev)
				}
			}
			rng.Shuffle(len(stream), func(a, b int) { stream[a], stream[b] = stream[b], stream[a] })
			var cur *masthead.Subscription
			changes := map[string]int{}
			for _, ev := range stream {
				var changed bool
				cur, changed = w.apply(cur, ev)
				if changed {
					changes[ev.ID]++
				}
			}
			for id, n := range changes {
				if n > 1 {
					t.Errorf("round %d: %s changed state %d times, want at most 1", round, id, n)
				}
			}
			if d := diffSub(cur, want); d != "" {
				t.Fatalf("round %d: final state differs:%s", round, d)
			}
		}
	})
}

func TestStripeVersion(t *testing.T) {
	sec := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	ev := func(id, typ string, created time.Time) masthead.StripeEvent {
		return masthead.StripeEvent{ID: id, Type: typ, Created: created}
	}
	// In increasing order.
	ordered := []masthead.StripeEvent{
		ev("evt_z", "customer.subscription.deleted", time.Unix(999_999_999, 0)),
		ev("evt_a", "customer.subscription.created", time.Unix(1_000_000_000, 0)),
		ev("evt_z", "checkout.session.completed", sec),
		ev("evt_y", "customer.subscription.created", sec),
		ev("evt_a", "invoice.paid", sec.Add(999*time.Millisecond)),
		ev("evt_b", "invoice.payment_failed", sec),
		ev("evt_c", "customer.subscription.updated", sec),
		ev("evt_d", "customer.subscription.updated", sec),
		ev("evt_a", "customer.subscription.deleted", sec),
		ev("evt_0", "checkout.session.completed", sec.Add(time.Second)),
	}
	for i := 1; i < len(ordered); i++ {
		a, b := ordered[i-1], ordered[i]
		t.Run(fmt.Sprintf("%s %s before %s %s", a.Type, a.ID, b.Type, b.ID), func(t *testing.T) {
			va, vb := masthead.StripeVersion(a), masthead.StripeVersion(b)
			if va >= vb {
				t.Errorf("StripeVersion: %q >= %q, want <", va, vb)
			}
		})
	}
	t.Run("sorting versions sorts events", func(t *testing.T) {
		var vs []string
		for _, e := range ordered {
			vs = append(vs, masthead.StripeVersion(e))
		}
		if !sort.StringsAreSorted(vs) {
			t.Errorf("versions not sorted: %q", vs)
		}
	})
}

func TestNextSubscriptionSameSecond(t *testing.T) {
	w := newStripeWorld()
	sec := stripeT0
	created := subEvent("evt_b", "customer.subscription.created", sec, "trialing", trialEnd)
	updated := subEvent("evt_a", "customer.subscription.updated", sec, "active", firstEnd)
	paid := subEvent("evt_c", "invoice.paid", sec, "active", firstEnd)
	deleted := subEvent("evt_d", "customer.subscription.deleted", sec, "canceled", firstEnd)
	cancel := subEvent("evt_e", "customer.subscription.updated", sec, "active", firstEnd)
	cancel.CancelAtPeriodEnd = true
	tests := []struct {
		name string
		evs  []masthead.StripeEvent
		want masthead.SubscriptionStatus
	}{
		{"created then updated", []masthead.StripeEvent{created, updated}, masthead.SubActive},
		{"updated then created", []masthead.StripeEvent{updated, created}, masthead.SubActive},
		{"deleted then updated", []masthead.StripeEvent{deleted, updated}, masthead.SubExpired},
		{"updated then deleted", []masthead.StripeEvent{updated, deleted}, masthead.SubExpired},
		{"cancel then invoice", []masthead.StripeEvent{cancel, paid}, masthead.SubCancelled},
		{"invoice then cancel", []masthead.StripeEvent{paid, cancel}, masthead.SubCancelled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := w.applyAll(tt.evs); got.Status != tt.want {
				t.Errorf("status = %s, want %s", got.Status, tt.want)
			}
		})
	}
}

func TestNextSubscriptionGrace(t *testing.T) {
	w := newStripeWorld()
	active := subEvent("evt_1", "customer.subscription.updated", stripeT0, "active", firstEnd)
	fail1 := subEvent("evt_2", "invoice.payment_failed", failedAt, "past_due", time.Time{})
	pastDue := subEvent("evt_3", "customer.subscription.updated", failedAt.Add(time.Minute), "past_due", secondEnd)
	retry := subEvent("evt_4", "invoice.payment_failed", failedAt.AddDate(0, 0, 3), "past_due", time.Time{})
	unpaid := subEvent("evt_5", "customer.subscription.updated", failedAt.AddDate(0, 0, 5), "unpaid", secondEnd)
	paid := subEvent("evt_6", "invoice.paid", failedAt.AddDate(0, 0, 6), "active", secondEnd)
	fail2 := subEvent("evt_7", "invoice.payment_failed", secondEnd.Add(time.Hour), "past_due", time.Time{})

	t.Run("later failures do not extend the grace", func(t *testing.T) {
		s := w.applyAll([]masthead.StripeEvent{active, fail1, pastDue, retry, unpaid})
		if s.Status != masthead.SubPastDue || !s.GraceEnd.Equal(failedAt.Add(grace)) {
			t.Errorf("status %s, grace end %v; want past_due, %v", s.Status, s.GraceEnd, failedAt.Add(grace))
		}
		if s.Grants(failedAt.Add(grace)) {
			t.Errorf("Grants at the first failure's grace end = true, want false")
		}
	})
	t.Run("a payment clears the grace", func(t *testing.T) {
		s := w.applyAll([]masthead.StripeEvent{active, fail1, pastDue, paid})
		if s.Status != masthead.SubActive || !s.GraceEnd.IsZero() {
			t.Errorf("status %s, grace end %v; want active, zero", s.Status, s.GraceEnd)
		}
	})
	t.Run("a new failure after recovery starts a new grace", func(t *testing.T) {
		s := w.applyAll([]masthead.StripeEvent{active, fail1, pastDue, paid, fail2})
		if want := fail2.Created.Add(grace); s.Status != masthead.SubPastDue || !s.GraceEnd.Equal(want) {
			t.Errorf("status %s, grace end %v; want past_due, %v", s.Status, s.GraceEnd, want)
		}
	})
	t.Run("first failure arriving first", func(t *testing.T) {
		s := w.applyAll([]masthead.StripeEvent{fail1})
		if s.Status != masthead.SubPastDue || !s.GraceEnd.Equal(failedAt.Add(grace)) {
			t.Errorf("status %s, grace end %v; want past_due, %v", s.Status, s.GraceEnd, failedAt.Add(grace))
		}
	})
}

func TestNextSubscriptionInvoiceKeepsCancel(t *testing.T) {
	w := newStripeWorld()
	cancel := subEvent("evt_1", "customer.subscription.updated", stripeT0, "active", firstEnd)
	cancel.CancelAtPeriodEnd = true
	paid := subEvent("evt_2", "invoice.paid", stripeT0.Add(time.Minute), "active", firstEnd)
	s := w.applyAll([]masthead.StripeEvent{cancel, paid})
	if s.Status != masthead.SubCancelled {
		t.Errorf("status after invoice.paid = %s, want cancelled", s.Status)
	}
	resume := subEvent("evt_3", "customer.subscription.updated", stripeT0.Add(time.Hour), "active", firstEnd)
	if s, _ = w.apply(s, resume); s.Status != masthead.SubActive {
		t.Errorf("status after resuming = %s, want active", s.Status)
	}
}

func TestNextSubscriptionWithoutState(t *testing.T) {
	w := newStripeWorld()
	link := masthead.StripeEvent{ID: "evt_9", Type: "checkout.session.completed", Created: stripeT0.Add(time.Hour),
		AccountID: 7, CustomerID: "cus_other", SubscriptionID: "sub_other", Status: "canceled"}
	t.Run("no subscription yet", func(t *testing.T) {
		if got, changed := w.apply(nil, link); got != nil || changed {
			t.Errorf("NextSubscription(nil, link) = %v, %v; want nil, false", got, changed)
		}
	})
	t.Run("existing subscription", func(t *testing.T) {
		cur := w.applyAll(lifecycle()[:2])
		before := *cur
		got, changed := w.apply(cur, link)
		if changed || got != cur {
			t.Errorf("changed = %v, same subscription = %v; want false, true", changed, got == cur)
		}
		if d := diffSub(cur, &before); d != "" {
			t.Errorf("subscription modified:%s", d)
		}
	})
}

func TestNextSubscriptionPlanSwitch(t *testing.T) {
	w := newStripeWorld()
	created := subEvent("evt_1", "customer.subscription.created", stripeT0, "active", firstEnd)
	upgrade := subEvent("evt_2", "customer.subscription.updated", stripeT0.Add(time.Hour), "active", firstEnd)
	upgrade.PriceID = "price_prem_month"
	paid := subEvent("evt_3", "invoice.paid", stripeT0.Add(time.Hour+time.Second), "active", firstEnd)

	tests := []struct {
		name string
		evs  []masthead.StripeEvent
		want *masthead.Plan
	}{
		{"upgrade", []masthead.StripeEvent{created, upgrade}, w.premium},
		{"invoice after upgrade keeps it", []masthead.StripeEvent{created, upgrade, paid}, w.premium},
		{"older event after upgrade keeps it", []masthead.StripeEvent{upgrade, created}, w.premium},
		{"invoice first, then the upgrade", []masthead.StripeEvent{paid, upgrade}, w.premium},
		{"invoice first, then the creation", []masthead.StripeEvent{paid, created}, w.standard},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := w.applyAll(tt.evs); got.Plan != tt.want {
				t.Errorf("Plan = %s, want %s", slugOf(got.Plan), slugOf(tt.want))
			}
		})
	}
	t.Run("an older event fills in only what is missing", func(t *testing.T) {
		s, _ := w.apply(nil, paid) // invoice events carry no price or account
		if s.Plan != nil || s.AccountID != 0 {
			t.Fatalf("after invoice.paid alone: plan %s, account %d; want none", slugOf(s.Plan), s.AccountID)
		}
		s2, changed := w.apply(s, created)
		if !changed || s2.Plan != w.standard || s2.AccountID != 42 {
			t.Errorf("older created event: changed %v, plan %s, account %d; want true, standard, 42", changed, slugOf(s2.Plan), s2.AccountID)
		}
		if s2.StripeVersion != s.StripeVersion || s2.Status != s.Status || !s2.CurrentPeriodEnd.Equal(s.CurrentPeriodEnd) {
			t.Errorf("older event changed the state: version %s, status %s, period end %v; want %s, %s, %v",
				s2.StripeVersion, s2.Status, s2.CurrentPeriodEnd, s.StripeVersion, s.Status, s.CurrentPeriodEnd)
		}
		if s.Plan != nil {
			t.Errorf("the stored subscription was modified in place")
		}
		if _, changed := w.apply(s2, created); changed {
			t.Errorf("older event again: changed = true, want false")
		}
	})
}

func TestNextSubscriptionStatuses(t *testing.T) {
	w := newStripeWorld()
	tests := []struct {
		status      string
		cancelAtEnd bool
		want        masthead.SubscriptionStatus
	}{
		{"trialing", false, masthead.SubTrialing},
		{"trialing", true, masthead.SubCancelled},
		{"active", false, masthead.SubActive},
		{"active", true, masthead.SubCancelled},
		{"past_due", false, masthead.SubPastDue},
		{"past_due", true, masthead.SubPastDue},
		{"unpaid", false, masthead.SubPastDue},
		{"canceled", false, masthead.SubExpired},
		{"canceled", true, masthead.SubExpired},
		{"incomplete", false, masthead.SubExpired},
		{"incomplete_expired", false, masthead.SubExpired},
		{"paused", false, masthead.SubExpired},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s cancel_at_period_end=%v", tt.status, tt.cancelAtEnd), func(t *testing.T) {
			ev := subEvent("evt_1", "customer.subscription.updated", stripeT0, tt.status, firstEnd)
			ev.CancelAtPeriodEnd = tt.cancelAtEnd
			got, changed := w.apply(nil, ev)
			if !changed || got.Status != tt.want {
				t.Errorf("status = %s (changed %v), want %s", got.Status, changed, tt.want)
			}
			wantGrace := time.Time{}
			if tt.want == masthead.SubPastDue {
				wantGrace = stripeT0.Add(grace)
			}
			if !got.GraceEnd.Equal(wantGrace) {
				t.Errorf("GraceEnd = %v, want %v", got.GraceEnd, wantGrace)
			}
		})
	}
	t.Run("a Stripe event ends a complimentary grant", func(t *testing.T) {
		comp := &masthead.Subscription{Plan: w.premium, Status: masthead.SubActive, Complimentary: true, CurrentPeriodEnd: secondEnd}
		got, _ := w.apply(comp, subEvent("evt_1", "customer.subscription.created", stripeT0, "active", firstEnd))
		if got.Complimentary || !comp.Complimentary {
			t.Errorf("Complimentary = %v (stored copy %v), want false (true)", got.Complimentary, comp.Complimentary)
		}
	})
}
