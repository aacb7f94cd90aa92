package sqldb

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"masthead"
)

// CommentService implements masthead.CommentService.
//
// Every write applies the commenting gate and the abuse limits inside the
// write transaction that stores it. A story's comment count, each
// comment's reply counts and respects are kept up to date on write, so
// that reading a page never counts. Every change is also written to
// comment_events, in the same transaction, for live updates; on
// PostgreSQL the transaction also sends it with NOTIFY on
// CommentEventsChannel, so that every instance sharing the database hears
// of it when it commits.
type CommentService struct {
	db       *DB
	settings masthead.CommentSettings
	loc      *time.Location

	// OnEvent, if set, is called after a transaction that wrote comment
	// events has committed, once for each event, in order. It is not
	// called for a refused or failed write. It must not block.
	OnEvent func(masthead.CommentEvent)

	// Policy is the commenting policy the service applies: the site-wide
	// switch, pre-moderation, the word lists, the edit window and the
	// automatic closing. NewCommentService sets one whose defaults come
	// from its settings (making it reads nothing, so replacing it costs
	// nothing); before the service is first used, give it the
	// PolicyService the settings page saves through instead, so that a
	// save applies here at once.
	Policy *PolicyService

	// onQuery, if set, is called for every query FindComments runs (a
	// test hook).
	onQuery func()

	// batch gathers concurrent posts into group commits on SQLite;
	// onBatch, if set, is told the size of each batch stored (a test
	// hook).
	batch   postBatcher
	onBatch func(n int)

	// free is the Free plan, which every commenter without a paid plan
	// falls back to, reused for a second between posts.
	free freePlanCache
}

var _ masthead.CommentService = (*CommentService)(nil)

// CommentEventsChannel is the PostgreSQL NOTIFY channel of comment events;
// each payload is the JSON of a masthead.CommentEvent.
const CommentEventsChannel = "masthead_comment_events"

// Limits of comment reading and reporting.
const (
	maxCommentPage       = 100                       // top-level comments a page
	repliesPerThread     = masthead.RepliesPerThread // replies shown under a thread on a page
	maxCommentEvents     = 1000
	defaultCommentEvents = 100
	maxReportLen         = 500
)

// commentLockClass is the first key of the PostgreSQL advisory locks that
// serialise one account's comment writes ("cmnt"), so that its limits are
// counted exactly.
const commentLockClass int32 = 0x636d6e74

// bucketCommentRespect counts respects given, per account: taking a
// respect back does not give the allowance back.
const bucketCommentRespect = "comment_respect"

// NewCommentService returns a CommentService over db. A zero settings
// means masthead.DefaultCommentSettings; otherwise its zero numbers and
// durations take their default values (Enabled is taken as given). loc is
// the site's time zone, in which meter periods begin; nil means UTC.
func NewCommentService(db *DB, settings masthead.CommentSettings, loc *time.Location) *CommentService {
	if loc == nil {
		loc = time.UTC
	}
	settings = commentDefaults(settings)
	return &CommentService{db: db, settings: settings, loc: loc,
		Policy: NewPolicyService(db, masthead.DefaultCommentPolicy(settings))}
}

// commentDefaults fills the zero fields of s from the defaults.
func commentDefaults(s masthead.CommentSettings) masthead.CommentSettings {
	d := masthead.DefaultCommentSettings()
	if s == (masthead.CommentSettings{}) {
		return d
	}
	num := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	dur := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	num(&s.MaxLength, d.MaxLength)
	dur(&s.EditWindow, d.EditWindow)
	dur(&s.MinInterval, d.MinInterval)
	num(&s.PerDay, d.PerDay)
	dur(&s.DuplicateWindow, d.DuplicateWindow)
	num(&s.RespectsPerDay, d.RespectsPerDay)
	num(&s.ReportsPerDay, d.ReportsPerDay)
	num(&s.PageSize, d.PageSize)
	s.PageSize = min(s.PageSize, maxCommentPage)
	return s
}

// commentColumns are the columns commentRow.dest scans, from comments c
// joined with accounts a (the author; a tombstone has no name).
const commentColumns = `c.id, c.story_id, COALESCE(c.parent_id, 0), COALESCE(c.root_id, 0),
	COALESCE(c.reply_to_id, 0), c.depth, c.author_id, COALESCE(a.display_name, ''), a.about, a.role,
	c.body, c.body_html, c.status, c.featured, c.edited_at, c.respects, c.reply_count, c.thread_replies,
	c.created_at, c.updated_at`

// commentFrom is the FROM clause of commentColumns.
const commentFrom = ` FROM comments c JOIN accounts a ON a.id = c.author_id`

// commentRow is a comment as stored.
type commentRow struct {
	masthead.Comment
	replyToID     int64
	threadReplies int
	role          masthead.Role
}

// dest returns the scan destinations of commentColumns, then extra.
func (r *commentRow) dest(extra ...any) []any {
	c := &r.Comment
	return append([]any{&c.ID, &c.StoryID, &c.ParentID, &c.RootID, &r.replyToID, &c.Depth, &c.AuthorID,
		&c.AuthorName, &c.AuthorAbout, &r.role, &c.Body, &c.BodyHTML, &c.Status, &c.Featured,
		timeCol{&c.EditedAt}, &c.Respects, &c.ReplyCount, &r.threadReplies,
		timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt}}, extra...)
}

// comment returns the domain comment.
func (r *commentRow) comment() *masthead.Comment {
	c := r.Comment
	if c.RootID == 0 {
		c.RootID = c.ID
	}
	c.AuthorStaff = r.role.IsStaff()
	return &c
}

func errCommentNotFound() error {
	return masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgCommentNotFound))
}

