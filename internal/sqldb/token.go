package sqldb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"masthead"
)

// Token purposes, as stored in tokens.purpose.
const (
	purposeVerify      = "verify"
	purposeReset       = "reset"
	purposeEmailChange = "email_change"
)

// tokenBytes is the size of every secret token: 256 random bits.
const tokenBytes = 32

// tokenLen is the length of a token as given to users: tokenBytes in
// unpadded base64url.
var tokenLen = base64.RawURLEncoding.EncodedLen(tokenBytes)

// newToken returns a fresh secret token for a user and the hash that is
// stored in its place.
func newToken() (plain string, hash []byte) {
	b := make([]byte, tokenBytes)
	rand.Read(b) // never returns an error; it crashes the program instead
	plain = base64.RawURLEncoding.EncodeToString(b)
	return plain, hashToken(plain)
}

// hashToken returns the stored form of a token: the SHA-256 of its text.
func hashToken(plain string) []byte {
	sum := sha256.Sum256([]byte(plain))
	return sum[:]
}

// tokenShapeOK reports whether s could be a token newToken made, so that
// garbage is refused without a query.
func tokenShapeOK(s string) bool {
	if len(s) != tokenLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func errTokenInvalid() error {
	return masthead.Errorf(masthead.EINVALID, "%s", masthead.Msg(masthead.MsgTokenInvalid))
}

// createToken stores a new token of purpose for the account, valid until
// expires, and returns its text.
func (db *DB) createToken(ctx context.Context, tx *sql.Tx, accountID int64, purpose, data string, now, expires time.Time) (string, error) {
	plain, hash := newToken()
	_, err := tx.ExecContext(ctx, `INSERT INTO tokens (account_id, purpose, token_hash, data, expires_at, created_at)
VALUES ($1, $2, $3, $4, $5, $6)`, accountID, purpose, hash, data, db.timeArg(expires), db.timeArg(now))
	if err != nil {
		return "", fmt.Errorf("create %s token: %w", purpose, err)
	}
	return plain, nil
}

// consumeToken marks the unused, unexpired token plain of purpose used and
// returns its account and data; any other token is EINVALID.
func (db *DB) consumeToken(ctx context.Context, tx *sql.Tx, plain, purpose string, now time.Time) (accountID int64, data string, err error) {
	if !tokenShapeOK(plain) {
		return 0, "", errTokenInvalid()
	}
	err = tx.QueryRowContext(ctx, `UPDATE tokens SET used_at = $1
WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1
RETURNING account_id, data`, db.timeArg(now), hashToken(plain), purpose).Scan(&accountID, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", errTokenInvalid()
	} else if err != nil {
		return 0, "", fmt.Errorf("consume %s token: %w", purpose, err)
	}
	return accountID, data, nil
}

// tokenUsable reports, without changing anything, whether plain is an
// unused, unexpired token of purpose. It lets a caller refuse a bad token
// before spending a password hash on it; consumeToken still decides.
func (db *DB) tokenUsable(ctx context.Context, plain, purpose string, now time.Time) (bool, error) {
	if !tokenShapeOK(plain) {
		return false, nil
	}
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM tokens
WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3`,
		hashToken(plain), purpose, db.timeArg(now)).Scan(&n)
	return n > 0, err
}

// deleteUnusedTokens deletes the account's unused tokens of the purposes,
// so that links already sent stop working.
func deleteUnusedTokens(ctx context.Context, tx *sql.Tx, accountID int64, purposes ...string) error {
	for _, p := range purposes {
		if _, err := tx.ExecContext(ctx, `DELETE FROM tokens WHERE account_id = $1 AND purpose = $2 AND used_at IS NULL`,
			accountID, p); err != nil {
			return fmt.Errorf("delete %s tokens: %w", p, err)
		}
	}
	return nil
}
