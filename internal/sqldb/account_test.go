package sqldb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"masthead"
	"masthead/internal/sqldb"
)

// fakeHasher is a fast, transparent masthead.PasswordHasher: a hash is
// "fake:" and the password. It counts its calls.
type fakeHasher struct {
	hashes, verifies atomic.Int64
}

func (h *fakeHasher) Hash(ctx context.Context, password string) (string, error) {
	h.hashes.Add(1)
	return "fake:" + password, nil
}

func (h *fakeHasher) Verify(ctx context.Context, hash, password string) (bool, error) {
	h.verifies.Add(1)
	return hash == "fake:"+password, nil
}

func (h *fakeHasher) CheckNewPassword(password string) error {
	if len(password) < masthead.MinPasswordLen {
		return masthead.FieldError("password", masthead.Msg(masthead.MsgPasswordTooShort, masthead.MinPasswordLen))
	}
	return nil
}

// Test addresses and clients.
var (
	home  = masthead.Client{IP: netip.MustParseAddr("203.0.113.7"), UserAgent: "Firefox at home"}
	work  = masthead.Client{IP: netip.MustParseAddr("2001:db8:1:2::7"), UserAgent: "Chrome at work"}
	other = masthead.Client{IP: netip.MustParseAddr("198.51.100.9"), UserAgent: "Safari"}
)

// clientN returns a client with an address of its own, for tests that must
// stay under the per-IP limits.
func clientN(n int) masthead.Client {
	return masthead.Client{IP: netip.AddrFrom4([4]byte{10, 1, byte(n >> 8), byte(n)}), UserAgent: "client"}
}

const password = "correct horse"

// accountsFixture is an AccountService on a test database.
type accountsFixture struct {
	t      *testing.T
	db     *sqldb.DB
	clk    *fakeClock
	svc    *sqldb.AccountService
	hasher *fakeHasher
	queued atomic.Int64
}

func newAccounts(t *testing.T, db *sqldb.DB, clk *fakeClock) *accountsFixture {
	f := &accountsFixture{t: t, db: db, clk: clk, hasher: &fakeHasher{}}
	f.svc = sqldb.NewAccountService(db, f.hasher, masthead.AccountSettings{})
	f.svc.OnQueued = func() { f.queued.Add(1) }
	return f
}

// advance moves the clock on by d.
func (f *accountsFixture) advance(d time.Duration) { f.clk.Set(f.clk.Now().Add(d)) }

// mail is an outbox row as the tests see it.
type mail struct {
	Kind   masthead.EmailKind
	To     string
	Data   map[string]string
	Status string
}

// outbox returns every outbox row, oldest first.
func (f *accountsFixture) outbox() []mail {
	f.t.Helper()
	rows, err := pool(f.t, f.db).Query(`SELECT kind, to_address, data, status FROM outbox ORDER BY id`)
	if err != nil {
		f.t.Fatalf("read outbox: %v", err)
	}
	defer rows.Close()
	var out []mail
	for rows.Next() {
		var m mail
		var data string
		if err := rows.Scan(&m.Kind, &m.To, &data, &m.Status); err != nil {
			f.t.Fatalf("read outbox: %v", err)
		}
		if err := json.Unmarshal([]byte(data), &m.Data); err != nil {
			f.t.Fatalf("outbox data %q: %v", data, err)
		}
		out = append(out, m)
	}
	return out
}

// lastMail returns the newest outbox message of kind to the address.
func (f *accountsFixture) lastMail(kind masthead.EmailKind, to string) mail {
	f.t.Helper()
	msgs := f.outbox()
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Kind == kind && msgs[i].To == to {
			return msgs[i]
		}
	}
	f.t.Fatalf("no %s email to %s in the outbox %v", kind, to, msgs)
	return mail{}
}

// signUp signs up email with password and verifies it, returning the
// account.
func (f *accountsFixture) signUp(email string) *masthead.Account {
	f.t.Helper()
	ctx := context.Background()
	if err := f.svc.SignUp(ctx, email, password, clientN(int(f.hasher.hashes.Load()))); err != nil {
		f.t.Fatalf("SignUp(%q): %v", email, err)
	}
	acc, err := f.svc.VerifyEmail(ctx, f.lastMail(masthead.EmailVerify, email).Data["token"])
	if err != nil {
		f.t.Fatalf("VerifyEmail for %q: %v", email, err)
	}
	return acc
}

// signIn signs in and returns the account and token.
func (f *accountsFixture) signIn(email, pw string, c masthead.Client) (*masthead.Account, string) {
	f.t.Helper()
	acc, token, err := f.svc.SignIn(context.Background(), email, pw, c)
	if err != nil {
		f.t.Fatalf("SignIn(%q): %v", email, err)
	}
	return acc, token
}

// wantErr fails unless err has the code and message of id (and field,
// if not "-").
func wantErr(t *testing.T, what string, err error, code string, msg string) {
	t.Helper()
	if got := masthead.ErrorCode(err); got != code {
		t.Errorf("%s: error code = %q (%v), want %q", what, got, err, code)
		return
	}
	if msg != "" {
		if got := masthead.ErrorMessage(err); got != msg {
			t.Errorf("%s: message = %q, want %q", what, got, msg)
		}
	}
}

func TestSignUpAndVerify(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		if err := f.svc.SignUp(ctx, "  Reader@Example.COM ", password, home); err != nil {
			t.Fatalf("SignUp: %v", err)
		}
		m := f.lastMail(masthead.EmailVerify, "Reader@example.com")
		token := m.Data["token"]
		if len(token) != 43 {
			t.Fatalf("verification token = %q, want 43 characters of base64url", token)
		}
		if got := f.queued.Load(); got != 1 {
			t.Errorf("OnQueued calls = %d, want 1", got)
		}
		// The token is stored only as a hash.
		var n int
		if err := pool(t, db).QueryRow(`SELECT COUNT(*) FROM tokens WHERE purpose = 'verify'`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("verify tokens = %d, %v; want 1", n, err)
		}
		assertNotStored(t, db, token, "outbox")

		acc, err := f.svc.FindAccountByID(ctx, 1)
		if err != nil {
			t.Fatalf("FindAccountByID: %v", err)
		}
		if acc.EmailVerified() || acc.Role != masthead.RoleSubscriber || !acc.ReplyEmails || !acc.CreatedAt.Equal(epoch) {
			t.Errorf("new account = %+v, want an unverified subscriber with reply emails, created at %v", acc, epoch)
		}

		f.advance(time.Hour)
		acc, err = f.svc.VerifyEmail(ctx, token)
		if err != nil {
			t.Fatalf("VerifyEmail: %v", err)
		}
		if got, want := acc.EmailVerifiedAt, epoch.Add(time.Hour); !got.Equal(want) {
			t.Errorf("EmailVerifiedAt = %v, want %v", got, want)
		}
		tokenInvalid := masthead.Msg(masthead.MsgTokenInvalid)
		for _, tt := range []struct{ name, token string }{
			{"used twice", token},
			{"unknown", strings.Repeat("A", 43)},
			{"garbage", "not a token"},
			{"empty", ""},
		} {
			_, err := f.svc.VerifyEmail(ctx, tt.token)
			wantErr(t, "VerifyEmail "+tt.name, err, masthead.EINVALID, tokenInvalid)
		}

		// A verification link expires.
		if err := f.svc.SignUp(ctx, "late@example.com", password, home); err != nil {
			t.Fatalf("SignUp: %v", err)
		}
		late := f.lastMail(masthead.EmailVerify, "late@example.com").Data["token"]
		f.advance(7 * 24 * time.Hour)
		_, err = f.svc.VerifyEmail(ctx, late)
		wantErr(t, "VerifyEmail expired", err, masthead.EINVALID, tokenInvalid)

		// ResendVerification sends a new link that works.
		lateAcc, _ := f.signInAccount("late@example.com")
		if err := f.svc.ResendVerification(ctx, lateAcc.ID); err != nil {
			t.Fatalf("ResendVerification: %v", err)
		}
		if _, err := f.svc.VerifyEmail(ctx, f.lastMail(masthead.EmailVerify, "late@example.com").Data["token"]); err != nil {
			t.Errorf("VerifyEmail of resent link: %v", err)
		}
		wantErr(t, "ResendVerification when verified", f.svc.ResendVerification(ctx, lateAcc.ID), masthead.ECONFLICT,
			masthead.Msg(masthead.MsgAlreadyVerified))
	})
}