func errCommentForbidden(id masthead.MessageID, args ...any) error {
	return &masthead.Error{Code: masthead.EFORBIDDEN, Message: masthead.Msg(id, args...)}
}

func errCommentLimited(id masthead.MessageID, args ...any) error {
	return &masthead.Error{Code: masthead.ERATELIMIT, Message: masthead.Msg(id, args...)}
}

// lockComment returns the clause that locks the comment c read in a write
// transaction on PostgreSQL (not its author); nothing on SQLite.
func (db *DB) lockComment() string {
	if db.dialect == DialectPostgres {
		return ` FOR UPDATE OF c`
	}
	return ``
}

// findComment returns the comment with the ID in any status, locked if
// lock; ENOTFOUND if there is none.
func (db *DB) findComment(ctx context.Context, q queryer, id int64, lock bool) (*commentRow, error) {
	query := `SELECT ` + commentColumns + commentFrom + ` WHERE c.id = $1`
	if lock {
		query += db.lockComment()
	}
	var r commentRow
	err := q.QueryRowContext(ctx, query, id).Scan(r.dest()...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errCommentNotFound()
	} else if err != nil {
		return nil, fmt.Errorf("find comment: %w", err)
	}
	return &r, nil
}

// commit runs fn in a write transaction and, once it has committed, hands
// the events fn wrote to OnEvent.
func (cs *CommentService) commit(ctx context.Context, fn func(tx *sql.Tx, evs *[]masthead.CommentEvent) error) error {
	var evs []masthead.CommentEvent
	err := cs.db.writeTx(ctx, func(tx *sql.Tx) error {
		evs = evs[:0]
		return fn(tx, &evs)
	})
	if err != nil {
		return err
	}
	if cs.OnEvent != nil {
		for _, ev := range evs {
			cs.OnEvent(ev)
		}
	}
	return nil
}

