package sqldb_test

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"masthead"
	"masthead/internal/sqldb"
)

// commentsFixture is the comment service and what it needs on a test
// database: the Basic and Premium plans, and accounts and stories made on
// demand.
type commentsFixture struct {
	t       *testing.T
	db      *sqldb.DB
	clk     *fakeClock
	svc     *sqldb.CommentService
	accts   *sqldb.AccountService
	subs    *sqldb.SubscriptionService
	stories *sqldb.StoryService

	mu     sync.Mutex
	events []masthead.CommentEvent
	n      int
}

func newComments(t *testing.T, db *sqldb.DB, clk *fakeClock) *commentsFixture {
	t.Helper()
	f := &commentsFixture{t: t, db: db, clk: clk,
		svc:     sqldb.NewCommentService(db, masthead.CommentSettings{}, time.UTC),
		accts:   sqldb.NewAccountService(db, &fakeHasher{}, masthead.AccountSettings{}),
		subs:    sqldb.NewSubscriptionService(db, 0),
		stories: sqldb.NewStoryService(db)}
	savePlans(t, sqldb.NewPlanService(db), basicPlan(), premiumPlan())
	f.svc.OnEvent = func(ev masthead.CommentEvent) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.events = append(f.events, ev)
	}
	return f
}

// heard returns the kinds and comment IDs OnEvent was given so far.
func (f *commentsFixture) heard() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := []string{}
	for _, ev := range f.events {
		out = append(out, fmt.Sprintf("%s %d", ev.Kind, ev.CommentID))
	}
	return out
}

func (f *commentsFixture) advance(d time.Duration) { f.clk.Set(f.clk.Now().Add(d)) }

// subscriber creates a verified subscriber with the display name (none if
// "") on the plan ("" for Free).
func (f *commentsFixture) subscriber(name, plan string) *masthead.Account {
	f.t.Helper()
	ctx := context.Background()
	f.n++
	acc, err := f.accts.CreateStaff(ctx, fmt.Sprintf("reader%d@example.com", f.n), password, masthead.RoleSubscriber)
	if err != nil {
		f.t.Fatalf("CreateStaff: %v", err)
	}
	if name != "" {
		if acc, err = f.accts.SetProfile(ctx, acc.ID, name, "Lyon"); err != nil {
			f.t.Fatalf("SetProfile(%q): %v", name, err)
		}
	}
	if plan != "" {
		if _, err := f.subs.GrantComplimentary(ctx, acc.ID, plan, f.clk.Now().AddDate(1, 0, 0), masthead.Actor{}); err != nil {
			f.t.Fatalf("GrantComplimentary(%q): %v", plan, err)
		}
	}
	return acc
}

// story saves a published story with open comments.
func (f *commentsFixture) story(slug string, mods ...func(*masthead.Story)) *masthead.Story {
	f.t.Helper()
	return save(f.t, f.stories, newStory(slug, epoch.Add(-time.Hour), mods...))
}

// post posts a comment, failing the test on an error.
func (f *commentsFixture) post(slug string, parent int64, author *masthead.Account, body string) *masthead.Comment {
	f.t.Helper()
	c, err := f.svc.PostComment(context.Background(), masthead.NewComment{StorySlug: slug, ParentID: parent, AuthorID: author.ID, Body: body})
	if err != nil {
		f.t.Fatalf("PostComment(%q by %d): %v", body, author.ID, err)
	}
	return c
}

func (f *commentsFixture) find(id int64) *masthead.Comment {
	f.t.Helper()
	c, err := f.svc.FindComment(context.Background(), id)
	if err != nil {
		f.t.Fatalf("FindComment(%d): %v", id, err)
	}
	return c
}

func (f *commentsFixture) commentCount(slug string) int {
	f.t.Helper()
	s, err := f.stories.FindStoryBySlug(context.Background(), slug)
	if err != nil {
		f.t.Fatalf("FindStoryBySlug(%q): %v", slug, err)
	}
	return s.CommentCount
}

// writer returns the pool that may write, for setting up rows directly.
func writer(t *testing.T, db *sqldb.DB) *sql.DB {
	t.Helper()
	if p, ok := db.Pools()["write"]; ok {
		return p
	}
	return db.Pools()["main"]
}

// timeArg is t as the engine stores it.
func timeArg(db *sqldb.DB, t time.Time) any {
	if db.Dialect() == sqldb.DialectSQLite {
		return t.UnixNano()
	}
	return t
}

