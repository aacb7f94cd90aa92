package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"masthead"
)

// The newsroom the generator writes: fixed sections, authors and tags, and
// stories whose bodies are Markdown made from a word list. Everything comes
// from one seeded generator, so two runs with the same flags write the same
// stories (apart from times, which are relative to the start of the run).

var benchSections = []masthead.Section{
	{Slug: "world", Name: "World", Description: "News from around the world.", Position: 1},
	{Slug: "national", Name: "National", Description: "Politics, society and the regions.", Position: 2},
	{Slug: "business", Name: "Business", Description: "Markets, companies and the economy.", Position: 3},
	{Slug: "technology", Name: "Technology", Description: "Science, technology and the internet.", Position: 4},
	{Slug: "culture", Name: "Culture", Description: "Books, film, music and the arts.", Position: 5},
	{Slug: "sport", Name: "Sport", Description: "Results, analysis and interviews.", Position: 6},
}

var benchAuthors = []string{
	"Aiko Tanaka", "Ben Okafor", "Camille Roux", "Daniel Park", "Eleanor Vance",
	"Farid Haddad", "Grace Liu", "Hiroshi Sato", "Isabel Moreno", "James Whitaker",
	"Kenji Watanabe", "Lena Fischer",
}

var benchTags = []string{
	"Elections", "Climate", "Diplomacy", "Energy", "Trade", "Health", "Education",
	"Housing", "Transport", "Labour", "Courts", "Defence", "Banking", "Startups",
	"Artificial Intelligence", "Space", "Film", "Literature", "Music", "Football",
	"Baseball", "Tennis", "Olympics", "Food", "Travel", "Tourism", "Agriculture",
	"Fisheries", "Typhoons", "Earthquakes", "Population", "Pensions", "Taxes",
	"Currency", "Semiconductors", "Automobiles", "Railways", "Tokyo", "Osaka", "Kyoto",
}

// benchWords is the vocabulary of generated text: common newspaper words.
var benchWords = strings.Fields(`
the government said on monday that it would review the plan after officials
from several ministries met to discuss the budget for next year while
opposition leaders argued the proposal did not go far enough to address rising
prices across the country analysts expect the central bank to keep interest
rates unchanged at its meeting this week despite pressure from exporters and
small businesses in regional cities where wages have barely moved since the
pandemic residents told reporters they were worried about the cost of energy
food and housing as winter approaches the prime minister promised support for
families with young children and older people living alone in rural areas
according to a survey published by the ministry more than half of companies
plan to raise salaries this spring although many smaller firms say they cannot
afford it without help the city council voted to approve a new railway line
connecting the airport with the business district construction is expected to
begin in autumn and take about five years to complete critics questioned the
environmental impact of the project and the way contracts were awarded a
spokesperson for the company declined to comment on the report but said it
would cooperate fully with any investigation police arrested a man suspected
of fraud after a months long inquiry into payments made to a consulting firm
scientists at the university announced a breakthrough in battery research that
could extend the range of electric vehicles and reduce reliance on imported
materials the team hopes to work with manufacturers to bring the technology to
market within a decade fans gathered outside the stadium hours before the match
as the home side sought its first title in twenty years the coach praised the
players for their discipline and said the season had shown what hard work can
achieve the festival returns after a long break with films from more than forty
countries and a program of talks by directors writers and critics tickets sold
out within minutes officials said additional screenings would be added
negotiators from both sides met again in the capital on friday but failed to
reach agreement on tariffs farm products and rules for digital trade talks will
resume next month the foreign minister said relations remained stable and that
dialogue was the only way forward on the issue experts warned that the
population decline would put further strain on pensions and health care unless
productivity improves and more people join the workforce including women older
workers and foreign residents the report also found that`)

