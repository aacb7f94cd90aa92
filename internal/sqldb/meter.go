package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"masthead"
)

// MeterService implements masthead.MeterService: one meter_reads row per
// metered story a registered reader read in a meter period.
type MeterService struct {
	db *DB
}

var _ masthead.MeterService = (*MeterService)(nil)

// NewMeterService returns a MeterService that keeps meters in db.
func NewMeterService(db *DB) *MeterService {
	return &MeterService{db: db}
}

// countReads returns how many stories the account read in the period
// starting at start.
func (db *DB) countReads(ctx context.Context, q queryer, accountID int64, start time.Time) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM meter_reads WHERE account_id = $1 AND period_start = $2`,
		accountID, db.timeArg(storedTime(start))).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count meter reads: %w", err)
	}
	return n, nil
}

// meterRead returns whether the account read the story in the period
// starting at start, and how many stories it read in that period.
func (db *DB) meterRead(ctx context.Context, q queryer, accountID, storyID int64, start time.Time) (seen bool, n int, err error) {
	var k int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM meter_reads
WHERE account_id = $1 AND period_start = $2 AND story_id = $3`,
		accountID, db.timeArg(storedTime(start)), storyID).Scan(&k); err != nil {
		return false, 0, fmt.Errorf("find meter read: %w", err)
	}
	n, err = db.countReads(ctx, q, accountID, start)
	return k > 0, n, err
}

// ReadMetered records that the account read the metered story in the
// period [start, end) with limit stories: a story read before in the
// period is allowed again without counting, another is counted and
// allowed while fewer than limit are, and refused after. Re-reads and
// spent meters are decided by a read; only a read to count opens a write
// transaction, which checks again and inserts atomically, with the
// account's reads serialised, so concurrent reads never exceed the limit.
// An Unlimited meter allows every read and records nothing. The periods
// of one account must be identified by the same start time.
func (ms *MeterService) ReadMetered(ctx context.Context, accountID, storyID int64, start, end time.Time, limit int) (masthead.MeterState, bool, error) {
	st := masthead.MeterState{Limit: limit, PeriodStart: start, PeriodEnd: end}
	if limit == masthead.Unlimited {
		return st, true, nil
	}
	db := ms.db
	var seen bool
	err := db.readTx(ctx, func(tx *sql.Tx) (err error) {
		seen, st.Used, err = db.meterRead(ctx, tx, accountID, storyID, start)
		return err
	})
	if err != nil {
		return masthead.MeterState{}, false, fmt.Errorf("sqldb: read metered: %w", err)
	}
	if seen {
		return st, true, nil
	}
	if st.Used >= limit {
		return st, false, nil
	}
	now := db.clock()
	allowed := false
	err = db.writeTx(ctx, func(tx *sql.Tx) error {
		allowed = false
		if err := db.lockAccount(ctx, tx, meterLockClass, accountID); err != nil {
			return err
		}
		seen, n, err := db.meterRead(ctx, tx, accountID, storyID, start)
		if err != nil {
			return err
		}
		st.Used = n
		switch {
		case seen:
			allowed = true
		case n < limit:
			if _, err := tx.ExecContext(ctx, `INSERT INTO meter_reads (account_id, story_id, period_start, read_at)
VALUES ($1, $2, $3, $4)`, accountID, storyID, db.timeArg(storedTime(start)), db.timeArg(now)); err != nil {
				return fmt.Errorf("record meter read: %w", err)
			}
			st.Used, allowed = n+1, true
		}
		return nil
	})
	if err != nil {
		return masthead.MeterState{}, false, fmt.Errorf("sqldb: read metered: %w", err)
	}
	return st, allowed, nil
}

// Meter returns the account's meter in the period [start, end) without
// reading.
func (ms *MeterService) Meter(ctx context.Context, accountID int64, start, end time.Time, limit int) (masthead.MeterState, error) {
	st := masthead.MeterState{Limit: limit, PeriodStart: start, PeriodEnd: end}
	err := ms.db.readTx(ctx, func(tx *sql.Tx) (err error) {
		st.Used, err = ms.db.countReads(ctx, tx, accountID, start)
		return err
	})
	if err != nil {
		return masthead.MeterState{}, fmt.Errorf("sqldb: meter: %w", err)
	}
	return st, nil
}
