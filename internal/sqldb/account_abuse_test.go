package sqldb_test

import (
	"context"
	"strings"
	"testing"

	"masthead"
	pwhash "masthead/internal/password"
	"masthead/internal/sqldb"
)

// An attacker who learnt the password asks for the account's address to
// move to theirs; the owner, warned by the notice, resets (or changes) the
// password. The attacker's pending confirmation link must stop working,
// or they get the account back by confirming and then resetting.
func TestPasswordRecoveryKillsPendingEmailChange(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		for _, recover := range []string{"reset", "change"} {
			t.Run(recover, func(t *testing.T) {
				f := newAccounts(t, db, clk)
				victim := "victim-" + recover + "@example.com"
				attacker := "attacker-" + recover + "@evil.example"
				acc := f.signUp(victim)
				if err := f.svc.RequestEmailChange(ctx, acc.ID, attacker, password); err != nil {
					t.Fatalf("RequestEmailChange: %v", err)
				}
				stolen := f.lastMail(masthead.EmailChangeConfirm, attacker).Data["token"]

				switch recover {
				case "reset":
					if err := f.svc.RequestPasswordReset(ctx, victim, home); err != nil {
						t.Fatalf("RequestPasswordReset: %v", err)
					}
					tok := f.lastMail(masthead.EmailPasswordReset, victim).Data["token"]
					if _, _, err := f.svc.ResetPassword(ctx, tok, "a brand new secret", home); err != nil {
						t.Fatalf("ResetPassword: %v", err)
					}
				case "change":
					_, tok := f.signIn(victim, password, home)
					_, sess, err := f.svc.Authenticate(ctx, tok, home)
					if err != nil {
						t.Fatalf("Authenticate: %v", err)
					}
					if err := f.svc.ChangePassword(ctx, acc.ID, password, "a brand new secret", sess.ID); err != nil {
						t.Fatalf("ChangePassword: %v", err)
					}
				}

				if got, err := f.svc.ConfirmEmailChange(ctx, stolen); err == nil {
					t.Errorf("after the password %s, the attacker's email-change link still moved the account to %q", recover, got.Email)
				}
			})
		}
	})
}

// Email-change requests: a signed-in reader (knowing only their own
// password) can learn whether any address has an account, and send any
// number of confirmation emails, because a correct password gives its
// rate-limit reservation back.
func TestEmailChangeEnumerationAndFlood(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		acc := f.signUp("prober@example.com")
		f.signUp("someone@example.com")

		taken := f.svc.RequestEmailChange(ctx, acc.ID, "someone@example.com", password)
		free := f.svc.RequestEmailChange(ctx, acc.ID, "nobody@example.com", password)
		if masthead.ErrorCode(taken) != masthead.ErrorCode(free) {
			t.Errorf("email change answers differ for a registered (%v) and an unknown (%v) address", taken, free)
		}

		limited := false
		for i := range 30 {
			err := f.svc.RequestEmailChange(ctx, acc.ID, "target@example.com", password)
			if masthead.ErrorCode(err) == masthead.ERATELIMIT {
				limited = true
				break
			} else if err != nil {
				t.Fatalf("request %d: %v", i, err)
			}
		}
		if !limited {
			t.Errorf("30 email-change confirmations to one outside address were queued without any rate limit")
		}
	})
}

// A password longer than any account can have (MaxPasswordLen) cannot be
// right; checking it still costs a full hash, and with the real hasher
// NFKC-normalising up to a MiB of text first, outside its concurrency
// bound (a MiB of U+FDFA becomes 11 MB and takes about 0.3 s of CPU).
func TestOverlongPasswordNotHashed(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		acc := f.signUp("long@example.com")
		huge := strings.Repeat("\uFDFA", (1<<20)/3)
		before := f.hasher.verifies.Load()
		_, _, err := f.svc.SignIn(ctx, "long@example.com", huge, clientN(900))
		wantErr(t, "sign in", err, masthead.EUNAUTHORIZED, "")
		err = f.svc.RequestDeletion(ctx, acc.ID, huge, false)
		if err == nil {
			t.Fatalf("RequestDeletion with a wrong password succeeded")
		}
		if n := f.hasher.verifies.Load() - before; n != 0 {
			t.Errorf("%d password hashes computed for passwords of %d bytes, over MaxPasswordLen", n, len(huge))
		}
	})
}