// genStory makes story i of the newsroom, published at a time spread over
// the year before now.
func genStory(r *rand.Rand, i int, now time.Time) *masthead.Story {
	headline := sentence(r, 6+r.IntN(6), false)
	s := &masthead.Story{
		Slug:       fmt.Sprintf("%s-%d", masthead.Slugify(headline), i+1),
		Headline:   headline,
		Dek:        sentence(r, 14+r.IntN(12), true),
		Body:       genBody(r, 600+r.IntN(401)),
		BodyFormat: masthead.FormatMarkdown,
		Section:    masthead.Section{Slug: benchSections[r.IntN(len(benchSections))].Slug},
		Status:     masthead.StatusPublished,
		Comments:   masthead.CommentsOpen,
		// From a minute to a year ago.
		PublishedAt: now.Add(-time.Minute - time.Duration(r.Int64N(int64(365*24*time.Hour)))).Truncate(time.Second),
	}
	if len(s.Slug) > masthead.MaxSlugLen {
		s.Slug = strings.Trim(s.Slug[:masthead.MaxSlugLen-8], "-") + fmt.Sprintf("-%d", i+1)
	}
	switch x := r.IntN(100); {
	case x < 50:
		s.Access = masthead.AccessFree
	case x < 85:
		s.Access = masthead.AccessMetered
	default:
		s.Access = masthead.AccessPremium
	}
	if r.IntN(10) == 0 {
		s.Comments = masthead.CommentsClosed
	}
	for _, a := range pickN(r, len(benchAuthors), 1+r.IntN(2)) {
		s.Authors = append(s.Authors, masthead.Author{Name: benchAuthors[a]})
	}
	for _, t := range pickN(r, len(benchTags), r.IntN(5)) {
		s.Tags = append(s.Tags, masthead.Tag{Name: benchTags[t]})
	}
	return s
}

// pickN returns n distinct indexes below total.
func pickN(r *rand.Rand, total, n int) []int {
	return r.Perm(total)[:n]
}

// sentence returns n words from the word list, capitalised, ending with a
// full stop when stop is set.
func sentence(r *rand.Rand, n int, stop bool) string {
	var b strings.Builder
	for j := range n {
		w := benchWords[r.IntN(len(benchWords))]
		if j == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	if stop {
		b.WriteByte('.')
	}
	return b.String()
}

// genBody returns a Markdown body of about words words: paragraphs of a few
// sentences with some emphasis, links and quotes, a subheading or two and
// now and then a list.
func genBody(r *rand.Rand, words int) string {
	var b strings.Builder
	b.Grow(words * 8)
	written := 0
	para := 0
	for written < words {
		switch {
		case para > 0 && para%5 == 0 && r.IntN(2) == 0:
			b.WriteString("## ")
			b.WriteString(sentence(r, 3+r.IntN(4), false))
			b.WriteString("\n\n")
		case para > 2 && r.IntN(12) == 0:
			for range 3 + r.IntN(3) {
				b.WriteString("- ")
				n := 5 + r.IntN(8)
				b.WriteString(sentence(r, n, true))
				b.WriteByte('\n')
				written += n
			}
			b.WriteByte('\n')
		case para > 1 && r.IntN(15) == 0:
			b.WriteString("> ")
			n := 12 + r.IntN(15)
			b.WriteString(sentence(r, n, true))
			b.WriteString("\n\n")
			written += n
		}
		sentences := 2 + r.IntN(4)
		for k := range sentences {
			if k > 0 {
				b.WriteByte(' ')
			}
			n := 8 + r.IntN(18)
			text := sentence(r, n, true)
			switch r.IntN(20) {
			case 0:
				// Emphasise the first word.
				w, rest, _ := strings.Cut(text, " ")
				text = "*" + w + "* " + rest
			case 1:
				w, rest, _ := strings.Cut(text, " ")
				text = "[" + w + "](https://example.com/" + strings.ToLower(w) + ") " + rest
			case 2:
				text = `"` + strings.TrimSuffix(text, ".") + `," an official said.`
			}
			b.WriteString(text)
			written += n
		}
		b.WriteString("\n\n")
		para++
	}
	return b.String()
}
