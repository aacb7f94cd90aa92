package sqldb_test

import (
	"context"
	"testing"
	"time"

	"masthead"
	"masthead/internal/sqldb"
)

// A deleted account's comments are removed or kept as its owner chose, and
// every count that included a removed comment goes down with it.
func TestPurgeHonoursTheCommentsChoice(t *testing.T) {
	for _, remove := range []bool{true, false} {
		name := "keep comments"
		if remove {
			name = "remove comments"
		}
		t.Run(name, func(t *testing.T) {
			forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
				ctx := context.Background()
				f := newComments(t, db, clk)
				f.story("a")
				f.story("b")
				ann := f.subscriber("Ann Leaver", "basic")
				bob := f.subscriber("Bob Stayer", "basic")
				step := func() { clk.Set(clk.Now().Add(time.Minute)) }

				top := f.post("a", 0, bob, "Bob starts a thread.")
				step()
				annReply := f.post("a", top.ID, ann, "Ann replies to Bob.")
				step()
				bobReply := f.post("a", annReply.ID, bob, "Bob answers Ann.")
				step()
				annDeep := f.post("a", bobReply.ID, ann, "Ann goes one deeper.")
				step()
				annTop := f.post("b", 0, ann, "Ann on another story.")

				before := map[string]int{"a": f.commentCount("a"), "b": f.commentCount("b")}
				if err := f.accts.RequestDeletion(ctx, ann.ID, password, remove); err != nil {
					t.Fatalf("RequestDeletion: %v", err)
				}
				clk.Set(clk.Now().Add(25 * time.Hour))
				if n, err := f.accts.PurgeDueDeletions(ctx); err != nil || n != 1 {
					t.Fatalf("PurgeDueDeletions = %d, %v; want 1", n, err)
				}

				for _, c := range []*masthead.Comment{annReply, annDeep, annTop} {
					got := f.find(c.ID)
					if remove && (got.Status != masthead.CommentDeleted || got.Body != "" || got.BodyHTML != "") {
						t.Errorf("comment %d after removal: status %s, body %q", c.ID, got.Status, got.Body)
					}
					if !remove && (got.Status != masthead.CommentPublished || got.Body == "" || got.AuthorName != "") {
						t.Errorf("comment %d kept: status %s, body %q, author %q (want published, its text, no name)",
							c.ID, got.Status, got.Body, got.AuthorName)
					}
				}
				wantA, wantB := before["a"], before["b"]
				if remove {
					wantA, wantB = wantA-2, wantB-1
				}
				if got := f.commentCount("a"); got != wantA {
					t.Errorf("story a comment count = %d, want %d", got, wantA)
				}
				if got := f.commentCount("b"); got != wantB {
					t.Errorf("story b comment count = %d, want %d", got, wantB)
				}
				// Bob's reply was answered by Ann's deep reply; the thread's
				// top comment counted both of Ann's replies.
				wantReplies := 1
				if remove {
					wantReplies = 0
				}
				if got := f.find(bobReply.ID).ReplyCount; got != wantReplies {
					t.Errorf("Bob's reply's reply count = %d, want %d", got, wantReplies)
				}
				st, err := f.stories.FindStoryBySlug(ctx, "a")
				if err != nil {
					t.Fatal(err)
				}
				page, err := f.svc.FindComments(ctx, masthead.CommentFilter{StoryID: st.ID, Sort: masthead.SortOldest})
				if err != nil {
					t.Fatalf("FindComments: %v", err)
				}
				if len(page.Threads) != 1 {
					t.Fatalf("threads on story a = %d, want 1", len(page.Threads))
				}
			})
		})
	}
}

// Removing a deleted account's comments removes its held and rejected
// ones too, so that no moderator can publish them later, and the counts,
// which included none of them, stay right.
func TestPurgeRemovesHeldAndRejectedComments(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newModFixture(t, db, clk, sqldb.ModerationSettings{})
		f.story("a")
		ann := f.subscriber("Ann Leaver", "basic")
		bob := f.subscriber("Bob Stayer", "basic")

		top := f.posted("a", 0, bob, "Bob starts a thread.")
		published := f.posted("a", top.ID, ann, "Ann replies.")
		heldReply := f.held("a", top.ID, ann, "Ann's held reply.")
		heldTop := f.held("a", 0, ann, "Ann's held thread.")
		rejected := f.posted("a", 0, ann, "Ann's rejected comment.")
		if err := f.mod.Moderate(ctx, f.actor, []int64{rejected.ID}, masthead.ModReject, "spam"); err != nil {
			t.Fatalf("Moderate: %v", err)
		}
		if err := f.accts.RequestDeletion(ctx, ann.ID, password, true); err != nil {
			t.Fatalf("RequestDeletion: %v", err)
		}
		clk.Set(clk.Now().Add(25 * time.Hour))
		if n, err := f.accts.PurgeDueDeletions(ctx); err != nil || n != 1 {
			t.Fatalf("PurgeDueDeletions = %d, %v; want 1", n, err)
		}
		checkCounts(t, db)

		for _, c := range []*masthead.Comment{published, heldReply, heldTop, rejected} {
			got := f.find(c.ID)
			if got.Status != masthead.CommentDeleted || got.Body != "" || got.BodyHTML != "" {
				t.Errorf("comment %d (%q) after removal: status %s, body %q; want deleted, no text", c.ID, c.Body, got.Status, got.Body)
			}
		}
		tests := []struct {
			name   string
			id     int64
			action masthead.ModerationAction
		}{
			{"approve the held reply", heldReply.ID, masthead.ModApprove},
			{"approve the held thread", heldTop.ID, masthead.ModApprove},
			{"restore the rejected comment", rejected.ID, masthead.ModRestore},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := f.mod.Moderate(ctx, f.actor, []int64{tt.id}, tt.action, "")
				if got, want := errCode(err), masthead.EINVALID; got != want {
					t.Errorf("Moderate: got %q (%v), want %q", got, err, want)
				}
				if got := f.find(tt.id).Status; got != masthead.CommentDeleted {
					t.Errorf("status: got %s, want deleted", got)
				}
			})
		}
		checkCounts(t, db)
	})
}
