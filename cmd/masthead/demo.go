package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"masthead"
	"masthead/internal/demo"
)

// demoServices are the services the demo newsroom is written through.
type demoServices struct {
	stories       masthead.StoryService
	accounts      masthead.AccountService
	plans         masthead.PlanService
	subscriptions masthead.SubscriptionService
}

// seedDemo fills an empty database with the demo newsroom: sections,
// stories, plans and accounts. A database that has any story is left
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
		if err := s.plans.SavePlan(ctx, p, 0); err != nil {
			return fmt.Errorf("demo: plan %s: %w", p.Slug, err)
		}
	}
	for _, d := range demo.Accounts() {
		a, err := s.accounts.CreateStaff(ctx, d.Email, demo.Password, d.Role)
		if err != nil {
			return fmt.Errorf("demo: account %s: %w", d.Email, err)
		}
		if d.DisplayName != "" {
			if _, err := s.accounts.SetProfile(ctx, a.ID, d.DisplayName, d.About); err != nil {
				return fmt.Errorf("demo: display name of %s: %w", d.Email, err)
			}
		}
		if d.Plan != "" && d.Plan != "free" {
			if _, err := s.subscriptions.GrantComplimentary(ctx, a.ID, d.Plan, now.Add(demo.CompPeriod), 0); err != nil {
				return fmt.Errorf("demo: plan of %s: %w", d.Email, err)
			}
		}
	}
	logger.Warn("demo accounts created: every one has the password "+demo.Password+
		" and is for trying the product only; never run --demo on a site open to the public",
		"accounts", len(demo.Accounts()))
	return nil
}
