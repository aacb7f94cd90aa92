package mock

import (
	"context"
	"time"

	"masthead"
)

// Compile-time check that PlanService implements the domain interface.
var _ masthead.PlanService = (*PlanService)(nil)

// PlanService is a fake masthead.PlanService whose methods call the
// corresponding function fields.
type PlanService struct {
	FindPlansFn      func(ctx context.Context, includeArchived bool) ([]*masthead.Plan, error)
	FindPlanBySlugFn func(ctx context.Context, slug string) (*masthead.Plan, error)
	FreePlanFn       func(ctx context.Context) (*masthead.Plan, error)
	SavePlanFn       func(ctx context.Context, p *masthead.Plan, actor masthead.Actor) error
	ArchivePlanFn    func(ctx context.Context, slug string, actor masthead.Actor) error
}

// FindPlans calls FindPlansFn.
func (s *PlanService) FindPlans(ctx context.Context, includeArchived bool) ([]*masthead.Plan, error) {
	if s.FindPlansFn == nil {
		panic("mock: PlanService.FindPlans called but FindPlansFn is nil")
	}
	return s.FindPlansFn(ctx, includeArchived)
}

// FindPlanBySlug calls FindPlanBySlugFn.
func (s *PlanService) FindPlanBySlug(ctx context.Context, slug string) (*masthead.Plan, error) {
	if s.FindPlanBySlugFn == nil {
		panic("mock: PlanService.FindPlanBySlug called but FindPlanBySlugFn is nil")
	}
	return s.FindPlanBySlugFn(ctx, slug)
}

// FreePlan calls FreePlanFn.
func (s *PlanService) FreePlan(ctx context.Context) (*masthead.Plan, error) {
	if s.FreePlanFn == nil {
		panic("mock: PlanService.FreePlan called but FreePlanFn is nil")
	}
	return s.FreePlanFn(ctx)
}

// SavePlan calls SavePlanFn.
func (s *PlanService) SavePlan(ctx context.Context, p *masthead.Plan, actor masthead.Actor) error {
	if s.SavePlanFn == nil {
		panic("mock: PlanService.SavePlan called but SavePlanFn is nil")
	}
	return s.SavePlanFn(ctx, p, actor)
}

// ArchivePlan calls ArchivePlanFn.
func (s *PlanService) ArchivePlan(ctx context.Context, slug string, actor masthead.Actor) error {
	if s.ArchivePlanFn == nil {
		panic("mock: PlanService.ArchivePlan called but ArchivePlanFn is nil")
	}
	return s.ArchivePlanFn(ctx, slug, actor)
}

// Compile-time check that SubscriptionService implements the domain interface.
var _ masthead.SubscriptionService = (*SubscriptionService)(nil)

// SubscriptionService is a fake masthead.SubscriptionService whose methods call the
// corresponding function fields.
type SubscriptionService struct {
	CurrentSubscriptionFn func(ctx context.Context, accountID int64) (*masthead.Subscription, error)
	EffectivePlanFn       func(ctx context.Context, accountID int64) (*masthead.Plan, *masthead.Subscription, error)
	SubscriptionEventsFn  func(ctx context.Context, accountID int64) ([]*masthead.SubscriptionEvent, error)
	GrantComplimentaryFn  func(ctx context.Context, accountID int64, planSlug string, until time.Time, actor masthead.Actor) (*masthead.Subscription, error)
	RevokeComplimentaryFn func(ctx context.Context, accountID int64, actor masthead.Actor) error
	StripeCustomerFn      func(ctx context.Context, accountID int64) (string, error)
	ApplyStripeEventFn    func(ctx context.Context, ev masthead.StripeEvent) (applied bool, err error)
	FindSubscribersFn     func(ctx context.Context, f masthead.SubscriberFilter) (*masthead.SubscriberPage, error)
}

// CurrentSubscription calls CurrentSubscriptionFn.
func (s *SubscriptionService) CurrentSubscription(ctx context.Context, accountID int64) (*masthead.Subscription, error) {
	if s.CurrentSubscriptionFn == nil {
		panic("mock: SubscriptionService.CurrentSubscription called but CurrentSubscriptionFn is nil")
	}
	return s.CurrentSubscriptionFn(ctx, accountID)
}

// EffectivePlan calls EffectivePlanFn.
func (s *SubscriptionService) EffectivePlan(ctx context.Context, accountID int64) (*masthead.Plan, *masthead.Subscription, error) {
	if s.EffectivePlanFn == nil {
		panic("mock: SubscriptionService.EffectivePlan called but EffectivePlanFn is nil")
	}
	return s.EffectivePlanFn(ctx, accountID)
}

// SubscriptionEvents calls SubscriptionEventsFn.
func (s *SubscriptionService) SubscriptionEvents(ctx context.Context, accountID int64) ([]*masthead.SubscriptionEvent, error) {
	if s.SubscriptionEventsFn == nil {
		panic("mock: SubscriptionService.SubscriptionEvents called but SubscriptionEventsFn is nil")
	}
	return s.SubscriptionEventsFn(ctx, accountID)
}

// GrantComplimentary calls GrantComplimentaryFn.
func (s *SubscriptionService) GrantComplimentary(ctx context.Context, accountID int64, planSlug string, until time.Time, actor masthead.Actor) (*masthead.Subscription, error) {
	if s.GrantComplimentaryFn == nil {
		panic("mock: SubscriptionService.GrantComplimentary called but GrantComplimentaryFn is nil")
	}
	return s.GrantComplimentaryFn(ctx, accountID, planSlug, until, actor)
}

// RevokeComplimentary calls RevokeComplimentaryFn.
func (s *SubscriptionService) RevokeComplimentary(ctx context.Context, accountID int64, actor masthead.Actor) error {
	if s.RevokeComplimentaryFn == nil {
		panic("mock: SubscriptionService.RevokeComplimentary called but RevokeComplimentaryFn is nil")
	}
	return s.RevokeComplimentaryFn(ctx, accountID, actor)
}

// StripeCustomer calls StripeCustomerFn.
func (s *SubscriptionService) StripeCustomer(ctx context.Context, accountID int64) (string, error) {
	if s.StripeCustomerFn == nil {
		panic("mock: SubscriptionService.StripeCustomer called but StripeCustomerFn is nil")
	}
	return s.StripeCustomerFn(ctx, accountID)
}

// ApplyStripeEvent calls ApplyStripeEventFn.
func (s *SubscriptionService) ApplyStripeEvent(ctx context.Context, ev masthead.StripeEvent) (applied bool, err error) {
	if s.ApplyStripeEventFn == nil {
		panic("mock: SubscriptionService.ApplyStripeEvent called but ApplyStripeEventFn is nil")
	}
	return s.ApplyStripeEventFn(ctx, ev)
}

// FindSubscribers calls FindSubscribersFn.
func (s *SubscriptionService) FindSubscribers(ctx context.Context, f masthead.SubscriberFilter) (*masthead.SubscriberPage, error) {
	if s.FindSubscribersFn == nil {
		panic("mock: SubscriptionService.FindSubscribers called but FindSubscribersFn is nil")
	}
	return s.FindSubscribersFn(ctx, f)
}
