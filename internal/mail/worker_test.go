package mail_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"masthead"
	mmail "masthead/internal/mail"
	"masthead/internal/mailtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	mailtest.Stop()
	os.Exit(code)
}

// fakeOutbox is a function-field fake of masthead.OutboxService.
type fakeOutbox struct {
	ClaimOutboxFn func(ctx context.Context, n int, lease time.Duration) ([]*masthead.OutboxMessage, error)
	MarkSentFn    func(ctx context.Context, id int64) error
	MarkFailedFn  func(ctx context.Context, id int64, reason string, retryAt time.Time) error
}

func (f *fakeOutbox) ClaimOutbox(ctx context.Context, n int, lease time.Duration) ([]*masthead.OutboxMessage, error) {
	return f.ClaimOutboxFn(ctx, n, lease)
}

func (f *fakeOutbox) MarkSent(ctx context.Context, id int64) error { return f.MarkSentFn(ctx, id) }

func (f *fakeOutbox) MarkFailed(ctx context.Context, id int64, reason string, retryAt time.Time) error {
	return f.MarkFailedFn(ctx, id, reason, retryAt)
}

// failure is one MarkFailed call.
type failure struct {
	id      int64
	reason  string
	retryAt time.Time
}

// queue is a small in-memory outbox built on fakeOutbox: messages added
// with add are handed out once each, and the outcomes are recorded.
type queue struct {
	fakeOutbox
	mu      sync.Mutex
	pending []*masthead.OutboxMessage
	sent    []int64
	failed  []failure
	claims  int
	marked  chan struct{} // receives after every MarkSent or MarkFailed
}

func newQueue(msgs ...*masthead.OutboxMessage) *queue {
	q := &queue{pending: msgs, marked: make(chan struct{}, 100)}
	q.ClaimOutboxFn = func(ctx context.Context, n int, lease time.Duration) ([]*masthead.OutboxMessage, error) {
		q.mu.Lock()
		defer q.mu.Unlock()
		q.claims++
		n = min(n, len(q.pending))
		out := q.pending[:n]
		q.pending = q.pending[n:]
		return out, nil
	}
	q.MarkSentFn = func(ctx context.Context, id int64) error {
		q.mu.Lock()
		q.sent = append(q.sent, id)
		q.mu.Unlock()
		q.marked <- struct{}{}
		return nil
	}
	q.MarkFailedFn = func(ctx context.Context, id int64, reason string, retryAt time.Time) error {
		q.mu.Lock()
		q.failed = append(q.failed, failure{id, reason, retryAt})
		q.mu.Unlock()
		q.marked <- struct{}{}
		return nil
	}
	return q
}

func (q *queue) add(m *masthead.OutboxMessage) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pending = append(q.pending, m)
}

func (q *queue) outcome() (sent []int64, failed []failure) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return append([]int64(nil), q.sent...), append([]failure(nil), q.failed...)
}

// senderFunc is a Sender made of a function.
type senderFunc func(ctx context.Context, msg *mmail.Message) error

func (f senderFunc) Send(ctx context.Context, msg *mmail.Message) error { return f(ctx, msg) }

// closedSMTPURL returns an SMTP URL of a port nothing listens on.
func closedSMTPURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "smtp://" + addr
}

