package demo

import (
	"reflect"
	"testing"
	"time"

	"masthead"
)

func TestCommenters(t *testing.T) {
	keys := map[string]string{}
	for _, a := range Accounts() {
		if a.DisplayName != "" {
			keys[masthead.DisplayNameKey(a.DisplayName)] = a.Email
		}
	}
	emails := map[string]bool{}
	for _, a := range Accounts() {
		emails[masthead.EmailKey(a.Email)] = true
	}
	cs := Commenters()
	if len(cs) < 8 || len(cs) > 20 {
		t.Errorf("%d commenters, want a handful (8 to 20): each costs a password hash at start-up", len(cs))
	}
	for _, c := range cs {
		if _, err := masthead.NormalizeEmail(c.Email); err != nil || emails[masthead.EmailKey(c.Email)] {
			t.Errorf("%s: invalid or repeated email (%v)", c.Email, err)
		}
		emails[masthead.EmailKey(c.Email)] = true
		name, err := masthead.NormalizeDisplayName(c.DisplayName)
		if err != nil || name != c.DisplayName {
			t.Errorf("%s: display name %q normalises to %q, %v", c.Email, c.DisplayName, name, err)
		}
		if masthead.ReservedDisplayName(c.DisplayName, "Masthead") {
			t.Errorf("%s: display name %q is reserved", c.Email, c.DisplayName)
		}
		key := masthead.DisplayNameKey(c.DisplayName)
		if other, ok := keys[key]; ok {
			t.Errorf("%s: display name %q is confusable with %s's", c.Email, c.DisplayName, other)
		}
		keys[key] = c.Email
		if len([]rune(c.About)) > masthead.MaxAboutLen {
			t.Errorf("%s: about line too long", c.Email)
		}
		if c.Plan != "standard" && c.Plan != "premium" {
			t.Errorf("%s: plan %q", c.Email, c.Plan)
		}
	}
}

func TestComments(t *testing.T) {
	now := time.Date(2031, 7, 4, 15, 42, 10, 0, time.UTC)
	stories, err := Stories(now)
	if err != nil {
		t.Fatal(err)
	}
	bySlug := map[string]*masthead.Story{}
	for _, s := range stories {
		bySlug[s.Slug] = s
	}
	commenters := Commenters()
	all := Comments()
	if len(all) < 4 {
		t.Errorf("comments on %d stories, want several", len(all))
	}
	long := 0
	seen := map[string]bool{}
	for _, sc := range all {
		t.Run(sc.Story, func(t *testing.T) {
			st := bySlug[sc.Story]
			if seen[sc.Story] {
				t.Errorf("story listed twice")
			}
			seen[sc.Story] = true
			if st == nil {
				t.Fatalf("no demo story %q", sc.Story)
			}
			if !st.Visible(now) || st.Comments != masthead.CommentsOpen {
				t.Errorf("the story is not visible with comments open (status %s, comments %s)", st.Status, st.Comments)
			}
			long = max(long, len(sc.Comments))
			for i, c := range sc.Comments {
				if c.Author < 0 || c.Author >= len(commenters) {
					t.Fatalf("comment %d: author %d", i, c.Author)
				}
				if st.Access == masthead.AccessPremium && commenters[c.Author].Plan != "premium" {
					t.Errorf("comment %d: %s comments on a Premium story without the Premium plan", i, commenters[c.Author].DisplayName)
				}
				if body, err := masthead.NormalizeCommentBody(c.Body, 3000); err != nil || body != c.Body {
					t.Errorf("comment %d: body %q: %v", i, c.Body, err)
				}
				if c.Ago <= 0 || now.Add(-c.Ago).Before(st.PublishedAt) {
					t.Errorf("comment %d: posted %s before now, before the story was published", i, c.Ago)
				}
				if i > 0 && c.Ago >= sc.Comments[i-1].Ago {
					t.Errorf("comment %d is not later than the one before it", i)
				}
				if c.Parent != -1 {
					if c.Parent < 0 || c.Parent >= i {
						t.Fatalf("comment %d: parent %d is not an earlier comment", i, c.Parent)
					}
					if sc.Comments[c.Parent].Author == c.Author {
						t.Errorf("comment %d: %s replies to themselves", i, commenters[c.Author].DisplayName)
					}
				}
			}
		})
	}
	if long < 2000 {
		t.Errorf("the longest thread has %d comments, want at least 2,000", long)
	}
	if !seen[LongThreadStory] {
		t.Errorf("no comments on LongThreadStory %q", LongThreadStory)
	}
}

func TestLongThread(t *testing.T) {
	a, b := LongThread(LongThreadSize), LongThread(LongThreadSize)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("LongThread differs between two calls")
	}
	bodies := map[string]bool{}
	top, replies, nested := 0, 0, 0
	for _, c := range a {
		bodies[c.Body] = true
		switch {
		case c.Parent == -1:
			top++
		case a[c.Parent].Parent == -1:
			replies++
		default:
			nested++
		}
	}
	t.Logf("%d comments: %d distinct bodies, %d top-level, %d replies, %d replies to replies", len(a), len(bodies), top, replies, nested)
	if len(bodies) < len(a)*3/4 {
		t.Errorf("only %d distinct bodies in %d comments", len(bodies), len(a))
	}
	if top < len(a)/5 || replies < len(a)/10 || nested < len(a)/10 {
		t.Errorf("a flat thread: %d top-level, %d replies, %d nested", top, replies, nested)
	}
}
