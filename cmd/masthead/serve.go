package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"masthead"
	"masthead/internal/billing"
	"masthead/internal/mail"
	"masthead/internal/markdown"
	"masthead/internal/sqldb"
	"masthead/internal/web"
)

// runServe is masthead serve.
func runServe(ctx context.Context, args []string, sio *stdio) int {
	var cfg serveConfig
	f := newServeFlags(&cfg)
	if status, ok := f.parseOrReport(args, sio); !ok {
		return status
	}
	if len(f.Args()) > 0 {
		fmt.Fprintf(sio.err, "masthead serve: unexpected arguments %q\n", f.Args())
		return exitUsage
	}
	if err := cfg.validate(); err != nil {
		fmt.Fprintf(sio.err, "masthead serve: %v\n", err)
		return exitUsage
	}
	logger, err := newLogger(sio.err, cfg.LogFormat, cfg.LogLevel)
	if err != nil {
		fmt.Fprintf(sio.err, "masthead serve: %v\n", err)
		return exitUsage
	}
	if err := serve(ctx, &cfg, logger); err != nil {
		logger.Error("masthead stopped", "err", err)
		return exitError
	}
	return exitOK
}

// serve runs the site until ctx ends or SIGINT or SIGTERM arrives, then
// shuts down gracefully.
func serve(ctx context.Context, cfg *serveConfig, logger *slog.Logger) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	loc, err := time.LoadLocation(cfg.TimeZone)
	if err != nil {
		return fmt.Errorf("serve: time zone: %w", err)
	}
	// One Markdown renderer for saving stories and the editor's preview.
	renderer := markdown.New()
	db, err := openDBWith(ctx, cfg.DatabaseURL, logger, renderer, cfg.SQLiteReadConns)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer func() {
		if err := db.Close(); err != nil {
			logger.Error("closing the database", "err", err)
		}
	}()
	if err := db.Migrate(ctx); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	stories := newStoryService(db)
	settings := cfg.accounts.settings
	settings.SiteName = cfg.SiteName
	accounts := newAccountService(db, settings, cfg.accounts.hashConcurrency)
	plans := sqldb.NewPlanService(db)
	subs := sqldb.NewSubscriptionService(db, cfg.GracePeriod)
	twoFactor := sqldb.NewTwoFactorService(db, accounts)
	if cfg.Demo {
		// Instances starting at once on one database seed it once: the
		// first does, the others find stories and leave it alone.
		seed := func() error {
			return seedDemo(ctx, demoServices{stories, accounts, plans, subs, sqldb.NewCommentService(db, cfg.comments.settings, loc), twoFactor}, time.Now(), logger)
		}
		if err := db.Exclusive(ctx, demoLockKey, seed); err != nil {
			return fmt.Errorf("serve: %w", err)
		}
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	for name, pool := range db.Pools() {
		if err := reg.Register(collectors.NewDBStatsCollector(pool, name)); err != nil {
			return fmt.Errorf("serve: metrics for pool %s: %w", name, err)
		}
	}

	// Listen before building the server so that port 0 works and the base
	// URL can name the real port.
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer ln.Close()
	baseURL := cfg.BaseURL
	if baseURL == "" {
		baseURL = baseURLFor(ln.Addr())
	}

	mailCfg := mail.Config{
		SMTPURL:  cfg.SMTPURL,
		From:     cfg.MailFrom,
		SiteName: cfg.SiteName,
		BaseURL:  baseURL,
		Locale:   masthead.Locale(cfg.Locale),
		TimeZone: loc,
		Logger:   logger,
		Now:      time.Now,
	}
	sender, err := mail.NewSender(mailCfg)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if cfg.SMTPURL == "" {
		logger.Warn("no mail server configured (--smtp-url or MASTHEAD_SMTP_URL): emails, with their links, are written to this log instead of being sent")
	}
	mailer := mail.NewWorker(mailCfg, sqldb.NewOutboxService(db), sender)
	accounts.OnQueued = mailer.Notify

	// Background work ends with the server: the mail worker finishes the
	// message in hand, the deletion loop its pass.
	bgCtx, stopBackground := context.WithCancel(context.WithoutCancel(ctx))
	var background sync.WaitGroup
	background.Go(func() {
		if err := mailer.Run(bgCtx); err != nil {
			logger.Error("mail worker stopped", "err", err)
		}
	})
	background.Go(func() { purgeDeletions(bgCtx, accounts, cfg.accounts.purgeEvery, logger) })
	defer func() {
		stopBackground()
		background.Wait()
	}()

	comments := sqldb.NewCommentService(db, cfg.comments.settings, loc)
	// One policy service for the write path and the pages, so a change
	// saved in /admin/settings applies at once on this instance.
	policy := sqldb.NewPolicyService(db, masthead.DefaultCommentPolicy(cfg.comments.settings))
	comments.Policy = policy
	users := sqldb.NewUserService(db)
	users.OnQueued = mailer.Notify
	moderation := sqldb.NewModerationService(db, comments, sqldb.ModerationSettings{})
	broker, err := startLive(bgCtx, &background, db, cfg.DatabaseURL, comments, reg, logger)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}

	var bill web.Billing
	if cfg.StripeSecretKey != "" {
		client, err := billing.New(billing.Config{
			SecretKey:     cfg.StripeSecretKey,
			WebhookSecret: cfg.StripeWebhookSecret,
			APIBase:       cfg.StripeAPIBase,
			BaseURL:       baseURL,
			Now:           time.Now,
		})
		if err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		bill = client
	} else {
		logger.Info("no Stripe keys (--stripe-secret-key, --stripe-webhook-secret): plans are granted by staff only")
	}

	site, err := web.NewServer(web.Config{
		SiteName: cfg.SiteName,
		BaseURL:  baseURL,
		Locale:   masthead.Locale(cfg.Locale),
		TimeZone: loc,
		Now:      time.Now,
		Logger:   logger,
		Stories:  stories,
		Ready:    db.Ready,
		Registry: reg,

		Accounts:        accounts,
		AccountSettings: settings,
		TrustedProxies:  cfg.accounts.parsedProxies,

		Plans:            plans,
		Subscriptions:    subs,
		Meter:            sqldb.NewMeterService(db),
		Gifts:            sqldb.NewGiftService(db),
		Secrets:          sqldb.NewSecretService(db),
		Billing:          bill,
		AnonymousMeter:   anonymousMeter(cfg.AnonymousMeter),
		GiftLinkLifetime: cfg.GiftLinkLifetime,

		Comments:        comments,
		CommentSettings: cfg.comments.settings,
		Notifications:   sqldb.NewNotificationService(db),
		Live:            brokerFeed{broker},
		LiveMaxPerIP:    cfg.live.maxPerIP,
		LiveMaxTotal:    cfg.live.maxTotal,
		LiveHeartbeat:   cfg.live.heartbeat,

		Policy:     policy,
		Moderation: moderation,
		Users:      users,
		Audit:      sqldb.NewAuditService(db),
		TwoFactor:  twoFactor,
		Staff:      sqldb.NewStaffService(db),
		Editor:     sqldb.NewEditorService(db, renderer),
		Renderer:   renderer,

		PageSize:      cfg.PageSize,
		MaxBodyBytes:  cfg.MaxBodyBytes,
		SectionsTTL:   cfg.SectionsTTL,
		StoryCacheTTL: cfg.StoryCacheTTL,
	})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	srv := &http.Server{
		Handler:           site.Handler(),
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    cfg.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}

	// Start-up (migrations, the demo's password hashes) grows the heap
	// beyond what serving needs; hand that back before taking traffic.
	if cfg.MemoryLimitMiB > 0 && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(int64(cfg.MemoryLimitMiB) << 20)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(cfg.GCPercent)
	}
	debug.FreeOSMemory()

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	logger.Info("masthead listening", "addr", ln.Addr().String(), "url", baseURL,
		"database", db.Dialect(), "version", versionString())
	if cfg.onListening != nil {
		cfg.onListening(site, baseURL)
	}

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	stop() // a second signal now kills the process the ordinary way

	logger.Info("masthead shutting down", "timeout", cfg.ShutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	// Live comment streams never finish by themselves: end them first, so
	// that srv.Shutdown, which waits for every handler, can return.
	site.Shutdown()
	broker.Close()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		// Requests still running after the timeout are cut off.
		_ = srv.Close()
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	logger.Info("masthead stopped")
	return nil
}

// openDB opens the database with the concrete renderer wired in.
func openDB(ctx context.Context, url string, logger *slog.Logger) (*sqldb.DB, error) {
	return openDBWith(ctx, url, logger, markdown.New(), 0)
}

// openDBWith opens the database with the given renderer, for a caller that
// uses the same renderer elsewhere too (serve's story editor), and
// readConns SQLite read connections (0: the default).
func openDBWith(ctx context.Context, url string, logger *slog.Logger, renderer masthead.BodyRenderer, readConns int) (*sqldb.DB, error) {
	opts := sqldb.Options{Now: time.Now, Renderer: renderer, Logger: logger}
	if strings.HasPrefix(url, "sqlite:") {
		opts.ReadConns = readConns
	}
	return sqldb.Open(ctx, url, opts)
}

// newStoryService returns the story service over db.
func newStoryService(db *sqldb.DB) masthead.StoryService {
	return sqldb.NewStoryService(db)
}

// anonymousMeter maps the --anonymous-meter setting onto web.Config, where
// 0 means "the default": an operator's 0 means none.
func anonymousMeter(n int) int {
	if n == 0 {
		return web.NoAnonymousMeter
	}
	return n
}