// signInAccount signs in with the test password from a fresh client.
func (f *accountsFixture) signInAccount(email string) (*masthead.Account, string) {
	f.t.Helper()
	return f.signIn(email, password, clientN(1000))
}

func TestSignUpInvalid(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		f := newAccounts(t, db, clk)
		tests := []struct {
			name, email, password, field string
		}{
			{"bad email", "not-an-address", password, "email"},
			{"short password", "a@example.com", "short", "password"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := f.svc.SignUp(context.Background(), tt.email, tt.password, home)
				if got := masthead.ErrorCode(err); got != masthead.EINVALID {
					t.Errorf("code = %q, want %q", got, masthead.EINVALID)
				}
				if got := masthead.ErrorField(err); got != tt.field {
					t.Errorf("field = %q, want %q", got, tt.field)
				}
			})
		}
		if got := countRows(t, db, "accounts"); got != 0 {
			t.Errorf("accounts = %d, want 0", got)
		}
	})
}

func TestSignUpExistingEmail(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		f.signUp("owner@example.com")
		hashes, mails := f.hasher.hashes.Load(), len(f.outbox())

		if err := f.svc.SignUp(ctx, "OWNER@Example.com", "another password", other); err != nil {
			t.Fatalf("SignUp of a taken address = %v, want nil", err)
		}
		if got := countRows(t, db, "accounts"); got != 1 {
			t.Errorf("accounts = %d, want 1", got)
		}
		msgs := f.outbox()
		if got, want := len(msgs), mails+1; got != want {
			t.Fatalf("outbox has %d messages, want %d", got, want)
		}
		if got, want := msgs[len(msgs)-1], (mail{masthead.EmailSignUpExisting, "owner@example.com", map[string]string{}, "pending"}); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("last message = %+v, want %+v", got, want)
		}
		if got := f.hasher.hashes.Load() - hashes; got != 1 {
			t.Errorf("hashes computed for a taken address = %d, want 1 (as for a new one)", got)
		}
		// The owner's password is unchanged.
		f.signIn("owner@example.com", password, home)
	})
}

func TestSignInAndAuthenticate(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		want := f.signUp("reader@example.com")

		acc, token1 := f.signIn("READER@example.com", password, home)
		if acc.ID != want.ID {
			t.Fatalf("SignIn account ID = %d, want %d", acc.ID, want.ID)
		}
		_, token2 := f.signIn("reader@example.com", password, work)
		if token1 == token2 || len(token1) != 43 {
			t.Fatalf("tokens %q and %q: want two different 43-character tokens", token1, token2)
		}
		assertNotStored(t, db, token1)

		a1, s1, err := f.svc.Authenticate(ctx, token1, home)
		if err != nil {
			t.Fatalf("Authenticate(token1): %v", err)
		}
		_, s2, err := f.svc.Authenticate(ctx, token2, work)
		if err != nil {
			t.Fatalf("Authenticate(token2): %v", err)
		}
		if a1.ID != want.ID || a1.Email != "reader@example.com" || s1.AccountID != want.ID {
			t.Errorf("Authenticate = %+v, %+v; want account %d", a1, s1, want.ID)
		}
		if s1.ID == s2.ID {
			t.Errorf("two sign-ins share session %d", s1.ID)
		}
		if got, want := s1.IPPrefix, "203.0.113.0/24"; got != want {
			t.Errorf("IPPrefix = %q, want %q", got, want)
		}
		if got, want := s2.IPPrefix, "2001:db8:1::/48"; got != want {
			t.Errorf("IPPrefix = %q, want %q", got, want)
		}
		if got, want := s1.UserAgent, home.UserAgent; got != want {
			t.Errorf("UserAgent = %q, want %q", got, want)
		}
		if !s1.ExpiresAt.Equal(epoch.Add(masthead.ReaderSessionLifetime)) {
			t.Errorf("ExpiresAt = %v, want a year on", s1.ExpiresAt)
		}

		// Wrong passwords and unknown addresses get one answer.
		failed := masthead.Msg(masthead.MsgSignInFailed)
		for _, tt := range []struct{ name, email, password string }{
			{"wrong password", "reader@example.com", "wrong password"},
			{"unknown email", "nobody@example.com", password},
			{"empty password", "reader@example.com", ""},
		} {
			verifies := f.hasher.verifies.Load()
			_, tok, err := f.svc.SignIn(ctx, tt.email, tt.password, other)
			wantErr(t, tt.name, err, masthead.EUNAUTHORIZED, failed)
			if tok != "" {
				t.Errorf("%s: token %q, want none", tt.name, tok)
			}
			if got := f.hasher.verifies.Load() - verifies; got != 1 {
				t.Errorf("%s: password checks = %d, want 1 (the same work either way)", tt.name, got)
			}
		}

		// Signing out ends that session only.
		if err := f.svc.SignOut(ctx, token1); err != nil {
			t.Fatalf("SignOut: %v", err)
		}
		invalid := masthead.Msg(masthead.MsgSessionInvalid)
		for _, tt := range []struct{ name, token string }{
			{"signed out", token1},
			{"unknown", strings.Repeat("x", 43)},
			{"garbage", "abc"},
		} {
			_, _, err := f.svc.Authenticate(ctx, tt.token, home)
			wantErr(t, "Authenticate "+tt.name, err, masthead.EUNAUTHORIZED, invalid)
		}
		if _, _, err := f.svc.Authenticate(ctx, token2, work); err != nil {
			t.Errorf("Authenticate(token2) after token1 signed out: %v", err)
		}
		if err := f.svc.SignOut(ctx, token1); err != nil {
			t.Errorf("second SignOut = %v, want nil", err)
		}
	})
}