// addCommentEvent records a change to a story's comments and, on
// PostgreSQL, notifies CommentEventsChannel when tx commits. On PostgreSQL
// the story's row is locked first, so that one story's events commit in
// the order of their IDs and a client resuming after an ID misses none.
// The lock is FOR NO KEY UPDATE, the mode the comment count's UPDATE takes:
// FOR UPDATE would also wait for the key-share locks that other posters'
// comment inserts hold on the story row through the foreign key, while
// they wait for this transaction's count update — a deadlock.
func (db *DB) addCommentEvent(ctx context.Context, tx *sql.Tx, storyID int64, kind string, commentID int64, now time.Time) (masthead.CommentEvent, error) {
	ev := masthead.CommentEvent{StoryID: storyID, Kind: kind, CommentID: commentID, At: now}
	if db.dialect == DialectPostgres {
		if _, err := tx.ExecContext(ctx, `SELECT id FROM stories WHERE id = $1 FOR NO KEY UPDATE`, storyID); err != nil {
			return ev, fmt.Errorf("lock story: %w", err)
		}
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO comment_events (story_id, kind, comment_id, at)
VALUES ($1, $2, $3, $4) RETURNING id`, storyID, kind, commentID, db.timeArg(now)).Scan(&ev.ID); err != nil {
		return ev, fmt.Errorf("add comment event: %w", err)
	}
	if db.dialect == DialectPostgres {
		payload, err := json.Marshal(ev)
		if err != nil {
			return ev, err
		}
		if _, err := tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, CommentEventsChannel, string(payload)); err != nil {
			return ev, fmt.Errorf("notify comment event: %w", err)
		}
	}
	return ev, nil
}

// adjustReplyCounts adds delta to the reply counts of a reply's parent and
// replied-to comment and to its thread's count.
func adjustReplyCounts(ctx context.Context, tx *sql.Tx, parentID, replyToID, rootID int64, delta int) error {
	_, err := tx.ExecContext(ctx, `UPDATE comments SET
	reply_count = reply_count + CASE WHEN id = $1 OR id = $2 THEN $4 ELSE 0 END,
	thread_replies = thread_replies + CASE WHEN id = $3 THEN $4 ELSE 0 END
WHERE id IN ($1, $2, $3)`, parentID, replyToID, rootID, delta)
	if err != nil {
		return fmt.Errorf("count replies: %w", err)
	}
	return nil
}

// adjustStoryCount adds delta to the story's comment count.
func adjustStoryCount(ctx context.Context, tx *sql.Tx, storyID int64, delta int) error {
	if _, err := tx.ExecContext(ctx, `UPDATE stories SET comment_count = comment_count + $1 WHERE id = $2`, delta, storyID); err != nil {
		return fmt.Errorf("count comments: %w", err)
	}
	return nil
}

// PostComment stores a comment or reply. In one write transaction it
// finds the visible story (ENOTFOUND), applies the commenting gate to the
// author as the database holds them now (their effective plan, sanction,
// and whether they may read the story, without counting a read on their
// meter), then the author's limits: one comment per MinInterval and
// PerDay a day (ERATELIMIT), and not the same text again within
// DuplicateWindow (EINVALID, field body). Then the commenting policy
// (Policy; masthead.ModerateComment): a banned word refuses the comment
// (EINVALID, field body) and stores nothing; a hold stores it pending,
// with its reason, uncounted, without a reply email or a live event, and
// only its author sees it (FindComments); otherwise it is published.
//
// A reply names its parent, a published comment of the same story
// (ENOTFOUND otherwise). Replies nest to masthead.MaxCommentDepth; a reply
// to a comment at that depth attaches to that comment's parent, at the
// same depth, and its body begins with a mention of the replied-to author,
// "@Name " (which may take it a name's length beyond MaxLength); it still
// counts as a reply to that comment, which can then no longer be edited.
func (cs *CommentService) PostComment(ctx context.Context, nc masthead.NewComment) (*masthead.Comment, error) {
	body, err := masthead.NormalizeCommentBody(nc.Body, cs.settings.MaxLength)
	if err != nil {
		return nil, err
	}
	now := cs.db.clock()
	if cs.db.dialect == DialectSQLite {
		// SQLite has one writer: concurrent posts share its transactions
		// (see postBatcher) instead of waiting for one fsync each.
		return cs.postGrouped(ctx, nc, body, now)
	}
	return cs.postAlone(ctx, nc, body, now)
}

// postAlone stores one post in a transaction of its own.
func (cs *CommentService) postAlone(ctx context.Context, nc masthead.NewComment, body string, now time.Time) (*masthead.Comment, error) {
	var c *masthead.Comment
	err := cs.commit(ctx, func(tx *sql.Tx, evs *[]masthead.CommentEvent) error {
		var ev masthead.CommentEvent
		var err error
		c, ev, err = cs.postComment(ctx, tx, nc, body, now)
		if err != nil {
			return err
		}
		if ev.ID != 0 { // a held comment makes no public event
			*evs = append(*evs, ev)
		}
		return nil
	})
	if err != nil {
		return nil, wrapUnlessApp("post comment", err)
	}
	return c, nil
}

// commenter is what posting needs of the author.
type commenter struct {
	masthead.Account
	deletedAt time.Time
	sanction  masthead.Sanction
}

// postComment is the inner step of PostComment on a normalised body, at
// now, in tx. Every check happens before anything is written, so a
// refused post (an *masthead.Error) leaves tx as it was: several posts
// may share one transaction (a group commit) and a refusal of one does
// not spoil the others.
func (cs *CommentService) postComment(ctx context.Context, tx *sql.Tx, nc masthead.NewComment, body string, now time.Time) (*masthead.Comment, masthead.CommentEvent, error) {
	db := cs.db
	var ev masthead.CommentEvent
	var st masthead.Story
	typed := body // as written, without a mention added below
	pol, err := cs.Policy.current(ctx, tx)
	if err != nil {
		return nil, ev, err
	}
	err = tx.QueryRowContext(ctx, `SELECT s.id, s.slug, s.access, s.comments, s.premoderated, s.comments_close_days,
	s.published_at FROM stories s
WHERE s.slug = $1 AND `+visibleAt("$2"), nc.StorySlug, db.timeArg(now)).Scan(&st.ID, &st.Slug, &st.Access, &st.Comments,
		&st.Premoderated, &st.CommentsCloseDays, timeCol{&st.PublishedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ev, errStoryNotFound()
	} else if err != nil {
		return nil, ev, fmt.Errorf("find story: %w", err)
	}

	// The gate, on the author as stored now.
	in := masthead.GateInput{CommentsEnabled: pol.policy.Enabled, AutoCloseDays: pol.policy.AutoCloseDays, Story: &st}
	author, err := db.findCommenter(ctx, tx, nc.AuthorID)
	if err != nil && !isNotFound(err) {
		return nil, ev, err
	}
	if author != nil {
		in.Viewer = &author.Account
		in.Sanction = &author.sanction
		if err := cs.readable(ctx, tx, &in, now); err != nil {
			return nil, ev, err
		}
	}
	if err := masthead.CommentGate(in, now).GateError(); err != nil {
		return nil, ev, err
	}
	if err := db.lockAccount(ctx, tx, commentLockClass, author.ID); err != nil {
		return nil, ev, err
	}

	c := &masthead.Comment{StoryID: st.ID, AuthorID: author.ID, AuthorName: author.DisplayName,
		AuthorAbout: author.About, AuthorStaff: author.Role.IsStaff(), Status: masthead.CommentPublished,
		CreatedAt: now, UpdatedAt: now}
	var replyToID int64
	if nc.ParentID != 0 {
		p, err := db.findComment(ctx, tx, nc.ParentID, false)
		if err != nil && !isNotFound(err) {
			return nil, ev, err
		}
		if p == nil || p.StoryID != st.ID || p.Status != masthead.CommentPublished {
			return nil, ev, &masthead.Error{Code: masthead.ENOTFOUND, Field: "parent_id",
				Message: masthead.Msg(masthead.MsgCommentParentInvalid)}
		}
		replyToID = p.ID
		c.ParentID, c.RootID, c.Depth = p.ID, p.RootID, p.Depth+1
		if p.Depth == 0 {
			c.RootID = p.ID
		}
		if p.Depth >= masthead.MaxCommentDepth {
			c.ParentID, c.Depth = p.ParentID, masthead.MaxCommentDepth
			if p.AuthorName != "" {
				body = "@" + p.AuthorName + " " + body
			}
		}
	}
	c.Body, c.BodyHTML = body, masthead.RenderCommentBody(body)

	// The author's limits, counted from their comments.
	var n int
	var last time.Time
	day := now.Add(-24 * time.Hour)
	err = tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN created_at > $2 THEN 1 ELSE 0 END), 0), MAX(created_at)
FROM comments WHERE author_id = $1 AND created_at > $3`,
		author.ID, db.timeArg(day), db.timeArg(minTime(day, now.Add(-cs.settings.MinInterval)))).Scan(&n, timeCol{&last})
	if err != nil {
		return nil, ev, fmt.Errorf("count comments: %w", err)
	}
	if !last.IsZero() && last.After(now.Add(-cs.settings.MinInterval)) {
		return nil, ev, errCommentLimited(masthead.MsgCommentTooSoon, max(1, int((cs.settings.MinInterval+time.Second-1)/time.Second)))
	}
	if n >= cs.settings.PerDay {
		return nil, ev, errCommentLimited(masthead.MsgCommentDailyLimit, cs.settings.PerDay)
	}
	var dup int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM comments WHERE author_id = $1 AND created_at > $2 AND body = $3`,
		author.ID, db.timeArg(now.Add(-cs.settings.DuplicateWindow)), body).Scan(&dup); err != nil {
		return nil, ev, fmt.Errorf("find duplicate: %w", err)
	}
	if dup > 0 {
		return nil, ev, masthead.FieldError("body", masthead.Msg(masthead.MsgCommentDuplicate))
	}

	// The commenting policy: refuse, hold or publish.
	verdict, err := cs.moderate(ctx, tx, pol, &author.Account, &st, typed, false)
	if err != nil {
		return nil, ev, err
	}
	if err := verdict.Err(); err != nil {
		return nil, ev, err
	}
	if verdict.Action == masthead.VerdictHold {
		c.Status = masthead.CommentPending
	}

	// Store it and count it.
	if err := tx.QueryRowContext(ctx, `INSERT INTO comments (story_id, parent_id, root_id, reply_to_id, depth,
	author_id, body, body_html, status, hold_reason, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
		st.ID, nullID(c.ParentID), nullID(c.RootID), nullID(replyToID), c.Depth, c.AuthorID, c.Body, c.BodyHTML,
		string(c.Status), verdict.HoldReason, db.timeArg(now)).Scan(&c.ID); err != nil {
		return nil, ev, fmt.Errorf("insert comment: %w", err)
	}
	if c.Status == masthead.CommentPending {
		// Held: not counted, no reply email, no public event, until a
		// moderator approves it.
		if c.RootID == 0 {
			c.RootID = c.ID
		}
		return c, ev, nil
	}
	if c.RootID == 0 {
		c.RootID = c.ID
	} else if err := adjustReplyCounts(ctx, tx, c.ParentID, replyToID, c.RootID, 1); err != nil {
		return nil, ev, err
	}
	if err := adjustStoryCount(ctx, tx, st.ID, 1); err != nil {
		return nil, ev, err
	}
	if err := db.queueReplyEmail(ctx, tx, c, replyToID, now); err != nil {
		return nil, ev, err
	}
	ev, err = db.addCommentEvent(ctx, tx, st.ID, "posted", c.ID, now)
	if err != nil {
		return nil, ev, err
	}
	return c, ev, nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// participant checks that the account may take part in the discussion by
// respecting or reporting: it exists, is not deleted, and is neither
// suspended nor banned (the gate's refusal, with the date and reason).
func (db *DB) participant(ctx context.Context, tx *sql.Tx, accountID int64, now time.Time) error {
	a, err := db.findCommenter(ctx, tx, accountID)
	if err != nil {
		return err
	}
	return a.sanction.Refusal(now)
}

// findCommenter returns the live account with its sanction; ENOTFOUND if
// there is none or it has been deleted.
func (db *DB) findCommenter(ctx context.Context, q queryer, id int64) (*commenter, error) {
	var a commenter
	err := q.QueryRowContext(ctx, `SELECT a.id, a.role, a.email_verified_at, COALESCE(a.display_name, ''), a.about,
	a.created_at, a.deleted_at, a.commenting_banned, a.commenting_suspended_until, a.sanction_reason
FROM accounts a WHERE a.id = $1`, id).Scan(&a.ID, &a.Role, timeCol{&a.EmailVerifiedAt}, &a.DisplayName, &a.About,
		timeCol{&a.CreatedAt}, timeCol{&a.deletedAt}, &a.sanction.Banned, timeCol{&a.sanction.Until}, &a.sanction.Reason)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !a.deletedAt.IsZero() {
		return nil, errAccountNotFound()
	} else if err != nil {
		return nil, fmt.Errorf("find account: %w", err)
	}
	return &a, nil
}

// readable fills in's Entitlements (of the viewer's effective plan) and
// CanRead: whether the viewer may read the story now, by the one rule,
// without counting a read on their meter.
func (cs *CommentService) readable(ctx context.Context, tx *sql.Tx, in *masthead.GateInput, now time.Time) error {
	db, v := cs.db, in.Viewer
	free, err := cs.free.get(ctx, tx)
	if err != nil {
		return err
	}
	sub, err := db.findSubscription(ctx, tx, v.ID, false)
	if err != nil && !isNotFound(err) {
		return err
	}
	in.Entitlements = masthead.EffectivePlan(sub, free, now).Entitlements
	r := masthead.Reader{Entitlements: in.Entitlements, Staff: v.Role.IsStaff()}
	if in.Story.Access == masthead.AccessMetered && !r.Staff && r.Entitlements.MeteredPerMonth != masthead.Unlimited {
		start, end := masthead.MeterPeriod(v.CreatedAt, now, cs.loc)
		seen, n, err := db.meterRead(ctx, tx, v.ID, in.Story.ID, start)
		if err != nil {
			return err
		}
		r.AlreadyRead = seen
		r.Meter = masthead.MeterState{Used: n, PeriodStart: start, PeriodEnd: end}
	}
	in.CanRead = masthead.DecideRead(in.Story.Access, r).Allowed
	return nil
}

// ownComment returns the comment, locked, for its author to change:
// ENOTFOUND if there is none, EFORBIDDEN if it is another's.
func (db *DB) ownComment(ctx context.Context, tx *sql.Tx, id, accountID int64) (*commentRow, error) {
	r, err := db.findComment(ctx, tx, id, true)
	if err != nil {
		return nil, err
	}
	if r.AuthorID != accountID {
		return nil, errCommentForbidden(masthead.MsgCommentNotYours)
	}
	return r, nil
}

// EditComment replaces the body of the account's own published comment
// (EFORBIDDEN for another's, or one not published), within the policy's
// EditWindow of posting it and while it has no reply at all, whatever the
// reply's status (EFORBIDDEN, saying which), marking it edited. The new body passes the
// commenting policy again: a banned word refuses the edit (EINVALID, field
// body), and what would hold a new comment (not the new-commenter rule)
// sends this one back to review, pending and uncounted, with a "removed"
// live event.
func (cs *CommentService) EditComment(ctx context.Context, id, accountID int64, body string) (*masthead.Comment, error) {
	body, err := masthead.NormalizeCommentBody(body, cs.settings.MaxLength)
	if err != nil {
		return nil, err
	}
	db := cs.db
	now := db.clock()
	pol, err := cs.Policy.current(ctx, db.read) // before the transaction: no connection held yet
	if err != nil {
		return nil, err
	}
	window := pol.policy.EditWindow
	var c *masthead.Comment
	err = cs.commit(ctx, func(tx *sql.Tx, evs *[]masthead.CommentEvent) error {
		r, err := db.ownComment(ctx, tx, id, accountID)
		if err != nil {
			return err
		}
		switch {
		case r.Status != masthead.CommentPublished:
			return errCommentForbidden(masthead.MsgCommentNotEditable)
		case window <= 0:
			return errCommentForbidden(masthead.MsgCommentEditOff)
		case now.After(r.CreatedAt.Add(window)):
			return errCommentForbidden(masthead.MsgCommentEditWindowOver, int(window/time.Minute))
		}
		if replied, err := hasReplies(ctx, tx, id); err != nil {
			return err
		} else if replied {
			return errCommentForbidden(masthead.MsgCommentEditHasReplies)
		}
		if body == r.Body {
			c = r.comment()
			return nil
		}
		// The policy again: banned words refuse the edit; what would
		// hold a new comment sends this one back to review (see
		// holdEdited).
		verdict, err := cs.moderateEdit(ctx, tx, pol, r, body)
		if err != nil {
			return err
		}
		if err := verdict.Err(); err != nil {
			return err
		}
		r.Body, r.BodyHTML, r.EditedAt, r.UpdatedAt = body, masthead.RenderCommentBody(body), now, now
		if _, err := tx.ExecContext(ctx, `UPDATE comments SET body = $1, body_html = $2, edited_at = $3, updated_at = $3
WHERE id = $4`, r.Body, r.BodyHTML, db.timeArg(now), id); err != nil {
			return fmt.Errorf("update comment: %w", err)
		}
		kind := "edited"
		if verdict.Action == masthead.VerdictHold {
			if err := holdEdited(ctx, tx, r, verdict.HoldReason); err != nil {
				return err
			}
			kind = "removed"
		}
		ev, err := db.addCommentEvent(ctx, tx, r.StoryID, kind, id, now)
		if err != nil {
			return err
		}
		*evs = append(*evs, ev)
		c = r.comment()
		return nil
	})
	if err != nil {
		return nil, wrapUnlessApp("edit comment", err)
	}
	return c, nil
}

// hasReplies reports whether any comment, in any status, replies to the
// comment id or hangs under it: not only the published ones ReplyCount
// counts, but pending ones too, which an approval would publish under it.
// Each EXISTS reads an index (comments_parent, comments_reply_to).
func hasReplies(ctx context.Context, tx *sql.Tx, id int64) (bool, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT
	CASE WHEN EXISTS (SELECT 1 FROM comments WHERE parent_id = $1) THEN 1 ELSE 0 END +
	CASE WHEN EXISTS (SELECT 1 FROM comments WHERE reply_to_id = $1) THEN 1 ELSE 0 END`, id).Scan(&n); err != nil {
		return false, fmt.Errorf("find replies: %w", err)
	}
	return n > 0, nil
}

// DeleteComment removes the account's own comment (EFORBIDDEN for
// another's): its status becomes deleted and its text is cleared, and it
// stays in its thread as a placeholder while it has replies. Deleting a
// deleted comment again changes nothing.
func (cs *CommentService) DeleteComment(ctx context.Context, id, accountID int64) error {
	db := cs.db
	now := db.clock()
	err := cs.commit(ctx, func(tx *sql.Tx, evs *[]masthead.CommentEvent) error {
		r, err := db.ownComment(ctx, tx, id, accountID)
		if err != nil {
			return err
		}
		if r.Status == masthead.CommentDeleted {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE comments SET status = $1, body = '', body_html = '', updated_at = $2
WHERE id = $3`, string(masthead.CommentDeleted), db.timeArg(now), id); err != nil {
			return fmt.Errorf("delete comment: %w", err)
		}
		if r.Status == masthead.CommentPublished {
			if r.Depth > 0 {
				if err := adjustReplyCounts(ctx, tx, r.ParentID, r.replyToID, r.RootID, -1); err != nil {
					return err
				}
			}
			if err := adjustStoryCount(ctx, tx, r.StoryID, -1); err != nil {
				return err
			}
		}
		ev, err := db.addCommentEvent(ctx, tx, r.StoryID, "removed", id, now)
		if err != nil {
			return err
		}
		*evs = append(*evs, ev)
		return nil
	})
	if err != nil {
		return wrapUnlessApp("delete comment", err)
	}
	return nil
}