func exec(t *testing.T, db *sqldb.DB, q string, args ...any) {
	t.Helper()
	if _, err := writer(t, db).Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func TestPostCommentGate(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		f.story("open")
		f.story("closed", func(s *masthead.Story) { s.Comments = masthead.CommentsClosed })
		f.story("premium", func(s *masthead.Story) { s.Access = masthead.AccessPremium })
		f.story("metered", func(s *masthead.Story) { s.Access = masthead.AccessMetered })

		basic := f.subscriber("Basic Reader", "basic")
		free := f.subscriber("Free Reader", "")
		noName := f.subscriber("", "basic")
		banned := f.subscriber("Banned Reader", "basic")
		exec(t, db, `UPDATE accounts SET commenting_banned = $1, sanction_reason = 'spam' WHERE id = $2`, true, banned.ID)
		suspended := f.subscriber("Suspended Reader", "basic")
		exec(t, db, `UPDATE accounts SET commenting_suspended_until = $1, sanction_reason = 'rude' WHERE id = $2`,
			timeArg(db, epoch.Add(time.Hour)), suspended.ID)
		lapsed := f.subscriber("Lapsed Reader", "basic")
		exec(t, db, `UPDATE accounts SET commenting_suspended_until = $1, sanction_reason = 'old' WHERE id = $2`,
			timeArg(db, epoch.Add(-time.Hour)), lapsed.ID)
		unverified := f.subscriber("Unverified Reader", "basic")
		exec(t, db, `UPDATE accounts SET email_verified_at = NULL WHERE id = $1`, unverified.ID)
		// The Free plan reads 10 metered stories a month but cannot comment.
		tests := []struct {
			name   string
			slug   string
			author *masthead.Account
			code   string
		}{
			{"unknown story", "nope", basic, masthead.ENOTFOUND},
			{"closed", "closed", basic, string(masthead.GateCommentsClosed)},
			{"unknown account", "open", &masthead.Account{ID: 999999}, string(masthead.GateSignedOut)},
			{"premium story, basic plan", "premium", basic, string(masthead.GateStoryNotReadable)},
			{"free plan", "open", free, string(masthead.GatePlanLacksCommenting)},
			{"free plan, metered story", "metered", free, string(masthead.GatePlanLacksCommenting)},
			{"banned", "open", banned, string(masthead.GateSuspended)},
			{"suspended", "open", suspended, string(masthead.GateSuspended)},
			{"unverified", "open", unverified, string(masthead.GateEmailUnverified)},
			{"no display name", "open", noName, string(masthead.GateDisplayNameRequired)},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := f.svc.PostComment(ctx, masthead.NewComment{StorySlug: tt.slug, AuthorID: tt.author.ID, Body: "Hello"})
				wantErr(t, "PostComment", err, tt.code, "")
			})
		}
		_, err := f.svc.PostComment(ctx, masthead.NewComment{StorySlug: "open", AuthorID: noName.ID, Body: "Hello"})
		wantErr(t, "no display name", err, string(masthead.GateDisplayNameRequired),
			"With your current subscription plan you can comment on stories. However, before writing your first comment, please create a display name in the Profile section of your subscriber account page.")
		_, err = f.svc.PostComment(ctx, masthead.NewComment{StorySlug: "open", AuthorID: banned.ID, Body: "Hello"})
		wantErr(t, "banned", err, string(masthead.GateSuspended), masthead.Msg(masthead.MsgGateBanned, "spam"))
		if got := countRows(t, db, "comments") + countRows(t, db, "comment_events") + countRows(t, db, "meter_reads"); got != 0 {
			t.Errorf("rows written by refused posts = %d, want 0", got)
		}
		if got := f.heard(); len(got) != 0 {
			t.Errorf("OnEvent after refusals = %v, want none", got)
		}

		// A lapsed suspension does not stop anyone; a metered story is
		// readable on an unlimited plan.
		f.post("open", 0, lapsed, "Back again")
		f.post("metered", 0, basic, "On a metered story")

		s, err := f.svc.Sanction(ctx, suspended.ID)
		if err != nil || s == nil || s.Banned || !s.Until.Equal(epoch.Add(time.Hour)) || s.Reason != "rude" {
			t.Errorf("Sanction(suspended) = %+v, %v", s, err)
		}
		if s, err := f.svc.Sanction(ctx, lapsed.ID); err != nil || s != nil {
			t.Errorf("Sanction(lapsed) = %+v, %v; want nil, nil", s, err)
		}
		if s, err := f.svc.Sanction(ctx, banned.ID); err != nil || s == nil || !s.Banned {
			t.Errorf("Sanction(banned) = %+v, %v; want a ban", s, err)
		}
	})
}

func TestPostCommentMeteredRead(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		// A plan that comments with a meter of one story.
		metered := &masthead.Plan{Name: "Talk", Entitlements: masthead.Entitlements{Comment: true, MeteredPerMonth: 1}, Visible: true}
		savePlans(t, sqldb.NewPlanService(db), metered)
		a := f.subscriber("Meter Reader", "talk")
		f.story("m1", func(s *masthead.Story) { s.Access = masthead.AccessMetered })
		f.story("m2", func(s *masthead.Story) { s.Access = masthead.AccessMetered })
		meters := sqldb.NewMeterService(db)
		start, end := masthead.MeterPeriod(a.CreatedAt, clk.Now(), time.UTC)
		// Not read yet, meter not spent: readable, and nothing counted.
		f.post("m1", 0, a, "First")
		if n := countRows(t, db, "meter_reads"); n != 0 {
			t.Errorf("meter reads after a comment = %d, want 0", n)
		}
		m1, _ := f.stories.FindStoryBySlug(ctx, "m1")
		if _, ok, err := meters.ReadMetered(ctx, a.ID, m1.ID, start, end, 1); err != nil || !ok {
			t.Fatalf("ReadMetered = %v, %v", ok, err)
		}
		// Spent on m1: m1 stays readable, m2 is not.
		f.advance(time.Minute)
		f.post("m1", 0, a, "Second")
		_, err := f.svc.PostComment(ctx, masthead.NewComment{StorySlug: "m2", AuthorID: a.ID, Body: "Third"})
		wantErr(t, "meter spent", err, string(masthead.GateStoryNotReadable), "")
	})
}

