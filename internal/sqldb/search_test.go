package sqldb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"masthead"
	"masthead/internal/sqldb"
)

func TestSearchStories(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		svc := sqldb.NewStoryService(db)
		at := epoch.Add(-time.Hour)
		// The body match is the newest, so rank, not date, must order them.
		save(t, svc, newStory("in-body", at.Add(2*time.Minute), func(s *masthead.Story) {
			s.Headline = "Council meets"
			s.Dek = "A long evening"
			s.Body = "Residents said the volcano was quiet.\n\nThe abductees returned home."
		}))
		save(t, svc, newStory("in-dek", at.Add(time.Minute), func(s *masthead.Story) {
			s.Headline = "Island life"
			s.Dek = "Living beside a volcano"
			s.Body = "Fishing boats leave at dawn."
		}))
		save(t, svc, newStory("in-headline", at, func(s *masthead.Story) {
			s.Headline = "Volcano erupts"
			s.Dek = "Ash over the island"
			s.Body = "Flights were cancelled. Café owners closed early."
		}))

		t.Run("ranking", func(t *testing.T) {
			res, err := svc.SearchStories(ctx, "volcano", 10)
			if err != nil {
				t.Fatalf("SearchStories: %v", err)
			}
			var got []string
			for _, r := range res {
				got = append(got, r.Story.Slug)
			}
			if g, want := fmt.Sprint(got), "[in-headline in-dek in-body]"; g != want {
				t.Fatalf("order = %s, want %s", g, want)
			}
			for i := 1; i < len(res); i++ {
				if !(res[i-1].Rank > res[i].Rank) {
					t.Errorf("Rank[%d] = %v not above Rank[%d] = %v", i-1, res[i-1].Rank, i, res[i].Rank)
				}
			}
			if len(res[0].Story.Authors) != 1 || len(res[0].Story.Tags) != 1 || res[0].Story.Section.Name != "World" {
				t.Errorf("result lacks authors, tags or section: %+v", res[0].Story)
			}
		})

		tests := []struct {
			name  string
			query string
			// want is the slugs found, sorted; "" for none; "*" for any,
			// where the engines' stop words differ.
			want string
		}{
			{"single body word", "abductees", "in-body"},
			{"upper case", "ABDUCTEES", "in-body"},
			{"prefix", "abduct", "in-body"},
			{"all words must match", "volcano erupts", "in-headline"},
			{"words in different fields", "volcano fishing", "in-dek"},
			{"no match", "zebra", ""},
			{"empty", "", ""},
			{"spaces", "   ", ""},
			{"accented", "café", "in-headline"},
			{"lone quote", `"`, ""},
			{"unbalanced quote", `"volcano`, "in-body in-dek in-headline"},
			{"quoted phrase", `"volcano erupts"`, "in-headline"},
			{"single quote", `volcano's`, "*"},
			{"lone star", `*`, ""},
			{"star suffix", `volc*`, "in-body in-dek in-headline"},
			{"NEAR", `NEAR(volcano`, ""},
			{"NEAR group", `NEAR(volcano island, 2)`, ""},
			{"OR operator", `OR`, ""},
			{"volcano OR zebra", `volcano OR zebra`, ""},
			{"AND NOT", `volcano AND NOT`, "*"},
			{"leading minus", `-volcano`, "in-body in-dek in-headline"},
			{"column filter", `headline:volcano`, ""},
			{"column set", `{headline dek}: volcano`, ""},
			{"caret", `^volcano`, "in-body in-dek in-headline"},
			{"parens", `(volcano)`, "in-body in-dek in-headline"},
			{"tsquery syntax", `volcano & !island | (x:*`, ""},
			{"backslash", `\volcano\`, "in-body in-dek in-headline"},
			{"SQL", `'; DROP TABLE stories; --`, ""},
			{"japanese", "火山", ""},
			{"emoji", "🌋 volcano", "in-body in-dek in-headline"},
			{"nul byte", "volcano\x00", "in-body in-dek in-headline"},
			{"max length", strings.Repeat("a", masthead.MaxSearchLen), ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res, err := svc.SearchStories(ctx, tt.query, 10)
				if err != nil {
					t.Fatalf("SearchStories(%q): %v", tt.query, err)
				}
				var got []string
				for _, r := range res {
					got = append(got, r.Story.Slug)
				}
				sortStrings(got)
				if g := strings.Join(got, " "); g != tt.want && tt.want != "*" {
					t.Errorf("SearchStories(%q) found %q, want %q", tt.query, g, tt.want)
				}
			})
		}

		t.Run("too long", func(t *testing.T) {
			_, err := svc.SearchStories(ctx, strings.Repeat("é", masthead.MaxSearchLen+1), 10)
			if got, want := errCode(err), masthead.EINVALID; got != want {
				t.Errorf("error code = %q (%v), want %q", got, err, want)
			}
		})
		t.Run("limit", func(t *testing.T) {
			res, err := svc.SearchStories(ctx, "volcano", 2)
			if err != nil || len(res) != 2 {
				t.Errorf("SearchStories(limit 2) = %d results, %v; want 2", len(res), err)
			}
		})
	})
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