func TestWorkerSendsToMailpit(t *testing.T) {
	srv := mailtest.Start(t)
	cfg := testConfig()
	cfg.SMTPURL = srv.SMTPURL
	sender, err := mmail.NewSMTPSender(cfg)
	if err != nil {
		t.Fatalf("NewSMTPSender(%q): %v", srv.SMTPURL, err)
	}
	to := mailtest.Address(t)
	q := newQueue(&masthead.OutboxMessage{ID: 41, Kind: masthead.EmailVerify, To: to,
		Data: map[string]string{"token": "Tk_verify-123"}, CreatedAt: testNow})
	w := mmail.NewWorker(cfg, q, sender)

	n, err := w.RunOnce(t.Context())
	if err != nil {
		t.Fatalf("RunOnce: %v", err)
	}
	if n != 1 {
		t.Errorf("RunOnce sent %d, want 1", n)
	}
	sent, failed := q.outcome()
	if len(sent) != 1 || sent[0] != 41 || len(failed) != 0 {
		t.Errorf("MarkSent calls %v, MarkFailed calls %v; want MarkSent(41) only", sent, failed)
	}

	got := srv.WaitMessage(t, to, "Confirm your email address", 10*time.Second)
	link := "https://news.example/verify?token=Tk_verify-123"
	if !strings.Contains(got.Text, link) {
		t.Errorf("received text part lacks %s:\n%s", link, got.Text)
	}
	if !strings.Contains(got.HTML, `href="`+link+`"`) {
		t.Errorf("received HTML part lacks a link to %s:\n%s", link, got.HTML)
	}
	if !strings.Contains(got.Subject, "The Daily Example") {
		t.Errorf("Subject = %q, want the site name in it", got.Subject)
	}
	if got, want := got.From, "no-reply@news.example"; got != want {
		t.Errorf("From = %q, want %q", got, want)
	}
	if got, want := got.Header("Auto-Submitted"), "auto-generated"; got != want {
		t.Errorf("Auto-Submitted = %q, want %q", got, want)
	}
	if got := got.Header("Message-ID"); !strings.HasPrefix(got, "<masthead.41.") {
		t.Errorf("Message-ID = %q, want <masthead.41.…>", got)
	}
	if got := got.Header("List-Unsubscribe"); got != "" {
		t.Errorf("List-Unsubscribe = %q on an account email, want none", got)
	}
}

func TestEveryKindThroughMailpit(t *testing.T) {
	srv := mailtest.Start(t)
	cfg := testConfig()
	cfg.SiteName = "Le Quotidien d'Été"
	cfg.SMTPURL = srv.SMTPURL
	sender, err := mmail.NewSMTPSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	to := mailtest.Address(t)
	q := newQueue()
	for i, c := range everyKind {
		m := outboxMessage(int64(100+i), to, c)
		if i == 0 {
			m.Data = map[string]string{"token": "tok-verify", "unsubscribe_url": "https://news.example/unsubscribe?t=abc"}
		}
		q.add(m)
	}
	n, err := mmail.NewWorker(cfg, q, sender).RunOnce(t.Context())
	if err != nil || n != len(everyKind) {
		t.Fatalf("RunOnce = %d, %v; want %d, nil", n, err, len(everyKind))
	}
	for i, c := range everyKind {
		msg, err := mmail.Render(cfg, outboxMessage(int64(100+i), to, c))
		if err != nil {
			t.Fatal(err)
		}
		got := srv.WaitMessage(t, to, msg.Subject, 10*time.Second)
		if got.Text == "" || got.HTML == "" {
			t.Errorf("%s: text part %d bytes, HTML part %d bytes; want both", c.kind, len(got.Text), len(got.HTML))
		}
		for _, link := range c.links {
			if !strings.Contains(got.Text, link) {
				t.Errorf("%s: received text part lacks %s:\n%s", c.kind, link, got.Text)
			}
		}
		if i == 0 {
			if got, want := got.Header("List-Unsubscribe"), "<https://news.example/unsubscribe?t=abc>"; got != want {
				t.Errorf("List-Unsubscribe = %q, want %q", got, want)
			}
			if got, want := got.Header("List-Unsubscribe-Post"), "List-Unsubscribe=One-Click"; got != want {
				t.Errorf("List-Unsubscribe-Post = %q, want %q", got, want)
			}
		}
	}
}