func TestPostAndReply(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		f.story("s")
		f.story("other")
		ann := f.subscriber("Ann", "basic")
		bob := f.subscriber("Bob", "premium")
		cat := f.subscriber("Cat", "basic")

		top := f.post("s", 0, ann, "  Hello <b>world</b> https://example.com/x.\r\n\r\nBye  ")
		if top.ID == 0 || top.RootID != top.ID || top.Depth != 0 || top.ParentID != 0 || top.AuthorName != "Ann" ||
			top.Status != masthead.CommentPublished || !top.CreatedAt.Equal(epoch) {
			t.Errorf("top = %+v", top)
		}
		if want := "  Hello <b>world</b> https://example.com/x.\n\nBye"; top.Body != want {
			t.Errorf("Body = %q, want %q", top.Body, want)
		}
		if !strings.Contains(top.BodyHTML, `&lt;b&gt;`) || !strings.Contains(top.BodyHTML, `rel="nofollow ugc noopener"`) {
			t.Errorf("BodyHTML = %q", top.BodyHTML)
		}
		if got := f.find(top.ID); got.Body != top.Body || got.BodyHTML != top.BodyHTML || got.AuthorAbout != "Lyon" {
			t.Errorf("FindComment = %+v, want %+v", got, top)
		}
		r1 := f.post("s", top.ID, bob, "Reply")
		r2 := f.post("s", r1.ID, cat, "Deeper")
		if r1.Depth != 1 || r1.ParentID != top.ID || r1.RootID != top.ID || r2.Depth != 2 || r2.ParentID != r1.ID || r2.RootID != top.ID {
			t.Errorf("r1 = %+v\nr2 = %+v", r1, r2)
		}
		// A reply to the deepest level attaches to its parent, with a mention.
		f.advance(10 * time.Second)
		r3 := f.post("s", r2.ID, ann, "Deepest")
		if r3.Depth != masthead.MaxCommentDepth || r3.ParentID != r1.ID || r3.RootID != top.ID || r3.Body != "@Cat Deepest" {
			t.Errorf("r3 = %+v, want depth 2 under r1 with a mention of Cat", r3)
		}
		if got := f.commentCount("s"); got != 4 {
			t.Errorf("comment count = %d, want 4", got)
		}
		for _, tt := range []struct {
			c       *masthead.Comment
			replies int
		}{{top, 1}, {r1, 2}, {r2, 1}, {r3, 0}} {
			if got := f.find(tt.c.ID).ReplyCount; got != tt.replies {
				t.Errorf("ReplyCount of %q = %d, want %d", tt.c.Body, got, tt.replies)
			}
		}
		// Parents that are not published comments of the story.
		f.advance(10 * time.Second)
		o := f.post("other", 0, bob, "Elsewhere")
		for _, parent := range []int64{o.ID, 999999} {
			_, err := f.svc.PostComment(ctx, masthead.NewComment{StorySlug: "s", ParentID: parent, AuthorID: cat.ID, Body: "x"})
			wantErr(t, "reply to a bad parent", err, masthead.ENOTFOUND, masthead.Msg(masthead.MsgCommentParentInvalid))
		}
		_, err := f.svc.PostComment(ctx, masthead.NewComment{StorySlug: "s", AuthorID: cat.ID, Body: " \n "})
		wantErr(t, "empty", err, masthead.EINVALID, masthead.Msg(masthead.MsgCommentEmpty))
		_, err = f.svc.PostComment(ctx, masthead.NewComment{StorySlug: "s", AuthorID: cat.ID, Body: strings.Repeat("é", 3001)})
		wantErr(t, "too long", err, masthead.EINVALID, masthead.Msg(masthead.MsgCommentTooLong, 3000, 3001))

		// Deleting a reply takes it out of every count; deleting with
		// replies leaves a placeholder.
		f.advance(10 * time.Second)
		if err := f.svc.DeleteComment(ctx, r3.ID, ann.ID); err != nil {
			t.Fatalf("DeleteComment(r3): %v", err)
		}
		if err := f.svc.DeleteComment(ctx, top.ID, ann.ID); err != nil {
			t.Fatalf("DeleteComment(top): %v", err)
		}
		wantErr(t, "DeleteComment(another's)", f.svc.DeleteComment(ctx, r1.ID, ann.ID), masthead.EFORBIDDEN,
			masthead.Msg(masthead.MsgCommentNotYours))
		wantErr(t, "DeleteComment(unknown)", f.svc.DeleteComment(ctx, 999999, ann.ID), masthead.ENOTFOUND, "")
		if err := f.svc.DeleteComment(ctx, top.ID, ann.ID); err != nil {
			t.Errorf("DeleteComment twice: %v", err)
		}
		if got := f.commentCount("s"); got != 2 {
			t.Errorf("comment count after deletions = %d, want 2", got)
		}
		if got := f.find(r1.ID).ReplyCount; got != 1 {
			t.Errorf("r1 ReplyCount after deleting r3 = %d, want 1", got)
		}
		gone := f.find(top.ID)
		if gone.Status != masthead.CommentDeleted || gone.Body != "" || gone.BodyHTML != "" {
			t.Errorf("deleted comment = %+v", gone)
		}
		page, err := f.svc.FindComments(ctx, masthead.CommentFilter{StoryID: top.StoryID})
		if err != nil || len(page.Threads) != 1 || page.Threads[0].Comment.ID != top.ID || len(page.Threads[0].Replies) != 2 || page.Total != 2 {
			t.Fatalf("page after deletions = %+v, %v; want the placeholder with r1 and r2", page, err)
		}

		want := []string{}
		for _, id := range []int64{top.ID, r1.ID, r2.ID, r3.ID, o.ID} {
			want = append(want, fmt.Sprintf("posted %d", id))
		}
		want = append(want, fmt.Sprintf("removed %d", r3.ID), fmt.Sprintf("removed %d", top.ID))
		if got := f.heard(); !slices.Equal(got, want) {
			t.Errorf("OnEvent = %v, want %v", got, want)
		}
		evs, err := f.svc.CommentEvents(ctx, top.StoryID, 0, 0)
		if err != nil || len(evs) != 6 {
			t.Fatalf("CommentEvents = %v, %v; want 6", evs, err)
		}
		after, err := f.svc.CommentEvents(ctx, top.StoryID, evs[3].ID, 1)
		if err != nil || len(after) != 1 || after[0].ID != evs[4].ID || after[0].Kind != "removed" || after[0].CommentID != r3.ID ||
			!after[0].At.Equal(clk.Now()) {
			t.Errorf("CommentEvents after %d = %+v, %v; want %+v", evs[3].ID, after, err, evs[4])
		}
	})
}

