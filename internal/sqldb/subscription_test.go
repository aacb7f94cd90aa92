package sqldb_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"masthead"
	"masthead/internal/sqldb"
)

// billingFixture is the plan and subscription services on a test database
// with the Basic and Premium plans.
type billingFixture struct {
	t     *testing.T
	db    *sqldb.DB
	clk   *fakeClock
	plans *sqldb.PlanService
	subs  *sqldb.SubscriptionService
	accts *sqldb.AccountService
}

func newBilling(t *testing.T, db *sqldb.DB, clk *fakeClock) *billingFixture {
	t.Helper()
	f := &billingFixture{t: t, db: db, clk: clk, plans: sqldb.NewPlanService(db), subs: sqldb.NewSubscriptionService(db, 0),
		accts: sqldb.NewAccountService(db, &fakeHasher{}, masthead.AccountSettings{})}
	savePlans(t, f.plans, basicPlan(), premiumPlan())
	return f
}

// account creates a verified subscriber account.
func (f *billingFixture) account(email string) *masthead.Account {
	f.t.Helper()
	acc, err := f.accts.CreateStaff(context.Background(), email, password, masthead.RoleSubscriber)
	if err != nil {
		f.t.Fatalf("CreateStaff(%q): %v", email, err)
	}
	return acc
}

func (f *billingFixture) apply(ev masthead.StripeEvent) bool {
	f.t.Helper()
	applied, err := f.subs.ApplyStripeEvent(context.Background(), ev)
	if err != nil {
		f.t.Fatalf("ApplyStripeEvent(%s %s): %v", ev.ID, ev.Type, err)
	}
	return applied
}

func (f *billingFixture) current(accountID int64) *masthead.Subscription {
	f.t.Helper()
	s, err := f.subs.CurrentSubscription(context.Background(), accountID)
	if err != nil {
		f.t.Fatalf("CurrentSubscription(%d): %v", accountID, err)
	}
	return s
}

func (f *billingFixture) effective(accountID int64) (string, *masthead.Subscription) {
	f.t.Helper()
	p, s, err := f.subs.EffectivePlan(context.Background(), accountID)
	if err != nil {
		f.t.Fatalf("EffectivePlan(%d): %v", accountID, err)
	}
	return p.Slug, s
}

func (f *billingFixture) events(accountID int64) []string {
	f.t.Helper()
	evs, err := f.subs.SubscriptionEvents(context.Background(), accountID)
	if err != nil {
		f.t.Fatalf("SubscriptionEvents(%d): %v", accountID, err)
	}
	out := []string{}
	for _, e := range evs {
		out = append(out, e.Kind+": "+e.Detail)
	}
	return out
}

// subEvent is a customer.subscription.* event of account's Stripe
// subscription n.
func subEvent(id, typ string, created time.Time, accountID int64, n int, status, price string, periodEnd time.Time) masthead.StripeEvent {
	return masthead.StripeEvent{ID: id, Type: typ, Created: created, AccountID: accountID,
		CustomerID: fmt.Sprintf("cus_%d", n), SubscriptionID: fmt.Sprintf("sub_%d", n), PriceID: price,
		Status: status, CurrentPeriodEnd: periodEnd, HasSubscriptionState: true}
}

