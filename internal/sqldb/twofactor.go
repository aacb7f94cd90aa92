package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"masthead"
)

// Rate-limit buckets of two-factor codes: wrong codes per account and per
// client, whether given at sign-in or to change the two-factor settings.
const (
	bucketTwoFactorAccount = "two_factor_account"
	bucketTwoFactorIP      = "two_factor_ip"
)

// TwoFactorService implements masthead.TwoFactorService over the accounts
// of an AccountService, whose settings hold its limits.
type TwoFactorService struct {
	db       *DB
	accounts *AccountService
}

var _ masthead.TwoFactorService = (*TwoFactorService)(nil)

// NewTwoFactorService returns a TwoFactorService for the accounts of
// accounts.
func NewTwoFactorService(db *DB, accounts *AccountService) *TwoFactorService {
	return &TwoFactorService{db: db, accounts: accounts}
}

func errCodeWrong() error {
	return &masthead.Error{Code: masthead.EUNAUTHORIZED, Field: "code", Message: masthead.Msg(masthead.MsgTwoFactorCodeWrong)}
}

func errPendingInvalid() error {
	return &masthead.Error{Code: masthead.EINVALID, Field: "token", Message: masthead.Msg(masthead.MsgTwoFactorPendingInvalid)}
}

func errTwoFactorLimited() error {
	return masthead.Errorf(masthead.ERATELIMIT, "%s", masthead.Msg(masthead.MsgTwoFactorRateLimited))
}

// createPendingSignIn stores a sign-in of the account that waits for its
// second factor and returns its token. The account's expired pending
// sign-ins are dropped on the way.
func (as *AccountService) createPendingSignIn(ctx context.Context, tx *sql.Tx, accountID int64, now time.Time) (string, error) {
	if _, err := tx.ExecContext(ctx, `DELETE FROM pending_sign_ins WHERE account_id = $1 AND expires_at <= $2`,
		accountID, as.db.timeArg(now)); err != nil {
		return "", fmt.Errorf("pending sign-in: %w", err)
	}
	plain, hash := newToken()
	if _, err := tx.ExecContext(ctx, `INSERT INTO pending_sign_ins (account_id, token_hash, expires_at, created_at)
VALUES ($1, $2, $3, $4)`, accountID, hash, as.db.timeArg(now.Add(as.settings.TwoFactorPendingLifetime)), as.db.timeArg(now)); err != nil {
		return "", fmt.Errorf("pending sign-in: %w", err)
	}
	return plain, nil
}

// accountLimit is the limit on wrong codes for one account.
func (ts *TwoFactorService) accountLimit(accountID int64) limit {
	st := ts.accounts.settings
	return limit{bucketTwoFactorAccount, strconv.FormatInt(accountID, 10), st.TwoFactorFailuresPerAccount, st.TwoFactorFailuresWindow}
}

// ipLimit is the limit on wrong codes from one client.
func (ts *TwoFactorService) ipLimit(c masthead.Client) limit {
	st := ts.accounts.settings
	return limit{bucketTwoFactorIP, ipKey(c.IP), st.TwoFactorFailuresPerIP, st.TwoFactorFailuresIPWindow}
}

// codeCheck is the outcome of checking a code.
type codeCheck struct {
	on       bool // two-factor sign-in is on
	ok       bool // the code was right, and is now used
	recovery bool // it was a recovery code
	left     int  // recovery codes left, when it was one
}

