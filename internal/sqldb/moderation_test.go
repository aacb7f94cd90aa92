package sqldb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"masthead"
	"masthead/internal/sqldb"
)

// modFixture is the comments fixture with a moderation service and staff.
type modFixture struct {
	*commentsFixture
	mod    *sqldb.ModerationService
	actor  masthead.Actor
	editor masthead.Actor
}

func newModFixture(t *testing.T, db *sqldb.DB, clk *fakeClock, settings sqldb.ModerationSettings) *modFixture {
	t.Helper()
	f := &modFixture{commentsFixture: newComments(t, db, clk)}
	f.mod = sqldb.NewModerationService(db, f.svc, settings)
	ctx := context.Background()
	m, err := f.accts.CreateStaff(ctx, "moderator@example.com", password, masthead.RoleModerator)
	if err != nil {
		t.Fatalf("CreateStaff: %v", err)
	}
	e, err := f.accts.CreateStaff(ctx, "editor@example.com", password, masthead.RoleEditor)
	if err != nil {
		t.Fatalf("CreateStaff: %v", err)
	}
	f.actor = masthead.Actor{ID: m.ID, Role: m.Role, IP: "192.0.2.1"}
	f.editor = masthead.Actor{ID: e.ID, Role: e.Role, IP: "192.0.2.2"}
	return f
}

// held stores a comment or reply waiting for review, as a held post is
// stored: pending, counted nowhere.
func (f *modFixture) held(slug string, parent int64, author *masthead.Account, body string) *masthead.Comment {
	f.t.Helper()
	st, err := f.stories.FindStoryBySlug(context.Background(), slug)
	if err != nil {
		f.t.Fatalf("FindStoryBySlug: %v", err)
	}
	f.advance(time.Second)
	now := f.clk.Now()
	var parentID, rootID, replyTo any
	depth := 0
	if parent != 0 {
		p := f.find(parent)
		parentID, rootID, replyTo, depth = p.ID, p.RootID, p.ID, p.Depth+1
		if p.Depth >= masthead.MaxCommentDepth {
			parentID, depth = p.ParentID, masthead.MaxCommentDepth
		}
	}
	var id int64
	if err := writer(f.t, f.db).QueryRow(`INSERT INTO comments (story_id, parent_id, root_id, reply_to_id, depth,
	author_id, body, body_html, status, hold_reason, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 'premoderation', $9, $9) RETURNING id`,
		st.ID, parentID, rootID, replyTo, depth, author.ID, body, "<p>"+body+"</p>", timeArg(f.db, now)).Scan(&id); err != nil {
		f.t.Fatalf("insert held comment: %v", err)
	}
	return f.find(id)
}

// posted posts a published comment a second after the last one.
func (f *modFixture) posted(slug string, parent int64, author *masthead.Account, body string) *masthead.Comment {
	f.t.Helper()
	f.advance(time.Minute)
	return f.post(slug, parent, author, body)
}

