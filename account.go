package masthead

import (
	"context"
	"net/netip"
	"strings"
	"time"
)

// Role is what an account may do beyond reading and commenting.
type Role string

// Account roles. Every reader is a subscriber; staff roles are granted by
// `masthead staff create` or by an administrator.
const (
	RoleSubscriber Role = "subscriber"
	RoleModerator  Role = "moderator"
	RoleEditor     Role = "editor"
	RoleAdmin      Role = "admin"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	return r == RoleSubscriber || r == RoleModerator || r == RoleEditor || r == RoleAdmin
}

// IsStaff reports whether r is a staff role.
func (r Role) IsStaff() bool { return r == RoleModerator || r == RoleEditor || r == RoleAdmin }

// Account is a reader's (or staff member's) account.
type Account struct {
	ID    int64
	Email string
	// EmailVerifiedAt is when the reader followed the verification link;
	// zero while unverified.
	EmailVerifiedAt time.Time
	Role            Role

	// DisplayName is the name shown on comments; "" until the reader
	// creates one in the Profile section.
	DisplayName string
	// DisplayNameChangedAt is when DisplayName last changed; zero if never.
	DisplayNameChangedAt time.Time
	// About is an optional line shown beside the name, such as a city.
	About string

	// ReplyEmails says whether the reader wants an email when someone
	// replies to their comment.
	ReplyEmails bool

	// TwoFactorEnabled says whether signing in also needs a code from an
	// authenticator app (or a recovery code); see TwoFactorService.
	TwoFactorEnabled bool

	// HasPendingWarning says whether a moderator's warning waits for the
	// account to acknowledge it (see UserService.PendingWarning); it is
	// loaded with the account, so that the warning gate costs no query of
	// its own.
	HasPendingWarning bool

	// DeletionDueAt is when a requested deletion takes effect; zero when
	// none is pending. Signing in before then cancels it.
	DeletionDueAt time.Time
	// DeleteComments is the reader's choice for their comments when the
	// account is deleted: removed (true) or kept under "deleted account".
	DeleteComments bool

	CreatedAt time.Time
	UpdatedAt time.Time
}

// EmailVerified reports whether the account's email address is verified.
func (a *Account) EmailVerified() bool { return !a.EmailVerifiedAt.IsZero() }

// NextNameChange returns when the account may next change its display name
// under the given interval; zero if it may now.
func (a *Account) NextNameChange(now time.Time, interval time.Duration) time.Time {
	if a.DisplayName == "" || a.DisplayNameChangedAt.IsZero() {
		return time.Time{}
	}
	next := a.DisplayNameChangedAt.Add(interval)
	if !next.After(now) {
		return time.Time{}
	}
	return next
}

// NameChange is one entry of an account's display-name history, kept for
// moderators.
type NameChange struct {
	Name       string    `json:"name"`
	ChosenAt   time.Time `json:"chosen_at"`
	ReplacedAt time.Time `json:"replaced_at,omitzero"`
}

// Session is one signed-in browser of an account.
type Session struct {
	ID        int64
	AccountID int64
	CreatedAt time.Time
	// LastSeenAt is updated at most once a minute, not on every request.
	LastSeenAt time.Time
	// ExpiresAt is the absolute end of the session; it also ends after the
	// idle timeout of its account's kind.
	ExpiresAt time.Time
	// UserAgent is the browser as it described itself at sign-in.
	UserAgent string
	// IPPrefix is the network the session was last seen from: a /24 for
	// IPv4, a /48 for IPv6; never the full address.
	IPPrefix string
}

// Client describes who is making a request, for rate limits and the
// session list.
type Client struct {
	// IP is the client's address as the server saw it (after trusted
	// proxies).
	IP        netip.Addr
	UserAgent string
}

// IPPrefix returns the network of ip that is shown to users and stored with
// sessions: the /24 of an IPv4 address, the /48 of an IPv6 one.
func IPPrefix(ip netip.Addr) string {
	if !ip.IsValid() {
		return ""
	}
	ip = ip.Unmap()
	bits := 48
	if ip.Is4() {
		bits = 24
	}
	p, err := ip.Prefix(bits)
	if err != nil {
		return ""
	}
	return p.String()
}

// Signed-in session lifetimes.
const (
	ReaderSessionIdle     = 30 * 24 * time.Hour
	ReaderSessionLifetime = 365 * 24 * time.Hour
	StaffSessionIdle      = 12 * time.Hour
)

// Limits of account input.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 128
	MaxEmailLen    = 254
	MaxAboutLen    = 60
)

