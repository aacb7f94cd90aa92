package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"masthead"
	"masthead/internal/mock"
)

const (
	testToken    = "valid-session-token"
	testNewToken = "new-session-token"
)

// testAccount returns a fresh verified subscriber with a display name.
func testAccount() *masthead.Account {
	return &masthead.Account{
		ID: 7, Email: "reader@example.com", Role: masthead.RoleSubscriber,
		EmailVerifiedAt: testNow.Add(-48 * time.Hour),
		DisplayName:     "Reader One", About: "Leeds",
		CreatedAt: testNow.Add(-72 * time.Hour),
	}
}

// fakeAccounts returns a mock account service in which testToken is a
// session of acct and the password "right password" signs acct in.
func fakeAccounts(acct *masthead.Account) *mock.AccountService {
	session := &masthead.Session{ID: 11, AccountID: acct.ID, CreatedAt: testNow.Add(-time.Hour), LastSeenAt: testNow, UserAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", IPPrefix: "192.0.2.0/24"}
	return &mock.AccountService{
		AuthenticateFn: func(ctx context.Context, token string, c masthead.Client) (*masthead.Account, *masthead.Session, error) {
			if token == testToken {
				return acct, session, nil
			}
			return nil, nil, masthead.Errorf(masthead.EUNAUTHORIZED, "%s", masthead.Msg(masthead.MsgSessionInvalid))
		},
		SignInFn: func(ctx context.Context, email, password string, c masthead.Client) (*masthead.Account, string, error) {
			if strings.EqualFold(email, acct.Email) && password == "right password" {
				return acct, testNewToken, nil
			}
			return nil, "", masthead.Errorf(masthead.EUNAUTHORIZED, "%s", masthead.Msg(masthead.MsgSignInFailed))
		},
		SignOutFn: func(ctx context.Context, token string) error { return nil },
		ListSessionsFn: func(ctx context.Context, id int64) ([]*masthead.Session, error) {
			other := &masthead.Session{ID: 12, AccountID: acct.ID, CreatedAt: testNow.Add(-24 * time.Hour), LastSeenAt: testNow.Add(-time.Hour),
				UserAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1", IPPrefix: "2001:db8::/48"}
			return []*masthead.Session{session, other}, nil
		},
		VerifyEmailFn: func(ctx context.Context, token string) (*masthead.Account, error) {
			if token == "good" {
				return acct, nil
			}
			return nil, masthead.FieldError("token", masthead.Msg(masthead.MsgTokenInvalid))
		},
		ConfirmEmailChangeFn: func(ctx context.Context, token string) (*masthead.Account, error) {
			if token == "good" {
				changed := *acct
				changed.Email = "new@example.com"
				return &changed, nil
			}
			return nil, masthead.FieldError("token", masthead.Msg(masthead.MsgTokenInvalid))
		},
		ExportAccountFn: func(ctx context.Context, id int64) (*masthead.AccountExport, error) {
			return &masthead.AccountExport{Account: masthead.ExportedAccount{Email: acct.Email, DisplayName: acct.DisplayName, Role: acct.Role, CreatedAt: acct.CreatedAt}}, nil
		},
	}
}

// newAccountServer returns a server with accounts over svc.
func newAccountServer(t testing.TB, svc masthead.AccountService, cfg Config) http.Handler {
	t.Helper()
	cfg.Accounts = svc
	return newTestServer(t, fakeStories(testStories()), cfg).Handler()
}

// signedIn adds the session cookie of testToken to req.
func signedIn(req *http.Request) *http.Request {
	req.AddCookie(&http.Cookie{Name: InsecureSessionCookieName, Value: testToken})
	return req
}

// postForm returns a same-origin form POST.
func postForm(target string, values url.Values) *http.Request {
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(values.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return req
}

func TestAccountRoutes(t *testing.T) {
	acct := testAccount()
	h := newAccountServer(t, fakeAccounts(acct), Config{})
	tests := []struct {
		name         string
		method       string
		target       string
		signedIn     bool
		wantStatus   int
		wantLocation string
		wantContain  []string
	}{
		{"sign-up form", "GET", "/signup", false, 200, "", []string{`action="/signup"`, `name="email"`, `autocomplete="new-password"`}},
		{"sign-up form signed in", "GET", "/signup", true, 303, "/account", nil},
		{"sign-up sent", "GET", "/signup?sent=1", false, 200, "", []string{masthead.Msg("signup.sent")}},
		{"sign-in form", "GET", "/signin", false, 200, "", []string{`action="/signin"`, `autocomplete="current-password"`, `autocomplete="email"`}},
		{"sign-in form keeps next", "GET", "/signin?next=/stories/budget-vote", false, 200, "", []string{`<input type="hidden" name="next" value="/stories/budget-vote">`}},
		{"sign-in form signed in", "GET", "/signin", true, 303, "/account", nil},
		{"sign-in form signed in with next", "GET", "/signin?next=/stories/budget-vote", true, 303, "/stories/budget-vote", nil},
		{"verify", "GET", "/verify?token=good", false, 200, "", []string{masthead.Msg("verify.done"), `href="/signin"`}},
		{"verify signed in", "GET", "/verify?token=good", true, 200, "", []string{`href="/account"`}},
		{"verify bad token", "GET", "/verify?token=bad", false, 400, "", []string{masthead.Msg(masthead.MsgTokenInvalid)}},
		{"forgot form", "GET", "/password/forgot", false, 200, "", []string{`action="/password/forgot"`}},
		{"forgot sent", "GET", "/password/forgot?sent=1", false, 200, "", []string{"The link works for 1 hour."}},
		{"reset form", "GET", "/password/reset?token=abc", false, 200, "", []string{`<input type="hidden" name="token" value="abc">`, `autocomplete="new-password"`}},
		{"reset without token", "GET", "/password/reset", false, 400, "", []string{masthead.Msg(masthead.MsgTokenInvalid), `href="/password/forgot"`}},
		{"email confirm", "GET", "/account/email/confirm?token=good", false, 200, "", []string{"Your email address is now new@example.com."}},
		{"email confirm bad", "GET", "/account/email/confirm?token=bad", false, 400, "", []string{masthead.Msg(masthead.MsgTokenInvalid)}},
		{"sign out signed out", "POST", "/signout", false, 303, "/", nil},

		{"account signed out", "GET", "/account", false, 303, "/signin?next=%2Faccount", nil},
		{"account", "GET", "/account", true, 200, "", []string{"Your account", "reader@example.com", "Reader One", `aria-current="page">Overview`}},
		{"profile signed out", "GET", "/account/profile?next=/stories/budget-vote", false, 303, "/signin?next=%2Faccount%2Fprofile%3Fnext%3D%2Fstories%2Fbudget-vote", nil},
		{"profile", "GET", "/account/profile", true, 200, "", []string{`name="display_name"`, `value="Reader One"`, `autocomplete="nickname"`, `value="Leeds"`}},
		{"profile with next", "GET", "/account/profile?next=/stories/budget-vote", true, 200, "", []string{`<input type="hidden" name="next" value="/stories/budget-vote">`}},
		{"profile with hostile next", "GET", "/account/profile?next=//evil.example", true, 200, "", []string{`action="/account/profile"`}},
		{"subscription signed out", "GET", "/account/subscription", false, 303, "/signin?next=%2Faccount%2Fsubscription", nil},
		{"subscription", "GET", "/account/subscription", true, 200, "", []string{masthead.Msg("subscription.on_free_plan"), masthead.Msg("subscription.plans_soon")}},
		{"security signed out", "GET", "/account/security", false, 303, "/signin?next=%2Faccount%2Fsecurity", nil},
		{"security", "GET", "/account/security", true, 200, "", []string{`name="current_password"`, "Firefox on Linux", "Safari on iPhone", "(this browser)", `name="session_id" value="12"`, "Sign out all other sessions"}},
		{"notifications signed out", "GET", "/account/notifications", false, 303, "/signin?next=%2Faccount%2Fnotifications", nil},
		{"notifications", "GET", "/account/notifications", true, 200, "", []string{`name="reply_emails" type="checkbox"`}},
		{"privacy signed out", "GET", "/account/privacy", false, 303, "/signin?next=%2Faccount%2Fprivacy", nil},
		{"privacy", "GET", "/account/privacy", true, 200, "", []string{`href="/account/privacy/export"`, `value="keep_comments" checked`, `value="delete_comments"`, "1 day"}},
		{"export signed out", "GET", "/account/privacy/export", false, 303, "/signin?next=%2Faccount%2Fprivacy%2Fexport", nil},
		{"export", "GET", "/account/privacy/export", true, 200, "", []string{`"email": "reader@example.com"`}},
		{"profile post signed out", "POST", "/account/profile", false, 303, "/signin?next=%2Faccount%2Fprofile", nil},
		{"security post signed out", "POST", "/account/security", false, 303, "/signin?next=%2Faccount%2Fsecurity", nil},
		{"resend signed out", "POST", "/account/verify/resend", false, 303, "/signin?next=%2Faccount", nil},
		{"api me signed out", "GET", "/api/v1/me", false, 401, "", []string{`"code":"unauthorized"`}},
		{"api me", "GET", "/api/v1/me", true, 200, "", []string{`"email":"reader@example.com"`}},
		{"api profile signed out", "PATCH", "/api/v1/me/profile", false, 401, "", []string{`"code":"unauthorized"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.target, nil)
			if tt.signedIn {
				signedIn(req)
			}
			res, body := do(t, h, req)
			if strings.Contains(body, "evil.example") {
				t.Errorf("page carries a hostile next on")
			}
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status: got %d, want %d", res.StatusCode, tt.wantStatus)
			}
			if got := res.Header.Get("Location"); got != tt.wantLocation {
				t.Errorf("Location: got %q, want %q", got, tt.wantLocation)
			}
			if got := res.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control: got %q, want no-store", got)
			}
			for _, want := range tt.wantContain {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %q", want)
				}
			}
			if t.Failed() {
				t.Logf("body:\n%s", body)
			}
		})
	}
}

func TestAccountsDisabled(t *testing.T) {
	h := newTestServer(t, fakeStories(testStories()), Config{}).Handler()
	for _, target := range []string{"/signin", "/signup", "/account", "/account/profile", "/api/v1/me"} {
		if res, _ := get(t, h, target); res.StatusCode != 404 {
			t.Errorf("%s without accounts: got %d, want 404", target, res.StatusCode)
		}
	}
	if _, body := get(t, h, "/"); strings.Contains(body, `href="/signin"`) {
		t.Errorf("header offers sign-in without accounts")
	}
}

func TestSignIn(t *testing.T) {
	tests := []struct {
		name       string
		baseURL    string
		tls        bool
		wantName   string
		wantSecure bool
	}{
		{"plain HTTP", "http://example.test", false, InsecureSessionCookieName, false},
		{"HTTPS site", "https://news.example", false, SessionCookieName, true},
		{"TLS request", "http://example.test", true, SessionCookieName, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var gotClient masthead.Client
			svc := fakeAccounts(testAccount())
			inner := svc.SignInFn
			svc.SignInFn = func(ctx context.Context, email, password string, c masthead.Client) (*masthead.Account, string, error) {
				gotClient = c
				return inner(ctx, email, password, c)
			}
			h := newAccountServer(t, svc, Config{BaseURL: tt.baseURL})
			req := postForm("/signin", url.Values{"email": {"reader@example.com"}, "password": {"right password"}, "next": {"/stories/budget-vote?x=1"}})
			req.Header.Set("User-Agent", "TestBrowser/1.0")
			if tt.tls {
				req = httptest.NewRequest(http.MethodPost, "https://example.test/signin", req.Body)
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			res, _ := do(t, h, req)
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("status: got %d, want 303", res.StatusCode)
			}
			if got, want := res.Header.Get("Location"), "/stories/budget-vote?x=1"; got != want {
				t.Errorf("Location: got %q, want %q", got, want)
			}
			if got := res.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control: got %q, want no-store", got)
			}
			cookies := res.Cookies()
			if len(cookies) != 1 {
				t.Fatalf("cookies: got %d, want 1: %v", len(cookies), res.Header["Set-Cookie"])
			}
			c := cookies[0]
			if c.Name != tt.wantName || c.Value != testNewToken || c.Path != "/" || !c.HttpOnly ||
				c.SameSite != http.SameSiteLaxMode || c.Secure != tt.wantSecure || c.Domain != "" || c.MaxAge <= 0 {
				t.Errorf("cookie: got %s", res.Header.Get("Set-Cookie"))
			}
			if !tt.tls && gotClient.IP != netip.MustParseAddr("192.0.2.1") {
				t.Errorf("client IP: got %v, want 192.0.2.1", gotClient.IP)
			}
		})
	}

	t.Run("staff cookie ends with the browser", func(t *testing.T) {
		staff := testAccount()
		staff.Role = masthead.RoleModerator
		h := newAccountServer(t, fakeAccounts(staff), Config{})
		res, _ := do(t, h, postForm("/signin", url.Values{"email": {staff.Email}, "password": {"right password"}}))
		if c := res.Cookies(); len(c) != 1 || c[0].MaxAge != 0 || c[0].Value != testNewToken {
			t.Errorf("staff cookie: got %v", res.Header["Set-Cookie"])
		}
		if got := res.Header.Get("Location"); got != "/account" {
			t.Errorf("Location without next: got %q, want /account", got)
		}
	})

	t.Run("a new token replaces the old session", func(t *testing.T) {
		var ended []string
		svc := fakeAccounts(testAccount())
		svc.SignOutFn = func(ctx context.Context, token string) error { ended = append(ended, token); return nil }
		h := newAccountServer(t, svc, Config{})
		res, _ := do(t, h, signedIn(postForm("/signin", url.Values{"email": {"reader@example.com"}, "password": {"right password"}})))
		if c := res.Cookies(); len(c) != 1 || c[0].Value != testNewToken {
			t.Errorf("cookie: got %v", res.Header["Set-Cookie"])
		}
		if len(ended) != 1 || ended[0] != testToken {
			t.Errorf("ended sessions: got %q, want the old one", ended)
		}
	})
}

func TestSignInRefused(t *testing.T) {
	svc := fakeAccounts(testAccount())
	h := newAccountServer(t, svc, Config{})
	res, body := do(t, h, postForm("/signin", url.Values{"email": {"reader@example.com"}, "password": {"wrong password"}, "next": {"/stories/budget-vote"}}))
	if res.StatusCode != 401 {
		t.Errorf("status: got %d, want 401", res.StatusCode)
	}
	for _, want := range []string{masthead.Msg(masthead.MsgSignInFailed), `value="reader@example.com"`, `role="alert"`,
		`<input type="hidden" name="next" value="/stories/budget-vote">`, "<title>Error: Sign in"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q", want)
		}
	}
	if strings.Contains(body, "wrong password") {
		t.Errorf("page repeats the password")
	}
	if len(res.Cookies()) != 0 {
		t.Errorf("refusal sets a cookie: %v", res.Header["Set-Cookie"])
	}

	svc.SignInFn = func(ctx context.Context, email, password string, c masthead.Client) (*masthead.Account, string, error) {
		return nil, "", masthead.Errorf(masthead.ERATELIMIT, "%s", masthead.Msg(masthead.MsgSignInRateLimited))
	}
	res, body = do(t, h, postForm("/signin", url.Values{"email": {"reader@example.com"}, "password": {"x"}}))
	if res.StatusCode != 429 {
		t.Errorf("rate limited: got %d, want 429", res.StatusCode)
	}
	for _, want := range []string{masthead.Msg(masthead.MsgSignInRateLimited), `action="/signin"`, `value="reader@example.com"`} {
		if !strings.Contains(body, want) {
			t.Errorf("rate-limited page lacks %q", want)
		}
	}
}

func TestOpenRedirect(t *testing.T) {
	hostile := []string{
		"//evil.example",
		"//evil.example/path",
		"///evil.example",
		`/\evil.example`,
		`\\evil.example`,
		"https://evil.example/",
		"http:evil.example",
		"https:/evil.example",
		"javascript:alert(1)",
		"evil.example",
		"/%2F%2Fevil.example",
		"/%2f/evil.example",
		"%2F%2Fevil.example",
		"/%5Cevil.example",
		"/%255C%255Cevil.example",
		"/%252F%252Fevil.example",
		"/%25252F%25252Fevil.example",
		"/\t/evil.example",
		"/%09/evil.example",
		"/\n/evil.example",
		"/ /evil.example",
		"/..//evil.example",
		"/stories/../..//evil.example",
		"/%2E%2E//evil.example",
		"/caf\u00e9",
		"/%zz",
		"",
	}
	h := newAccountServer(t, fakeAccounts(testAccount()), Config{})
	for _, next := range hostile {
		t.Run(next, func(t *testing.T) {
			if got := localPath(next); got != "" {
				t.Errorf("localPath(%q): got %q, want \"\"", next, got)
			}
			res, _ := do(t, h, postForm("/signin", url.Values{"email": {"reader@example.com"}, "password": {"right password"}, "next": {next}}))
			if got := res.Header.Get("Location"); got != "/account" {
				t.Errorf("sign-in Location: got %q, want /account", got)
			}
			res, _ = do(t, h, signedIn(httptest.NewRequest(http.MethodGet, "/signin?next="+url.QueryEscape(next), nil)))
			if got := res.Header.Get("Location"); got != "/account" {
				t.Errorf("signed-in sign-in page Location: got %q, want /account", got)
			}
		})
	}
	for _, next := range []string{"/", "/account", "/stories/budget-vote", "/search?q=a%20b", "/account/profile?next=%2Fstories%2Fx", "/sections/world#top", "/@reader"} {
		if got := localPath(next); got != next {
			t.Errorf("localPath(%q): got %q, want it kept", next, got)
		}
	}
}

func TestSignOut(t *testing.T) {
	var ended []string
	svc := fakeAccounts(testAccount())
	svc.SignOutFn = func(ctx context.Context, token string) error { ended = append(ended, token); return nil }
	h := newAccountServer(t, svc, Config{})
	res, _ := do(t, h, signedIn(postForm("/signout", nil)))
	if res.StatusCode != 303 || res.Header.Get("Location") != "/" {
		t.Errorf("got %d to %q, want 303 to /", res.StatusCode, res.Header.Get("Location"))
	}
	if len(ended) != 1 || ended[0] != testToken {
		t.Errorf("SignOut calls: got %q, want [%q]", ended, testToken)
	}
	c := res.Cookies()
	if len(c) != 1 || c[0].Name != InsecureSessionCookieName || c[0].MaxAge >= 0 || c[0].Value != "" {
		t.Errorf("cookie not cleared: %v", res.Header["Set-Cookie"])
	}
	if got := res.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control: got %q", got)
	}
}

func TestSignUp(t *testing.T) {
	var calls int
	svc := fakeAccounts(testAccount())
	svc.SignUpFn = func(ctx context.Context, email, password string, c masthead.Client) error {
		calls++
		switch {
		case email == "bad":
			return masthead.FieldError("email", masthead.Msg(masthead.MsgEmailInvalid))
		case password == "short":
			return masthead.FieldError("password", masthead.Msg(masthead.MsgPasswordTooShort, masthead.MinPasswordLen))
		case email == "busy@example.com":
			return masthead.Errorf(masthead.ERATELIMIT, "%s", masthead.Msg(masthead.MsgSignUpRateLimited))
		}
		return nil
	}
	h := newAccountServer(t, svc, Config{})
	tests := []struct {
		name        string
		email, pw   string
		wantStatus  int
		wantContain []string
	}{
		{"new address", "new@example.com", "long enough password", 303, nil},
		{"existing address answers the same", "reader@example.com", "long enough password", 303, nil},
		{"bad email", "bad", "long enough password", 400, []string{masthead.Msg(masthead.MsgEmailInvalid), `value="bad"`,
			`aria-describedby="email-error" aria-invalid="true"`, `<a href="#email">`}},
		{"short password", "a@example.com", "short", 400, []string{masthead.Msg(masthead.MsgPasswordTooShort, masthead.MinPasswordLen), `value="a@example.com"`,
			`aria-describedby="password-hint password-error" aria-invalid="true"`}},
		{"rate limited", "busy@example.com", "long enough password", 429, []string{masthead.Msg(masthead.MsgSignUpRateLimited), `value="busy@example.com"`, `action="/signup"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := do(t, h, postForm("/signup", url.Values{"email": {tt.email}, "password": {tt.pw}}))
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status: got %d, want %d", res.StatusCode, tt.wantStatus)
			}
			if tt.wantStatus == 303 && res.Header.Get("Location") != "/signup?sent=1" {
				t.Errorf("Location: got %q", res.Header.Get("Location"))
			}
			for _, want := range tt.wantContain {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %q", want)
				}
			}
			if strings.Contains(body, tt.pw) {
				t.Errorf("page repeats the password")
			}
		})
	}
}

func TestProfile(t *testing.T) {
	acct := testAccount()
	var gotName, gotAbout string
	svc := fakeAccounts(acct)
	svc.SetProfileFn = func(ctx context.Context, id int64, name, about string) (*masthead.Account, error) {
		gotName, gotAbout = name, about
		switch name {
		case "ab":
			return nil, masthead.FieldError("display_name", "A display name needs at least 3 characters.")
		case "admin":
			return nil, &masthead.Error{Code: masthead.ECONFLICT, Message: "That name is reserved.", Field: "display_name"}
		}
		updated := *acct
		updated.DisplayName, updated.About = name, about
		return &updated, nil
	}
	h := newAccountServer(t, svc, Config{})
	tests := []struct {
		name         string
		form         url.Values
		wantStatus   int
		wantLocation string
		wantContain  []string
	}{
		{"too short", url.Values{"display_name": {"ab"}, "about": {"York"}, "next": {"/stories/budget-vote"}}, 400, "", []string{
			"A display name needs at least 3 characters.", `value="ab"`, `value="York"`, `aria-invalid="true"`,
			`aria-describedby="display-name-hint display-name-error"`, `id="display-name-error"`,
			`<input type="hidden" name="next" value="/stories/budget-vote">`}},
		{"taken", url.Values{"display_name": {"admin"}, "about": {""}}, 409, "", []string{"That name is reserved.", `value="admin"`}},
		{"saved with next", url.Values{"display_name": {"Reader Two"}, "about": {"York"}, "next": {"/stories/budget-vote"}}, 303, "/stories/budget-vote", nil},
		{"saved with hostile next", url.Values{"display_name": {"Reader Two"}, "about": {"York"}, "next": {"//evil.example"}}, 303, "/account", nil},
		{"saved", url.Values{"display_name": {"Reader Two"}, "about": {"York"}}, 303, "/account/profile?saved=1", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := do(t, h, signedIn(postForm("/account/profile", tt.form)))
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status: got %d, want %d", res.StatusCode, tt.wantStatus)
			}
			if got := res.Header.Get("Location"); got != tt.wantLocation {
				t.Errorf("Location: got %q, want %q", got, tt.wantLocation)
			}
			if gotName != tt.form.Get("display_name") || gotAbout != tt.form.Get("about") {
				t.Errorf("SetProfile got %q, %q", gotName, gotAbout)
			}
			for _, want := range tt.wantContain {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %q", want)
				}
			}
			if t.Failed() {
				t.Logf("body:\n%s", body)
			}
		})
	}
	t.Run("saved notice", func(t *testing.T) {
		_, body := do(t, h, signedIn(httptest.NewRequest("GET", "/account/profile?saved=1", nil)))
		if !strings.Contains(body, masthead.Msg("profile.saved")) {
			t.Errorf("no saved notice")
		}
	})
	t.Run("name change too soon", func(t *testing.T) {
		acct.DisplayNameChangedAt = testNow.Add(-24 * time.Hour)
		defer func() { acct.DisplayNameChangedAt = time.Time{} }()
		_, body := do(t, h, signedIn(httptest.NewRequest("GET", "/account/profile", nil)))
		if want := masthead.Msg(masthead.MsgNameChangeTooSoon, "14 March 2026"); !strings.Contains(body, want) {
			t.Errorf("body lacks %q", want)
		}
	})
}