func TestEditComment(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		f.story("s")
		ann := f.subscriber("Ann", "basic")
		bob := f.subscriber("Bob", "basic")
		c := f.post("s", 0, ann, "Frist")
		replied := f.post("s", 0, bob, "Will get a reply")
		f.advance(4 * time.Minute)
		got, err := f.svc.EditComment(ctx, c.ID, ann.ID, "First")
		if err != nil || got.Body != "First" || !got.Edited() || !got.EditedAt.Equal(clk.Now()) || got.BodyHTML != "<p>First</p>\n" {
			t.Fatalf("EditComment = %+v, %v", got, err)
		}
		if f := f.find(c.ID); f.Body != "First" || !f.Edited() {
			t.Errorf("after edit: %+v", f)
		}
		f.post("s", replied.ID, ann, "A reply")
		tests := []struct {
			name    string
			id, by  int64
			advance time.Duration
			code    string
			msg     string
		}{
			{"another's", c.ID, bob.ID, 0, masthead.EFORBIDDEN, masthead.Msg(masthead.MsgCommentNotYours)},
			{"replied to", replied.ID, bob.ID, 0, masthead.EFORBIDDEN, masthead.Msg(masthead.MsgCommentEditHasReplies)},
			{"unknown", 999999, bob.ID, 0, masthead.ENOTFOUND, ""},
			{"after the window", c.ID, ann.ID, time.Minute + time.Second, masthead.EFORBIDDEN, masthead.Msg(masthead.MsgCommentEditWindowOver, 5)},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f.advance(tt.advance)
				_, err := f.svc.EditComment(ctx, tt.id, tt.by, "Changed")
				wantErr(t, "EditComment", err, tt.code, tt.msg)
			})
		}
		if got := f.find(c.ID).Body; got != "First" {
			t.Errorf("body after refused edits = %q", got)
		}
		if got := f.heard(); len(got) != 4 || got[2] != fmt.Sprintf("edited %d", c.ID) {
			t.Errorf("OnEvent = %v, want posted, posted, edited, posted", got)
		}
	})
}

func TestCommentLimits(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		f.story("s")
		ann := f.subscriber("Ann", "basic")
		post := func(body string) error {
			_, err := f.svc.PostComment(ctx, masthead.NewComment{StorySlug: "s", AuthorID: ann.ID, Body: body})
			return err
		}
		f.post("s", 0, ann, "one")
		f.advance(4 * time.Second)
		wantErr(t, "too soon", post("two"), masthead.ERATELIMIT, masthead.Msg(masthead.MsgCommentTooSoon, 5))
		f.advance(time.Second)
		if err := post("two"); err != nil {
			t.Fatalf("after 5 s: %v", err)
		}
		f.advance(time.Hour)
		err := post("one")
		wantErr(t, "duplicate", err, masthead.EINVALID, masthead.Msg(masthead.MsgCommentDuplicate))
		if masthead.ErrorField(err) != "body" {
			t.Errorf("duplicate field = %q, want body", masthead.ErrorField(err))
		}
		f.advance(5 * time.Hour)
		if err := post("one"); err != nil {
			t.Errorf("same text after 6 h: %v", err)
		}
		// 100 a day: 3 so far.
		for i := range 97 {
			f.advance(10 * time.Second)
			if err := post(fmt.Sprintf("number %d", i)); err != nil {
				t.Fatalf("post %d: %v", i, err)
			}
		}
		f.advance(time.Minute)
		wantErr(t, "101st", post("more"), masthead.ERATELIMIT, masthead.Msg(masthead.MsgCommentDailyLimit, 100))
		if got := f.commentCount("s"); got != 100 {
			t.Errorf("comment count = %d, want 100", got)
		}
	})
}

