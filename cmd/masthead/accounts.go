package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"time"

	"masthead"
	"masthead/internal/password"
	"masthead/internal/sqldb"
)

// accountFlags are the account limits of masthead serve: every rate, size
// and window is a setting whose default is the product's number.
type accountFlags struct {
	settings        masthead.AccountSettings
	hashConcurrency int
	trustedProxies  string
	purgeEvery      time.Duration
	parsedProxies   []netip.Prefix
}

// addAccountFlags defines the account settings in f.
func addAccountFlags(f *flags, c *accountFlags) {
	d := masthead.DefaultAccountSettings()
	s := &c.settings
	ints := []intSetting{
		{&s.SignInFailuresPerAccount, "signin-failures-per-account", "MASTHEAD_SIGNIN_FAILURES_PER_ACCOUNT", d.SignInFailuresPerAccount, "failed sign-ins allowed per account per --signin-failures-window"},
		{&s.SignInFailuresPerIP, "signin-failures-per-ip", "MASTHEAD_SIGNIN_FAILURES_PER_IP", d.SignInFailuresPerIP, "failed sign-ins allowed per IP per --signin-failures-ip-window"},
		{&s.SignUpsPerIP, "signups-per-ip", "MASTHEAD_SIGNUPS_PER_IP", d.SignUpsPerIP, "sign-ups allowed per IP per --signups-window"},
		{&s.ResetEmailsPerAddress, "reset-emails-per-address", "MASTHEAD_RESET_EMAILS_PER_ADDRESS", d.ResetEmailsPerAddress, "password-reset emails per address per --reset-emails-window"},
		{&c.hashConcurrency, "password-hash-concurrency", "MASTHEAD_PASSWORD_HASH_CONCURRENCY", 2, "password hashes computed at once (each takes 19 MiB)"},
	}
	durations := []durationSetting{
		{&s.SignInFailuresWindow, "signin-failures-window", "MASTHEAD_SIGNIN_FAILURES_WINDOW", d.SignInFailuresWindow, "window of the per-account sign-in limit"},
		{&s.SignInFailuresIPWindow, "signin-failures-ip-window", "MASTHEAD_SIGNIN_FAILURES_IP_WINDOW", d.SignInFailuresIPWindow, "window of the per-IP sign-in limit"},
		{&s.SignUpsWindow, "signups-window", "MASTHEAD_SIGNUPS_WINDOW", d.SignUpsWindow, "window of the sign-up limit"},
		{&s.ResetEmailsWindow, "reset-emails-window", "MASTHEAD_RESET_EMAILS_WINDOW", d.ResetEmailsWindow, "window of the reset-email limit"},
		{&s.ResetTokenLifetime, "reset-link-lifetime", "MASTHEAD_RESET_LINK_LIFETIME", d.ResetTokenLifetime, "how long a password-reset link works"},
		{&s.VerifyTokenLifetime, "verify-link-lifetime", "MASTHEAD_VERIFY_LINK_LIFETIME", d.VerifyTokenLifetime, "how long an email-verification link works"},
		{&s.DisplayNameChangeInterval, "name-change-interval", "MASTHEAD_NAME_CHANGE_INTERVAL", d.DisplayNameChangeInterval, "how often a reader may change their display name"},
		{&s.DeletionDelay, "deletion-delay", "MASTHEAD_DELETION_DELAY", d.DeletionDelay, "how long after a request an account is deleted (signing in cancels it)"},
		{&c.purgeEvery, "deletion-check-interval", "MASTHEAD_DELETION_CHECK_INTERVAL", 5 * time.Minute, "how often due account deletions are carried out"},
	}
	f.settings(ints, durations)
	f.StringVar(&c.trustedProxies, "trusted-proxies", "", "comma-separated networks (CIDR) of reverse proxies whose X-Forwarded-For is believed, e.g. 10.0.0.0/8")
	f.bindEnv("trusted-proxies", "MASTHEAD_TRUSTED_PROXIES")
}

// validate checks the account settings and parses the proxies.
func (c *accountFlags) validate() error {
	s := c.settings
	for _, v := range []struct {
		name string
		n    int
	}{
		{"signin-failures-per-account", s.SignInFailuresPerAccount}, {"signin-failures-per-ip", s.SignInFailuresPerIP},
		{"signups-per-ip", s.SignUpsPerIP}, {"reset-emails-per-address", s.ResetEmailsPerAddress},
		{"password-hash-concurrency", c.hashConcurrency},
	} {
		if v.n < 1 {
			return fmt.Errorf("--%s must be at least 1, not %d", v.name, v.n)
		}
	}
	for _, v := range []struct {
		name string
		d    time.Duration
	}{
		{"signin-failures-window", s.SignInFailuresWindow}, {"signin-failures-ip-window", s.SignInFailuresIPWindow},
		{"signups-window", s.SignUpsWindow}, {"reset-emails-window", s.ResetEmailsWindow},
		{"reset-link-lifetime", s.ResetTokenLifetime}, {"verify-link-lifetime", s.VerifyTokenLifetime},
		{"deletion-check-interval", c.purgeEvery},
	} {
		if v.d <= 0 {
			return fmt.Errorf("--%s must be positive, not %v", v.name, v.d)
		}
	}
	if s.DisplayNameChangeInterval < 0 || s.DeletionDelay < 0 {
		return fmt.Errorf("--name-change-interval and --deletion-delay cannot be negative")
	}
	c.parsedProxies = nil
	for _, p := range strings.Split(c.trustedProxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			return fmt.Errorf("--trusted-proxies: %q is not a network such as 10.0.0.0/8", p)
		}
		c.parsedProxies = append(c.parsedProxies, prefix.Masked())
	}
	return nil
}

// newAccountService returns the account service with the real password
// hasher. Zero settings fall back to the defaults.
func newAccountService(db *sqldb.DB, settings masthead.AccountSettings, hashConcurrency int) *sqldb.AccountService {
	return sqldb.NewAccountService(db, password.New(password.Options{Concurrency: hashConcurrency}), settings)
}

// purgeDeletions carries out due account deletions every interval until
// ctx ends.
func purgeDeletions(ctx context.Context, accounts masthead.AccountService, every time.Duration, logger *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := accounts.PurgeDueDeletions(ctx)
		if err != nil && ctx.Err() == nil {
			logger.Error("carrying out account deletions", "err", err)
		} else if n > 0 {
			logger.Info("accounts deleted as requested", "accounts", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
