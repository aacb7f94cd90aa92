package demo

import (
	"math/rand/v2"
	"strings"
	"time"
)

// Commenter is a demo reader who comments: a verified subscriber with a
// display name, on the Standard plan or, for the few who comment on a
// Premium story, the Premium plan (complimentary grants for CompPeriod).
// Every one has the password Password.
type Commenter struct {
	Email       string
	DisplayName string
	About       string
	Plan        string // "standard" or "premium"
}

// Commenters returns the demo's commenting readers. They are few, because
// each costs a password hash at start-up; the demo's comments are spread
// across them.
func Commenters() []Commenter {
	return []Commenter{
		{"maeve.dunleavy@example.com", "Maeve Dunleavy", "Harbour district", "standard"},
		{"tobias.wren@example.com", "Tobias Wren", "Northgate", "standard"},
		{"priya.castellano@example.com", "Priya Castellano", "Teacher, Victoria Gardens", "standard"},
		{"jonas.achterberg@example.com", "Jonas Achterberg", "Cycles to work along the river", "premium"},
		{"ada.lindqvist@example.com", "Ada Lindqvist", "Night-shift nurse", "standard"},
		{"rafael.quint@example.com", "Rafael Quint", "Season ticket holder since 1998", "standard"},
		{"nell.hartigan@example.com", "Nell Hartigan", "Mill Street", "premium"},
		{"samuel.oduya@example.com", "Samuel Oduya", "Runs a cafe on the quay", "standard"},
		{"ingrid.solheim@example.com", "Ingrid Solheim", "Retired shipwright's daughter", "standard"},
		{"callum.farrow@example.com", "Callum Farrow", "Tanner's Lane", "premium"},
		{"yusra.haddad@example.com", "Yusra Haddad", "First-time buyer, still looking", "premium"},
		{"bertie.lowe@example.com", "Bertie Lowe", "", "standard"},
	}
}

// Comment is one demo comment.
type Comment struct {
	// Author is the index of the commenter in Commenters().
	Author int
	// Parent is -1 for a top-level comment, otherwise the index of an
	// earlier comment of the same story that this one replies to.
	Parent int
	Body   string
	// Ago is how long before the demo starts the comment was posted.
	Ago time.Duration
}

// StoryComments are the demo comments of one story, oldest first.
type StoryComments struct {
	Story    string // the story's slug
	Comments []Comment
}

// LongThreadStory is the slug of the story with the long comment thread.
const LongThreadStory = "rovers-snatch-late-winner-to-stay-top-of-the-league"

// LongThreadSize is how many comments the long thread has.
const LongThreadSize = 2400