// checkCode checks code for the account in tx: a TOTP code not used
// before (the step it matches is recorded, so it cannot be replayed) or,
// if allowRecovery, an unused recovery code (marked used).
func (ts *TwoFactorService) checkCode(ctx context.Context, tx *sql.Tx, accountID int64, code string, allowRecovery bool, now time.Time) (codeCheck, error) {
	var secret string
	var last int64
	err := tx.QueryRowContext(ctx, `SELECT secret, last_step FROM two_factor WHERE account_id = $1`+ts.db.forUpdate(),
		accountID).Scan(&secret, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return codeCheck{}, nil
	} else if err != nil {
		return codeCheck{}, fmt.Errorf("two-factor secret: %w", err)
	}
	res := codeCheck{on: true}
	if _, isTOTP := masthead.NormalizeTOTPCode(code); isTOTP {
		step, ok := masthead.VerifyTOTP(secret, code, now, last)
		if !ok {
			return res, nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE two_factor SET last_step = $1 WHERE account_id = $2`, step, accountID); err != nil {
			return res, fmt.Errorf("record two-factor step: %w", err)
		}
		res.ok = true
		return res, nil
	}
	if _, isRecovery := masthead.NormalizeRecoveryCode(code); !allowRecovery || !isRecovery {
		return res, nil
	}
	var id int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM recovery_codes WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL`,
		accountID, masthead.HashRecoveryCode(code)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return res, nil
	} else if err != nil {
		return res, fmt.Errorf("find recovery code: %w", err)
	}
	r, err := tx.ExecContext(ctx, `UPDATE recovery_codes SET used_at = $1 WHERE id = $2 AND used_at IS NULL`, ts.db.timeArg(now), id)
	if err != nil {
		return res, fmt.Errorf("use recovery code: %w", err)
	}
	if n, err := r.RowsAffected(); err != nil {
		return res, fmt.Errorf("use recovery code: %w", err)
	} else if n == 0 {
		return res, nil
	}
	if res.left, err = recoveryCodesLeft(ctx, tx, accountID); err != nil {
		return res, err
	}
	res.ok, res.recovery = true, true
	return res, nil
}

// recoveryCodesLeft counts the account's unused recovery codes.
func recoveryCodesLeft(ctx context.Context, q queryer, accountID int64) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE account_id = $1 AND used_at IS NULL`,
		accountID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count recovery codes: %w", err)
	}
	return n, nil
}

// storeRecoveryCodes replaces the account's recovery codes with new ones
// and returns them; only their hashes are stored.
func (ts *TwoFactorService) storeRecoveryCodes(ctx context.Context, tx *sql.Tx, accountID int64, now time.Time) ([]string, error) {
	if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE account_id = $1`, accountID); err != nil {
		return nil, fmt.Errorf("delete recovery codes: %w", err)
	}
	codes := masthead.NewRecoveryCodes()
	for _, c := range codes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (account_id, code_hash, created_at) VALUES ($1, $2, $3)`,
			accountID, masthead.HashRecoveryCode(c), ts.db.timeArg(now)); err != nil {
			return nil, fmt.Errorf("store recovery code: %w", err)
		}
	}
	return codes, nil
}

// guarded runs check, a code check of the account, in a write transaction
// under the account's limit on wrong codes (and the client's, if c is
// given): a wrong code is recorded against them and committed, a right one
// is not counted. check returns whether the code was right; an error
// rolls everything back.
func (ts *TwoFactorService) guarded(ctx context.Context, accountID int64, c *masthead.Client, check func(tx *sql.Tx, now time.Time) (bool, error)) (bool, error) {
	lims := []limit{ts.accountLimit(accountID)}
	if c != nil {
		lims = append(lims, ts.ipLimit(*c))
	}
	now := ts.db.clock()
	var right bool
	err := ts.db.writeTx(ctx, func(tx *sql.Tx) error {
		ids, reached, err := ts.db.takeLimits(ctx, tx, now, lims...)
		if err != nil {
			return err
		} else if reached != nil {
			return errTwoFactorLimited()
		}
		if right, err = check(tx, now); err != nil || !right {
			return err
		}
		return forgetEvents(ctx, tx, ids)
	})
	return right, err
}

// TwoFactorStatus returns the account's two-factor state.
func (ts *TwoFactorService) TwoFactorStatus(ctx context.Context, accountID int64) (*masthead.TwoFactorStatus, error) {
	st := &masthead.TwoFactorStatus{}
	err := ts.db.readTx(ctx, func(tx *sql.Tx) error {
		if _, err := ts.accounts.findAccount(ctx, tx, accountID, false); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `SELECT enabled_at FROM two_factor WHERE account_id = $1`, accountID).Scan(timeCol{&st.EnabledAt})
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		st.Enabled = true
		st.RecoveryCodesLeft, err = recoveryCodesLeft(ctx, tx, accountID)
		return err
	})
	if err != nil {
		return nil, wrapUnlessApp("two-factor status", err)
	}
	return st, nil
}

// EnableTwoFactor turns two-factor sign-in on with secret once code, a
// current code of it, proves the reader's app has it; the step of the code
// counts as used. It returns new recovery codes.
func (ts *TwoFactorService) EnableTwoFactor(ctx context.Context, accountID int64, secret, code string) ([]string, error) {
	secret, err := masthead.NormalizeTOTPSecret(secret)
	if err != nil {
		return nil, err
	}
	if _, ok := masthead.NormalizeTOTPCode(code); !ok {
		return nil, masthead.FieldError("code", masthead.Msg(masthead.MsgTwoFactorCodeMissing))
	}
	var codes []string
	now := ts.db.clock()
	err = ts.db.writeTx(ctx, func(tx *sql.Tx) error {
		if _, err := ts.accounts.findAccount(ctx, tx, accountID, true); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM two_factor WHERE account_id = $1`, accountID).Scan(&n); err != nil {
			return err
		} else if n > 0 {
			return masthead.Errorf(masthead.ECONFLICT, "%s", masthead.Msg(masthead.MsgTwoFactorAlreadyOn))
		}
		step, ok := masthead.VerifyTOTP(secret, code, now, 0)
		if !ok {
			return masthead.FieldError("code", masthead.Msg(masthead.MsgTwoFactorCodeWrong))
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO two_factor (account_id, secret, last_step, enabled_at) VALUES ($1, $2, $3, $4)`,
			accountID, secret, step, ts.db.timeArg(now)); err != nil {
			return err
		}
		codes, err = ts.storeRecoveryCodes(ctx, tx, accountID, now)
		return err
	})
	if err != nil {
		return nil, wrapUnlessApp("enable two-factor", err)
	}
	return codes, nil
}

// SeedTwoFactor turns two-factor sign-in on with a known secret, without
// a code and without recovery codes. It is for seeding (the demo
// newsroom's administrator, whose secret is published) and tests, never
// for a reader: EnableTwoFactor is.
func (ts *TwoFactorService) SeedTwoFactor(ctx context.Context, accountID int64, secret string) error {
	secret, err := masthead.NormalizeTOTPSecret(secret)
	if err != nil {
		return err
	}
	now := ts.db.clock()
	err = ts.db.writeTx(ctx, func(tx *sql.Tx) error {
		if _, err := ts.accounts.findAccount(ctx, tx, accountID, true); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO two_factor (account_id, secret, last_step, enabled_at) VALUES ($1, $2, 0, $3)
ON CONFLICT (account_id) DO UPDATE SET secret = excluded.secret, last_step = 0`, accountID, secret, ts.db.timeArg(now))
		return err
	})
	if err != nil {
		return wrapUnlessApp("seed two-factor", err)
	}
	return nil
}

