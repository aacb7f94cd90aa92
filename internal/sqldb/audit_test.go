package sqldb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"masthead"
	"masthead/internal/sqldb"
)

func TestAuditLog(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		accounts := sqldb.NewAccountService(db, &fakeHasher{}, masthead.AccountSettings{})
		mod, err := accounts.CreateStaff(ctx, "mod@example.com", "a long staff password", masthead.RoleModerator)
		if err != nil {
			t.Fatalf("CreateStaff: %v", err)
		}
		actor := masthead.Actor{ID: mod.ID, Role: mod.Role, IP: "192.0.2.7"}
		if err := db.WriteAudit(ctx, actor, masthead.AuditAccountBan, "account", 41,
			map[string]any{"banned": false}, map[string]any{"banned": true}, "spam"); err != nil {
			t.Fatalf("WriteAudit: %v", err)
		}
		clk.Set(clk.Now().Add(time.Second))
		if err := db.WriteAudit(ctx, actor, masthead.AuditCommentReject, "comment", 7, nil, nil, "abuse"); err != nil {
			t.Fatalf("WriteAudit: %v", err)
		}
		if err := db.WriteAudit(ctx, masthead.Actor{}, masthead.AuditStaffRole, "account", 41, nil, nil, ""); err != nil {
			t.Fatalf("WriteAudit (system): %v", err)
		}
		svc := sqldb.NewAuditService(db)

		all, err := svc.FindAuditEntries(ctx, masthead.AuditFilter{})
		if err != nil {
			t.Fatalf("FindAuditEntries: %v", err)
		}
		if len(all) != 3 || all[0].Action != masthead.AuditStaffRole || all[2].Action != masthead.AuditAccountBan {
			t.Fatalf("entries: got %d, newest first expected", len(all))
		}
		ban := all[2]
		if ban.ActorID != mod.ID || ban.ActorName != "mod@example.com" || ban.TargetType != "account" || ban.TargetID != "41" ||
			ban.Before != `{"banned":false}` || ban.After != `{"banned":true}` || ban.Reason != "spam" || ban.IP != "192.0.2.7" || ban.At.IsZero() {
			t.Errorf("ban entry: got %+v", ban)
		}
		if all[0].ActorID != 0 || all[0].ActorName != "" {
			t.Errorf("system entry: got actor %d %q, want none", all[0].ActorID, all[0].ActorName)
		}

		for _, tc := range []struct {
			name string
			f    masthead.AuditFilter
			want int
		}{
			{"by actor", masthead.AuditFilter{ActorID: mod.ID}, 2},
			{"by action", masthead.AuditFilter{Action: masthead.AuditCommentReject}, 1},
			{"by target", masthead.AuditFilter{TargetType: "account", TargetID: "41"}, 2},
			{"page after the newest", masthead.AuditFilter{Before: all[0].ID}, 2},
			{"limit", masthead.AuditFilter{Limit: 1}, 1},
			{"nothing", masthead.AuditFilter{Action: "no.such"}, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := svc.FindAuditEntries(ctx, tc.f)
				if err != nil {
					t.Fatalf("FindAuditEntries: %v", err)
				}
				if len(got) != tc.want {
					t.Errorf("got %d entries, want %d", len(got), tc.want)
				}
			})
		}

		// The database itself refuses to change or delete an entry, on a
		// connection that may write (SQLite's read pool is query-only,
		// which would refuse anything).
		p := db.Pools()["write"]
		if p == nil {
			p = db.Pools()["main"]
		}
		stmts := []string{`UPDATE audit_log SET reason = 'nothing happened'`, `DELETE FROM audit_log`}
		if db.Dialect() == sqldb.DialectPostgres {
			stmts = append(stmts, `TRUNCATE audit_log`)
		}
		for _, q := range stmts {
			if _, err := p.ExecContext(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: got %v, want refused as append-only", q, err)
			}
		}
		if n := countRows(t, db, "audit_log"); n != 3 {
			t.Errorf("entries after the attempts: got %d, want 3", n)
		}
	})
}
