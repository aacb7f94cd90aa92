package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"masthead"
)

// StaffService implements masthead.StaffService: the staff list and role
// changes, each with its audit entry.
type StaffService struct {
	db *DB
}

var _ masthead.StaffService = (*StaffService)(nil)

// NewStaffService returns a StaffService over db.
func NewStaffService(db *DB) *StaffService { return &StaffService{db: db} }

// ListStaff returns every live account with a staff role: administrators,
// then editors, then moderators, each by email.
func (ss *StaffService) ListStaff(ctx context.Context, actor masthead.Actor) ([]*masthead.StaffMember, error) {
	if err := actor.Require(masthead.PermStaffAdmin); err != nil {
		return nil, err
	}
	rows, err := ss.db.read.QueryContext(ctx, `SELECT a.id, a.email, COALESCE(a.display_name, ''), a.role,
	EXISTS (SELECT 1 FROM two_factor tf WHERE tf.account_id = a.id), a.created_at
FROM accounts a
WHERE a.role IN ('admin', 'editor', 'moderator') AND a.deleted_at IS NULL
ORDER BY CASE a.role WHEN 'admin' THEN 0 WHEN 'editor' THEN 1 ELSE 2 END, a.email_key`)
	if err != nil {
		return nil, fmt.Errorf("sqldb: list staff: %w", err)
	}
	defer rows.Close()
	var out []*masthead.StaffMember
	for rows.Next() {
		m := &masthead.StaffMember{}
		if err := rows.Scan(&m.ID, &m.Email, &m.DisplayName, &m.Role, &m.TwoFactorEnabled, timeCol{&m.CreatedAt}); err != nil {
			return nil, fmt.Errorf("sqldb: list staff: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqldb: list staff: %w", err)
	}
	return out, nil
}

// SetRole gives the account with the ID the role.
func (ss *StaffService) SetRole(ctx context.Context, actor masthead.Actor, accountID int64, role masthead.Role, reason string) error {
	return ss.setRole(ctx, actor, `id = $1`, accountID, role, reason)
}

// SetRoleByEmail gives the account with the email address the role.
func (ss *StaffService) SetRoleByEmail(ctx context.Context, actor masthead.Actor, email string, role masthead.Role, reason string) error {
	if err := actor.Require(masthead.PermStaffAdmin); err != nil {
		return err
	}
	email, err := masthead.NormalizeEmail(email)
	if err != nil {
		return err
	}
	return ss.setRole(ctx, actor, `email_key = $1`, masthead.EmailKey(email), role, reason)
}

// setRole changes the role of the live account matching where (with its
// one argument arg). Giving an account the role it has is no change and
// leaves no entry. Taking the role away from an administrator locks every
// administrator's row first, so that two administrators demoting each
// other at once cannot leave the site with none.
func (ss *StaffService) setRole(ctx context.Context, actor masthead.Actor, where string, arg any, role masthead.Role, reason string) error {
	if err := actor.Require(masthead.PermStaffAdmin); err != nil {
		return err
	}
	if !role.Valid() {
		return masthead.FieldError("role", masthead.Msg(masthead.MsgRoleInvalid, string(role)))
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > masthead.MaxStaffReasonLen {
		return masthead.FieldError("reason", masthead.Msg(masthead.MsgStaffReasonTooLong))
	}
	db := ss.db
	now := db.clock()
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		var id int64
		var old masthead.Role
		err := tx.QueryRowContext(ctx, `SELECT id, role FROM accounts WHERE `+where+` AND deleted_at IS NULL`+db.forUpdate(),
			arg).Scan(&id, &old)
		if errors.Is(err, sql.ErrNoRows) {
			return masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgStaffAccountNotFound))
		} else if err != nil {
			return err
		}
		if old == role {
			return nil
		}
		if old == masthead.RoleAdmin {
			rows, err := tx.QueryContext(ctx, `SELECT id FROM accounts WHERE role = 'admin' AND deleted_at IS NULL`+db.forUpdate())
			if err != nil {
				return err
			}
			n := 0
			for rows.Next() {
				n++
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if n <= 1 {
				return masthead.Errorf(masthead.ECONFLICT, "%s", masthead.Msg(masthead.MsgStaffLastAdmin))
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET role = $1, updated_at = $2 WHERE id = $3`,
			string(role), db.timeArg(now), id); err != nil {
			return err
		}
		return db.writeAudit(ctx, tx, actor, auditRecord{
			Action: masthead.AuditStaffRole, TargetType: "account", TargetID: id,
			Before: map[string]string{"role": string(old)}, After: map[string]string{"role": string(role)},
			Reason: reason,
		}, now)
	})
	if err != nil {
		return wrapUnlessApp("set role", err)
	}
	return nil
}

// AccountIDByEmail returns the ID of the account with the email address.
func (ss *StaffService) AccountIDByEmail(ctx context.Context, actor masthead.Actor, email string) (int64, error) {
	if err := actor.Require(masthead.PermAudit); err != nil {
		return 0, err
	}
	var id int64
	err := ss.db.read.QueryRowContext(ctx, `SELECT id FROM accounts WHERE email_key = $1`, masthead.EmailKey(email)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgStaffAccountNotFound))
	} else if err != nil {
		return 0, fmt.Errorf("sqldb: account by email: %w", err)
	}
	return id, nil
}
