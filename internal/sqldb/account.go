package sqldb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"

	"masthead"
)

// AccountService implements masthead.AccountService.
type AccountService struct {
	db       *DB
	hasher   masthead.PasswordHasher
	settings masthead.AccountSettings

	// OnQueued, if set, is called after a transaction that queued an email
	// has committed, so that the mail sender can wake. It must not block.
	OnQueued func()

	dummyMu   sync.Mutex
	dummyHash string // a hash of a random password, for hashers without DummyVerify
}

var _ masthead.AccountService = (*AccountService)(nil)

// NewAccountService returns an AccountService over db that hashes
// passwords with hasher. Zero fields of settings take their values from
// masthead.DefaultAccountSettings.
func NewAccountService(db *DB, hasher masthead.PasswordHasher, settings masthead.AccountSettings) *AccountService {
	return &AccountService{db: db, hasher: hasher, settings: withDefaults(settings)}
}

// withDefaults fills the zero fields of s from the defaults.
func withDefaults(s masthead.AccountSettings) masthead.AccountSettings {
	d := masthead.DefaultAccountSettings()
	str := func(v *string, def string) {
		if *v == "" {
			*v = def
		}
	}
	num := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	dur := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	str(&s.SiteName, d.SiteName)
	num(&s.SignInFailuresPerAccount, d.SignInFailuresPerAccount)
	dur(&s.SignInFailuresWindow, d.SignInFailuresWindow)
	num(&s.SignInFailuresPerIP, d.SignInFailuresPerIP)
	dur(&s.SignInFailuresIPWindow, d.SignInFailuresIPWindow)
	num(&s.SignUpsPerIP, d.SignUpsPerIP)
	dur(&s.SignUpsWindow, d.SignUpsWindow)
	num(&s.ResetEmailsPerAddress, d.ResetEmailsPerAddress)
	dur(&s.ResetEmailsWindow, d.ResetEmailsWindow)
	dur(&s.VerifyTokenLifetime, d.VerifyTokenLifetime)
	dur(&s.ResetTokenLifetime, d.ResetTokenLifetime)
	dur(&s.EmailChangeTokenLifetime, d.EmailChangeTokenLifetime)
	dur(&s.DisplayNameChangeInterval, d.DisplayNameChangeInterval)
	dur(&s.DeletionDelay, d.DeletionDelay)
	dur(&s.ReaderSessionIdle, d.ReaderSessionIdle)
	dur(&s.ReaderSessionLifetime, d.ReaderSessionLifetime)
	dur(&s.StaffSessionIdle, d.StaffSessionIdle)
	num(&s.TwoFactorFailuresPerAccount, d.TwoFactorFailuresPerAccount)
	dur(&s.TwoFactorFailuresWindow, d.TwoFactorFailuresWindow)
	num(&s.TwoFactorFailuresPerIP, d.TwoFactorFailuresPerIP)
	dur(&s.TwoFactorFailuresIPWindow, d.TwoFactorFailuresIPWindow)
	dur(&s.TwoFactorPendingLifetime, d.TwoFactorPendingLifetime)
	return s
}

// notifyQueued tells the mail sender that the outbox has new mail.
func (as *AccountService) notifyQueued() {
	if as.OnQueued != nil {
		as.OnQueued()
	}
}

// accountColumns are the columns accountRow.dest scans, from accounts a.
const accountColumns = `a.id, COALESCE(a.email, ''), COALESCE(a.email_key, ''), COALESCE(a.password_hash, ''),
	a.email_verified_at, a.role, COALESCE(a.display_name, ''), a.display_name_changed_at, a.about,
	a.reply_emails, a.deletion_due_at, a.delete_comments, a.created_at, a.updated_at, a.deleted_at,
	EXISTS (SELECT 1 FROM two_factor tf WHERE tf.account_id = a.id),
	EXISTS (SELECT 1 FROM account_warnings w WHERE w.account_id = a.id AND w.acknowledged_at IS NULL)`

// accountRow is an account as stored: the domain Account and what is never
// shown.
type accountRow struct {
	masthead.Account
	emailKey     string
	passwordHash string
	deletedAt    time.Time
}

// dest returns the scan destinations of accountColumns.
func (r *accountRow) dest() []any {
	a := &r.Account
	return []any{&a.ID, &a.Email, &r.emailKey, &r.passwordHash,
		timeCol{&a.EmailVerifiedAt}, &a.Role, &a.DisplayName, timeCol{&a.DisplayNameChangedAt}, &a.About,
		&a.ReplyEmails, timeCol{&a.DeletionDueAt}, &a.DeleteComments, timeCol{&a.CreatedAt}, timeCol{&a.UpdatedAt},
		timeCol{&r.deletedAt}, &a.TwoFactorEnabled, &a.HasPendingWarning}
}

// deleted reports whether the row is the tombstone of a deleted account.
func (r *accountRow) deleted() bool { return !r.deletedAt.IsZero() }

// account returns a copy of the domain account.
func (r *accountRow) account() *masthead.Account {
	a := r.Account
	return &a
}

func errAccountNotFound() error {
	return masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgAccountNotFound))
}

func isNotFound(err error) bool { return masthead.ErrorCode(err) == masthead.ENOTFOUND }

// forUpdate returns the clause that locks the rows a SELECT reads in a
// write transaction: FOR UPDATE on PostgreSQL; nothing on SQLite, whose
// write transactions are serial.
func (db *DB) forUpdate() string {
	if db.dialect == DialectPostgres {
		return ` FOR UPDATE`
	}
	return ``
}

// findAccount returns the live account with the ID, locked if lock (in a
// write transaction); ENOTFOUND if there is none or it has been deleted.
func (as *AccountService) findAccount(ctx context.Context, q queryer, id int64, lock bool) (*accountRow, error) {
	return as.findAccountWhere(ctx, q, `a.id = $1`, id, lock)
}

// findAccountByEmail is findAccount by email key.
func (as *AccountService) findAccountByEmail(ctx context.Context, q queryer, emailKey string, lock bool) (*accountRow, error) {
	return as.findAccountWhere(ctx, q, `a.email_key = $1`, emailKey, lock)
}