func TestAPIMe(t *testing.T) {
	h := newAccountServer(t, fakeAccounts(testAccount()), Config{})
	res, body := get(t, h, "/api/v1/me")
	if res.StatusCode != 401 || res.Header.Get("Content-Type") != "application/json" {
		t.Errorf("signed out: got %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	var e map[string]map[string]string
	if err := json.Unmarshal([]byte(body), &e); err != nil || e["error"]["code"] != "unauthorized" || e["error"]["message"] == "" {
		t.Errorf("signed out body: %s", body)
	}

	res, body = do(t, h, signedIn(httptest.NewRequest("GET", "/api/v1/me", nil)))
	if res.StatusCode != 200 {
		t.Fatalf("signed in: got %d", res.StatusCode)
	}
	var me map[string]any
	if err := json.Unmarshal([]byte(body), &me); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"id": 7.0, "email": "reader@example.com", "email_verified": true, "role": "subscriber",
		"display_name": "Reader One", "about": "Leeds", "reply_emails": false}
	for k, v := range want {
		if me[k] != v {
			t.Errorf("%s: got %v, want %v", k, me[k], v)
		}
	}
	if _, ok := me["deletion_due_at"]; ok {
		t.Errorf("deletion_due_at present without a pending deletion")
	}
}

func TestAPIProfile(t *testing.T) {
	acct := testAccount()
	var gotName, gotAbout string
	svc := fakeAccounts(acct)
	svc.SetProfileFn = func(ctx context.Context, id int64, name, about string) (*masthead.Account, error) {
		gotName, gotAbout = name, about
		if name == "ab" {
			return nil, masthead.FieldError("display_name", "A display name needs at least 3 characters.")
		}
		updated := *acct
		updated.DisplayName, updated.About = name, about
		return &updated, nil
	}
	h := newAccountServer(t, svc, Config{})
	patch := func(body string) (*http.Response, string) {
		req := httptest.NewRequest(http.MethodPatch, "/api/v1/me/profile", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		return do(t, h, signedIn(req))
	}

	res, body := patch(`{"display_name":"Reader Two","about":"York"}`)
	if res.StatusCode != 200 || !strings.Contains(body, `"display_name":"Reader Two"`) || !strings.Contains(body, `"about":"York"`) {
		t.Errorf("success: got %d %s", res.StatusCode, body)
	}
	res, _ = patch(`{"about":"Hull"}`)
	if res.StatusCode != 200 || gotName != "Reader One" || gotAbout != "Hull" {
		t.Errorf("partial update: got %d, SetProfile(%q, %q)", res.StatusCode, gotName, gotAbout)
	}

	tests := []struct {
		name       string
		body       string
		wantStatus int
		wantCode   string
		wantField  string
	}{
		{"invalid name", `{"display_name":"ab","about":""}`, 400, "invalid", "display_name"},
		{"not JSON", `display_name=x`, 400, "invalid", ""},
		{"unknown member", `{"name":"x"}`, 400, "invalid", ""},
		{"trailing data", `{"about":"x"} {}`, 400, "invalid", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := patch(tt.body)
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status: got %d, want %d", res.StatusCode, tt.wantStatus)
			}
			var got map[string]map[string]string
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("decode %s: %v", body, err)
			}
			e := got["error"]
			if e["code"] != tt.wantCode || e["field"] != tt.wantField || e["message"] == "" {
				t.Errorf("error: got %v, want code %q field %q", e, tt.wantCode, tt.wantField)
			}
		})
	}

	t.Run("cross-origin PATCH", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPatch, "/api/v1/me/profile", strings.NewReader(`{"about":"x"}`))
		req.Header.Set("Origin", "https://evil.example")
		if res, _ := do(t, h, signedIn(req)); res.StatusCode != 403 {
			t.Errorf("status: got %d, want 403", res.StatusCode)
		}
	})
}

