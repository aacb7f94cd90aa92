package sqldb_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"masthead"
	"masthead/internal/sqldb"
)

// twoFactorFixture is an account with two-factor sign-in on.
type twoFactorFixture struct {
	*accountsFixture
	tf       *sqldb.TwoFactorService
	acc      *masthead.Account
	secret   string
	recovery []string
}

// newTwoFactor creates email with the test password and turns two-factor
// sign-in on for it; the step of the code used to turn it on is spent, so
// the clock moves on one step.
func newTwoFactor(t *testing.T, db *sqldb.DB, clk *fakeClock, email string) *twoFactorFixture {
	t.Helper()
	f := &twoFactorFixture{accountsFixture: newAccounts(t, db, clk)}
	f.tf = sqldb.NewTwoFactorService(db, f.svc)
	ctx := context.Background()
	acc, err := f.svc.CreateStaff(ctx, email, password, masthead.RoleAdmin)
	if err != nil {
		t.Fatalf("CreateStaff: %v", err)
	}
	f.acc = acc
	f.secret = masthead.NewTOTPSecret()
	if f.recovery, err = f.tf.EnableTwoFactor(ctx, acc.ID, masthead.GroupSecret(f.secret), f.code()); err != nil {
		t.Fatalf("EnableTwoFactor: %v", err)
	}
	f.advance(masthead.TOTPPeriod)
	return f
}

// code returns the app's current code.
func (f *twoFactorFixture) code() string {
	return masthead.TOTPCode(f.secret, masthead.TOTPStep(f.clk.Now()))
}

// pending signs in with the password and returns the pending token.
func (f *twoFactorFixture) pending(c masthead.Client) string {
	f.t.Helper()
	_, _, err := f.svc.SignIn(context.Background(), f.acc.Email, password, c)
	tok, ok := masthead.PendingSignIn(err)
	if !ok {
		f.t.Fatalf("SignIn: got %v, want a pending sign-in", err)
	}
	return tok
}

func TestTwoFactorEnable(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := &twoFactorFixture{accountsFixture: newAccounts(t, db, clk)}
		f.tf = sqldb.NewTwoFactorService(db, f.svc)
		acc := f.signUp("reader@example.com")
		f.acc = acc
		f.secret = masthead.NewTOTPSecret()
		wrong := masthead.TOTPCode(f.secret, masthead.TOTPStep(clk.Now())+5)

		tests := []struct {
			name      string
			secret    string
			code      string
			wantCode  string
			wantField string
		}{
			{"bad secret", "NOTBASE32!", f.code(), masthead.EINVALID, "secret"},
			{"short secret", f.secret[:16], f.code(), masthead.EINVALID, "secret"},
			{"no code", f.secret, "", masthead.EINVALID, "code"},
			{"wrong code", f.secret, wrong, masthead.EINVALID, "code"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := f.tf.EnableTwoFactor(ctx, acc.ID, tt.secret, tt.code)
				if got := masthead.ErrorCode(err); got != tt.wantCode {
					t.Errorf("error code = %q, want %q (%v)", got, tt.wantCode, err)
				}
				if got := masthead.ErrorField(err); got != tt.wantField {
					t.Errorf("field = %q, want %q", got, tt.wantField)
				}
			})
		}
		st, err := f.tf.TwoFactorStatus(ctx, acc.ID)
		if err != nil || st.Enabled {
			t.Fatalf("status before = %+v, %v; want off", st, err)
		}

		codes, err := f.tf.EnableTwoFactor(ctx, acc.ID, f.secret, f.code())
		if err != nil {
			t.Fatalf("EnableTwoFactor: %v", err)
		}
		if got, want := len(codes), masthead.RecoveryCodeCount; got != want {
			t.Errorf("got %d recovery codes, want %d", got, want)
		}
		st, err = f.tf.TwoFactorStatus(ctx, acc.ID)
		if err != nil || !st.Enabled || st.RecoveryCodesLeft != masthead.RecoveryCodeCount || !st.EnabledAt.Equal(clk.Now()) {
			t.Errorf("status = %+v, %v; want on since now with %d codes", st, err, masthead.RecoveryCodeCount)
		}
		if _, err := f.tf.EnableTwoFactor(ctx, acc.ID, masthead.NewTOTPSecret(), f.code()); masthead.ErrorCode(err) != masthead.ECONFLICT {
			t.Errorf("enable again: got %v, want ECONFLICT", err)
		}
		got, err := f.svc.FindAccountByID(ctx, acc.ID)
		if err != nil || !got.TwoFactorEnabled {
			t.Errorf("FindAccountByID: TwoFactorEnabled = %v, %v; want true", got != nil && got.TwoFactorEnabled, err)
		}
	})
}