func (as *AccountService) findAccountWhere(ctx context.Context, q queryer, where string, arg any, lock bool) (*accountRow, error) {
	query := `SELECT ` + accountColumns + ` FROM accounts a WHERE ` + where
	if lock {
		query += as.db.forUpdate()
	}
	var r accountRow
	err := q.QueryRowContext(ctx, query, arg).Scan(r.dest()...)
	if errors.Is(err, sql.ErrNoRows) || err == nil && r.deleted() {
		return nil, errAccountNotFound()
	} else if err != nil {
		return nil, fmt.Errorf("find account: %w", err)
	}
	return &r, nil
}

// uniqueViolation reports whether err is a unique-constraint violation on
// column of either engine.
func uniqueViolation(err error, column string) bool {
	if err == nil {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505" && strings.Contains(pgErr.ConstraintName, column)
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") && strings.Contains(msg, "."+column)
}

// dummyVerify spends the time of a password check on nothing, so that an
// unknown address answers as slowly as a known one.
func (as *AccountService) dummyVerify(ctx context.Context, password string) {
	if d, ok := as.hasher.(interface {
		DummyVerify(ctx context.Context, password string)
	}); ok {
		d.DummyVerify(ctx, password)
		return
	}
	as.dummyMu.Lock()
	h := as.dummyHash
	as.dummyMu.Unlock()
	if h == "" {
		b := make([]byte, 24)
		rand.Read(b)
		var err error
		if h, err = as.hasher.Hash(ctx, base64.RawURLEncoding.EncodeToString(b)); err != nil {
			return
		}
		as.dummyMu.Lock()
		as.dummyHash = h
		as.dummyMu.Unlock()
	}
	as.hasher.Verify(ctx, h, password)
}

// needsRehash reports whether a hash should be replaced after a successful
// check, when the hasher can tell.
func (as *AccountService) needsRehash(hash string) bool {
	r, ok := as.hasher.(interface{ NeedsRehash(hash string) bool })
	return ok && r.NeedsRehash(hash)
}

func errSignInFailed() error {
	return masthead.Errorf(masthead.EUNAUTHORIZED, "%s", masthead.Msg(masthead.MsgSignInFailed))
}

func errSignInLimited() error {
	return masthead.Errorf(masthead.ERATELIMIT, "%s", masthead.Msg(masthead.MsgSignInRateLimited))
}

// signInLimits are the limits on failed sign-ins from c to the address
// with emailKey. The per-address limit applies whether or not the address
// has an account, so that it does not reveal which do.
func (as *AccountService) signInLimits(emailKey string, c masthead.Client) []limit {
	return []limit{
		{bucketSignInIP, ipKey(c.IP), as.settings.SignInFailuresPerIP, as.settings.SignInFailuresIPWindow},
		as.accountLimit(emailKey),
	}
}

// accountLimit is the limit on failed password checks of one address.
func (as *AccountService) accountLimit(emailKey string) limit {
	return limit{bucketSignInEmail, emailKey, as.settings.SignInFailuresPerAccount, as.settings.SignInFailuresWindow}
}

// SignUp creates an unverified subscriber account and queues a
// verification email; for an address that already has an account it
// creates nothing, queues a note to that account's owner instead and
// answers the same. Every attempt from an IP counts against the sign-up
// limit. The password is hashed either way (and before the write
// transaction, so the SQLite writer is never held while hashing).
func (as *AccountService) SignUp(ctx context.Context, email, password string, c masthead.Client) error {
	email, err := masthead.NormalizeEmail(email)
	if err != nil {
		return err
	}
	if err := as.hasher.CheckNewPassword(password); err != nil {
		return err
	}
	key := masthead.EmailKey(email)
	lim := limit{bucketSignUpIP, ipKey(c.IP), as.settings.SignUpsPerIP, as.settings.SignUpsWindow}
	errLimited := masthead.Errorf(masthead.ERATELIMIT, "%s", masthead.Msg(masthead.MsgSignUpRateLimited))
	// An early answer for a limited IP, without spending a hash on it.
	if reached, err := as.db.limitReached(ctx, lim, as.db.clock()); err != nil {
		return fmt.Errorf("sqldb: sign up: %w", err)
	} else if reached {
		return errLimited
	}
	hash, err := as.hasher.Hash(ctx, password)
	if err != nil {
		return fmt.Errorf("sqldb: sign up: %w", err)
	}
	for attempt := 0; ; attempt++ {
		now := as.db.clock()
		err = as.db.writeTx(ctx, func(tx *sql.Tx) error {
			if _, reached, err := as.db.takeLimits(ctx, tx, now, lim); err != nil {
				return err
			} else if reached != nil {
				return errLimited
			}
			existing, err := as.findAccountByEmail(ctx, tx, key, false)
			if err == nil {
				// The owner hears of it, but no more often than reset
				// emails, so sign-ups from many IPs cannot flood them.
				// The answer is the same either way.
				owner := limit{bucketSignUpExisting, key, as.settings.ResetEmailsPerAddress, as.settings.ResetEmailsWindow}
				if _, reached, err := as.db.takeLimits(ctx, tx, now, owner); err != nil || reached != nil {
					return err
				}
				return as.db.queueEmail(ctx, tx, existing.ID, masthead.EmailSignUpExisting, existing.Email, nil, now)
			} else if !isNotFound(err) {
				return err
			}
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO accounts (email, email_key, password_hash, role, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, email, key, hash, string(masthead.RoleSubscriber), as.db.timeArg(now)).Scan(&id); err != nil {
				return fmt.Errorf("insert account: %w", err)
			}
			token, err := as.db.createToken(ctx, tx, id, purposeVerify, email, now, now.Add(as.settings.VerifyTokenLifetime))
			if err != nil {
				return err
			}
			return as.db.queueEmail(ctx, tx, id, masthead.EmailVerify, email, map[string]string{"token": token}, now)
		})
		// A concurrent sign-up took the address between our look-up and
		// insert (PostgreSQL): once more, and it is an existing account.
		if attempt == 0 && uniqueViolation(err, "email_key") {
			continue
		}
		break
	}
	if err != nil {
		return wrapUnlessApp("sign up", err)
	}
	as.notifyQueued()
	return nil
}

// VerifyEmail marks the account of a verification token verified. The
// token must be unused, unexpired, and for the account's current address.
func (as *AccountService) VerifyEmail(ctx context.Context, token string) (*masthead.Account, error) {
	now := as.db.clock()
	var acc *masthead.Account
	err := as.db.writeTx(ctx, func(tx *sql.Tx) error {
		id, addr, err := as.db.consumeToken(ctx, tx, token, purposeVerify, now)
		if err != nil {
			return err
		}
		row, err := as.findAccount(ctx, tx, id, true)
		if isNotFound(err) || err == nil && masthead.EmailKey(addr) != row.emailKey {
			return errTokenInvalid()
		} else if err != nil {
			return err
		}
		if !row.EmailVerified() {
			if _, err := tx.ExecContext(ctx, `UPDATE accounts SET email_verified_at = $1, updated_at = $1 WHERE id = $2`,
				as.db.timeArg(now), id); err != nil {
				return err
			}
			row.EmailVerifiedAt, row.UpdatedAt = now, now
		}
		acc = row.account()
		return nil
	})
	if err != nil {
		return nil, wrapUnlessApp("verify email", err)
	}
	return acc, nil
}

// ResendVerification queues a new verification email to an unverified
// account; ECONFLICT if it is verified already. It is limited per address
// like reset emails.
func (as *AccountService) ResendVerification(ctx context.Context, accountID int64) error {
	now := as.db.clock()
	err := as.db.writeTx(ctx, func(tx *sql.Tx) error {
		row, err := as.findAccount(ctx, tx, accountID, true)
		if err != nil {
			return err
		}
		if row.EmailVerified() {
			return masthead.Errorf(masthead.ECONFLICT, "%s", masthead.Msg(masthead.MsgAlreadyVerified))
		}
		lim := limit{bucketVerifyEmail, row.emailKey, as.settings.ResetEmailsPerAddress, as.settings.ResetEmailsWindow}
		if _, reached, err := as.db.takeLimits(ctx, tx, now, lim); err != nil {
			return err
		} else if reached != nil {
			return masthead.Errorf(masthead.ERATELIMIT, "%s", masthead.Msg(masthead.MsgVerifyRateLimited))
		}
		token, err := as.db.createToken(ctx, tx, row.ID, purposeVerify, row.Email, now, now.Add(as.settings.VerifyTokenLifetime))
		if err != nil {
			return err
		}
		return as.db.queueEmail(ctx, tx, row.ID, masthead.EmailVerify, row.Email, map[string]string{"token": token}, now)
	})
	if err != nil {
		return wrapUnlessApp("resend verification", err)
	}
	as.notifyQueued()
	return nil
}

// SignIn checks the password and starts a session. Each attempt first
// reserves a failure against the IP and the address limits (so that
// parallel guesses cannot overrun them), the password is checked outside
// any transaction, and a success gives the reservation back. An unknown
// address costs the same hash work as a known one and gets the same
// answer. Signing in cancels a pending deletion: the stored date is
// cleared, but the returned Account's DeletionDueAt still holds it, so that
// the page can say that the deletion was cancelled.
//
// When the account has two-factor sign-in on, a right password starts no
// session: SignIn returns a *masthead.SecondFactorRequired error holding a
// pending sign-in token, which only TwoFactorService.CompleteSignIn takes
// (Authenticate never does); the deletion is cancelled there.
func (as *AccountService) SignIn(ctx context.Context, email, password string, c masthead.Client) (*masthead.Account, string, error) {
	email, err := masthead.NormalizeEmail(email)
	if err != nil {
		return nil, "", err
	}
	key := masthead.EmailKey(email)
	var row *accountRow
	var reserved []int64
	now := as.db.clock()
	err = as.db.writeTx(ctx, func(tx *sql.Tx) error {
		ids, reached, err := as.db.takeLimits(ctx, tx, now, as.signInLimits(key, c)...)
		if err != nil {
			return err
		} else if reached != nil {
			return errSignInLimited()
		}
		reserved = ids
		row, err = as.findAccountByEmail(ctx, tx, key, false)
		if isNotFound(err) {
			row, err = nil, nil
		}
		return err
	})
	if err != nil {
		return nil, "", wrapUnlessApp("sign in", err)
	}
	if overlong(password) {
		// No account has a password this long; checking it would cost a
		// hash (and normalising megabytes of text) for nothing. The
		// answer is the same for every address.
		return nil, "", errSignInFailed()
	}
	if row == nil {
		as.dummyVerify(ctx, password)
		return nil, "", errSignInFailed()
	}
	ok, err := as.hasher.Verify(ctx, row.passwordHash, password)
	if err != nil {
		return nil, "", fmt.Errorf("sqldb: sign in: %w", err)
	} else if !ok {
		return nil, "", errSignInFailed()
	}
	newHash := ""
	if as.needsRehash(row.passwordHash) {
		if newHash, err = as.hasher.Hash(ctx, password); err != nil {
			newHash = "" // keep the old hash; it still works
		}
	}

	var acc *masthead.Account
	var token, pending string
	now = as.db.clock()
	err = as.db.writeTx(ctx, func(tx *sql.Tx) error {
		cur, err := as.findAccount(ctx, tx, row.ID, true)
		if isNotFound(err) || err == nil && cur.passwordHash != row.passwordHash {
			// Deleted, or the password changed while we checked it.
			return errSignInFailed()
		} else if err != nil {
			return err
		}
		if err := forgetEvents(ctx, tx, reserved); err != nil {
			return err
		}
		if newHash != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE accounts SET password_hash = $1 WHERE id = $2`, newHash, cur.ID); err != nil {
				return err
			}
		}
		if cur.TwoFactorEnabled {
			pending, err = as.createPendingSignIn(ctx, tx, cur.ID, now)
			return err
		}
		if err := as.cancelDeletion(ctx, tx, cur, now); err != nil {
			return err
		}
		token, err = as.createSession(ctx, tx, cur.ID, c, now)
		acc = cur.account()
		return err
	})
	if err != nil {
		return nil, "", wrapUnlessApp("sign in", err)
	}
	if pending != "" {
		return nil, "", &masthead.SecondFactorRequired{Token: pending}
	}
	return acc, token, nil
}

// cancelDeletion clears a pending deletion of the account; row keeps the
// date it was due.
func (as *AccountService) cancelDeletion(ctx context.Context, tx *sql.Tx, row *accountRow, now time.Time) error {
	if row.DeletionDueAt.IsZero() {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE accounts SET deletion_due_at = NULL, delete_comments = $1, updated_at = $2 WHERE id = $3`,
		false, as.db.timeArg(now), row.ID)
	return err
}

// RequestPasswordReset queues a reset link to the address if it has an
// account, and answers the same either way. Every request counts against
// the address's limit, whether or not it has an account.
func (as *AccountService) RequestPasswordReset(ctx context.Context, email string, c masthead.Client) error {
	email, err := masthead.NormalizeEmail(email)
	if err != nil {
		return err
	}
	key := masthead.EmailKey(email)
	lim := limit{bucketResetEmail, key, as.settings.ResetEmailsPerAddress, as.settings.ResetEmailsWindow}
	now := as.db.clock()
	queued := false
	err = as.db.writeTx(ctx, func(tx *sql.Tx) error {
		if _, reached, err := as.db.takeLimits(ctx, tx, now, lim); err != nil {
			return err
		} else if reached != nil {
			return masthead.Errorf(masthead.ERATELIMIT, "%s", masthead.Msg(masthead.MsgResetRateLimited))
		}
		row, err := as.findAccountByEmail(ctx, tx, key, false)
		if isNotFound(err) {
			return nil
		} else if err != nil {
			return err
		}
		token, err := as.db.createToken(ctx, tx, row.ID, purposeReset, row.emailKey, now, now.Add(as.settings.ResetTokenLifetime))
		if err != nil {
			return err
		}
		queued = true
		return as.db.queueEmail(ctx, tx, row.ID, masthead.EmailPasswordReset, row.Email, map[string]string{"token": token}, now)
	})
	if err != nil {
		return wrapUnlessApp("request password reset", err)
	}
	if queued {
		as.notifyQueued()
	}
	return nil
}

// ResetPassword sets a new password with a reset token. It ignores the
// sign-in limits (so the owner of an account under attack can still get
// in), clears the account's sign-in failures, ends every session, every
// sign-in waiting for its second factor and every other reset link, marks
// the address verified (the reader has just proved they read its mail),
// cancels a pending deletion as signing in does, and starts a new session. With two-factor sign-in on, it starts
// none: like SignIn it returns a *masthead.SecondFactorRequired, so that a
// reset link alone never opens the account.
func (as *AccountService) ResetPassword(ctx context.Context, token, password string, c masthead.Client) (*masthead.Account, string, error) {
	// Refuse a dead link before asking for a better password or spending
	// a hash on it.
	if ok, err := as.db.tokenUsable(ctx, token, purposeReset, as.db.clock()); err != nil {
		return nil, "", fmt.Errorf("sqldb: reset password: %w", err)
	} else if !ok {
		return nil, "", errTokenInvalid()
	}
	if err := as.hasher.CheckNewPassword(password); err != nil {
		return nil, "", err
	}
	hash, err := as.hasher.Hash(ctx, password)
	if err != nil {
		return nil, "", fmt.Errorf("sqldb: reset password: %w", err)
	}
	now := as.db.clock()
	var acc *masthead.Account
	var session, pending string
	err = as.db.writeTx(ctx, func(tx *sql.Tx) error {
		id, addr, err := as.db.consumeToken(ctx, tx, token, purposeReset, now)
		if err != nil {
			return err
		}
		row, err := as.findAccount(ctx, tx, id, true)
		if isNotFound(err) || err == nil && addr != row.emailKey {
			return errTokenInvalid()
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts
SET password_hash = $1, email_verified_at = COALESCE(email_verified_at, $2), updated_at = $2
WHERE id = $3`, hash, as.db.timeArg(now), id); err != nil {
			return err
		}
		if row.EmailVerifiedAt.IsZero() {
			row.EmailVerifiedAt = now
		}
		row.UpdatedAt = now
		if !row.TwoFactorEnabled {
			if err := as.cancelDeletion(ctx, tx, row, now); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = $1`, id); err != nil {
			return err
		}
		// So are sign-ins waiting for their second factor, which the old
		// password opened.
		if _, err := tx.ExecContext(ctx, `DELETE FROM pending_sign_ins WHERE account_id = $1`, id); err != nil {
			return err
		}
		// A pending email change may be the attacker's the owner is
		// recovering from: it ends with the password.
		if err := deleteUnusedTokens(ctx, tx, id, purposeReset, purposeEmailChange); err != nil {
			return err
		}
		if err := clearEvents(ctx, tx, bucketSignInEmail, row.emailKey); err != nil {
			return err
		}
		if row.TwoFactorEnabled {
			pending, err = as.createPendingSignIn(ctx, tx, id, now)
		} else {
			session, err = as.createSession(ctx, tx, id, c, now)
		}
		if err != nil {
			return err
		}
		acc = row.account()
		return as.db.queueEmail(ctx, tx, id, masthead.EmailPasswordChanged, row.Email, nil, now)
	})
	if err != nil {
		return nil, "", wrapUnlessApp("reset password", err)
	}
	as.notifyQueued()
	if pending != "" {
		return nil, "", &masthead.SecondFactorRequired{Token: pending}
	}
	return acc, session, nil
}

// checkPassword checks an account's password for a change the signed-in
// reader is making. A wrong one counts as a failed sign-in against the
// address (so a stolen session cannot be used to guess the password), and
// is EINVALID for field with MsgCurrentPasswordWrong.
func (as *AccountService) checkPassword(ctx context.Context, row *accountRow, password, field string) error {
	lim := as.accountLimit(row.emailKey)
	var reserved []int64
	err := as.db.writeTx(ctx, func(tx *sql.Tx) error {
		ids, reached, err := as.db.takeLimits(ctx, tx, as.db.clock(), lim)
		if err != nil {
			return err
		} else if reached != nil {
			return errSignInLimited()
		}
		reserved = ids
		return nil
	})
	if err != nil {
		return err
	}
	wrong := masthead.FieldError(field, masthead.Msg(masthead.MsgCurrentPasswordWrong))
	if overlong(password) {
		return wrong // counted as a failure, without a hash
	}
	ok, err := as.hasher.Verify(ctx, row.passwordHash, password)
	if err != nil {
		return err
	} else if !ok {
		return wrong
	}
	return as.db.writeTx(ctx, func(tx *sql.Tx) error { return forgetEvents(ctx, tx, reserved) })
}

// overlong reports whether password is longer than any account's password
// can be, so that checking it needs no hash.
func overlong(password string) bool {
	return len(password) > 4*masthead.MaxPasswordLen || utf8.RuneCountInString(password) > masthead.MaxPasswordLen
}

// ChangePassword checks the current password, sets a new one, ends every
// session but keepSession, every sign-in waiting for its second factor
// and every unused reset link, and queues a notice.
func (as *AccountService) ChangePassword(ctx context.Context, accountID int64, current, password string, keepSession int64) error {
	err := func() error {
		row, err := as.findAccount(ctx, as.db.read, accountID, false)
		if err != nil {
			return err
		}
		if err := as.checkPassword(ctx, row, current, "current_password"); err != nil {
			return err
		}
		if err := as.hasher.CheckNewPassword(password); err != nil {
			return err
		}
		hash, err := as.hasher.Hash(ctx, password)
		if err != nil {
			return err
		}
		now := as.db.clock()
		return as.db.writeTx(ctx, func(tx *sql.Tx) error {
			cur, err := as.findAccount(ctx, tx, accountID, true)
			if err != nil {
				return err
			}
			if cur.passwordHash != row.passwordHash {
				// Changed by someone else since we checked it.
				return masthead.FieldError("current_password", masthead.Msg(masthead.MsgCurrentPasswordWrong))
			}
			if _, err := tx.ExecContext(ctx, `UPDATE accounts SET password_hash = $1, updated_at = $2 WHERE id = $3`,
				hash, as.db.timeArg(now), accountID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = $1 AND id <> $2`, accountID, keepSession); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM pending_sign_ins WHERE account_id = $1`, accountID); err != nil {
				return err
			}
			if err := deleteUnusedTokens(ctx, tx, accountID, purposeReset, purposeEmailChange); err != nil {
				return err
			}
			return as.db.queueEmail(ctx, tx, accountID, masthead.EmailPasswordChanged, cur.Email, nil, now)
		})
	}()
	if err != nil {
		return wrapUnlessApp("change password", err)
	}
	as.notifyQueued()
	return nil
}

// RequestEmailChange checks the password, then queues a confirmation link
// to the new address and a notice to the old one. Earlier unconfirmed
// changes stop working. An address another account has is ECONFLICT.
func (as *AccountService) RequestEmailChange(ctx context.Context, accountID int64, newEmail, password string) error {
	err := func() error {
		newEmail, err := masthead.NormalizeEmail(newEmail)
		if err != nil {
			return err
		}
		newKey := masthead.EmailKey(newEmail)
		row, err := as.findAccount(ctx, as.db.read, accountID, false)
		if err != nil {
			return err
		}
		if newKey == row.emailKey {
			return masthead.FieldError("email", masthead.Msg(masthead.MsgEmailUnchanged))
		}
		if err := as.checkPassword(ctx, row, password, "password"); err != nil {
			return err
		}
		now := as.db.clock()
		return as.db.writeTx(ctx, func(tx *sql.Tx) error {
			cur, err := as.findAccount(ctx, tx, accountID, true)
			if err != nil {
				return err
			}
			// Confirmation emails are limited per account and per
			// address they go to, like reset emails.
			limits := []limit{
				{bucketEmailChangeAccount, strconv.FormatInt(accountID, 10), as.settings.ResetEmailsPerAddress, as.settings.ResetEmailsWindow},
				{bucketEmailChangeTarget, newKey, as.settings.ResetEmailsPerAddress, as.settings.ResetEmailsWindow},
			}
			if _, reached, err := as.db.takeLimits(ctx, tx, now, limits...); err != nil {
				return err
			} else if reached != nil {
				return masthead.Errorf(masthead.ERATELIMIT, "%s", masthead.Msg(masthead.MsgEmailChangeRateLimited))
			}
			// An address that has an account gets nothing, and the answer
			// is the same as for a free one: the form must not tell who
			// has an account here.
			if _, err := as.findAccountByEmail(ctx, tx, newKey, false); err == nil {
				return nil
			} else if !isNotFound(err) {
				return err
			}
			if err := deleteUnusedTokens(ctx, tx, accountID, purposeEmailChange); err != nil {
				return err
			}
			token, err := as.db.createToken(ctx, tx, accountID, purposeEmailChange, newEmail, now, now.Add(as.settings.EmailChangeTokenLifetime))
			if err != nil {
				return err
			}
			if err := as.db.queueEmail(ctx, tx, accountID, masthead.EmailChangeConfirm, newEmail, map[string]string{"token": token}, now); err != nil {
				return err
			}
			return as.db.queueEmail(ctx, tx, accountID, masthead.EmailChangeNotice, cur.Email, map[string]string{"new_email": newEmail}, now)
		})
	}()
	if err != nil {
		return wrapUnlessApp("request email change", err)
	}
	as.notifyQueued()
	return nil
}

// errEmailTaken is the answer to confirming a change to an address that
// another account took in the meantime. Whoever holds the link reads that
// mailbox, so saying so tells them nothing new.
func errEmailTaken() error {
	return &masthead.Error{Code: masthead.ECONFLICT, Message: masthead.Msg(masthead.MsgEmailTaken), Field: "email"}
}

// ConfirmEmailChange moves the account to the new address of a token and
// marks it verified. Links sent to the old address (verification, reset,
// other changes) stop working.
func (as *AccountService) ConfirmEmailChange(ctx context.Context, token string) (*masthead.Account, error) {
	now := as.db.clock()
	var acc *masthead.Account
	err := as.db.writeTx(ctx, func(tx *sql.Tx) error {
		id, newEmail, err := as.db.consumeToken(ctx, tx, token, purposeEmailChange, now)
		if err != nil {
			return err
		}
		row, err := as.findAccount(ctx, tx, id, true)
		if isNotFound(err) {
			return errTokenInvalid()
		} else if err != nil {
			return err
		}
		newKey := masthead.EmailKey(newEmail)
		_, err = tx.ExecContext(ctx, `UPDATE accounts SET email = $1, email_key = $2, email_verified_at = $3, updated_at = $3
WHERE id = $4`, newEmail, newKey, as.db.timeArg(now), id)
		if uniqueViolation(err, "email_key") {
			return errEmailTaken()
		} else if err != nil {
			return err
		}
		if err := deleteUnusedTokens(ctx, tx, id, purposeVerify, purposeReset, purposeEmailChange); err != nil {
			return err
		}
		row.Email, row.emailKey, row.EmailVerifiedAt, row.UpdatedAt = newEmail, newKey, now, now
		acc = row.account()
		return nil
	})
	if err != nil {
		return nil, wrapUnlessApp("confirm email change", err)
	}
	return acc, nil
}

// FindAccountByID returns a live account; ENOTFOUND for an unknown or
// deleted one.
func (as *AccountService) FindAccountByID(ctx context.Context, id int64) (*masthead.Account, error) {
	var r accountRow
	err := as.db.queryRowPool(ctx, `SELECT `+accountColumns+` FROM accounts a WHERE a.id = $1`, id).Scan(r.dest()...)
	if errors.Is(err, sql.ErrNoRows) || err == nil && r.deleted() {
		return nil, errAccountNotFound()
	} else if err != nil {
		return nil, fmt.Errorf("sqldb: find account: %w", err)
	}
	return r.account(), nil
}

// SetProfile sets the display name and about line. The name is normalised
// by masthead.NormalizeDisplayName; a new name must not be reserved
// (ECONFLICT), may change once per DisplayNameChangeInterval (EFORBIDDEN,
// saying on which date; a first name has no wait) and must not share its
// confusable skeleton with another account's name (ECONFLICT, by the
// unique index on display_name_key, so that concurrent claims cannot both
// win). Every name is kept in the history. Setting the current name again,
// or no name while the account has none, only updates About.
func (as *AccountService) SetProfile(ctx context.Context, accountID int64, displayName, about string) (*masthead.Account, error) {
	about, err := checkAbout(about)
	if err != nil {
		return nil, err
	}
	now := as.db.clock()
	var acc *masthead.Account
	err = as.db.writeTx(ctx, func(tx *sql.Tx) error {
		row, err := as.findAccount(ctx, tx, accountID, true)
		if err != nil {
			return err
		}
		name := ""
		if strings.TrimSpace(displayName) != "" || row.DisplayName != "" {
			if name, err = masthead.NormalizeDisplayName(displayName); err != nil {
				return err
			}
		}
		if name == row.DisplayName {
			if _, err := tx.ExecContext(ctx, `UPDATE accounts SET about = $1, updated_at = $2 WHERE id = $3`,
				about, as.db.timeArg(now), accountID); err != nil {
				return err
			}
			row.About, row.UpdatedAt = about, now
			acc = row.account()
			return nil
		}
		if masthead.ReservedDisplayName(name, as.settings.SiteName) {
			return &masthead.Error{Code: masthead.ECONFLICT, Field: "display_name", Message: masthead.Msg(masthead.MsgDisplayNameReserved)}
		}
		// A name a moderator reset, or a look-alike of it, stays unavailable.
		if blocked, err := displayNameBlocked(ctx, tx, masthead.DisplayNameKey(name)); err != nil {
			return err
		} else if blocked {
			return &masthead.Error{Code: masthead.ECONFLICT, Field: "display_name", Message: masthead.Msg(masthead.MsgDisplayNameBlocked)}
		}
		if next := row.NextNameChange(now, as.settings.DisplayNameChangeInterval); !next.IsZero() {
			return &masthead.Error{Code: masthead.EFORBIDDEN, Field: "display_name",
				Message: masthead.Msg(masthead.MsgNameChangeTooSoon, next.UTC().Format("2 January 2006"))}
		}
		_, err = tx.ExecContext(ctx, `UPDATE accounts
SET display_name = $1, display_name_key = $2, display_name_changed_at = $3, about = $4, updated_at = $3
WHERE id = $5`, name, masthead.DisplayNameKey(name), as.db.timeArg(now), about, accountID)
		if uniqueViolation(err, "display_name_key") {
			return &masthead.Error{Code: masthead.ECONFLICT, Field: "display_name", Message: masthead.Msg(masthead.MsgDisplayNameTaken)}
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE display_name_history SET replaced_at = $1
WHERE account_id = $2 AND replaced_at IS NULL`, as.db.timeArg(now), accountID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO display_name_history (account_id, name, chosen_at) VALUES ($1, $2, $3)`,
			accountID, name, as.db.timeArg(now)); err != nil {
			return err
		}
		row.DisplayName, row.DisplayNameChangedAt, row.About, row.UpdatedAt = name, now, about, now
		acc = row.account()
		return nil
	})
	if err != nil {
		return nil, wrapUnlessApp("set profile", err)
	}
	return acc, nil
}

// checkAbout trims an about line and checks its length and characters.
func checkAbout(s string) (string, error) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return "", masthead.FieldError("about", masthead.Msg(masthead.MsgAboutInvalid, "U+FFFD"))
	}
	if utf8.RuneCountInString(s) > masthead.MaxAboutLen {
		return "", masthead.FieldError("about", masthead.Msg(masthead.MsgAboutTooLong, masthead.MaxAboutLen))
	}
	for _, r := range s {
		if forbiddenInText(r) {
			return "", masthead.FieldError("about", masthead.Msg(masthead.MsgAboutInvalid, fmt.Sprintf("%U", r)))
		}
	}
	return s, nil
}

