// Package web is Masthead's HTTP layer: the reader's HTML pages, feeds, the
// sitemap, the /api/v1 JSON API, operational endpoints and the middleware
// around them. It talks to storage only through the domain interfaces.
//
// Templates and static files are embedded in the binary and parsed once, when
// NewServer runs.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"masthead"
)

// Defaults applied by NewServer to zero Config fields.
const (
	DefaultSiteName       = "Masthead"
	DefaultBaseURL        = "http://localhost:8080"
	DefaultPageSize       = 20
	DefaultFeedSize       = 30
	DefaultMaxBodyBytes   = 1 << 20
	DefaultSearchLimit    = 50
	DefaultSectionsTTL    = 5 * time.Second
	DefaultHomePerSection = 4
	// DefaultFragmentCacheSize is the default Config.FragmentCacheSize.
	DefaultFragmentCacheSize = 1000
	// DefaultStoryCacheTTL is the default Config.StoryCacheTTL.
	DefaultStoryCacheTTL = time.Second
	// DefaultStoryCacheSize is the default Config.StoryCacheSize.
	DefaultStoryCacheSize = 10000
	// MaxAPILimit is the largest page size the JSON API accepts.
	MaxAPILimit = 100
)

// Config configures a Server; every limit is a setting with a sensible
// default applied by NewServer when zero.
type Config struct {
	// SiteName is the newspaper's name; default "Masthead".
	SiteName string
	// BaseURL is the public origin, e.g. "http://localhost:8080", used for
	// canonical URLs, feeds, the sitemap and OpenGraph tags. A trailing
	// slash is removed. Default DefaultBaseURL.
	BaseURL string
	// Locale selects the message catalogue; default "en".
	Locale masthead.Locale
	// TimeZone is the site time zone for displayed dates; default UTC.
	TimeZone *time.Location
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Logger receives the access log and error reports; default discards.
	Logger *slog.Logger
	// Stories is the story service. Required.
	Stories masthead.StoryService
	// Ready reports whether the server can take traffic, for /readyz; nil
	// means always ready.
	Ready func(ctx context.Context) error
	// Registry receives the HTTP metrics, served at /metrics. NewServer
	// creates one (with Go and process collectors) if nil.
	Registry *prometheus.Registry

	// PageSize is the number of stories per list page; default 20.
	PageSize int
	// FeedSize is the number of items per feed; default 30.
	FeedSize int
	// MaxBodyBytes limits request bodies; default 1 MiB.
	MaxBodyBytes int64
	// SearchLimit is the most search results shown; default 50.
	SearchLimit int
	// HomePerSection is the number of stories per section on the front
	// page; default 4.
	HomePerSection int
	// SectionsTTL is how long the navigation's list of sections, and the
	// page fragments rendered with it, are cached in memory; default 5s,
	// negative disables the cache.
	SectionsTTL time.Duration
	// FragmentCacheSize is the most stories whose rendered article is
	// kept per SectionsTTL generation; default 1000, negative disables.
	FragmentCacheSize int
	// StoryCacheTTL is how long a story, or a page of a story list, read
	// from the database is reused for later readers; default 1s, negative
	// disables. A change to a story reaches readers within this time.
	StoryCacheTTL time.Duration
	// StoryCacheSize is the most entries each of those caches keeps;
	// default 10000.
	StoryCacheSize int

	// Accounts is the account service: sign-up, sign-in, sessions and the
	// account pages. The site needs it; nil turns accounts off (their
	// routes answer 404 and the header offers no sign-in), which keeps
	// tests of the reading pages simple.
	Accounts masthead.AccountService
	// AccountSettings are the account limits the pages mention, such as
	// the session lifetime and the display-name change interval; the zero
	// value means masthead.DefaultAccountSettings().
	AccountSettings masthead.AccountSettings
	// TrustedProxies are the networks of reverse proxies whose
	// X-Forwarded-For header is believed; by default none, and the
	// client's address is the connection's peer.
	TrustedProxies []netip.Prefix

	// Plans is the plan service. nil turns plans and the paywall off:
	// every story is readable as before, and the plan pages, gift links
	// and the staff's plan and subscriber pages answer 404.
	Plans masthead.PlanService
	// Subscriptions is the subscription service; needed with Plans.
	Subscriptions masthead.SubscriptionService
	// Meter keeps registered readers' meters; nil lets registered readers
	// read metered stories without a meter.
	Meter masthead.MeterService
	// Gifts keeps gift links; nil turns gift links off.
	Gifts masthead.GiftService
	// Secrets gives the key that signs the anonymous meter's cookie
	// (the secret "meter-cookie"), fetched once, at first use. nil means a
	// random key made by NewServer, which only works with one instance.
	Secrets masthead.SecretService
	// Billing is Stripe: Checkout, the Customer Portal and webhooks. nil
	// means no Stripe: /plans explains that staff grant plans, and
	// POST /webhooks/stripe answers 404.
	Billing Billing
	// AnonymousMeter is how many metered stories an anonymous reader may
	// read a calendar month; 0 means the default (DefaultAnonymousMeter,
	// 3); NoAnonymousMeter (-1) means none.
	AnonymousMeter int
	// GiftLinkLifetime is how long a gift link works; default
	// masthead.DefaultGiftLinkLifetime.
	GiftLinkLifetime time.Duration

	// Comments is the comment service. nil turns comments off: story
	// pages have no comment section and the comment routes, pages and
	// API, answer 404.
	Comments masthead.CommentService
	// CommentSettings are the comment limits the pages apply and
	// mention (the site-wide switch, the length, the edit window, the
	// page size); the zero value means masthead.DefaultCommentSettings().
	// They must match the settings the comment service enforces.
	CommentSettings masthead.CommentSettings
	// Notifications serves the one-click unsubscribe link of reply emails
	// (GET and POST /account/notifications/unsubscribe); nil turns the
	// route off (404).
	Notifications masthead.NotificationService

	// Live feeds the live comment stream, GET /stories/{slug}/comments/live
	// (Server-Sent Events); nil turns live updates off (the route answers
	// 404 and story pages do not offer them). Needs Comments.
	Live LiveFeed
	// LiveMaxPerIP is the most live streams one client address (an IPv6
	// /64) may hold open; default DefaultLiveMaxPerIP (8). Beyond: 429.
	LiveMaxPerIP int
	// LiveMaxTotal is the most live streams open at once; default
	// DefaultLiveMaxTotal (1000). Beyond: 429.
	LiveMaxTotal int
	// Renderer renders story bodies for the editor's preview; needed with
	// Editor.
	Renderer masthead.BodyRenderer
	// Editor is the story editor's storage; nil turns the editor off.
	Editor masthead.EditorService
	// Policy is the site's commenting policy; nil means
	// masthead.DefaultCommentPolicy(CommentSettings) and no settings page.
	Policy masthead.PolicyService
	// Moderation is the moderation queues; nil turns them off.
	Moderation masthead.ModerationService
	// ModerationPoll is how often the moderation page asks for the queue
	// counts; default DefaultModerationPoll (10s), negative never.
	ModerationPoll time.Duration
	// Users is the moderators' actions on subscribers; nil turns them off.
	Users masthead.UserService
	// Audit reads the audit log; nil turns its page off.
	Audit masthead.AuditService
	// TwoFactor is two-factor sign-in: the second step of signing in and
	// /account/security/two-factor. nil turns both off (a pending sign-in
	// cannot be completed). Administrators need it to use /admin.
	TwoFactor masthead.TwoFactorService
	// Staff manages staff accounts and roles (/admin/staff); nil turns the
	// page off. The audit log uses it to filter by a staff member's email.
	Staff masthead.StaffService
	// AuditPageSize is how many audit entries a page of the log shows;
	// default DefaultAuditPageSize (50).
	AuditPageSize int

	// LiveHeartbeat is how often an idle live stream sends a comment to
	// keep proxies from closing it; default DefaultLiveHeartbeat (25s).
	LiveHeartbeat time.Duration
}

