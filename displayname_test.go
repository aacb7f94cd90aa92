package masthead_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"masthead"
)

// nameCase is one display name and what NormalizeDisplayName should make of
// it: the stored form, or the message of the error.
type nameCase struct {
	name, in string
	want     string // the stored form when wantErr is ""
	wantErr  string // the error's message
}

func ok(name, in, want string) nameCase { return nameCase{name: name, in: in, want: want} }

func bad(name, in string, id masthead.MessageID, args ...any) nameCase {
	return nameCase{name: name, in: in, wantErr: masthead.Msg(id, args...)}
}

func same(name, in string) nameCase { return ok(name, in, in) }

var (
	tooShort = []any{masthead.MinDisplayNameLen}
	tooLong  = []any{masthead.MaxDisplayNameLen}
)

func displayNameCases() []nameCase {
	return []nameCase{
		// Real names, Latin script.
		same("plain", "Jane Smith"),
		same("umlauts", "Zoë Müller"),
		same("spanish", "José Núñez"),
		same("irish apostrophe", "Siobhán O'Neill"),
		ok("typographic apostrophe", "Siobhán O’Neill", "Siobhán O'Neill"),
		same("polish", "Łukasz Żółć"),
		same("vietnamese", "Nguyễn Thị Minh"),
		same("french hyphen", "Jean-Luc Picard"),
		same("german eszett", "Grüße Straß"),
		same("scandinavian", "Søren Kierkegård"),
		same("turkish", "Çağrı Yılmaz"),
		same("czech", "Dvořák Antonín"),
		same("icelandic", "Þórunn Guðmundsdóttir"),
		same("hawaiian okina", "Kaʻiulani"),
		same("initial with dot", "J.Smith"),
		same("underscore", "jane_smith"),
		same("digits after letters", "Jane 1984"),
		same("single word", "Madonna"),
		same("lower case kept", "bob"),
		same("all capitals kept", "BOB JONES"),
		same("exactly three", "Bob"),
		same("three with digits", "R2D"),
		same("exactly thirty", strings.Repeat("a", 30)),
		same("thirty with spaces", "Abcdefghi Abcdefghi Abcdefghij"),
		same("dots and dashes", "A.B-C_D'E"),
		ok("decomposed accents are composed", "Jose\u0301", "José"),
		ok("leading and trailing spaces", "  Jane Smith  ", "Jane Smith"),
		ok("repeated spaces", "Jane     Smith", "Jane Smith"),
		ok("no-break space", "Jane\u00a0Smith", "Jane Smith"),
		ok("ideographic space", "山田\u3000太郎", "山田 太郎"),
		ok("full-width letters", "ＪＯＨＮ", "JOHN"),
		ok("full-width full stop", "J．Smith", "J.Smith"),
		ok("superscript digit", "Jane²", "Jane2"),
		ok("roman numeral", "Henry Ⅷ", "Henry VIII"),
		ok("ligature", "ﬁona", "fiona"),
		ok("em spaces trimmed", "\u2003Jane\u2003", "Jane"),

		// Real names, other scripts.
		same("russian", "Наталья Петрова"),
		same("ukrainian", "Олена Їжакевич"),
		same("greek", "Γιώργος"),
		same("greek full name", "Μαρία Παπαδοπούλου"),
		same("japanese kanji", "山田太郎"),
		same("chinese", "李小龍"),
		same("korean", "김민준"),
		same("hiragana", "やまだ"),
		same("katakana", "ヤマダ"),
		same("japanese mixed kana and kanji", "山田たろう"),
		same("katakana long vowel", "コーヒー"),
		same("japanese with latin", "Taro 山田"),
		same("korean with han", "金민준"),
		same("chinese with bopomofo", "李ㄅㄆㄇ"),
		same("arabic", "محمد علي"),
		same("persian", "مریم میرزاخانی"),
		same("hebrew", "דוד לוי"),
		same("devanagari with vowel signs", "अमित शर्मा"),
		same("tamil", "கார்த்திக்"),
		same("bengali", "রবীন্দ্রনাথ"),
		same("thai", "สมชาย ใจดี"),
		same("armenian", "Արամ"),
		same("georgian", "გიორგი"),
		same("amharic", "አበበ ቢቂላ"),
		same("arabic with latin digits", "علي 2024"),
		same("devanagari digits", "राम ४२"),

		// Blank.
		bad("empty", "", masthead.MsgDisplayNameEmpty),
		bad("spaces", "     ", masthead.MsgDisplayNameEmpty),
		bad("whitespace controls only", " \t\n ", masthead.MsgDisplayNameEmpty),
		bad("ideographic spaces", "\u3000\u3000", masthead.MsgDisplayNameEmpty),

		// Length.
		bad("two letters", "ab", masthead.MsgDisplayNameTooShort, tooShort...),
		bad("one letter", "A", masthead.MsgDisplayNameTooShort, tooShort...),
		bad("two after trimming", "  ab  ", masthead.MsgDisplayNameTooShort, tooShort...),
		bad("two kanji", "山田", masthead.MsgDisplayNameTooShort, tooShort...),
		bad("marks do not count", "e\u0301e\u0301", masthead.MsgDisplayNameTooShort, tooShort...),
		bad("thirty-one", strings.Repeat("a", 31), masthead.MsgDisplayNameTooLong, tooLong...),
		bad("thirty-one with spaces", "Abcdefghi Abcdefghi Abcdefghijk", masthead.MsgDisplayNameTooLong, tooLong...),
		bad("very long", strings.Repeat("Jane ", 500), masthead.MsgDisplayNameTooLong, tooLong...),
		bad("thirty-one cyrillic", strings.Repeat("ж", 31), masthead.MsgDisplayNameTooLong, tooLong...),

		// Letters.
		bad("only digits", "12345", masthead.MsgDisplayNameNoLetter),
		bad("only punctuation", "...---", masthead.MsgDisplayNameNoLetter),
		bad("digits and punctuation", "1.2.3", masthead.MsgDisplayNameNoLetter),
		bad("arabic-indic digits only", "١٢٣", masthead.MsgDisplayNameNoLetter),

		// Invisible, control and bidirectional characters.
		bad("right-to-left override", "abc\u202Edef", masthead.MsgDisplayNameInvisibleChar, "U+202E RIGHT-TO-LEFT OVERRIDE"),
		bad("left-to-right override", "\u202Dabc", masthead.MsgDisplayNameInvisibleChar, "U+202D LEFT-TO-RIGHT OVERRIDE"),
		bad("right-to-left embedding", "abc\u202Bdef", masthead.MsgDisplayNameInvisibleChar, "U+202B RIGHT-TO-LEFT EMBEDDING"),
		bad("pop directional formatting", "abc\u202C", masthead.MsgDisplayNameInvisibleChar, "U+202C POP DIRECTIONAL FORMATTING"),
		bad("right-to-left isolate", "abc\u2067def", masthead.MsgDisplayNameInvisibleChar, "U+2067 RIGHT-TO-LEFT ISOLATE"),
		bad("first strong isolate", "\u2068abc", masthead.MsgDisplayNameInvisibleChar, "U+2068 FIRST STRONG ISOLATE"),
		bad("right-to-left mark", "abc\u200F", masthead.MsgDisplayNameInvisibleChar, "U+200F RIGHT-TO-LEFT MARK"),
		bad("left-to-right mark", "\u200Eabc", masthead.MsgDisplayNameInvisibleChar, "U+200E LEFT-TO-RIGHT MARK"),
		bad("arabic letter mark", "محمد\u061C", masthead.MsgDisplayNameInvisibleChar, "U+061C ARABIC LETTER MARK"),
		bad("zero width joiner inside", "ad\u200Dmin", masthead.MsgDisplayNameInvisibleChar, "U+200D ZERO WIDTH JOINER"),
		bad("zero width non-joiner", "ad\u200Cmin", masthead.MsgDisplayNameInvisibleChar, "U+200C ZERO WIDTH NON-JOINER"),
		bad("zero width space", "Jane\u200BSmith", masthead.MsgDisplayNameInvisibleChar, "U+200B ZERO WIDTH SPACE"),
		bad("word joiner", "Jane\u2060Smith", masthead.MsgDisplayNameInvisibleChar, "U+2060 WORD JOINER"),
		bad("byte order mark", "\uFEFFJane", masthead.MsgDisplayNameInvisibleChar, "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
		bad("soft hyphen", "Ja\u00ADne", masthead.MsgDisplayNameInvisibleChar, "U+00AD SOFT HYPHEN"),
		bad("hangul filler", "\u3164\u3164\u3164", masthead.MsgDisplayNameInvisibleChar, "U+3164 HANGUL FILLER"),
		bad("combining grapheme joiner", "Jan\u034Fe", masthead.MsgDisplayNameInvisibleChar, "U+034F COMBINING GRAPHEME JOINER"),
		bad("variation selector", "Jane\uFE0F", masthead.MsgDisplayNameInvisibleChar, "U+FE0F VARIATION SELECTOR-16"),
		bad("null", "Jane\x00", masthead.MsgDisplayNameInvisibleChar, "U+0000 NULL"),
		bad("tab inside", "Jane\tSmith", masthead.MsgDisplayNameInvisibleChar, "U+0009 CHARACTER TABULATION"),
		bad("newline inside", "Jane\nSmith", masthead.MsgDisplayNameInvisibleChar, "U+000A LINE FEED"),
		bad("carriage return", "Jane\r", masthead.MsgDisplayNameInvisibleChar, "U+000D CARRIAGE RETURN"),
		bad("escape", "\x1b[31mJane", masthead.MsgDisplayNameInvisibleChar, "U+001B ESCAPE"),
		bad("other control", "Ja\x01ne", masthead.MsgDisplayNameInvisibleChar, "U+0001"),
		bad("line separator", "Jane\u2028Smith", masthead.MsgDisplayNameInvisibleChar, "U+2028 LINE SEPARATOR"),
		bad("private use", "Jane\uE000", masthead.MsgDisplayNameInvisibleChar, "U+E000"),
		bad("invalid utf-8", "Jane\xff", masthead.MsgDisplayNameUnreadable),

		// Symbols and punctuation.
		bad("emoji", "Jane 😀", masthead.MsgDisplayNameBadChar, "U+1F600 (😀)"),
		bad("emoji only", "😀😀😀", masthead.MsgDisplayNameBadChar, "U+1F600 (😀)"),
		bad("script tag", "<script>", masthead.MsgDisplayNameBadChar, "U+003C LESS-THAN SIGN"),
		bad("greater-than", "Jane>", masthead.MsgDisplayNameBadChar, "U+003E GREATER-THAN SIGN"),
		bad("ampersand", "Tom & Jerry", masthead.MsgDisplayNameBadChar, "U+0026 AMPERSAND"),
		bad("at sign", "@jane", masthead.MsgDisplayNameBadChar, "U+0040 COMMERCIAL AT"),
		bad("double quotes", `Jane "JJ" Smith`, masthead.MsgDisplayNameBadChar, "U+0022 QUOTATION MARK"),
		bad("curly double quote", "Jane “JJ”", masthead.MsgDisplayNameBadChar, "U+201C LEFT DOUBLE QUOTATION MARK"),
		bad("left single quote", "‘Ohana", masthead.MsgDisplayNameBadChar, "U+2018 LEFT SINGLE QUOTATION MARK"),
		bad("slash", "Jane/Smith", masthead.MsgDisplayNameBadChar, "U+002F SOLIDUS"),
		bad("backslash", `Jane\Smith`, masthead.MsgDisplayNameBadChar, "U+005C REVERSE SOLIDUS"),
		bad("comma", "Smith, Jane", masthead.MsgDisplayNameBadChar, "U+002C COMMA"),
		bad("em dash", "Jane—Smith", masthead.MsgDisplayNameBadChar, "U+2014 EM DASH"),
		bad("middle dot", "Jane·Smith", masthead.MsgDisplayNameBadChar, "U+00B7 MIDDLE DOT"),
		bad("katakana middle dot", "スミス・ジョン", masthead.MsgDisplayNameBadChar, "U+30FB (・)"),
		bad("currency", "Jane $mith", masthead.MsgDisplayNameBadChar, "U+0024 DOLLAR SIGN"),
		bad("math symbol", "Jane ∑", masthead.MsgDisplayNameBadChar, "U+2211 (∑)"),
		bad("full-width less-than", "Jane＜", masthead.MsgDisplayNameBadChar, "U+FF1C (＜)"),

		// Combining marks.
		bad("mark at start", "\u0301Jane", masthead.MsgDisplayNameStrayMark, "U+0301"),
		bad("mark after space", "Jane \u0301Smith", masthead.MsgDisplayNameStrayMark, "U+0301"),
		bad("mark after digit", "Jane 1\u0301", masthead.MsgDisplayNameStrayMark, "U+0301"),
		bad("zalgo", "Ja\u0300\u0301\u0302\u0303\u0304\u0305ne", masthead.MsgDisplayNameTooManyMarks, masthead.MaxDisplayNameMarks),

		// Mixed scripts and homoglyphs.
		bad("cyrillic A in admin", "Аdmin", masthead.MsgDisplayNameMixedScript, "Latin", "Cyrillic", "U+0410 (А)"),
		bad("greek omicron in moderator", "Mοderator", masthead.MsgDisplayNameMixedScript, "Latin", "Greek", "U+03BF (ο)"),
		bad("cyrillic in paypal", "pаypal", masthead.MsgDisplayNameMixedScript, "Latin", "Cyrillic", "U+0430 (а)"),
		bad("latin in cyrillic name", "Наталья Pетрова", masthead.MsgDisplayNameMixedScript, "Cyrillic", "Latin", "U+0050 (P)"),
		bad("latin and greek words", "Jane Γιώργος", masthead.MsgDisplayNameMixedScript, "Greek", "Latin", "U+004A (J)"),
		bad("latin and arabic", "Ali علي", masthead.MsgDisplayNameMixedScript, "Latin", "Arabic", "U+0639 (ع)"),
		bad("hebrew and arabic", "דוד علي", masthead.MsgDisplayNameMixedScript, "Hebrew", "Arabic", "U+0639 (ع)"),
		bad("hangul with kana", "김やまだ", masthead.MsgDisplayNameMixedScript, "Hiragana", "Hangul", "U+AE40 (김)"),
		bad("devanagari mark on latin", "Jane\u093F", masthead.MsgDisplayNameMixedScript, "Latin", "Devanagari", "U+093F"),
	}
}

func TestNormalizeDisplayName(t *testing.T) {
	cases := displayNameCases()
	if len(cases) < 100 {
		t.Fatalf("only %d cases, want at least 100", len(cases))
	}
	seen := map[string]bool{}
	for _, tt := range cases {
		if seen[tt.name] {
			t.Fatalf("two cases are named %q", tt.name)
		}
		seen[tt.name] = true
		t.Run(tt.name, func(t *testing.T) {
			got, err := masthead.NormalizeDisplayName(tt.in)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("NormalizeDisplayName(%q) = %q, want error %q", tt.in, got, tt.wantErr)
				}
				var e *masthead.Error
				if !errors.As(err, &e) {
					t.Fatalf("NormalizeDisplayName(%q) error %v is not a *masthead.Error", tt.in, err)
				}
				if e.Code != masthead.EINVALID || e.Field != "display_name" {
					t.Errorf("code, field = %q, %q; want %q, %q", e.Code, e.Field, masthead.EINVALID, "display_name")
				}
				if e.Message != tt.wantErr {
					t.Errorf("NormalizeDisplayName(%q) message\n got  %q\n want %q", tt.in, e.Message, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("NormalizeDisplayName(%q) error %q, want %q", tt.in, masthead.ErrorMessage(err), tt.want)
			}
			if got != tt.want {
				t.Errorf("NormalizeDisplayName(%q) = %q, want %q", tt.in, got, tt.want)
			}
			again, err := masthead.NormalizeDisplayName(got)
			if err != nil || again != got {
				t.Errorf("NormalizeDisplayName(%q) = %q, %v; want it unchanged", got, again, err)
			}
			if up := strings.ToUpper(got); masthead.DisplayNameKey(up) != masthead.DisplayNameKey(got) {
				t.Errorf("DisplayNameKey(%q) != DisplayNameKey(%q): case matters", up, got)
			}
		})
	}
}

func TestDisplayNameKey(t *testing.T) {
	tests := []struct {
		name    string
		a, b    string
		collide bool
	}{
		{"case", "ADMIN", "admin", true},
		{"title case", "Admin", "admin", true},
		{"trailing space", "Admin ", "admin", true},
		{"inner spaces", "Jane  Smith", "Jane Smith", true},
		{"cyrillic capital A", "Аdmin", "admin", true},
		{"cyrillic small a", "pаypal", "paypal", true},
		{"greek omicron", "Mοderator", "moderator", true},
		{"rn and m", "adrnin", "admin", true},
		{"capital I and l", "paypaI", "paypal", true},
		{"digit one and l", "Adm1n", "admin", true},
		{"digit one and i", "adm1n", "admin", true},
		{"vertical line and l", "paypa|", "paypal", true},
		{"zero and o", "B0b", "Bob", true},
		{"dotless i", "admın", "admin", true},
		{"all-cyrillic look-alike", "рор", "pop", true},
		{"greek capitals", "ΤΟΜ", "Tom", true},
		{"greek beta both cases", "ΒΟΒ", "βοβ", true},
		{"cyrillic case", "БОРИС", "Борис", true},
		{"greek case", "ΓΙΏΡΓΟΣ", "Γιώργος", true},
		{"greek final sigma", "Γιώργος", "Γιώργοσ", true},
		{"eszett", "Strasse", "Straße", true},
		{"full-width", "ＪＯＨＮ", "john", true},
		{"dot and space", "J.Smith", "J Smith", true},
		{"dot and nothing", "J.Smith", "JSmith", true},
		{"underscore and hyphen", "jane_smith", "jane-smith", true},
		{"apostrophe", "O'Neill", "ONeill", true},
		{"typographic apostrophe", "O’Neill", "O'Neill", true},
		{"decomposed accent", "Jose\u0301", "José", true},
		{"ali and all", "Ali", "All", true},
		{"zero-width joiner ignored", "ad\u200Dmin", "admin", true},

		{"anna and hanna", "Anna", "Hanna", false},
		{"accent kept", "Zoë", "Zoe", false},
		{"accent kept spanish", "José", "Jose", false},
		{"different names", "Jane Smith", "John Smith", false},
		{"m and n", "Sam", "San", false},
		{"kanji", "山田太郎", "山田次郎", false},
		{"hiragana and katakana", "やまだ", "ヤマダ", false},
		{"five and s", "Ja5on", "Jason", false},
		{"cyrillic and latin different", "Наталья", "Natalya", false},
		{"order matters", "Bob Jane", "Jane Bob", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ka, kb := masthead.DisplayNameKey(tt.a), masthead.DisplayNameKey(tt.b)
			if got := ka == kb; got != tt.collide {
				t.Errorf("DisplayNameKey(%q) = %q, DisplayNameKey(%q) = %q: collide = %v, want %v", tt.a, ka, tt.b, kb, got, tt.collide)
			}
			if ka == "" || kb == "" {
				t.Errorf("empty key for %q or %q", tt.a, tt.b)
			}
		})
	}
}

