package sqldb_test

import (
	"context"
	"testing"
	"time"

	"masthead"
	"masthead/internal/sqldb"
)

// A paid subscription falls past due and its grace ends, so staff may (and
// do) grant a complimentary plan. Stripe keeps retrying the card for weeks
// and then ends the subscription: those later events are about the Stripe
// subscription the grant replaced. None of them may take the grant away.
// GrantComplimentary keeps the old Stripe IDs and version only to shield
// the grant from *older* events; newer news of the same, failed
// subscription still overwrites it (Complimentary becomes false).
func TestComplimentarySurvivesDunningOfReplacedSubscription(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		for i, tc := range []struct {
			name string
			ev   func(created time.Time, accountID int64, n int) masthead.StripeEvent
		}{
			{"retry fails (invoice.payment_failed)", func(c time.Time, a int64, n int) masthead.StripeEvent {
				ev := subEvent("", "invoice.payment_failed", c, a, n, "past_due", "", time.Time{})
				return ev
			}},
			{"subscription unpaid (updated)", func(c time.Time, a int64, n int) masthead.StripeEvent {
				return subEvent("", "customer.subscription.updated", c, a, n, "unpaid", "price_premium_month", c.Add(24*time.Hour))
			}},
			{"dunning ends (deleted)", func(c time.Time, a int64, n int) masthead.StripeEvent {
				return subEvent("", "customer.subscription.deleted", c, a, n, "canceled", "price_premium_month", c.Add(24*time.Hour))
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ctx := context.Background()
				f := newBilling(t, db, clk)
				n := 100 + i
				acc := f.account("dunning" + string(rune('a'+i)) + "@example.com")
				t0 := clk.Now()
				end := t0.Add(30 * 24 * time.Hour)

				ev := subEvent("evt_created_"+tc.name, "customer.subscription.created", t0, acc.ID, n, "active", "price_premium_month", end)
				f.apply(ev)
				ev = subEvent("evt_failed_"+tc.name, "invoice.payment_failed", t0.Add(time.Hour), acc.ID, n, "past_due", "", time.Time{})
				f.apply(ev)

				// Grace (7 days) is over: the paid subscription no longer grants.
				clk.Set(t0.Add(10 * 24 * time.Hour))
				if slug, _ := f.effective(acc.ID); slug != "free" {
					t.Fatalf("after grace: effective plan %q, want free", slug)
				}
				if _, err := f.subs.GrantComplimentary(ctx, acc.ID, "basic", t0.Add(60*24*time.Hour), masthead.Actor{}); err != nil {
					t.Fatalf("GrantComplimentary: %v", err)
				}

				// Stripe's later news of the replaced subscription.
				late := tc.ev(t0.Add(14*24*time.Hour), acc.ID, n)
				late.ID = "evt_late_" + tc.name
				clk.Set(t0.Add(14 * 24 * time.Hour))
				f.apply(late)

				got := f.current(acc.ID)
				if !got.Complimentary || got.Plan == nil || got.Plan.Slug != "basic" {
					t.Errorf("a later event of the replaced Stripe subscription took the grant away: %+v (plan %v)", got, got.Plan)
				}
				// The grant must still be in force well after the grace
				// period the event may have opened.
				clk.Set(t0.Add(30 * 24 * time.Hour))
				if slug, _ := f.effective(acc.ID); slug != "basic" {
					t.Errorf("effective plan %q, want the granted basic", slug)
				}
				clk.Set(t0)
			})
		}
	})
}
