-- The story editor: every save of a story kept as a revision (a full
-- snapshot of its content as JSON, numbered per story from 1), and the
-- slugs a story had before, which keep redirecting to it. Times are
-- INTEGER unix nanoseconds, UTC.

CREATE TABLE story_revisions (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
	number INTEGER NOT NULL CHECK (number > 0),
	content TEXT NOT NULL,
	actor_id INTEGER,
	actor_name TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	UNIQUE (story_id, number)
) STRICT;

-- An old slug belongs to one story; no other story may take it while it
-- redirects (the story that had it may take it back).
CREATE TABLE story_slug_redirects (
	slug TEXT PRIMARY KEY,
	story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX story_slug_redirects_story ON story_slug_redirects (story_id);

-- The editor's list: newest change first.
CREATE INDEX stories_updated ON stories (updated_at DESC, id DESC);
