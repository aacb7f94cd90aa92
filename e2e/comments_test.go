package e2e

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"masthead/internal/mailtest"
	"masthead/internal/seedtest"
)

// fillSel types value into the field sel, replacing what was there.
func (b *browser) fillSel(t *testing.T, sel, value string) {
	t.Helper()
	b.do(t, "find "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
	run(t, b, "clear "+sel, chromedp.Evaluate[any](`document.querySelector(`+quoteJS(sel)+`).value = ""`))
	b.do(t, "type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), value))
}

// clickTo clicks sel, waits for the page it leads to, and returns its
// status.
func (b *browser) clickTo(t *testing.T, sel string) int64 {
	t.Helper()
	ctx, cancel := withTimeout(b, 30*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
	b.do(t, "wait for the page after clicking "+sel, chromedp.WaitReady(chromedp.CSS("body")))
	return resp.Status
}

func quoteJS(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// send submits a comment form: with JavaScript the page posts inline and
// stays; without, the browser follows the redirect after the post.
func (b *browser) send(t *testing.T, sel string, javascript bool) {
	t.Helper()
	if javascript {
		b.do(t, "click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
		return
	}
	if status := b.clickTo(t, sel); status != 200 {
		t.Fatalf("submit %s: status %d", sel, status)
	}
}

// waitText waits until the first element matching sel contains want.
func (b *browser) waitText(t *testing.T, sel, want string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		got := b.text(t, sel)
		if strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never showed %q (it shows %q)", sel, want, got)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// text returns the text of the first element matching sel, or "".
func (b *browser) text(t *testing.T, sel string) string {
	t.Helper()
	return run(t, b, "read "+sel, chromedp.Evaluate[string](`(document.querySelector(`+quoteJS(sel)+`) || {}).textContent || ""`))
}

// seedSentence is the last line of the newspaper's story in ../shared/seed:
// the sentence its site showed to subscribers without a display name.
func seedSentence(t *testing.T) string {
	t.Helper()
	return strings.TrimSpace(seedtest.LastLine(t))
}

// TestCommentJourney: the Standard demo subscriber opens a story and sees
// the display-name sentence word for word with its link; follows it, sets a
// display name, comes back to the story and posts; the Premium subscriber
// opens the story and replies. With and without JavaScript (the live part
// and the reply email come with live updates).
func TestCommentJourney(t *testing.T) {
	for _, js := range []bool{true, false} {
		name := "with JavaScript"
		if !js {
			name = "without JavaScript"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			commentJourney(t, js)
		})
	}
}

func commentJourney(t *testing.T, javascript bool) {
	sentence := seedSentence(t)
	mailpit := mailtest.Start(t)
	inst := startMasthead(t, "--demo", "--database", "sqlite:"+filepath.Join(t.TempDir(), "masthead.db"),
		"--smtp-url", mailpit.SMTPURL)
	story := ""
	for _, s := range listStories(t, inst, 100) {
		if s.Access == "free" && s.Comments == "open" {
			story = "/stories/" + s.Slug
			break
		}
	}
	if story == "" {
		t.Fatal("the demo has no free story with comments open")
	}

	std := newBrowser(t, javascript)
	std.signIn(t, inst, "standard@example.com")
	std.open(t, inst.URL+story)
	if got := strings.TrimSpace(std.text(t, "#comment-gate-message")); got != sentence {
		t.Errorf("the gate says %q, want word for word %q", got, sentence)
	}
	if status := std.clickTo(t, `.comment-gate a[href^="/account/profile"]`); status != 200 {
		t.Fatalf("follow the sentence's link: status %d", status)
	}
	std.checkPage(t, "the Profile section, from the gate")
	std.fill(t, "/account/profile", "display_name", "Ruth Calloway")
	if status := std.submit(t, "/account/profile"); status != 200 {
		t.Fatalf("save the display name: status %d", status)
	}
	if p, _, _ := strings.Cut(std.path(t), "#"); p != story {
		t.Errorf("after saving the name the subscriber is at %s, want back at %s", p, story)
	}
	std.checkPage(t, "the story, after creating a display name")

	// The Premium subscriber has the story open before the comment is
	// posted; with JavaScript it arrives without a reload.
	prem := newBrowser(t, javascript)
	prem.signIn(t, inst, "premium@example.com")
	prem.open(t, inst.URL+story)

	const first = "The night buses will make a real difference on the north side."
	std.fillSel(t, "#comment-form textarea[name=body]", first)
	std.send(t, "#comment-form button[type=submit]", javascript)
	std.waitText(t, ".comment-threads .comment-body", first)
	std.checkPage(t, "the story, after posting")
	commentID := run(t, std, "the comment's id", chromedp.Evaluate[string](`document.querySelector(".comment-threads article.comment").id`))

	if javascript {
		// A "new comments" button appears without a reload; it shows them.
		prem.do(t, "wait for the new-comments button", chromedp.WaitVisible(chromedp.CSS("button.comments-new")))
		prem.do(t, "show the new comments", chromedp.Click(chromedp.CSS("button.comments-new"), chromedp.NodeVisible))
		prem.waitText(t, ".comment-threads .comment-body", first)
	} else {
		prem.open(t, inst.URL+story)
	}
	n := strings.TrimPrefix(commentID, "comment-")
	prem.do(t, "open the reply form", chromedp.Click(chromedp.CSS("#"+commentID+" details.comment-reply summary"), chromedp.NodeVisible))
	reply := fmt.Sprintf("Agreed. The trial should be made permanent. (%s)", map[bool]string{true: "with JavaScript", false: "without JavaScript"}[javascript])
	prem.fillSel(t, "#reply-"+n+"-form textarea[name=body]", reply)
	prem.send(t, "#reply-"+n+"-form button[type=submit]", javascript)
	prem.waitText(t, ".comment-replies", reply)
	prem.checkPage(t, "the story, after replying")
	if got := prem.text(t, ".comment-replies"); !strings.Contains(got, "Harriet Okonjo") {
		t.Errorf("the reply does not show its author (replies %q)", got)
	}
	std.open(t, inst.URL+story)
	if got := std.text(t, ".comment-replies"); !strings.Contains(got, reply) {
		t.Errorf("the first subscriber does not see the reply after reloading (replies %q)", got)
	}
	std.checkConsole(t, "end of test")
	prem.checkConsole(t, "end of test")

	// The first subscriber gets the reply by email, with a one-click
	// unsubscribe. (Both variants mail the same demo address through one
	// mailpit; each looks for its own reply.)
	m := waitForMail(t, mailpit, "standard@example.com", reply)
	if m.Header("List-Unsubscribe") == "" || !strings.Contains(m.Header("List-Unsubscribe-Post"), "One-Click") {
		t.Errorf("the reply email lacks one-click unsubscribe headers: %v", m.Headers)
	}
}

// waitForMail waits for an email to `to` whose text contains want.
func waitForMail(t *testing.T, mailpit *mailtest.Server, to, want string) *mailtest.Full {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		for _, sum := range mailpit.Messages(t, to) {
			m := mailpit.Message(t, sum.ID)
			if strings.Contains(m.Text, want) {
				return m
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("no email to %s containing %q", to, want)
	return nil
}
