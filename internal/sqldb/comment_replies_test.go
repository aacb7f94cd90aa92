package sqldb_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"masthead"
	"masthead/internal/sqldb"
)

// replyThread posts a thread on story "s" with n replies by readers in
// turn, a few seconds apart, and returns its top-level comment and the
// replies' IDs in order.
func replyThread(t *testing.T, f *commentsFixture, readers []*masthead.Account, n int) (*masthead.Comment, []int64) {
	t.Helper()
	root := f.post("s", 0, readers[0], "The thread")
	var ids []int64
	for i := range n {
		f.advance(6 * time.Second)
		ids = append(ids, f.post("s", root.ID, readers[1+i%(len(readers)-1)], fmt.Sprintf("reply %d", i)).ID)
	}
	return root, ids
}

// allReplies reads a thread's replies the way a reader does: the ones the
// story's page shows, then every replies page after them. It returns the
// IDs, the More of each replies page and the cursor of each page.
func allReplies(t *testing.T, svc *sqldb.CommentService, storyID, rootID int64, limit int, viewer int64) ([]int64, []int, []string) {
	t.Helper()
	ctx := context.Background()
	var th *masthead.CommentThread
	for after := ""; th == nil; {
		page, err := svc.FindComments(ctx, masthead.CommentFilter{StoryID: storyID, After: after, Limit: 100, ViewerID: viewer})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range page.Threads {
			if x.Comment.ID == rootID {
				th = x
			}
		}
		if th == nil && page.Next == "" {
			t.Fatalf("thread %d not found", rootID)
		}
		after = page.Next
	}
	var ids []int64
	for _, c := range th.Replies {
		ids = append(ids, c.ID)
	}
	more := []int{th.MoreReplies}
	if th.MoreReplies == 0 {
		return ids, more, nil
	}
	after := masthead.NextReplyCursor(th)
	cursors := []string{after}
	for range 100 {
		rp, err := svc.FindReplies(ctx, masthead.ReplyFilter{RootID: rootID, After: after, Limit: limit, ViewerID: viewer})
		if err != nil {
			t.Fatalf("FindReplies(after %q): %v", after, err)
		}
		if rp.Root.ID != rootID || rp.StorySlug != "s" {
			t.Errorf("root %d of %q, want %d of s", rp.Root.ID, rp.StorySlug, rootID)
		}
		for _, c := range rp.Replies {
			ids = append(ids, c.ID)
		}
		more = append(more, rp.More)
		if rp.Next == "" {
			return ids, more, cursors
		}
		if len(rp.Replies) != limit {
			t.Fatalf("a page of %d replies with a next cursor, want %d", len(rp.Replies), limit)
		}
		after = rp.Next
		cursors = append(cursors, after)
	}
	t.Fatal("replies pages do not end")
	return nil, nil, nil
}

func TestFindReplies(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		s := f.story("s")
		var readers []*masthead.Account
		for i := range 4 {
			readers = append(readers, f.subscriber(fmt.Sprintf("Reader %d", i), "basic"))
		}
		root, replies := replyThread(t, f, readers, 45)
		// Reply 30 is deleted without replies: it is not shown, nor
		// counted. Reply 32 is deleted with a reply: a placeholder.
		if err := f.svc.DeleteComment(ctx, replies[30], readers[1+30%3].ID); err != nil {
			t.Fatal(err)
		}
		f.advance(6 * time.Second)
		under32 := f.post("s", replies[32], readers[0], "under 32").ID
		if err := f.svc.DeleteComment(ctx, replies[32], readers[1+32%3].ID); err != nil {
			t.Fatal(err)
		}
		viewer := readers[0]
		if _, _, err := f.svc.ToggleRespect(ctx, replies[27], viewer.ID); err != nil {
			t.Fatal(err)
		}
		want := slices.Concat(slices.Delete(slices.Clone(replies), 30, 31), []int64{under32})

		tests := []struct {
			name     string
			limit    int
			wantMore []int
		}{
			// 45 replies and one more, less the deleted 30 and 32: 44
			// published; the story's page shows the first 20.
			{"pages of 7", 7, []int{24, 17, 11, 4, 0}},
			{"pages of 10", 10, []int{24, 14, 5, 0}},
			{"one page", 50, []int{24, 0}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, more, _ := allReplies(t, f.svc, s.ID, root.ID, tt.limit, viewer.ID)
				if !slices.Equal(got, want) {
					t.Errorf("replies = %v\nwant %v", got, want)
				}
				if !slices.Equal(more, tt.wantMore) {
					t.Errorf("more = %v, want %v", more, tt.wantMore)
				}
			})
		}

		page, err := f.svc.FindReplies(ctx, masthead.ReplyFilter{RootID: root.ID, ViewerID: viewer.ID, Limit: 30})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Replies) != 30 || page.Replies[27].ID != replies[27] || !page.Replies[27].Respected || page.Replies[26].Respected {
			t.Errorf("first 30 replies: %d, respected %v", len(page.Replies), page.Replies[27].Respected)
		}
		if page.Root.AuthorName != "Reader 0" || page.Root.ReplyCount != 43 {
			t.Errorf("root = %+v", page.Root)
		}
		if page.More != 44-30 {
			t.Errorf("More = %d, want %d", page.More, 44-30)
		}

		for _, tt := range []struct {
			name string
			f    masthead.ReplyFilter
			code string
		}{
			{"unknown thread", masthead.ReplyFilter{RootID: root.ID + 10000}, masthead.ENOTFOUND},
			{"a reply is not a thread", masthead.ReplyFilter{RootID: replies[0]}, masthead.ENOTFOUND},
			{"bad cursor", masthead.ReplyFilter{RootID: root.ID, After: "nope!"}, masthead.EINVALID},
			{"top-level cursor", masthead.ReplyFilter{RootID: root.ID, After: "bmV3ZXN0LjAuMS4x"}, masthead.EINVALID},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := f.svc.FindReplies(ctx, tt.f)
				wantErr(t, tt.name, err, tt.code, "")
			})
		}

		// A page costs the same few queries however far into the thread.
		var queries int
		sqldb.CountCommentQueries(f.svc, func() { queries++ })
		cost := map[string]int{}
		for _, after := range []string{"", page.Next} {
			queries = 0
			if _, err := f.svc.FindReplies(ctx, masthead.ReplyFilter{RootID: root.ID, After: after, Limit: 5}); err != nil {
				t.Fatal(err)
			}
			cost[after] = queries
		}
		if cost[""] != 2 || cost[page.Next] != 2 {
			t.Errorf("queries per replies page = %v, want 2", cost)
		}
	})
}

