package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"masthead"
)

// shownReply is the condition that a reply c is shown to the viewer bound
// to $2: it is shown to everyone (visibleReply), or it is the viewer's own
// reply awaiting review.
const shownReply = `(` + visibleReply + ` OR (c.status = 'pending' AND c.author_id = $2))`

// replyRootSQL reads a thread's top-level comment $1 with the viewer $2's
// respect and the story's slug.
var replyRootSQL = `SELECT ` + commentColumns + `, ` + respectedBy("$2") + `, s.slug` +
	commentFrom + ` JOIN stories s ON s.id = c.story_id WHERE c.id = $1`

// repliesFirstSQL and repliesAfterSQL read the first $3 replies of thread
// $1 shown to viewer $2, in order, from the start or after ($4, $5): one
// bounded scan of the comments_root index, however long the thread.
var (
	repliesFirstSQL = `SELECT ` + commentColumns + `, ` + respectedBy("$2") + commentFrom + `
WHERE c.root_id = $1 AND ` + shownReply + `
ORDER BY c.created_at, c.id LIMIT $3`
	repliesAfterSQL = `SELECT ` + commentColumns + `, ` + respectedBy("$2") + commentFrom + `
WHERE c.root_id = $1 AND ` + shownReply + ` AND (c.created_at, c.id) > ($4, $5)
ORDER BY c.created_at, c.id LIMIT $3`
)

// FindReplies returns a page of a thread's replies in order (ENOTFOUND
// unless RootID is a top-level comment shown to the viewer): at most
// Limit (PageSize by default, at most 100) after the cursor, with the
// thread's top-level comment, its story's slug, the cursor of the next
// page and how many published replies follow. A page costs two queries
// however long the thread: the top-level comment, whose reply count is
// kept on write, and one keyset scan of the thread's replies; the cursor
// carries the count of the replies before it.
func (cs *CommentService) FindReplies(ctx context.Context, f masthead.ReplyFilter) (*masthead.ReplyPage, error) {
	var after *masthead.ReplyCursor
	if f.After != "" {
		k, err := masthead.ParseReplyCursor(f.After)
		if err != nil {
			return nil, err
		}
		after = &k
	}
	if f.Limit <= 0 {
		f.Limit = cs.settings.PageSize
	}
	f.Limit = min(f.Limit, maxCommentPage)
	db := cs.db
	page := &masthead.ReplyPage{}
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		if cs.onQuery != nil {
			cs.onQuery()
		}
		var root commentRow
		err := db.queryRowRead(ctx, tx, replyRootSQL, f.RootID, f.ViewerID).Scan(root.dest(&root.Respected, &page.StorySlug)...)
		if errors.Is(err, sql.ErrNoRows) {
			return errCommentNotFound()
		} else if err != nil {
			return fmt.Errorf("find thread: %w", err)
		}
		placeholder := root.Status == masthead.CommentDeleted || root.Status == masthead.CommentRejected
		shown := root.Status == masthead.CommentPublished || (placeholder && root.threadReplies > 0) ||
			(root.Status == masthead.CommentPending && f.ViewerID != 0 && root.AuthorID == f.ViewerID)
		if root.ParentID != 0 || !shown {
			return errCommentNotFound()
		}
		if placeholder {
			// Readers see a removed comment's place, not its text.
			root.Status, root.Body, root.BodyHTML, root.Featured = masthead.CommentDeleted, "", "", false
		}
		page.Root = root.comment()

		if cs.onQuery != nil {
			cs.onQuery()
		}
		q, args := repliesFirstSQL, []any{f.RootID, f.ViewerID, f.Limit + 1}
		before := 0
		if after != nil {
			q = repliesAfterSQL
			args = append(args, db.timeArg(after.At), after.ID)
			before = after.Shown
		}
		rows, err := db.queryRead(ctx, tx, q, args...)
		if err != nil {
			return err
		}
		replies, err := scanComments(rows)
		if err != nil {
			return err
		}
		more := len(replies) > f.Limit
		if more {
			replies = replies[:f.Limit]
		}
		published := before
		for _, r := range replies {
			page.Replies = append(page.Replies, r.comment())
			if r.Status == masthead.CommentPublished {
				published++
			}
		}
		if more {
			last := replies[len(replies)-1]
			page.Next = masthead.ReplyCursor{At: last.CreatedAt, ID: last.ID, Shown: published}.String()
			// At least one more is shown, even if replies before the
			// cursor were removed since it was made.
			page.More = max(1, root.threadReplies-published)
		}
		return nil
	})
	if err != nil {
		return nil, wrapUnlessApp("find replies", err)
	}
	return page, nil
}

