-- Reports filed before migration 0007 have no resolved_at and were never
-- counted in comments.open_reports, so their comments never reached the
-- reported queue: count every published comment's open reports again.
-- (Running it twice changes nothing.)
UPDATE comments SET open_reports = (
	SELECT COUNT(*) FROM comment_reports r
	WHERE r.comment_id = comments.id AND r.resolved_at IS NULL)
WHERE status = 'published'
	AND id IN (SELECT comment_id FROM comment_reports WHERE resolved_at IS NULL);