func TestComplimentary(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newBilling(t, db, clk)
		staff, err := f.accts.CreateStaff(ctx, "staff@example.com", password, masthead.RoleAdmin)
		if err != nil {
			t.Fatalf("CreateStaff: %v", err)
		}
		as := masthead.Actor{ID: staff.ID, Role: staff.Role, IP: "192.0.2.5"}
		acc := f.account("reader@example.com")

		if slug, sub := f.effective(acc.ID); slug != "free" || sub != nil {
			t.Errorf("EffectivePlan with no subscription = %q, %v; want free, nil", slug, sub)
		}
		_, err = f.subs.CurrentSubscription(ctx, acc.ID)
		wantErr(t, "CurrentSubscription(none)", err, masthead.ENOTFOUND, masthead.Msg(masthead.MsgSubscriptionNotFound))
		_, err = f.subs.GrantComplimentary(ctx, acc.ID, "premium", epoch, as)
		wantErr(t, "GrantComplimentary(now)", err, masthead.EINVALID, masthead.Msg(masthead.MsgCompUntilPast))
		_, err = f.subs.GrantComplimentary(ctx, acc.ID, "gold", epoch.Add(time.Hour), as)
		wantErr(t, "GrantComplimentary(unknown plan)", err, masthead.ENOTFOUND, masthead.Msg(masthead.MsgPlanNotFound))
		_, err = f.subs.GrantComplimentary(ctx, 999999, "premium", epoch.Add(time.Hour), as)
		wantErr(t, "GrantComplimentary(unknown account)", err, masthead.ENOTFOUND, "")
		err = f.subs.RevokeComplimentary(ctx, acc.ID, as)
		wantErr(t, "RevokeComplimentary(none)", err, masthead.ENOTFOUND, masthead.Msg(masthead.MsgSubscriptionNotFound))

		until := epoch.Add(30 * 24 * time.Hour)
		sub, err := f.subs.GrantComplimentary(ctx, acc.ID, "premium", until, as)
		if err != nil {
			t.Fatalf("GrantComplimentary: %v", err)
		}
		if sub.Plan.Slug != "premium" || sub.Status != masthead.SubActive || !sub.Complimentary || !sub.CurrentPeriodEnd.Equal(until) || sub.ID == 0 {
			t.Errorf("GrantComplimentary = %+v", sub)
		}
		got := f.current(acc.ID)
		if got.ID != sub.ID || got.Plan.Slug != "premium" || !got.Complimentary || !got.CurrentPeriodEnd.Equal(until) || got.AccountID != acc.ID {
			t.Errorf("CurrentSubscription = %+v", got)
		}
		if slug, s := f.effective(acc.ID); slug != "premium" || s == nil || s.ID != sub.ID {
			t.Errorf("EffectivePlan = %q, %v; want premium and the subscription", slug, s)
		}
		evs, _ := f.subs.SubscriptionEvents(ctx, acc.ID)
		if len(evs) != 1 || evs[0].Kind != "complimentary_granted" || evs[0].ActorID != staff.ID || evs[0].SubscriptionID != sub.ID || !evs[0].At.Equal(epoch) {
			t.Errorf("events = %+v", evs)
		}

		// A grant replaces a grant; time passing its end ends it.
		clk.Set(epoch.Add(time.Hour))
		if _, err := f.subs.GrantComplimentary(ctx, acc.ID, "basic", epoch.Add(2*time.Hour), as); err != nil {
			t.Fatalf("GrantComplimentary again: %v", err)
		}
		if slug, _ := f.effective(acc.ID); slug != "basic" {
			t.Errorf("EffectivePlan after second grant = %q, want basic", slug)
		}
		clk.Set(epoch.Add(2 * time.Hour))
		if slug, s := f.effective(acc.ID); slug != "free" || s != nil {
			t.Errorf("EffectivePlan at the grant's end = %q, %v; want free, nil", slug, s)
		}

		// Revoking ends it now.
		if _, err := f.subs.GrantComplimentary(ctx, acc.ID, "premium", until, as); err != nil {
			t.Fatalf("GrantComplimentary: %v", err)
		}
		clk.Set(epoch.Add(3 * time.Hour))
		if err := f.subs.RevokeComplimentary(ctx, acc.ID, as); err != nil {
			t.Fatalf("RevokeComplimentary: %v", err)
		}
		got = f.current(acc.ID)
		if got.Status != masthead.SubExpired || !got.CurrentPeriodEnd.Equal(epoch.Add(3*time.Hour)) {
			t.Errorf("after revoke = %+v", got)
		}
		if slug, _ := f.effective(acc.ID); slug != "free" {
			t.Errorf("EffectivePlan after revoke = %q, want free", slug)
		}
		want := []string{
			"complimentary_revoked: premium: active → expired",
			"complimentary_granted: premium until 2026-03-31",
			"complimentary_granted: basic until 2026-03-01",
			"complimentary_granted: premium until 2026-03-31",
		}
		if got := f.events(acc.ID); !slices.Equal(got, want) {
			t.Errorf("events =\n%q\nwant\n%q", got, want)
		}
	})
}

