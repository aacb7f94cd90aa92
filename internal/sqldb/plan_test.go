package sqldb_test

import (
	"context"
	"slices"
	"testing"

	"masthead"
	"masthead/internal/sqldb"
)

// basicPlan and premiumPlan are two plans sold through Stripe.
func basicPlan() *masthead.Plan {
	return &masthead.Plan{
		Name:        "Basic",
		Description: "Unlimited stories.",
		Prices: []masthead.Price{
			{Interval: masthead.IntervalMonth, Amount: 500, Currency: "eur", StripePriceID: "price_basic_month"},
			{Interval: masthead.IntervalYear, Amount: 5000, Currency: "EUR", StripePriceID: "price_basic_year"},
		},
		TrialDays:    7,
		Entitlements: masthead.Entitlements{Comment: true, MeteredPerMonth: masthead.Unlimited},
		Visible:      true,
		Position:     1,
	}
}

func premiumPlan() *masthead.Plan {
	return &masthead.Plan{
		Name: "Premium",
		Prices: []masthead.Price{
			{Interval: masthead.IntervalMonth, Amount: 1200, Currency: "EUR", StripePriceID: "price_premium_month"},
			{Interval: masthead.IntervalYear, Amount: 12000, Currency: "EUR", StripePriceID: "price_premium_year"},
		},
		Entitlements: masthead.Entitlements{Comment: true, ReadPremium: true, MeteredPerMonth: masthead.Unlimited, GiftLinksPerMonth: 5},
		Visible:      true,
		Position:     2,
	}
}

// savePlans saves plans and returns them.
func savePlans(t *testing.T, svc *sqldb.PlanService, plans ...*masthead.Plan) []*masthead.Plan {
	t.Helper()
	for _, p := range plans {
		if err := svc.SavePlan(context.Background(), p, masthead.Actor{}); err != nil {
			t.Fatalf("SavePlan(%q): %v", p.Name, err)
		}
	}
	return plans
}

func planSlugs(plans []*masthead.Plan) []string {
	out := []string{}
	for _, p := range plans {
		out = append(out, p.Slug)
	}
	return out
}

func TestFreePlanAfterMigrate(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		svc := sqldb.NewPlanService(db)
		free, err := svc.FreePlan(ctx)
		if err != nil {
			t.Fatalf("FreePlan: %v", err)
		}
		want := masthead.Entitlements{MeteredPerMonth: 10}
		if free.Slug != "free" || free.Name != "Free" || !free.Free || !free.Visible || free.Archived ||
			free.Position != 0 || free.Entitlements != want || len(free.Prices) != 0 || free.TrialDays != 0 {
			t.Errorf("FreePlan() = %+v, want the Free plan with %+v", free, want)
		}
		if free.CreatedAt.IsZero() {
			t.Errorf("FreePlan().CreatedAt is zero")
		}
		plans, err := svc.FindPlans(ctx, false)
		if err != nil || len(plans) != 1 || plans[0].ID != free.ID {
			t.Errorf("FindPlans() = %v, %v; want only the Free plan", planSlugs(plans), err)
		}
		// A second Free plan is impossible.
		_, err = pool(t, db).Exec(`INSERT INTO plans (slug, name, free, created_at, updated_at) VALUES ('free2', 'Free 2', $1, $2, $2)`,
			true, map[string]any{"sqlite": int64(1), "postgres": epoch}[db.Dialect()])
		if err == nil {
			t.Errorf("a second Free plan was stored")
		}
	})
}

func TestSavePlan(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		svc := sqldb.NewPlanService(db)
		premium := premiumPlan()
		basic := basicPlan()
		basic.Free = true // ignored: only the stored Free plan is free
		savePlans(t, svc, premium, basic)
		if basic.Slug != "basic" || basic.ID == 0 || basic.Free || !basic.CreatedAt.Equal(epoch) || !basic.UpdatedAt.Equal(epoch) {
			t.Errorf("saved plan = %+v, want slug basic, an ID, not free, times %v", basic, epoch)
		}
		got, err := svc.FindPlanBySlug(ctx, "basic")
		if err != nil {
			t.Fatalf("FindPlanBySlug: %v", err)
		}
		wantPrices := []masthead.Price{
			{Interval: masthead.IntervalMonth, Amount: 500, Currency: "EUR", StripePriceID: "price_basic_month"},
			{Interval: masthead.IntervalYear, Amount: 5000, Currency: "EUR", StripePriceID: "price_basic_year"},
		}
		if got.Name != "Basic" || got.Description != "Unlimited stories." || got.TrialDays != 7 || got.Free ||
			got.Entitlements != basic.Entitlements || !slices.Equal(got.Prices, wantPrices) || got.ID != basic.ID {
			t.Errorf("FindPlanBySlug(basic) = %+v, want %+v with prices %v", got, basic, wantPrices)
		}
		plans, err := svc.FindPlans(ctx, false)
		if got, want := planSlugs(plans), []string{"free", "basic", "premium"}; err != nil || !slices.Equal(got, want) {
			t.Errorf("FindPlans() = %v, %v; want %v", got, err, want)
		}
		free, _ := svc.FreePlan(ctx)
		if free.Slug != "free" {
			t.Errorf("FreePlan() = %q after saving another plan marked free", free.Slug)
		}

		// Updating by slug replaces the prices and keeps the ID.
		clk.Set(epoch.Add(1e9))
		upd := &masthead.Plan{Slug: "basic", Name: "Basic plus", Visible: true, Position: 3,
			Prices: []masthead.Price{{Interval: masthead.IntervalYear, Amount: 4000, Currency: "usd"}}}
		savePlans(t, svc, upd)
		got, _ = svc.FindPlanBySlug(ctx, "basic")
		if got.ID != basic.ID || got.Name != "Basic plus" || len(got.Prices) != 1 || got.Prices[0].Currency != "USD" ||
			got.Prices[0].StripePriceID != "" || !got.CreatedAt.Equal(epoch) || !got.UpdatedAt.Equal(epoch.Add(1e9)) {
			t.Errorf("after update = %+v", got)
		}
		// The freed Stripe price can be sold by another plan; a price
		// another plan sells cannot.
		other := &masthead.Plan{Name: "Other", Prices: []masthead.Price{{Interval: masthead.IntervalMonth, Amount: 1, Currency: "EUR", StripePriceID: "price_basic_month"}}}
		if err := svc.SavePlan(ctx, other, masthead.Actor{}); err != nil {
			t.Errorf("SavePlan with a freed Stripe price: %v", err)
		}
		dup := &masthead.Plan{Name: "Dup", Prices: []masthead.Price{{Interval: masthead.IntervalMonth, Amount: 1, Currency: "EUR", StripePriceID: "price_premium_year"}}}
		if err := svc.SavePlan(ctx, dup, masthead.Actor{}); errCode(err) != masthead.EINVALID || masthead.ErrorField(err) != "prices" {
			t.Errorf("SavePlan with another plan's Stripe price = %v, want EINVALID about prices", err)
		}
		if _, err := svc.FindPlanBySlug(ctx, "dup"); errCode(err) != masthead.ENOTFOUND {
			t.Errorf("the refused plan was stored: %v", err)
		}

		// The Free plan can be edited but stays free and without prices.
		free.Entitlements.MeteredPerMonth = 5
		free.Free = false
		savePlans(t, svc, free)
		free, _ = svc.FreePlan(ctx)
		if !free.Free || free.Entitlements.MeteredPerMonth != 5 {
			t.Errorf("Free plan after edit = %+v", free)
		}
		free.Prices = []masthead.Price{{Interval: masthead.IntervalMonth, Amount: 1, Currency: "EUR"}}
		wantErr(t, "SavePlan(free with a price)", svc.SavePlan(ctx, free, masthead.Actor{}), masthead.EINVALID, masthead.Msg(masthead.MsgPlanFreeHasPrice))
	})
}