// DisableTwoFactor checks the password and a current code (a recovery
// code works too), then turns two-factor sign-in off and deletes the
// recovery codes and pending sign-ins.
func (ts *TwoFactorService) DisableTwoFactor(ctx context.Context, accountID int64, password, code string) error {
	row, err := ts.accounts.findAccount(ctx, ts.db.read, accountID, false)
	if err != nil {
		return err
	}
	if !row.TwoFactorEnabled {
		return masthead.Errorf(masthead.ECONFLICT, "%s", masthead.Msg(masthead.MsgTwoFactorNotOn))
	}
	if err := ts.accounts.checkPassword(ctx, row, password, "password"); err != nil {
		return err
	}
	right, err := ts.guarded(ctx, accountID, nil, func(tx *sql.Tx, now time.Time) (bool, error) {
		chk, err := ts.checkCode(ctx, tx, accountID, code, true, now)
		if err != nil || !chk.ok {
			return false, err
		}
		for _, q := range []string{
			`DELETE FROM two_factor WHERE account_id = $1`,
			`DELETE FROM recovery_codes WHERE account_id = $1`,
			`DELETE FROM pending_sign_ins WHERE account_id = $1`,
		} {
			if _, err := tx.ExecContext(ctx, q, accountID); err != nil {
				return false, err
			}
		}
		return true, nil
	})
	if err != nil {
		return wrapUnlessApp("disable two-factor", err)
	}
	if !right {
		return masthead.FieldError("code", masthead.Msg(masthead.MsgTwoFactorCodeWrong))
	}
	return nil
}

// RegenerateRecoveryCodes checks a current code from the app and replaces
// every recovery code.
func (ts *TwoFactorService) RegenerateRecoveryCodes(ctx context.Context, accountID int64, code string) ([]string, error) {
	if _, ok := masthead.NormalizeTOTPCode(code); !ok {
		return nil, masthead.FieldError("code", masthead.Msg(masthead.MsgTwoFactorCodeMissing))
	}
	var codes []string
	on := true
	right, err := ts.guarded(ctx, accountID, nil, func(tx *sql.Tx, now time.Time) (bool, error) {
		chk, err := ts.checkCode(ctx, tx, accountID, code, false, now)
		if err != nil || !chk.ok {
			on = chk.on
			return false, err
		}
		codes, err = ts.storeRecoveryCodes(ctx, tx, accountID, now)
		return err == nil, err
	})
	switch {
	case err != nil:
		return nil, wrapUnlessApp("regenerate recovery codes", err)
	case !on:
		return nil, masthead.Errorf(masthead.ECONFLICT, "%s", masthead.Msg(masthead.MsgTwoFactorNotOn))
	case !right:
		return nil, masthead.FieldError("code", masthead.Msg(masthead.MsgTwoFactorCodeWrong))
	}
	return codes, nil
}

