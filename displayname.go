package masthead

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mtibben/confusables"
	"golang.org/x/text/cases"
	"golang.org/x/text/secure/precis"
	"golang.org/x/text/unicode/norm"
)

// Limits of display names. Lengths count characters after normalisation,
// where a letter together with the combining marks on it (such as the vowel
// signs of Devanagari) is one character.
const (
	MinDisplayNameLen = 3
	MaxDisplayNameLen = 30
	// MaxDisplayNameMarks is how many combining marks one letter may carry.
	MaxDisplayNameMarks = 4
)

// maxDisplayNameInput bounds the bytes of input examined at all; anything
// longer is too long whatever it normalises to.
const maxDisplayNameInput = 1024

// displayNameField is the form field that display-name errors are about.
const displayNameField = "display_name"

// NormalizeDisplayName returns the display name as stored, or an EINVALID
// *Error with Field "display_name" whose Message says precisely what is
// wrong and how to fix it.
//
// The name is enforced by the PRECIS Nickname profile (RFC 8266): spaces of
// any kind become one ASCII space, leading and trailing spaces go, and the
// text is NFKC-normalised; case is kept. A typographic apostrophe (’) is
// stored as '. Before that, control, bidirectional-formatting, zero-width
// and other default-ignorable characters are refused by name, so that what
// a reader sees is what was typed.
//
// What remains must be 3 to 30 characters (a letter with its combining
// marks counts once) of letters of any script, digits, single spaces and
// . _ - ', with at least one letter, each combining mark following a
// letter, and the letters from one script, except that Latin, Han,
// Hiragana and Katakana may be mixed (Japanese), as may Latin, Han and
// Hangul (Korean) and Latin, Han and Bopomofo (Chinese) — the "highly
// restrictive" level of Unicode TS #39. Latin mixed with Cyrillic or Greek,
// the classic homoglyph attack, is refused.
//
// NormalizeDisplayName does not check reservations or uniqueness: see
// ReservedDisplayName and DisplayNameKey.
func NormalizeDisplayName(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", nameError(MsgDisplayNameUnreadable)
	}
	if len(s) > maxDisplayNameInput {
		return "", nameError(MsgDisplayNameTooLong, MaxDisplayNameLen)
	}
	if strings.TrimFunc(s, unicode.IsSpace) == "" {
		return "", nameError(MsgDisplayNameEmpty)
	}
	s = strings.ReplaceAll(s, "’", "'")

	// Refuse what PRECIS would refuse, or silently change, by name first.
	for _, r := range s {
		if invisibleRune(r) {
			return "", nameError(MsgDisplayNameInvisibleChar, describeRune(r))
		}
		if !nameRune(r) && !unicode.IsSpace(r) && !compatNameRune(r) {
			return "", nameError(MsgDisplayNameBadChar, describeRune(r))
		}
	}

	out, err := precis.Nickname.String(s)
	if err != nil {
		allowed := precis.Nickname.Allowed()
		for _, r := range s {
			if !allowed.Contains(r) {
				return "", nameError(MsgDisplayNameBadChar, describeRune(r))
			}
		}
		return "", nameError(MsgDisplayNameNotAllowed)
	}
	if out == "" {
		return "", nameError(MsgDisplayNameEmpty)
	}
	// PRECIS promises a stable result; hold it to that, since the stored
	// form must survive being normalised again.
	if again, err := precis.Nickname.String(out); err != nil || again != out {
		return "", nameError(MsgDisplayNameNotAllowed)
	}

	var (
		chars, letters int
		marks          int  // marks on the current letter
		onLetter       bool // whether a mark here would follow a letter
		scripts        nameScripts
	)
	for _, r := range out {
		switch {
		case unicode.IsMark(r):
			if !onLetter {
				return "", nameError(MsgDisplayNameStrayMark, describeRune(r))
			}
			marks++
			if marks > MaxDisplayNameMarks {
				return "", nameError(MsgDisplayNameTooManyMarks, MaxDisplayNameMarks)
			}
		case nameRune(r):
			chars++
			marks = 0
			onLetter = unicode.IsLetter(r)
			if onLetter {
				letters++
			}
		default:
			return "", nameError(MsgDisplayNameBadChar, describeRune(r))
		}
		scripts.add(r)
	}
	if chars < MinDisplayNameLen {
		return "", nameError(MsgDisplayNameTooShort, MinDisplayNameLen)
	}
	if chars > MaxDisplayNameLen {
		return "", nameError(MsgDisplayNameTooLong, MaxDisplayNameLen)
	}
	if letters == 0 {
		return "", nameError(MsgDisplayNameNoLetter)
	}
	if first, second, r, mixed := scripts.confusing(); mixed {
		return "", nameError(MsgDisplayNameMixedScript, scriptTitle(first), scriptTitle(second), describeRune(r))
	}
	return out, nil
}

