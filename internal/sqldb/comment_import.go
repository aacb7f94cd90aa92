package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"masthead"
)

// ImportedComment is one comment of a bulk import (ImportComments).
type ImportedComment struct {
	// The author: an account ID, or else the email address of a live
	// account.
	AuthorID    int64
	AuthorEmail string
	// ParentIndex is -1 for a top-level comment; otherwise the index, in
	// the imported slice, of an earlier comment that this one replies to.
	ParentIndex int
	Body        string
	// CreatedAt is when the comment was posted; zero means now.
	CreatedAt time.Time
}

// importBatch is how many imported comments one write transaction stores.
const importBatch = 500

// ImportComments stores comments on the story with the slug (ENOTFOUND if
// there is none, whatever its status), published, for staff tools and the
// demo only: it applies neither the commenting gate nor the abuse limits
// (interval, daily count, duplicates), so it must never be reachable by
// readers.
//
// Every comment is checked before anything is written: its body as
// PostComment checks it (NormalizeCommentBody), its author (a live
// account), and its parent (an earlier comment of the slice). Replies nest
// as PostComment nests them: a reply to a comment at the deepest level
// attaches to that comment's parent with a mention of its author.
//
// The comments are written in order, in batches of a few hundred, each in
// one write transaction that also keeps the counts (the story's
// comment_count, the parents' reply_count, the threads' thread_replies) and
// writes a "posted" comment event for each comment, so that the counts and
// the events are consistent after every batch. OnEvent hears of each batch
// when it commits. A failed batch leaves the batches before it stored.
func (cs *CommentService) ImportComments(ctx context.Context, storySlug string, comments []ImportedComment) error {
	if err := cs.importComments(ctx, storySlug, comments); err != nil {
		return wrapUnlessApp("import comments", err)
	}
	return nil
}

// importAuthor is what importing needs of an author.
type importAuthor struct {
	id   int64
	name string
}

// importedRow is an imported comment as it will be stored.
type importedRow struct {
	body                   string
	parent, root, replyTo  int // indexes into the slice, -1 for none
	depth                  int
	author                 importAuthor
	createdAt              time.Time
	id                     int64 // once inserted
	parentID, rootID, rtID int64 // once the ancestors are inserted
}

func (cs *CommentService) importComments(ctx context.Context, storySlug string, comments []ImportedComment) error {
	db := cs.db
	now := db.clock()
	var storyID int64
	err := db.read.QueryRowContext(ctx, `SELECT id FROM stories WHERE slug = $1`, storySlug).Scan(&storyID)
	if errors.Is(err, sql.ErrNoRows) {
		return errStoryNotFound()
	} else if err != nil {
		return fmt.Errorf("find story: %w", err)
	}
	if len(comments) == 0 {
		return nil
	}

	// Check everything first.
	authors, err := cs.importAuthors(ctx, comments)
	if err != nil {
		return err
	}
	rows := make([]importedRow, len(comments))
	for i, ic := range comments {
		body, err := masthead.NormalizeCommentBody(ic.Body, cs.settings.MaxLength)
		if err != nil {
			var e *masthead.Error
			if errors.As(err, &e) {
				return &masthead.Error{Code: e.Code, Field: e.Field, Message: fmt.Sprintf("comment %d: %s", i, e.Message)}
			}
			return err
		}
		r := importedRow{body: body, parent: -1, root: -1, replyTo: -1, author: authors[i], createdAt: storedTime(ic.CreatedAt)}
		if r.createdAt.IsZero() {
			r.createdAt = now
		}
		switch p := ic.ParentIndex; {
		case p == -1:
		case p < 0 || p >= i:
			return masthead.FieldError("parent_id", fmt.Sprintf("comment %d: its parent must be an earlier comment of the import (index %d)", i, p))
		default:
			pr := &rows[p]
			r.replyTo, r.parent, r.depth = p, p, pr.depth+1
			r.root = pr.root
			if pr.depth == 0 {
				r.root = p
			}
			if pr.depth >= masthead.MaxCommentDepth {
				r.parent, r.depth = pr.parent, masthead.MaxCommentDepth
				if pr.author.name != "" {
					r.body = "@" + pr.author.name + " " + r.body
				}
			}
		}
		rows[i] = r
	}

	for start := 0; start < len(rows); start += importBatch {
		batch := rows[start:min(start+importBatch, len(rows))]
		err := cs.commit(ctx, func(tx *sql.Tx, evs *[]masthead.CommentEvent) error {
			return cs.importBatch(ctx, tx, storyID, rows, batch, now, evs)
		})
		if err != nil {
			// The batch's IDs were not stored; forget them.
			for i := range batch {
				batch[i].id = 0
			}
			return err
		}
	}
	return nil
}

