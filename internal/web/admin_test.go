package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"masthead"
	"masthead/internal/mock"
)

// staffAccounts are accounts of every role, signed in by "tok-" + role.
func staffAccounts() map[string]*masthead.Account {
	out := map[string]*masthead.Account{}
	for i, role := range []masthead.Role{masthead.RoleSubscriber, masthead.RoleModerator, masthead.RoleEditor, masthead.RoleAdmin} {
		a := testAccount()
		a.ID = int64(100 + i)
		a.Role = role
		a.Email = string(role) + "@example.com"
		// Administrators must use two-factor sign-in to use /admin.
		a.TwoFactorEnabled = role == masthead.RoleAdmin
		out["tok-"+string(role)] = a
	}
	return out
}

// adminFixture is a server with staff accounts, plans and subscriptions,
// recording the changes staff make.
type adminFixture struct {
	h       http.Handler
	saved   []*masthead.Plan
	archive []string
	comps   []string
	revoked []int64
	// actors are the staff actors the services were called with.
	actors []masthead.Actor
	filter masthead.SubscriberFilter
}

func newAdminFixture(t *testing.T) *adminFixture {
	t.Helper()
	f := &adminFixture{}
	plans := testPlans()
	accounts := staffAccounts()
	reader := testAccount()
	acctSvc := fakeAccounts(reader)
	acctSvc.AuthenticateFn = func(ctx context.Context, token string, c masthead.Client) (*masthead.Account, *masthead.Session, error) {
		if a, ok := accounts[token]; ok {
			return a, &masthead.Session{ID: 1, AccountID: a.ID}, nil
		}
		return nil, nil, masthead.Errorf(masthead.EUNAUTHORIZED, "%s", masthead.Msg(masthead.MsgSessionInvalid))
	}
	acctSvc.FindAccountByIDFn = func(ctx context.Context, id int64) (*masthead.Account, error) {
		if id == reader.ID {
			return reader, nil
		}
		return nil, masthead.Errorf(masthead.ENOTFOUND, "no such account")
	}
	planSvc := fakePlans(plans)
	planSvc.SavePlanFn = func(ctx context.Context, p *masthead.Plan, actor masthead.Actor) error {
		f.actors = append(f.actors, actor)
		f.saved = append(f.saved, p)
		return nil
	}
	planSvc.ArchivePlanFn = func(ctx context.Context, slug string, actor masthead.Actor) error {
		f.actors = append(f.actors, actor)
		if slug == "free" {
			return masthead.Errorf(masthead.EINVALID, "%s", masthead.Msg(masthead.MsgPlanFreeArchive))
		}
		f.archive = append(f.archive, slug)
		return nil
	}
	comp := &masthead.Subscription{Plan: plans[2], Status: masthead.SubActive, Complimentary: true, CurrentPeriodEnd: testNow.AddDate(0, 1, 0)}
	subs := fakeSubs(plans[2], comp)
	subs.SubscriptionEventsFn = func(ctx context.Context, id int64) ([]*masthead.SubscriptionEvent, error) {
		return []*masthead.SubscriptionEvent{
			{Kind: "complimentary_granted", Detail: "Premium until 1 April", ActorID: 103, At: testNow.Add(-time.Hour)},
			{Kind: "status", Detail: "active → expired", StripeEventID: "evt_9", At: testNow.Add(-48 * time.Hour)},
		}, nil
	}
	subs.FindSubscribersFn = func(ctx context.Context, flt masthead.SubscriberFilter) (*masthead.SubscriberPage, error) {
		f.filter = flt
		return &masthead.SubscriberPage{
			Subscribers: []*masthead.Subscriber{{Account: reader, Plan: plans[2], Subscription: comp}},
			Next:        reader.ID,
		}, nil
	}
	subs.GrantComplimentaryFn = func(ctx context.Context, id int64, slug string, until time.Time, actor masthead.Actor) (*masthead.Subscription, error) {
		f.actors = append(f.actors, actor)
		if slug == "standard" {
			return nil, masthead.Errorf(masthead.ECONFLICT, "%s", masthead.Msg(masthead.MsgSubscriptionPaid))
		}
		f.comps = append(f.comps, fmt.Sprintf("%d %s %s %d/%s/%s", id, slug, until.Format(time.RFC3339), actor.ID, actor.Role, actor.IP))
		return comp, nil
	}
	subs.RevokeComplimentaryFn = func(ctx context.Context, id int64, actor masthead.Actor) error {
		f.actors = append(f.actors, actor)
		f.revoked = append(f.revoked, id)
		return nil
	}
	f.h = newPlanServer(t, Config{Accounts: acctSvc, Plans: planSvc, Subscriptions: subs})
	return f
}

