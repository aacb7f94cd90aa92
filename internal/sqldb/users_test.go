package sqldb_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"masthead"
	"masthead/internal/sqldb"
)

// usersFixture is the user service beside the comment fixture, with a
// moderator and an administrator.
type usersFixture struct {
	*commentsFixture
	users  *sqldb.UserService
	mod    masthead.Actor
	admin  masthead.Actor
	queued int
}

func newUsers(t *testing.T, db *sqldb.DB, clk *fakeClock) *usersFixture {
	t.Helper()
	f := &usersFixture{commentsFixture: newComments(t, db, clk), users: sqldb.NewUserService(db)}
	f.users.OnQueued = func() { f.queued++ }
	f.mod = f.staff("mod@example.com", masthead.RoleModerator)
	f.admin = f.staff("admin@example.com", masthead.RoleAdmin)
	return f
}

// staff creates a staff account and returns it as an actor.
func (f *usersFixture) staff(email string, role masthead.Role) masthead.Actor {
	f.t.Helper()
	a, err := f.accts.CreateStaff(context.Background(), email, password, role)
	if err != nil {
		f.t.Fatalf("CreateStaff(%s): %v", email, err)
	}
	return masthead.Actor{ID: a.ID, Role: a.Role, IP: "192.0.2.1"}
}

// act applies an action, failing the test on an error.
func (f *usersFixture) act(actor masthead.Actor, id int64, action masthead.UserAction, reason string, days int) {
	f.t.Helper()
	if err := f.users.ActOnUser(context.Background(), actor, masthead.UserActionInput{
		AccountID: id, Action: action, Reason: reason, Days: days}); err != nil {
		f.t.Fatalf("ActOnUser(%s on %d): %v", action, id, err)
	}
}

// mails returns the outbox.
func (f *usersFixture) mails() []mail {
	return (&accountsFixture{t: f.t, db: f.db}).outbox()
}