// LocateComment returns where the comment with the ID (in any status;
// ENOTFOUND for an unknown one) is shown in the default order, the story's
// comments and a thread's replies coming limit a page (PageSize by
// default, at most 100): the cursor of the page of the story that shows
// its thread and, for a reply beyond the first ones its thread shows
// there, the cursor of the replies page that shows it. The pages are the
// ones that following "show more" from the first page gives.
//
// It costs one read transaction of four to seven queries: the comment
// (and its thread's top-level comment), its story's slug, a count of the
// top-level comments before its thread and, past the first page, an
// OFFSET to the start of the page; for a reply, likewise in its thread.
// The counts and offsets are linear in the comment's position (the
// newer top-level comments of the story, the replies before it), so it
// serves permalinks: the comment forms carry the page they were on, and
// send the viewer back there without locating.
func (cs *CommentService) LocateComment(ctx context.Context, id int64, limit int) (*masthead.CommentLocation, error) {
	if limit <= 0 {
		limit = cs.settings.PageSize
	}
	limit = min(limit, maxCommentPage)
	db := cs.db
	var loc *masthead.CommentLocation
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		c, err := db.findComment(ctx, tx, id, false)
		if err != nil {
			return err
		}
		root := c
		if c.ParentID != 0 && c.RootID != 0 {
			if root, err = db.findComment(ctx, tx, c.RootID, false); err != nil {
				return err
			}
		}
		loc = &masthead.CommentLocation{CommentID: c.ID, RootID: root.ID}
		if err := db.queryRowRead(ctx, tx, `SELECT slug FROM stories WHERE id = $1`, c.StoryID).Scan(&loc.StorySlug); err != nil {
			return fmt.Errorf("find story: %w", err)
		}
		if loc.After, err = db.threadPageCursor(ctx, tx, &root.Comment, limit); err != nil {
			return err
		}
		if c.ID != root.ID {
			loc.RepliesAfter, err = db.replyPageCursor(ctx, tx, &c.Comment, root.ID, limit)
			loc.InReplies = loc.RepliesAfter != ""
			return err
		}
		return nil
	})
	if err != nil {
		return nil, wrapUnlessApp("locate comment", err)
	}
	return loc, nil
}

// topOf is the condition that c is a shown top-level comment of story $1,
// featured or not.
func topOf(featured bool) string {
	f := "FALSE"
	if featured {
		f = "TRUE"
	}
	return `c.story_id = $1 AND c.parent_id IS NULL AND c.featured = ` + f + ` AND ` + visibleTop
}

// threadPageCursor returns the cursor of the page, in the default order
// (featured first, then newest first) of limit threads a page, that shows
// the top-level comment root; "" for the first page.
func (db *DB) threadPageCursor(ctx context.Context, tx *sql.Tx, root *masthead.Comment, limit int) (string, error) {
	// The comments before root: every featured one if root is not, and
	// those of its kind that are newer.
	var featured, newer int
	err := db.queryRowRead(ctx, tx, `SELECT (SELECT COUNT(*) FROM comments c WHERE `+topOf(true)+`),
	(SELECT COUNT(*) FROM comments c WHERE `+topOf(root.Featured)+` AND (c.created_at, c.id) > ($2, $3))`,
		root.StoryID, db.timeArg(root.CreatedAt), root.ID).Scan(&featured, &newer)
	if err != nil {
		return "", fmt.Errorf("count threads: %w", err)
	}
	pos := newer
	if !root.Featured {
		pos += featured
	}
	if pos < limit {
		return "", nil
	}
	// The page before ends with the comment at position end.
	end := pos/limit*limit - 1
	inFeatured := end < featured
	offset := end
	if !inFeatured {
		offset -= featured
	}
	k := commentCursor{sort: masthead.SortNewest, featured: inFeatured}
	var at time.Time
	err = db.queryRowRead(ctx, tx, `SELECT c.created_at, c.id FROM comments c WHERE `+topOf(inFeatured)+`
ORDER BY c.created_at DESC, c.id DESC LIMIT 1 OFFSET $2`, root.StoryID, offset).Scan(timeCol{&at}, &k.id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil // changed under us: the first page is the best guess
	} else if err != nil {
		return "", fmt.Errorf("find page start: %w", err)
	}
	k.key = at.UnixNano()
	return k.String(), nil
}

// replyPageCursor returns the cursor of the replies page of thread rootID,
// limit replies a page after the first repliesPerThread that the story's
// page shows, that shows reply c; "" if the story's page shows it.
func (db *DB) replyPageCursor(ctx context.Context, tx *sql.Tx, c *masthead.Comment, rootID int64, limit int) (string, error) {
	var before int
	err := db.queryRowRead(ctx, tx, `SELECT COUNT(*) FROM comments c WHERE c.root_id = $1 AND `+visibleReply+`
AND (c.created_at, c.id) < ($2, $3)`, rootID, db.timeArg(c.CreatedAt), c.ID).Scan(&before)
	if err != nil {
		return "", fmt.Errorf("count replies: %w", err)
	}
	if before < repliesPerThread {
		return "", nil
	}
	// The page before ends with the reply at position end.
	end := repliesPerThread + (before-repliesPerThread)/limit*limit - 1
	var k masthead.ReplyCursor
	err = db.queryRowRead(ctx, tx, `SELECT b.created_at, b.id, (SELECT COUNT(*) FROM comments c
	WHERE c.root_id = $1 AND c.status = 'published' AND (c.created_at, c.id) <= (b.created_at, b.id))
FROM (SELECT c.created_at, c.id FROM comments c WHERE c.root_id = $1 AND `+visibleReply+`
	ORDER BY c.created_at, c.id LIMIT 1 OFFSET $2) b`, rootID, end).Scan(timeCol{&k.At}, &k.ID, &k.Shown)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("find replies page start: %w", err)
	}
	return k.String(), nil
}