func TestWorkerRetriesWithBackoff(t *testing.T) {
	cfg := testConfig()
	cfg.SMTPURL = closedSMTPURL(t)
	cfg.SendTimeout = 5 * time.Second
	cfg.MaxAttempts = 20
	sender, err := mmail.NewSMTPSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		attempts int           // before this one
		min, max time.Duration // of the wait
	}{
		{0, 15 * time.Second, 30 * time.Second},
		{2, 60 * time.Second, 120 * time.Second},
		{6, 16 * time.Minute, 32 * time.Minute},
		{12, 30 * time.Minute, time.Hour}, // capped
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("after %d", tt.attempts), func(t *testing.T) {
			q := newQueue(&masthead.OutboxMessage{ID: 5, Kind: masthead.EmailVerify, To: "a@example.com",
				Data: map[string]string{"token": "t"}, Attempts: tt.attempts})
			n, err := mmail.NewWorker(cfg, q, sender).RunOnce(t.Context())
			if err != nil || n != 0 {
				t.Fatalf("RunOnce = %d, %v; want 0, nil", n, err)
			}
			sent, failed := q.outcome()
			if len(sent) != 0 {
				t.Errorf("MarkSent called for %v, want no call", sent)
			}
			if len(failed) != 1 || failed[0].id != 5 {
				t.Fatalf("MarkFailed calls %+v, want one for message 5", failed)
			}
			if failed[0].reason == "" {
				t.Errorf("MarkFailed reason is empty")
			}
			wait := failed[0].retryAt.Sub(testNow)
			if wait < tt.min || wait > tt.max {
				t.Errorf("retryAt is %v after now, want between %v and %v", wait, tt.min, tt.max)
			}
		})
	}
}

func TestWorkerGivesUp(t *testing.T) {
	cfg := testConfig()
	cfg.MaxAttempts = 3
	fail := senderFunc(func(ctx context.Context, msg *mmail.Message) error { return errors.New("451 try later") })
	reject := senderFunc(func(ctx context.Context, msg *mmail.Message) error {
		return fmt.Errorf("%w: 550 no such user", mmail.ErrPermanent)
	})
	panics := senderFunc(func(ctx context.Context, msg *mmail.Message) error { panic("boom") })
	tests := []struct {
		name     string
		sender   mmail.Sender
		attempts int
		giveUp   bool
	}{
		{"last attempt", fail, 2, true},
		{"attempt before the last", fail, 1, false},
		{"permanent failure on the first attempt", reject, 0, true},
		{"panicking sender", panics, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := newQueue(&masthead.OutboxMessage{ID: 9, Kind: masthead.EmailPasswordChanged,
				To: "a@example.com", Attempts: tt.attempts})
			if _, err := mmail.NewWorker(cfg, q, tt.sender).RunOnce(t.Context()); err != nil {
				t.Fatalf("RunOnce: %v", err)
			}
			sent, failed := q.outcome()
			if len(sent) != 0 || len(failed) != 1 {
				t.Fatalf("MarkSent %v, MarkFailed %+v; want one MarkFailed only", sent, failed)
			}
			if got := failed[0].retryAt.IsZero(); got != tt.giveUp {
				t.Errorf("gave up = %v (retryAt %v), want %v", got, failed[0].retryAt, tt.giveUp)
			}
		})
	}
}

func TestWorkerNotifyWakesRun(t *testing.T) {
	cfg := testConfig()
	cfg.Poll = time.Hour // only Notify can wake it within the test
	q := newQueue()
	sender := senderFunc(func(ctx context.Context, msg *mmail.Message) error { return nil })
	w := mmail.NewWorker(cfg, q, sender)

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()

	// Wait for the first, empty pass, so that the message below is not
	// picked up by it.
	deadline := time.Now().Add(5 * time.Second)
	for {
		q.mu.Lock()
		claims := q.claims
		q.mu.Unlock()
		if claims > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Run did not claim within 5s of starting")
		}
		time.Sleep(5 * time.Millisecond)
	}

	q.add(&masthead.OutboxMessage{ID: 77, Kind: masthead.EmailVerify, To: "a@example.com",
		Data: map[string]string{"token": "t"}})
	start := time.Now()
	w.Notify()
	w.Notify() // a second notification must not block
	select {
	case <-q.marked:
	case <-time.After(5 * time.Second):
		t.Fatal("a notified worker did not send within 5s")
	}
	if sent, _ := q.outcome(); len(sent) != 1 || sent[0] != 77 {
		t.Errorf("MarkSent calls %v, want [77]", sent)
	}
	t.Logf("sent %v after Notify", time.Since(start))
}