func TestComplimentaryAndPaid(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newBilling(t, db, clk)
		acc := f.account("reader@example.com")
		end := epoch.Add(30 * 24 * time.Hour)

		// A paid subscription replaces a complimentary one.
		if _, err := f.subs.GrantComplimentary(ctx, acc.ID, "basic", end, masthead.Actor{}); err != nil {
			t.Fatalf("GrantComplimentary: %v", err)
		}
		f.apply(subEvent("evt_1", "customer.subscription.created", epoch, acc.ID, 1, "active", "price_premium_month", end))
		got := f.current(acc.ID)
		if got.Complimentary || got.Plan.Slug != "premium" || got.Status != masthead.SubActive || got.StripeSubscriptionID != "sub_1" ||
			got.StripeCustomerID != "cus_1" || got.Interval != masthead.IntervalMonth {
			t.Errorf("after Stripe subscription = %+v", got)
		}
		if evs := f.events(acc.ID); len(evs) != 2 || evs[0] != "created: premium, active (replaces complimentary basic)" {
			t.Errorf("events = %q", evs)
		}
		if cus, err := f.subs.StripeCustomer(ctx, acc.ID); err != nil || cus != "cus_1" {
			t.Errorf("StripeCustomer = %q, %v; want cus_1", cus, err)
		}

		// It cannot be replaced by a complimentary one, nor revoked.
		_, err := f.subs.GrantComplimentary(ctx, acc.ID, "basic", end, masthead.Actor{})
		wantErr(t, "GrantComplimentary over paid", err, masthead.ECONFLICT, masthead.Msg(masthead.MsgSubscriptionPaid))
		wantErr(t, "RevokeComplimentary of paid", f.subs.RevokeComplimentary(ctx, acc.ID, masthead.Actor{}), masthead.EINVALID, masthead.Msg(masthead.MsgNotComplimentary))

		// Once it has ended, it can; the late events of the old Stripe
		// subscription change nothing.
		f.apply(subEvent("evt_2", "customer.subscription.deleted", epoch.Add(time.Minute), acc.ID, 1, "canceled", "price_premium_month", end))
		if got := f.current(acc.ID); got.Status != masthead.SubExpired {
			t.Fatalf("after deleted = %+v", got)
		}
		clk.Set(epoch.Add(2 * time.Minute))
		if _, err := f.subs.GrantComplimentary(ctx, acc.ID, "basic", end, masthead.Actor{}); err != nil {
			t.Fatalf("GrantComplimentary after expiry: %v", err)
		}
		if !f.apply(subEvent("evt_3", "customer.subscription.updated", epoch.Add(30*time.Second), acc.ID, 1, "active", "price_premium_month", end)) {
			t.Errorf("late event not applied (recorded)")
		}
		if got := f.current(acc.ID); !got.Complimentary || got.Plan.Slug != "basic" || got.Status != masthead.SubActive {
			t.Errorf("a late event overwrote the grant: %+v", got)
		}
		// A new Stripe subscription replaces the grant; the ended old one's
		// news does not touch it.
		f.apply(subEvent("evt_4", "customer.subscription.created", epoch.Add(3*time.Minute), acc.ID, 2, "active", "price_basic_year", end))
		f.apply(subEvent("evt_5", "customer.subscription.deleted", epoch.Add(4*time.Minute), acc.ID, 1, "canceled", "price_premium_month", end))
		got = f.current(acc.ID)
		if got.Complimentary || got.StripeSubscriptionID != "sub_2" || got.Status != masthead.SubActive || got.Plan.Slug != "basic" || got.Interval != masthead.IntervalYear {
			t.Errorf("after a new Stripe subscription = %+v", got)
		}
	})
}