// outbox returns the queued messages of the kind: their address and data.
func (f *modFixture) outbox(kind masthead.EmailKind) []map[string]string {
	f.t.Helper()
	rows, err := pool(f.t, f.db).Query(`SELECT to_address, data FROM outbox WHERE kind = $1 ORDER BY id`, string(kind))
	if err != nil {
		f.t.Fatalf("outbox: %v", err)
	}
	defer rows.Close()
	var out []map[string]string
	for rows.Next() {
		var to, data string
		if err := rows.Scan(&to, &data); err != nil {
			f.t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal([]byte(data), &m); err != nil {
			f.t.Fatal(err)
		}
		m["to"] = to
		out = append(out, m)
	}
	return out
}

// checkCounts recounts every story's comment count and every comment's
// reply counts from the comments table and compares them with the kept
// ones.
func checkCounts(t *testing.T, db *sqldb.DB) {
	t.Helper()
	for _, q := range []struct{ name, sql string }{
		{"story comment_count", `SELECT s.id, s.comment_count, (SELECT COUNT(*) FROM comments c
	WHERE c.story_id = s.id AND c.status = 'published') FROM stories s`},
		{"reply_count", `SELECT p.id, p.reply_count, (SELECT COUNT(*) FROM comments r
	WHERE r.status = 'published' AND (r.parent_id = p.id OR r.reply_to_id = p.id)) FROM comments p`},
		{"thread_replies", `SELECT p.id, p.thread_replies, (SELECT COUNT(*) FROM comments r
	WHERE r.status = 'published' AND r.root_id = p.id) FROM comments p`},
	} {
		rows, err := pool(t, db).Query(q.sql)
		if err != nil {
			t.Fatalf("%s: %v", q.name, err)
		}
		for rows.Next() {
			var id int64
			var kept, counted int
			if err := rows.Scan(&id, &kept, &counted); err != nil {
				t.Fatal(err)
			}
			if kept != counted {
				t.Errorf("%s of %d: got %d, want %d (recounted)", q.name, id, kept, counted)
			}
		}
		rows.Close()
	}
}

func TestModerateTransitions(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newModFixture(t, db, clk, sqldb.ModerationSettings{})
		f.story("a")
		ann := f.subscriber("Ann", "basic")
		bob := f.subscriber("Bob", "basic")

		// inState returns a fresh comment in the state.
		inState := func(state string) *masthead.Comment {
			switch state {
			case "pending":
				return f.held("a", 0, ann, "Held "+fmt.Sprint(clk.Now().UnixNano()))
			case "published", "featured", "rejected", "deleted", "reported":
				c := f.posted("a", 0, ann, "Posted "+fmt.Sprint(clk.Now().UnixNano()))
				switch state {
				case "featured":
					exec(t, db, `UPDATE comments SET featured = TRUE WHERE id = $1`, c.ID)
				case "rejected":
					exec(t, db, `UPDATE comments SET status = 'rejected', reject_reason = 'spam' WHERE id = $1`, c.ID)
					exec(t, db, `UPDATE stories SET comment_count = comment_count - 1 WHERE id = $1`, c.StoryID)
				case "deleted":
					if err := f.svc.DeleteComment(ctx, c.ID, ann.ID); err != nil {
						t.Fatal(err)
					}
				case "reported":
					if err := f.svc.ReportComment(ctx, c.ID, bob.ID, "spam", ""); err != nil {
						t.Fatal(err)
					}
				}
				return f.find(c.ID)
			}
			t.Fatalf("no state %q", state)
			return nil
		}
		tests := []struct {
			state    string
			action   masthead.ModerationAction
			reason   string
			wantErr  string
			status   masthead.CommentStatus
			featured bool
		}{
			{"pending", masthead.ModApprove, "", "", masthead.CommentPublished, false},
			{"pending", masthead.ModReject, "off topic", "", masthead.CommentRejected, false},
			{"pending", masthead.ModReject, "  ", masthead.EINVALID, masthead.CommentPending, false},
			{"pending", masthead.ModFeature, "", masthead.EINVALID, masthead.CommentPending, false},
			{"pending", masthead.ModRestore, "", masthead.EINVALID, masthead.CommentPending, false},
			{"published", masthead.ModApprove, "", masthead.EINVALID, masthead.CommentPublished, false},
			{"reported", masthead.ModApprove, "", "", masthead.CommentPublished, false},
			{"published", masthead.ModReject, "abuse", "", masthead.CommentRejected, false},
			{"featured", masthead.ModReject, "abuse", "", masthead.CommentRejected, false},
			{"published", masthead.ModFeature, "", "", masthead.CommentPublished, true},
			{"featured", masthead.ModFeature, "", masthead.EINVALID, masthead.CommentPublished, true},
			{"featured", masthead.ModUnfeature, "", "", masthead.CommentPublished, false},
			{"published", masthead.ModUnfeature, "", masthead.EINVALID, masthead.CommentPublished, false},
			{"published", masthead.ModRestore, "", masthead.EINVALID, masthead.CommentPublished, false},
			{"rejected", masthead.ModRestore, "", "", masthead.CommentPublished, false},
			{"rejected", masthead.ModReject, "again", masthead.EINVALID, masthead.CommentRejected, false},
			{"rejected", masthead.ModApprove, "", masthead.EINVALID, masthead.CommentRejected, false},
			{"deleted", masthead.ModReject, "late", masthead.EINVALID, masthead.CommentDeleted, false},
			{"deleted", masthead.ModRestore, "", masthead.EINVALID, masthead.CommentDeleted, false},
			{"published", "shout", "", masthead.EINVALID, masthead.CommentPublished, false},
		}
		for _, tt := range tests {
			name := fmt.Sprintf("%s %s", tt.action, tt.state)
			if tt.wantErr != "" {
				name += " refused"
			}
			t.Run(name, func(t *testing.T) {
				c := inState(tt.state)
				err := f.mod.Moderate(ctx, f.actor, []int64{c.ID}, tt.action, tt.reason)
				if got := errCode(err); got != tt.wantErr {
					t.Fatalf("Moderate: got %q (%v), want %q", got, err, tt.wantErr)
				}
				got := f.find(c.ID)
				if got.Status != tt.status || got.Featured != tt.featured {
					t.Errorf("after: got %s featured=%v, want %s featured=%v", got.Status, got.Featured, tt.status, tt.featured)
				}
			})
		}
		checkCounts(t, db)
	})
}