// Report reasons.
var reportReasons = []string{"spam", "abuse", "off_topic", "other"}

// ReportComment records the account's report of a published comment
// (ENOTFOUND otherwise) with a reason (spam, abuse, off_topic or other)
// and text of at most 500 characters, required for other (EINVALID). An
// account reports a comment once (ECONFLICT), never its own (EINVALID),
// and at most ReportsPerDay comments a day (ERATELIMIT); a suspended or
// banned account not at all (the gate's GateSuspended refusal).
func (cs *CommentService) ReportComment(ctx context.Context, id, accountID int64, reason, text string) error {
	reason = strings.TrimSpace(reason)
	if !slices.Contains(reportReasons, reason) {
		return masthead.FieldError("reason", masthead.Msg(masthead.MsgReportReasonInvalid))
	}
	text = strings.TrimSpace(norm.NFC.String(strings.ToValidUTF8(text, "\uFFFD")))
	if n := utf8.RuneCountInString(text); n > maxReportLen {
		return masthead.FieldError("text", masthead.Msg(masthead.MsgReportTextTooLong, maxReportLen, n))
	}
	if reason == "other" && text == "" {
		return masthead.FieldError("text", masthead.Msg(masthead.MsgReportTextRequired))
	}
	db := cs.db
	now := db.clock()
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		if err := db.participant(ctx, tx, accountID, now); err != nil {
			return err
		}
		if err := db.lockAccount(ctx, tx, commentLockClass, accountID); err != nil {
			return err
		}
		r, err := db.findComment(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if r.Status != masthead.CommentPublished {
			return errCommentNotFound()
		}
		if r.AuthorID == accountID {
			return masthead.FieldError("reason", masthead.Msg(masthead.MsgReportOwn))
		}
		var mine, today int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN comment_id = $2 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN created_at > $3 THEN 1 ELSE 0 END), 0)
