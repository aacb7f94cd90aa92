// Package billing sells masthead's plans through Stripe: it opens Stripe
// Checkout and the Customer Portal, and verifies Stripe's webhook events
// and maps them onto masthead.StripeEvent. What an event does to a
// subscription is decided by the domain (masthead.NextSubscription) and
// stored by the subscription service, not here.
//
// The webhook mapping reads objects as Stripe renders them in API version
// 2025-08-27.basil (stripe.APIVersion); the webhook endpoint in Stripe's
// dashboard must use that version. Events of another release train are
// refused with ErrAPIVersion.
package billing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v82"

	"masthead"
)

// DefaultTolerance is how old a webhook signature may be by default.
const DefaultTolerance = 5 * time.Minute

// Errors of the webhook and of a disabled client.
var (
	// ErrBadSignature is wrapped by ParseWebhook's error when the
	// Stripe-Signature header is missing, malformed, does not match the
	// payload, or is older than the tolerance.
	ErrBadSignature = errors.New("billing: bad or stale Stripe signature")
	// ErrAPIVersion is wrapped by ParseWebhook's error when a correctly
	// signed event was rendered in an API version whose objects this
	// package does not read.
	ErrAPIVersion = errors.New("billing: Stripe event of an unsupported API version")
	// ErrDisabled is returned by the methods of a nil *Client, which New
	// returns when no Stripe secret key is configured.
	ErrDisabled = errors.New("billing: Stripe is not configured")
)

// Config configures a Client. Only SecretKey, WebhookSecret and BaseURL
// are needed in production.
type Config struct {
	// SecretKey is the Stripe secret (sk_...) or restricted (rk_...)
	// key. Empty turns billing off: New returns a nil *Client.
	SecretKey string
	// WebhookSecret is the signing secret (whsec_...) of the webhook
	// endpoint; required with SecretKey.
	WebhookSecret string
	// APIBase is the base URL of Stripe's API; "" for Stripe's own. Tests
	// point it at stripe-mock.
	APIBase string
	// BaseURL is the site's origin, such as "https://news.example.com",
	// for the URLs Stripe sends the reader back to.
	BaseURL string
	// Tolerance is how old a webhook signature may be; 0 means
	// DefaultTolerance.
	Tolerance time.Duration
	// Now is the clock that webhook signatures are checked against;
	// nil means time.Now.
	Now func() time.Time
	// HTTPClient makes the API calls; nil means a client with a 30-second
	// timeout.
	HTTPClient *http.Client
	// Logger receives stripe-go's warnings and errors; nil discards them
	// (the errors are returned to the caller anyway).
	Logger *slog.Logger
}

// Client talks to Stripe for one site. A nil *Client is billing turned
// off: its methods return ErrDisabled.
type Client struct {
	sc            *stripe.Client
	webhookSecret string
	baseURL       string
	tolerance     time.Duration
	now           func() time.Time
}

// New returns a Client for cfg, or nil (and no error) when cfg has no
// SecretKey, which turns billing off. Callers should keep a nil *Client
// out of interface values, or test for it, so that "off" stays visible.
func New(cfg Config) (*Client, error) {
	if cfg.SecretKey == "" {
		return nil, nil
	}
	if cfg.WebhookSecret == "" {
		return nil, errors.New("billing: a Stripe webhook signing secret is required with a secret key")
	}
	base, err := parseOrigin(cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("billing: base URL: %w", err)
	}
	c := &Client{
		webhookSecret: cfg.WebhookSecret,
		baseURL:       base,
		tolerance:     cfg.Tolerance,
		now:           cfg.Now,
	}
	if c.tolerance <= 0 {
		c.tolerance = DefaultTolerance
	}
	if c.now == nil {
		c.now = time.Now
	}
	httpClient := cfg.HTTPClient
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 30 * time.Second}
	}
	bc := &stripe.BackendConfig{
		HTTPClient:    httpClient,
		LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelNull},
	}
	if cfg.Logger != nil {
		bc.LeveledLogger = slogLogger{cfg.Logger}
	}
	if cfg.APIBase != "" {
		if _, err := parseOrigin(cfg.APIBase); err != nil {
			return nil, fmt.Errorf("billing: API base: %w", err)
		}
		bc.URL = stripe.String(strings.TrimRight(cfg.APIBase, "/"))
	}
	c.sc = stripe.NewClient(cfg.SecretKey, stripe.WithBackends(stripe.NewBackendsWithConfig(bc)))
	return c, nil
}