// Comments returns the demo comments: a few on several stories, and
// LongThreadSize on LongThreadStory. The result is the same on every call.
func Comments() []StoryComments {
	out := []StoryComments{
		{Story: "council-approves-night-bus-trial-on-three-port-alder-routes", Comments: []Comment{
			{0, -1, "About time. I finish at the restaurant after midnight and the taxi home costs more than I earn in the last hour of the shift.", 110 * time.Minute},
			{4, 0, "Same here. Half the ward staff on nights have been car-sharing since the last bus was cut. A 30-minute service would change that.", 100 * time.Minute},
			{9, -1, "Every 30 minutes is fine in theory, but will anyone actually check whether the buses turn up? The daytime 14 is late more often than not.", 90 * time.Minute},
			{1, 2, "The story says the trial is reviewed after six months. I hope they publish the punctuality figures as part of that, not just passenger numbers.", 80 * time.Minute},
			{9, 3, "Agreed. Publish the raw numbers and let people judge.", 75 * time.Minute},
			{11, -1, "Three routes is a start. Nothing for the east side yet, though.", 50 * time.Minute},
			{7, -1, "Good news for the quay. We close at eleven and my staff have been leaving early to catch the last bus, which means I close early too.\n\nIf this works, more places might stay open later.", 40 * time.Minute},
		}},
		{Story: "flood-barrier-upgrade-to-close-riverside-path-for-six-weeks", Comments: []Comment{
			{3, -1, "Six weeks of going round by Tanner's Lane on a bike is not ten minutes extra, it's ten minutes of dodging delivery vans. Could the council not at least paint a temporary cycle lane?", 5 * time.Hour},
			{9, 0, "As someone who lives on Tanner's Lane: please don't. It is already a rat run at school time.", 4*time.Hour + 30*time.Minute},
			{3, 1, "Fair point. Then a proper signed route through Victoria Gardens, with the gates left open in the morning?", 4 * time.Hour},
			{8, -1, "Half a metre doesn't sound like much until you remember the winter of the big surge. Worth the inconvenience.", 3 * time.Hour},
			{2, -1, "Our school uses that path for the walk to the rowing club on Thursdays. I hope the diversion signs go up before the closure, not on the day.", 2 * time.Hour},
		}},
		{Story: "family-bakery-chain-grows-to-ten-shops-despite-soaring-flour-costs", Comments: []Comment{
			{6, -1, "Their rye loaf is still the best thing on Mill Street. Glad they're doing well.", 20 * time.Hour},
			{10, -1, "Baking everything overnight in one kitchen and driving it round the city is clever, but I do miss the smell of bread at the old shop.", 18 * time.Hour},
			{7, 1, "Speaking as a small cafe: a central kitchen is the only way the numbers work now. Flour has nearly doubled in two years.", 17 * time.Hour},
			{10, 2, "I didn't realise it was that much. That makes the prices look quite reasonable.", 16 * time.Hour},
			{5, -1, "Ten shops and still family run. Good luck to them.", 9 * time.Hour},
		}},
		{Story: "shipyard-warehouse-reopens-as-a-400-seat-theatre", Comments: []Comment{
			{8, -1, "My grandfather worked in that yard for thirty years. I have tickets for Friday and I expect to cry.", 11 * time.Hour},
			{0, 0, "That's lovely. Please tell us what you thought afterwards.", 10*time.Hour + 30*time.Minute},
			{8, 1, "I will. They asked families of former workers to lend photographs for the foyer, so some of his are on the wall.", 10 * time.Hour},
			{1, -1, "400 seats is a good size: big enough for touring shows, small enough that you can see faces from the back row.", 8 * time.Hour},
			{11, -1, "Is there step-free access? The article doesn't say.", 6 * time.Hour},
			{2, 4, "There is, according to their website: a lift from the quay entrance and spaces at the end of each row.", 5 * time.Hour},
		}},
		{Story: "review-a-quiet-devastating-debut-about-a-lighthouse-keepers-daughter", Comments: []Comment{
			{2, -1, "Read it in one sitting on Sunday. The chapter with the storm and the logbook is extraordinary.", 30 * time.Hour},
			{6, 0, "No spoilers please, I'm halfway through!", 29 * time.Hour},
			{2, 1, "Sorry! I'll say no more. Keep going, it's worth it.", 28 * time.Hour},
			{4, -1, "Spare is the right word. Not a sentence wasted. I'd read a second book from her tomorrow.", 20 * time.Hour},
		}},
		{Story: "the-last-letterpress-printer-on-mill-street", Comments: []Comment{
			{6, -1, "Mr Penrose printed our wedding invitations in 1987. They still look better than anything we have been sent since.", 50 * time.Hour},
			{3, -1, "Surely the art college could take this on? It would be a shame for the press to go to a museum where nobody uses it.", 45 * time.Hour},
			{9, 1, "The college had a print room until about ten years ago. Bringing it back with his equipment would be a fine legacy.", 40 * time.Hour},
			{10, -1, "I'd sign up for an evening class tomorrow.", 30 * time.Hour},
		}},
	}
	out = append(out, StoryComments{Story: LongThreadStory, Comments: LongThread(LongThreadSize)})
	return out
}