func TestApplyStripeEventIdempotent(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		f := newBilling(t, db, clk)
		acc := f.account("reader@example.com")
		ev := subEvent("evt_once", "customer.subscription.created", epoch, acc.ID, 1, "trialing", "price_basic_month", epoch.Add(7*24*time.Hour))
		applied := 0
		for range 20 {
			if f.apply(ev) {
				applied++
			}
		}
		if applied != 1 {
			t.Errorf("applied %d times, want 1", applied)
		}
		if got := f.events(acc.ID); !slices.Equal(got, []string{"created: basic, trialing"}) {
			t.Errorf("events = %q", got)
		}
		if got := f.current(acc.ID); got.Status != masthead.SubTrialing || got.StripeVersion != masthead.StripeVersion(ev) {
			t.Errorf("subscription = %+v", got)
		}
		if n := countRows(t, db, "stripe_events"); n != 1 {
			t.Errorf("stripe_events rows = %d, want 1", n)
		}
	})
}

func TestApplyStripeEventOlderAfterNewer(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newBilling(t, db, clk)
		acc := f.account("reader@example.com")
		end := epoch.Add(30 * 24 * time.Hour)
		newer := subEvent("evt_new", "customer.subscription.updated", epoch, acc.ID, 1, "past_due", "price_basic_month", end)
		older := subEvent("evt_old", "customer.subscription.updated", epoch.Add(-time.Minute), acc.ID, 1, "active", "price_premium_month", end)
		f.apply(newer)
		before := f.current(acc.ID)
		if !f.apply(older) {
			t.Errorf("older event: applied false, want true (seen for the first time)")
		}
		if f.apply(older) {
			t.Errorf("older event again: applied true, want false")
		}
		after := f.current(acc.ID)
		if after.Status != masthead.SubPastDue || after.Plan.Slug != "basic" || after.StripeVersion != before.StripeVersion ||
			!after.GraceEnd.Equal(epoch.Add(masthead.DefaultGracePeriod)) {
			t.Errorf("after an older event = %+v, want unchanged %+v", after, before)
		}
		if n := countRows(t, db, "stripe_events"); n != 2 {
			t.Errorf("stripe_events rows = %d, want 2", n)
		}
		if got := f.events(acc.ID); len(got) != 1 {
			t.Errorf("events = %q, want one", got)
		}
		// Past due keeps the plan until the grace ends.
		if slug, _ := f.effective(acc.ID); slug != "basic" {
			t.Errorf("EffectivePlan in grace = %q, want basic", slug)
		}
		clk.Set(epoch.Add(masthead.DefaultGracePeriod))
		if slug, _ := f.effective(acc.ID); slug != "free" {
			t.Errorf("EffectivePlan after grace = %q, want free", slug)
		}
		// A grace period of the service's own.
		short := sqldb.NewSubscriptionService(db, time.Hour)
		acc2 := f.account("other@example.com")
		if _, err := short.ApplyStripeEvent(ctx, subEvent("evt_short", "invoice.payment_failed", epoch, acc2.ID, 2, "past_due", "price_basic_month", end)); err != nil {
			t.Fatal(err)
		}
		if got := f.current(acc2.ID); !got.GraceEnd.Equal(epoch.Add(time.Hour)) {
			t.Errorf("GraceEnd with a one-hour grace = %v, want %v", got.GraceEnd, epoch.Add(time.Hour))
		}
	})
}

func TestApplyStripeEventUnknownAccount(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		f := newBilling(t, db, clk)
		end := epoch.Add(30 * 24 * time.Hour)
		for _, ev := range []masthead.StripeEvent{
			subEvent("evt_a", "customer.subscription.created", epoch, 0, 1, "active", "price_basic_month", end),
			subEvent("evt_b", "customer.subscription.created", epoch, 999999, 2, "active", "price_basic_month", end),
		} {
			if !f.apply(ev) {
				t.Errorf("%s: applied false, want true", ev.ID)
			}
			if f.apply(ev) {
				t.Errorf("%s again: applied true, want false", ev.ID)
			}
		}
		for _, table := range []string{"subscriptions", "subscription_events", "stripe_customers"} {
			if n := countRows(t, db, table); n != 0 {
				t.Errorf("%s rows = %d, want 0", table, n)
			}
		}
		if n := countRows(t, db, "stripe_events"); n != 2 {
			t.Errorf("stripe_events rows = %d, want 2", n)
		}
	})
}