func TestRespectAndReport(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		f.story("s")
		ann := f.subscriber("Ann", "basic")
		bob := f.subscriber("Bob", "basic")
		c := f.post("s", 0, ann, "Respect me")

		on, n, err := f.svc.ToggleRespect(ctx, c.ID, bob.ID)
		if err != nil || !on || n != 1 {
			t.Errorf("ToggleRespect = %v, %d, %v; want true, 1", on, n, err)
		}
		on, n, err = f.svc.ToggleRespect(ctx, c.ID, bob.ID)
		if err != nil || on || n != 0 {
			t.Errorf("ToggleRespect again = %v, %d, %v; want false, 0", on, n, err)
		}
		_, _, err = f.svc.ToggleRespect(ctx, c.ID, ann.ID)
		wantErr(t, "own", err, masthead.EINVALID, masthead.Msg(masthead.MsgRespectOwn))
		_, _, err = f.svc.ToggleRespect(ctx, 999999, bob.ID)
		wantErr(t, "unknown", err, masthead.ENOTFOUND, "")

		// 200 respects a day, counted as given: 1 so far.
		cat := f.subscriber("Cat", "basic")
		var ids []int64
		for i := range 100 {
			f.advance(10 * time.Second)
			ids = append(ids, f.post("s", 0, cat, fmt.Sprintf("c%d", i)).ID)
		}
		toggle := func(ids []int64, want bool) {
			t.Helper()
			for _, id := range ids {
				if on, _, err := f.svc.ToggleRespect(ctx, id, bob.ID); err != nil || on != want {
					t.Fatalf("ToggleRespect(%d) = %v, %v; want %v", id, on, err, want)
				}
			}
		}
		toggle(ids, true)
		toggle(ids, false)
		toggle(ids[:99], true)
		_, _, err = f.svc.ToggleRespect(ctx, c.ID, bob.ID)
		wantErr(t, "201st", err, masthead.ERATELIMIT, masthead.Msg(masthead.MsgRespectDailyLimit, 200))
		toggle(ids[:1], false) // taking back is always allowed
		f.advance(24 * time.Hour)
		if on, n, err := f.svc.ToggleRespect(ctx, c.ID, bob.ID); err != nil || !on || n != 1 {
			t.Errorf("a day later = %v, %d, %v", on, n, err)
		}
		if got := f.find(ids[1]).Respects; got != 1 {
			t.Errorf("Respects = %d, want 1", got)
		}

		// Reports.
		tests := []struct {
			name, reason, text string
			by                 int64
			code, msg          string
		}{
			{"bad reason", "boring", "", bob.ID, masthead.EINVALID, masthead.Msg(masthead.MsgReportReasonInvalid)},
			{"other without text", "other", "  ", bob.ID, masthead.EINVALID, masthead.Msg(masthead.MsgReportTextRequired)},
			{"too long", "spam", strings.Repeat("x", 501), bob.ID, masthead.EINVALID, masthead.Msg(masthead.MsgReportTextTooLong, 500, 501)},
			{"own", "spam", "", ann.ID, masthead.EINVALID, masthead.Msg(masthead.MsgReportOwn)},
			{"ok", "other", "Off the wall", bob.ID, "", ""},
			{"twice", "abuse", "", bob.ID, masthead.ECONFLICT, masthead.Msg(masthead.MsgReportTwice)},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				wantErr(t, "ReportComment", f.svc.ReportComment(ctx, c.ID, tt.by, tt.reason, tt.text), tt.code, tt.msg)
			})
		}
		for i, id := range ids[:19] {
			if err := f.svc.ReportComment(ctx, id, bob.ID, "spam", ""); err != nil {
				t.Fatalf("report %d: %v", i, err)
			}
		}
		wantErr(t, "21st report", f.svc.ReportComment(ctx, ids[19], bob.ID, "spam", ""), masthead.ERATELIMIT,
			masthead.Msg(masthead.MsgReportDailyLimit, 20))
		if got := countRows(t, db, "comment_reports"); got != 20 {
			t.Errorf("reports = %d, want 20", got)
		}
	})
}