// parseOrigin checks that s is an absolute http(s) URL and returns it
// without a trailing slash.
func parseOrigin(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%q is not an absolute http or https URL", s)
	}
	return strings.TrimRight(s, "/"), nil
}

// Checkout creates a Stripe Checkout session in subscription mode that
// sells plan p at its price for interval to account a, and returns the
// session's URL to redirect the reader to. customerID is the account's
// Stripe customer, if it has one already; otherwise Checkout creates one
// for the account's email address. The session and the subscription it
// creates carry the account ID (client_reference_id and
// metadata.account_id), which the webhook events bring back. A plan
// without a Stripe price for interval is EINVALID.
func (c *Client) Checkout(ctx context.Context, a *masthead.Account, p *masthead.Plan, interval masthead.Interval, customerID string) (string, error) {
	if c == nil {
		return "", ErrDisabled
	}
	price, ok := p.Price(interval)
	if !ok || price.StripePriceID == "" {
		return "", masthead.FieldError("interval", masthead.Msg(masthead.MsgPlanNotForSale))
	}
	accountID := strconv.FormatInt(a.ID, 10)
	params := &stripe.CheckoutSessionCreateParams{
		Mode: stripe.String(string(stripe.CheckoutSessionModeSubscription)),
		LineItems: []*stripe.CheckoutSessionCreateLineItemParams{{
			Price:    stripe.String(price.StripePriceID),
			Quantity: stripe.Int64(1),
		}},
		ClientReferenceID: stripe.String(accountID),
		SubscriptionData:  &stripe.CheckoutSessionCreateSubscriptionDataParams{},
		SuccessURL:        stripe.String(c.baseURL + "/plans/success?session_id={CHECKOUT_SESSION_ID}"),
		CancelURL:         stripe.String(c.baseURL + "/plans/cancel"),
	}
	params.AddMetadata(metadataAccountID, accountID)
	params.SubscriptionData.AddMetadata(metadataAccountID, accountID)
	if p.TrialDays > 0 {
		params.SubscriptionData.TrialPeriodDays = stripe.Int64(int64(p.TrialDays))
	}
	if customerID != "" {
		params.Customer = stripe.String(customerID)
	} else {
		params.CustomerEmail = stripe.String(a.Email)
	}
	s, err := c.sc.V1CheckoutSessions.Create(ctx, params)
	if err != nil {
		return "", fmt.Errorf("billing: checkout: %w", err)
	}
	if s.URL == "" {
		return "", errors.New("billing: checkout: Stripe returned a session without a URL")
	}
	return s.URL, nil
}

// Portal creates a Stripe Customer Portal session for the customer and
// returns its URL; the portal sends the reader back to
// /account/subscription.
func (c *Client) Portal(ctx context.Context, customerID string) (string, error) {
	if c == nil {
		return "", ErrDisabled
	}
	if customerID == "" {
		return "", masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgSubscriptionNotFound))
	}
	params := &stripe.BillingPortalSessionCreateParams{
		Customer:  stripe.String(customerID),
		ReturnURL: stripe.String(c.baseURL + "/account/subscription"),
	}
	s, err := c.sc.V1BillingPortalSessions.Create(ctx, params)
	if err != nil {
		return "", fmt.Errorf("billing: portal: %w", err)
	}
	if s.URL == "" {
		return "", errors.New("billing: portal: Stripe returned a session without a URL")
	}
	return s.URL, nil
}

// metadataAccountID is the metadata key of the masthead account ID on
// Checkout sessions and subscriptions.
const metadataAccountID = "account_id"

// slogLogger passes stripe-go's log lines to a slog.Logger.
type slogLogger struct{ l *slog.Logger }

func (s slogLogger) Debugf(format string, v ...any) {
	s.l.Debug(fmt.Sprintf(format, v...), "component", "stripe")
}

func (s slogLogger) Infof(format string, v ...any) {
	s.l.Info(fmt.Sprintf(format, v...), "component", "stripe")
}

func (s slogLogger) Warnf(format string, v ...any) {
	s.l.Warn(fmt.Sprintf(format, v...), "component", "stripe")
}

func (s slogLogger) Errorf(format string, v ...any) {
	s.l.Error(fmt.Sprintf(format, v...), "component", "stripe")
}
