package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"masthead"
)

// fakeNotifications is a NotificationService that knows one good token.
type fakeNotifications struct {
	mu    sync.Mutex
	calls []string
}

const goodUnsubscribeToken = "good-unsubscribe-token"

func (f *fakeNotifications) UnsubscribeReplies(ctx context.Context, token string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, token)
	switch token {
	case goodUnsubscribeToken:
		return nil
	case "broken":
		return context.DeadlineExceeded
	}
	return masthead.Errorf(masthead.EINVALID, "%s", masthead.Msg(masthead.MsgUnsubscribeInvalid))
}

func (f *fakeNotifications) called() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func newUnsubscribeServer(t *testing.T) (http.Handler, *fakeNotifications) {
	t.Helper()
	n := &fakeNotifications{}
	h := newAccountServer(t, fakeAccounts(testAccount()), Config{Notifications: n})
	return h, n
}

func TestUnsubscribePage(t *testing.T) {
	h, n := newUnsubscribeServer(t)
	res, body := get(t, h, "/account/notifications/unsubscribe?token="+goodUnsubscribeToken)
	if res.StatusCode != 200 {
		t.Fatalf("status %d, want 200", res.StatusCode)
	}
	for _, want := range []string{
		masthead.Msg(masthead.MsgUnsubscribeConfirm),
		`action="/account/notifications/unsubscribe" method="post"`,
		`<input type="hidden" name="token" value="` + goodUnsubscribeToken + `">`,
		`<button type="submit">` + masthead.Msg(masthead.MsgUnsubscribeSubmit) + `</button>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q:\n%s", want, body)
		}
	}
	if got := res.Header.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("Referrer-Policy = %q, want no-referrer", got)
	}
	if got := res.Header.Get("Cache-Control"); !strings.Contains(got, "no-store") {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
	if len(n.called()) != 0 {
		t.Errorf("showing the page unsubscribed: %v", n.called())
	}

	res, body = get(t, h, "/account/notifications/unsubscribe")
	if res.StatusCode != 400 || !strings.Contains(body, "This unsubscribe link is not valid") {
		t.Errorf("without a token: status %d, want 400 with the message", res.StatusCode)
	}

	res, body = get(t, h, "/account/notifications/unsubscribe?done=1")
	if res.StatusCode != 200 || !strings.Contains(body, "You will no longer receive an email") ||
		!strings.Contains(body, `href="/account/notifications"`) {
		t.Errorf("done page: status %d:\n%s", res.StatusCode, body)
	}
}

func TestUnsubscribePost(t *testing.T) {
	h, n := newUnsubscribeServer(t)

	// The form's button, signed out.
	res, _ := do(t, h, postForm("/account/notifications/unsubscribe", url.Values{"token": {goodUnsubscribeToken}}))
	if res.StatusCode != 303 || res.Header.Get("Location") != "/account/notifications/unsubscribe?done=1" {
		t.Errorf("form POST: status %d, Location %q", res.StatusCode, res.Header.Get("Location"))
	}

	// RFC 8058 one-click: the List-Unsubscribe URL, POSTed by a mail
	// client with no cookie, no Origin and no Sec-Fetch-Site.
	req := httptest.NewRequest(http.MethodPost, "/account/notifications/unsubscribe?token="+goodUnsubscribeToken,
		strings.NewReader("List-Unsubscribe=One-Click"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, _ = do(t, h, req)
	if res.StatusCode != 303 {
		t.Errorf("one-click POST: status %d, want 303", res.StatusCode)
	}

	// Signed in as someone else does not matter: the token decides.
	res, _ = do(t, h, signedIn(postForm("/account/notifications/unsubscribe", url.Values{"token": {goodUnsubscribeToken}})))
	if res.StatusCode != 303 {
		t.Errorf("signed-in POST: status %d, want 303", res.StatusCode)
	}
	if got := n.called(); len(got) != 3 {
		t.Errorf("UnsubscribeReplies calls = %v, want 3 with the token", got)
	}

	// An invalid token.
	res, body := do(t, h, postForm("/account/notifications/unsubscribe", url.Values{"token": {"stale"}}))
	if res.StatusCode != 400 || !strings.Contains(body, "This unsubscribe link is not valid") ||
		!strings.Contains(body, `href="/account/notifications"`) {
		t.Errorf("invalid token: status %d:\n%s", res.StatusCode, body)
	}
	// A failure of the service is a 500.
	res, _ = do(t, h, postForm("/account/notifications/unsubscribe", url.Values{"token": {"broken"}}))
	if res.StatusCode != 500 {
		t.Errorf("broken service: status %d, want 500", res.StatusCode)
	}

	// A cross-site form POST is still refused.
	req = postForm("/account/notifications/unsubscribe", url.Values{"token": {goodUnsubscribeToken}})
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	before := len(n.called())
	if res, _ := do(t, h, req); res.StatusCode != 403 || len(n.called()) != before {
		t.Errorf("cross-site POST: status %d, calls %v", res.StatusCode, n.called())
	}
}

func TestUnsubscribeOff(t *testing.T) {
	h := newAccountServer(t, fakeAccounts(testAccount()), Config{})
	for _, req := range []*http.Request{
		httptest.NewRequest(http.MethodGet, "/account/notifications/unsubscribe?token=x", nil),
		postForm("/account/notifications/unsubscribe", url.Values{"token": {"x"}}),
	} {
		if res, _ := do(t, h, req); res.StatusCode != 404 {
			t.Errorf("%s without Notifications: status %d, want 404", req.Method, res.StatusCode)
		}
	}
}
