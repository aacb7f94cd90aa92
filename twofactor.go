package masthead

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Two-factor sign-in uses time-based one-time passwords (TOTP, RFC 6238)
// with the parameters every authenticator app assumes: HMAC-SHA1, six
// digits, 30-second steps; and one-time recovery codes for a lost device.
const (
	// TOTPDigits is the length of a code.
	TOTPDigits = 6
	// TOTPPeriod is how long one code lasts.
	TOTPPeriod = 30 * time.Second
	// TOTPSkew is how many steps either side of the current one are
	// accepted, for clocks that drift and codes typed slowly.
	TOTPSkew = 1
	// TOTPSecretBytes is the size of a secret: 160 bits, as RFC 4226
	// recommends.
	TOTPSecretBytes = 20
	// RecoveryCodeCount is how many recovery codes an account gets at a
	// time.
	RecoveryCodeCount = 10
	// recoveryCodeLen is the number of characters of a recovery code,
	// without its hyphen: 50 random bits.
	recoveryCodeLen = 10
)

// ETWOFACTOR is the code of the error SignIn (and ResetPassword) return when
// the password was right but the account has two-factor sign-in on: no
// session is started, and the error is a *SecondFactorRequired that holds
// the pending sign-in's token. It is not a failure; the web layer sends the
// browser on to the second step.
const ETWOFACTOR = "two_factor_required"

// SecondFactorRequired is the error of a sign-in that needs its second
// factor. Token is a pending sign-in: a secret that only
// TwoFactorService.CompleteSignIn accepts, once, within
// AccountSettings.TwoFactorPendingLifetime. It is never a session token:
// AccountService.Authenticate refuses it.
type SecondFactorRequired struct {
	Token string
}

// Error implements the error interface.
func (e *SecondFactorRequired) Error() string { return "masthead: second factor required" }

// Unwrap returns the application error with code ETWOFACTOR, so that
// ErrorCode and ErrorMessage see it.
func (e *SecondFactorRequired) Unwrap() error {
	return &Error{Code: ETWOFACTOR, Message: Msg(MsgTwoFactorRequired)}
}

// PendingSignIn returns the pending sign-in token of err if err says that
// the sign-in needs its second factor.
func PendingSignIn(err error) (string, bool) {
	var e *SecondFactorRequired
	if errors.As(err, &e) && e.Token != "" {
		return e.Token, true
	}
	return "", false
}

// secretEncoding is the base32 of TOTP secrets: RFC 4648, no padding.
var secretEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns a new random secret of TOTPSecretBytes, in base32
// (32 characters).
func NewTOTPSecret() string {
	b := make([]byte, TOTPSecretBytes)
	rand.Read(b)
	return secretEncoding.EncodeToString(b)
}

// NormalizeTOTPSecret returns secret without spaces, in upper case, and an
// EINVALID error unless it is the base32 of exactly TOTPSecretBytes.
func NormalizeTOTPSecret(secret string) (string, error) {
	s := strings.ToUpper(strings.Join(strings.Fields(secret), ""))
	s = strings.TrimRight(s, "=")
	if b, err := secretEncoding.DecodeString(s); err != nil || len(b) != TOTPSecretBytes {
		return "", FieldError("secret", Msg(MsgTwoFactorSecretInvalid))
	}
	return s, nil
}

// GroupSecret returns secret in groups of four characters, for typing it
// into an authenticator app.
func GroupSecret(secret string) string {
	var b strings.Builder
	for i := 0; i < len(secret); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(secret[i:min(i+4, len(secret))])
	}
	return b.String()
}

// TOTPURI returns the otpauth:// URI of a secret, which authenticator apps
// read (the Key URI Format of Google Authenticator): the issuer and the
// account name label it.
func TOTPURI(issuer, account, secret string) string {
	label := url.PathEscape(issuer) + ":" + url.PathEscape(account)
	q := url.Values{}
	q.Set("secret", secret)
	q.Set("issuer", issuer)
	q.Set("algorithm", "SHA1")
	q.Set("digits", strconv.Itoa(TOTPDigits))
	q.Set("period", strconv.Itoa(int(TOTPPeriod/time.Second)))
	return "otpauth://totp/" + label + "?" + q.Encode()
}

// TOTPStep returns the time step of t: the number of TOTPPeriods since the
// Unix epoch.
func TOTPStep(t time.Time) int64 {
	return t.Unix() / int64(TOTPPeriod/time.Second)
}

// hotp returns the HOTP value (RFC 4226) of key and counter with digits
// digits.
func hotp(key []byte, counter uint64, digits int) string {
	mac := hmac.New(sha1.New, key)
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	s := strconv.FormatUint(uint64(bin%mod), 10)
	return strings.Repeat("0", digits-len(s)) + s
}

// TOTPCode returns the code of secret (base32) at step, or "" if the
// secret is not valid base32.
func TOTPCode(secret string, step int64) string {
	key, err := secretEncoding.DecodeString(strings.ToUpper(secret))
	if err != nil || step < 0 {
		return ""
	}
	return hotp(key, uint64(step), TOTPDigits)
}

// NormalizeTOTPCode returns code without spaces, and whether it has the
// shape of a code: TOTPDigits ASCII digits.
func NormalizeTOTPCode(code string) (string, bool) {
	c := strings.Join(strings.Fields(code), "")
	if len(c) != TOTPDigits {
		return c, false
	}
	for i := 0; i < len(c); i++ {
		if c[i] < '0' || c[i] > '9' {
			return c, false
		}
	}
	return c, true
}