func TestTwoFactorSignIn(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newTwoFactor(t, db, clk, "admin@example.com")

		acc, session, err := f.svc.SignIn(ctx, f.acc.Email, password, home)
		pending, ok := masthead.PendingSignIn(err)
		if !ok || acc != nil || session != "" {
			t.Fatalf("SignIn = %v, %q, %v; want no session and a pending sign-in", acc, session, err)
		}
		if got, want := masthead.ErrorCode(err), masthead.ETWOFACTOR; got != want {
			t.Errorf("SignIn error code = %q, want %q", got, want)
		}
		if _, _, err := f.svc.Authenticate(ctx, pending, home); masthead.ErrorCode(err) != masthead.EUNAUTHORIZED {
			t.Errorf("Authenticate(pending token) = %v, want EUNAUTHORIZED", err)
		}
		if _, _, err := f.svc.SignIn(ctx, f.acc.Email, "wrong password", home); masthead.ErrorCode(err) != masthead.EUNAUTHORIZED {
			t.Errorf("SignIn with a wrong password = %v, want EUNAUTHORIZED", err)
		}

		// The code that turned two-factor on was of the step before; it
		// is still within the window but has been used.
		used := masthead.TOTPCode(f.secret, masthead.TOTPStep(clk.Now())-1)
		// Another token of the same shape: its first character changed.
		other := "x" + pending[1:]
		if pending[0] == 'x' {
			other = "y" + pending[1:]
		}
		for _, tt := range []struct {
			name, token, code, wantCode string
		}{
			{"replayed code", pending, used, masthead.EUNAUTHORIZED},
			{"wrong code", pending, "000000", masthead.EUNAUTHORIZED},
			{"no code", pending, " ", masthead.EINVALID},
			{"unknown token", other, f.code(), masthead.EINVALID},
			{"garbage token", "nope", f.code(), masthead.EINVALID},
		} {
			t.Run(tt.name, func(t *testing.T) {
				if tt.code == "000000" && f.code() == "000000" {
					t.Skip("the current code happens to be 000000")
				}
				_, err := f.tf.CompleteSignIn(ctx, tt.token, tt.code, home)
				if got := masthead.ErrorCode(err); got != tt.wantCode {
					t.Errorf("CompleteSignIn: error code %q, want %q (%v)", got, tt.wantCode, err)
				}
			})
		}

		res, err := f.tf.CompleteSignIn(ctx, pending, f.code(), home)
		if err != nil {
			t.Fatalf("CompleteSignIn: %v", err)
		}
		if res.RecoveryCodeUsed || res.Account.ID != f.acc.ID {
			t.Errorf("result = %+v", res)
		}
		a, _, err := f.svc.Authenticate(ctx, res.Session, home)
		if err != nil || a.ID != f.acc.ID || !a.TwoFactorEnabled {
			t.Fatalf("Authenticate(session) = %+v, %v", a, err)
		}
		if _, err := f.tf.CompleteSignIn(ctx, pending, f.code(), home); masthead.ErrorCode(err) != masthead.EINVALID {
			t.Errorf("pending token used twice: got %v, want EINVALID", err)
		}

		// The same code cannot finish a second sign-in: its step is spent.
		second := f.pending(home)
		if _, err := f.tf.CompleteSignIn(ctx, second, f.code(), home); masthead.ErrorCode(err) != masthead.EUNAUTHORIZED {
			t.Errorf("replayed code: got %v, want EUNAUTHORIZED", err)
		}
		f.advance(masthead.TOTPPeriod)
		if _, err := f.tf.CompleteSignIn(ctx, second, f.code(), home); err != nil {
			t.Errorf("next step's code: %v", err)
		}

		// A pending sign-in expires.
		late := f.pending(home)
		f.advance(masthead.DefaultAccountSettings().TwoFactorPendingLifetime + time.Second)
		if _, err := f.tf.CompleteSignIn(ctx, late, f.code(), home); masthead.ErrorCode(err) != masthead.EINVALID {
			t.Errorf("expired pending sign-in: got %v, want EINVALID", err)
		}
	})
}