func nameError(id MessageID, args ...any) *Error {
	return FieldError(displayNameField, Msg(id, args...))
}

// nameRune reports whether r may stand in a stored name, combining marks
// apart: a letter, a decimal digit, a space or one of . _ - '.
func nameRune(r rune) bool {
	switch r {
	case ' ', '.', '_', '-', '\'':
		return true
	}
	return unicode.IsLetter(r) || unicode.Is(unicode.Nd, r)
}

// compatNameRune reports whether r is a compatibility character that NFKC
// turns into name characters, such as a full-width full stop or a
// superscript digit.
func compatNameRune(r rune) bool {
	if unicode.IsMark(r) {
		return true // placement is checked after normalisation
	}
	d := norm.NFKC.String(string(r))
	if d == string(r) {
		return false
	}
	for _, c := range d {
		if !nameRune(c) && !unicode.IsMark(c) {
			return false
		}
	}
	return true
}

// invisibleRune reports whether r is a control, format (bidirectional
// controls, zero-width characters), line- or paragraph-separator,
// private-use, surrogate or other default-ignorable code point: one that
// does not show, or changes how the text around it is shown.
func invisibleRune(r rune) bool {
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp, unicode.Co, unicode.Cs,
		unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector)
}

// runeNames names the characters most often refused, so that a message can
// say which one it means even when it cannot be seen.
var runeNames = map[rune]string{
	0x00: "NULL",
	0x07: "BELL",
	0x08: "BACKSPACE",
	0x09: "CHARACTER TABULATION",
	0x0A: "LINE FEED",
	0x0B: "LINE TABULATION",
	0x0C: "FORM FEED",
	0x0D: "CARRIAGE RETURN",
	0x1B: "ESCAPE",
	0x7F: "DELETE",
	0x85: "NEXT LINE",

	0x00AD: "SOFT HYPHEN",
	0x034F: "COMBINING GRAPHEME JOINER",
	0x061C: "ARABIC LETTER MARK",
	0x115F: "HANGUL CHOSEONG FILLER",
	0x1160: "HANGUL JUNGSEONG FILLER",
	0x17B4: "KHMER VOWEL INHERENT AQ",
	0x17B5: "KHMER VOWEL INHERENT AA",
	0x180E: "MONGOLIAN VOWEL SEPARATOR",
	0x200B: "ZERO WIDTH SPACE",
	0x200C: "ZERO WIDTH NON-JOINER",
	0x200D: "ZERO WIDTH JOINER",
	0x200E: "LEFT-TO-RIGHT MARK",
	0x200F: "RIGHT-TO-LEFT MARK",
	0x2028: "LINE SEPARATOR",
	0x2029: "PARAGRAPH SEPARATOR",
	0x202A: "LEFT-TO-RIGHT EMBEDDING",
	0x202B: "RIGHT-TO-LEFT EMBEDDING",
	0x202C: "POP DIRECTIONAL FORMATTING",
	0x202D: "LEFT-TO-RIGHT OVERRIDE",
	0x202E: "RIGHT-TO-LEFT OVERRIDE",
	0x2060: "WORD JOINER",
	0x2061: "FUNCTION APPLICATION",
	0x2062: "INVISIBLE TIMES",
	0x2063: "INVISIBLE SEPARATOR",
	0x2064: "INVISIBLE PLUS",
	0x2066: "LEFT-TO-RIGHT ISOLATE",
	0x2067: "RIGHT-TO-LEFT ISOLATE",
	0x2068: "FIRST STRONG ISOLATE",
	0x2069: "POP DIRECTIONAL ISOLATE",
	0x206A: "INHIBIT SYMMETRIC SWAPPING",
	0x206B: "ACTIVATE SYMMETRIC SWAPPING",
	0x206C: "INHIBIT ARABIC FORM SHAPING",
	0x206D: "ACTIVATE ARABIC FORM SHAPING",
	0x206E: "NATIONAL DIGIT SHAPES",
	0x206F: "NOMINAL DIGIT SHAPES",
	0x3164: "HANGUL FILLER",
	0xFEFF: "ZERO WIDTH NO-BREAK SPACE",
	0xFFA0: "HALFWIDTH HANGUL FILLER",
	0xFFF9: "INTERLINEAR ANNOTATION ANCHOR",
	0xFFFA: "INTERLINEAR ANNOTATION SEPARATOR",
	0xFFFB: "INTERLINEAR ANNOTATION TERMINATOR",
	0xFFFC: "OBJECT REPLACEMENT CHARACTER",
	0xFFFD: "REPLACEMENT CHARACTER",

	'!':    "EXCLAMATION MARK",
	'"':    "QUOTATION MARK",
	'#':    "NUMBER SIGN",
	'$':    "DOLLAR SIGN",
	'%':    "PERCENT SIGN",
	'&':    "AMPERSAND",
	'(':    "LEFT PARENTHESIS",
	')':    "RIGHT PARENTHESIS",
	'*':    "ASTERISK",
	'+':    "PLUS SIGN",
	',':    "COMMA",
	'/':    "SOLIDUS",
	':':    "COLON",
	';':    "SEMICOLON",
	'<':    "LESS-THAN SIGN",
	'=':    "EQUALS SIGN",
	'>':    "GREATER-THAN SIGN",
	'?':    "QUESTION MARK",
	'@':    "COMMERCIAL AT",
	'[':    "LEFT SQUARE BRACKET",
	'\\':   "REVERSE SOLIDUS",
	']':    "RIGHT SQUARE BRACKET",
	'^':    "CIRCUMFLEX ACCENT",
	'`':    "GRAVE ACCENT",
	'{':    "LEFT CURLY BRACKET",
	'|':    "VERTICAL LINE",
	'}':    "RIGHT CURLY BRACKET",
	'~':    "TILDE",
	0x00B7: "MIDDLE DOT",
	0x2010: "HYPHEN",
	0x2013: "EN DASH",
	0x2014: "EM DASH",
	0x2018: "LEFT SINGLE QUOTATION MARK",
	0x201C: "LEFT DOUBLE QUOTATION MARK",
	0x201D: "RIGHT DOUBLE QUOTATION MARK",
	0x2026: "HORIZONTAL ELLIPSIS",
}

