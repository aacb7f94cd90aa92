package sqldb

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"masthead"
)

// ModerationService implements masthead.ModerationService: the moderation
// queues and the moderators' actions on comments.
//
// Moderate applies one action to a set of comments in one write
// transaction. For each comment it checks the transition (see
// moderationStep) and, for one it would publish, that it may be published
// (see publishable), changes the comment, keeps the story's comment count
// and the reply counts of its thread right, resolves the comment's open
// reports when it is approved or rejected, writes a comment event for live
// updates, queues the commenter's email and writes the comment's own
// audit entry. The events are handed to the comment service's OnEvent
// once the transaction has committed, exactly as the comment service does
// for its own writes, so approved comments appear and rejected ones
// disappear on open story pages.
//
// Bulk actions apply to the comments whose transition is valid and leave
// the others as they were: if any comment was left (it does not exist, or
// the action does not apply to it), Moderate still commits the changes to
// the others and then returns an EINVALID error on the field "ids" whose
// message says how many were changed and why each other one was not. A
// call on one comment only returns that comment's refusal, and changes
// nothing.
type ModerationService struct {
	db       *DB
	comments *CommentService
	settings ModerationSettings
}

var _ masthead.ModerationService = (*ModerationService)(nil)

// ModerationSettings are the limits of the moderation queues; every zero
// field takes its default.
type ModerationSettings struct {
	// PageSize is how many comments a page of a queue shows when the
	// filter asks for none; default 50, at most 200.
	PageSize int
	// MaxBatch is the most comments one Moderate call may change;
	// default 200.
	MaxBatch int
	// MaxReasonLength is the most characters of a moderator's reason;
	// default 500.
	MaxReasonLength int
	// ReportsPerItem is the most reports shown with a comment in a queue,
	// newest first; default 20.
	ReportsPerItem int
}

// DefaultModerationPageSize is the default ModerationSettings.PageSize.
const DefaultModerationPageSize = 50

// Defaults and bounds of ModerationSettings.
const (
	maxModerationPage       = 200
	defaultModerationBatch  = 200
	defaultModerationReason = 500
	defaultReportsPerItem   = 20
	// maxSkippedListed is how many refused comments a bulk action's
	// message names one by one.
	maxSkippedListed = 10
)

// NewModerationService returns a ModerationService over db. comments, if
// not nil, is the comment service whose OnEvent hears of the comment
// events moderation writes (the one cmd/masthead connects to the live
// updates); settings' zero fields take their defaults.
func NewModerationService(db *DB, comments *CommentService, settings ModerationSettings) *ModerationService {
	if settings.PageSize <= 0 {
		settings.PageSize = DefaultModerationPageSize
	}
	settings.PageSize = min(settings.PageSize, maxModerationPage)
	if settings.MaxBatch <= 0 {
		settings.MaxBatch = defaultModerationBatch
	}
	if settings.MaxReasonLength <= 0 {
		settings.MaxReasonLength = defaultModerationReason
	}
	if settings.ReportsPerItem <= 0 {
		settings.ReportsPerItem = defaultReportsPerItem
	}
	return &ModerationService{db: db, comments: comments, settings: settings}
}

// queueCursor is where a page of a queue ends: the last item's sort key
// (created_at in unix nanoseconds, or its open reports for the reported
// queue) and ID.
type queueCursor struct {
	queue masthead.ModerationQueue
	key   int64
	id    int64
}

func (k queueCursor) String() string {
	s := fmt.Sprintf("%s.%d.%d", k.queue, k.key, k.id)
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

func errQueueCursorInvalid() error {
	return masthead.FieldError("after", masthead.Msg(masthead.MsgCursorInvalid))
}

// parseQueueCursor decodes a cursor of the queue.
func parseQueueCursor(s string, q masthead.ModerationQueue) (queueCursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return queueCursor{}, errQueueCursorInvalid()
	}
	parts := strings.Split(string(b), ".")
	if len(parts) != 3 || masthead.ModerationQueue(parts[0]) != q {
		return queueCursor{}, errQueueCursorInvalid()
	}
	k := queueCursor{queue: q}
	if k.key, err = strconv.ParseInt(parts[1], 10, 64); err != nil {
		return queueCursor{}, errQueueCursorInvalid()
	}
	if k.id, err = strconv.ParseInt(parts[2], 10, 64); err != nil || k.id <= 0 {
		return queueCursor{}, errQueueCursorInvalid()
	}
	return k, nil
}

