package e2e

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/chromedp"
)

// TestReadStory reads the demo newsroom in a browser with JavaScript: the
// front page, a story reached by clicking its link, a section page and a
// search. Every page is checked with axe-core and must log no console error.
func TestReadStory(t *testing.T) {
	t.Parallel()
	readStory(t, true)
}

// TestReadStoryWithoutJavaScript does the same with JavaScript turned off in
// the browser: reading must not depend on scripts.
func TestReadStoryWithoutJavaScript(t *testing.T) {
	t.Parallel()
	readStory(t, false)
}

func readStory(t *testing.T, javascript bool) {
	inst := startMasthead(t, "--demo")
	b := newBrowser(t, javascript)

	// The front page links to stories.
	b.open(t, inst.URL+"/")
	storyLinks := `a[href^="/stories/"]`
	hrefs := linkTargets(t, b, storyLinks)
	if len(hrefs) == 0 {
		t.Fatalf("front page: no links matching %s", storyLinks)
	}
	t.Logf("front page links to %d stories (%d distinct)", len(hrefs), len(distinct(hrefs)))

	// Click the first story link, as a reader does.
	// The first link may be a story's comment count, to its #comments.
	want, _, _ := strings.Cut(hrefs[0], "#")
	ctx, cancel := withTimeout(b, 30*time.Second)
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(storyLinks), chromedp.NodeVisible))
	cancel()
	if err != nil {
		t.Fatalf("click %s: %v", want, err)
	}
	if resp.Status != 200 {
		t.Fatalf("click %s: status %d, want 200", want, resp.Status)
	}
	b.do(t, "wait for the story headline", chromedp.WaitVisible(chromedp.CSS("article h1")))
	loc := run(t, b, "location", chromedp.Location())
	if u, err := url.Parse(loc); err != nil || u.Path != want {
		t.Errorf("after clicking the first story link, location = %s, want path %s", loc, want)
	}
	b.checkPage(t, want)

	headline := strings.TrimSpace(run(t, b, "read headline", chromedp.Text(chromedp.CSS("article h1"))))
	if headline == "" {
		t.Errorf("%s: article h1 is empty", want)
	}
	// The body's paragraphs: those outside the article's header (kicker,
	// dek, byline, dateline) and footer.
	const bodyParas = `article > p, article > :not(header):not(footer) p`
	paras := paragraphTexts(t, b, bodyParas)
	if len(paras) < 2 {
		t.Errorf("%s: the article body has %d non-empty paragraphs, want at least 2: %q", want, len(paras), paras)
	}
	t.Logf("read %q: %d paragraphs", headline, len(paras))

	// The story's own section (linked from the article), or else any
	// section the page links to.
	sections := linkTargets(t, b, `article a[href^="/sections/"]`)
	ownSection := len(sections) > 0
	if !ownSection {
		sections = linkTargets(t, b, `a[href^="/sections/"]`)
	}
	if len(sections) == 0 {
		t.Errorf("%s: no link to a section page", want)
	} else {
		sec := sections[0]
		b.open(t, inst.URL+sec)
		got := linkTargets(t, b, storyLinks)
		if len(got) == 0 {
			t.Errorf("%s: no story links", sec)
		}
		if ownSection && !slices.Contains(got, want) {
			// The demo has fewer stories per section than a page holds.
			t.Errorf("%s: does not list its story %s; lists %q", sec, want, got)
		}
	}

	// Search for a word of the headline finds the story.
	word := searchWord(headline)
	if word == "" {
		t.Fatalf("no word of at least 4 letters in the headline %q to search for", headline)
	}
	searchURL := inst.URL + "/search?q=" + url.QueryEscape(word)
	b.open(t, searchURL)
	results := linkTargets(t, b, storyLinks)
	if !slices.Contains(results, want) {
		t.Errorf("search for %q: results %q do not include %s", word, results, want)
	}
	b.checkConsole(t, "end of test")
}

// linkTargets returns the href attribute of every element matching sel,
// in document order, without waiting for one to appear.
func linkTargets(t *testing.T, b *browser, sel string) []string {
	t.Helper()
	ctx, cancel := withTimeout(b, 30*time.Second)
	defer cancel()
	// AttributesAll waits for a match; the page is loaded, so check first.
	n, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSSAll(sel), chromedp.AtLeast(0)))
	if err != nil {
		t.Fatalf("find %s: %v", sel, err)
	}
	var out []string
	for _, node := range n {
		if h := node.AttributeValue("href"); h != "" {
			out = append(out, h)
		}
	}
	return out
}

// paragraphTexts returns the non-empty text of every element matching sel.
func paragraphTexts(t *testing.T, b *browser, sel string) []string {
	t.Helper()
	ctx, cancel := withTimeout(b, 30*time.Second)
	defer cancel()
	nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSSAll(sel), chromedp.AtLeast(0)))
	if err != nil {
		t.Fatalf("find %s: %v", sel, err)
	}
	var out []string
	for _, n := range nodes {
		text, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.NodeIDs{n.NodeID}))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		if s := strings.TrimSpace(text); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// searchWord picks the longest word of at least four letters from s.
func searchWord(s string) string {
	best := ""
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len([]rune(w)) >= 4 && len([]rune(w)) > len([]rune(best)) {
			best = w
		}
	}
	return best
}

func distinct(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}