FROM comment_reports WHERE account_id = $1 AND (comment_id = $2 OR created_at > $3)`,
			accountID, id, db.timeArg(now.Add(-24*time.Hour))).Scan(&mine, &today); err != nil {
			return fmt.Errorf("count reports: %w", err)
		}
		if mine > 0 {
			return &masthead.Error{Code: masthead.ECONFLICT, Message: masthead.Msg(masthead.MsgReportTwice)}
		}
		if today >= cs.settings.ReportsPerDay {
			return errCommentLimited(masthead.MsgReportDailyLimit, cs.settings.ReportsPerDay)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO comment_reports (comment_id, account_id, reason, text, created_at)
VALUES ($1, $2, $3, $4, $5)`, id, accountID, reason, text, db.timeArg(now))
		if uniqueViolation(err, "comment_id") || uniqueViolation(err, "comment_reports") {
			return &masthead.Error{Code: masthead.ECONFLICT, Message: masthead.Msg(masthead.MsgReportTwice)}
		} else if err != nil {
			return fmt.Errorf("insert report: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE comments SET open_reports = open_reports + 1 WHERE id = $1`, id); err != nil {
			return fmt.Errorf("count report: %w", err)
		}
		return nil
	})
	if err != nil {
		return wrapUnlessApp("report comment", err)
	}
	return nil
}