// heldStatuses repeats the condition of the partial index
// comments_status_time, which SQLite uses only for a query whose WHERE
// clause has that very term: it does not infer it from c.status =
// 'pending'.
const heldStatuses = `c.status IN ('pending', 'rejected')`

// queueSQL returns the query of a page of the queue: its comments with
// their story, hold and reject reasons and open reports, at most $1, after
// the cursor ($2, $3) if keyed. Each queue reads one index of migration
// 0007: pending and rejected by (status, created_at, id), reported by
// (open_reports, id), recent by (created_at, id).
func queueSQL(q masthead.ModerationQueue, keyed bool) string {
	where, order, cmp, key := "", "c.created_at DESC, c.id DESC", "<", "c.created_at"
	switch q {
	case masthead.QueuePending:
		where, order, cmp = heldStatuses+` AND c.status = 'pending'`, "c.created_at, c.id", ">"
	case masthead.QueueRejected:
		where = heldStatuses + ` AND c.status = 'rejected'`
	case masthead.QueueReported:
		where, order, key = `c.open_reports > 0 AND c.status = 'published'`, "c.open_reports DESC, c.id DESC", "c.open_reports"
	}
	if keyed {
		cond := `(` + key + `, c.id) ` + cmp + ` ($2, $3)`
		if where == "" {
			where = cond
		} else {
			where += ` AND ` + cond
		}
	}
	s := `SELECT ` + commentColumns + `, s.slug, s.headline, c.hold_reason, c.reject_reason, c.open_reports` +
		commentFrom + ` JOIN stories s ON s.id = c.story_id`
	if where != "" {
		s += ` WHERE ` + where
	}
	return s + ` ORDER BY ` + order + ` LIMIT $1`
}

// FindQueue returns a page of a moderation queue (pending when f.Queue is
// ""; EINVALID for an unknown queue or cursor): each comment with its
// story, the comment it replies to and its reports, newest first. A page
// costs three queries however long the queue is.
func (ms *ModerationService) FindQueue(ctx context.Context, f masthead.QueueFilter) (*masthead.QueuePage, error) {
	if f.Queue == "" {
		f.Queue = masthead.QueuePending
	}
	if !f.Queue.Valid() {
		return nil, masthead.FieldError("queue", masthead.Msg(masthead.MsgModQueueInvalid))
	}
	var after *queueCursor
	if f.After != "" {
		k, err := parseQueueCursor(f.After, f.Queue)
		if err != nil {
			return nil, err
		}
		after = &k
	}
	if f.Limit <= 0 {
		f.Limit = ms.settings.PageSize
	}
	f.Limit = min(f.Limit, maxModerationPage)
	db := ms.db
	page := &masthead.QueuePage{Items: []*masthead.ModerationItem{}}
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		args := []any{f.Limit + 1}
		if after != nil {
			key := any(after.key)
			if f.Queue != masthead.QueueReported {
				key = db.timeArg(time.Unix(0, after.key).UTC())
			}
			args = append(args, key, after.id)
		}
		rows, err := db.queryRead(ctx, tx, queueSQL(f.Queue, after != nil), args...)
		if err != nil {
			return err
		}
		type queued struct {
			row         commentRow
			openReports int
		}
		var items []*queued
		err = func() error {
			defer rows.Close()
			for rows.Next() {
				q := &queued{}
				it := &masthead.ModerationItem{}
				if err := rows.Scan(q.row.dest(&it.StorySlug, &it.StoryHeadline, &it.HoldReason, &it.RejectReason, &q.openReports)...); err != nil {
					return err
				}
				it.Comment = q.row.comment()
				page.Items = append(page.Items, it)
				items = append(items, q)
			}
			return rows.Err()
		}()
		if err != nil {
			return err
		}
		if len(items) > f.Limit {
			items, page.Items = items[:f.Limit], page.Items[:f.Limit]
			last := items[len(items)-1]
			k := queueCursor{queue: f.Queue, key: last.row.CreatedAt.UnixNano(), id: last.row.ID}
			if f.Queue == masthead.QueueReported {
				k.key = int64(last.openReports)
			}
			page.Next = k.String()
		}
		if len(page.Items) == 0 {
			return nil
		}
		var ids, parents []any
		seen := map[int64]bool{}
		for _, it := range page.Items {
			ids = append(ids, it.Comment.ID)
			if p := it.Comment.ParentID; p != 0 && !seen[p] {
				seen[p] = true
				parents = append(parents, p)
			}
		}
		if err := ms.findParents(ctx, tx, page.Items, parents); err != nil {
			return err
		}
		return ms.findReports(ctx, tx, page.Items, ids)
	})
	if err != nil {
		return nil, wrapUnlessApp("find queue", err)
	}
	return page, nil
}

