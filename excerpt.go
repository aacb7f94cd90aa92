package masthead

import (
	"strings"
	"unicode/utf8"
)

// Excerpt returns the beginning of s on one line: its words separated by
// single spaces, cut to at most n characters (runes) with an ellipsis
// when it is longer (the ellipsis not counted; no space before it). It is
// how an email, a refusal or a moderation queue quotes a comment.
func Excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if n < 0 {
		n = 0
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, count := 0, 0
	for i = range s {
		if count == n {
			break
		}
		count++
	}
	return strings.TrimRight(s[:i], " ") + "…"
}
