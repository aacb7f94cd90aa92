package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"masthead"
)

// UserService implements masthead.UserService: the moderators' actions on
// subscribers (warn, suspend, ban, lift, reset a display name), each
// stored with its audit entry and the subscriber's email in one
// transaction, and the warnings a subscriber must acknowledge.
type UserService struct {
	db *DB
	// Settings are the limits of the actions; NewUserService sets the
	// defaults, and the caller may change them before first use.
	Settings masthead.UserSettings
	// OnQueued, if set, is called after a transaction that queued an email
	// has committed, so that the mail sender can wake. It must not block.
	OnQueued func()

	// onQuery, if set, is called for every query the author histories
	// run (a test hook).
	onQuery func()
}

var _ masthead.UserService = (*UserService)(nil)

// NewUserService returns a UserService over db with the default settings.
func NewUserService(db *DB) *UserService {
	return &UserService{db: db, Settings: masthead.DefaultUserSettings()}
}

// UserSettings returns the limits the service applies, for the forms
// that show them.
func (us *UserService) UserSettings() masthead.UserSettings { return us.Settings.WithDefaults() }

// maxFindUsers is the most accounts FindUsers returns.
const maxFindUsers = 100

// targetRow is an account as a user action sees it: the account and its
// commenting sanction.
type targetRow struct {
	accountRow
	sanction masthead.Sanction
}

// sanctionState is an account's sanction as the audit log records it.
type sanctionState struct {
	Banned         bool   `json:"banned"`
	SuspendedUntil string `json:"suspended_until,omitempty"`
	Reason         string `json:"reason,omitempty"`
}

func (r *targetRow) state() sanctionState {
	s := sanctionState{Banned: r.sanction.Banned, Reason: r.sanction.Reason}
	if !r.sanction.Until.IsZero() {
		s.SuspendedUntil = r.sanction.Until.UTC().Format(time.RFC3339)
	}
	return s
}

// findTarget returns the live account with its sanction, locked in a write
// transaction if lock.
func (us *UserService) findTarget(ctx context.Context, q queryer, id int64, lock bool) (*targetRow, error) {
	query := `SELECT ` + accountColumns + `, a.commenting_banned, a.commenting_suspended_until, a.sanction_reason
FROM accounts a WHERE a.id = $1`
	if lock {
		query += us.db.forUpdate()
	}
	var r targetRow
	err := q.QueryRowContext(ctx, query, id).Scan(append(r.dest(),
		&r.sanction.Banned, timeCol{&r.sanction.Until}, &r.sanction.Reason)...)
	if errors.Is(err, sql.ErrNoRows) || err == nil && r.deleted() {
		return nil, errAccountNotFound()
	} else if err != nil {
		return nil, fmt.Errorf("find account: %w", err)
	}
	return &r, nil
}

func errUserConflict(id masthead.MessageID) error {
	return masthead.Errorf(masthead.ECONFLICT, "%s", masthead.Msg(id))
}

