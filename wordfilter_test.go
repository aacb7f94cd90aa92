package masthead_test

import (
	"testing"

	"masthead"
)

// testBanned is the banned list of the word-filter tests.
var testBanned = []string{"ass", "idiot", "kill yourself", "scum", "crap"}

func TestWordListMatch(t *testing.T) {
	list := masthead.CompileWords(testBanned)
	tests := []struct {
		name  string
		text  string
		entry string // "" when nothing may match
		match string // the part of the text reported
	}{
		// Evasions that must be caught.
		{"exact", "You idiot.", "idiot", "idiot"},
		{"capitals", "YOU IDIOT", "idiot", "IDIOT"},
		{"spaced letters", "what an i d i o t", "idiot", "i d i o t"},
		{"dotted letters", "i.d.i.o.t!", "idiot", "i.d.i.o.t"},
		{"dashed letters", "such an i-d-i-o-t", "idiot", "i-d-i-o-t"},
		{"underscores", "s_c_u_m", "scum", "s_c_u_m"},
		{"dots inside a word", "sc.um", "scum", "sc.um"},
		{"zero-width space", "id\u200biot", "idiot", "id\u200biot"},
		{"soft hyphen", "idi\u00adot", "idiot", "idi\u00adot"},
		{"several zero-width characters", "s\u200dc\u200bu\u2060m", "scum", "s\u200dc\u200bu\u2060m"},
		{"leet digits", "1d10t", "idiot", "1d10t"},
		{"leet symbols", "a$$", "ass", "a$$"},
		{"at sign", "@ss", "ass", "@ss"},
		{"pipe for l", "k|ll yourself", "kill yourself", "k|ll yourself"},
		{"leet four", "cr4p", "crap", "cr4p"},
		{"repeated letters", "iddiooottt", "idiot", "iddiooottt"},
		{"more repeats than the entry", "asssss", "ass", "asssss"},
		{"cyrillic look-alikes", "\u0456d\u0456\u043et", "idiot", "\u0456d\u0456\u043et"},
		{"greek omicron", "idi\u03bft", "idiot", "idi\u03bft"},
		{"full-width letters", "\uff33\uff23\uff35\uff2d", "scum", "\uff33\uff23\uff35\uff2d"},
		{"mathematical bold", "\U0001d422\U0001d41d\U0001d422\U0001d428\U0001d42d", "idiot", "\U0001d422\U0001d41d\U0001d422\U0001d428\U0001d42d"},
		{"accents", "ídiöt", "idiot", "ídiöt"},
		{"combining accents", "i\u0301dio\u0308t", "idiot", "i\u0301dio\u0308t"},
		{"apostrophe inside", "cr'ap", "crap", "cr'ap"},
		{"in brackets", "(scum)", "scum", "scum"},
		{"phrase", "just kill yourself now", "kill yourself", "kill yourself"},
		{"phrase with odd spacing and case", "KILL \t  YourSelf", "kill yourself", "KILL \t  YourSelf"},
		{"phrase written as one word", "killyourself", "kill yourself", "killyourself"},
		{"phrase spelled out", "k i l l y o u r s e l f", "kill yourself", "k i l l y o u r s e l f"},
		{"phrase across lines", "kill\nyourself", "kill yourself", "kill\nyourself"},
		{"spaced inside other single letters", "x s c u m y", "scum", "s c u m"},

		// Innocent text that must pass.
		{"class", "a first-class ticket", "", ""},
		{"assessment", "the assessment was fair", "", ""},
		{"as is not ass", "as good as new", "", ""},
		{"passage", "a passage of time", "", ""},
		{"scrap", "scrap metal", "", ""},
		{"idiom", "an idiom", "", ""},
		{"spaced a s", "plan a s well", "", ""},
		{"phrase words apart", "kill the bug yourself", "", ""},
		{"scunthorpe", "Scunthorpe United", "", ""},
		{"numbers", "in 2026, 1,000 people", "", ""},
		{"empty", "", "", ""},
		{"only punctuation", "!?…", "", ""},
		{"other script", "日本語のコメント", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, ok := list.Match(tt.text)
			if got, want := ok, tt.entry != ""; got != want {
				t.Fatalf("Match(%q) matched = %v (%+v), want %v", tt.text, got, m, want)
			}
			if !ok {
				return
			}
			if got, want := m.Entry, tt.entry; got != want {
				t.Errorf("Match(%q).Entry = %q, want %q", tt.text, got, want)
			}
			if got, want := m.Text, tt.match; got != want {
				t.Errorf("Match(%q).Text = %q, want %q", tt.text, got, want)
			}
			if got := tt.text[m.Start:m.End]; got != m.Text {
				t.Errorf("Match(%q) offsets give %q, want %q", tt.text, got, m.Text)
			}
		})
	}
}

func TestWordListEntriesNormalised(t *testing.T) {
	// Entries are read as text is: an entry written with capitals, accents
	// or look-alikes matches the plain word.
	tests := []struct {
		name  string
		entry string
		text  string
	}{
		{"capitals", "IDIOT", "idiot"},
		{"leet entry", "1d10t", "idiot"},
		{"accented entry", "ídiot", "idiot"},
		{"cyrillic entry", "\u0456diot", "idiot"},
		{"repeated letters in the entry", "idiooot", "idiooot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := masthead.MatchWords(tt.text, []string{tt.entry}); !ok {
				t.Errorf("MatchWords(%q, [%q]) = false, want true", tt.text, tt.entry)
			}
		})
	}
	if _, ok := masthead.MatchWords("idiot", nil); ok {
		t.Errorf("MatchWords with no words = true, want false")
	}
	var nilList *masthead.WordList
	if _, ok := nilList.Match("idiot"); ok {
		t.Errorf("nil WordList matched")
	}
}

func TestNormalizeWordList(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"lines trimmed, blanks dropped", "  idiot \n\n scum\r\n", []string{"idiot", "scum"}},
		{"spaces made single", "kill    yourself", []string{"kill yourself"}},
		{"duplicates by matching", "idiot\nIDIOT\n1d10t\nidiot", []string{"idiot"}},
		{"more repeats is another entry", "as\nass", []string{"as", "ass"}},
		{"empty", "", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := masthead.ParseWordList(tt.in)
			if len(got) != len(tt.want) {
				t.Fatalf("ParseWordList(%q) = %q, want %q", tt.in, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("ParseWordList(%q) = %q, want %q", tt.in, got, tt.want)
				}
			}
		})
	}
}