func TestSessionExpiry(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		f.signUp("reader@example.com")
		if _, err := f.svc.CreateStaff(ctx, "mod@example.com", password, masthead.RoleModerator); err != nil {
			t.Fatalf("CreateStaff: %v", err)
		}
		_, reader := f.signIn("reader@example.com", password, home)
		_, idle := f.signIn("reader@example.com", password, home)
		_, staff := f.signIn("mod@example.com", password, home)
		start := clk.Now()

		auth := func(token string) error {
			_, _, err := f.svc.Authenticate(ctx, token, work)
			return err
		}
		// last_seen_at is written at most once a minute.
		f.advance(30 * time.Second)
		_, s, err := f.svc.Authenticate(ctx, reader, work)
		if err != nil || !s.LastSeenAt.Equal(start) || s.IPPrefix != "203.0.113.0/24" {
			t.Fatalf("Authenticate after 30s = %+v, %v; want last seen %v from home", s, err, start)
		}
		f.advance(31 * time.Second)
		_, s, err = f.svc.Authenticate(ctx, reader, work)
		if err != nil || !s.LastSeenAt.Equal(clk.Now()) || s.IPPrefix != "2001:db8:1::/48" {
			t.Fatalf("Authenticate after 61s = %+v, %v; want last seen now from work", s, err)
		}
		_, s, _ = f.svc.Authenticate(ctx, reader, home)
		if !s.LastSeenAt.Equal(clk.Now()) {
			t.Errorf("stored LastSeenAt = %v, want %v", s.LastSeenAt, clk.Now())
		}

		// Staff: 12 hours idle.
		f.advance(11 * time.Hour)
		if err := auth(staff); err != nil {
			t.Errorf("staff after 11h idle: %v", err)
		}
		f.advance(12*time.Hour - time.Second)
		if err := auth(staff); err != nil {
			t.Errorf("staff after 12h-1s idle: %v", err)
		}
		f.advance(12 * time.Hour)
		wantErr(t, "staff after 12h idle", auth(staff), masthead.EUNAUTHORIZED, "")

		// Readers: 30 days idle; a year at most however active.
		clk.Set(start.Add(30*24*time.Hour - time.Second))
		if err := auth(idle); err != nil {
			t.Errorf("reader after 30d-1s idle: %v", err)
		}
		clk.Set(start.Add(30*24*time.Hour - time.Second + 30*24*time.Hour))
		wantErr(t, "reader after 30d idle", auth(idle), masthead.EUNAUTHORIZED, "")

		_, yearly := f.signIn("reader@example.com", password, home)
		start = clk.Now()
		for clk.Now().Before(start.Add(365*24*time.Hour - 20*24*time.Hour)) {
			f.advance(20 * 24 * time.Hour)
			if err := auth(yearly); err != nil {
				t.Fatalf("active reader at %v: %v", clk.Now(), err)
			}
		}
		clk.Set(start.Add(365*24*time.Hour - time.Second))
		if err := auth(yearly); err != nil {
			t.Errorf("active reader just before a year: %v", err)
		}
		clk.Set(start.Add(365 * 24 * time.Hour))
		wantErr(t, "active reader after a year", auth(yearly), masthead.EUNAUTHORIZED, "")
	})
}

func TestSessionsListAndEnd(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		acc := f.signUp("reader@example.com")
		stranger := f.signUp("stranger@example.com")
		_, t1 := f.signIn("reader@example.com", password, home)
		f.advance(time.Hour)
		_, t2 := f.signIn("reader@example.com", password, work)
		f.advance(time.Hour)
		_, t3 := f.signIn("reader@example.com", password, other)
		_, s3, _ := f.svc.Authenticate(ctx, t3, other)
		f.advance(time.Minute)
		_, s1, _ := f.svc.Authenticate(ctx, t1, home) // now seen most recently

		list, err := f.svc.ListSessions(ctx, acc.ID)
		if err != nil {
			t.Fatalf("ListSessions: %v", err)
		}
		var agents []string
		for _, s := range list {
			agents = append(agents, s.UserAgent)
		}
		if got, want := strings.Join(agents, ","), "Firefox at home,Safari,Chrome at work"; got != want {
			t.Errorf("sessions = %s, want %s", got, want)
		}
		wantErr(t, "EndSession of another account", f.svc.EndSession(ctx, stranger.ID, s1.ID), masthead.ENOTFOUND,
			masthead.Msg(masthead.MsgSessionNotFound))
		if err := f.svc.EndSession(ctx, acc.ID, s1.ID); err != nil {
			t.Fatalf("EndSession: %v", err)
		}
		wantErr(t, "EndSession twice", f.svc.EndSession(ctx, acc.ID, s1.ID), masthead.ENOTFOUND, "")
		if _, _, err := f.svc.Authenticate(ctx, t1, home); err == nil {
			t.Errorf("Authenticate after EndSession = nil error")
		}
		if err := f.svc.EndOtherSessions(ctx, acc.ID, s3.ID); err != nil {
			t.Fatalf("EndOtherSessions: %v", err)
		}
		if _, _, err := f.svc.Authenticate(ctx, t2, work); err == nil {
			t.Errorf("Authenticate of another session after EndOtherSessions = nil error")
		}
		if _, _, err := f.svc.Authenticate(ctx, t3, other); err != nil {
			t.Errorf("Authenticate of the kept session: %v", err)
		}
		list, _ = f.svc.ListSessions(ctx, acc.ID)
		if len(list) != 1 || list[0].ID != s3.ID {
			t.Errorf("sessions after EndOtherSessions = %v, want only %d", list, s3.ID)
		}
	})
}