func TestExport(t *testing.T) {
	h := newAccountServer(t, fakeAccounts(testAccount()), Config{})
	res, body := do(t, h, signedIn(httptest.NewRequest("GET", "/account/privacy/export", nil)))
	if res.StatusCode != 200 {
		t.Fatalf("status: got %d", res.StatusCode)
	}
	if got, want := res.Header.Get("Content-Disposition"), `attachment; filename="account-data-2026-03-01.json"`; got != want {
		t.Errorf("Content-Disposition: got %q, want %q", got, want)
	}
	if got := res.Header.Get("Content-Type"); got != "application/json; charset=utf-8" {
		t.Errorf("Content-Type: got %q", got)
	}
	if got := res.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control: got %q", got)
	}
	var exp masthead.AccountExport
	if err := json.Unmarshal([]byte(body), &exp); err != nil || exp.Account.Email != "reader@example.com" {
		t.Errorf("export: %v %s", err, body)
	}
}

func TestAccountCrossOrigin(t *testing.T) {
	var calls atomic.Int32
	svc := fakeAccounts(testAccount())
	svc.SignInFn = func(ctx context.Context, email, password string, c masthead.Client) (*masthead.Account, string, error) {
		calls.Add(1)
		return nil, "", masthead.Errorf(masthead.EUNAUTHORIZED, "no")
	}
	h := newAccountServer(t, svc, Config{})
	for _, target := range []string{"/signin", "/signup", "/signout", "/account/profile", "/account/privacy", "/account/security"} {
		t.Run(target, func(t *testing.T) {
			req := postForm(target, url.Values{"email": {"reader@example.com"}, "password": {"x"}})
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			res, body := do(t, signedInHandler(h), req)
			if res.StatusCode != 403 {
				t.Errorf("status: got %d, want 403", res.StatusCode)
			}
			if !strings.Contains(body, "This request came from another site and was refused.") {
				t.Errorf("403 page lacks the explanation")
			}
			if len(res.Cookies()) != 0 {
				t.Errorf("refused request changed cookies")
			}
		})
	}
	if calls.Load() != 0 {
		t.Errorf("SignIn called %d times for refused requests", calls.Load())
	}
}

