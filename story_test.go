package masthead_test

import (
	"strings"
	"testing"
	"time"

	"masthead"
)

func TestSlugify(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Harbour bridge reopens", "harbour-bridge-reopens"},
		{"punctuation runs", "Rates rise -- again!", "rates-rise-again"},
		{"accents", "Café société à Zürich", "cafe-societe-a-zurich"},
		{"apostrophes", "Tokyo's mayor, the city’s hope", "tokyos-mayor-the-citys-hope"},
		{"leading and trailing junk", "  ...Hello...  ", "hello"},
		{"digits", "2026 budget: 3.5% rise", "2026-budget-3-5-rise"},
		{"non-latin only", "東京", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := masthead.Slugify(tt.in); got != tt.want {
				t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	t.Run("long headline is capped", func(t *testing.T) {
		got := masthead.Slugify(strings.Repeat("word ", 100))
		if len(got) > masthead.MaxSlugLen || !masthead.ValidSlug(got) {
			t.Errorf("Slugify(long) = %q (len %d), want a valid slug of at most %d", got, len(got), masthead.MaxSlugLen)
		}
	})
}

func TestValidSlug(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"news", true},
		{"a-b-c", true},
		{"2026", true},
		{"", false},
		{"-news", false},
		{"news-", false},
		{"a--b", false},
		{"News", false},
		{"a_b", false},
		{"a/b", false},
		{strings.Repeat("a", masthead.MaxSlugLen), true},
		{strings.Repeat("a", masthead.MaxSlugLen+1), false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := masthead.ValidSlug(tt.in); got != tt.want {
				t.Errorf("ValidSlug(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func validStory() *masthead.Story {
	return &masthead.Story{
		Headline:    "Harbour bridge reopens",
		Body:        "The bridge is open.",
		Section:     masthead.Section{Name: "News"},
		Authors:     []masthead.Author{{Name: "Ada Reporter"}},
		Tags:        []masthead.Tag{{Name: "Transport"}},
		Status:      masthead.StatusPublished,
		PublishedAt: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC),
	}
}

func TestStoryNormalizeAndValidate(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(s *masthead.Story)
		wantField string // "" means valid
	}{
		{"valid", func(s *masthead.Story) {}, ""},
		{"draft needs no time", func(s *masthead.Story) { s.Status = masthead.StatusDraft; s.PublishedAt = time.Time{} }, ""},
		{"missing headline", func(s *masthead.Story) { s.Headline = "   " }, "headline"},
		{"long headline", func(s *masthead.Story) { s.Headline = strings.Repeat("h", masthead.MaxHeadlineLen+1) }, "headline"},
		{"long dek", func(s *masthead.Story) { s.Dek = strings.Repeat("d", masthead.MaxDekLen+1) }, "dek"},
		{"bad slug", func(s *masthead.Story) { s.Slug = "Not A Slug" }, "slug"},
		{"unsluggable headline", func(s *masthead.Story) { s.Headline = "東京" }, "slug"},
		{"empty body", func(s *masthead.Story) { s.Body = " \n " }, "body"},
		{"bad format", func(s *masthead.Story) { s.BodyFormat = "html" }, "body_format"},
		{"no section", func(s *masthead.Story) { s.Section = masthead.Section{} }, "section"},
		{"bad status", func(s *masthead.Story) { s.Status = "live" }, "status"},
		{"bad access", func(s *masthead.Story) { s.Access = "paid" }, "access"},
		{"bad comments", func(s *masthead.Story) { s.Comments = "maybe" }, "comments"},
		{"published without time", func(s *masthead.Story) { s.PublishedAt = time.Time{} }, "published_at"},
		{"author without name", func(s *masthead.Story) { s.Authors = []masthead.Author{{Name: " "}} }, "authors"},
		{"tag without letters", func(s *masthead.Story) { s.Tags = []masthead.Tag{{Name: "!!!"}} }, "tags"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validStory()
			tt.edit(s)
			s.Normalize()
			err := s.Validate()
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if got := masthead.ErrorCode(err); got != masthead.EINVALID {
				t.Fatalf("ErrorCode = %q, want %q (err %v)", got, masthead.EINVALID, err)
			}
			if got := masthead.ErrorField(err); got != tt.wantField {
				t.Errorf("ErrorField = %q, want %q (message %q)", got, tt.wantField, masthead.ErrorMessage(err))
			}
			if masthead.ErrorMessage(err) == "" {
				t.Error("error has no message for the user")
			}
		})
	}
}

func TestStoryNormalizeDefaults(t *testing.T) {
	s := &masthead.Story{Headline: " Rates rise ", Body: "x", Section: masthead.Section{Name: "Business News"}}
	s.Normalize()
	checks := []struct{ name, got, want string }{
		{"headline", s.Headline, "Rates rise"},
		{"slug", s.Slug, "rates-rise"},
		{"section slug", s.Section.Slug, "business-news"},
		{"format", string(s.BodyFormat), string(masthead.FormatMarkdown)},
		{"status", string(s.Status), string(masthead.StatusDraft)},
		{"access", string(s.Access), string(masthead.AccessMetered)},
		{"comments", string(s.Comments), string(masthead.CommentsOpen)},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
}

func TestStoryVisible(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		status masthead.StoryStatus
		at     time.Time
		want   bool
	}{
		{"published in the past", masthead.StatusPublished, now.Add(-time.Hour), true},
		{"published exactly now", masthead.StatusPublished, now, true},
		{"scheduled, time passed", masthead.StatusScheduled, now.Add(-time.Second), true},
		{"scheduled, in the future", masthead.StatusScheduled, now.Add(time.Second), false},
		{"draft with a past time", masthead.StatusDraft, now.Add(-time.Hour), false},
		{"published without time", masthead.StatusPublished, time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &masthead.Story{Status: tt.status, PublishedAt: tt.at}
			if got := s.Visible(now); got != tt.want {
				t.Errorf("Visible = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParagraphs(t *testing.T) {
	got := masthead.Paragraphs("One.\r\n\r\nTwo -- \"quoted\".  \n   \nThree.")
	want := []string{"One.", "Two -- \"quoted\".", "Three."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Paragraphs = %q, want %q", got, want)
	}
}

func TestStoryCursorRoundTrip(t *testing.T) {
	c := &masthead.StoryCursor{PublishedAt: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC), ID: 4242}
	got, err := masthead.ParseStoryCursor(c.Encode())
	if err != nil {
		t.Fatalf("ParseStoryCursor: %v", err)
	}
	if !got.PublishedAt.Equal(c.PublishedAt) || got.ID != c.ID {
		t.Errorf("round trip = %+v, want %+v", got, c)
	}
	if got, err := masthead.ParseStoryCursor(""); got != nil || err != nil {
		t.Errorf("ParseStoryCursor(\"\") = %v, %v; want nil, nil", got, err)
	}
	for _, bad := range []string{"!!!", "bm90LWEtY3Vyc29y", "MTIzLjA", "YS4w"} {
		if _, err := masthead.ParseStoryCursor(bad); masthead.ErrorCode(err) != masthead.EINVALID {
			t.Errorf("ParseStoryCursor(%q) error code = %q, want %q", bad, masthead.ErrorCode(err), masthead.EINVALID)
		}
	}
}

func FuzzParseStoryCursor(f *testing.F) {
	f.Add("")
	f.Add((&masthead.StoryCursor{PublishedAt: time.Unix(1, 0), ID: 1}).Encode())
	f.Fuzz(func(t *testing.T, s string) {
		c, err := masthead.ParseStoryCursor(s)
		if err != nil || c == nil {
			return
		}
		again, err := masthead.ParseStoryCursor(c.Encode())
		if err != nil || again.ID != c.ID || !again.PublishedAt.Equal(c.PublishedAt) {
			t.Fatalf("re-encoding %q gave %+v, %v", s, again, err)
		}
	})
}

func TestCatalogueCoversDomainMessages(t *testing.T) {
	ids := []masthead.MessageID{
		masthead.MsgInternalError, masthead.MsgStoryNotFound, masthead.MsgHeadlineRequired,
		masthead.MsgSlugInvalid, masthead.MsgCursorInvalid, masthead.MsgSearchQueryTooLong,
	}
	for _, id := range ids {
		if !masthead.HasMsg(id) {
			t.Errorf("catalogue has no entry for %q", id)
		}
	}
	if got := masthead.Msg("no.such.message"); got != "no.such.message" {
		t.Errorf("Msg(unknown) = %q, want the ID itself", got)
	}
}

func TestCatalogueIDsAreUnique(t *testing.T) {
	if got, want := masthead.CatalogueSize(), masthead.CataloguePartsSize(); got != want {
		t.Errorf("the English catalogue has %d entries but its parts have %d: an ID appears in two parts", got, want)
	}
}

func TestEmailKey(t *testing.T) {
	tests := []struct{ a, b string }{
		{"Kelly@Example.COM", "kelly@example.com"},
		{"  kelly@example.com ", "kelly@example.com"},
	}
	for _, tt := range tests {
		if masthead.EmailKey(tt.a) != masthead.EmailKey(tt.b) {
			t.Errorf("EmailKey(%q) != EmailKey(%q)", tt.a, tt.b)
		}
	}
	// Only ASCII folds: the Kelvin sign and the dotted capital I do not
	// turn into the ASCII letters they resemble.
	for _, lookalike := range []string{"\u212Aelly@example.com", "\u0130nes@example.com"} {
		if masthead.EmailKey(lookalike) == masthead.EmailKey(strings.ToLower(lookalike)) && lookalike != strings.ToLower(lookalike) {
			t.Errorf("EmailKey(%q) folds to the key of %q", lookalike, strings.ToLower(lookalike))
		}
	}
}
