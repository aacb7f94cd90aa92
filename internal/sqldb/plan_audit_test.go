package sqldb_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"masthead"
	"masthead/internal/sqldb"
)

// TestPlanAudit checks that each staff action on plans and complimentary
// subscriptions leaves exactly its audit entry, and that the system (the
// zero Actor) leaves none.
func TestPlanAudit(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newBilling(t, db, clk)
		audit := sqldb.NewAuditService(db)
		admin, err := f.accts.CreateStaff(ctx, "admin@example.com", password, masthead.RoleAdmin)
		if err != nil {
			t.Fatalf("CreateStaff: %v", err)
		}
		as := masthead.Actor{ID: admin.ID, Role: admin.Role, IP: "192.0.2.44"}
		reader := f.account("reader@example.com")
		other := f.account("other@example.com")
		// The system's saves (newBilling's plans) and grants leave no entry.
		if _, err := f.subs.GrantComplimentary(ctx, other.ID, "basic", epoch.Add(time.Hour), masthead.Actor{}); err != nil {
			t.Fatalf("GrantComplimentary (system): %v", err)
		}
		if err := f.subs.RevokeComplimentary(ctx, other.ID, masthead.Actor{}); err != nil {
			t.Fatalf("RevokeComplimentary (system): %v", err)
		}
		if n := countRows(t, db, "audit_log"); n != 0 {
			t.Fatalf("entries after system actions: got %d, want 0", n)
		}

		student := &masthead.Plan{Name: "Student", Visible: true, Position: 3,
			Prices: []masthead.Price{{Interval: masthead.IntervalMonth, Amount: 450, Currency: "EUR"}}}
		const (
			studentNew      = `{"name":"Student","visible":true,"archived":false,"prices":[{"interval":"month","amount":450,"currency":"EUR"}]}`
			studentRenamed  = `{"name":"Student Plus","visible":true,"archived":false,"prices":[{"interval":"month","amount":450,"currency":"EUR"}]}`
			studentArchived = `{"name":"Student Plus","visible":false,"archived":true,"prices":[{"interval":"month","amount":450,"currency":"EUR"}]}`
		)
		rfc := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
		until := epoch.Add(30 * 24 * time.Hour)
		until2 := epoch.Add(60 * 24 * time.Hour)
		readerID := strconv.FormatInt(reader.ID, 10)
		steps := []struct {
			name          string
			do            func() error
			action        string
			target        string
			targetID      func() string
			before, after string
		}{
			{"create a plan", func() error { return f.plans.SavePlan(ctx, student, as) },
				masthead.AuditPlanSave, "plan", func() string { return strconv.FormatInt(student.ID, 10) }, "", studentNew},
			{"update a plan", func() error {
				p := *student
				p.Name = "Student Plus"
				return f.plans.SavePlan(ctx, &p, as)
			}, masthead.AuditPlanSave, "plan", func() string { return strconv.FormatInt(student.ID, 10) }, studentNew, studentRenamed},
			{"archive a plan", func() error { return f.plans.ArchivePlan(ctx, "student", as) },
				masthead.AuditPlanArchive, "plan", func() string { return strconv.FormatInt(student.ID, 10) }, studentRenamed, studentArchived},
			{"grant a complimentary plan", func() error {
				_, err := f.subs.GrantComplimentary(ctx, reader.ID, "premium", until, as)
				return err
			}, masthead.AuditCompGrant, "account", func() string { return readerID },
				"", `{"plan":"premium","status":"active","until":"` + rfc(until) + `"}`},
			{"replace a complimentary plan", func() error {
				_, err := f.subs.GrantComplimentary(ctx, reader.ID, "basic", until2, as)
				return err
			}, masthead.AuditCompGrant, "account", func() string { return readerID },
				`{"plan":"premium","status":"active","until":"` + rfc(until) + `"}`,
				`{"plan":"basic","status":"active","until":"` + rfc(until2) + `"}`},
			{"revoke a complimentary plan", func() error { return f.subs.RevokeComplimentary(ctx, reader.ID, as) },
				masthead.AuditCompRevoke, "account", func() string { return readerID },
				`{"plan":"basic","status":"active","until":"` + rfc(until2) + `"}`,
				`{"plan":"basic","status":"expired","until":"` + rfc(epoch.Add(6*time.Minute)) + `"}`},
		}
		for i, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				now := epoch.Add(time.Duration(i+1) * time.Minute)
				clk.Set(now)
				if err := st.do(); err != nil {
					t.Fatalf("action: %v", err)
				}
				all, err := audit.FindAuditEntries(ctx, masthead.AuditFilter{})
				if err != nil {
					t.Fatalf("FindAuditEntries: %v", err)
				}
				if got, want := len(all), i+1; got != want {
					t.Fatalf("entries: got %d, want %d", got, want)
				}
				e := all[0]
				if e.Action != st.action || e.TargetType != st.target || e.TargetID != st.targetID() {
					t.Errorf("entry: got %s %s/%s, want %s %s/%s", e.Action, e.TargetType, e.TargetID, st.action, st.target, st.targetID())
				}
				if e.Before != st.before {
					t.Errorf("before: got %s, want %s", e.Before, st.before)
				}
				if e.After != st.after {
					t.Errorf("after: got %s, want %s", e.After, st.after)
				}
				if e.ActorID != admin.ID || e.ActorName != "admin@example.com" || e.IP != "192.0.2.44" || !e.At.Equal(now) {
					t.Errorf("who, where, when: got %d %q %q %v, want %d admin@example.com 192.0.2.44 %v",
						e.ActorID, e.ActorName, e.IP, e.At, admin.ID, now)
				}
			})
		}
		// The subscription history still names the staff member.
		evs, err := f.subs.SubscriptionEvents(ctx, reader.ID)
		if err != nil {
			t.Fatalf("SubscriptionEvents: %v", err)
		}
		for _, ev := range evs {
			if ev.ActorID != admin.ID {
				t.Errorf("event %s: got actor %d, want %d", ev.Kind, ev.ActorID, admin.ID)
			}
		}
	})
}