// describeRune names r for a message: "U+202E RIGHT-TO-LEFT OVERRIDE" for a
// character in runeNames, "U+1F600 (😀)" for another visible one, and
// "U+0001" for another invisible one.
func describeRune(r rune) string {
	if name, ok := runeNames[r]; ok {
		return fmt.Sprintf("%U %s", r, name)
	}
	switch {
	case 0xFE00 <= r && r <= 0xFE0F:
		return fmt.Sprintf("%U VARIATION SELECTOR-%d", r, r-0xFE00+1)
	case 0xE0100 <= r && r <= 0xE01EF:
		return fmt.Sprintf("%U VARIATION SELECTOR-%d", r, r-0xE0100+17)
	case unicode.IsGraphic(r) && !unicode.IsMark(r) && !unicode.IsSpace(r) && !invisibleRune(r):
		return fmt.Sprintf("%U (%c)", r, r)
	}
	return fmt.Sprintf("%U", r)
}

// commonScripts are looked up first; any other script is found in
// unicode.Scripts.
var commonScripts = []string{
	"Latin", "Cyrillic", "Greek", "Han", "Hiragana", "Katakana", "Hangul",
	"Arabic", "Hebrew", "Devanagari", "Thai", "Bopomofo", "Armenian", "Georgian",
}

