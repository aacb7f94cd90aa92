package masthead_test

import (
	"strings"
	"testing"
	"time"

	"masthead"
)

// demoPlans returns the three plans of PRODUCT.md "Plans".
func demoPlans() (free, standard, premium *masthead.Plan) {
	free = &masthead.Plan{
		ID: 1, Slug: "free", Name: "Free", Free: true, Visible: true,
		Entitlements: masthead.Entitlements{MeteredPerMonth: 10},
	}
	standard = &masthead.Plan{
		ID: 2, Slug: "standard", Name: "Standard", Visible: true, TrialDays: 14,
		Prices: []masthead.Price{
			{Interval: masthead.IntervalMonth, Amount: 900, Currency: "EUR", StripePriceID: "price_std_month"},
			{Interval: masthead.IntervalYear, Amount: 9000, Currency: "EUR", StripePriceID: "price_std_year"},
		},
		Entitlements: masthead.Entitlements{Comment: true, MeteredPerMonth: masthead.Unlimited},
	}
	premium = &masthead.Plan{
		ID: 3, Slug: "premium", Name: "Premium", Visible: true, TrialDays: 14,
		Prices: []masthead.Price{
			{Interval: masthead.IntervalMonth, Amount: 1500, Currency: "EUR", StripePriceID: "price_prem_month"},
			{Interval: masthead.IntervalYear, Amount: 15000, Currency: "EUR", StripePriceID: "price_prem_year"},
		},
		Entitlements: masthead.Entitlements{Comment: true, ReadPremium: true, MeteredPerMonth: masthead.Unlimited, GiftLinksPerMonth: 5},
	}
	return free, standard, premium
}

var planNow = time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)

