package e2e

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"masthead/internal/mailtest"
)

// signInStaff signs a staff member in through the browser, giving the
// demo administrator's two-factor code when the site asks for one.
func (b *browser) signInStaff(t *testing.T, inst *instance, email string) {
	t.Helper()
	b.open(t, inst.URL+"/signin")
	b.fill(t, "/signin", "email", email)
	b.fill(t, "/signin", "password", "masthead-demo")
	if status := b.submit(t, "/signin"); status != 200 {
		t.Fatalf("sign in as %s: status %d", email, status)
	}
	if strings.HasPrefix(b.path(t), "/signin/two-factor") {
		b.checkPage(t, "the second step of signing in")
		b.fill(t, "/signin/two-factor", "code", totpCode(t, demoAdminTOTPSecret, time.Now()))
		if status := b.submit(t, "/signin/two-factor"); status != 200 {
			t.Fatalf("second step for %s: status %d", email, status)
		}
	}
	if p := b.path(t); strings.HasPrefix(p, "/signin") {
		t.Fatalf("sign in as %s failed: still at %s", email, p)
	}
}

// TestStaffJourney is issue 6's browser journey: an editor writes a story
// with a preview and schedules it, and it appears at its time; with
// pre-moderation for new commenters on, a new commenter's comment waits in
// the queue until the moderator approves it; the moderator bans a
// subscriber, who then sees the ban and its reason in place of the comment
// box; the moderator resets an impersonating display name, and that
// subscriber is shown the display-name sentence again. axe-core checks
// every page on the way.
func TestStaffJourney(t *testing.T) {
	sentence := seedSentence(t)
	mailpit := mailtest.Start(t)
	inst := startMasthead(t, "--demo", "--database", "sqlite:"+filepath.Join(t.TempDir(), "masthead.db"),
		"--smtp-url", mailpit.SMTPURL)

	// The editor writes a story, previews it and schedules it a few
	// seconds ahead.
	ed := newBrowser(t, true)
	ed.signInStaff(t, inst, "editor@example.com")
	ed.open(t, inst.URL+"/admin/stories/new")
	ed.checkPage(t, "the story editor, empty")
	const headline = "Harbour ferry timetable returns to winter hours"
	ed.fill(t, "/admin/stories/new", "headline", headline)
	ed.fill(t, "/admin/stories/new", "dek", "Crossings drop to hourly after the last weekend of the month.")
	ed.fill(t, "/admin/stories/new", "authors", "Ines Parata")
	ed.fill(t, "/admin/stories/new", "body", "The **winter timetable** starts on Monday.\n\nThe last crossing leaves at 21:40.")
	// Without waiting for the live preview, the button renders it.
	if status := ed.clickTo(t, `form[action="/admin/stories/new"] button[name="preview"]`); status != 200 {
		t.Fatalf("preview: status %d", status)
	}
	ed.waitText(t, "#story-preview strong", "winter timetable")
	ed.checkPage(t, "the story editor, with the preview")
	// The typed text survived the preview.
	if got := run(t, ed, "read the headline", chromedp.Evaluate[string](`document.querySelector('form[action="/admin/stories/new"] [name=headline]').value`)); got != headline {
		t.Fatalf("after the preview the headline is %q, want %q", got, headline)
	}
	run(t, ed, "choose the first section", chromedp.Evaluate[any](`document.querySelector('select[name=section]').selectedIndex = 1`))
	at := time.Now().UTC().Add(8 * time.Second)
	run(t, ed, "choose to schedule", chromedp.Evaluate[any](`document.querySelector('input[name=status][value=scheduled]').click()`))
	run(t, ed, "set the time", chromedp.Evaluate[any](`document.querySelector('[name=published_at]').value = `+quoteJS(at.Format("2006-01-02T15:04:05"))))
	if status := ed.submit(t, "/admin/stories/new"); status != 200 {
		t.Fatalf("save the story: status %d: %s", status, run(t, ed, "errors", chromedp.Evaluate[string](`document.querySelector("main").innerText.slice(0, 1500)`)))
	}
	ed.checkPage(t, "the story editor, after scheduling")
	slug := "harbour-ferry-timetable-returns-to-winter-hours"
	if resp, _ := inst.get(t, "/stories/"+slug); resp.StatusCode != http.StatusNotFound {
		t.Errorf("before its time the story answers %d, want 404", resp.StatusCode)
	}
	for {
		resp, body := inst.get(t, "/stories/"+slug)
		if resp.StatusCode == http.StatusOK {
			if !strings.Contains(string(body), "<strong>winter timetable</strong>") {
				t.Errorf("the published story lacks its body")
			}
			break
		}
		if time.Now().After(at.Add(20 * time.Second)) {
			t.Fatalf("the scheduled story never appeared (status %d)", resp.StatusCode)
		}
		time.Sleep(250 * time.Millisecond)
	}
	story := "/stories/" + slug

	// The administrator holds new commenters' first comment for review.
	adm := newBrowser(t, true)
	adm.signInStaff(t, inst, "admin@example.com")
	adm.open(t, inst.URL+"/admin/settings")
	adm.checkPage(t, "the settings")
	adm.fill(t, "/admin/settings", "new_commenter_approvals", "1")
	if status := adm.submit(t, "/admin/settings"); status != 200 {
		t.Fatalf("save the settings: status %d", status)
	}
	adm.checkPage(t, "the settings, saved")

	// The Standard subscriber, new to commenting, creates a display name
	// and comments; the comment waits for review, marked as such, and
	// nobody else sees it.
	std := newBrowser(t, true)
	std.signIn(t, inst, "standard@example.com")
	std.open(t, inst.URL+"/account/profile")
	std.fill(t, "/account/profile", "display_name", "Ruth Calloway")
	if status := std.submit(t, "/account/profile"); status != 200 {
		t.Fatalf("save the display name: status %d", status)
	}
	std.open(t, inst.URL+story)
	const held = "Hourly crossings will strand the late shift at the cannery."
	std.fillSel(t, "#comment-form textarea[name=body]", held)
	std.send(t, "#comment-form button[type=submit]", true)
	std.waitText(t, ".comment-pending", held)
	std.checkPage(t, "the story, with a comment awaiting review")
	if _, body := inst.get(t, story); strings.Contains(string(body), held) {
		t.Fatal("a held comment is shown to other readers")
	}

	// The moderator approves it from the pending queue; then everyone
	// sees it.
	mod := newBrowser(t, true)
	mod.signInStaff(t, inst, "moderator@example.com")
	mod.open(t, inst.URL+"/admin/moderation")
	mod.checkPage(t, "the pending queue")
	mod.waitText(t, ".mod-items", held)
	// With the keyboard: "?" lists the shortcuts, "j" moves to the first
	// comment, "a" approves it through the API, and the queue's count
	// follows.
	mod.do(t, "ask for the shortcuts", chromedp.KeyEvent("?"))
	mod.do(t, "see the shortcuts", chromedp.WaitVisible(chromedp.CSS("#mod-shortcuts")))
	mod.do(t, "close the shortcuts", chromedp.KeyEvent("\x1b"))
	mod.do(t, "move to the first comment", chromedp.KeyEvent("j"))
	if got := run(t, mod, "the focused comment", chromedp.Evaluate[string](`document.activeElement.className`)); !strings.Contains(got, "mod-item") {
		t.Fatalf("after j the focus is on %q, want a queued comment", got)
	}
	mod.do(t, "approve it", chromedp.KeyEvent("a"))
	mod.do(t, "wait for the approval", chromedp.WaitVisible(chromedp.CSS(".mod-item-done")))
	mod.waitText(t, `.mod-count[data-count="pending"]`, "0")
	mod.checkPage(t, "the pending queue, after approving")
	if _, body := inst.get(t, story); !strings.Contains(string(body), held) {
		t.Error("the approved comment does not appear on the story")
	}
	waitForMail(t, mailpit, "standard@example.com", "Hourly crossings")

	// The moderator bans the Standard subscriber, who sees the ban and
	// its reason in place of the comment box.
	const banReason = "Repeated abuse of other commenters."
	mod.open(t, inst.URL+"/admin/users?q=standard%40example.com")
	mod.checkPage(t, "the user search")
	if status := mod.clickTo(t, `a[href^="/admin/users/"]`); status != 200 {
		t.Fatalf("open the subscriber: status %d", status)
	}
	mod.checkPage(t, "the subscriber's history")
	user := mod.path(t)
	mod.fill(t, user+"/ban", "reason", banReason)
	if status := mod.submit(t, user+"/ban"); status != 200 {
		t.Fatalf("ban: status %d", status)
	}
	mod.checkPage(t, "the subscriber, banned")
	std.open(t, inst.URL+story)
	if got := std.text(t, "#comment-gate-message"); !strings.Contains(got, banReason) {
		t.Errorf("the banned subscriber sees %q in place of the comment box, want the ban with %q", got, banReason)
	}
	if n := run(t, std, "count comment forms", chromedp.Evaluate[int](`document.querySelectorAll("#comment-form").length`)); n != 0 {
		t.Error("the banned subscriber still has a comment box")
	}
	waitForMail(t, mailpit, "standard@example.com", banReason)

	// The moderator resets the Premium subscriber's display name; the
	// subscriber is shown the display-name sentence again.
	prem := newBrowser(t, true)
	prem.signIn(t, inst, "premium@example.com")
	prem.open(t, inst.URL+story)
	if n := run(t, prem, "count comment forms", chromedp.Evaluate[int](`document.querySelectorAll("#comment-form").length`)); n != 1 {
		t.Fatal("the Premium subscriber has no comment box before the reset")
	}
	mod.open(t, inst.URL+"/admin/users?q=premium%40example.com")
	if status := mod.clickTo(t, `a[href^="/admin/users/"]`); status != 200 {
		t.Fatalf("open the subscriber: status %d", status)
	}
	user = mod.path(t)
	mod.fill(t, user+"/reset-display-name", "reason", "The name impersonates a member of the newsroom.")
	if status := mod.submit(t, user+"/reset-display-name"); status != 200 {
		t.Fatalf("reset the display name: status %d", status)
	}
	mod.checkPage(t, "the subscriber, name reset")
	prem.open(t, inst.URL+story)
	if got := strings.TrimSpace(prem.text(t, "#comment-gate-message")); got != sentence {
		t.Errorf("after the reset the gate says %q, want word for word %q", got, sentence)
	}

	// Every one of those staff actions left its audit entry.
	adm.open(t, inst.URL+"/admin/audit")
	adm.checkPage(t, "the audit log")
	log := adm.text(t, "main")
	for _, action := range []string{"story.schedule", "settings.comment_policy", "comment.approve", "account.ban", "account.reset_display_name"} {
		if !strings.Contains(log, action) {
			t.Errorf("the audit log has no %s entry", action)
		}
	}
	for _, b := range []*browser{ed, adm, std, mod, prem} {
		b.checkConsole(t, "end of the staff journey")
	}
}
