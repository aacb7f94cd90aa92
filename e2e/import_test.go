package e2e

import (
	"bytes"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"

	"masthead/internal/pgtest"
	"masthead/internal/seedtest"
)

// seedStoryPath returns the newspaper story kept beside the repository.
func seedStoryPath(t *testing.T) string {
	t.Helper()
	return seedtest.StoryPath(t)
}

// TestImportSeedStoryOnPostgres imports the seed story with the binary into
// an empty PostgreSQL database, serves it, and finds it by a word of its
// body through the search page; the story page shows its paragraphs as the
// file has them.
func TestImportSeedStoryOnPostgres(t *testing.T) {
	t.Parallel()
	seed := seedStoryPath(t)
	dbURL := pgtest.URL(t)
	const headline = "Japan and North Korea still at odds over abductions"
	const slug = "japan-and-north-korea-still-at-odds-over-abductions"

	imp := exec.Command(binPath, "story", "import", "--database", dbURL, "--headline", headline, "--section", "World", seed)
	imp.Env = cleanEnv()
	out, err := imp.CombinedOutput()
	if err != nil {
		t.Fatalf("story import: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "imported "+slug) {
		t.Errorf("story import said %q, want it to name %s", out, slug)
	}

	inst := startMasthead(t, "--database", dbURL)
	resp, body := inst.get(t, "/search?q=abductees")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /search: status %d", resp.StatusCode)
	}
	if !bytes.Contains(body, []byte(`href="/stories/`+slug+`"`)) {
		t.Errorf("search for abductees does not link to /stories/%s", slug)
	}

	resp, body = inst.get(t, "/stories/"+slug)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /stories/%s: status %d", slug, resp.StatusCode)
	}
	data, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	page := string(body)
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		// The page escapes the story's quotes; compare the escaped form.
		want := "<p>" + strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(line) + "</p>"
		if !strings.Contains(page, want) && !strings.Contains(page, "<p>"+strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(line)+"</p>") {
			t.Errorf("story page lacks paragraph %d: %.60q", i+1, line)
		}
	}
}