// importAuthors resolves the author of each comment to a live account.
func (cs *CommentService) importAuthors(ctx context.Context, comments []ImportedComment) ([]importAuthor, error) {
	byID := map[int64]importAuthor{}
	byEmail := map[string]importAuthor{}
	out := make([]importAuthor, len(comments))
	for i, ic := range comments {
		var (
			a   importAuthor
			ok  bool
			err error
		)
		switch {
		case ic.AuthorID != 0:
			if a, ok = byID[ic.AuthorID]; !ok {
				a, err = cs.importAuthor(ctx, `a.id = $1`, ic.AuthorID)
				byID[ic.AuthorID] = a
			}
		case strings.TrimSpace(ic.AuthorEmail) != "":
			key := masthead.EmailKey(ic.AuthorEmail)
			if a, ok = byEmail[key]; !ok {
				a, err = cs.importAuthor(ctx, `a.email_key = $1`, key)
				byEmail[key] = a
			}
		default:
			err = masthead.FieldError("author", "no author")
		}
		if err != nil {
			var e *masthead.Error
			if errors.As(err, &e) {
				return nil, &masthead.Error{Code: e.Code, Field: e.Field, Message: fmt.Sprintf("comment %d: %s", i, e.Message)}
			}
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}

// importAuthor returns the live account matching where (on accounts a,
// with one argument).
func (cs *CommentService) importAuthor(ctx context.Context, where string, arg any) (importAuthor, error) {
	var a importAuthor
	var deleted time.Time
	err := cs.db.read.QueryRowContext(ctx, `SELECT a.id, COALESCE(a.display_name, ''), a.deleted_at FROM accounts a WHERE `+where,
		arg).Scan(&a.id, &a.name, timeCol{&deleted})
	if errors.Is(err, sql.ErrNoRows) || err == nil && !deleted.IsZero() {
		return a, errAccountNotFound()
	} else if err != nil {
		return a, fmt.Errorf("find author: %w", err)
	}
	return a, nil
}

// importBatch stores one batch of rows (a subslice of all) in tx, with its
// counts and events.
func (cs *CommentService) importBatch(ctx context.Context, tx *sql.Tx, storyID int64, all, batch []importedRow, now time.Time, evs *[]masthead.CommentEvent) error {
	db := cs.db
	*evs = (*evs)[:0]
	idOf := func(i int) int64 {
		if i < 0 {
			return 0
		}
		return all[i].id
	}
	insert, err := tx.PrepareContext(ctx, `INSERT INTO comments (story_id, parent_id, root_id, reply_to_id, depth,
	author_id, body, body_html, status, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'published', $9, $9) RETURNING id`)
	if err != nil {
		return fmt.Errorf("prepare insert: %w", err)
	}
	defer insert.Close()

	replies := map[int64]int{} // reply_count to add, by comment ID
	threads := map[int64]int{} // thread_replies to add, by comment ID
	for i := range batch {
		r := &batch[i]
		r.parentID, r.rootID, r.rtID = idOf(r.parent), idOf(r.root), idOf(r.replyTo)
		if err := insert.QueryRowContext(ctx, storyID, nullID(r.parentID), nullID(r.rootID), nullID(r.rtID), r.depth,
			r.author.id, r.body, masthead.RenderCommentBody(r.body), db.timeArg(r.createdAt)).Scan(&r.id); err != nil {
			return fmt.Errorf("insert comment: %w", err)
		}
		if r.depth > 0 {
			replies[r.parentID]++
			if r.rtID != r.parentID {
				replies[r.rtID]++
			}
			threads[r.rootID]++
		}
	}
	for _, id := range importOrder(replies) {
		n := replies[id]
		if _, err := tx.ExecContext(ctx, `UPDATE comments SET reply_count = reply_count + $1 WHERE id = $2`, n, id); err != nil {
			return fmt.Errorf("count replies: %w", err)
		}
	}
	for _, id := range importOrder(threads) {
		n := threads[id]
		if _, err := tx.ExecContext(ctx, `UPDATE comments SET thread_replies = thread_replies + $1 WHERE id = $2`, n, id); err != nil {
			return fmt.Errorf("count thread replies: %w", err)
		}
	}
	if err := adjustStoryCount(ctx, tx, storyID, len(batch)); err != nil {
		return err
	}

	// The events, in the order of the comments; on PostgreSQL the story's
	// row is locked first, as addCommentEvent does, so that one story's
	// events commit in the order of their IDs.
	if db.dialect == DialectPostgres {
		if _, err := tx.ExecContext(ctx, `SELECT id FROM stories WHERE id = $1 FOR NO KEY UPDATE`, storyID); err != nil {
			return fmt.Errorf("lock story: %w", err)
		}
	}
	event, err := tx.PrepareContext(ctx, `INSERT INTO comment_events (story_id, kind, comment_id, at)
VALUES ($1, 'posted', $2, $3) RETURNING id`)
	if err != nil {
		return fmt.Errorf("prepare event: %w", err)
	}
	defer event.Close()
	for i := range batch {
		ev := masthead.CommentEvent{StoryID: storyID, Kind: "posted", CommentID: batch[i].id, At: now}
		if err := event.QueryRowContext(ctx, storyID, ev.CommentID, db.timeArg(now)).Scan(&ev.ID); err != nil {
			return fmt.Errorf("add comment event: %w", err)
		}
		*evs = append(*evs, ev)
	}
	if db.dialect == DialectPostgres {
		for _, ev := range *evs {
			payload, err := json.Marshal(ev)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, CommentEventsChannel, string(payload)); err != nil {
				return fmt.Errorf("notify comment event: %w", err)
			}
		}
	}
	return nil
}

// importOrder returns m's keys in increasing order, so that concurrent
// writers update rows in one order.
func importOrder(m map[int64]int) []int64 {
	keys := make([]int64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