// AccountSettings are the tunable limits of accounts. Every rate, size and
// window is a site setting; DefaultAccountSettings holds the defaults.
type AccountSettings struct {
	// SiteName is reserved as a display name.
	SiteName string

	SignInFailuresPerAccount int           // 10
	SignInFailuresWindow     time.Duration // 15 minutes
	SignInFailuresPerIP      int           // 20
	SignInFailuresIPWindow   time.Duration // 1 minute
	SignUpsPerIP             int           // 5
	SignUpsWindow            time.Duration // 30 minutes
	ResetEmailsPerAddress    int           // 5
	ResetEmailsWindow        time.Duration // 30 minutes

	VerifyTokenLifetime      time.Duration // 7 days
	ResetTokenLifetime       time.Duration // 1 hour
	EmailChangeTokenLifetime time.Duration // 24 hours

	DisplayNameChangeInterval time.Duration // 14 days
	DeletionDelay             time.Duration // 24 hours

	ReaderSessionIdle     time.Duration
	ReaderSessionLifetime time.Duration
	StaffSessionIdle      time.Duration

	// Two-factor sign-in: wrong codes per account and per IP, and how long
	// the second step of a sign-in may take.
	TwoFactorFailuresPerAccount int           // 5
	TwoFactorFailuresWindow     time.Duration // 15 minutes
	TwoFactorFailuresPerIP      int           // 20
	TwoFactorFailuresIPWindow   time.Duration // 1 minute
	TwoFactorPendingLifetime    time.Duration // 10 minutes
}

// DefaultAccountSettings returns the defaults named in the product.
func DefaultAccountSettings() AccountSettings {
	return AccountSettings{
		SiteName:                  "Masthead",
		SignInFailuresPerAccount:  10,
		SignInFailuresWindow:      15 * time.Minute,
		SignInFailuresPerIP:       20,
		SignInFailuresIPWindow:    time.Minute,
		SignUpsPerIP:              5,
		SignUpsWindow:             30 * time.Minute,
		ResetEmailsPerAddress:     5,
		ResetEmailsWindow:         30 * time.Minute,
		VerifyTokenLifetime:       7 * 24 * time.Hour,
		ResetTokenLifetime:        time.Hour,
		EmailChangeTokenLifetime:  24 * time.Hour,
		DisplayNameChangeInterval: 14 * 24 * time.Hour,
		DeletionDelay:             24 * time.Hour,
		ReaderSessionIdle:         ReaderSessionIdle,
		ReaderSessionLifetime:     ReaderSessionLifetime,
		StaffSessionIdle:          StaffSessionIdle,

		// Two-factor sign-in.
		TwoFactorFailuresPerAccount: 5,
		TwoFactorFailuresWindow:     15 * time.Minute,
		TwoFactorFailuresPerIP:      20,
		TwoFactorFailuresIPWindow:   time.Minute,
		TwoFactorPendingLifetime:    10 * time.Minute,
	}
}

// NormalizeEmail trims an email address and lower-cases its domain, and
// returns an EINVALID error (field "email") if it is not a plausible
// address. The local part keeps its case, as RFC 5321 allows, but accounts
// are matched case-insensitively by EmailKey.
func NormalizeEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	at := strings.LastIndexByte(email, '@')
	if email == "" || len(email) > MaxEmailLen || at < 1 || at == len(email)-1 ||
		strings.ContainsAny(email, " \t\r\n<>,;\"\\") || !strings.Contains(email[at+1:], ".") {
		return "", FieldError("email", Msg(MsgEmailInvalid))
	}
	return email[:at] + "@" + asciiLower(email[at+1:]), nil
}

// EmailKey is the form of an address that accounts are unique by: trimmed,
// with ASCII letters lower-cased. Only ASCII letters fold: a Unicode case
// mapping would fold U+212A KELVIN SIGN to "k", letting "\u212Aelly@…" take
// the key of someone else's "kelly@…" while every email went to the
// look-alike address.
func EmailKey(email string) string { return asciiLower(strings.TrimSpace(email)) }

// asciiLower lower-cases the ASCII letters of s and leaves every other
// character as it is.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// AccountExport is everything stored about an account, for "download my
// data".
type AccountExport struct {
	Account     ExportedAccount   `json:"account"`
	NameHistory []NameChange      `json:"display_name_history"`
	Sessions    []ExportedSession `json:"sessions"`
	// Later issues add subscriptions, comments, reports and so on.
}

// ExportedAccount is the account part of an export.
type ExportedAccount struct {
	Email                string    `json:"email"`
	EmailVerifiedAt      time.Time `json:"email_verified_at,omitzero"`
	Role                 Role      `json:"role"`
	DisplayName          string    `json:"display_name"`
	DisplayNameChangedAt time.Time `json:"display_name_changed_at,omitzero"`
	About                string    `json:"about"`
	ReplyEmails          bool      `json:"reply_emails"`
	DeletionDueAt        time.Time `json:"deletion_due_at,omitzero"`
	CreatedAt            time.Time `json:"created_at"`
}

// ExportedSession is a session as exported.
type ExportedSession struct {
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	UserAgent  string    `json:"user_agent"`
	IPPrefix   string    `json:"ip_prefix"`
}

