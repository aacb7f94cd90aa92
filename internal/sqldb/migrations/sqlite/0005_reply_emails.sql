-- Reply emails: the thread an outbox message of kind comment_reply is
-- about, so that later replies in the thread are batched into it, and
-- tokens of the purpose unsubscribe_replies (one-click unsubscribe links).

-- thread_id is the top-level comment of the thread (NULL for other kinds).
ALTER TABLE outbox ADD COLUMN thread_id INTEGER;

CREATE INDEX outbox_thread ON outbox (account_id, thread_id, id) WHERE thread_id IS NOT NULL;

-- SQLite cannot change a CHECK constraint, so tokens is rebuilt with the
-- new purpose. No table refers to tokens.
CREATE TABLE tokens_new (
	id INTEGER PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'reset', 'email_change', 'unsubscribe_replies')),
	token_hash BLOB NOT NULL UNIQUE,
	data TEXT NOT NULL DEFAULT '',
	expires_at INTEGER NOT NULL,
	used_at INTEGER,
	created_at INTEGER NOT NULL
) STRICT;

INSERT INTO tokens_new (id, account_id, purpose, token_hash, data, expires_at, used_at, created_at)
SELECT id, account_id, purpose, token_hash, data, expires_at, used_at, created_at FROM tokens;

DROP TABLE tokens;
ALTER TABLE tokens_new RENAME TO tokens;

CREATE INDEX tokens_account ON tokens (account_id, purpose);
CREATE INDEX tokens_expires ON tokens (expires_at);