func (f *adminFixture) do(t *testing.T, role, method, target string, form url.Values) (*http.Response, string) {
	t.Helper()
	var req *http.Request
	if method == http.MethodPost {
		req = postForm(target, form)
	} else {
		req = httptest.NewRequest(method, target, nil)
	}
	if role != "" {
		req.AddCookie(&http.Cookie{Name: InsecureSessionCookieName, Value: "tok-" + role})
	}
	return do(t, f.h, req)
}

// validPlanForm is a complete plan form.
func validPlanForm(name, slug string) url.Values {
	return url.Values{
		"name": {name}, "slug": {slug}, "description": {"A plan."}, "trial_days": {"7"},
		"comment": {"1"}, "metered_per_month": {""}, "gift_links_per_month": {"2"}, "visible": {"1"},
		"month_amount": {"4.50"}, "month_currency": {"eur"}, "month_stripe_price_id": {"price_x"},
	}
}

func TestAdminAuthorization(t *testing.T) {
	type want struct{ anon, subscriber, moderator, editor, admin int }
	adminOnly := func(ok int) want { return want{303, 403, 403, 403, ok} }
	subscribers := want{303, 403, 200, 403, 200}
	tests := []struct {
		method string
		target string
		form   url.Values
		want   want
	}{
		{"GET", "/admin", nil, want{303, 403, 200, 200, 200}},
		{"GET", "/admin/plans", nil, adminOnly(200)},
		{"GET", "/admin/plans/new", nil, adminOnly(200)},
		{"POST", "/admin/plans/new", validPlanForm("Student", "student"), adminOnly(303)},
		{"GET", "/admin/plans/premium", nil, adminOnly(200)},
		{"POST", "/admin/plans/premium", validPlanForm("Premium", ""), adminOnly(303)},
		{"POST", "/admin/plans/standard/archive", nil, adminOnly(303)},
		{"GET", "/admin/subscribers", nil, subscribers},
		{"GET", "/admin/subscribers/7", nil, subscribers},
		{"POST", "/admin/subscribers/7/comp", url.Values{"plan": {"premium"}, "until": {"2026-06-30"}}, adminOnly(303)},
		{"POST", "/admin/subscribers/7/comp/revoke", nil, adminOnly(303)},
	}
	for _, tt := range tests {
		for role, status := range map[string]int{
			"": tt.want.anon, "subscriber": tt.want.subscriber, "moderator": tt.want.moderator,
			"editor": tt.want.editor, "admin": tt.want.admin,
		} {
			name := role
			if name == "" {
				name = "anonymous"
			}
			t.Run(tt.method+" "+tt.target+" "+name, func(t *testing.T) {
				f := newAdminFixture(t)
				res, body := f.do(t, role, tt.method, tt.target, tt.form)
				if res.StatusCode != status {
					t.Errorf("status: got %d, want %d", res.StatusCode, status)
				}
				if got := res.Header.Get("Cache-Control"); got != "no-store" {
					t.Errorf("Cache-Control: got %q", got)
				}
				switch {
				case role == "" && tt.method == "GET":
					if loc := res.Header.Get("Location"); loc != "/signin?next="+url.QueryEscape(tt.target) {
						t.Errorf("Location: got %q", loc)
					}
				case role == "":
					if loc := res.Header.Get("Location"); loc != "/signin?next=%2Fadmin" {
						t.Errorf("Location: got %q", loc)
					}
				case status == 403:
					if !strings.Contains(body, masthead.Msg("admin.forbidden")) {
						t.Errorf("403 page lacks the explanation")
					}
				}
				if status == 403 || status == 303 && role != "admin" {
					if len(f.saved)+len(f.archive)+len(f.comps)+len(f.revoked) > 0 {
						t.Errorf("refused request changed something")
					}
				}
			})
		}
	}
}