// ToggleRespect gives the account's one respect to a published comment
// (ENOTFOUND otherwise) that is not its own (EINVALID), or takes it back,
// returning whether the comment is now respected by the account and its
// count. At most RespectsPerDay respects are given a day (ERATELIMIT);
// taking one back does not give the allowance back.
func (cs *CommentService) ToggleRespect(ctx context.Context, id, accountID int64) (bool, int, error) {
	db := cs.db
	now := db.clock()
	var respected bool
	var count int
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		r, err := db.findComment(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if r.Status != masthead.CommentPublished {
			return errCommentNotFound()
		}
		if r.AuthorID == accountID {
			return masthead.FieldError("respect", masthead.Msg(masthead.MsgRespectOwn))
		}
		if err := db.participant(ctx, tx, accountID, now); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM comment_respects WHERE comment_id = $1 AND account_id = $2`, id, accountID)
		if err != nil {
			return fmt.Errorf("take respect back: %w", err)
		}
		delta := -1
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			l := limit{bucket: bucketCommentRespect, key: strconv.FormatInt(accountID, 10),
				max: cs.settings.RespectsPerDay, window: 24 * time.Hour}
			if _, reached, err := db.takeLimits(ctx, tx, now, l); err != nil {
				return err
			} else if reached != nil {
				return errCommentLimited(masthead.MsgRespectDailyLimit, cs.settings.RespectsPerDay)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO comment_respects (comment_id, account_id, created_at)
VALUES ($1, $2, $3)`, id, accountID, db.timeArg(now)); err != nil {
				return fmt.Errorf("give respect: %w", err)
			}
			delta = 1
		}
		if err := tx.QueryRowContext(ctx, `UPDATE comments SET respects = respects + $1 WHERE id = $2 RETURNING respects`,
			delta, id).Scan(&count); err != nil {
			return fmt.Errorf("count respects: %w", err)
		}
		respected = delta > 0
		return nil
	})
	if err != nil {
		return false, 0, wrapUnlessApp("toggle respect", err)
	}
	return respected, count, nil
}

// FindComment returns the comment with the ID, whatever its status.
func (cs *CommentService) FindComment(ctx context.Context, id int64) (*masthead.Comment, error) {
	var c *masthead.Comment
	err := cs.db.readTx(ctx, func(tx *sql.Tx) error {
		r, err := cs.db.findComment(ctx, tx, id, false)
		if err != nil {
			return err
		}
		c = r.comment()
		return nil
	})
	if err != nil {
		return nil, wrapUnlessApp("find comment", err)
	}
	return c, nil
}

// commentCursor is where a page of top-level comments ends: the last
// comment's featured flag, sort key (created_at in unix nanoseconds, or
// respects) and ID.
type commentCursor struct {
	sort     masthead.CommentSort
	featured bool
	key      int64
	id       int64
}