func TestApplyStripeEventCustomerLink(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newBilling(t, db, clk)
		acc := f.account("reader@example.com")
		other := f.account("other@example.com")
		end := epoch.Add(30 * 24 * time.Hour)
		if cus, err := f.subs.StripeCustomer(ctx, acc.ID); err != nil || cus != "" {
			t.Errorf("StripeCustomer before = %q, %v; want empty", cus, err)
		}
		f.apply(masthead.StripeEvent{ID: "evt_checkout", Type: "checkout.session.completed", Created: epoch,
			AccountID: acc.ID, CustomerID: "cus_7", SubscriptionID: "sub_7"})
		if cus, err := f.subs.StripeCustomer(ctx, acc.ID); err != nil || cus != "cus_7" {
			t.Errorf("StripeCustomer after checkout = %q, %v; want cus_7", cus, err)
		}
		if _, err := f.subs.CurrentSubscription(ctx, acc.ID); errCode(err) != masthead.ENOTFOUND {
			t.Errorf("checkout alone made a subscription: %v", err)
		}
		// Subscription events without the account find it by customer,
		// then by subscription.
		f.apply(subEvent("evt_c1", "customer.subscription.created", epoch.Add(time.Second), 0, 7, "active", "price_premium_year", end))
		got := f.current(acc.ID)
		if got.Plan.Slug != "premium" || got.Interval != masthead.IntervalYear || got.Status != masthead.SubActive {
			t.Errorf("subscription = %+v", got)
		}
		ev := subEvent("evt_c2", "customer.subscription.updated", epoch.Add(2*time.Second), 0, 7, "active", "price_premium_year", end)
		ev.CustomerID = ""
		ev.CancelAtPeriodEnd = true
		f.apply(ev)
		if got := f.current(acc.ID); got.Status != masthead.SubCancelled {
			t.Errorf("after cancel at period end = %+v", got)
		}
		// A customer linked to one account is not relinked to another.
		f.apply(masthead.StripeEvent{ID: "evt_steal", Type: "checkout.session.completed", Created: epoch,
			AccountID: other.ID, CustomerID: "cus_7"})
		if cus, _ := f.subs.StripeCustomer(ctx, other.ID); cus != "" {
			t.Errorf("StripeCustomer(other) = %q, want empty", cus)
		}
		want := []string{"status: active → cancelled", "created: premium, active"}
		if got := f.events(acc.ID); !slices.Equal(got, want) {
			t.Errorf("events = %q, want %q", got, want)
		}
	})
}

// lifecycle is the events of one Stripe subscription of account, in the
// order Stripe created them: created, paid, a failed payment and recovery,
// then an upgrade to the annual Premium price. Invoice events carry no
// price.
func lifecycle(k int, accountID int64) []masthead.StripeEvent {
	t0 := epoch.Add(-25 * 24 * time.Hour)
	p1 := t0.Add(30 * 24 * time.Hour)
	p2 := t0.Add(365 * 24 * time.Hour)
	id := func(i int) string { return fmt.Sprintf("evt_%d_%d", k, i) }
	evs := []masthead.StripeEvent{
		{ID: id(0), Type: "checkout.session.completed", Created: t0, AccountID: accountID,
			CustomerID: fmt.Sprintf("cus_%d", k), SubscriptionID: fmt.Sprintf("sub_%d", k)},
		subEvent(id(1), "customer.subscription.created", t0, accountID, k, "incomplete", "price_basic_month", p1),
		subEvent(id(2), "invoice.paid", t0, accountID, k, "active", "", p1),
		subEvent(id(3), "customer.subscription.updated", t0.Add(time.Second), accountID, k, "active", "price_basic_month", p1),
		subEvent(id(4), "invoice.payment_failed", t0.Add(20*24*time.Hour), accountID, k, "past_due", "", time.Time{}),
		subEvent(id(5), "customer.subscription.updated", t0.Add(20*24*time.Hour+time.Second), accountID, k, "past_due", "price_basic_month", p1),
		subEvent(id(6), "invoice.paid", t0.Add(21*24*time.Hour), accountID, k, "active", "", p2),
		subEvent(id(7), "customer.subscription.updated", t0.Add(21*24*time.Hour+5*time.Second), accountID, k, "active", "price_premium_year", p2),
	}
	return evs
}

