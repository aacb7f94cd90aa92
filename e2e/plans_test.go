package e2e

import (
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// signIn signs the browser in with the demo password.
func (b *browser) signIn(t *testing.T, inst *instance, email string) {
	t.Helper()
	b.open(t, inst.URL+"/signin")
	b.fill(t, "/signin", "email", email)
	b.fill(t, "/signin", "password", "masthead-demo")
	if status := b.submit(t, "/signin"); status != 200 {
		t.Fatalf("sign in as %s: status %d", email, status)
	}
	if p := b.path(t); strings.HasPrefix(p, "/signin") {
		t.Fatalf("sign in as %s failed: still at %s", email, p)
	}
}

// storyState reads what the open story page gives the reader: the number of
// body paragraphs shown, and whether the paywall's offer is there.
func (b *browser) storyState(t *testing.T) (paragraphs int, offer bool) {
	t.Helper()
	paragraphs = len(paragraphTexts(t, b, ".story-body p"))
	n := run(t, b, "count offers", chromedp.Evaluate[int](`document.querySelectorAll(".offer").length`))
	return paragraphs, n > 0
}

// importMetered writes n short metered stories and imports them into the
// database with the binary.
func importMetered(t *testing.T, dbURL string, n int) []string {
	t.Helper()
	dir := t.TempDir()
	published := time.Now().Add(-2 * time.Hour).UTC().Format(time.RFC3339)
	var files, slugs []string
	for i := 1; i <= n; i++ {
		slug := fmt.Sprintf("metered-test-story-%02d", i)
		var body strings.Builder
		for p := 1; p <= 5; p++ {
			fmt.Fprintf(&body, "Paragraph %d of metered test story %d, long enough to read as a paragraph of a story.\n\n", p, i)
		}
		text := fmt.Sprintf("---\nheadline: Metered test story %d\nslug: %s\nsection: News\nauthors: [Test Desk]\npublished: %s\naccess: metered\n---\n%s", i, slug, published, body.String())
		f := filepath.Join(dir, slug+".md")
		if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		files, slugs = append(files, f), append(slugs, slug)
	}
	cmd := exec.Command(binPath, append([]string{"story", "import", "--database", dbURL}, files...)...)
	cmd.Env = cleanEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("story import: %v\n%s", err, out)
	}
	return slugs
}

// TestMeterAndGiftLinks: the Free demo reader reads metered stories until the
// meter runs out and sees the offer; the Premium demo reader reads a premium
// story and creates a gift link, and an anonymous browser reads the story
// through it (and not without it).
func TestMeterAndGiftLinks(t *testing.T) {
	t.Parallel()
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "masthead.db")
	inst := startMasthead(t, "--demo", "--database", dbURL)
	slugs := importMetered(t, dbURL, 11) // the Free plan's meter is 10

	free := newBrowser(t, true)
	free.signIn(t, inst, "free@example.com")
	for i, slug := range slugs {
		free.open(t, inst.URL+"/stories/"+slug)
		paras, offer := free.storyState(t)
		if i < 10 {
			if offer || paras < 5 {
				t.Errorf("metered story %d of the month: %d paragraphs, offer %v; want the whole story", i+1, paras, offer)
			}
			counter := run(t, free, "read the meter counter", chromedp.Evaluate[string](`(document.querySelector(".meter-counter") || {}).textContent || ""`))
			if !strings.Contains(counter, fmt.Sprint(10-(i+1))) || !strings.Contains(counter, "10") {
				t.Errorf("metered story %d: counter %q, want %d of 10 left", i+1, counter, 10-(i+1))
			}
		} else if !offer || paras > 2 {
			t.Errorf("the 11th metered story: %d paragraphs, offer %v; want two paragraphs and the offer", paras, offer)
		}
	}
	// Re-reading a story already read this month is free.
	free.open(t, inst.URL+"/stories/"+slugs[0])
	if paras, offer := free.storyState(t); offer || paras < 5 {
		t.Errorf("re-reading the first story: %d paragraphs, offer %v; want the whole story", paras, offer)
	}

	premiumStory := ""
	for _, s := range listStories(t, inst, 100) {
		if s.Access == "premium" {
			premiumStory = s.Slug
			break
		}
	}
	if premiumStory == "" {
		t.Fatal("the demo has no premium story")
	}

	prem := newBrowser(t, true)
	prem.signIn(t, inst, "premium@example.com")
	prem.open(t, inst.URL+"/stories/"+premiumStory)
	if paras, offer := prem.storyState(t); offer || paras < 3 {
		t.Errorf("premium reader on a premium story: %d paragraphs, offer %v; want the whole story", paras, offer)
	}
	if status := prem.submit(t, "/stories/"+premiumStory+"/gift"); status != 200 {
		t.Fatalf("create a gift link: status %d", status)
	}
	prem.checkPage(t, "gift link page")
	html := run(t, prem, "read the page", chromedp.Evaluate[string](`document.body.innerHTML`))
	link := regexp.MustCompile(`/stories/` + regexp.QuoteMeta(premiumStory) + `\?gift=[A-Za-z0-9_-]+`).FindString(html)
	if link == "" {
		t.Fatalf("the gift page shows no gift link:\n%.2000s", html)
	}

	anon := newBrowser(t, true)
	anon.open(t, inst.URL+"/stories/"+premiumStory)
	if paras, offer := anon.storyState(t); !offer || paras > 2 {
		t.Errorf("anonymous reader on a premium story: %d paragraphs, offer %v; want two paragraphs and the offer", paras, offer)
	}
	u, _ := url.Parse(inst.URL + link)
	anon.open(t, u.String())
	if paras, offer := anon.storyState(t); offer || paras < 3 {
		t.Errorf("anonymous reader through the gift link: %d paragraphs, offer %v; want the whole story", paras, offer)
	}
	anon.checkConsole(t, "end of test")
}