func TestSignInRateLimits(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		f.signUp("victim@example.com")
		limited := masthead.Msg(masthead.MsgSignInRateLimited)

		t.Run("per account", func(t *testing.T) {
			for i := range 10 {
				_, _, err := f.svc.SignIn(ctx, "victim@example.com", "wrong password", clientN(i))
				wantErr(t, fmt.Sprintf("failure %d", i+1), err, masthead.EUNAUTHORIZED, "")
			}
			_, _, err := f.svc.SignIn(ctx, "Victim@example.com", password, clientN(99))
			wantErr(t, "right password after 10 failures", err, masthead.ERATELIMIT, limited)
			// An unknown address is limited alike, so limits reveal nothing.
			for i := range 10 {
				f.svc.SignIn(ctx, "ghost@example.com", "wrong password", clientN(100+i))
			}
			_, _, err = f.svc.SignIn(ctx, "ghost@example.com", password, clientN(199))
			wantErr(t, "unknown address after 10 failures", err, masthead.ERATELIMIT, limited)

			f.advance(15*time.Minute - time.Second)
			_, _, err = f.svc.SignIn(ctx, "victim@example.com", password, clientN(98))
			wantErr(t, "just before the window ends", err, masthead.ERATELIMIT, limited)
			f.advance(time.Second)
			f.signIn("victim@example.com", password, clientN(97))
		})

		t.Run("reset while limited", func(t *testing.T) {
			for i := range 10 {
				f.svc.SignIn(ctx, "victim@example.com", "wrong password", clientN(200+i))
			}
			_, _, err := f.svc.SignIn(ctx, "victim@example.com", password, home)
			wantErr(t, "limited", err, masthead.ERATELIMIT, limited)
			if err := f.svc.RequestPasswordReset(ctx, "victim@example.com", home); err != nil {
				t.Fatalf("RequestPasswordReset: %v", err)
			}
			token := f.lastMail(masthead.EmailPasswordReset, "victim@example.com").Data["token"]
			if _, _, err := f.svc.ResetPassword(ctx, token, "new password 1", home); err != nil {
				t.Fatalf("ResetPassword while limited: %v", err)
			}
			f.signIn("victim@example.com", "new password 1", home)
		})

		t.Run("per IP", func(t *testing.T) {
			f.advance(time.Hour)
			attacker := masthead.Client{IP: netip.MustParseAddr("192.0.2.66")}
			for i := range 20 {
				_, _, err := f.svc.SignIn(ctx, fmt.Sprintf("user%d@example.com", i), "guess", attacker)
				wantErr(t, fmt.Sprintf("failure %d", i+1), err, masthead.EUNAUTHORIZED, "")
			}
			_, _, err := f.svc.SignIn(ctx, "victim@example.com", "new password 1", attacker)
			wantErr(t, "21st attempt from the IP", err, masthead.ERATELIMIT, limited)
			f.signIn("victim@example.com", "new password 1", other)
			f.advance(time.Minute)
			f.signIn("victim@example.com", "new password 1", attacker)
		})

		t.Run("successes do not count", func(t *testing.T) {
			f.advance(time.Hour)
			for range 25 {
				f.signIn("victim@example.com", "new password 1", home)
			}
		})
	})
}

func TestSignInConcurrentGuesses(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		f.signUp("victim@example.com")
		var wg sync.WaitGroup
		var unauthorized, limited atomic.Int64
		for i := range 30 {
			wg.Go(func() {
				_, _, err := f.svc.SignIn(ctx, "victim@example.com", "guess", clientN(i))
				switch masthead.ErrorCode(err) {
				case masthead.EUNAUTHORIZED:
					unauthorized.Add(1)
				case masthead.ERATELIMIT:
					limited.Add(1)
				default:
					t.Errorf("SignIn: %v", err)
				}
			})
		}
		wg.Wait()
		if got, want := unauthorized.Load(), int64(10); got != want {
			t.Errorf("guesses checked = %d, want %d (the rest limited: %d)", got, want, limited.Load())
		}
	})
}

func TestSignUpRateLimit(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		for i := range 5 {
			if err := f.svc.SignUp(ctx, fmt.Sprintf("new%d@example.com", i), password, home); err != nil {
				t.Fatalf("sign-up %d: %v", i+1, err)
			}
			f.advance(time.Minute)
		}
		hashes := f.hasher.hashes.Load()
		err := f.svc.SignUp(ctx, "new5@example.com", password, home)
		wantErr(t, "6th sign-up", err, masthead.ERATELIMIT, masthead.Msg(masthead.MsgSignUpRateLimited))
		err = f.svc.SignUp(ctx, "new0@example.com", password, home)
		wantErr(t, "6th sign-up, of a taken address", err, masthead.ERATELIMIT, masthead.Msg(masthead.MsgSignUpRateLimited))
		if got := f.hasher.hashes.Load(); got != hashes {
			t.Errorf("limited sign-ups computed %d hashes, want 0", got-hashes)
		}
		if err := f.svc.SignUp(ctx, "new5@example.com", password, other); err != nil {
			t.Errorf("sign-up from another IP: %v", err)
		}
		// The window slides: the first sign-up leaves it 30 minutes after
		// it was made.
		clk.Set(epoch.Add(30 * time.Minute))
		if err := f.svc.SignUp(ctx, "new6@example.com", password, home); err != nil {
			t.Errorf("sign-up after the first left the window: %v", err)
		}
		err = f.svc.SignUp(ctx, "new7@example.com", password, home)
		wantErr(t, "sign-up before the second left the window", err, masthead.ERATELIMIT, "")
		if got := countRows(t, db, "accounts"); got != 7 {
			t.Errorf("accounts = %d, want 7", got)
		}
	})
}

func TestPasswordReset(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		acc := f.signUp("reader@example.com")
		_, old1 := f.signIn("reader@example.com", password, home)
		_, old2 := f.signIn("reader@example.com", password, work)
		tokenInvalid := masthead.Msg(masthead.MsgTokenInvalid)

		// Unknown addresses answer alike and queue nothing.
		mails := len(f.outbox())
		if err := f.svc.RequestPasswordReset(ctx, "nobody@example.com", home); err != nil {
			t.Fatalf("RequestPasswordReset(unknown) = %v, want nil", err)
		}
		if got := len(f.outbox()); got != mails {
			t.Errorf("outbox grew by %d for an unknown address, want 0", got-mails)
		}

		if err := f.svc.RequestPasswordReset(ctx, "Reader@Example.com", home); err != nil {
			t.Fatalf("RequestPasswordReset: %v", err)
		}
		token := f.lastMail(masthead.EmailPasswordReset, "reader@example.com").Data["token"]
		assertNotStored(t, db, token, "outbox")

		_, _, err := f.svc.ResetPassword(ctx, token, "short", home)
		wantErr(t, "short password", err, masthead.EINVALID, "")
		_, _, err = f.svc.ResetPassword(ctx, strings.Repeat("B", 43), "new password 1", home)
		wantErr(t, "unknown token", err, masthead.EINVALID, tokenInvalid)

		f.advance(59 * time.Minute)
		got, session, err := f.svc.ResetPassword(ctx, token, "new password 1", home)
		if err != nil {
			t.Fatalf("ResetPassword: %v", err)
		}
		if got.ID != acc.ID {
			t.Errorf("ResetPassword account = %d, want %d", got.ID, acc.ID)
		}
		if _, _, err := f.svc.Authenticate(ctx, session, home); err != nil {
			t.Errorf("Authenticate(new session): %v", err)
		}
		for _, old := range []string{old1, old2} {
			if _, _, err := f.svc.Authenticate(ctx, old, home); err == nil {
				t.Errorf("an old session survived the reset")
			}
		}
		f.lastMail(masthead.EmailPasswordChanged, "reader@example.com")
		_, _, err = f.svc.ResetPassword(ctx, token, "new password 2", home)
		wantErr(t, "token used twice", err, masthead.EINVALID, tokenInvalid)
		_, _, err = f.svc.SignIn(ctx, "reader@example.com", password, home)
		wantErr(t, "old password", err, masthead.EUNAUTHORIZED, "")
		f.signIn("reader@example.com", "new password 1", home)

		// A link is valid for an hour.
		if err := f.svc.RequestPasswordReset(ctx, "reader@example.com", home); err != nil {
			t.Fatalf("RequestPasswordReset: %v", err)
		}
		token = f.lastMail(masthead.EmailPasswordReset, "reader@example.com").Data["token"]
		f.advance(time.Hour)
		_, _, err = f.svc.ResetPassword(ctx, token, "new password 2", home)
		wantErr(t, "token after an hour", err, masthead.EINVALID, tokenInvalid)
	})
}