// scriptOf returns the name of r's script as in unicode.Scripts, or "" for
// Common and Inherited characters (digits, punctuation, spaces and most
// combining marks), which go with any script.
func scriptOf(r rune) string {
	if r < utf8.RuneSelf {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
			return "Latin"
		}
		return ""
	}
	if unicode.In(r, unicode.Common, unicode.Inherited) {
		return ""
	}
	for _, name := range commonScripts {
		if unicode.Is(unicode.Scripts[name], r) {
			return name
		}
	}
	for name, table := range unicode.Scripts {
		if unicode.Is(table, r) {
			return name
		}
	}
	return ""
}

// scriptTitle returns a script's name for a message.
func scriptTitle(script string) string { return strings.ReplaceAll(script, "_", " ") }

// nameScripts collects the scripts of a name's characters, in the order they
// first appear, with the first character of each and how many there are.
type nameScripts struct {
	names []string
	first []rune
	count []int
}

func (s *nameScripts) add(r rune) {
	name := scriptOf(r)
	if name == "" {
		return
	}
	for i, n := range s.names {
		if n == name {
			s.count[i]++
			return
		}
	}
	s.names = append(s.names, name)
	s.first = append(s.first, r)
	s.count = append(s.count, 1)
}

// allowedScriptSets are the combinations of scripts that a name may mix:
// those of the "highly restrictive" level of Unicode TS #39, section 5.2.
var allowedScriptSets = [][]string{
	{"Latin", "Han", "Hiragana", "Katakana"},
	{"Latin", "Han", "Bopomofo"},
	{"Latin", "Han", "Hangul"},
}

// confusing reports whether the scripts mix in a way that is not allowed,
// and if so names two scripts that may not mix, the more used first, and
// the first character of the less used one (likely the look-alike).
func (s *nameScripts) confusing() (major, minor string, r rune, mixed bool) {
	if len(s.names) <= 1 {
		return "", "", 0, false
	}
	for _, set := range allowedScriptSets {
		if subset(s.names, set) {
			return "", "", 0, false
		}
	}
	// Find the first pair that no allowed set holds together; if every
	// pair is allowed but not all together (Hangul, Hiragana and Han), take
	// the first and the last.
	a, b := 0, len(s.names)-1
pairs:
	for i := 1; i < len(s.names); i++ {
		for j := 0; j < i; j++ {
			ok := false
			for _, set := range allowedScriptSets {
				if subset([]string{s.names[j], s.names[i]}, set) {
					ok = true
					break
				}
			}
			if !ok {
				a, b = j, i
				break pairs
			}
		}
	}
	if s.count[b] > s.count[a] {
		a, b = b, a
	}
	return s.names[a], s.names[b], s.first[b], true
}

