package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"masthead"
)

// adminSubscriberPageSize is how many subscribers a page of the list shows.
const adminSubscriberPageSize = 50

// AdminRoute is one staff route and the permission it needs. Every staff
// route is registered through adminHandle, which records it here, so the
// authorisation matrix test can check each one.
type AdminRoute struct {
	Pattern string
	Perm    masthead.Permission
}

// adminHandlerFunc is a staff handler, given the signed-in staff account.
type adminHandlerFunc func(w http.ResponseWriter, r *http.Request, a *masthead.Account)

// adminHandle registers a staff route that only roles with perm may use
// (masthead.Role.Can); see requireStaff.
func (s *Server) adminHandle(mux *http.ServeMux, pattern string, perm masthead.Permission, h adminHandlerFunc) {
	s.adminTable = append(s.adminTable, AdminRoute{Pattern: pattern, Perm: perm})
	mux.HandleFunc(pattern, noStoreHandler(func(w http.ResponseWriter, r *http.Request) {
		if a, ok := s.requireStaff(w, r, perm); ok {
			h(w, r, a)
		}
	}))
}

// AdminRoutes returns every staff route and the permission it needs, in
// the order they were registered.
func (s *Server) AdminRoutes() []AdminRoute { return slices.Clone(s.adminTable) }

// adminRoutes registers the staff pages: the staff home, and the pages of
// each part of the staff tools that the site has.
func (s *Server) adminRoutes(mux *http.ServeMux) {
	s.adminHandle(mux, "GET /admin", masthead.PermStaff, s.handleAdmin)
	if s.plans != nil {
		s.adminHandle(mux, "GET /admin/plans", masthead.PermPlans, s.handleAdminPlans)
		s.adminHandle(mux, "GET /admin/plans/new", masthead.PermPlans, s.handleAdminPlanForm)
		s.adminHandle(mux, "POST /admin/plans/new", masthead.PermPlans, s.handleAdminPlanSave)
		s.adminHandle(mux, "GET /admin/plans/{slug}", masthead.PermPlans, s.handleAdminPlanForm)
		s.adminHandle(mux, "POST /admin/plans/{slug}", masthead.PermPlans, s.handleAdminPlanSave)
		s.adminHandle(mux, "POST /admin/plans/{slug}/archive", masthead.PermPlans, s.handleAdminPlanArchive)
		s.adminHandle(mux, "GET /admin/subscribers", masthead.PermUsers, s.handleAdminSubscribers)
		s.adminHandle(mux, "GET /admin/subscribers/{id}", masthead.PermUsers, s.handleAdminSubscriber)
		s.adminHandle(mux, "POST /admin/subscribers/{id}/comp", masthead.PermPlans, s.handleAdminComp)
		s.adminHandle(mux, "POST /admin/subscribers/{id}/comp/revoke", masthead.PermPlans, s.handleAdminCompRevoke)
	}
	if s.cfg.Editor != nil {
		s.adminStoryRoutes(mux)
	}
	if s.cfg.Policy != nil {
		s.adminSettingsRoutes(mux)
	}
	if s.cfg.Moderation != nil {
		s.adminModerationRoutes(mux)
	}
	if s.cfg.Users != nil {
		s.adminUserRoutes(mux)
	}
	if s.cfg.Audit != nil {
		s.adminAuditRoutes(mux)
	}
	if s.cfg.Staff != nil {
		s.adminStaffRoutes(mux)
	}
}

// requireStaff returns the signed-in account if its role may use perm.
// Otherwise it answers itself: a signed-out visitor is sent to sign in and
// come back (an API request gets 401), an administrator without two-factor
// sign-in is sent to set it up when the site has it (an API request gets
// 403), anyone else gets a 403 page.
func (s *Server) requireStaff(w http.ResponseWriter, r *http.Request, perm masthead.Permission) (*masthead.Account, bool) {
	a, _ := s.viewer(r)
	if a == nil {
		if ri := requestInfoFrom(r.Context()); ri != nil && ri.authErr != nil {
			s.Error(w, r, ri.authErr)
			return nil, false
		}
		if strings.HasPrefix(r.URL.Path, "/api/") {
			s.Error(w, r, masthead.Errorf(masthead.EUNAUTHORIZED, "%s", s.msg(string(masthead.MsgSessionInvalid))))
			return nil, false
		}
		back := "/admin"
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			back = r.URL.RequestURI()
		}
		s.redirect(w, r, "/signin?next="+queryEscape(back))
		return nil, false
	}
	// A site without two-factor sign-in (Config.TwoFactor nil) could not
	// let an administrator set it up, so only one with it requires it.
	if a.Role == masthead.RoleAdmin && !a.TwoFactorEnabled && s.cfg.TwoFactor != nil {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			s.renderError(w, r, http.StatusForbidden, masthead.EFORBIDDEN, s.msg("twofactor.admin_required"))
			return nil, false
		}
		s.redirect(w, r, "/account/security/two-factor?required=1")
		return nil, false
	}
	if !a.Role.Can(perm) {
		s.renderError(w, r, http.StatusForbidden, masthead.EFORBIDDEN, s.msg("admin.forbidden"))
		return nil, false
	}
	return a, true
}