// forbiddenInText reports whether r may not appear in a line of profile
// text: control characters, bidirectional controls (which can make text
// display as something else), and invisible spaces. Joiners (U+200C,
// U+200D) stay allowed: scripts and emoji need them.
func forbiddenInText(r rune) bool {
	switch {
	case unicode.IsControl(r):
		return true
	case r == 0x061C, r == 0x200E, r == 0x200F, 0x202A <= r && r <= 0x202E, 0x2066 <= r && r <= 0x2069:
		return true
	case r == 0x200B, r == 0x2060, r == 0xFEFF, r == 0x00AD:
		return true
	}
	return false
}

// NameHistory returns every display name the account has had, oldest
// first.
func (as *AccountService) NameHistory(ctx context.Context, accountID int64) ([]masthead.NameChange, error) {
	var out []masthead.NameChange
	err := as.db.readTx(ctx, func(tx *sql.Tx) error {
		if _, err := as.findAccount(ctx, tx, accountID, false); err != nil {
			return err
		}
		var err error
		out, err = nameHistory(ctx, tx, accountID)
		return err
	})
	if err != nil {
		return nil, wrapUnlessApp("name history", err)
	}
	return out, nil
}

func nameHistory(ctx context.Context, tx *sql.Tx, accountID int64) ([]masthead.NameChange, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name, chosen_at, replaced_at FROM display_name_history
WHERE account_id = $1 ORDER BY chosen_at, id`, accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []masthead.NameChange{}
	for rows.Next() {
		var c masthead.NameChange
		if err := rows.Scan(&c.Name, timeCol{&c.ChosenAt}, timeCol{&c.ReplacedAt}); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SetReplyEmails turns reply notifications on or off.
func (as *AccountService) SetReplyEmails(ctx context.Context, accountID int64, on bool) error {
	db := as.db
	now := db.clock()
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE accounts SET reply_emails = $1, updated_at = $2
WHERE id = $3 AND deleted_at IS NULL`, on, db.timeArg(now), accountID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return errAccountNotFound()
		}
		if on {
			return nil
		}
		// Off means off: reply emails waiting in the outbox are dropped
		// too (not one the worker is sending at this moment).
		_, err = tx.ExecContext(ctx, `DELETE FROM outbox
WHERE account_id = $1 AND kind = $2 AND status = 'pending' AND (leased_until IS NULL OR leased_until <= $3)`,
			accountID, string(masthead.EmailCommentReply), db.timeArg(now))
		return err
	})
	if err != nil {
		return wrapUnlessApp("set reply emails", err)
	}
	return nil
}

