-- Comments, their respects and reports, the log of changes that live
-- updates replay, and the commenting sanctions of accounts. Times are
-- INTEGER unix nanoseconds, UTC; booleans are INTEGER 0 or 1.

-- A moderator's ban (permanent) or suspension (until a time) of an
-- account's commenting, with the reason shown to the subscriber.
ALTER TABLE accounts ADD COLUMN commenting_suspended_until INTEGER;
ALTER TABLE accounts ADD COLUMN commenting_banned INTEGER NOT NULL DEFAULT 0 CHECK (commenting_banned IN (0, 1));
ALTER TABLE accounts ADD COLUMN sanction_reason TEXT NOT NULL DEFAULT '';

-- A thread is a top-level comment (depth 0, parent_id and root_id NULL)
-- and its replies (depth 1 and 2, root_id the top-level comment).
-- reply_count counts the published comments whose parent_id or
-- reply_to_id is this one; thread_replies counts a top-level comment's
-- published replies at every depth. Both, and stories.comment_count (the
-- story's published comments), are kept up to date on write.
CREATE TABLE comments (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
	parent_id INTEGER REFERENCES comments (id),
	root_id INTEGER REFERENCES comments (id),
	-- reply_to_id is the comment replied to: parent_id, except for a reply
	-- to a comment at the deepest level, which attaches to that comment's
	-- parent (with a mention) but still counts as a reply to it.
	reply_to_id INTEGER REFERENCES comments (id),
	depth INTEGER NOT NULL CHECK (depth BETWEEN 0 AND 2),
	author_id INTEGER NOT NULL REFERENCES accounts (id),
	body TEXT NOT NULL,
	body_html TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('published', 'pending', 'rejected', 'deleted')),
	featured INTEGER NOT NULL DEFAULT 0 CHECK (featured IN (0, 1)),
	edited_at INTEGER,
	respects INTEGER NOT NULL DEFAULT 0,
	reply_count INTEGER NOT NULL DEFAULT 0,
	thread_replies INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	CHECK ((depth = 0) = (parent_id IS NULL) AND (depth = 0) = (root_id IS NULL)
		AND (depth = 0) = (reply_to_id IS NULL))
) STRICT;

-- A story's top-level comments, featured ones first, by time (either
-- direction) and by respects.
CREATE INDEX comments_story_time ON comments (story_id, featured, created_at, id) WHERE parent_id IS NULL;
CREATE INDEX comments_story_respects ON comments (story_id, featured, respects, id) WHERE parent_id IS NULL;
-- A thread's replies in order.
CREATE INDEX comments_root ON comments (root_id, created_at, id) WHERE root_id IS NOT NULL;
-- An author's recent comments (rate limits, duplicates).
CREATE INDEX comments_author ON comments (author_id, created_at);
CREATE INDEX comments_parent ON comments (parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE comment_respects (
	comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
	account_id INTEGER NOT NULL REFERENCES accounts (id),
	created_at INTEGER NOT NULL,
	PRIMARY KEY (comment_id, account_id)
) STRICT;

CREATE INDEX comment_respects_account ON comment_respects (account_id, created_at);

CREATE TABLE comment_reports (
	id INTEGER PRIMARY KEY,
	comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
	account_id INTEGER NOT NULL REFERENCES accounts (id),
	reason TEXT NOT NULL CHECK (reason IN ('spam', 'abuse', 'off_topic', 'other')),
	text TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	UNIQUE (comment_id, account_id)
) STRICT;

CREATE INDEX comment_reports_account ON comment_reports (account_id, created_at);

-- Every change to a story's comments, for live updates: a client resumes
-- after the last ID it saw.
CREATE TABLE comment_events (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('posted', 'edited', 'removed')),
	comment_id INTEGER NOT NULL,
	at INTEGER NOT NULL
) STRICT;

CREATE INDEX comment_events_story ON comment_events (story_id, id);