// findParents fills in the Parent of the items that are replies, in one
// query.
func (ms *ModerationService) findParents(ctx context.Context, tx *sql.Tx, items []*masthead.ModerationItem, ids []any) error {
	if len(ids) == 0 {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+commentColumns+commentFrom+` WHERE c.id IN (`+placeholders(1, len(ids))+`)`, ids...)
	if err != nil {
		return fmt.Errorf("find parents: %w", err)
	}
	defer rows.Close()
	byID := map[int64]*masthead.Comment{}
	for rows.Next() {
		var r commentRow
		if err := rows.Scan(r.dest()...); err != nil {
			return fmt.Errorf("find parents: %w", err)
		}
		byID[r.ID] = r.comment()
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("find parents: %w", err)
	}
	for _, it := range items {
		if it.Comment.ParentID != 0 {
			it.Parent = byID[it.Comment.ParentID]
		}
	}
	return nil
}

// findReports fills in the items' reports, newest first, at most
// ReportsPerItem each (counted in SQL, so that a comment reported
// thousands of times is not read whole), in one query.
func (ms *ModerationService) findReports(ctx context.Context, tx *sql.Tx, items []*masthead.ModerationItem, ids []any) error {
	if len(ids) == 0 {
		return nil
	}
	args := append(slices.Clip(ids), ms.settings.ReportsPerItem)
	rows, err := tx.QueryContext(ctx, `SELECT r.comment_id, r.account_id, COALESCE(a.display_name, ''), r.reason, r.text, r.created_at
FROM (
	SELECT comment_id, account_id, reason, text, created_at, id,
		ROW_NUMBER() OVER (PARTITION BY comment_id ORDER BY created_at DESC, id DESC) AS n
	FROM comment_reports WHERE comment_id IN (`+placeholders(1, len(ids))+`)
) r JOIN accounts a ON a.id = r.account_id
WHERE r.n <= $`+strconv.Itoa(len(ids)+1)+`
ORDER BY r.comment_id, r.created_at DESC, r.id DESC`, args...)
	if err != nil {
		return fmt.Errorf("find reports: %w", err)
	}
	defer rows.Close()
	byID := map[int64]*masthead.ModerationItem{}
	for _, it := range items {
		byID[it.Comment.ID] = it
	}
	for rows.Next() {
		var id int64
		var rep masthead.CommentReport
		if err := rows.Scan(&id, &rep.ReporterID, &rep.ReporterName, &rep.Reason, &rep.Text, timeCol{&rep.At}); err != nil {
			return fmt.Errorf("find reports: %w", err)
		}
		if it := byID[id]; it != nil {
			it.Reports = append(it.Reports, rep)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("find reports: %w", err)
	}
	return nil
}

// QueueCounts returns the number of comments waiting for approval and of
// published comments with open reports, each counted on its partial index
// of migration 0007.
func (ms *ModerationService) QueueCounts(ctx context.Context) (masthead.QueueCounts, error) {
	var c masthead.QueueCounts
	err := ms.db.read.QueryRowContext(ctx, `SELECT
	(SELECT COUNT(*) FROM comments c WHERE `+heldStatuses+` AND c.status = 'pending'),
	(SELECT COUNT(*) FROM comments c WHERE c.open_reports > 0 AND c.status = 'published')`).Scan(&c.Pending, &c.Reported)
	if err != nil {
		return c, fmt.Errorf("sqldb: queue counts: %w", err)
	}
	return c, nil
}

// moderationState is a comment's state as the audit log records it.
type moderationState struct {
	Status   masthead.CommentStatus `json:"status"`
	Featured bool                   `json:"featured"`
}

// moderationStep is what an action does to a comment in its state: the
// state it leaves, the change to the counts that include published
// comments (+1, -1 or 0), whether its open reports are resolved, the live
// event ("" for none) and the email to its author ("" for none). ok is
// false, with the refusal's message, when the action does not apply.
type moderationStep struct {
	to      moderationState
	delta   int
	resolve bool
	event   string
	email   masthead.EmailKind
}

// stepFor returns the step of action a on comment r, or the message that
// refuses it:
//
//   - approve publishes a pending comment (the commenter is told); on a
//     published comment with open reports it keeps it, dismissing the
//     reports;
//   - reject removes a pending or published comment (the commenter is
//     told, with the reason); it stays in its thread as a placeholder
//     while it has replies, as a deleted comment does;
//   - feature and unfeature apply to published comments;
//   - restore publishes a rejected comment again.
func stepFor(a masthead.ModerationAction, r *commentRow, openReports int) (moderationStep, string) {
	from := moderationState{Status: r.Status, Featured: r.Featured}
	st := moderationStep{to: from}
	id := r.ID
	switch a {
	case masthead.ModApprove:
		switch {
		case r.Status == masthead.CommentPending:
			st.to.Status, st.delta, st.resolve, st.event, st.email = masthead.CommentPublished, 1, true, "posted", masthead.EmailCommentApproved
		case r.Status == masthead.CommentPublished && openReports > 0:
			st.resolve = true
		default:
			return st, masthead.Msg(masthead.MsgModCannotApprove, id)
		}
	case masthead.ModReject:
		switch r.Status {
		case masthead.CommentPending:
			st.to, st.resolve, st.event, st.email = moderationState{Status: masthead.CommentRejected}, true, "removed", masthead.EmailCommentRejected
		case masthead.CommentPublished:
			st.to, st.delta, st.resolve, st.event, st.email = moderationState{Status: masthead.CommentRejected}, -1, true, "removed", masthead.EmailCommentRejected
		default:
			return st, masthead.Msg(masthead.MsgModCannotReject, id)
		}
	case masthead.ModFeature:
		if r.Status != masthead.CommentPublished || r.Featured {
			return st, masthead.Msg(masthead.MsgModCannotFeature, id)
		}
		st.to.Featured, st.event = true, "edited"
	case masthead.ModUnfeature:
		if r.Status != masthead.CommentPublished || !r.Featured {
			return st, masthead.Msg(masthead.MsgModCannotUnfeature, id)
		}
		st.to.Featured, st.event = false, "edited"
	case masthead.ModRestore:
		if r.Status != masthead.CommentRejected {
			return st, masthead.Msg(masthead.MsgModCannotRestore, id)
		}
		st.to.Status, st.delta, st.event = masthead.CommentPublished, 1, "posted"
	}
	return st, ""
}

// publishable returns the message that refuses to publish comment r
// (approving it or restoring it), or "" when it may be published: its
// author's account must not be deleted (a deleted account's held and
// rejected comments stay unpublished), and no comment a reply hangs from
// — its parent, the comment it replies to and its thread's top comment —
// may be pending, which nobody but its author sees: the reply would be
// published, and counted, under a comment nobody can see. A deleted or
// rejected comment is no obstacle: it stays in its thread as a
// placeholder while it has replies.
func publishable(ctx context.Context, tx *sql.Tx, r *commentRow) (string, error) {
	var deleted int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM accounts WHERE id = $1 AND deleted_at IS NOT NULL`,
		r.AuthorID).Scan(&deleted); err != nil {
		return "", fmt.Errorf("find author: %w", err)
	}
	if deleted > 0 {
		return masthead.Msg(masthead.MsgModAuthorDeleted, r.ID), nil
	}
	if r.Depth == 0 {
		return "", nil
	}
	var hidden int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM comments
WHERE id IN ($1, $2, $3) AND status = 'pending'`,
		r.ParentID, r.replyToID, r.RootID).Scan(&hidden); err != nil {
		return "", fmt.Errorf("find parent: %w", err)
	}
	if hidden > 0 {
		return masthead.Msg(masthead.MsgModParentHidden, r.ID), nil
	}
	return "", nil
}

