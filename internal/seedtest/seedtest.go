// Package seedtest finds the newspaper story kept beside the repository in
// ../shared/seed, which tests use as a fixture. It is imported only by
// tests.
package seedtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"masthead/internal/tooltest"
)

// StoryPath returns the path of ../shared/seed/story.txt from the module
// root. Without it the test is skipped loudly, or fails under
// MASTHEAD_REQUIRE_ALL=1.
func StoryPath(t testing.TB) string {
	t.Helper()
	root, err := tooltest.ModuleRoot()
	if err != nil {
		t.Fatalf("seed story: %v", err)
	}
	path := filepath.Join(root, "..", "shared", "seed", "story.txt")
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("MASTHEAD_REQUIRE_ALL") == "1" {
			t.Fatalf("seed story required (MASTHEAD_REQUIRE_ALL=1) but unreadable: %v", err)
		}
		t.Skipf("SKIPPING: seed story %s is not available (%v); set MASTHEAD_REQUIRE_ALL=1 to make this a failure", path, err)
	}
	return path
}

// Story returns the seed story's path and content.
func Story(t testing.TB) (string, []byte) {
	t.Helper()
	path := StoryPath(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("seed story: %v", err)
	}
	return path, data
}

// LastLine returns the seed story's last non-empty line: the sentence the
// newspaper's site showed subscribers without a display name.
func LastLine(t testing.TB) string {
	t.Helper()
	_, data := Story(t)
	lines := strings.Split(strings.TrimRight(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n"), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.TrimSpace(lines[i]) != "" {
			return lines[i]
		}
	}
	t.Fatal("seed story: no text")
	return ""
}