func TestWorkerRunReturnsOnCancel(t *testing.T) {
	for _, name := range []string{"idle", "outbox failing"} {
		t.Run(name, func(t *testing.T) {
			cfg := testConfig()
			cfg.Poll = 10 * time.Millisecond
			q := newQueue()
			if name == "outbox failing" {
				q.ClaimOutboxFn = func(ctx context.Context, n int, lease time.Duration) ([]*masthead.OutboxMessage, error) {
					return nil, errors.New("database is down")
				}
			}
			w := mmail.NewWorker(cfg, q, nil)
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan error, 1)
			go func() { done <- w.Run(ctx) }()
			time.Sleep(50 * time.Millisecond)
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run = %v, want nil", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Run did not return within 5s of its context ending")
			}
		})
	}
}

func TestWorkerClaimsAgainAfterFullBatch(t *testing.T) {
	cfg := testConfig()
	cfg.Batch = 2
	cfg.Poll = time.Hour
	q := newQueue()
	for id := range int64(5) {
		q.add(&masthead.OutboxMessage{ID: id + 1, Kind: masthead.EmailPasswordChanged, To: "a@example.com"})
	}
	w := mmail.NewWorker(cfg, q, senderFunc(func(ctx context.Context, msg *mmail.Message) error { return nil }))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()
	for i := range 5 {
		select {
		case <-q.marked:
		case <-time.After(5 * time.Second):
			t.Fatalf("only %d of 5 messages sent within 5s", i)
		}
	}
}

func TestLogSender(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, nil))
	cfg := testConfig()
	cfg.Logger = logger
	sender, err := mmail.NewSender(cfg) // no SMTP URL: the log sender
	if err != nil {
		t.Fatal(err)
	}
	q := newQueue(&masthead.OutboxMessage{ID: 1, Kind: masthead.EmailPasswordReset, To: "reader@example.com",
		Data: map[string]string{"token": "reset-tok"}})
	n, err := mmail.NewWorker(cfg, q, sender).RunOnce(t.Context())
	if err != nil || n != 1 {
		t.Fatalf("RunOnce = %d, %v; want 1, nil", n, err)
	}
	if sent, _ := q.outcome(); len(sent) != 1 {
		t.Errorf("MarkSent calls %v, want one", sent)
	}
	out := buf.String()
	for _, want := range []string{"level=INFO", "reader@example.com", "Reset your password",
		"https://news.example/password/reset?token=reset-tok"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

func TestHostileValuesThroughMailpit(t *testing.T) {
	srv := mailtest.Start(t)
	victim := mailtest.Address(t)
	cfg := testConfig()
	cfg.SiteName = "Evil\r\nBcc: " + victim
	cfg.SMTPURL = srv.SMTPURL
	sender, err := mmail.NewSMTPSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	to := mailtest.Address(t)
	q := newQueue(&masthead.OutboxMessage{ID: 1, Kind: masthead.EmailChangeNotice, To: to,
		Data: map[string]string{"new_email": "x@example.org\r\nBcc: " + victim, "name": "<script>x</script>"}})
	if n, err := mmail.NewWorker(cfg, q, sender).RunOnce(t.Context()); err != nil || n != 1 {
		t.Fatalf("RunOnce = %d, %v; want 1, nil", n, err)
	}
	got := srv.WaitMessage(t, to, "being changed", 10*time.Second)
	if len(got.To) != 1 || got.To[0] != to {
		t.Errorf("To = %v, want [%s]", got.To, to)
	}
	if bcc := got.Header("Bcc"); bcc != "" {
		t.Errorf("an injected Bcc header arrived: %q", bcc)
	}
	if strings.Contains(got.HTML, "<script>") {
		t.Errorf("HTML part holds an unescaped script tag:\n%s", got.HTML)
	}
	time.Sleep(100 * time.Millisecond)
	if n := len(srv.Messages(t, victim)); n != 0 {
		t.Errorf("%d messages reached the injected Bcc address", n)
	}
}