// ExportAccount returns everything stored about the account: never its
// password hash or any token or its hash.
func (as *AccountService) ExportAccount(ctx context.Context, accountID int64) (*masthead.AccountExport, error) {
	var out *masthead.AccountExport
	err := as.db.readTx(ctx, func(tx *sql.Tx) error {
		row, err := as.findAccount(ctx, tx, accountID, false)
		if err != nil {
			return err
		}
		history, err := nameHistory(ctx, tx, accountID)
		if err != nil {
			return err
		}
		sessions, err := as.sessionsOf(ctx, tx, row, false)
		if err != nil {
			return err
		}
		out = &masthead.AccountExport{
			Account: masthead.ExportedAccount{
				Email:                row.Email,
				EmailVerifiedAt:      row.EmailVerifiedAt,
				Role:                 row.Role,
				DisplayName:          row.DisplayName,
				DisplayNameChangedAt: row.DisplayNameChangedAt,
				About:                row.About,
				ReplyEmails:          row.ReplyEmails,
				DeletionDueAt:        row.DeletionDueAt,
				CreatedAt:            row.CreatedAt,
			},
			NameHistory: history,
			Sessions:    []masthead.ExportedSession{},
		}
		for _, s := range sessions {
			out.Sessions = append(out.Sessions, masthead.ExportedSession{
				CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt, UserAgent: s.UserAgent, IPPrefix: s.IPPrefix,
			})
		}
		return nil
	})
	if err != nil {
		return nil, wrapUnlessApp("export account", err)
	}
	return out, nil
}