// seedComments inserts n top-level comments on the story directly, by
// authors in turn, createdAt(i) apart, with respects(i).
func seedComments(t *testing.T, db *sqldb.DB, storyID int64, authors []*masthead.Account, n int,
	createdAt func(i int) time.Time, respects func(i int) int) []int64 {
	t.Helper()
	tx, err := writer(t, db).Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var ids []int64
	for i := range n {
		var id int64
		at := timeArg(db, createdAt(i))
		body := fmt.Sprintf("comment %d", i)
		if err := tx.QueryRow(`INSERT INTO comments (story_id, depth, author_id, body, body_html, status, respects, created_at, updated_at)
VALUES ($1, 0, $2, $3, $4, 'published', $5, $6, $6) RETURNING id`, storyID, authors[i%len(authors)].ID, body,
			"<p>"+body+"</p>\n", respects(i), at).Scan(&id); err != nil {
			t.Fatalf("seed comment %d: %v", i, err)
		}
		ids = append(ids, id)
	}
	if _, err := tx.Exec(`UPDATE stories SET comment_count = comment_count + $1 WHERE id = $2`, n, storyID); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return ids
}

// allPages reads every page of the story in the sort, returning the
// top-level comment IDs in order and the number of pages.
func allPages(t *testing.T, svc *sqldb.CommentService, storyID int64, sort masthead.CommentSort, limit int) ([]int64, int) {
	t.Helper()
	var ids []int64
	after := ""
	pages := 0
	for {
		page, err := svc.FindComments(context.Background(), masthead.CommentFilter{StoryID: storyID, Sort: sort, After: after, Limit: limit})
		if err != nil {
			t.Fatalf("FindComments(%s, after %q): %v", sort, after, err)
		}
		pages++
		for _, th := range page.Threads {
			ids = append(ids, th.Comment.ID)
		}
		if page.Next == "" {
			return ids, pages
		}
		if len(page.Threads) != limit {
			t.Fatalf("page %d has %d threads and a next cursor, want %d", pages, len(page.Threads), limit)
		}
		after = page.Next
	}
}

func TestFindCommentsPagination(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		s := f.story("s")
		authors := []*masthead.Account{f.subscriber("Ann", "basic"), f.subscriber("Bob", "basic")}
		// 53 comments: created in groups of 4 at one time, respects in
		// groups of 5, so that both keys tie across page boundaries.
		const n = 53
		ids := seedComments(t, db, s.ID, authors, n,
			func(i int) time.Time { return epoch.Add(-time.Duration(n-i/4) * time.Minute) },
			func(i int) int { return i % 5 })
		// Two featured comments come first in every order.
		featured := []int64{ids[10], ids[40]}
		exec(t, db, `UPDATE comments SET featured = $1 WHERE id IN ($2, $3)`, true, featured[0], featured[1])

		type row struct {
			id       int64
			featured bool
			at       time.Time
			respects int
		}
		var rows []row
		for i, id := range ids {
			rows = append(rows, row{id, slices.Contains(featured, id), epoch.Add(-time.Duration(n-i/4) * time.Minute), i % 5})
		}
		for _, sort := range []masthead.CommentSort{masthead.SortNewest, masthead.SortOldest, masthead.SortRespected} {
			want := slices.Clone(rows)
			slices.SortFunc(want, func(a, b row) int {
				if a.featured != b.featured {
					if a.featured {
						return -1
					}
					return 1
				}
				switch sort {
				case masthead.SortOldest:
					if c := a.at.Compare(b.at); c != 0 {
						return c
					}
					return int(a.id - b.id)
				case masthead.SortRespected:
					if a.respects != b.respects {
						return b.respects - a.respects
					}
				default:
					if c := b.at.Compare(a.at); c != 0 {
						return c
					}
				}
				return int(b.id - a.id)
			})
			var wantIDs []int64
			for _, r := range want {
				wantIDs = append(wantIDs, r.id)
			}
			for _, limit := range []int{1, 7, 10, 53, 100} {
				t.Run(fmt.Sprintf("%s by %d", sort, limit), func(t *testing.T) {
					got, pages := allPages(t, f.svc, s.ID, sort, limit)
					if !slices.Equal(got, wantIDs) {
						t.Errorf("IDs = %v\nwant %v", got, wantIDs)
					}
					if wantPages := max(1, (n+limit-1)/limit); pages != wantPages {
						t.Errorf("pages = %d, want %d", pages, wantPages)
					}
				})
			}
		}
		page, err := f.svc.FindComments(ctx, masthead.CommentFilter{StoryID: s.ID})
		if err != nil || len(page.Threads) != 50 || page.Total != n || page.Next == "" {
			t.Errorf("default page = %d threads, total %d, next %q, %v; want 50, 53", len(page.Threads), page.Total, page.Next, err)
		}
		_, err = f.svc.FindComments(ctx, masthead.CommentFilter{StoryID: s.ID, Sort: "best"})
		wantErr(t, "bad sort", err, masthead.EINVALID, masthead.Msg(masthead.MsgCommentSortInvalid))
		for _, after := range []string{"garbage!", base64.RawURLEncoding.EncodeToString([]byte("newest.2.1.1")),
			base64.RawURLEncoding.EncodeToString([]byte("newest.0.x.1"))} {
			_, err = f.svc.FindComments(ctx, masthead.CommentFilter{StoryID: s.ID, After: after})
			wantErr(t, "bad cursor "+after, err, masthead.EINVALID, masthead.Msg(masthead.MsgCommentCursorInvalid))
		}
		_, err = f.svc.FindComments(ctx, masthead.CommentFilter{StoryID: s.ID, Sort: masthead.SortOldest, After: page.Next})
		wantErr(t, "cursor of another sort", err, masthead.EINVALID, "")
		_, err = f.svc.FindComments(ctx, masthead.CommentFilter{StoryID: 999999})
		wantErr(t, "unknown story", err, masthead.ENOTFOUND, "")
	})
}