// actor returns the staff member behind a request, for the services'
// permission checks and the audit log.
func (s *Server) actor(r *http.Request, a *masthead.Account) masthead.Actor {
	return masthead.Actor{ID: a.ID, Role: a.Role, IP: s.clientIP(r).String()}
}

// adminView is the data of the staff pages.
type adminView struct {
	// Links are the staff pages the viewer may use, on /admin.
	Links []pageLink

	Plans []adminPlanRow

	// The plan form's checkboxes and fixed values.
	PlanAction  string
	PlanNew     bool
	PlanFree    bool
	Comment     bool
	ReadPremium bool
	Visible     bool
	Description *field

	// The subscriber list.
	Query         string
	PlanOptions   []option
	StatusOptions []option
	Subscribers   []adminSubscriberRow
	NextURL       string

	// One subscriber.
	Subscriber *adminSubscriberRow
	Sub        *subscriptionView
	Events     []adminEventRow
	CompAction string
	CanComp    bool
	CanRevoke  bool
	CompPlans  []option
	// UserURL is the account's page of moderation history and actions,
	// when the site has them.
	UserURL string
}

// adminPlanRow is a plan in the staff list.
type adminPlanRow struct {
	Slug     string
	Name     string
	Prices   []string
	Visible  bool
	Archived bool
	Free     bool
}

// adminSubscriberRow is an account in the subscriber list.
type adminSubscriberRow struct {
	ID          int64
	Email       string
	DisplayName string
	Role        string
	Verified    bool
	Created     string
	PlanName    string
	Status      string
}

// adminEventRow is one entry of a subscription's history.
type adminEventRow struct {
	At     string
	AtISO  string
	Kind   string
	Detail string
	By     string
}

// option is an option of a select element.
type option struct {
	Value    string
	Label    string
	Selected bool
}

// adminPage returns a staff page titled by the catalogue text of id.
func (s *Server) adminPage(r *http.Request, id string, args ...any) *page {
	p := s.newPage(r)
	p.NoIndex = true
	p.Heading = s.msg(id, args...)
	s.setTitle(p, p.Heading)
	p.Description = p.Heading
	p.Admin = &adminView{}
	return p
}

// handleAdmin is the staff index: links to the staff pages the viewer's
// role may use.
func (s *Server) handleAdmin(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	p := s.adminPage(r, "admin.heading")
	if s.plans != nil && a.Role.Can(masthead.PermPlans) {
		p.Admin.Links = append(p.Admin.Links, s.link("/admin/plans", "admin.nav.plans"))
	}
	if s.plans != nil && a.Role.Can(masthead.PermUsers) {
		p.Admin.Links = append(p.Admin.Links, s.link("/admin/subscribers", "admin.nav.subscribers"))
	}
	p.Admin.Links = append(p.Admin.Links, s.editorLinks(a)...)
	if s.cfg.Moderation != nil && a.Role.Can(masthead.PermModerate) {
		p.Admin.Links = append(p.Admin.Links, s.moderationLink(r))
	}
	if s.cfg.Users != nil && a.Role.Can(masthead.PermUsers) {
		p.Admin.Links = append(p.Admin.Links, s.link("/admin/users", "users.nav"))
	}
	if s.cfg.Staff != nil && a.Role.Can(masthead.PermStaffAdmin) {
		p.Admin.Links = append(p.Admin.Links, s.link("/admin/staff", "admin.nav.staff"))
	}
	if s.cfg.Audit != nil && a.Role.Can(masthead.PermAudit) {
		p.Admin.Links = append(p.Admin.Links, s.link("/admin/audit", "admin.nav.audit"))
	}
	if s.cfg.Policy != nil && a.Role.Can(masthead.PermSettings) {
		p.Admin.Links = append(p.Admin.Links, s.link("/admin/settings", "admin.nav.settings"))
	}
	if len(p.Admin.Links) == 0 {
		p.Intro = s.msg("admin.nothing_yet")
	}
	s.render(w, r, http.StatusOK, "admin", p)
}

