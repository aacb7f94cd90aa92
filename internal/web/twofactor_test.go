package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"masthead"
	"masthead/internal/mock"
)

const testPending = "pending-sign-in-token"

// twoFactorAccounts is an account service whose reader has two-factor
// sign-in on: the right password gives a pending sign-in, not a session.
func twoFactorAccounts(acct *masthead.Account) *mock.AccountService {
	svc := fakeAccounts(acct)
	svc.SignInFn = func(ctx context.Context, email, password string, c masthead.Client) (*masthead.Account, string, error) {
		if password == "right password" {
			return nil, "", &masthead.SecondFactorRequired{Token: testPending}
		}
		return nil, "", masthead.Errorf(masthead.EUNAUTHORIZED, "%s", masthead.Msg(masthead.MsgSignInFailed))
	}
	return svc
}

// fakeTwoFactor completes testPending with "123456" (an app's code) or
// "abcde-fghij" (a recovery code, leaving 2).
func fakeTwoFactor(acct *masthead.Account) *mock.TwoFactorService {
	return &mock.TwoFactorService{
		CompleteSignInFn: func(ctx context.Context, token, code string, c masthead.Client) (*masthead.SecondFactorResult, error) {
			switch {
			case token != testPending:
				return nil, &masthead.Error{Code: masthead.EINVALID, Field: "token", Message: masthead.Msg(masthead.MsgTwoFactorPendingInvalid)}
			case code == "123456":
				return &masthead.SecondFactorResult{Account: acct, Session: testNewToken}, nil
			case code == "abcde-fghij":
				return &masthead.SecondFactorResult{Account: acct, Session: testNewToken, RecoveryCodeUsed: true, RecoveryCodesLeft: 2}, nil
			case code == "999999":
				return nil, masthead.Errorf(masthead.ERATELIMIT, "%s", masthead.Msg(masthead.MsgTwoFactorRateLimited))
			}
			return nil, &masthead.Error{Code: masthead.EUNAUTHORIZED, Field: "code", Message: masthead.Msg(masthead.MsgTwoFactorCodeWrong)}
		},
		TwoFactorStatusFn: func(ctx context.Context, id int64) (*masthead.TwoFactorStatus, error) {
			return &masthead.TwoFactorStatus{Enabled: acct.TwoFactorEnabled, EnabledAt: testNow, RecoveryCodesLeft: 10}, nil
		},
	}
}

// withPending adds the pending sign-in cookie to req.
func withPending(req *http.Request) *http.Request {
	req.AddCookie(&http.Cookie{Name: InsecurePendingCookieName, Value: testPending})
	return req
}