func TestFindCommentsThreads(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		s := f.story("s")
		var readers []*masthead.Account
		for i := range 30 {
			readers = append(readers, f.subscriber(fmt.Sprintf("Reader %d", i), "basic"))
		}
		a := f.post("s", 0, readers[0], "Thread A")
		b := f.post("s", 0, readers[1], "Thread B")
		// 25 replies under A: the page shows 20.
		var replies []int64
		for i := range 25 {
			f.advance(time.Second)
			replies = append(replies, f.post("s", a.ID, readers[i+2], "reply").ID)
		}
		viewer := readers[29]
		if _, _, err := f.svc.ToggleRespect(ctx, replies[3], viewer.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.svc.ToggleRespect(ctx, b.ID, viewer.ID); err != nil {
			t.Fatal(err)
		}
		page, err := f.svc.FindComments(ctx, masthead.CommentFilter{StoryID: s.ID, Sort: masthead.SortOldest, ViewerID: viewer.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Threads) != 2 || page.Total != 27 || page.Next != "" {
			t.Fatalf("page = %d threads, total %d, next %q", len(page.Threads), page.Total, page.Next)
		}
		ta, tb := page.Threads[0], page.Threads[1]
		if ta.Comment.ID != a.ID || len(ta.Replies) != 20 || ta.MoreReplies != 5 || tb.Comment.ID != b.ID || len(tb.Replies) != 0 || tb.MoreReplies != 0 {
			t.Fatalf("threads: A %d with %d replies and %d more; B %d with %d and %d more",
				ta.Comment.ID, len(ta.Replies), ta.MoreReplies, tb.Comment.ID, len(tb.Replies), tb.MoreReplies)
		}
		for i, r := range ta.Replies {
			if r.ID != replies[i] || r.AuthorName != fmt.Sprintf("Reader %d", i+2) || r.Respected != (i == 3) {
				t.Errorf("reply %d = %d by %q respected %v", i, r.ID, r.AuthorName, r.Respected)
			}
		}
		if !tb.Comment.Respected || ta.Comment.Respected || tb.Comment.Respects != 1 {
			t.Errorf("Respected: A %v, B %v (%d)", ta.Comment.Respected, tb.Comment.Respected, tb.Comment.Respects)
		}
		// Staff and deleted authors.
		exec(t, db, `UPDATE accounts SET role = 'editor' WHERE id = $1`, readers[0].ID)
		exec(t, db, `UPDATE accounts SET display_name = NULL, display_name_key = NULL, email = NULL, email_key = NULL,
	password_hash = NULL, deleted_at = $1 WHERE id = $2`, timeArg(db, epoch), readers[1].ID)
		page, err = f.svc.FindComments(ctx, masthead.CommentFilter{StoryID: s.ID, Sort: masthead.SortOldest})
		if err != nil {
			t.Fatal(err)
		}
		if c := page.Threads[0].Comment; !c.AuthorStaff || c.AuthorName != "Reader 0" {
			t.Errorf("staff author: %+v", c)
		}
		if c := page.Threads[1].Comment; c.AuthorStaff || c.AuthorName != "" || c.Respected {
			t.Errorf("deleted author: %+v", c)
		}
	})
}

// TestFindCommentsCost checks that a page of a story with 2,000 comments
// costs as many queries as one of a story with 10.
func TestFindCommentsCost(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		authors := []*masthead.Account{f.subscriber("Ann", "basic"), f.subscriber("Bob", "basic")}
		var queries int
		sqldb.CountCommentQueries(f.svc, func() { queries++ })
		cost := map[string]int{}
		for _, n := range []int{10, 2000} {
			s := f.story(fmt.Sprintf("s%d", n))
			ids := seedComments(t, db, s.ID, authors, n, func(i int) time.Time { return epoch.Add(time.Duration(i) * time.Second) },
				func(i int) int { return 0 })
			// Every thread has a reply.
			exec(t, db, `INSERT INTO comments (story_id, parent_id, root_id, reply_to_id, depth, author_id, body, body_html,
	status, created_at, updated_at)
SELECT story_id, id, id, id, 1, $2, 'r', '<p>r</p>', 'published', created_at, created_at FROM comments WHERE story_id = $1`,
				s.ID, authors[0].ID)
			exec(t, db, `UPDATE comments SET reply_count = 1, thread_replies = 1 WHERE story_id = $1 AND depth = 0`, s.ID)
			queries = 0
			page, err := f.svc.FindComments(ctx, masthead.CommentFilter{StoryID: s.ID, ViewerID: authors[1].ID})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Threads) != min(n, 50) || len(page.Threads[0].Replies) != 1 || page.Total != n {
				t.Fatalf("page of %d: %d threads, total %d", n, len(page.Threads), page.Total)
			}
			cost[s.Slug] = queries
			_ = ids
		}
		if cost["s10"] != cost["s2000"] || cost["s10"] > 3 {
			t.Errorf("queries per page = %v, want the same, at most 3", cost)
		}
	})
}

