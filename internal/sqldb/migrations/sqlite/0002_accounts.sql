-- Accounts, their display-name history, sessions, single-use tokens, the
-- rate-limit event log and the email outbox. Times are INTEGER unix
-- nanoseconds, UTC; booleans are INTEGER 0 or 1; hashes are BLOBs.
--
-- A deleted account stays as a tombstone (deleted_at set, everything
-- personal NULL) so that rows referring to it by id keep their meaning.

CREATE TABLE accounts (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	email TEXT,
	email_key TEXT UNIQUE,
	password_hash TEXT,
	role TEXT NOT NULL DEFAULT 'subscriber'
		CHECK (role IN ('subscriber', 'moderator', 'editor', 'admin')),
	email_verified_at INTEGER,
	display_name TEXT,
	display_name_key TEXT UNIQUE,
	display_name_changed_at INTEGER,
	about TEXT NOT NULL DEFAULT '',
	reply_emails INTEGER NOT NULL DEFAULT 1 CHECK (reply_emails IN (0, 1)),
	deletion_due_at INTEGER,
	delete_comments INTEGER NOT NULL DEFAULT 0 CHECK (delete_comments IN (0, 1)),
	deleted_at INTEGER,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	CHECK (deleted_at IS NOT NULL OR
		(email IS NOT NULL AND email_key IS NOT NULL AND password_hash IS NOT NULL))
) STRICT;

CREATE INDEX accounts_deletion_due ON accounts (deletion_due_at) WHERE deletion_due_at IS NOT NULL;

CREATE TABLE display_name_history (
	id INTEGER PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	chosen_at INTEGER NOT NULL,
	replaced_at INTEGER
) STRICT;

CREATE INDEX display_name_history_account ON display_name_history (account_id, chosen_at);

-- A session's idle timeout follows its account's role at the time of each
-- request; expires_at is the absolute end.
CREATE TABLE sessions (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	token_hash BLOB NOT NULL UNIQUE,
	created_at INTEGER NOT NULL,
	last_seen_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	user_agent TEXT NOT NULL DEFAULT '',
	ip_prefix TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX sessions_account ON sessions (account_id, last_seen_at);

-- data is the address a token is about: the address a verification or
-- reset link was sent to, or the new address of an email change.
CREATE TABLE tokens (
	id INTEGER PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'reset', 'email_change')),
	token_hash BLOB NOT NULL UNIQUE,
	data TEXT NOT NULL DEFAULT '',
	expires_at INTEGER NOT NULL,
	used_at INTEGER,
	created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX tokens_account ON tokens (account_id, purpose);
CREATE INDEX tokens_expires ON tokens (expires_at);

-- One row per counted event (a failed sign-in, a sign-up, a reset email),
-- for sliding-window limits. key_hash is the SHA-256 of the limited thing
-- (an address, an IP), so that neither is stored in the clear.
CREATE TABLE rate_events (
	id INTEGER PRIMARY KEY,
	bucket TEXT NOT NULL,
	key_hash BLOB NOT NULL,
	at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
) STRICT;

CREATE INDEX rate_events_key ON rate_events (bucket, key_hash, at);
CREATE INDEX rate_events_expires ON rate_events (expires_at);

-- account_id is the account an email is about, so that deleting the
-- account deletes its emails whatever address they went to.
CREATE TABLE outbox (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	kind TEXT NOT NULL,
	to_address TEXT NOT NULL,
	account_id INTEGER,
	data TEXT NOT NULL DEFAULT '{}',
	attempts INTEGER NOT NULL DEFAULT 0,
	status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
	next_attempt_at INTEGER NOT NULL,
	leased_until INTEGER,
	last_error TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	sent_at INTEGER
) STRICT;

CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_account ON outbox (account_id) WHERE account_id IS NOT NULL;