// handleAdminPlans lists every plan, archived ones included.
func (s *Server) handleAdminPlans(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	plans, err := s.plans.FindPlans(r.Context(), true)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p := s.adminPage(r, "admin.plans.heading")
	for _, pl := range plans {
		row := adminPlanRow{Slug: pl.Slug, Name: pl.Name, Visible: pl.Visible, Archived: pl.Archived, Free: pl.Free}
		for _, pr := range pl.Prices {
			row.Prices = append(row.Prices, s.priceLabel(pr))
		}
		p.Admin.Plans = append(p.Admin.Plans, row)
	}
	switch r.URL.Query().Get("done") {
	case "saved":
		p.Notice = s.msg("admin.plans.saved")
	case "archived":
		p.Notice = s.msg("admin.plans.archived")
	}
	p.Form = newForm("archive-")
	s.render(w, r, http.StatusOK, "admin_plans", p)
}

// planForm returns the plan form's text fields.
func (s *Server) planForm() *form {
	num := func(name, label string) *field {
		f := s.textField(name, label, "text", "off")
		f.Hint = s.msg(label + "_hint")
		return f
	}
	name := s.textField("name", "admin.plan.name", "text", "off")
	name.Required, name.MaxLength = true, masthead.MaxPlanNameLen
	slug := s.textField("slug", "admin.plan.slug", "text", "off")
	slug.Hint, slug.MaxLength = s.msg("admin.plan.slug_hint"), masthead.MaxSlugLen
	fields := []*field{name, slug,
		num("trial_days", "admin.plan.trial_days"),
		num("metered_per_month", "admin.plan.metered_per_month"),
		num("gift_links_per_month", "admin.plan.gift_links_per_month"),
	}
	for _, iv := range []string{"month", "year"} {
		amount := s.textField(iv+"_amount", "admin.plan.amount."+iv, "text", "off")
		amount.Hint = s.msg("admin.plan.amount_hint")
		currency := s.textField(iv+"_currency", "admin.plan.currency."+iv, "text", "off")
		currency.MaxLength = 3
		price := s.textField(iv+"_stripe_price_id", "admin.plan.stripe_price_id."+iv, "text", "off")
		fields = append(fields, amount, currency, price)
	}
	return newForm("plan-", fields...)
}

// planFormPage returns the new-plan or edit-plan page for existing (nil
// for a new plan).
func (s *Server) planFormPage(r *http.Request, existing *masthead.Plan) *page {
	var p *page
	if existing == nil {
		p = s.adminPage(r, "admin.plan.new_heading")
		p.Admin.PlanAction = "/admin/plans/new"
		p.Admin.PlanNew = true
	} else {
		p = s.adminPage(r, "admin.plan.edit_heading", existing.Name)
		p.Admin.PlanAction = "/admin/plans/" + existing.Slug
		p.Admin.PlanFree = existing.Free
	}
	p.Form = s.planForm()
	desc := s.textField("description", "admin.plan.description", "text", "off")
	desc.ID = "plan-description"
	desc.MaxLength = masthead.MaxPlanDescriptionLen
	p.Admin.Description = desc
	p.Form.F["description"] = desc
	if existing != nil {
		p.Form.F["slug"].Hint = s.msg("admin.plan.slug_fixed")
	}
	return p
}

// fillPlanForm puts a plan's values into the form.
func (s *Server) fillPlanForm(p *page, pl *masthead.Plan) {
	f := p.Form.F
	f["name"].Value = pl.Name
	f["slug"].Value = pl.Slug
	f["description"].Value = pl.Description
	f["trial_days"].Value = strconv.Itoa(pl.TrialDays)
	if pl.Entitlements.MeteredPerMonth != masthead.Unlimited {
		f["metered_per_month"].Value = strconv.Itoa(pl.Entitlements.MeteredPerMonth)
	}
	f["gift_links_per_month"].Value = strconv.Itoa(pl.Entitlements.GiftLinksPerMonth)
	for _, pr := range pl.Prices {
		iv := string(pr.Interval)
		if f[iv+"_amount"] == nil {
			continue
		}
		f[iv+"_amount"].Value = formatAmount(pr.Amount, pr.Currency)
		f[iv+"_currency"].Value = pr.Currency
		f[iv+"_stripe_price_id"].Value = pr.StripePriceID
	}
	p.Admin.Comment = pl.Entitlements.Comment
	p.Admin.ReadPremium = pl.Entitlements.ReadPremium
	p.Admin.Visible = pl.Visible
}

