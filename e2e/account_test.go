package e2e

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"masthead/internal/mailtest"
)

// fill types value into the field named name of the form that posts to
// action, replacing what was there.
func (b *browser) fill(t *testing.T, action, name, value string) {
	t.Helper()
	sel := `form[action="` + action + `"] [name="` + name + `"]`
	b.do(t, "find "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
	clear := `document.querySelector(` + strconv.Quote(sel) + `).value = ""`
	run(t, b, "clear "+sel, chromedp.Evaluate[any](clear))
	b.do(t, "type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), value))
}

// submit clicks the submit button of the form that posts to action and
// returns the status of the page it leads to, then checks that page.
func (b *browser) submit(t *testing.T, action string) int64 {
	t.Helper()
	sel := `form[action="` + action + `"] button[type="submit"], form[action="` + action + `"] button:not([type])`
	ctx, cancel := withTimeout(b, 30*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("submit %s: %v", action, err)
	}
	b.do(t, "wait for the page after "+action, chromedp.WaitReady(chromedp.CSS("body")))
	return resp.Status
}

// expectLoadError takes back the browser's report of a page answered with
// status, which the test meant to happen, and fails if there was none.
func (b *browser) expectLoadError(t *testing.T, status int) {
	t.Helper()
	want := "status of " + strconv.Itoa(status)
	b.mu.Lock()
	defer b.mu.Unlock()
	kept := b.problems[:b.reported]
	found := false
	for _, p := range b.problems[b.reported:] {
		if strings.Contains(p, want) {
			found = true
			continue
		}
		kept = append(kept, p)
	}
	b.problems = kept
	if !found {
		t.Errorf("the browser reported no page answered with status %d", status)
	}
}

// path returns the path of the current page.
func (b *browser) path(t *testing.T) string {
	t.Helper()
	loc := run(t, b, "location", chromedp.Location())
	i := strings.Index(loc, "://")
	rest := loc[i+3:]
	if j := strings.IndexByte(rest, '/'); j >= 0 {
		return rest[j:]
	}
	return "/"
}

// linkIn returns the first link in an email's text part whose path starts
// with path.
func linkIn(t *testing.T, m *mailtest.Full, path string) string {
	t.Helper()
	re := regexp.MustCompile(`https?://[^\s<>"]+` + regexp.QuoteMeta(path) + `[^\s<>"]*`)
	link := re.FindString(m.Text)
	if link == "" {
		t.Fatalf("email %q has no %s link:\n%s", m.Subject, path, m.Text)
	}
	return link
}

// TestAccountJourney: a new reader signs up, gets the verification email
// from a real SMTP server, follows the link, signs in, creates a display
// name in the Profile section and sees it saved; signs out; resets the
// password by email and signs in with the new one.
func TestAccountJourney(t *testing.T) {
	t.Parallel()
	mailpit := mailtest.Start(t)
	inst := startMasthead(t, "--smtp-url", mailpit.SMTPURL)
	b := newBrowser(t, true)
	email := mailtest.Address(t)
	const first = "a long and quiet harbour"
	const second = "the night bus leaves at four"
	const name = "Ines Marlow"

	// Sign up.
	b.open(t, inst.URL+"/signup")
	b.fill(t, "/signup", "email", email)
	b.fill(t, "/signup", "password", first)
	if status := b.submit(t, "/signup"); status != http.StatusOK {
		t.Fatalf("sign up: status %d", status)
	}
	b.checkPage(t, "after sign-up")

	// Verify by the emailed link.
	verify := mailpit.WaitMessage(t, email, "", 20*time.Second)
	link := linkIn(t, verify, "/verify?token=")
	b.open(t, link)

	// Sign in.
	b.open(t, inst.URL+"/signin")
	b.fill(t, "/signin", "email", email)
	b.fill(t, "/signin", "password", first)
	if status := b.submit(t, "/signin"); status != http.StatusOK {
		t.Fatalf("sign in: status %d", status)
	}
	b.checkPage(t, "after sign-in")
	if p := b.path(t); !strings.HasPrefix(p, "/account") && p != "/" {
		t.Errorf("after sign-in the reader is at %s, want the account page", p)
	}

	// The Profile section: create a display name and see it saved.
	b.open(t, inst.URL+"/account/profile")
	b.fill(t, "/account/profile", "display_name", name)
	if status := b.submit(t, "/account/profile"); status != http.StatusOK {
		t.Fatalf("save profile: status %d", status)
	}
	b.checkPage(t, "after saving the profile")
	b.open(t, inst.URL+"/account/profile")
	got := run(t, b, "read display_name", chromedp.Value(chromedp.CSS(`form[action="/account/profile"] [name="display_name"]`)))
	if got != name {
		t.Errorf("display_name field after saving = %q, want %q", got, name)
	}

	// Sign out.
	if status := b.submit(t, "/signout"); status != http.StatusOK {
		t.Fatalf("sign out: status %d", status)
	}
	b.open(t, inst.URL+"/account/profile") // redirects to sign in
	if p := b.path(t); !strings.HasPrefix(p, "/signin") {
		t.Errorf("after signing out, /account/profile led to %s, want the sign-in page", p)
	}

	// Reset the password by email.
	b.open(t, inst.URL+"/password/forgot")
	b.fill(t, "/password/forgot", "email", email)
	if status := b.submit(t, "/password/forgot"); status != http.StatusOK {
		t.Fatalf("forgot password: status %d", status)
	}
	reset := waitForLink(t, mailpit, email, "/password/reset?token=")
	b.open(t, reset)
	b.fill(t, "/password/reset", "password", second)
	if status := b.submit(t, "/password/reset"); status != http.StatusOK {
		t.Fatalf("reset password: status %d", status)
	}
	b.checkPage(t, "after the reset")

	// Sign out, then in with the new password; the old one no longer works.
	b.open(t, inst.URL+"/account")
	if status := b.submit(t, "/signout"); status != http.StatusOK {
		t.Fatalf("sign out: status %d", status)
	}
	b.open(t, inst.URL+"/signin")
	b.fill(t, "/signin", "email", email)
	b.fill(t, "/signin", "password", first)
	if status := b.submit(t, "/signin"); status != http.StatusUnauthorized {
		t.Errorf("sign in with the old password: status %d, want 401", status)
	}
	b.expectLoadError(t, http.StatusUnauthorized)
	if p := b.path(t); !strings.HasPrefix(p, "/signin") {
		t.Errorf("the old password still signs in (now at %s)", p)
	}
	b.open(t, inst.URL+"/signin")
	b.fill(t, "/signin", "email", email)
	b.fill(t, "/signin", "password", second)
	if status := b.submit(t, "/signin"); status != http.StatusOK {
		t.Fatalf("sign in with the new password: status %d", status)
	}
	if p := b.path(t); strings.HasPrefix(p, "/signin") {
		t.Errorf("the new password did not sign in (still at %s)", p)
	}
	b.checkConsole(t, "end of test")
}

// waitForLink waits for an email to `to` with a link to path that was not
// in any earlier message, and returns the link.
func waitForLink(t *testing.T, mailpit *mailtest.Server, to, path string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		for _, s := range mailpit.Messages(t, to) {
			m := mailpit.WaitMessage(t, to, s.Subject, time.Second)
			if strings.Contains(m.Text, path) {
				return linkIn(t, m, path)
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("no email to %s with a %s link", to, path)
	return ""
}

// TestCrossOriginFormRefused: a form on another site that posts to the
// sign-in page is refused with 403 in a real browser.
func TestCrossOriginFormRefused(t *testing.T) {
	t.Parallel()
	inst := startMasthead(t)
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><html lang="en"><title>Elsewhere</title><main>
<form action="` + inst.URL + `/signin" method="post">
<label>Email <input name="email" value="someone@example.com"></label>
<label>Password <input name="password" value="not a real password"></label>
<button type="submit">Go</button></form></main></html>`))
	}))
	t.Cleanup(evil.Close)
	// The masthead instance is at 127.0.0.1; reach the other page as
	// localhost, a different site.
	evilURL := strings.Replace(evil.URL, "127.0.0.1", "localhost", 1)

	b := newBrowser(t, true)
	ctx, cancel := withTimeout(b, 30*time.Second)
	defer cancel()
	if _, err := chromedp.RunResponse(ctx, chromedp.Navigate(evilURL)); err != nil {
		t.Fatalf("open the other site: %v", err)
	}
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("button"), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("submit the cross-site form: %v", err)
	}
	if resp.Status != http.StatusForbidden {
		t.Errorf("cross-site POST /signin: status %d, want 403", resp.Status)
	}
}