// AccountService manages accounts, their sessions and the emails about
// them. Every method that sends email writes it to the outbox in the same
// transaction as the change it reports, so a crash loses no message.
//
// Methods that an attacker could use to learn whether an address has an
// account (SignUp, RequestPasswordReset) answer the same whether or not it
// has one.
type AccountService interface {
	// SignUp creates an unverified subscriber account and emails a
	// verification link. If the address already has an account, nothing is
	// created, that account's owner is emailed instead, and SignUp returns
	// as if it had succeeded. Limited per IP (ERATELIMIT).
	SignUp(ctx context.Context, email, password string, c Client) error

	// VerifyEmail marks the account of a verification token verified. A
	// token works once; an unknown, used or expired one is EINVALID.
	VerifyEmail(ctx context.Context, token string) (*Account, error)
	// ResendVerification emails a new verification link to an unverified
	// account.
	ResendVerification(ctx context.Context, accountID int64) error

	// SignIn checks the password and starts a session, returning the new
	// session token (only its hash is stored). A wrong address or password
	// is EUNAUTHORIZED with one message for both; too many failures per
	// account or per IP is ERATELIMIT. Signing in cancels a pending
	// deletion.
	SignIn(ctx context.Context, email, password string, c Client) (*Account, string, error)
	// Authenticate returns the account and session of a session token, or
	// EUNAUTHORIZED if it is unknown, ended or expired.
	Authenticate(ctx context.Context, token string, c Client) (*Account, *Session, error)
	// SignOut ends the session of token on the server.
	SignOut(ctx context.Context, token string) error

	// RequestPasswordReset emails a single-use reset link, valid for
	// ResetTokenLifetime, if the address has an account; it answers the
	// same either way. Limited per address (ERATELIMIT).
	RequestPasswordReset(ctx context.Context, email string, c Client) error
	// ResetPassword sets a new password with a reset token, ends every
	// session of the account, clears its sign-in failures, and returns a
	// new session token.
	ResetPassword(ctx context.Context, token, password string, c Client) (*Account, string, error)
	// ChangePassword checks the current password, sets a new one and ends
	// every session but keepSession.
	ChangePassword(ctx context.Context, accountID int64, current, password string, keepSession int64) error

	// RequestEmailChange checks the password and emails a confirmation
	// link to the new address, and a notice to the old one.
	RequestEmailChange(ctx context.Context, accountID int64, newEmail, password string) error
	// ConfirmEmailChange moves the account to the new address of a token.
	ConfirmEmailChange(ctx context.Context, token string) (*Account, error)

	// ListSessions returns the account's active sessions, most recent
	// first.
	ListSessions(ctx context.Context, accountID int64) ([]*Session, error)
	// EndSession ends one of the account's sessions.
	EndSession(ctx context.Context, accountID, sessionID int64) error
	// EndOtherSessions ends every session of the account but keep.
	EndOtherSessions(ctx context.Context, accountID, keep int64) error

	// FindAccountByID returns an account.
	FindAccountByID(ctx context.Context, id int64) (*Account, error)

	// SetProfile sets the display name and about line. The name is
	// normalised and checked by NormalizeDisplayName, must not be reserved
	// or confusable with another account's (ECONFLICT), and may change
	// once per DisplayNameChangeInterval (EFORBIDDEN, saying when);
	// setting the same name again only updates About.
	SetProfile(ctx context.Context, accountID int64, displayName, about string) (*Account, error)
	// NameHistory returns every display name the account has had.
	NameHistory(ctx context.Context, accountID int64) ([]NameChange, error)
	// SetReplyEmails turns reply notifications on or off; off also drops
	// the reply emails still waiting to be sent.
	SetReplyEmails(ctx context.Context, accountID int64, on bool) error

	// ExportAccount returns everything stored about the account.
	ExportAccount(ctx context.Context, accountID int64) (*AccountExport, error)
	// RequestDeletion checks the account's password (EINVALID about field
	// "password" when wrong), then schedules the account's deletion after
	// the DeletionDelay and ends all its sessions.
	RequestDeletion(ctx context.Context, accountID int64, password string, deleteComments bool) error
	// PurgeDueDeletions deletes accounts whose deletion is due: email,
	// names, name history, password hash and sessions are removed. It
	// returns how many were deleted.
	PurgeDueDeletions(ctx context.Context) (int, error)

	// CreateStaff creates (or promotes) a verified staff account.
	CreateStaff(ctx context.Context, email, password string, role Role) (*Account, error)
}

// PasswordHasher hashes and checks passwords. Its implementation bounds how
// many hashes are computed at once.
type PasswordHasher interface {
	// Hash returns an encoded hash of password (which CheckNewPassword has
	// already accepted).
	Hash(ctx context.Context, password string) (string, error)
	// Verify reports whether password matches the encoded hash.
	Verify(ctx context.Context, hash, password string) (bool, error)
	// CheckNewPassword returns an EINVALID error (field "password") if
	// password is too short, too long or too common.
	CheckNewPassword(password string) error
}