// DefaultAnonymousMeter is the default Config.AnonymousMeter.
const DefaultAnonymousMeter = 3

// NoAnonymousMeter, as Config.AnonymousMeter, gives anonymous readers no
// free metered stories.
const NoAnonymousMeter = -1

// Billing is what the web layer needs of Stripe; internal/billing
// implements it.
type Billing interface {
	// Checkout starts a Stripe Checkout session (subscription mode) for
	// the account to buy the plan's price of interval, as the Stripe
	// customer customerID ("" to create one), and returns its URL.
	Checkout(ctx context.Context, a *masthead.Account, p *masthead.Plan, interval masthead.Interval, customerID string) (string, error)
	// Portal returns the URL of a Customer Portal session for the
	// customer.
	Portal(ctx context.Context, customerID string) (string, error)
	// ParseWebhook verifies a webhook's signature and age and returns
	// what masthead takes from the event; a bad or stale signature is an
	// error.
	ParseWebhook(payload []byte, signature string) (masthead.StripeEvent, error)
}

// Server serves Masthead over HTTP. Create it with NewServer; it is safe for
// concurrent use.
type Server struct {
	cfg      Config
	logger   *slog.Logger
	stories  masthead.StoryService
	accounts masthead.AccountService
	now      func() time.Time
	hsts     bool

	plans   masthead.PlanService
	subs    masthead.SubscriptionService
	meter   masthead.MeterService
	gifts   masthead.GiftService
	billing Billing
	// comments is nil when comments are off.
	comments masthead.CommentService
	// defaultPolicy is the commenting policy without a Policy service:
	// masthead.DefaultCommentPolicy(CommentSettings).
	defaultPolicy masthead.CommentPolicy
	// live is nil when live comment updates are off.
	live *liveStreams
	// meterKey signs the anonymous meter's cookie; see meterSecret.
	meterKey meterKey

	// adminTable lists every staff route and its permission.
	adminTable []AdminRoute

	pages    *pages
	views    *viewFormats
	static   *staticFiles
	metrics  *metrics
	sections *sectionCache
	cache    *readCaches
	handler  http.Handler
}

