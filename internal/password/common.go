package password

import (
	_ "embed"
	"strings"
	"sync"
)

// commonPasswordsText is the 10,000 most common passwords, lower-cased, one
// a line, most common first. NOTICE says where the list comes from.
//
//go:embed common-passwords.txt
var commonPasswordsText string

// commonPasswords returns the set of common passwords, built once on first
// use. Its keys are substrings of the embedded text, so the set costs only
// the map itself.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	lines := strings.Split(strings.TrimSuffix(commonPasswordsText, "\n"), "\n")
	set := make(map[string]struct{}, len(lines))
	for _, line := range lines {
		if line != "" {
			set[line] = struct{}{}
		}
	}
	return set
})

// isCommon reports whether password is, ignoring case, on the list of
// common passwords.
func isCommon(password string) bool {
	_, ok := commonPasswords()[strings.ToLower(password)]
	return ok
}