func TestModerateCountsStayConsistent(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newModFixture(t, db, clk, sqldb.ModerationSettings{})
		f.story("a")
		f.story("b")
		ann := f.subscriber("Ann", "basic")
		bob := f.subscriber("Bob", "basic")

		top := f.posted("a", 0, ann, "Ann's thread.")
		r1 := f.posted("a", top.ID, bob, "Bob replies.")
		r2 := f.posted("a", r1.ID, ann, "Ann answers Bob.")
		heldTop := f.held("a", 0, bob, "Bob's held thread.")
		heldReply := f.held("a", top.ID, bob, "Bob's held reply.")
		heldDeep := f.held("a", r2.ID, bob, "Bob's held reply at the deepest level.")
		other := f.posted("b", 0, bob, "Bob on b.")
		heldOther := f.held("b", other.ID, ann, "Ann's held reply on b.")
		checkCounts(t, db)

		steps := []struct {
			name   string
			ids    []int64
			action masthead.ModerationAction
			reason string
		}{
			{"approve held", []int64{heldTop.ID, heldReply.ID, heldDeep.ID, heldOther.ID}, masthead.ModApprove, ""},
			{"reject a reply with replies", []int64{r1.ID}, masthead.ModReject, "abuse"},
			{"reject a thread", []int64{top.ID}, masthead.ModReject, "abuse"},
			{"restore the reply", []int64{r1.ID}, masthead.ModRestore, ""},
			{"feature", []int64{other.ID, heldTop.ID}, masthead.ModFeature, ""},
			{"reject a deep reply and a reply on b", []int64{heldDeep.ID, heldOther.ID}, masthead.ModReject, "spam"},
			{"restore them", []int64{heldDeep.ID, heldOther.ID, top.ID}, masthead.ModRestore, ""},
			{"reject again", []int64{r2.ID, heldReply.ID}, masthead.ModReject, "spam"},
		}
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				if err := f.mod.Moderate(ctx, f.actor, st.ids, st.action, st.reason); err != nil {
					t.Fatalf("Moderate: %v", err)
				}
				checkCounts(t, db)
			})
		}

		// r2 is rejected but heldDeep replies to it: it keeps its place as
		// a placeholder, without its text, as a deleted comment does;
		// heldReply, rejected without replies, is not shown.
		if got := f.find(r2.ID).Status; got != masthead.CommentRejected {
			t.Fatalf("r2: got %s, want rejected", got)
		}
		st, err := f.stories.FindStoryBySlug(ctx, "a")
		if err != nil {
			t.Fatal(err)
		}
		page, err := f.svc.FindComments(ctx, masthead.CommentFilter{StoryID: st.ID, Sort: masthead.SortOldest})
		if err != nil {
			t.Fatalf("FindComments: %v", err)
		}
		var shown []string
		for _, th := range page.Threads {
			for _, c := range append([]*masthead.Comment{th.Comment}, th.Replies...) {
				shown = append(shown, fmt.Sprintf("%d %s %q", c.ID, c.Status, c.Body))
			}
		}
		want := []string{
			fmt.Sprintf("%d published %q", heldTop.ID, heldTop.Body), // featured: first
			fmt.Sprintf("%d published %q", top.ID, top.Body),
			fmt.Sprintf("%d published %q", r1.ID, r1.Body),
			fmt.Sprintf("%d deleted %q", r2.ID, ""),
			fmt.Sprintf("%d published %q", heldDeep.ID, heldDeep.Body),
		}
		if !slices.Equal(shown, want) {
			t.Errorf("story a shows:\n%s\nwant:\n%s", strings.Join(shown, "\n"), strings.Join(want, "\n"))
		}
	})
}

