package demo

import (
	"testing"

	"masthead"
)

func TestAccounts(t *testing.T) {
	want := map[string]struct {
		role    masthead.Role
		hasName bool
	}{
		"admin@example.com":     {masthead.RoleAdmin, true},
		"editor@example.com":    {masthead.RoleEditor, true},
		"moderator@example.com": {masthead.RoleModerator, true},
		"free@example.com":      {masthead.RoleSubscriber, false},
		"standard@example.com":  {masthead.RoleSubscriber, false},
		"premium@example.com":   {masthead.RoleSubscriber, true},
	}
	accounts := Accounts()
	if len(accounts) != len(want) {
		t.Fatalf("got %d demo accounts, want %d", len(accounts), len(want))
	}
	for _, a := range accounts {
		w, ok := want[a.Email]
		if !ok {
			t.Errorf("unexpected demo account %s", a.Email)
			continue
		}
		if a.Role != w.role {
			t.Errorf("%s: role %q, want %q", a.Email, a.Role, w.role)
		}
		if got := a.DisplayName != ""; got != w.hasName {
			t.Errorf("%s: has display name = %v, want %v", a.Email, got, w.hasName)
		}
		if a.DisplayName != "" {
			if _, err := masthead.NormalizeDisplayName(a.DisplayName); err != nil {
				t.Errorf("%s: display name %q refused: %v", a.Email, a.DisplayName, masthead.ErrorMessage(err))
			}
		}
	}
}

func TestAdminTwoFactor(t *testing.T) {
	secret, err := masthead.NormalizeTOTPSecret(AdminTOTPSecret)
	if err != nil || secret != AdminTOTPSecret {
		t.Fatalf("AdminTOTPSecret is not a normalised 160-bit base32 secret: %v", err)
	}
	for _, a := range Accounts() {
		if got, want := a.TwoFactorSecret != "", a.Role == masthead.RoleAdmin; got != want {
			t.Errorf("%s: has a two-factor secret = %v, want %v (administrators must use two-factor sign-in)", a.Email, got, want)
		}
	}
}

func TestPlans(t *testing.T) {
	plans := Plans()
	bySlug := map[string]*masthead.Plan{}
	for _, p := range plans {
		p.Normalize()
		if err := p.Validate(); err != nil {
			t.Errorf("plan %s: %v", p.Slug, masthead.ErrorMessage(err))
		}
		bySlug[p.Slug] = p
	}
	std, prem := bySlug["standard"], bySlug["premium"]
	if std == nil || prem == nil {
		t.Fatalf("demo plans = %v, want standard and premium", plans)
	}
	if !std.Entitlements.Comment || std.Entitlements.ReadPremium || std.Entitlements.MeteredPerMonth != masthead.Unlimited {
		t.Errorf("standard entitlements = %+v", std.Entitlements)
	}
	if !prem.Entitlements.ReadPremium || prem.Entitlements.GiftLinksPerMonth != 5 {
		t.Errorf("premium entitlements = %+v", prem.Entitlements)
	}
	for _, a := range Accounts() {
		if a.Plan != "" && a.Plan != "free" && bySlug[a.Plan] == nil {
			t.Errorf("account %s is meant for plan %q, which the demo lacks", a.Email, a.Plan)
		}
	}
}