// TestEntitlements runs every plan × subscription state × story access
// through EffectivePlan and DecideRead, the one rule for access.
func TestEntitlements(t *testing.T) {
	free, standard, premium := demoPlans()
	now := planNow
	future, past := now.Add(10*24*time.Hour), now.Add(-time.Second)

	states := []struct {
		name string
		sub  func(p *masthead.Plan) *masthead.Subscription
		// grants: whether the subscription's plan applies (else Free).
		grants bool
	}{
		{"none", func(*masthead.Plan) *masthead.Subscription { return nil }, false},
		{"trialing", func(p *masthead.Plan) *masthead.Subscription {
			return &masthead.Subscription{Plan: p, Status: masthead.SubTrialing, CurrentPeriodEnd: future}
		}, true},
		{"trial over", func(p *masthead.Plan) *masthead.Subscription {
			return &masthead.Subscription{Plan: p, Status: masthead.SubTrialing, CurrentPeriodEnd: past}
		}, false},
		{"active", func(p *masthead.Plan) *masthead.Subscription {
			return &masthead.Subscription{Plan: p, Status: masthead.SubActive, CurrentPeriodEnd: future}
		}, true},
		{"past due within grace", func(p *masthead.Plan) *masthead.Subscription {
			return &masthead.Subscription{Plan: p, Status: masthead.SubPastDue, CurrentPeriodEnd: past, GraceEnd: now.Add(time.Hour)}
		}, true},
		{"past due after grace", func(p *masthead.Plan) *masthead.Subscription {
			return &masthead.Subscription{Plan: p, Status: masthead.SubPastDue, CurrentPeriodEnd: future, GraceEnd: past}
		}, false},
		{"cancelled before period end", func(p *masthead.Plan) *masthead.Subscription {
			return &masthead.Subscription{Plan: p, Status: masthead.SubCancelled, CurrentPeriodEnd: future}
		}, true},
		{"cancelled after period end", func(p *masthead.Plan) *masthead.Subscription {
			return &masthead.Subscription{Plan: p, Status: masthead.SubCancelled, CurrentPeriodEnd: past}
		}, false},
		{"expired", func(p *masthead.Plan) *masthead.Subscription {
			return &masthead.Subscription{Plan: p, Status: masthead.SubExpired, CurrentPeriodEnd: future}
		}, false},
		{"complimentary until future", func(p *masthead.Plan) *masthead.Subscription {
			return &masthead.Subscription{Plan: p, Status: masthead.SubActive, Complimentary: true, CurrentPeriodEnd: future}
		}, true},
		{"complimentary until past", func(p *masthead.Plan) *masthead.Subscription {
			return &masthead.Subscription{Plan: p, Status: masthead.SubActive, Complimentary: true, CurrentPeriodEnd: past}
		}, false},
	}

	type outcome struct {
		allowed bool
		reason  masthead.ReadReason
		count   bool
	}
	// What each effective plan decides for a reader with 2 of the meter
	// used, by story access.
	want := map[string]map[masthead.Access]outcome{
		"free": {
			masthead.AccessFree:    {true, masthead.ReadFreeStory, false},
			masthead.AccessMetered: {true, masthead.ReadMetered, true},
			masthead.AccessPremium: {false, masthead.DenyPremium, false},
		},
		"standard": {
			masthead.AccessFree:    {true, masthead.ReadFreeStory, false},
			masthead.AccessMetered: {true, masthead.ReadIncluded, false},
			masthead.AccessPremium: {false, masthead.DenyPremium, false},
		},
		"premium": {
			masthead.AccessFree:    {true, masthead.ReadFreeStory, false},
			masthead.AccessMetered: {true, masthead.ReadIncluded, false},
			masthead.AccessPremium: {true, masthead.ReadIncluded, false},
		},
	}
	wantEnt := map[string]struct {
		comment bool
		gifts   int
		meter   int
	}{
		"free":     {false, 0, 10},
		"standard": {true, 0, masthead.Unlimited},
		"premium":  {true, 5, masthead.Unlimited},
	}

	for _, plan := range []*masthead.Plan{free, standard, premium} {
		for _, st := range states {
			for _, access := range []masthead.Access{masthead.AccessFree, masthead.AccessMetered, masthead.AccessPremium} {
				t.Run(plan.Slug+"/"+st.name+"/"+string(access), func(t *testing.T) {
					sub := st.sub(plan)
					wantPlan := free
					if st.grants && sub != nil {
						wantPlan = plan
					}
					got := masthead.EffectivePlan(sub, free, now)
					if got != wantPlan {
						t.Fatalf("EffectivePlan = %s, want %s", got.Slug, wantPlan.Slug)
					}
					if g := sub.Grants(now); g != (st.grants && sub != nil) {
						t.Errorf("Grants = %v, want %v", g, st.grants && sub != nil)
					}
					e := got.Entitlements
					we := wantEnt[wantPlan.Slug]
					if e.Comment != we.comment || e.GiftLinksPerMonth != we.gifts || e.MeteredPerMonth != we.meter {
						t.Errorf("entitlements = %+v, want comment %v, gifts %d, meter %d", e, we.comment, we.gifts, we.meter)
					}
					d := masthead.DecideRead(access, masthead.Reader{
						Entitlements: e,
						Meter:        masthead.MeterState{Used: 2},
					})
					w := want[wantPlan.Slug][access]
					if d.Allowed != w.allowed || d.Reason != w.reason || d.Count != w.count {
						t.Errorf("DecideRead(%s) = allowed %v, reason %q, count %v; want %v, %q, %v",
							access, d.Allowed, d.Reason, d.Count, w.allowed, w.reason, w.count)
					}
				})
			}
		}
	}
}