func TestModerateSideEffects(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newModFixture(t, db, clk, sqldb.ModerationSettings{})
		f.story("a", func(s *masthead.Story) { s.Headline = "The headline" })
		ann := f.subscriber("Ann", "basic")
		bob := f.subscriber("Bob", "basic")
		carol := f.subscriber("Carol", "basic")
		top := f.posted("a", 0, ann, "Ann's thread.")
		reply := f.held("a", top.ID, bob, "Bob's held reply.")
		rude := f.posted("a", 0, carol, "Carol is rude.")
		if err := f.svc.ReportComment(ctx, rude.ID, ann.ID, "abuse", "Rude."); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.ReportComment(ctx, rude.ID, bob.ID, "other", "Very rude."); err != nil {
			t.Fatal(err)
		}
		counts, err := f.mod.QueueCounts(ctx)
		if err != nil || counts != (masthead.QueueCounts{Pending: 1, Reported: 1}) {
			t.Fatalf("QueueCounts: got %+v, %v; want 1 pending, 1 reported", counts, err)
		}
		f.events = nil

		t.Run("editor refused", func(t *testing.T) {
			err := f.mod.Moderate(ctx, f.editor, []int64{reply.ID}, masthead.ModApprove, "")
			if got := errCode(err); got != masthead.EFORBIDDEN {
				t.Fatalf("Moderate as editor: got %q, want %q", got, masthead.EFORBIDDEN)
			}
			if got := f.find(reply.ID).Status; got != masthead.CommentPending {
				t.Errorf("status: got %s, want pending", got)
			}
		})

		if err := f.mod.Moderate(ctx, f.actor, []int64{reply.ID}, masthead.ModApprove, ""); err != nil {
			t.Fatalf("approve: %v", err)
		}
		if err := f.mod.Moderate(ctx, f.actor, []int64{rude.ID}, masthead.ModReject, "Personal attack"); err != nil {
			t.Fatalf("reject: %v", err)
		}

		t.Run("live events", func(t *testing.T) {
			want := []string{fmt.Sprintf("posted %d", reply.ID), fmt.Sprintf("removed %d", rude.ID)}
			if got := f.heard(); !slices.Equal(got, want) {
				t.Errorf("events: got %v, want %v", got, want)
			}
		})
		t.Run("emails", func(t *testing.T) {
			approved := f.outbox(masthead.EmailCommentApproved)
			if len(approved) != 1 || approved[0]["to"] != bob.Email || approved[0]["story_headline"] != "The headline" ||
				approved[0]["story_slug"] != "a" || approved[0]["excerpt"] != "Bob's held reply." {
				t.Errorf("approved emails: got %v", approved)
			}
			rejected := f.outbox(masthead.EmailCommentRejected)
			if len(rejected) != 1 || rejected[0]["to"] != carol.Email || rejected[0]["reason"] != "Personal attack" ||
				rejected[0]["excerpt"] != "Carol is rude." {
				t.Errorf("rejected emails: got %v", rejected)
			}
			replies := f.outbox(masthead.EmailCommentReply)
			if len(replies) != 1 || replies[0]["to"] != ann.Email {
				t.Errorf("reply emails: got %v, want one to Ann", replies)
			}
		})
		t.Run("reports resolved", func(t *testing.T) {
			var open, unresolved int
			if err := pool(t, db).QueryRow(`SELECT open_reports, (SELECT COUNT(*) FROM comment_reports
	WHERE comment_id = $1 AND resolved_at IS NULL) FROM comments WHERE id = $1`, rude.ID).Scan(&open, &unresolved); err != nil {
				t.Fatal(err)
			}
			if open != 0 || unresolved != 0 {
				t.Errorf("open reports %d, unresolved %d; want 0, 0", open, unresolved)
			}
			counts, err := f.mod.QueueCounts(ctx)
			if err != nil || counts != (masthead.QueueCounts{}) {
				t.Errorf("QueueCounts: got %+v, %v; want none", counts, err)
			}
		})
		t.Run("audit", func(t *testing.T) {
			entries, err := sqldb.NewAuditService(db).FindAuditEntries(ctx, masthead.AuditFilter{TargetType: "comment"})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range entries {
				got = append(got, strings.Join([]string{e.Action, e.TargetID, e.Before, e.After, e.Reason, e.IP, e.ActorName}, " | "))
			}
			want := []string{
				fmt.Sprintf(`comment.reject | %d | {"status":"published","featured":false} | {"status":"rejected","featured":false} | Personal attack | 192.0.2.1 | moderator@example.com`, rude.ID),
				fmt.Sprintf(`comment.approve | %d | {"status":"pending","featured":false} | {"status":"published","featured":false} |  | 192.0.2.1 | moderator@example.com`, reply.ID),
			}
			if !slices.Equal(got, want) {
				t.Errorf("audit entries:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	})
}

func TestModerateBulk(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newModFixture(t, db, clk, sqldb.ModerationSettings{MaxBatch: 3})
		f.story("a")
		ann := f.subscriber("Ann", "basic")
		h1 := f.held("a", 0, ann, "One.")
		h2 := f.held("a", 0, ann, "Two.")
		pub := f.posted("a", 0, ann, "Three.")

		tests := []struct {
			name     string
			ids      []int64
			wantErr  string
			field    string
			contains string
		}{
			{"none", nil, masthead.EINVALID, "ids", "at least one"},
			{"too many", []int64{1, 2, 3, 4}, masthead.EINVALID, "ids", "At most 3"},
			{"some left", []int64{h1.ID, pub.ID, 999999, h1.ID}, masthead.EINVALID, "ids", "1 of 3 comments were changed"},
			{"all left", []int64{h1.ID, pub.ID}, masthead.EINVALID, "ids", "0 of 2"},
			{"one left", []int64{pub.ID}, masthead.EINVALID, "ids", fmt.Sprintf("Comment %d is neither", pub.ID)},
			{"all valid", []int64{h2.ID}, "", "", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := f.mod.Moderate(ctx, f.actor, tt.ids, masthead.ModApprove, "")
				if got := errCode(err); got != tt.wantErr {
					t.Fatalf("Moderate: got %q (%v), want %q", got, err, tt.wantErr)
				}
				if got := masthead.ErrorField(err); got != tt.field {
					t.Errorf("field: got %q, want %q", got, tt.field)
				}
				if msg := masthead.ErrorMessage(err); !strings.Contains(msg, tt.contains) {
					t.Errorf("message: got %q, want it to contain %q", msg, tt.contains)
				}
			})
		}
		for _, c := range []*masthead.Comment{h1, h2, pub} {
			if got := f.find(c.ID).Status; got != masthead.CommentPublished {
				t.Errorf("comment %d: got %s, want published", c.ID, got)
			}
		}
		entries, err := sqldb.NewAuditService(db).FindAuditEntries(ctx, masthead.AuditFilter{Action: masthead.AuditCommentApprove})
		if err != nil || len(entries) != 2 {
			t.Errorf("approve entries: got %d, %v; want 2 (one per comment changed)", len(entries), err)
		}
		checkCounts(t, db)
	})
}

func TestFindQueue(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newModFixture(t, db, clk, sqldb.ModerationSettings{PageSize: 2})
		f.story("a", func(s *masthead.Story) { s.Headline = "Story A" })
		ann := f.subscriber("Ann", "basic")
		bob := f.subscriber("Bob", "basic")
		carol := f.subscriber("Carol", "basic")
		top := f.posted("a", 0, ann, "Ann's thread.")
		p1 := f.held("a", top.ID, bob, "Held one.")
		p2 := f.held("a", 0, bob, "Held two.")
		p3 := f.held("a", 0, carol, "Held three.")
		once := f.posted("a", 0, bob, "Reported once.")
		twice := f.posted("a", 0, carol, "Reported twice.")
		for _, r := range []struct {
			c  *masthead.Comment
			by *masthead.Account
		}{{once, ann}, {twice, ann}, {twice, bob}} {
			if err := f.svc.ReportComment(ctx, r.c.ID, r.by.ID, "spam", ""); err != nil {
				t.Fatal(err)
			}
		}
		rej1 := f.posted("a", 0, ann, "To reject first.")
		rej2 := f.posted("a", 0, ann, "To reject second.")
		if err := f.mod.Moderate(ctx, f.actor, []int64{rej1.ID, rej2.ID}, masthead.ModReject, "spam"); err != nil {
			t.Fatal(err)
		}

		all := func(q masthead.ModerationQueue) ([]int64, int) {
			t.Helper()
			var ids []int64
			after, pages := "", 0
			for {
				page, err := f.mod.FindQueue(ctx, masthead.QueueFilter{Queue: q, After: after})
				if err != nil {
					t.Fatalf("FindQueue(%s): %v", q, err)
				}
				pages++
				for _, it := range page.Items {
					ids = append(ids, it.Comment.ID)
				}
				if page.Next == "" {
					return ids, pages
				}
				after = page.Next
			}
		}
		for _, tt := range []struct {
			queue masthead.ModerationQueue
			want  []int64
		}{
			{masthead.QueuePending, []int64{p1.ID, p2.ID, p3.ID}},
			{masthead.QueueReported, []int64{twice.ID, once.ID}},
			{masthead.QueueRejected, []int64{rej2.ID, rej1.ID}},
			{masthead.QueueRecent, []int64{rej2.ID, rej1.ID, twice.ID, once.ID, p3.ID, p2.ID, p1.ID, top.ID}},
		} {
			t.Run(string(tt.queue), func(t *testing.T) {
				got, pages := all(tt.queue)
				if !slices.Equal(got, tt.want) {
					t.Errorf("items: got %v, want %v", got, tt.want)
				}
				if want := (len(tt.want) + 1) / 2; pages != want {
					t.Errorf("pages: got %d, want %d", pages, want)
				}
			})
		}

		t.Run("context", func(t *testing.T) {
			page, err := f.mod.FindQueue(ctx, masthead.QueueFilter{Queue: masthead.QueuePending, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			it := page.Items[0]
			if it.StorySlug != "a" || it.StoryHeadline != "Story A" || it.HoldReason != "premoderation" {
				t.Errorf("story and hold reason: got %q %q %q", it.StorySlug, it.StoryHeadline, it.HoldReason)
			}
			if it.Parent == nil || it.Parent.ID != top.ID || it.Parent.Body != top.Body {
				t.Errorf("parent: got %+v, want comment %d", it.Parent, top.ID)
			}
			if page.Items[1].Parent != nil {
				t.Errorf("top-level item's parent: got %+v, want nil", page.Items[1].Parent)
			}
			rep, err := f.mod.FindQueue(ctx, masthead.QueueFilter{Queue: masthead.QueueReported})
			if err != nil {
				t.Fatal(err)
			}
			if got := rep.Items[0].Reports; len(got) != 2 || got[0].ReporterName != "Bob" || got[0].Reason != "spam" {
				t.Errorf("reports: got %+v, want Bob's then Ann's", got)
			}
			rej, err := f.mod.FindQueue(ctx, masthead.QueueFilter{Queue: masthead.QueueRejected})
			if err != nil {
				t.Fatal(err)
			}
			if got := rej.Items[0].RejectReason; got != "spam" {
				t.Errorf("reject reason: got %q, want spam", got)
			}
		})

		t.Run("refused", func(t *testing.T) {
			first, err := f.mod.FindQueue(ctx, masthead.QueueFilter{Queue: masthead.QueuePending})
			if err != nil {
				t.Fatal(err)
			}
			for _, flt := range []masthead.QueueFilter{
				{Queue: "everything"},
				{Queue: masthead.QueuePending, After: "not a cursor"},
				{Queue: masthead.QueueRejected, After: first.Next},
			} {
				if _, err := f.mod.FindQueue(ctx, flt); errCode(err) != masthead.EINVALID {
					t.Errorf("FindQueue(%+v): got %v, want %s", flt, err, masthead.EINVALID)
				}
			}
		})
	})
}

// A comment whose author's account is deleted (who kept their comments)
// is never published by a moderator: approving a held one and restoring a
// rejected one are refused, saying why. Dismissing the reports of one
// still published is not publishing it, and is allowed.
func TestModerateRefusesDeletedAuthor(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newModFixture(t, db, clk, sqldb.ModerationSettings{})
		f.story("a")
		ann := f.subscriber("Ann Leaver", "basic")
		bob := f.subscriber("Bob Stayer", "basic")

		held := f.held("a", 0, ann, "Ann's held comment.")
		rejected := f.posted("a", 0, ann, "Ann's rejected comment.")
		reported := f.posted("a", 0, ann, "Ann's reported comment.")
		if err := f.mod.Moderate(ctx, f.actor, []int64{rejected.ID}, masthead.ModReject, "spam"); err != nil {
			t.Fatalf("Moderate: %v", err)
		}
		if err := f.svc.ReportComment(ctx, reported.ID, bob.ID, "spam", ""); err != nil {
			t.Fatalf("ReportComment: %v", err)
		}
		if err := f.accts.RequestDeletion(ctx, ann.ID, password, false); err != nil {
			t.Fatalf("RequestDeletion: %v", err)
		}
		clk.Set(clk.Now().Add(25 * time.Hour))
		if n, err := f.accts.PurgeDueDeletions(ctx); err != nil || n != 1 {
			t.Fatalf("PurgeDueDeletions = %d, %v; want 1", n, err)
		}

		tests := []struct {
			name    string
			id      int64
			action  masthead.ModerationAction
			wantMsg string // "" for success
			status  masthead.CommentStatus
		}{
			{"approve held", held.ID, masthead.ModApprove, masthead.Msg(masthead.MsgModAuthorDeleted, held.ID), masthead.CommentPending},
			{"restore rejected", rejected.ID, masthead.ModRestore, masthead.Msg(masthead.MsgModAuthorDeleted, rejected.ID), masthead.CommentRejected},
			{"dismiss reports", reported.ID, masthead.ModApprove, "", masthead.CommentPublished},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := f.mod.Moderate(ctx, f.actor, []int64{tt.id}, tt.action, "")
				if tt.wantMsg == "" {
					if err != nil {
						t.Fatalf("Moderate: %v", err)
					}
				} else {
					wantErr(t, "Moderate", err, masthead.EINVALID, tt.wantMsg)
				}
				if got := f.find(tt.id).Status; got != tt.status {
					t.Errorf("status: got %s, want %s", got, tt.status)
				}
			})
		}
		checkCounts(t, db)
	})
}