func TestTwoFactorRecoveryCodes(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newTwoFactor(t, db, clk, "admin@example.com")
		code := f.recovery[3]

		res, err := f.tf.CompleteSignIn(ctx, f.pending(home), " "+code+" ", home)
		if err != nil {
			t.Fatalf("CompleteSignIn with a recovery code: %v", err)
		}
		if got, want := res.RecoveryCodesLeft, masthead.RecoveryCodeCount-1; !res.RecoveryCodeUsed || got != want {
			t.Errorf("result: used %v, left %d; want true, %d", res.RecoveryCodeUsed, got, want)
		}
		if _, err := f.tf.CompleteSignIn(ctx, f.pending(home), code, home); masthead.ErrorCode(err) != masthead.EUNAUTHORIZED {
			t.Errorf("recovery code used twice: got %v, want EUNAUTHORIZED", err)
		}

		// New codes replace the old ones.
		if _, err := f.tf.RegenerateRecoveryCodes(ctx, f.acc.ID, "000000"); masthead.ErrorField(err) != "code" && f.code() != "000000" {
			t.Errorf("regenerate with a wrong code: got %v, want a code error", err)
		}
		fresh, err := f.tf.RegenerateRecoveryCodes(ctx, f.acc.ID, f.code())
		if err != nil {
			t.Fatalf("RegenerateRecoveryCodes: %v", err)
		}
		if len(fresh) != masthead.RecoveryCodeCount {
			t.Errorf("got %d new codes, want %d", len(fresh), masthead.RecoveryCodeCount)
		}
		if _, err := f.tf.CompleteSignIn(ctx, f.pending(home), f.recovery[4], home); masthead.ErrorCode(err) != masthead.EUNAUTHORIZED {
			t.Errorf("old recovery code after regenerating: got %v, want EUNAUTHORIZED", err)
		}
		if _, err := f.tf.CompleteSignIn(ctx, f.pending(home), fresh[0], home); err != nil {
			t.Errorf("new recovery code: %v", err)
		}
	})
}

func TestTwoFactorRateLimit(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newTwoFactor(t, db, clk, "admin@example.com")
		pending := f.pending(home)
		wrong := masthead.TOTPCode(f.secret, masthead.TOTPStep(clk.Now())+7)
		limit := masthead.DefaultAccountSettings().TwoFactorFailuresPerAccount
		for i := range limit {
			// Each from its own address: the account's limit decides.
			if _, err := f.tf.CompleteSignIn(ctx, pending, wrong, clientN(i)); masthead.ErrorCode(err) != masthead.EUNAUTHORIZED {
				t.Fatalf("wrong code %d: got %v, want EUNAUTHORIZED", i+1, err)
			}
		}
		if _, err := f.tf.CompleteSignIn(ctx, pending, f.code(), clientN(99)); masthead.ErrorCode(err) != masthead.ERATELIMIT {
			t.Errorf("right code after %d wrong ones: got %v, want ERATELIMIT", limit, err)
		}
		f.advance(masthead.DefaultAccountSettings().TwoFactorFailuresWindow)
		if _, err := f.tf.CompleteSignIn(ctx, f.pending(home), f.code(), home); err != nil {
			t.Errorf("after the window: %v", err)
		}
	})
}

