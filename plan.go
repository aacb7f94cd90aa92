package masthead

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Unlimited is the value of a per-month entitlement without a limit.
const Unlimited = -1

// Entitlements are what a plan lets its holder do.
type Entitlements struct {
	// Comment lets the holder comment on stories.
	Comment bool `json:"comment"`
	// ReadPremium lets the holder read premium stories.
	ReadPremium bool `json:"read_premium"`
	// MeteredPerMonth is how many metered stories the holder may read in
	// a meter period, or Unlimited.
	MeteredPerMonth int `json:"metered_per_month"`
	// GiftLinksPerMonth is how many gift links the holder may create in a
	// meter period.
	GiftLinksPerMonth int `json:"gift_links_per_month"`
}

// Interval is how often a price is charged.
type Interval string

// Billing intervals.
const (
	IntervalMonth Interval = "month"
	IntervalYear  Interval = "year"
)

// Valid reports whether i is a known interval.
func (i Interval) Valid() bool { return i == IntervalMonth || i == IntervalYear }

// Price is what a plan costs per interval, in the currency's minor unit
// (cents, pence, yen).
type Price struct {
	Interval Interval `json:"interval"`
	Amount   int64    `json:"amount"`
	Currency string   `json:"currency"`
	// StripePriceID is the Stripe price that Checkout sells; "" when the
	// plan is not sold through Stripe.
	StripePriceID string `json:"-"`
}