func (k commentCursor) String() string {
	f := 0
	if k.featured {
		f = 1
	}
	s := fmt.Sprintf("%s.%d.%d.%d", k.sort, f, k.key, k.id)
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

func errCursorInvalid() error {
	return masthead.FieldError("after", masthead.Msg(masthead.MsgCommentCursorInvalid))
}

// parseCommentCursor decodes a cursor of the sort.
func parseCommentCursor(s string, sort masthead.CommentSort) (commentCursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return commentCursor{}, errCursorInvalid()
	}
	parts := strings.Split(string(b), ".")
	if len(parts) != 4 || masthead.CommentSort(parts[0]) != sort || (parts[1] != "0" && parts[1] != "1") {
		return commentCursor{}, errCursorInvalid()
	}
	k := commentCursor{sort: sort, featured: parts[1] == "1"}
	if k.key, err = strconv.ParseInt(parts[2], 10, 64); err != nil {
		return commentCursor{}, errCursorInvalid()
	}
	if k.id, err = strconv.ParseInt(parts[3], 10, 64); err != nil || k.id <= 0 {
		return commentCursor{}, errCursorInvalid()
	}
	return k, nil
}

// sortKey returns the cursor key of c in the sort.
func sortKey(c *masthead.Comment, sort masthead.CommentSort) int64 {
	if sort == masthead.SortRespected {
		return int64(c.Respects)
	}
	return c.CreatedAt.UnixNano()
}

// visibleTop is the condition that a top-level comment c is shown: it is
// published, or a deleted or rejected placeholder with replies in its
// thread.
const visibleTop = `(c.status = 'published' OR (c.status IN ('deleted', 'rejected') AND c.thread_replies > 0))`

// visibleReply is the condition that a reply c is shown: it is
// published, or a deleted or rejected placeholder with replies.
const visibleReply = `(c.status = 'published' OR (c.status IN ('deleted', 'rejected') AND c.reply_count > 0))`

// respectedBy is the column telling whether the account bound to param
// has respected comment c.
func respectedBy(param string) string {
	return `EXISTS (SELECT 1 FROM comment_respects r WHERE r.comment_id = c.id AND r.account_id = ` + param + `)`
}

// topPart returns one branch of the top-level query: the featured (or
// other) top-level comments of story $1 in the sort, as viewer $2, at
// most $3, after ($4, $5) if keyed.
func topPart(sort masthead.CommentSort, featured, keyed bool) string {
	col, dir, cmp := "c.created_at", "DESC", "<"
	switch sort {
	case masthead.SortOldest:
		dir, cmp = "ASC", ">"
	case masthead.SortRespected:
		col = "c.respects"
	}
	f, alias := "FALSE", "others"
	if featured {
		f, alias = "TRUE", "featured"
	}
	q := `SELECT * FROM (SELECT ` + commentColumns + `, ` + respectedBy("$2") + commentFrom + `
WHERE c.story_id = $1 AND c.parent_id IS NULL AND c.featured = ` + f + ` AND (` + visibleTop + ` OR ` + ownPending("$2") + `)`
	if keyed {
		q += ` AND (` + col + `, c.id) ` + cmp + ` ($4, $5)`
	}
	return q + `
ORDER BY ` + col + ` ` + dir + `, c.id ` + dir + ` LIMIT $3) AS ` + alias
}

// topSQL returns the query of a page's top-level comments: featured ones
// first, then the others, each in the sort and after the cursor.
func topSQL(sort masthead.CommentSort, after *commentCursor) string {
	switch {
	case after == nil:
		return topPart(sort, true, false) + "\nUNION ALL\n" + topPart(sort, false, false)
	case after.featured:
		return topPart(sort, true, true) + "\nUNION ALL\n" + topPart(sort, false, false)
	}
	return topPart(sort, false, true)
}

// repliesSQL returns the query of the first $2 shown replies of each of n
// threads ($3...), in order, as viewer $1: one bounded index scan per
// thread, however long the thread.
func repliesSQL(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString("\nUNION ALL\n")
		}
		fmt.Fprintf(&b, `SELECT * FROM (SELECT %s, %s%s
WHERE c.root_id = $%d AND %s ORDER BY c.created_at, c.id LIMIT $2) AS t%d`,
			commentColumns, respectedBy("$1"), commentFrom, i+3, visibleReply, i)
	}
	return b.String()
}

