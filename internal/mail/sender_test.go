package mail_test

import (
	"strings"
	"testing"

	mmail "masthead/internal/mail"
)

func TestNewSMTPSenderURL(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"smtp://mail.example.com", true},
		{"smtp://user:pa%40ss@mail.example.com:587", true},
		{"smtp://127.0.0.1:1025", true},
		{"smtp://[::1]:1025?starttls=off", true},
		{"smtp://mail.example.com:25?starttls=opportunistic", true},
		{"smtp://mail.example.com?starttls=required", true},
		{"smtps://user:secret@mail.example.com", true},
		{"smtps://mail.example.com:2465", true},
		{"http://mail.example.com", false},
		{"mail.example.com:25", false},
		{"smtp://", false},
		{"smtp://user:secret@mail.example.com:port", false},
		{"smtp://user:secret@mail.example.com:70000", false},
		{"smtp://mail.example.com/path", false},
		{"smtp://mail.example.com?starttls=maybe", false},
		{"smtp://mail.example.com?tls=1", false},
		{"smtps://mail.example.com?starttls=off", false},
		{"smtp://user:secret@mail.example.com:25%", false},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			_, err := mmail.NewSMTPSender(mmail.Config{SMTPURL: tt.url})
			if (err == nil) != tt.ok {
				t.Fatalf("NewSMTPSender(%q) error = %v, want ok = %v", tt.url, err, tt.ok)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("error %q reveals the password", err)
			}
		})
	}
}

func TestNewSenderChoosesLogWithoutURL(t *testing.T) {
	s, err := mmail.NewSender(mmail.Config{})
	if err != nil || s == nil {
		t.Fatalf("NewSender without URL = %v, %v; want the log sender", s, err)
	}
	if _, err := mmail.NewSender(mmail.Config{SMTPURL: "ftp://x"}); err == nil {
		t.Errorf("NewSender with a bad URL: no error")
	}
}
