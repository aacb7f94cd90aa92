package sqldb

import (
	"context"
	"database/sql"

	"masthead"
)

// MeterLockClass is meterLockClass, for tests that hold an account's
// meter lock.
const MeterLockClass = meterLockClass

// WriteAudit appends an audit entry in a transaction of its own, as a staff
// action's transaction does.
func (db *DB) WriteAudit(ctx context.Context, actor masthead.Actor, action, targetType string, targetID int64, before, after any, reason string) error {
	now := db.clock()
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		return db.writeAudit(ctx, tx, actor, auditRecord{Action: action, TargetType: targetType, TargetID: targetID,
			Before: before, After: after, Reason: reason}, now)
	})
}

// OnBatch sets the hook told the size of each group commit of posts.
func (cs *CommentService) OnBatch(fn func(n int)) { cs.onBatch = fn }

// DefaultReadConns is defaultReadConns, for tests.
var DefaultReadConns = defaultReadConns
