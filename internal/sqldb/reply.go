package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"masthead"
)

// Reply emails.
//
// When a published reply's replied-to comment belongs to another live
// account with reply emails on, that account is told by an outbox message
// of kind EmailCommentReply, written in the transaction that stores the
// reply. There is at most one such message per (recipient, thread) an
// hour: outbox.thread_id holds the thread's top-level comment, and the
// newest message of the pair decides what a new reply does:
//
//   - pending and not being sent: the reply is added to its data;
//   - being sent (leased), or sent less than an hour ago: a new message
//     is queued, due an hour after that one was sent (later replies are
//     then added to it);
//   - otherwise (none, sent long ago, given up on): a new message is
//     queued, due at once.
//
// That costs a fixed number of queries per reply, whatever the size of the
// thread. On PostgreSQL the recipient's reply emails are serialised with an
// advisory lock, and the pending message is locked against a sender
// claiming it meanwhile.

const (
	// purposeUnsubscribeReplies is the token purpose of the one-click
	// unsubscribe link of a reply email.
	purposeUnsubscribeReplies = "unsubscribe_replies"
	// unsubscribeTokenLifetime is how long such a link works.
	unsubscribeTokenLifetime = 365 * 24 * time.Hour
	// replyEmailInterval is the least time between two reply emails
	// about one thread to one recipient.
	replyEmailInterval = time.Hour
	// replyLockClass is the first key of the PostgreSQL advisory locks
	// that serialise one recipient's reply emails ("rply").
	replyLockClass int32 = 0x72706c79
)

// queueReplyEmail tells the author of the comment replyToID, in tx, of the
// reply c just stored, unless it is their own reply, the reply is not
// published, or they are deleted or have reply emails off.
func (db *DB) queueReplyEmail(ctx context.Context, tx *sql.Tx, c *masthead.Comment, replyToID int64, now time.Time) error {
	if replyToID == 0 || c.Status != masthead.CommentPublished {
		return nil
	}
	var recipient int64
	var to, name, headline, slug string
	err := tx.QueryRowContext(ctx, `SELECT a.id, a.email, COALESCE(a.display_name, ''), s.headline, s.slug
FROM comments p JOIN accounts a ON a.id = p.author_id JOIN stories s ON s.id = p.story_id
WHERE p.id = $1 AND p.author_id <> $2 AND a.deleted_at IS NULL AND a.email IS NOT NULL AND a.reply_emails`,
		replyToID, c.AuthorID).Scan(&recipient, &to, &name, &headline, &slug)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return fmt.Errorf("reply email: find recipient: %w", err)
	}
	if err := db.lockAccount(ctx, tx, replyLockClass, recipient); err != nil {
		return fmt.Errorf("reply email: %w", err)
	}

	notice := masthead.ReplyNotice{
		Name:    c.AuthorName,
		Excerpt: masthead.Excerpt(c.Body, masthead.ReplyExcerptLength),
		Path:    "/comments/" + strconv.FormatInt(c.ID, 10),
	}

	// The newest message to the recipient about the thread.
	var (
		id           int64
		status, data string
		sentAt       time.Time
		leasedUntil  time.Time
	)
	err = tx.QueryRowContext(ctx, `SELECT id, status, data, sent_at, leased_until FROM outbox
WHERE account_id = $1 AND thread_id = $2 AND kind = $3
ORDER BY id DESC LIMIT 1`+db.forUpdate(), recipient, c.RootID, string(masthead.EmailCommentReply)).
		Scan(&id, &status, &data, timeCol{&sentAt}, timeCol{&leasedUntil})
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("reply email: find batch: %w", err)
	}
	due := now
	switch {
	case err != nil: // none yet
	case status == "pending" && !leasedUntil.After(now):
		return db.addReplyToEmail(ctx, tx, id, data, notice)
	case status == "pending": // being sent now
		due = now.Add(replyEmailInterval)
	case status == "sent" && sentAt.After(now.Add(-replyEmailInterval)):
		due = sentAt.Add(replyEmailInterval)
	}

	token, err := db.createToken(ctx, tx, recipient, purposeUnsubscribeReplies, "", now, now.Add(unsubscribeTokenLifetime))
	if err != nil {
		return fmt.Errorf("reply email: %w", err)
	}
	replies, err := json.Marshal([]masthead.ReplyNotice{notice})
	if err != nil {
		return fmt.Errorf("reply email: %w", err)
	}
	b, err := json.Marshal(map[string]string{
		"name":                             name,
		masthead.ReplyDataHeadline:         headline,
		masthead.ReplyDataStoryPath:        "/stories/" + slug,
		masthead.ReplyDataReplies:          string(replies),
		masthead.ReplyDataCount:            "1",
		masthead.ReplyDataUnsubscribeToken: token,
	})
	if err != nil {
		return fmt.Errorf("reply email: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (kind, to_address, account_id, thread_id, data, next_attempt_at, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)`, string(masthead.EmailCommentReply), to, recipient, c.RootID, string(b),
		db.timeArg(due), db.timeArg(now)); err != nil {
		return fmt.Errorf("reply email: queue: %w", err)
	}
	return nil
}

