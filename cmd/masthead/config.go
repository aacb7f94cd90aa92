package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"masthead"
	"masthead/internal/web"
)

// flags is a subcommand's flag set with its help text and the environment
// variables its flags can also be read from.
type flags struct {
	*flag.FlagSet
	help string
	// env maps flag names to environment variables, in definition order.
	env [][2]string
}

// newFlags returns an empty flag set for the subcommand name. Its help text
// is printed before the flags by --help.
func newFlags(name, help string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parse reports errors; parseOrReport prints them
	fs.Usage = func() {}
	return &flags{FlagSet: fs, help: help}
}

// bindEnv lets the flag called name also be set by the environment
// variable envName, and says so in the flag's usage.
func (f *flags) bindEnv(name, envName string) {
	fl := f.Lookup(name)
	if fl == nil {
		panic("bindEnv: no flag " + name) // a programming error
	}
	fl.Usage += " (env " + envName + ")"
	f.env = append(f.env, [2]string{name, envName})
}

// intSetting is a whole-number setting: a flag with its variable.
type intSetting struct {
	p         *int
	name, env string
	def       int
	usage     string
}

// durationSetting is a duration setting: a flag with its variable.
type durationSetting struct {
	p         *time.Duration
	name, env string
	def       time.Duration
	usage     string
}

// settings defines flags for every setting listed, each also read from its
// environment variable.
func (f *flags) settings(ints []intSetting, durations []durationSetting) {
	for _, i := range ints {
		f.IntVar(i.p, i.name, i.def, i.usage)
		f.bindEnv(i.name, i.env)
	}
	for _, d := range durations {
		f.DurationVar(d.p, d.name, d.def, d.usage)
		f.bindEnv(d.name, d.env)
	}
}

// parse parses args, then sets every flag that args left out from its
// environment variable, if that is set: a flag beats the environment,
// which beats the default. It returns flag.ErrHelp for -h and --help.
func (f *flags) parse(args []string, getenv func(string) string) error {
	if err := f.Parse(args); err != nil {
		return err
	}
	set := map[string]bool{}
	f.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	for _, b := range f.env {
		name, envName := b[0], b[1]
		if v := getenv(envName); v != "" && !set[name] {
			if err := f.Set(name, v); err != nil {
				return fmt.Errorf("%s=%q: %w", envName, v, err)
			}
		}
	}
	return nil
}

// parseOrReport parses args against the process environment. On --help it
// prints the help to stdout; on an error it prints the error to stderr. ok
// is false when the command should stop with status.
func (f *flags) parseOrReport(args []string, sio *stdio) (status int, ok bool) {
	err := f.parse(args, sio.getenv)
	switch {
	case errors.Is(err, flag.ErrHelp):
		f.printHelp(sio.out)
		return exitOK, false
	case err != nil:
		fmt.Fprintf(sio.err, "masthead %s: %v\nRun \"masthead %s --help\" for usage.\n", f.Name(), err, f.Name())
		return exitUsage, false
	}
	return exitOK, true
}

// printHelp writes the help text and the flags.
func (f *flags) printHelp(w io.Writer) {
	fmt.Fprint(w, f.help)
	n := 0
	f.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		return
	}
	fmt.Fprint(w, "\nFlags:\n\n")
	f.SetOutput(w)
	f.PrintDefaults()
	f.SetOutput(io.Discard)
}

// Defaults of the common settings.
const (
	defaultDatabaseURL = "sqlite:./masthead-data/masthead.db"
	defaultAddr        = ":8080"
)

// dbConfig is what every command that opens the database needs.
type dbConfig struct {
	DatabaseURL string
	LogFormat   string
	LogLevel    string
}

// addDBFlags defines the database and logging flags in f.
func addDBFlags(f *flags, c *dbConfig) {
	f.StringVar(&c.DatabaseURL, "database", defaultDatabaseURL, `database URL: "sqlite:PATH" or "postgres://..."`)
	f.bindEnv("database", "MASTHEAD_DATABASE_URL")
	f.StringVar(&c.LogFormat, "log-format", "auto", "log format: auto (text on a terminal, else JSON), text or json")
	f.bindEnv("log-format", "MASTHEAD_LOG_FORMAT")
	f.StringVar(&c.LogLevel, "log-level", "info", "least important log level shown: debug, info, warn or error")
	f.bindEnv("log-level", "MASTHEAD_LOG_LEVEL")
}

// newLogger returns the structured logger the settings ask for, writing to
// w. With format "auto" it writes text when w is a terminal and JSON
// otherwise.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch strings.ToLower(format) {
	case "auto", "":
		if isTerminal(w) {
			return slog.New(slog.NewTextHandler(w, opts)), nil
		}
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: want auto, text or json", format)
}

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// serveConfig is the configuration of masthead serve.
type serveConfig struct {
	dbConfig
	Addr     string
	BaseURL  string
	Demo     bool
	SiteName string
	TimeZone string
	Locale   string

	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	ShutdownTimeout   time.Duration
	MaxHeaderBytes    int

	PageSize      int
	MaxBodyBytes  int64
	SectionsTTL   time.Duration
	StoryCacheTTL time.Duration

	SMTPURL  string
	MailFrom string
	accounts accountFlags

	StripeSecretKey     string
	StripeWebhookSecret string
	StripeAPIBase       string
	AnonymousMeter      int
	GiftLinkLifetime    time.Duration
	GracePeriod         time.Duration
	MemoryLimitMiB      int
	GCPercent           int
	SQLiteReadConns     int
	comments            commentFlags
	live                liveFlags

	// onListening, if set, is given the site once it serves at url; the
	// authorisation matrix test reads the staff routes through it.
	onListening func(site *web.Server, url string)
}