// NewServer applies defaults to cfg, parses the templates, registers the
// metrics and builds the routes.
func NewServer(cfg Config) (*Server, error) {
	if cfg.Stories == nil {
		return nil, errors.New("web: Config.Stories is required")
	}
	if cfg.SiteName == "" {
		cfg.SiteName = DefaultSiteName
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	base, err := url.Parse(cfg.BaseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" || base.Path != "" {
		return nil, fmt.Errorf("web: BaseURL %q must be an http or https origin without a path", cfg.BaseURL)
	}
	if cfg.Locale == "" {
		cfg.Locale = masthead.DefaultLocale
	}
	if cfg.TimeZone == nil {
		cfg.TimeZone = time.UTC
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
		cfg.Registry.MustRegister(
			collectors.NewGoCollector(),
			collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		)
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = DefaultPageSize
	}
	if cfg.FeedSize <= 0 {
		cfg.FeedSize = DefaultFeedSize
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.SearchLimit <= 0 {
		cfg.SearchLimit = DefaultSearchLimit
	}
	if cfg.HomePerSection <= 0 {
		cfg.HomePerSection = DefaultHomePerSection
	}
	if cfg.SectionsTTL == 0 {
		cfg.SectionsTTL = DefaultSectionsTTL
	}
	if cfg.FragmentCacheSize == 0 {
		cfg.FragmentCacheSize = DefaultFragmentCacheSize
	} else if cfg.FragmentCacheSize < 0 {
		cfg.FragmentCacheSize = 0
	}

	if cfg.StoryCacheTTL == 0 {
		cfg.StoryCacheTTL = DefaultStoryCacheTTL
	}
	if cfg.StoryCacheSize <= 0 {
		cfg.StoryCacheSize = DefaultStoryCacheSize
	}
	if cfg.AccountSettings == (masthead.AccountSettings{}) {
		cfg.AccountSettings = masthead.DefaultAccountSettings()
	}
	switch {
	case cfg.AnonymousMeter == 0:
		cfg.AnonymousMeter = DefaultAnonymousMeter
	case cfg.AnonymousMeter < 0:
		cfg.AnonymousMeter = NoAnonymousMeter
	}
	if cfg.GiftLinkLifetime <= 0 {
		cfg.GiftLinkLifetime = masthead.DefaultGiftLinkLifetime
	}
	if cfg.CommentSettings == (masthead.CommentSettings{}) {
		cfg.CommentSettings = masthead.DefaultCommentSettings()
	}
	if cfg.CommentSettings.PageSize <= 0 {
		cfg.CommentSettings.PageSize = masthead.DefaultCommentSettings().PageSize
	}
	if cfg.CommentSettings.MaxLength <= 0 {
		cfg.CommentSettings.MaxLength = masthead.DefaultCommentSettings().MaxLength
	}
	if cfg.LiveMaxPerIP <= 0 {
		cfg.LiveMaxPerIP = DefaultLiveMaxPerIP
	}
	if cfg.LiveMaxTotal <= 0 {
		cfg.LiveMaxTotal = DefaultLiveMaxTotal
	}
	if cfg.LiveHeartbeat <= 0 {
		cfg.LiveHeartbeat = DefaultLiveHeartbeat
	}
	if cfg.Plans != nil && cfg.Subscriptions == nil {
		return nil, errors.New("web: Config.Subscriptions is required with Config.Plans")
	}

	s := &Server{
		cfg:      cfg,
		logger:   cfg.Logger,
		stories:  cfg.Stories,
		accounts: cfg.Accounts,
		now:      cfg.Now,
		hsts:     base.Scheme == "https",
		plans:    cfg.Plans,
		subs:     cfg.Subscriptions,
		meter:    cfg.Meter,
		gifts:    cfg.Gifts,
		billing:  cfg.Billing,
		comments: cfg.Comments,

		defaultPolicy: masthead.DefaultCommentPolicy(cfg.CommentSettings),
	}
	if s.plans == nil {
		s.gifts, s.billing = nil, nil
	}
	if err := s.meterKey.init(cfg.Secrets); err != nil {
		return nil, err
	}
	s.sections = &sectionCache{
		ttl:           cfg.SectionsTTL,
		now:           cfg.Now,
		load:          cfg.Stories.FindSections,
		fragmentLimit: cfg.FragmentCacheSize,
	}
	s.cache = newReadCaches(cfg)
	s.live = newLiveStreams(cfg)
	if s.static, err = loadStatic(); err != nil {
		return nil, err
	}
	s.views = s.newViewFormats()
	if s.pages, err = s.parseTemplates(); err != nil {
		return nil, err
	}
	if s.metrics, err = newMetrics(cfg.Registry); err != nil {
		return nil, err
	}

	cop := http.NewCrossOriginProtection()
	if err := cop.AddTrustedOrigin(cfg.BaseURL); err != nil {
		return nil, fmt.Errorf("web: trust %s: %w", cfg.BaseURL, err)
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Error(w, r, masthead.Errorf(masthead.EFORBIDDEN, "%s", s.msg("error.cross_origin")))
	}))

	// Order, outermost first: request ID, metrics and access log (they see
	// the final status, panics included), panic recovery, security
	// headers, body limit, cross-origin protection, sessions, routes. None
	// of the layers below the observer replaces the *http.Request, so the
	// pattern the mux records on it is visible to the observer afterwards
	// (the sessions layer records the viewer in the request's info).
	var h http.Handler = s.routes()
	if s.accounts != nil {
		h = s.sessions(h)
	}
	h = cop.Handler(h)
	h = s.limitBody(h)
	h = s.securityHeaders(h)
	h = s.recoverPanics(h)
	h = s.observe(h)
	h = s.requestID(h)
	s.handler = h
	return s, nil
}

