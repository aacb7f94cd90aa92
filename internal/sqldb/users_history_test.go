package sqldb_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"masthead"
	"masthead/internal/sqldb"
)

// TestAuthorHistories checks that the batched histories equal the
// per-author ones, with each part (names, counts, sanction, warnings,
// staff actions, the latter limited per account) kept to its account, and
// that the batch runs a fixed number of queries however many authors.
func TestAuthorHistories(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newModFixture(t, db, clk, sqldb.ModerationSettings{})
		users := sqldb.NewUserService(db)
		users.Settings.HistoryActions = 2
		act := func(id int64, action masthead.UserAction, reason string, days int) {
			t.Helper()
			f.advance(time.Second)
			if err := users.ActOnUser(ctx, f.actor, masthead.UserActionInput{AccountID: id, Action: action, Reason: reason, Days: days}); err != nil {
				t.Fatalf("ActOnUser(%s on %d): %v", action, id, err)
			}
		}
		f.story("a")
		ann := f.subscriber("Ann", "basic")
		bob := f.subscriber("Bob", "basic")
		carol := f.subscriber("Carol", "basic")
		dave := f.subscriber("", "") // no display name, no comments
		erin := f.subscriber("Erin", "")

		f.posted("a", 0, ann, "One.")
		f.posted("a", 0, ann, "Two.")
		f.held("a", 0, ann, "Held.")
		rej := f.posted("a", 0, ann, "To reject.")
		if err := f.mod.Moderate(ctx, f.actor, []int64{rej.ID}, masthead.ModReject, "Spam"); err != nil {
			t.Fatalf("reject: %v", err)
		}
		f.posted("a", 0, bob, "Bob's.")
		f.posted("a", 0, carol, "Carol's.")
		act(ann.ID, masthead.UserWarn, "First warning.", 0)
		act(ann.ID, masthead.UserWarn, "Second warning.", 0)
		act(ann.ID, masthead.UserSuspend, "Suspended.", 30)
		act(bob.ID, masthead.UserBan, "Banned.", 0)
		if err := users.AcknowledgeWarning(ctx, ann.ID, mustPending(t, users, ann.ID).ID); err != nil {
			t.Fatalf("AcknowledgeWarning: %v", err)
		}
		f.advance(15 * 24 * time.Hour)
		if _, err := f.accts.SetProfile(ctx, bob.ID, "Robert", ""); err != nil {
			t.Fatalf("SetProfile: %v", err)
		}
		if err := f.accts.RequestDeletion(ctx, erin.ID, password, false); err != nil {
			t.Fatalf("RequestDeletion: %v", err)
		}
		f.advance(25 * time.Hour)
		if _, err := f.accts.PurgeDueDeletions(ctx); err != nil {
			t.Fatalf("PurgeDueDeletions: %v", err)
		}

		queries := 0
		sqldb.CountUserQueries(users, func() { queries++ })
		live := []int64{ann.ID, bob.ID, carol.ID, dave.ID}
		per := map[int64]*masthead.AuthorHistory{}
		for _, id := range live {
			h, err := users.AuthorHistory(ctx, id)
			if err != nil {
				t.Fatalf("AuthorHistory(%d): %v", id, err)
			}
			per[id] = h
		}
		perQueries := queries
		for _, id := range []int64{erin.ID, 999999} {
			if _, err := users.AuthorHistory(ctx, id); errCode(err) != masthead.ENOTFOUND {
				t.Errorf("AuthorHistory(%d): got %v, want ENOTFOUND", id, err)
			}
		}

		queries = 0
		batch, err := users.AuthorHistories(ctx, []int64{dave.ID, ann.ID, bob.ID, ann.ID, carol.ID, erin.ID, 999999, 0})
		if err != nil {
			t.Fatalf("AuthorHistories: %v", err)
		}
		t.Logf("queries: %d for %d authors one by one, %d for the batch", perQueries, len(live), queries)
		if want := 5 * len(live); perQueries != want {
			t.Errorf("queries one by one: got %d, want %d", perQueries, want)
		}
		if queries != 5 {
			t.Errorf("queries of the batch: got %d, want 5", queries)
		}
		if len(batch) != len(live) {
			t.Errorf("histories: got %d, want %d (none for the deleted and unknown accounts)", len(batch), len(live))
		}
		for _, id := range live {
			if !reflect.DeepEqual(batch[id], per[id]) {
				t.Errorf("account %d: batch\n%+v\nwant, as AuthorHistory gives,\n%+v", id, batch[id], per[id])
			}
		}

		// What the histories hold, so that equal is also right.
		a := batch[ann.ID]
		if a == nil || a.Published != 2 || a.Pending != 1 || a.Rejected != 1 || a.Sanction == nil || a.Sanction.Banned ||
			len(a.Warnings) != 2 || a.Warnings[0].Reason != "Second warning." || a.Warnings[1].AcknowledgedAt.IsZero() {
			t.Errorf("Ann's history: got %+v", a)
		}
		if a != nil && (len(a.Actions) != 2 || a.Actions[0].Action != masthead.AuditAccountSuspend || a.Actions[1].Reason != "Second warning.") {
			t.Errorf("Ann's actions: got %+v, want the suspension and the second warning (HistoryActions 2)", a.Actions)
		}
		b := batch[bob.ID]
		if b == nil || b.Published != 1 || b.Sanction == nil || !b.Sanction.Banned || len(b.Names) != 2 ||
			b.Names[0].Name != "Bob" || b.Names[1].Name != "Robert" || len(b.Actions) != 1 || len(b.Warnings) != 0 {
			t.Errorf("Bob's history: got %+v", b)
		}
		c := batch[carol.ID]
		if c == nil || c.Published != 1 || c.Sanction != nil || len(c.Actions) != 0 || len(c.Names) != 1 {
			t.Errorf("Carol's history: got %+v", c)
		}
		d := batch[dave.ID]
		if d == nil || d.Names == nil || len(d.Names) != 0 || d.Published+d.Pending+d.Rejected != 0 {
			t.Errorf("Dave's history: got %+v", d)
		}

		queries = 0
		if hs, err := users.AuthorHistories(ctx, nil); err != nil || len(hs) != 0 || queries != 0 {
			t.Errorf("AuthorHistories(nil): got %v, %v after %d queries; want none, none", hs, err, queries)
		}
	})
}

