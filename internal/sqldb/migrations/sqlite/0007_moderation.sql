-- Moderation of comments: why a comment was held or rejected, who decided
-- and when, and the count of a published comment's reports not yet dealt
-- with (kept up to date on write; the reported queue reads it).
ALTER TABLE comments ADD COLUMN hold_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE comments ADD COLUMN reject_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE comments ADD COLUMN moderated_by INTEGER;
ALTER TABLE comments ADD COLUMN moderated_at INTEGER;
ALTER TABLE comments ADD COLUMN open_reports INTEGER NOT NULL DEFAULT 0;

-- The queues: pending and rejected by time, reported by open reports.
CREATE INDEX comments_status_time ON comments (status, created_at, id) WHERE status IN ('pending', 'rejected');
CREATE INDEX comments_reported ON comments (open_reports, id) WHERE open_reports > 0;
-- Everything, newest first (the recent queue).
CREATE INDEX comments_recent ON comments (created_at, id);
-- A report is dealt with once a moderator acts on the comment after it.
ALTER TABLE comment_reports ADD COLUMN resolved_at INTEGER;
