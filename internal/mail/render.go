package mail

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"masthead"
)

// The Data keys Render reads, beside those named in masthead/outbox.go.
const (
	// DataName is an optional display name for the greeting.
	DataName = "name"
	// DataExpires is an optional RFC 3339 time at which a message's link
	// stops working; it is stated under the link.
	DataExpires = "expires"
	// DataUnsubscribeURL is an optional URL that stops emails of this kind.
	// It becomes the List-Unsubscribe header (with one-click
	// List-Unsubscribe-Post, RFC 8058) and a line in the footer. Account
	// emails, which a reader cannot opt out of, have none.
	DataUnsubscribeURL = "unsubscribe_url"

	dataToken    = "token"
	dataNewEmail = "new_email"
	dataDue      = "due"
)

// The paths of the site's pages that messages link to.
const (
	pathVerify        = "/verify"
	pathPasswordReset = "/password/reset"
	pathEmailConfirm  = "/account/email/confirm"
	pathSignIn        = "/signin"
	pathForgot        = "/password/forgot"
	// pathUnsubscribeReplies is the one-click unsubscribe page of reply
	// emails.
	pathUnsubscribeReplies = "/account/notifications/unsubscribe"
)

// formatDateTime is the catalogue entry holding the Go time layout of a
// date and time.
const formatDateTime masthead.MessageID = "format.datetime"

//go:embed templates/message.html
var templateFS embed.FS

// htmlTemplate is the layout of every HTML part. It is parsed once and
// never changed.
var htmlTemplate = template.Must(template.ParseFS(templateFS, "templates/message.html"))

// block is one paragraph of a message: a sentence, a quotation, or a link.
type block struct {
	Text  string
	Label string // link label, in the HTML part
	URL   string
	// Quote marks Text as quoted from someone (a reply's excerpt).
	Quote bool
	// Inline shows a link as a plain link rather than a button, in the
	// HTML part.
	Inline bool
}

// htmlData is what the HTML template shows.
type htmlData struct {
	Lang            string
	Subject         string
	SiteName        string
	Greeting        string
	Blocks          []block
	CopyLink        string
	Signature       string
	Footer          string
	Unsubscribe     string
	UnsubscribeText string
}

// Render makes the email of an outbox message: its subject, plain-text and
// HTML parts, and headers, every sentence from the message catalogue in
// cfg.Locale. It fails for an unknown kind, and with an error wrapping
// ErrPermanent when the message itself is unusable (To is not a single
// address, a token or date its kind needs is missing).
func Render(cfg Config, m *masthead.OutboxMessage) (*Message, error) {
	cfg = cfg.withDefaults()
	base, err := url.Parse(cfg.BaseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("mail: base URL %q is not an absolute http(s) URL", cfg.BaseURL)
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("mail: from address %q: %w", cfg.From, err)
	}
	to, err := recipient(m.To)
	if err != nil {
		return nil, err
	}

	r := renderer{cfg: cfg, m: m}
	subject, blocks, err := r.content()
	if err != nil {
		return nil, err
	}
	unsubscribe, err := r.unsubscribeURL()
	if err != nil {
		return nil, err
	}

	greeting := r.msg(masthead.MsgMailGreeting)
	if name := oneLine(m.Data[DataName]); name != "" {
		greeting = r.msg(masthead.MsgMailGreetingName, name)
	}
	data := htmlData{
		Lang:      string(cfg.Locale),
		Subject:   oneLine(subject),
		SiteName:  cfg.SiteName,
		Greeting:  greeting,
		Blocks:    blocks,
		CopyLink:  r.msg(masthead.MsgMailCopyLink),
		Signature: r.msg(masthead.MsgMailSignature, cfg.SiteName),
		Footer:    r.msg(masthead.MsgMailFooter, cfg.SiteName),
	}
	if unsubscribe != "" {
		data.Unsubscribe = unsubscribe
		data.UnsubscribeText = r.msg(masthead.MsgMailUnsubscribe)
	}

	var html bytes.Buffer
	if err := htmlTemplate.Execute(&html, data); err != nil {
		return nil, fmt.Errorf("mail: render %s: %w", m.Kind, err)
	}

	headers := map[string]string{
		"Message-ID":               messageID(m, from.Address),
		"Date":                     cfg.Now().Format(time.RFC1123Z),
		"Auto-Submitted":           "auto-generated",
		"X-Auto-Response-Suppress": "All",
	}
	if unsubscribe != "" {
		headers["List-Unsubscribe"] = "<" + unsubscribe + ">"
		headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
	}

	return &Message{
		From:    from.String(),
		To:      to,
		Subject: data.Subject,
		Text:    plainText(data),
		HTML:    html.String(),
		Headers: headers,
	}, nil
}