// TestPlanAuditForbidden checks that staff whose role lacks PermPlans are
// refused every plan and complimentary action, which changes nothing and
// writes no audit entry.
func TestPlanAuditForbidden(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newBilling(t, db, clk)
		reader := f.account("reader@example.com")
		until := epoch.Add(30 * 24 * time.Hour)
		if _, err := f.subs.GrantComplimentary(ctx, reader.ID, "basic", until, masthead.Actor{}); err != nil {
			t.Fatalf("GrantComplimentary (system): %v", err)
		}
		var actors []masthead.Actor
		for _, role := range []masthead.Role{masthead.RoleModerator, masthead.RoleEditor, masthead.RoleSubscriber} {
			a, err := f.accts.CreateStaff(ctx, string(role)+"@example.com", password, role)
			if err != nil {
				t.Fatalf("CreateStaff(%s): %v", role, err)
			}
			actors = append(actors, masthead.Actor{ID: a.ID, Role: a.Role, IP: "192.0.2.45"})
		}
		for _, actor := range actors {
			for _, tt := range []struct {
				name string
				do   func() error
			}{
				{"save a plan", func() error {
					return f.plans.SavePlan(ctx, &masthead.Plan{Name: "Student", Visible: true}, actor)
				}},
				{"update a plan", func() error {
					p := basicPlan()
					p.Name = "Cheap"
					return f.plans.SavePlan(ctx, p, actor)
				}},
				{"archive a plan", func() error { return f.plans.ArchivePlan(ctx, "basic", actor) }},
				{"grant a complimentary plan", func() error {
					_, err := f.subs.GrantComplimentary(ctx, reader.ID, "premium", until, actor)
					return err
				}},
				{"revoke a complimentary plan", func() error { return f.subs.RevokeComplimentary(ctx, reader.ID, actor) }},
			} {
				t.Run(string(actor.Role)+"/"+tt.name, func(t *testing.T) {
					if got := masthead.ErrorCode(tt.do()); got != masthead.EFORBIDDEN {
						t.Errorf("error code: got %q, want %q", got, masthead.EFORBIDDEN)
					}
				})
			}
		}
		if n := countRows(t, db, "audit_log"); n != 0 {
			t.Errorf("audit entries: got %d, want 0", n)
		}
		if _, err := f.plans.FindPlanBySlug(ctx, "student"); masthead.ErrorCode(err) != masthead.ENOTFOUND {
			t.Errorf("refused new plan: got %v, want ENOTFOUND", err)
		}
		basic, err := f.plans.FindPlanBySlug(ctx, "basic")
		if err != nil || basic.Name != "Basic" || basic.Archived || !basic.Visible {
			t.Errorf("basic plan after refusals: got %+v, %v; want unchanged", basic, err)
		}
		sub := f.current(reader.ID)
		if sub.Plan.Slug != "basic" || sub.Status != masthead.SubActive || !sub.CurrentPeriodEnd.Equal(until) {
			t.Errorf("subscription after refusals: got %s %s %v, want basic active %v", sub.Plan.Slug, sub.Status, sub.CurrentPeriodEnd, until)
		}
	})
}