// FindComments returns a page of a story's threads (ENOTFOUND for an
// unknown story): top-level comments, featured ones first and then in the
// sort, at most Limit (PageSize by default, at most 100), each with its
// first replies (at most 20, in order) and how many more it has. The
// viewer's own pending comments appear too, to them alone (Status
// pending); no other reader sees them, and they are not counted. Deleted
// comments that have replies appear as placeholders. A page costs three
// queries however many comments the story has: the story's count, the
// top-level comments with their authors and the viewer's respects, and
// the replies likewise.
func (cs *CommentService) FindComments(ctx context.Context, f masthead.CommentFilter) (*masthead.CommentPage, error) {
	if f.Sort == "" {
		f.Sort = masthead.SortNewest
	}
	if !f.Sort.Valid() {
		return nil, masthead.FieldError("sort", masthead.Msg(masthead.MsgCommentSortInvalid))
	}
	var after *commentCursor
	if f.After != "" {
		k, err := parseCommentCursor(f.After, f.Sort)
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
	query := func(ctx context.Context, tx *sql.Tx, q string, args ...any) (*sql.Rows, error) {
		if cs.onQuery != nil {
			cs.onQuery()
		}
		return db.queryRead(ctx, tx, q, args...)
	}
	page := &masthead.CommentPage{}
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := query(ctx, tx, `SELECT comment_count FROM stories WHERE id = $1`, f.StoryID)
		if err != nil {
			return err
		}
		found := rows.Next()
		if found {
			err = rows.Scan(&page.Total)
		}
		err = errors.Join(err, rows.Close(), rows.Err())
		if err != nil {
			return err
		}
		if !found {
			return errStoryNotFound()
		}

		args := []any{f.StoryID, f.ViewerID, f.Limit + 1}
		if after != nil {
			key := any(after.key)
			if f.Sort != masthead.SortRespected {
				key = db.timeArg(time.Unix(0, after.key).UTC())
			}
			args = append(args, key, after.id)
		}
		rows, err = query(ctx, tx, topSQL(f.Sort, after)+ownPendingRepliesSQL(f.ViewerID), args...)
		if err != nil {
			return err
		}
		top, err := scanComments(rows)
		if err != nil {
			return err
		}
		top, own := splitOwnReplies(top)
		slices.SortStableFunc(top, func(a, b *commentRow) int { return compareTop(f.Sort, a, b) })
		if len(top) > f.Limit {
			top = top[:f.Limit]
			last := top[len(top)-1]
			page.Next = commentCursor{sort: f.Sort, featured: last.Featured, key: sortKey(&last.Comment, f.Sort), id: last.ID}.String()
		}
		threads := map[int64]*masthead.CommentThread{}
		var roots []any
		for _, r := range top {
			t := &masthead.CommentThread{Comment: r.comment(), MoreReplies: r.threadReplies}
			page.Threads = append(page.Threads, t)
			if r.threadReplies > 0 {
				threads[r.ID] = t
				roots = append(roots, r.ID)
			}
		}
		if len(roots) == 0 {
			attachOwnPending(page.Threads, own)
			return nil
		}
		// Pad the list of threads to a multiple of 10 (with ID 0, of no
		// thread), so that a few query shapes serve every page.
		for len(roots)%10 != 0 {
			roots = append(roots, int64(0))
		}
		rows, err = query(ctx, tx, repliesSQL(len(roots)), append([]any{f.ViewerID, repliesPerThread}, roots...)...)
		if err != nil {
			return err
		}
		replies, err := scanComments(rows)
		if err != nil {
			return err
		}
		for _, r := range replies {
			t := threads[r.RootID]
			if t == nil {
				continue
			}
			t.Replies = append(t.Replies, r.comment())
			if r.Status == masthead.CommentPublished {
				t.MoreReplies--
			}
		}
		for _, t := range threads {
			slices.SortFunc(t.Replies, func(a, b *masthead.Comment) int {
				if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
					return c
				}
				return cmpInt(a.ID, b.ID)
			})
			t.MoreReplies = max(0, t.MoreReplies)
		}
		attachOwnPending(page.Threads, own)
		return nil
	})
	if err != nil {
		return nil, wrapUnlessApp("find comments", err)
	}
	return page, nil
}

// scanComments scans rows of commentColumns and the viewer's respect, and
// closes them. A rejected comment reaches readers only as a placeholder
// that keeps its replies in place: it is given to them as a deleted one,
// without its text (see asPlaceholder).
func scanComments(rows *sql.Rows) ([]*commentRow, error) {
	defer rows.Close()
	var out []*commentRow
	for rows.Next() {
		r := &commentRow{}
		if err := rows.Scan(r.dest(&r.Respected)...); err != nil {
			return nil, err
		}
		r.asPlaceholder()
		out = append(out, r)
	}
	return out, rows.Err()
}

// asPlaceholder makes a rejected comment, read for readers, look as a
// deleted one does: no text, status deleted.
func (r *commentRow) asPlaceholder() {
	if r.Status == masthead.CommentRejected {
		r.Status, r.Body, r.BodyHTML, r.Featured = masthead.CommentDeleted, "", "", false
	}
}

func cmpInt[T int | int64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compareTop orders top-level comments as a page shows them: featured
// first, then by the sort, then by ID in the sort's direction.
func compareTop(sort masthead.CommentSort, a, b *commentRow) int {
	if a.Featured != b.Featured {
		if a.Featured {
			return -1
		}
		return 1
	}
	var c int
	switch sort {
	case masthead.SortRespected:
		c = -cmpInt(a.Respects, b.Respects)
	case masthead.SortOldest:
		c = a.CreatedAt.Compare(b.CreatedAt)
	default:
		c = -a.CreatedAt.Compare(b.CreatedAt)
	}
	if c != 0 {
		return c
	}
	if sort == masthead.SortOldest {
		return cmpInt(a.ID, b.ID)
	}
	return -cmpInt(a.ID, b.ID)
}

// CommentEvents returns the story's comment events after the event ID,
// oldest first, at most limit (100 by default, at most 1,000).
func (cs *CommentService) CommentEvents(ctx context.Context, storyID, afterID int64, limit int) ([]masthead.CommentEvent, error) {
	if limit <= 0 {
		limit = defaultCommentEvents
	}
	limit = min(limit, maxCommentEvents)
	out := []masthead.CommentEvent{}
	err := cs.db.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := cs.db.queryRead(ctx, tx, `SELECT id, story_id, kind, comment_id, at FROM comment_events
WHERE story_id = $1 AND id > $2 ORDER BY id LIMIT $3`, storyID, afterID, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var ev masthead.CommentEvent
			if err := rows.Scan(&ev.ID, &ev.StoryID, &ev.Kind, &ev.CommentID, timeCol{&ev.At}); err != nil {
				return err
			}
			out = append(out, ev)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("sqldb: comment events: %w", err)
	}
	return out, nil
}

// Sanction returns the account's active commenting ban or suspension, or
// nil when it has none now; ENOTFOUND for an unknown or deleted account.
func (cs *CommentService) Sanction(ctx context.Context, accountID int64) (*masthead.Sanction, error) {
	now := cs.db.clock()
	var s *masthead.Sanction
	err := cs.db.readTx(ctx, func(tx *sql.Tx) error {
		a, err := cs.db.findCommenter(ctx, tx, accountID)
		if err != nil {
			return err
		}
		if a.sanction.Active(now) {
			sa := a.sanction
			s = &sa
		}
		return nil
	})
	if err != nil {
		return nil, wrapUnlessApp("sanction", err)
	}
	return s, nil
}
