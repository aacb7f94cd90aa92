// Package mail sends masthead's email.
//
// Account services write each email to the outbox (masthead.OutboxService)
// in the transaction that makes the change it reports. A Worker claims
// messages from the outbox, renders each with Render (every sentence comes
// from the message catalogue), and hands it to a Sender: the SMTP sender
// of NewSMTPSender, or, when no SMTP server is configured, the log sender
// of NewLogSender, which writes the message and its links to the log. A
// failed message is retried with back-off, so a slow or absent mail
// server never slows a page and a crash loses no message.
package mail

import (
	"errors"
	"log/slog"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"masthead"
)

// Defaults of Config.
const (
	DefaultBatch       = 10
	DefaultPoll        = 2 * time.Second
	DefaultLease       = 2 * time.Minute
	DefaultMaxAttempts = 8
	DefaultSendTimeout = 30 * time.Second

	// backoffBase is the wait after the first failed attempt; it doubles
	// after each further one, up to backoffCap.
	backoffBase = 30 * time.Second
	backoffCap  = time.Hour
)

// ErrPermanent marks an error after which a message can never be sent as
// it stands (an invalid recipient, a message the server rejected with a
// permanent 5xx reply), so the Worker gives up on it at once instead of
// retrying.
var ErrPermanent = errors.New("mail: permanent failure")

// Config configures rendering, sending and the outbox worker. The zero
// value of every field but BaseURL has a usable default.
type Config struct {
	// SMTPURL is the mail server, or "" to write messages to the log
	// instead. See NewSMTPSender for its form.
	SMTPURL string
	// From is the sender, such as "Masthead <no-reply@example.com>". By
	// default it is SiteName at "no-reply@" and the host of BaseURL.
	From string
	// SiteName is the newspaper's name, used in subjects and signatures
	// (control characters in it become spaces). Default
	// masthead.DefaultAccountSettings().SiteName.
	SiteName string
	// BaseURL is the site's public URL, such as "https://example.com";
	// links in messages are made from it. Required.
	BaseURL string
	// Locale is the language of the messages. Default
	// masthead.DefaultLocale.
	Locale masthead.Locale
	// TimeZone is the zone dates in messages are shown in. Default UTC.
	TimeZone *time.Location
	// Logger receives the worker's reports. Default: discard.
	Logger *slog.Logger
	// Now is the clock. Default time.Now.
	Now func() time.Time

	// Batch is how many messages the worker claims at a time.
	Batch int
	// Poll is how often an idle worker looks for due messages.
	Poll time.Duration
	// Lease is how long a claimed message stays with one worker before
	// another may take it over.
	Lease time.Duration
	// MaxAttempts is how many times a message is tried before the worker
	// gives up on it. Attempt n waits 30s·2^(n-1) (capped at an hour),
	// jittered down by up to a half, before the next.
	MaxAttempts int
	// SendTimeout bounds the sending of one message.
	SendTimeout time.Duration
}

// withDefaults returns c with its zero fields set to their defaults.
func (c Config) withDefaults() Config {
	c.SiteName = strings.TrimSpace(oneLine(c.SiteName))
	if c.SiteName == "" {
		c.SiteName = masthead.DefaultAccountSettings().SiteName
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.From == "" {
		c.From = (&mail.Address{Name: c.SiteName, Address: "no-reply@" + baseHost(c.BaseURL)}).String()
	}
	if c.Locale == "" {
		c.Locale = masthead.DefaultLocale
	}
	if c.TimeZone == nil {
		c.TimeZone = time.UTC
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Batch <= 0 {
		c.Batch = DefaultBatch
	}
	if c.Poll <= 0 {
		c.Poll = DefaultPoll
	}
	if c.Lease <= 0 {
		c.Lease = DefaultLease
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = DefaultMaxAttempts
	}
	if c.SendTimeout <= 0 {
		c.SendTimeout = DefaultSendTimeout
	}
	return c
}

// baseHost returns the host name of baseURL, or "localhost".
func baseHost(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || u.Hostname() == "" {
		return "localhost"
	}
	return u.Hostname()
}

// Message is an email ready to send.
type Message struct {
	// From is the sender's address, possibly with a display name.
	From string
	// To is the recipient's address: exactly one, without a display name.
	To      string
	Subject string
	// Text is the plain-text part; every link in it is spelled out.
	Text string
	// HTML is the HTML part.
	HTML string
	// Headers are further header fields (Message-ID, Date,
	// Auto-Submitted, List-Unsubscribe, ...), by name as written in the
	// message. Values hold no line breaks.
	Headers map[string]string
}
