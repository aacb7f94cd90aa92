package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"masthead"
)

// planRoutes registers the plans pages, checkout, the Stripe webhook, the
// subscription's billing portal, gift links and the staff pages of plans
// and subscribers. Only routes that need accounts wait for them.
func (s *Server) planRoutes(mux *http.ServeMux) {
	private := func(pattern string, h http.HandlerFunc) { mux.HandleFunc(pattern, noStoreHandler(h)) }

	mux.HandleFunc("GET /plans", s.handlePlans)
	if s.billing != nil {
		// Stripe posts without a session, Origin or Sec-Fetch-Site header,
		// which cross-origin protection lets through; the signature is
		// what authenticates it.
		private("POST /webhooks/stripe", s.handleStripeWebhook)
	}
	if s.accounts == nil {
		return
	}
	private("POST /plans/{slug}/subscribe", s.handleSubscribe)
	private("GET /plans/success", s.handleCheckoutSuccess)
	private("GET /plans/cancel", s.handleCheckoutCancel)
	private("POST /account/subscription/portal", s.handlePortal)
	if s.gifts != nil {
		private("POST /stories/{slug}/gift", s.handleCreateGift)
		private("GET /account/gifts", s.handleGifts)
	}
}

// planView is a plan as the plans page shows it.
type planView struct {
	Slug        string
	Name        string
	Description string
	Prices      []priceView
	Includes    []string
	Current     bool
	// Subscribe is true when the plan can be bought here, through Stripe.
	Subscribe bool
}

// priceView is one of a plan's prices.
type priceView struct {
	Interval string
	Label    string // "€9.00 a month"
	Button   string // "Subscribe monthly"
	// Buy is true when the price is sold through Stripe.
	Buy bool
}

// zeroDecimal are the currencies without a minor unit, whose amounts are
// stored in whole units (as Stripe does).
var zeroDecimal = map[string]bool{
	"BIF": true, "CLP": true, "DJF": true, "GNF": true, "JPY": true, "KMF": true, "KRW": true, "MGA": true,
	"PYG": true, "RWF": true, "UGX": true, "VND": true, "VUV": true, "XAF": true, "XOF": true, "XPF": true,
}

// currencyDigits returns how many decimal digits a currency's amounts have.
func currencyDigits(currency string) int {
	if zeroDecimal[currency] {
		return 0
	}
	return 2
}

// currencySymbols are the symbols of common currencies; others are shown by
// their code.
var currencySymbols = map[string]string{"EUR": "€", "GBP": "£", "JPY": "¥", "KRW": "₩", "USD": "$"}

// formatNumber formats a whole number with the locale's group separator.
func (s *Server) formatNumber(n int64) string { return s.views.number(n) }

// formatMoney formats an amount in a currency's minor unit for the site's
// locale: "€1,234.50", "¥1,200", "CHF 12.00".
func (s *Server) formatMoney(amount int64, currency string) string {
	digits := currencyDigits(currency)
	unit := int64(1)
	for range digits {
		unit *= 10
	}
	neg := amount < 0
	if neg {
		amount = -amount
	}
	num := s.formatNumber(amount / unit)
	if digits > 0 {
		num += s.msg("number.decimal") + fmt.Sprintf("%0*d", digits, amount%unit)
	}
	if neg {
		num = "-" + num
	}
	if sym, ok := currencySymbols[currency]; ok {
		return s.msg("money.symbol", sym, num)
	}
	return s.msg("money.code", currency, num)
}

// parseMoney reads a decimal amount typed by staff ("9.99", "1,200") into
// the currency's minor unit.
func parseMoney(text, currency string) (int64, bool) {
	text = strings.ReplaceAll(strings.TrimSpace(text), ",", "")
	whole, frac, hasFrac := strings.Cut(text, ".")
	digits := currencyDigits(currency)
	if whole == "" || len(whole) > 12 || (hasFrac && (frac == "" || len(frac) > digits)) {
		return 0, false
	}
	for _, part := range []string{whole, frac} {
		for _, c := range part {
			if c < '0' || c > '9' {
				return 0, false
			}
		}
	}
	n, _ := strconv.ParseInt(whole, 10, 64)
	for range digits {
		n *= 10
	}
	if hasFrac {
		f, _ := strconv.ParseInt(frac+strings.Repeat("0", digits-len(frac)), 10, 64)
		n += f
	}
	return n, true
}

// formatAmount writes an amount in a currency's minor unit as the plain
// decimal staff type.
func formatAmount(amount int64, currency string) string {
	digits := currencyDigits(currency)
	if digits == 0 {
		return strconv.FormatInt(amount, 10)
	}
	unit := int64(1)
	for range digits {
		unit *= 10
	}
	return fmt.Sprintf("%d.%0*d", amount/unit, digits, amount%unit)
}

// priceLabel says what a price costs per interval: "€9.00 a month".
func (s *Server) priceLabel(pr masthead.Price) string {
	return s.msg("plans.price."+string(pr.Interval), s.formatMoney(pr.Amount, pr.Currency))
}

// planIncludes lists what a plan includes, one sentence each.
func (s *Server) planIncludes(p *masthead.Plan) []string {
	e := p.Entitlements
	var out []string
	switch m := e.MeteredPerMonth; {
	case m == masthead.Unlimited:
		out = append(out, s.msg("plans.includes.unlimited"))
	case m > 0:
		out = append(out, s.msg("plans.includes.metered", m))
	default:
		out = append(out, s.msg("plans.includes.free_only"))
	}
	if e.ReadPremium {
		out = append(out, s.msg("plans.includes.premium"))
	}
	if e.Comment {
		out = append(out, s.msg("plans.includes.comment"))
	}
	if e.GiftLinksPerMonth > 0 {
		out = append(out, s.msg("plans.includes.gifts", e.GiftLinksPerMonth))
	}
	if p.TrialDays > 0 && !p.Free {
		out = append(out, s.msg("plans.includes.trial", p.TrialDays))
	}
	return out
}

