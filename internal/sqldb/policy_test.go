package sqldb_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"masthead"
	"masthead/internal/sqldb"
)

// policyAdmin creates an admin and returns them as an actor.
func policyAdmin(t *testing.T, f *commentsFixture) masthead.Actor {
	t.Helper()
	a, err := f.accts.CreateStaff(context.Background(), "admin@example.com", password, masthead.RoleAdmin)
	if err != nil {
		t.Fatalf("CreateStaff: %v", err)
	}
	return masthead.Actor{ID: a.ID, Role: a.Role, IP: "192.0.2.9"}
}

// setPolicy saves the policy through the comment service's own
// PolicyService, changing the default policy by change.
func setPolicy(t *testing.T, f *commentsFixture, admin masthead.Actor, change func(p *masthead.CommentPolicy)) {
	t.Helper()
	p := masthead.DefaultCommentPolicy(masthead.DefaultCommentSettings())
	change(&p)
	if err := f.svc.Policy.SetCommentPolicy(context.Background(), admin, p); err != nil {
		t.Fatalf("SetCommentPolicy: %v", err)
	}
}

// threadIDs returns the IDs and statuses of a story's first page of
// comments as viewer sees them, replies after their thread.
func threadIDs(t *testing.T, f *commentsFixture, storyID, viewer int64) []string {
	t.Helper()
	page, err := f.svc.FindComments(context.Background(), masthead.CommentFilter{StoryID: storyID, ViewerID: viewer, Sort: masthead.SortOldest})
	if err != nil {
		t.Fatalf("FindComments: %v", err)
	}
	out := []string{}
	for _, th := range page.Threads {
		out = append(out, commentKey(th.Comment))
		for _, r := range th.Replies {
			out = append(out, "  "+commentKey(r))
		}
	}
	return out
}

func commentKey(c *masthead.Comment) string { return c.Body + " " + string(c.Status) }

