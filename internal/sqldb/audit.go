package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"masthead"
)

// AuditService reads the audit log; see masthead.AuditService. Entries are
// written by each staff action's own transaction, through writeAudit.
type AuditService struct {
	db *DB
}

var _ masthead.AuditService = (*AuditService)(nil)

// NewAuditService returns an AuditService over db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

// maxAuditPage is the most entries one page of the log may ask for.
const maxAuditPage = 200

// auditRecord is one entry to write. Before and After are marshalled to
// JSON unless they are nil (or already strings).
type auditRecord struct {
	Action     string
	TargetType string
	TargetID   int64
	Before     any
	After      any
	Reason     string
}

// auditJSON returns v as the JSON kept in the log, "" for nil.
func auditJSON(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("audit state: %w", err)
	}
	return string(b), nil
}

// writeAudit appends the record of a staff action to the audit log in tx,
// the action's own transaction, so that the action and its entry are
// stored together or not at all.
func (db *DB) writeAudit(ctx context.Context, tx *sql.Tx, actor masthead.Actor, rec auditRecord, now time.Time) error {
	before, err := auditJSON(rec.Before)
	if err != nil {
		return err
	}
	after, err := auditJSON(rec.After)
	if err != nil {
		return err
	}
	var actorID any
	name := ""
	if actor.ID != 0 {
		actorID = actor.ID
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(email, '') FROM accounts WHERE id = $1`, actor.ID).Scan(&name); err != nil && err != sql.ErrNoRows {
			return fmt.Errorf("audit actor: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (actor_id, actor_name, action, target_type, target_id,
	before_state, after_state, reason, ip, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		actorID, name, rec.Action, rec.TargetType, strconv.FormatInt(rec.TargetID, 10),
		before, after, rec.Reason, actor.IP, db.timeArg(now)); err != nil {
		return fmt.Errorf("write audit entry: %w", err)
	}
	return nil
}

// FindAuditEntries returns the entries matching f, newest first; see
// masthead.AuditService.
func (as *AuditService) FindAuditEntries(ctx context.Context, f masthead.AuditFilter) ([]*masthead.AuditEntry, error) {
	if f.Limit <= 0 || f.Limit > maxAuditPage {
		f.Limit = maxAuditPage
	}
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.ActorID != 0 {
		where = append(where, "actor_id = "+arg(f.ActorID))
	}
	if f.Action != "" {
		where = append(where, "action = "+arg(f.Action))
	}
	if f.TargetType != "" {
		where = append(where, "target_type = "+arg(f.TargetType))
	}
	if f.TargetID != "" {
		where = append(where, "target_id = "+arg(f.TargetID))
	}
	if f.Before > 0 {
		where = append(where, "id < "+arg(f.Before))
	}
	q := `SELECT id, COALESCE(actor_id, 0), actor_name, action, target_type, target_id, before_state, after_state,
	reason, ip, at FROM audit_log`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id DESC LIMIT " + arg(f.Limit)
	rows, err := as.db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqldb: find audit entries: %w", err)
	}
	defer rows.Close()
	var out []*masthead.AuditEntry
	for rows.Next() {
		e := &masthead.AuditEntry{}
		if err := rows.Scan(&e.ID, &e.ActorID, &e.ActorName, &e.Action, &e.TargetType, &e.TargetID,
			&e.Before, &e.After, &e.Reason, &e.IP, timeCol{&e.At}); err != nil {
			return nil, fmt.Errorf("sqldb: find audit entries: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqldb: find audit entries: %w", err)
	}
	return out, nil
}
