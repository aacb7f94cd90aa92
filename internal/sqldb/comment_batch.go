package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"masthead"
)

// maxPostBatch is the most posts one group commit stores.
const maxPostBatch = 256

// postBatcher gathers posts that arrive while the writer is busy, so that
// one write transaction — one fsync on SQLite — stores them all (a group
// commit). Whoever finds no batch under way leads: it takes every waiting
// post, stores them in one transaction, each inside a savepoint so that a
// refused post leaves the others alone, commits, and answers each poster.
// Posts that arrived meanwhile are led by a fresh goroutine, so that no
// poster waits for more than its own batch and the one before it.
type postBatcher struct {
	mu      sync.Mutex
	queue   []*postRequest
	leading bool
}

// postRequest is one post waiting for its batch.
type postRequest struct {
	ctx  context.Context
	nc   masthead.NewComment
	body string
	now  time.Time

	c    *masthead.Comment
	err  error
	done chan struct{}
}

// postGrouped stores a post through the group commit and returns what
// postComment returned for it once its batch has committed (or failed).
func (cs *CommentService) postGrouped(ctx context.Context, nc masthead.NewComment, body string, now time.Time) (*masthead.Comment, error) {
	req := &postRequest{ctx: ctx, nc: nc, body: body, now: now, done: make(chan struct{})}
	b := &cs.batch
	b.mu.Lock()
	b.queue = append(b.queue, req)
	lead := !b.leading
	b.leading = true
	b.mu.Unlock()
	if lead {
		cs.leadUntil(req)
	}
	select {
	case <-req.done:
		return req.c, req.err
	case <-ctx.Done():
		// The batch may still store it; the poster has stopped waiting.
		return nil, ctx.Err()
	}
}

// leadUntil stores batches until req's is done (with req nil: while posts
// are waiting), then hands the lead on to a new goroutine if more posts
// are waiting.
func (cs *CommentService) leadUntil(req *postRequest) {
	b := &cs.batch
	for {
		b.mu.Lock()
		if len(b.queue) == 0 {
			b.leading = false
			b.mu.Unlock()
			return
		}
		if req != nil && req.stored() {
			// Ours is stored; someone else's batch is waiting.
			b.mu.Unlock()
			go cs.leadUntil(nil)
			return
		}
		n := min(len(b.queue), maxPostBatch)
		batch := b.queue[:n:n]
		b.queue = append([]*postRequest(nil), b.queue[n:]...)
		b.mu.Unlock()
		cs.storeBatch(batch)
	}
}

// stored reports whether the request's batch is done.
func (r *postRequest) stored() bool {
	select {
	case <-r.done:
		return true
	default:
		return false
	}
}

// storeBatch stores the posts of one batch in one transaction and answers
// their posters. If the transaction fails as a whole (not one post's
// refusal), each post is tried again in a transaction of its own, so that
// one bad post cannot fail the others.
func (cs *CommentService) storeBatch(batch []*postRequest) {
	// A panic while storing must not leave the posters waiting, nor the
	// batcher without a leader, nor (in a goroutine of its own) end the
	// process: every unanswered poster gets it as an error.
	defer func() {
		if p := recover(); p != nil {
			for _, r := range batch {
				if !r.stored() {
					r.c, r.err = nil, fmt.Errorf("sqldb: post comment: panic: %v", p)
					close(r.done)
				}
			}
		}
	}()
	if cs.onBatch != nil {
		cs.onBatch(len(batch))
	}
	// The batch outlives any one poster's patience.
	ctx := context.WithoutCancel(batch[0].ctx)
	var evs []masthead.CommentEvent
	err := cs.db.writeTx(ctx, func(tx *sql.Tx) error {
		evs = evs[:0]
		for _, r := range batch {
			r.c, r.err = nil, nil
			if err := r.ctx.Err(); err != nil {
				r.err = err // the poster gave up before its turn: store nothing
				continue
			}
			if _, err := tx.ExecContext(ctx, `SAVEPOINT post`); err != nil {
				return fmt.Errorf("savepoint: %w", err)
			}
			c, ev, err := cs.postComment(ctx, tx, r.nc, r.body, r.now)
			var appErr *masthead.Error
			switch {
			case errors.As(err, &appErr):
				if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT post`); err != nil {
					return fmt.Errorf("roll back to savepoint: %w", err)
				}
				r.err = err
			case err != nil:
				return err
			default:
				r.c = c
				if ev.ID != 0 { // a held comment makes no public event
					evs = append(evs, ev)
				}
			}
			if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT post`); err != nil {
				return fmt.Errorf("release savepoint: %w", err)
			}
		}
		return nil
	})
	if err != nil && len(batch) > 1 {
		for _, r := range batch {
			r.c, r.err = cs.postAlone(r.ctx, r.nc, r.body, r.now)
			close(r.done)
		}
		return
	}
	if err != nil {
		batch[0].c, batch[0].err = nil, wrapUnlessApp("post comment", err)
	} else if cs.OnEvent != nil {
		for _, ev := range evs {
			cs.OnEvent(ev)
		}
	}
	for _, r := range batch {
		close(r.done)
	}
}
