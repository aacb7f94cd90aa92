package main

import (
	"fmt"

	"masthead"
)

// commentFlags are the comment limits of masthead serve: every rate, size
// and window is a setting whose default is the product's number.
type commentFlags struct {
	settings masthead.CommentSettings
}

// addCommentFlags defines the comment settings in f.
func addCommentFlags(f *flags, c *commentFlags) {
	d := masthead.DefaultCommentSettings()
	s := &c.settings
	f.BoolVar(&s.Enabled, "comments", d.Enabled, "commenting on or off site-wide (existing comments stay readable)")
	f.bindEnv("comments", "MASTHEAD_COMMENTS")
	ints := []intSetting{
		{&s.MaxLength, "comment-max-length", "MASTHEAD_COMMENT_MAX_LENGTH", d.MaxLength, "longest comment, in characters"},
		{&s.PerDay, "comments-per-day", "MASTHEAD_COMMENTS_PER_DAY", d.PerDay, "comments a subscriber may post a day"},
		{&s.RespectsPerDay, "respects-per-day", "MASTHEAD_RESPECTS_PER_DAY", d.RespectsPerDay, "respects a subscriber may give a day"},
		{&s.ReportsPerDay, "reports-per-day", "MASTHEAD_REPORTS_PER_DAY", d.ReportsPerDay, "reports a subscriber may make a day"},
		{&s.PageSize, "comments-page-size", "MASTHEAD_COMMENTS_PAGE_SIZE", d.PageSize, "top-level comments a page"},
	}
	durations := []durationSetting{
		{&s.EditWindow, "comment-edit-window", "MASTHEAD_COMMENT_EDIT_WINDOW", d.EditWindow, "how long after posting a comment may be edited"},
		{&s.MinInterval, "comment-interval", "MASTHEAD_COMMENT_INTERVAL", d.MinInterval, "least time between two comments by one subscriber"},
		{&s.DuplicateWindow, "comment-duplicate-window", "MASTHEAD_COMMENT_DUPLICATE_WINDOW", d.DuplicateWindow, "how long the same text may not be posted again"},
	}
	f.settings(ints, durations)
}

// validate checks the comment settings.
func (c *commentFlags) validate() error {
	s := c.settings
	for _, v := range []struct {
		name string
		n    int
	}{
		{"comment-max-length", s.MaxLength}, {"comments-per-day", s.PerDay},
		{"respects-per-day", s.RespectsPerDay}, {"reports-per-day", s.ReportsPerDay},
		{"comments-page-size", s.PageSize},
	} {
		if v.n < 1 {
			return fmt.Errorf("--%s must be at least 1, not %d", v.name, v.n)
		}
	}
	if s.PageSize > 100 {
		return fmt.Errorf("--comments-page-size can be at most 100, not %d", s.PageSize)
	}
	if s.EditWindow < 0 || s.MinInterval < 0 || s.DuplicateWindow < 0 {
		return fmt.Errorf("--comment-edit-window, --comment-interval and --comment-duplicate-window cannot be negative")
	}
	return nil
}
