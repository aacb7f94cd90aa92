package mail_test

import (
	"errors"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"masthead"
	mmail "masthead/internal/mail"
)

// testNow is the fixed clock of these tests.
var testNow = time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)

// testConfig returns a configuration for tests.
func testConfig() mmail.Config {
	return mmail.Config{
		SiteName: "The Daily Example",
		BaseURL:  "https://news.example/",
		TimeZone: time.FixedZone("JST", 9*60*60),
		Now:      func() time.Time { return testNow },
	}
}

// kindCase is one kind of email with the data it needs and the links its
// text must spell out.
type kindCase struct {
	kind  masthead.EmailKind
	data  map[string]string
	links []string
	more  []string // further text the plain part must contain
}

// everyKind lists every kind in masthead/outbox.go.
var everyKind = []kindCase{
	{masthead.EmailVerify, map[string]string{"token": "tok-verify"},
		[]string{"https://news.example/verify?token=tok-verify"}, nil},
	{masthead.EmailSignUpExisting, nil,
		[]string{"https://news.example/signin", "https://news.example/password/forgot"}, nil},
	{masthead.EmailPasswordReset, map[string]string{"token": "tok-reset", "expires": "2026-03-01T10:30:00Z"},
		[]string{"https://news.example/password/reset?token=tok-reset"}, []string{"1 March 2026, 19:30 JST"}},
	{masthead.EmailPasswordChanged, nil,
		[]string{"https://news.example/password/forgot"}, []string{"1 March 2026, 18:00 JST"}},
	{masthead.EmailChangeConfirm, map[string]string{"token": "tok-change"},
		[]string{"https://news.example/account/email/confirm?token=tok-change"}, nil},
	{masthead.EmailChangeNotice, map[string]string{"new_email": "new@example.org"},
		[]string{"https://news.example/password/forgot"}, []string{"new@example.org"}},
	{masthead.EmailDeletionScheduled, map[string]string{"due": "2026-03-02T09:30:00Z"},
		[]string{"https://news.example/signin"}, []string{"2 March 2026, 18:30 JST"}},
}

// outboxMessage returns an outbox message of c.
func outboxMessage(id int64, to string, c kindCase) *masthead.OutboxMessage {
	return &masthead.OutboxMessage{
		ID: id, Kind: c.kind, To: to, Data: c.data,
		CreatedAt: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC),
	}
}

// unresolvedID matches a message ID of the catalogue shown as itself.
var unresolvedID = regexp.MustCompile(`(?:^|[^A-Za-z0-9_])(?:mail|format)\.[a-z_.]+`)

// checkResolved fails the test if s shows a message ID instead of its text.
func checkResolved(t *testing.T, part, s string) {
	t.Helper()
	if id := unresolvedID.FindString(s); id != "" {
		t.Errorf("%s contains the unresolved message ID %q:\n%s", part, id, s)
	}
}

