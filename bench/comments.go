package main

// The comment benchmarks: the first page of a 100-comment and a
// 10,000-comment thread (targets comments100 and comments10k, loaded like
// the other pages), and N signed-in clients posting comments through the
// JSON API (target posters). See docs/benchmarks.md.

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"math/rand/v2"
	"time"

	"masthead"
	"masthead/internal/markdown"
	"masthead/internal/password"
	"masthead/internal/sqldb"
)

const (
	comments100Slug  = "bench-comments-100"
	comments10kSlug  = "bench-comments-10k"
	postersStorySlug = "bench-posters"
	benchPlanSlug    = "bench-standard"
	benchPassword    = "bench-password-1234"
	// seedCommenters is how many accounts write the imported comments.
	seedCommenters = 20
)

// benchPlan is a Standard-like plan: it lets its subscribers comment.
func benchPlan() *masthead.Plan {
	return &masthead.Plan{
		Slug: benchPlanSlug, Name: "Bench Standard", Position: 9, Visible: false,
		Description: "Plan of the benchmark's commenters.",
		Prices: []masthead.Price{
			{Interval: masthead.IntervalMonth, Amount: 900, Currency: "EUR"},
		},
		Entitlements: masthead.Entitlements{Comment: true, MeteredPerMonth: masthead.Unlimited},
	}
}

// commentServices are the services the comment seeding writes through.
type commentServices struct {
	db       *sqldb.DB
	stories  *sqldb.StoryService
	accounts *sqldb.AccountService
	plans    *sqldb.PlanService
	subs     *sqldb.SubscriptionService
	comments *sqldb.CommentService
}

func openCommentServices(ctx context.Context, dbURL string) (*commentServices, error) {
	db, err := sqldb.Open(ctx, dbURL, sqldb.Options{
		Now:      time.Now,
		Renderer: markdown.New(),
		Logger:   slog.New(slog.DiscardHandler),
	})
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return &commentServices{
		db:       db,
		stories:  sqldb.NewStoryService(db),
		accounts: sqldb.NewAccountService(db, password.New(password.Options{}), masthead.AccountSettings{}),
		plans:    sqldb.NewPlanService(db),
		subs:     sqldb.NewSubscriptionService(db, 0),
		comments: sqldb.NewCommentService(db, masthead.CommentSettings{}, nil),
	}, nil
}

// ensureStory creates a free story with comments open under slug unless
// the database has it already; it reports whether it created it.
func (cs *commentServices) ensureStory(ctx context.Context, slug string, r *rand.Rand) (bool, error) {
	if _, err := cs.stories.FindStoryForEditing(ctx, slug); err == nil {
		return false, nil
	} else if masthead.ErrorCode(err) != masthead.ENOTFOUND {
		return false, err
	}
	for _, sec := range benchSections {
		sec := sec
		// SaveSection creates or updates: harmless on a generated newsroom.
		if err := cs.stories.SaveSection(ctx, &sec); err != nil {
			return false, fmt.Errorf("save section %s: %w", sec.Slug, err)
		}
	}
	s := genStory(r, 0, time.Now())
	s.Slug = slug
	s.Access = masthead.AccessFree
	s.Comments = masthead.CommentsOpen
	s.PublishedAt = time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := cs.stories.SaveStory(ctx, s); err != nil {
		return false, fmt.Errorf("save story %s: %w", slug, err)
	}
	return true, nil
}

// createCommenters creates n subscribers who may comment (display name,
// the bench plan granted) with emails prefix-i@bench.example.
func (cs *commentServices) createCommenters(ctx context.Context, prefix string, n int) ([]string, error) {
	if err := cs.plans.SavePlan(ctx, benchPlan(), masthead.Actor{}); err != nil {
		return nil, fmt.Errorf("save plan: %w", err)
	}
	var emails []string
	for i := range n {
		email := fmt.Sprintf("%s-%d@bench.example", prefix, i)
		a, err := cs.accounts.CreateStaff(ctx, email, benchPassword, masthead.RoleSubscriber)
		if err != nil {
			return nil, fmt.Errorf("account %s: %w", email, err)
		}
		if a.DisplayName == "" {
			if _, err := cs.accounts.SetProfile(ctx, a.ID, fmt.Sprintf("Reader %d %d", time.Now().Unix()%100000, i), ""); err != nil {
				return nil, fmt.Errorf("display name of %s: %w", email, err)
			}
		}
		if _, err := cs.subs.GrantComplimentary(ctx, a.ID, benchPlanSlug, time.Now().Add(365*24*time.Hour), masthead.Actor{}); err != nil {
			return nil, fmt.Errorf("plan of %s: %w", email, err)
		}
		emails = append(emails, email)
	}
	return emails, nil
}

// seedCommentThreads makes the two comment stories, with 100 and 10,000
// imported comments (about a third of them replies), unless the database
// has them already.
func seedCommentThreads(ctx context.Context, dbURL string, seedVal uint64) error {
	cs, err := openCommentServices(ctx, dbURL)
	if err != nil {
		return err
	}
	defer cs.db.Close()
	r := rand.New(rand.NewPCG(seedVal, 0x636f6d6d))
	var emails []string
	for _, th := range []struct {
		slug string
		n    int
	}{{comments100Slug, 100}, {comments10kSlug, 10000}} {
		created, err := cs.ensureStory(ctx, th.slug, r)
		if err != nil {
			return err
		}
		if !created {
			continue
		}
		if emails == nil {
			if emails, err = cs.createCommenters(ctx, "commenter", seedCommenters); err != nil {
				return err
			}
		}
		t0 := time.Now()
		in := make([]sqldb.ImportedComment, th.n)
		start := time.Now().Add(-time.Duration(th.n+1) * time.Minute)
		for i := range in {
			parent := -1
			if i > 0 && r.IntN(3) == 0 {
				parent = r.IntN(i)
			}
			in[i] = sqldb.ImportedComment{
				AuthorEmail: emails[r.IntN(len(emails))],
				ParentIndex: parent,
				Body:        sentence(r, 8+r.IntN(40), true),
				CreatedAt:   start.Add(time.Duration(i) * time.Minute),
			}
		}
		if err := cs.comments.ImportComments(ctx, th.slug, in); err != nil {
			return fmt.Errorf("import comments on %s: %w", th.slug, err)
		}
		log.Printf("imported %d comments on %s in %v", th.n, th.slug, time.Since(t0).Round(time.Millisecond))
	}
	return nil
}

// seedPosters makes the posters' story (if missing) and n fresh commenter
// accounts, returning their emails.
func seedPosters(ctx context.Context, dbURL string, n int) ([]string, error) {
	cs, err := openCommentServices(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer cs.db.Close()
	if _, err := cs.ensureStory(ctx, postersStorySlug, rand.New(rand.NewPCG(7, 7))); err != nil {
		return nil, err
	}
	// Fresh accounts each run, so that nothing a run leaves behind limits
	// the next (and -db databases can be reused).
	return cs.createCommenters(ctx, fmt.Sprintf("poster%d", time.Now().Unix()), n)
}

var errNoCookie = errors.New("sign-in set no session cookie")