// handleAdminPlanForm shows the form for a new plan or for editing one.
func (s *Server) handleAdminPlanForm(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	slug := r.PathValue("slug")
	if slug == "" {
		p := s.planFormPage(r, nil)
		p.Admin.Visible = true
		p.Form.F["trial_days"].Value = "0"
		p.Form.F["gift_links_per_month"].Value = "0"
		s.render(w, r, http.StatusOK, "admin_plan", p)
		return
	}
	pl, err := s.plans.FindPlanBySlug(r.Context(), slug)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p := s.planFormPage(r, pl)
	s.fillPlanForm(p, pl)
	s.render(w, r, http.StatusOK, "admin_plan", p)
}

// planFromForm reads the posted plan form into pl, recording in f what is
// wrong with it.
func (s *Server) planFromForm(r *http.Request, pl *masthead.Plan, f *form) {
	pl.Name = r.PostFormValue("name")
	pl.Description = r.PostFormValue("description")
	pl.Entitlements.Comment = r.PostFormValue("comment") != ""
	pl.Entitlements.ReadPremium = r.PostFormValue("read_premium") != ""
	pl.Visible = r.PostFormValue("visible") != ""
	whole := func(name string, empty int) int {
		v := strings.TrimSpace(r.PostFormValue(name))
		if v == "" {
			return empty
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			f.invalid(name, s.msg("admin.plan.number_invalid"))
			return 0
		}
		return n
	}
	pl.TrialDays = whole("trial_days", 0)
	pl.Entitlements.MeteredPerMonth = whole("metered_per_month", masthead.Unlimited)
	pl.Entitlements.GiftLinksPerMonth = whole("gift_links_per_month", 0)
	pl.Prices = nil
	for _, iv := range []masthead.Interval{masthead.IntervalMonth, masthead.IntervalYear} {
		amountText := strings.TrimSpace(r.PostFormValue(string(iv) + "_amount"))
		currency := strings.ToUpper(strings.TrimSpace(r.PostFormValue(string(iv) + "_currency")))
		priceID := strings.TrimSpace(r.PostFormValue(string(iv) + "_stripe_price_id"))
		if amountText == "" {
			if currency != "" || priceID != "" {
				f.invalid(string(iv)+"_amount", s.msg("admin.plan.amount_required"))
			}
			continue
		}
		if currency == "" {
			f.invalid(string(iv)+"_currency", s.msg("admin.plan.currency_required"))
			continue
		}
		amount, ok := parseMoney(amountText, currency)
		if !ok {
			f.invalid(string(iv)+"_amount", s.msg("admin.plan.amount_invalid", currencyDigits(currency)))
			continue
		}
		pl.Prices = append(pl.Prices, masthead.Price{Interval: iv, Amount: amount, Currency: currency, StripePriceID: priceID})
	}
}