func TestApplyStripeEventAnyOrder(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		f := newBilling(t, db, clk)
		rng := rand.New(rand.NewPCG(4, 2))
		// state is what an ordering ends in, with the names that differ
		// between orderings (k) left out.
		type state struct {
			Status        masthead.SubscriptionStatus
			Plan          string
			Interval      masthead.Interval
			PeriodEnd     time.Time
			GraceEnd      time.Time
			Complimentary bool
			// Newest is true when the stored version, customer and Stripe
			// subscription are those of ordering's newest event.
			Newest bool
		}
		var want state
		for k := range 50 {
			acc := f.account(fmt.Sprintf("reader%d@example.com", k))
			evs := lifecycle(k, acc.ID)
			newest := evs[len(evs)-1]
			if k > 0 {
				rng.Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
			}
			for _, ev := range evs {
				f.apply(ev)
			}
			s := f.current(acc.ID)
			cus, _ := f.subs.StripeCustomer(context.Background(), acc.ID)
			got := state{s.Status, s.Plan.Slug, s.Interval, s.CurrentPeriodEnd, s.GraceEnd, s.Complimentary,
				s.StripeVersion == masthead.StripeVersion(newest) && s.StripeCustomerID == newest.CustomerID &&
					cus == newest.CustomerID && s.StripeSubscriptionID == newest.SubscriptionID}
			if k == 0 {
				want = got
				p2 := epoch.Add(-25 * 24 * time.Hour).Add(365 * 24 * time.Hour)
				if want != (state{masthead.SubActive, "premium", masthead.IntervalYear, p2, time.Time{}, false, true}) {
					t.Fatalf("final state in order = %+v", want)
				}
				continue
			}
			if got != want {
				t.Errorf("ordering %d (%v): final state = %+v, want %+v", k, eventIDs(evs), got, want)
			}
		}
	})
}

func eventIDs(evs []masthead.StripeEvent) []string {
	out := []string{}
	for _, e := range evs {
		out = append(out, e.ID)
	}
	return out
}

func TestPlanlessStripeSubscription(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newBilling(t, db, clk)
		acc := f.account("reader@example.com")
		end := epoch.Add(30 * 24 * time.Hour)
		// An invoice event before the subscription event: no plan yet.
		f.apply(subEvent("evt_inv", "invoice.paid", epoch, acc.ID, 1, "active", "", end))
		_, err := f.subs.CurrentSubscription(ctx, acc.ID)
		wantErr(t, "CurrentSubscription without a plan", err, masthead.ENOTFOUND, "")
		if slug, s := f.effective(acc.ID); slug != "free" || s != nil {
			t.Errorf("EffectivePlan without a plan = %q, %v", slug, s)
		}
		page, err := f.subs.FindSubscribers(ctx, masthead.SubscriberFilter{Plan: "free"})
		if err != nil || len(page.Subscribers) != 1 {
			t.Errorf("FindSubscribers(free) = %+v, %v", page, err)
		}
		// The older subscription event fills in the plan only.
		f.apply(subEvent("evt_sub", "customer.subscription.created", epoch, acc.ID, 1, "incomplete", "price_premium_month", end))
		got := f.current(acc.ID)
		if got.Plan.Slug != "premium" || got.Status != masthead.SubActive || got.Interval != masthead.IntervalMonth {
			t.Errorf("after the subscription event = %+v", got)
		}
	})
}