// signedInHandler adds the session cookie to every request.
func signedInHandler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, signedIn(r)) })
}

func TestSignedInHeader(t *testing.T) {
	acct := testAccount()
	acct.DisplayName = `<script>alert("name")</script>`
	var auths atomic.Int32
	svc := fakeAccounts(acct)
	inner := svc.AuthenticateFn
	svc.AuthenticateFn = func(ctx context.Context, token string, c masthead.Client) (*masthead.Account, *masthead.Session, error) {
		auths.Add(1)
		return inner(ctx, token, c)
	}
	h := newAccountServer(t, svc, Config{})

	for _, target := range []string{"/", "/stories/tokyo-rail-expansion", "/sections/world", "/nope"} {
		t.Run(target, func(t *testing.T) {
			res, body := do(t, h, signedIn(httptest.NewRequest("GET", target, nil)))
			if strings.Contains(body, "<script>alert") {
				t.Errorf("display name not escaped")
			}
			for _, want := range []string{"Signed in as &lt;script&gt;alert(&#34;name&#34;)&lt;/script&gt;", `<a href="/account">Account</a>`,
				`<form class="sign-out" action="/signout" method="post">`} {
				if !strings.Contains(body, want) {
					t.Errorf("header lacks %q", want)
				}
			}
			if got := res.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control of a signed-in page: got %q, want no-store", got)
			}

			// The same page for an anonymous reader right after: no trace
			// of the viewer, the shared header, and no session lookup.
			before := auths.Load()
			res, body = get(t, h, target)
			if strings.Contains(body, "Signed in as") || strings.Contains(body, "alert") || !strings.Contains(body, `<a href="/signin">Sign in</a>`) ||
				!strings.Contains(body, `href="/signup"`) {
				t.Errorf("anonymous page shows the viewer or lacks sign-in links:\n%s", body)
			}
			if got := res.Header.Get("Cache-Control"); got != "" {
				t.Errorf("Cache-Control of an anonymous reading page: got %q, want none", got)
			}
			if auths.Load() != before {
				t.Errorf("Authenticate called without a session cookie")
			}
		})
	}

	t.Run("email when no display name", func(t *testing.T) {
		acct.DisplayName = ""
		defer func() { acct.DisplayName = "x" }()
		_, body := do(t, h, signedIn(httptest.NewRequest("GET", "/", nil)))
		if !strings.Contains(body, "Signed in as reader@example.com") {
			t.Errorf("header does not name the email")
		}
	})

	t.Run("no lookup for assets and feeds", func(t *testing.T) {
		before := auths.Load()
		for _, target := range []string{"/feed.atom", "/sections/world/feed.rss", "/healthz", "/static/0/site.css", "/sitemap.xml"} {
			do(t, h, signedIn(httptest.NewRequest("GET", target, nil)))
		}
		if got := auths.Load() - before; got != 0 {
			t.Errorf("Authenticate calls: got %d, want 0", got)
		}
	})

	t.Run("stale cookie cleared", func(t *testing.T) {
		req := httptest.NewRequest("GET", "/stories/tokyo-rail-expansion", nil)
		req.AddCookie(&http.Cookie{Name: InsecureSessionCookieName, Value: "ended"})
		res, body := do(t, h, req)
		if res.StatusCode != 200 || strings.Contains(body, "Signed in as") {
			t.Errorf("stale session: got %d", res.StatusCode)
		}
		if c := res.Cookies(); len(c) != 1 || c[0].MaxAge >= 0 {
			t.Errorf("stale cookie not cleared: %v", res.Header["Set-Cookie"])
		}
		if got := res.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("Cache-Control with Set-Cookie: got %q", got)
		}
	})
}

