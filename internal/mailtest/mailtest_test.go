package mailtest_test

import (
	"net/smtp"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"masthead/internal/mailtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	mailtest.Stop()
	os.Exit(code)
}

func TestStartSendRead(t *testing.T) {
	srv := mailtest.Start(t)
	u, err := url.Parse(srv.SMTPURL)
	if err != nil {
		t.Fatalf("SMTPURL %q: %v", srv.SMTPURL, err)
	}
	to := mailtest.Address(t)
	other := "x" + to // a longer address that contains to
	body := "To: " + to + "\r\nFrom: sender@example.com\r\nSubject: Hello there\r\nX-Test: yes\r\n\r\nThe body.\r\n"
	if err := smtp.SendMail(u.Host, nil, "sender@example.com", []string{to}, []byte(body)); err != nil {
		t.Fatalf("SendMail: %v", err)
	}
	if err := smtp.SendMail(u.Host, nil, "sender@example.com", []string{other}, []byte(strings.Replace(body, to, other, 1))); err != nil {
		t.Fatalf("SendMail: %v", err)
	}

	full := srv.WaitMessage(t, to, "Hello", 5*time.Second)
	if got, want := full.Subject, "Hello there"; got != want {
		t.Errorf("Subject = %q, want %q", got, want)
	}
	if got, want := strings.TrimSpace(full.Text), "The body."; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
	if got, want := full.Header("x-test"), "yes"; got != want {
		t.Errorf("Header(x-test) = %q, want %q", got, want)
	}
	if got := srv.Messages(t, to); len(got) != 1 {
		t.Errorf("Messages(%s) = %d messages, want 1 (the search must not match %s)", to, len(got), other)
	}
}

func TestAddress(t *testing.T) {
	a, b := mailtest.Address(t), mailtest.Address(t)
	if a == b {
		t.Errorf("Address returned %q twice", a)
	}
	if !strings.HasPrefix(a, "testaddress-") || !strings.HasSuffix(a, "@example.com") {
		t.Errorf("Address = %q, want testaddress-…@example.com", a)
	}
}
