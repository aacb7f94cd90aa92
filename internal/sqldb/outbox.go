package sqldb

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"masthead"
)

// maxLastError bounds how much of a failure reason is kept.
const maxLastError = 1000

// OutboxService implements masthead.OutboxService.
type OutboxService struct {
	db *DB
}

var _ masthead.OutboxService = (*OutboxService)(nil)

// NewOutboxService returns an OutboxService over the outbox in db.
func NewOutboxService(db *DB) *OutboxService {
	return &OutboxService{db: db}
}

// queueEmail writes a message to the outbox in tx, due at once. accountID
// is the account the message is about (0 for none); deleting the account
// deletes its messages.
func (db *DB) queueEmail(ctx context.Context, tx *sql.Tx, accountID int64, kind masthead.EmailKind, to string, data map[string]string, now time.Time) error {
	if data == nil {
		data = map[string]string{}
	}
	b, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("queue %s email: %w", kind, err)
	}
	var acct any
	if accountID != 0 {
		acct = accountID
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (kind, to_address, account_id, data, next_attempt_at, created_at)
VALUES ($1, $2, $3, $4, $5, $5)`, string(kind), to, acct, string(b), db.timeArg(now)); err != nil {
		return fmt.Errorf("queue %s email: %w", kind, err)
	}
	return nil
}

// ClaimOutbox leases up to n due messages for lease and returns them
// oldest first. A message is due while it is pending, its next attempt has
// come and no other lease on it is running. On PostgreSQL, concurrent
// claimers skip each other's rows rather than wait for them.
func (ob *OutboxService) ClaimOutbox(ctx context.Context, n int, lease time.Duration) ([]*masthead.OutboxMessage, error) {
	if n <= 0 {
		return nil, nil
	}
	if lease <= 0 {
		return nil, errors.New("sqldb: claim outbox: lease must be positive")
	}
	db := ob.db
	now := db.clock()
	lock := ""
	if db.dialect == DialectPostgres {
		lock = ` FOR UPDATE SKIP LOCKED`
	}
	var out []*masthead.OutboxMessage
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE outbox SET leased_until = $1
WHERE id IN (
	SELECT id FROM outbox
	WHERE status = 'pending' AND next_attempt_at <= $2 AND (leased_until IS NULL OR leased_until <= $2)
	ORDER BY id
	LIMIT $3`+lock+`
)
RETURNING id, kind, to_address, data, attempts, created_at`, db.timeArg(now.Add(lease)), db.timeArg(now), n)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m := &masthead.OutboxMessage{}
			var data string
			if err := rows.Scan(&m.ID, &m.Kind, &m.To, &data, &m.Attempts, timeCol{&m.CreatedAt}); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(data), &m.Data); err != nil {
				return fmt.Errorf("message %d: data: %w", m.ID, err)
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("sqldb: claim outbox: %w", err)
	}
	// RETURNING has no order.
	slices.SortFunc(out, func(a, b *masthead.OutboxMessage) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

// MarkSent records that a message was sent, ends its lease and clears its
// data, so that the tokens it carried do not stay in the database.
func (ob *OutboxService) MarkSent(ctx context.Context, id int64) error {
	db := ob.db
	now := db.clock()
	res, err := db.write.ExecContext(ctx, `UPDATE outbox
SET status = 'sent', sent_at = $1, data = '{}', leased_until = NULL
WHERE id = $2`, db.timeArg(now), id)
	if err == nil {
		err = mustAffect(res, "message %d not found", id)
	}
	if err != nil {
		return fmt.Errorf("sqldb: mark sent: %w", err)
	}
	return nil
}

// MarkFailed records a failed attempt on a pending message and ends its
// lease. The message is tried again at retryAt; a zero retryAt gives up:
// the message is marked failed and its data cleared (it stays for an
// operator to see its kind, address and last error). A message that is no
// longer pending (another sender has sent it) is left as it is.
func (ob *OutboxService) MarkFailed(ctx context.Context, id int64, reason string, retryAt time.Time) error {
	db := ob.db
	reason = truncateUTF8(reason, maxLastError)
	var res sql.Result
	var err error
	if retryAt.IsZero() {
		res, err = db.write.ExecContext(ctx, `UPDATE outbox
SET status = 'failed', attempts = attempts + 1, last_error = $1, leased_until = NULL, data = '{}'
WHERE id = $2 AND status = 'pending'`, reason, id)
	} else {
		res, err = db.write.ExecContext(ctx, `UPDATE outbox
SET attempts = attempts + 1, last_error = $1, leased_until = NULL, next_attempt_at = $2
WHERE id = $3 AND status = 'pending'`, reason, db.timeArg(storedTime(retryAt)), id)
	}
	if err == nil {
		if n, _ := res.RowsAffected(); n == 0 {
			var exists int
			err = db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE id = $1`, id).Scan(&exists)
			if err == nil && exists == 0 {
				err = fmt.Errorf("message %d not found", id)
			}
		}
	}
	if err != nil {
		return fmt.Errorf("sqldb: mark failed: %w", err)
	}
	return nil
}

// mustAffect returns an error made from format and args if res changed no
// row.
func mustAffect(res sql.Result, format string, args ...any) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf(format, args...)
	}
	return nil
}

// truncateUTF8 returns s cut to at most n bytes without splitting a
// character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
