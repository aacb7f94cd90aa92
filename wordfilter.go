package masthead

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Limits of the commenting policy's word lists.
const (
	// MaxPolicyWords is how many entries one word list may hold.
	MaxPolicyWords = 1000
	// MaxPolicyWordLen is the longest entry, in characters.
	MaxPolicyWordLen = 100
)

// WordList is a compiled list of words and phrases (the policy's banned or
// suspect words), ready to be matched against comments. Make one with
// CompileWords; a nil *WordList matches nothing.
//
// Matching works on normalised text, so that spacing tricks and look-alike
// letters don't slip through:
//
//   - Text is NFKC-normalised and case-folded, and loses its accents and
//     invisible characters (zero-width spaces, soft hyphens, joiners):
//     "ＩＤＩＯＴ", "ídiöt" and "id\u200biot" read "idiot".
//   - Letters of other scripts that look like Latin letters take the
//     Latin letter (the Unicode TS #39 confusable skeleton): Cyrillic "і"
//     and Greek "ο" read "i" and "o".
//   - Common "leet" digits and symbols read as letters: 0 o, 1 i or l,
//     3 e, 4 a, 5 s, 7 t, @ a, $ s, | l. The letters i and l are one
//     letter for matching.
//   - Repeated letters are collapsed on both sides, but text must repeat a
//     letter at least as often as the entry does: "iddiooot" matches
//     "idiot", while "as" does not match "ass".
//
// An entry matches whole words only, which avoids the Scunthorpe problem
// ("ass" matches neither "class" nor "assessment"). A word written with
// dots, dashes or apostrophes inside it is also read joined up ("i.d.i.o.t",
// "s_c_u_m"), and a run of single letters separated by anything is read as
// one word ("i d i o t"). An entry of several words (a phrase) matches
// those words in a row, or written as one word.
type WordList struct {
	entries []*wordEntry
	// byJoined finds entries by the letters of their joined form.
	byJoined map[string][]*wordEntry
	// byFirst finds phrases by the letters of their first word.
	byFirst map[string][]*wordEntry
	// byRune finds entries by the first letter of their joined form.
	byRune map[rune][]*wordEntry
}

// WordMatch is where a WordList matched a text.
type WordMatch struct {
	// Entry is the list's entry that matched.
	Entry string
	// Text is the part of the text that matched, as written; Start and
	// End are its byte offsets.
	Text       string
	Start, End int
}

// wordEntry is one compiled entry of a list.
type wordEntry struct {
	text   string
	tokens []wordForm
	joined wordForm
}

// wordForm is a word with its repeated letters collapsed: key holds each
// run of one letter once, and n how long each run is.
type wordForm struct {
	key []rune
	n   []int
	// first and last are, for a form made of several tokens, the index
	// of the token each run starts in and ends in.
	first, last []int
}

// wordToken is one word of a text as matching reads it.
type wordToken struct {
	runes      []rune
	start, end int // byte offsets in the text
	chunk      int // which whitespace-separated part of the text
}

// formOf collapses the runes of toks (their letters joined) into a form.
func formOf(toks ...[]rune) wordForm {
	var f wordForm
	for ti, rs := range toks {
		for _, r := range rs {
			if k := len(f.key); k > 0 && f.key[k-1] == r {
				f.n[k-1]++
				f.last[k-1] = ti
				continue
			}
			f.key = append(f.key, r)
			f.n = append(f.n, 1)
			f.first = append(f.first, ti)
			f.last = append(f.last, ti)
		}
	}
	return f
}

// coversAt reports whether the runs of t from j on spell e's letters,
// each repeated at least as often as in e.
func coversAt(t wordForm, j int, e wordForm) bool {
	if j+len(e.key) > len(t.key) {
		return false
	}
	for i, r := range e.key {
		if t.key[j+i] != r || t.n[j+i] < e.n[i] {
			return false
		}
	}
	return true
}

// covers reports whether the whole of t matches e.
func covers(t, e wordForm) bool { return len(t.key) == len(e.key) && coversAt(t, 0, e) }

// CompileWords compiles a word list; entries that hold no letter or digit
// are left out.
func CompileWords(words []string) *WordList {
	l := &WordList{byJoined: map[string][]*wordEntry{}, byFirst: map[string][]*wordEntry{}, byRune: map[rune][]*wordEntry{}}
	for _, w := range words {
		toks := wordTokens(w)
		if len(toks) == 0 {
			continue
		}
		e := &wordEntry{text: w}
		var all [][]rune
		for _, t := range toks {
			e.tokens = append(e.tokens, formOf(t.runes))
			all = append(all, t.runes)
		}
		e.joined = formOf(all...)
		l.entries = append(l.entries, e)
		k := string(e.joined.key)
		l.byJoined[k] = append(l.byJoined[k], e)
		l.byRune[e.joined.key[0]] = append(l.byRune[e.joined.key[0]], e)
		if len(e.tokens) > 1 {
			k := string(e.tokens[0].key)
			l.byFirst[k] = append(l.byFirst[k], e)
		}
	}
	return l
}

// Len returns the number of entries in the list.
func (l *WordList) Len() int {
	if l == nil {
		return 0
	}
	return len(l.entries)
}

// MatchWords reports whether text contains one of words, as a WordList of
// them matches it.
func MatchWords(text string, words []string) (WordMatch, bool) {
	return CompileWords(words).Match(text)
}