// cookieNamed returns the response's cookie called name, or nil.
func cookieNamed(res *http.Response, name string) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestSignInSecondStep(t *testing.T) {
	acct := testAccount()
	acct.TwoFactorEnabled = true
	h := newAccountServer(t, twoFactorAccounts(acct), Config{TwoFactor: fakeTwoFactor(acct)})

	res, _ := do(t, h, postForm("/signin", url.Values{"email": {acct.Email}, "password": {"right password"}, "next": {"/stories/budget-vote"}}))
	if got, want := res.Header.Get("Location"), "/signin/two-factor?next=%2Fstories%2Fbudget-vote"; res.StatusCode != http.StatusSeeOther || got != want {
		t.Fatalf("sign-in: %d to %q, want 303 to %q", res.StatusCode, got, want)
	}
	if c := cookieNamed(res, InsecurePendingCookieName); c == nil || c.Value != testPending || !c.HttpOnly || c.MaxAge <= 0 {
		t.Errorf("pending cookie = %+v, want the pending token, HttpOnly, with a lifetime", c)
	}
	if c := cookieNamed(res, InsecureSessionCookieName); c != nil {
		t.Errorf("sign-in with a second step set a session cookie: %+v", c)
	}

	tests := []struct {
		name         string
		code         string
		pending      bool
		wantStatus   int
		wantLocation string
		wantContain  []string
		wantSession  bool
	}{
		{"app code", "123456", true, 303, "/stories/budget-vote", nil, true},
		{"recovery code", "abcde-fghij", true, 303, "/account/security/two-factor?left=2&next=%2Fstories%2Fbudget-vote", nil, true},
		{"wrong code", "111111", true, 401, "", []string{masthead.Msg(masthead.MsgTwoFactorCodeWrong), `value="111111"`, `name="next" value="/stories/budget-vote"`, `role="alert"`}, false},
		{"rate limited", "999999", true, 429, "", []string{masthead.Msg(masthead.MsgTwoFactorRateLimited)}, false},
		{"no pending sign-in", "123456", false, 400, "", []string{masthead.Msg(masthead.MsgTwoFactorPendingInvalid), `href="/signin?next=%2Fstories%2Fbudget-vote"`}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := postForm("/signin/two-factor", url.Values{"code": {tt.code}, "next": {"/stories/budget-vote"}})
			if tt.pending {
				withPending(req)
			}
			res, body := do(t, h, req)
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status: got %d, want %d\n%s", res.StatusCode, tt.wantStatus, body)
			}
			if got := res.Header.Get("Location"); got != tt.wantLocation {
				t.Errorf("Location: got %q, want %q", got, tt.wantLocation)
			}
			for _, want := range tt.wantContain {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %q", want)
				}
			}
			session := cookieNamed(res, InsecureSessionCookieName)
			if got := session != nil && session.Value == testNewToken; got != tt.wantSession {
				t.Errorf("session cookie set = %v, want %v", got, tt.wantSession)
			}
			if tt.wantSession {
				if c := cookieNamed(res, InsecurePendingCookieName); c == nil || c.MaxAge >= 0 {
					t.Errorf("pending cookie not cleared: %+v", c)
				}
			}
		})
	}

	t.Run("form", func(t *testing.T) {
		res, body := do(t, h, withPending(httptest.NewRequest("GET", "/signin/two-factor?next=/account/profile", nil)))
		if res.StatusCode != 200 {
			t.Fatalf("status: got %d, want 200", res.StatusCode)
		}
		for _, want := range []string{`name="code"`, `autocomplete="one-time-code"`, `<label for="code">`, `name="next" value="/account/profile"`, `action="/signin/two-factor"`} {
			if !strings.Contains(body, want) {
				t.Errorf("body lacks %q", want)
			}
		}
	})
	t.Run("form without a pending sign-in", func(t *testing.T) {
		res, _ := do(t, h, httptest.NewRequest("GET", "/signin/two-factor?next=/account/profile", nil))
		if got, want := res.Header.Get("Location"), "/signin?next=%2Faccount%2Fprofile"; res.StatusCode != 303 || got != want {
			t.Errorf("got %d to %q, want 303 to %q", res.StatusCode, got, want)
		}
	})
}

func TestResetPasswordSecondStep(t *testing.T) {
	acct := testAccount()
	svc := twoFactorAccounts(acct)
	svc.ResetPasswordFn = func(ctx context.Context, token, password string, c masthead.Client) (*masthead.Account, string, error) {
		return nil, "", &masthead.SecondFactorRequired{Token: testPending}
	}
	h := newAccountServer(t, svc, Config{TwoFactor: fakeTwoFactor(acct)})
	res, _ := do(t, h, postForm("/password/reset", url.Values{"token": {"good"}, "password": {"a new password"}}))
	if got, want := res.Header.Get("Location"), "/signin/two-factor?next=%2Faccount%3Freset%3D1"; res.StatusCode != 303 || got != want {
		t.Errorf("reset: %d to %q, want 303 to %q", res.StatusCode, got, want)
	}
	if c := cookieNamed(res, InsecureSessionCookieName); c != nil {
		t.Errorf("reset with a second step set a session cookie: %+v", c)
	}
}

func TestTwoFactorPage(t *testing.T) {
	acct := testAccount()
	tf := fakeTwoFactor(acct)
	var gotSecret string
	tf.EnableTwoFactorFn = func(ctx context.Context, id int64, secret, code string) ([]string, error) {
		gotSecret = secret
		if code != "123456" {
			return nil, masthead.FieldError("code", masthead.Msg(masthead.MsgTwoFactorCodeWrong))
		}
		return []string{"aaaaa-bbbbb", "ccccc-ddddd"}, nil
	}
	h := newAccountServer(t, fakeAccounts(acct), Config{TwoFactor: tf})

	res, body := do(t, h, signedIn(httptest.NewRequest("GET", "/account/security/two-factor", nil)))
	if res.StatusCode != 200 {
		t.Fatalf("status: got %d, want 200", res.StatusCode)
	}
	for _, want := range []string{`name="secret"`, `href="otpauth://totp/`, `<label for="setup-code">`, `class="totp-secret"`} {
		if !strings.Contains(body, want) {
			t.Errorf("set-up page lacks %q", want)
		}
	}
	if strings.Contains(body, "ZgotmplZ") {
		t.Error("the otpauth link was filtered out")
	}
	secret := masthead.NewTOTPSecret()

	tests := []struct {
		name        string
		code        string
		wantStatus  int
		wantContain []string
	}{
		{"wrong code keeps the secret", "000000", 400, []string{masthead.Msg(masthead.MsgTwoFactorCodeWrong), `value="` + secret + `"`, masthead.GroupSecret(secret)}},
		{"right code shows the codes once", "123456", 200, []string{"aaaaa-bbbbb", "ccccc-ddddd", "not shown again"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := do(t, h, signedIn(postForm("/account/security/two-factor", url.Values{"action": {"enable"}, "secret": {secret}, "code": {tt.code}})))
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status: got %d, want %d", res.StatusCode, tt.wantStatus)
			}
			if gotSecret != secret {
				t.Errorf("secret passed = %q, want %q", gotSecret, secret)
			}
			for _, want := range tt.wantContain {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %q", want)
				}
			}
		})
	}

	t.Run("recovery notice", func(t *testing.T) {
		on := testAccount()
		on.TwoFactorEnabled = true
		h := newAccountServer(t, fakeAccounts(on), Config{TwoFactor: fakeTwoFactor(on)})
		_, body := do(t, h, signedIn(httptest.NewRequest("GET", "/account/security/two-factor?left=2&next=/stories/x", nil)))
		for _, want := range []string{"You have 2 recovery codes left", `href="/stories/x"`, `name="action" value="disable"`, `name="action" value="regenerate"`} {
			if !strings.Contains(body, want) {
				t.Errorf("body lacks %q", want)
			}
		}
	})
}

