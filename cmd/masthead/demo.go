package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"masthead"
	"masthead/internal/demo"
	"masthead/internal/sqldb"
)

// demoLockKey names the database-wide lock under which the demo is seeded
// ("demo").
const demoLockKey int64 = 0x64656d6f

// demoServices are the services the demo newsroom is written through.
type demoServices struct {
	stories       masthead.StoryService
	accounts      masthead.AccountService
	plans         masthead.PlanService
	subscriptions masthead.SubscriptionService
	comments      *sqldb.CommentService
	twoFactor     *sqldb.TwoFactorService
}

// seedDemo fills an empty database with the demo newsroom: sections,
// stories, plans, accounts, and comments (a few on several stories and a
// long thread on one). A database that has any story is left
// exactly as it is.
func seedDemo(ctx context.Context, s demoServices, now time.Time, logger *slog.Logger) error {
	n, err := s.stories.CountStories(ctx)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if n > 0 {
		logger.Warn("database is not empty; --demo changed nothing", "stories", n)
		return nil
	}
	sections := demo.Sections()
	for _, sec := range sections {
		if err := s.stories.SaveSection(ctx, sec); err != nil {
			return fmt.Errorf("demo: section %s: %w", sec.Slug, err)
		}
	}
	list, err := demo.Stories(now)
	if err != nil {
		return err
	}
	visible := 0
	for _, st := range list {
		if err := s.stories.SaveStory(ctx, st); err != nil {
			return fmt.Errorf("demo: story %s: %w", st.Slug, err)
		}
		if st.Visible(now) {
			visible++
		}
		logger.Debug("demo story created", "slug", st.Slug, "status", st.Status, "access", st.Access)
	}
	logger.Info("demo newsroom created", "sections", len(sections), "stories", len(list), "visible", visible)

	for _, p := range demo.Plans() {
		if err := s.plans.SavePlan(ctx, p, masthead.Actor{}); err != nil {
			return fmt.Errorf("demo: plan %s: %w", p.Slug, err)
		}
	}
	for _, d := range demo.Accounts() {
		a, err := s.accounts.CreateStaff(ctx, d.Email, demo.Password, d.Role)
		if err != nil {
			return fmt.Errorf("demo: account %s: %w", d.Email, err)
		}
		if d.TwoFactorSecret != "" {
			if err := s.twoFactor.SeedTwoFactor(ctx, a.ID, d.TwoFactorSecret); err != nil {
				return fmt.Errorf("demo: two-factor sign-in of %s: %w", d.Email, err)
			}
		}
		if d.DisplayName != "" {
			if _, err := s.accounts.SetProfile(ctx, a.ID, d.DisplayName, d.About); err != nil {
				return fmt.Errorf("demo: display name of %s: %w", d.Email, err)
			}
		}
		if d.Plan != "" && d.Plan != "free" {
			if _, err := s.subscriptions.GrantComplimentary(ctx, a.ID, d.Plan, now.Add(demo.CompPeriod), masthead.Actor{}); err != nil {
				return fmt.Errorf("demo: plan of %s: %w", d.Email, err)
			}
		}
	}
	logger.Warn("demo accounts created: every one has the password "+demo.Password+
		" and is for trying the product only; never run --demo on a site open to the public",
		"accounts", len(demo.Accounts()))
	logger.Warn("the demo administrator admin@example.com has two-factor sign-in on: add the key " +
		masthead.GroupSecret(demo.AdminTOTPSecret) + " to an authenticator app; it is published and for trying the product only")
	return seedDemoComments(ctx, s, now, logger)
}

// seedDemoComments creates the demo's commenting readers and imports the
// demo comments, bypassing the commenting limits (the long thread has far
// more comments a reader than a day allows).
func seedDemoComments(ctx context.Context, s demoServices, now time.Time, logger *slog.Logger) error {
	start := time.Now()
	commenters := demo.Commenters()
	for _, c := range commenters {
		a, err := s.accounts.CreateStaff(ctx, c.Email, demo.Password, masthead.RoleSubscriber)
		if err != nil {
			return fmt.Errorf("demo: account %s: %w", c.Email, err)
		}
		if _, err := s.accounts.SetProfile(ctx, a.ID, c.DisplayName, c.About); err != nil {
			return fmt.Errorf("demo: display name of %s: %w", c.Email, err)
		}
		if _, err := s.subscriptions.GrantComplimentary(ctx, a.ID, c.Plan, now.Add(demo.CompPeriod), masthead.Actor{}); err != nil {
			return fmt.Errorf("demo: plan of %s: %w", c.Email, err)
		}
	}
	total := 0
	for _, sc := range demo.Comments() {
		in := make([]sqldb.ImportedComment, len(sc.Comments))
		for i, c := range sc.Comments {
			in[i] = sqldb.ImportedComment{AuthorEmail: commenters[c.Author].Email, ParentIndex: c.Parent,
				Body: c.Body, CreatedAt: now.Add(-c.Ago)}
		}
		if err := s.comments.ImportComments(ctx, sc.Story, in); err != nil {
			return fmt.Errorf("demo: comments on %s: %w", sc.Story, err)
		}
		total += len(in)
	}
	logger.Info("demo comments created", "commenters", len(commenters), "comments", total,
		"long_thread", demo.LongThreadStory, "took", time.Since(start).Round(time.Millisecond))
	return nil
}