// audit returns the audit entries about the account, newest first.
func (f *usersFixture) audit(id int64) []*masthead.AuditEntry {
	f.t.Helper()
	es, err := sqldb.NewAuditService(f.db).FindAuditEntries(context.Background(),
		masthead.AuditFilter{TargetType: "account", TargetID: itoa(id)})
	if err != nil {
		f.t.Fatalf("FindAuditEntries: %v", err)
	}
	return es
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestUserActions(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newUsers(t, db, clk)
		f.story("open")
		reader := f.subscriber("Troll Hunter", "basic")
		f.post("open", 0, reader, "First!")

		// Warn.
		f.act(f.mod, reader.ID, masthead.UserWarn, "Stay on topic.", 0)
		w, err := f.users.PendingWarning(ctx, reader.ID)
		if err != nil || w.Reason != "Stay on topic." || !w.CreatedAt.Equal(clk.Now()) {
			t.Fatalf("PendingWarning = %+v, %v", w, err)
		}

		// Suspend: the gate reads it.
		f.advance(time.Minute)
		f.act(f.mod, reader.ID, masthead.UserSuspend, "Insults.", 3)
		until := clk.Now().Add(72 * time.Hour)
		s, err := f.svc.Sanction(ctx, reader.ID)
		if err != nil || s == nil || s.Banned || !s.Until.Equal(until) || s.Reason != "Insults." {
			t.Fatalf("Sanction after suspend = %+v, %v; want until %v", s, err, until)
		}
		_, err = f.svc.PostComment(ctx, masthead.NewComment{StorySlug: "open", AuthorID: reader.ID, Body: "Hello"})
		wantErr(t, "post while suspended", err, string(masthead.GateSuspended), "")

		// Ban: the gate shows it with its reason.
		f.advance(time.Minute)
		f.act(f.mod, reader.ID, masthead.UserBan, "Spam, again.", 0)
		_, err = f.svc.PostComment(ctx, masthead.NewComment{StorySlug: "open", AuthorID: reader.ID, Body: "Hello"})
		wantErr(t, "post while banned", err, string(masthead.GateSuspended), masthead.Msg(masthead.MsgGateBanned, "Spam, again."))
		for _, a := range []masthead.UserAction{masthead.UserBan, masthead.UserSuspend} {
			err := f.users.ActOnUser(ctx, f.mod, masthead.UserActionInput{AccountID: reader.ID, Action: a, Reason: "x", Days: 1})
			wantErr(t, string(a)+" while banned", err, masthead.ECONFLICT, masthead.Msg(masthead.MsgUserAlreadyBanned))
		}

		// Lift.
		f.advance(time.Minute)
		f.act(f.mod, reader.ID, masthead.UserLift, "Appeal accepted.", 0)
		if s, err := f.svc.Sanction(ctx, reader.ID); err != nil || s != nil {
			t.Errorf("Sanction after lift = %+v, %v; want none", s, err)
		}
		f.post("open", 0, reader, "I am back")
		err = f.users.ActOnUser(ctx, f.mod, masthead.UserActionInput{AccountID: reader.ID, Action: masthead.UserLift, Reason: "x"})
		wantErr(t, "lift again", err, masthead.ECONFLICT, masthead.Msg(masthead.MsgUserNothingToLift))

		// The audit log and the emails.
		entries := f.audit(reader.ID)
		wantActions := []string{masthead.AuditAccountLift, masthead.AuditAccountBan, masthead.AuditAccountSuspend, masthead.AuditAccountWarn}
		if len(entries) != len(wantActions) {
			t.Fatalf("audit entries: got %d, want %d", len(entries), len(wantActions))
		}
		for i, e := range entries {
			if e.Action != wantActions[i] || e.ActorID != f.mod.ID || e.IP != "192.0.2.1" || e.Reason == "" {
				t.Errorf("audit entry %d: got %+v, want %s by the moderator", i, e, wantActions[i])
			}
		}
		if got, want := entries[1].Before, `{"banned":false,"suspended_until":"`+until.Format(time.RFC3339)+`","reason":"Insults."}`; got != want {
			t.Errorf("ban's before: got %s, want %s", got, want)
		}
		if got, want := entries[1].After, `{"banned":true,"reason":"Spam, again."}`; got != want {
			t.Errorf("ban's after: got %s, want %s", got, want)
		}
		if got, want := entries[0].After, `{"banned":false}`; got != want {
			t.Errorf("lift's after: got %s, want %s", got, want)
		}
		var got []string
		for _, m := range f.mails() {
			if m.To != reader.Email {
				continue
			}
			got = append(got, string(m.Kind))
			if m.Data["reason"] == "" || m.Data["name"] != "Troll Hunter" {
				t.Errorf("%s email data: got %v, want the reason and name", m.Kind, m.Data)
			}
			if m.Kind == masthead.EmailAccountSuspended && m.Data["until"] != until.Format(time.RFC3339) {
				t.Errorf("suspension email's until: got %q, want %s", m.Data["until"], until.Format(time.RFC3339))
			}
		}
		want := []string{string(masthead.EmailAccountWarned), string(masthead.EmailAccountSuspended), string(masthead.EmailAccountBanned)}
		if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
			t.Errorf("emails: got %v, want %v (none for the lift)", got, want)
		}
		if f.queued != 3 {
			t.Errorf("OnQueued calls: got %d, want 3", f.queued)
		}

		// The history shows all of it.
		h, err := f.users.AuthorHistory(ctx, reader.ID)
		if err != nil {
			t.Fatalf("AuthorHistory: %v", err)
		}
		if h.Account.ID != reader.ID || h.Published != 2 || h.Pending != 0 || h.Rejected != 0 || h.Sanction != nil ||
			len(h.Warnings) != 1 || len(h.Actions) != 4 || len(h.Names) != 1 {
			t.Errorf("AuthorHistory: got %+v", h)
		}
		if a := h.Actions[0]; a.Action != masthead.AuditAccountLift || a.Reason != "Appeal accepted." || a.By != "mod@example.com" {
			t.Errorf("latest action: got %+v", a)
		}

		// A suspension replaces an earlier one, from now.
		f.act(f.mod, reader.ID, masthead.UserSuspend, "Again.", 1)
		f.act(f.mod, reader.ID, masthead.UserSuspend, "Longer.", 7)
		if s, _ := f.svc.Sanction(ctx, reader.ID); s == nil || !s.Until.Equal(clk.Now().Add(7*24*time.Hour)) || s.Reason != "Longer." {
			t.Errorf("Sanction after a second suspension = %+v", s)
		}
		h, _ = f.users.AuthorHistory(ctx, reader.ID)
		if h.Sanction == nil || h.Sanction.Reason != "Longer." {
			t.Errorf("AuthorHistory's sanction: got %+v", h.Sanction)
		}
	})
}

