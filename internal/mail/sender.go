package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Sender sends one email.
type Sender interface {
	// Send sends msg. An error wrapping ErrPermanent means that sending
	// it again cannot succeed.
	Send(ctx context.Context, msg *Message) error
}

// NewSender returns the sender cfg asks for: an SMTP sender when
// cfg.SMTPURL is set, otherwise a log sender writing to cfg.Logger.
func NewSender(cfg Config) (Sender, error) {
	if cfg.SMTPURL == "" {
		return NewLogSender(cfg.withDefaults().Logger), nil
	}
	return NewSMTPSender(cfg)
}

// smtpSender sends over SMTP, one connection per message.
type smtpSender struct {
	host     string
	port     int
	implicit bool // TLS from the start (smtps)
	policy   gomail.TLSPolicy
	user     string
	password string
	hasAuth  bool
	timeout  time.Duration
}

// NewSMTPSender returns a Sender that delivers to the SMTP server of
// cfg.SMTPURL, which has one of the forms
//
//	smtp://[user[:password]@]host[:port][?starttls=required|opportunistic|off]
//	smtps://[user[:password]@]host[:port]
//
// smtp connects in the clear (port 587 by default) and upgrades with
// STARTTLS. STARTTLS is required, so that a server or an attacker that
// does not offer it cannot make links and passwords travel in the clear;
// to a loopback host (localhost, 127.0.0.0/8, ::1), whose traffic never
// leaves the machine, it is used only when offered. The starttls
// parameter overrides that: required, opportunistic (used when offered),
// or off. smtps speaks TLS from the start (port 465 by default).
//
// A user name turns on SMTP authentication with the strongest mechanism
// the server offers; PLAIN and LOGIN are used only over TLS. The user name
// and password are percent-decoded. Certificates are always verified.
//
// It returns an error for a URL that is not of those forms; the error
// never contains the password.
func NewSMTPSender(cfg Config) (Sender, error) {
	cfg = cfg.withDefaults()
	u, err := url.Parse(cfg.SMTPURL)
	if err != nil {
		// A *url.Error repeats the URL, password and all; keep only its
		// reason.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, fmt.Errorf("mail: SMTP URL: %w", err)
	}
	s := &smtpSender{timeout: cfg.SendTimeout}
	switch u.Scheme {
	case "smtp":
		s.port = 587
	case "smtps":
		s.port = 465
		s.implicit = true
	default:
		return nil, fmt.Errorf("mail: SMTP URL: scheme %q is not smtp or smtps", u.Scheme)
	}
	s.host = u.Hostname()
	if s.host == "" {
		return nil, errors.New("mail: SMTP URL: no host")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("mail: SMTP URL: port %q is not a number from 1 to 65535", p)
		}
		s.port = n
	}
	if u.Path != "" && u.Path != "/" {
		return nil, errors.New("mail: SMTP URL: a path is not allowed")
	}
	if u.User != nil && u.User.Username() != "" {
		s.hasAuth = true
		s.user = u.User.Username()
		s.password, _ = u.User.Password()
	}

	s.policy = gomail.TLSMandatory
	if isLoopback(s.host) {
		s.policy = gomail.TLSOpportunistic
	}
	for key, values := range u.Query() {
		if key != "starttls" || len(values) != 1 {
			return nil, fmt.Errorf("mail: SMTP URL: unknown or repeated parameter %q (only starttls is known)", key)
		}
		if s.implicit {
			return nil, errors.New("mail: SMTP URL: starttls does not apply to smtps")
		}
		switch values[0] {
		case "required":
			s.policy = gomail.TLSMandatory
		case "opportunistic":
			s.policy = gomail.TLSOpportunistic
		case "off":
			s.policy = gomail.NoTLS
		default:
			return nil, fmt.Errorf("mail: SMTP URL: starttls=%q is not required, opportunistic or off", values[0])
		}
	}
	return s, nil
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// userAgent names the mailer in the User-Agent and X-Mailer headers, in
// place of the library's name and version.
const userAgent = "Masthead"

// reservedHeaders are the header fields that the sender writes itself and
// that Message.Headers may therefore not hold.
var reservedHeaders = map[string]bool{
	"From": true, "Sender": true, "To": true, "Cc": true, "Bcc": true, "Subject": true,
	"Return-Path": true, "Mime-Version": true, "Content-Type": true,
	"Content-Transfer-Encoding": true,
}

// Send implements Sender.
func (s *smtpSender) Send(ctx context.Context, msg *Message) error {
	m := gomail.NewMsg()
	if err := m.From(msg.From); err != nil {
		return fmt.Errorf("mail: from: %w", err)
	}
	to, err := recipient(msg.To)
	if err != nil {
		return err
	}
	if err := m.To(to); err != nil {
		return fmt.Errorf("%w: to: %w", ErrPermanent, err)
	}
	m.Subject(oneLine(msg.Subject))
	m.SetUserAgent(userAgent)
	for name, value := range msg.Headers {
		if !validHeaderName(name) || reservedHeaders[textproto.CanonicalMIMEHeaderKey(name)] {
			return fmt.Errorf("%w: header %q may not be set", ErrPermanent, name)
		}
		if strings.ContainsAny(value, "\r\n") {
			return fmt.Errorf("%w: header %s holds a line break", ErrPermanent, name)
		}
		m.SetGenHeader(gomail.Header(name), value)
	}
	m.SetBodyString(gomail.TypeTextPlain, msg.Text)
	if msg.HTML != "" {
		m.AddAlternativeString(gomail.TypeTextHTML, msg.HTML)
	}

	opts := []gomail.Option{
		gomail.WithPort(s.port),
		gomail.WithTimeout(s.timeout),
	}
	if s.implicit {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(s.policy))
	}
	if s.hasAuth {
		opts = append(opts,
			gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.user),
			gomail.WithPassword(s.password))
	}
	client, err := gomail.NewClient(s.host, opts...)
	if err != nil {
		return fmt.Errorf("mail: smtp client: %w", err)
	}

	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := client.DialAndSendWithContext(ctx, m); err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) && se.ErrorCode() >= 500 && se.ErrorCode() < 600 {
			return fmt.Errorf("%w: smtp %s:%d: %w", ErrPermanent, s.host, s.port, err)
		}
		return fmt.Errorf("mail: smtp %s:%d: %w", s.host, s.port, err)
	}
	return nil
}

// validHeaderName reports whether name is a plausible header field name:
// letters, digits and hyphens.
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		if !(c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// logSender writes messages to a log instead of sending them.
type logSender struct {
	logger *slog.Logger
}

// NewLogSender returns a Sender that sends nothing: it logs each message's
// recipient, subject and plain-text part (which spells out its links) at
// Info level, so that a site without an SMTP server can still be used in
// development.
func NewLogSender(logger *slog.Logger) Sender {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &logSender{logger: logger}
}

// Send implements Sender.
func (s *logSender) Send(ctx context.Context, msg *Message) error {
	s.logger.InfoContext(ctx, "mail: email not sent, no SMTP server configured (MASTHEAD_SMTP_URL); it reads:",
		"to", msg.To, "subject", msg.Subject, "text", msg.Text)
	return nil
}