func TestRenderEveryKind(t *testing.T) {
	for _, c := range everyKind {
		t.Run(string(c.kind), func(t *testing.T) {
			msg, err := mmail.Render(testConfig(), outboxMessage(7, "reader@example.com", c))
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if got, want := msg.To, "reader@example.com"; got != want {
				t.Errorf("To = %q, want %q", got, want)
			}
			if !strings.Contains(msg.Subject, "The Daily Example") {
				t.Errorf("Subject = %q, want the site name in it", msg.Subject)
			}
			from, err := mail.ParseAddress(msg.From)
			if err != nil {
				t.Fatalf("From %q: %v", msg.From, err)
			}
			if got, want := *from, (mail.Address{Name: "The Daily Example", Address: "no-reply@news.example"}); got != want {
				t.Errorf("From = %+v, want %+v", got, want)
			}
			for _, link := range c.links {
				if !strings.Contains(msg.Text, "\n"+link+"\n") {
					t.Errorf("text part lacks the link %s on a line of its own:\n%s", link, msg.Text)
				}
				if !strings.Contains(msg.HTML, `href="`+link+`"`) {
					t.Errorf("HTML part lacks a link to %s:\n%s", link, msg.HTML)
				}
			}
			for _, s := range c.more {
				if !strings.Contains(msg.Text, s) {
					t.Errorf("text part lacks %q:\n%s", s, msg.Text)
				}
			}
			if !strings.Contains(msg.Text, "— The Daily Example") {
				t.Errorf("text part lacks the signature:\n%s", msg.Text)
			}
			checkResolved(t, "subject", msg.Subject)
			checkResolved(t, "text part", msg.Text)
			checkResolved(t, "HTML part", msg.HTML)

			for name, want := range map[string]string{
				"Message-ID":     "<masthead.7.",
				"Date":           "Sun, 01 Mar 2026 09:30:00 +0000",
				"Auto-Submitted": "auto-generated",
			} {
				if got := msg.Headers[name]; !strings.HasPrefix(got, want) {
					t.Errorf("header %s = %q, want it to start %q", name, got, want)
				}
			}
			if got := msg.Headers["Message-ID"]; !strings.HasSuffix(got, "@news.example>") {
				t.Errorf("Message-ID = %q, want it at news.example", got)
			}
			if _, ok := msg.Headers["List-Unsubscribe"]; ok {
				t.Errorf("an account email has a List-Unsubscribe header")
			}
		})
	}
}

func TestRenderMessageIDStable(t *testing.T) {
	c := everyKind[0]
	a, err := mmail.Render(testConfig(), outboxMessage(7, "reader@example.com", c))
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig()
	cfg.Now = func() time.Time { return testNow.Add(time.Hour) }
	b, err := mmail.Render(cfg, outboxMessage(7, "reader@example.com", c))
	if err != nil {
		t.Fatal(err)
	}
	if a.Headers["Message-ID"] != b.Headers["Message-ID"] {
		t.Errorf("Message-ID changed between attempts: %q, %q", a.Headers["Message-ID"], b.Headers["Message-ID"])
	}
	c2, err := mmail.Render(testConfig(), outboxMessage(8, "reader@example.com", c))
	if err != nil {
		t.Fatal(err)
	}
	if a.Headers["Message-ID"] == c2.Headers["Message-ID"] {
		t.Errorf("two messages share the Message-ID %q", a.Headers["Message-ID"])
	}
}

func TestRenderTokenEscaped(t *testing.T) {
	m := &masthead.OutboxMessage{ID: 1, Kind: masthead.EmailVerify, To: "a@example.com",
		Data: map[string]string{"token": "a+b/c=&d"}}
	msg, err := mmail.Render(testConfig(), m)
	if err != nil {
		t.Fatal(err)
	}
	want := "https://news.example/verify?token=" + url.QueryEscape("a+b/c=&d")
	if !strings.Contains(msg.Text, want) {
		t.Errorf("text part lacks %s:\n%s", want, msg.Text)
	}
}

func TestRenderEscapesHostileValues(t *testing.T) {
	cfg := testConfig()
	cfg.SiteName = "<script>alert(1)</script> & Co\r\nBcc: victim@example.com"
	m := &masthead.OutboxMessage{ID: 1, Kind: masthead.EmailChangeNotice, To: "owner@example.com",
		Data: map[string]string{
			"new_email": `"<img src=x onerror=alert(1)>"@evil.example`,
			"name":      "<b>Eve</b>\nInjected line",
		}}
	msg, err := mmail.Render(cfg, m)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	for _, bad := range []string{"<script", "<img", "<b>"} {
		if strings.Contains(msg.HTML, bad) {
			t.Errorf("HTML part contains unescaped %q:\n%s", bad, msg.HTML)
		}
	}
	for _, want := range []string{"&lt;script&gt;", "&lt;img src=x onerror=alert(1)&gt;", "&lt;b&gt;Eve&lt;/b&gt;"} {
		if !strings.Contains(msg.HTML, want) {
			t.Errorf("HTML part lacks the escaped %q:\n%s", want, msg.HTML)
		}
	}
	if strings.ContainsAny(msg.Subject, "\r\n") {
		t.Errorf("Subject holds a line break: %q", msg.Subject)
	}
	if strings.Contains(msg.Text, "\nInjected line") {
		t.Errorf("a name in the data started a line of its own in the text part:\n%s", msg.Text)
	}
	for name, v := range msg.Headers {
		if strings.ContainsAny(v, "\r\n") {
			t.Errorf("header %s holds a line break: %q", name, v)
		}
	}
}