// The parts of the long thread's comments: it is about the Rovers' late
// derby winner, and is put together from these, deterministically.
var (
	threadOpeners = []string{
		"", "", "", "Honestly, ", "Fair play, but ", "Look, ", "For me, ", "Not being funny, but ",
		"Still buzzing. ", "Calm down everyone. ", "I was in the north stand and ", "Watched it in the pub and ",
		"Twenty years going to Harbour Road and ", "Let's be honest, ", "Say what you like, ",
	}
	threadPoints = []string{
		"Mensah's header was the best moment at Harbour Road this season",
		"we were second best for an hour and got away with it",
		"Brand's corner was perfect, right on the six-yard line",
		"the back four looked lost until the last ten minutes",
		"Ellison got the substitutions right for once",
		"Athletic deserved a draw and their fans know it",
		"Marchetti ran the midfield after half-time",
		"Hartley had no chance with Pike's goal",
		"Pike hitting the post was the turning point",
		"a yellow card for celebrating is daft, let the lad enjoy it",
		"we need the injured defenders back before Northfield",
		"the atmosphere in the last five minutes was the loudest I've heard in years",
		"two points clear with fourteen games left means nothing yet",
		"Mensah has to start on Saturday week",
		"Mensah is an impact sub and should stay one",
		"Rachel Moore has Athletic playing proper football",
		"the deflection on Marchetti's shot was lucky but we'll take it",
		"our pressing was non-existent in the first half",
		"Brand's free kicks have been better this season than last",
		"that long ball over the top caught us square again",
		"the ref let far too much go in the first half",
		"the away end was brilliant all night, credit to them",
		"winning when you play badly is what champions do",
		"Northfield away is the one that decides the title",
	}
	threadEndings = []string{
		".", ".", ".", "!", ". Up the Rovers!", ". Simple as that.", ", no question.", ". Discuss.",
		", in my opinion.", ". Not getting carried away though.", ". What a night.", ". Can't wait for Saturday week.",
	}
	threadReplies = []string{
		"Agreed.", "Couldn't disagree more.", "Spot on.", "Were we watching the same game?", "This.",
		"Bit harsh.", "You're not wrong.", "Ha, fair enough.", "Exactly what I said to my brother.",
		"I'd go further than that.", "Give it a week and we'll see.", "Steady on.",
	}
	threadExtras = []string{
		"",
		"",
		"",
		"\n\nThe highlights are on the club site: https://rovers.example/highlights/saltness",
		"\n\nOne more thing: the queue for the tram afterwards was a disgrace.",
		"\n\nAnd for the record, the pies were cold again.",
		"\n\nLook at the table: https://league.example/table and tell me we're not favourites.",
	}
)

// LongThread returns n comments on the Rovers' late winner, oldest first,
// a few seconds apart (2,400 of them span about two and three-quarter
// hours, as the story is three hours old), the newest a few minutes ago.
// About a third are top-level; the rest reply to recent comments (replies
// to replies included), each by another commenter than the one replied
// to. The same n gives the same comments.
func LongThread(n int) []Comment {
	rng := rand.New(rand.NewPCG(2025, 115))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	out := make([]Comment, n)
	steps := make([]time.Duration, n)
	for i := range steps {
		steps[i] = 2*time.Second + time.Duration(rng.IntN(4000))*time.Millisecond
	}
	ago := 4 * time.Minute
	for i := n - 1; i >= 0; i-- {
		ago += steps[i]
		out[i].Ago = ago
	}
	authors := len(Commenters())
	for i := range out {
		c := &out[i]
		c.Parent = -1
		if i > 0 && rng.IntN(3) != 0 {
			c.Parent = i - 1 - rng.IntN(min(i, 40))
		}
		c.Author = rng.IntN(authors)
		if c.Parent >= 0 && c.Author == out[c.Parent].Author {
			c.Author = (c.Author + 1 + rng.IntN(authors-1)) % authors
		}
		var b strings.Builder
		if c.Parent >= 0 && rng.IntN(2) == 0 {
			b.WriteString(pick(threadReplies))
			b.WriteString(" ")
		}
		opener := pick(threadOpeners)
		point := pick(threadPoints)
		if opener == "" {
			point = strings.ToUpper(point[:1]) + point[1:]
		}
		b.WriteString(opener)
		b.WriteString(point)
		b.WriteString(pick(threadEndings))
		if rng.IntN(4) == 0 {
			second := pick(threadPoints)
			b.WriteString(" Also, ")
			b.WriteString(second)
			b.WriteString(".")
		}
		b.WriteString(pick(threadExtras))
		c.Body = b.String()
	}
	return out
}
