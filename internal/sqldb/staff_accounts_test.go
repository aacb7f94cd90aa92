package sqldb_test

import (
	"context"
	"slices"
	"testing"

	"masthead"
	"masthead/internal/sqldb"
)

func TestStaffRoles(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		staff := sqldb.NewStaffService(db)
		mk := func(email string, role masthead.Role) *masthead.Account {
			a, err := f.svc.CreateStaff(ctx, email, password, role)
			if err != nil {
				t.Fatalf("CreateStaff(%s): %v", email, err)
			}
			return a
		}
		admin := mk("admin@example.com", masthead.RoleAdmin)
		mod := mk("mod@example.com", masthead.RoleModerator)
		ed := mk("ed@example.com", masthead.RoleEditor)
		reader := f.signUp("reader@example.com")
		as := masthead.Actor{ID: admin.ID, Role: masthead.RoleAdmin, IP: "192.0.2.9"}

		list, err := staff.ListStaff(ctx, as)
		if err != nil {
			t.Fatalf("ListStaff: %v", err)
		}
		var got []string
		for _, m := range list {
			got = append(got, m.Email+"/"+string(m.Role))
		}
		if want := []string{"admin@example.com/admin", "ed@example.com/editor", "mod@example.com/moderator"}; !slices.Equal(got, want) {
			t.Errorf("ListStaff = %v, want %v", got, want)
		}

		tests := []struct {
			name     string
			actor    masthead.Actor
			id       int64
			role     masthead.Role
			wantCode string
		}{
			{"moderator may not", masthead.Actor{ID: mod.ID, Role: masthead.RoleModerator}, reader.ID, masthead.RoleModerator, masthead.EFORBIDDEN},
			{"editor may not", masthead.Actor{ID: ed.ID, Role: masthead.RoleEditor}, reader.ID, masthead.RoleEditor, masthead.EFORBIDDEN},
			{"unknown role", as, reader.ID, "owner", masthead.EINVALID},
			{"unknown account", as, 99999, masthead.RoleEditor, masthead.ENOTFOUND},
			{"last admin demotes themselves", as, admin.ID, masthead.RoleEditor, masthead.ECONFLICT},
			{"promote a subscriber", as, reader.ID, masthead.RoleEditor, ""},
			{"same role again", as, reader.ID, masthead.RoleEditor, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := staff.SetRole(ctx, tt.actor, tt.id, tt.role, "needed")
				if got := masthead.ErrorCode(err); got != tt.wantCode {
					t.Errorf("SetRole: error code %q, want %q (%v)", got, tt.wantCode, err)
				}
			})
		}
		if _, err := staff.ListStaff(ctx, masthead.Actor{ID: mod.ID, Role: masthead.RoleModerator}); masthead.ErrorCode(err) != masthead.EFORBIDDEN {
			t.Errorf("ListStaff as a moderator: got %v, want EFORBIDDEN", err)
		}

		// With a second administrator, the first may step down.
		if err := staff.SetRoleByEmail(ctx, as, " MOD@example.com ", masthead.RoleAdmin, ""); err != nil {
			t.Fatalf("SetRoleByEmail: %v", err)
		}
		if err := staff.SetRole(ctx, as, admin.ID, masthead.RoleSubscriber, "stepping down"); err != nil {
			t.Fatalf("SetRole (step down): %v", err)
		}
		modAdmin := masthead.Actor{ID: mod.ID, Role: masthead.RoleAdmin}
		if err := staff.SetRole(ctx, modAdmin, mod.ID, masthead.RoleModerator, ""); masthead.ErrorCode(err) != masthead.ECONFLICT {
			t.Errorf("the new last admin demotes themselves: got %v, want ECONFLICT", err)
		}
		if err := staff.SetRoleByEmail(ctx, as, "nobody@example.com", masthead.RoleEditor, ""); masthead.ErrorCode(err) != masthead.ENOTFOUND {
			t.Errorf("SetRoleByEmail of an unknown address: got %v, want ENOTFOUND", err)
		}
		if a, err := f.svc.FindAccountByID(ctx, reader.ID); err != nil || a.Role != masthead.RoleEditor {
			t.Errorf("reader's role = %v, %v; want editor", a, err)
		}

		entries, err := sqldb.NewAuditService(db).FindAuditEntries(ctx, masthead.AuditFilter{Action: masthead.AuditStaffRole})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 3 {
			t.Fatalf("got %d role entries, want 3 (promote, make admin, step down)", len(entries))
		}
		down := entries[0]
		if down.ActorID != admin.ID || down.TargetType != "account" || down.Before != `{"role":"admin"}` ||
			down.After != `{"role":"subscriber"}` || down.Reason != "stepping down" || down.IP != "192.0.2.9" {
			t.Errorf("step-down entry = %+v", down)
		}

		id, err := staff.AccountIDByEmail(ctx, as, "ED@example.com")
		if err != nil || id != ed.ID {
			t.Errorf("AccountIDByEmail = %d, %v; want %d", id, err, ed.ID)
		}
		if _, err := staff.AccountIDByEmail(ctx, masthead.Actor{Role: masthead.RoleEditor}, "ed@example.com"); masthead.ErrorCode(err) != masthead.EFORBIDDEN {
			t.Errorf("AccountIDByEmail as an editor: got %v, want EFORBIDDEN", err)
		}
	})
}