// A comment's location is the page that following "show more" from the
// first page reaches it on.
func TestLocateComment(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		s := f.story("s")
		var readers []*masthead.Account
		for i := range 4 {
			readers = append(readers, f.subscriber(fmt.Sprintf("Reader %d", i), "basic"))
		}
		// The newest thread has 40 replies; 120 older top-level comments
		// come before it, created in pairs at one time; four are
		// featured, one of them older than all the others.
		root, replies := replyThread(t, f, readers, 40)
		const n = 120
		ids := seedComments(t, db, s.ID, readers, n,
			func(i int) time.Time { return epoch.Add(-time.Duration(n-i/2) * time.Minute) },
			func(int) int { return 0 })
		featured := []int64{ids[5], ids[77], ids[118]}
		exec(t, db, `UPDATE comments SET featured = $1 WHERE id IN ($2, $3, $4)`, true, featured[0], featured[1], featured[2])
		f.advance(6 * time.Second)
		oldFeatured := f.post("s", 0, readers[2], "old and featured")
		exec(t, db, `UPDATE comments SET featured = $1, created_at = $2 WHERE id = $3`, true, timeArg(db, epoch.Add(-10*time.Hour)), oldFeatured.ID)

		const limit = 25
		// Walk the pages as a reader does, noting each thread's cursor.
		pageOf := map[int64]string{}
		after := ""
		for {
			page, err := f.svc.FindComments(ctx, masthead.CommentFilter{StoryID: s.ID, Sort: masthead.SortNewest, After: after, Limit: limit})
			if err != nil {
				t.Fatal(err)
			}
			for _, th := range page.Threads {
				pageOf[th.Comment.ID] = after
			}
			if page.Next == "" {
				break
			}
			after = page.Next
		}
		if len(pageOf) != n+2 {
			t.Fatalf("walked %d threads, want %d", len(pageOf), n+2)
		}
		for _, id := range []int64{ids[119], ids[118], ids[0], ids[1], ids[2], ids[50], ids[72], ids[73], ids[77], ids[5], oldFeatured.ID, root.ID} {
			t.Run(fmt.Sprintf("thread %d", id), func(t *testing.T) {
				loc, err := f.svc.LocateComment(ctx, id, limit)
				if err != nil {
					t.Fatal(err)
				}
				if loc.StorySlug != "s" || loc.CommentID != id || loc.RootID != id || loc.InReplies || loc.After != pageOf[id] {
					t.Errorf("location = %+v, want after %q", loc, pageOf[id])
				}
			})
		}

		// Replies: the first 20 are on the story's page; the others on
		// the replies page that reaches them.
		_, _, cursors := allReplies(t, f.svc, s.ID, root.ID, 7, 0)
		rootPage := pageOf7(t, f.svc, s.ID, root.ID)
		for i, id := range replies {
			t.Run(fmt.Sprintf("reply %d", i), func(t *testing.T) {
				loc, err := f.svc.LocateComment(ctx, id, 7)
				if err != nil {
					t.Fatal(err)
				}
				wantIn, wantAfter := false, ""
				if i >= 20 {
					wantIn, wantAfter = true, cursors[(i-20)/7]
				}
				if loc.RootID != root.ID || loc.CommentID != id || loc.InReplies != wantIn || loc.RepliesAfter != wantAfter {
					t.Errorf("location = %+v, want in replies %v after %q", loc, wantIn, wantAfter)
				}
				if loc.After != rootPage {
					t.Errorf("thread page %q, want %q", loc.After, rootPage)
				}
			})
		}
		if _, err := f.svc.LocateComment(ctx, ids[0]+100000, 0); masthead.ErrorCode(err) != masthead.ENOTFOUND {
			t.Errorf("LocateComment(unknown) = %v, want not found", err)
		}
	})
}

// pageOf7 returns the cursor of the page, 7 threads a page, that shows
// the thread rootID.
func pageOf7(t *testing.T, svc *sqldb.CommentService, storyID, rootID int64) string {
	t.Helper()
	after := ""
	for {
		page, err := svc.FindComments(context.Background(), masthead.CommentFilter{StoryID: storyID, After: after, Limit: 7})
		if err != nil {
			t.Fatal(err)
		}
		for _, th := range page.Threads {
			if th.Comment.ID == rootID {
				return after
			}
		}
		if page.Next == "" {
			t.Fatalf("thread %d not found", rootID)
		}
		after = page.Next
	}
}