func TestAdminIndex(t *testing.T) {
	f := newAdminFixture(t)
	for role, links := range map[string][2]bool{"admin": {true, true}, "moderator": {false, true}, "editor": {false, false}} {
		_, body := f.do(t, role, "GET", "/admin", nil)
		if got := strings.Contains(body, `href="/admin/plans"`); got != links[0] {
			t.Errorf("%s: plans link %v", role, got)
		}
		if got := strings.Contains(body, `href="/admin/subscribers"`); got != links[1] {
			t.Errorf("%s: subscribers link %v", role, got)
		}
	}
}

func TestAdminPlans(t *testing.T) {
	t.Run("list includes archived", func(t *testing.T) {
		f := newAdminFixture(t)
		_, body := f.do(t, "admin", "GET", "/admin/plans", nil)
		checkBody(t, body, []string{"Old plan", "Archived", "€9.00 a month", `action="/admin/plans/standard/archive"`}, []string{`action="/admin/plans/free/archive"`})
	})
	t.Run("create", func(t *testing.T) {
		f := newAdminFixture(t)
		res, _ := f.do(t, "admin", "POST", "/admin/plans/new", validPlanForm("Student", "student"))
		if res.StatusCode != 303 || res.Header.Get("Location") != "/admin/plans?done=saved" || len(f.saved) != 1 {
			t.Fatalf("got %d %q, saved %d", res.StatusCode, res.Header.Get("Location"), len(f.saved))
		}
		p := f.saved[0]
		want := masthead.Plan{Slug: "student", Name: "Student", Description: "A plan.", TrialDays: 7, Visible: true,
			Entitlements: masthead.Entitlements{Comment: true, MeteredPerMonth: masthead.Unlimited, GiftLinksPerMonth: 2}}
		if p.Slug != want.Slug || p.Name != want.Name || p.Description != want.Description || p.TrialDays != 7 || !p.Visible || p.Entitlements != want.Entitlements {
			t.Errorf("saved %+v", p)
		}
		if len(p.Prices) != 1 || p.Prices[0] != (masthead.Price{Interval: masthead.IntervalMonth, Amount: 450, Currency: "EUR", StripePriceID: "price_x"}) {
			t.Errorf("prices: %+v", p.Prices)
		}
	})
	t.Run("errors keep typed values", func(t *testing.T) {
		f := newAdminFixture(t)
		form := validPlanForm("Student <b>", "student")
		form.Set("month_amount", "4.505")
		form.Set("trial_days", "seven")
		form.Set("year_currency", "usd")
		form.Del("comment")
		form.Set("read_premium", "1")
		res, body := f.do(t, "admin", "POST", "/admin/plans/new", form)
		if res.StatusCode != 400 || len(f.saved) != 0 {
			t.Fatalf("got %d, saved %d", res.StatusCode, len(f.saved))
		}
		checkBody(t, body, []string{
			`value="Student &lt;b&gt;"`, `value="4.505"`, `value="seven"`, `value="usd"`,
			`<p class="field-error" id="plan-trial-days-error">` + masthead.Msg("admin.plan.number_invalid"),
			`<p class="field-error" id="plan-month-amount-error">` + masthead.Msg("admin.plan.amount_invalid", 2),
			`id="plan-year-amount-error"`,
			`name="read_premium" type="checkbox" value="1" checked`,
			`name="comment" type="checkbox" value="1">`,
		}, nil)
	})
	t.Run("slug taken", func(t *testing.T) {
		f := newAdminFixture(t)
		res, body := f.do(t, "admin", "POST", "/admin/plans/new", validPlanForm("Another", "premium"))
		if res.StatusCode != 409 || len(f.saved) != 0 {
			t.Errorf("got %d, saved %d", res.StatusCode, len(f.saved))
		}
		checkBody(t, body, []string{"id=\"plan-slug-error\""}, nil)
	})
	t.Run("domain validation by field", func(t *testing.T) {
		f := newAdminFixture(t)
		res, body := f.do(t, "admin", "POST", "/admin/plans/new", validPlanForm("", "empty-name"))
		if res.StatusCode != 400 {
			t.Errorf("status %d", res.StatusCode)
		}
		checkBody(t, body, []string{`id="plan-name-error">` + masthead.Msg(masthead.MsgPlanNameRequired)}, nil)
	})
	t.Run("edit keeps slug and identity", func(t *testing.T) {
		f := newAdminFixture(t)
		_, body := f.do(t, "admin", "GET", "/admin/plans/premium", nil)
		checkBody(t, body, []string{`value="Premium"`, `value="15.00"`, `value="1234.56"`, `value="price_prem_y"`, `value="5"`, `name="read_premium" type="checkbox" value="1" checked`}, []string{`name="slug"`})
		form := validPlanForm("Premium Plus", "hijack")
		res, _ := f.do(t, "admin", "POST", "/admin/plans/premium", form)
		if res.StatusCode != 303 || len(f.saved) != 1 {
			t.Fatalf("got %d", res.StatusCode)
		}
		if p := f.saved[0]; p.Slug != "premium" || p.ID != 3 || p.Name != "Premium Plus" {
			t.Errorf("saved %+v", p)
		}
	})
	t.Run("archive free refused", func(t *testing.T) {
		f := newAdminFixture(t)
		res, body := f.do(t, "admin", "POST", "/admin/plans/free/archive", nil)
		if res.StatusCode != 400 || !strings.Contains(body, "cannot be archived") {
			t.Errorf("got %d", res.StatusCode)
		}
	})
}