// Handler returns the full middleware-wrapped handler of every route.
func (s *Server) Handler() http.Handler { return s.handler }

// routes registers every route on a new ServeMux.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()

	// Reading.
	mux.HandleFunc("GET /{$}", s.handleHome)
	mux.HandleFunc("GET /sections/{slug}", s.handleSection)
	mux.HandleFunc("GET /stories/{slug}", s.handleStory)
	mux.HandleFunc("GET /tags/{slug}", s.handleTag)
	mux.HandleFunc("GET /authors/{slug}", s.handleAuthor)
	mux.HandleFunc("GET /search", s.handleSearch)

	// Feeds and crawlers.
	mux.HandleFunc("GET /feed.atom", s.handleAtom)
	mux.HandleFunc("GET /feed.rss", s.handleRSS)
	mux.HandleFunc("GET /sections/{slug}/feed.atom", s.handleAtom)
	mux.HandleFunc("GET /sections/{slug}/feed.rss", s.handleRSS)
	mux.HandleFunc("GET /sitemap.xml", s.handleSitemap)
	mux.HandleFunc("GET /robots.txt", s.handleRobots)

	// JSON API.
	mux.HandleFunc("GET /api/v1/stories", s.handleAPIStories)
	mux.HandleFunc("GET /api/v1/stories/{slug}", s.handleAPIStory)

	if s.accounts != nil {
		s.accountRoutes(mux)
		s.adminRoutes(mux)
	}
	if s.plans != nil {
		s.planRoutes(mux)
	}
	if s.comments != nil {
		s.commentRoutes(mux)
	}
	if s.cfg.Notifications != nil {
		s.unsubscribeRoutes(mux)
	}

	// Operations and assets.
	mux.HandleFunc("GET /healthz", s.handleHealthz)
	mux.HandleFunc("GET /readyz", s.handleReadyz)
	mux.Handle("GET /metrics", s.metrics.handler)
	mux.HandleFunc("GET /static/{hash}/{name}", s.handleStatic)

	// Everything else is a 404 in the site's style (JSON under /api/).
	mux.HandleFunc("/", s.handleNotFound)
	return mux
}

// msg returns the catalogue text of id in the site's locale.
func (s *Server) msg(id string, args ...any) string {
	return masthead.MsgIn(s.cfg.Locale, masthead.MessageID(id), args...)
}

// absURL returns the absolute URL of a site path.
func (s *Server) absURL(path string) string { return s.cfg.BaseURL + path }