func TestPasswordResetVerifiesEmail(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		if err := f.svc.SignUp(ctx, "unverified@example.com", password, home); err != nil {
			t.Fatalf("SignUp: %v", err)
		}
		if err := f.svc.RequestPasswordReset(ctx, "unverified@example.com", home); err != nil {
			t.Fatalf("RequestPasswordReset: %v", err)
		}
		acc, _, err := f.svc.ResetPassword(ctx, f.lastMail(masthead.EmailPasswordReset, "unverified@example.com").Data["token"], "new password 1", home)
		if err != nil {
			t.Fatalf("ResetPassword: %v", err)
		}
		if !acc.EmailVerified() {
			t.Errorf("account unverified after a reset by email")
		}
	})
}

func TestResetRateLimit(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		f.signUp("reader@example.com")
		limited := masthead.Msg(masthead.MsgResetRateLimited)
		for _, email := range []string{"reader@example.com", "nobody@example.com"} {
			t.Run(email, func(t *testing.T) {
				clk.Set(epoch)
				for i := range 5 {
					if err := f.svc.RequestPasswordReset(ctx, email, clientN(i)); err != nil {
						t.Fatalf("reset request %d: %v", i+1, err)
					}
				}
				err := f.svc.RequestPasswordReset(ctx, strings.ToUpper(email), clientN(9))
				wantErr(t, "6th request", err, masthead.ERATELIMIT, limited)
				f.advance(30 * time.Minute)
				if err := f.svc.RequestPasswordReset(ctx, email, home); err != nil {
					t.Errorf("request after the window: %v", err)
				}
			})
		}
		var n int
		pool(t, db).QueryRow(`SELECT COUNT(*) FROM outbox WHERE kind = $1`, string(masthead.EmailPasswordReset)).Scan(&n)
		if n != 6 {
			t.Errorf("reset emails queued = %d, want 6", n)
		}
	})
}

func TestChangePassword(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		acc := f.signUp("reader@example.com")
		_, keep := f.signIn("reader@example.com", password, home)
		_, drop := f.signIn("reader@example.com", password, work)
		_, kept, _ := f.svc.Authenticate(ctx, keep, home)

		err := f.svc.ChangePassword(ctx, acc.ID, "wrong password", "new password 1", kept.ID)
		wantErr(t, "wrong current password", err, masthead.EINVALID, masthead.Msg(masthead.MsgCurrentPasswordWrong))
		if got := masthead.ErrorField(err); got != "current_password" {
			t.Errorf("field = %q, want current_password", got)
		}
		err = f.svc.ChangePassword(ctx, acc.ID, password, "short", kept.ID)
		wantErr(t, "short new password", err, masthead.EINVALID, "")
		if _, _, err := f.svc.Authenticate(ctx, drop, work); err != nil {
			t.Fatalf("a failed change ended a session: %v", err)
		}

		if err := f.svc.ChangePassword(ctx, acc.ID, password, "new password 1", kept.ID); err != nil {
			t.Fatalf("ChangePassword: %v", err)
		}
		if _, _, err := f.svc.Authenticate(ctx, keep, home); err != nil {
			t.Errorf("kept session: %v", err)
		}
		if _, _, err := f.svc.Authenticate(ctx, drop, work); err == nil {
			t.Errorf("other session survived a password change")
		}
		f.lastMail(masthead.EmailPasswordChanged, "reader@example.com")
		f.signIn("reader@example.com", "new password 1", home)
		wantErr(t, "unknown account", f.svc.ChangePassword(ctx, 999, password, "new password 2", 0), masthead.ENOTFOUND, "")
	})
}

func TestEmailChange(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		acc := f.signUp("old@example.com")
		f.signUp("taken@example.com")

		tests := []struct {
			name, email, password, code, msg, field string
		}{
			{"wrong password", "new@example.com", "wrong password", masthead.EINVALID, masthead.Msg(masthead.MsgCurrentPasswordWrong), "password"},
			{"same address", "OLD@example.com", password, masthead.EINVALID, masthead.Msg(masthead.MsgEmailUnchanged), "email"},
			{"bad address", "nope", password, masthead.EINVALID, masthead.Msg(masthead.MsgEmailInvalid), "email"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := f.svc.RequestEmailChange(ctx, acc.ID, tt.email, tt.password)
				wantErr(t, tt.name, err, tt.code, tt.msg)
				if got := masthead.ErrorField(err); got != tt.field {
					t.Errorf("field = %q, want %q", got, tt.field)
				}
			})
		}

		// An address that has an account is answered as any other, and
		// gets no confirmation link.
		if err := f.svc.RequestEmailChange(ctx, acc.ID, "Taken@Example.com", password); err != nil {
			t.Errorf("RequestEmailChange to a taken address: %v, want the same answer as for a free one", err)
		}
		for _, m := range f.outbox() {
			if m.Kind == masthead.EmailChangeConfirm && masthead.EmailKey(m.To) == "taken@example.com" {
				t.Errorf("a confirmation link went to the address of another account")
			}
		}

		if err := f.svc.RequestEmailChange(ctx, acc.ID, "New@Example.com", password); err != nil {
			t.Fatalf("RequestEmailChange: %v", err)
		}
		token := f.lastMail(masthead.EmailChangeConfirm, "New@example.com").Data["token"]
		notice := f.lastMail(masthead.EmailChangeNotice, "old@example.com")
		if got := notice.Data["new_email"]; got != "New@example.com" {
			t.Errorf("notice new_email = %q, want New@example.com", got)
		}
		// Nothing changes until the new address confirms.
		f.signIn("old@example.com", password, home)

		f.advance(time.Hour)
		got, err := f.svc.ConfirmEmailChange(ctx, token)
		if err != nil {
			t.Fatalf("ConfirmEmailChange: %v", err)
		}
		if got.Email != "New@example.com" || !got.EmailVerifiedAt.Equal(clk.Now()) {
			t.Errorf("after confirming: email %q verified %v; want New@example.com verified %v", got.Email, got.EmailVerifiedAt, clk.Now())
		}
		f.signIn("new@example.com", password, home)
		_, _, err = f.svc.SignIn(ctx, "old@example.com", password, home)
		wantErr(t, "sign in with the old address", err, masthead.EUNAUTHORIZED, "")
		_, err = f.svc.ConfirmEmailChange(ctx, token)
		wantErr(t, "confirm twice", err, masthead.EINVALID, masthead.Msg(masthead.MsgTokenInvalid))

		// A confirmation whose address was taken meanwhile fails and
		// can be retried later.
		if err := f.svc.RequestEmailChange(ctx, acc.ID, "race@example.com", password); err != nil {
			t.Fatalf("RequestEmailChange: %v", err)
		}
		token = f.lastMail(masthead.EmailChangeConfirm, "race@example.com").Data["token"]
		f.signUp("race@example.com")
		_, err = f.svc.ConfirmEmailChange(ctx, token)
		wantErr(t, "confirm a taken address", err, masthead.ECONFLICT, masthead.Msg(masthead.MsgEmailTaken))
	})
}