func TestTwoFactorDisable(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newTwoFactor(t, db, clk, "admin@example.com")
		wrong := masthead.TOTPCode(f.secret, masthead.TOTPStep(clk.Now())+9)
		for _, tt := range []struct {
			name, password, code, wantField string
		}{
			{"wrong password", "not the password", f.code(), "password"},
			{"wrong code", password, wrong, "code"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				err := f.tf.DisableTwoFactor(ctx, f.acc.ID, tt.password, tt.code)
				if got := masthead.ErrorField(err); got != tt.wantField {
					t.Errorf("DisableTwoFactor: field %q, want %q (%v)", got, tt.wantField, err)
				}
			})
		}
		if err := f.tf.DisableTwoFactor(ctx, f.acc.ID, password, f.code()); err != nil {
			t.Fatalf("DisableTwoFactor: %v", err)
		}
		if st, _ := f.tf.TwoFactorStatus(ctx, f.acc.ID); st.Enabled || st.RecoveryCodesLeft != 0 {
			t.Errorf("status after disabling = %+v", st)
		}
		if _, session, err := f.svc.SignIn(ctx, f.acc.Email, password, home); err != nil || session == "" {
			t.Errorf("SignIn after disabling = %q, %v; want a session", session, err)
		}
	})
}

func TestTwoFactorResetPassword(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newTwoFactor(t, db, clk, "admin@example.com")
		if err := f.svc.RequestPasswordReset(ctx, f.acc.Email, home); err != nil {
			t.Fatal(err)
		}
		token := f.lastMail(masthead.EmailPasswordReset, f.acc.Email).Data["token"]
		_, session, err := f.svc.ResetPassword(ctx, token, "a new long password", home)
		pending, ok := masthead.PendingSignIn(err)
		if !ok || session != "" {
			t.Fatalf("ResetPassword = %q, %v; want a pending sign-in and no session", session, err)
		}
		if _, err := f.tf.CompleteSignIn(ctx, pending, f.code(), home); err != nil {
			t.Errorf("CompleteSignIn after a reset: %v", err)
		}
	})
}

func TestTwoFactorReset(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newTwoFactor(t, db, clk, "editor@example.com")
		admin, err := f.svc.CreateStaff(ctx, "boss@example.com", password, masthead.RoleAdmin)
		if err != nil {
			t.Fatal(err)
		}
		pending := f.pending(home)
		for _, tt := range []struct {
			name     string
			actor    masthead.Actor
			wantCode string
		}{
			{"moderator", masthead.Actor{ID: 77, Role: masthead.RoleModerator}, masthead.EFORBIDDEN},
			{"editor", masthead.Actor{ID: 77, Role: masthead.RoleEditor}, masthead.EFORBIDDEN},
		} {
			t.Run(tt.name, func(t *testing.T) {
				if err := f.tf.ResetTwoFactor(ctx, tt.actor, f.acc.ID, ""); masthead.ErrorCode(err) != tt.wantCode {
					t.Errorf("ResetTwoFactor: got %v, want %s", err, tt.wantCode)
				}
			})
		}
		actor := masthead.Actor{ID: admin.ID, Role: masthead.RoleAdmin, IP: "192.0.2.1"}
		if err := f.tf.ResetTwoFactor(ctx, actor, f.acc.ID, "lost phone"); err != nil {
			t.Fatalf("ResetTwoFactor: %v", err)
		}
		if err := f.tf.ResetTwoFactor(ctx, actor, f.acc.ID, ""); masthead.ErrorCode(err) != masthead.ECONFLICT {
			t.Errorf("reset again: got %v, want ECONFLICT", err)
		}
		if _, err := f.tf.CompleteSignIn(ctx, pending, f.code(), home); masthead.ErrorCode(err) != masthead.EINVALID {
			t.Errorf("pending sign-in after a reset: got %v, want EINVALID", err)
		}
		if _, session, err := f.svc.SignIn(ctx, f.acc.Email, password, home); err != nil || session == "" {
			t.Errorf("SignIn after a reset = %q, %v; want a session", session, err)
		}
		entries, err := sqldb.NewAuditService(db).FindAuditEntries(ctx, masthead.AuditFilter{Action: masthead.AuditTwoFactorReset})
		if err != nil || len(entries) != 1 {
			t.Fatalf("audit entries = %d, %v; want 1", len(entries), err)
		}
		e := entries[0]
		if e.ActorID != admin.ID || e.TargetID != strconv.FormatInt(f.acc.ID, 10) || e.Reason != "lost phone" || e.IP != "192.0.2.1" ||
			e.Before != `{"two_factor":true}` || e.After != `{"two_factor":false}` {
			t.Errorf("audit entry = %+v", e)
		}
	})
}

