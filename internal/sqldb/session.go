package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"masthead"
)

// maxUserAgent bounds how much of a User-Agent header a session keeps.
const maxUserAgent = 300

// lastSeenEvery is how stale a session's last_seen_at may get before a
// request updates it, so that a signed-in reader's page views do not each
// write to the database.
const lastSeenEvery = time.Minute

// sessionColumns are the columns scanSession reads, from sessions s.
const sessionColumns = `s.id, s.account_id, s.created_at, s.last_seen_at, s.expires_at, s.user_agent, s.ip_prefix`

// scanSession scans sessionColumns, then extra destinations.
func scanSession(sc interface{ Scan(...any) error }, extra ...any) (*masthead.Session, error) {
	s := &masthead.Session{}
	dest := []any{&s.ID, &s.AccountID, timeCol{&s.CreatedAt}, timeCol{&s.LastSeenAt}, timeCol{&s.ExpiresAt},
		&s.UserAgent, &s.IPPrefix}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	return s, nil
}

func errSessionInvalid() error {
	return masthead.Errorf(masthead.EUNAUTHORIZED, "%s", masthead.Msg(masthead.MsgSessionInvalid))
}

// sessionIdle returns how long a session of an account with role may go
// unused.
func (as *AccountService) sessionIdle(role masthead.Role) time.Duration {
	if role.IsStaff() {
		return as.settings.StaffSessionIdle
	}
	return as.settings.ReaderSessionIdle
}

// sessionActive reports whether s, of an account with role, is still
// valid at now.
func (as *AccountService) sessionActive(s *masthead.Session, role masthead.Role, now time.Time) bool {
	return now.Before(s.ExpiresAt) && now.Before(s.LastSeenAt.Add(as.sessionIdle(role)))
}

// createSession starts a session of the account for c and returns its
// token.
func (as *AccountService) createSession(ctx context.Context, tx *sql.Tx, accountID int64, c masthead.Client, now time.Time) (string, error) {
	db := as.db
	plain, hash := newToken()
	_, err := tx.ExecContext(ctx, `INSERT INTO sessions
	(account_id, token_hash, created_at, last_seen_at, expires_at, user_agent, ip_prefix)
VALUES ($1, $2, $3, $3, $4, $5, $6)`,
		accountID, hash, db.timeArg(now), db.timeArg(now.Add(as.settings.ReaderSessionLifetime)),
		truncateUTF8(c.UserAgent, maxUserAgent), masthead.IPPrefix(c.IP))
	if err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	return plain, nil
}

// authenticateSQL finds a session and its account by token hash: one
// lookup on a unique index.
const authenticateSQL = `SELECT ` + sessionColumns + `, ` + accountColumns + `
FROM sessions s JOIN accounts a ON a.id = s.account_id
WHERE s.token_hash = $1`

// Authenticate returns the account and session of a session token, or
// EUNAUTHORIZED if it is unknown, ended, past its absolute end or idle for
// longer than its account's kind allows. It is one indexed read; it writes
// only when the session's last_seen_at is over a minute old, and then
// also records the network c comes from.
func (as *AccountService) Authenticate(ctx context.Context, token string, c masthead.Client) (*masthead.Account, *masthead.Session, error) {
	if !tokenShapeOK(token) {
		return nil, nil, errSessionInvalid()
	}
	db := as.db
	now := db.clock()
	var row accountRow
	s, err := scanSession(db.queryRowPool(ctx, authenticateSQL, hashToken(token)), row.dest()...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errSessionInvalid()
	} else if err != nil {
		return nil, nil, fmt.Errorf("sqldb: authenticate: %w", err)
	}
	if row.deleted() || !as.sessionActive(s, row.Role, now) {
		return nil, nil, errSessionInvalid()
	}
	if now.Sub(s.LastSeenAt) >= lastSeenEvery {
		prefix := masthead.IPPrefix(c.IP)
		if _, err := db.write.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1, ip_prefix = $2 WHERE id = $3`,
			db.timeArg(now), prefix, s.ID); err != nil {
			return nil, nil, fmt.Errorf("sqldb: authenticate: touch session: %w", err)
		}
		s.LastSeenAt, s.IPPrefix = now, prefix
	}
	return &row.Account, s, nil
}

// SignOut ends the session of token. Ending a session that has already
// ended, or an unknown token, is not an error.
func (as *AccountService) SignOut(ctx context.Context, token string) error {
	if !tokenShapeOK(token) {
		return nil
	}
	if _, err := as.db.write.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hashToken(token)); err != nil {
		return fmt.Errorf("sqldb: sign out: %w", err)
	}
	return nil
}

// ListSessions returns the account's active sessions, most recently seen
// first.
func (as *AccountService) ListSessions(ctx context.Context, accountID int64) ([]*masthead.Session, error) {
	var out []*masthead.Session
	err := as.db.readTx(ctx, func(tx *sql.Tx) error {
		row, err := as.findAccount(ctx, tx, accountID, false)
		if err != nil {
			return err
		}
		out, err = as.sessionsOf(ctx, tx, row, true)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sqldb: list sessions: %w", err)
	}
	return out, nil
}

// sessionsOf returns the sessions of an account, most recently seen first:
// only the active ones if activeOnly.
func (as *AccountService) sessionsOf(ctx context.Context, tx *sql.Tx, acc *accountRow, activeOnly bool) ([]*masthead.Session, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+sessionColumns+` FROM sessions s
WHERE s.account_id = $1 ORDER BY s.last_seen_at DESC, s.id DESC`, acc.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	now := as.db.clock()
	out := []*masthead.Session{}
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		if !activeOnly || as.sessionActive(s, acc.Role, now) {
			out = append(out, s)
		}
	}
	return out, rows.Err()
}

// EndSession ends one of the account's sessions; ENOTFOUND if the account
// has no such session.
func (as *AccountService) EndSession(ctx context.Context, accountID, sessionID int64) error {
	res, err := as.db.write.ExecContext(ctx, `DELETE FROM sessions WHERE id = $1 AND account_id = $2`, sessionID, accountID)
	if err != nil {
		return fmt.Errorf("sqldb: end session: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqldb: end session: %w", err)
	} else if n == 0 {
		return masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgSessionNotFound))
	}
	return nil
}

// EndOtherSessions ends every session of the account but keep.
func (as *AccountService) EndOtherSessions(ctx context.Context, accountID, keep int64) error {
	if _, err := as.db.write.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = $1 AND id <> $2`, accountID, keep); err != nil {
		return fmt.Errorf("sqldb: end other sessions: %w", err)
	}
	return nil
}