// TestDecideReadReaders covers the readers outside the plan table:
// anonymous, staff, gift holders, re-readers and spent meters.
func TestDecideReadReaders(t *testing.T) {
	free, _, premium := demoPlans()
	anon := masthead.Entitlements{MeteredPerMonth: 3}
	periodStart := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	periodEnd := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	meter := func(used int) masthead.MeterState {
		return masthead.MeterState{Used: used, PeriodStart: periodStart, PeriodEnd: periodEnd}
	}

	tests := []struct {
		name    string
		access  masthead.Access
		reader  masthead.Reader
		allowed bool
		reason  masthead.ReadReason
		count   bool
		// wantMeter is the meter after the read: nil when none is reported.
		wantMeter *masthead.MeterState
	}{
		{"anonymous free story", masthead.AccessFree, masthead.Reader{Entitlements: anon}, true, masthead.ReadFreeStory, false, nil},
		{"anonymous first metered", masthead.AccessMetered, masthead.Reader{Entitlements: anon, Meter: meter(0)}, true, masthead.ReadMetered, true,
			&masthead.MeterState{Used: 1, Limit: 3, PeriodStart: periodStart, PeriodEnd: periodEnd}},
		{"anonymous last metered", masthead.AccessMetered, masthead.Reader{Entitlements: anon, Meter: meter(2)}, true, masthead.ReadMetered, true,
			&masthead.MeterState{Used: 3, Limit: 3, PeriodStart: periodStart, PeriodEnd: periodEnd}},
		{"anonymous meter spent", masthead.AccessMetered, masthead.Reader{Entitlements: anon, Meter: meter(3)}, false, masthead.DenyMeterSpent, false,
			&masthead.MeterState{Used: 3, Limit: 3, PeriodStart: periodStart, PeriodEnd: periodEnd}},
		{"anonymous re-reads at limit", masthead.AccessMetered, masthead.Reader{Entitlements: anon, Meter: meter(3), AlreadyRead: true}, true, masthead.ReadMetered, false,
			&masthead.MeterState{Used: 3, Limit: 3, PeriodStart: periodStart, PeriodEnd: periodEnd}},
		{"anonymous premium", masthead.AccessPremium, masthead.Reader{Entitlements: anon}, false, masthead.DenyPremium, false, nil},
		{"free reader re-reads below limit", masthead.AccessMetered, masthead.Reader{Entitlements: free.Entitlements, Meter: meter(4), AlreadyRead: true}, true, masthead.ReadMetered, false,
			&masthead.MeterState{Used: 4, Limit: 10, PeriodStart: periodStart, PeriodEnd: periodEnd}},
		{"free reader tenth story", masthead.AccessMetered, masthead.Reader{Entitlements: free.Entitlements, Meter: meter(9)}, true, masthead.ReadMetered, true,
			&masthead.MeterState{Used: 10, Limit: 10, PeriodStart: periodStart, PeriodEnd: periodEnd}},
		{"free reader at limit", masthead.AccessMetered, masthead.Reader{Entitlements: free.Entitlements, Meter: meter(10)}, false, masthead.DenyMeterSpent, false,
			&masthead.MeterState{Used: 10, Limit: 10, PeriodStart: periodStart, PeriodEnd: periodEnd}},
		{"over limit after a downgrade", masthead.AccessMetered, masthead.Reader{Entitlements: free.Entitlements, Meter: meter(25)}, false, masthead.DenyMeterSpent, false,
			&masthead.MeterState{Used: 25, Limit: 10, PeriodStart: periodStart, PeriodEnd: periodEnd}},
		{"plan without metered stories", masthead.AccessMetered, masthead.Reader{Entitlements: masthead.Entitlements{}, Meter: meter(0)}, false, masthead.DenyMeterSpent, false,
			&masthead.MeterState{Used: 0, Limit: 0, PeriodStart: periodStart, PeriodEnd: periodEnd}},
		{"free reader meter spent, premium story", masthead.AccessPremium, masthead.Reader{Entitlements: free.Entitlements, Meter: meter(10)}, false, masthead.DenyPremium, false, nil},
		{"free reader meter left, premium story", masthead.AccessPremium, masthead.Reader{Entitlements: free.Entitlements, Meter: meter(0)}, false, masthead.DenyPremium, false, nil},
		{"premium reader premium story", masthead.AccessPremium, masthead.Reader{Entitlements: premium.Entitlements}, true, masthead.ReadIncluded, false, nil},
		{"staff premium story", masthead.AccessPremium, masthead.Reader{Entitlements: free.Entitlements, Staff: true}, true, masthead.ReadStaff, false, nil},
		{"staff metered at limit", masthead.AccessMetered, masthead.Reader{Entitlements: free.Entitlements, Staff: true, Meter: meter(10)}, true, masthead.ReadStaff, false, nil},
		{"staff free story", masthead.AccessFree, masthead.Reader{Staff: true}, true, masthead.ReadFreeStory, false, nil},
		{"gift premium story anonymous", masthead.AccessPremium, masthead.Reader{Entitlements: anon, Gift: true}, true, masthead.ReadGift, false, nil},
		{"gift metered with meter spent", masthead.AccessMetered, masthead.Reader{Entitlements: anon, Gift: true, Meter: meter(3)}, true, masthead.ReadGift, false, nil},
		{"gift metered with meter left uses no meter", masthead.AccessMetered, masthead.Reader{Entitlements: anon, Gift: true, Meter: meter(0)}, true, masthead.ReadGift, false, nil},
		{"gift free story", masthead.AccessFree, masthead.Reader{Entitlements: anon, Gift: true}, true, masthead.ReadFreeStory, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := masthead.DecideRead(tt.access, tt.reader)
			if d.Allowed != tt.allowed || d.Reason != tt.reason || d.Count != tt.count {
				t.Errorf("DecideRead = allowed %v, reason %q, count %v; want %v, %q, %v",
					d.Allowed, d.Reason, d.Count, tt.allowed, tt.reason, tt.count)
			}
			switch {
			case tt.wantMeter == nil && d.Meter != nil:
				t.Errorf("Meter = %+v, want nil", *d.Meter)
			case tt.wantMeter != nil && d.Meter == nil:
				t.Errorf("Meter = nil, want %+v", *tt.wantMeter)
			case tt.wantMeter != nil && *d.Meter != *tt.wantMeter:
				t.Errorf("Meter = %+v, want %+v", *d.Meter, *tt.wantMeter)
			}
		})
	}
	t.Run("reader's meter is not modified", func(t *testing.T) {
		r := masthead.Reader{Entitlements: anon, Meter: meter(1)}
		masthead.DecideRead(masthead.AccessMetered, r)
		if r.Meter.Used != 1 {
			t.Errorf("reader's Meter.Used = %d after DecideRead, want 1", r.Meter.Used)
		}
	})
}