func TestPolicyRoundTrip(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		defaults := masthead.DefaultCommentPolicy(masthead.DefaultCommentSettings())
		ps := sqldb.NewPolicyService(db, defaults)

		got, err := ps.CommentPolicy(ctx)
		if err != nil {
			t.Fatalf("CommentPolicy: %v", err)
		}
		if !got.Enabled || got.Premoderation != masthead.PremoderationOff || got.EditWindow != 5*time.Minute {
			t.Errorf("default policy = %+v, want the defaults", got)
		}

		admin := policyAdmin(t, f)
		mod, err := f.accts.CreateStaff(ctx, "mod@example.com", password, masthead.RoleModerator)
		if err != nil {
			t.Fatalf("CreateStaff: %v", err)
		}
		want := masthead.CommentPolicy{Enabled: true, Premoderation: masthead.PremoderationAll,
			NewCommenterApprovals: 3, HoldLinks: true, BannedWords: []string{" idiot ", "IDIOT", "kill  yourself"},
			SuspectWords: []string{"scam"}, EditWindow: 10 * time.Minute, AutoCloseDays: 30}

		tests := []struct {
			name  string
			actor masthead.Actor
			p     func() masthead.CommentPolicy
			code  string
			field string
		}{
			{"moderator may not", masthead.Actor{ID: mod.ID, Role: mod.Role}, func() masthead.CommentPolicy { return want }, masthead.EFORBIDDEN, ""},
			{"editor may not", masthead.Actor{Role: masthead.RoleEditor}, func() masthead.CommentPolicy { return want }, masthead.EFORBIDDEN, ""},
			{"invalid refused", admin, func() masthead.CommentPolicy {
				p := want
				p.AutoCloseDays = -2
				return p
			}, masthead.EINVALID, "auto_close_days"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := ps.SetCommentPolicy(ctx, tt.actor, tt.p())
				if got := masthead.ErrorCode(err); got != tt.code {
					t.Errorf("SetCommentPolicy: code %q (%v), want %q", got, err, tt.code)
				}
				if got := masthead.ErrorField(err); got != tt.field {
					t.Errorf("SetCommentPolicy: field %q, want %q", got, tt.field)
				}
			})
		}
		if n := countRows(t, db, "site_settings"); n != 0 {
			t.Fatalf("refused saves stored %d settings", n)
		}
		if n := countRows(t, db, "audit_log"); n != 0 {
			t.Fatalf("refused saves wrote %d audit entries", n)
		}

		if err := ps.SetCommentPolicy(ctx, admin, want); err != nil {
			t.Fatalf("SetCommentPolicy: %v", err)
		}
		// Read back through a fresh instance, from the database.
		for name, svc := range map[string]*sqldb.PolicyService{"same": ps, "fresh": sqldb.NewPolicyService(db, defaults)} {
			got, err := svc.CommentPolicy(ctx)
			if err != nil {
				t.Fatalf("%s: CommentPolicy: %v", name, err)
			}
			if got.Premoderation != masthead.PremoderationAll || got.NewCommenterApprovals != 3 || !got.HoldLinks ||
				got.EditWindow != 10*time.Minute || got.AutoCloseDays != 30 || !got.Enabled {
				t.Errorf("%s: policy = %+v, want %+v", name, got, want)
			}
			if g, w := strings.Join(got.BannedWords, "|"), "idiot|kill yourself"; g != w {
				t.Errorf("%s: banned words = %q, want %q (normalised)", name, g, w)
			}
			if g, w := strings.Join(got.SuspectWords, "|"), "scam"; g != w {
				t.Errorf("%s: suspect words = %q, want %q", name, g, w)
			}
		}

		entries, err := sqldb.NewAuditService(db).FindAuditEntries(ctx, masthead.AuditFilter{Action: masthead.AuditPolicySave})
		if err != nil {
			t.Fatalf("FindAuditEntries: %v", err)
		}
		if len(entries) != 1 {
			t.Fatalf("audit entries = %d, want 1", len(entries))
		}
		e := entries[0]
		if e.ActorID != admin.ID || e.ActorName != "admin@example.com" || e.IP != "192.0.2.9" || e.TargetType != "settings" {
			t.Errorf("audit entry = %+v", e)
		}
		var before, after masthead.CommentPolicy
		if err := json.Unmarshal([]byte(e.Before), &before); err != nil {
			t.Fatalf("before %q: %v", e.Before, err)
		}
		if err := json.Unmarshal([]byte(e.After), &after); err != nil {
			t.Fatalf("after %q: %v", e.After, err)
		}
		if before.Premoderation != masthead.PremoderationOff || after.Premoderation != masthead.PremoderationAll || after.AutoCloseDays != 30 {
			t.Errorf("audit before/after = %+v / %+v", before, after)
		}
	})
}

func TestHeldCommentsSeenOnlyByTheirAuthor(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		f := newComments(t, db, clk)
		admin := policyAdmin(t, f)
		st := f.story("held")
		ann := f.subscriber("Ann", "basic")
		bob := f.subscriber("Bob", "basic")

		top := f.post("held", 0, bob, "Published first")
		f.advance(time.Minute)
		setPolicy(t, f, admin, func(p *masthead.CommentPolicy) { p.Premoderation = masthead.PremoderationAll })
		heardBefore := len(f.heard())

		held := f.post("held", 0, ann, "Held top-level")
		f.advance(time.Minute)
		reply := f.post("held", top.ID, ann, "Held reply")
		for _, c := range []*masthead.Comment{held, reply} {
			if c.Status != masthead.CommentPending {
				t.Errorf("comment %q status = %q, want pending", c.Body, c.Status)
			}
			var reason string
			if err := pool(t, db).QueryRow(`SELECT hold_reason FROM comments WHERE id = $1`, c.ID).Scan(&reason); err != nil {
				t.Fatal(err)
			}
			if reason != masthead.HoldPremoderation {
				t.Errorf("comment %q hold_reason = %q, want %q", c.Body, reason, masthead.HoldPremoderation)
			}
		}
		if got, want := f.commentCount("held"), 1; got != want {
			t.Errorf("story comment count = %d, want %d (held ones not counted)", got, want)
		}
		if got := f.find(top.ID).ReplyCount; got != 0 {
			t.Errorf("parent reply count = %d, want 0", got)
		}
		if got := f.heard()[heardBefore:]; len(got) != 0 {
			t.Errorf("held comments made live events %v", got)
		}

		tests := []struct {
			name   string
			viewer int64
			want   []string
		}{
			{"the author sees them", ann.ID, []string{"Published first published", "  Held reply pending", "Held top-level pending"}},
			{"another reader does not", bob.ID, []string{"Published first published"}},
			{"an anonymous reader does not", 0, []string{"Published first published"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got := threadIDs(t, f, st.ID, tt.viewer)
				if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
					t.Errorf("threads = %q, want %q", got, tt.want)
				}
			})
		}
	})
}