func TestSetProfile(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		anna := f.signUp("anna@example.com")
		rival := f.signUp("rival@example.com")

		got, err := f.svc.SetProfile(ctx, anna.ID, "  Anna Smith ", " Leeds ")
		if err != nil {
			t.Fatalf("SetProfile: %v", err)
		}
		if got.DisplayName != "Anna Smith" || got.About != "Leeds" || !got.DisplayNameChangedAt.Equal(epoch) {
			t.Errorf("SetProfile = %q, %q, %v; want Anna Smith, Leeds, %v", got.DisplayName, got.About, got.DisplayNameChangedAt, epoch)
		}

		tests := []struct {
			name, display, about, code, msg, field string
		}{
			{"same name, different case", "ANNA SMITH", "", masthead.ECONFLICT, masthead.Msg(masthead.MsgDisplayNameTaken), "display_name"},
			{"confusable name", "Anna Srnith", "", masthead.ECONFLICT, masthead.Msg(masthead.MsgDisplayNameTaken), "display_name"},
			{"reserved", "Admin", "", masthead.ECONFLICT, masthead.Msg(masthead.MsgDisplayNameReserved), "display_name"},
			{"site name", "masthead", "", masthead.ECONFLICT, masthead.Msg(masthead.MsgDisplayNameReserved), "display_name"},
			{"invalid name", "a", "", masthead.EINVALID, "", "display_name"},
			{"about too long", "Rival", strings.Repeat("x", 61), masthead.EINVALID, masthead.Msg(masthead.MsgAboutTooLong, 60), "about"},
			{"about with bidi override", "Rival", "Leeds\u202e", masthead.EINVALID, masthead.Msg(masthead.MsgAboutInvalid, "U+202E"), "about"},
			{"about with newline", "Rival", "a\nb", masthead.EINVALID, "", "about"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := f.svc.SetProfile(ctx, rival.ID, tt.display, tt.about)
				wantErr(t, tt.name, err, tt.code, tt.msg)
				if got := masthead.ErrorField(err); got != tt.field {
					t.Errorf("field = %q, want %q", got, tt.field)
				}
			})
		}
		// About alone, with no name yet.
		if got, err := f.svc.SetProfile(ctx, rival.ID, "", "Paris"); err != nil || got.About != "Paris" || got.DisplayName != "" {
			t.Errorf("SetProfile(about only) = %+v, %v; want About Paris and no name", got, err)
		}

		// One change per 14 days, saying when.
		f.advance(24 * time.Hour)
		_, err = f.svc.SetProfile(ctx, anna.ID, "Anna Jones", "")
		wantErr(t, "second change within 14 days", err, masthead.EFORBIDDEN, masthead.Msg(masthead.MsgNameChangeTooSoon, "15 March 2026"))
		if got := masthead.ErrorField(err); got != "display_name" {
			t.Errorf("field = %q, want display_name", got)
		}
		// The same name again only changes About.
		got, err = f.svc.SetProfile(ctx, anna.ID, "Anna Smith", "York")
		if err != nil || got.About != "York" || !got.DisplayNameChangedAt.Equal(epoch) {
			t.Errorf("SetProfile(same name) = %+v, %v; want About York, name changed at %v", got, err, epoch)
		}
		clk.Set(epoch.Add(14 * 24 * time.Hour))
		if _, err := f.svc.SetProfile(ctx, anna.ID, "Anna Jones", "York"); err != nil {
			t.Fatalf("change after 14 days: %v", err)
		}
		// The old name is free again.
		if _, err := f.svc.SetProfile(ctx, rival.ID, "anna smith", ""); err != nil {
			t.Errorf("taking a released name: %v", err)
		}

		history, err := f.svc.NameHistory(ctx, anna.ID)
		if err != nil {
			t.Fatalf("NameHistory: %v", err)
		}
		want := []masthead.NameChange{
			{Name: "Anna Smith", ChosenAt: epoch, ReplacedAt: epoch.Add(14 * 24 * time.Hour)},
			{Name: "Anna Jones", ChosenAt: epoch.Add(14 * 24 * time.Hour)},
		}
		if fmt.Sprint(history) != fmt.Sprint(want) {
			t.Errorf("NameHistory = %v, want %v", history, want)
		}
		if _, err := f.svc.NameHistory(ctx, 999); masthead.ErrorCode(err) != masthead.ENOTFOUND {
			t.Errorf("NameHistory(unknown) = %v, want ENOTFOUND", err)
		}
	})
}

func TestConcurrentNameClaims(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		var ids []int64
		for i := range 6 {
			ids = append(ids, f.signUp(fmt.Sprintf("r%d@example.com", i)).ID)
		}
		var wg sync.WaitGroup
		var won, taken atomic.Int64
		for i, id := range ids {
			wg.Go(func() {
				_, err := f.svc.SetProfile(ctx, id, []string{"Sam Lee", "SAM LEE", "sam lee"}[i%3], "")
				switch masthead.ErrorCode(err) {
				case "":
					won.Add(1)
				case masthead.ECONFLICT:
					taken.Add(1)
				default:
					t.Errorf("SetProfile: %v", err)
				}
			})
		}
		wg.Wait()
		if won.Load() != 1 || taken.Load() != 5 {
			t.Errorf("claims won, refused = %d, %d; want 1, 5", won.Load(), taken.Load())
		}
	})
}

func TestReplyEmailsAndFind(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		acc := f.signUp("reader@example.com")
		if err := f.svc.SetReplyEmails(ctx, acc.ID, false); err != nil {
			t.Fatalf("SetReplyEmails: %v", err)
		}
		got, err := f.svc.FindAccountByID(ctx, acc.ID)
		if err != nil || got.ReplyEmails {
			t.Errorf("FindAccountByID = %+v, %v; want reply emails off", got, err)
		}
		wantErr(t, "SetReplyEmails(unknown)", f.svc.SetReplyEmails(ctx, 999, true), masthead.ENOTFOUND, "")
		_, err = f.svc.FindAccountByID(ctx, 999)
		wantErr(t, "FindAccountByID(unknown)", err, masthead.ENOTFOUND, masthead.Msg(masthead.MsgAccountNotFound))
	})
}