// mustPending returns the account's pending warning.
func mustPending(t *testing.T, users *sqldb.UserService, id int64) *masthead.Warning {
	t.Helper()
	w, err := users.PendingWarning(context.Background(), id)
	if err != nil {
		t.Fatalf("PendingWarning(%d): %v", id, err)
	}
	return w
}

// TestAccountHasPendingWarning checks that an account comes with whether
// a warning waits for it, from the session lookup too, so that the web's
// warning gate needs no query of its own.
func TestAccountHasPendingWarning(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newUsers(t, db, clk)
		reader := f.subscriber("Reader", "")
		_, token, err := f.accts.SignIn(ctx, reader.Email, password, home)
		if err != nil {
			t.Fatalf("SignIn: %v", err)
		}
		check := func(name string, want bool) {
			t.Helper()
			a, err := f.accts.FindAccountByID(ctx, reader.ID)
			if err != nil || a.HasPendingWarning != want {
				t.Errorf("%s: FindAccountByID: got %v (%v), want HasPendingWarning %v", name, a != nil && a.HasPendingWarning, err, want)
			}
			a, _, err = f.accts.Authenticate(ctx, token, home)
			if err != nil || a.HasPendingWarning != want {
				t.Errorf("%s: Authenticate: got %v (%v), want HasPendingWarning %v", name, a != nil && a.HasPendingWarning, err, want)
			}
		}
		check("never warned", false)
		f.act(f.mod, reader.ID, masthead.UserWarn, "Be nice.", 0)
		f.advance(time.Second)
		f.act(f.mod, reader.ID, masthead.UserWarn, "Be nicer.", 0)
		check("warned twice", true)
		if err := f.users.AcknowledgeWarning(ctx, reader.ID, mustPending(t, f.users, reader.ID).ID); err != nil {
			t.Fatal(err)
		}
		check("one acknowledged", true)
		if err := f.users.AcknowledgeWarning(ctx, reader.ID, mustPending(t, f.users, reader.ID).ID); err != nil {
			t.Fatal(err)
		}
		check("both acknowledged", false)
	})
}

// TestFindQueueReportsPerItem checks that a comment in a queue comes with
// its newest ReportsPerItem reports, each comment counted on its own.
func TestFindQueueReportsPerItem(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newModFixture(t, db, clk, sqldb.ModerationSettings{ReportsPerItem: 2})
		f.story("a")
		ann := f.subscriber("Ann", "basic")
		bob := f.subscriber("Bob", "basic")
		carol := f.subscriber("Carol", "basic")
		dan := f.subscriber("Dan", "basic")
		many := f.posted("a", 0, dan, "Reported three times.")
		once := f.posted("a", 0, bob, "Reported once.")
		for _, r := range []struct {
			c  *masthead.Comment
			by *masthead.Account
		}{{many, bob}, {once, ann}, {many, carol}, {many, ann}} {
			f.advance(time.Second)
			if err := f.svc.ReportComment(ctx, r.c.ID, r.by.ID, "spam", r.by.DisplayName); err != nil {
				t.Fatal(err)
			}
		}
		page, err := f.mod.FindQueue(ctx, masthead.QueueFilter{Queue: masthead.QueueReported})
		if err != nil {
			t.Fatalf("FindQueue: %v", err)
		}
		got := map[int64][]string{}
		for _, it := range page.Items {
			for _, r := range it.Reports {
				got[it.Comment.ID] = append(got[it.Comment.ID], r.ReporterName)
			}
		}
		want := map[int64][]string{many.ID: {"Ann", "Carol"}, once.ID: {"Ann"}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("reports by comment: got %v, want %v (the newest two each)", got, want)
		}
	})
}