func TestDisplayNameKeyEmpty(t *testing.T) {
	for _, in := range []string{"", "   ", "._-'", "\u200B"} {
		if got := masthead.DisplayNameKey(in); got != "" {
			t.Errorf("DisplayNameKey(%q) = %q, want \"\"", in, got)
		}
	}
}

func TestReservedDisplayName(t *testing.T) {
	tests := []struct {
		name, in, site string
		want           bool
	}{
		{"admin", "admin", "Masthead", true},
		{"admin capitals", "ADMIN", "Masthead", true},
		{"admin cyrillic", "Аdmin", "Masthead", true},
		{"admin digit", "Adm1n", "Masthead", true},
		{"admin rn", "adrnin", "Masthead", true},
		{"administrator", "Administrator", "Masthead", true},
		{"moderator", "Moderator", "Masthead", true},
		{"moderator greek omicron", "Mοderator", "Masthead", true},
		{"moderators", "The Moderators", "Masthead", true},
		{"editor", "editor", "Masthead", true},
		{"staff", "Staff", "Masthead", true},
		{"deleted", "Deleted", "Masthead", true},
		{"deleted account", "Deleted Account", "Masthead", true},
		{"deleted account hyphen", "deleted-account", "Masthead", true},
		{"masthead", "Masthead", "The Daily Courier", true},
		{"support", "Support", "Masthead", true},
		{"system", "SYSTEM", "Masthead", true},
		{"root", "root", "Masthead", true},
		{"official", "Official", "Masthead", true},
		{"site name", "The Daily Courier", "The Daily Courier", true},
		{"site name spaced", "the  daily courier", "The Daily Courier", true},
		{"site name in a longer name", "Daily Courier Fan", "Daily Courier", true},
		{"site name as words", "Masthead Fan", "Masthead", true},
		{"role word first", "Editor Jane", "Masthead", true},
		{"role word last", "Jane the Moderator", "Masthead", true},
		{"role word after underscore", "Jane_Admin", "Masthead", true},
		{"role word with digits", "admin2", "Masthead", true},
		{"role word with spaced digits", "Admin 42", "Masthead", true},
		{"official word", "Official Jane", "Masthead", true},

		{"plain name", "Jane Smith", "Masthead", false},
		{"role inside a word", "Badminton Fan", "Masthead", false},
		{"surname root", "Joe Root", "Masthead", false},
		{"system as a word", "System of a Down", "Masthead", false},
		{"support as a word", "Support Local", "Masthead", false},
		{"deleted as a word", "Deleted Scenes", "Masthead", false},
		{"part of site name", "Daily Jane", "The Daily Courier", false},
		{"editorial", "Editorial Jane", "Masthead", false},
		{"no site name", "Jane Smith", "", false},
		{"empty", "", "Masthead", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := masthead.ReservedDisplayName(tt.in, tt.site); got != tt.want {
				t.Errorf("ReservedDisplayName(%q, %q) = %v, want %v", tt.in, tt.site, got, tt.want)
			}
		})
	}
}