func TestFindSubscribers(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newBilling(t, db, clk)
		alice := f.account("alice@example.com")
		bob := f.account("bob@example.com")
		carol := f.account("carol_x@example.com")
		dave := f.account("dave@example.com")
		erin := f.account("erin@example.com")
		if _, err := f.accts.SetProfile(ctx, alice.ID, "Alice Liddell", ""); err != nil {
			t.Fatalf("SetProfile: %v", err)
		}
		grant := func(id int64, plan string, until time.Time) {
			if _, err := f.subs.GrantComplimentary(ctx, id, plan, until, masthead.Actor{}); err != nil {
				t.Fatalf("GrantComplimentary: %v", err)
			}
		}
		grant(alice.ID, "premium", epoch.Add(30*24*time.Hour))
		grant(bob.ID, "basic", epoch.Add(24*time.Hour))
		grant(dave.ID, "basic", epoch.Add(30*24*time.Hour))
		if err := f.subs.RevokeComplimentary(ctx, dave.ID, masthead.Actor{}); err != nil {
			t.Fatal(err)
		}
		if err := f.accts.RequestDeletion(ctx, erin.ID, password, false); err != nil {
			t.Fatal(err)
		}
		clk.Set(epoch.Add(48 * time.Hour))
		if n, err := f.accts.PurgeDueDeletions(ctx); err != nil || n != 1 {
			t.Fatalf("PurgeDueDeletions = %d, %v", n, err)
		}

		ids := func(p *masthead.SubscriberPage) []int64 {
			out := []int64{}
			for _, s := range p.Subscribers {
				out = append(out, s.Account.ID)
			}
			return out
		}
		tests := []struct {
			name   string
			filter masthead.SubscriberFilter
			want   []int64
			next   int64
		}{
			{"all", masthead.SubscriberFilter{}, []int64{alice.ID, bob.ID, carol.ID, dave.ID}, 0},
			{"email any case", masthead.SubscriberFilter{Query: "ALICE@"}, []int64{alice.ID}, 0},
			{"display name", masthead.SubscriberFilter{Query: "liddell"}, []int64{alice.ID}, 0},
			{"underscore is literal", masthead.SubscriberFilter{Query: "_"}, []int64{carol.ID}, 0},
			{"percent is literal", masthead.SubscriberFilter{Query: "%"}, []int64{}, 0},
			{"premium", masthead.SubscriberFilter{Plan: "premium"}, []int64{alice.ID}, 0},
			{"basic (lapsed and revoked)", masthead.SubscriberFilter{Plan: "basic"}, []int64{}, 0},
			{"free", masthead.SubscriberFilter{Plan: "free"}, []int64{bob.ID, carol.ID, dave.ID}, 0},
			{"unknown plan", masthead.SubscriberFilter{Plan: "gold"}, []int64{}, 0},
			{"expired", masthead.SubscriberFilter{Status: masthead.SubExpired}, []int64{dave.ID}, 0},
			{"active", masthead.SubscriberFilter{Status: masthead.SubActive}, []int64{alice.ID, bob.ID}, 0},
			{"free and query", masthead.SubscriberFilter{Plan: "free", Query: "BOB"}, []int64{bob.ID}, 0},
			{"first page", masthead.SubscriberFilter{Limit: 2}, []int64{alice.ID, bob.ID}, bob.ID},
			{"second page", masthead.SubscriberFilter{Limit: 2, After: bob.ID}, []int64{carol.ID, dave.ID}, 0},
			{"limit capped", masthead.SubscriberFilter{Limit: 1000}, []int64{alice.ID, bob.ID, carol.ID, dave.ID}, 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				page, err := f.subs.FindSubscribers(ctx, tt.filter)
				if err != nil {
					t.Fatalf("FindSubscribers: %v", err)
				}
				if got := ids(page); !slices.Equal(got, tt.want) || page.Next != tt.next {
					t.Errorf("FindSubscribers(%+v) = %v next %d, want %v next %d", tt.filter, got, page.Next, tt.want, tt.next)
				}
			})
		}
		page, _ := f.subs.FindSubscribers(ctx, masthead.SubscriberFilter{})
		plans := map[int64]string{}
		for _, s := range page.Subscribers {
			plans[s.Account.ID] = s.Plan.Slug
			if (s.Subscription != nil) != (s.Plan.Slug != "free") {
				t.Errorf("subscriber %d: plan %s with subscription %+v", s.Account.ID, s.Plan.Slug, s.Subscription)
			}
		}
		if plans[alice.ID] != "premium" || plans[bob.ID] != "free" || plans[carol.ID] != "free" || plans[dave.ID] != "free" {
			t.Errorf("effective plans = %v", plans)
		}
		if page.Subscribers[0].Account.DisplayName != "Alice Liddell" || page.Subscribers[0].Account.Email != "alice@example.com" {
			t.Errorf("account = %+v", page.Subscribers[0].Account)
		}
	})
}