func TestCreateStaff(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		_, err := f.svc.CreateStaff(ctx, "boss@example.com", password, "overlord")
		wantErr(t, "bad role", err, masthead.EINVALID, masthead.Msg(masthead.MsgRoleInvalid, "overlord"))

		boss, err := f.svc.CreateStaff(ctx, "Boss@Example.com", password, masthead.RoleAdmin)
		if err != nil {
			t.Fatalf("CreateStaff: %v", err)
		}
		if boss.Role != masthead.RoleAdmin || !boss.EmailVerified() || boss.Email != "Boss@example.com" {
			t.Errorf("CreateStaff = %+v, want a verified admin", boss)
		}
		// Promoting an existing subscriber sets role and password and
		// ends their sessions.
		reader := f.signUp("reader@example.com")
		_, token := f.signIn("reader@example.com", password, home)
		f.advance(time.Hour)
		ed, err := f.svc.CreateStaff(ctx, "READER@example.com", "editor password", masthead.RoleEditor)
		if err != nil {
			t.Fatalf("CreateStaff(existing): %v", err)
		}
		if ed.ID != reader.ID || ed.Role != masthead.RoleEditor || !ed.EmailVerifiedAt.Equal(reader.EmailVerifiedAt) {
			t.Errorf("promoted = %+v, want account %d as editor, verified at %v", ed, reader.ID, reader.EmailVerifiedAt)
		}
		if _, _, err := f.svc.Authenticate(ctx, token, home); err == nil {
			t.Errorf("session survived promotion with a new password")
		}
		f.signIn("reader@example.com", "editor password", home)
	})
}

func TestExportAccount(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		acc := f.signUp("reader@example.com")
		if _, err := f.svc.SetProfile(ctx, acc.ID, "Reader One", "Leeds"); err != nil {
			t.Fatalf("SetProfile: %v", err)
		}
		_, token := f.signIn("reader@example.com", password, home)

		exp, err := f.svc.ExportAccount(ctx, acc.ID)
		if err != nil {
			t.Fatalf("ExportAccount: %v", err)
		}
		want := masthead.AccountExport{
			Account: masthead.ExportedAccount{
				Email: "reader@example.com", EmailVerifiedAt: epoch, Role: masthead.RoleSubscriber,
				DisplayName: "Reader One", DisplayNameChangedAt: epoch, About: "Leeds", ReplyEmails: true, CreatedAt: epoch,
			},
			NameHistory: []masthead.NameChange{{Name: "Reader One", ChosenAt: epoch}},
			Sessions:    []masthead.ExportedSession{{CreatedAt: epoch, LastSeenAt: epoch, UserAgent: home.UserAgent, IPPrefix: "203.0.113.0/24"}},
		}
		gotJSON, _ := json.Marshal(exp)
		wantJSON, _ := json.Marshal(want)
		if string(gotJSON) != string(wantJSON) {
			t.Errorf("ExportAccount =\n%s\nwant\n%s", gotJSON, wantJSON)
		}
		if strings.Contains(string(gotJSON), "fake:") || strings.Contains(string(gotJSON), token) {
			t.Errorf("export contains a password hash or token: %s", gotJSON)
		}
	})
}