func TestBannedWordRefusedNothingStored(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		admin := policyAdmin(t, f)
		f.story("banned")
		ann := f.subscriber("Ann", "basic")
		setPolicy(t, f, admin, func(p *masthead.CommentPolicy) { p.BannedWords = []string{"idiot"} })

		for i, body := range []string{"What an 1 d 1 0 t", "ıdіοt", "id\u200biot!"} {
			t.Run(body, func(t *testing.T) {
				f.advance(time.Minute)
				_, err := f.svc.PostComment(ctx, masthead.NewComment{StorySlug: "banned", AuthorID: ann.ID, Body: body})
				if got, want := masthead.ErrorCode(err), masthead.EINVALID; got != want {
					t.Fatalf("post %d: code %q (%v), want %q", i, got, err, want)
				}
				if got, want := masthead.ErrorField(err), "body"; got != want {
					t.Errorf("field %q, want %q", got, want)
				}
				if msg := masthead.ErrorMessage(err); strings.Contains(msg, "idiot") && !strings.Contains(body, "idiot") {
					t.Errorf("message %q names the list's word", msg)
				}
			})
		}
		if n := countRows(t, db, "comments"); n != 0 {
			t.Errorf("comments stored = %d, want 0", n)
		}
		f.advance(time.Minute)
		if c := f.post("banned", 0, ann, "An idiom, a class act"); c.Status != masthead.CommentPublished {
			t.Errorf("innocent comment status = %q, want published", c.Status)
		}
	})
}

func TestNewCommenterHoldLifts(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		f := newComments(t, db, clk)
		admin := policyAdmin(t, f)
		f.story("newbie")
		ann := f.subscriber("Ann", "basic")
		setPolicy(t, f, admin, func(p *masthead.CommentPolicy) { p.NewCommenterApprovals = 2 })

		for i, want := range []masthead.CommentStatus{masthead.CommentPending, masthead.CommentPending, masthead.CommentPublished} {
			f.advance(time.Minute)
			c := f.post("newbie", 0, ann, "Comment number "+string(rune('1'+i)))
			if c.Status != want {
				t.Fatalf("comment %d status = %q, want %q", i+1, c.Status, want)
			}
			// A moderator approves it (the queues' work, done by hand).
			exec(t, db, `UPDATE comments SET status = 'published' WHERE id = $1`, c.ID)
		}
	})
}

func TestEditUnderPolicy(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		admin := policyAdmin(t, f)
		f.story("edits")
		ann := f.subscriber("Ann", "basic")
		setPolicy(t, f, admin, func(p *masthead.CommentPolicy) {
			p.BannedWords, p.SuspectWords, p.EditWindow = []string{"idiot"}, []string{"scam"}, 10*time.Minute
		})
		c := f.post("edits", 0, ann, "Harmless")
		f.advance(7 * time.Minute) // within the policy's window, beyond the default 5

		_, err := f.svc.EditComment(ctx, c.ID, ann.ID, "you i.d.i.o.t")
		if got := masthead.ErrorField(err); got != "body" {
			t.Errorf("banned edit: %v, want a refusal about body", err)
		}
		if got := f.find(c.ID).Body; got != "Harmless" {
			t.Errorf("after a refused edit body = %q", got)
		}

		edited, err := f.svc.EditComment(ctx, c.ID, ann.ID, "A s-c-a-m!")
		if err != nil {
			t.Fatalf("EditComment: %v", err)
		}
		if edited.Status != masthead.CommentPending || f.find(c.ID).Status != masthead.CommentPending {
			t.Errorf("suspect edit status = %q, want pending", edited.Status)
		}
		if got := f.commentCount("edits"); got != 0 {
			t.Errorf("comment count after the edit was held = %d, want 0", got)
		}

		setPolicy(t, f, admin, func(p *masthead.CommentPolicy) { p.EditWindow = 0 })
		f.advance(time.Minute)
		c2 := f.post("edits", 0, ann, "Another")
		_, err = f.svc.EditComment(ctx, c2.ID, ann.ID, "Another, edited")
		if got, want := masthead.ErrorMessage(err), masthead.Msg(masthead.MsgCommentEditOff); got != want {
			t.Errorf("edit with editing off: %q, want %q", got, want)
		}
	})
}