// serveHelp introduces masthead serve's flags.
const serveHelp = `Usage: masthead serve [flags]

Runs the site. The database is migrated first. With --demo an empty
database is filled with a demo newsroom; a database with stories in it is
left alone.
`

// newServeFlags defines masthead serve's flags, storing into c.
func newServeFlags(c *serveConfig) *flags {
	f := newFlags("serve", serveHelp)
	f.StringVar(&c.Addr, "addr", defaultAddr, "TCP address to listen on; port 0 picks a free port")
	f.bindEnv("addr", "MASTHEAD_ADDR")
	addDBFlags(f, &c.dbConfig)
	f.BoolVar(&c.Demo, "demo", false, "fill an empty database with a demo newsroom")
	f.bindEnv("demo", "MASTHEAD_DEMO")
	f.StringVar(&c.BaseURL, "base-url", "", "public origin of the site, e.g. https://news.example.com (default http://localhost:PORT from --addr)")
	f.bindEnv("base-url", "MASTHEAD_BASE_URL")
	f.StringVar(&c.SiteName, "site-name", "Masthead", "the newspaper's name")
	f.bindEnv("site-name", "MASTHEAD_SITE_NAME")
	f.StringVar(&c.TimeZone, "time-zone", "UTC", "IANA time zone for dates shown to readers, e.g. Asia/Tokyo")
	f.bindEnv("time-zone", "MASTHEAD_TIME_ZONE")
	f.StringVar(&c.Locale, "locale", "en", "language of the site's messages")
	f.bindEnv("locale", "MASTHEAD_LOCALE")
	f.DurationVar(&c.ReadHeaderTimeout, "read-header-timeout", 5*time.Second, "longest time to read a request's headers")
	f.bindEnv("read-header-timeout", "MASTHEAD_READ_HEADER_TIMEOUT")
	f.DurationVar(&c.ReadTimeout, "read-timeout", 30*time.Second, "longest time to read a whole request")
	f.bindEnv("read-timeout", "MASTHEAD_READ_TIMEOUT")
	f.DurationVar(&c.WriteTimeout, "write-timeout", 60*time.Second, "longest time to write a response")
	f.bindEnv("write-timeout", "MASTHEAD_WRITE_TIMEOUT")
	f.DurationVar(&c.IdleTimeout, "idle-timeout", 120*time.Second, "longest time an idle keep-alive connection stays open")
	f.bindEnv("idle-timeout", "MASTHEAD_IDLE_TIMEOUT")
	f.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", 20*time.Second, "longest wait for in-flight requests on SIGINT or SIGTERM")
	f.bindEnv("shutdown-timeout", "MASTHEAD_SHUTDOWN_TIMEOUT")
	f.IntVar(&c.MaxHeaderBytes, "max-header-bytes", 64<<10, "largest request header accepted, in bytes")
	f.bindEnv("max-header-bytes", "MASTHEAD_MAX_HEADER_BYTES")
	f.IntVar(&c.PageSize, "page-size", web.DefaultPageSize, "stories per page on section, tag and author pages")
	f.bindEnv("page-size", "MASTHEAD_PAGE_SIZE")
	f.Int64Var(&c.MaxBodyBytes, "max-body-bytes", web.DefaultMaxBodyBytes, "largest request body accepted, in bytes")
	f.bindEnv("max-body-bytes", "MASTHEAD_MAX_BODY_BYTES")
	f.DurationVar(&c.SectionsTTL, "sections-ttl", web.DefaultSectionsTTL, "how long the list of sections (and page parts rendered with it) is cached; negative disables")
	f.bindEnv("sections-ttl", "MASTHEAD_SECTIONS_TTL")
	f.DurationVar(&c.StoryCacheTTL, "story-cache-ttl", web.DefaultStoryCacheTTL, "how long a story read from the database is reused for other readers; negative disables")
	f.bindEnv("story-cache-ttl", "MASTHEAD_STORY_CACHE_TTL")
	f.StringVar(&c.SMTPURL, "smtp-url", "", "mail server: smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465 (TLS); empty writes emails to the log")
	f.bindEnv("smtp-url", "MASTHEAD_SMTP_URL")
	f.StringVar(&c.MailFrom, "mail-from", "", `sender of emails, e.g. "The Courier <no-reply@courier.example>" (default: the site name at no-reply@ the base URL's host)`)
	f.bindEnv("mail-from", "MASTHEAD_MAIL_FROM")
	addAccountFlags(f, &c.accounts)
	f.StringVar(&c.StripeSecretKey, "stripe-secret-key", "", "Stripe secret key (sk_...); without it plans are granted by staff only")
	f.bindEnv("stripe-secret-key", "MASTHEAD_STRIPE_SECRET_KEY")
	f.StringVar(&c.StripeWebhookSecret, "stripe-webhook-secret", "", "signing secret of the Stripe webhook endpoint /webhooks/stripe (whsec_...)")
	f.bindEnv("stripe-webhook-secret", "MASTHEAD_STRIPE_WEBHOOK_SECRET")
	f.StringVar(&c.StripeAPIBase, "stripe-api-base", "", "Stripe API address, for testing against stripe-mock (default Stripe's)")
	f.bindEnv("stripe-api-base", "MASTHEAD_STRIPE_API_BASE")
	f.IntVar(&c.AnonymousMeter, "anonymous-meter", 3, "metered stories an anonymous reader may read a month")
	f.bindEnv("anonymous-meter", "MASTHEAD_ANONYMOUS_METER")
	f.DurationVar(&c.GiftLinkLifetime, "gift-link-lifetime", masthead.DefaultGiftLinkLifetime, "how long a gift link works")
	f.bindEnv("gift-link-lifetime", "MASTHEAD_GIFT_LINK_LIFETIME")
	f.DurationVar(&c.GracePeriod, "grace-period", masthead.DefaultGracePeriod, "how long a past-due subscription keeps its entitlements")
	f.bindEnv("grace-period", "MASTHEAD_GRACE_PERIOD")
	f.IntVar(&c.MemoryLimitMiB, "memory-limit", 40, "soft limit of the Go runtime's memory in MiB: the garbage collector works harder near it; 0 for none (GOMEMLIMIT, if set, wins)")
	f.bindEnv("memory-limit", "MASTHEAD_MEMORY_LIMIT")
	f.IntVar(&c.GCPercent, "gc-percent", 50, "heap growth, in percent of live memory, before the garbage collector runs (GOGC, if set, wins); lower is smaller and slower")
	f.bindEnv("gc-percent", "MASTHEAD_GC_PERCENT")
	f.IntVar(&c.SQLiteReadConns, "sqlite-read-conns", 0, "SQLite read connections, each with its own page cache; 0 for one per CPU, from 2 to 4")
	f.bindEnv("sqlite-read-conns", "MASTHEAD_SQLITE_READ_CONNS")
	addCommentFlags(f, &c.comments)
	addLiveFlags(f, &c.live)
	return f
}