func TestMeterStateRemaining(t *testing.T) {
	tests := []struct {
		name string
		m    masthead.MeterState
		want int
	}{
		{"fresh", masthead.MeterState{Used: 0, Limit: 10}, 10},
		{"some used", masthead.MeterState{Used: 8, Limit: 10}, 2},
		{"spent", masthead.MeterState{Used: 10, Limit: 10}, 0},
		{"over limit", masthead.MeterState{Used: 12, Limit: 10}, 0},
		{"unlimited", masthead.MeterState{Used: 500, Limit: masthead.Unlimited}, masthead.Unlimited},
		{"zero limit", masthead.MeterState{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.Remaining(); got != tt.want {
				t.Errorf("Remaining() = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestPlanNormalizeValidate(t *testing.T) {
	valid := func() *masthead.Plan {
		_, standard, _ := demoPlans()
		p := *standard
		p.Prices = append([]masthead.Price(nil), standard.Prices...)
		return &p
	}
	tests := []struct {
		name   string
		modify func(p *masthead.Plan)
		// field is the field named by the error; "" when valid.
		field string
	}{
		{"demo standard", func(*masthead.Plan) {}, ""},
		{"demo free", func(p *masthead.Plan) { f, _, _ := demoPlans(); *p = *f }, ""},
		{"demo premium", func(p *masthead.Plan) { _, _, pr := demoPlans(); *p = *pr }, ""},
		{"blank name", func(p *masthead.Plan) { p.Name = "   " }, "name"},
		{"name of 60 accented runes", func(p *masthead.Plan) { p.Name = strings.Repeat("é", 60) }, ""},
		{"name of 61 runes", func(p *masthead.Plan) { p.Name = strings.Repeat("é", 61) }, "name"},
		{"slug from name", func(p *masthead.Plan) { p.Slug = ""; p.Name = "Premium Plus" }, ""},
		{"slug with spaces around", func(p *masthead.Plan) { p.Slug = "  premium-plus  " }, ""},
		{"upper-case slug", func(p *masthead.Plan) { p.Slug = "Premium" }, "slug"},
		{"slug with underscore", func(p *masthead.Plan) { p.Slug = "premium_plus" }, "slug"},
		{"non-latin name, no slug", func(p *masthead.Plan) { p.Slug = ""; p.Name = "東京" }, "slug"},
		{"description of 500 runes", func(p *masthead.Plan) { p.Description = strings.Repeat("ü", 500) }, ""},
		{"description of 501 runes", func(p *masthead.Plan) { p.Description = strings.Repeat("ü", 501) }, "description"},
		{"no trial", func(p *masthead.Plan) { p.TrialDays = 0 }, ""},
		{"negative trial", func(p *masthead.Plan) { p.TrialDays = -1 }, "trial_days"},
		{"year-long trial", func(p *masthead.Plan) { p.TrialDays = 365 }, ""},
		{"trial over a year", func(p *masthead.Plan) { p.TrialDays = 366 }, "trial_days"},
		{"no metered stories", func(p *masthead.Plan) { p.Entitlements.MeteredPerMonth = 0 }, ""},
		{"metered below unlimited", func(p *masthead.Plan) { p.Entitlements.MeteredPerMonth = -2 }, "metered_per_month"},
		{"negative gift links", func(p *masthead.Plan) { p.Entitlements.GiftLinksPerMonth = -1 }, "gift_links_per_month"},
		{"free plan with a price", func(p *masthead.Plan) { p.Free = true }, "prices"},
		{"free plan without prices", func(p *masthead.Plan) { p.Free = true; p.Prices = nil }, ""},
		{"paid plan without prices", func(p *masthead.Plan) { p.Prices = nil }, ""},
		{"monthly only", func(p *masthead.Plan) { p.Prices = p.Prices[:1] }, ""},
		{"weekly price", func(p *masthead.Plan) { p.Prices[0].Interval = "week" }, "prices"},
		{"price without interval", func(p *masthead.Plan) { p.Prices[1].Interval = "" }, "prices"},
		{"two monthly prices", func(p *masthead.Plan) { p.Prices[1].Interval = masthead.IntervalMonth }, "prices"},
		{"zero amount", func(p *masthead.Plan) { p.Prices[0].Amount = 0 }, "prices"},
		{"negative amount", func(p *masthead.Plan) { p.Prices[1].Amount = -100 }, "prices"},
		{"lower-case currency", func(p *masthead.Plan) { p.Prices[0].Currency = " eur " }, ""},
		{"two currencies", func(p *masthead.Plan) { p.Prices[0].Currency = "JPY" }, "prices"},
		{"four-letter currency", func(p *masthead.Plan) { p.Prices[0].Currency = "EURO" }, "prices"},
		{"currency with a digit", func(p *masthead.Plan) { p.Prices[0].Currency = "E1R" }, "prices"},
		{"currency with an accent", func(p *masthead.Plan) { p.Prices[0].Currency = "ÉU" }, "prices"},
		{"no currency", func(p *masthead.Plan) { p.Prices[1].Currency = "" }, "prices"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := valid()
			tt.modify(p)
			p.Normalize()
			err := p.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v (field %q), want nil", err, masthead.ErrorField(err))
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want an error on %q", tt.field)
			}
			if got := masthead.ErrorCode(err); got != masthead.EINVALID {
				t.Errorf("ErrorCode = %q, want %q", got, masthead.EINVALID)
			}
			if got := masthead.ErrorField(err); got != tt.field {
				t.Errorf("ErrorField = %q, want %q (message %q)", got, tt.field, masthead.ErrorMessage(err))
			}
			if msg := masthead.ErrorMessage(err); strings.Contains(msg, "%!") || !strings.Contains(msg, " ") {
				t.Errorf("ErrorMessage = %q, want a formatted sentence", msg)
			}
		})
	}
}

func TestPlanNormalize(t *testing.T) {
	p := &masthead.Plan{
		Name: "  Premium Plus  ", Description: "\tAll of it.\n",
		Prices: []masthead.Price{{Interval: masthead.IntervalMonth, Amount: 100, Currency: " gbp", StripePriceID: " price_1 "}},
	}
	p.Normalize()
	if p.Name != "Premium Plus" || p.Description != "All of it." || p.Slug != "premium-plus" {
		t.Errorf("Normalize: name %q, description %q, slug %q; want %q, %q, %q",
			p.Name, p.Description, p.Slug, "Premium Plus", "All of it.", "premium-plus")
	}
	if got := p.Prices[0]; got.Currency != "GBP" || got.StripePriceID != "price_1" {
		t.Errorf("Normalize: price currency %q, Stripe price %q; want %q, %q", got.Currency, got.StripePriceID, "GBP", "price_1")
	}
	p.Slug = "kept"
	p.Normalize()
	if p.Slug != "kept" {
		t.Errorf("Normalize replaced a given slug: got %q, want %q", p.Slug, "kept")
	}
}

func TestPlanPrice(t *testing.T) {
	_, standard, _ := demoPlans()
	if got, ok := standard.Price(masthead.IntervalYear); !ok || got.Amount != 9000 {
		t.Errorf("Price(year) = %+v, %v; want amount 9000, true", got, ok)
	}
	standard.Prices = standard.Prices[:1]
	if got, ok := standard.Price(masthead.IntervalYear); ok {
		t.Errorf("Price(year) of a monthly-only plan = %+v, true; want false", got)
	}
}

func TestSubscriptionGrants(t *testing.T) {
	_, standard, _ := demoPlans()
	end := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		sub  *masthead.Subscription
		now  time.Time
		want bool
	}{
		{"nil subscription", nil, end, false},
		{"no plan", &masthead.Subscription{Status: masthead.SubActive, CurrentPeriodEnd: end}, end.Add(-time.Hour), false},
		{"active just before period end", &masthead.Subscription{Plan: standard, Status: masthead.SubActive, CurrentPeriodEnd: end}, end.Add(-time.Nanosecond), true},
		{"active at period end", &masthead.Subscription{Plan: standard, Status: masthead.SubActive, CurrentPeriodEnd: end}, end, false},
		{"active at period end in another zone", &masthead.Subscription{Plan: standard, Status: masthead.SubActive, CurrentPeriodEnd: end}, end.In(time.FixedZone("X", 9*3600)), false},
		{"active without period end", &masthead.Subscription{Plan: standard, Status: masthead.SubActive}, end, true},
		{"trialing just before period end", &masthead.Subscription{Plan: standard, Status: masthead.SubTrialing, CurrentPeriodEnd: end}, end.Add(-time.Nanosecond), true},
		{"trialing at period end", &masthead.Subscription{Plan: standard, Status: masthead.SubTrialing, CurrentPeriodEnd: end}, end, false},
		{"cancelled just before period end", &masthead.Subscription{Plan: standard, Status: masthead.SubCancelled, CurrentPeriodEnd: end}, end.Add(-time.Nanosecond), true},
		{"cancelled at period end", &masthead.Subscription{Plan: standard, Status: masthead.SubCancelled, CurrentPeriodEnd: end}, end, false},
		{"past due just before grace end", &masthead.Subscription{Plan: standard, Status: masthead.SubPastDue, GraceEnd: end}, end.Add(-time.Nanosecond), true},
		{"past due at grace end", &masthead.Subscription{Plan: standard, Status: masthead.SubPastDue, GraceEnd: end}, end, false},
		{"past due after grace, period still running", &masthead.Subscription{Plan: standard, Status: masthead.SubPastDue, CurrentPeriodEnd: end.Add(720 * time.Hour), GraceEnd: end}, end.Add(time.Hour), false},
		{"past due without grace end", &masthead.Subscription{Plan: standard, Status: masthead.SubPastDue, CurrentPeriodEnd: end}, end.Add(-time.Hour), false},
		{"expired with period left", &masthead.Subscription{Plan: standard, Status: masthead.SubExpired, CurrentPeriodEnd: end}, end.Add(-time.Hour), false},
		{"complimentary just before its end", &masthead.Subscription{Plan: standard, Status: masthead.SubActive, Complimentary: true, CurrentPeriodEnd: end}, end.Add(-time.Nanosecond), true},
		{"complimentary at its end", &masthead.Subscription{Plan: standard, Status: masthead.SubActive, Complimentary: true, CurrentPeriodEnd: end}, end, false},
		{"unknown status", &masthead.Subscription{Plan: standard, Status: "paused", CurrentPeriodEnd: end}, end.Add(-time.Hour), false},
		{"empty status", &masthead.Subscription{Plan: standard, CurrentPeriodEnd: end}, end.Add(-time.Hour), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.sub.Grants(tt.now); got != tt.want {
				t.Errorf("Grants(%v) = %v, want %v", tt.now, got, tt.want)
			}
		})
	}
}

func TestSubscriptionStatusValid(t *testing.T) {
	for _, s := range []masthead.SubscriptionStatus{masthead.SubTrialing, masthead.SubActive, masthead.SubPastDue, masthead.SubCancelled, masthead.SubExpired} {
		if !s.Valid() {
			t.Errorf("%q.Valid() = false, want true", s)
		}
	}
	for _, s := range []masthead.SubscriptionStatus{"", "canceled", "unpaid", "Active"} {
		if s.Valid() {
			t.Errorf("%q.Valid() = true, want false", s)
		}
	}
}