// ActOnUser applies a user action; see masthead.UserService. The actor
// must hold PermUsers and may act only on the accounts masthead.MayActOn
// allows. A warning is stored for the subscriber to acknowledge; a
// suspension (which replaces an earlier one, from now) and a ban stop
// commenting with the reason shown to the subscriber, a suspension of a
// banned account is refused (lift the ban first), and so is a ban of a
// banned one; a lift ends either and is refused when there is nothing to
// lift; a reset removes the display name (it stays in the history, ended
// now, and its confusable key is blocked for every account) and is refused
// when the account has none. The change, its audit entry and the
// subscriber's email (warned, suspended, banned, name reset; none for a
// lift) are stored in one transaction.
func (us *UserService) ActOnUser(ctx context.Context, actor masthead.Actor, in masthead.UserActionInput) error {
	if err := actor.Require(masthead.PermUsers); err != nil {
		return err
	}
	in, err := masthead.CheckUserAction(in, us.Settings)
	if err != nil {
		return err
	}
	now := us.db.clock()
	queued := false
	err = us.db.writeTx(ctx, func(tx *sql.Tx) error {
		row, err := us.findTarget(ctx, tx, in.AccountID, true)
		if err != nil {
			return err
		}
		if err := masthead.MayActOn(actor, row.ID, row.Role); err != nil {
			return err
		}
		rec := auditRecord{TargetType: "account", TargetID: row.ID, Reason: in.Reason}
		var kind masthead.EmailKind
		data := map[string]string{"reason": in.Reason}
		if row.DisplayName != "" {
			data["name"] = row.DisplayName
		}
		active := row.sanction.Active(now)
		setSanction := func(banned bool, until time.Time, reason string) error {
			_, err := tx.ExecContext(ctx, `UPDATE accounts SET commenting_banned = $1, commenting_suspended_until = $2,
	sanction_reason = $3, updated_at = $4 WHERE id = $5`, banned, us.db.timeArg(until), reason, us.db.timeArg(now), row.ID)
			return err
		}
		switch in.Action {
		case masthead.UserWarn:
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO account_warnings (account_id, reason, created_by, created_at)
VALUES ($1, $2, $3, $4) RETURNING id`, row.ID, in.Reason, nullID(actor.ID), us.db.timeArg(now)).Scan(&id); err != nil {
				return fmt.Errorf("store warning: %w", err)
			}
			rec.Action, rec.After = masthead.AuditAccountWarn, map[string]any{"warning_id": id}
			kind = masthead.EmailAccountWarned

		case masthead.UserSuspend:
			if active && row.sanction.Banned {
				return errUserConflict(masthead.MsgUserAlreadyBanned)
			}
			until := storedTime(masthead.SuspensionEnd(now, in.Days))
			rec.Action, rec.Before = masthead.AuditAccountSuspend, row.state()
			if err := setSanction(false, until, in.Reason); err != nil {
				return err
			}
			rec.After = sanctionState{SuspendedUntil: until.Format(time.RFC3339), Reason: in.Reason}
			kind = masthead.EmailAccountSuspended
			data["until"] = until.Format(time.RFC3339)

		case masthead.UserBan:
			if active && row.sanction.Banned {
				return errUserConflict(masthead.MsgUserAlreadyBanned)
			}
			rec.Action, rec.Before = masthead.AuditAccountBan, row.state()
			if err := setSanction(true, time.Time{}, in.Reason); err != nil {
				return err
			}
			rec.After = sanctionState{Banned: true, Reason: in.Reason}
			kind = masthead.EmailAccountBanned

		case masthead.UserLift:
			if !active {
				return errUserConflict(masthead.MsgUserNothingToLift)
			}
			rec.Action, rec.Before = masthead.AuditAccountLift, row.state()
			if err := setSanction(false, time.Time{}, ""); err != nil {
				return err
			}
			rec.After = sanctionState{}

		case masthead.UserResetName:
			if row.DisplayName == "" {
				return errUserConflict(masthead.MsgUserNoDisplayName)
			}
			if err := us.resetName(ctx, tx, row, now); err != nil {
				return err
			}
			rec.Action = masthead.AuditAccountResetName
			rec.Before = map[string]string{"display_name": row.DisplayName}
			rec.After = map[string]string{"display_name": ""}
			kind = masthead.EmailDisplayNameReset
			delete(data, "name")
			data["old_name"] = row.DisplayName
		}
		if err := us.db.writeAudit(ctx, tx, actor, rec, now); err != nil {
			return err
		}
		if kind != "" && row.Email != "" {
			if err := us.db.queueEmail(ctx, tx, row.ID, kind, row.Email, data, now); err != nil {
				return err
			}
			queued = true
		}
		return nil
	})
	if err != nil {
		return wrapUnlessApp("act on user", err)
	}
	if queued && us.OnQueued != nil {
		us.OnQueued()
	}
	return nil
}

// resetName removes the account's display name: the name's history entry
// ends now, its key is blocked for every account, and the account may
// choose a new name at once (masthead.Account.NextNameChange has no wait
// for an account without a name).
func (us *UserService) resetName(ctx context.Context, tx *sql.Tx, row *targetRow, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE accounts SET display_name = NULL, display_name_key = NULL,
	display_name_changed_at = $1, updated_at = $1 WHERE id = $2`, us.db.timeArg(now), row.ID); err != nil {
		return fmt.Errorf("reset display name: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE display_name_history SET replaced_at = $1
WHERE account_id = $2 AND replaced_at IS NULL`, us.db.timeArg(now), row.ID); err != nil {
		return fmt.Errorf("reset display name: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO blocked_display_names (name_key, blocked_at) VALUES ($1, $2)
ON CONFLICT (name_key) DO NOTHING`, masthead.DisplayNameKey(row.DisplayName), us.db.timeArg(now)); err != nil {
		return fmt.Errorf("block display name: %w", err)
	}
	return nil
}

// displayNameBlocked reports whether the display name key was blocked by a
// moderator's reset, in tx.
func displayNameBlocked(ctx context.Context, q queryer, key string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM blocked_display_names WHERE name_key = $1`, key).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("blocked display names: %w", err)
	}
	return n > 0, nil
}

// nullID returns id, or nil for 0: the value of a nullable column that
// refers to a row by ID (an account, a comment), where 0 means none. It
// is the package's one copy of the conversion; use it rather than a local
// closure.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// countingQueryer is a queryer that calls count before each statement, so
// that a test can count the queries a method runs.
type countingQueryer struct {
	q     queryer
	count func()
}

func (c countingQueryer) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.count()
	return c.q.QueryContext(ctx, query, args...)
}

func (c countingQueryer) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	c.count()
	return c.q.QueryRowContext(ctx, query, args...)
}

func (c countingQueryer) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	c.count()
	return c.q.ExecContext(ctx, query, args...)
}

// counted returns tx, counted by the onQuery test hook when it is set.
func (us *UserService) counted(tx *sql.Tx) queryer {
	if us.onQuery == nil {
		return tx
	}
	return countingQueryer{q: tx, count: us.onQuery}
}

// AuthorHistory returns what a moderator sees about an account (see
// AuthorHistories), or ENOTFOUND if it does not exist or was deleted.
func (us *UserService) AuthorHistory(ctx context.Context, accountID int64) (*masthead.AuthorHistory, error) {
	hs, err := us.AuthorHistories(ctx, []int64{accountID})
	if err != nil {
		return nil, err
	}
	h := hs[accountID]
	if h == nil {
		return nil, errAccountNotFound()
	}
	return h, nil
}

// AuthorHistories returns, by account ID, what a moderator sees about each
// live account of ids: the account, its names (oldest first), its comments
// by status, its current sanction (nil when none is in force), its
// warnings (newest first) and the latest staff actions on it from the
// audit log (newest first, at most Settings.HistoryActions each). An ID
// with no live account has no entry. It runs five queries in one read
// transaction however many IDs there are (none for no IDs): the accounts,
// then each part over all of them at once.
func (us *UserService) AuthorHistories(ctx context.Context, ids []int64) (map[int64]*masthead.AuthorHistory, error) {
	out := map[int64]*masthead.AuthorHistory{}
	ids = slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return id <= 0 })
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 {
		return out, nil
	}
	now := us.db.clock()
	limit := us.UserSettings().HistoryActions
	err := us.db.readTx(ctx, func(tx *sql.Tx) error {
		q := us.counted(tx)
		found, err := us.historyAccounts(ctx, q, ids, now, out)
		if err != nil || len(found) == 0 {
			return err
		}
		if err := historyNames(ctx, q, found, out); err != nil {
			return fmt.Errorf("names: %w", err)
		}
		if err := historyCounts(ctx, q, found, out); err != nil {
			return fmt.Errorf("comment counts: %w", err)
		}
		if err := historyWarnings(ctx, q, found, out); err != nil {
			return fmt.Errorf("warnings: %w", err)
		}
		if err := historyActions(ctx, q, found, limit, out); err != nil {
			return fmt.Errorf("staff actions: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, wrapUnlessApp("author histories", err)
	}
	return out, nil
}

// idArgs returns ids as query arguments.
func idArgs(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

// historyAccounts starts a history in out for each live account of ids,
// with its sanction if one is in force at now, and returns their IDs.
func (us *UserService) historyAccounts(ctx context.Context, q queryer, ids []int64, now time.Time,
	out map[int64]*masthead.AuthorHistory) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+accountColumns+`, a.commenting_banned, a.commenting_suspended_until, a.sanction_reason
FROM accounts a WHERE a.id IN (`+placeholders(1, len(ids))+`) ORDER BY a.id`, idArgs(ids)...)
	if err != nil {
		return nil, fmt.Errorf("find accounts: %w", err)
	}
	defer rows.Close()
	var found []int64
	for rows.Next() {
		var r targetRow
		if err := rows.Scan(append(r.dest(), &r.sanction.Banned, timeCol{&r.sanction.Until}, &r.sanction.Reason)...); err != nil {
			return nil, fmt.Errorf("find accounts: %w", err)
		}
		if r.deleted() {
			continue
		}
		h := &masthead.AuthorHistory{Account: r.account(), Names: []masthead.NameChange{}}
		if r.sanction.Active(now) {
			s := r.sanction
			h.Sanction = &s
		}
		out[r.ID] = h
		found = append(found, r.ID)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find accounts: %w", err)
	}
	return found, nil
}

// historyNames fills in the display names of the accounts of ids, oldest
// first.
func historyNames(ctx context.Context, q queryer, ids []int64, out map[int64]*masthead.AuthorHistory) error {
	rows, err := q.QueryContext(ctx, `SELECT account_id, name, chosen_at, replaced_at FROM display_name_history
WHERE account_id IN (`+placeholders(1, len(ids))+`) ORDER BY account_id, chosen_at, id`, idArgs(ids)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var c masthead.NameChange
		if err := rows.Scan(&id, &c.Name, timeCol{&c.ChosenAt}, timeCol{&c.ReplacedAt}); err != nil {
			return err
		}
		if h := out[id]; h != nil {
			h.Names = append(h.Names, c)
		}
	}
	return rows.Err()
}

// historyCounts fills in the comment counts by status of the accounts of
// ids.
func historyCounts(ctx context.Context, q queryer, ids []int64, out map[int64]*masthead.AuthorHistory) error {
	rows, err := q.QueryContext(ctx, `SELECT author_id, status, COUNT(*) FROM comments
WHERE author_id IN (`+placeholders(1, len(ids))+`) GROUP BY author_id, status`, idArgs(ids)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var status string
		var n int
		if err := rows.Scan(&id, &status, &n); err != nil {
			return err
		}
		h := out[id]
		if h == nil {
			continue
		}
		switch masthead.CommentStatus(status) {
		case masthead.CommentPublished:
			h.Published = n
		case masthead.CommentPending:
			h.Pending = n
		case masthead.CommentRejected:
			h.Rejected = n
		}
	}
	return rows.Err()
}

// historyWarnings fills in the warnings of the accounts of ids, newest
// first.
func historyWarnings(ctx context.Context, q queryer, ids []int64, out map[int64]*masthead.AuthorHistory) error {
	rows, err := q.QueryContext(ctx, `SELECT account_id, id, reason, created_at, acknowledged_at FROM account_warnings
WHERE account_id IN (`+placeholders(1, len(ids))+`) ORDER BY account_id, id DESC`, idArgs(ids)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var w masthead.Warning
		if err := rows.Scan(&id, &w.ID, &w.Reason, timeCol{&w.CreatedAt}, timeCol{&w.AcknowledgedAt}); err != nil {
			return err
		}
		if h := out[id]; h != nil {
			h.Warnings = append(h.Warnings, w)
		}
	}
	return rows.Err()
}

// historyActions fills in the latest staff actions on the accounts of ids
// from the audit log, newest first, at most limit each (counted in SQL,
// so that a long history is not read to be dropped).
func historyActions(ctx context.Context, q queryer, ids []int64, limit int, out map[int64]*masthead.AuthorHistory) error {
	args := make([]any, 0, len(ids)+1)
	for _, id := range ids {
		args = append(args, strconv.FormatInt(id, 10)) // audit_log.target_id is text
	}
	args = append(args, limit)
	rows, err := q.QueryContext(ctx, `SELECT target_id, action, reason, actor_name, at FROM (
	SELECT target_id, action, reason, actor_name, at, id,
		ROW_NUMBER() OVER (PARTITION BY target_id ORDER BY id DESC) AS n
	FROM audit_log WHERE target_type = 'account' AND target_id IN (`+placeholders(1, len(ids))+`)
) x WHERE n <= $`+strconv.Itoa(len(ids)+1)+` ORDER BY target_id, id DESC`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var target string
		var a masthead.StaffActionRecord
		if err := rows.Scan(&target, &a.Action, &a.Reason, &a.By, timeCol{&a.At}); err != nil {
			return err
		}
		id, err := strconv.ParseInt(target, 10, 64)
		if err != nil {
			continue
		}
		if h := out[id]; h != nil {
			h.Actions = append(h.Actions, a)
		}
	}
	return rows.Err()
}

// PendingWarning returns the account's oldest warning not yet
// acknowledged, or ENOTFOUND. It is one indexed query outside any
// transaction. Page views do not call it: an account comes with
// HasPendingWarning (see accountColumns), and only the warning page reads
// the warning itself.
func (us *UserService) PendingWarning(ctx context.Context, accountID int64) (*masthead.Warning, error) {
	w := &masthead.Warning{}
	err := us.db.queryRowPool(ctx, `SELECT id, reason, created_at FROM account_warnings
WHERE account_id = $1 AND acknowledged_at IS NULL ORDER BY id LIMIT 1`, accountID).Scan(&w.ID, &w.Reason, timeCol{&w.CreatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgUserNoWarning))
	} else if err != nil {
		return nil, fmt.Errorf("sqldb: pending warning: %w", err)
	}
	return w, nil
}

// AcknowledgeWarning records that the subscriber read the warning. It is
// ENOTFOUND unless the warning is the account's; acknowledging it again
// changes nothing.
func (us *UserService) AcknowledgeWarning(ctx context.Context, accountID, warningID int64) error {
	now := us.db.clock()
	err := us.db.writeTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM account_warnings WHERE id = $1 AND account_id = $2`,
			warningID, accountID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgUserNoWarning))
		}
		_, err := tx.ExecContext(ctx, `UPDATE account_warnings SET acknowledged_at = $1
WHERE id = $2 AND account_id = $3 AND acknowledged_at IS NULL`, us.db.timeArg(now), warningID, accountID)
		return err
	})
	if err != nil {
		return wrapUnlessApp("acknowledge warning", err)
	}
	return nil
}