func TestPolicyClosesComments(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		admin := policyAdmin(t, f)
		f.story("old")
		ann := f.subscriber("Ann", "basic")
		post := func() error {
			f.advance(time.Minute)
			_, err := f.svc.PostComment(ctx, masthead.NewComment{StorySlug: "old", AuthorID: ann.ID, Body: "Still open? " + clk.Now().String()})
			return err
		}
		tests := []struct {
			name   string
			change func(p *masthead.CommentPolicy)
			wait   time.Duration
			code   string
		}{
			{"open by default", func(*masthead.CommentPolicy) {}, 0, ""},
			{"commenting off site-wide", func(p *masthead.CommentPolicy) { p.Enabled = false }, 0, string(masthead.GateCommentsClosed)},
			{"not yet closed", func(p *masthead.CommentPolicy) { p.AutoCloseDays = 2 }, 0, ""},
			{"closed after N days", func(p *masthead.CommentPolicy) { p.AutoCloseDays = 2 }, 48 * time.Hour, string(masthead.GateCommentsClosed)},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				setPolicy(t, f, admin, tt.change)
				f.advance(tt.wait)
				if got := masthead.ErrorCode(post()); got != tt.code {
					t.Errorf("post: code %q, want %q", got, tt.code)
				}
			})
		}
		// The story's own days win over the site's.
		exec(t, db, `UPDATE stories SET comments_close_days = 30 WHERE slug = 'old'`)
		if err := post(); err != nil {
			t.Errorf("post with the story's own 30 days: %v", err)
		}
	})
}

// Reading the policy within the cache's second copies only the struct:
// the word lists are shared, read-only, between the callers; the policy
// saved is the service's own, whatever its caller does with its lists.
func TestPolicyReadShared(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		admin := policyAdmin(t, f)
		ps := sqldb.NewPolicyService(db, masthead.DefaultCommentPolicy(masthead.DefaultCommentSettings()))
		saved := masthead.DefaultCommentPolicy(masthead.DefaultCommentSettings())
		saved.BannedWords, saved.SuspectWords = []string{"idiot"}, []string{"scam"}
		if err := ps.SetCommentPolicy(ctx, admin, saved); err != nil {
			t.Fatalf("SetCommentPolicy: %v", err)
		}
		saved.BannedWords[0] = "changed by the caller"

		first, err := ps.CommentPolicy(ctx)
		if err != nil {
			t.Fatalf("CommentPolicy: %v", err)
		}
		first.EditWindow = time.Hour // the struct is the caller's
		second, err := ps.CommentPolicy(ctx)
		if err != nil {
			t.Fatalf("CommentPolicy: %v", err)
		}
		if got, want := strings.Join(second.BannedWords, "|")+" "+strings.Join(second.SuspectWords, "|"), "idiot scam"; got != want {
			t.Errorf("word lists = %q, want %q", got, want)
		}
		if second.EditWindow == time.Hour {
			t.Errorf("a caller's change to its copy reached the next caller")
		}
		if &first.BannedWords[0] != &second.BannedWords[0] || &first.SuspectWords[0] != &second.SuspectWords[0] {
			t.Errorf("each read copied the word lists, want them shared")
		}
	})
}