// Plan is a subscription plan. Exactly one plan is the Free plan: every
// registered reader without a paid or complimentary subscription is on it.
type Plan struct {
	ID           int64
	Slug         string
	Name         string
	Description  string
	Prices       []Price
	TrialDays    int
	Entitlements Entitlements
	// Free marks the plan of registered readers without a subscription.
	Free bool
	// Visible plans are offered on /plans; archived ones are kept for
	// their subscribers but offered to nobody.
	Visible  bool
	Archived bool
	// Position orders plans on /plans, lowest first.
	Position  int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Price returns the plan's price for an interval, and whether it has one.
func (p *Plan) Price(i Interval) (Price, bool) {
	for _, pr := range p.Prices {
		if pr.Interval == i {
			return pr, true
		}
	}
	return Price{}, false
}

// Limits of plan fields.
const (
	MaxPlanNameLen        = 60
	MaxPlanDescriptionLen = 500
	MaxTrialDays          = 365
)

// Normalize tidies a plan before validation: trimmed text, a slug from
// the name when none is given, upper-case currencies.
func (p *Plan) Normalize() {
	p.Name = strings.TrimSpace(p.Name)
	p.Description = strings.TrimSpace(p.Description)
	p.Slug = strings.TrimSpace(p.Slug)
	if p.Slug == "" {
		p.Slug = Slugify(p.Name)
	}
	for i := range p.Prices {
		p.Prices[i].Currency = strings.ToUpper(strings.TrimSpace(p.Prices[i].Currency))
		p.Prices[i].StripePriceID = strings.TrimSpace(p.Prices[i].StripePriceID)
	}
}

// Validate returns an EINVALID error naming the first field that is wrong.
func (p *Plan) Validate() error {
	switch {
	case p.Name == "":
		return FieldError("name", Msg(MsgPlanNameRequired))
	case utf8.RuneCountInString(p.Name) > MaxPlanNameLen:
		return FieldError("name", Msg(MsgPlanNameTooLong, MaxPlanNameLen))
	case !ValidSlug(p.Slug):
		return FieldError("slug", Msg(MsgSlugInvalid, MaxSlugLen, p.Slug))
	case utf8.RuneCountInString(p.Description) > MaxPlanDescriptionLen:
		return FieldError("description", Msg(MsgPlanDescriptionTooLong, MaxPlanDescriptionLen))
	case p.TrialDays < 0 || p.TrialDays > MaxTrialDays:
		return FieldError("trial_days", Msg(MsgPlanTrialDaysInvalid, MaxTrialDays))
	case p.Entitlements.MeteredPerMonth < Unlimited:
		return FieldError("metered_per_month", Msg(MsgPlanMeterInvalid))
	case p.Entitlements.GiftLinksPerMonth < 0:
		return FieldError("gift_links_per_month", Msg(MsgPlanGiftLinksInvalid))
	case p.Free && len(p.Prices) > 0:
		return FieldError("prices", Msg(MsgPlanFreeHasPrice))
	}
	seen := map[Interval]bool{}
	for _, pr := range p.Prices {
		switch {
		case !pr.Interval.Valid():
			return FieldError("prices", Msg(MsgPlanIntervalInvalid, pr.Interval))
		case seen[pr.Interval]:
			return FieldError("prices", Msg(MsgPlanIntervalTwice, pr.Interval))
		case pr.Amount <= 0:
			return FieldError("prices", Msg(MsgPlanAmountInvalid))
		case len(pr.Currency) != 3 || strings.Trim(pr.Currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "":
			return FieldError("prices", Msg(MsgPlanCurrencyInvalid, pr.Currency))
		}
		if len(seen) > 0 && pr.Currency != p.Prices[0].Currency {
			return FieldError("prices", Msg(MsgPlanCurrencyMixed))
		}
		seen[pr.Interval] = true
	}
	return nil
}

// SubscriptionStatus is where a subscription is in its life.
type SubscriptionStatus string

// Subscription statuses.
const (
	// SubTrialing: in its free trial until CurrentPeriodEnd.
	SubTrialing SubscriptionStatus = "trialing"
	// SubActive: paid up until CurrentPeriodEnd.
	SubActive SubscriptionStatus = "active"
	// SubPastDue: a payment failed; entitlements are kept until GraceEnd.
	SubPastDue SubscriptionStatus = "past_due"
	// SubCancelled: cancelled at period end; kept until CurrentPeriodEnd.
	SubCancelled SubscriptionStatus = "cancelled"
	// SubExpired: over; the reader is back on the Free plan.
	SubExpired SubscriptionStatus = "expired"
)

// Valid reports whether s is a known status.
func (s SubscriptionStatus) Valid() bool {
	switch s {
	case SubTrialing, SubActive, SubPastDue, SubCancelled, SubExpired:
		return true
	}
	return false
}

// DefaultGracePeriod is how long a past-due subscription keeps its
// entitlements by default.
const DefaultGracePeriod = 7 * 24 * time.Hour

// Subscription is an account's subscription to a plan. An account has at
// most one current subscription.
type Subscription struct {
	ID        int64
	AccountID int64
	Plan      *Plan
	Status    SubscriptionStatus
	Interval  Interval
	// CurrentPeriodEnd is when the paid (or trial, or complimentary)
	// period ends; a cancelled subscription ends then.
	CurrentPeriodEnd time.Time
	// GraceEnd is when a past-due subscription loses its entitlements.
	GraceEnd time.Time
	// Complimentary subscriptions are granted by staff until
	// CurrentPeriodEnd, without payment.
	Complimentary bool

	StripeCustomerID     string
	StripeSubscriptionID string
	// StripeVersion orders the Stripe events applied to this
	// subscription; an event older than it changes nothing.
	StripeVersion string

	CreatedAt time.Time
	UpdatedAt time.Time
}

// Grants reports whether the subscription gives its plan's entitlements at
// now.
func (s *Subscription) Grants(now time.Time) bool {
	if s == nil || s.Plan == nil {
		return false
	}
	before := func(t time.Time) bool { return t.IsZero() || now.Before(t) }
	switch s.Status {
	case SubTrialing, SubActive, SubCancelled:
		return before(s.CurrentPeriodEnd)
	case SubPastDue:
		return !s.GraceEnd.IsZero() && now.Before(s.GraceEnd)
	}
	return false
}

// EffectivePlan returns the plan whose entitlements apply to the holder of
// sub at now: sub's plan while it grants it, else the Free plan.
func EffectivePlan(sub *Subscription, free *Plan, now time.Time) *Plan {
	if sub.Grants(now) {
		return sub.Plan
	}
	return free
}

// SubscriptionEvent records one change to a subscription: what happened,
// when, and who or which Stripe event did it.
type SubscriptionEvent struct {
	ID             int64
	AccountID      int64
	SubscriptionID int64
	// Kind is what happened, e.g. "created", "status", "plan",
	// "complimentary_granted", "complimentary_revoked".
	Kind string
	// Detail describes the change for staff, e.g. "active → past_due".
	Detail string
	// ActorID is the staff member who made the change; 0 for the reader
	// or the system.
	ActorID int64
	// StripeEventID is the Stripe event that made the change, if any.
	StripeEventID string
	At            time.Time
}

// StripeEvent is what masthead takes from a verified Stripe webhook event:
// the state of one Stripe subscription as that event tells it.
type StripeEvent struct {
	ID      string
	Type    string
	Created time.Time

	AccountID            int64 // from the checkout session or the subscription's metadata; 0 if unknown
	CustomerID           string
	SubscriptionID       string
	PriceID              string
	Status               string // Stripe's: trialing, active, past_due, canceled, unpaid, incomplete, incomplete_expired
	CancelAtPeriodEnd    bool
	CurrentPeriodEnd     time.Time
	HasSubscriptionState bool // false for events that carry no subscription state (only links)
}

// SubscriberFilter selects accounts for the staff subscriber list.
type SubscriberFilter struct {
	// Query matches the email address or display name (substring,
	// case-insensitive).
	Query string
	// Plan is a plan slug ("free" for readers without a subscription).
	Plan string
	// Status is a subscription status.
	Status SubscriptionStatus
	// After continues the list after this account ID; Limit caps it.
	After int64
	Limit int
}

// Subscriber is one row of the staff subscriber list.
type Subscriber struct {
	Account      *Account
	Subscription *Subscription // nil when on the Free plan
	Plan         *Plan         // the effective plan
}

// SubscriberPage is one page of the subscriber list.
type SubscriberPage struct {
	Subscribers []*Subscriber
	// Next continues the list; 0 on the last page.
	Next int64
}

// PlanService stores plans.
type PlanService interface {
	// FindPlans returns plans in position order; archived ones only when
	// asked.
	FindPlans(ctx context.Context, includeArchived bool) ([]*Plan, error)
	// FindPlanBySlug returns one plan, archived or not.
	FindPlanBySlug(ctx context.Context, slug string) (*Plan, error)
	// FreePlan returns the Free plan.
	FreePlan(ctx context.Context) (*Plan, error)
	// SavePlan creates the plan or updates the one with its slug,
	// validated. A staff actor needs PermPlans (EFORBIDDEN) and the save
	// leaves an AuditPlanSave entry; the zero Actor is the system (the
	// demo seeder, the command line), which needs no permission and
	// leaves no entry.
	SavePlan(ctx context.Context, p *Plan, actor Actor) error
	// ArchivePlan stops offering a plan; its subscribers keep it. The
	// Free plan cannot be archived. Plans are never deleted. The actor is
	// as for SavePlan, with an AuditPlanArchive entry.
	ArchivePlan(ctx context.Context, slug string, actor Actor) error
}

// SubscriptionService manages subscriptions and their history.
type SubscriptionService interface {
	// CurrentSubscription returns the account's subscription, or
	// ENOTFOUND when it has none (it is on the Free plan).
	CurrentSubscription(ctx context.Context, accountID int64) (*Subscription, error)
	// EffectivePlan returns the plan whose entitlements apply to the
	// account now, and its subscription (nil on the Free plan).
	EffectivePlan(ctx context.Context, accountID int64) (*Plan, *Subscription, error)
	// SubscriptionEvents returns the account's subscription history,
	// newest first.
	SubscriptionEvents(ctx context.Context, accountID int64) ([]*SubscriptionEvent, error)

	// GrantComplimentary puts the account on a plan until a date, without
	// payment, replacing a complimentary or expired subscription (not a
	// paid one: ECONFLICT). A staff actor needs PermPlans (EFORBIDDEN)
	// and the grant leaves an AuditCompGrant entry; the zero Actor is the
	// system, which needs no permission and leaves no entry.
	GrantComplimentary(ctx context.Context, accountID int64, planSlug string, until time.Time, actor Actor) (*Subscription, error)
	// RevokeComplimentary ends a complimentary subscription now. The
	// actor is as for GrantComplimentary, with an AuditCompRevoke entry.
	RevokeComplimentary(ctx context.Context, accountID int64, actor Actor) error

	// StripeCustomer returns the account's Stripe customer ID, or "".
	StripeCustomer(ctx context.Context, accountID int64) (string, error)
	// ApplyStripeEvent applies a verified Stripe event once: an event ID
	// seen before changes nothing (applied false), and an event older
	// than the subscription's newest applied one only records that it
	// was seen.
	ApplyStripeEvent(ctx context.Context, ev StripeEvent) (applied bool, err error)

	// FindSubscribers returns a page of the staff subscriber list.
	FindSubscribers(ctx context.Context, f SubscriberFilter) (*SubscriberPage, error)
}