func TestDisplayNameMessages(t *testing.T) {
	ids := []masthead.MessageID{
		masthead.MsgDisplayNameEmpty, masthead.MsgDisplayNameTooShort, masthead.MsgDisplayNameTooLong,
		masthead.MsgDisplayNameBadChar, masthead.MsgDisplayNameInvisibleChar, masthead.MsgDisplayNameStrayMark,
		masthead.MsgDisplayNameTooManyMarks, masthead.MsgDisplayNameNoLetter, masthead.MsgDisplayNameMixedScript,
		masthead.MsgDisplayNameUnreadable, masthead.MsgDisplayNameNotAllowed, masthead.MsgDisplayNameReserved,
		masthead.MsgDisplayNameTaken,
	}
	for _, id := range ids {
		if !masthead.HasMsg(id) {
			t.Errorf("catalogue has no entry for %q", id)
		}
	}
	if got, want := masthead.Msg(masthead.MsgDisplayNameTaken), "That name is too similar to a name already in use. Please choose another."; got != want {
		t.Errorf("Msg(MsgDisplayNameTaken) = %q, want %q", got, want)
	}
}

func FuzzNormalizeDisplayName(f *testing.F) {
	for _, tt := range displayNameCases() {
		f.Add(tt.in)
	}
	f.Add("ᏣᎳᎩ")
	f.Add("ꭰꭱꭲ")
	f.Add("İstanbul")
	f.Fuzz(func(t *testing.T, in string) {
		key := masthead.DisplayNameKey(in)
		if key != masthead.DisplayNameKey(in) {
			t.Fatalf("DisplayNameKey(%q) is not stable", in)
		}
		out, err := masthead.NormalizeDisplayName(in)
		if err != nil {
			if masthead.ErrorCode(err) != masthead.EINVALID || masthead.ErrorField(err) != "display_name" {
				t.Fatalf("NormalizeDisplayName(%q) error %v, want EINVALID on display_name", in, err)
			}
			return
		}
		if !utf8.ValidString(out) {
			t.Fatalf("NormalizeDisplayName(%q) = %q, not valid UTF-8", in, out)
		}
		if n := utf8.RuneCountInString(out); n < masthead.MinDisplayNameLen {
			t.Fatalf("NormalizeDisplayName(%q) = %q, shorter than the minimum", in, out)
		}
		again, err := masthead.NormalizeDisplayName(out)
		if err != nil || again != out {
			t.Fatalf("NormalizeDisplayName(%q) = %q, but NormalizeDisplayName(%q) = %q, %v", in, out, out, again, err)
		}
		k := masthead.DisplayNameKey(out)
		if k == "" || k != masthead.DisplayNameKey(out) {
			t.Fatalf("DisplayNameKey(%q) = %q, unstable or empty", out, k)
		}
		if !utf8.ValidString(k) {
			t.Fatalf("DisplayNameKey(%q) = %q, not valid UTF-8", out, k)
		}
	})
}
