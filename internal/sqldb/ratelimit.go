package sqldb

// Rate limits are counted in the database, so that they hold across
// instances: one rate_events row per counted event, and a limit is reached
// when its window holds max events. Checking and recording happen in one
// write transaction, serialised per key (by the single SQLite writer, or by
// a transaction-level advisory lock on PostgreSQL), so concurrent requests
// can never exceed a limit. Refused attempts are not recorded, so a key
// never has more than max rows in a window however hard it is hammered.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"fmt"
	"net/netip"
	"slices"
	"time"
)

// Rate-limit buckets.
const (
	bucketSignInEmail = "sign_in_email" // failed sign-ins per address
	bucketSignInIP    = "sign_in_ip"    // failed sign-ins per IP
	bucketSignUpIP    = "sign_up_ip"    // sign-ups per IP
	bucketResetEmail  = "reset_email"   // reset emails per address
	bucketVerifyEmail = "verify_email"  // resent verification emails per address

	bucketSignUpExisting     = "sign_up_existing"     // notices of sign-ups with an address that has an account
	bucketEmailChangeAccount = "email_change_account" // email-change confirmations per account
	bucketEmailChangeTarget  = "email_change_target"  // email-change confirmations per new address
)

// rateLockClass is the first key of the PostgreSQL advisory locks that
// serialise rate-limit checks ("rate").
const rateLockClass int32 = 0x72617465

// limit is one rate limit on one key: at most max events per window.
type limit struct {
	bucket string
	key    string
	max    int
	window time.Duration
}

// keyHash is what rate_events stores in place of l.key.
func (l limit) keyHash() []byte {
	sum := sha256.Sum256([]byte(l.bucket + "\x00" + l.key))
	return sum[:]
}

// ipKey is the key of an IP for rate limits: the whole IPv4 address, or
// the /64 of an IPv6 one (one subscriber line). Requests without an
// address share one key, "unknown".
func ipKey(ip netip.Addr) string {
	if !ip.IsValid() {
		return "unknown"
	}
	ip = ip.Unmap()
	if ip.Is4() {
		return ip.String()
	}
	p, err := ip.Prefix(64)
	if err != nil {
		return "unknown"
	}
	return p.String()
}

// lockLimits serialises, until tx ends, the transactions that check the
// same keys. On SQLite the writer is already serial.
func (db *DB) lockLimits(ctx context.Context, tx *sql.Tx, limits ...limit) error {
	if db.dialect != DialectPostgres {
		return nil
	}
	keys := make([]int32, 0, len(limits))
	for _, l := range limits {
		keys = append(keys, int32(binary.BigEndian.Uint32(l.keyHash())))
	}
	// One global order, so that two transactions locking the same pair
	// cannot deadlock.
	slices.Sort(keys)
	keys = slices.Compact(keys)
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, rateLockClass, k); err != nil {
			return fmt.Errorf("lock rate limit: %w", err)
		}
	}
	return nil
}

// countEvents returns how many events of l lie in its window ending at now.
func (db *DB) countEvents(ctx context.Context, q queryer, l limit, now time.Time) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM rate_events WHERE bucket = $1 AND key_hash = $2 AND at > $3`,
		l.bucket, l.keyHash(), db.timeArg(now.Add(-l.window))).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count rate events: %w", err)
	}
	return n, nil
}

// limitReached reports, without locking or recording, whether l is
// reached at now. It is a cheap early answer; takeLimits decides.
func (db *DB) limitReached(ctx context.Context, l limit, now time.Time) (bool, error) {
	n, err := db.countEvents(ctx, db.read, l, now)
	return n >= l.max, err
}

// takeLimits checks every limit and, if none is reached, records one event
// for each and returns their IDs. If one is reached it records nothing and
// returns it as reached.
func (db *DB) takeLimits(ctx context.Context, tx *sql.Tx, now time.Time, limits ...limit) (ids []int64, reached *limit, err error) {
	if err := db.lockLimits(ctx, tx, limits...); err != nil {
		return nil, nil, err
	}
	for i := range limits {
		n, err := db.countEvents(ctx, tx, limits[i], now)
		if err != nil {
			return nil, nil, err
		}
		if n >= limits[i].max {
			return nil, &limits[i], nil
		}
	}
	for _, l := range limits {
		h := l.keyHash()
		// Forget this key's events that have left the window, so that a
		// key keeps at most max rows.
		if _, err := tx.ExecContext(ctx, `DELETE FROM rate_events WHERE bucket = $1 AND key_hash = $2 AND at <= $3`,
			l.bucket, h, db.timeArg(now.Add(-l.window))); err != nil {
			return nil, nil, fmt.Errorf("trim rate events: %w", err)
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO rate_events (bucket, key_hash, at, expires_at)
VALUES ($1, $2, $3, $4) RETURNING id`, l.bucket, h, db.timeArg(now), db.timeArg(now.Add(l.window))).Scan(&id); err != nil {
			return nil, nil, fmt.Errorf("record rate event: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, nil, nil
}

// forgetEvents deletes recorded events by ID: the reservation of an
// attempt that turned out not to count (a successful sign-in).
func forgetEvents(ctx context.Context, tx *sql.Tx, ids []int64) error {
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `DELETE FROM rate_events WHERE id = $1`, id); err != nil {
			return fmt.Errorf("forget rate event: %w", err)
		}
	}
	return nil
}

// clearEvents deletes every event of one bucket and key.
func clearEvents(ctx context.Context, tx *sql.Tx, bucket, key string) error {
	l := limit{bucket: bucket, key: key}
	if _, err := tx.ExecContext(ctx, `DELETE FROM rate_events WHERE bucket = $1 AND key_hash = $2`, bucket, l.keyHash()); err != nil {
		return fmt.Errorf("clear rate events: %w", err)
	}
	return nil
}