func subset(names, set []string) bool {
	for _, n := range names {
		found := false
		for _, m := range set {
			if n == m {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// DisplayNameKey returns the key that display names are unique by: two
// names whose keys are equal are too alike to tell apart, so only one
// account may hold them. The key is opaque, to be compared and stored, not
// shown.
//
// It is the Unicode TS #39 confusable skeleton of the case-folded name,
// with these choices:
//
//   - Case never matters: "ADMIN", "Admin" and "admin" give one key, in
//     every script ("БОРИС" and "Борис" too).
//   - A letter that looks like a Latin letter in either case takes that
//     Latin letter's key, so a Cyrillic or Greek look-alike ("Аdmin" with
//     Cyrillic А, "рор" in Cyrillic, "ΤΟΜ" in Greek capitals) collides with
//     the Latin name.
//   - Look-alike letters, digits and letter pairs collide as in TS #39:
//     "adrnin" and "admin" (rn and m), "B0b" and "Bob" (0 and o).
//   - Because names keep their case and a capital I looks like a small l,
//     i, I, l, 1 and | are one letter in the key: "paypaI" and "Adm1n"
//     collide with "paypal" and "admin", and so do "Ali" and "All".
//   - Spaces and the punctuation . _ - ' are left out, so "J.Smith",
//     "J Smith" and "JSmith" collide, as do "O'Neill" and "ONeill".
//   - Accents are kept: "Zoë" and "Zoe" do not collide.
//
// DisplayNameKey accepts any string, normalised or not; leading, trailing
// and repeated spaces do not change the key.
func DisplayNameKey(name string) string {
	return keyPass(keyPass(norm.NFKC.String(name)))
}

// keyPass is one round of DisplayNameKey; two rounds settle the letters
// that one round maps to letters with mappings of their own.
func keyPass(s string) string {
	fold := cases.Fold()
	var b strings.Builder
	for _, r := range norm.NFD.String(fold.String(s)) {
		if keyIgnored(r) {
			continue
		}
		b.WriteString(keyRune(fold, r))
	}
	k := norm.NFD.String(fold.String(b.String()))
	k = strings.Map(func(r rune) rune {
		switch {
		case keyIgnored(r):
			return -1
		case r == 'i':
			return 'l'
		}
		return r
	}, k)
	return k
}

// keyRune returns the skeleton of one case-folded character. An ASCII
// character keeps its TS #39 skeleton (m becomes rn); another takes the
// skeleton of its small form if that is one ASCII letter or digit, else
// that of its capital if that is ASCII (so Greek Β and β both become b),
// else the skeleton of its small form.
func keyRune(fold cases.Caser, r rune) string {
	lower := fold.String(confusables.Skeleton(string(r)))
	if r < utf8.RuneSelf || isASCIIAlnum(lower) && utf8.RuneCountInString(lower) == 1 {
		return lower
	}
	if up := unicode.ToUpper(r); up != r {
		if upper := fold.String(confusables.Skeleton(string(up))); isASCIIAlnum(upper) {
			return upper
		}
	}
	return lower
}

func isASCIIAlnum(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// keyIgnored reports whether r is left out of keys: spaces, the punctuation
// allowed in names, and characters that do not show.
func keyIgnored(r rune) bool {
	switch r {
	case '.', '_', '-', '\'':
		return true
	}
	return unicode.IsSpace(r) || unicode.Is(unicode.Zs, r) || invisibleRune(r)
}

// reservedNames may not be a whole display name: the staff roles, words that
// the site itself uses, and what a removed account is shown as.
var reservedNames = []string{
	"moderator", "moderators", "admin", "admins", "administrator", "administrators",
	"editor", "editors", "staff", "official", "masthead",
	"deleted", "deleted account", "deleted user", "support", "system", "root",
}

// reservedWords may not be any word of a display name, as in "Editor Jane"
// or "Masthead_Staff": the words that claim to speak for the site. Words
// that are also surnames (Root) or everyday words are reserved only as
// whole names.
var reservedWords = []string{
	"moderator", "moderators", "admin", "admins", "administrator", "administrators",
	"editor", "editors", "staff", "official", "masthead",
}

// ReservedDisplayName reports whether name is reserved, comparing by
// DisplayNameKey so that look-alikes ("ADMIN", "Аdmin", "Adm1n") count:
//
//   - the whole name is the site's name or one of the reserved names
//     ("moderator", "admin", "administrator", "editor", "staff", "deleted",
//     "deleted account", "masthead", "support", "system", "root",
//     "official" and a few plurals), or
//   - one of its words, separated by spaces or . _ - ', with any digits at
//     its end dropped, is a staff-role word (moderator, admin,
//     administrator, editor, staff, official, masthead), as in
//     "Editor Jane" or "admin_2", or
//   - a run of its words is the site's name, as in "Masthead Fan".
//
// Callers refuse a reserved name with MsgDisplayNameReserved, and a name
// whose key another account holds with MsgDisplayNameTaken.
func ReservedDisplayName(name, siteName string) bool {
	key := DisplayNameKey(name)
	if key == "" {
		return false
	}
	siteKey := DisplayNameKey(siteName)
	if key == siteKey {
		return true
	}
	for _, r := range reservedNames {
		if key == DisplayNameKey(r) {
			return true
		}
	}
	words := strings.FieldsFunc(name, func(r rune) bool { return keyIgnored(r) || r == '’' })
	for _, w := range words {
		wk := DisplayNameKey(strings.TrimRightFunc(w, func(r rune) bool { return '0' <= r && r <= '9' }))
		if wk == "" {
			continue
		}
		for _, r := range reservedWords {
			if wk == DisplayNameKey(r) {
				return true
			}
		}
	}
	if siteKey != "" && len(words) <= MaxDisplayNameLen {
		for i := range words {
			for j := i + 1; j <= len(words); j++ {
				if DisplayNameKey(strings.Join(words[i:j], " ")) == siteKey {
					return true
				}
			}
		}
	}
	return false
}
