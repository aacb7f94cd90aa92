package sqldb_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"masthead"
	"masthead/internal/sqldb"
)

// TestGroupCommit posts many comments at once on SQLite: they share write
// transactions, and a refused post in a batch (the gate, the interval
// limit) spoils none of the others.
func TestGroupCommit(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		f.story("crowded")
		var mu sync.Mutex
		batches, largest := 0, 0
		f.svc.OnBatch(func(n int) {
			mu.Lock()
			defer mu.Unlock()
			batches++
			largest = max(largest, n)
		})
		const posters = 48
		authors := make([]*masthead.Account, posters)
		for i := range authors {
			authors[i] = f.subscriber(fmt.Sprintf("Poster %d", 100+i), "basic")
		}
		nameless := f.subscriber("", "basic") // the gate refuses them
		type result struct {
			author int64
			err    error
		}
		results := make(chan result, 3*posters)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, a := range authors {
			for j := range 2 { // a second post at once: the interval refuses one
				wg.Go(func() {
					<-start
					_, err := f.svc.PostComment(ctx, masthead.NewComment{StorySlug: "crowded", AuthorID: a.ID,
						Body: fmt.Sprintf("Comment %d of poster %d.", j, i)})
					results <- result{a.ID, err}
				})
			}
			wg.Go(func() {
				<-start
				_, err := f.svc.PostComment(ctx, masthead.NewComment{StorySlug: "crowded", AuthorID: nameless.ID,
					Body: fmt.Sprintf("Nameless %d.", i)})
				results <- result{nameless.ID, err}
			})
		}
		close(start)
		wg.Wait()
		close(results)
		stored := map[int64]int{}
		for r := range results {
			switch {
			case r.err == nil:
				stored[r.author]++
			case r.author == nameless.ID && masthead.ErrorCode(r.err) == string(masthead.GateDisplayNameRequired):
			case r.author != nameless.ID && masthead.ErrorCode(r.err) == masthead.ERATELIMIT:
			default:
				t.Errorf("PostComment by %d: %v", r.author, r.err)
			}
		}
		for _, a := range authors {
			if stored[a.ID] != 1 {
				t.Errorf("poster %d: %d comments stored, want exactly 1", a.ID, stored[a.ID])
			}
		}
		if stored[nameless.ID] != 0 {
			t.Errorf("the gate let %d comments through", stored[nameless.ID])
		}
		if got := f.commentCount("crowded"); got != posters {
			t.Errorf("comment count = %d, want %d", got, posters)
		}
		if got := len(f.heard()); got != posters {
			t.Errorf("live events = %d, want %d", got, posters)
		}
		if db.Dialect() == sqldb.DialectSQLite {
			t.Logf("%d posts in %d transactions, the largest of %d", 3*posters, batches, largest)
			if batches == 0 || batches >= 3*posters {
				t.Errorf("%d posts took %d transactions: no group commit", 3*posters, batches)
			}
		} else if batches != 0 {
			t.Errorf("PostgreSQL posts went through %d group commits, want none", batches)
		}
	})
}

// TestGroupCommitPanic: a panic while a batch is stored answers its posters
// with an error and leaves the batcher working for the next posts.
func TestGroupCommitPanic(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		if db.Dialect() != sqldb.DialectSQLite {
			t.Skip("posts are grouped on SQLite only")
		}
		ctx := context.Background()
		f := newComments(t, db, clk)
		f.story("fragile")
		a := f.subscriber("Ada Quill", "basic")
		var once sync.Once
		f.svc.OnBatch(func(int) { once.Do(func() { panic("disk on fire") }) })
		if _, err := f.svc.PostComment(ctx, masthead.NewComment{StorySlug: "fragile", AuthorID: a.ID, Body: "First."}); err == nil {
			t.Fatal("the post whose batch panicked: got no error")
		}
		if _, err := f.svc.PostComment(ctx, masthead.NewComment{StorySlug: "fragile", AuthorID: a.ID, Body: "Second."}); err != nil {
			t.Fatalf("the next post: %v", err)
		}
		if got := f.commentCount("fragile"); got != 1 {
			t.Errorf("comment count = %d, want 1", got)
		}
	})
}