// auditActions names each action in the audit log.
var auditActions = map[masthead.ModerationAction]string{
	masthead.ModApprove:   masthead.AuditCommentApprove,
	masthead.ModReject:    masthead.AuditCommentReject,
	masthead.ModFeature:   masthead.AuditCommentFeature,
	masthead.ModUnfeature: masthead.AuditCommentUnfeature,
	masthead.ModRestore:   masthead.AuditCommentRestore,
}

// Moderate applies the action to every comment of ids, as the actor
// (PermModerate, EFORBIDDEN otherwise), in one transaction; see
// ModerationService for what it does and how a bulk action reports the
// comments it left. reason is required for ModReject (EINVALID, field
// "reason") and kept with every comment it changes and in the audit log.
func (ms *ModerationService) Moderate(ctx context.Context, actor masthead.Actor, ids []int64, action masthead.ModerationAction, reason string) error {
	if err := actor.Require(masthead.PermModerate); err != nil {
		return err
	}
	if !action.Valid() {
		return masthead.FieldError("action", masthead.Msg(masthead.MsgModActionInvalid))
	}
	reason = strings.TrimSpace(norm.NFC.String(strings.ToValidUTF8(reason, "\uFFFD")))
	if action == masthead.ModReject && reason == "" {
		return masthead.FieldError("reason", masthead.Msg(masthead.MsgModReasonRequired))
	}
	if n := utf8.RuneCountInString(reason); n > ms.settings.MaxReasonLength {
		return masthead.FieldError("reason", masthead.Msg(masthead.MsgModReasonTooLong, ms.settings.MaxReasonLength, n))
	}
	// In ascending order, so that concurrent bulk actions lock their
	// comments in the same order.
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	ids = slices.DeleteFunc(ids, func(id int64) bool { return id <= 0 })
	if len(ids) == 0 {
		return masthead.FieldError("ids", masthead.Msg(masthead.MsgModNoComments))
	}
	if len(ids) > ms.settings.MaxBatch {
		return masthead.FieldError("ids", masthead.Msg(masthead.MsgModTooMany, ms.settings.MaxBatch))
	}

	db := ms.db
	now := db.clock()
	var evs []masthead.CommentEvent
	var skipped []string
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		evs, skipped = evs[:0], skipped[:0]
		changed := 0
		for _, id := range ids {
			msg, ev, err := ms.moderateOne(ctx, tx, actor, id, action, reason, now)
			if err != nil {
				return err
			}
			if msg != "" {
				skipped = append(skipped, msg)
				continue
			}
			changed++
			if ev.ID != 0 {
				evs = append(evs, ev)
			}
		}
		if changed == 0 {
			// Nothing to keep: roll back (nothing was written anyway).
			return errModerationSkipped(len(ids), 0, skipped)
		}
		return nil
	})
	if err != nil {
		return wrapUnlessApp("moderate", err)
	}
	if ms.comments != nil && ms.comments.OnEvent != nil {
		for _, ev := range evs {
			ms.comments.OnEvent(ev)
		}
	}
	if len(skipped) > 0 {
		return errModerationSkipped(len(ids), len(ids)-len(skipped), skipped)
	}
	return nil
}

