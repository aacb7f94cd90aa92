-- Moderators' actions on subscribers: warnings, which a subscriber must
-- acknowledge on their next visit, and display names reset by a moderator,
-- which no account may choose again. Suspensions and bans are the accounts
-- columns of 0004; the history of every action is the audit log. Times are
-- INTEGER unix nanoseconds, UTC.

CREATE TABLE account_warnings (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	reason TEXT NOT NULL,
	created_by INTEGER,
	created_at INTEGER NOT NULL,
	acknowledged_at INTEGER
) STRICT;

-- An account's warnings, and (read on every page a signed-in reader
-- views) its oldest one not yet acknowledged.
CREATE INDEX account_warnings_account ON account_warnings (account_id, id);
CREATE INDEX account_warnings_pending ON account_warnings (account_id, id) WHERE acknowledged_at IS NULL;

-- Reset display names, by their confusable key (masthead.DisplayNameKey),
-- so that neither the name nor a look-alike of it can be chosen again.
-- Only the key is kept: the name itself stays in its account's history.
CREATE TABLE blocked_display_names (
	name_key TEXT PRIMARY KEY,
	blocked_at INTEGER NOT NULL
) STRICT;