// A reply under a comment waiting for approval (as a reply held while its
// parent was edited and sent back to review could be, before editing was
// refused for a comment with pending replies) is not published: approving
// or restoring it is refused until its parent is approved.
func TestModerateRefusesReplyUnderHeldComment(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newModFixture(t, db, clk, sqldb.ModerationSettings{})
		f.story("a")
		ann := f.subscriber("Ann", "basic")
		bob := f.subscriber("Bob", "basic")

		top := f.posted("a", 0, ann, "Ann's thread.")
		mid := f.posted("a", top.ID, ann, "Ann adds to it.")
		deep := f.posted("a", mid.ID, ann, "Ann at the deepest level.")
		replies := map[string]*masthead.Comment{
			"to top":    f.held("a", top.ID, bob, "Bob's held reply to the thread."),
			"to mid":    f.held("a", mid.ID, bob, "Bob's held reply to the middle."),
			"to deep":   f.held("a", deep.ID, bob, "Bob's held reply to the deepest."),
			"restore":   f.held("a", top.ID, bob, "Bob's reply, rejected."),
			"top first": f.held("a", top.ID, bob, "Bob's reply, approved with the thread."),
		}
		if err := f.mod.Moderate(ctx, f.actor, []int64{replies["restore"].ID}, masthead.ModReject, "spam"); err != nil {
			t.Fatalf("Moderate: %v", err)
		}
		// Held as holdEdited holds an edited comment.
		hold := func(c *masthead.Comment) {
			exec(t, db, `UPDATE comments SET status = 'pending', hold_reason = 'suspect' WHERE id = $1`, c.ID)
			exec(t, db, `UPDATE stories SET comment_count = comment_count - 1 WHERE id = $1`, c.StoryID)
			if c.Depth > 0 {
				exec(t, db, `UPDATE comments SET reply_count = reply_count - 1 WHERE id = $1`, c.ParentID)
				exec(t, db, `UPDATE comments SET thread_replies = thread_replies - 1 WHERE id = $1`, c.RootID)
			}
		}
		hold(deep) // replied to by "to deep", whose parent is mid
		checkCounts(t, db)

		t.Run("under a held deepest comment", func(t *testing.T) {
			c := replies["to deep"]
			err := f.mod.Moderate(ctx, f.actor, []int64{c.ID}, masthead.ModApprove, "")
			wantErr(t, "Moderate", err, masthead.EINVALID, masthead.Msg(masthead.MsgModParentHidden, c.ID))
		})
		hold(mid)
		t.Run("under a held parent", func(t *testing.T) {
			c := replies["to mid"]
			err := f.mod.Moderate(ctx, f.actor, []int64{c.ID}, masthead.ModApprove, "")
			wantErr(t, "Moderate", err, masthead.EINVALID, masthead.Msg(masthead.MsgModParentHidden, c.ID))
		})
		hold(top)
		checkCounts(t, db)
		tests := []struct {
			name   string
			action masthead.ModerationAction
			status masthead.CommentStatus
		}{
			{"to top", masthead.ModApprove, masthead.CommentPending},
			{"restore", masthead.ModRestore, masthead.CommentRejected},
		}
		for _, tt := range tests {
			t.Run("under a held thread: "+tt.name, func(t *testing.T) {
				c := replies[tt.name]
				err := f.mod.Moderate(ctx, f.actor, []int64{c.ID}, tt.action, "")
				wantErr(t, "Moderate", err, masthead.EINVALID, masthead.Msg(masthead.MsgModParentHidden, c.ID))
				if got := f.find(c.ID).Status; got != tt.status {
					t.Errorf("status: got %s, want %s", got, tt.status)
				}
			})
		}
		checkCounts(t, db)

		// Approving the thread first lets its replies be published, in the
		// same call (in ID order) or later.
		if err := f.mod.Moderate(ctx, f.actor, []int64{top.ID, replies["top first"].ID}, masthead.ModApprove, ""); err != nil {
			t.Fatalf("approve the thread and a reply: %v", err)
		}
		if err := f.mod.Moderate(ctx, f.actor, []int64{replies["restore"].ID}, masthead.ModRestore, ""); err != nil {
			t.Errorf("restore after the thread was approved: %v", err)
		}
		for _, name := range []string{"top first", "restore"} {
			if got := f.find(replies[name].ID).Status; got != masthead.CommentPublished {
				t.Errorf("reply %s: got %s, want published", name, got)
			}
		}
		checkCounts(t, db)
	})
}

