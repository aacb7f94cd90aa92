package sqldb

import (
	"context"
	"database/sql"
	"time"
)

// removeAuthorComments removes every comment of an account whose deletion
// is carried out and who chose to have their comments removed: each
// published, pending or rejected one becomes a placeholder (status
// deleted, no text), as when its author deletes it, so that none can be
// approved or restored later. The counts that included the published ones
// — the story's comment count, the reply counts of the comments they
// replied to and their threads' reply counts — go down with them; pending
// and rejected comments were counted nowhere. It works on sets, in a few
// statements, however many comments the account wrote.
func removeAuthorComments(ctx context.Context, db *DB, tx *sql.Tx, accountID int64, now time.Time) error {
	const mine = `SELECT id FROM comments WHERE author_id = $1 AND status IN ('published', 'pending', 'rejected')`
	for _, q := range []string{
		`UPDATE stories SET comment_count = comment_count - (
	SELECT COUNT(*) FROM comments c
	WHERE c.story_id = stories.id AND c.author_id = $1 AND c.status = 'published')
WHERE id IN (SELECT story_id FROM comments WHERE author_id = $1 AND status = 'published')`,

		`UPDATE comments SET reply_count = reply_count - (
	SELECT COUNT(*) FROM comments r
	WHERE r.author_id = $1 AND r.status = 'published'
	AND (r.parent_id = comments.id OR r.reply_to_id = comments.id))
WHERE id IN (SELECT parent_id FROM comments WHERE author_id = $1 AND status = 'published' AND parent_id IS NOT NULL
	UNION SELECT reply_to_id FROM comments WHERE author_id = $1 AND status = 'published' AND reply_to_id IS NOT NULL)`,

		`UPDATE comments SET thread_replies = thread_replies - (
	SELECT COUNT(*) FROM comments r
	WHERE r.author_id = $1 AND r.status = 'published' AND r.root_id = comments.id)
WHERE id IN (SELECT root_id FROM comments WHERE author_id = $1 AND status = 'published' AND root_id IS NOT NULL)`,
	} {
		if _, err := tx.ExecContext(ctx, q, accountID); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, `UPDATE comments SET status = 'deleted', body = '', body_html = '', updated_at = $2
WHERE id IN (`+mine+`)`, accountID, db.timeArg(now))
	return err
}