// renderer holds what the parts of Render share.
type renderer struct {
	cfg Config
	m   *masthead.OutboxMessage
}

// msg returns a sentence of the catalogue in the configured locale.
func (r renderer) msg(id masthead.MessageID, args ...any) string {
	return masthead.MsgIn(r.cfg.Locale, id, args...)
}

// link returns the absolute URL of path on the site, with a token query
// parameter when token is not "".
func (r renderer) link(path, token string) string {
	u := r.cfg.BaseURL + path
	if token != "" {
		u += "?token=" + url.QueryEscape(token)
	}
	return u
}

// required returns m.Data[key], or a permanent error if it is empty.
func (r renderer) required(key string) (string, error) {
	v := r.m.Data[key]
	if v == "" {
		return "", fmt.Errorf("%w: %s message %d has no %q", ErrPermanent, r.m.Kind, r.m.ID, key)
	}
	return v, nil
}

// datetime formats t as a date and time for the configured locale and zone.
func (r renderer) datetime(t time.Time) string {
	return t.In(r.cfg.TimeZone).Format(r.msg(formatDateTime))
}

// tokenLink returns the link block of a token link to path and, when the
// message says when its link expires, the sentence saying so.
func (r renderer) tokenLink(path string, label masthead.MessageID) ([]block, error) {
	token, err := r.required(dataToken)
	if err != nil {
		return nil, err
	}
	blocks := []block{{Label: r.msg(label), URL: r.link(path, token)}}
	if s := r.m.Data[DataExpires]; s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return nil, fmt.Errorf("%w: %s message %d: expires: %w", ErrPermanent, r.m.Kind, r.m.ID, err)
		}
		blocks = append(blocks, block{Text: r.msg(masthead.MsgMailLinkExpires, r.datetime(t))})
	}
	return blocks, nil
}

// content returns the subject and paragraphs of the message's kind.
func (r renderer) content() (string, []block, error) {
	site := r.cfg.SiteName
	text := func(id masthead.MessageID, args ...any) block { return block{Text: r.msg(id, args...)} }
	link := func(label masthead.MessageID, path string) block {
		return block{Label: r.msg(label), URL: r.link(path, "")}
	}
	withLink := func(subject string, head []block, path string, label masthead.MessageID, tail ...block) (string, []block, error) {
		l, err := r.tokenLink(path, label)
		if err != nil {
			return "", nil, err
		}
		blocks := append(append(head, l...), tail...)
		return subject, blocks, nil
	}

	switch r.m.Kind {
	case masthead.EmailVerify:
		return withLink(r.msg(masthead.MsgMailVerifySubject, site),
			[]block{text(masthead.MsgMailVerifyIntro, site)},
			pathVerify, masthead.MsgMailVerifyAction,
			text(masthead.MsgMailVerifyIgnore))

	case masthead.EmailSignUpExisting:
		return r.msg(masthead.MsgMailSignUpExistingSubject, site), []block{
			text(masthead.MsgMailSignUpExistingIntro, site),
			text(masthead.MsgMailSignUpExistingSignIn),
			link(masthead.MsgMailActionSignIn, pathSignIn),
			text(masthead.MsgMailSignUpExistingForgot),
			link(masthead.MsgMailActionResetPassword, pathForgot),
			text(masthead.MsgMailSignUpExistingIgnore),
		}, nil

	case masthead.EmailPasswordReset:
		return withLink(r.msg(masthead.MsgMailPasswordResetSubject, site),
			[]block{text(masthead.MsgMailPasswordResetIntro, site)},
			pathPasswordReset, masthead.MsgMailPasswordResetAction,
			text(masthead.MsgMailPasswordResetIgnore))

	case masthead.EmailPasswordChanged:
		at := r.m.CreatedAt
		if at.IsZero() {
			at = r.cfg.Now()
		}
		return r.msg(masthead.MsgMailPasswordChangedSubject, site), []block{
			text(masthead.MsgMailPasswordChangedIntro, site, r.datetime(at)),
			text(masthead.MsgMailPasswordChangedIfYou),
			text(masthead.MsgMailPasswordChangedIfNot),
			link(masthead.MsgMailActionResetPassword, pathForgot),
		}, nil

	case masthead.EmailChangeConfirm:
		return withLink(r.msg(masthead.MsgMailEmailChangeConfirmSubject, site),
			[]block{text(masthead.MsgMailEmailChangeConfirmIntro, site)},
			pathEmailConfirm, masthead.MsgMailEmailChangeConfirmAction,
			text(masthead.MsgMailEmailChangeConfirmIgnore))

	case masthead.EmailChangeNotice:
		newEmail, err := r.required(dataNewEmail)
		if err != nil {
			return "", nil, err
		}
		return r.msg(masthead.MsgMailEmailChangeNoticeSubject, site), []block{
			text(masthead.MsgMailEmailChangeNoticeIntro, site, oneLine(newEmail)),
			text(masthead.MsgMailEmailChangeNoticeIfYou),
			text(masthead.MsgMailEmailChangeNoticeIfNot),
			link(masthead.MsgMailActionResetPassword, pathForgot),
		}, nil

	case masthead.EmailCommentReply:
		return r.commentReply()

	case masthead.EmailCommentApproved, masthead.EmailCommentRejected:
		return r.commentModerated()

	case masthead.EmailAccountWarned, masthead.EmailAccountSuspended, masthead.EmailAccountBanned,
		masthead.EmailDisplayNameReset:
		return r.accountModerated()

	case masthead.EmailDeletionScheduled:
		s, err := r.required(dataDue)
		if err != nil {
			return "", nil, err
		}
		due, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return "", nil, fmt.Errorf("%w: %s message %d: due: %w", ErrPermanent, r.m.Kind, r.m.ID, err)
		}
		return r.msg(masthead.MsgMailDeletionSubject, site), []block{
			text(masthead.MsgMailDeletionIntro, site, r.datetime(due)),
			text(masthead.MsgMailDeletionCancel),
			link(masthead.MsgMailActionSignIn, pathSignIn),
		}, nil
	}
	// Not permanent: during a rolling upgrade an older instance may claim
	// a kind that only newer ones know; a later attempt may reach one.
	return "", nil, fmt.Errorf("mail: message %d: unknown kind %q", r.m.ID, r.m.Kind)
}