// handleAdminPlanSave creates or updates a plan. A plan's slug is chosen
// when it is created and stays: links, subscriptions and filters use it.
func (s *Server) handleAdminPlanSave(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	if !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	slug := r.PathValue("slug")
	var existing *masthead.Plan
	if slug != "" {
		var err error
		if existing, err = s.plans.FindPlanBySlug(ctx, slug); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	p := s.planFormPage(r, existing)
	p.Form.fill(r)
	pl := &masthead.Plan{}
	if existing != nil {
		c := *existing
		pl = &c
		p.Form.F["slug"].Value = existing.Slug
	} else {
		pl.Slug = r.PostFormValue("slug")
	}
	s.planFromForm(r, pl, p.Form)
	p.Admin.Comment, p.Admin.ReadPremium, p.Admin.Visible = pl.Entitlements.Comment, pl.Entitlements.ReadPremium, pl.Visible
	refuse := func(status int) {
		p.Title = s.msg("form.error_title", p.Title)
		s.render(w, r, status, "admin_plan", p)
	}
	if len(p.Form.Errors) > 0 {
		refuse(http.StatusBadRequest)
		return
	}
	pl.Normalize()
	if err := pl.Validate(); err != nil {
		p.Form.fail(err)
		refuse(http.StatusBadRequest)
		return
	}
	if existing == nil {
		_, err := s.plans.FindPlanBySlug(ctx, pl.Slug)
		switch masthead.ErrorCode(err) {
		case "":
			p.Form.invalid("slug", s.msg("admin.plan.slug_taken", pl.Slug))
			refuse(http.StatusConflict)
			return
		case masthead.ENOTFOUND:
		default:
			s.Error(w, r, err)
			return
		}
	}
	if err := s.plans.SavePlan(ctx, pl, s.actor(r, a)); err != nil {
		s.refuse(w, r, 0, "admin_plan", p, p.Form, err)
		return
	}
	s.redirect(w, r, "/admin/plans?done=saved")
}

// handleAdminPlanArchive stops offering a plan; its subscribers keep it.
func (s *Server) handleAdminPlanArchive(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	if err := s.plans.ArchivePlan(r.Context(), r.PathValue("slug"), s.actor(r, a)); err != nil {
		s.Error(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/plans?done=archived")
}

// statusLabel names a subscription state for staff.
func (s *Server) statusLabel(state string) string {
	return s.msg("admin.status." + state)
}

// subscriberStatuses are the states staff filter the list by.
var subscriberStatuses = []masthead.SubscriptionStatus{
	masthead.SubTrialing, masthead.SubActive, masthead.SubPastDue, masthead.SubCancelled, masthead.SubExpired,
}

// handleAdminSubscribers lists subscribers, searched by email or display
// name and filtered by plan and status, a page at a time.
func (s *Server) handleAdminSubscribers(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	ctx := r.Context()
	q := r.URL.Query()
	f := masthead.SubscriberFilter{
		Query:  strings.TrimSpace(q.Get("q")),
		Plan:   q.Get("plan"),
		Status: masthead.SubscriptionStatus(q.Get("status")),
		Limit:  adminSubscriberPageSize,
	}
	if f.Status != "" && !f.Status.Valid() {
		f.Status = ""
	}
	if after := q.Get("after"); after != "" {
		n, err := strconv.ParseInt(after, 10, 64)
		if err != nil || n < 0 {
			s.Error(w, r, masthead.Errorf(masthead.EINVALID, "%s", masthead.MsgIn(s.cfg.Locale, masthead.MsgCursorInvalid)))
			return
		}
		f.After = n
	}
	plans, err := s.plans.FindPlans(ctx, true)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	list, err := s.subs.FindSubscribers(ctx, f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p := s.adminPage(r, "admin.subscribers.heading")
	v := p.Admin
	v.Query = f.Query
	v.PlanOptions = []option{{Value: "", Label: s.msg("admin.subscribers.any_plan")}}
	for _, pl := range plans {
		v.PlanOptions = append(v.PlanOptions, option{Value: pl.Slug, Label: pl.Name, Selected: pl.Slug == f.Plan})
	}
	v.StatusOptions = []option{{Value: "", Label: s.msg("admin.subscribers.any_status")}}
	for _, st := range subscriberStatuses {
		v.StatusOptions = append(v.StatusOptions, option{Value: string(st), Label: s.statusLabel(string(st)), Selected: st == f.Status})
	}
	now := s.now()
	for _, sub := range list.Subscribers {
		v.Subscribers = append(v.Subscribers, s.subscriberRow(sub.Account, sub.Plan, sub.Subscription, now))
	}
	if list.Next != 0 {
		next := url.Values{}
		for k, val := range map[string]string{"q": f.Query, "plan": f.Plan, "status": string(f.Status)} {
			if val != "" {
				next.Set(k, val)
			}
		}
		next.Set("after", strconv.FormatInt(list.Next, 10))
		v.NextURL = "/admin/subscribers?" + next.Encode()
	}
	s.render(w, r, http.StatusOK, "admin_subscribers", p)
}

// subscriberRow describes an account for the staff pages.
func (s *Server) subscriberRow(a *masthead.Account, plan *masthead.Plan, sub *masthead.Subscription, now time.Time) adminSubscriberRow {
	row := adminSubscriberRow{
		ID: a.ID, Email: a.Email, DisplayName: a.DisplayName, Role: string(a.Role),
		Verified: a.EmailVerified(), Created: s.formatDate(a.CreatedAt),
		Status: s.statusLabel(subscriptionState(sub, now)),
	}
	if plan != nil {
		row.PlanName = plan.Name
	}
	return row
}

// subscriberPage returns the staff page of one account: its plan,
// subscription, history and, for admins, the complimentary-plan form.
func (s *Server) subscriberPage(r *http.Request, a *masthead.Account) (*page, error) {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, masthead.Errorf(masthead.ENOTFOUND, "%s", s.msg("error.page_not_found"))
	}
	acct, err := s.accounts.FindAccountByID(ctx, id)
	if err != nil {
		return nil, err
	}
	plan, _, err := s.subs.EffectivePlan(ctx, id)
	if err != nil {
		return nil, err
	}
	sub, err := s.subs.CurrentSubscription(ctx, id)
	if masthead.ErrorCode(err) == masthead.ENOTFOUND {
		sub, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	events, err := s.subs.SubscriptionEvents(ctx, id)
	if err != nil {
		return nil, err
	}
	p := s.adminPage(r, "admin.subscriber.heading", acct.Email)
	v := p.Admin
	row := s.subscriberRow(acct, plan, sub, s.now())
	v.Subscriber = &row
	v.Sub = s.subscriptionView(plan, sub)
	if s.cfg.Users != nil {
		v.UserURL = "/admin/users/" + strconv.FormatInt(id, 10)
	}
	for _, ev := range events {
		e := adminEventRow{
			At: s.formatDateTime(ev.At), AtISO: ev.At.UTC().Format(time.RFC3339),
			Kind: ev.Kind, Detail: ev.Detail,
		}
		switch {
		case ev.StripeEventID != "":
			e.By = s.msg("admin.event.by_stripe", ev.StripeEventID)
		case ev.ActorID != 0:
			e.By = s.msg("admin.event.by_staff", ev.ActorID)
		default:
			e.By = s.msg("admin.event.by_system")
		}
		v.Events = append(v.Events, e)
	}
	if a.Role == masthead.RoleAdmin {
		v.CanComp = sub == nil || sub.Complimentary || !sub.Grants(s.now())
		v.CanRevoke = sub != nil && sub.Complimentary && sub.Grants(s.now())
		v.CompAction = "/admin/subscribers/" + strconv.FormatInt(id, 10) + "/comp"
		plans, err := s.plans.FindPlans(ctx, false)
		if err != nil {
			return nil, err
		}
		for _, pl := range plans {
			if !pl.Free {
				v.CompPlans = append(v.CompPlans, option{Value: pl.Slug, Label: pl.Name})
			}
		}
		until := s.textField("until", "admin.comp.until", "date", "off")
		until.Hint = s.msg("admin.comp.until_hint")
		p.Form = newForm("comp-", s.textField("plan", "admin.comp.plan", "select", "off"), until)
	}
	switch r.URL.Query().Get("done") {
	case "comp":
		p.Notice = s.msg("admin.comp.granted")
	case "revoked":
		p.Notice = s.msg("admin.comp.revoked")
	}
	return p, nil
}

// handleAdminSubscriber shows one account's plan, subscription and history.
func (s *Server) handleAdminSubscriber(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	p, err := s.subscriberPage(r, a)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_subscriber", p)
}

// handleAdminComp grants the posted plan, without payment, until the start
// of the posted date in the site's time zone.
func (s *Server) handleAdminComp(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	if !s.parseForm(w, r) {
		return
	}
	p, err := s.subscriberPage(r, a)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p.Form.fill(r)
	planSlug := r.PostFormValue("plan")
	if planSlug == "" {
		p.Form.invalid("plan", s.msg("admin.comp.plan_required"))
	}
	until, perr := time.ParseInLocation("2006-01-02", strings.TrimSpace(r.PostFormValue("until")), s.cfg.TimeZone)
	if perr != nil {
		p.Form.invalid("until", s.msg("admin.comp.until_invalid"))
	}
	if len(p.Form.Errors) > 0 {
		p.Title = s.msg("form.error_title", p.Title)
		s.render(w, r, http.StatusBadRequest, "admin_subscriber", p)
		return
	}
	id := p.Admin.Subscriber.ID
	if _, err := s.subs.GrantComplimentary(r.Context(), id, planSlug, until, s.actor(r, a)); err != nil {
		s.refuse(w, r, 0, "admin_subscriber", p, p.Form, err)
		return
	}
	s.redirect(w, r, "/admin/subscribers/"+strconv.FormatInt(id, 10)+"?done=comp")
}

// handleAdminCompRevoke ends a complimentary plan now.
func (s *Server) handleAdminCompRevoke(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.handleNotFound(w, r)
		return
	}
	if err := s.subs.RevokeComplimentary(r.Context(), id, s.actor(r, a)); err != nil {
		s.Error(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/subscribers/"+strconv.FormatInt(id, 10)+"?done=revoked")
}