func TestAuthenticateFailure(t *testing.T) {
	svc := fakeAccounts(testAccount())
	svc.AuthenticateFn = func(ctx context.Context, token string, c masthead.Client) (*masthead.Account, *masthead.Session, error) {
		return nil, nil, context.DeadlineExceeded
	}
	h := newAccountServer(t, svc, Config{})
	if res, _ := do(t, h, signedIn(httptest.NewRequest("GET", "/stories/budget-vote", nil))); res.StatusCode != 200 || len(res.Cookies()) != 0 {
		t.Errorf("reading page with the service down: got %d, cookies %v; want 200 and the cookie kept", res.StatusCode, res.Cookies())
	}
	if res, _ := do(t, h, signedIn(httptest.NewRequest("GET", "/account", nil))); res.StatusCode != 500 {
		t.Errorf("account page with the service down: got %d, want 500", res.StatusCode)
	}
}

func TestAccountOverview(t *testing.T) {
	acct := testAccount()
	acct.EmailVerifiedAt = time.Time{}
	acct.DisplayName = ""
	acct.DeletionDueAt = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	var resent int
	svc := fakeAccounts(acct)
	svc.ResendVerificationFn = func(ctx context.Context, id int64) error {
		resent++
		if resent > 1 {
			return masthead.Errorf(masthead.ERATELIMIT, "Please wait before asking again.")
		}
		return nil
	}
	h := newAccountServer(t, svc, Config{})
	_, body := do(t, h, signedIn(httptest.NewRequest("GET", "/account", nil)))
	for _, want := range []string{masthead.Msg("accountpage.unverified_heading"), `action="/account/verify/resend"`,
		masthead.Msg("accountpage.deletion_due", "2 March 2026, 12:00 UTC"), masthead.Msg("accountpage.no_display_name"), `href="/account/profile"`} {
		if !strings.Contains(body, want) {
			t.Errorf("account page lacks %q", want)
		}
	}
	res, _ := do(t, h, signedIn(postForm("/account/verify/resend", nil)))
	if res.StatusCode != 303 || res.Header.Get("Location") != "/account?resent=1" {
		t.Errorf("resend: got %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = do(t, h, signedIn(httptest.NewRequest("GET", "/account?resent=1", nil)))
	if !strings.Contains(body, masthead.Msg("accountpage.verify_resent", acct.Email)) {
		t.Errorf("no resent notice")
	}
	res, body = do(t, h, signedIn(postForm("/account/verify/resend", nil)))
	if res.StatusCode != 429 || !strings.Contains(body, "Please wait before asking again.") || !strings.Contains(body, `action="/account/verify/resend"`) {
		t.Errorf("rate-limited resend: got %d", res.StatusCode)
	}
}

func TestSecurity(t *testing.T) {
	type call struct {
		method string
		args   []any
	}
	var calls []call
	svc := fakeAccounts(testAccount())
	svc.ChangePasswordFn = func(ctx context.Context, id int64, current, password string, keep int64) error {
		calls = append(calls, call{"ChangePassword", []any{id, current, password, keep}})
		if current != "right password" {
			return masthead.FieldError("current_password", masthead.Msg(masthead.MsgCurrentPasswordWrong))
		}
		return nil
	}
	svc.RequestEmailChangeFn = func(ctx context.Context, id int64, email, password string) error {
		calls = append(calls, call{"RequestEmailChange", []any{id, email, password}})
		if email == "reader@example.com" {
			return masthead.FieldError("email", masthead.Msg(masthead.MsgEmailUnchanged))
		}
		return nil
	}
	svc.EndSessionFn = func(ctx context.Context, id, sid int64) error {
		calls = append(calls, call{"EndSession", []any{id, sid}})
		if sid == 99 {
			return masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgSessionNotFound))
		}
		return nil
	}
	svc.EndOtherSessionsFn = func(ctx context.Context, id, keep int64) error {
		calls = append(calls, call{"EndOtherSessions", []any{id, keep}})
		return nil
	}
	var signedOut []string
	svc.SignOutFn = func(ctx context.Context, token string) error { signedOut = append(signedOut, token); return nil }
	h := newAccountServer(t, svc, Config{})
	tests := []struct {
		name         string
		form         url.Values
		wantStatus   int
		wantLocation string
		wantCall     string
		wantContain  []string
		wantAbsent   []string
	}{
		{"change password", url.Values{"action": {"password"}, "current_password": {"right password"}, "password": {"new password!"}}, 303, "/account/security?done=password",
			"ChangePassword [7 right password new password! 11]", nil, nil},
		{"wrong current password", url.Values{"action": {"password"}, "current_password": {"nope"}, "password": {"new password!"}}, 400, "",
			"ChangePassword [7 nope new password! 11]", []string{masthead.Msg(masthead.MsgCurrentPasswordWrong), `id="password-current-password-error"`}, []string{"new password!"}},
		{"change email", url.Values{"action": {"email"}, "email": {"new@example.com"}, "password": {"right password"}}, 303, "/account/security?done=email",
			"RequestEmailChange [7 new@example.com right password]", nil, nil},
		{"same email", url.Values{"action": {"email"}, "email": {"reader@example.com"}, "password": {"right password"}}, 400, "",
			"RequestEmailChange [7 reader@example.com right password]", []string{masthead.Msg(masthead.MsgEmailUnchanged), `id="email-email" name="email" type="email" autocomplete="email" value="reader@example.com"`}, []string{"right password"}},
		{"end session", url.Values{"action": {"end_session"}, "session_id": {"12"}}, 303, "/account/security?done=session", "EndSession [7 12]", nil, nil},
		{"end ended session", url.Values{"action": {"end_session"}, "session_id": {"99"}}, 404, "", "EndSession [7 99]", []string{masthead.Msg(masthead.MsgSessionNotFound)}, nil},
		{"end others", url.Values{"action": {"end_others"}}, 303, "/account/security?done=others", "EndOtherSessions [7 11]", nil, nil},
		{"end own session", url.Values{"action": {"end_session"}, "session_id": {"11"}}, 303, "/", "", nil, nil},
		{"unknown action", url.Values{"action": {"explode"}}, 400, "", "", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls = nil
			res, body := do(t, h, signedIn(postForm("/account/security", tt.form)))
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status: got %d, want %d", res.StatusCode, tt.wantStatus)
			}
			if got := res.Header.Get("Location"); got != tt.wantLocation {
				t.Errorf("Location: got %q, want %q", got, tt.wantLocation)
			}
			var got string
			if len(calls) == 1 {
				got = calls[0].method + " " + fmt.Sprint(calls[0].args)
			}
			if got != tt.wantCall {
				t.Errorf("call: got %q, want %q", got, tt.wantCall)
			}
			for _, want := range tt.wantContain {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %q", want)
				}
			}
			for _, absent := range tt.wantAbsent {
				if strings.Contains(body, absent) {
					t.Errorf("body contains %q", absent)
				}
			}
		})
	}
	if len(signedOut) != 1 || signedOut[0] != testToken {
		t.Errorf("ending one's own session signs out: got %q", signedOut)
	}
}

