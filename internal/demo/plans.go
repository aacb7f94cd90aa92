package demo

import (
	"time"

	"masthead"
)

// Plans returns the demo's paid plans, Standard and Premium, as the product
// describes them. (The Free plan is created by the database migrations and
// exists on every site.) Prices are in euro cents; no Stripe prices are
// set, so on a demo site plans are granted by staff.
func Plans() []*masthead.Plan {
	return []*masthead.Plan{
		{
			Slug: "standard", Name: "Standard", Position: 1, Visible: true, TrialDays: 14,
			Description: "Every story on the site except Premium ones, and a voice in the comments.",
			Prices: []masthead.Price{
				{Interval: masthead.IntervalMonth, Amount: 900, Currency: "EUR"},
				{Interval: masthead.IntervalYear, Amount: 9000, Currency: "EUR"},
			},
			Entitlements: masthead.Entitlements{Comment: true, MeteredPerMonth: masthead.Unlimited},
		},
		{
			Slug: "premium", Name: "Premium", Position: 2, Visible: true, TrialDays: 14,
			Description: "Everything in Standard, plus Premium stories and five gift links a month to share them.",
			Prices: []masthead.Price{
				{Interval: masthead.IntervalMonth, Amount: 1500, Currency: "EUR"},
				{Interval: masthead.IntervalYear, Amount: 15000, Currency: "EUR"},
			},
			Entitlements: masthead.Entitlements{Comment: true, ReadPremium: true, MeteredPerMonth: masthead.Unlimited, GiftLinksPerMonth: 5},
		},
	}
}

// CompPeriod is how long the demo's Standard and Premium readers hold
// their plans: complimentary grants, since a demo site takes no payments.
const CompPeriod = 365 * 24 * time.Hour
