package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"masthead"
)

// On an HTTPS site the session cookie is __Host-masthead_session, which a
// sibling subdomain or a plain-HTTP man in the middle cannot set. The
// unprefixed development name must then not be accepted, or such an
// attacker can toss in a cookie holding a session of their own (a forced
// sign-in into the attacker's account) and the prefix protects nothing.
func TestHTTPSRefusesUnprefixedCookie(t *testing.T) {
	tests := []struct {
		name     string
		cookie   string
		wantCode int
	}{
		{"__Host- cookie", SessionCookieName, http.StatusOK},
		{"unprefixed cookie", InsecureSessionCookieName, http.StatusSeeOther},
	}
	h := newAccountServer(t, fakeAccounts(testAccount()), Config{BaseURL: "https://news.example"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "https://news.example/account", nil)
			req.AddCookie(&http.Cookie{Name: tt.cookie, Value: testToken})
			res, _ := do(t, h, req)
			if res.StatusCode != tt.wantCode {
				t.Errorf("GET /account with a %s: status %d, want %d (Location %q)",
					tt.cookie, res.StatusCode, tt.wantCode, res.Header.Get("Location"))
			}
		})
	}
}

// Every state-changing account route refuses a cross-site request before
// its handler runs, the JSON API's PATCH included.
func TestCrossOriginEveryStateChangingRoute(t *testing.T) {
	h := newAccountServer(t, fakeAccounts(testAccount()), Config{})
	routes := []struct{ method, target, contentType, body string }{
		{http.MethodPost, "/signup", "application/x-www-form-urlencoded", "email=a%40b.example&password=xxxxxxxxxx"},
		{http.MethodPost, "/signin", "application/x-www-form-urlencoded", "email=reader%40example.com&password=right+password"},
		{http.MethodPost, "/signout", "application/x-www-form-urlencoded", ""},
		{http.MethodPost, "/password/forgot", "application/x-www-form-urlencoded", "email=reader%40example.com"},
		{http.MethodPost, "/password/reset", "application/x-www-form-urlencoded", "token=t&password=xxxxxxxxxx"},
		{http.MethodPost, "/account/verify/resend", "application/x-www-form-urlencoded", ""},
		{http.MethodPost, "/account/profile", "application/x-www-form-urlencoded", "display_name=Evil"},
		{http.MethodPost, "/account/security", "application/x-www-form-urlencoded", "action=end_others"},
		{http.MethodPost, "/account/notifications", "application/x-www-form-urlencoded", ""},
		{http.MethodPost, "/account/privacy", "application/x-www-form-urlencoded", "comments=delete_comments&password=x"},
		{http.MethodPatch, "/api/v1/me/profile", "text/plain", `{"display_name":"Evil"}`},
	}
	for _, rt := range routes {
		for _, how := range []string{"sec-fetch-site", "origin"} {
			t.Run(rt.method+" "+rt.target+" "+how, func(t *testing.T) {
				req := httptest.NewRequest(rt.method, rt.target, strings.NewReader(rt.body))
				req.Header.Set("Content-Type", rt.contentType)
				if how == "sec-fetch-site" {
					req.Header.Set("Sec-Fetch-Site", "cross-site")
				} else {
					req.Header.Set("Origin", "https://evil.example")
				}
				res, _ := do(t, h, signedIn(req))
				if res.StatusCode != http.StatusForbidden {
					t.Errorf("status %d, want 403", res.StatusCode)
				}
				if len(res.Cookies()) != 0 {
					t.Errorf("refused request set cookies: %v", res.Header["Set-Cookie"])
				}
			})
		}
	}
}

// More hostile next values: header splitting, NULs, mixed encodings and
// schemes with leading spaces never leave the site, on every route that
// redirects to next.
func TestNextStaysLocal(t *testing.T) {
	hostile := []string{
		"/\r\nLocation: https://evil.example",
		"/%0d%0aLocation:%20https://evil.example",
		"/%00//evil.example",
		"/.%2E//evil.example",
		"/%2e//evil.example",
		"/%5C%5Cevil.example",
		"/%2F\\evil.example",
		" javascript:alert(1)",
		"JaVaScRiPt:alert(1)",
		"/javascript:alert(1)//%2F%2Fevil.example",
		"\x00/evil",
		"/\u3002evil.example",
		"/%E3%80%82evil.example",
		"https:\\\\evil.example",
	}
	svc := fakeAccounts(testAccount())
	svc.SetProfileFn = func(ctx context.Context, id int64, name, about string) (*masthead.Account, error) {
		return testAccount(), nil
	}
	h := newAccountServer(t, svc, Config{})
	for _, next := range hostile {
		t.Run(url.QueryEscape(next), func(t *testing.T) {
			got := localPath(next)
			if got != "" && (strings.HasPrefix(got, "//") || strings.ContainsAny(got, "\\\r\n\x00") || !strings.HasPrefix(got, "/")) {
				t.Errorf("localPath(%q) = %q", next, got)
			}
			res, _ := do(t, h, signedIn(postForm("/account/profile", url.Values{"display_name": {"Reader One"}, "next": {next}})))
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("profile status %d, want 303", res.StatusCode)
			}
			loc := res.Header.Get("Location")
			if loc != "/account" && (!strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.ContainsAny(loc, "\\\r\n\x00")) {
				t.Errorf("profile Location %q", loc)
			}
		})
	}
}