// twoFactorStaffServer is a server with an account of every role, signed
// in by "tok-" + role (see staffAccounts), and cfg's services.
func twoFactorStaffServer(t *testing.T, accounts map[string]*masthead.Account, cfg Config) http.Handler {
	t.Helper()
	svc := fakeAccounts(testAccount())
	svc.AuthenticateFn = func(ctx context.Context, token string, c masthead.Client) (*masthead.Account, *masthead.Session, error) {
		if a, ok := accounts[token]; ok {
			return a, &masthead.Session{ID: 1, AccountID: a.ID}, nil
		}
		return nil, nil, masthead.Errorf(masthead.EUNAUTHORIZED, "%s", masthead.Msg(masthead.MsgSessionInvalid))
	}
	cfg.Accounts = svc
	return newTestServer(t, fakeStories(testStories()), cfg).Handler()
}

// staffRequest returns a request of the role's account.
func staffRequest(role, method, target string, form url.Values) *http.Request {
	var req *http.Request
	if method == http.MethodPost {
		req = postForm(target, form)
	} else {
		req = httptest.NewRequest(method, target, nil)
	}
	if role != "" {
		req.AddCookie(&http.Cookie{Name: InsecureSessionCookieName, Value: "tok-" + role})
	}
	return req
}

func TestAdminRequiresTwoFactor(t *testing.T) {
	accounts := staffAccounts()
	accounts["tok-admin"].TwoFactorEnabled = false
	accounts["tok-moderator"].TwoFactorEnabled = false
	twoFA := *accounts["tok-admin"]
	twoFA.TwoFactorEnabled = true
	accounts["tok-secure"] = &twoFA
	h := twoFactorStaffServer(t, accounts, Config{TwoFactor: fakeTwoFactor(testAccount()), Audit: &fakeAuditLog{}, Staff: &mock.StaffService{}})
	tests := []struct {
		name, role, method, target string
		wantStatus                 int
		wantLocation               string
	}{
		{"admin without two-factor, staff home", "admin", "GET", "/admin", 303, "/account/security/two-factor?required=1"},
		{"admin without two-factor, audit log", "admin", "GET", "/admin/audit", 303, "/account/security/two-factor?required=1"},
		{"admin without two-factor, a form", "admin", "POST", "/admin/staff", 303, "/account/security/two-factor?required=1"},
		{"admin with two-factor", "secure", "GET", "/admin", 200, ""},
		{"moderator without two-factor", "moderator", "GET", "/admin", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := do(t, h, staffRequest(tt.role, tt.method, tt.target, url.Values{}))
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status: got %d, want %d", res.StatusCode, tt.wantStatus)
			}
			if got := res.Header.Get("Location"); got != tt.wantLocation {
				t.Errorf("Location: got %q, want %q", got, tt.wantLocation)
			}
		})
	}
	t.Run("the set-up page says why", func(t *testing.T) {
		h := twoFactorStaffServer(t, accounts, Config{TwoFactor: fakeTwoFactor(accounts["tok-admin"])})
		_, body := do(t, h, staffRequest("admin", "GET", "/account/security/two-factor?required=1", nil))
		if want := "Administrators must use two-factor sign-in"; !strings.Contains(body, want) {
			t.Errorf("body lacks %q", want)
		}
	})
}
