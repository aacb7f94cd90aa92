package sqldb_test

import (
	"context"
	"testing"
	"time"

	"masthead"
	"masthead/internal/sqldb"
)

// Only news that puts the Stripe subscription a grant replaced back in
// force, with a plan, replaces the grant; the rest is seen and ignored.
func TestComplimentaryReplacedOnlyByRegrant(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		for i, tc := range []struct {
			name     string
			ev       func(c time.Time, a int64, n int) masthead.StripeEvent
			wantComp bool
			wantPlan string
		}{
			{"recovered (updated, active)", func(c time.Time, a int64, n int) masthead.StripeEvent {
				return subEvent("", "customer.subscription.updated", c, a, n, "active", "price_premium_month", c.Add(30*24*time.Hour))
			}, false, "premium"},
			{"trialing", func(c time.Time, a int64, n int) masthead.StripeEvent {
				return subEvent("", "customer.subscription.updated", c, a, n, "trialing", "price_premium_month", c.Add(30*24*time.Hour))
			}, false, "premium"},
			{"invoice paid, no price", func(c time.Time, a int64, n int) masthead.StripeEvent {
				return subEvent("", "invoice.paid", c, a, n, "active", "", c.Add(30*24*time.Hour))
			}, true, "basic"},
			{"active but cancelled at a past period end", func(c time.Time, a int64, n int) masthead.StripeEvent {
				ev := subEvent("", "customer.subscription.updated", c, a, n, "active", "price_premium_month", c.Add(-time.Hour))
				ev.CancelAtPeriodEnd = true
				return ev
			}, true, "basic"},
			{"incomplete", func(c time.Time, a int64, n int) masthead.StripeEvent {
				return subEvent("", "customer.subscription.updated", c, a, n, "incomplete", "price_premium_month", c.Add(30*24*time.Hour))
			}, true, "basic"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ctx := context.Background()
				f := newBilling(t, db, clk)
				n := 200 + i
				acc := f.account("regrant" + string(rune('a'+i)) + "@example.com")
				t0 := clk.Now()
				defer clk.Set(t0)
				f.apply(subEvent("evt_rg_created_"+tc.name, "customer.subscription.created", t0, acc.ID, n, "active", "price_premium_month", t0.Add(30*24*time.Hour)))
				f.apply(subEvent("evt_rg_failed_"+tc.name, "invoice.payment_failed", t0.Add(time.Hour), acc.ID, n, "past_due", "", time.Time{}))
				clk.Set(t0.Add(10 * 24 * time.Hour))
				if _, err := f.subs.GrantComplimentary(ctx, acc.ID, "basic", t0.Add(60*24*time.Hour), masthead.Actor{}); err != nil {
					t.Fatalf("GrantComplimentary: %v", err)
				}
				at := t0.Add(14 * 24 * time.Hour)
				clk.Set(at)
				late := tc.ev(at, acc.ID, n)
				late.ID = "evt_rg_late_" + tc.name
				if !f.apply(late) {
					t.Errorf("the event was not recorded as seen")
				}
				got := f.current(acc.ID)
				if got.Complimentary != tc.wantComp || got.Plan == nil || got.Plan.Slug != tc.wantPlan {
					t.Errorf("after the event: complimentary %v, plan %v; want %v, %s", got.Complimentary, got.Plan, tc.wantComp, tc.wantPlan)
				}
			})
		}
	})
}