func TestNotifications(t *testing.T) {
	var got []bool
	svc := fakeAccounts(testAccount())
	svc.SetReplyEmailsFn = func(ctx context.Context, id int64, on bool) error { got = append(got, on); return nil }
	h := newAccountServer(t, svc, Config{})
	for _, form := range []url.Values{{"reply_emails": {"on"}}, {}} {
		res, _ := do(t, h, signedIn(postForm("/account/notifications", form)))
		if res.StatusCode != 303 || res.Header.Get("Location") != "/account/notifications?saved=1" {
			t.Errorf("got %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
	}
	if len(got) != 2 || !got[0] || got[1] {
		t.Errorf("SetReplyEmails: got %v, want [true false]", got)
	}
}

func TestDeleteAccount(t *testing.T) {
	acct := testAccount()
	var deleted []bool
	var signedOut []string
	svc := fakeAccounts(acct)
	svc.RequestDeletionFn = func(ctx context.Context, id int64, password string, deleteComments bool) error {
		if password != "right password" {
			return masthead.FieldError("password", masthead.Msg(masthead.MsgCurrentPasswordWrong))
		}
		deleted = append(deleted, deleteComments)
		return nil
	}
	svc.FindAccountByIDFn = func(ctx context.Context, id int64) (*masthead.Account, error) {
		a := *acct
		a.DeletionDueAt = testNow.Add(24 * time.Hour)
		return &a, nil
	}
	svc.SignOutFn = func(ctx context.Context, token string) error { signedOut = append(signedOut, token); return nil }
	h := newAccountServer(t, svc, Config{})

	res, body := do(t, h, signedIn(postForm("/account/privacy", url.Values{"comments": {"delete_comments"}, "password": {"wrong"}})))
	if res.StatusCode != 400 || !strings.Contains(body, masthead.Msg(masthead.MsgCurrentPasswordWrong)) ||
		!strings.Contains(body, `value="delete_comments" checked`) || len(deleted) != 0 {
		t.Errorf("wrong password: got %d, deleted %v", res.StatusCode, deleted)
	}
	res, body = do(t, h, signedIn(postForm("/account/privacy", url.Values{"password": {"right password"}})))
	if res.StatusCode != 400 || !strings.Contains(body, masthead.Msg("privacy.comments_required")) || len(deleted) != 0 {
		t.Errorf("no choice: got %d, deleted %v", res.StatusCode, deleted)
	}

	signedOut = nil
	res, body = do(t, h, signedIn(postForm("/account/privacy", url.Values{"comments": {"delete_comments"}, "password": {"right password"}})))
	if res.StatusCode != 200 || len(deleted) != 1 || !deleted[0] {
		t.Fatalf("delete: got %d, deleted %v", res.StatusCode, deleted)
	}
	if want := masthead.Msg("privacy.deleted", "2 March 2026, 12:00 UTC"); !strings.Contains(body, want) {
		t.Errorf("body lacks %q", want)
	}
	if strings.Contains(body, "Signed in as") {
		t.Errorf("page still shows the reader signed in")
	}
	if c := res.Cookies(); len(c) != 1 || c[0].MaxAge >= 0 {
		t.Errorf("cookie not cleared: %v", res.Header["Set-Cookie"])
	}
	// This browser's session is ended (the service ended the others).
	if len(signedOut) != 1 || signedOut[0] != testToken {
		t.Errorf("signed out: got %q", signedOut)
	}
}

func TestPasswordReset(t *testing.T) {
	svc := fakeAccounts(testAccount())
	svc.ResetPasswordFn = func(ctx context.Context, token, password string, c masthead.Client) (*masthead.Account, string, error) {
		switch {
		case token != "good":
			return nil, "", masthead.FieldError("token", masthead.Msg(masthead.MsgTokenInvalid))
		case len(password) < 8:
			return nil, "", masthead.FieldError("password", masthead.Msg(masthead.MsgPasswordTooShort, 8))
		}
		return testAccount(), testNewToken, nil
	}
	var forgot []string
	svc.RequestPasswordResetFn = func(ctx context.Context, email string, c masthead.Client) error {
		forgot = append(forgot, email)
		if email == "busy@example.com" {
			return masthead.Errorf(masthead.ERATELIMIT, "%s", masthead.Msg(masthead.MsgResetRateLimited))
		}
		return nil
	}
	h := newAccountServer(t, svc, Config{})

	res, _ := do(t, h, postForm("/password/forgot", url.Values{"email": {"anyone@example.com"}}))
	if res.StatusCode != 303 || res.Header.Get("Location") != "/password/forgot?sent=1" {
		t.Errorf("forgot: got %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	res, body := do(t, h, postForm("/password/forgot", url.Values{"email": {"busy@example.com"}}))
	if res.StatusCode != 429 || !strings.Contains(body, masthead.Msg(masthead.MsgResetRateLimited)) || !strings.Contains(body, `value="busy@example.com"`) {
		t.Errorf("rate-limited forgot: got %d", res.StatusCode)
	}

	res, body = do(t, h, postForm("/password/reset", url.Values{"token": {"bad"}, "password": {"long enough"}}))
	if res.StatusCode != 400 || !strings.Contains(body, masthead.Msg(masthead.MsgTokenInvalid)) || !strings.Contains(body, `href="/password/forgot"`) {
		t.Errorf("bad token: got %d", res.StatusCode)
	}
	res, body = do(t, h, postForm("/password/reset", url.Values{"token": {"good"}, "password": {"short"}}))
	if res.StatusCode != 400 || !strings.Contains(body, `aria-invalid="true"`) || !strings.Contains(body, `name="token" value="good"`) {
		t.Errorf("short password: got %d", res.StatusCode)
	}
	res, _ = do(t, h, postForm("/password/reset", url.Values{"token": {"good"}, "password": {"long enough"}}))
	if res.StatusCode != 303 || res.Header.Get("Location") != "/account?reset=1" {
		t.Errorf("reset: got %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if c := res.Cookies(); len(c) != 1 || c[0].Value != testNewToken {
		t.Errorf("reset cookie: %v", res.Header["Set-Cookie"])
	}
	if got := res.Header.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("Referrer-Policy on a token page: got %q", got)
	}
}

func TestClientIP(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	tests := []struct {
		name    string
		trusted []netip.Prefix
		remote  string
		xff     []string
		want    string
	}{
		{"no proxies", nil, "192.0.2.1:1234", []string{"203.0.113.9"}, "192.0.2.1"},
		{"untrusted peer", proxies, "192.0.2.1:1234", []string{"203.0.113.9"}, "192.0.2.1"},
		{"trusted peer", proxies, "10.1.2.3:1234", []string{"203.0.113.9"}, "203.0.113.9"},
		{"spoofed left entry", proxies, "10.1.2.3:1234", []string{"198.51.100.1, 203.0.113.9, 10.0.0.2"}, "203.0.113.9"},
		{"several headers", proxies, "10.1.2.3:1234", []string{"198.51.100.1", "203.0.113.9"}, "203.0.113.9"},
		{"garbage", proxies, "10.1.2.3:1234", []string{"not-an-ip"}, "10.1.2.3"},
		{"all trusted", proxies, "10.1.2.3:1234", []string{"10.9.9.9"}, "10.9.9.9"},
		{"IPv6", proxies, "[fd00::1]:80", []string{"2001:db8::5"}, "2001:db8::5"},
		{"mapped", proxies, "[::ffff:10.1.2.3]:80", []string{"::ffff:203.0.113.9"}, "203.0.113.9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t, fakeStories(nil), Config{TrustedProxies: tt.trusted})
			req := httptest.NewRequest("GET", "/", nil)
			req.RemoteAddr = tt.remote
			for _, v := range tt.xff {
				req.Header.Add("X-Forwarded-For", v)
			}
			if got := s.clientIP(req).String(); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// TestAccountPagesAccessible checks what can be checked without a browser:
// one h1, the skip link first, no inline code, a label for every input,
// and the autocomplete tokens.
func TestAccountPagesAccessible(t *testing.T) {
	acct := testAccount()
	acct.EmailVerifiedAt = time.Time{}
	h := newAccountServer(t, fakeAccounts(acct), Config{})
	inline := regexp.MustCompile(`(?i)<script|\sstyle=|<style|\son[a-z]+=|javascript:`)
	input := regexp.MustCompile(`<input id="([^"]+)"[^>]*>`)
	for _, target := range []string{"/signup", "/signin", "/password/forgot", "/password/reset?token=x", "/signup?sent=1",
		"/account", "/account/profile", "/account/subscription", "/account/security", "/account/notifications", "/account/privacy"} {
		t.Run(target, func(t *testing.T) {
			req := httptest.NewRequest("GET", target, nil)
			if strings.HasPrefix(target, "/account") {
				signedIn(req)
			}
			res, body := do(t, h, req)
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			if got := strings.Count(body, "<h1"); got != 1 {
				t.Errorf("h1 elements: got %d, want 1", got)
			}
			first := regexp.MustCompile(`<(a|input|button|select|textarea)\b[^>]*>`).FindString(body[strings.Index(body, "<body>"):])
			if first != `<a class="skip-link" href="#main">` {
				t.Errorf("first focusable element: got %q", first)
			}
			if m := inline.FindString(body); m != "" {
				t.Errorf("inline code %q", m)
			}
			if !strings.Contains(body, `<meta name="robots" content="noindex">`) {
				t.Errorf("account page is indexable")
			}
			for _, m := range input.FindAllStringSubmatch(body, -1) {
				if !strings.Contains(body, `<label for="`+m[1]+`">`) {
					t.Errorf("input %s has no label", m[1])
				}
				if strings.Contains(m[0], `type="password"`) && !strings.Contains(m[0], `autocomplete="current-password"`) && !strings.Contains(m[0], `autocomplete="new-password"`) {
					t.Errorf("password input without autocomplete: %s", m[0])
				}
			}
		})
	}
}

// BenchmarkStoryPageAccounts measures the story page with accounts on, for
// an anonymous reader (no cookie: no session lookup, the cached header) and
// for a signed-in one (a session lookup in the fake, a header of their own).
func BenchmarkStoryPageAccounts(b *testing.B) {
	h := newAccountServer(b, fakeAccounts(testAccount()), Config{})
	for _, signed := range []bool{false, true} {
		name := "anonymous"
		if signed {
			name = "signed-in"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				req := httptest.NewRequest(http.MethodGet, "/stories/tokyo-rail-expansion", nil)
				if signed {
					signedIn(req)
				}
				for pb.Next() {
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					if rec.Code != 200 {
						b.Fatalf("status %d", rec.Code)
					}
				}
			})
		})
	}
}
