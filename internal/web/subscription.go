package web

import (
	"net/http"
	"strings"
	"time"

	"masthead"
)

// subscriptionView is what the Subscription section shows.
type subscriptionView struct {
	// State is free, trialing, active, past_due, cancelled, expired or
	// complimentary.
	State    string
	PlanName string
	// Status says, in words, where the subscription is and until when.
	Status   string
	Includes []string

	// Upgrade links to the plans page; Portal offers the Stripe Customer
	// Portal, with Cancel, Resume or UpdateCard as its leading action.
	Upgrade    bool
	Portal     bool
	Cancel     bool
	Resume     bool
	UpdateCard bool
}

// subscriptionState names where sub is at now, for the Subscription
// section: a subscription that no longer grants its plan is expired
// whatever its stored status, and a granted complimentary one is
// complimentary.
func subscriptionState(sub *masthead.Subscription, now time.Time) string {
	switch {
	case sub == nil:
		return "free"
	case !sub.Grants(now):
		return string(masthead.SubExpired)
	case sub.Complimentary:
		return "complimentary"
	}
	return string(sub.Status)
}

// subscriptionView describes the account's plan and subscription.
func (s *Server) subscriptionView(plan *masthead.Plan, sub *masthead.Subscription) *subscriptionView {
	state := subscriptionState(sub, s.now())
	v := &subscriptionView{State: state, PlanName: plan.Name, Includes: s.planIncludes(plan)}
	portal := s.billing != nil && sub != nil && sub.StripeCustomerID != ""
	subPlan := plan.Name
	if sub != nil && sub.Plan != nil {
		subPlan = sub.Plan.Name
	}
	switch state {
	case "free":
		v.Status = s.msg("subscription.status.free", plan.Name)
		v.Upgrade = true
	case "trialing":
		v.Status = s.msg("subscription.status.trialing", subPlan, s.formatDate(sub.CurrentPeriodEnd))
		v.Portal, v.Cancel = portal, portal
	case "active":
		v.Status = s.msg("subscription.status.active", subPlan, s.formatDate(sub.CurrentPeriodEnd))
		v.Portal, v.Cancel = portal, portal
	case "past_due":
		v.Status = s.msg("subscription.status.past_due", subPlan, s.formatDate(sub.GraceEnd))
		v.Portal, v.UpdateCard = portal, portal
	case "cancelled":
		v.Status = s.msg("subscription.status.cancelled", subPlan, s.formatDate(sub.CurrentPeriodEnd))
		v.Portal, v.Resume = portal, portal
	case "complimentary":
		v.Status = s.msg("subscription.status.complimentary", subPlan, s.formatDate(sub.CurrentPeriodEnd))
		v.Upgrade = true
	default: // expired
		end := sub.CurrentPeriodEnd
		if sub.Status == masthead.SubPastDue && !sub.GraceEnd.IsZero() {
			end = sub.GraceEnd
		}
		if end.IsZero() || end.After(s.now()) {
			v.Status = s.msg("subscription.status.ended", subPlan, plan.Name)
		} else {
			v.Status = s.msg("subscription.status.expired", subPlan, s.formatDate(end), plan.Name)
		}
		v.Upgrade = true
		v.Portal = portal
	}
	return v
}

// handleSubscription shows the reader's plan, its status and dates, what
// it includes, and the actions that apply. With plans off every reader is
// on the Free plan.
func (s *Server) handleSubscription(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.requireViewer(w, r)
	if !ok {
		return
	}
	p := s.accountPage(r, a, "subscription")
	if s.subs != nil {
		ctx := r.Context()
		plan, _, err := s.subs.EffectivePlan(ctx, a.ID)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		sub, err := s.subs.CurrentSubscription(ctx, a.ID)
		if masthead.ErrorCode(err) == masthead.ENOTFOUND {
			sub, err = nil, nil
		}
		if err != nil {
			s.Error(w, r, err)
			return
		}
		p.Sub = s.subscriptionView(plan, sub)
		p.Form = newForm("portal-")
		if msg := r.URL.Query().Get("error"); msg == "portal" {
			p.Form.invalid("", s.msg("subscription.portal_failed"))
		}
	}
	s.render(w, r, http.StatusOK, "subscription", p)
}

// handlePortal opens the Stripe Customer Portal, where the reader changes
// card or plan, cancels or resumes.
func (s *Server) handlePortal(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.requireViewer(w, r)
	if !ok {
		return
	}
	if s.billing == nil {
		s.handleNotFound(w, r)
		return
	}
	ctx := r.Context()
	customer, err := s.subs.StripeCustomer(ctx, a.ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if customer == "" {
		s.Error(w, r, masthead.Errorf(masthead.ENOTFOUND, "%s", s.msg("subscription.no_billing")))
		return
	}
	target, err := s.billing.Portal(ctx, customer)
	if err != nil || !(strings.HasPrefix(target, "https://") || strings.HasPrefix(target, "http://")) {
		if err != nil {
			s.logger.ErrorContext(ctx, "open billing portal", "request_id", RequestID(ctx), "error", err.Error())
		}
		s.redirect(w, r, "/account/subscription?error=portal")
		return
	}
	s.redirect(w, r, target)
}