// VerifyTOTP checks code against secret at time now, accepting the steps
// within TOTPSkew of now's. A step at or before lastStep (the step of the
// last code accepted) is refused, so that a code cannot be used twice. It
// returns the step the code matched and whether it did.
func VerifyTOTP(secret, code string, now time.Time, lastStep int64) (int64, bool) {
	code, ok := NormalizeTOTPCode(code)
	if !ok {
		return 0, false
	}
	key, err := secretEncoding.DecodeString(strings.ToUpper(secret))
	if err != nil {
		return 0, false
	}
	cur := TOTPStep(now)
	var matched int64
	found := false
	// Every candidate is computed and compared in constant time, so the
	// answer takes as long whichever one matches.
	for step := cur - TOTPSkew; step <= cur+TOTPSkew; step++ {
		if step < 0 {
			continue
		}
		want := hotp(key, uint64(step), TOTPDigits)
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && step > lastStep && !found {
			matched, found = step, true
		}
	}
	return matched, found
}

// recoveryAlphabet is the alphabet of recovery codes: lower-case letters
// and digits without the easily confused 0, 1, l and o (32 characters, so
// each carries 5 bits).
const recoveryAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"

// NewRecoveryCodes returns RecoveryCodeCount new random recovery codes,
// each shown as two groups of five characters joined by a hyphen, such as
// "k7m2p-xq9rt".
func NewRecoveryCodes() []string {
	out := make([]string, RecoveryCodeCount)
	b := make([]byte, recoveryCodeLen)
	for i := range out {
		rand.Read(b)
		var c strings.Builder
		for j, v := range b {
			if j == recoveryCodeLen/2 {
				c.WriteByte('-')
			}
			c.WriteByte(recoveryAlphabet[int(v)%len(recoveryAlphabet)])
		}
		out[i] = c.String()
	}
	return out
}

// NormalizeRecoveryCode returns code as it is hashed: lower case, without
// spaces or hyphens; and whether it has the shape of a recovery code.
func NormalizeRecoveryCode(code string) (string, bool) {
	c := strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			return -1
		case 'A' <= r && r <= 'Z':
			return r + 'a' - 'A'
		}
		return r
	}, code)
	if len(c) != recoveryCodeLen {
		return c, false
	}
	for i := 0; i < len(c); i++ {
		if !strings.ContainsRune(recoveryAlphabet, rune(c[i])) {
			return c, false
		}
	}
	return c, true
}

// HashRecoveryCode returns the stored form of a recovery code: the SHA-256
// of its normalised text. Recovery codes are random and tried under a rate
// limit, so a fast hash is enough.
func HashRecoveryCode(code string) []byte {
	c, _ := NormalizeRecoveryCode(code)
	sum := sha256.Sum256([]byte("masthead-recovery\x00" + c))
	return sum[:]
}

// TwoFactorStatus is what the security page shows of an account's
// two-factor sign-in.
type TwoFactorStatus struct {
	Enabled   bool
	EnabledAt time.Time
	// RecoveryCodesLeft is how many unused recovery codes remain.
	RecoveryCodesLeft int
}

// SecondFactorResult is a completed sign-in.
type SecondFactorResult struct {
	Account *Account
	// Session is the new session's token.
	Session string
	// RecoveryCodeUsed says that a recovery code, not an app's code, was
	// given; RecoveryCodesLeft is then how many remain.
	RecoveryCodeUsed  bool
	RecoveryCodesLeft int
}

// TwoFactorService keeps accounts' two-factor sign-in: the TOTP secret,
// the last time step used (so a code works once) and the recovery codes,
// stored only as hashes.
type TwoFactorService interface {
	// TwoFactorStatus returns the account's two-factor state.
	TwoFactorStatus(ctx context.Context, accountID int64) (*TwoFactorStatus, error)
	// EnableTwoFactor turns two-factor sign-in on with secret (made by
	// NewTOTPSecret and shown to the reader) once code proves the reader's
	// app has it, and returns RecoveryCodeCount new recovery codes, which
	// are never shown again. ECONFLICT if it is already on; EINVALID
	// (field "code") for a wrong code.
	EnableTwoFactor(ctx context.Context, accountID int64, secret, code string) ([]string, error)
	// DisableTwoFactor turns it off after checking the password (field
	// "password") and a current code (field "code"; a recovery code works
	// too).
	DisableTwoFactor(ctx context.Context, accountID int64, password, code string) error
	// RegenerateRecoveryCodes replaces every recovery code with new ones,
	// after checking a current code from the app (field "code").
	RegenerateRecoveryCodes(ctx context.Context, accountID int64, code string) ([]string, error)
	// CompleteSignIn finishes a sign-in that SignIn left pending (see
	// SecondFactorRequired) with a current code or an unused recovery
	// code, and starts the session. A wrong code is EUNAUTHORIZED (field
	// "code") and counts against limits per account and per client
	// (ERATELIMIT); an unknown, used or expired token is EINVALID (field
	// "token").
	CompleteSignIn(ctx context.Context, pendingToken, code string, c Client) (*SecondFactorResult, error)
	// ResetTwoFactor turns off another account's two-factor sign-in and
	// deletes its recovery codes, for a member who lost their device:
	// administrators only (PermStaffAdmin), with an AuditTwoFactorReset
	// entry.
	ResetTwoFactor(ctx context.Context, actor Actor, accountID int64, reason string) error
}
