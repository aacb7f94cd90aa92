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
