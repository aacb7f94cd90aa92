package sqldb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"masthead"
	"masthead/internal/sqldb"
)

// checkCommentCounts recounts a story's comments from the rows and fails
// the test where a kept count differs: the story's comment_count, each
// comment's reply_count (published comments with it as parent or
// replied-to comment) and thread_replies (published replies in its
// thread).
func checkCommentCounts(t *testing.T, db *sqldb.DB, storyID int64) {
	t.Helper()
	w := writer(t, db)
	var kept, counted int
	if err := w.QueryRow(`SELECT s.comment_count, (SELECT COUNT(*) FROM comments c WHERE c.story_id = s.id AND c.status = 'published')
FROM stories s WHERE s.id = $1`, storyID).Scan(&kept, &counted); err != nil {
		t.Fatal(err)
	}
	if kept != counted {
		t.Errorf("story comment_count = %d, but it has %d published comments", kept, counted)
	}
	rows, err := w.Query(`SELECT c.id, c.reply_count, c.thread_replies,
	(SELECT COUNT(*) FROM comments r WHERE r.status = 'published' AND (r.parent_id = c.id OR r.reply_to_id = c.id)),
	(SELECT COUNT(*) FROM comments r WHERE r.status = 'published' AND r.root_id = c.id AND c.parent_id IS NULL)
FROM comments c WHERE c.story_id = $1`, storyID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	bad := 0
	for rows.Next() {
		var id int64
		var rc, tr, wantRC, wantTR int
		if err := rows.Scan(&id, &rc, &tr, &wantRC, &wantTR); err != nil {
			t.Fatal(err)
		}
		if (rc != wantRC || tr != wantTR) && bad < 10 {
			bad++
			t.Errorf("comment %d: reply_count %d, thread_replies %d; recounted %d and %d", id, rc, tr, wantRC, wantTR)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

func TestImportComments(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		st := f.story("harbour")
		alba := f.subscriber("Alba Reyes", "premium")
		// No plan, no display name: the gate would refuse this author, but
		// an import does not apply it.
		bare := f.subscriber("", "")
		bareEmail := strings.ToUpper(fmt.Sprintf("reader%d@EXAMPLE.com", f.n))

		at := epoch.Add(-time.Hour)
		in := []sqldb.ImportedComment{
			{AuthorID: alba.ID, ParentIndex: -1, Body: "First <script>alert(1)</script> https://a.example/x", CreatedAt: at},
			{AuthorEmail: bareEmail, ParentIndex: 0, Body: "A reply", CreatedAt: at.Add(time.Second)},
			{AuthorID: alba.ID, ParentIndex: 1, Body: "A reply to the reply", CreatedAt: at.Add(2 * time.Second)},
			{AuthorID: bare.ID, ParentIndex: 2, Body: "Deeper", CreatedAt: at.Add(3 * time.Second)},
			{AuthorID: alba.ID, ParentIndex: 3, Body: "Deeper still", CreatedAt: at.Add(4 * time.Second)},
			// The same text twice at the same moment: no limit applies.
			{AuthorID: alba.ID, ParentIndex: -1, Body: "Same again", CreatedAt: at.Add(5 * time.Second)},
			{AuthorID: alba.ID, ParentIndex: -1, Body: "Same again", CreatedAt: at.Add(5 * time.Second)},
			{AuthorID: alba.ID, ParentIndex: -1, Body: "Now"},
		}
		if err := f.svc.ImportComments(ctx, "harbour", in); err != nil {
			t.Fatalf("ImportComments: %v", err)
		}
		if n := f.commentCount("harbour"); n != len(in) {
			t.Errorf("comment count = %d, want %d", n, len(in))
		}
		checkCommentCounts(t, db, st.ID)

		page, err := f.svc.FindComments(ctx, masthead.CommentFilter{StoryID: st.ID, Sort: masthead.SortOldest})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Threads) != 4 || page.Total != len(in) {
			t.Fatalf("page: %d threads of %d comments, want 4 of %d", len(page.Threads), page.Total, len(in))
		}
		first := page.Threads[0]
		if got := first.Comment.BodyHTML; strings.Contains(got, "<script>") ||
			!strings.Contains(got, `&lt;script&gt;`) || !strings.Contains(got, `<a href="https://a.example/x" rel="nofollow ugc noopener">`) {
			t.Errorf("BodyHTML = %q, want the text escaped and the URL linked", got)
		}
		if !first.Comment.CreatedAt.Equal(at) {
			t.Errorf("CreatedAt = %v, want %v", first.Comment.CreatedAt, at)
		}
		if len(first.Replies) != 4 {
			t.Fatalf("the first thread has %d replies, want 4", len(first.Replies))
		}
		var depths []int
		for _, r := range first.Replies {
			depths = append(depths, r.Depth)
		}
		if fmt.Sprint(depths) != "[1 2 2 2]" {
			t.Errorf("reply depths %v, want [1 2 2 2]", depths)
		}
		deeper, deepest := first.Replies[2], first.Replies[3]
		if deeper.ParentID != first.Replies[0].ID || deeper.Body != "@Alba Reyes Deeper" {
			t.Errorf("a reply beyond the deepest level: parent %d, body %q; want parent %d and a mention of Alba Reyes",
				deeper.ParentID, deeper.Body, first.Replies[0].ID)
		}
		if deepest.ParentID != first.Replies[0].ID || deepest.Body != "Deeper still" {
			t.Errorf("a reply to an author without a name: parent %d, body %q; want no mention", deepest.ParentID, deepest.Body)
		}
		if c := f.find(first.Replies[1].ID); c.ReplyCount != 1 {
			t.Errorf("the replied-to comment at the deepest level has reply_count %d, want 1", c.ReplyCount)
		}
		if last := page.Threads[3].Comment; last.Body != "Now" || !last.CreatedAt.Equal(clk.Now()) {
			t.Errorf("a comment without a time: %q at %v, want now (%v)", last.Body, last.CreatedAt, clk.Now())
		}

		// A reply to a named author's comment at the deepest level gets
		// the mention.
		if err := f.svc.ImportComments(ctx, "harbour", []sqldb.ImportedComment{
			{AuthorID: bare.ID, ParentIndex: -1, Body: "Top"},
			{AuthorID: alba.ID, ParentIndex: 0, Body: "One"},
			{AuthorID: alba.ID, ParentIndex: 1, Body: "Two"},
			{AuthorID: bare.ID, ParentIndex: 2, Body: "Three"},
		}); err != nil {
			t.Fatalf("ImportComments: %v", err)
		}
		page, err = f.svc.FindComments(ctx, masthead.CommentFilter{StoryID: st.ID, Sort: masthead.SortNewest, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if r := page.Threads[0].Replies; len(r) != 3 || r[2].Body != "@Alba Reyes Three" || r[2].Depth != 2 {
			t.Errorf("replies %+v, want the third to mention Alba Reyes at depth 2", r)
		}

		// Events: one "posted" per comment, in order, heard after commit.
		heard := f.heard()
		if len(heard) != len(in)+4 {
			t.Fatalf("OnEvent heard %d events, want %d", len(heard), len(in)+4)
		}
		evs, err := f.svc.CommentEvents(ctx, st.ID, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		for i, ev := range evs {
			if ev.Kind != "posted" || heard[i] != fmt.Sprintf("posted %d", ev.CommentID) {
				t.Errorf("event %d: %s %d, heard %q", i, ev.Kind, ev.CommentID, heard[i])
			}
		}

		// The ordinary path goes on from imported comments, and the
		// counts stay right.
		f.advance(time.Minute)
		f.post("harbour", first.Replies[0].ID, alba, "Posted normally")
		checkCommentCounts(t, db, st.ID)
	})
}

func TestImportCommentsRefusals(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		f.story("harbour")
		a := f.subscriber("Alba Reyes", "premium")
		for _, tc := range []struct {
			name string
			slug string
			in   []sqldb.ImportedComment
			code string
		}{
			{"unknown story", "nowhere", []sqldb.ImportedComment{{AuthorID: a.ID, ParentIndex: -1, Body: "x"}}, masthead.ENOTFOUND},
			{"forward parent", "harbour", []sqldb.ImportedComment{{AuthorID: a.ID, ParentIndex: -1, Body: "x"}, {AuthorID: a.ID, ParentIndex: 1, Body: "y"}}, masthead.EINVALID},
			{"bad parent index", "harbour", []sqldb.ImportedComment{{AuthorID: a.ID, ParentIndex: -2, Body: "x"}}, masthead.EINVALID},
			{"empty body", "harbour", []sqldb.ImportedComment{{AuthorID: a.ID, ParentIndex: -1, Body: "ok"}, {AuthorID: a.ID, ParentIndex: -1, Body: " \n "}}, masthead.EINVALID},
			{"too long", "harbour", []sqldb.ImportedComment{{AuthorID: a.ID, ParentIndex: -1, Body: strings.Repeat("x", 3001)}}, masthead.EINVALID},
			{"unknown author", "harbour", []sqldb.ImportedComment{{AuthorEmail: "nobody@example.com", ParentIndex: -1, Body: "x"}}, masthead.ENOTFOUND},
			{"unknown author ID", "harbour", []sqldb.ImportedComment{{AuthorID: 999999, ParentIndex: -1, Body: "x"}}, masthead.ENOTFOUND},
			{"no author", "harbour", []sqldb.ImportedComment{{ParentIndex: -1, Body: "x"}}, masthead.EINVALID},
		} {
			err := f.svc.ImportComments(ctx, tc.slug, tc.in)
			if masthead.ErrorCode(err) != tc.code {
				t.Errorf("%s: err = %v (code %q), want %s", tc.name, err, masthead.ErrorCode(err), tc.code)
			}
		}
		if n := f.commentCount("harbour"); n != 0 {
			t.Errorf("refused imports stored %d comments", n)
		}
		if err := f.svc.ImportComments(ctx, "harbour", nil); err != nil {
			t.Errorf("an empty import: %v", err)
		}
	})
}

// TestImportCommentsLongThread imports a thread bigger than a batch,
// replies at every depth, and checks the counts and a page of it.
func TestImportCommentsLongThread(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		st := f.story("harbour")
		authors := []*masthead.Account{f.subscriber("Alba Reyes", "premium"), f.subscriber("Tomas Ferro", "premium")}
		const n = 1234
		in := make([]sqldb.ImportedComment, n)
		start := epoch.Add(-48 * time.Hour)
		for i := range in {
			parent := -1
			if i%3 != 0 {
				parent = i - 1 - (i % 7 % (i + 1))
				if parent < 0 {
					parent = -1
				}
			}
			in[i] = sqldb.ImportedComment{AuthorID: authors[i%2].ID, ParentIndex: parent,
				Body: fmt.Sprintf("Comment number %d", i), CreatedAt: start.Add(time.Duration(i) * time.Minute)}
		}
		if err := f.svc.ImportComments(ctx, "harbour", in); err != nil {
			t.Fatalf("ImportComments: %v", err)
		}
		if got := f.commentCount("harbour"); got != n {
			t.Errorf("comment count %d, want %d", got, n)
		}
		checkCommentCounts(t, db, st.ID)
		page, err := f.svc.FindComments(ctx, masthead.CommentFilter{StoryID: st.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Threads) != 50 || page.Next == "" || page.Total != n {
			t.Errorf("first page: %d threads, next %q, total %d", len(page.Threads), page.Next, page.Total)
		}
		if len(f.heard()) != n {
			t.Errorf("OnEvent heard %d events, want %d", len(f.heard()), n)
		}
	})
}