func TestSeedTwoFactor(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := &twoFactorFixture{accountsFixture: newAccounts(t, db, clk)}
		f.tf = sqldb.NewTwoFactorService(db, f.svc)
		acc, err := f.svc.CreateStaff(ctx, "admin@example.com", password, masthead.RoleAdmin)
		if err != nil {
			t.Fatal(err)
		}
		f.acc, f.secret = acc, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
		if err := f.tf.SeedTwoFactor(ctx, acc.ID, f.secret); err != nil {
			t.Fatalf("SeedTwoFactor: %v", err)
		}
		if _, err := f.tf.CompleteSignIn(ctx, f.pending(home), f.code(), home); err != nil {
			t.Errorf("CompleteSignIn with the seeded secret: %v", err)
		}
	})
}

// Changing or resetting the password ends the sign-ins waiting for their
// second factor that the old password opened.
func TestPasswordChangeEndsPendingSignIns(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		const newPassword = "a new long password"
		tests := []struct {
			name   string
			email  string
			change func(t *testing.T, f *twoFactorFixture)
		}{
			{"change", "change@example.com", func(t *testing.T, f *twoFactorFixture) {
				if err := f.svc.ChangePassword(ctx, f.acc.ID, password, newPassword, 0); err != nil {
					t.Fatalf("ChangePassword: %v", err)
				}
			}},
			{"reset", "reset@example.com", func(t *testing.T, f *twoFactorFixture) {
				if err := f.svc.RequestPasswordReset(ctx, f.acc.Email, home); err != nil {
					t.Fatal(err)
				}
				token := f.lastMail(masthead.EmailPasswordReset, f.acc.Email).Data["token"]
				_, _, err := f.svc.ResetPassword(ctx, token, newPassword, home)
				pending, ok := masthead.PendingSignIn(err)
				if !ok {
					t.Fatalf("ResetPassword: %v; want a pending sign-in", err)
				}
				// The reset's own pending sign-in still completes.
				if _, err := f.tf.CompleteSignIn(ctx, pending, f.code(), home); err != nil {
					t.Fatalf("CompleteSignIn after the reset: %v", err)
				}
				f.advance(masthead.TOTPPeriod)
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := newTwoFactor(t, db, clk, tt.email)
				stolen := f.pending(clientN(66))
				tt.change(t, f)
				_, err := f.tf.CompleteSignIn(ctx, stolen, f.code(), clientN(66))
				if got, want := errCode(err), masthead.EINVALID; got != want {
					t.Errorf("CompleteSignIn with the old pending sign-in: got %q (%v), want %q", got, err, want)
				}
			})
		}
	})
}