// Reports filed before migration 0007 counted no open report; migration
// 0011 counts them, so that their comments reach the reported queue.
func TestMigrationCountsOldReports(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newModFixture(t, db, clk, sqldb.ModerationSettings{})
		f.story("a")
		ann := f.subscriber("Ann", "basic")
		bob := f.subscriber("Bob", "basic")
		cat := f.subscriber("Cat", "basic")

		twice := f.posted("a", 0, ann, "Reported twice.")
		resolved := f.posted("a", 0, ann, "Reported, dealt with.")
		held := f.held("a", 0, ann, "Held, reported.")
		unreported := f.posted("a", 0, ann, "Never reported.")
		// As filed before migration 0007: no open report counted.
		report := func(c *masthead.Comment, by *masthead.Account, resolvedAt any) {
			exec(t, db, `INSERT INTO comment_reports (comment_id, account_id, reason, text, created_at, resolved_at)
VALUES ($1, $2, 'spam', '', $3, $4)`, c.ID, by.ID, timeArg(db, clk.Now()), resolvedAt)
		}
		report(twice, bob, nil)
		report(twice, cat, nil)
		report(resolved, bob, timeArg(db, clk.Now()))
		report(held, bob, nil)
		if got, err := f.mod.QueueCounts(ctx); err != nil || got.Reported != 0 {
			t.Fatalf("QueueCounts before = %+v, %v; want no reported comment", got, err)
		}

		exec(t, db, `DELETE FROM schema_migrations WHERE version = 11`)
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("Migrate: %v", err)
		}

		if got, err := f.mod.QueueCounts(ctx); err != nil || got.Reported != 1 {
			t.Errorf("QueueCounts after = %+v, %v; want 1 reported comment", got, err)
		}
		for _, tt := range []struct {
			name string
			c    *masthead.Comment
			want int
		}{
			{"reported twice", twice, 2},
			{"resolved", resolved, 0},
			{"held", held, 0},
			{"unreported", unreported, 0},
		} {
			t.Run(tt.name, func(t *testing.T) {
				var got int
				if err := pool(t, db).QueryRow(`SELECT open_reports FROM comments WHERE id = $1`, tt.c.ID).Scan(&got); err != nil {
					t.Fatal(err)
				}
				if got != tt.want {
					t.Errorf("open_reports: got %d, want %d", got, tt.want)
				}
			})
		}
		page, err := f.mod.FindQueue(ctx, masthead.QueueFilter{Queue: masthead.QueueReported})
		if err != nil {
			t.Fatalf("FindQueue: %v", err)
		}
		if len(page.Items) != 1 || page.Items[0].Comment.ID != twice.ID || len(page.Items[0].Reports) != 2 {
			t.Errorf("reported queue = %+v; want comment %d with its 2 reports", page.Items, twice.ID)
		}
	})
}