// RequestDeletion checks the password, then schedules the account's
// deletion DeletionDelay from now, records the reader's choice for their
// comments, ends every session and queues a confirmation. Asking again
// moves the date.
func (as *AccountService) RequestDeletion(ctx context.Context, accountID int64, password string, deleteComments bool) error {
	row, err := as.findAccount(ctx, as.db.read, accountID, false)
	if err != nil {
		return wrapUnlessApp("request deletion", err)
	}
	if err := as.checkPassword(ctx, row, password, "password"); err != nil {
		return wrapUnlessApp("request deletion", err)
	}
	now := as.db.clock()
	due := now.Add(as.settings.DeletionDelay)
	err = as.db.writeTx(ctx, func(tx *sql.Tx) error {
		row, err := as.findAccount(ctx, tx, accountID, true)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET deletion_due_at = $1, delete_comments = $2, updated_at = $3 WHERE id = $4`,
			as.db.timeArg(due), deleteComments, as.db.timeArg(now), accountID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = $1`, accountID); err != nil {
			return err
		}
		return as.db.queueEmail(ctx, tx, accountID, masthead.EmailDeletionScheduled, row.Email,
			map[string]string{"due": due.Format(time.RFC3339)}, now)
	})
	if err != nil {
		return wrapUnlessApp("request deletion", err)
	}
	as.notifyQueued()
	return nil
}