// CompleteSignIn finishes a pending sign-in with a code and starts the
// session. Wrong codes count against the account's and the client's
// limits; a right one uses the pending sign-in up, cancels a pending
// deletion (as signing in does) and is not counted.
func (ts *TwoFactorService) CompleteSignIn(ctx context.Context, pendingToken, code string, c masthead.Client) (*masthead.SecondFactorResult, error) {
	if !tokenShapeOK(pendingToken) {
		return nil, errPendingInvalid()
	}
	code = strings.TrimSpace(code)
	if code == "" || utf8.RuneCountInString(code) > 64 {
		return nil, masthead.FieldError("code", masthead.Msg(masthead.MsgTwoFactorCodeMissing))
	}
	var pendingID, accountID int64
	now := ts.db.clock()
	err := ts.db.queryRowPool(ctx, `SELECT id, account_id FROM pending_sign_ins WHERE token_hash = $1 AND expires_at > $2`,
		hashToken(pendingToken), ts.db.timeArg(now)).Scan(&pendingID, &accountID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errPendingInvalid()
	} else if err != nil {
		return nil, fmt.Errorf("sqldb: complete sign-in: %w", err)
	}
	var res *masthead.SecondFactorResult
	off := false
	right, err := ts.guarded(ctx, accountID, &c, func(tx *sql.Tx, now time.Time) (bool, error) {
		// The pending sign-in is read again, locked, so that two requests
		// cannot both use it.
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM pending_sign_ins WHERE id = $1 AND expires_at > $2`+ts.db.forUpdate(),
			pendingID, ts.db.timeArg(now)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return false, errPendingInvalid()
		} else if err != nil {
			return false, err
		}
		row, err := ts.accounts.findAccount(ctx, tx, accountID, true)
		if isNotFound(err) {
			return false, errPendingInvalid()
		} else if err != nil {
			return false, err
		}
		chk, err := ts.checkCode(ctx, tx, accountID, code, true, now)
		if err != nil {
			return false, err
		}
		if !chk.on {
			// Turned off (or reset) since the password was checked: the
			// reader signs in again, with the password alone.
			off = true
			_, err := tx.ExecContext(ctx, `DELETE FROM pending_sign_ins WHERE id = $1`, pendingID)
			return false, err
		}
		if !chk.ok {
			return false, nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM pending_sign_ins WHERE id = $1`, pendingID); err != nil {
			return false, err
		}
		if err := ts.accounts.cancelDeletion(ctx, tx, row, now); err != nil {
			return false, err
		}
		session, err := ts.accounts.createSession(ctx, tx, accountID, c, now)
		if err != nil {
			return false, err
		}
		res = &masthead.SecondFactorResult{Account: row.account(), Session: session,
			RecoveryCodeUsed: chk.recovery, RecoveryCodesLeft: chk.left}
		return true, nil
	})
	switch {
	case err != nil:
		return nil, wrapUnlessApp("complete sign-in", err)
	case off:
		return nil, errPendingInvalid()
	case !right:
		return nil, errCodeWrong()
	}
	return res, nil
}

// ResetTwoFactor turns off another account's two-factor sign-in for an
// administrator, with its audit entry in the same transaction.
func (ts *TwoFactorService) ResetTwoFactor(ctx context.Context, actor masthead.Actor, accountID int64, reason string) error {
	if err := actor.Require(masthead.PermStaffAdmin); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > masthead.MaxStaffReasonLen {
		return masthead.FieldError("reason", masthead.Msg(masthead.MsgStaffReasonTooLong))
	}
	now := ts.db.clock()
	err := ts.db.writeTx(ctx, func(tx *sql.Tx) error {
		if _, err := ts.accounts.findAccount(ctx, tx, accountID, true); err != nil {
			return err
		}
		r, err := tx.ExecContext(ctx, `DELETE FROM two_factor WHERE account_id = $1`, accountID)
		if err != nil {
			return err
		}
		if n, err := r.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return masthead.Errorf(masthead.ECONFLICT, "%s", masthead.Msg(masthead.MsgTwoFactorResetNotEnabled))
		}
		for _, q := range []string{
			`DELETE FROM recovery_codes WHERE account_id = $1`,
			`DELETE FROM pending_sign_ins WHERE account_id = $1`,
		} {
			if _, err := tx.ExecContext(ctx, q, accountID); err != nil {
				return err
			}
		}
		return ts.db.writeAudit(ctx, tx, actor, auditRecord{
			Action: masthead.AuditTwoFactorReset, TargetType: "account", TargetID: accountID,
			Before: map[string]bool{"two_factor": true}, After: map[string]bool{"two_factor": false},
			Reason: reason,
		}, now)
	})
	if err != nil {
		return wrapUnlessApp("reset two-factor", err)
	}
	return nil
}