// unsubscribeURL returns the message's unsubscribe URL, if any, after
// checking that it is an absolute http(s) URL safe to put in a header.
func (r renderer) unsubscribeURL() (string, error) {
	s := r.m.Data[DataUnsubscribeURL]
	if s == "" && r.m.Kind == masthead.EmailCommentReply {
		token, err := r.required(masthead.ReplyDataUnsubscribeToken)
		if err != nil {
			return "", err
		}
		s = r.link(pathUnsubscribeReplies, token)
	}
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
		strings.ContainsFunc(s, func(c rune) bool { return c <= ' ' || c == '<' || c == '>' || c == 0x7f }) {
		return "", fmt.Errorf("%w: message %d: unsubscribe URL is not an absolute http(s) URL", ErrPermanent, r.m.ID)
	}
	return s, nil
}

// recipient checks that to is one address and returns it without any
// display name.
func recipient(to string) (string, error) {
	a, err := mail.ParseAddress(to)
	if err != nil || strings.ContainsAny(a.Address, "\r\n") {
		return "", fmt.Errorf("%w: recipient is not a single email address", ErrPermanent)
	}
	return a.Address, nil
}

// messageID returns the Message-ID of m. It is the same at every attempt,
// so that a receiver can drop a copy sent twice (when a send succeeded but
// could not be recorded).
func messageID(m *masthead.OutboxMessage, fromAddr string) string {
	domain := "localhost"
	if at := strings.LastIndexByte(fromAddr, '@'); at >= 0 && at < len(fromAddr)-1 {
		domain = fromAddr[at+1:]
	}
	created := "0"
	if !m.CreatedAt.IsZero() {
		created = strconv.FormatInt(m.CreatedAt.UnixNano(), 36)
	}
	return "<masthead." + strconv.FormatInt(m.ID, 10) + "." + created + "@" + domain + ">"
}

// plainText returns the plain-text part of a message: its paragraphs
// separated by blank lines, each link spelled out on a line of its own.
func plainText(d htmlData) string {
	var b strings.Builder
	b.WriteString(d.Greeting)
	for _, bl := range d.Blocks {
		b.WriteString("\n\n")
		if bl.URL != "" {
			b.WriteString(bl.URL)
		} else if bl.Quote {
			b.WriteString("> ")
			b.WriteString(bl.Text)
		} else {
			b.WriteString(bl.Text)
		}
	}
	b.WriteString("\n\n")
	b.WriteString(d.Signature)
	b.WriteString("\n\n-- \n")
	b.WriteString(d.Footer)
	if d.Unsubscribe != "" {
		b.WriteString("\n")
		b.WriteString(d.UnsubscribeText)
		b.WriteString("\n")
		b.WriteString(d.Unsubscribe)
	}
	b.WriteString("\n")
	return b.String()
}

// oneLine replaces control characters (line breaks among them) in s with
// spaces, so that a value from data cannot start a line of its own in a
// header or the text part.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}