// validate checks the settings that flag parsing cannot.
func (c *serveConfig) validate() error {
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"read-header-timeout", c.ReadHeaderTimeout}, {"read-timeout", c.ReadTimeout},
		{"write-timeout", c.WriteTimeout}, {"idle-timeout", c.IdleTimeout},
		{"shutdown-timeout", c.ShutdownTimeout},
	} {
		if d.v <= 0 {
			return fmt.Errorf("--%s must be positive, not %v", d.name, d.v)
		}
	}
	if c.PageSize < 1 || c.PageSize > web.MaxAPILimit {
		return fmt.Errorf("--page-size must be between 1 and %d, not %d", web.MaxAPILimit, c.PageSize)
	}
	if c.MaxBodyBytes < 1024 {
		return fmt.Errorf("--max-body-bytes must be at least 1024, not %d", c.MaxBodyBytes)
	}
	if c.MaxHeaderBytes < 4096 {
		return fmt.Errorf("--max-header-bytes must be at least 4096, not %d", c.MaxHeaderBytes)
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("--addr %q: %w", c.Addr, err)
	}
	if err := c.comments.validate(); err != nil {
		return err
	}
	if err := c.live.validate(); err != nil {
		return err
	}
	if c.GCPercent < 10 {
		return fmt.Errorf("--gc-percent must be at least 10, not %d", c.GCPercent)
	}
	if c.MemoryLimitMiB < 0 {
		return fmt.Errorf("--memory-limit cannot be negative, not %d", c.MemoryLimitMiB)
	}
	if c.SQLiteReadConns < 0 || c.SQLiteReadConns > 64 {
		return fmt.Errorf("--sqlite-read-conns must be from 0 (automatic) to 64, not %d", c.SQLiteReadConns)
	}
	if c.AnonymousMeter < 0 {
		return fmt.Errorf("--anonymous-meter cannot be negative, not %d", c.AnonymousMeter)
	}
	if c.GiftLinkLifetime <= 0 || c.GracePeriod < 0 {
		return fmt.Errorf("--gift-link-lifetime must be positive and --grace-period not negative")
	}
	if (c.StripeSecretKey == "") != (c.StripeWebhookSecret == "") {
		return fmt.Errorf("--stripe-secret-key and --stripe-webhook-secret go together: give both or neither")
	}
	return c.accounts.validate()
}

// baseURLFor returns the origin a server listening on addr (as bound, with
// its real port) is reached at from the same machine: the bound host, or
// localhost when it listens on every interface.
func baseURLFor(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