func TestDeletion(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		const secret = "unguessable password 42"
		acc := f.signUp("leaver@example.com")
		keeper := f.signUp("keeper@example.com")
		for _, a := range []struct {
			id          int64
			name, about string
		}{{acc.ID, "Zelda Quux", "Ystad"}, {keeper.ID, "Keeper Kim", "Oslo"}} {
			if _, err := f.svc.SetProfile(ctx, a.id, a.name, a.about); err != nil {
				t.Fatalf("SetProfile: %v", err)
			}
		}
		// A name change leaves history; an email change leaves an old
		// address in the outbox.
		f.advance(15 * 24 * time.Hour)
		if _, err := f.svc.SetProfile(ctx, acc.ID, "Zelda Quuxley", "Ystad"); err != nil {
			t.Fatalf("SetProfile: %v", err)
		}
		if err := f.svc.ChangePassword(ctx, acc.ID, password, secret, 0); err != nil {
			t.Fatalf("ChangePassword: %v", err)
		}
		if err := f.svc.RequestEmailChange(ctx, acc.ID, "leaver2@example.com", secret); err != nil {
			t.Fatalf("RequestEmailChange: %v", err)
		}
		if _, err := f.svc.ConfirmEmailChange(ctx, f.lastMail(masthead.EmailChangeConfirm, "leaver2@example.com").Data["token"]); err != nil {
			t.Fatalf("ConfirmEmailChange: %v", err)
		}
		f.svc.SignIn(ctx, "leaver2@example.com", "wrong password", home) // a rate event
		if err := f.svc.RequestPasswordReset(ctx, "leaver2@example.com", home); err != nil {
			t.Fatalf("RequestPasswordReset: %v", err)
		}
		_, token := f.signIn("leaver2@example.com", secret, home)
		// Meter reads and gift links, of both accounts.
		story := save(t, sqldb.NewStoryService(db), newStory("gifted", epoch.Add(-time.Hour), func(s *masthead.Story) {
			s.Access = masthead.AccessMetered
		}))
		start, end := masthead.CalendarMonth(clk.Now(), time.UTC)
		for _, id := range []int64{acc.ID, keeper.ID} {
			if _, ok, err := sqldb.NewMeterService(db).ReadMetered(ctx, id, story.ID, start, end, 10); err != nil || !ok {
				t.Fatalf("ReadMetered = %v, %v", ok, err)
			}
			if _, err := sqldb.NewGiftService(db).CreateGiftLink(ctx, id, story.Slug, 5, start, end, 0); err != nil {
				t.Fatalf("CreateGiftLink: %v", err)
			}
		}

		// A wrong password changes nothing.
		if err := f.svc.RequestDeletion(ctx, acc.ID, "not my password", true); masthead.ErrorField(err) != "password" {
			t.Errorf("RequestDeletion with a wrong password: %v, want an error about the password", err)
		}
		if got, _ := f.svc.FindAccountByID(ctx, acc.ID); !got.DeletionDueAt.IsZero() {
			t.Errorf("a wrong password scheduled the deletion for %v", got.DeletionDueAt)
		}

		// Requesting ends every session and queues a confirmation.
		if err := f.svc.RequestDeletion(ctx, acc.ID, secret, true); err != nil {
			t.Fatalf("RequestDeletion: %v", err)
		}
		if _, _, err := f.svc.Authenticate(ctx, token, home); err == nil {
			t.Errorf("session survived RequestDeletion")
		}
		due := clk.Now().Add(24 * time.Hour)
		if got := f.lastMail(masthead.EmailDeletionScheduled, "leaver2@example.com").Data["due"]; got != due.Format(time.RFC3339) {
			t.Errorf("due in email = %q, want %q", got, due.Format(time.RFC3339))
		}
		got, _ := f.svc.FindAccountByID(ctx, acc.ID)
		if !got.DeletionDueAt.Equal(due) || !got.DeleteComments {
			t.Errorf("pending deletion = %v, %v; want %v, true", got.DeletionDueAt, got.DeleteComments, due)
		}

		// Signing in before it is due cancels it.
		f.advance(23 * time.Hour)
		signedIn, _ := f.signIn("leaver2@example.com", secret, home)
		if !signedIn.DeletionDueAt.Equal(due) {
			t.Errorf("SignIn DeletionDueAt = %v, want the cancelled date %v", signedIn.DeletionDueAt, due)
		}
		f.advance(2 * time.Hour)
		if n, err := f.svc.PurgeDueDeletions(ctx); err != nil || n != 0 {
			t.Fatalf("PurgeDueDeletions after cancelling = %d, %v; want 0, nil", n, err)
		}
		got, _ = f.svc.FindAccountByID(ctx, acc.ID)
		if !got.DeletionDueAt.IsZero() {
			t.Errorf("DeletionDueAt after sign-in = %v, want zero", got.DeletionDueAt)
		}

		// Asked again and left alone, it happens.
		if err := f.svc.RequestDeletion(ctx, acc.ID, secret, false); err != nil {
			t.Fatalf("RequestDeletion: %v", err)
		}
		f.advance(24*time.Hour - time.Second)
		if n, err := f.svc.PurgeDueDeletions(ctx); err != nil || n != 0 {
			t.Fatalf("PurgeDueDeletions before due = %d, %v; want 0, nil", n, err)
		}
		f.advance(time.Second)
		if n, err := f.svc.PurgeDueDeletions(ctx); err != nil || n != 1 {
			t.Fatalf("PurgeDueDeletions = %d, %v; want 1, nil", n, err)
		}
		_, err := f.svc.FindAccountByID(ctx, acc.ID)
		wantErr(t, "FindAccountByID after deletion", err, masthead.ENOTFOUND, "")
		_, _, err = f.svc.SignIn(ctx, "leaver2@example.com", secret, other)
		wantErr(t, "SignIn after deletion", err, masthead.EUNAUTHORIZED, "")

		for _, s := range []string{"leaver@example.com", "leaver2@example.com", "Zelda", "Quux", "zelda", "Ystad", secret} {
			assertNotStored(t, db, s)
		}
		var nonNull int
		pool(t, db).QueryRow(`SELECT COUNT(*) FROM accounts WHERE id = $1 AND
	(email IS NOT NULL OR email_key IS NOT NULL OR password_hash IS NOT NULL OR display_name IS NOT NULL
	 OR display_name_key IS NOT NULL OR deleted_at IS NULL)`, acc.ID).Scan(&nonNull)
		if nonNull != 0 {
			t.Errorf("the tombstone keeps personal data")
		}
		for _, table := range []string{"sessions", "tokens", "display_name_history", "outbox", "meter_reads", "gift_links"} {
			col := "account_id"
			if table == "gift_links" {
				col = "giver_id"
			}
			var n, kept int
			pool(t, db).QueryRow(`SELECT COUNT(*) FROM `+table+` WHERE `+col+` = $1`, acc.ID).Scan(&n)
			if n != 0 {
				t.Errorf("%s has %d rows of the deleted account", table, n)
			}
			if table == "meter_reads" || table == "gift_links" {
				pool(t, db).QueryRow(`SELECT COUNT(*) FROM `+table+` WHERE `+col+` = $1`, keeper.ID).Scan(&kept)
				if kept != 1 {
					t.Errorf("%s has %d rows of the other account, want 1", table, kept)
				}
			}
		}
		// The other account is untouched; the deleted one's name is free.
		if got, err := f.svc.FindAccountByID(ctx, keeper.ID); err != nil || got.DisplayName != "Keeper Kim" {
			t.Errorf("other account = %+v, %v", got, err)
		}
		f.signIn("keeper@example.com", password, home)
		// The address can sign up again as a new account.
		if err := f.svc.SignUp(ctx, "leaver2@example.com", password, other); err != nil {
			t.Fatalf("SignUp again: %v", err)
		}
		f.lastMail(masthead.EmailVerify, "leaver2@example.com")
	})
}

// assertNotStored fails if s appears in any text or binary value of any
// table of the database but those skipped.
func assertNotStored(t *testing.T, db *sqldb.DB, s string, skip ...string) {
	t.Helper()
	p := pool(t, db)
	q := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if db.Dialect() == sqldb.DialectPostgres {
		q = `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`
	}
	rows, err := p.Query(q)
	if err != nil {
		t.Fatalf("list tables: %v", err)
	}
	var tables []string
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	if len(tables) < 10 {
		t.Fatalf("found only tables %v", tables)
	}
	needle := strings.ToLower(s)
	for _, table := range tables {
		if slices.Contains(skip, table) {
			continue
		}
		rows, err := p.Query(`SELECT * FROM ` + table)
		if err != nil {
			t.Fatalf("read %s: %v", table, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("scan %s: %v", table, err)
			}
			for i, v := range vals {
				var text string
				switch v := v.(type) {
				case []byte:
					text = string(v)
				case string:
					text = v
				default:
					text = fmt.Sprint(v)
				}
				if strings.Contains(strings.ToLower(text), needle) {
					t.Errorf("%q is stored in %s.%s: %q", s, table, cols[i], text)
				}
			}
		}
		rows.Close()
	}
}

func TestAccountSettings(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		// Only one setting given; the rest fall back to the defaults.
		svc := sqldb.NewAccountService(db, &fakeHasher{}, masthead.AccountSettings{SignUpsPerIP: 2, SiteName: "The Daily Bugle"})
		for i := range 2 {
			if err := svc.SignUp(ctx, fmt.Sprintf("s%d@example.com", i), password, home); err != nil {
				t.Fatalf("SignUp %d: %v", i+1, err)
			}
		}
		wantErr(t, "3rd sign-up", svc.SignUp(ctx, "s2@example.com", password, home), masthead.ERATELIMIT, "")
		clk.Set(epoch.Add(30 * time.Minute)) // the default window
		if err := svc.SignUp(ctx, "s2@example.com", password, home); err != nil {
			t.Errorf("SignUp after the default window: %v", err)
		}
		acc, tok, err := svc.SignIn(ctx, "s0@example.com", password, home)
		if err != nil {
			t.Fatalf("SignIn: %v", err)
		}
		_, s, _ := svc.Authenticate(ctx, tok, home)
		if want := clk.Now().Add(masthead.ReaderSessionLifetime); !s.ExpiresAt.Equal(want) {
			t.Errorf("ExpiresAt = %v, want the default lifetime, %v", s.ExpiresAt, want)
		}
		_, err = svc.SetProfile(ctx, acc.ID, "the daily bugle", "")
		wantErr(t, "site name as display name", err, masthead.ECONFLICT, masthead.Msg(masthead.MsgDisplayNameReserved))
	})
}