// addReplyToEmail adds the reply n to the data of the pending reply email
// id: it is counted, and quoted if the email quotes fewer than
// masthead.MaxRepliesPerEmail.
func (db *DB) addReplyToEmail(ctx context.Context, tx *sql.Tx, id int64, data string, n masthead.ReplyNotice) error {
	var d map[string]string
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		return fmt.Errorf("reply email %d: data: %w", id, err)
	}
	if d == nil {
		d = map[string]string{}
	}
	var replies []masthead.ReplyNotice
	if s := d[masthead.ReplyDataReplies]; s != "" {
		if err := json.Unmarshal([]byte(s), &replies); err != nil {
			return fmt.Errorf("reply email %d: replies: %w", id, err)
		}
	}
	count, _ := strconv.Atoi(d[masthead.ReplyDataCount])
	count = max(count, len(replies)) + 1
	if len(replies) < masthead.MaxRepliesPerEmail {
		replies = append(replies, n)
	}
	rb, err := json.Marshal(replies)
	if err != nil {
		return fmt.Errorf("reply email %d: %w", id, err)
	}
	d[masthead.ReplyDataReplies] = string(rb)
	d[masthead.ReplyDataCount] = strconv.Itoa(count)
	b, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("reply email %d: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET data = $1 WHERE id = $2`, string(b), id); err != nil {
		return fmt.Errorf("reply email %d: add reply: %w", id, err)
	}
	return nil
}

// NotificationService implements masthead.NotificationService.
type NotificationService struct {
	db *DB
}

var _ masthead.NotificationService = (*NotificationService)(nil)

// NewNotificationService returns a NotificationService over db.
func NewNotificationService(db *DB) *NotificationService {
	return &NotificationService{db: db}
}

func errUnsubscribeInvalid() error {
	return masthead.Errorf(masthead.EINVALID, "%s", masthead.Msg(masthead.MsgUnsubscribeInvalid))
}

// UnsubscribeReplies turns reply emails off for the account of the
// unsubscribe token and deletes its reply emails that are waiting to be
// sent (not one being sent). The token stays usable until it expires, so
// that a mail client's one-click request and the reader's own click both
// succeed; it is marked used the first time.
func (ns *NotificationService) UnsubscribeReplies(ctx context.Context, token string) error {
	db := ns.db
	if !tokenShapeOK(token) {
		return errUnsubscribeInvalid()
	}
	now := db.clock()
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		var accountID int64
		err := tx.QueryRowContext(ctx, `UPDATE tokens SET used_at = COALESCE(used_at, $1)
WHERE token_hash = $2 AND purpose = $3 AND expires_at > $1
RETURNING account_id`, db.timeArg(now), hashToken(token), purposeUnsubscribeReplies).Scan(&accountID)
		if errors.Is(err, sql.ErrNoRows) {
			return errUnsubscribeInvalid()
		} else if err != nil {
			return fmt.Errorf("use token: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET reply_emails = $1, updated_at = $2
WHERE id = $3 AND deleted_at IS NULL AND reply_emails`, false, db.timeArg(now), accountID); err != nil {
			return fmt.Errorf("turn reply emails off: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM outbox
WHERE account_id = $1 AND kind = $2 AND status = 'pending' AND (leased_until IS NULL OR leased_until <= $3)`,
			accountID, string(masthead.EmailCommentReply), db.timeArg(now)); err != nil {
			return fmt.Errorf("drop reply emails: %w", err)
		}
		return nil
	})
	if err != nil {
		return wrapUnlessApp("unsubscribe replies", err)
	}
	return nil
}