// Match returns the first place in text where an entry of the list
// matches, and whether there is one.
func (l *WordList) Match(text string) (WordMatch, bool) {
	if l.Len() == 0 {
		return WordMatch{}, false
	}
	toks := wordTokens(text)
	found := func(e *wordEntry, from, to int) (WordMatch, bool) {
		start, end := toks[from].start, toks[to].end
		return WordMatch{Entry: e.text, Text: text[start:end], Start: start, End: end}, true
	}
	lookup := func(f wordForm) *wordEntry {
		for _, e := range l.byJoined[string(f.key)] {
			if covers(f, e.joined) {
				return e
			}
		}
		return nil
	}
	// Each word, and each phrase starting at it.
	for i, t := range toks {
		f := formOf(t.runes)
		if e := lookup(f); e != nil {
			return found(e, i, i)
		}
	phrases:
		for _, e := range l.byFirst[string(f.key)] {
			if i+len(e.tokens) > len(toks) {
				continue
			}
			for k, ef := range e.tokens {
				if !covers(formOf(toks[i+k].runes), ef) {
					continue phrases
				}
			}
			return found(e, i, i+len(e.tokens)-1)
		}
	}
	// Each whitespace-separated part of several words, joined up.
	for i := 0; i < len(toks); {
		j := i
		var parts [][]rune
		for j < len(toks) && toks[j].chunk == toks[i].chunk {
			parts = append(parts, toks[j].runes)
			j++
		}
		if j-i > 1 {
			if e := lookup(formOf(parts...)); e != nil {
				return found(e, i, j-1)
			}
		}
		i = j
	}
	// Each run of single letters, joined up: any entry inside it.
	for i := 0; i < len(toks); {
		j := i
		var parts [][]rune
		for j < len(toks) && len(toks[j].runes) == 1 {
			parts = append(parts, toks[j].runes)
			j++
		}
		if j-i > 1 {
			f := formOf(parts...)
			for k, r := range f.key {
				for _, e := range l.byRune[r] {
					if coversAt(f, k, e.joined) {
						return found(e, i+f.first[k], i+f.last[k+len(e.joined.key)-1])
					}
				}
			}
		}
		i = max(j, i+1)
	}
	return WordMatch{}, false
}

// wordTokens splits text into the words matching reads, each normalised
// rune by rune so that its place in the text is known.
func wordTokens(text string) []wordToken {
	fold := cases.Fold()
	var toks []wordToken
	var tok wordToken
	chunk := 0
	flush := func() {
		if len(tok.runes) > 0 {
			toks = append(toks, tok)
		}
		tok = wordToken{chunk: chunk}
	}
	add := func(r rune, at, end int) {
		if len(tok.runes) == 0 {
			tok.start = at
		}
		tok.runes = append(tok.runes, r)
		tok.end = end
	}
	for at := 0; at < len(text); {
		r, size := utf8.DecodeRuneInString(text[at:])
		end := at + size
		switch {
		case unicode.IsSpace(r):
			flush()
			chunk++
			tok.chunk = chunk
		case r == '\'' || r == '\u2019' || invisibleRune(r):
			// Joiners and invisible characters vanish.
		case r < utf8.RuneSelf:
			if m := wordRune(fold, unicode.ToLower(r)); m != 0 {
				add(m, at, end)
			} else {
				flush()
			}
		default:
			for _, q := range norm.NFD.String(fold.String(norm.NFKC.String(string(r)))) {
				switch {
				case unicode.In(q, unicode.Mn, unicode.Me) || invisibleRune(q):
					// Accents and invisible characters vanish.
				case unicode.IsSpace(q):
					flush()
				default:
					if m := wordRune(fold, q); m != 0 {
						add(m, at, end)
					} else {
						flush()
					}
				}
			}
		}
		at = end
	}
	flush()
	return toks
}

// leet maps the digits and symbols read as letters.
var leet = map[rune]rune{
	'0': 'o', '1': 'l', '3': 'e', '4': 'a', '5': 's', '7': 't',
	'@': 'a', '$': 's', '|': 'l', 'i': 'l',
}

// wordRune returns the letter that the case-folded rune r reads as in
// matching, or 0 when it separates words.
func wordRune(fold cases.Caser, r rune) rune {
	if m, ok := leet[r]; ok {
		return m
	}
	switch {
	case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
		return r
	case r < utf8.RuneSelf:
		return 0
	}
	if k := keyRune(fold, r); len(k) == 1 && isASCIIAlnum(k) {
		return wordRune(fold, rune(k[0]))
	}
	if unicode.IsLetter(r) || unicode.IsNumber(r) {
		return r
	}
	return 0
}

// NormalizeWordList tidies a word list as an administrator typed it: each
// entry trimmed, NFC-normalised and with its spaces made single; empty
// entries and entries that match the same texts as an earlier one are
// left out.
func NormalizeWordList(words []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, w := range words {
		w = strings.Join(strings.Fields(norm.NFC.String(w)), " ")
		if w == "" {
			continue
		}
		var key strings.Builder
		for _, t := range wordTokens(w) {
			f := formOf(t.runes)
			for i, r := range f.key {
				key.WriteRune(r)
				key.WriteByte(byte('0' + min(f.n[i], 9)))
			}
			key.WriteByte(' ')
		}
		k := key.String()
		if k != "" && seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, w)
	}
	return out
}

// ParseWordList reads a word list typed one entry a line, and normalises
// it (NormalizeWordList).
func ParseWordList(text string) []string {
	return NormalizeWordList(strings.Split(strings.ReplaceAll(text, "\r", "\n"), "\n"))
}

// wordListHasText reports whether w holds a letter or digit that matching
// can read.
func wordListHasText(w string) bool { return len(wordTokens(w)) > 0 }