func TestCommentEventsNotify(t *testing.T) {
	forEachEngine(t, func(t *testing.T, url string) {
		if !strings.HasPrefix(url, "postgres") {
			return // NOTIFY is PostgreSQL's
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		clk := &fakeClock{t: epoch}
		db := openDB(t, url, clk)
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(ctx, `LISTEN `+sqldb.CommentEventsChannel); err != nil {
			t.Fatal(err)
		}
		f := newComments(t, db, clk)
		f.story("s")
		ann := f.subscriber("Ann", "basic")
		free := f.subscriber("Free", "")
		if _, err := f.svc.PostComment(ctx, masthead.NewComment{StorySlug: "s", AuthorID: free.ID, Body: "no"}); err == nil {
			t.Fatal("PostComment on the Free plan succeeded")
		}
		c := f.post("s", 0, ann, "Hello")
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ev masthead.CommentEvent
		if err := json.Unmarshal([]byte(n.Payload), &ev); err != nil {
			t.Fatalf("payload %q: %v", n.Payload, err)
		}
		if ev.Kind != "posted" || ev.CommentID != c.ID || ev.StoryID != c.StoryID || ev.ID == 0 || !ev.At.Equal(epoch) {
			t.Errorf("notified %+v (%s), want the posting of %d", ev, n.Payload, c.ID)
		}
		if got := f.heard(); len(got) != 1 {
			t.Errorf("OnEvent = %v, want one event", got)
		}
	})
}

// Many subscribers posting on one story at once all succeed: no deadlock
// on PostgreSQL, no "database is locked" on SQLite, and the story's count
// and events match.
func TestConcurrentPosting(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		f.story("busy")
		const posters = 16
		authors := make([]*masthead.Account, posters)
		names := []string{"Amara Obi", "Bruno Costa", "Chen Wei", "Dagny Berg", "Emeka Eze", "Farah Aziz", "Goran Kovac", "Hana Sato",
			"Ivo Petrov", "Jomo Kariuki", "Kofi Boateng", "Lucia Romero", "Maja Novak", "Nour Haddad", "Omar Farouk", "Priya Nair"}
		for i := range authors {
			authors[i] = f.subscriber(names[i], "basic")
		}
		top := f.post("busy", 0, authors[0], "The first comment, to reply to.")
		errs := make(chan error, posters*2)
		var wg sync.WaitGroup
		for i, a := range authors {
			wg.Go(func() {
				_, err := f.svc.PostComment(ctx, masthead.NewComment{StorySlug: "busy", AuthorID: a.ID,
					Body: fmt.Sprintf("Top-level comment %d.", i)})
				errs <- err
			})
			wg.Go(func() {
				_, err := f.svc.PostComment(ctx, masthead.NewComment{StorySlug: "busy", ParentID: top.ID, AuthorID: authors[(i+1)%posters].ID,
					Body: fmt.Sprintf("A reply %d.", i)})
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		ok := 0
		for err := range errs {
			switch {
			case err == nil:
				ok++
			case masthead.ErrorCode(err) == masthead.ERATELIMIT:
				// Two posts by one author at once: the interval limit.
			default:
				t.Errorf("PostComment: %v", err)
			}
		}
		if got, want := f.commentCount("busy"), ok+1; got != want {
			t.Errorf("comment count = %d, want %d", got, want)
		}
	})
}

// A comment with a reply waiting for approval cannot be edited, as one
// with a published reply cannot: an edit held for review would leave the
// reply to be published under a comment nobody sees.
func TestEditCommentWithPendingReply(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newModFixture(t, db, clk, sqldb.ModerationSettings{})
		f.story("s")
		ann := f.subscriber("Ann", "basic")
		bob := f.subscriber("Bob", "basic")
		top := f.posted("s", 0, ann, "Ann's thread.")
		mid := f.posted("s", top.ID, ann, "Ann adds to it.")
		deep := f.posted("s", mid.ID, ann, "Ann at the deepest level.")
		f.held("s", top.ID, bob, "Bob's held reply to the thread.")
		f.held("s", deep.ID, bob, "Bob's held reply to the deepest.") // hangs under mid
		alone := f.posted("s", 0, ann, "Nobody replies.")

		tests := []struct {
			name string
			c    *masthead.Comment
			code string
		}{
			{"pending reply", top, masthead.EFORBIDDEN},
			{"pending reply to the deepest comment", deep, masthead.EFORBIDDEN},
			{"no reply", alone, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := f.svc.EditComment(ctx, tt.c.ID, ann.ID, tt.c.Body+" Edited.")
				if tt.code == "" {
					if err != nil {
						t.Errorf("EditComment: %v", err)
					}
					return
				}
				wantErr(t, "EditComment", err, tt.code, masthead.Msg(masthead.MsgCommentEditHasReplies))
				if got := f.find(tt.c.ID).Body; got != tt.c.Body {
					t.Errorf("body after a refused edit: got %q, want %q", got, tt.c.Body)
				}
			})
		}
	})
}