// PurgeDueDeletions deletes every account whose deletion is due, each in
// its own transaction: its sessions, tokens, name history, emails,
// rate-limit events, meter reads and gift links are deleted (its
// subscription and subscription history stay, as billing records), and
// the account row is left as a tombstone (deleted_at set, role
// subscriber, delete_comments kept for the comments' fate) with its
// email, names, about line and password hash gone. It then removes expired sessions, tokens and rate-limit events of
// every account. Run it periodically (every few minutes); it returns how
// many accounts it deleted.
func (as *AccountService) PurgeDueDeletions(ctx context.Context) (int, error) {
	db := as.db
	now := db.clock()
	rows, err := db.read.QueryContext(ctx, `SELECT id FROM accounts
WHERE deletion_due_at <= $1 AND deleted_at IS NULL ORDER BY id`, db.timeArg(now))
	if err != nil {
		return 0, fmt.Errorf("sqldb: purge deletions: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, fmt.Errorf("sqldb: purge deletions: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("sqldb: purge deletions: %w", err)
	}
	n := 0
	for _, id := range ids {
		purged := false
		err := db.writeTx(ctx, func(tx *sql.Tx) (err error) {
			purged, err = as.purgeAccount(ctx, tx, id, now)
			return err
		})
		if err != nil {
			return n, fmt.Errorf("sqldb: purge deletions: account %d: %w", id, err)
		}
		if purged {
			n++
		}
	}
	if err := as.deleteExpired(ctx, now); err != nil {
		return n, fmt.Errorf("sqldb: purge deletions: %w", err)
	}
	return n, nil
}

// purgeAccount deletes the account if its deletion is still due at now
// (signing in may have cancelled it), and reports whether it did.
func (as *AccountService) purgeAccount(ctx context.Context, tx *sql.Tx, id int64, now time.Time) (bool, error) {
	db := as.db
	row, err := as.findAccount(ctx, tx, id, true)
	if isNotFound(err) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if row.DeletionDueAt.IsZero() || row.DeletionDueAt.After(now) {
		return false, nil
	}
	for _, q := range []string{
		`DELETE FROM sessions WHERE account_id = $1`,
		`DELETE FROM tokens WHERE account_id = $1`,
		`DELETE FROM display_name_history WHERE account_id = $1`,
		`DELETE FROM account_warnings WHERE account_id = $1`,
		`DELETE FROM outbox WHERE account_id = $1`,
		`DELETE FROM meter_reads WHERE account_id = $1`,
		`DELETE FROM gift_links WHERE giver_id = $1`,
		`DELETE FROM two_factor WHERE account_id = $1`,
		`DELETE FROM recovery_codes WHERE account_id = $1`,
		`DELETE FROM pending_sign_ins WHERE account_id = $1`,
	} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return false, err
		}
	}
	for _, b := range []string{bucketSignInEmail, bucketResetEmail, bucketVerifyEmail} {
		if err := clearEvents(ctx, tx, b, row.emailKey); err != nil {
			return false, err
		}
	}
	// The subscriber chose what becomes of their comments: removed, or
	// kept under "deleted account" (the name goes with the account).
	if row.DeleteComments {
		if err := removeAuthorComments(ctx, db, tx, id, now); err != nil {
			return false, err
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE accounts SET
	email = NULL, email_key = NULL, password_hash = NULL, email_verified_at = NULL,
	display_name = NULL, display_name_key = NULL, display_name_changed_at = NULL, about = '',
	role = $1, reply_emails = $2, deletion_due_at = NULL, deleted_at = $3, updated_at = $3
WHERE id = $4`, string(masthead.RoleSubscriber), false, db.timeArg(now), id)
	return err == nil, err
}

// deleteExpired removes sessions past their absolute end or idle timeout,
// expired tokens, and rate-limit events that have left their window.
func (as *AccountService) deleteExpired(ctx context.Context, now time.Time) error {
	db := as.db
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1
	OR (last_seen_at <= $2 AND account_id IN (SELECT id FROM accounts WHERE role = 'subscriber'))
	OR (last_seen_at <= $3 AND account_id IN (SELECT id FROM accounts WHERE role <> 'subscriber'))`,
			db.timeArg(now), db.timeArg(now.Add(-as.settings.ReaderSessionIdle)), db.timeArg(now.Add(-as.settings.StaffSessionIdle))); err != nil {
			return fmt.Errorf("expired sessions: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM tokens WHERE expires_at <= $1`, db.timeArg(now)); err != nil {
			return fmt.Errorf("expired tokens: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM pending_sign_ins WHERE expires_at <= $1`, db.timeArg(now)); err != nil {
			return fmt.Errorf("expired pending sign-ins: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM rate_events WHERE expires_at <= $1`, db.timeArg(now)); err != nil {
			return fmt.Errorf("expired rate events: %w", err)
		}
		return nil
	})
}

// CreateStaff creates a verified account with role, or gives an existing
// account the role and the password (ending its sessions, as any password
// change does). Any valid role may be given, subscriber included.
func (as *AccountService) CreateStaff(ctx context.Context, email, password string, role masthead.Role) (*masthead.Account, error) {
	if !role.Valid() {
		return nil, masthead.FieldError("role", masthead.Msg(masthead.MsgRoleInvalid, string(role)))
	}
	email, err := masthead.NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	if err := as.hasher.CheckNewPassword(password); err != nil {
		return nil, err
	}
	hash, err := as.hasher.Hash(ctx, password)
	if err != nil {
		return nil, fmt.Errorf("sqldb: create staff: %w", err)
	}
	now := as.db.clock()
	var acc *masthead.Account
	err = as.db.writeTx(ctx, func(tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO accounts
	(email, email_key, password_hash, role, email_verified_at, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $5, $5)
ON CONFLICT (email_key) DO UPDATE SET
	password_hash = excluded.password_hash, role = excluded.role,
	email_verified_at = COALESCE(accounts.email_verified_at, excluded.email_verified_at),
	updated_at = excluded.updated_at
RETURNING id`, email, masthead.EmailKey(email), hash, string(role), as.db.timeArg(now)).Scan(&id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = $1`, id); err != nil {
			return err
		}
		if err := clearEvents(ctx, tx, bucketSignInEmail, masthead.EmailKey(email)); err != nil {
			return err
		}
		row, err := as.findAccount(ctx, tx, id, false)
		if err != nil {
			return err
		}
		acc = row.account()
		return nil
	})
	if err != nil {
		return nil, wrapUnlessApp("create staff", err)
	}
	return acc, nil
}

// wrapUnlessApp returns an application error as it is, and wraps any
// other error with the operation's name.
func wrapUnlessApp(op string, err error) error {
	var e *masthead.Error
	if errors.As(err, &e) {
		return err
	}
	return fmt.Errorf("sqldb: %s: %w", op, err)
}