func TestUserActionRules(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newUsers(t, db, clk)
		reader := f.subscriber("Reader", "")
		otherMod := f.staff("mod2@example.com", masthead.RoleModerator)
		editor := f.staff("editor@example.com", masthead.RoleEditor)
		otherAdmin := f.staff("admin2@example.com", masthead.RoleAdmin)
		tests := []struct {
			name  string
			actor masthead.Actor
			in    masthead.UserActionInput
			code  string
		}{
			{"moderator warns a moderator", f.mod, masthead.UserActionInput{AccountID: otherMod.ID, Action: masthead.UserWarn, Reason: "x"}, masthead.EFORBIDDEN},
			{"moderator bans an editor", f.mod, masthead.UserActionInput{AccountID: editor.ID, Action: masthead.UserBan, Reason: "x"}, masthead.EFORBIDDEN},
			{"moderator bans an admin", f.mod, masthead.UserActionInput{AccountID: f.admin.ID, Action: masthead.UserBan, Reason: "x"}, masthead.EFORBIDDEN},
			{"moderator warns themselves", f.mod, masthead.UserActionInput{AccountID: f.mod.ID, Action: masthead.UserWarn, Reason: "x"}, masthead.EFORBIDDEN},
			{"admin bans another admin", f.admin, masthead.UserActionInput{AccountID: otherAdmin.ID, Action: masthead.UserBan, Reason: "x"}, masthead.EFORBIDDEN},
			{"admin warns themselves", f.admin, masthead.UserActionInput{AccountID: f.admin.ID, Action: masthead.UserWarn, Reason: "x"}, masthead.EFORBIDDEN},
			{"editor warns a subscriber", editor, masthead.UserActionInput{AccountID: reader.ID, Action: masthead.UserWarn, Reason: "x"}, masthead.EFORBIDDEN},
			{"no reason", f.mod, masthead.UserActionInput{AccountID: reader.ID, Action: masthead.UserBan}, masthead.EINVALID},
			{"too long a reason", f.mod, masthead.UserActionInput{AccountID: reader.ID, Action: masthead.UserWarn, Reason: string(make([]byte, 501))}, masthead.EINVALID},
			{"suspension too long", f.mod, masthead.UserActionInput{AccountID: reader.ID, Action: masthead.UserSuspend, Reason: "x", Days: 366}, masthead.EINVALID},
			{"unknown action", f.mod, masthead.UserActionInput{AccountID: reader.ID, Action: "delete", Reason: "x"}, masthead.EINVALID},
			{"unknown account", f.mod, masthead.UserActionInput{AccountID: 999999, Action: masthead.UserWarn, Reason: "x"}, masthead.ENOTFOUND},
			{"moderator resets an editor's name", f.mod, masthead.UserActionInput{AccountID: editor.ID, Action: masthead.UserResetName, Reason: "x"}, masthead.EFORBIDDEN},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := f.users.ActOnUser(ctx, tt.actor, tt.in)
				wantErr(t, "ActOnUser", err, tt.code, "")
			})
		}
		if n := countRows(t, db, "audit_log") + countRows(t, db, "account_warnings"); n != 0 {
			t.Errorf("rows written by refused actions: got %d, want 0", n)
		}

		// An administrator may act on moderators and editors.
		f.act(f.admin, otherMod.ID, masthead.UserWarn, "Be nicer to readers.", 0)
		f.act(f.admin, editor.ID, masthead.UserSuspend, "Off-topic comments.", 2)
		if n := countRows(t, db, "audit_log"); n != 2 {
			t.Errorf("audit entries: got %d, want 2", n)
		}
	})
}

func TestResetDisplayName(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newUsers(t, db, clk)
		f.story("open")
		reader := f.subscriber("Jane Doughnut", "basic")
		other := f.subscriber("Someone Else", "basic")
		f.advance(time.Hour)

		f.act(f.mod, reader.ID, masthead.UserResetName, "Impersonates staff.", 0)
		acc, err := f.accts.FindAccountByID(ctx, reader.ID)
		if err != nil || acc.DisplayName != "" {
			t.Fatalf("after the reset: got %+v, %v; want no display name", acc, err)
		}
		// The gate sends the subscriber back to the display-name sentence.
		_, err = f.svc.PostComment(ctx, masthead.NewComment{StorySlug: "open", AuthorID: reader.ID, Body: "Hello"})
		wantErr(t, "post after the reset", err, string(masthead.GateDisplayNameRequired), "")

		names, err := f.accts.NameHistory(ctx, reader.ID)
		if err != nil || len(names) != 1 || names[0].Name != "Jane Doughnut" || !names[0].ReplacedAt.Equal(clk.Now()) {
			t.Errorf("NameHistory: got %+v, %v; want the old name, replaced now", names, err)
		}
		m := f.mails()
		last := m[len(m)-1]
		if last.Kind != masthead.EmailDisplayNameReset || last.To != reader.Email || last.Data["old_name"] != "Jane Doughnut" ||
			last.Data["reason"] != "Impersonates staff." {
			t.Errorf("last email: got %+v", last)
		}
		e := f.audit(reader.ID)
		if len(e) != 1 || e[0].Action != masthead.AuditAccountResetName || e[0].Before != `{"display_name":"Jane Doughnut"}` ||
			e[0].After != `{"display_name":""}` {
			t.Errorf("audit: got %+v", e)
		}

		// Neither the name nor a look-alike can be chosen again, by anyone.
		blocked := masthead.Msg(masthead.MsgDisplayNameBlocked)
		for _, tc := range []struct {
			name string
			id   int64
			dn   string
		}{
			{"the same name", reader.ID, "Jane Doughnut"},
			{"another case", reader.ID, "JANE doughnut"},
			{"a look-alike", reader.ID, "Jane_D0ughnut"},
			{"by another account", other.ID, "Jane Doughnut"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := f.accts.SetProfile(ctx, tc.id, tc.dn, "")
				wantErr(t, "SetProfile", err, masthead.ECONFLICT, blocked)
			})
		}

		// A new name is allowed at once, without the 14-day wait.
		if _, err := f.accts.SetProfile(ctx, reader.ID, "Jane Reader", ""); err != nil {
			t.Fatalf("SetProfile after the reset: %v", err)
		}
		f.post("open", 0, reader, "Hello again")
		err = f.users.ActOnUser(ctx, f.mod, masthead.UserActionInput{AccountID: other.ID, Action: masthead.UserResetName, Reason: "Rude."})
		if err != nil {
			t.Fatalf("reset of another name: %v", err)
		}
		err = f.users.ActOnUser(ctx, f.mod, masthead.UserActionInput{AccountID: other.ID, Action: masthead.UserResetName, Reason: "Rude."})
		wantErr(t, "reset without a name", err, masthead.ECONFLICT, masthead.Msg(masthead.MsgUserNoDisplayName))
	})
}

