-- Stories, sections, authors and tags. Times are INTEGER unix nanoseconds,
-- UTC. stories_fts is an FTS5 index over stories' headline, dek and body,
-- kept in step by triggers.

CREATE TABLE sections (
	id INTEGER PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	position INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE authors (
	id INTEGER PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	bio TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE tags (
	id INTEGER PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL
) STRICT;

CREATE TABLE stories (
	id INTEGER PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	headline TEXT NOT NULL,
	dek TEXT NOT NULL DEFAULT '',
	body TEXT NOT NULL,
	body_format TEXT NOT NULL CHECK (body_format IN ('markdown', 'text')),
	body_html TEXT NOT NULL,
	section_id INTEGER NOT NULL REFERENCES sections (id),
	status TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'published')),
	access TEXT NOT NULL CHECK (access IN ('free', 'metered', 'premium')),
	comments TEXT NOT NULL CHECK (comments IN ('open', 'closed')),
	comment_count INTEGER NOT NULL DEFAULT 0,
	published_at INTEGER,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;

CREATE INDEX stories_published ON stories (published_at DESC, id DESC);
CREATE INDEX stories_section_published ON stories (section_id, published_at DESC, id DESC);

CREATE TABLE story_authors (
	story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
	author_id INTEGER NOT NULL REFERENCES authors (id),
	position INTEGER NOT NULL,
	PRIMARY KEY (story_id, author_id)
) STRICT;

CREATE INDEX story_authors_author ON story_authors (author_id, story_id);

CREATE TABLE story_tags (
	story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
	tag_id INTEGER NOT NULL REFERENCES tags (id),
	position INTEGER NOT NULL,
	PRIMARY KEY (story_id, tag_id)
) STRICT;

CREATE INDEX story_tags_tag ON story_tags (tag_id, story_id);

CREATE VIRTUAL TABLE stories_fts USING fts5 (
	headline, dek, body,
	content = 'stories', content_rowid = 'id',
	tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER stories_fts_insert AFTER INSERT ON stories BEGIN
	INSERT INTO stories_fts (rowid, headline, dek, body)
	VALUES (new.id, new.headline, new.dek, new.body);
END;

CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN
	INSERT INTO stories_fts (stories_fts, rowid, headline, dek, body)
	VALUES ('delete', old.id, old.headline, old.dek, old.body);
END;

CREATE TRIGGER stories_fts_update AFTER UPDATE OF headline, dek, body ON stories BEGIN
	INSERT INTO stories_fts (stories_fts, rowid, headline, dek, body)
	VALUES ('delete', old.id, old.headline, old.dek, old.body);
	INSERT INTO stories_fts (rowid, headline, dek, body)
	VALUES (new.id, new.headline, new.dek, new.body);
END;