// The common-password list is checked on the password as typed, but the
// hasher NFKC-normalises it: full-width "ｐａｓｓｗｏｒｄ" is accepted as a
// new password, and then "password", the second most common one, signs in.
func TestCommonPasswordViaCompatibilityForm(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		h := pwhash.New(pwhash.Options{Memory: 64, Time: 1})
		svc := sqldb.NewAccountService(db, h, masthead.AccountSettings{})
		err := svc.SignUp(ctx, "fw@example.com", "\uFF50\uFF41\uFF53\uFF53\uFF57\uFF4F\uFF52\uFF44", clientN(901))
		if err == nil {
			if _, _, err := svc.SignIn(ctx, "fw@example.com", "password", clientN(902)); err == nil {
				t.Errorf("an account whose password was accepted as uncommon signs in with \"password\"")
			}
		}
	})
}

// Addresses are keyed with strings.ToLower, which folds U+212A KELVIN SIGN
// to an ASCII k. Whoever signs up first as "\u212Aelly@..." owns the key
// of "kelly@..." while every email (sign-up notice, reset link) goes to
// the Kelvin address: the real owner can neither sign up nor reset.
func TestEmailKeyFoldsToASCII(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		if err := f.svc.SignUp(ctx, "\u212Aelly@example.com", password, clientN(903)); err != nil {
			t.Fatalf("SignUp with a Kelvin sign: %v", err)
		}
		if err := f.svc.SignUp(ctx, "kelly@example.com", password, clientN(904)); err != nil {
			t.Fatalf("SignUp: %v", err)
		}
		if err := f.svc.RequestPasswordReset(ctx, "kelly@example.com", clientN(905)); err != nil {
			t.Fatalf("RequestPasswordReset: %v", err)
		}
		got := false
		for _, m := range f.outbox() {
			if m.To == "kelly@example.com" && (m.Kind == masthead.EmailVerify || m.Kind == masthead.EmailPasswordReset) {
				got = true
			}
		}
		if !got {
			t.Errorf("kelly@example.com got neither a verification nor a reset link: the Kelvin-sign account holds the address (outbox %v)", f.outbox())
		}
	})
}

// A reset link works once, however many requests race to use it.
func TestResetTokenSingleUseUnderRace(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		f.signUp("race-reset@example.com")
		if err := f.svc.RequestPasswordReset(ctx, "race-reset@example.com", home); err != nil {
			t.Fatalf("RequestPasswordReset: %v", err)
		}
		tok := f.lastMail(masthead.EmailPasswordReset, "race-reset@example.com").Data["token"]
		const n = 8
		errs := make(chan error, n)
		for i := range n {
			go func() {
				_, _, err := f.svc.ResetPassword(ctx, tok, "new password "+strings.Repeat("x", i), clientN(950+i))
				errs <- err
			}()
		}
		ok := 0
		for range n {
			if err := <-errs; err == nil {
				ok++
			} else if masthead.ErrorCode(err) != masthead.EINVALID {
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d of %d concurrent resets with one token succeeded, want 1", ok, n)
		}
	})
}

// Sign-ups with an address that has an account, from ever-new IPs, tell
// its owner no more often than reset emails would.
func TestSignUpNoticesLimitedPerAddress(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		f.signUp("flooded@example.com")
		for i := range 20 {
			if err := f.svc.SignUp(ctx, "flooded@example.com", password, clientN(700+i)); err != nil {
				t.Fatalf("sign-up %d: %v (the answer must not change)", i, err)
			}
		}
		n := 0
		for _, m := range f.outbox() {
			if m.Kind == masthead.EmailSignUpExisting && m.To == "flooded@example.com" {
				n++
			}
		}
		if want := masthead.DefaultAccountSettings().ResetEmailsPerAddress; n != want {
			t.Errorf("%d sign-up notices queued, want %d", n, want)
		}
	})
}