func TestAdminSubscribers(t *testing.T) {
	f := newAdminFixture(t)
	res, body := f.do(t, "moderator", "GET", "/admin/subscribers?q=reader&plan=premium&status=active&after=3", nil)
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	if want := (masthead.SubscriberFilter{Query: "reader", Plan: "premium", Status: masthead.SubActive, After: 3, Limit: adminSubscriberPageSize}); f.filter != want {
		t.Errorf("filter: got %+v, want %+v", f.filter, want)
	}
	checkBody(t, body, []string{
		`<a href="/admin/subscribers/7">reader@example.com</a>`, "Complimentary", `value="reader"`,
		`<option value="premium" selected>Premium</option>`, `<option value="active" selected>Active</option>`,
		`href="/admin/subscribers?after=7&amp;plan=premium&amp;q=reader&amp;status=active"`,
	}, nil)

	t.Run("detail", func(t *testing.T) {
		_, body := f.do(t, "moderator", "GET", "/admin/subscribers/7", nil)
		checkBody(t, body, []string{"Subscription history", "complimentary_granted", "Staff account 103", "Stripe event evt_9", "You have Premium as a complimentary plan"},
			[]string{"/comp\"", "Revoke"})
		_, body = f.do(t, "admin", "GET", "/admin/subscribers/7", nil)
		checkBody(t, body, []string{`action="/admin/subscribers/7/comp"`, `action="/admin/subscribers/7/comp/revoke"`, `type="date"`}, nil)
	})
	t.Run("grant", func(t *testing.T) {
		res, _ := f.do(t, "admin", "POST", "/admin/subscribers/7/comp", url.Values{"plan": {"premium"}, "until": {"2026-06-30"}})
		if res.StatusCode != 303 || res.Header.Get("Location") != "/admin/subscribers/7?done=comp" {
			t.Errorf("got %d %q", res.StatusCode, res.Header.Get("Location"))
		}
		if len(f.comps) != 1 || f.comps[0] != "7 premium 2026-06-30T00:00:00Z 103/admin/192.0.2.1" {
			t.Errorf("grants: %q", f.comps)
		}
	})
	t.Run("grant errors by field", func(t *testing.T) {
		res, body := f.do(t, "admin", "POST", "/admin/subscribers/7/comp", url.Values{"plan": {""}, "until": {"soon"}})
		if res.StatusCode != 400 {
			t.Errorf("status %d", res.StatusCode)
		}
		checkBody(t, body, []string{`id="comp-plan-error"`, `<p class="field-error" id="comp-until-error">` + masthead.Msg("admin.comp.until_invalid"), `value="soon"`}, nil)
		res, body = f.do(t, "admin", "POST", "/admin/subscribers/7/comp", url.Values{"plan": {"standard"}, "until": {"2026-06-30"}})
		if res.StatusCode != 409 {
			t.Errorf("status %d", res.StatusCode)
		}
		checkBody(t, body, []string{masthead.Msg(masthead.MsgSubscriptionPaid), `<option value="standard" selected>Standard</option>`, `value="2026-06-30"`}, nil)
	})
	t.Run("revoke", func(t *testing.T) {
		res, _ := f.do(t, "admin", "POST", "/admin/subscribers/7/comp/revoke", nil)
		if res.StatusCode != 303 || len(f.revoked) != 1 || f.revoked[0] != 7 {
			t.Errorf("got %d, revoked %v", res.StatusCode, f.revoked)
		}
		want := masthead.Actor{ID: 103, Role: masthead.RoleAdmin, IP: "192.0.2.1"}
		if n := len(f.actors); n == 0 || f.actors[n-1] != want {
			t.Errorf("actors: got %+v, want the last %+v", f.actors, want)
		}
	})
	t.Run("unknown subscriber", func(t *testing.T) {
		if res, _ := f.do(t, "admin", "GET", "/admin/subscribers/99", nil); res.StatusCode != 404 {
			t.Errorf("status %d", res.StatusCode)
		}
		if res, _ := f.do(t, "admin", "GET", "/admin/subscribers/x", nil); res.StatusCode != 404 {
			t.Errorf("status %d", res.StatusCode)
		}
	})
}