func TestRenderUnsubscribe(t *testing.T) {
	m := &masthead.OutboxMessage{ID: 3, Kind: masthead.EmailPasswordChanged, To: "a@example.com",
		Data: map[string]string{"unsubscribe_url": "https://news.example/unsubscribe?t=xyz"}}
	msg, err := mmail.Render(testConfig(), m)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := msg.Headers["List-Unsubscribe"], "<https://news.example/unsubscribe?t=xyz>"; got != want {
		t.Errorf("List-Unsubscribe = %q, want %q", got, want)
	}
	if got, want := msg.Headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click"; got != want {
		t.Errorf("List-Unsubscribe-Post = %q, want %q", got, want)
	}
	if !strings.Contains(msg.Text, "\nhttps://news.example/unsubscribe?t=xyz\n") {
		t.Errorf("text part lacks the unsubscribe link:\n%s", msg.Text)
	}
}

func TestRenderErrors(t *testing.T) {
	verify := func(to string, data map[string]string) *masthead.OutboxMessage {
		return &masthead.OutboxMessage{ID: 1, Kind: masthead.EmailVerify, To: to, Data: data}
	}
	token := map[string]string{"token": "t"}
	tests := []struct {
		name      string
		base      string
		m         *masthead.OutboxMessage
		permanent bool
	}{
		{"unknown kind", "", &masthead.OutboxMessage{ID: 1, Kind: "newer_kind", To: "a@example.com"}, false},
		{"no base URL", "-", verify("a@example.com", token), false},
		{"relative base URL", "/news", verify("a@example.com", token), false},
		{"two recipients", "", verify("a@example.com, b@example.com", token), true},
		{"header injection in To", "", verify("a@example.com\r\nBcc: b@example.com", token), true},
		{"empty To", "", verify("", token), true},
		{"no token", "", verify("a@example.com", nil), true},
		{"bad expiry", "", verify("a@example.com", map[string]string{"token": "t", "expires": "soon"}), true},
		{"no new address", "", &masthead.OutboxMessage{ID: 1, Kind: masthead.EmailChangeNotice, To: "a@example.com"}, true},
		{"bad due date", "", &masthead.OutboxMessage{ID: 1, Kind: masthead.EmailDeletionScheduled, To: "a@example.com",
			Data: map[string]string{"due": "tomorrow"}}, true},
		{"script unsubscribe URL", "", verify("a@example.com", map[string]string{"token": "t", "unsubscribe_url": "javascript:alert(1)"}), true},
		{"unsubscribe URL with a line break", "", verify("a@example.com", map[string]string{"token": "t", "unsubscribe_url": "https://x.example/u\r\nBcc: b@example.com"}), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			switch tt.base {
			case "-":
				cfg.BaseURL = ""
			case "":
			default:
				cfg.BaseURL = tt.base
			}
			msg, err := mmail.Render(cfg, tt.m)
			if err == nil {
				t.Fatalf("Render = %+v, want an error", msg)
			}
			if got := errors.Is(err, mmail.ErrPermanent); got != tt.permanent {
				t.Errorf("Render error %q: permanent = %v, want %v", err, got, tt.permanent)
			}
		})
	}
}
