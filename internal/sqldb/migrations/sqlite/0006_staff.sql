-- The staff tools' shared ground: the append-only audit log, the site's
-- settings (the commenting policy among them), and the story columns the
-- editor and the moderation policy both use. Times are INTEGER unix
-- nanoseconds, UTC.

-- Every staff action: who, what, on what, before and after, when, from
-- where. Nothing in the product changes or deletes an entry, and the
-- triggers below refuse it to anything else that tries.
CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	actor_id INTEGER,
	actor_name TEXT NOT NULL DEFAULT '',
	action TEXT NOT NULL,
	target_type TEXT NOT NULL,
	target_id TEXT NOT NULL,
	before_state TEXT NOT NULL DEFAULT '',
	after_state TEXT NOT NULL DEFAULT '',
	reason TEXT NOT NULL DEFAULT '',
	ip TEXT NOT NULL DEFAULT '',
	at INTEGER NOT NULL
) STRICT;

CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- Site settings set in /admin, one JSON document per key, so that every
-- instance reads the same ones.
CREATE TABLE site_settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;

-- A story's own comment rules: close comments N days after publication
-- (0: the site's policy decides) and hold every comment for review.
ALTER TABLE stories ADD COLUMN comments_close_days INTEGER NOT NULL DEFAULT 0 CHECK (comments_close_days >= 0);
ALTER TABLE stories ADD COLUMN premoderated INTEGER NOT NULL DEFAULT 0 CHECK (premoderated IN (0, 1));