func TestSavePlanInvalid(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		svc := sqldb.NewPlanService(db)
		tests := []struct {
			name  string
			mod   func(p *masthead.Plan)
			field string
		}{
			{"no name", func(p *masthead.Plan) { p.Name = "  " }, "name"},
			{"bad slug", func(p *masthead.Plan) { p.Slug = "Not A Slug" }, "slug"},
			{"meter", func(p *masthead.Plan) { p.Entitlements.MeteredPerMonth = -2 }, "metered_per_month"},
			{"interval twice", func(p *masthead.Plan) { p.Prices[1].Interval = masthead.IntervalMonth }, "prices"},
			{"currency", func(p *masthead.Plan) { p.Prices[0].Currency = "EURO" }, "prices"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := basicPlan()
				tt.mod(p)
				err := svc.SavePlan(ctx, p, masthead.Actor{})
				if errCode(err) != masthead.EINVALID || masthead.ErrorField(err) != tt.field {
					t.Errorf("SavePlan = %v (field %q), want EINVALID about %q", err, masthead.ErrorField(err), tt.field)
				}
			})
		}
		if plans, _ := svc.FindPlans(ctx, true); len(plans) != 1 {
			t.Errorf("invalid plans were stored: %v", planSlugs(plans))
		}
	})
}

func TestArchivePlan(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		svc := sqldb.NewPlanService(db)
		savePlans(t, svc, basicPlan(), premiumPlan())
		if err := svc.ArchivePlan(ctx, "basic", masthead.Actor{}); err != nil {
			t.Fatalf("ArchivePlan: %v", err)
		}
		plans, _ := svc.FindPlans(ctx, false)
		if got, want := planSlugs(plans), []string{"free", "premium"}; !slices.Equal(got, want) {
			t.Errorf("FindPlans(false) = %v, want %v", got, want)
		}
		plans, _ = svc.FindPlans(ctx, true)
		if got, want := planSlugs(plans), []string{"free", "basic", "premium"}; !slices.Equal(got, want) {
			t.Errorf("FindPlans(true) = %v, want %v", got, want)
		}
		got, err := svc.FindPlanBySlug(ctx, "basic")
		if err != nil || !got.Archived || got.Visible || len(got.Prices) != 2 {
			t.Errorf("archived plan = %+v, %v; want archived, hidden, prices kept", got, err)
		}
		wantErr(t, "ArchivePlan(free)", svc.ArchivePlan(ctx, "free", masthead.Actor{}), masthead.EINVALID, masthead.Msg(masthead.MsgPlanFreeArchive))
		wantErr(t, "ArchivePlan(unknown)", svc.ArchivePlan(ctx, "gold", masthead.Actor{}), masthead.ENOTFOUND, masthead.Msg(masthead.MsgPlanNotFound))
		_, err = svc.FindPlanBySlug(ctx, "gold")
		wantErr(t, "FindPlanBySlug(unknown)", err, masthead.ENOTFOUND, masthead.Msg(masthead.MsgPlanNotFound))
		free, _ := svc.FreePlan(ctx)
		free.Archived = true
		wantErr(t, "SavePlan(archived free)", svc.SavePlan(ctx, free, masthead.Actor{}), masthead.EINVALID, masthead.Msg(masthead.MsgPlanFreeArchive))
		// Saving an archived plan as archived keeps it hidden.
		got.Visible = true
		savePlans(t, svc, got)
		if got, _ := svc.FindPlanBySlug(ctx, "basic"); got.Visible {
			t.Errorf("an archived plan was saved visible")
		}
	})
}