// FindUsers returns up to limit live accounts whose email address or
// display name contains q (case-insensitively), or whose display name
// looks like q (by confusable key, so "admin" finds "Аdmin"), by ID.
// Moderators find subscribers with it even when plans are off.
func (us *UserService) FindUsers(ctx context.Context, q string, limit int) ([]*masthead.Account, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, nil
	}
	if limit <= 0 || limit > maxFindUsers {
		limit = maxFindUsers
	}
	key := masthead.DisplayNameKey(q)
	keyPattern := likePattern(key)
	if key == "" {
		keyPattern = "" // matches no key
	}
	rows, err := us.db.read.QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts a
WHERE a.deleted_at IS NULL AND (lower(a.email) LIKE $1 ESCAPE '\' OR lower(COALESCE(a.display_name, '')) LIKE $1 ESCAPE '\'
	OR a.display_name_key LIKE $2 ESCAPE '\')
ORDER BY a.id LIMIT $3`, likePattern(q), keyPattern, limit)
	if err != nil {
		return nil, fmt.Errorf("sqldb: find users: %w", err)
	}
	defer rows.Close()
	var out []*masthead.Account
	for rows.Next() {
		var r accountRow
		if err := rows.Scan(r.dest()...); err != nil {
			return nil, fmt.Errorf("sqldb: find users: %w", err)
		}
		out = append(out, r.account())
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqldb: find users: %w", err)
	}
	return out, nil
}