// errModerationSkipped is the refusal of the comments a call left: the
// one refusal of a call on one comment, or, for a bulk action, how many
// of total were changed and why each other one was not.
func errModerationSkipped(total, changed int, skipped []string) error {
	if total == 1 && len(skipped) == 1 {
		return masthead.FieldError("ids", skipped[0])
	}
	list := skipped
	if len(list) > maxSkippedListed {
		list = append(slices.Clone(list[:maxSkippedListed]), masthead.Msg(masthead.MsgModMoreSkipped, len(skipped)-maxSkippedListed))
	}
	return masthead.FieldError("ids", masthead.Msg(masthead.MsgModSomeSkipped, changed, total, strings.Join(list, " ")))
}

// moderateOne applies the action to the comment id in tx. It returns the
// refusal's message, having written nothing, when the comment does not
// exist or the action does not apply to it; otherwise the comment event it
// wrote (zero for none).
func (ms *ModerationService) moderateOne(ctx context.Context, tx *sql.Tx, actor masthead.Actor, id int64,
	action masthead.ModerationAction, reason string, now time.Time) (string, masthead.CommentEvent, error) {
	db := ms.db
	var ev masthead.CommentEvent
	r, err := db.findComment(ctx, tx, id, true)
	if isNotFound(err) {
		return masthead.Msg(masthead.MsgModNotFound, id), ev, nil
	} else if err != nil {
		return "", ev, err
	}
	var openReports int
	if err := tx.QueryRowContext(ctx, `SELECT open_reports FROM comments WHERE id = $1`, id).Scan(&openReports); err != nil {
		return "", ev, fmt.Errorf("open reports: %w", err)
	}
	step, refused := stepFor(action, r, openReports)
	if refused != "" {
		return refused, ev, nil
	}
	from := moderationState{Status: r.Status, Featured: r.Featured}
	if step.to.Status == masthead.CommentPublished && from.Status != masthead.CommentPublished {
		if refused, err := publishable(ctx, tx, r); err != nil || refused != "" {
			return refused, ev, err
		}
	}

	// The comment itself.
	set := `status = $1, featured = $2, updated_at = $3`
	args := []any{string(step.to.Status), step.to.Featured, db.timeArg(now)}
	switch action {
	case masthead.ModApprove, masthead.ModReject, masthead.ModRestore:
		set += `, moderated_by = $5, moderated_at = $3`
		args = append(args, id, actor.ID)
		if actor.ID == 0 {
			args[len(args)-1] = nil
		}
		switch action {
		case masthead.ModReject:
			set += `, reject_reason = $6`
			args = append(args, reason)
		case masthead.ModRestore:
			set += `, reject_reason = ''`
		}
	default:
		args = append(args, id)
	}
	if step.resolve {
		set += `, open_reports = 0`
	}
	if _, err := tx.ExecContext(ctx, `UPDATE comments SET `+set+` WHERE id = $4`, args...); err != nil {
		return "", ev, fmt.Errorf("moderate comment: %w", err)
	}
	if step.resolve && openReports > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE comment_reports SET resolved_at = $1 WHERE comment_id = $2 AND resolved_at IS NULL`,
			db.timeArg(now), id); err != nil {
			return "", ev, fmt.Errorf("resolve reports: %w", err)
		}
	}

	// The counts that include published comments.
	if step.delta != 0 {
		if r.Depth > 0 {
			if err := adjustReplyCounts(ctx, tx, r.ParentID, r.replyToID, r.RootID, step.delta); err != nil {
				return "", ev, err
			}
		}
		if err := adjustStoryCount(ctx, tx, r.StoryID, step.delta); err != nil {
			return "", ev, err
		}
	}

	// A reply that is published now tells the author of the comment it
	// replies to, as it would have when posted, unless it was published
	// before: a pending comment with edited_at set is a published one its
	// author edited and the policy sent back to review (editing applies
	// to published comments only, and edited_at is never cleared), whose
	// reply email went out when it was first published.
	if action == masthead.ModApprove && step.to.Status == masthead.CommentPublished && from.Status == masthead.CommentPending &&
		r.EditedAt.IsZero() {
		c := r.comment()
		c.Status = masthead.CommentPublished
		if err := db.queueReplyEmail(ctx, tx, c, r.replyToID, now); err != nil {
			return "", ev, err
		}
	}
	if step.email != "" {
		if err := ms.queueModerationEmail(ctx, tx, r, step.email, reason, now); err != nil {
			return "", ev, err
		}
	}
	if step.event != "" {
		if ev, err = db.addCommentEvent(ctx, tx, r.StoryID, step.event, id, now); err != nil {
			return "", ev, err
		}
	}
	if err := db.writeAudit(ctx, tx, actor, auditRecord{
		Action: auditActions[action], TargetType: "comment", TargetID: id,
		Before: from, After: step.to, Reason: reason,
	}, now); err != nil {
		return "", ev, err
	}
	return "", ev, nil
}

// queueModerationEmail tells the comment's author, unless their account
// is deleted, that it was approved or rejected: the story's headline and
// slug (the mail adapter makes the link), the comment's excerpt and the
// moderator's reason.
func (ms *ModerationService) queueModerationEmail(ctx context.Context, tx *sql.Tx, r *commentRow, kind masthead.EmailKind, reason string, now time.Time) error {
	var to, headline, slug string
	err := tx.QueryRowContext(ctx, `SELECT a.email, s.headline, s.slug FROM accounts a, stories s
WHERE a.id = $1 AND s.id = $2 AND a.deleted_at IS NULL AND a.email IS NOT NULL`, r.AuthorID, r.StoryID).Scan(&to, &headline, &slug)
	if err == sql.ErrNoRows {
		return nil
	} else if err != nil {
		return fmt.Errorf("moderation email: %w", err)
	}
	return ms.db.queueEmail(ctx, tx, r.AuthorID, kind, to, map[string]string{
		"story_headline": headline,
		"story_slug":     slug,
		"excerpt":        masthead.Excerpt(r.Body, masthead.ReplyExcerptLength),
		"reason":         reason,
	}, now)
}