// plansPage returns the plans page: the visible plans, the viewer's
// current one marked.
func (s *Server) plansPage(r *http.Request) (*page, error) {
	ctx := r.Context()
	plans, err := s.plans.FindPlans(ctx, false)
	if err != nil {
		return nil, err
	}
	current := ""
	if a, _ := s.viewer(r); a != nil {
		plan, _, err := s.subs.EffectivePlan(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		current = plan.Slug
	}
	p := s.newPage(r)
	p.Heading = s.msg("plans.heading")
	s.setTitle(p, p.Heading)
	p.Description = s.msg("plans.description", s.cfg.SiteName)
	p.Intro = s.msg("plans.intro")
	if s.billing == nil {
		p.PlansNote = s.msg("plans.no_billing")
	}
	p.Form = newForm("plans-")
	for _, pl := range plans {
		if !pl.Visible || pl.Archived {
			continue
		}
		v := planView{
			Slug: pl.Slug, Name: pl.Name, Description: pl.Description,
			Includes: s.planIncludes(pl),
			Current:  pl.Slug == current,
		}
		for _, pr := range pl.Prices {
			v.Prices = append(v.Prices, priceView{
				Interval: string(pr.Interval),
				Label:    s.priceLabel(pr),
				Button:   s.msg("plans.subscribe."+string(pr.Interval), pl.Name),
				Buy:      pr.StripePriceID != "",
			})
			if pr.StripePriceID != "" {
				v.Subscribe = true
			}
		}
		if s.billing == nil || pl.Free || v.Current || s.accounts == nil {
			v.Subscribe = false
		}
		p.Plans = append(p.Plans, v)
	}
	return p, nil
}

// handlePlans lists the visible plans with their prices and what each
// includes.
func (s *Server) handlePlans(w http.ResponseWriter, r *http.Request) {
	p, err := s.plansPage(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "plans", p)
}

// refusePlans shows the plans page again with why a checkout could not
// start.
func (s *Server) refusePlans(w http.ResponseWriter, r *http.Request, status int, message string) {
	p, err := s.plansPage(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p.Form.invalid("", message)
	p.Title = s.msg("form.error_title", p.Title)
	s.render(w, r, status, "plans", p)
}

// handleSubscribe opens Stripe Checkout for a plan's price of the posted
// interval. A signed-out reader is sent to sign in first.
func (s *Server) handleSubscribe(w http.ResponseWriter, r *http.Request) {
	a, _ := s.viewer(r)
	if a == nil {
		if ri := requestInfoFrom(r.Context()); ri != nil && ri.authErr != nil {
			s.Error(w, r, ri.authErr)
			return
		}
		s.redirect(w, r, "/signin?next="+queryEscape("/plans"))
		return
	}
	if s.billing == nil {
		s.handleNotFound(w, r)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	interval := masthead.Interval(r.PostFormValue("interval"))
	if !interval.Valid() {
		s.refusePlans(w, r, http.StatusBadRequest, s.msg("plans.interval_invalid"))
		return
	}
	plan, err := s.plans.FindPlanBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		if code := masthead.ErrorCode(err); code == masthead.ENOTFOUND {
			s.refusePlans(w, r, http.StatusNotFound, masthead.MsgIn(s.cfg.Locale, masthead.MsgPlanNotFound))
			return
		}
		s.Error(w, r, err)
		return
	}
	if price, ok := plan.Price(interval); plan.Free || plan.Archived || !plan.Visible || !ok || price.StripePriceID == "" {
		s.refusePlans(w, r, http.StatusBadRequest, s.msg("plans.not_for_sale"))
		return
	}
	_, sub, err := s.subs.EffectivePlan(ctx, a.ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if sub != nil && !sub.Complimentary && sub.StripeSubscriptionID != "" && sub.Grants(s.now()) {
		s.refusePlans(w, r, http.StatusConflict, s.msg("plans.already_subscribed"))
		return
	}
	customer, err := s.subs.StripeCustomer(ctx, a.ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	target, err := s.billing.Checkout(ctx, a, plan, interval, customer)
	if err == nil && !strings.HasPrefix(target, "https://") && !strings.HasPrefix(target, "http://") {
		err = fmt.Errorf("web: checkout URL %q is not absolute", target)
	}
	if err != nil {
		status := ErrorStatus(masthead.ErrorCode(err))
		message := masthead.ErrorMessage(err)
		if status == http.StatusInternalServerError {
			s.logger.LogAttrs(ctx, slog.LevelError, "start checkout",
				slog.String("request_id", RequestID(ctx)),
				slog.String("plan", plan.Slug),
				slog.String("error", err.Error()))
			status, message = http.StatusBadGateway, s.msg("plans.checkout_failed")
		}
		s.refusePlans(w, r, status, message)
		return
	}
	s.redirect(w, r, target)
}

// handleCheckoutSuccess thanks the reader back from Checkout; the
// subscription appears once Stripe's webhook confirms it.
func (s *Server) handleCheckoutSuccess(w http.ResponseWriter, r *http.Request) {
	s.noticePage(w, r, http.StatusOK, "plans.success_heading", s.msg("plans.success"),
		s.link("/account/subscription", "plans.success_link"))
}

// handleCheckoutCancel says that a checkout left unfinished cost nothing.
func (s *Server) handleCheckoutCancel(w http.ResponseWriter, r *http.Request) {
	s.noticePage(w, r, http.StatusOK, "plans.cancel_heading", s.msg("plans.cancelled"),
		s.link("/plans", "plans.back"))
}
