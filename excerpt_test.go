package masthead_test

import (
	"strings"
	"testing"

	"masthead"
)

func TestExcerpt(t *testing.T) {
	tests := []struct {
		name string
		s    string
		n    int
		want string
	}{
		{"empty", "", 5, ""},
		{"short", "Hello", 5, "Hello"},
		{"spaces collapsed", "  Hello\n\n\tworld  ", 20, "Hello world"},
		{"cut with an ellipsis", "abcdefgh", 5, "abcde…"},
		{"no space before the ellipsis", "abcd efgh", 5, "abcd…"},
		{"counts characters, not bytes", "ééééé ééééé", 3, "ééé…"},
		{"exactly n after collapsing", "a  b  c", 5, "a b c"},
		{"zero", "abc", 0, "…"},
		{"long", strings.Repeat("word ", 50), 200, strings.TrimSpace(strings.Repeat("word ", 40)) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := masthead.Excerpt(tt.s, tt.n); got != tt.want {
				t.Errorf("Excerpt(%q, %d): got %q, want %q", tt.s, tt.n, got, tt.want)
			}
		})
	}
}
