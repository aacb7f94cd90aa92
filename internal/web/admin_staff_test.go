package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"masthead"
	"masthead/internal/mock"
)

func TestAdminStaff(t *testing.T) {
	accounts := staffAccounts()
	admin := accounts["tok-admin"]
	var calls []string
	staff := &mock.StaffService{
		ListStaffFn: func(ctx context.Context, actor masthead.Actor) ([]*masthead.StaffMember, error) {
			return []*masthead.StaffMember{
				{ID: admin.ID, Email: admin.Email, Role: masthead.RoleAdmin, TwoFactorEnabled: true},
				{ID: 101, Email: "moderator@example.com", Role: masthead.RoleModerator},
				{ID: 102, Email: `ed<i>@example.com`, Role: masthead.RoleEditor, TwoFactorEnabled: true},
			}, nil
		},
		SetRoleFn: func(ctx context.Context, actor masthead.Actor, id int64, role masthead.Role, reason string) error {
			calls = append(calls, fmt.Sprintf("role %d %s %q by %d", id, role, reason, actor.ID))
			if id == admin.ID && role != masthead.RoleAdmin {
				return masthead.Errorf(masthead.ECONFLICT, "%s", masthead.Msg(masthead.MsgStaffLastAdmin))
			}
			return nil
		},
		SetRoleByEmailFn: func(ctx context.Context, actor masthead.Actor, email string, role masthead.Role, reason string) error {
			calls = append(calls, fmt.Sprintf("email %s %s %q by %d", email, role, reason, actor.ID))
			if email != "new@example.com" {
				return masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgStaffAccountNotFound))
			}
			return nil
		},
	}
	tf := &mock.TwoFactorService{ResetTwoFactorFn: func(ctx context.Context, actor masthead.Actor, id int64, reason string) error {
		calls = append(calls, fmt.Sprintf("reset %d %q by %d", id, reason, actor.ID))
		return nil
	}}
	h := twoFactorStaffServer(t, accounts, Config{Staff: staff, TwoFactor: tf, Audit: &fakeAuditLog{}})

	t.Run("links on the staff home", func(t *testing.T) {
		_, body := do(t, h, staffRequest("admin", "GET", "/admin", nil))
		for _, want := range []string{`href="/admin/staff"`, `href="/admin/audit"`} {
			if !strings.Contains(body, want) {
				t.Errorf("admin's staff home lacks %q", want)
			}
		}
		_, body = do(t, h, staffRequest("moderator", "GET", "/admin", nil))
		if strings.Contains(body, `href="/admin/staff"`) || strings.Contains(body, `href="/admin/audit"`) {
			t.Errorf("moderator's staff home links to admin pages")
		}
	})

	routes := []struct{ method, target string }{
		{"GET", "/admin/staff"},
		{"POST", "/admin/staff"},
		{"POST", "/admin/staff/101/role"},
		{"POST", "/admin/staff/102/two-factor/reset"},
	}
	for _, rt := range routes {
		for _, role := range []string{"", "subscriber", "moderator", "editor"} {
			t.Run(rt.method+" "+rt.target+" as "+role, func(t *testing.T) {
				calls = nil
				res, _ := do(t, h, staffRequest(role, rt.method, rt.target, url.Values{"role": {"admin"}, "email": {"new@example.com"}}))
				want := http.StatusForbidden
				if role == "" {
					want = http.StatusSeeOther
				}
				if res.StatusCode != want || len(calls) != 0 {
					t.Errorf("status %d, calls %v; want %d and none", res.StatusCode, calls, want)
				}
			})
		}
	}

	tests := []struct {
		name         string
		method       string
		target       string
		form         url.Values
		wantStatus   int
		wantLocation string
		wantCalls    []string
		wantContain  []string
	}{
		{"list", "GET", "/admin/staff", nil, 200, "", nil, []string{
			"moderator@example.com", "ed&lt;i&gt;@example.com", `<label for="role-101">`, `action="/admin/staff/102/two-factor/reset"`,
			"Administrator", "Editor", "(you)"}},
		{"change a role", "POST", "/admin/staff/101/role", url.Values{"role": {"editor"}, "reason": {"moved desks"}}, 303, "/admin/staff?done=role",
			[]string{`role 101 editor "moved desks" by 103`}, nil},
		{"last admin", "POST", "/admin/staff/103/role", url.Values{"role": {"subscriber"}, "reason": {"bye"}}, 409, "",
			[]string{`role 103 subscriber "bye" by 103`}, []string{html.EscapeString(masthead.Msg(masthead.MsgStaffLastAdmin)), `value="bye"`}},
		{"unknown role", "POST", "/admin/staff/101/role", url.Values{"role": {"owner"}}, 400, "", nil, []string{masthead.Msg("staffadmin.role_invalid")}},
		{"bad id", "POST", "/admin/staff/x/role", url.Values{"role": {"editor"}}, 404, "", nil, nil},
		{"add by email", "POST", "/admin/staff", url.Values{"email": {"new@example.com"}, "role": {"moderator"}}, 303, "/admin/staff?done=role",
			[]string{`email new@example.com moderator "" by 103`}, nil},
		{"add unknown email", "POST", "/admin/staff", url.Values{"email": {"who@example.com"}, "role": {"editor"}, "reason": {"why"}}, 404, "",
			[]string{`email who@example.com editor "why" by 103`}, []string{masthead.Msg(masthead.MsgStaffAccountNotFound), `value="who@example.com"`, `value="why"`, `<option value="editor" selected>`}},
		{"reset two-factor", "POST", "/admin/staff/102/two-factor/reset", url.Values{"reason": {"lost phone"}}, 303, "/admin/staff?done=reset",
			[]string{`reset 102 "lost phone" by 103`}, nil},
		{"notice", "GET", "/admin/staff?done=reset", nil, 200, "", nil, []string{masthead.Msg("staffadmin.reset_done")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls = nil
			res, body := do(t, h, staffRequest("admin", tt.method, tt.target, tt.form))
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status: got %d, want %d\n%s", res.StatusCode, tt.wantStatus, body)
			}
			if got := res.Header.Get("Location"); got != tt.wantLocation {
				t.Errorf("Location: got %q, want %q", got, tt.wantLocation)
			}
			if strings.Join(calls, "\n") != strings.Join(tt.wantCalls, "\n") {
				t.Errorf("calls: got %q, want %q", calls, tt.wantCalls)
			}
			for _, want := range tt.wantContain {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %q", want)
				}
			}
		})
	}
}