func TestAcknowledgeWarning(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newUsers(t, db, clk)
		reader := f.subscriber("Reader One", "")
		other := f.subscriber("Reader Two", "")
		if _, err := f.users.PendingWarning(ctx, reader.ID); errCode(err) != masthead.ENOTFOUND {
			t.Fatalf("PendingWarning before any: got %v, want ENOTFOUND", err)
		}
		f.act(f.mod, reader.ID, masthead.UserWarn, "First.", 0)
		f.advance(time.Second)
		f.act(f.mod, reader.ID, masthead.UserWarn, "Second.", 0)

		first, err := f.users.PendingWarning(ctx, reader.ID)
		if err != nil || first.Reason != "First." {
			t.Fatalf("PendingWarning: got %+v, %v; want the oldest", first, err)
		}
		for _, tc := range []struct {
			name      string
			account   int64
			warning   int64
			wantCode  string
			wantAfter string // reason of the pending warning after, "" for none
		}{
			{"someone else's warning", other.ID, first.ID, masthead.ENOTFOUND, "First."},
			{"unknown warning", reader.ID, 999999, masthead.ENOTFOUND, "First."},
			{"the first", reader.ID, first.ID, "", "Second."},
			{"the first again", reader.ID, first.ID, "", "Second."},
			{"the second", reader.ID, first.ID + 1, "", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := f.users.AcknowledgeWarning(ctx, tc.account, tc.warning)
				if got := errCode(err); got != tc.wantCode {
					t.Fatalf("AcknowledgeWarning: got %q (%v), want %q", got, err, tc.wantCode)
				}
				w, err := f.users.PendingWarning(ctx, reader.ID)
				switch {
				case tc.wantAfter == "" && errCode(err) != masthead.ENOTFOUND:
					t.Errorf("PendingWarning after: got %+v, %v; want none", w, err)
				case tc.wantAfter != "" && (err != nil || w.Reason != tc.wantAfter):
					t.Errorf("PendingWarning after: got %+v, %v; want %q", w, err, tc.wantAfter)
				}
			})
		}
		h, err := f.users.AuthorHistory(ctx, reader.ID)
		if err != nil || len(h.Warnings) != 2 || h.Warnings[0].Reason != "Second." || h.Warnings[0].AcknowledgedAt.IsZero() ||
			h.Warnings[1].AcknowledgedAt.IsZero() {
			t.Errorf("AuthorHistory's warnings: got %+v, %v", h, err)
		}
	})
}

func TestFindUsers(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newUsers(t, db, clk)
		a := f.subscriber("Adam Smith", "")
		b := f.subscriber("Betty_Blue", "")
		tests := []struct {
			name string
			q    string
			want []int64
		}{
			{"by email", a.Email, []int64{a.ID}},
			{"by email, any case", "READER2@", []int64{b.ID}},
			{"by name", "smith", []int64{a.ID}},
			{"by a look-alike of the name", "Аdam", []int64{a.ID}}, // Cyrillic А
			{"underscore is not a wildcard", "y_B", []int64{b.ID}},
			{"percent is not a wildcard", "%", nil},
			{"nothing", "   ", nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := f.users.FindUsers(ctx, tt.q, 10)
				if err != nil {
					t.Fatalf("FindUsers: %v", err)
				}
				if len(got) != len(tt.want) {
					t.Fatalf("FindUsers(%q): got %d accounts, want %d", tt.q, len(got), len(tt.want))
				}
				for i := range got {
					if got[i].ID != tt.want[i] {
						t.Errorf("FindUsers(%q)[%d]: got %d, want %d", tt.q, i, got[i].ID, tt.want[i])
					}
				}
			})
		}
	})
}