// Make sure the mock types satisfy the interfaces the config takes.
var _ = Config{Plans: &mock.PlanService{}, Subscriptions: &mock.SubscriptionService{}, Meter: &mock.MeterService{}, Gifts: &mock.GiftService{}, Secrets: &mock.SecretService{}}

func TestPlanPagesAccessible(t *testing.T) {
	f := newAdminFixture(t)
	inline := regexp.MustCompile(`(?i)<script(?: type="application/ld\+json")?>|\sstyle=|<style|\son[a-z]+=|javascript:`)
	rawID := regexp.MustCompile(`\b(?:admin|plans|subscription|gifts?|paywall|meter|money|number)\.[a-z_]+(?:\.[a-z_]+)*\b`)
	control := regexp.MustCompile(`<(?:input|select|textarea) id="([^"]+)"[^>]*>`)
	for _, tt := range []struct{ role, target string }{
		{"admin", "/plans"}, {"subscriber", "/account/subscription"}, {"admin", "/admin"}, {"admin", "/admin/plans"},
		{"admin", "/admin/plans/new"}, {"admin", "/admin/plans/premium"}, {"moderator", "/admin/subscribers"},
		{"admin", "/admin/subscribers/7"},
	} {
		t.Run(tt.target, func(t *testing.T) {
			res, body := f.do(t, tt.role, "GET", tt.target, nil)
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			if got := strings.Count(body, "<h1"); got != 1 {
				t.Errorf("h1 elements: got %d, want 1", got)
			}
			first := regexp.MustCompile(`<(a|input|button|select|textarea)\b[^>]*>`).FindString(body[strings.Index(body, "<body>"):])
			if first != `<a class="skip-link" href="#main">` {
				t.Errorf("first focusable element: got %q", first)
			}
			if m := inline.FindString(body); m != "" && !strings.Contains(m, "ld+json") {
				t.Errorf("inline code %q", m)
			}
			if m := rawID.FindString(body); m != "" {
				t.Errorf("message ID %q shown instead of its text", m)
			}
			for _, m := range control.FindAllStringSubmatch(body, -1) {
				if !strings.Contains(body, `<label for="`+m[1]+`">`) {
					t.Errorf("control %s has no label", m[1])
				}
			}
		})
	}
}