// Approving a published reply its author edited and the policy sent back
// to review does not tell the replied-to author of it again: they were
// told when it was first published.
func TestApproveEditedReplyEmailsOnce(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newModFixture(t, db, clk, sqldb.ModerationSettings{})
		admin := policyAdmin(t, f.commentsFixture)
		setPolicy(t, f.commentsFixture, admin, func(p *masthead.CommentPolicy) { p.SuspectWords = []string{"scam"} })
		f.story("a")
		ann := f.subscriber("Ann", "basic")
		bob := f.subscriber("Bob", "basic")

		top := f.posted("a", 0, ann, "Ann's thread.")
		reply := f.posted("a", top.ID, bob, "Bob replies.")
		told := func() int {
			t.Helper()
			n := 0
			for _, m := range f.outbox(masthead.EmailCommentReply) {
				c, err := strconv.Atoi(m[masthead.ReplyDataCount])
				if err != nil {
					t.Fatalf("reply email count %q: %v", m[masthead.ReplyDataCount], err)
				}
				n += c
			}
			return n
		}
		if got := told(); got != 1 {
			t.Fatalf("replies told after posting: got %d, want 1", got)
		}
		edited, err := f.svc.EditComment(ctx, reply.ID, bob.ID, "Bob replies: a scam!")
		if err != nil || edited.Status != masthead.CommentPending {
			t.Fatalf("EditComment = %+v, %v; want it held", edited, err)
		}
		if err := f.mod.Moderate(ctx, f.actor, []int64{reply.ID}, masthead.ModApprove, ""); err != nil {
			t.Fatalf("Moderate: %v", err)
		}
		if got := told(); got != 1 {
			t.Errorf("replies told after approving the edited reply: got %d, want 1", got)
		}
		checkCounts(t, db)
	})
}
